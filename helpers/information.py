"""From scores to probabilities, and the information measures between distributions.

``sigmoid`` and ``softmax`` turn scores (logits) into probabilities; ``entropy``,
``cross_entropy`` and ``kl_divergence`` compare probability distributions. All work on one
vector or on a batch along the last axis, in nats by default (``base=2`` gives bits):

    H(P) = -sum_x P(x) log P(x)
    H(P, Q) = -sum_x P(x) log Q(x) = H(P) + KL(P || Q)
    KL(P || Q) = sum_x P(x) log(P(x) / Q(x))   (asymmetric, >= 0, 0 only when P = Q)

Terms with P(x) = 0 contribute 0 (the limit of t log t); a Q(x) = 0 where P(x) > 0 makes the
cross-entropy and KL divergence infinite, as the maths says. Checked against SciPy and Keras in
``tests/test_information.py``.

>>> round(entropy([0.5, 0.5], base=2), 6)
1.0
>>> softmax([1000.0, 1000.0])          # no overflow: the maximum is subtracted first
array([0.5, 0.5])
"""

from __future__ import annotations

import numpy as np

__all__ = ["sigmoid", "softmax", "log_softmax", "entropy", "cross_entropy", "kl_divergence",
           "check_distribution"]

TOLERANCE = 1e-6


def _scores(values, name: str = "scores") -> np.ndarray:
    try:
        array = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise TypeError(f"{name} must be numbers, got {values!r}") from error
    if array.size == 0:
        raise ValueError(f"{name} is empty")
    if np.any(np.isnan(array)):
        raise ValueError(f"{name} contains NaN")
    return array


def sigmoid(scores) -> np.ndarray | float:
    """sigma(z) = 1 / (1 + e^-z), computed without overflow for large |z|."""
    z = _scores(scores)
    positive = z >= 0
    exp_neg = np.exp(-np.abs(z))                 # never overflows
    result = np.where(positive, 1.0 / (1.0 + exp_neg), exp_neg / (1.0 + exp_neg))
    return float(result) if result.ndim == 0 else result


def softmax(scores, axis: int = -1) -> np.ndarray:
    """softmax(z)_k = e^(z_k - max z) / sum_j e^(z_j - max z): stable for any finite scores."""
    z = _scores(scores)
    if z.ndim == 0:
        raise ValueError("softmax needs a vector of scores (one per class), got a scalar")
    shifted = z - np.max(z, axis=axis, keepdims=True)
    exps = np.exp(shifted)
    return exps / np.sum(exps, axis=axis, keepdims=True)


def log_softmax(scores, axis: int = -1) -> np.ndarray:
    """log softmax(z)_k = z_k - max z - log sum_j e^(z_j - max z) (no log of 0)."""
    z = _scores(scores)
    if z.ndim == 0:
        raise ValueError("log_softmax needs a vector of scores, got a scalar")
    shifted = z - np.max(z, axis=axis, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


def check_distribution(values, name: str = "p") -> np.ndarray:
    """``values`` as a float array of probability vectors along the last axis, or a ValueError."""
    array = _scores(values, name)
    if array.ndim == 0:
        raise ValueError(f"{name} must be a probability vector (or a batch of them), "
                         "got a scalar")
    if np.any(array < 0):
        raise ValueError(f"{name} has negative entries ({array.min():g}): "
                         "probabilities are >= 0")
    if np.any(np.isinf(array)):
        raise ValueError(f"{name} has infinite entries")
    sums = array.sum(axis=-1)
    if np.any(np.abs(sums - 1) > TOLERANCE):
        bad = float(np.ravel(sums)[np.argmax(np.abs(np.ravel(sums) - 1))])
        raise ValueError(f"{name} must sum to 1 along its last axis, found a sum of {bad:g}; "
                         "if these are scores, apply softmax first")
    return array


def _log_base(base) -> float:
    if base is None:
        return 1.0
    if isinstance(base, bool) or not isinstance(base, (int, float)) or base <= 0 or base == 1:
        raise ValueError(f"base must be a positive number other than 1 (e.g. 2 for bits), "
                         f"got {base!r}")
    return float(np.log(base))


def _finish(values: np.ndarray, base) -> np.ndarray | float:
    values = values / _log_base(base)
    return float(values) if values.ndim == 0 else values


def entropy(p, base: float | None = None) -> np.ndarray | float:
    """H(P) = -sum P log P (nats; ``base=2``: bits). Zero for a one-hot P."""
    probs = check_distribution(p, "p")
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(probs > 0, -probs * np.log(probs), 0.0)
    return _finish(terms.sum(axis=-1), base)


def _pair(p, q) -> tuple[np.ndarray, np.ndarray]:
    probs, other = check_distribution(p, "p"), check_distribution(q, "q")
    if probs.shape != other.shape:
        raise ValueError(f"p and q must have the same shape, got {probs.shape} and {other.shape}")
    return probs, other


def cross_entropy(p, q, base: float | None = None) -> np.ndarray | float:
    """H(P, Q) = -sum P log Q, in [0, inf): infinite where Q is 0 on a class P gives mass to.

    For a one-hot P (a label) it is -log Q(true class).
    """
    probs, other = _pair(p, q)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(probs > 0, -probs * np.log(other), 0.0)
    return _finish(terms.sum(axis=-1), base)


def kl_divergence(p, q, base: float | None = None) -> np.ndarray | float:
    """KL(P || Q) = sum P log(P / Q) >= 0; not symmetric; infinite where Q = 0 < P."""
    probs, other = _pair(p, q)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(probs > 0, probs * (np.log(probs) - np.log(other)), 0.0)
    return _finish(terms.sum(axis=-1), base)
