"""Gradients three ways: finite differences, backpropagation written out, gradient descent.

Used by Lecture 02 and by later lectures that check a hand-written gradient:

* :func:`numerical_gradient` — central differences ``(f(θ+εe_i) - f(θ-εe_i)) / 2ε`` for every
  entry of every parameter array; error O(ε²).
* :func:`relative_error` and :func:`gradient_check` — compare an analytic gradient with it.
* :func:`two_layer_forward` / :func:`two_layer_gradients` — a 2-layer network
  ``ŷ = W2ᵀ f(W1ᵀ x + b1) + b2`` (batch rows ``X @ W1``) with MSE or sigmoid+BCE, and its
  backpropagation; :func:`tiny_network_gradient` returns one entry (the practice generator's
  answers).
* :func:`gradient_descent_1d` — the iterates θ_{t+1} = θ_t − η f'(θ_t).

>>> import numpy as np
>>> numerical_gradient(lambda w: float(np.sum(w ** 2)), np.array([1.0, -2.0]))
array([ 2., -4.])
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np

from helpers import activations

LOSSES = ("mse", "bce")


def _float_array(name: str, value, ndim: int | None = None) -> np.ndarray:
    if isinstance(value, (str, bytes)):
        raise TypeError(f"{name} must be numbers, got a string")
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise TypeError(f"{name} must be an array of numbers: {error}") from None
    if ndim is not None and array.ndim != ndim:
        raise ValueError(f"{name} must have {ndim} dimension(s), got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must be finite (no NaN or infinity)")
    return array


def _check_eps(eps) -> float:
    if isinstance(eps, bool) or not isinstance(eps, (int, float)) or not 0 < eps < 1:
        raise ValueError(f"eps must be a small positive number such as 1e-5, got {eps!r}")
    return float(eps)


def numerical_gradient(f: Callable, params, eps: float = 1e-5):
    """Central-difference gradient of a scalar function.

    ``params`` is one array (``f(array)``) or a list of arrays (``f(*arrays)``); the result
    has the same structure. Each entry costs two evaluations of ``f``, so this is a *check*
    (cost grows with the number of parameters), not a way to train.
    """
    if not callable(f):
        raise TypeError("f must be a function returning a scalar")
    eps = _check_eps(eps)
    single = not isinstance(params, (list, tuple))
    arrays = [_float_array("params", p).copy() for p in ([params] if single else params)]
    grads = []
    for array in arrays:
        grad = np.zeros_like(array)
        flat, flat_grad = array.reshape(-1), grad.reshape(-1)    # views into array / grad
        for i in range(flat.size):
            saved = flat[i]
            flat[i] = saved + eps
            plus = float(f(*arrays))
            flat[i] = saved - eps
            minus = float(f(*arrays))
            flat[i] = saved
            flat_grad[i] = (plus - minus) / (2 * eps)
        grads.append(grad)
    return grads[0] if single else grads


def relative_error(analytic, numeric, floor: float = 1e-12) -> float:
    """max |a - n| / max(|a| + |n|, floor) over all entries (0 = identical, ~1e-7 = good)."""
    a = _float_array("analytic", analytic)
    n = _float_array("numeric", numeric)
    if a.shape != n.shape:
        raise ValueError(f"shapes differ: analytic {a.shape}, numeric {n.shape}")
    if a.size == 0:
        raise ValueError("nothing to compare: empty arrays")
    return float(np.max(np.abs(a - n) / np.maximum(np.abs(a) + np.abs(n), floor)))


def gradient_check(f: Callable, params, grads, eps: float = 1e-5) -> float:
    """Largest :func:`relative_error` between ``grads`` and central differences of ``f``."""
    numeric = numerical_gradient(f, params, eps)
    if not isinstance(params, (list, tuple)):
        return relative_error(grads, numeric)
    if not isinstance(grads, (list, tuple)) or len(grads) != len(params):
        raise ValueError("grads must be a list with one array per parameter array")
    return max(relative_error(g, n) for g, n in zip(grads, numeric, strict=True))


# --------------------------------------------------------------- a two-layer network


def _check_network(X, Y, W1, b1, W2, b2):
    X = _float_array("X", X, 2)
    W1 = _float_array("W1", W1, 2)
    b1 = _float_array("b1", b1, 1)
    W2 = _float_array("W2", W2, 2)
    b2 = _float_array("b2", b2, 1)
    Y = _float_array("Y", Y, 2)
    if W1.shape[0] != X.shape[1]:
        raise ValueError(f"W1 has {W1.shape[0]} rows but each input has {X.shape[1]} features")
    if b1.shape[0] != W1.shape[1] or W2.shape[0] != W1.shape[1]:
        raise ValueError(f"hidden width {W1.shape[1]}: b1 needs that many entries and W2 "
                         f"that many rows (got b1 {b1.shape}, W2 {W2.shape})")
    if b2.shape[0] != W2.shape[1] or Y.shape != (X.shape[0], W2.shape[1]):
        raise ValueError(f"outputs: b2 {b2.shape} and Y {Y.shape} must match "
                         f"{W2.shape[1]} outputs for {X.shape[0]} examples")
    return X, Y, W1, b1, W2, b2


def _check_loss(loss) -> str:
    if loss not in LOSSES:
        raise ValueError(f"loss must be one of {LOSSES}, got {loss!r}")
    return loss


def two_layer_forward(X, W1, b1, W2, b2, hidden: str = "sigmoid") -> dict:
    """Forward pass of a batch: Z1 = X W1 + b1, H = f(Z1), Z2 = H W2 + b2 (all kept)."""
    X = _float_array("X", X, 2)
    Z1 = X @ _float_array("W1", W1, 2) + _float_array("b1", b1, 1)
    H = activations.activation(hidden, Z1)
    Z2 = H @ _float_array("W2", W2, 2) + _float_array("b2", b2, 1)
    return {"Z1": Z1, "H": H, "Z2": Z2}


def two_layer_loss(X, Y, W1, b1, W2, b2, hidden: str = "sigmoid", loss: str = "mse") -> float:
    """Batch loss: MSE = mean over examples and outputs of (Z2 - Y)²; BCE on sigmoid(Z2)."""
    X, Y, W1, b1, W2, b2 = _check_network(X, Y, W1, b1, W2, b2)
    Z2 = two_layer_forward(X, W1, b1, W2, b2, hidden)["Z2"]
    if _check_loss(loss) == "mse":
        return float(np.mean((Z2 - Y) ** 2))
    # BCE from logits, stable: max(z,0) - z·y + ln(1 + e^-|z|)
    return float(np.mean(np.maximum(Z2, 0) - Z2 * Y + np.log1p(np.exp(-np.abs(Z2)))))


def two_layer_gradients(X, Y, W1, b1, W2, b2, hidden: str = "sigmoid",
                        loss: str = "mse") -> dict:
    """Backpropagation through the 2-layer network; returns dJ/dW1, db1, dW2, db2.

    δ2 = dJ/dZ2 = 2(Z2 - Y)/(B·K) for MSE, (sigmoid(Z2) - Y)/(B·K) for BCE;
    dW2 = Hᵀ δ2, db2 = Σ_rows δ2; δ1 = (δ2 W2ᵀ) ⊙ f'(Z1); dW1 = Xᵀ δ1, db1 = Σ_rows δ1.
    """
    X, Y, W1, b1, W2, b2 = _check_network(X, Y, W1, b1, W2, b2)
    cache = two_layer_forward(X, W1, b1, W2, b2, hidden)
    count = Y.size
    if _check_loss(loss) == "mse":
        delta2 = 2.0 * (cache["Z2"] - Y) / count
    else:
        delta2 = (activations.sigmoid(cache["Z2"]) - Y) / count
    delta1 = (delta2 @ W2.T) * activations.derivative(hidden, cache["Z1"])
    return {"W1": X.T @ delta1, "b1": delta1.sum(axis=0),
            "W2": cache["H"].T @ delta2, "b2": delta2.sum(axis=0)}


def tiny_network_gradient(x: Sequence[float], y: Sequence[float], W1, b1, W2, b2,
                          wrt: str, index: Sequence[int], hidden: str = "sigmoid",
                          loss: str = "mse") -> float:
    """One entry of the gradient for one example: e.g. ``wrt="W1", index=(0, 1)``."""
    if wrt not in ("W1", "b1", "W2", "b2"):
        raise ValueError(f"wrt must be one of W1, b1, W2, b2, got {wrt!r}")
    X = _float_array("x", x, 1)[None, :]
    Y = _float_array("y", y, 1)[None, :]
    grads = two_layer_gradients(X, Y, W1, b1, W2, b2, hidden, loss)
    try:
        return float(grads[wrt][tuple(index)])
    except (IndexError, TypeError):
        raise ValueError(f"index {index!r} is not an entry of {wrt} with shape "
                         f"{grads[wrt].shape}") from None


# --------------------------------------------------------------- gradient descent in 1-D


def gradient_descent_1d(grad: Callable[[float], float], theta0: float, learning_rate: float,
                        steps: int) -> np.ndarray:
    """The iterates θ_0, θ_1, ..., θ_steps of θ_{t+1} = θ_t - η·grad(θ_t).

    Stops early, with a shorter array, once an iterate leaves [-1e12, 1e12] (divergence), so
    the result never holds ``inf`` or ``nan``.
    """
    if not callable(grad):
        raise TypeError("grad must be a function of one number")
    for name, value in (("theta0", theta0), ("learning_rate", learning_rate)):
        if isinstance(value, bool) or not isinstance(value, (int, float, np.floating)) \
                or not math.isfinite(value):
            raise TypeError(f"{name} must be a finite number, got {value!r}")
    if learning_rate <= 0:
        raise ValueError(f"learning_rate must be positive, got {learning_rate!r}")
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 0:
        raise ValueError(f"steps must be a non-negative integer, got {steps!r}")
    thetas = [float(theta0)]
    for _ in range(int(steps)):
        theta = thetas[-1] - learning_rate * float(grad(thetas[-1]))
        if not abs(theta) < 1e12:
            break
        thetas.append(theta)
    return np.array(thetas)


def quadratic_gd_factor(a: float, learning_rate: float) -> float:
    """For f(θ) = a(θ - θ*)² + c, GD multiplies the distance to θ* by (1 - 2aη) each step."""
    if not a > 0:
        raise ValueError(f"a must be positive (a bowl), got {a!r}")
    if not learning_rate > 0:
        raise ValueError(f"learning_rate must be positive, got {learning_rate!r}")
    return 1.0 - 2.0 * a * learning_rate


def minibatch_sgd_step(theta: float, targets: Sequence[float], learning_rate: float) -> float:
    """One step on the mini-batch loss (1/b) Σ_k (θ - t_k)²: gradient (2/b) Σ_k (θ - t_k)."""
    t = _float_array("targets", targets, 1)
    if t.size == 0:
        raise ValueError("targets must hold at least one value")
    if not learning_rate > 0:
        raise ValueError(f"learning_rate must be positive, got {learning_rate!r}")
    gradient = 2.0 * float(np.mean(float(theta) - t))
    return float(theta) - learning_rate * gradient


__all__ = ["LOSSES", "gradient_check", "gradient_descent_1d", "minibatch_sgd_step",
           "numerical_gradient", "quadratic_gd_factor", "relative_error", "tiny_network_gradient",
           "two_layer_forward", "two_layer_gradients", "two_layer_loss"]
