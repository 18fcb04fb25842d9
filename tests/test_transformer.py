"""helpers.transformer: parameter counts and shapes against Keras, BERT's 80/10/10 rule."""

import numpy as np
import pytest

from helpers.transformer import (
    attention_shapes,
    block_param_count,
    mha_param_count,
    mlm_corrupt,
    positional_dot,
    positional_value,
)


@pytest.mark.parametrize("d_model, num_heads, key_dim, value_dim",
                         [(64, 4, None, None), (512, 8, None, None), (30, 3, 7, None),
                          (48, 2, 8, 12)])
def test_mha_param_count_matches_keras(d_model, num_heads, key_dim, value_dim):
    import keras

    layer = keras.layers.MultiHeadAttention(num_heads=num_heads,
                                            key_dim=key_dim or d_model // num_heads,
                                            value_dim=value_dim)
    x = np.zeros((1, 3, d_model), "float32")
    layer(x, x)
    assert mha_param_count(d_model, num_heads, key_dim, value_dim) == layer.count_params()


def test_block_param_count_matches_keras():
    import keras
    from keras import layers

    d_model, num_heads, d_ff = 32, 4, 64
    inputs = keras.Input((10, d_model))
    attended = layers.MultiHeadAttention(num_heads, d_model // num_heads)(inputs, inputs)
    x = layers.LayerNormalization()(inputs + attended)
    hidden = layers.Dense(d_ff, activation="relu")(x)
    x = layers.LayerNormalization()(x + layers.Dense(d_model)(hidden))
    model = keras.Model(inputs, x)
    assert block_param_count(d_model, num_heads, d_ff) == model.count_params()
    assert mha_param_count(512, 8) == 4 * 512 ** 2 + 4 * 512


def test_attention_shapes_match_keras():
    import keras

    layer = keras.layers.MultiHeadAttention(num_heads=4, key_dim=8)
    x = np.zeros((2, 5, 16), "float32")
    output, scores = layer(x, x, return_attention_scores=True)
    shapes = attention_shapes(2, 5, 16, 4, key_dim=8)
    assert shapes["scores"] == tuple(scores.shape)
    assert shapes["output"] == tuple(output.shape)
    assert shapes["W_Q"] == tuple(layer.weights[0].shape)
    assert shapes["concat"] == (2, 5, 32)


def test_mlm_corrupt_rates():
    ids = np.arange(200_000) % 1000 + 1
    inputs, labels, selected = mlm_corrupt(ids, vocab_size=1001, mask_id=0, seed=0)
    assert abs(selected.mean() - 0.15) < 0.005
    chosen = inputs[selected]
    original = ids[selected]
    masked = np.mean(chosen == 0)
    kept = np.mean(chosen == original)
    assert abs(masked - 0.8) < 0.01 and abs(kept - 0.1) < 0.01    # kept: +1/1001 chance
    assert np.array_equal(inputs[~selected], ids[~selected])
    assert np.all(labels[~selected] == -100) and np.array_equal(labels[selected], original)
    again = mlm_corrupt(ids, vocab_size=1001, mask_id=0, seed=0)
    assert np.array_equal(again[0], inputs)


def test_positional_entries():
    from helpers.attention import sinusoidal_positions

    table = sinusoidal_positions(20, 32)
    assert positional_value(1, 1, 32) == pytest.approx(np.cos(1.0))
    assert positional_value(7, 10, 32) == pytest.approx(table[7, 10])
    assert positional_dot(3, 3, 64) == pytest.approx(32.0)
    assert positional_dot(2, 9, 32) == pytest.approx(positional_dot(5, 12, 32))
    assert positional_dot(4, 11, 32) == pytest.approx(table[4] @ table[11])
    with pytest.raises(ValueError, match="column"):
        positional_value(0, 32, 32)
    with pytest.raises(ValueError, match="position"):
        positional_value(-1, 0, 8)
    with pytest.raises(ValueError, match="q must"):
        positional_dot(0, -2, 8)


def test_bad_input():
    with pytest.raises(ValueError, match="divisible"):
        mha_param_count(10, 3)
    with pytest.raises(ValueError, match="num_heads"):
        mha_param_count(64, 0)
    with pytest.raises(ValueError, match="d_ff"):
        block_param_count(64, 4, -1)
    with pytest.raises(ValueError, match="length"):
        attention_shapes(1, 0, 8, 2)
    with pytest.raises(ValueError, match="rate"):
        mlm_corrupt([1, 2], 5, 0, rate=1.5)
    with pytest.raises(ValueError, match="mask_id"):
        mlm_corrupt([1, 2], 5, 5)
    with pytest.raises(ValueError, match="token ids"):
        mlm_corrupt([1, 7], 5, 0)
    with pytest.raises(ValueError, match="integer ids"):
        mlm_corrupt([], 5, 0)
