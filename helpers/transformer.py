"""Transformer arithmetic for Lecture 10: parameter counts, attention shapes, BERT's masking.

The formulas follow Keras' layers, so each can be checked against ``count_params()``:

* ``keras.layers.MultiHeadAttention(num_heads=h, key_dim=k, value_dim=v)`` on inputs of width
  ``d``: query and key kernels ``d × h × k`` with biases ``h × k``, a value kernel ``d × h × v``
  with bias ``h × v``, and an output kernel ``h × v × d`` with bias ``d``;
* a transformer block adds two ``LayerNormalization`` layers (``γ`` and ``β``: ``2d`` each) and
  the feed-forward network ``Dense(d_ff)`` then ``Dense(d)``: ``d·d_ff + d_ff + d_ff·d + d``.

Example::

    >>> mha_param_count(d_model=512, num_heads=8)        # key_dim = 512 / 8 = 64
    1050624
    >>> block_param_count(d_model=512, num_heads=8, d_ff=2048)
    3152384
    >>> attention_shapes(batch=2, length=10, d_model=64, num_heads=4)["scores"]
    (2, 4, 10, 10)
"""

from __future__ import annotations

import numpy as np

from helpers._checks import positive_int

__all__ = ["mha_param_count", "block_param_count", "attention_shapes", "head_width",
           "attention_score_count", "positional_value", "positional_dot", "mlm_corrupt"]


def _key_dim(d_model: int, num_heads: int, key_dim: int | None) -> int:
    if key_dim is None:
        if d_model % num_heads:
            raise ValueError(f"d_model ({d_model}) must be divisible by num_heads "
                             f"({num_heads}) when key_dim is not given")
        return d_model // num_heads
    return positive_int(key_dim, "key_dim")


def mha_param_count(d_model: int, num_heads: int, key_dim: int | None = None,
                    value_dim: int | None = None, use_bias: bool = True) -> int:
    """Parameters of ``keras.layers.MultiHeadAttention`` on inputs (and output) of width
    ``d_model``: ``d·h·k`` for Q and for K, ``d·h·v`` for V, ``h·v·d`` for the output
    projection, plus biases ``h·k + h·k + h·v + d``. ``key_dim`` defaults to ``d / h``,
    ``value_dim`` to ``key_dim``. With ``k = v = d / h``: ``4d² + 4d``.
    """
    d_model = positive_int(d_model, "d_model")
    num_heads = positive_int(num_heads, "num_heads")
    key_dim = _key_dim(d_model, num_heads, key_dim)
    value_dim = key_dim if value_dim is None else positive_int(value_dim, "value_dim")
    weights = 2 * d_model * num_heads * key_dim + 2 * d_model * num_heads * value_dim
    biases = 2 * num_heads * key_dim + num_heads * value_dim + d_model
    return weights + (biases if use_bias else 0)


def block_param_count(d_model: int, num_heads: int, d_ff: int,
                      key_dim: int | None = None) -> int:
    """Parameters of one transformer block: multi-head attention, two layer norms (``2d``
    each) and the feed-forward network ``d → d_ff → d`` (with biases). Pre-norm and
    post-norm blocks have the same count."""
    d_ff = positive_int(d_ff, "d_ff")
    attention = mha_param_count(d_model, num_heads, key_dim)
    feed_forward = d_model * d_ff + d_ff + d_ff * d_model + d_model
    return attention + 2 * 2 * d_model + feed_forward


def attention_shapes(batch: int, length: int, d_model: int, num_heads: int,
                     key_dim: int | None = None) -> dict[str, tuple[int, ...]]:
    """Tensor shapes inside multi-head self-attention on a ``(batch, length, d_model)`` input
    (queries, keys and values from the same sequence; ``value_dim = key_dim``).

    Keys: ``input``, ``W_Q`` (a Keras query kernel), ``Q`` (= K = V, per head), ``scores``
    (= the attention weights), ``heads`` (the weighted values), ``concat`` and ``output``.
    """
    batch = positive_int(batch, "batch")
    length = positive_int(length, "length")
    d_model = positive_int(d_model, "d_model")
    num_heads = positive_int(num_heads, "num_heads")
    key_dim = _key_dim(d_model, num_heads, key_dim)
    return {
        "input": (batch, length, d_model),
        "W_Q": (d_model, num_heads, key_dim),
        "Q": (batch, num_heads, length, key_dim),
        "scores": (batch, num_heads, length, length),
        "heads": (batch, num_heads, length, key_dim),
        "concat": (batch, length, num_heads * key_dim),
        "output": (batch, length, d_model),
    }


def head_width(d_model: int, num_heads: int) -> int:
    """The width d_k = d_model / h of each head when the heads split the model width."""
    d_model = positive_int(d_model, "d_model")
    return _key_dim(d_model, positive_int(num_heads, "num_heads"), None)


def attention_score_count(batch: int, length: int, num_heads: int) -> int:
    """How many attention weights one self-attention layer computes: batch · h · T²."""
    return (positive_int(batch, "batch") * positive_int(num_heads, "num_heads")
            * positive_int(length, "length") ** 2)


def positional_value(position: int, column: int, dim: int) -> float:
    """One entry of the sinusoidal encoding, ``PE[position, column]`` for width ``dim``
    (from :func:`helpers.attention.sinusoidal_positions`)."""
    from helpers.attention import sinusoidal_positions

    dim = positive_int(dim, "dim")
    if isinstance(column, bool) or not isinstance(column, (int, np.integer)) \
            or not 0 <= column < dim:
        raise ValueError(f"column must be an integer in 0..{dim - 1}, got {column!r}")
    if isinstance(position, bool) or not isinstance(position, (int, np.integer)) \
            or position < 0:
        raise ValueError(f"position must be a non-negative integer, got {position!r}")
    return float(sinusoidal_positions(position + 1, dim)[position, column])


def positional_dot(p: int, q: int, dim: int) -> float:
    """``PE[p] · PE[q]`` for the sinusoidal encoding of width ``dim`` (depends on q − p only;
    ``dim / 2`` when p = q)."""
    from helpers.attention import sinusoidal_positions

    for name, value in (("p", p), ("q", q)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
            raise ValueError(f"{name} must be a non-negative integer, got {value!r}")
    table = sinusoidal_positions(max(p, q) + 1, positive_int(dim, "dim"))
    return float(table[p] @ table[q])


def mlm_corrupt(token_ids, vocab_size: int, mask_id: int, rate: float = 0.15,
                seed: int | None = None):
    """BERT's masked-language-model corruption (Devlin et al., 2019).

    Each position is selected with probability ``rate``; a selected token becomes ``mask_id``
    with probability 0.8, a uniformly random token id with probability 0.1, and stays as it is
    with probability 0.1. The model is trained to predict the original token at the selected
    positions only. Random numbers are drawn in a fixed order (selection, then the 80/10/10
    choice, then the random ids, one of each per position) so that the lecture's own cell
    reproduces this function exactly.

    Returns ``(inputs, labels, selected)``: the corrupted ids, the original ids with ``-100``
    wherever the loss ignores the position, and the boolean selection.
    """
    ids = np.asarray(token_ids)
    if ids.ndim != 1 or ids.size == 0 or not np.issubdtype(ids.dtype, np.integer):
        raise ValueError("token_ids must be a non-empty 1-D sequence of integer ids")
    vocab_size = positive_int(vocab_size, "vocab_size")
    if ids.min() < 0 or ids.max() >= vocab_size:
        raise ValueError(f"token ids must lie in 0..{vocab_size - 1}")
    if isinstance(mask_id, bool) or not isinstance(mask_id, (int, np.integer)) \
            or not 0 <= mask_id < vocab_size:
        raise ValueError(f"mask_id must be a token id in 0..{vocab_size - 1}, got {mask_id!r}")
    if not isinstance(rate, (int, float)) or not 0.0 <= rate <= 1.0:
        raise ValueError(f"rate must be a probability in [0, 1], got {rate!r}")
    rng = np.random.default_rng(seed)
    selected = rng.random(ids.size) < rate
    choice = rng.random(ids.size)
    random_ids = rng.integers(0, vocab_size, ids.size)
    inputs = ids.copy()
    inputs[selected & (choice < 0.8)] = mask_id
    swap = selected & (choice >= 0.8) & (choice < 0.9)
    inputs[swap] = random_ids[swap]
    labels = np.where(selected, ids, -100)
    return inputs, labels, selected
