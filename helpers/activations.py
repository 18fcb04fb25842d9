"""Activation functions and their derivatives, written out in NumPy (Lecture 02).

Every function here agrees with ``keras.activations`` (and ``keras.layers.PReLU``) and every
derivative with what ``tf.GradientTape`` computes; ``tests/test_activations.py`` checks both on a
grid that includes large ``|x|``, where a naive sigmoid ``1/(1+exp(-x))`` overflows.

>>> activation("relu", [-1.0, 2.0])
array([0., 2.])
>>> derivative("sigmoid", 0.0)        # sigma'(0) = sigma(0)(1 - sigma(0)) = 1/4
array(0.25)

Conventions at a kink (``x = 0``) follow TensorFlow's gradients: ReLU'(0) = 0, Leaky ReLU and
PReLU use the negative slope at 0, ELU its left-hand branch (α·e^0 = α), SELU its right-hand
branch (the scale) at 0.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import special

# SELU's two constants (Klambauer et al. 2017), chosen so that activations keep mean 0 and
# variance 1 through a deep stack with LeCun-normal weights.
SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946

# name -> (parameter name, default) for the activations that have one parameter
PARAMETERS: dict[str, tuple[str, float]] = {
    "leaky_relu": ("alpha", 0.2),       # Keras 3's default negative_slope
    "prelu": ("alpha", 0.25),           # learned in a PReLU layer; 0.25 is He et al.'s start
    "elu": ("alpha", 1.0),
}
NAMES: tuple[str, ...] = ("sigmoid", "tanh", "relu", "leaky_relu", "prelu", "elu", "gelu",
                          "swish", "mish", "selu")


def _check_name(name) -> str:
    if not isinstance(name, str):
        raise TypeError(f"name must be a string such as 'relu', got {type(name).__name__}")
    key = name.strip().lower().replace("-", "_").replace(" ", "_")
    key = {"silu": "swish", "leakyrelu": "leaky_relu", "logistic": "sigmoid"}.get(key, key)
    if key not in NAMES:
        raise ValueError(f"unknown activation {name!r}; choose one of {', '.join(NAMES)}")
    return key


def _check_x(x) -> np.ndarray:
    if isinstance(x, (str, bytes)):
        raise TypeError("x must be a number or an array of numbers, got a string")
    try:
        values = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise TypeError(f"x must be a number or an array of numbers: {error}") from None
    if not np.all(np.isfinite(values)):
        raise ValueError("x must be finite (no NaN or infinity)")
    return values


def _alpha(name: str, alpha) -> float:
    if name not in PARAMETERS:
        if alpha is not None:
            raise ValueError(f"{name} has no parameter; alpha is only for "
                             f"{', '.join(PARAMETERS)}")
        return 0.0
    if alpha is None:
        return PARAMETERS[name][1]
    if isinstance(alpha, bool) or not isinstance(alpha, (int, float, np.floating)):
        raise TypeError(f"alpha must be a number, got {alpha!r}")
    if not math.isfinite(alpha) or alpha < 0:
        raise ValueError(f"alpha must be a finite number >= 0, got {alpha!r}")
    return float(alpha)


def sigmoid(x) -> np.ndarray:
    """sigma(x) = 1 / (1 + e^-x), evaluated without overflow for any finite x.

    For x < 0 it uses the equal form e^x / (1 + e^x), so exp never sees a large argument.
    """
    x = np.asarray(x, dtype=np.float64)
    exp_of_minus_abs = np.exp(-np.abs(x))                      # in (0, 1]: never overflows
    return np.where(x >= 0, 1.0 / (1.0 + exp_of_minus_abs),
                    exp_of_minus_abs / (1.0 + exp_of_minus_abs))


def softplus(x) -> np.ndarray:
    """ln(1 + e^x), computed as logaddexp(0, x) so it is exact for large |x|."""
    return np.logaddexp(0.0, np.asarray(x, dtype=np.float64))


def activation(name: str, x, alpha: float | None = None) -> np.ndarray:
    """Apply the activation ``name`` elementwise to ``x``.

    ============  ===========================================================
    sigmoid       1 / (1 + e^-x)
    tanh          (e^x - e^-x) / (e^x + e^-x)
    relu          max(0, x)
    leaky_relu    x if x > 0 else alpha·x        (alpha default 0.2, as Keras 3)
    prelu         as leaky_relu, alpha learned   (alpha default 0.25)
    elu           x if x > 0 else alpha(e^x - 1) (alpha default 1)
    gelu          x·Phi(x), Phi the standard normal CDF (exact, not the tanh approximation)
    swish (silu)  x·sigma(x)
    mish          x·tanh(softplus(x))
    selu          scale·(x if x > 0 else alpha(e^x - 1)), fixed scale and alpha
    ============  ===========================================================
    """
    key = _check_name(name)
    a = _alpha(key, alpha)
    x = _check_x(x)
    if key == "sigmoid":
        return sigmoid(x)
    if key == "tanh":
        return np.tanh(x)
    if key == "relu":
        return np.maximum(x, 0.0)
    if key in ("leaky_relu", "prelu"):
        return np.where(x > 0, x, a * x)
    if key == "elu":
        return np.where(x > 0, x, a * np.expm1(np.minimum(x, 0.0)))
    if key == "gelu":
        return x * special.ndtr(x)
    if key == "swish":
        return x * sigmoid(x)
    if key == "mish":
        return x * np.tanh(softplus(x))
    # selu
    return SELU_SCALE * np.where(x > 0, x, SELU_ALPHA * np.expm1(np.minimum(x, 0.0)))


def derivative(name: str, x, alpha: float | None = None) -> np.ndarray:
    """The derivative d activation(x) / dx, written out (no autodiff).

    sigmoid' = sigma(1 - sigma) (at most 1/4) · tanh' = 1 - tanh^2 · relu' = [x > 0] ·
    leaky/prelu' = 1 or alpha · elu' = 1 or alpha·e^x · gelu' = Phi(x) + x·phi(x) ·
    swish' = sigma(x)(1 + x(1 - sigma(x))) · mish' = tanh(sp) + x·sigma(x)·(1 - tanh^2(sp)),
    sp = softplus(x) · selu' = scale or scale·alpha·e^x.
    """
    key = _check_name(name)
    a = _alpha(key, alpha)
    x = _check_x(x)
    if key == "sigmoid":
        s = sigmoid(x)
        return s * (1.0 - s)
    if key == "tanh":
        return 1.0 - np.tanh(x) ** 2
    if key == "relu":
        return (x > 0).astype(np.float64)
    if key in ("leaky_relu", "prelu"):
        return np.where(x > 0, 1.0, a)
    if key == "elu":
        return np.where(x > 0, 1.0, a * np.exp(np.minimum(x, 0.0)))
    if key == "gelu":
        return special.ndtr(x) + x * np.exp(-0.5 * x ** 2) / math.sqrt(2 * math.pi)
    if key == "swish":
        s = sigmoid(x)
        return s * (1.0 + x * (1.0 - s))
    if key == "mish":
        t = np.tanh(softplus(x))
        return t + x * sigmoid(x) * (1.0 - t ** 2)
    return SELU_SCALE * np.where(x >= 0, 1.0, SELU_ALPHA * np.exp(np.minimum(x, 0.0)))


def softmax(z, axis: int = -1) -> np.ndarray:
    """softmax(z)_k = e^(z_k - m) / sum_j e^(z_j - m), m = max_j z_j (stable for any z)."""
    z = _check_x(z)
    if z.ndim == 0:
        raise ValueError("softmax needs a vector (or a batch of vectors), got a scalar")
    shifted = z - z.max(axis=axis, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=axis, keepdims=True)


def softmax_jacobian(z) -> np.ndarray:
    """J[i, j] = d softmax(z)_i / d z_j = p_i([i = j] - p_j), i.e. diag(p) - p pᵀ.

    Unlike an elementwise activation, whose Jacobian is diag(f'(z)), it is not diagonal.
    """
    z = _check_x(z)
    if z.ndim != 1:
        raise ValueError(f"z must be one vector of logits, got shape {z.shape}")
    p = softmax(z)
    return np.diag(p) - np.outer(p, p)


def elementwise_jacobian(name: str, x, alpha: float | None = None) -> np.ndarray:
    """Jacobian of h = f(x) for an elementwise f and a vector x: diag(f'(x))."""
    x = _check_x(x)
    if x.ndim != 1:
        raise ValueError(f"x must be one vector, got shape {x.shape}")
    return np.diag(derivative(name, x, alpha))


__all__ = ["NAMES", "PARAMETERS", "SELU_ALPHA", "SELU_SCALE", "activation", "derivative",
           "elementwise_jacobian", "sigmoid", "softmax", "softmax_jacobian", "softplus"]
