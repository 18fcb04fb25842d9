"""Debugging a network by looking inside: per-channel ranges of a layer's output.

Run a batch through the network, and for every channel ``c`` of one layer record the smallest
and the largest value it takes over all images and positions,

.. math::

    \\text{min}_c = \\min_{n, i, j} a_{n,i,j,c}, \\qquad
    \\text{max}_c = \\max_{n, i, j} a_{n,i,j,c}.

Two patterns deserve a flag:

* a **dead** channel, ``max_c - min_c <= dead_tol``: it outputs the same value for every input
  (after a ReLU: always 0), so it carries no information and gets no gradient;
* an **all-negative** channel, ``max_c < 0``: before a ReLU, it will be switched off for every
  input; a dead ReLU in the making.

A channel can be both (a constant negative value).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike

__all__ = ["ChannelFlags", "channel_ranges", "flag_channels", "legend_handles",
           "plot_channel_ranges"]


class ChannelFlags(NamedTuple):
    """Indices of flagged channels, in increasing order."""

    dead: np.ndarray
    negative: np.ndarray


def channel_ranges(
    model, layer_name: str, images: ArrayLike, batch_size: int = 256
) -> tuple[np.ndarray, np.ndarray]:
    """Per-channel minimum and maximum of layer ``layer_name``'s output over ``images``.

    The channel is the last axis of the layer output (Keras' channels-last layout); the min
    and max run over the batch and every other axis. Returns ``(mins, maxs)``, two float arrays
    of shape (channels,). The images go through in batches of ``batch_size`` with
    ``training=False`` (dropout off, batch-norm in inference mode).

    >>> import keras, numpy as np
    >>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, name="dense")])
    >>> model.set_weights([np.array([[1.0, 0.0], [0.0, 0.0], [0.0, 0.0]]), np.zeros(2)])
    >>> mins, maxs = channel_ranges(model, "dense", np.array([[1.0, 2, 3], [-1, 0, 0]]))
    >>> mins.tolist(), maxs.tolist()
    ([-1.0, 0.0], [1.0, 0.0])
    """
    import keras

    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a keras.Model, got {type(model).__name__}")
    if not isinstance(layer_name, str):
        raise TypeError(f"layer_name must be a string, got {layer_name!r}")
    names = [layer.name for layer in model.layers]
    if layer_name not in names:
        raise ValueError(f"the model has no layer {layer_name!r}; its layers are {names}")
    if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) \
            or batch_size < 1:
        raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}")
    try:
        inputs = model.inputs
    except (AttributeError, ValueError):
        inputs = None
    if not inputs:
        raise ValueError("the model has no defined input yet: start it with keras.Input(...) "
                         "or call it once on data before probing its layers")
    output = model.get_layer(layer_name).output
    if isinstance(output, (list, tuple, dict)):
        raise ValueError(f"layer {layer_name!r} has several outputs; probe a single-output layer")
    probe = keras.Model(inputs[0] if len(inputs) == 1 else inputs, output)
    if hasattr(images, "numpy") and callable(images.numpy):
        images = images.numpy()
    try:
        images = np.asarray(images, dtype=np.float32)
    except (TypeError, ValueError) as error:
        raise TypeError("images must be a numeric array") from error
    if images.ndim < 2 or len(images) == 0:
        raise ValueError(f"images must be a non-empty batch, got shape {images.shape}")
    mins = maxs = None
    for start in range(0, len(images), batch_size):
        values = np.asarray(probe(images[start:start + batch_size], training=False))
        values = values.reshape(-1, values.shape[-1])
        batch_min, batch_max = values.min(axis=0), values.max(axis=0)
        mins = batch_min if mins is None else np.minimum(mins, batch_min)
        maxs = batch_max if maxs is None else np.maximum(maxs, batch_max)
    return mins.astype(np.float64), maxs.astype(np.float64)


def _check_ranges(mins, maxs, dead_tol) -> tuple[np.ndarray, np.ndarray, float]:
    mins = np.asarray(mins, dtype=np.float64)
    maxs = np.asarray(maxs, dtype=np.float64)
    if mins.ndim != 1 or mins.shape != maxs.shape:
        raise ValueError(
            f"mins and maxs must be 1-D arrays of the same length (one value per channel), got "
            f"shapes {mins.shape} and {maxs.shape}"
        )
    if not (np.all(np.isfinite(mins)) and np.all(np.isfinite(maxs))):
        raise ValueError("mins and maxs contain NaN or infinite values (did training diverge?)")
    bad = np.flatnonzero(mins > maxs)
    if bad.size:
        raise ValueError(f"channel {int(bad[0])} has min > max ({mins[bad[0]]} > "
                         f"{maxs[bad[0]]}); did you swap mins and maxs?")
    if isinstance(dead_tol, bool) or not isinstance(dead_tol, (int, float)) \
            or not np.isfinite(dead_tol) or dead_tol < 0:
        raise ValueError(f"dead_tol must be a number >= 0, got {dead_tol!r}")
    return mins, maxs, float(dead_tol)


def flag_channels(mins: ArrayLike, maxs: ArrayLike, dead_tol: float = 1e-6) -> ChannelFlags:
    """Indices of dead (``max - min <= dead_tol``) and all-negative (``max < 0``) channels.

    >>> flags = flag_channels([0.0, -2.0, -1.0, -3.0], [0.0, 5.0, -0.5, -3.0])
    >>> flags.dead.tolist(), flags.negative.tolist()
    ([0, 3], [2, 3])
    """
    mins, maxs, dead_tol = _check_ranges(mins, maxs, dead_tol)
    dead = np.flatnonzero(maxs - mins <= dead_tol)
    negative = np.flatnonzero(maxs < 0)
    return ChannelFlags(dead.astype(np.int64), negative.astype(np.int64))


def plot_channel_ranges(
    mins: ArrayLike,
    maxs: ArrayLike,
    dead_tol: float = 1e-6,
    ax=None,
    title: str | None = None,
    legend: str | None = "below",
):
    """Draw each channel's [min, max] as a vertical bar; flagged channels in colour.

    Grey: healthy; red (with a marker, since its bar has no length): dead; orange: all
    negative (a channel that is both is drawn red). The title counts the flags. Returns the
    matplotlib ``Figure``; pass ``ax`` to draw into an existing axes. ``legend`` is
    ``"below"`` (under the axes, never over the bars), ``"inside"`` (matplotlib's best
    spot) or ``None`` (none: several panels can share one, see :func:`legend_handles`).

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> fig = plot_channel_ranges([0.0, -1.0, -2.0], [0.0, 2.0, -1.0], title="conv1")
    >>> fig.axes[0].get_xlabel()
    'channel'
    """
    import matplotlib.pyplot as plt

    mins, maxs, dead_tol = _check_ranges(mins, maxs, dead_tol)
    if legend not in ("below", "inside", None):
        raise ValueError(f'legend must be "below", "inside" or None, got {legend!r}')
    flags = flag_channels(mins, maxs, dead_tol)
    if ax is None:
        fig, ax = plt.subplots(figsize=(max(4.0, min(12.0, 0.15 * len(mins) + 3)), 3.2))
    else:
        fig = ax.figure
    channels = np.arange(len(mins))
    colours = np.array(["0.55"] * len(mins), dtype=object)
    colours[flags.negative] = "tab:orange"
    colours[flags.dead] = "tab:red"
    ax.vlines(channels, mins, maxs, colors=list(colours), linewidth=3)
    if flags.dead.size:
        ax.plot(flags.dead, maxs[flags.dead], "o", color="tab:red", markersize=4)
    ax.axhline(0.0, color="black", linewidth=0.6)
    ax.set_xlabel("channel")
    ax.set_ylabel("activation value (min to max)")
    heading = title or "Per-channel range of a layer's output"
    ax.set_title(f"{heading}: {len(flags.dead)} dead, {len(flags.negative)} all-negative")
    if legend == "inside":
        ax.legend(handles=legend_handles(dead_tol), fontsize="small", loc="best")
    elif legend == "below":
        ax.legend(handles=legend_handles(dead_tol), fontsize="small", loc="upper center",
                  bbox_to_anchor=(0.5, -0.18), ncols=3, frameon=False)
    ax.set_xlim(-1, len(mins))
    return fig


def legend_handles(dead_tol: float = 1e-6) -> list:
    """The legend entries of :func:`plot_channel_ranges` (for one legend shared by panels)."""
    from matplotlib.lines import Line2D

    return [Line2D([], [], color="0.55", linewidth=3, label="healthy"),
            Line2D([], [], color="tab:red", marker="o", linewidth=3,
                   label=f"dead (max - min <= {dead_tol:g})"),
            Line2D([], [], color="tab:orange", linewidth=3, label="all negative (max < 0)")]
