"""helpers.conv against TensorFlow/Keras, the notes' worked examples, and bad input."""

import itertools

import keras
import numpy as np
import pytest

from helpers import conv


def keras_output_size(size, kernel, stride, padding, dilation):
    """What a real Conv2D produces on a (1, size, size, 1) input, or None if Keras refuses."""
    if isinstance(padding, int):
        layer_in = keras.layers.ZeroPadding2D(padding)(np.zeros((1, size, size, 1), "float32"))
        padding = "valid"
    else:
        layer_in = np.zeros((1, size, size, 1), "float32")
    try:
        out = keras.layers.Conv2D(1, kernel, strides=stride, padding=padding,
                                  dilation_rate=dilation)(layer_in)
    except Exception:
        return None
    return int(out.shape[1]) if out.shape[1] > 0 else None


CASES = [(size, kernel, stride, padding, dilation)
         for size, kernel, stride, padding, dilation in itertools.product(
             [1, 2, 3, 5, 8, 11], [1, 2, 3, 5], [1, 2, 3], ["valid", "same", 0, 1, 2], [1, 2])
         if stride == 1 or dilation == 1]   # Keras refuses stride > 1 with dilation > 1


@pytest.mark.parametrize("size,kernel,stride,padding,dilation", CASES)
def test_output_size_agrees_with_keras(size, kernel, stride, padding, dilation):
    expected = keras_output_size(size, kernel, stride, padding, dilation)
    if expected is None:
        with pytest.raises(ValueError):
            conv.output_size(size, kernel, stride, padding, dilation)
    else:
        assert conv.output_size(size, kernel, stride, padding, dilation) == expected


def test_output_size_returns_int():
    assert type(conv.output_size(32, 3, 2, "same")) is int
    assert type(conv.output_size(np.int64(32), np.int64(3))) is int


def test_worked_examples_from_the_notes():
    assert conv.output_size(32, 5, stride=2, padding=0) == 14       # F week 6 Q2
    assert conv.output_size(14, 2, stride=2, padding=1) == 8        # its pooling layer
    assert conv.output_size(64, 7, stride=2, padding=3) == 32       # F week 6 Q8
    assert conv.output_size(32, 3, stride=1, padding="same") == 32  # E lec 3 example
    assert conv.output_size(32, 3, stride=1, padding="valid") == 30


@pytest.mark.parametrize("size,kernel,stride", itertools.product(range(1, 40), range(1, 8),
                                                                 range(1, 5)))
def test_notes_same_formula_always_agrees_with_tensorflow(size, kernel, stride):
    assert conv.notes_output_size(size, kernel, stride, "same") == -(-size // stride)


@pytest.mark.parametrize("size,kernel,stride", [(32, 4, 1), (7, 3, 2), (8, 3, 2), (5, 5, 3)])
def test_same_padding_matches_keras_zero_padding(size, kernel, stride):
    before, after = conv.same_padding(size, kernel, stride)
    rng = np.random.default_rng(0)
    image = rng.normal(size=(1, size, size, 1)).astype("float32")
    layer = keras.layers.Conv2D(1, kernel, strides=stride, padding="same", use_bias=False)
    same = layer(image).numpy()
    padded = np.pad(image, ((0, 0), (before, after), (before, after), (0, 0)))
    manual = keras.ops.conv(padded, layer.kernel, strides=stride, padding="valid").numpy()
    np.testing.assert_allclose(same, manual, atol=1e-5)


@pytest.mark.parametrize("kwargs,message", [
    (dict(input_size=32, kernel_size=3, stride=0), "stride must be a positive integer"),
    (dict(input_size=5, kernel_size=7), "larger than the padded input"),
    (dict(input_size=32, kernel_size=3, padding="full"), "padding must be"),
    (dict(input_size=32, kernel_size=3, padding=-1), "padding must be"),
    (dict(input_size=-4, kernel_size=3), "input_size must be a positive integer"),
    (dict(input_size=32, kernel_size=0), "kernel_size must be a positive integer"),
    (dict(input_size=32, kernel_size=3, dilation=0), "dilation must be a positive integer"),
    (dict(input_size=6, kernel_size=3, dilation=3), "dilated kernel span 7"),
])
def test_impossible_settings_raise_plain_value_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        conv.output_size(**kwargs)


@pytest.mark.parametrize("bad", [3.5, "32", None, True])
def test_non_integer_sizes_raise_type_error(bad):
    with pytest.raises(TypeError):
        conv.output_size(bad, 3)


def test_leftover_reports_uncovered_rows():
    assert conv.leftover(7, 3, 2) == 0          # windows at 0, 2, 4 cover all 7
    assert conv.leftover(8, 3, 2) == 1          # the last column is dropped
    assert conv.leftover(32, 5, 2, 0) == 1


@pytest.mark.parametrize("input_shape,filters,kernel,stride,padding", [
    ((32, 32, 3), 100, 5, 2, "valid"),
    ((227, 227, 3), 96, 11, 4, "valid"),
    ((27, 27, 96), 256, 5, 1, "same"),
    ((28, 28, 1), 32, (3, 5), (1, 2), "same"),
])
def test_conv_cost_matches_keras(input_shape, filters, kernel, stride, padding):
    cost = conv.conv2d_cost(input_shape, filters, kernel, stride, padding)
    inputs = keras.Input(shape=input_shape)
    outputs = keras.layers.Conv2D(filters, kernel, strides=stride, padding=padding)(inputs)
    model = keras.Model(inputs, outputs)
    assert cost.params == model.count_params()
    assert cost.output_shape == tuple(outputs.shape[1:])
    kh, kw = kernel if isinstance(kernel, tuple) else (kernel, kernel)
    h, w, c = cost.output_shape
    assert cost.macs == h * w * c * input_shape[2] * kh * kw
    assert conv.model_macs(model) == cost.macs
    assert cost.neurons == h * w * c


def test_model_macs_counts_dense_layers():
    inputs = keras.Input(shape=(10,))
    model = keras.Model(inputs, keras.layers.Dense(3)(keras.layers.Dense(5)(inputs)))
    assert conv.model_macs(model) == 10 * 5 + 5 * 3


def test_conv_cost_rejects_bad_shapes():
    with pytest.raises(ValueError, match="height, width, channels"):
        conv.conv2d_cost((32, 32), 8, 3)
    with pytest.raises(ValueError, match="pair"):
        conv.conv2d_cost((32, 32, 3), 8, (3, 3, 3))


def test_receptive_field():
    assert conv.receptive_field([]) == 1
    assert conv.receptive_field([(3, 1), (3, 1)]) == 5
    assert conv.receptive_field([(3, 1)] * 3) == 7
    assert conv.receptive_field([(3, 1), (2, 2), (3, 1)]) == 8
    with pytest.raises(ValueError, match="pair"):
        conv.receptive_field([3])


def test_receptive_field_matches_gradient_support():
    """The receptive field is where the input gradient of one output unit is non-zero."""
    import tensorflow as tf

    stack = [(3, 1), (2, 2), (3, 1)]
    inputs = keras.Input(shape=(32, 32, 1))
    x = keras.layers.Conv2D(1, 3, kernel_initializer="ones")(inputs)
    x = keras.layers.AveragePooling2D(2)(x)
    x = keras.layers.Conv2D(1, 3, kernel_initializer="ones")(x)
    model = keras.Model(inputs, x)
    image = tf.Variable(np.ones((1, 32, 32, 1), "float32"))
    with tf.GradientTape() as tape:
        unit = model(image)[0, 3, 3, 0]
    grad = tape.gradient(unit, image).numpy()[0, :, :, 0]
    rows = np.flatnonzero(grad.any(axis=1))
    assert rows.max() - rows.min() + 1 == conv.receptive_field(stack)
