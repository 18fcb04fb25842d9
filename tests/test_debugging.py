"""Tests of helpers.debugging on a tiny model whose weights make chosen channels misbehave."""

from __future__ import annotations

import os

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402

from helpers.debugging import (  # noqa: E402
    ChannelFlags,
    channel_ranges,
    flag_channels,
    legend_handles,
    plot_channel_ranges,
)

# 1x1 convolution weights (input channels 2 -> 5 output channels) and biases:
#   0 healthy positive: x0 + x1          1 dead: 0 * x (always 0)
#   2 all negative: -(x0 + x1) - 0.5     3 healthy mixed: x0 - x1
#   4 constant negative: -1 (dead and all-negative)
KERNEL = np.array([[1.0, 0.0, -1.0, 1.0, 0.0],
                   [1.0, 0.0, -1.0, -1.0, 0.0]], dtype=np.float32).reshape(1, 1, 2, 5)
BIAS = np.array([0.0, 0.0, -0.5, 0.0, -1.0], dtype=np.float32)


@pytest.fixture(scope="module")
def model() -> keras.Model:
    inputs = keras.Input((6, 6, 2))
    pre = keras.layers.Conv2D(5, 1, name="pre")(inputs)
    relu = keras.layers.ReLU(name="relu")(pre)
    pooled = keras.layers.GlobalAveragePooling2D(name="pool")(relu)
    net = keras.Model(inputs, keras.layers.Dense(3, name="head")(pooled))
    net.get_layer("pre").set_weights([KERNEL, BIAS])
    return net


@pytest.fixture(scope="module")
def images() -> np.ndarray:
    return np.random.default_rng(0).uniform(0, 1, size=(70, 6, 6, 2)).astype(np.float32)


def test_channel_ranges_match_a_numpy_reference(model, images):
    mins, maxs = channel_ranges(model, "pre", images, batch_size=32)  # several batches
    reference = np.einsum("nhwc,cd->nhwd", images, KERNEL[0, 0]) + BIAS
    np.testing.assert_allclose(mins, reference.min(axis=(0, 1, 2)), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(maxs, reference.max(axis=(0, 1, 2)), rtol=1e-5, atol=1e-6)
    assert mins.shape == maxs.shape == (5,)
    # a dense layer: channels are its units
    head_mins, head_maxs = channel_ranges(model, "head", images)
    assert head_mins.shape == (3,) and np.all(head_mins <= head_maxs)


def test_flags_before_and_after_the_relu(model, images):
    flags = flag_channels(*channel_ranges(model, "pre", images))
    assert isinstance(flags, ChannelFlags)
    assert flags.dead.tolist() == [1, 4]
    assert flags.negative.tolist() == [2, 4]
    # after the ReLU the all-negative channels output 0 everywhere: they are dead
    after = flag_channels(*channel_ranges(model, "relu", images))
    assert after.dead.tolist() == [1, 2, 4]
    assert after.negative.tolist() == []


def test_flag_channels_tolerance_and_bad_inputs():
    assert flag_channels([0.0], [1e-7]).dead.tolist() == [0]
    assert flag_channels([0.0], [1e-7], dead_tol=0.0).dead.tolist() == []
    with pytest.raises(ValueError, match="same length"):
        flag_channels([0.0, 1.0], [1.0])
    with pytest.raises(ValueError, match="min > max"):
        flag_channels([2.0], [1.0])
    with pytest.raises(ValueError, match="NaN"):
        flag_channels([np.nan], [1.0])
    with pytest.raises(ValueError, match="dead_tol"):
        flag_channels([0.0], [1.0], dead_tol=-1)


def test_channel_ranges_bad_inputs(model, images):
    with pytest.raises(ValueError, match=r"no layer 'conv9'; its layers are \["):
        channel_ranges(model, "conv9", images)
    with pytest.raises(TypeError, match="keras.Model"):
        channel_ranges("model", "pre", images)
    with pytest.raises(ValueError, match="batch_size"):
        channel_ranges(model, "pre", images, batch_size=0)
    with pytest.raises(ValueError, match="non-empty batch"):
        channel_ranges(model, "pre", images[:0])
    unbuilt = keras.Sequential([keras.layers.Dense(2, name="d")])
    with pytest.raises(ValueError, match="no defined input"):
        channel_ranges(unbuilt, "d", np.zeros((2, 3)))


def test_plot_colours_flagged_channels(model, images):
    mins, maxs = channel_ranges(model, "pre", images)
    figure = plot_channel_ranges(mins, maxs, title="pre-activation")
    ax = figure.axes[0]
    assert ax.get_xlabel() == "channel" and "activation" in ax.get_ylabel()
    assert "2 dead, 2 all-negative" in ax.get_title()
    colours = ax.collections[0].get_colors()
    red = matplotlib.colors.to_rgba("tab:red")
    orange = matplotlib.colors.to_rgba("tab:orange")
    grey = matplotlib.colors.to_rgba("0.55")
    assert [tuple(c) for c in colours] == [grey, red, orange, grey, red]
    figure.clf()
    fig2, ax2 = matplotlib.pyplot.subplots()
    assert plot_channel_ranges(mins, maxs, ax=ax2) is fig2
    matplotlib.pyplot.close("all")


def test_plot_legend_sits_below_the_bars_or_is_left_out(model, images):
    mins, maxs = channel_ranges(model, "pre", images)
    below = plot_channel_ranges(mins, maxs).axes[0]
    legend = below.get_legend()
    labels = [text.get_text() for text in legend.get_texts()]
    assert labels == [handle.get_label() for handle in legend_handles()]
    below.figure.canvas.draw()
    frame = legend.get_window_extent()
    assert frame.y1 < below.get_window_extent().y0      # wholly under the plotting area
    assert plot_channel_ranges(mins, maxs, legend=None).axes[0].get_legend() is None
    assert plot_channel_ranges(mins, maxs, legend="inside").axes[0].get_legend() is not None
    with pytest.raises(ValueError, match="legend must be"):
        plot_channel_ranges(mins, maxs, legend="top")
    matplotlib.pyplot.close("all")
