"""Tests of helpers.visualise on tiny models whose answers are known in advance."""

from __future__ import annotations

import os

import numpy as np
import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402

from helpers import visualise  # noqa: E402


@pytest.fixture(scope="module")
def corner_model():
    """Class 0's logit is the mean of the top-left 3x3 pixels; class 1's is fixed at 0.5."""
    inputs = keras.Input((8, 8, 1))
    flat = keras.layers.Flatten()(inputs)
    logits = keras.layers.Dense(2, name="logits")(flat)
    model = keras.Model(inputs, keras.layers.Softmax()(logits))
    weights = np.zeros((64, 2), "float32")
    for row in range(3):
        for col in range(3):
            weights[row * 8 + col, 0] = 20.0 / 9
    model.get_layer("logits").set_weights([weights, np.array([-10.0, 0.0], "float32")])
    return model


def test_occlusion_finds_the_region_the_model_uses(corner_model):
    image = np.ones((8, 8, 1), "float32")
    result = visualise.occlusion_map(corner_model, image, label=0, patch_size=3, stride=1,
                                     fill=0.0)
    assert result.probabilities.shape == (6, 6) and result.heat.shape == (8, 8)
    assert result.baseline > 0.99
    assert result.probabilities[0, 0] == result.probabilities.min()      # covers the corner
    assert result.probabilities[5, 5] == pytest.approx(result.baseline)  # far away: no effect
    assert result.heat[:3, :3].mean() > 0.5 and result.heat[6:, 6:].max() < 1e-6
    with pytest.raises(ValueError, match="larger"):
        visualise.occlusion_map(corner_model, image, 0, patch_size=9)
    with pytest.raises(ValueError, match="label"):
        visualise.occlusion_map(corner_model, image, 5, patch_size=2)


def test_occlusion_positions_include_the_last_row():
    model = keras.Sequential([keras.Input((7, 7, 1)), keras.layers.Flatten(),
                              keras.layers.Dense(2, activation="softmax")])
    result = visualise.occlusion_map(model, np.zeros((7, 7)), 0, patch_size=3, stride=3)
    assert result.probabilities.shape == (3, 3)                # rows 0, 3 and 4


def test_top_activating_orders_by_strongest_response():
    inputs = keras.Input((4, 4, 1))
    model = keras.Model(inputs, keras.layers.Conv2D(1, 1, use_bias=False, name="conv")(inputs))
    model.get_layer("conv").set_weights([np.ones((1, 1, 1, 1), "float32")])
    images = np.zeros((5, 4, 4, 1), "float32")
    for index, value in enumerate([0.1, 0.9, 0.3, 0.7, 0.5]):
        images[index, index % 4, 2, 0] = value
    top = visualise.top_activating(model, "conv", images, channel=0, k=3)
    assert top.indices.tolist() == [1, 3, 4]
    np.testing.assert_allclose(top.values, [0.9, 0.7, 0.5])
    assert top.positions[0].tolist() == [1, 2]
    np.testing.assert_allclose(top.input_positions[0], [1.5, 2.5])
    with pytest.raises(ValueError, match="channel"):
        visualise.top_activating(model, "conv", images, channel=3)
    with pytest.raises(ValueError, match="no layer"):
        visualise.top_activating(model, "dense", images, channel=0)


def test_gradient_ascent_raises_the_chosen_units(corner_model):
    images, history = visualise.maximise_activation(corner_model, "logits", [0, 1], (8, 8, 1),
                                                    steps=30, blur_every=0)
    assert images.shape == (2, 8, 8, 1) and history.shape == (30, 2)
    assert history[-1, 0] > history[0, 0] + 5                   # class 0's logit climbed
    assert images[0, :3, :3].mean() > 0.9                       # by brightening the corner
    assert images[0, 4:, 4:].max() < 0.1                        # and nothing else


def test_reconstruction_from_an_identity_code_recovers_the_image():
    inputs = keras.Input((6, 6, 1))
    identity = keras.Model(inputs, keras.layers.Identity()(inputs))
    original = np.random.default_rng(7).uniform(size=(6, 6, 1)).astype("float32")
    result = visualise.reconstruct_from_code(identity, original, steps=300, learning_rate=0.05,
                                             seed=0)
    assert result.code_error < 1e-3 and result.pixel_error < 0.02
    assert result.history[-1] < result.history[0]
    with pytest.raises(ValueError, match="one image"):
        visualise.reconstruct_from_code(identity, np.zeros((2, 6, 6, 1)))


def test_image_optimisers_work_under_mixed_precision():
    """Full mode on a GPU sets the mixed_float16 policy: float16 activations must not break
    the float32 image variables."""
    previous = keras.config.dtype_policy()
    keras.config.set_dtype_policy("mixed_float16")
    try:
        inputs = keras.Input((6, 6, 1))
        model = keras.Model(inputs, keras.layers.Conv2D(2, 3, name="conv")(inputs))
        images, history = visualise.maximise_activation(model, "conv", [0, 1], (6, 6, 1),
                                                        steps=3)
        result = visualise.reconstruct_from_code(model, np.ones((6, 6, 1), "float32"), steps=3)
    finally:
        keras.config.set_dtype_policy(previous)
    assert images.dtype == np.float32 and history.shape == (3, 2)
    assert np.isfinite(result.code_error)


def test_figure_png_is_a_smaller_palette_png_of_the_same_picture():
    import io

    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from PIL import Image

    fig, axis = plt.subplots(figsize=(3, 2), dpi=150)
    axis.imshow(np.random.default_rng(0).uniform(size=(8, 8)), cmap="viridis")
    axis.plot([0, 7], [0, 7], "r-")
    axis.set_title("a heat map and a line")
    full = io.BytesIO()
    fig.savefig(full, format="png", dpi=150, bbox_inches="tight")
    compact = visualise.figure_png(fig)
    reference = np.asarray(Image.open(io.BytesIO(full.getvalue())).convert("RGB"), float)
    palette = Image.open(io.BytesIO(compact))
    assert palette.mode == "P" and len(palette.getcolors()) <= 256
    shown = np.asarray(palette.convert("RGB"), float)
    assert shown.shape == reference.shape                      # same size, same dpi
    assert np.mean(np.abs(shown - reference)) < 2.0            # same picture (0..255 scale)
    assert len(compact) < 0.7 * len(full.getvalue())
    assert visualise.figure_png(plt.figure()) is None          # no axes: nothing to show
    with pytest.raises(TypeError, match="matplotlib Figure"):
        visualise.figure_png(np.zeros((3, 3)))
    for bad in (1, 300, 2.5, True):
        with pytest.raises(ValueError, match="colours"):
            visualise.figure_png(fig, bad)
    plt.close("all")


def test_compact_inline_figures_needs_ipython():
    assert visualise.compact_inline_figures() is False         # plain Python: no change
