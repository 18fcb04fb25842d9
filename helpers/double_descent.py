"""Double descent with random ReLU features and minimum-norm least squares.

A random-features model fixes a random first layer and fits only the output weights:

.. math::

    \\phi(x) = \\max(0,\\; W^\\top x + b), \\qquad W \\in \\mathbb R^{d \\times p},\\;
    W_{ij} \\sim \\mathcal N(0, s^2 / d),\\; b_j \\sim \\mathcal N(0, s_b^2),

    \\hat\\beta = \\Phi^{+} Y, \\qquad \\hat y(x) = \\phi(x)^\\top \\hat\\beta ,

where ``Phi`` is the ``n x p`` matrix of training features and ``Phi^+`` its pseudo-inverse.
With fewer features than training points (``p < n``) this is ordinary least squares; with
more (``p > n``) infinitely many ``beta`` fit the training data exactly and ``Phi^+ Y`` picks
the one with the smallest norm. Sweeping ``p`` through ``n`` (the interpolation threshold)
shows the test error rise to a peak at ``p = n`` and fall again beyond it (Belkin et al., 2019).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike

from helpers._checks import positive_int as _positive_int

__all__ = ["DoubleDescentCurve", "double_descent_curve", "min_norm_fit",
           "random_relu_features"]


class DoubleDescentCurve(NamedTuple):
    """``train_error`` and ``test_error`` are (seeds, widths) arrays of mean squared error."""

    widths: np.ndarray
    train_error: np.ndarray
    test_error: np.ndarray
    test_misclassification: np.ndarray


def _matrix(value, name: str) -> np.ndarray:
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise TypeError(f"{name} must be a numeric array") from error
    if array.ndim != 2:
        raise ValueError(f"{name} must be a 2-D array (examples, features), got {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} contains NaN or infinite values")
    return array


def random_relu_features(inputs: ArrayLike, num_features: int, seed: int = 0,
                         weight_scale: float = 2.0, bias_scale: float = 0.5) -> np.ndarray:
    """``max(0, inputs @ W + b)`` for a random ``W`` (d x p) and ``b`` fixed by ``seed``.

    The first ``k`` features are the same for every ``num_features >= k`` (the same seed draws
    the same columns), so a sweep over widths adds features to a fixed set.

    >>> features = random_relu_features([[1.0, 0.0], [0.0, 1.0]], num_features=3, seed=0)
    >>> features.shape, bool((features >= 0).all())
    ((2, 3), True)
    """
    x = _matrix(inputs, "inputs")
    num_features = _positive_int(num_features, "num_features")
    weights, biases = _draw(x.shape[1], num_features, seed, weight_scale, bias_scale)
    return np.maximum(0.0, x @ weights + biases)


def _draw(input_dim, num_features, seed, weight_scale, bias_scale):
    rng = np.random.default_rng(seed)
    # Blocks of 64 columns (weights and biases together): the first k features are the same
    # whatever the total width, and drawing is fast.
    blocks = [rng.normal(size=(input_dim + 1, 64)) for _ in range(-(-num_features // 64))]
    drawn = np.concatenate(blocks, axis=1)[:, :num_features]
    return drawn[:-1] * weight_scale / np.sqrt(input_dim), drawn[-1] * bias_scale


def min_norm_fit(features: ArrayLike, targets: ArrayLike) -> np.ndarray:
    """The minimum-norm least-squares solution ``beta = Phi^+ Y``.

    Uses ``np.linalg.lstsq`` (an SVD), which returns the least-squares solution of smallest
    norm when there are more features than examples.

    >>> beta = min_norm_fit([[1.0, 1.0]], [2.0])     # x1 + x2 = 2: smallest norm is (1, 1)
    >>> beta.round(6).tolist()
    [1.0, 1.0]
    """
    phi = _matrix(features, "features")
    y = np.asarray(targets, dtype=np.float64)
    if y.shape[0] != phi.shape[0]:
        raise ValueError(f"features has {phi.shape[0]} rows but targets has {y.shape[0]}")
    return np.linalg.lstsq(phi, y, rcond=None)[0]


def double_descent_curve(
    x_train: ArrayLike,
    y_train: ArrayLike,
    x_test: ArrayLike,
    y_test: ArrayLike,
    widths: Sequence[int],
    seeds: Sequence[int] = (0, 1, 2),
    num_classes: int | None = None,
) -> DoubleDescentCurve:
    """Train and test error of random-ReLU-feature regression for every width and seed.

    ``y_*`` are class ids; they are regressed as one-hot vectors (``num_classes`` columns, by
    default ``max(y) + 1``), the error is the mean over examples of the squared distance to
    the one-hot target, and the misclassification rate uses the arg-max of the prediction.

    >>> rng = np.random.default_rng(0)
    >>> x, y = rng.normal(size=(30, 4)), rng.integers(0, 2, 30)
    >>> curve = double_descent_curve(x[:20], y[:20], x[20:], y[20:], widths=[5, 20, 80])
    >>> curve.test_error.shape, bool(curve.train_error[:, 1:].max() < 1e-8)
    ((3, 3), True)
    """
    x_train, x_test = _matrix(x_train, "x_train"), _matrix(x_test, "x_test")
    y_train, y_test = np.asarray(y_train).astype(np.int64), np.asarray(y_test).astype(np.int64)
    if len(y_train) != len(x_train) or len(y_test) != len(x_test):
        raise ValueError("need one label per example in both the training and the test set")
    if x_train.shape[1] != x_test.shape[1]:
        raise ValueError("x_train and x_test must have the same number of input features")
    widths = np.asarray([_positive_int(w, "every width") for w in widths])
    if widths.size == 0:
        raise ValueError("give at least one width")
    k = num_classes or int(max(y_train.max(), y_test.max())) + 1
    targets_train, targets_test = np.eye(k)[y_train], np.eye(k)[y_test]
    shape = (len(seeds), len(widths))
    train_error, test_error, wrong = np.zeros(shape), np.zeros(shape), np.zeros(shape)
    for s, seed in enumerate(seeds):
        weights, biases = _draw(x_train.shape[1], int(widths.max()), seed, 2.0, 0.5)
        all_train = np.maximum(0.0, x_train @ weights + biases)
        all_test = np.maximum(0.0, x_test @ weights + biases)
        for w, width in enumerate(widths):
            beta = min_norm_fit(all_train[:, :width], targets_train)
            fitted, predicted = all_train[:, :width] @ beta, all_test[:, :width] @ beta
            train_error[s, w] = np.mean(np.sum((fitted - targets_train) ** 2, axis=1))
            test_error[s, w] = np.mean(np.sum((predicted - targets_test) ** 2, axis=1))
            wrong[s, w] = np.mean(predicted.argmax(axis=1) != y_test)
    return DoubleDescentCurve(widths, train_error, test_error, wrong)
