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


def test_model_macs_counts_depthwise_nested_and_sequence_layers():
    inputs = keras.Input((8, 8, 4))
    split = keras.layers.DepthwiseConv2D(3, padding="same", depth_multiplier=2)(inputs)
    split = keras.layers.Conv2D(6, 1)(split)
    fused = keras.layers.SeparableConv2D(5, 3, padding="same")(inputs)
    model = keras.Model(inputs, [split, fused])
    depthwise = 8 * 8 * 4 * 2 * 3 * 3
    expected = depthwise + 8 * 8 * 8 * 6 + (8 * 8 * 4 * 3 * 3 + 8 * 8 * 4 * 5)
    assert conv.model_macs(model) == expected
    outer = keras.Sequential([keras.Input((8, 8, 4)), model.layers[1]])       # nested use
    wrapper_in = keras.Input((8, 8, 4))
    wrapper = keras.Model(wrapper_in, keras.layers.Flatten()(outer(wrapper_in)))
    assert conv.model_macs(wrapper) == depthwise
    sequence_in = keras.Input((7, 10))                  # a Dense applied at 7 positions
    dense = keras.Model(sequence_in, keras.layers.Dense(3)(sequence_in))
    assert conv.model_macs(dense) == 7 * 10 * 3


def test_model_macs_refuses_layers_it_cannot_count():
    inputs = keras.Input((8, 8, 4))
    upsample = keras.Model(inputs, keras.layers.Conv2DTranspose(2, 2, strides=2)(inputs))
    with pytest.raises(ValueError, match="Conv2DTranspose"):
        conv.model_macs(upsample)
    series = keras.Input((16, 3))
    with pytest.raises(ValueError, match="Conv1D"):
        conv.model_macs(keras.Model(series, keras.layers.Conv1D(4, 3)(series)))
    with pytest.raises(TypeError, match="keras.Model"):
        conv.model_macs("alexnet")


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


# ------------------------------------------------------------------ forward passes vs Keras

FORWARD_CASES = list(itertools.product([1, 2, 3, 4], [1, 2, 3], ["valid", "same"]))


@pytest.mark.parametrize("kernel,stride,padding", FORWARD_CASES)
def test_conv2d_forward_matches_keras(kernel, stride, padding):
    rng = np.random.default_rng(kernel * 10 + stride)
    x = rng.normal(size=(2, 9, 8, 3)).astype("float32")
    layer = keras.layers.Conv2D(4, kernel, strides=stride, padding=padding)
    expected = layer(x).numpy()
    ours = conv.conv2d(x, layer.kernel.numpy(), layer.bias.numpy(), stride, padding)
    assert ours.shape == expected.shape
    np.testing.assert_allclose(ours, expected, atol=1e-4)


def test_conv2d_explicit_padding_is_pytorch_style_zero_padding():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(1, 8, 8, 2))
    kernel = rng.normal(size=(3, 3, 2, 5))
    padded = np.pad(x, ((0, 0), (1, 1), (1, 1), (0, 0)))
    np.testing.assert_allclose(conv.conv2d(x, kernel, stride=2, padding=1),
                               conv.conv2d(padded, kernel, stride=2, padding="valid"))
    # TensorFlow's "same" puts the extra zero after: a different grid of sampled positions
    assert conv.same_padding(8, 3, 2) == (0, 1)
    assert not np.allclose(conv.conv2d(x, kernel, stride=2, padding=1),
                           conv.conv2d(x, kernel, stride=2, padding="same"))


@pytest.mark.parametrize("pool,stride,padding", FORWARD_CASES)
@pytest.mark.parametrize("mode", ["max", "avg"])
def test_pool2d_matches_keras(pool, stride, padding, mode):
    x = np.random.default_rng(pool + 7 * stride).normal(size=(2, 9, 8, 3)).astype("float32")
    layer = (keras.layers.MaxPooling2D if mode == "max" else keras.layers.AveragePooling2D)(
        pool, strides=stride, padding=padding)
    np.testing.assert_allclose(conv.pool2d(x, pool, stride, padding, mode), layer(x).numpy(),
                               atol=1e-5)


def test_batch_norm_matches_keras_in_training_and_inference():
    x = np.random.default_rng(2).normal(3.0, 2.0, size=(16, 5, 5, 4)).astype("float32")
    layer = keras.layers.BatchNormalization(momentum=0.9, epsilon=1e-3)
    y_keras = layer(x, training=True).numpy()
    y, moving_mean, moving_variance = conv.batch_norm(x, momentum=0.9, epsilon=1e-3)
    np.testing.assert_allclose(y, y_keras, atol=1e-4)
    np.testing.assert_allclose(moving_mean, layer.moving_mean.numpy(), atol=1e-5)
    np.testing.assert_allclose(moving_variance, layer.moving_variance.numpy(), atol=1e-4)
    y_inf, _, _ = conv.batch_norm(x, training=False, moving_mean=moving_mean,
                                  moving_variance=moving_variance)
    np.testing.assert_allclose(y_inf, layer(x, training=False).numpy(), atol=1e-4)
    assert abs(float(y.mean())) < 1e-6 and abs(float(y.var()) - 1) < 1e-2


def test_dropout_is_inverted_and_identity_at_inference():
    x = np.full((200, 500), 3.0)
    y = conv.dropout(x, rate=0.2, seed=0)
    kept = y != 0
    assert abs(kept.mean() - 0.8) < 0.01
    np.testing.assert_allclose(y[kept], 3.0 / 0.8)
    assert abs(y.mean() - 3.0) < 0.02                       # expectation preserved
    np.testing.assert_array_equal(conv.dropout(x, 0.2, training=False), x)
    mask = np.zeros(x.shape, bool)
    mask[0, 0] = True
    assert conv.dropout(x, 0.5, mask=mask).sum() == 6.0
    keras_out = keras.layers.Dropout(0.2, seed=0)(x.astype("float32"), training=True).numpy()
    np.testing.assert_allclose(conv.dropout(x, 0.2, mask=keras_out != 0), keras_out, rtol=1e-6)


@pytest.mark.parametrize("call, error, message", [
    (lambda: conv.conv2d(np.zeros((5, 5)), np.zeros((3, 3, 1, 1))), ValueError, "batch"),
    (lambda: conv.conv2d(np.zeros((1, 5, 5, 2)), np.zeros((3, 3, 1, 1))), ValueError, "C_in"),
    (lambda: conv.conv2d(np.zeros((1, 2, 2, 1)), np.zeros((3, 3, 1, 1))), ValueError, "fit"),
    (lambda: conv.conv2d(np.array([[[["a"]]]]), np.zeros((1, 1, 1, 1))), TypeError, "numeric"),
    (lambda: conv.pool2d(np.zeros((1, 4, 4, 1)), mode="median"), ValueError, "mode"),
    (lambda: conv.pool2d(np.zeros((1, 4, 4, 1)), padding=1), ValueError, "padding"),
    (lambda: conv.batch_norm(np.zeros((4, 2)), momentum=1.5), ValueError, "momentum"),
    (lambda: conv.dropout(np.zeros(3), rate=1.0), ValueError, "DROP"),
    (lambda: conv.dropout(np.zeros(3), 0.5, mask=np.ones(2, bool)), ValueError, "mask"),
])
def test_forward_passes_reject_bad_input(call, error, message):
    with pytest.raises(error, match=message):
        call()
