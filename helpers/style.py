"""Neural style transfer (Gatys, Ecker and Bethge, 2016): Gram matrices, losses and the loop.

The generated image ``x`` is optimised directly (its pixels are the parameters) so that

.. math::

    \\mathcal{L}(x) = \\alpha\\,\\mathcal{L}_\\text{content}(x, p)
                    + \\beta\\,\\mathcal{L}_\\text{style}(x, a)
                    + \\lambda_\\text{TV}\\,\\mathrm{TV}(x)

is small: its deep features match those of the content photo ``p`` (what is where) and the
Gram matrices of its features match those of the style image ``a`` (which features occur
together, wherever they are).

Feature extractors
------------------
:func:`build_feature_extractor` returns a :class:`FeatureExtractor`: a callable that maps a
batch of RGB images in [0, 1] to a dict ``{layer name: feature map}`` and carries its default
layers and loss weights.

* ``"vgg19"``: ImageNet-trained VGG19 from ``keras.applications`` (Gatys' network), content
  layer ``block4_conv2``, style layers ``block1_conv1`` ... ``block5_conv1``.
* ``"fallback"``: used automatically when the VGG19 weights cannot be downloaded (no network,
  or ``DLBOOK_OFFLINE=1``). A small fixed network of **random** convolution filters at four
  scales (3x3 filters, 2x2 average pooling between scales, ReLU). Random filters are a
  surprisingly good texture descriptor: Gram matrices of random-filter features already
  reproduce colours, edges and blob statistics of a texture (Ustyuzhaninov et al., 2017, "What
  does it take to generate natural textures?"; He, Wang and Hopcroft, 2016). What you lose
  without training is the semantic part: the stylised photo takes on the colours and
  brush-stroke texture of the style, but strokes do not follow object parts as they do with
  VGG19.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
from numpy.typing import ArrayLike

from helpers.data import OFFLINE_ENV
from helpers.data import download_timeout as _timeout
from helpers.data import host_reachable as _host_reachable
from helpers.data import offline as _offline

if TYPE_CHECKING:
    import tensorflow as tf

__all__ = [
    "FeatureExtractor",
    "StyleTransferResult",
    "build_feature_extractor",
    "content_loss",
    "gram_matrix",
    "style_loss",
    "style_transfer",
    "style_transfer_batch",
    "total_variation_loss",
]

VGG19_WEIGHTS_FILE = "vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5"
VGG19_HOST = "storage.googleapis.com"
VGG19_STYLE_LAYERS = ("block1_conv1", "block2_conv1", "block3_conv1", "block4_conv1",
                      "block5_conv1")
VGG19_CONTENT_LAYERS = ("block4_conv2",)
FALLBACK_LAYERS = ("scale1", "scale2", "scale3", "scale4")


def _tf():
    import tensorflow as tf

    return tf


# --------------------------------------------------------------------------- validation


def _to_tensor(value, name: str):
    """A float tensor from a NumPy array, list or tensor, with a readable error otherwise."""
    tf = _tf()
    if isinstance(value, tf.Variable):
        value = tf.convert_to_tensor(value)
    if not tf.is_tensor(value):
        try:
            array = np.asarray(value)
        except Exception as error:  # pragma: no cover - exotic inputs
            raise TypeError(f"{name} must be an array or tensor, got {type(value).__name__}") \
                from error
        if array.dtype == object or not (np.issubdtype(array.dtype, np.number)
                                         or array.dtype == bool):
            raise TypeError(f"{name} must be numeric, got {type(value).__name__} of "
                            f"dtype {array.dtype}")
        value = tf.convert_to_tensor(array.astype(np.float32, copy=False)
                                     if array.dtype != np.float64 else array)
    if not value.dtype.is_floating:
        value = tf.cast(value, tf.float32)
    if value.shape.rank is None:
        raise ValueError(f"{name} must have a known number of dimensions")
    return value


def _single_map(value, name: str):
    """Accept (H, W, C) or (1, H, W, C); return an (H, W, C) tensor."""
    tensor = _to_tensor(value, name)
    shape = tuple(tensor.shape)
    if len(shape) == 4 and shape[0] == 1:
        tensor = tensor[0]
    elif len(shape) != 3:
        raise ValueError(
            f"{name} must have shape (H, W, C) or (1, H, W, C), got {shape}"
        )
    return tensor


def _check_weight(value, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a number, got {value!r}")
    value = float(value)
    if not np.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be a finite number >= 0, got {value}")
    return value


# --------------------------------------------------------------------------- losses


def gram_matrix(features: ArrayLike | tf.Tensor) -> tf.Tensor:
    """Unnormalised Gram matrix ``G = M M^T`` of one feature map, a C x C tensor.

    ``features`` has shape (H, W, C) or (1, H, W, C). With ``M`` the C x (H*W) matrix whose row
    ``i`` is channel ``i`` flattened,

    .. math::

        G_{ij} = \\sum_{k=1}^{HW} M_{ik} M_{jk}

    is the (unnormalised) co-occurrence of channels ``i`` and ``j`` summed over all positions;
    where in the image they fire does not matter. Works on NumPy arrays and TF tensors and is
    differentiable (it returns a ``tf.Tensor``).

    >>> import numpy as np
    >>> features = np.arange(8, dtype="float32").reshape(2, 2, 2)   # H = W = 2, C = 2
    >>> gram_matrix(features).numpy().tolist()   # channel 0: 0 2 4 6, channel 1: 1 3 5 7
    [[56.0, 68.0], [68.0, 84.0]]
    """
    tf = _tf()
    feature_map = _single_map(features, "features")
    channels = feature_map.shape[-1]
    matrix = tf.reshape(feature_map, (-1, channels))  # (HW, C) = M^T
    return tf.matmul(matrix, matrix, transpose_a=True)


def content_loss(generated: ArrayLike | tf.Tensor, target: ArrayLike | tf.Tensor) -> tf.Tensor:
    """Content loss ``1/2 * sum((F - P)^2)`` between two feature maps of the same shape.

    ``F`` is a layer's response to the generated image and ``P`` its response to the content
    photo (Gatys et al., eq. 1).

    >>> float(content_loss([[1.0, 2.0]], [[0.0, 0.0]]))     # (1 + 4) / 2
    2.5
    """
    tf = _tf()
    generated = _to_tensor(generated, "generated")
    target = tf.cast(_to_tensor(target, "target"), generated.dtype)
    if tuple(generated.shape) != tuple(target.shape):
        raise ValueError(
            "generated and target must have the same shape, got "
            f"{tuple(generated.shape)} and {tuple(target.shape)}"
        )
    return 0.5 * tf.reduce_sum(tf.square(generated - target))


def _layer_style_loss(generated_gram, style_gram, channels: int, positions: int):
    tf = _tf()
    scale = 1.0 / (4.0 * float(channels) ** 2 * float(positions) ** 2)
    return scale * tf.reduce_sum(tf.square(generated_gram - tf.cast(style_gram,
                                                                    generated_gram.dtype)))


def _as_list(value, name: str) -> list:
    if isinstance(value, (list, tuple)):
        if len(value) == 0:
            raise ValueError(f"{name} must contain at least one feature map")
        return list(value)
    return [value]


def style_loss(
    generated_features,
    style_features,
    layer_weights: Sequence[float] | None = None,
) -> tf.Tensor:
    """Style loss: weighted sum over layers of Gram-matrix differences (Gatys et al., eq. 4-5).

    For one layer with ``N`` channels and ``M = H * W`` positions, with ``G`` and ``A`` the Gram
    matrices (:func:`gram_matrix`) of the generated and the style image,

    .. math::

        E_l = \\frac{1}{4 N_l^2 M_l^2} \\sum_{i,j} (G^l_{ij} - A^l_{ij})^2, \\qquad
        \\mathcal{L}_\\text{style} = \\sum_l w_l E_l, \\quad w_l = 1 / L \\text{ by default.}

    ``generated_features`` and ``style_features`` are one feature map each, or two equally long
    lists of feature maps (one per layer); each map is (H, W, C) or (1, H, W, C). The two maps
    of a layer need the same channel count but not the same H and W (``M`` is taken from the
    generated map).

    >>> import numpy as np
    >>> x = np.ones((2, 2, 1), dtype="float32")
    >>> float(style_loss(x, 2 * x))        # G = 4, A = 16: (16 - 4)^2 / (4 * 1 * 16)
    2.25
    """
    tf = _tf()
    generated_list = _as_list(generated_features, "generated_features")
    style_list = _as_list(style_features, "style_features")
    if len(generated_list) != len(style_list):
        raise ValueError(
            "generated_features and style_features must list the same number of layers, got "
            f"{len(generated_list)} and {len(style_list)}"
        )
    if layer_weights is None:
        weights = [1.0 / len(generated_list)] * len(generated_list)
    else:
        weights = [_check_weight(w, "layer weight") for w in layer_weights]
        if len(weights) != len(generated_list):
            raise ValueError(
                f"layer_weights must have one weight per layer ({len(generated_list)}), got "
                f"{len(weights)}"
            )
    total = tf.constant(0.0)
    for index, (generated, style, weight) in enumerate(
        zip(generated_list, style_list, weights, strict=True)
    ):
        generated = _single_map(generated, f"generated_features[{index}]")
        style = _single_map(style, f"style_features[{index}]")
        if generated.shape[-1] != style.shape[-1]:
            raise ValueError(
                f"layer {index}: generated and style feature maps need the same number of "
                f"channels, got {generated.shape[-1]} and {style.shape[-1]}"
            )
        height, width, channels = generated.shape
        layer = _layer_style_loss(gram_matrix(generated), gram_matrix(style), channels,
                                  height * width)
        total = total + weight * tf.cast(layer, total.dtype)
    return total


def total_variation_loss(image: ArrayLike | tf.Tensor, power: int = 1) -> tf.Tensor:
    """Anisotropic total variation: the summed absolute difference of neighbouring pixels.

    .. math::

        \\mathrm{TV}(x) = \\sum_{i,j,c} |x_{i+1,j,c} - x_{i,j,c}| + |x_{i,j+1,c} - x_{i,j,c}|

    the same quantity as ``tf.image.total_variation``; a small weight on it keeps the generated
    image from filling up with high-frequency noise. ``image`` is (H, W, C) or (1, H, W, C).

    >>> float(total_variation_loss([[[0.0], [1.0]], [[1.0], [1.0]]]))   # |1-0| + |1-0| + 0 + 0
    2.0
    """
    tf = _tf()
    if power not in (1, 2):
        raise ValueError(f"power must be 1 (absolute differences) or 2 (squared), got {power!r}")
    pixels = _single_map(image, "image")
    down = pixels[1:, :, :] - pixels[:-1, :, :]
    right = pixels[:, 1:, :] - pixels[:, :-1, :]
    if power == 1:
        return tf.reduce_sum(tf.abs(down)) + tf.reduce_sum(tf.abs(right))
    return tf.reduce_sum(tf.square(down)) + tf.reduce_sum(tf.square(right))


# --------------------------------------------------------------------------- extractors


@dataclass
class FeatureExtractor:
    """Maps RGB images in [0, 1], shape (B, H, W, 3), to ``{layer name: feature map}``.

    ``model`` takes the *preprocessed* batch (``preprocess(images)``); call the extractor itself
    on raw [0, 1] images. ``alpha``, ``beta`` and ``tv_weight`` are the loss weights that give a
    visible, balanced result with this network (see :func:`style_transfer`).
    """

    model: object
    kind: str
    content_layers: tuple[str, ...]
    style_layers: tuple[str, ...]
    alpha: float
    beta: float
    tv_weight: float
    preprocess: Callable = field(default=lambda images: images, repr=False)

    @property
    def layer_names(self) -> tuple[str, ...]:
        return tuple(self.model.output.keys())

    def __call__(self, images) -> dict:
        return self.model(self.preprocess(images))


def _vgg19_weights_cached() -> bool:
    homes = [os.environ.get("KERAS_HOME") or os.path.join(Path.home(), ".keras"),
             os.path.join("/tmp", ".keras")]
    return any(Path(home, "models", VGG19_WEIGHTS_FILE).exists() for home in homes)


def _notice(message: str) -> None:
    print(f"[style] {message}")


class _UnknownLayerError(ValueError):
    """A layer name the network does not have: the caller's mistake, not a download problem."""


def _vgg19_extractor(layer_names: Sequence[str]) -> FeatureExtractor:
    import keras

    tf = _tf()
    previous = socket.getdefaulttimeout()
    socket.setdefaulttimeout(_timeout())  # keras' download has no timeout of its own
    try:
        vgg = keras.applications.VGG19(weights="imagenet", include_top=False)
    finally:
        socket.setdefaulttimeout(previous)
    vgg.trainable = False
    known = [layer.name for layer in vgg.layers]
    missing = [name for name in layer_names if name not in known]
    if missing:
        raise _UnknownLayerError(f"VGG19 has no layer(s) {missing}; choose from {known[1:]}")
    outputs = {name: vgg.get_layer(name).output for name in layer_names}
    model = keras.Model(vgg.input, outputs, name="vgg19_features")
    mean_bgr = tf.constant([103.939, 116.779, 123.68])

    def preprocess(images):
        images = tf.convert_to_tensor(images, dtype=tf.float32)
        return images[..., ::-1] * 255.0 - mean_bgr  # Caffe-style: BGR, 0-255, mean removed

    return FeatureExtractor(model, "vgg19", VGG19_CONTENT_LAYERS, VGG19_STYLE_LAYERS,
                            alpha=1.0, beta=1e3, tv_weight=0.0, preprocess=preprocess)


def _fallback_extractor(seed: int, width: int) -> FeatureExtractor:
    """Four scales of fixed random 3x3 filters with ReLU, 2x2 average pooling in between."""
    import keras

    tf = _tf()
    inputs = keras.Input((None, None, 3), name="image")
    features = inputs
    outputs = {}
    for level, name in enumerate(FALLBACK_LAYERS):
        if level:
            # anti-aliased downsampling: a [1 3 3 1] / 8 binomial blur, then every 2nd pixel
            for blur in range(2):
                features = keras.layers.AveragePooling2D(
                    2, strides=1, padding="same", name=f"blur{level}_{blur}")(features)
            features = keras.layers.AveragePooling2D(2, name=f"pool{level}")(features)
        features = keras.layers.Conv2D(
            width * 2 ** min(level, 2), 3, padding="same", activation="relu", name=name,
            kernel_initializer=keras.initializers.HeNormal(seed=seed + level),
            bias_initializer="zeros",
        )(features)
        outputs[name] = features
    model = keras.Model(inputs, outputs, name="random_multiscale_features")
    model.trainable = False

    mean_rgb = tf.constant([123.68, 116.779, 103.939])

    def preprocess(images):
        # The same pixel scale as VGG19 (0-255, ImageNet mean removed), so that loss weights
        # of the same order as Gatys' (alpha / beta ~ 1e-3 .. 1e-4) work for both networks.
        return tf.convert_to_tensor(images, dtype=tf.float32) * 255.0 - mean_rgb

    return FeatureExtractor(model, "fallback", ("scale2",), FALLBACK_LAYERS,
                            alpha=1.0, beta=1e4, tv_weight=0.0, preprocess=preprocess)


class _Float32Policy:
    """Build the feature network in float32 even under a mixed-precision global policy.

    Gram matrices sum products over every position; in float16 they overflow (> 65504) on any
    realistic feature map, so the measuring network stays in float32 (it is frozen anyway).
    """

    def __enter__(self):
        import keras

        self.previous = keras.config.dtype_policy()
        keras.config.set_dtype_policy("float32")

    def __exit__(self, *exc):
        import keras

        keras.config.set_dtype_policy(self.previous)
        return False


def build_feature_extractor(
    kind: str = "vgg19",
    layer_names: Sequence[str] | None = None,
    seed: int = 0,
    width: int = 32,
) -> FeatureExtractor:
    """Build the network whose features define content and style.

    ``kind="vgg19"`` loads ``keras.applications.VGG19(weights="imagenet", include_top=False)``.
    When its weights are neither cached nor downloadable (``DLBOOK_OFFLINE=1``, no network,
    a failed download; the network check and each read wait at most ``DLBOOK_TIMEOUT`` seconds)
    it prints one line and returns the ``"fallback"`` extractor instead.
    ``kind="fallback"`` builds the fixed random multi-scale network directly (``seed`` fixes
    its filters, ``width`` is the channel count of the first scale; 2x and 4x at deeper ones).
    ``layer_names`` picks which VGG19 layers to expose (default: the content and style layers).

    >>> extractor = build_feature_extractor("fallback")
    >>> sorted(extractor(np.zeros((1, 32, 32, 3), "float32")))
    ['scale1', 'scale2', 'scale3', 'scale4']
    """
    if kind not in ("vgg19", "fallback"):
        raise ValueError(f"kind must be 'vgg19' or 'fallback', got {kind!r}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    if isinstance(width, bool) or not isinstance(width, (int, np.integer)) or width <= 0:
        raise ValueError(f"width must be a positive integer, got {width!r}")
    if kind == "vgg19":
        names = tuple(layer_names) if layer_names is not None else \
            tuple(dict.fromkeys(VGG19_CONTENT_LAYERS + VGG19_STYLE_LAYERS))
        reason = None
        if not _vgg19_weights_cached():
            if _offline():
                reason = f"{OFFLINE_ENV} is set"
            elif not _host_reachable(VGG19_HOST, _timeout()):
                reason = f"cannot reach {VGG19_HOST}"
        if reason is None:
            try:
                with _Float32Policy():
                    return _vgg19_extractor(names)
            except _UnknownLayerError:
                raise
            except Exception as error:  # a failed or corrupt download, a timeout
                reason = f"download failed: {type(error).__name__}"
        _notice(
            # one line that fits an 88-character column; the notebook explains the stand-in
            f"VGG19 weights unavailable ({reason}): random-filter stand-in."
        )
    elif layer_names is not None:
        raise ValueError("layer_names only applies to kind='vgg19'")
    with _Float32Policy():
        return _fallback_extractor(int(seed), int(width))


# --------------------------------------------------------------------------- the loop


class StyleTransferResult(NamedTuple):
    """``image`` float32 (H, W, 3) in [0, 1]; ``history`` lists of losses, one per step."""

    image: np.ndarray
    history: dict[str, list[float]]


def _prepare_image(value, name: str, size: tuple[int, int] | None) -> np.ndarray:
    tensor = _single_map(value, name)
    if tensor.shape[-1] != 3:
        raise ValueError(f"{name} must be an RGB image with 3 channels, got {tensor.shape[-1]}")
    array = tensor.numpy().astype(np.float32)
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} contains NaN or infinite values")
    if array.min() < 0 or array.max() > 1:
        raise ValueError(
            f"{name} must have pixel values in [0, 1] (divide uint8 images by 255), got "
            f"[{array.min():.3g}, {array.max():.3g}]"
        )
    if size is not None and tuple(array.shape[:2]) != size:
        array = _tf().image.resize(array, size, method="area", antialias=True).numpy()
        array = np.clip(array, 0.0, 1.0)
    return array


def _content_shape(content_shape: tuple[int, int], image_size: int | None) -> tuple[int, int]:
    if image_size is None:
        return content_shape
    if isinstance(image_size, bool) or not isinstance(image_size, (int, np.integer)) \
            or image_size < 8:
        raise ValueError(f"image_size must be an integer >= 8 or None, got {image_size!r}")
    height, width = content_shape
    scale = image_size / min(height, width)
    return max(8, round(height * scale)), max(8, round(width * scale))


def _prepared_pair(content_image, style_image, image_size, feature_extractor):
    """Resize content and style to one shape and run the feature network on both."""
    content_raw = _single_map(content_image, "content_image")
    shape = _content_shape(tuple(content_raw.shape[:2]), image_size)
    content = _prepare_image(content_image, "content_image", shape)
    style = _prepare_image(style_image, "style_image", shape)
    return content, style, feature_extractor(content[None]), feature_extractor(style[None])


def _check_optimisation(steps, learning_rate, init) -> None:
    """Validate the settings shared by :func:`style_transfer` and its batched version."""
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 1:
        raise ValueError(f"steps must be a positive integer, got {steps!r}")
    if isinstance(learning_rate, bool) or not isinstance(learning_rate, (int, float)) \
            or not np.isfinite(learning_rate) or learning_rate <= 0:
        raise ValueError(f"learning_rate must be a positive number, got {learning_rate!r}")
    if init not in ("content", "noise"):
        raise ValueError(f"init must be 'content' or 'noise', got {init!r}")


def style_transfer(
    content_image: ArrayLike,
    style_image: ArrayLike,
    feature_extractor: FeatureExtractor | Callable | None = None,
    content_layers: Sequence[str] | None = None,
    style_layers: Sequence[str] | None = None,
    alpha: float | None = None,
    beta: float | None = None,
    tv_weight: float | None = None,
    steps: int = 200,
    learning_rate: float = 0.03,
    image_size: int | None = 128,
    style_layer_weights: Sequence[float] | None = None,
    init: str = "content",
    seed: int = 0,
    verbose: bool = False,
) -> StyleTransferResult:
    """Optimise the pixels of an image with Adam to minimise the style-transfer loss.

    .. math::

        \\mathcal{L}(x) = \\alpha \\sum_{l \\in \\text{content}} \\tfrac12 \\|F^l(x) - F^l(p)\\|^2
            + \\beta \\sum_{l \\in \\text{style}} w_l E_l(x, a)
            + \\lambda_\\text{TV} \\mathrm{TV}(x)

    Images are RGB in [0, 1], (H, W, 3) or (1, H, W, 3). ``image_size`` resizes the content
    image so that its shorter side has that many pixels (``None``: keep it); the style image is
    resized to the same height and width so that both are seen at the same scale. The start
    image is the content photo (``init="content"``) or uniform noise (``init="noise"``); after
    every Adam step the pixels are clipped back to [0, 1].

    ``feature_extractor`` is a :class:`FeatureExtractor` (default: ``build_feature_extractor()``,
    VGG19 or its offline fallback) or any callable mapping a (1, H, W, 3) batch in [0, 1] to a
    dict of feature maps. Layers and loss weights left as ``None`` come from the extractor.
    Only the ratios of ``alpha``, ``beta`` and ``tv_weight`` matter (Adam's steps do not depend
    on the overall scale of the loss); Gatys et al. use ``alpha / beta`` of 1e-3 to 1e-4.

    Returns ``(image, history)`` with ``history`` holding ``total``, ``content``, ``style`` and
    ``tv`` (unweighted) per step.

    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> content, style = rng.uniform(size=(32, 32, 3)), rng.uniform(size=(32, 32, 3))
    >>> result = style_transfer(content, style, build_feature_extractor("fallback"), steps=5,
    ...                         image_size=None)
    >>> result.image.shape, len(result.history["total"])
    ((32, 32, 3), 5)
    """
    import keras

    tf = _tf()
    _check_optimisation(steps, learning_rate, init)
    if feature_extractor is None:
        feature_extractor = build_feature_extractor()
    if not callable(feature_extractor):
        raise TypeError("feature_extractor must be a FeatureExtractor or a callable returning "
                        f"a dict of feature maps, got {type(feature_extractor).__name__}")
    defaults = feature_extractor if isinstance(feature_extractor, FeatureExtractor) else None

    def pick(value, attribute: str, label: str):
        if value is not None:
            return value
        if defaults is None:
            raise ValueError(f"{label} is required when feature_extractor is not a "
                             "FeatureExtractor")
        return getattr(defaults, attribute)

    content_layers = tuple(pick(content_layers, "content_layers", "content_layers"))
    style_layers = tuple(pick(style_layers, "style_layers", "style_layers"))
    alpha = _check_weight(pick(alpha, "alpha", "alpha"), "alpha")
    beta = _check_weight(pick(beta, "beta", "beta"), "beta")
    tv_weight = _check_weight(pick(tv_weight, "tv_weight", "tv_weight"), "tv_weight")
    if not content_layers and not style_layers:
        raise ValueError("give at least one content layer or one style layer")
    if style_layer_weights is not None and len(style_layer_weights) != len(style_layers):
        raise ValueError(
            f"style_layer_weights must have one weight per style layer ({len(style_layers)}), "
            f"got {len(style_layer_weights)}"
        )
    layer_weights = (
        [_check_weight(w, "style layer weight") for w in style_layer_weights]
        if style_layer_weights is not None else [1.0 / max(len(style_layers), 1)] * len(
            style_layers)
    )

    content, style, content_features, style_features = _prepared_pair(
        content_image, style_image, image_size, feature_extractor)
    if not isinstance(content_features, Mapping):
        raise TypeError("feature_extractor must return a dict {layer name: feature map}")
    unknown = [n for n in content_layers + style_layers if n not in content_features]
    if unknown:
        raise ValueError(f"the feature extractor has no layer(s) {unknown}; it offers "
                         f"{sorted(content_features)}")
    content_targets = [tf.constant(content_features[n]) for n in content_layers]
    style_grams = [gram_matrix(style_features[n]) for n in style_layers]

    if init == "content":
        start = content
    else:
        start = np.random.default_rng(seed).uniform(0, 1, content.shape).astype(np.float32)
    image = tf.Variable(start[None], dtype=tf.float32)
    optimizer = keras.optimizers.Adam(learning_rate=float(learning_rate))

    @tf.function
    def train_step():
        with tf.GradientTape() as tape:
            features = feature_extractor(image)
            c_loss = tf.add_n([tf.constant(0.0)] + [
                content_loss(features[n], target)
                for n, target in zip(content_layers, content_targets, strict=True)])
            s_loss = tf.constant(0.0)
            for n, gram, weight in zip(style_layers, style_grams, layer_weights, strict=True):
                _, height, width, channels = features[n].shape
                s_loss += weight * _layer_style_loss(gram_matrix(features[n]), gram, channels,
                                                     height * width)
            tv_loss = total_variation_loss(image)
            total = alpha * c_loss + beta * s_loss + tv_weight * tv_loss
        gradient = tape.gradient(total, image)
        optimizer.apply_gradients([(gradient, image)])
        image.assign(tf.clip_by_value(image, 0.0, 1.0))
        return total, c_loss, s_loss, tv_loss

    history: dict[str, list[float]] = {"total": [], "content": [], "style": [], "tv": []}
    report_every = max(1, steps // 5)
    for step in range(1, steps + 1):
        values = [float(v) for v in train_step()]
        for key, value in zip(history, values, strict=True):
            history[key].append(value)
        if verbose and (step % report_every == 0 or step == steps):
            print(f"step {step:4d}/{steps}  total {values[0]:.4g}  content {values[1]:.4g}  "
                  f"style {values[2]:.4g}  tv {values[3]:.4g}")
    return StyleTransferResult(image.numpy()[0], history)


def style_transfer_batch(
    content_image: ArrayLike,
    style_image: ArrayLike,
    settings: Sequence[tuple[float, float, float]],
    feature_extractor: FeatureExtractor | None = None,
    steps: int = 100,
    learning_rate: float = 0.03,
    image_size: int | None = 64,
    init: str = "content",
    seed: int = 0,
) -> list[StyleTransferResult]:
    """Several style transfers at once, one per ``(alpha, beta, tv_weight)`` in ``settings``.

    The images are optimised together as one batch, each with its own loss weights, so the
    network runs once per step for all of them. Because the total loss is a sum of per-image
    losses, the gradient of each image depends only on its own loss, and Adam updates every
    pixel independently: each image follows exactly the trajectory :func:`style_transfer`
    would give it alone (up to floating-point rounding). That makes a grid of precomputed
    results (for a slider over alpha, beta or the TV weight) cost little more than one run.

    Layers and layer weights are the extractor's defaults (the extractor must contain no
    batch normalisation, which would couple the images; VGG19 and the fallback have none).

    >>> rng = np.random.default_rng(0)
    >>> content, style = rng.uniform(size=(16, 16, 3)), rng.uniform(size=(16, 16, 3))
    >>> results = style_transfer_batch(content, style, [(1, 1e4, 0), (1, 1e2, 10)],
    ...                                build_feature_extractor("fallback"), steps=3)
    >>> len(results), results[0].image.shape
    (2, (64, 64, 3))
    """
    import keras

    tf = _tf()
    _check_optimisation(steps, learning_rate, init)
    weights = []
    for setting in settings:
        if len(setting) != 3:
            raise ValueError(f"each setting must be (alpha, beta, tv_weight), got {setting!r}")
        weights.append([_check_weight(v, n) for v, n in
                        zip(setting, ("alpha", "beta", "tv_weight"), strict=True)])
    if not weights:
        raise ValueError("settings must contain at least one (alpha, beta, tv_weight)")
    if feature_extractor is None:
        feature_extractor = build_feature_extractor()
    if not isinstance(feature_extractor, FeatureExtractor):
        raise TypeError("feature_extractor must be a FeatureExtractor "
                        "(see build_feature_extractor)")
    content_layers = tuple(feature_extractor.content_layers)
    style_layers = tuple(feature_extractor.style_layers)
    layer_weight = 1.0 / max(len(style_layers), 1)

    content, style, content_features, style_features = _prepared_pair(
        content_image, style_image, image_size, feature_extractor)
    content_targets = [tf.constant(content_features[n]) for n in content_layers]
    style_grams = [gram_matrix(style_features[n])[None] for n in style_layers]

    count = len(weights)
    alpha, beta, tv = (tf.constant(np.asarray(weights, np.float32)[:, i]) for i in range(3))
    if init == "content":
        start = content
    else:
        start = np.random.default_rng(seed).uniform(0, 1, content.shape).astype(np.float32)
    images = tf.Variable(np.repeat(start[None], count, axis=0), dtype=tf.float32)
    optimizer = keras.optimizers.Adam(learning_rate=float(learning_rate))

    @tf.function
    def train_step():
        with tf.GradientTape() as tape:
            features = feature_extractor(images)
            c_loss = tf.zeros(count)
            for name, target in zip(content_layers, content_targets, strict=True):
                c_loss += 0.5 * tf.reduce_sum(tf.square(features[name] - target), axis=[1, 2, 3])
            s_loss = tf.zeros(count)
            for name, gram in zip(style_layers, style_grams, strict=True):
                _, height, width, channels = features[name].shape
                grams = tf.einsum("bhwc,bhwd->bcd", features[name], features[name])
                scale = 1.0 / (4.0 * float(channels) ** 2 * float(height * width) ** 2)
                s_loss += layer_weight * scale * tf.reduce_sum(tf.square(grams - gram),
                                                               axis=[1, 2])
            down = images[:, 1:] - images[:, :-1]
            right = images[:, :, 1:] - images[:, :, :-1]
            tv_loss = tf.reduce_sum(tf.abs(down), axis=[1, 2, 3]) + \
                tf.reduce_sum(tf.abs(right), axis=[1, 2, 3])
            totals = alpha * c_loss + beta * s_loss + tv * tv_loss
            total = tf.reduce_sum(totals)
        optimizer.apply_gradients([(tape.gradient(total, images), images)])
        images.assign(tf.clip_by_value(images, 0.0, 1.0))
        return totals, c_loss, s_loss, tv_loss

    histories = [{"total": [], "content": [], "style": [], "tv": []} for _ in range(count)]
    for _ in range(int(steps)):
        values = [v.numpy() for v in train_step()]
        for index, history in enumerate(histories):
            for key, value in zip(history, values, strict=True):
                history[key].append(float(value[index]))
    final = images.numpy()
    return [StyleTransferResult(final[i], histories[i]) for i in range(count)]
