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
    """MACs (batch of one) of a built Keras model: every ``Conv2D``, ``DepthwiseConv2D``,
    ``SeparableConv2D`` and ``Dense`` layer, including those of nested models.

    Conv2D: H·W·N·M·K_h·K_w; depthwise: H·W·(M·d)·K_h·K_w for depth multiplier d;
    separable: its depthwise part plus H·W·(M·d)·N; Dense: n_in·n_out per position (a Dense
    on a sequence of T vectors costs T·n_in·n_out). Any other convolution layer (Conv1D,
    Conv3D, Conv2DTranspose …) raises ``ValueError`` rather than being left out of the sum.
    """
    import keras

    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a built keras.Model, got {type(model).__name__}")
    depthwise = (keras.layers.DepthwiseConv2D, keras.layers.SeparableConv2D)
    total = 0
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            total += model_macs(layer)
        elif isinstance(layer, (keras.layers.Conv2D, *depthwise)):
            _, h, w, c_out = layer.output.shape
            kh, kw = layer.kernel_size
            c_in = layer.input.shape[-1]
            if isinstance(layer, keras.layers.Conv2D):
                total += h * w * c_out * c_in * kh * kw
            else:
                mult = layer.depth_multiplier
                total += h * w * c_in * mult * kh * kw
                if isinstance(layer, keras.layers.SeparableConv2D):
                    total += h * w * c_in * mult * c_out
        elif isinstance(layer, keras.layers.Dense):
            positions = 1
            for size in layer.output.shape[1:-1]:
                positions *= int(size)
            total += positions * int(layer.kernel.shape[0]) * int(layer.kernel.shape[1])
        elif "Conv" in type(layer).__name__:
            raise ValueError(f"model_macs cannot count layer {layer.name!r} of type "
                             f"{type(layer).__name__}; it counts Conv2D, DepthwiseConv2D, "
                             "SeparableConv2D and Dense layers")
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


# --------------------------------------------------------------------------------------------
# Forward passes in NumPy (channels last, as Keras): the lecture writes each one out in a
# notebook cell and checks it against Keras and against these functions.
# --------------------------------------------------------------------------------------------


def _as_images(name: str, x):
    import numpy as np

    array = np.asarray(x)
    if array.dtype == object or not np.issubdtype(array.dtype, np.number):
        raise TypeError(f"{name} must be a numeric array, got dtype {array.dtype}")
    if array.ndim != 4:
        raise ValueError(f"{name} must have shape [batch, height, width, channels], "
                         f"got {array.ndim} dimensions {array.shape}")
    return array.astype("float64")


def _pads(size: int, window: int, stride: int, padding) -> tuple[int, int]:
    """(before, after) zeros along one axis for 'valid', 'same' (TensorFlow) or an int P."""
    padding = _check_padding(padding)
    if padding == "same":
        return same_padding(size, window, stride)
    pad = 0 if padding == "valid" else padding
    output_size(size, window, stride, pad)   # raises a plain error if the window cannot fit
    return pad, pad


def conv2d(x, kernel, bias=None, stride: int = 1, padding: Padding = "valid"):
    """Cross-correlation as ``keras.layers.Conv2D`` computes it (no activation).

    ``x`` is [B, H, W, C_in], ``kernel`` [K_h, K_w, C_in, C_out], ``bias`` [C_out] or None;
    ``padding`` is "valid", "same" (TensorFlow's, extra zero at the bottom/right) or a number
    P of zeros on every side (PyTorch's). Returns float64 [B, H_out, W_out, C_out].
    """
    import numpy as np

    x = _as_images("x", x)
    kernel = np.asarray(kernel, dtype="float64")
    if kernel.ndim != 4 or kernel.shape[2] != x.shape[3]:
        raise ValueError(f"kernel must be [K_h, K_w, C_in={x.shape[3]}, C_out], "
                         f"got shape {kernel.shape}")
    stride = _check_int("stride", stride, 1)
    kh, kw, _, c_out = kernel.shape
    (top, bottom), (left, right) = (_pads(x.shape[1], kh, stride, padding),
                                    _pads(x.shape[2], kw, stride, padding))
    padded = np.pad(x, ((0, 0), (top, bottom), (left, right), (0, 0)))
    windows = np.lib.stride_tricks.sliding_window_view(padded, (kh, kw), axis=(1, 2))
    windows = windows[:, ::stride, ::stride]                    # [B, R, C, C_in, K_h, K_w]
    out = np.einsum("brcmij,ijmn->brcn", windows, kernel)
    if bias is not None:
        bias = np.asarray(bias, dtype="float64")
        if bias.shape != (c_out,):
            raise ValueError(f"bias must have shape ({c_out},), got {bias.shape}")
        out = out + bias
    return out


def pool2d(x, pool_size: int = 2, stride: int | None = None, padding: str = "valid",
           mode: str = "max"):
    """Max or average pooling as ``keras.layers.MaxPooling2D`` / ``AveragePooling2D``.

    ``stride`` defaults to ``pool_size``. With "same" padding the padded positions never win
    a max and are left out of an average (as in TensorFlow).
    """
    import numpy as np

    x = _as_images("x", x)
    pool_size = _check_int("pool_size", pool_size, 1)
    stride = pool_size if stride is None else _check_int("stride", stride, 1)
    if mode not in ("max", "avg"):
        raise ValueError(f"mode must be 'max' or 'avg', got {mode!r}")
    if not isinstance(padding, str) or padding.lower() not in ("valid", "same"):
        raise ValueError(f"padding must be 'valid' or 'same', got {padding!r}")
    (top, bottom), (left, right) = (_pads(x.shape[1], pool_size, stride, padding.lower()),
                                    _pads(x.shape[2], pool_size, stride, padding.lower()))
    pads = ((0, 0), (top, bottom), (left, right), (0, 0))
    padded = np.pad(x, pads, constant_values=np.nan)
    windows = np.lib.stride_tricks.sliding_window_view(padded, (pool_size, pool_size),
                                                       axis=(1, 2))[:, ::stride, ::stride]
    return np.nanmax(windows, axis=(-2, -1)) if mode == "max" else np.nanmean(
        windows, axis=(-2, -1))


def batch_norm(x, gamma=1.0, beta=0.0, epsilon: float = 1e-3, training: bool = True,
               moving_mean=0.0, moving_variance=1.0, momentum: float = 0.99):
    """Batch normalisation over every axis but the last (the channels), as Keras does it.

    Training: normalise with the batch mean and the *biased* batch variance (divide by B),
    and move the running statistics ``m * moving + (1 - m) * batch``. Inference: normalise
    with the running statistics. Returns ``(y, new_moving_mean, new_moving_variance)``.
    """
    import numpy as np

    x = np.asarray(x, dtype="float64")
    if x.ndim < 2:
        raise ValueError(f"x must have a batch axis and a channel axis, got shape {x.shape}")
    if not 0.0 <= momentum <= 1.0:
        raise ValueError(f"momentum must lie in [0, 1], got {momentum}")
    if not epsilon > 0:
        raise ValueError(f"epsilon must be positive, got {epsilon}")
    moving_mean = np.broadcast_to(np.asarray(moving_mean, "float64"), x.shape[-1:])
    moving_variance = np.broadcast_to(np.asarray(moving_variance, "float64"), x.shape[-1:])
    if not training:
        x_hat = (x - moving_mean) / np.sqrt(moving_variance + epsilon)
        return gamma * x_hat + beta, moving_mean.copy(), moving_variance.copy()
    axes = tuple(range(x.ndim - 1))
    mean, variance = x.mean(axis=axes), x.var(axis=axes)          # var divides by B
    x_hat = (x - mean) / np.sqrt(variance + epsilon)
    return (gamma * x_hat + beta,
            momentum * moving_mean + (1 - momentum) * mean,
            momentum * moving_variance + (1 - momentum) * variance)


def dropout(x, rate: float, mask=None, seed: int = 0, training: bool = True):
    """Inverted dropout: zero each value with probability ``rate``, divide the rest by
    ``p = 1 - rate`` (Keras' ``Dropout(rate)``). ``mask`` (True = keep) overrides the seed.
    At inference it is the identity."""
    import numpy as np

    x = np.asarray(x, dtype="float64")
    if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not 0 <= rate < 1:
        raise ValueError(f"rate is the DROP probability and must lie in [0, 1), got {rate!r}")
    if not training or rate == 0:
        return x.copy()
    if mask is None:
        mask = np.random.default_rng(seed).random(x.shape) >= rate
    mask = np.asarray(mask)
    if mask.shape != x.shape or mask.dtype != bool:
        raise ValueError(f"mask must be a boolean array of shape {x.shape}")
    return np.where(mask, x / (1 - rate), 0.0)
