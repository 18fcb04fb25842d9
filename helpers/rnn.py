"""Recurrent networks in NumPy, laid out exactly like Keras' layers, plus two toy tasks.

The forward passes take the weights in the layout of ``layer.get_weights()`` so that
``simple_rnn_forward(x, *keras_layer.get_weights())`` reproduces a Keras layer, and they return
every intermediate quantity (hidden states, cell states, gate activations) for plots and the
gate explorer. Keras multiplies row vectors from the left, ``x_t @ kernel``; the lecture writes
column vectors, ``W h_{t-1} + U x_t``. The two agree with ``U = kernelᵀ`` and
``W = recurrent_kernelᵀ``.

- :func:`simple_rnn_forward`, :func:`lstm_forward`, :func:`gru_forward` (both GRU conventions)
- :func:`recurrent_param_count` (what ``model.summary()`` reports for each layer)
- :func:`hidden_jacobian_norms`, :func:`recurrent_scale_sweep` (vanishing / exploding)
- :func:`echo_task`, :func:`long_range_task` (data for the lecture's experiments)

Inputs ``x`` are ``(T, d_in)`` for one sequence or ``(batch, T, d_in)``; outputs keep the same
leading axes, with the time axis before the feature axis.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

import numpy as np


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * z))  # = 1 / (1 + e^-z), without overflow warnings


def _hard_sigmoid(z: np.ndarray) -> np.ndarray:
    return np.clip(z / 6.0 + 0.5, 0.0, 1.0)  # Keras 3's hard_sigmoid: relu6(z + 3) / 6


ACTIVATIONS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "tanh": np.tanh,
    "sigmoid": _sigmoid,
    "hard_sigmoid": _hard_sigmoid,
    "relu": lambda z: np.maximum(z, 0.0),
    "linear": lambda z: z,
}


def _activation(name, argument: str) -> Callable[[np.ndarray], np.ndarray]:
    if callable(name):
        return name
    if name is None:
        return ACTIVATIONS["linear"]
    if not isinstance(name, str) or name not in ACTIVATIONS:
        raise ValueError(f"{argument} must be one of {', '.join(ACTIVATIONS)} or a function, "
                         f"got {name!r}")
    return ACTIVATIONS[name]


def _as_sequence_batch(x) -> tuple[np.ndarray, bool]:
    """x as float64 (batch, T, d_in); the flag says whether a batch axis was given."""
    array = np.asarray(x, dtype=np.float64)
    if array.ndim == 2:
        return array[None], False
    if array.ndim == 3:
        return array, True
    raise ValueError(
        f"x must have shape (time_steps, features) or (batch, time_steps, features), "
        f"got shape {array.shape}"
    )


def _check_weight(weight, shape: tuple[int, ...], name: str, hint: str) -> np.ndarray:
    array = np.asarray(weight, dtype=np.float64)
    if array.shape != shape:
        raise ValueError(f"{name} must have shape {shape} ({hint}), got {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} contains NaN or infinity")
    return array


def _units_from(recurrent_kernel, gates: int) -> int:
    shape = np.shape(recurrent_kernel)
    if len(shape) != 2 or shape[1] != gates * shape[0] or shape[0] == 0:
        want = "(units, units)" if gates == 1 else f"(units, {gates} * units)"
        raise ValueError(f"recurrent_kernel must have shape {want}, got {shape}")
    return shape[0]


def _initial_state(state, batch: int, units: int, name: str) -> np.ndarray:
    if state is None:
        return np.zeros((batch, units))
    array = np.asarray(state, dtype=np.float64)
    if array.shape == (units,):
        return np.broadcast_to(array, (batch, units)).copy()
    if array.shape == (batch, units):
        return array.copy()
    raise ValueError(f"{name} must have shape ({units},) or ({batch}, {units}), got {array.shape}")


def _squeeze(array: np.ndarray, batched: bool) -> np.ndarray:
    return array if batched else array[0]


# --------------------------------------------------------------------------------------------
# Forward passes
# --------------------------------------------------------------------------------------------


def simple_rnn_forward(
    x: np.ndarray,
    kernel: np.ndarray,
    recurrent_kernel: np.ndarray,
    bias: np.ndarray | None = None,
    h0: np.ndarray | None = None,
    activation: str | Callable[[np.ndarray], np.ndarray] | None = "tanh",
) -> np.ndarray:
    """All hidden states of a simple (Elman) RNN, as ``keras.layers.SimpleRNN`` computes them::

        h_t = tanh(x_t · kernel + h_{t-1} · recurrent_kernel + bias),   h_0 = 0

    In the lecture's notation ``h_t = tanh(W h_{t-1} + U x_t)`` with ``U = kernelᵀ`` and
    ``W = recurrent_kernelᵀ``; the same weights are used at every step. Shapes: ``kernel``
    (d_in, d_h), ``recurrent_kernel`` (d_h, d_h), ``bias`` (d_h,) or ``None``. Returns
    ``(T, d_h)`` (or ``(batch, T, d_h)``): h_1 … h_T.

    >>> hs = simple_rnn_forward(np.ones((3, 1)), [[1.0]], [[0.5]], [0.0], activation="linear")
    >>> hs[:, 0].tolist()        # 1, 1 + 0.5, 1 + 0.75
    [1.0, 1.5, 1.75]
    """
    xs, batched = _as_sequence_batch(x)
    units = _units_from(recurrent_kernel, 1)
    d_in = xs.shape[2]
    kernel = _check_weight(kernel, (d_in, units), "kernel", "input features, units")
    recurrent_kernel = _check_weight(recurrent_kernel, (units, units), "recurrent_kernel",
                                     "units, units")
    bias = np.zeros(units) if bias is None else _check_weight(bias, (units,), "bias", "units")
    act = _activation(activation, "activation")
    h = _initial_state(h0, xs.shape[0], units, "h0")
    inputs = xs @ kernel + bias  # the input part of every step at once
    hs = np.empty((xs.shape[0], xs.shape[1], units))
    for t in range(xs.shape[1]):
        h = act(inputs[:, t] + h @ recurrent_kernel)
        hs[:, t] = h
    return _squeeze(hs, batched)


class LSTMTrace(NamedTuple):
    """What :func:`lstm_forward` returns: hidden states, cell states and the four gates.

    ``gates`` maps ``"i"`` (input), ``"f"`` (forget), ``"c_tilde"`` (candidate) and ``"o"``
    (output) to arrays shaped like ``hs``.
    """

    hs: np.ndarray
    cs: np.ndarray
    gates: dict[str, np.ndarray]


def lstm_forward(
    x: np.ndarray,
    kernel: np.ndarray,
    recurrent_kernel: np.ndarray,
    bias: np.ndarray | None = None,
    h0: np.ndarray | None = None,
    c0: np.ndarray | None = None,
    activation: str | Callable[[np.ndarray], np.ndarray] = "tanh",
    recurrent_activation: str | Callable[[np.ndarray], np.ndarray] = "sigmoid",
) -> LSTMTrace:
    """An LSTM step by step, in Keras' layout (gate order i, f, c, o in the weight columns)::

        i_t = σ(x_t K_i + h_{t-1} R_i + b_i)          input gate: how much to write
        f_t = σ(x_t K_f + h_{t-1} R_f + b_f)          forget gate: how much to keep
        c̃_t = tanh(x_t K_c + h_{t-1} R_c + b_c)      candidate content
        c_t = f_t ⊙ c_{t-1} + i_t ⊙ c̃_t               cell state (long-term memory)
        o_t = σ(x_t K_o + h_{t-1} R_o + b_o)          output gate
        h_t = o_t ⊙ tanh(c_t)                          hidden state (short-term memory, output)

    ``kernel`` (d_in, 4u), ``recurrent_kernel`` (u, 4u), ``bias`` (4u,): the columns are the
    blocks [i | f | c | o]. The cell-state line has only ⊙ and +, so ∂c_t/∂c_{t-1} = f_t: with
    f ≈ 1 the gradient passes many steps unchanged (the "gradient highway").

    >>> trace = lstm_forward(np.zeros((2, 1)), np.zeros((1, 4)), np.zeros((1, 4)), np.zeros(4))
    >>> trace.gates["f"][:, 0].tolist(), trace.hs.shape
    ([0.5, 0.5], (2, 1))
    """
    xs, batched = _as_sequence_batch(x)
    units = _units_from(recurrent_kernel, 4)
    kernel = _check_weight(kernel, (xs.shape[2], 4 * units), "kernel", "input features, 4*units")
    recurrent_kernel = _check_weight(recurrent_kernel, (units, 4 * units), "recurrent_kernel",
                                     "units, 4*units")
    bias = (np.zeros(4 * units) if bias is None
            else _check_weight(bias, (4 * units,), "bias", "4*units"))
    act = _activation(activation, "activation")
    gate = _activation(recurrent_activation, "recurrent_activation")
    batch, steps = xs.shape[:2]
    h = _initial_state(h0, batch, units, "h0")
    c = _initial_state(c0, batch, units, "c0")
    inputs = xs @ kernel + bias
    names = ("i", "f", "c_tilde", "o")
    record = {name: np.empty((batch, steps, units)) for name in (*names, "h", "c")}
    for t in range(steps):
        z = inputs[:, t] + h @ recurrent_kernel
        z_i, z_f, z_c, z_o = np.split(z, 4, axis=-1)
        i, f, c_tilde, o = gate(z_i), gate(z_f), act(z_c), gate(z_o)
        c = f * c + i * c_tilde
        h = o * act(c)
        for name, value in zip((*names, "h", "c"), (i, f, c_tilde, o, h, c), strict=True):
            record[name][:, t] = value
    gates = {name: _squeeze(record[name], batched) for name in names}
    return LSTMTrace(_squeeze(record["h"], batched), _squeeze(record["c"], batched), gates)


class GRUTrace(NamedTuple):
    """What :func:`gru_forward` returns: hidden states and the gates ``"z"`` (update),
    ``"r"`` (reset) and ``"h_tilde"`` (candidate), each shaped like ``hs``."""

    hs: np.ndarray
    gates: dict[str, np.ndarray]


def gru_forward(
    x: np.ndarray,
    kernel: np.ndarray,
    recurrent_kernel: np.ndarray,
    bias: np.ndarray | None = None,
    h0: np.ndarray | None = None,
    reset_after: bool = True,
    activation: str | Callable[[np.ndarray], np.ndarray] = "tanh",
    recurrent_activation: str | Callable[[np.ndarray], np.ndarray] = "sigmoid",
) -> GRUTrace:
    """A GRU step by step, in Keras' layout (gate order z, r, h in the weight columns)::

        z_t = σ(x_t K_z + h_{t-1} R_z + b_z)            update gate
        r_t = σ(x_t K_r + h_{t-1} R_r + b_r)            reset gate
        h̃_t = tanh(x_t K_h + (r_t ⊙ h_{t-1}) R_h + b_h)      reset_after=False (Cho et al.)
        h̃_t = tanh(x_t K_h + b_h + r_t ⊙ (h_{t-1} R_h + b'_h))  reset_after=True (Keras default)
        h_t = z_t ⊙ h_{t-1} + (1 − z_t) ⊙ h̃_t

    The two conventions differ only in where the reset gate acts. In the original GRU
    (``reset_after=False``) r scales the previous state *before* the recurrent matrix
    multiplies it; ``bias`` is one vector (3u,). In Keras' default (``reset_after=True``, the
    cuDNN variant) r scales the result *after* the multiplication, which lets all three
    recurrent products be computed in one matrix multiply; the recurrent part then has its own
    bias, so ``bias`` has shape (2, 3u): row 0 the input biases, row 1 the recurrent biases.
    The same weights give different outputs under the two conventions.

    Note the interpolation: Keras keeps ``z ⊙ h_{t-1}`` and writes ``(1 − z) ⊙ h̃``, exactly as
    Cho et al. (2014) do, so z ≈ 1 *keeps* the old state. The source notes (like several
    textbooks) write the mirror image ``h_t = (1 − z) ⊙ h_{t-1} + z ⊙ h̃``, where z ≈ 1
    *replaces* it. Only the meaning of z flips; the model family is the same.

    >>> trace = gru_forward(np.zeros((2, 1)), np.zeros((1, 3)), np.zeros((1, 3)),
    ...                     np.zeros((2, 3)), h0=[1.0])
    >>> trace.hs[:, 0].tolist()          # z = 0.5, h̃ = 0: the state halves each step
    [0.5, 0.25]
    """
    xs, batched = _as_sequence_batch(x)
    units = _units_from(recurrent_kernel, 3)
    kernel = _check_weight(kernel, (xs.shape[2], 3 * units), "kernel", "input features, 3*units")
    recurrent_kernel = _check_weight(recurrent_kernel, (units, 3 * units), "recurrent_kernel",
                                     "units, 3*units")
    if not isinstance(reset_after, (bool, np.bool_)):
        raise TypeError(f"reset_after must be True or False, got {reset_after!r}")
    if reset_after:
        bias = (np.zeros((2, 3 * units)) if bias is None else _check_weight(
            bias, (2, 3 * units), "bias", "with reset_after=True: 2 rows (input, recurrent) "
            "of 3*units"))
        input_bias, recurrent_bias = bias[0], bias[1]
    else:
        bias = (np.zeros(3 * units) if bias is None else _check_weight(
            bias, (3 * units,), "bias", "with reset_after=False: 3*units"))
        input_bias, recurrent_bias = bias, np.zeros(3 * units)
    act = _activation(activation, "activation")
    gate = _activation(recurrent_activation, "recurrent_activation")
    batch, steps = xs.shape[:2]
    h = _initial_state(h0, batch, units, "h0")
    inputs = xs @ kernel + input_bias
    r_zr, r_h = recurrent_kernel[:, : 2 * units], recurrent_kernel[:, 2 * units:]
    record = {name: np.empty((batch, steps, units)) for name in ("z", "r", "h_tilde", "h")}
    for t in range(steps):
        x_z, x_r, x_h = np.split(inputs[:, t], 3, axis=-1)
        if reset_after:
            rec_z, rec_r, rec_h = np.split(h @ recurrent_kernel + recurrent_bias, 3, axis=-1)
            z, r = gate(x_z + rec_z), gate(x_r + rec_r)
            h_tilde = act(x_h + r * rec_h)
        else:
            rec_z, rec_r = np.split(h @ r_zr, 2, axis=-1)
            z, r = gate(x_z + rec_z), gate(x_r + rec_r)
            h_tilde = act(x_h + (r * h) @ r_h)
        h = z * h + (1.0 - z) * h_tilde
        for name, value in zip(("z", "r", "h_tilde", "h"), (z, r, h_tilde, h), strict=True):
            record[name][:, t] = value
    gates = {name: _squeeze(record[name], batched) for name in ("z", "r", "h_tilde")}
    return GRUTrace(_squeeze(record["h"], batched), gates)


def recurrent_param_count(kind: str, input_dim: int, units: int, reset_after: bool = True) -> int:
    """Trainable parameters of one Keras recurrent layer (with bias)::

        SimpleRNN: d_in·u + u·u + u
        LSTM:      4 (d_in·u + u·u + u)
        GRU:       3 (d_in·u + u·u + u)  + 3u extra when reset_after=True (second bias row)

    >>> recurrent_param_count("lstm", input_dim=10, units=32)
    5504
    >>> recurrent_param_count("gru", 10, 32), recurrent_param_count("gru", 10, 32, False)
    (4224, 4128)
    """
    for name, value in (("input_dim", input_dim), ("units", units)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"{name} must be a positive integer, got {value!r}")
    per_block = input_dim * units + units * units + units
    kind_lower = kind.lower() if isinstance(kind, str) else kind
    if kind_lower in ("simplernn", "simple_rnn", "rnn"):
        return per_block
    if kind_lower == "lstm":
        return 4 * per_block
    if kind_lower == "gru":
        return 3 * per_block + (3 * units if reset_after else 0)
    raise ValueError(f"kind must be 'simple_rnn', 'lstm' or 'gru', got {kind!r}")


# --------------------------------------------------------------------------------------------
# Vanishing and exploding gradients
# --------------------------------------------------------------------------------------------


def hidden_jacobian_norms(
    W: np.ndarray,
    steps: int,
    activation: str = "tanh",
    h1: np.ndarray | None = None,
    inputs: np.ndarray | None = None,
    norm: str = "spectral",
    seed: int = 0,
) -> np.ndarray:
    """‖∂h_t/∂h_1‖ for t = 1 … ``steps`` in the RNN ``h_t = φ(W h_{t-1} + u_t)``::

        ∂h_t/∂h_1 = Π_{k=2..t} diag(φ'(a_k)) W,    a_k = W h_{k-1} + u_k

    For ``activation="linear"`` this is W^{t-1}: its norm shrinks like ρ^{t-1} when the
    largest singular value ρ of W is below 1 (vanishing) and grows when W stretches some
    direction (ρ > 1: exploding). ``tanh`` multiplies by φ' = 1 − h_k² ≤ 1, so it can only
    shrink the product further. ``h1`` defaults to a random N(0, 1) state (``seed``),
    ``inputs`` (the u_t, shape (steps, H)) to zeros. ``norm`` is ``"spectral"`` (largest
    singular value) or ``"frobenius"``. Entry 0 is ‖I‖ (1 for the spectral norm).

    >>> np.round(hidden_jacobian_norms(0.5 * np.eye(2), 4, activation="linear"), 4).tolist()
    [1.0, 0.5, 0.25, 0.125]
    """
    W = np.asarray(W, dtype=np.float64)
    if W.ndim != 2 or W.shape[0] != W.shape[1] or W.shape[0] == 0:
        raise ValueError(f"W must be a square (hidden, hidden) matrix, got shape {W.shape}")
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 1:
        raise ValueError(f"steps must be a positive integer, got {steps!r}")
    if activation not in ("tanh", "linear"):
        raise ValueError(f"activation must be 'tanh' or 'linear', got {activation!r}")
    if norm not in ("spectral", "frobenius"):
        raise ValueError(f"norm must be 'spectral' or 'frobenius', got {norm!r}")
    size = W.shape[0]
    h = (np.random.default_rng(seed).normal(size=size) if h1 is None
         else np.asarray(h1, dtype=np.float64))
    if h.shape != (size,):
        raise ValueError(f"h1 must have shape ({size},), got {h.shape}")
    u = np.zeros((steps, size)) if inputs is None else np.asarray(inputs, dtype=np.float64)
    if u.shape != (steps, size):
        raise ValueError(f"inputs must have shape ({steps}, {size}), got {u.shape}")
    order = 2 if norm == "spectral" else "fro"
    jacobian = np.eye(size)
    norms = np.empty(steps)
    norms[0] = np.linalg.norm(jacobian, order)
    for t in range(1, steps):
        pre_activation = W @ h + u[t]
        if activation == "tanh":
            h = np.tanh(pre_activation)
            step = (1.0 - h**2)[:, None] * W
        else:
            h = pre_activation
            step = W
        jacobian = step @ jacobian
        norms[t] = np.linalg.norm(jacobian, order)
    return norms


def recurrent_scale_sweep(
    scales: Sequence[float],
    hidden_size: int = 16,
    steps: int = 50,
    activation: str = "linear",
    seed: int = 0,
) -> np.ndarray:
    """‖∂h_t/∂h_1‖ for recurrent matrices ``W = scale · Q`` (Q a random orthogonal matrix).

    Every singular value of ``scale · Q`` equals ``scale``, so in the linear RNN the norm is
    exactly ``scale^(t-1)``: below 1 it vanishes, above 1 it explodes, at 1 it is kept.
    Returns an array of shape ``(len(scales), steps)``.

    >>> sweep = recurrent_scale_sweep([0.9, 1.1], hidden_size=4, steps=11)
    >>> np.round(sweep[:, -1], 3).tolist()       # 0.9^10, 1.1^10
    [0.349, 2.594]
    """
    if isinstance(hidden_size, bool) or not isinstance(hidden_size, (int, np.integer)) \
            or hidden_size < 1:
        raise ValueError(f"hidden_size must be a positive integer, got {hidden_size!r}")
    scales = np.asarray(scales, dtype=np.float64).reshape(-1)
    if scales.size == 0 or np.any(scales < 0) or not np.all(np.isfinite(scales)):
        raise ValueError("scales must be a non-empty list of non-negative numbers")
    rng = np.random.default_rng(seed)
    q, r = np.linalg.qr(rng.normal(size=(hidden_size, hidden_size)))
    q = q * np.sign(np.diag(r))
    h1 = rng.normal(size=hidden_size)
    return np.stack([
        hidden_jacobian_norms(scale * q, steps, activation=activation, h1=h1)
        for scale in scales
    ])


# --------------------------------------------------------------------------------------------
# Toy tasks
# --------------------------------------------------------------------------------------------


def _check_positive(name: str, value, minimum: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def echo_task(n_sequences: int, length: int, delay: int = 3,
              seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """The echo game: repeat the input ``delay`` steps later.

    Inputs are random bits ``x_t ∈ {0, 1}``; the target is ``y_t = x_{t-delay}`` (0 for the
    first ``delay`` steps). A model that sees only the current step (a Dense layer applied to
    each time step) can do no better than chance (50 %); an RNN can carry the last ``delay``
    bits in its state. Returns ``x, y`` of shape ``(n_sequences, length, 1)``, float32.

    Measured (1000 sequences of length 20, Adam 1e-2, 10 epochs, ~2 s on a 2-core CPU): a
    per-step Dense(16) network scores 0.49 on steps t >= 3, a SimpleRNN(16) 1.00.

    >>> x, y = echo_task(1, 6, delay=2, seed=0)
    >>> bool(np.all(y[0, 2:] == x[0, :-2])), bool(np.all(y[0, :2] == 0))
    (True, True)
    """
    n_sequences = _check_positive("n_sequences", n_sequences)
    length = _check_positive("length", length)
    delay = _check_positive("delay", delay, minimum=0)
    if delay >= length:
        raise ValueError(f"delay ({delay}) must be smaller than length ({length})")
    rng = np.random.default_rng(seed)
    x = rng.integers(0, 2, size=(n_sequences, length, 1)).astype(np.float32)
    y = np.zeros_like(x)
    y[:, delay:] = x[:, : length - delay]
    return x, y


def long_range_task(
    n_sequences: int,
    length: int = 50,
    marker_prob: float = 0.04,
    seed: int = 0,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Recall the value seen at the last *marked* step, many steps later (a long-range task).

    Every step carries two inputs: a random value ``v_t ∈ {−1, +1}`` and a marker
    ``m_t ∈ {0, 1}`` (1 with probability ``marker_prob``; always 1 at the first step). The label,
    read once after the last step, is 1 when the value at the *last* marked step was +1.
    Between that step and the end the values keep arriving and must be ignored, so the
    network has to *write* its memory when the marker is on and *keep* it otherwise, across
    ``gap`` steps. When no later marker occurs the first token decides the label after a long
    run of distractors.

    Gated layers learn this write / keep switch; a SimpleRNN cannot gate its input and its
    training signal over long gaps vanishes, so it is right only when the gap is short.
    Measured on a 2-core CPU (3000 training sequences of length 50, one recurrent layer of
    32 units + Dense sigmoid, Adam 3e-3, batch 64, 10 epochs, 3-10 s per model; seeds 0-2;
    2000 test sequences): LSTM and GRU 0.99-1.00 test accuracy (1.00 for gaps > 20);
    SimpleRNN 0.54-0.57, i.e. 0.6-0.8 for gaps <= 2 and chance (0.46-0.52) for gaps > 20.

    Returns ``x`` (n, length, 2) float32 (channels: value, marker), ``y`` (n,) float32 and
    ``gap`` (n,) int: the number of steps from the last marker to the end (0 … length − 1).

    >>> x, y, gap = long_range_task(5, length=12, seed=0)
    >>> x.shape, y.shape, bool(np.all(x[:, 0, 1] == 1))
    ((5, 12, 2), (5,), True)
    >>> last = 11 - gap
    >>> bool(np.all((x[np.arange(5), last, 0] > 0) == (y == 1)))
    True
    """
    n_sequences = _check_positive("n_sequences", n_sequences)
    length = _check_positive("length", length, minimum=2)
    if isinstance(marker_prob, bool) or not isinstance(marker_prob, (int, float)) \
            or not 0 <= marker_prob <= 1:
        raise ValueError(f"marker_prob must be a probability in [0, 1], got {marker_prob!r}")
    rng = np.random.default_rng(seed)
    values = rng.choice(np.array([-1.0, 1.0]), size=(n_sequences, length))
    markers = (rng.random((n_sequences, length)) < marker_prob).astype(np.float64)
    markers[:, 0] = 1.0
    steps = np.arange(length)
    last = np.max(np.where(markers > 0, steps[None], 0), axis=1)
    y = (values[np.arange(n_sequences), last] > 0).astype(np.float32)
    x = np.stack([values, markers], axis=-1).astype(np.float32)
    return x, y, (length - 1 - last).astype(np.int64)
