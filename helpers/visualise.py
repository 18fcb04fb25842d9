"""Looking inside a trained CNN: occlusion, top activations, gradient ascent, inversion.

Four methods from the lecture and one experiment, each a small function that the notebook
and the widgets share:

* :func:`occlusion_map`: slide a grey square over the image and record the probability of the
  true class at every position (Zeiler and Fergus, 2014).
* :func:`top_activating`: the inputs of a data set that excite one channel the most.
* :func:`maximise_activation`: gradient **ascent** on the input pixels to find an image that
  a neuron (or a class score) responds to strongly (Yosinski et al., 2015).
* :func:`reconstruct_from_code`: gradient descent on the input pixels to find an image whose
  code at some layer matches a target code (Mahendran and Vedaldi, 2015).

Models take a batch of images in [0, 1] with the channel last.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike

from helpers._checks import positive_int as _positive_int

__all__ = ["OcclusionMap", "Reconstruction", "TopActivations", "compact_inline_figures",
           "figure_png", "maximise_activation", "occlusion_map", "reconstruct_from_code",
           "top_activating"]


def _image(value, name: str = "image") -> np.ndarray:
    if hasattr(value, "numpy") and callable(value.numpy):
        value = value.numpy()
    try:
        array = np.asarray(value, dtype=np.float32)
    except (TypeError, ValueError) as error:
        raise TypeError(f"{name} must be a numeric array") from error
    if array.ndim == 2:
        array = array[..., None]
    if array.ndim != 3:
        raise ValueError(f"{name} must be one image (H, W) or (H, W, C), got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} contains NaN or infinite values")
    return array


def _probabilities(outputs: np.ndarray) -> np.ndarray:
    """Rows of class probabilities; applies a softmax when the outputs look like logits."""
    outputs = np.asarray(outputs, dtype=np.float64)
    if np.all(outputs >= 0) and np.allclose(outputs.sum(axis=1), 1.0, atol=1e-3):
        return outputs
    shifted = np.exp(outputs - outputs.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


def _layer_model(model, layer_name: str):
    import keras

    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a keras.Model, got {type(model).__name__}")
    names = [layer.name for layer in model.layers]
    if layer_name not in names:
        raise ValueError(f"the model has no layer {layer_name!r}; its layers are {names}")
    inputs = model.inputs[0] if len(model.inputs) == 1 else model.inputs
    return keras.Model(inputs, model.get_layer(layer_name).output)


# --------------------------------------------------------------------------- occlusion


class OcclusionMap(NamedTuple):
    """``probabilities[r, c]``: class probability with the patch's top-left corner at
    ``(r * stride, c * stride)``; ``heat``: (H, W) mean probability *drop* over the patches
    covering each pixel; ``baseline``: the probability without any patch."""

    probabilities: np.ndarray
    heat: np.ndarray
    baseline: float
    patch_size: int
    stride: int


def occlusion_map(model, image: ArrayLike, label: int, patch_size: int,
                  stride: int | None = None, fill: float | None = None) -> OcclusionMap:
    """Probability of class ``label`` as a ``patch_size`` square of ``fill`` slides over.

    The patch's top-left corner visits rows and columns ``0, stride, 2 stride, ...`` up to
    ``H - patch_size`` (always including the last position). ``fill`` defaults to the image's
    mean value (a grey square for a photo). Where the probability drops most, the model looks.
    All occluded copies go through the model as one batch.

    >>> import keras
    >>> model = keras.Sequential([keras.Input((4, 4, 1)), keras.layers.Flatten(),
    ...                           keras.layers.Dense(2, activation="softmax")])
    >>> result = occlusion_map(model, np.ones((4, 4)), label=0, patch_size=2, stride=2)
    >>> result.probabilities.shape, result.heat.shape
    ((2, 2), (4, 4))
    """
    picture = _image(image)
    height, width = picture.shape[:2]
    patch_size = _positive_int(patch_size, "patch_size")
    if patch_size > min(height, width):
        raise ValueError(f"patch_size {patch_size} is larger than the {height}x{width} image")
    stride = max(1, patch_size // 2) if stride is None else _positive_int(stride, "stride")
    fill = float(picture.mean()) if fill is None else float(fill)
    rows = sorted(set(range(0, height - patch_size + 1, stride)) | {height - patch_size})
    cols = sorted(set(range(0, width - patch_size + 1, stride)) | {width - patch_size})
    batch = np.repeat(picture[None], len(rows) * len(cols) + 1, axis=0)
    for index, (top, left) in enumerate((r, c) for r in rows for c in cols):
        batch[index + 1, top:top + patch_size, left:left + patch_size] = fill
    probabilities = _probabilities(np.asarray(model(batch, training=False)))
    if not 0 <= int(label) < probabilities.shape[1]:
        raise ValueError(f"label must be in 0..{probabilities.shape[1] - 1}, got {label}")
    scores = probabilities[:, int(label)]
    baseline, grid = float(scores[0]), scores[1:].reshape(len(rows), len(cols))
    drop, count = np.zeros((height, width)), np.zeros((height, width))
    for i, top in enumerate(rows):
        for j, left in enumerate(cols):
            drop[top:top + patch_size, left:left + patch_size] += baseline - grid[i, j]
            count[top:top + patch_size, left:left + patch_size] += 1
    heat = drop / np.maximum(count, 1)
    return OcclusionMap(grid, heat, baseline, patch_size, stride)


# --------------------------------------------------------------------------- top activations


class TopActivations(NamedTuple):
    """``indices`` of the top inputs (strongest first), their ``values`` (the channel's
    maximum over positions) and the ``positions`` (row, col) in the feature map where it
    occurs, scaled to input pixels in ``input_positions``."""

    indices: np.ndarray
    values: np.ndarray
    positions: np.ndarray
    input_positions: np.ndarray


def top_activating(model, layer_name: str, images: ArrayLike, channel: int, k: int = 9,
                   batch_size: int = 256) -> TopActivations:
    """The ``k`` images on which channel ``channel`` of layer ``layer_name`` fires hardest.

    A channel's response to an image is its largest value over all positions of the feature
    map (for a dense layer: the unit's value).

    >>> import keras
    >>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1, name="unit")])
    >>> model.set_weights([np.array([[1.0], [0.0]]), np.zeros(1)])
    >>> top_activating(model, "unit", [[0.1, 0], [0.9, 0], [0.5, 0]], 0, k=2).indices.tolist()
    [1, 2]
    """
    probe = _layer_model(model, layer_name)
    k = _positive_int(k, "k")
    array = np.asarray(images, dtype=np.float32)
    responses, where, shape = [], [], None
    for start in range(0, len(array), batch_size):
        values = np.asarray(probe(array[start:start + batch_size], training=False))
        if not 0 <= channel < values.shape[-1]:
            raise ValueError(f"channel must be in 0..{values.shape[-1] - 1}, got {channel}")
        maps = values[..., channel].reshape(len(values), -1)
        shape = values.shape[1:-1]
        responses.append(maps.max(axis=1))
        where.append(maps.argmax(axis=1))
    responses, where = np.concatenate(responses), np.concatenate(where)
    order = np.argsort(-responses, kind="stable")[:k]
    if shape:
        positions = np.stack(np.unravel_index(where[order], shape), axis=1)
        scale = np.asarray(array.shape[1:1 + len(shape)]) / np.asarray(shape)
        input_positions = (positions + 0.5) * scale
    else:
        positions = input_positions = np.zeros((len(order), 0))
    return TopActivations(order, responses[order], positions, input_positions)


# --------------------------------------------------------------------------- gradient ascent


def maximise_activation(model, layer_name: str, units: int | Sequence[int],
                        shape: tuple[int, ...], steps: int = 150, step_size: float = 0.05,
                        decay: float = 0.01, blur_every: int = 10,
                        seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Gradient ascent on the input: for each unit, an image that makes it large.

    The objective of unit ``u`` is its mean activation (a channel's mean over the feature
    map, a dense unit's value, or a class score when ``layer_name`` is the logits layer).
    Starting from faint noise, every step moves the pixels along the normalised gradient,

    .. math::

        x \\leftarrow \\mathrm{clip}_{[0,1]}\\Big((1 - \\lambda)\\,x
              + \\eta\\,\\frac{\\nabla_x a_u(x)}{\\mathrm{rms}(\\nabla_x a_u(x)) + 10^{-8}}\\Big),

    with weight decay ``lambda`` pulling unused pixels back to 0, and every ``blur_every``
    steps a light 3x3 blur (the regularisers of Yosinski et al., 2015, in miniature). All
    units are optimised together, one image each, in one batch. Returns ``(images,
    objectives)``: images (units, *shape) and the objective of each unit per step
    (steps, units).

    >>> import keras
    >>> model = keras.Sequential([keras.Input((2, 2, 1)), keras.layers.Flatten(),
    ...                           keras.layers.Dense(2, name="score")])
    >>> model.set_weights([np.array([[1.0, -1], [1, -1], [1, -1], [1, -1]]), np.zeros(2)])
    >>> images, _ = maximise_activation(model, "score", [0, 1], (2, 2, 1), steps=20)
    >>> float(images[0].mean()) > 0.5, float(images[1].mean()) < 0.1
    (True, True)
    """
    import tensorflow as tf

    probe = _layer_model(model, layer_name)
    steps = _positive_int(steps, "steps")
    unit_list = [int(units)] if isinstance(units, (int, np.integer)) else [int(u) for u in units]
    if not unit_list:
        raise ValueError("units must name at least one unit")
    count = len(unit_list)
    rng = np.random.default_rng(seed)
    image = tf.Variable(rng.uniform(0.0, 0.1, size=(count, *shape)).astype(np.float32))
    channels = shape[-1]
    blur = tf.constant(np.full((3, 3, channels, 1), 1 / 9, dtype=np.float32))
    selector = tf.one_hot(unit_list, int(probe.output.shape[-1]))

    @tf.function
    def step(do_blur):
        with tf.GradientTape() as tape:
            activation = tf.cast(probe(image, training=False), tf.float32)   # mixed precision
            flat = tf.reshape(activation, (count, -1, activation.shape[-1]))
            objectives = tf.reduce_sum(tf.reduce_mean(flat, axis=1) * selector, axis=1)
            total = tf.reduce_sum(objectives)
        gradient = tape.gradient(total, image)
        rms = tf.sqrt(tf.reduce_mean(tf.square(gradient), axis=list(range(1, len(shape) + 1)),
                                     keepdims=True))
        updated = (1.0 - decay) * image + step_size * gradient / (rms + 1e-8)
        if do_blur:
            smooth = tf.nn.depthwise_conv2d(updated, blur, [1, 1, 1, 1], "SAME")
            updated = 0.5 * updated + 0.5 * smooth
        image.assign(tf.clip_by_value(updated, 0.0, 1.0))
        return objectives

    history = []
    for index in range(steps):
        do_blur = tf.constant(blur_every > 0 and (index + 1) % blur_every == 0)
        history.append(step(do_blur).numpy())
    return image.numpy(), np.asarray(history)


# --------------------------------------------------------------------------- inversion


class Reconstruction(NamedTuple):
    """``image``: the reconstruction; ``code_error``: final ``||phi(x) - phi_0||^2 /
    ||phi_0||^2``; ``pixel_error``: RMS pixel difference from the original; ``history``:
    the objective per step."""

    image: np.ndarray
    code_error: float
    pixel_error: float
    history: list[float]


def reconstruct_from_code(feature_model, original: ArrayLike, steps: int = 300,
                          learning_rate: float = 0.05, tv_weight: float = 0.0,
                          seed: int = 0) -> Reconstruction:
    """Find an image whose code matches ``feature_model(original)``, starting from noise.

    Minimises, with Adam on the pixels (the network's weights are frozen),

    .. math::

        \\frac{\\|\\phi(x) - \\phi(x_0)\\|^2}{\\|\\phi(x_0)\\|^2} + \\lambda_{TV}\\,\\mathrm{TV}(x),
        \\qquad x \\in [0, 1],

    the objective of Mahendran and Vedaldi (2015) with a total-variation image prior. A code
    that keeps where things are (an early layer) pins the image down; a code that keeps only
    what is there (a late layer) leaves many images equally good, and the reconstruction
    looks little like the original.
    """
    import tensorflow as tf

    from helpers.style import total_variation_loss

    target_image = _image(original, "original")
    steps = _positive_int(steps, "steps")
    target = tf.constant(np.asarray(feature_model(target_image[None], training=False),
                                    dtype=np.float32))
    norm = tf.reduce_sum(tf.square(target)) + 1e-12
    rng = np.random.default_rng(seed)
    image = tf.Variable(rng.uniform(0.0, 1.0, size=(1, *target_image.shape)).astype(np.float32))
    import keras

    optimizer = keras.optimizers.Adam(learning_rate)

    @tf.function
    def step():
        with tf.GradientTape() as tape:
            code = tf.cast(feature_model(image, training=False), tf.float32)
            mismatch = tf.reduce_sum(tf.square(code - target)) / norm
            objective = mismatch + tv_weight * total_variation_loss(image)
        optimizer.apply_gradients([(tape.gradient(objective, image), image)])
        image.assign(tf.clip_by_value(image, 0.0, 1.0))
        return objective, mismatch

    history, mismatch = [], 0.0
    for _ in range(steps):
        objective, mismatch = step()
        history.append(float(objective))
    result = image.numpy()[0]
    code = np.asarray(feature_model(result[None], training=False))
    code_error = float(np.sum((code - target.numpy()) ** 2) / norm.numpy())
    pixel_error = float(np.sqrt(np.mean((result - target_image) ** 2)))
    return Reconstruction(result, code_error, pixel_error, history)


# --------------------------------------------------------------------------- compact figures


def figure_png(fig, colours: int = 256) -> bytes | None:
    """A Matplotlib figure as a palette PNG of at most ``colours`` colours (no dithering).

    Rendered at the figure's own dpi with a tight bounding box, as Jupyter's inline backend
    does, then quantised: plots, digits and heat maps use few distinct colours, so the image
    looks the same and the file is two to three times smaller than the full-colour PNG.
    Returns ``None`` for a figure without axes (the inline backend shows nothing for it).
    """
    import io

    from matplotlib.figure import Figure
    from PIL import Image

    if not isinstance(fig, Figure):
        raise TypeError(f"fig must be a matplotlib Figure, got {type(fig).__name__}")
    if isinstance(colours, bool) or not isinstance(colours, (int, np.integer)) \
            or not 2 <= colours <= 256:
        raise ValueError(f"colours must be an integer from 2 to 256, got {colours!r}")
    if not fig.axes:
        return None
    buffer = io.BytesIO()
    fig.canvas.print_figure(buffer, format="png", dpi=fig.dpi, bbox_inches="tight",
                            facecolor=fig.get_facecolor(), edgecolor=fig.get_edgecolor())
    buffer.seek(0)
    palette = Image.open(buffer).convert("RGB").quantize(
        int(colours), method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    out = io.BytesIO()
    palette.save(out, format="PNG", optimize=True)
    return out.getvalue()


def compact_inline_figures(colours: int = 256) -> bool:
    """Make Jupyter show every Matplotlib figure as :func:`figure_png` (a palette PNG).

    Keeps a lecture with many 150-dpi figures inside the notebook size budget. Returns
    ``False`` (and changes nothing) outside IPython.
    """
    import base64

    try:
        from IPython import get_ipython
    except ImportError:          # pragma: no cover - IPython ships with Jupyter
        return False
    shell = get_ipython()
    if shell is None or not hasattr(shell, "display_formatter"):
        return False
    figure_png(_blank_figure(), colours)            # validates ``colours``
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure

    plt.close(plt.figure())     # loads the inline backend, which registers its own formatter

    def as_png(fig):
        data = figure_png(fig, colours)
        return None if data is None else base64.b64encode(data).decode("ascii")

    shell.display_formatter.formatters["image/png"].for_type(Figure, as_png)
    return True


def _blank_figure():
    from matplotlib.figure import Figure

    return Figure()
