"""helpers.regularisation against Keras (one SGD step), NumPy and SciPy."""

import keras
import numpy as np
import pytest
from scipy import stats

from helpers import regularisation as reg


def test_weight_decay_step_matches_keras_sgd_with_l2():
    rng = np.random.default_rng(0)
    w0 = rng.normal(size=(5, 3))
    grad = rng.normal(size=(5, 3))
    lr, lam = 0.3, 0.2
    variable = keras.Variable(w0)
    keras.optimizers.SGD(lr, weight_decay=lam).apply_gradients([(grad, variable)])
    np.testing.assert_allclose(variable.numpy(), reg.weight_decay_step(w0, grad, lr, lam),
                               rtol=1e-6)
    # the same as the gradient of the penalty (lam/2)||w||^2 added to the data gradient
    np.testing.assert_allclose(reg.weight_decay_step(w0, grad, lr, lam),
                               w0 - lr * (grad + lam * w0))
    assert reg.weight_decay_step(2.0, 0.0, 0.1, 0.01) == pytest.approx(1.998)


def test_condition_number_matches_numpy():
    rng = np.random.default_rng(1)
    a = rng.normal(size=(6, 6))
    hessian = a @ a.T + 0.1 * np.eye(6)
    eigenvalues = np.linalg.eigvalsh(hessian)
    for lam in (0.0, 0.5, 10.0):
        assert reg.l2_condition_number(eigenvalues, lam) == pytest.approx(
            np.linalg.cond(hessian + lam * np.eye(6)), rel=1e-6)


def test_accuracy_margin_matches_scipy():
    n, p = 10_000, 0.9
    low, high = stats.norm.interval(0.95, loc=p, scale=np.sqrt(p * (1 - p) / n))
    assert reg.accuracy_margin(n, p) == pytest.approx((high - low) / 2, rel=1e-3)


@pytest.mark.parametrize("call,error", [
    (lambda: reg.weight_decay_step(1.0, 0.0, 0.0, 0.1), ValueError),
    (lambda: reg.weight_decay_step(1.0, 0.0, 0.1, -1.0), ValueError),
    (lambda: reg.weight_decay_step([1.0, 2.0], [0.0], 0.1, 0.1), ValueError),
    (lambda: reg.weight_decay_step(1.0, 0.0, "0.1", 0.1), TypeError),
    (lambda: reg.l2_condition_number([], 0.0), ValueError),
    (lambda: reg.l2_condition_number([-1.0, 2.0], 0.5), ValueError),
    (lambda: reg.accuracy_margin(0, 0.9), ValueError),
    (lambda: reg.accuracy_margin(100, 1.5), ValueError),
    (lambda: reg.accuracy_margin(100, True), TypeError),
])
def test_bad_input(call, error):
    with pytest.raises(error):
        call()
