"""helpers.information against SciPy and Keras, plus the identities the lecture states."""

import keras
import numpy as np
import pytest
from scipy import special, stats

from helpers import information as info


def test_softmax_and_sigmoid_match_references():
    rng = np.random.default_rng(0)
    logits = rng.normal(0, 3, (5, 7))
    assert np.allclose(info.softmax(logits), special.softmax(logits, axis=-1))
    assert np.allclose(info.softmax(logits), keras.ops.softmax(logits).numpy())
    assert np.allclose(info.log_softmax(logits), special.log_softmax(logits, axis=-1))
    z = np.linspace(-50, 50, 101)
    assert np.allclose(info.sigmoid(z), special.expit(z))
    assert info.sigmoid(0.0) == 0.5


def test_softmax_is_stable_on_large_logits():
    with np.errstate(over="ignore", invalid="ignore"):
        naive = np.exp([1000.0, 999.0]) / np.exp([1000.0, 999.0]).sum()
    assert np.isnan(naive).all()
    assert np.allclose(info.softmax([1000.0, 999.0]), special.softmax([1.0, 0.0]))
    assert np.all(np.isfinite(info.sigmoid([-1000.0, 1000.0])))


def test_entropy_cross_entropy_kl_match_scipy():
    rng = np.random.default_rng(1)
    p, q = rng.dirichlet(np.ones(6), 4), rng.dirichlet(np.ones(6), 4)
    assert np.allclose(info.entropy(p), stats.entropy(p, axis=-1))
    assert np.allclose(info.entropy(p, base=2), stats.entropy(p, base=2, axis=-1))
    assert np.allclose(info.kl_divergence(p, q), stats.entropy(p, q, axis=-1))
    assert np.allclose(info.cross_entropy(p, q), info.entropy(p) + info.kl_divergence(p, q))
    keras_ce = keras.losses.categorical_crossentropy(p, q).numpy()
    assert np.allclose(info.cross_entropy(p, q), keras_ce, atol=1e-5)


def test_one_hot_cross_entropy_is_minus_log_of_true_class():
    assert info.cross_entropy([0, 1, 0], [0.2, 0.7, 0.1]) == pytest.approx(-np.log(0.7))
    assert info.entropy([0, 1, 0]) == 0.0
    assert info.cross_entropy([0, 1, 0], [0, 1, 0]) == 0.0


def test_zero_probability_on_a_possible_class_is_infinite():
    assert info.cross_entropy([0.5, 0.5], [1.0, 0.0]) == np.inf
    assert info.kl_divergence([0.5, 0.5], [1.0, 0.0]) == np.inf
    assert info.kl_divergence([1.0, 0.0], [0.5, 0.5]) == pytest.approx(np.log(2))


def test_kl_is_asymmetric_and_zero_only_for_equal_distributions():
    p, q = [0.9, 0.1], [0.5, 0.5]
    assert info.kl_divergence(p, q) != pytest.approx(info.kl_divergence(q, p))
    assert info.kl_divergence(p, p) == pytest.approx(0.0)


def test_bits_are_nats_divided_by_log2():
    p, q = [0.1, 0.2, 0.7], [0.3, 0.3, 0.4]
    assert info.cross_entropy(p, q, base=2) == pytest.approx(info.cross_entropy(p, q) / np.log(2))


@pytest.mark.parametrize("call, message", [
    (lambda: info.entropy([0.5, -0.1, 0.6]), "negative"),
    (lambda: info.entropy([0.5, 0.6]), "sum to 1"),
    (lambda: info.cross_entropy([0.5, 0.5], [0.2, 0.3, 0.5]), "same shape"),
    (lambda: info.kl_divergence([[0.5, 0.5]], [0.5, 0.5]), "same shape"),
    (lambda: info.entropy(0.5), "scalar"),
    (lambda: info.entropy([0.5, 0.5], base=1), "base"),
    (lambda: info.softmax(3.0), "scalar"),
    (lambda: info.softmax([1.0, np.nan]), "NaN"),
    (lambda: info.entropy([]), "empty"),
])
def test_bad_input_is_a_clear_value_error(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_non_numbers_are_a_type_error():
    with pytest.raises(TypeError):
        info.softmax(["a", "b"])
