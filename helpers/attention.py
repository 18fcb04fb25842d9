"""Attention in NumPy: the reference the notebooks of Lectures 08 and 10 check themselves against.

Everything here works on plain arrays with any leading batch (and head) axes, so that a widget
can call it on one example and a test on a batch. The notebooks write the same algorithms out
in a few lines and compare with these functions and with Keras.

Conventions
-----------
* A *mask* is boolean and ``True`` means "this query may attend to this key" (the convention of
  ``keras.layers.Attention`` and ``keras.layers.MultiHeadAttention``). It must broadcast to the
  weights' shape ``(..., T_q, T_k)``. Masked weights are exactly 0; a query that may attend to
  no key at all is an error, not a row of NaNs.
* Multi-head weights use the layout of ``keras.layers.MultiHeadAttention.get_weights()``:
  ``[Wq (d_q, H, d_k), bq (H, d_k), Wk (d_kv, H, d_k), bk (H, d_k), Wv (d_kv, H, d_v),
  bv (H, d_v), Wo (H, d_v, d_out), bo (d_out,)]`` (biases omitted when the layer has none).

Example::

    >>> q = np.ones((2, 4)); k = np.eye(3, 4); v = np.arange(6.0).reshape(3, 2)
    >>> context, weights = scaled_dot_product_attention(q, k, v)
    >>> context.shape, weights.shape, np.allclose(weights.sum(-1), 1)
    ((2, 2), (2, 3), True)
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from helpers._checks import positive_int

__all__ = [
    "softmax",
    "scaled_dot_product_attention",
    "additive_scores",
    "temperature_probabilities",
    "sample_with_temperature",
    "multi_head_attention",
    "causal_mask",
    "sinusoidal_positions",
]


def _as_float_array(x, name: str, min_ndim: int = 1) -> np.ndarray:
    if isinstance(x, (str, bytes)) or x is None:
        raise TypeError(f"{name} must be an array of numbers, got {type(x).__name__}")
    try:
        array = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise TypeError(f"{name} must be an array of numbers ({error})") from None
    if array.ndim < min_ndim:
        raise ValueError(f"{name} must have at least {min_ndim} dimension(s), "
                         f"got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} contains NaN or infinity")
    return array


def softmax(scores, axis: int = -1) -> np.ndarray:
    """Numerically stable softmax along ``axis`` (``-inf`` entries get weight exactly 0)."""
    scores = np.asarray(scores, dtype=np.float64)
    if scores.ndim == 0:
        raise ValueError("softmax needs at least one dimension")
    if np.any(np.isnan(scores)) or np.any(scores == np.inf):
        raise ValueError("scores contain NaN or +infinity")
    top = np.max(scores, axis=axis, keepdims=True)
    if np.any(top == -np.inf):
        raise ValueError("every score along the softmax axis is -inf: nothing to normalise")
    exp = np.exp(scores - top)
    return exp / exp.sum(axis=axis, keepdims=True)


def _check_mask(mask, weights_shape: tuple[int, ...]) -> np.ndarray:
    mask = np.asarray(mask)
    if mask.dtype != bool:
        if not np.isin(mask, (0, 1)).all():
            raise ValueError("mask must be boolean (True = may attend) or hold only 0 and 1")
        mask = mask.astype(bool)
    try:
        mask = np.broadcast_to(mask, weights_shape)
    except ValueError:
        raise ValueError(
            f"mask of shape {mask.shape} does not broadcast to the weights' shape "
            f"{weights_shape} (..., T_q, T_k)") from None
    if not mask.any(axis=-1).all():
        raise ValueError("the mask hides every key from at least one query; "
                         "each query must be allowed to attend to something")
    return mask


def scaled_dot_product_attention(queries, keys, values, mask=None,
                                 scale: float | None = None) -> tuple[np.ndarray, np.ndarray]:
    """``softmax(Q Kᵀ / √d_k) V`` and the weights.

    queries (..., T_q, d_k), keys (..., T_k, d_k), values (..., T_k, d_v); leading axes must
    broadcast. ``scale`` defaults to ``1/√d_k`` (pass 1.0 for plain dot-product attention).
    Returns ``(context (..., T_q, d_v), weights (..., T_q, T_k))``; rows of the weights sum to 1.
    """
    q = _as_float_array(queries, "queries", 2)
    k = _as_float_array(keys, "keys", 2)
    v = _as_float_array(values, "values", 2)
    if q.shape[-1] != k.shape[-1]:
        raise ValueError(f"queries and keys need the same last dimension d_k, got "
                         f"{q.shape[-1]} and {k.shape[-1]}")
    if k.shape[-2] != v.shape[-2]:
        raise ValueError(f"keys and values need the same number of positions T_k, got "
                         f"{k.shape[-2]} and {v.shape[-2]}")
    if scale is None:
        scale = 1.0 / np.sqrt(q.shape[-1])
    elif isinstance(scale, bool) or not np.isfinite(scale) or scale <= 0:
        raise ValueError(f"scale must be a positive number, got {scale!r}")
    try:
        scores = np.matmul(q, np.swapaxes(k, -1, -2)) * scale
    except ValueError:
        raise ValueError(f"the batch axes of queries {q.shape[:-2]} and keys {k.shape[:-2]} "
                         "do not broadcast") from None
    if mask is not None:
        mask = _check_mask(mask, scores.shape)
        scores = np.where(mask, scores, -np.inf)
    weights = softmax(scores, axis=-1)
    try:
        context = np.matmul(weights, v)
    except ValueError:
        raise ValueError(f"the batch axes of the weights {weights.shape[:-2]} and values "
                         f"{v.shape[:-2]} do not broadcast") from None
    return context, weights


def additive_scores(query, keys, w_query, w_keys, v) -> np.ndarray:
    """Bahdanau (additive) scores ``e_j = vᵀ tanh(W_q s + W_k a_j)``.

    query: the decoder state s, shape (..., d_q); keys: the encoder states a_j, (..., T_k, d_k);
    w_query (d_q, units); w_keys (d_k, units); v (units,). Returns the scores (..., T_k); the
    weights are ``softmax(scores)`` and the context ``Σ_j α_j a_j``.
    (``keras.layers.AdditiveAttention`` is the special case without the two projections:
    ``Σ tanh(q + k) * scale``.)
    """
    s = _as_float_array(query, "query", 1)
    a = _as_float_array(keys, "keys", 2)
    wq = _as_float_array(w_query, "w_query", 2)
    wk = _as_float_array(w_keys, "w_keys", 2)
    vv = _as_float_array(v, "v", 1)
    if wq.ndim != 2 or wk.ndim != 2 or vv.ndim != 1:
        raise ValueError("w_query and w_keys must be matrices and v a vector")
    if s.shape[-1] != wq.shape[0]:
        raise ValueError(f"query has {s.shape[-1]} features but w_query expects {wq.shape[0]}")
    if a.shape[-1] != wk.shape[0]:
        raise ValueError(f"keys have {a.shape[-1]} features but w_keys expects {wk.shape[0]}")
    if not (wq.shape[1] == wk.shape[1] == vv.shape[0]):
        raise ValueError(f"w_query, w_keys and v disagree on the number of units: "
                         f"{wq.shape[1]}, {wk.shape[1]}, {vv.shape[0]}")
    projected = np.expand_dims(s @ wq, -2) + a @ wk  # (..., T_k, units)
    return np.tanh(projected) @ vv


def _check_temperature(temperature) -> float:
    if isinstance(temperature, bool) or not isinstance(temperature, (int, float, np.number)):
        raise TypeError(f"temperature must be a number, got {type(temperature).__name__}")
    if not np.isfinite(temperature) or temperature <= 0:
        raise ValueError(f"temperature must be a positive finite number, got {temperature!r} "
                         "(use the argmax for greedy decoding)")
    return float(temperature)


def temperature_probabilities(logits, temperature: float) -> np.ndarray:
    """``softmax(logits / T)`` along the last axis: T → 0 approaches the argmax, T = 1 the model."""
    t = _check_temperature(temperature)
    return softmax(_as_float_array(logits, "logits", 1) / t, axis=-1)


def sample_with_temperature(logits, temperature: float, rng=None) -> np.ndarray | int:
    """Draw one index from ``softmax(logits / T)`` per row of ``logits`` (..., V).

    ``rng`` is a ``numpy.random.Generator`` or an int seed. A 1-D input gives an int; a batch
    gives an int array of the leading shape.
    """
    probs = temperature_probabilities(logits, temperature)
    if rng is None or isinstance(rng, (int, np.integer)) and not isinstance(rng, bool):
        rng = np.random.default_rng(rng)
    elif not isinstance(rng, np.random.Generator):
        raise TypeError("rng must be a numpy.random.Generator or an int seed")
    flat = probs.reshape(-1, probs.shape[-1])
    cumulative = np.cumsum(flat, axis=-1)
    cumulative[:, -1] = 1.0
    draws = rng.random(flat.shape[0])[:, None]
    picks = (draws > cumulative).sum(axis=-1)
    if probs.ndim == 1:
        return int(picks[0])
    return picks.reshape(probs.shape[:-1])


def _unpack_mha_weights(weights: Sequence) -> tuple[np.ndarray, ...]:
    if not isinstance(weights, (list, tuple)):
        raise TypeError("weights must be the list keras.layers.MultiHeadAttention.get_weights() "
                        "returns")
    arrays = [_as_float_array(w, f"weights[{i}]") for i, w in enumerate(weights)]
    if len(arrays) == 8:
        wq, bq, wk, bk, wv, bv, wo, bo = arrays
    elif len(arrays) == 4:
        wq, wk, wv, wo = arrays
        bq, bk, bv = (np.zeros(w.shape[1:]) for w in (wq, wk, wv))
        bo = np.zeros(wo.shape[-1:])
    else:
        raise ValueError(f"expected 8 weight arrays (4 kernels and 4 biases) or 4 kernels, got "
                         f"{len(arrays)}")
    if wq.ndim != 3 or wk.ndim != 3 or wv.ndim != 3 or wo.ndim != 3:
        raise ValueError("the four kernels must be 3-D: (d_in, heads, d_head) for query/key/value "
                         "and (heads, d_v, d_out) for the output")
    heads = wq.shape[1]
    if not (wk.shape[1] == wv.shape[1] == wo.shape[0] == heads):
        raise ValueError("the kernels disagree on the number of heads")
    if wq.shape[2] != wk.shape[2]:
        raise ValueError("query and key kernels must project to the same key_dim")
    if wv.shape[2] != wo.shape[1]:
        raise ValueError("value and output kernels disagree on value_dim")
    if bq.shape != wq.shape[1:] or bk.shape != wk.shape[1:] or bv.shape != wv.shape[1:] \
            or bo.shape != wo.shape[-1:]:
        raise ValueError("a bias does not match its kernel's (heads, dim) / (d_out,) shape")
    return wq, bq, wk, bk, wv, bv, wo, bo


def multi_head_attention(query, value, weights: Sequence, key=None,
                         mask=None) -> tuple[np.ndarray, np.ndarray]:
    """Multi-head attention with the weights of a ``keras.layers.MultiHeadAttention`` layer.

    query (B, T_q, d_q), value (B, T_k, d_kv), key defaults to value. For each head h:
    ``Q_h = query·Wq[:, h] + bq[h]`` (likewise K_h, V_h), ``head_h = softmax(Q_h K_hᵀ/√d_k) V_h``;
    the output is ``Σ_h head_h·Wo[h] + bo``. ``mask`` (B or 1, T_q, T_k), True = may attend.
    Returns ``(output (B, T_q, d_out), weights (B, H, T_q, T_k))`` like the layer called with
    ``return_attention_scores=True``.
    """
    wq, bq, wk, bk, wv, bv, wo, bo = _unpack_mha_weights(weights)
    q_in = _as_float_array(query, "query", 3)
    v_in = _as_float_array(value, "value", 3)
    k_in = v_in if key is None else _as_float_array(key, "key", 3)
    if q_in.ndim != 3 or v_in.ndim != 3 or k_in.ndim != 3:
        raise ValueError("query, key and value must be (batch, time, features) arrays")
    if q_in.shape[-1] != wq.shape[0]:
        raise ValueError(f"query has {q_in.shape[-1]} features, the query kernel expects "
                         f"{wq.shape[0]}")
    if k_in.shape[-1] != wk.shape[0] or v_in.shape[-1] != wv.shape[0]:
        raise ValueError("key/value features do not match the key/value kernels")
    if k_in.shape[1] != v_in.shape[1]:
        raise ValueError("key and value need the same number of positions")
    q = np.einsum("btd,dhk->bhtk", q_in, wq) + bq[None, :, None, :]
    k = np.einsum("bsd,dhk->bhsk", k_in, wk) + bk[None, :, None, :]
    v = np.einsum("bsd,dhk->bhsk", v_in, wv) + bv[None, :, None, :]
    if mask is not None:
        mask = np.asarray(mask)
        if mask.ndim == 3:
            mask = mask[:, None, :, :]  # one mask for all heads
    context, attention = scaled_dot_product_attention(q, k, v, mask=mask)
    output = np.einsum("bhtv,hvo->bto", context, wo) + bo
    return output, attention


def causal_mask(length: int) -> np.ndarray:
    """(length, length) boolean mask, True on and below the diagonal: position i sees 0 … i."""
    length = positive_int(length, "length")
    return np.tril(np.ones((length, length), dtype=bool))


def sinusoidal_positions(length: int, dim: int, base: float = 10000.0) -> np.ndarray:
    """The transformer's positional encodings, shape (length, dim).

    ``PE[pos, 2i] = sin(pos / base^(2i/dim))`` and ``PE[pos, 2i+1] = cos(pos / base^(2i/dim))``
    (Vaswani et al., 2017). An odd ``dim`` ends with a sine column.
    """
    length = positive_int(length, "length")
    dim = positive_int(dim, "dim")
    if isinstance(base, bool) or not np.isfinite(base) or base <= 1:
        raise ValueError(f"base must be a number greater than 1, got {base!r}")
    positions = np.arange(length, dtype=np.float64)[:, None]
    pair = np.arange(dim) // 2  # i for columns 2i and 2i+1
    angles = positions / base ** (2 * pair / dim)
    return np.where(np.arange(dim) % 2 == 0, np.sin(angles), np.cos(angles))
