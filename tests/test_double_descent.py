"""Tests of helpers.double_descent: features, the minimum-norm fit, and the peak at p = n."""

from __future__ import annotations

import numpy as np
import pytest

from helpers.double_descent import double_descent_curve, min_norm_fit, random_relu_features


def test_features_are_relu_of_a_fixed_random_projection():
    x = np.random.default_rng(0).normal(size=(6, 3))
    small, large = random_relu_features(x, 10, seed=4), random_relu_features(x, 100, seed=4)
    assert small.shape == (6, 10) and (small >= 0).all()
    np.testing.assert_array_equal(small, large[:, :10])      # widths share their prefix
    assert not np.array_equal(small, random_relu_features(x, 10, seed=5))


def test_min_norm_fit_matches_the_pseudo_inverse():
    rng = np.random.default_rng(1)
    for rows, cols in [(20, 5), (5, 20)]:
        phi, y = rng.normal(size=(rows, cols)), rng.normal(size=(rows, 2))
        np.testing.assert_allclose(min_norm_fit(phi, y), np.linalg.pinv(phi) @ y, atol=1e-8)
    wide = rng.normal(size=(4, 9))
    beta = min_norm_fit(wide, np.ones(4))
    np.testing.assert_allclose(wide @ beta, np.ones(4), atol=1e-10)    # interpolates


def test_curve_peaks_at_the_interpolation_threshold():
    from sklearn.datasets import load_digits

    digits = load_digits()
    x = digits.data / 16.0 - (digits.data / 16.0).mean(axis=0)
    order = np.random.default_rng(0).permutation(len(x))
    train, test = order[:100], order[100:400]
    widths = [10, 30, 60, 90, 100, 110, 200, 800, 2000]
    curve = double_descent_curve(x[train], digits.target[train], x[test], digits.target[test],
                                 widths, seeds=(0, 1, 2))
    mean = curve.test_error.mean(axis=0)
    assert curve.widths[int(np.argmax(mean))] == 100                       # p = n
    assert mean[-1] < mean[widths.index(30)]                              # second descent
    assert curve.train_error[:, widths.index(200):].max() < 1e-8           # interpolation


@pytest.mark.parametrize("call,message", [
    (lambda: random_relu_features([1.0, 2.0], 3), "2-D"),
    (lambda: random_relu_features([[1.0]], 0), "positive integer"),
    (lambda: min_norm_fit([[1.0, 2.0]], [1.0, 2.0]), "rows"),
    (lambda: random_relu_features([[np.nan]], 2), "NaN"),
    (lambda: double_descent_curve([[1.0]], [0], [[1.0]], [0], []), "at least one width"),
    (lambda: double_descent_curve([[1.0]], [0, 1], [[1.0]], [0], [2]), "one label"),
])
def test_bad_inputs_are_explained(call, message):
    with pytest.raises(ValueError, match=message):
        call()
