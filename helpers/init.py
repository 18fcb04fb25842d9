"""Weight initialisation: fans, the Glorot / He / LeCun scales, and a deep stack measured.

Keras' fans for a kernel of shape ``shape`` (``keras.src.initializers.compute_fans``):

* Dense ``(n_in, n_out)``: fan_in = n_in, fan_out = n_out;
* Conv ``(K_h, K_w, C_in, C_out)`` (any rank >= 3): with r = K_h·K_w (the receptive field),
  fan_in = r·C_in and fan_out = r·C_out.

The scales (the variance each scheme aims for; uniform limits are sqrt(3)·std):

========  ==========================  ===========================
scheme    normal std                  uniform limit
========  ==========================  ===========================
Glorot    sqrt(2 / (fan_in+fan_out))  sqrt(6 / (fan_in+fan_out))
He        sqrt(2 / fan_in)            sqrt(6 / fan_in)
LeCun     sqrt(1 / fan_in)            sqrt(3 / fan_in)
========  ==========================  ===========================

Keras' ``*_normal`` initialisers draw from a normal *truncated at two standard deviations*
and rescale it so that the truncated samples have the std above: the underlying normal has
std ``target / 0.8796...`` (:data:`TRUNCATED_STD_FACTOR`), see :func:`keras_truncated_scale`.

>>> round(glorot_uniform_limit(784, 256), 4)
0.0766
>>> fans((3, 3, 64, 128))
(576, 1152)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from numbers import Integral

import numpy as np

#: std of a standard normal truncated to [-2, 2] (Keras divides by it in *_normal).
TRUNCATED_STD_FACTOR = 0.87962566103423978

SCHEMES = ("zeros", "small", "glorot", "he", "lecun", "large")
ACTIVATIONS = ("tanh", "relu", "sigmoid", "linear")


def _fan(name: str, value) -> int:
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__} {value!r}")
    if value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value}")
    return int(value)


def fans(kernel_shape) -> tuple[int, int]:
    """Keras' (fan_in, fan_out) for a Dense ``(n_in, n_out)`` or conv ``(..., C_in, C_out)``
    kernel; a 1-D shape ``(n,)`` gives (n, n) as in Keras.

    >>> fans((784, 10))
    (784, 10)
    """
    if isinstance(kernel_shape, Integral) or not hasattr(kernel_shape, "__len__"):
        raise TypeError(f"kernel_shape must be a tuple of integers, got {kernel_shape!r}")
    shape = tuple(_fan(f"kernel_shape[{i}]", v) for i, v in enumerate(kernel_shape))
    if len(shape) == 0:
        raise ValueError("kernel_shape must have at least one axis")
    if len(shape) == 1:
        return shape[0], shape[0]
    if len(shape) == 2:
        return shape[0], shape[1]
    receptive = math.prod(shape[:-2])
    return receptive * shape[-2], receptive * shape[-1]


def glorot_uniform_limit(fan_in: int, fan_out: int) -> float:
    """Glorot / Xavier uniform: W ~ U[-a, a] with a = sqrt(6 / (fan_in + fan_out))."""
    return math.sqrt(6.0 / (_fan("fan_in", fan_in) + _fan("fan_out", fan_out)))


def glorot_normal_std(fan_in: int, fan_out: int) -> float:
    """Glorot / Xavier normal: std = sqrt(2 / (fan_in + fan_out))."""
    return math.sqrt(2.0 / (_fan("fan_in", fan_in) + _fan("fan_out", fan_out)))


def he_normal_std(fan_in: int) -> float:
    """He (Kaiming) normal, for ReLU: std = sqrt(2 / fan_in)."""
    return math.sqrt(2.0 / _fan("fan_in", fan_in))


def he_uniform_limit(fan_in: int) -> float:
    """He uniform: a = sqrt(6 / fan_in)."""
    return math.sqrt(6.0 / _fan("fan_in", fan_in))


def lecun_normal_std(fan_in: int) -> float:
    """LeCun normal (for SELU, and Glorot's special case fan_in = fan_out): sqrt(1 / fan_in)."""
    return math.sqrt(1.0 / _fan("fan_in", fan_in))


def lecun_uniform_limit(fan_in: int) -> float:
    """LeCun uniform: a = sqrt(3 / fan_in)."""
    return math.sqrt(3.0 / _fan("fan_in", fan_in))


def keras_truncated_scale(target_std: float) -> float:
    """The std of the normal Keras truncates at ±2 of its std so that the samples kept have
    std ``target_std``: target_std / 0.8796 (a normal cut at ±2σ keeps 0.8796σ of spread)."""
    if isinstance(target_std, bool) or not isinstance(target_std, (int, float)):
        raise TypeError(f"target_std must be a number, got {target_std!r}")
    if not target_std > 0:
        raise ValueError(f"target_std must be positive, got {target_std}")
    return float(target_std) / TRUNCATED_STD_FACTOR


def init_std(scheme: str, fan_in: int, fan_out: int) -> float:
    """The weight std of a named scheme ("zeros", "small" = 0.01, "glorot", "he", "lecun",
    "large" = 1.0) for one layer."""
    if scheme not in SCHEMES:
        raise ValueError(f"scheme must be one of {SCHEMES}, got {scheme!r}")
    fan_in, fan_out = _fan("fan_in", fan_in), _fan("fan_out", fan_out)
    return {"zeros": 0.0, "small": 0.01, "large": 1.0,
            "glorot": glorot_normal_std(fan_in, fan_out), "he": he_normal_std(fan_in),
            "lecun": lecun_normal_std(fan_in)}[scheme]


def activate(z: np.ndarray, activation: str) -> tuple[np.ndarray, np.ndarray]:
    """An activation and its derivative, elementwise: returns (f(z), f'(z))."""
    if activation == "tanh":
        out = np.tanh(z)
        return out, 1.0 - out * out
    if activation == "relu":
        return np.maximum(z, 0.0), (z > 0).astype(z.dtype)
    if activation == "sigmoid":
        out = 1.0 / (1.0 + np.exp(-z))
        return out, out * (1.0 - out)
    if activation == "linear":
        return z, np.ones_like(z)
    raise ValueError(f"activation must be one of {ACTIVATIONS}, got {activation!r}")


@dataclass(frozen=True)
class StackStats:
    """What :func:`deep_stack_statistics` measured, one entry per hidden layer (1..depth)."""

    scheme: str
    activation: str
    activations: np.ndarray  # (depth, batch, width) float32: every layer's outputs
    activation_std: np.ndarray  # (depth,)
    gradient_norm: np.ndarray  # (depth,) Frobenius norm of dLoss/dW of each layer

    @property
    def depth(self) -> int:
        return len(self.activation_std)


def deep_stack_statistics(scheme: str, activation: str, depth: int = 20, width: int = 128,
                          batch: int = 256, seed: int = 0) -> StackStats:
    """Push a standard-normal batch through ``depth`` Dense layers (no biases) initialised by
    ``scheme`` and measure each layer's activation std and the norm of the gradient that
    reaches its weights.

    Forward: h_0 = x, z_l = h_{l-1} W_l, h_l = f(z_l). The loss is L = mean_b(h_depth · g_b)
    with a fixed random direction g (so dL/dh_depth = g / batch, the same for every scheme):
    backward: dz_l = dh_l ⊙ f'(z_l), dW_l = h_{l-1}ᵀ dz_l, dh_{l-1} = dz_l W_lᵀ.
    """
    if scheme not in SCHEMES:
        raise ValueError(f"scheme must be one of {SCHEMES}, got {scheme!r}")
    if activation not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {ACTIVATIONS}, got {activation!r}")
    depth, width, batch = (_fan(n, v) for n, v in (("depth", depth), ("width", width),
                                                     ("batch", batch)))
    if depth > 200 or width > 1024 or batch > 4096:
        raise ValueError("keep depth <= 200, width <= 1024 and batch <= 4096")
    rng = np.random.default_rng(seed)
    std = init_std(scheme, width, width)
    weights = [rng.standard_normal((width, width)) * std for _ in range(depth)]
    h = rng.standard_normal((batch, width))
    inputs, derivs, outputs = [], [], []
    for W in weights:
        inputs.append(h)
        h, d = activate(h @ W, activation)
        derivs.append(d)
        outputs.append(h)
    grad_h = np.tile(rng.standard_normal(width), (batch, 1)) / batch
    norms = np.zeros(depth)
    for layer in range(depth - 1, -1, -1):
        grad_z = grad_h * derivs[layer]
        norms[layer] = np.linalg.norm(inputs[layer].T @ grad_z)
        grad_h = grad_z @ weights[layer].T
    spread = np.array([out.std() for out in outputs])            # float64: no overflow
    stacked = np.stack([np.clip(out, -1e30, 1e30) for out in outputs]).astype("float32")
    return StackStats(scheme, activation, stacked, spread, norms)


__all__ = ["fans", "glorot_uniform_limit", "glorot_normal_std", "he_normal_std",
           "he_uniform_limit", "lecun_normal_std", "lecun_uniform_limit",
           "keras_truncated_scale", "init_std", "activate", "deep_stack_statistics",
           "StackStats", "TRUNCATED_STD_FACTOR", "SCHEMES", "ACTIVATIONS"]
