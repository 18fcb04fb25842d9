"""helpers.attention against Keras' attention layers, explicit loops and bad input."""

import math

import numpy as np
import pytest

from helpers import attention

keras = pytest.importorskip("keras")


def _rng(seed=0):
    return np.random.default_rng(seed)


def test_sdpa_matches_keras_attention_and_a_loop():
    rng = _rng(0)
    q, k = rng.normal(size=(2, 3, 4)), rng.normal(size=(2, 5, 4))
    v = rng.normal(size=(2, 5, 6))
    context, weights = attention.scaled_dot_product_attention(q, k, v, scale=1.0)
    layer = keras.layers.Attention()  # dot-product scores, no scaling
    ref_context, ref_weights = layer([q.astype("float32"), v.astype("float32"),
                                      k.astype("float32")], return_attention_scores=True)
    np.testing.assert_allclose(context, np.asarray(ref_context), atol=1e-5)
    np.testing.assert_allclose(weights, np.asarray(ref_weights), atol=1e-6)
    # the default scale is 1/sqrt(d_k), written out with loops
    context, weights = attention.scaled_dot_product_attention(q, k, v)
    for b in range(2):
        for i in range(3):
            scores = [q[b, i] @ k[b, j] / math.sqrt(4) for j in range(5)]
            alpha = np.exp(scores) / np.exp(scores).sum()
            np.testing.assert_allclose(weights[b, i], alpha, atol=1e-12)
            np.testing.assert_allclose(context[b, i], alpha @ v[b], atol=1e-12)


def test_causal_mask_matches_keras_and_gives_exact_zeros():
    rng = _rng(1)
    x = rng.normal(size=(1, 6, 4))
    mask = attention.causal_mask(6)
    np.testing.assert_array_equal(mask, np.tril(np.ones((6, 6))) == 1)
    context, weights = attention.scaled_dot_product_attention(x, x, x, mask=mask, scale=1.0)
    assert np.all(weights[0][~mask] == 0.0)
    np.testing.assert_allclose(weights.sum(-1), 1.0)
    ref_context, ref_weights = keras.layers.Attention()(
        [x.astype("float32"), x.astype("float32")], use_causal_mask=True,
        return_attention_scores=True)
    np.testing.assert_allclose(weights, np.asarray(ref_weights), atol=1e-6)
    np.testing.assert_allclose(context, np.asarray(ref_context), atol=1e-5)


@pytest.mark.parametrize("use_bias", [True, False])
@pytest.mark.parametrize("masked", [False, True])
def test_multi_head_attention_matches_keras_with_copied_weights(use_bias, masked):
    rng = _rng(2)
    query = rng.normal(size=(2, 5, 8)).astype("float32")
    value = rng.normal(size=(2, 7, 6)).astype("float32")
    layer = keras.layers.MultiHeadAttention(num_heads=3, key_dim=4, value_dim=5,
                                            use_bias=use_bias)
    mask = None
    if masked:
        mask = rng.random((2, 5, 7)) < 0.6
        mask[..., 0] = True  # every query sees at least one key
    out, scores = layer(query, value, attention_mask=mask, return_attention_scores=True)
    # random (not Keras' initial) weights, copied into the layer
    weights = [rng.normal(scale=0.5, size=w.shape).astype("float32") for w in layer.get_weights()]
    layer.set_weights(weights)
    out, scores = layer(query, value, attention_mask=mask, return_attention_scores=True)
    mine, my_scores = attention.multi_head_attention(query, value, weights, mask=mask)
    assert mine.shape == (2, 5, 8) and my_scores.shape == (2, 3, 5, 7)
    np.testing.assert_allclose(my_scores, np.asarray(scores), atol=1e-5)
    np.testing.assert_allclose(mine, np.asarray(out), atol=1e-4)
    if masked:
        assert np.all(my_scores[np.broadcast_to(~mask[:, None], my_scores.shape)] == 0)


def test_multi_head_attention_with_separate_key():
    rng = _rng(3)
    q = rng.normal(size=(1, 4, 6)).astype("float32")
    v = rng.normal(size=(1, 3, 6)).astype("float32")
    k = rng.normal(size=(1, 3, 6)).astype("float32")
    layer = keras.layers.MultiHeadAttention(num_heads=2, key_dim=3)
    ref = layer(q, v, key=k)
    mine, _ = attention.multi_head_attention(q, v, layer.get_weights(), key=k)
    np.testing.assert_allclose(mine, np.asarray(ref), atol=1e-5)


def test_additive_scores_match_a_loop_and_keras_additive_attention():
    rng = _rng(4)
    s, a = rng.normal(size=(2, 3)), rng.normal(size=(2, 5, 4))
    wq, wk, v = rng.normal(size=(3, 6)), rng.normal(size=(4, 6)), rng.normal(size=6)
    scores = attention.additive_scores(s, a, wq, wk, v)
    assert scores.shape == (2, 5)
    for b in range(2):
        for j in range(5):
            assert scores[b, j] == pytest.approx(v @ np.tanh(s[b] @ wq + a[b, j] @ wk))
    # Keras' AdditiveAttention has no projections: W_q = W_k = I and v = its scale vector
    layer = keras.layers.AdditiveAttention()
    q = rng.normal(size=(1, 1, 4)).astype("float32")
    keys = a[:1].astype("float32")
    _, ref_weights = layer([q, keys], return_attention_scores=True)
    scale = layer.get_weights()[0]
    mine = attention.additive_scores(q[0, 0], keys[0], np.eye(4), np.eye(4), scale)
    np.testing.assert_allclose(attention.softmax(mine), np.asarray(ref_weights)[0, 0], atol=1e-6)


def test_temperature_limits_and_sampling_frequencies():
    logits = np.array([2.0, 1.0, 0.5, -1.0])
    model = np.exp(logits) / np.exp(logits).sum()
    np.testing.assert_allclose(attention.temperature_probabilities(logits, 1.0), model)
    cold = attention.temperature_probabilities(logits, 1e-3)
    assert cold.argmax() == logits.argmax() and cold.max() > 1 - 1e-12
    hot = attention.temperature_probabilities(logits, 1e6)
    np.testing.assert_allclose(hot, 0.25, atol=1e-5)
    rng = np.random.default_rng(0)
    draws = attention.sample_with_temperature(np.tile(logits, (40_000, 1)), 1.0, rng)
    freq = np.bincount(draws, minlength=4) / draws.size
    np.testing.assert_allclose(freq, model, atol=0.01)
    assert attention.sample_with_temperature(logits, 0.7, 5) == \
        attention.sample_with_temperature(logits, 0.7, 5)
    assert isinstance(attention.sample_with_temperature(logits, 0.7, 5), int)


def test_sinusoidal_positions_formula():
    pe = attention.sinusoidal_positions(50, 16)
    assert pe.shape == (50, 16)
    for pos in (0, 1, 7, 49):
        for i in range(8):
            angle = pos / 10000 ** (2 * i / 16)
            assert pe[pos, 2 * i] == pytest.approx(math.sin(angle))
            assert pe[pos, 2 * i + 1] == pytest.approx(math.cos(angle))
    assert attention.sinusoidal_positions(3, 5).shape == (3, 5)
    np.testing.assert_allclose(attention.sinusoidal_positions(3, 5)[:, 4],
                               np.sin(np.arange(3) / 10000 ** (4 / 5)))


@pytest.mark.parametrize("call, message", [
    (lambda: attention.scaled_dot_product_attention(np.ones((2, 3)), np.ones((4, 5)),
                                                    np.ones((4, 2))), "same last dimension"),
    (lambda: attention.scaled_dot_product_attention(np.ones((2, 3)), np.ones((4, 3)),
                                                    np.ones((5, 2))), "number of positions"),
    (lambda: attention.scaled_dot_product_attention(np.ones((2, 3)), np.ones((4, 3)),
                                                    np.ones((4, 2)),
                                                    mask=np.zeros((2, 4), bool)), "every key"),
    (lambda: attention.scaled_dot_product_attention(np.ones((2, 3)), np.ones((4, 3)),
                                                    np.ones((4, 2)),
                                                    mask=np.ones((3, 4), bool)), "broadcast"),
    (lambda: attention.scaled_dot_product_attention(np.ones((2, 3)), np.ones((4, 3)),
                                                    np.ones((4, 2)), scale=0), "scale"),
    (lambda: attention.scaled_dot_product_attention(np.ones(3), np.ones((4, 3)),
                                                    np.ones((4, 2))), "dimension"),
    (lambda: attention.temperature_probabilities([1.0, 2.0], 0), "positive"),
    (lambda: attention.temperature_probabilities([1.0, 2.0], -1.5), "positive"),
    (lambda: attention.sample_with_temperature([1.0, np.nan], 1.0), "NaN"),
    (lambda: attention.causal_mask(0), "positive integer"),
    (lambda: attention.sinusoidal_positions(4, 0), "positive integer"),
    (lambda: attention.sinusoidal_positions(4, 8, base=1), "greater than 1"),
    (lambda: attention.additive_scores(np.ones(3), np.ones((5, 4)), np.ones((2, 6)),
                                       np.ones((4, 6)), np.ones(6)), "w_query"),
    (lambda: attention.additive_scores(np.ones(3), np.ones((5, 4)), np.ones((3, 6)),
                                       np.ones((4, 6)), np.ones(5)), "units"),
    (lambda: attention.multi_head_attention(np.ones((1, 2, 4)), np.ones((1, 3, 4)),
                                            [np.ones((4, 2, 3))] * 3), "expected 8"),
    (lambda: attention.multi_head_attention(np.ones((1, 2, 5)), np.ones((1, 3, 4)),
                                            [np.ones((4, 2, 3)), np.ones((4, 2, 3)),
                                             np.ones((4, 2, 3)), np.ones((2, 3, 4))]),
     "query has 5 features"),
])
def test_bad_input_gives_plain_value_errors(call, message):
    with pytest.raises(ValueError, match=message):
        call()


@pytest.mark.parametrize("call", [
    lambda: attention.scaled_dot_product_attention("abc", np.ones((4, 3)), np.ones((4, 2))),
    lambda: attention.temperature_probabilities([1.0, 2.0], "hot"),
    lambda: attention.sample_with_temperature([1.0, 2.0], 1.0, rng="seed"),
    lambda: attention.multi_head_attention(np.ones((1, 2, 4)), np.ones((1, 3, 4)), "w"),
])
def test_wrong_types_give_type_errors(call):
    with pytest.raises(TypeError):
        call()
