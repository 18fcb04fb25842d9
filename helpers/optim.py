"""Optimisers, learning-rate schedules and test surfaces, in NumPy (Lecture 05).

The update rules follow ``keras.optimizers`` exactly, with Keras' hyper-parameter names and
defaults, so a trajectory computed here agrees with Keras on the same gradients (the tests and
the lecture check it to ~1e-12 in float64). Where Keras differs from the paper it implements,
the docstring of :func:`optimiser_step` says how.

>>> from helpers import optim
>>> bowl = optim.quadratic(condition_number=10)
>>> path = optim.minimise("adam", bowl.grad, [1.0, 1.0], steps=3, learning_rate=0.1)
>>> path.shape
(4, 2)
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

OPTIMISERS = ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adadelta")

# Keras' defaults (keras.optimizers.SGD / Adagrad / RMSprop / Adam / Adadelta). Keras' SGD has
# momentum=0.0 by default, which is plain SGD; "momentum" and "nesterov" here default to 0.9.
DEFAULTS: dict[str, dict[str, float]] = {
    "sgd": {"learning_rate": 0.01},
    "momentum": {"learning_rate": 0.01, "momentum": 0.9},
    "nesterov": {"learning_rate": 0.01, "momentum": 0.9},
    "adagrad": {"learning_rate": 0.001, "initial_accumulator_value": 0.1, "epsilon": 1e-7},
    "rmsprop": {"learning_rate": 0.001, "rho": 0.9, "momentum": 0.0, "epsilon": 1e-7},
    "adam": {"learning_rate": 0.001, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-7},
    "adadelta": {"learning_rate": 0.001, "rho": 0.95, "epsilon": 1e-7},
}

# The Keras class behind each name, and the constructor arguments that select it.
KERAS_CLASSES = {"sgd": ("SGD", {}), "momentum": ("SGD", {}),
                 "nesterov": ("SGD", {"nesterov": True}), "adagrad": ("Adagrad", {}),
                 "rmsprop": ("RMSprop", {}), "adam": ("Adam", {}), "adadelta": ("Adadelta", {})}

LearningRate = float | Callable[[int], float]


# ------------------------------------------------------------------ validation

def _check_name(optimiser) -> str:
    if not isinstance(optimiser, str):
        raise TypeError(f"optimiser must be a name such as 'adam', got {type(optimiser).__name__}")
    name = optimiser.lower()
    if name not in OPTIMISERS:
        raise ValueError(f"unknown optimiser {optimiser!r}; choose one of {', '.join(OPTIMISERS)}")
    return name


def hyperparameters(optimiser: str, **hyper) -> dict:
    """Keras' defaults for ``optimiser`` updated with ``hyper``, validated.

    >>> hyperparameters("adam", learning_rate=0.01)["beta_2"]
    0.999
    """
    name = _check_name(optimiser)
    allowed = DEFAULTS[name]
    unknown = set(hyper) - set(allowed)
    if unknown:
        raise ValueError(f"{name} has no hyper-parameter {', '.join(sorted(unknown))}; "
                         f"it takes {', '.join(allowed)}")
    merged = {**allowed, **hyper}
    for key, value in merged.items():
        if key == "learning_rate" and callable(value):
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float, np.floating,
                                                               np.integer)):
            raise TypeError(f"{key} must be a number, got {value!r}")
        value = float(value)
        if not np.isfinite(value):
            raise ValueError(f"{key} must be finite, got {value!r}")
        if key in ("momentum", "rho", "beta_1", "beta_2") and not 0.0 <= value < 1.0:
            raise ValueError(f"{key} must be in [0, 1), got {value!r}")
        if key in ("learning_rate", "epsilon") and value <= 0:
            raise ValueError(f"{key} must be positive, got {value!r}")
        if key == "initial_accumulator_value" and value < 0:
            raise ValueError(f"{key} must be non-negative, got {value!r}")
        merged[key] = value
    return merged


def _as_vector(values, name: str) -> np.ndarray:
    array = np.array(values, dtype=np.float64)
    if array.ndim != 1 or array.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D vector, got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must hold finite numbers")
    return array


# ------------------------------------------------------------------ the update rules

def init_state(optimiser: str, params, **hyper) -> dict:
    """The optimiser's slots before the first step (zeros, AdaGrad's initial accumulator)."""
    name = _check_name(optimiser)
    hyper = hyperparameters(name, **hyper)
    zeros = np.zeros_like(np.asarray(params, dtype=np.float64))
    state: dict = {"t": 0}
    if name in ("momentum", "nesterov"):
        state["velocity"] = zeros.copy()
    elif name == "adagrad":
        state["accumulator"] = zeros + hyper["initial_accumulator_value"]
    elif name == "rmsprop":
        state["v"] = zeros.copy()
        state["velocity"] = zeros.copy()
    elif name == "adam":
        state["m"], state["v"] = zeros.copy(), zeros.copy()
    elif name == "adadelta":
        state["v"], state["delta"] = zeros.copy(), zeros.copy()
    return state


def _rate(learning_rate: LearningRate, t: int) -> float:
    return float(learning_rate(t)) if callable(learning_rate) else float(learning_rate)


def _update(name: str, x: np.ndarray, g: np.ndarray, state: dict, h: dict) -> np.ndarray:
    """One step, in place on ``state``; returns the new parameters (no validation)."""
    lr = _rate(h["learning_rate"], state["t"])
    state["t"] += 1
    if name == "sgd":
        return x - lr * g
    if name in ("momentum", "nesterov"):
        velocity = h["momentum"] * state["velocity"] - lr * g
        state["velocity"] = velocity
        if name == "nesterov":
            return x + h["momentum"] * velocity - lr * g
        return x + velocity
    if name == "adagrad":
        state["accumulator"] = state["accumulator"] + g * g
        return x - lr * g / np.sqrt(state["accumulator"] + h["epsilon"])
    if name == "rmsprop":
        state["v"] = h["rho"] * state["v"] + (1 - h["rho"]) * g * g
        increment = lr * g / np.sqrt(state["v"] + h["epsilon"])
        if h["momentum"] > 0:
            state["velocity"] = h["momentum"] * state["velocity"] + increment
            return x - state["velocity"]
        return x - increment
    if name == "adam":
        t = state["t"]
        state["m"] = state["m"] + (g - state["m"]) * (1 - h["beta_1"])
        state["v"] = state["v"] + (g * g - state["v"]) * (1 - h["beta_2"])
        alpha = lr * np.sqrt(1 - h["beta_2"] ** t) / (1 - h["beta_1"] ** t)
        return x - alpha * state["m"] / (np.sqrt(state["v"]) + h["epsilon"])
    # adadelta
    state["v"] = h["rho"] * state["v"] + (1 - h["rho"]) * g * g
    delta = -np.sqrt(state["delta"] + h["epsilon"]) / np.sqrt(state["v"] + h["epsilon"]) * g
    state["delta"] = h["rho"] * state["delta"] + (1 - h["rho"]) * delta * delta
    return x + lr * delta


def optimiser_step(optimiser: str, params, gradient, state: dict | None = None,
                   **hyper) -> tuple[np.ndarray, dict]:
    """One update of ``params`` by ``gradient``; returns ``(new_params, new_state)``.

    With step t = 1, 2, ... and gradient g (Keras' conventions):

    - sgd: x ← x − η g
    - momentum: v ← μ v − η g; x ← x + v.  nesterov: x ← x + μ v − η g (v already updated)
    - adagrad: G ← G + g²; x ← x − η g / √(G + ε), G starting at 0.1. Duchi et al. start G at
      0 and put ε outside the root: η g / (√G + ε).
    - rmsprop: s ← ρ s + (1 − ρ) g²; x ← x − η g / √(s + ε) (ε inside the root).
    - adam: m ← β₁m + (1 − β₁)g; v ← β₂v + (1 − β₂)g²;
      x ← x − η √(1 − β₂ᵗ)/(1 − β₁ᵗ) · m / (√v + ε). Kingma & Ba's Algorithm 1 divides by
      √v̂ + ε with v̂ = v/(1 − β₂ᵗ); Keras adds ε to √v instead (the paper's "ε-hat" form),
      which is Algorithm 1 with ε replaced by ε/√(1 − β₂ᵗ).
    - adadelta: s ← ρ s + (1 − ρ) g²; Δ = −√(d + ε)/√(s + ε) · g; d ← ρ d + (1 − ρ) Δ²;
      x ← x + η Δ. Zeiler's rule has no learning rate (η = 1); Keras multiplies by η
      (default 0.001), so Keras' default Adadelta moves a thousand times more slowly.

    >>> new, state = optimiser_step("sgd", [1.0], [2.0], learning_rate=0.1)
    >>> round(float(new[0]), 6)
    0.8
    """
    name = _check_name(optimiser)
    h = hyperparameters(name, **hyper)
    x = _as_vector(params, "params")
    g = _as_vector(gradient, "gradient")
    if g.shape != x.shape:
        raise ValueError(f"gradient shape {g.shape} does not match params shape {x.shape}")
    if state is None:
        state = init_state(name, x, **hyper)
    if not isinstance(state, dict) or "t" not in state:
        raise TypeError("state must be the dict returned by init_state or optimiser_step")
    state = {key: (value.copy() if isinstance(value, np.ndarray) else value)
             for key, value in state.items()}
    return _update(name, x, g, state, h), state


def apply_gradients(optimiser: str, params, gradients, **hyper) -> np.ndarray:
    """Apply a given sequence of gradients; returns the parameters after each, (n + 1, d).

    This is how the lecture compares with Keras: both get exactly the same gradients.
    """
    name = _check_name(optimiser)
    h = hyperparameters(name, **hyper)
    x = _as_vector(params, "params")
    grads = np.asarray(gradients, dtype=np.float64)
    if grads.ndim != 2 or grads.shape[1] != x.size:
        raise ValueError(f"gradients must have shape (steps, {x.size}), got {grads.shape}")
    state = init_state(name, x, **hyper)
    path = [x]
    for g in grads:
        x = _update(name, x, g, state, h)
        path.append(x)
    return np.array(path)


def minimise(optimiser: str, grad_fn: Callable, x0, steps: int, **hyper) -> np.ndarray:
    """Run ``steps`` updates from ``x0`` with gradients from ``grad_fn(x)``.

    Returns the trajectory, shape (steps + 1, d), starting with ``x0``. ``learning_rate`` may
    be a number or a schedule, a function of the step index 0, 1, 2, ... (like Keras'
    ``LearningRateSchedule``). A diverging run is not an error: once the parameters or the
    gradient stop being finite, the rest of the trajectory is ``nan``.

    >>> minimise("sgd", lambda x: 2 * x, [1.0], 2, learning_rate=0.25)[:, 0].tolist()
    [1.0, 0.5, 0.25]
    """
    name = _check_name(optimiser)
    h = hyperparameters(name, **hyper)
    if not callable(grad_fn):
        raise TypeError("grad_fn must be a function of the parameters returning the gradient")
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 0:
        raise ValueError(f"steps must be a non-negative integer, got {steps!r}")
    x = _as_vector(x0, "x0")
    state = init_state(name, x, **hyper)
    path = [x]
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(int(steps)):
            g = np.asarray(grad_fn(x), dtype=np.float64)
            if g.shape != x.shape:
                raise ValueError(f"grad_fn returned shape {g.shape}, expected {x.shape}")
            if not math.isfinite(g.sum()):          # any inf or nan makes the sum non-finite
                break
            x = _update(name, x, g, state, h)
            if not math.isfinite(x.sum()):
                break
            path.append(x)
    out = np.full((int(steps) + 1, x.size), np.nan)
    out[: len(path)] = path
    return out


def step_value(optimiser: str, param: float, gradient: float, step: int = 1,
               m: float = 0.0, v: float = 0.0, velocity: float = 0.0, **hyper) -> float:
    """The new value of one scalar parameter after one step (for the practice questions).

    ``step`` is the step number t (1 for the first update); ``m``, ``v`` are Adam's moments and
    ``velocity`` the momentum buffer *before* the step.

    >>> round(step_value("momentum", 1.0, 0.5, velocity=0.2, learning_rate=0.1), 4)
    1.13
    """
    name = _check_name(optimiser)
    if name not in ("sgd", "momentum", "nesterov", "adam"):
        raise ValueError("step_value covers sgd, momentum, nesterov and adam")
    if isinstance(step, bool) or not isinstance(step, (int, np.integer)) or step < 1:
        raise ValueError(f"step must be a positive integer, got {step!r}")
    if name == "adam" and v < 0:
        raise ValueError(f"Adam's second moment v cannot be negative, got {v!r}")
    state = init_state(name, [param], **hyper)
    state["t"] = int(step) - 1
    if name == "adam":
        state["m"], state["v"] = np.array([float(m)]), np.array([float(v)])
    elif name in ("momentum", "nesterov"):
        state["velocity"] = np.array([float(velocity)])
    new, _ = optimiser_step(name, [param], [gradient], state, **hyper)
    return float(new[0])


def keras_optimizer(optimiser: str, **hyper):
    """The matching ``keras.optimizers`` object (imports Keras only when called)."""
    import keras

    name = _check_name(optimiser)
    h = hyperparameters(name, **hyper)
    class_name, extra = KERAS_CLASSES[name]
    return getattr(keras.optimizers, class_name)(**h, **extra)


# ------------------------------------------------------------------ learning-rate schedules

def _steps(step) -> np.ndarray:
    array = np.asarray(step, dtype=np.float64)
    if np.any(~np.isfinite(array)) or np.any(array < 0):
        raise ValueError("step must be a non-negative number (or array of them)")
    return array


def _scalar_or_array(values: np.ndarray, step):
    return float(values) if np.ndim(step) == 0 else values


def exponential_decay(step, initial_learning_rate: float, decay_steps: int,
                      decay_rate: float, staircase: bool = False):
    """η₀ · r^(step / s), as ``keras.optimizers.schedules.ExponentialDecay``.

    >>> exponential_decay(100, 0.1, decay_steps=100, decay_rate=0.5)
    0.05
    """
    steps = _steps(step)
    if initial_learning_rate <= 0 or decay_steps <= 0 or not 0 < decay_rate:
        raise ValueError("initial_learning_rate, decay_steps and decay_rate must be positive")
    power = steps / decay_steps
    if staircase:
        power = np.floor(power)
    return _scalar_or_array(initial_learning_rate * decay_rate ** power, step)


def triangular(step, base_learning_rate: float, max_learning_rate: float, step_size: int):
    """Smith's cyclical triangular schedule (2017): up for ``step_size`` steps, down again.

    cycle = ⌊1 + step/(2s)⌋, x = |step/s − 2·cycle + 1|, η = η_base + (η_max − η_base)·max(0, 1 − x)

    >>> [triangular(t, 0.1, 1.0, 2) for t in (0, 1, 2, 3, 4)]
    [0.1, 0.55, 1.0, 0.55, 0.1]
    """
    steps = _steps(step)
    if not 0 < base_learning_rate < max_learning_rate:
        raise ValueError("need 0 < base_learning_rate < max_learning_rate")
    if step_size <= 0:
        raise ValueError(f"step_size must be positive, got {step_size!r}")
    cycle = np.floor(1 + steps / (2 * step_size))
    x = np.abs(steps / step_size - 2 * cycle + 1)
    rates = base_learning_rate + (max_learning_rate - base_learning_rate) * np.maximum(0, 1 - x)
    return _scalar_or_array(rates, step)


def one_cycle(step, total_steps: int, max_learning_rate: float, div_factor: float = 25.0,
              final_div_factor: float = 1e3, warmup_fraction: float = 0.45):
    """Smith's 1cycle (2018): linear up to η_max, linear back down, then a short annihilation.

    Starts at η_max/div_factor, reaches η_max after ``warmup_fraction`` of the steps, returns to
    the start at twice that, and falls linearly to η_max/(div_factor·final_div_factor) at the
    end (the last 10 % of the steps with the default 0.45).
    """
    steps = _steps(step)
    if isinstance(total_steps, bool) or total_steps < 2:
        raise ValueError(f"total_steps must be at least 2, got {total_steps!r}")
    if max_learning_rate <= 0 or div_factor <= 1 or final_div_factor < 1:
        raise ValueError("need max_learning_rate > 0, div_factor > 1, final_div_factor >= 1")
    if not 0 < warmup_fraction <= 0.5:
        raise ValueError(f"warmup_fraction must be in (0, 0.5], got {warmup_fraction!r}")
    start = max_learning_rate / div_factor
    end = start / final_div_factor
    peak_at = warmup_fraction * (total_steps - 1)
    back_at = 2 * peak_at
    rates = np.interp(steps, [0, peak_at, back_at, total_steps - 1],
                      [start, max_learning_rate, start, end])
    return _scalar_or_array(rates, step)


# ------------------------------------------------------------------ learning-rate range test

def range_test_rates(min_learning_rate: float, max_learning_rate: float,
                     steps: int) -> np.ndarray:
    """Exponentially increasing learning rates for the range test, one per batch."""
    if not 0 < min_learning_rate < max_learning_rate:
        raise ValueError("need 0 < min_learning_rate < max_learning_rate")
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 2:
        raise ValueError(f"steps must be an integer >= 2, got {steps!r}")
    return np.geomspace(min_learning_rate, max_learning_rate, int(steps))


def smooth(losses, beta: float = 0.9) -> np.ndarray:
    """Exponential moving average with bias correction (Adam's trick): (1−β)Σβ^(t−i)ℓᵢ/(1−βᵗ)."""
    values = np.asarray(losses, dtype=np.float64)
    if values.ndim != 1 or values.size == 0:
        raise ValueError("losses must be a non-empty 1-D sequence")
    if not 0 <= beta < 1:
        raise ValueError(f"beta must be in [0, 1), got {beta!r}")
    out, average = np.empty_like(values), 0.0
    for index, loss in enumerate(values):
        average = beta * average + (1 - beta) * loss
        out[index] = average / (1 - beta ** (index + 1))
    return out


def suggest_learning_rate(rates, losses, beta: float = 0.9) -> dict:
    """Read a range-test curve: where the smoothed loss is lowest and falls fastest.

    Returns ``{"min_loss_rate", "steepest_rate", "suggested"}``: the common rule takes a
    rate about ten times below the one with the lowest loss (the loss is still falling there);
    ``steepest_rate`` is where the smoothed loss falls fastest per decade of learning rate.
    """
    rates = np.asarray(rates, dtype=np.float64)
    smoothed = smooth(losses, beta)
    if rates.shape != smoothed.shape or rates.size < 3:
        raise ValueError("rates and losses must be 1-D, of the same length, at least 3")
    if np.any(rates <= 0) or np.any(np.diff(rates) <= 0):
        raise ValueError("rates must be positive and increasing")
    finite = np.isfinite(smoothed)
    if not finite.any():
        raise ValueError("no finite loss to read")
    best = int(np.nanargmin(np.where(finite, smoothed, np.nan)))
    slopes = np.gradient(smoothed[: best + 1], np.log10(rates[: best + 1])) \
        if best >= 2 else np.array([0.0])
    steepest = int(np.argmin(slopes))
    return {"min_loss_rate": float(rates[best]), "steepest_rate": float(rates[steepest]),
            "suggested": float(rates[best] / 10)}


# ------------------------------------------------------------------ test surfaces

@dataclass(frozen=True)
class Surface:
    """A 2-D loss surface: ``f``, ``grad`` and ``hessian`` take points of shape (..., 2)."""

    name: str
    f: Callable[[np.ndarray], np.ndarray]
    grad: Callable[[np.ndarray], np.ndarray]
    hessian: Callable[[np.ndarray], np.ndarray]
    extent: tuple[float, float, float, float]       # x_min, x_max, y_min, y_max for plots
    minima: tuple[tuple[float, float], ...] = field(default_factory=tuple)
    log_levels: bool = False                           # contour levels on a log scale

    def __call__(self, point) -> np.ndarray:
        return self.f(point)


def _xy(point) -> tuple[np.ndarray, np.ndarray]:
    array = np.asarray(point, dtype=np.float64)
    if array.shape[-1:] != (2,):
        raise ValueError(f"a point on a 2-D surface has shape (..., 2), got {array.shape}")
    return array[..., 0], array[..., 1]


def _stack(a, b) -> np.ndarray:
    if np.ndim(a) == 0 and np.ndim(b) == 0:          # one point: the fast path minimise uses
        return np.array([a, b], dtype=np.float64)
    return np.stack(np.broadcast_arrays(a, b), axis=-1)


def _hess(a, b, c) -> np.ndarray:
    a, b, c = np.broadcast_arrays(a, b, c)
    return np.stack([np.stack([a, b], -1), np.stack([b, c], -1)], -2)


def quadratic(condition_number: float = 10.0, angle: float = 0.0) -> Surface:
    """f = ½(u² + κ w²) with (u, w) the point rotated by ``angle`` degrees; condition number κ.

    Gradient descent is stable only for η < 2/κ along the steep direction, and then crawls
    along the flat one: the picture of ill-conditioning.
    """
    if isinstance(condition_number, bool) or not isinstance(condition_number, (int, float)) \
            or condition_number < 1:
        raise ValueError(f"condition_number must be a number >= 1, got {condition_number!r}")
    kappa = float(condition_number)
    theta = np.deg2rad(float(angle))
    c, s = np.cos(theta), np.sin(theta)
    matrix = np.array([[c * c + kappa * s * s, (1 - kappa) * c * s],
                       [(1 - kappa) * c * s, s * s + kappa * c * c]])

    def f(p):
        x, y = _xy(p)
        return 0.5 * (matrix[0, 0] * x * x + 2 * matrix[0, 1] * x * y + matrix[1, 1] * y * y)

    def grad(p):
        x, y = _xy(p)
        return _stack(matrix[0, 0] * x + matrix[0, 1] * y, matrix[0, 1] * x + matrix[1, 1] * y)

    def hessian(p):
        x, _ = _xy(p)
        zero = np.zeros_like(x)
        return _hess(zero + matrix[0, 0], zero + matrix[0, 1], zero + matrix[1, 1])

    return Surface(f"quadratic, condition number {kappa:g}", f, grad, hessian,
                   (-2.2, 2.2, -1.4, 1.4), ((0.0, 0.0),))


def rosenbrock(a: float = 1.0, b: float = 100.0) -> Surface:
    """f = (a − x)² + b(y − x²)²: a curved, narrow valley with its minimum at (a, a²)."""
    if a == 0 or b <= 0:
        raise ValueError("need a != 0 and b > 0")

    def f(p):
        x, y = _xy(p)
        return (a - x) ** 2 + b * (y - x * x) ** 2

    def grad(p):
        x, y = _xy(p)
        return _stack(-2 * (a - x) - 4 * b * x * (y - x * x), 2 * b * (y - x * x))

    def hessian(p):
        x, y = _xy(p)
        return _hess(2 - 4 * b * (y - 3 * x * x), -4 * b * x, 2 * b + 0 * x)

    return Surface("Rosenbrock", f, grad, hessian, (-2.0, 2.0, -1.0, 3.0),
                   ((float(a), float(a * a)),), log_levels=True)


def saddle() -> Surface:
    """f = x² − y²: zero gradient at the origin, a minimum along x and a maximum along y."""

    def f(p):
        x, y = _xy(p)
        return x * x - y * y

    def grad(p):
        x, y = _xy(p)
        return _stack(2 * x, -2 * y)

    def hessian(p):
        x, _ = _xy(p)
        zero = np.zeros_like(x)
        return _hess(zero + 2, zero, zero - 2)

    return Surface("saddle x² − y²", f, grad, hessian, (-1.5, 1.5, -1.5, 1.5))


def two_minima() -> Surface:
    """f = (x² − 1)² + 0.3x + y²: a global minimum near x = −1, a local one near x = +1, and
    a saddle point between them."""

    def f(p):
        x, y = _xy(p)
        return (x * x - 1) ** 2 + 0.3 * x + y * y

    def grad(p):
        x, y = _xy(p)
        return _stack(4 * x * (x * x - 1) + 0.3, 2 * y)

    def hessian(p):
        x, _ = _xy(p)
        return _hess(12 * x * x - 4, 0 * x, 2 + 0 * x)

    roots = np.roots([4, 0, -4, 0.3])
    minima = tuple((float(r), 0.0) for r in sorted(roots.real) if 12 * r.real ** 2 - 4 > 0)
    return Surface("two minima", f, grad, hessian, (-2.0, 2.0, -1.5, 1.5), minima)


def plateau() -> Surface:
    """f = 1 − exp(−(x² + y²)/2): a bowl around the origin surrounded by an almost flat plain."""

    def f(p):
        x, y = _xy(p)
        return 1 - np.exp(-(x * x + y * y) / 2)

    def grad(p):
        x, y = _xy(p)
        e = np.exp(-(x * x + y * y) / 2)
        return _stack(x * e, y * e)

    def hessian(p):
        x, y = _xy(p)
        e = np.exp(-(x * x + y * y) / 2)
        return _hess((1 - x * x) * e, -x * y * e, (1 - y * y) * e)

    return Surface("plateau", f, grad, hessian, (-5.0, 5.0, -5.0, 5.0), ((0.0, 0.0),))


SURFACES = {"quadratic": quadratic, "rosenbrock": rosenbrock, "saddle": saddle,
            "two_minima": two_minima, "plateau": plateau}


def max_stable_learning_rate(hessian) -> float:
    """2/λ_max: gradient descent on a quadratic with this Hessian converges iff η < 2/λ_max.

    >>> max_stable_learning_rate([[1.0, 0.0], [0.0, 50.0]])
    0.04
    """
    matrix = np.asarray(hessian, dtype=np.float64)
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1] or matrix.size == 0:
        raise ValueError(f"hessian must be a square matrix, got shape {matrix.shape}")
    if not np.allclose(matrix, matrix.T):
        raise ValueError("hessian must be symmetric")
    largest = float(np.linalg.eigvalsh(matrix).max())
    if largest <= 0:
        raise ValueError("the Hessian has no positive curvature: no step size converges")
    return 2.0 / largest


def critical_point_kind(hessian) -> str:
    """Classify a critical point from its Hessian's eigenvalues.

    All positive: ``"minimum"``; all negative: ``"maximum"``; both signs: ``"saddle"``;
    a zero eigenvalue: ``"degenerate"`` (the second-order test cannot decide).
    """
    matrix = np.asarray(hessian, dtype=np.float64)
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1] or matrix.size == 0:
        raise ValueError(f"hessian must be a square matrix, got shape {matrix.shape}")
    if not np.allclose(matrix, matrix.T):
        raise ValueError("hessian must be symmetric")
    eigenvalues = np.linalg.eigvalsh(matrix)
    scale = max(1.0, float(np.abs(eigenvalues).max()))
    if np.any(np.abs(eigenvalues) <= 1e-10 * scale):
        return "degenerate"
    if np.all(eigenvalues > 0):
        return "minimum"
    if np.all(eigenvalues < 0):
        return "maximum"
    return "saddle"


__all__ = ["OPTIMISERS", "DEFAULTS", "hyperparameters", "init_state", "optimiser_step",
           "apply_gradients", "minimise", "step_value", "keras_optimizer",
           "exponential_decay", "triangular", "one_cycle", "range_test_rates", "smooth",
           "suggest_learning_rate", "Surface", "quadratic", "rosenbrock", "saddle",
           "two_minima", "plateau", "SURFACES", "max_stable_learning_rate",
           "critical_point_kind"]
