"""Parameters and MACs of the building blocks of CNN architectures (Lecture 04).

Every block maps an (H, W, M) input to an (H, W, N) output with "same" padding and stride 1,
so their costs compare like for like. K is the kernel size, B a bottleneck width, t an
expansion factor. Weights only (add ``use_bias`` biases, ``batch_norm`` adds BN's four
per-channel numbers: γ, β and the two moving statistics, all counted by ``count_params()``):

=====================  ================================  ====================================
block                  weights                           MACs (per image)
=====================  ================================  ====================================
standard K×K conv      K²·M·N                            H·W·K²·M·N
1×1 bottleneck → K×K   M·B + K²·B·N                      H·W·(M·B + K²·B·N)
depthwise separable    K²·M + M·N                        H·W·(K²·M + M·N)
inverted residual      M·tM + K²·tM + tM·N               H·W·(M·tM + K²·tM + tM·N)
=====================  ================================  ====================================

The depthwise separable conv costs ``1/N + 1/K²`` of the standard one (weights and MACs).
Built in Keras, each block's ``count_params()`` equals :attr:`BlockCost.params`, and
:func:`layer_macs` of the built block equals :attr:`BlockCost.macs`.

>>> block_params("standard", channels_in=128, channels_out=256, kernel_size=5)
819200
>>> block_params("bottleneck", channels_in=128, channels_out=256, kernel_size=5,
...              bottleneck=16)
104448
"""

from __future__ import annotations

from dataclasses import dataclass, field
from numbers import Integral

KINDS = ("standard", "bottleneck", "separable", "inverted_residual")
LABELS = {"standard": "standard conv", "bottleneck": "1×1 bottleneck + conv",
          "separable": "depthwise separable", "inverted_residual": "inverted residual"}


def _int(name: str, value, minimum: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__} {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value}")
    return int(value)


@dataclass(frozen=True)
class BlockCost:
    """Cost of one block on an (H, W, M) input: totals and the per-layer parts."""

    kind: str
    params: int
    macs: int
    output_shape: tuple[int, int, int]
    parts: dict = field(default_factory=dict)  # layer name -> (params, macs)


def block_cost(kind: str, height: int = 28, width: int = 28, channels_in: int = 64,
               channels_out: int = 64, kernel_size: int = 3, bottleneck: int | None = None,
               expansion: int = 6, use_bias: bool = True, batch_norm: bool = False
               ) -> BlockCost:
    """Parameters and MACs of one block (see the module's table), layer by layer.

    ``bottleneck`` (B) is needed for ``"bottleneck"``; ``expansion`` (t) is used by
    ``"inverted_residual"`` (its projection is linear, and a skip is added only when
    M = N, costing no parameters and no MACs).
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
    h, w = _int("height", height), _int("width", width)
    m, n = _int("channels_in", channels_in), _int("channels_out", channels_out)
    k = _int("kernel_size", kernel_size)
    if not isinstance(use_bias, bool) or not isinstance(batch_norm, bool):
        raise TypeError("use_bias and batch_norm must be True or False")
    bias = 1 if use_bias else 0
    bn = 4 if batch_norm else 0
    parts: dict[str, tuple[int, int]] = {}

    def add(name, weights, channels, macs):
        parts[name] = (weights + (bias + bn) * channels, h * w * macs)

    if kind == "standard":
        add(f"conv {k}×{k}", k * k * m * n, n, k * k * m * n)
    elif kind == "bottleneck":
        if bottleneck is None:
            raise ValueError("a bottleneck block needs its width: bottleneck=B")
        b = _int("bottleneck", bottleneck)
        add("conv 1×1 (reduce)", m * b, b, m * b)
        add(f"conv {k}×{k}", k * k * b * n, n, k * k * b * n)
    elif kind == "separable":
        add(f"depthwise {k}×{k}", k * k * m, m, k * k * m)
        add("pointwise 1×1", m * n, n, m * n)
    else:
        t = _int("expansion", expansion)
        wide = t * m
        add("expand 1×1", m * wide, wide, m * wide)
        add(f"depthwise {k}×{k}", k * k * wide, wide, k * k * wide)
        add("project 1×1 (linear)", wide * n, n, wide * n)
    params = sum(p for p, _ in parts.values())
    macs = sum(c for _, c in parts.values())
    return BlockCost(kind, params, macs, (h, w, n), parts)


def block_params(kind: str, **kwargs) -> int:
    """``block_cost(kind, **kwargs).params`` (a number, for quiz answers)."""
    return block_cost(kind, **kwargs).params


def block_macs(kind: str, **kwargs) -> int:
    """``block_cost(kind, **kwargs).macs`` (a number, for quiz answers)."""
    return block_cost(kind, **kwargs).macs


def separable_ratio(channels_out: int, kernel_size: int) -> float:
    """Cost of a depthwise separable conv over a standard one: 1/N + 1/K² (no biases)."""
    n, k = _int("channels_out", channels_out), _int("kernel_size", kernel_size)
    return 1.0 / n + 1.0 / (k * k)


def stacked_conv_params(channels: int, kernel_size: int = 3, layers: int = 2,
                        use_bias: bool = False) -> int:
    """Weights of ``layers`` stacked K×K convs with C channels in and out: L·K²·C² (+L·C).

    Two 3×3 convs see the 5×5 field of one 5×5 conv with 18C² instead of 25C² weights.
    """
    c, k, n_layers = (_int(name, v) for name, v in (("channels", channels),
                                                     ("kernel_size", kernel_size),
                                                     ("layers", layers)))
    return n_layers * (k * k * c * c + (c if use_bias else 0))


def layer_macs(model) -> int:
    """MACs (batch of one) of every Conv2D, DepthwiseConv2D, SeparableConv2D and Dense layer
    of a built Keras model: :func:`helpers.conv.model_macs`, kept under this name for
    Lecture 04. Other convolution layers raise ``ValueError``.
    """
    from helpers.conv import model_macs

    return model_macs(model)


def keras_block(kind: str, height: int = 28, width: int = 28, channels_in: int = 64,
                channels_out: int = 64, kernel_size: int = 3, bottleneck: int | None = None,
                expansion: int = 6, use_bias: bool = True, batch_norm: bool = False):
    """The block of :func:`block_cost` built as a Keras model (for checking the counts).

    The notebook builds these blocks itself; this reference copy is used by the tests and
    the widgets. ReLU after each layer except the linear projection of the inverted
    residual, which uses ReLU6 as MobileNetV2 does.
    """
    import keras
    from keras import layers

    cost = block_cost(kind, height, width, channels_in, channels_out, kernel_size, bottleneck,
                      expansion, use_bias, batch_norm)  # validates everything
    inputs = keras.Input((height, width, channels_in))

    def norm(x, act):
        if batch_norm:
            x = layers.BatchNormalization()(x)
        return layers.Activation(act)(x) if act else x

    k = kernel_size
    if kind == "standard":
        x = norm(layers.Conv2D(channels_out, k, padding="same", use_bias=use_bias)(inputs),
                 "relu")
    elif kind == "bottleneck":
        x = norm(layers.Conv2D(bottleneck, 1, use_bias=use_bias)(inputs), "relu")
        x = norm(layers.Conv2D(channels_out, k, padding="same", use_bias=use_bias)(x), "relu")
    elif kind == "separable":
        x = norm(layers.DepthwiseConv2D(k, padding="same", use_bias=use_bias)(inputs), "relu")
        x = norm(layers.Conv2D(channels_out, 1, use_bias=use_bias)(x), "relu")
    else:
        x = norm(layers.Conv2D(expansion * channels_in, 1, use_bias=use_bias)(inputs),
                 "relu6")
        x = norm(layers.DepthwiseConv2D(k, padding="same", use_bias=use_bias)(x), "relu6")
        x = norm(layers.Conv2D(channels_out, 1, use_bias=use_bias)(x), None)
        if channels_in == channels_out:
            x = layers.Add()([inputs, x])
    model = keras.Model(inputs, x, name=kind)
    assert model.output.shape[1:] == cost.output_shape
    return model


__all__ = ["KINDS", "LABELS", "BlockCost", "block_cost", "block_params", "block_macs",
           "separable_ratio", "stacked_conv_params", "layer_macs", "keras_block"]
