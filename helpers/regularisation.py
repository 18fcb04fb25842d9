"""Regularisation arithmetic for Lecture 04: the weight-decay step, conditioning under L2,
and how precisely a held-out set measures an accuracy.

>>> weight_decay_step(2.0, 0.0, learning_rate=0.1, lam=0.01)
1.998
>>> round(l2_condition_number([100.0, 1.0], lam=1.0), 2)
50.5
"""

from __future__ import annotations

import math

import numpy as np


def _number(name: str, value) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.floating, np.integer)):
        raise TypeError(f"{name} must be a number, got {type(value).__name__} {value!r}")
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
    return float(value)


def weight_decay_step(weight, grad, learning_rate: float, lam: float):
    """One gradient-descent step with the penalty (λ/2)‖w‖²: w ← (1 − ηλ)·w − η·∂L/∂w.

    ``weight`` and ``grad`` are numbers or arrays of the same shape (a number in, a number
    out).
    """
    eta, lam = _number("learning_rate", learning_rate), _number("lam", lam)
    if eta <= 0 or lam < 0:
        raise ValueError(f"need learning_rate > 0 and lam >= 0, got {eta} and {lam}")
    w, g = np.asarray(weight, dtype=float), np.asarray(grad, dtype=float)
    if w.shape != g.shape:
        raise ValueError(f"weight and grad must have the same shape, got {w.shape} and {g.shape}")
    new = (1.0 - eta * lam) * w - eta * g
    return float(new) if new.ndim == 0 else new


def l2_condition_number(eigenvalues, lam: float = 0.0) -> float:
    """κ = (λmax + λ)/(λmin + λ) of a Hessian with the given eigenvalues after adding λI."""
    lam = _number("lam", lam)
    values = np.asarray(eigenvalues, dtype=float)
    if values.ndim != 1 or values.size == 0 or not np.all(np.isfinite(values)):
        raise ValueError("eigenvalues must be a non-empty list of finite numbers")
    low, high = values.min() + lam, values.max() + lam
    if low <= 0:
        raise ValueError("the regularised Hessian must be positive definite (min eigenvalue "
                         f"+ lam = {low:g})")
    return float(high / low)


def accuracy_margin(n_examples: int, accuracy: float, z: float = 1.96) -> float:
    """Half-width z·√(p(1−p)/n) of the normal-approximation interval of an accuracy p
    measured on n held-out examples (z = 1.96: 95 %)."""
    if isinstance(n_examples, bool) or not isinstance(n_examples, (int, np.integer)) \
            or n_examples < 1:
        raise ValueError(f"n_examples must be a positive integer, got {n_examples!r}")
    p = _number("accuracy", accuracy)
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"accuracy must be in [0, 1], got {p}")
    return float(_number("z", z) * math.sqrt(p * (1.0 - p) / n_examples))


__all__ = ["weight_decay_step", "l2_condition_number", "accuracy_margin"]
