"""Lecture 09's formulas: the VAE's KL term and sampling, GAN losses, vector quantisation,
diffusion schedules and steps, and a sample-quality score for generated digits.

Each function is written out in ``notebooks/09_generative.ipynb`` as well and checked there
against this module and against TensorFlow; the tests check them against NumPy / SciPy /
Monte-Carlo references. Bad input raises a plain ``ValueError`` or ``TypeError``.
"""

from __future__ import annotations

from collections import namedtuple

import numpy as np

from helpers._checks import positive_int

DigitScore = namedtuple("DigitScore", "confident_fraction class_count counts")
DigitScore.__doc__ = """Result of :func:`digit_score`: the fraction of images classified with
confidence ≥ the threshold, how many of the classes occur among those confident images, and
the number of confident images per class."""


def _float_array(values, name: str) -> np.ndarray:
    try:
        array = np.asarray(values, dtype="float64")
    except (TypeError, ValueError) as error:
        raise TypeError(f"{name} must be numbers, got {type(values).__name__}") from error
    if array.size == 0:
        raise ValueError(f"{name} is empty")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} contains NaN or infinite values")
    return array


def _mu_log_var(mu, log_var) -> tuple[np.ndarray, np.ndarray]:
    mu = _float_array(mu, "mu")
    log_var = _float_array(log_var, "log_var")
    if mu.shape != log_var.shape:
        raise ValueError(f"mu and log_var must have the same shape, got {mu.shape} and "
                         f"{log_var.shape}")
    return mu, log_var


# --------------------------------------------------------------------------------- VAE


def gaussian_kl(mu, log_var):
    """KL(N(μ, σ²) ‖ N(0, I)) in closed form, summed over the last axis (one value per example).

    KL = −½ Σ_j (1 + log σ_j² − μ_j² − σ_j²).

    >>> float(gaussian_kl([0.0, 0.0], [0.0, 0.0]))
    0.0
    >>> round(float(gaussian_kl([1.0], [0.0])), 3)   # ½ μ²
    0.5
    """
    mu, log_var = _mu_log_var(mu, log_var)
    terms = 1.0 + log_var - mu ** 2 - np.exp(log_var)
    result = -0.5 * terms.sum(axis=-1)
    return float(result) if result.ndim == 0 else result


def reparameterise(mu, log_var, rng=None):
    """A sample z = μ + σ·ε with ε ~ N(0, I) and σ = exp(½ log σ²); returns ``(z, epsilon)``.

    ``rng`` is a ``numpy.random.Generator``, an integer seed or None. The randomness sits in
    ε alone, so z is a differentiable function of μ and log σ².
    """
    mu, log_var = _mu_log_var(mu, log_var)
    if rng is None or isinstance(rng, (int, np.integer)) and not isinstance(rng, bool):
        rng = np.random.default_rng(rng)
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy Generator, an int seed or None, got {rng!r}")
    epsilon = rng.standard_normal(mu.shape)
    return mu + np.exp(0.5 * log_var) * epsilon, epsilon


def kl_monte_carlo(mu, log_var, samples: int = 100_000, seed: int = 0) -> np.ndarray:
    """Monte-Carlo estimate of the same KL: the mean of log q(z) − log p(z) over z ~ q.

    Used to check :func:`gaussian_kl` (it converges to it as ``samples`` grows).
    """
    mu, log_var = _mu_log_var(mu, log_var)
    samples = positive_int(samples, "samples")
    rng = np.random.default_rng(seed)
    epsilon = rng.standard_normal((samples, *mu.shape))
    z = mu + np.exp(0.5 * log_var) * epsilon
    log_q = -0.5 * (np.log(2 * np.pi) + log_var + epsilon ** 2)
    log_p = -0.5 * (np.log(2 * np.pi) + z ** 2)
    result = (log_q - log_p).sum(axis=-1).mean(axis=0)
    return float(result) if np.ndim(result) == 0 else result


# --------------------------------------------------------------------------------- GANs


def _probabilities(values, name: str) -> np.ndarray:
    array = _float_array(values, name)
    if np.any(array <= 0) or np.any(array >= 1):
        raise ValueError(f"{name} must lie strictly between 0 and 1")
    return array


def generator_losses(d_fake):
    """The two generator losses as functions of D(G(z)), elementwise; returns
    ``(minimax, non_saturating)`` = (log(1 − D), −log D) and their derivatives with respect
    to the discriminator's logit a (D = σ(a)): (−D, −(1 − D)).

    Returns a dict with keys ``minimax``, ``non_saturating``, ``minimax_grad``,
    ``non_saturating_grad``.
    """
    d = _probabilities(d_fake, "d_fake")
    return {"minimax": np.log1p(-d), "non_saturating": -np.log(d),
            "minimax_grad": -d, "non_saturating_grad": -(1.0 - d)}


# --------------------------------------------------------------------- vector quantisation


def vector_quantise(z, codebook):
    """Snap each row of ``z`` (N, D) to its nearest codebook row (K, D) in Euclidean distance.

    Returns ``(indices, quantised)``. In a VQ-VAE the decoder gets ``quantised``; the
    straight-through estimator passes the decoder's gradient to ``z`` unchanged.
    """
    z = _float_array(z, "z")
    codebook = _float_array(codebook, "codebook")
    if z.ndim != 2 or codebook.ndim != 2:
        raise ValueError(f"z and codebook must be 2-D (N, D) and (K, D), got {z.shape} and "
                         f"{codebook.shape}")
    if z.shape[1] != codebook.shape[1]:
        raise ValueError(f"z has {z.shape[1]} dimensions but the codebook has "
                         f"{codebook.shape[1]}")
    distances = ((z[:, None, :] - codebook[None, :, :]) ** 2).sum(axis=-1)
    indices = distances.argmin(axis=1)
    return indices, codebook[indices]


# ------------------------------------------------------------------------------ diffusion


def _check_betas(betas) -> np.ndarray:
    betas = _float_array(betas, "betas")
    if betas.ndim != 1:
        raise ValueError(f"betas must be 1-D, got shape {betas.shape}")
    if np.any(betas <= 0) or np.any(betas >= 1):
        raise ValueError("every beta must lie strictly between 0 and 1")
    return betas


def linear_beta_schedule(steps: int, beta_start: float = 1e-4,
                         beta_end: float = 0.02) -> np.ndarray:
    """β_1 … β_T evenly spaced from ``beta_start`` to ``beta_end`` (Ho et al. 2020: T = 1000,
    10⁻⁴ to 0.02). Both ends must lie in (0, 1)."""
    steps = positive_int(steps, "steps")
    for name, value in (("beta_start", beta_start), ("beta_end", beta_end)):
        if isinstance(value, bool) or not isinstance(value, (int, float, np.floating)):
            raise TypeError(f"{name} must be a number, got {value!r}")
        if not 0 < value < 1:
            raise ValueError(f"{name} must lie strictly between 0 and 1, got {value!r}")
    return np.linspace(beta_start, beta_end, steps)


def alpha_bar(betas) -> np.ndarray:
    """ᾱ_t = Π_{s ≤ t} (1 − β_s), the fraction of the signal's variance left after t steps."""
    return np.cumprod(1.0 - _check_betas(betas))


def alpha_bar_at(betas, step: int) -> float:
    """ᾱ at one 1-based ``step`` (1 … T) of the schedule ``betas``, as a plain number.

    >>> round(alpha_bar_at([0.1, 0.2, 0.5], 3), 4)     # 0.9 · 0.8 · 0.5
    0.36
    """
    bars = alpha_bar(betas)
    if isinstance(step, bool) or not isinstance(step, (int, np.integer)):
        raise TypeError(f"step must be an integer, got {step!r}")
    if not 1 <= step <= len(bars):
        raise ValueError(f"step must lie in 1 … {len(bars)}, got {step}")
    return float(bars[step - 1])


def cosine_alpha_bar(steps: int, offset: float = 0.008) -> np.ndarray:
    """Nichol & Dhariwal's cosine schedule: ᾱ_t = f(t)/f(0), f(t) = cos²((t/T + s)/(1 + s)·π/2),
    for t = 1 … T, with the implied β_t clipped at 0.999 (so ᾱ_T is small but not 0)."""
    steps = positive_int(steps, "steps")
    if isinstance(offset, bool) or not isinstance(offset, (int, float)) or offset <= 0:
        raise ValueError(f"offset must be a positive number, got {offset!r}")
    t = np.arange(steps + 1) / steps
    f = np.cos((t + offset) / (1 + offset) * np.pi / 2) ** 2
    betas = np.clip(1 - f[1:] / f[:-1], 1e-8, 0.999)
    return np.cumprod(1 - betas)


def _timesteps(t, length: int, batch: int) -> np.ndarray:
    t_array = np.asarray(t)
    if t_array.dtype.kind not in "iu":
        raise TypeError(f"t must be integer time steps, got {t_array.dtype}")
    if np.any(t_array < 0) or np.any(t_array >= length):
        raise ValueError(f"t must lie in 0 … {length - 1}, got {t!r}")
    if t_array.ndim == 0:
        return np.full(batch, int(t_array))
    if t_array.shape != (batch,):
        raise ValueError(f"t must be one integer or one per example ({batch}), got shape "
                         f"{t_array.shape}")
    return t_array


def _alpha_bars(values) -> np.ndarray:
    values = _float_array(values, "alpha_bar")
    if values.ndim != 1 or np.any(values <= 0) or np.any(values > 1):
        raise ValueError("alpha_bar must be a 1-D array of values in (0, 1]")
    return values


def q_sample(x0, t, noise, alpha_bar):
    """The forward process in closed form: x_t = √ᾱ_t · x_0 + √(1 − ᾱ_t) · ε.

    ``x0`` and ``noise`` have the same shape (N, …); ``t`` is one integer index into
    ``alpha_bar`` (0-based: index t holds ᾱ_{t+1}) or one per example.
    """
    x0 = _float_array(x0, "x0")
    noise = _float_array(noise, "noise")
    if x0.shape != noise.shape:
        raise ValueError(f"x0 and noise must have the same shape, got {x0.shape} and "
                         f"{noise.shape}")
    bars = _alpha_bars(alpha_bar)
    if x0.ndim == 0:
        raise ValueError("x0 needs a batch axis")
    steps = _timesteps(t, len(bars), x0.shape[0])
    shape = (-1,) + (1,) * (x0.ndim - 1)
    a = bars[steps].reshape(shape)
    return np.sqrt(a) * x0 + np.sqrt(1 - a) * noise


def ddpm_step(x_t, t: int, predicted_noise, betas, z=None):
    """One reverse (DDPM) step from x_t to x_{t−1} (Ho et al. 2020, Algorithm 2, σ_t² = β_t):

    x_{t−1} = (x_t − β_t/√(1 − ᾱ_t) · ε̂) / √α_t + σ_t z,   with no noise at the last step.

    ``t`` is a 0-based index into ``betas``; ``z`` is standard normal noise shaped like x_t
    (required unless t = 0).
    """
    betas = _check_betas(betas)
    x_t = _float_array(x_t, "x_t")
    predicted_noise = _float_array(predicted_noise, "predicted_noise")
    if x_t.shape != predicted_noise.shape:
        raise ValueError(f"x_t and predicted_noise must have the same shape, got {x_t.shape}"
                         f" and {predicted_noise.shape}")
    if isinstance(t, bool) or not isinstance(t, (int, np.integer)):
        raise TypeError(f"t must be an integer, got {t!r}")
    if not 0 <= t < len(betas):
        raise ValueError(f"t must lie in 0 … {len(betas) - 1}, got {t}")
    bars = np.cumprod(1 - betas)
    beta = betas[t]
    mean = (x_t - beta / np.sqrt(1 - bars[t]) * predicted_noise) / np.sqrt(1 - beta)
    if t == 0:
        return mean
    if z is None:
        raise ValueError("z (fresh noise) is needed for every step but the last")
    z = _float_array(z, "z")
    if z.shape != x_t.shape:
        raise ValueError(f"z must be shaped like x_t {x_t.shape}, got {z.shape}")
    return mean + np.sqrt(beta) * z


def guided_noise(noise_conditional, noise_unconditional, weight: float):
    """Classifier-free guidance (Ho & Salimans 2022): push the noise estimate away from the
    unconditional one, towards the condition,

    ε̃ = (1 + w) · ε̂(x_t, t, y) − w · ε̂(x_t, t, ∅).

    ``weight`` w = 0 is plain conditional sampling; larger w trades variety for fidelity to
    the condition.
    """
    conditional = _float_array(noise_conditional, "noise_conditional")
    unconditional = _float_array(noise_unconditional, "noise_unconditional")
    if conditional.shape != unconditional.shape:
        raise ValueError("noise_conditional and noise_unconditional must have the same "
                         f"shape, got {conditional.shape} and {unconditional.shape}")
    if isinstance(weight, bool) or not isinstance(weight, (int, float, np.integer,
                                                           np.floating)):
        raise TypeError(f"weight must be a number, got {weight!r}")
    if not np.isfinite(weight) or weight < 0:
        raise ValueError(f"weight must be a finite number ≥ 0, got {weight}")
    return (1 + weight) * conditional - weight * unconditional


# --------------------------------------------------------------------- judging samples


def digit_score(classifier, images, threshold: float = 0.9,
                num_classes: int = 10) -> DigitScore:
    """A poor man's Inception score for generated digits.

    ``classifier`` maps a batch of images to class probabilities (a Keras model, or any
    callable returning an (N, num_classes) array of rows that sum to 1). Returns the fraction
    of ``images`` whose top probability is ≥ ``threshold``, the number of classes among those
    confident images, and the confident images per class.
    """
    if not callable(classifier) and not hasattr(classifier, "predict"):
        raise TypeError("classifier must be a Keras model or a callable returning "
                        "probabilities")
    images = _float_array(images, "images")
    if images.ndim < 2:
        raise ValueError(f"images need a batch axis, got shape {images.shape}")
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) \
            or not 0 < threshold <= 1:
        raise ValueError(f"threshold must lie in (0, 1], got {threshold!r}")
    num_classes = positive_int(num_classes, "num_classes")
    if hasattr(classifier, "predict"):
        probabilities = classifier.predict(images.astype("float32"), verbose=0)
    else:
        probabilities = classifier(images.astype("float32"))
    probabilities = np.asarray(probabilities, dtype="float64")
    if probabilities.shape != (len(images), num_classes):
        raise ValueError(f"the classifier returned shape {probabilities.shape}, expected "
                         f"({len(images)}, {num_classes})")
    if not np.allclose(probabilities.sum(axis=1), 1.0, atol=1e-3) or probabilities.min() < 0:
        raise ValueError("the classifier must return probabilities (rows summing to 1)")
    confident = probabilities.max(axis=1) >= threshold
    counts = np.bincount(probabilities.argmax(axis=1)[confident], minlength=num_classes)
    return DigitScore(float(confident.mean()), int((counts > 0).sum()), counts)


__all__ = ["DigitScore", "gaussian_kl", "reparameterise", "kl_monte_carlo",
           "generator_losses", "vector_quantise", "linear_beta_schedule", "alpha_bar",
           "alpha_bar_at",
           "cosine_alpha_bar", "q_sample", "ddpm_step", "guided_noise", "digit_score"]
