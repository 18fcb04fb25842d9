"""Convolution arithmetic: output sizes, parameter counts and multiply-accumulates.

The output size of a convolution (or pooling) along one spatial axis, with input size ``W``,
kernel ``F``, stride ``S``, dilation ``D`` (effective kernel ``F_eff = D(F-1) + 1``):

* explicit symmetric padding ``P`` (the notes' and PyTorch's formula):
  ``floor((W + 2P - F_eff) / S) + 1``
* ``"valid"`` (TensorFlow, no padding): the same with ``P = 0``
* ``"same"`` (TensorFlow): ``ceil(W / S)``; TensorFlow pads ``max((out-1)S + F_eff - W, 0)``
  zeros in total, the extra one (if odd) at the bottom/right.

>>> output_size(32, 5, stride=2, padding=0)       # the F week 3 quiz: 100x5x5 on 3x32x32
14
>>> output_size(32, 3, stride=2, padding="same")  # TensorFlow: ceil(32 / 2)
16
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from numbers import Integral

Padding = str | int


def _check_int(name: str, value, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__} {value!r}")
    if value < minimum:
        kind = "positive" if minimum == 1 else "non-negative"
        raise ValueError(f"{name} must be a {kind} integer, got {value}")
    return int(value)


def _check_padding(padding) -> Padding:
    if isinstance(padding, str):
        lowered = padding.lower()
        if lowered not in ("valid", "same"):
            raise ValueError(
                f"padding must be 'valid', 'same' or a non-negative integer, got {padding!r}"
            )
        return lowered
    if isinstance(padding, bool) or not isinstance(padding, Integral):
        raise ValueError(
            f"padding must be 'valid', 'same' or a non-negative integer, got {padding!r}"
        )
    if padding < 0:
        raise ValueError(f"padding must be non-negative, got {padding}")
    return int(padding)


def effective_kernel(kernel_size: int, dilation: int = 1) -> int:
    """Span of a dilated kernel: ``D(F-1) + 1`` input positions."""
    kernel_size = _check_int("kernel_size", kernel_size, 1)
    dilation = _check_int("dilation", dilation, 1)
    return dilation * (kernel_size - 1) + 1


def output_size(
    input_size: int,
    kernel_size: int,
    stride: int = 1,
    padding: Padding = "valid",
    dilation: int = 1,
) -> int:
    """Output length along one axis of a convolution or pooling window.

    Agrees with TensorFlow/Keras for ``"valid"`` and ``"same"``, and with the textbook /
    PyTorch formula for an explicit integer padding. Raises ``ValueError`` for settings no
    framework accepts: non-positive sizes or strides, an unknown padding, or a kernel larger
    than the (padded) input.

    >>> output_size(227, 11, stride=4)                # AlexNet's first layer
    55
    >>> output_size(14, 2, stride=2, padding=1)       # pooling with explicit padding
    8
    """
    input_size = _check_int("input_size", input_size, 1)
    stride = _check_int("stride", stride, 1)
    span = effective_kernel(kernel_size, dilation)
    padding = _check_padding(padding)
    if padding == "same":
        return math.ceil(input_size / stride)
    pad = 0 if padding == "valid" else padding
    padded = input_size + 2 * pad
    if span > padded:
        what = f"dilated kernel span {span}" if dilation != 1 else f"kernel size {span}"
        raise ValueError(
            f"{what} is larger than the padded input ({input_size} + 2x{pad} = {padded}): "
            "the window does not fit anywhere"
        )
    return (padded - span) // stride + 1


def same_padding(input_size: int, kernel_size: int, stride: int = 1, dilation: int = 1):
    """The (before, after) zero padding TensorFlow's ``"same"`` adds along one axis.

    >>> same_padding(32, 4, stride=1)    # total 3: one before, two after
    (1, 2)
    """
    out = output_size(input_size, kernel_size, stride, "same", dilation)
    total = max((out - 1) * stride + effective_kernel(kernel_size, dilation) - input_size, 0)
    return total // 2, total - total // 2


def leftover(input_size: int, kernel_size: int, stride: int = 1, padding: Padding = "valid",
             dilation: int = 1) -> int:
    """Input positions (after padding) that the last window never reaches.

    Zero means the windows tile the input exactly; a positive value means the last rows or
    columns are silently dropped (the floor in the formula).
    """
    out = output_size(input_size, kernel_size, stride, padding, dilation)
    padding = _check_padding(padding)
    if padding == "same":
        before, after = same_padding(input_size, kernel_size, stride, dilation)
        padded = input_size + before + after
    else:
        padded = input_size + 2 * (0 if padding == "valid" else padding)
    return padded - ((out - 1) * stride + effective_kernel(kernel_size, dilation))


def notes_output_size(input_size: int, kernel_size: int, stride: int, padding: str) -> int:
    """The ELEN 521 notes' variant ``floor((R - K + P(K-1)) / S) + 1`` with P = 0 / 1.

    With ``P = 1`` ("same") this is ``floor((R-1)/S) + 1 = ceil(R/S)``, so it always agrees
    with TensorFlow's ``"same"``; with ``P = 0`` it is the "valid" formula.
    """
    padding = _check_padding(padding)
    if padding not in ("valid", "same"):
        raise ValueError("the notes' formula takes padding 'valid' or 'same' only")
    input_size = _check_int("input_size", input_size, 1)
    kernel_size = _check_int("kernel_size", kernel_size, 1)
    stride = _check_int("stride", stride, 1)
    p = 0 if padding == "valid" else 1
    if padding == "valid" and kernel_size > input_size:
        raise ValueError(f"kernel size {kernel_size} is larger than the input {input_size}")
    return (input_size - kernel_size + p * (kernel_size - 1)) // stride + 1


def _pair(name: str, value) -> tuple[int, int]:
    if isinstance(value, (tuple, list)):
        if len(value) != 2:
            raise ValueError(f"{name} must be an int or a pair of ints, got {value!r}")
        return value[0], value[1]
    return value, value


@dataclass(frozen=True)
class ConvCost:
    """Shape and cost of one 2-D convolution layer (batch size 1)."""

    output_shape: tuple[int, int, int]  # (H_out, W_out, filters)
    weights: int
    biases: int
    macs: int

    @property
    def params(self) -> int:
        return self.weights + self.biases

    @property
    def neurons(self) -> int:
        """Number of output units: filters x H_out x W_out."""
        h, w, c = self.output_shape
        return h * w * c


def conv2d_cost(
    input_shape: tuple[int, int, int],
    filters: int,
    kernel_size,
    stride=1,
    padding: Padding = "valid",
    dilation=1,
    use_bias: bool = True,
) -> ConvCost:
    """Output shape, parameters and MACs of a ``Conv2D`` on an (H, W, C_in) input.

    parameters = K_h·K_w·C_in·C_out (+ C_out biases);
    MACs = H_out·W_out·C_out·C_in·K_h·K_w (the notes' R·C·N·M·K², one multiply-accumulate
    per weight per output position).

    >>> conv2d_cost((32, 32, 3), 100, 5, stride=2).output_shape
    (14, 14, 100)
    """
    if not isinstance(input_shape, (tuple, list)) or len(input_shape) != 3:
        raise ValueError(f"input_shape must be (height, width, channels), got {input_shape!r}")
    height, width, channels = (_check_int(n, v, 1) for n, v in
                               zip(("height", "width", "channels"), input_shape, strict=True))
    filters = _check_int("filters", filters, 1)
    kh, kw = _pair("kernel_size", kernel_size)
    sh, sw = _pair("stride", stride)
    dh, dw = _pair("dilation", dilation)
    h_out = output_size(height, kh, sh, padding, dh)
    w_out = output_size(width, kw, sw, padding, dw)
    weights = kh * kw * channels * filters
    biases = filters if use_bias else 0
    macs = h_out * w_out * filters * channels * kh * kw
    return ConvCost((h_out, w_out, filters), weights, biases, macs)


def model_macs(model) -> int:
    """Sum the MACs of every ``Conv2D`` and ``Dense`` layer of a built Keras model (batch 1)."""
    import keras

    total = 0
    for layer in model.layers:
        if isinstance(layer, keras.layers.Conv2D):
            _, h, w, c_out = layer.output.shape
            kh, kw = layer.kernel_size
            c_in = layer.input.shape[-1]
            total += h * w * c_out * c_in * kh * kw
        elif isinstance(layer, keras.layers.Dense):
            total += int(layer.kernel.shape[0]) * int(layer.kernel.shape[1])
    return int(total)


def receptive_field(layers: list[tuple[int, int]]) -> int:
    """Receptive field (in input pixels) after a stack of (kernel, stride) layers.

    r_0 = 1, j_0 = 1; each layer: r += (k - 1)·j, then j *= s.

    >>> receptive_field([(3, 1), (3, 1)])   # two 3x3 convs see a 5x5 patch
    5
    """
    field, jump = 1, 1
    for index, pair in enumerate(layers):
        if not isinstance(pair, (tuple, list)) or len(pair) != 2:
            raise ValueError(f"layer {index} must be a (kernel, stride) pair, got {pair!r}")
        kernel = _check_int(f"kernel of layer {index}", pair[0], 1)
        stride = _check_int(f"stride of layer {index}", pair[1], 1)
        field += (kernel - 1) * jump
        jump *= stride
    return field
