"""helpers.autodiff: finite differences, 2-layer backprop against tf.GradientTape, GD."""

import numpy as np
import pytest
import tensorflow as tf

from helpers import autodiff


def network(seed=0, hidden=4, outputs=2, batch=5):
    rng = np.random.default_rng(seed)
    return (rng.normal(size=(batch, 3)), rng.uniform(size=(batch, outputs)),
            rng.normal(size=(3, hidden)), rng.normal(size=hidden),
            rng.normal(size=(hidden, outputs)), rng.normal(size=outputs))


def tape_gradients(X, Y, W1, b1, W2, b2, hidden, loss):
    params = [tf.Variable(p) for p in (W1, b1, W2, b2)]
    with tf.GradientTape() as tape:
        z1 = tf.constant(X) @ params[0] + params[1]
        h = {"sigmoid": tf.sigmoid, "tanh": tf.tanh, "relu": tf.nn.relu}[hidden](z1)
        z2 = h @ params[2] + params[3]
        if loss == "mse":
            value = tf.reduce_mean(tf.square(z2 - Y))
        else:
            value = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=Y, logits=z2))
    return value.numpy(), [g.numpy() for g in tape.gradient(value, params)]


@pytest.mark.parametrize("hidden", ["sigmoid", "tanh", "relu"])
@pytest.mark.parametrize("loss", ["mse", "bce"])
def test_backprop_matches_gradient_tape_and_finite_differences(hidden, loss):
    X, Y, W1, b1, W2, b2 = network()
    value, reference = tape_gradients(X, Y, W1, b1, W2, b2, hidden, loss)
    assert autodiff.two_layer_loss(X, Y, W1, b1, W2, b2, hidden, loss) == pytest.approx(value)
    grads = autodiff.two_layer_gradients(X, Y, W1, b1, W2, b2, hidden, loss)
    for key, ref in zip(["W1", "b1", "W2", "b2"], reference, strict=True):
        np.testing.assert_allclose(grads[key], ref, rtol=1e-9, atol=1e-12)
    error = autodiff.gradient_check(
        lambda *p: autodiff.two_layer_loss(X, Y, *p, hidden=hidden, loss=loss),
        [W1, b1, W2, b2], [grads[k] for k in ("W1", "b1", "W2", "b2")])
    assert error < 1e-6


def test_numerical_gradient_and_relative_error():
    grad = autodiff.numerical_gradient(lambda w: float(np.sum(np.sin(w))), np.array([0.3, 1.2]))
    np.testing.assert_allclose(grad, np.cos([0.3, 1.2]), rtol=1e-9)
    assert autodiff.relative_error([1.0, 2.0], [1.0, 2.0]) == 0.0
    assert autodiff.relative_error([1.0], [1.1]) == pytest.approx(0.1 / 2.1)
    # a wrong gradient is caught
    assert autodiff.gradient_check(lambda w: float(np.sum(w ** 2)), np.array([1.0, 2.0]),
                                   np.array([2.0, 3.0])) > 0.1


def test_tiny_network_gradient_is_one_entry():
    X, Y, W1, b1, W2, b2 = network(1, hidden=2, outputs=1, batch=1)
    full = autodiff.two_layer_gradients(X, Y, W1, b1, W2, b2, "relu")
    value = autodiff.tiny_network_gradient(X[0], Y[0], W1, b1, W2, b2, "W1", (2, 1), "relu")
    assert value == full["W1"][2, 1]


def test_gradient_descent_worked_examples():
    thetas = autodiff.gradient_descent_1d(lambda t: 2 * t - 2, 0.0, 0.1, 3)
    np.testing.assert_allclose(thetas, [0.0, 0.2, 0.36, 0.488])
    assert autodiff.quadratic_gd_factor(1.0, 0.1) == pytest.approx(0.8)
    diverged = autodiff.gradient_descent_1d(lambda t: 2 * t - 2, 3.0, 1.5, 200)
    assert diverged.size < 201 and np.all(np.isfinite(diverged))
    assert autodiff.minibatch_sgd_step(10.0, [1, 2, 3, 4], 0.1) == pytest.approx(8.5)
    # same as TensorFlow's SGD on the same loss
    theta = tf.Variable(10.0, dtype=tf.float64)
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean((theta - tf.constant([1.0, 2, 3, 4], tf.float64)) ** 2)
    tf.keras.optimizers.SGD(0.1).apply_gradients([(tape.gradient(loss, theta), theta)])
    assert theta.numpy() == pytest.approx(8.5)


@pytest.mark.parametrize("call,error,message", [
    (lambda: autodiff.numerical_gradient(3, np.ones(2)), TypeError, "function"),
    (lambda: autodiff.numerical_gradient(np.sum, np.ones(2), eps=0), ValueError, "eps"),
    (lambda: autodiff.relative_error([1.0], [1.0, 2.0]), ValueError, "shapes differ"),
    (lambda: autodiff.relative_error([], []), ValueError, "empty"),
    (lambda: autodiff.two_layer_gradients(np.ones((2, 3)), np.ones((2, 1)), np.ones((4, 2)),
                                          np.ones(2), np.ones((2, 1)), np.ones(1)),
     ValueError, "features"),
    (lambda: autodiff.two_layer_loss(*network(), loss="hinge"), ValueError, "loss must be"),
    (lambda: autodiff.two_layer_loss(*network(), hidden="relu7"), ValueError, "choose one"),
    (lambda: autodiff.tiny_network_gradient([1.0], [1.0], [[1.0]], [0.0], [[1.0]], [0.0],
                                            "W3", (0, 0)), ValueError, "wrt"),
    (lambda: autodiff.tiny_network_gradient([1.0], [1.0], [[1.0]], [0.0], [[1.0]], [0.0],
                                            "W1", (3, 0)), ValueError, "not an entry"),
    (lambda: autodiff.gradient_descent_1d(lambda t: t, 1.0, -0.1, 3), ValueError, "positive"),
    (lambda: autodiff.gradient_descent_1d(lambda t: t, "a", 0.1, 3), TypeError, "theta0"),
    (lambda: autodiff.gradient_descent_1d(lambda t: t, 1.0, 0.1, -1), ValueError, "steps"),
    (lambda: autodiff.minibatch_sgd_step(1.0, [], 0.1), ValueError, "at least one"),
    (lambda: autodiff.quadratic_gd_factor(-1, 0.1), ValueError, "bowl"),
])
def test_bad_input(call, error, message):
    with pytest.raises(error, match=message):
        call()
