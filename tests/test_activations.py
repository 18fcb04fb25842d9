"""helpers.activations against keras.activations and tf.GradientTape, including bad input."""

import warnings

import keras
import numpy as np
import pytest
import tensorflow as tf

from helpers import activations

GRID = np.r_[np.linspace(-8, 8, 161), -800.0, -100.0, -30.0, 30.0, 100.0, 800.0]
# keep clear of the kink at exactly 0, where conventions are tested separately
GRID = GRID[GRID != 0]
PRELU_ALPHA = 0.3


def keras_value(name, x, alpha):
    t = tf.convert_to_tensor(x, dtype=tf.float64)
    if name == "leaky_relu":
        return keras.activations.leaky_relu(t, negative_slope=alpha)
    if name == "prelu":
        layer = keras.layers.PReLU(alpha_initializer=keras.initializers.Constant(alpha),
                                   dtype="float64")
        return layer(t[None, :])[0]
    if name == "elu":
        return keras.activations.elu(t, alpha=alpha)
    if name == "swish":
        return keras.activations.silu(t)
    return getattr(keras.activations, name)(t)


@pytest.mark.parametrize("name", activations.NAMES)
def test_values_match_keras(name):
    alpha = {"leaky_relu": 0.2, "prelu": PRELU_ALPHA, "elu": 1.3}.get(name)
    ours = activations.activation(name, GRID, alpha)
    reference = np.asarray(keras_value(name, GRID, alpha))
    assert np.all(np.isfinite(ours))
    np.testing.assert_allclose(ours, reference, rtol=1e-6, atol=1e-12)


@pytest.mark.parametrize("name", activations.NAMES)
def test_derivatives_match_gradient_tape(name):
    alpha = {"leaky_relu": 0.2, "prelu": PRELU_ALPHA, "elu": 1.3}.get(name)
    x = tf.Variable(GRID, dtype=tf.float64)
    with tf.GradientTape() as tape:
        y = keras_value(name, x, alpha) if name != "prelu" else tf.where(
            x > 0, x, PRELU_ALPHA * x)
    reference = tape.gradient(y, x).numpy()
    ours = activations.derivative(name, GRID, alpha)
    np.testing.assert_allclose(ours, reference, rtol=1e-6, atol=1e-12)


def test_naive_sigmoid_overflows_but_ours_does_not():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(RuntimeWarning):
            1 / (1 + np.exp(-np.array([-800.0])))
        ours = activations.sigmoid(np.array([-800.0, 800.0]))
    assert ours[0] == 0.0 and ours[1] == 1.0
    assert activations.derivative("sigmoid", 0.0) == pytest.approx(0.25)
    assert activations.derivative("sigmoid", GRID).max() <= 0.25


def test_kink_conventions_follow_tensorflow():
    x = tf.Variable([0.0], dtype=tf.float64)
    for name, fn in [("relu", tf.nn.relu), ("elu", tf.nn.elu), ("selu", tf.nn.selu),
                     ("leaky_relu", lambda t: tf.nn.leaky_relu(t, alpha=0.2))]:
        with tf.GradientTape() as tape:
            y = fn(x)
        assert activations.derivative(name, [0.0])[0] == pytest.approx(
            tape.gradient(y, x).numpy()[0]), name


def test_jacobians():
    z = np.array([0.5, -1.0, 2.0])
    zt = tf.constant(z)
    with tf.GradientTape() as tape:
        tape.watch(zt)
        p = tf.nn.softmax(zt)
    np.testing.assert_allclose(activations.softmax_jacobian(z), tape.jacobian(p, zt).numpy(),
                               atol=1e-12)
    with tf.GradientTape() as tape:
        tape.watch(zt)
        h = tf.tanh(zt)
    np.testing.assert_allclose(activations.elementwise_jacobian("tanh", z),
                               tape.jacobian(h, zt).numpy(), atol=1e-12)
    np.testing.assert_allclose(activations.softmax([1000.0, 1001.0, 1002.0]),
                               [0.09003057, 0.24472847, 0.66524096], atol=1e-8)


def test_aliases():
    np.testing.assert_allclose(activations.activation("SiLU", [1.0]),
                               activations.activation("swish", [1.0]))
    np.testing.assert_allclose(activations.activation("Leaky-ReLU", [-1.0]), [-0.2])


@pytest.mark.parametrize("call,error,message", [
    (lambda: activations.activation("softsign", 1.0), ValueError, "sigmoid, tanh, relu"),
    (lambda: activations.derivative("relu6", 1.0), ValueError, "choose one of"),
    (lambda: activations.activation(3, 1.0), TypeError, "name must be a string"),
    (lambda: activations.activation("relu", "1.0"), TypeError, "string"),
    (lambda: activations.activation("relu", [1.0, np.nan]), ValueError, "finite"),
    (lambda: activations.activation("relu", 1.0, alpha=0.1), ValueError, "no parameter"),
    (lambda: activations.activation("elu", 1.0, alpha=-1), ValueError, ">= 0"),
    (lambda: activations.activation("elu", 1.0, alpha="big"), TypeError, "number"),
    (lambda: activations.softmax(1.0), ValueError, "vector"),
    (lambda: activations.softmax_jacobian([[1.0, 2.0]]), ValueError, "one vector"),
])
def test_bad_input(call, error, message):
    with pytest.raises(error, match=message):
        call()
