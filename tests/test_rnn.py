"""Tests of helpers.rnn: NumPy forward passes against Keras layers with the same weights."""

from __future__ import annotations

import numpy as np
import pytest

from helpers import rnn

BATCH, STEPS, FEATURES, UNITS = 3, 7, 4, 5
TOLERANCE = 1e-5
# Measured maxima are printed with `pytest -s`; they are ~1e-7 (float32 round-off).


@pytest.fixture(scope="module")
def keras():
    import keras

    return keras


def _random_weights(layer, seed: int) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    weights = [rng.normal(0.0, 0.6, size=w.shape).astype(np.float32) for w in
               layer.get_weights()]
    layer.set_weights(weights)
    return weights


def _inputs(seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).normal(size=(BATCH, STEPS, FEATURES)).astype(np.float32)


def _build(layer):
    layer.build((None, STEPS, FEATURES))
    return layer


def _report(name: str, difference: float) -> None:
    print(f"\n{name}: max |numpy - keras| = {difference:.2e}")


def test_simple_rnn_matches_keras(keras):
    x = _inputs(0)
    h0 = np.random.default_rng(9).normal(size=(BATCH, UNITS)).astype(np.float32)
    layer = _build(keras.layers.SimpleRNN(UNITS, return_sequences=True))
    kernel, recurrent_kernel, bias = _random_weights(layer, 1)
    expected = np.asarray(layer(x))
    ours = rnn.simple_rnn_forward(x.astype(np.float64), kernel, recurrent_kernel, bias)
    difference = float(np.max(np.abs(ours - expected)))
    with_state = np.asarray(layer(x, initial_state=[h0]))
    ours_state = rnn.simple_rnn_forward(x, *layer.get_weights(), h0=h0)
    difference = max(difference, float(np.max(np.abs(ours_state - with_state))))
    _report("SimpleRNN", difference)
    assert ours.shape == (BATCH, STEPS, UNITS)
    assert difference < TOLERANCE


def test_simple_rnn_single_sequence_and_relu(keras):
    x = _inputs(1)
    layer = _build(keras.layers.SimpleRNN(UNITS, activation="relu", return_sequences=True))
    weights = _random_weights(layer, 2)
    expected = np.asarray(layer(x))
    ours = rnn.simple_rnn_forward(x[0], *weights, activation="relu")
    assert ours.shape == (STEPS, UNITS)
    np.testing.assert_allclose(ours, expected[0], atol=TOLERANCE)


def test_lstm_matches_keras_hidden_and_cell_states(keras):
    x = _inputs(2)
    rng = np.random.default_rng(3)
    h0, c0 = (rng.normal(size=(BATCH, UNITS)).astype(np.float32) for _ in range(2))
    layer = _build(keras.layers.LSTM(UNITS, return_sequences=True, return_state=True))
    weights = _random_weights(layer, 4)
    hs_keras, h_last, c_last = (np.asarray(t) for t in layer(x, initial_state=[h0, c0]))
    trace = rnn.lstm_forward(x.astype(np.float64), *weights, h0=h0, c0=c0)
    difference = max(float(np.max(np.abs(trace.hs - hs_keras))),
                     float(np.max(np.abs(trace.cs[:, -1] - c_last))))
    _report("LSTM", difference)
    assert difference < TOLERANCE
    np.testing.assert_allclose(trace.hs[:, -1], h_last, atol=TOLERANCE)
    # The six equations hold between the recorded quantities.
    gates = trace.gates
    assert set(gates) == {"i", "f", "c_tilde", "o"}
    previous_c = np.concatenate([c0[:, None], trace.cs[:, :-1]], axis=1)
    np.testing.assert_allclose(trace.cs, gates["f"] * previous_c + gates["i"] * gates["c_tilde"])
    np.testing.assert_allclose(trace.hs, gates["o"] * np.tanh(trace.cs))
    for name in ("i", "f", "o"):
        assert np.all((gates[name] > 0) & (gates[name] < 1))


def test_lstm_default_keras_initialisation_starts_with_forget_gate_near_073(keras):
    x = np.zeros((1, 3, FEATURES), dtype=np.float32)
    layer = _build(keras.layers.LSTM(UNITS))
    trace = rnn.lstm_forward(x[0], *layer.get_weights())
    np.testing.assert_allclose(trace.gates["f"], 1 / (1 + np.exp(-1.0)))  # unit_forget_bias


@pytest.mark.parametrize("reset_after", [True, False])
def test_gru_matches_keras_in_both_conventions(keras, reset_after):
    x = _inputs(5)
    h0 = np.random.default_rng(6).normal(size=(BATCH, UNITS)).astype(np.float32)
    layer = _build(keras.layers.GRU(UNITS, return_sequences=True, reset_after=reset_after))
    weights = _random_weights(layer, 7)
    expected_bias_shape = (2, 3 * UNITS) if reset_after else (3 * UNITS,)
    assert weights[2].shape == expected_bias_shape
    expected = np.asarray(layer(x, initial_state=[h0]))
    trace = rnn.gru_forward(x.astype(np.float64), *weights, h0=h0, reset_after=reset_after)
    difference = float(np.max(np.abs(trace.hs - expected)))
    _report(f"GRU reset_after={reset_after}", difference)
    assert difference < TOLERANCE
    z, h_tilde = trace.gates["z"], trace.gates["h_tilde"]
    previous = np.concatenate([h0[:, None], trace.hs[:, :-1]], axis=1)
    np.testing.assert_allclose(trace.hs, z * previous + (1 - z) * h_tilde)


def test_gru_conventions_differ_for_the_same_weights():
    rng = np.random.default_rng(8)
    kernel = rng.normal(size=(FEATURES, 3 * UNITS))
    recurrent = rng.normal(size=(UNITS, 3 * UNITS))
    bias = rng.normal(size=3 * UNITS)
    x, h0 = rng.normal(size=(STEPS, FEATURES)), rng.normal(size=UNITS)
    before = rnn.gru_forward(x, kernel, recurrent, bias, h0=h0, reset_after=False).hs
    after = rnn.gru_forward(x, kernel, recurrent, np.stack([bias, np.zeros_like(bias)]), h0=h0,
                            reset_after=True).hs
    assert np.max(np.abs(before - after)) > 1e-3
    # With the reset gate fully open (r = 1) the two conventions coincide.
    open_bias = bias.copy()
    open_bias[UNITS:2 * UNITS] = 50.0
    before = rnn.gru_forward(x, kernel, recurrent, open_bias, h0=h0, reset_after=False).hs
    after = rnn.gru_forward(x, kernel, recurrent, np.stack([open_bias, np.zeros_like(bias)]),
                            h0=h0, reset_after=True).hs
    np.testing.assert_allclose(before, after, atol=1e-9)


@pytest.mark.parametrize(
    ("kind", "kwargs"),
    [("simple_rnn", {}), ("lstm", {}), ("gru", {"reset_after": True}),
     ("gru", {"reset_after": False})],
)
def test_param_counts_match_keras(keras, kind, kwargs):
    layer_class = {"simple_rnn": keras.layers.SimpleRNN, "lstm": keras.layers.LSTM,
                   "gru": keras.layers.GRU}[kind]
    layer = layer_class(UNITS, **kwargs)
    layer.build((None, None, FEATURES))
    assert rnn.recurrent_param_count(kind, FEATURES, UNITS, **kwargs) == layer.count_params()


def test_bad_shapes_give_clear_errors():
    x = np.zeros((STEPS, FEATURES))
    good_k, good_r = np.zeros((FEATURES, UNITS)), np.zeros((UNITS, UNITS))
    with pytest.raises(ValueError, match=r"x must have shape"):
        rnn.simple_rnn_forward(np.zeros(FEATURES), good_k, good_r)
    with pytest.raises(ValueError, match=r"kernel must have shape \(4, 5\)"):
        rnn.simple_rnn_forward(x, np.zeros((3, UNITS)), good_r)
    with pytest.raises(ValueError, match="recurrent_kernel"):
        rnn.simple_rnn_forward(x, good_k, np.zeros((UNITS, UNITS + 1)))
    with pytest.raises(ValueError, match="bias"):
        rnn.simple_rnn_forward(x, good_k, good_r, np.zeros(UNITS + 1))
    with pytest.raises(ValueError, match="h0"):
        rnn.simple_rnn_forward(x, good_k, good_r, h0=np.zeros(UNITS + 2))
    with pytest.raises(ValueError, match="activation"):
        rnn.simple_rnn_forward(x, good_k, good_r, activation="softmax")
    with pytest.raises(ValueError, match=r"\(units, 4 \* units\)"):
        rnn.lstm_forward(x, np.zeros((FEATURES, 4 * UNITS)), np.zeros((UNITS, 3 * UNITS)))
    with pytest.raises(ValueError, match="c0"):
        rnn.lstm_forward(x, np.zeros((FEATURES, 4 * UNITS)), np.zeros((UNITS, 4 * UNITS)),
                         c0=np.zeros(2))
    gru_k, gru_r = np.zeros((FEATURES, 3 * UNITS)), np.zeros((UNITS, 3 * UNITS))
    with pytest.raises(ValueError, match="reset_after=True"):
        rnn.gru_forward(x, gru_k, gru_r, np.zeros(3 * UNITS), reset_after=True)
    with pytest.raises(ValueError, match="reset_after=False"):
        rnn.gru_forward(x, gru_k, gru_r, np.zeros((2, 3 * UNITS)), reset_after=False)
    with pytest.raises(TypeError, match="reset_after"):
        rnn.gru_forward(x, gru_k, gru_r, reset_after="yes")
    with pytest.raises(ValueError, match="kind"):
        rnn.recurrent_param_count("transformer", 3, 4)


# ------------------------------------------------------------------------ vanishing / exploding


def test_linear_jacobian_norms_are_powers_of_the_scale():
    sweep = rnn.recurrent_scale_sweep([0.5, 1.0, 1.5], hidden_size=8, steps=20)
    powers = np.array([0.5, 1.0, 1.5])[:, None] ** np.arange(20)[None]
    np.testing.assert_allclose(sweep, powers, rtol=1e-9)
    assert sweep[0, -1] < 1e-5 and sweep[2, -1] > 1e3  # vanishing vs exploding


def test_tanh_jacobian_matches_tensorflow_autodiff():
    import tensorflow as tf

    rng = np.random.default_rng(0)
    size, steps = 6, 12
    W = 1.2 * rng.normal(size=(size, size)) / np.sqrt(size)
    h1 = rng.normal(size=size)
    inputs = rng.normal(size=(steps, size)) * 0.3
    ours = rnn.hidden_jacobian_norms(W, steps, activation="tanh", h1=h1, inputs=inputs)
    start = tf.constant(h1)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(start)
        h, states = start, [start]
        for t in range(1, steps):
            h = tf.tanh(tf.linalg.matvec(tf.constant(W), h) + inputs[t])
            states.append(h)
    reference = [np.linalg.norm(tape.jacobian(state, start).numpy(), 2) for state in states]
    np.testing.assert_allclose(ours, reference, rtol=1e-9)
    # tanh' <= 1 can only shrink the product: bounded by ||W||^(t-1).
    bound = np.linalg.norm(W, 2) ** np.arange(steps)
    assert np.all(ours <= bound * (1 + 1e-12))
    frobenius = rnn.hidden_jacobian_norms(W, steps, h1=h1, inputs=inputs, norm="frobenius")
    assert np.all(frobenius >= ours - 1e-12)


def test_jacobian_input_validation():
    with pytest.raises(ValueError, match="square"):
        rnn.hidden_jacobian_norms(np.zeros((2, 3)), 5)
    with pytest.raises(ValueError, match="steps"):
        rnn.hidden_jacobian_norms(np.eye(2), 0)
    with pytest.raises(ValueError, match="activation"):
        rnn.hidden_jacobian_norms(np.eye(2), 3, activation="relu")
    with pytest.raises(ValueError, match="h1"):
        rnn.hidden_jacobian_norms(np.eye(2), 3, h1=np.zeros(3))
    with pytest.raises(ValueError, match="scales"):
        rnn.recurrent_scale_sweep([])


# ------------------------------------------------------------------------ tasks


def test_echo_task_repeats_the_input_three_steps_later():
    x, y = rnn.echo_task(50, 20, delay=3, seed=0)
    assert x.shape == y.shape == (50, 20, 1) and x.dtype == np.float32
    np.testing.assert_array_equal(y[:, 3:], x[:, :-3])
    np.testing.assert_array_equal(y[:, :3], 0)
    assert set(np.unique(x)) == {0.0, 1.0}
    again = rnn.echo_task(50, 20, delay=3, seed=0)
    np.testing.assert_array_equal(x, again[0])
    assert not np.array_equal(x, rnn.echo_task(50, 20, delay=3, seed=1)[0])
    with pytest.raises(ValueError, match="delay"):
        rnn.echo_task(5, 3, delay=3)
    with pytest.raises(ValueError, match="n_sequences"):
        rnn.echo_task(0, 10)


def test_long_range_task_labels_follow_the_last_marker():
    x, y, gap = rnn.long_range_task(400, length=50, seed=0)
    assert x.shape == (400, 50, 2) and y.shape == gap.shape == (400,)
    assert set(np.unique(x[..., 0])) == {-1.0, 1.0}
    np.testing.assert_array_equal(x[:, 0, 1], 1.0)
    for values, markers, label, distance in zip(x[..., 0], x[..., 1], y, gap, strict=True):
        last = int(np.flatnonzero(markers)[-1])
        assert distance == 49 - last
        assert label == float(values[last] > 0)
    assert 0.4 < y.mean() < 0.6
    assert gap.max() > 30 and gap.min() < 3  # short and long dependencies both occur
    only_first = rnn.long_range_task(20, length=30, marker_prob=0.0, seed=1)
    np.testing.assert_array_equal(only_first[2], 29)
    np.testing.assert_array_equal(only_first[1], only_first[0][:, 0, 0] > 0)
    np.testing.assert_array_equal(rnn.long_range_task(10, seed=3)[0],
                                  rnn.long_range_task(10, seed=3)[0])
    with pytest.raises(ValueError, match="marker_prob"):
        rnn.long_range_task(10, marker_prob=1.5)
    with pytest.raises(ValueError, match="length"):
        rnn.long_range_task(10, length=1)
