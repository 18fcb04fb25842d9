"""helpers.init against Keras' initialisers and fans, and the deep-stack measurement."""

import math

import keras
import numpy as np
import pytest
from keras.src.initializers.random_initializers import compute_fans

from helpers import init


@pytest.mark.parametrize("shape", [(784, 256), (10,), (3, 3, 64, 128), (5, 5, 1, 32),
                                   (3, 16, 8), (2, 3, 3, 4, 7)])
def test_fans_match_keras(shape):
    assert init.fans(shape) == tuple(int(v) for v in compute_fans(shape))


@pytest.mark.parametrize("bad,error", [((), ValueError), ((3, 0), ValueError),
                                       ((3.0, 4), TypeError), (5, TypeError),
                                       ((True, 3), TypeError)])
def test_fans_reject_bad_shapes(bad, error):
    with pytest.raises(error):
        init.fans(bad)


def sample(initializer, shape):
    return np.asarray(initializer(shape=shape, dtype="float32"), dtype="float64")


@pytest.mark.parametrize("shape", [(400, 300), (3, 3, 32, 64)])
def test_uniform_limits_match_keras(shape):
    fan_in, fan_out = init.fans(shape)
    cases = [(keras.initializers.GlorotUniform(seed=1),
              init.glorot_uniform_limit(fan_in, fan_out)),
             (keras.initializers.HeUniform(seed=2), init.he_uniform_limit(fan_in)),
             (keras.initializers.LecunUniform(seed=3), init.lecun_uniform_limit(fan_in))]
    for initializer, limit in cases:
        values = sample(initializer, shape)
        assert np.abs(values).max() <= limit + 1e-6
        assert np.abs(values).max() > 0.99 * limit          # the samples fill the interval
        assert values.std() == pytest.approx(limit / math.sqrt(3), rel=0.02)


@pytest.mark.parametrize("shape", [(400, 300), (3, 3, 32, 64)])
def test_normal_stds_match_keras_truncated_normals(shape):
    fan_in, fan_out = init.fans(shape)
    cases = [(keras.initializers.GlorotNormal(seed=1), init.glorot_normal_std(fan_in, fan_out)),
             (keras.initializers.HeNormal(seed=2), init.he_normal_std(fan_in)),
             (keras.initializers.LecunNormal(seed=3), init.lecun_normal_std(fan_in))]
    for initializer, std in cases:
        values = sample(initializer, shape)
        assert values.std() == pytest.approx(std, rel=0.02)     # std after truncation
        # truncated at two std of the *underlying* normal, whose std is std / 0.8796
        cut = 2 * init.keras_truncated_scale(std)
        assert np.abs(values).max() <= cut + 1e-6
        assert np.abs(values).max() > 0.98 * cut


def test_truncation_factor_is_the_std_of_a_truncated_standard_normal():
    from scipy import stats

    assert stats.truncnorm(-2, 2).std() == pytest.approx(init.TRUNCATED_STD_FACTOR, rel=1e-9)


def test_formulas_by_hand():
    assert init.glorot_uniform_limit(784, 256) == pytest.approx(math.sqrt(6 / 1040))
    assert init.glorot_normal_std(100, 100) == pytest.approx(0.1)
    assert init.he_normal_std(50) == pytest.approx(0.2)
    assert init.lecun_normal_std(100) == pytest.approx(0.1)
    # LeCun is Glorot when fan_in = fan_out
    assert init.lecun_normal_std(64) == pytest.approx(init.glorot_normal_std(64, 64))


@pytest.mark.parametrize("call", [lambda: init.glorot_uniform_limit(0, 5),
                                  lambda: init.he_normal_std(-3),
                                  lambda: init.keras_truncated_scale(0),
                                  lambda: init.init_std("xavier", 3, 3),
                                  lambda: init.deep_stack_statistics("he", "gelu"),
                                  lambda: init.deep_stack_statistics("he", "relu", depth=0),
                                  lambda: init.deep_stack_statistics("he", "relu", depth=500)])
def test_bad_values_raise_value_error(call):
    with pytest.raises(ValueError):
        call()


@pytest.mark.parametrize("call", [lambda: init.glorot_normal_std(3.5, 4),
                                  lambda: init.he_normal_std("64"),
                                  lambda: init.keras_truncated_scale("1")])
def test_bad_types_raise_type_error(call):
    with pytest.raises(TypeError):
        call()


def test_deep_stack_gradients_match_tensorflow():
    import tensorflow as tf

    stats = init.deep_stack_statistics("glorot", "tanh", depth=6, width=16, batch=8, seed=3)
    rng = np.random.default_rng(3)                   # replay the helper's draws
    std = init.init_std("glorot", 16, 16)
    weights = [tf.Variable(rng.standard_normal((16, 16)) * std) for _ in range(6)]
    x = tf.constant(rng.standard_normal((8, 16)))
    direction = tf.constant(rng.standard_normal(16))
    with tf.GradientTape() as tape:
        h = x
        for W in weights:
            h = tf.tanh(h @ W)
        loss = tf.reduce_mean(tf.reduce_sum(h * direction, axis=1))
    grads = tape.gradient(loss, weights)
    np.testing.assert_allclose(stats.gradient_norm, [np.linalg.norm(g) for g in grads],
                               rtol=1e-6)
    np.testing.assert_allclose(stats.activations[-1], h.numpy(), rtol=1e-5, atol=1e-6)


def test_deep_stack_shows_the_textbook_behaviour():
    def last_std(scheme, activation):
        return init.deep_stack_statistics(scheme, activation, depth=30).activation_std[-1]

    assert last_std("small", "tanh") < 1e-6                 # vanishes
    glorot_tanh = init.deep_stack_statistics("glorot", "tanh", depth=30)
    assert 0.05 < glorot_tanh.activation_std[-1] < 1.0      # shrinks slowly, stays alive
    norms = glorot_tanh.gradient_norm
    assert norms.max() / norms.min() < 2                     # gradients reach every layer
    sigmoid = init.deep_stack_statistics("glorot", "sigmoid", depth=30).gradient_norm
    assert sigmoid[0] / sigmoid[-1] < 1e-10                  # sigmoid: they vanish
    assert 0.4 < last_std("he", "relu") < 2.5               # He keeps ReLU alive
    assert last_std("glorot", "relu") < 0.05                # halves the variance each layer
    assert np.isfinite(last_std("large", "relu")) and last_std("large", "relu") > 1e10
    zeros = init.deep_stack_statistics("zeros", "tanh", depth=5)
    assert np.all(zeros.activations == 0) and np.all(zeros.gradient_norm == 0)
