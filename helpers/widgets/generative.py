"""Lecture 09's widgets: the denoiser's noise-level slider, the VAE latent-space explorer and
the diffusion timestep slider, plus the Gaussian-KL practice generator and the diagram of
the four generative models.

Three faces each: a pure function that returns the HTML of one state (``denoise_view``,
``latent_view``, ``diffusion_view``), a live ipywidgets UI that calls it (``*_widget``), and a
kernel-free static explorer of precomputed states (``*_explorer`` shows both). The live
callbacks only look up or draw precomputed arrays (the decoder of the latent explorer is run
in NumPy when it is a stack of Dense layers), so each move costs milliseconds.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

import numpy as np

from helpers import generative
from helpers._checks import practice_count
from helpers.explorers import state_explorer
from helpers.widgets import show, wire
from helpers.widgets import svg_document as _svg
from helpers.widgets.vision import _figure, _flex, enlarged_img

_LABEL = {"description_width": "initial"}
CLASS_COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
                 "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]


def _images(images, name: str = "images") -> np.ndarray:
    array = np.asarray(images, dtype=np.float32)
    if array.ndim == 4 and array.shape[-1] == 1:
        array = array[..., 0]
    if array.ndim != 3 or array.shape[0] < 1:
        raise ValueError(f"{name} must be (N, H, W) or (N, H, W, 1), got {array.shape}")
    return array


def _row(images: np.ndarray, caption: str, alt: str, scale: int) -> str:
    strip = np.concatenate([np.pad(image, ((0, 0), (0, 1)), constant_values=0.5)
                            for image in images], axis=1)[:, :-1]
    return _figure(enlarged_img(strip, alt, scale, pixelated=True), caption)


# ----------------------------------------------------------------------- denoiser slider


def noisy_copies(images, noise_level: float, seed: int = 0) -> np.ndarray:
    """``images`` in [0, 1] plus Gaussian noise of standard deviation ``noise_level``,
    clipped to [0, 1] (the corruption the denoising autoencoder is trained on)."""
    images = np.asarray(images, dtype=np.float32)
    if isinstance(noise_level, bool) or not isinstance(noise_level, (int, float)) \
            or not 0 <= noise_level <= 2:
        raise ValueError(f"noise_level must be a number in [0, 2], got {noise_level!r}")
    rng = np.random.default_rng(seed)
    noisy = images + noise_level * rng.standard_normal(images.shape).astype(np.float32)
    return np.clip(noisy, 0.0, 1.0)


def denoise_view(clean, noisy, reconstructed, noise_level: float, scale: int = 4) -> str:
    """HTML: a row of clean digits, their noisy copies and the autoencoder's outputs, with
    the mean squared error of the noisy and of the denoised images against the clean ones."""
    clean, noisy = _images(clean, "clean"), _images(noisy, "noisy")
    reconstructed = _images(reconstructed, "reconstructed")
    if not clean.shape == noisy.shape == reconstructed.shape:
        raise ValueError("clean, noisy and reconstructed must have the same shape")
    before = float(((noisy - clean) ** 2).mean())
    after = float(((reconstructed - clean) ** 2).mean())
    return ("<div>"
            + _row(clean, "clean", "clean digits", scale)
            + _row(noisy, f"input: noise σ = {noise_level:.2f} (MSE {before:.4f})",
                   f"digits with noise of standard deviation {noise_level:.2f}", scale)
            + _row(reconstructed, f"autoencoder output (MSE {after:.4f})",
                   "the denoising autoencoder's reconstructions", scale)
            + "</div>")


def _denoise_states(model, images, levels, seed):
    states = {}
    for level in levels:
        noisy = noisy_copies(images, float(level), seed)
        output = np.asarray(model(noisy[..., None] if noisy.ndim == 3 else noisy,
                                  training=False))
        states[round(float(level), 4)] = denoise_view(images, noisy, output, float(level))
    return states


def denoise_widget(model, images, levels: Sequence[float] = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5,
                                                             0.6, 0.8), seed: int = 0):
    """The live noise-level slider (every level's output is computed once, up front)."""
    import ipywidgets as w

    levels = [round(float(v), 4) for v in levels]
    states = _denoise_states(model, images, levels, seed)
    controls = {"noise_level": w.SelectionSlider(options=levels, value=levels[len(levels) // 2],
                                                 description="noise σ", style=_LABEL)}
    view = w.HTML()

    def update(_change=None):
        view.value = states[controls["noise_level"].value]

    return wire(w.VBox([controls["noise_level"], view]), controls, update, view)


def denoise_explorer(model, images, levels: Sequence[float] = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5,
                                                               0.6, 0.8), seed: int = 0):
    """Show the noise-level slider, live and static."""
    levels = [round(float(v), 4) for v in levels]
    states = _denoise_states(model, images, levels, seed)
    static = state_explorer([("noise_level", "noise σ", levels, None)],
                            lambda noise_level: states[noise_level],
                            "Denoising autoencoder: noise level", initial=[len(levels) // 2])
    show(denoise_widget(model, images, levels, seed), static)


# -------------------------------------------------------------------- latent explorer


def dense_forward(model):
    """A NumPy copy of ``model`` when it is a chain of Dense (and Reshape/Flatten) layers, or
    None. Returns ``f(z) -> output`` on a batch; used so that a slider move costs ~0.1 ms."""
    weights, output_shape = [], None
    for layer in model.layers:
        kind = type(layer).__name__
        if kind in ("InputLayer", "Reshape", "Flatten"):
            output_shape = tuple(layer.target_shape) if kind == "Reshape" else None
            continue
        if kind != "Dense":
            return None
        activation = layer.activation.__name__
        if activation not in ("relu", "sigmoid", "linear", "tanh"):
            return None
        kernel, bias = (np.asarray(v) for v in layer.get_weights())
        weights.append((kernel, bias, activation))
        output_shape = None

    def forward(z):
        h = np.asarray(z, dtype=np.float32)
        for kernel, bias, activation in weights:
            h = h @ kernel + bias
            if activation == "relu":
                h = np.maximum(h, 0)
            elif activation == "sigmoid":
                h = 1 / (1 + np.exp(-h))
            elif activation == "tanh":
                h = np.tanh(h)
        return h if output_shape is None else h.reshape((-1, *output_shape))

    return forward


def latent_map_svg(centres, point, extent: float = 3.0, size: int = 150) -> str:
    """SVG: the 2-D latent square [−extent, extent]², each class's mean code as its digit,
    and the chosen point as a cross."""
    centres = np.asarray(centres, dtype=float)
    if centres.ndim != 2 or centres.shape[1] != 2:
        raise ValueError(f"centres must be (classes, 2), got {centres.shape}")

    def px(value, flip=False):
        value = -value if flip else value
        return (value + extent) / (2 * extent) * (size - 20) + 10

    parts = [f'<rect x="10" y="10" width="{size - 20}" height="{size - 20}" fill="none" '
             'stroke="currentColor" stroke-opacity="0.5"/>']
    for digit, (a, b) in enumerate(centres):
        if abs(a) <= extent and abs(b) <= extent:
            parts.append(f'<text x="{px(a):.1f}" y="{px(b, True):.1f}" font-size="12" '
                         f'text-anchor="middle" dominant-baseline="central" '
                         f'fill="{CLASS_COLOURS[digit]}" font-weight="600">{digit}</text>')
    x, y = px(float(point[0])), px(float(point[1]), True)
    parts.append(f'<path d="M{x - 6:.1f},{y:.1f}H{x + 6:.1f}M{x:.1f},{y - 6:.1f}V{y + 6:.1f}" '
                 'stroke="currentColor" stroke-width="2"/>')
    return _svg(size, size, "".join(parts),
                f"latent square with class centres; point at ({point[0]:.1f}, {point[1]:.1f})")


def latent_view(decode, centres, z1: float, z2: float, scale: int = 6) -> str:
    """HTML: where (z1, z2) lies among the class centres, and the decoder's image there.

    ``decode`` maps an (N, 2) array of codes to (N, H, W[, 1]) images in [0, 1]."""
    for name, value in (("z1", z1), ("z2", z2)):
        if isinstance(value, bool) or not isinstance(value, (int, float, np.floating)):
            raise TypeError(f"{name} must be a number, got {value!r}")
    image = _images(decode(np.array([[z1, z2]], dtype=np.float32)), "decoded")[0]
    return _flex(_figure(latent_map_svg(centres, (z1, z2)),
                         "latent space: digits at their class's mean code"),
                 _figure(enlarged_img(image, f"decoded image at z = ({z1:.1f}, {z2:.1f})",
                                      scale, pixelated=True),
                         f"decoder(z) at z = ({z1:.1f}, {z2:.1f})"))


def _decoder_function(decoder):
    forward = dense_forward(decoder) if hasattr(decoder, "layers") else None
    if forward is not None:
        return forward
    if hasattr(decoder, "predict"):
        return lambda z: np.asarray(decoder(z, training=False))
    if callable(decoder):
        return decoder
    raise TypeError("decoder must be a Keras model or a function of (N, 2) codes")


def latent_widget(decoder, centres, extent: float = 3.0):
    """Two live sliders for (z1, z2) and the decoded image."""
    import ipywidgets as w

    decode = _decoder_function(decoder)
    controls = {name: w.FloatSlider(value=0.0, min=-extent, max=extent, step=0.1,
                                    description=name, style=_LABEL)
                for name in ("z1", "z2")}
    view = w.HTML()

    def update(_change=None):
        view.value = latent_view(decode, centres, controls["z1"].value, controls["z2"].value)

    return wire(w.VBox([controls["z1"], controls["z2"], view]), controls, update, view)


def latent_explorer(decoder, centres, extent: float = 3.0, steps: int = 9):
    """The latent explorer: live sliders, and in the static book a steps × steps grid of
    precomputed decodes."""
    if isinstance(steps, bool) or not isinstance(steps, int) or not 2 <= steps <= 15:
        raise ValueError(f"steps must be an integer in 2 … 15, got {steps!r}")
    decode = _decoder_function(decoder)
    values = [round(float(v), 2) for v in np.linspace(-extent, extent, steps)]
    middle = steps // 2
    static = state_explorer(
        [("z1", "z1", values, None), ("z2", "z2", values, None)],
        lambda z1, z2: latent_view(decode, centres, z1, z2),
        "VAE latent space: move the point, see the decoded digit", initial=[middle, middle])
    show(latent_widget(decoder, centres, extent), static)


# ------------------------------------------------------------------ diffusion slider


def diffusion_view(forward_frames, reverse_frames, t: int, scale: int = 4) -> str:
    """HTML at time step ``t``: real digits noised to x_t by the forward process, and the
    model's samples at the same t on their way down from pure noise (t = T … 0).

    ``forward_frames`` and ``reverse_frames`` are (T + 1, N, H, W) arrays indexed by t
    (frame 0 is x_0), values in [−1, 1]."""
    forward = np.asarray(forward_frames, dtype=np.float32)
    reverse = np.asarray(reverse_frames, dtype=np.float32)
    if forward.ndim != 4 or reverse.ndim != 4 or len(forward) != len(reverse):
        raise ValueError("forward_frames and reverse_frames must be (T + 1, N, H, W) each")
    if isinstance(t, bool) or not isinstance(t, (int, np.integer)) \
            or not 0 <= t < len(forward):
        raise ValueError(f"t must be an integer in 0 … {len(forward) - 1}, got {t!r}")
    last = len(forward) - 1
    to_unit = lambda frames: np.clip((frames + 1) / 2, 0, 1)          # noqa: E731
    return ("<div>"
            + _row(to_unit(forward[t]), f"forward: x_{t} = √ᾱ·x_0 + √(1−ᾱ)·ε from real digits",
                   f"real digits noised to step {t}", scale)
            + _row(to_unit(reverse[t]), f"reverse: the model's samples at step {t} "
                   f"(started from noise at t = {last})",
                   f"generated samples at reverse step {t}", scale)
            + "</div>")


def diffusion_widget(forward_frames, reverse_frames, initial: int | None = None):
    """The live timestep slider."""
    import ipywidgets as w

    last = len(forward_frames) - 1
    controls = {"t": w.IntSlider(value=last // 2 if initial is None else initial, min=0,
                                 max=last, step=1, description="time step t", style=_LABEL)}
    view = w.HTML()

    def update(_change=None):
        view.value = diffusion_view(forward_frames, reverse_frames, controls["t"].value)

    return wire(w.VBox([controls["t"], view]), controls, update, view)


def diffusion_explorer(forward_frames, reverse_frames, shown: Sequence[int] | None = None):
    """Show the timestep slider, live and static (the static book steps through ``shown``)."""
    last = len(forward_frames) - 1
    shown = list(shown) if shown is not None else sorted(set(range(0, last + 1, 5)) | {last})
    static = state_explorer([("t", "time step t", shown, None)],
                            lambda t: diffusion_view(forward_frames, reverse_frames, t),
                            "Diffusion: forward noising and reverse sampling",
                            initial=[len(shown) // 2])
    show(diffusion_widget(forward_frames, reverse_frames, shown[len(shown) // 2]), static)


# ------------------------------------------------------------------ practice and diagram


def kl_practice(count: int = 3, seed: int | None = None) -> list[dict]:
    """Fresh questions on KL(N(μ, σ²) ‖ N(0, 1)) with new μ and σ (one or two latent
    dimensions), graded by :func:`helpers.generative.gaussian_kl`; for
    :func:`helpers.quiz.practice_quiz`."""
    count = practice_count(count)
    rng = random.Random(seed)
    questions = []
    for index in range(count):
        dims = 1 + (index + rng.randrange(2)) % 2
        mus = [rng.choice([-2.0, -1.5, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 2.0])
               for _ in range(dims)]
        sigmas = [rng.choice([0.25, 0.5, 1.0, 1.5, 2.0]) for _ in range(dims)]
        log_vars = [2 * float(np.log(s)) for s in sigmas]
        value = generative.gaussian_kl(mus, log_vars)
        terms = [f"(1 + ln {s ** 2:g} − {m ** 2:g} − {s ** 2:g})"
                 for m, s in zip(mus, sigmas, strict=True)]
        described = ", ".join(f"μ{j + 1} = {m:g}, σ{j + 1} = {s:g}"
                              for j, (m, s) in enumerate(zip(mus, sigmas, strict=True)))
        questions.append({
            "id": f"practice-kl-{index + 1}", "type": "numeric",
            "prompt": (f"An encoder outputs a {dims}-D Gaussian with {described}. What is "
                       "KL(N(μ, σ²) ‖ N(0, I)), in nats? (two decimals)"),
            "answer": {"call": "helpers.generative.gaussian_kl",
                       "kwargs": {"mu": mus, "log_var": log_vars}},
            "value": value, "tolerance": 0.01,
            "hint": "KL = −½ Σ (1 + ln σ² − μ² − σ²); note ln σ², not σ, and σ², not σ.",
            "explanation": f"KL = −½ [{' + '.join(terms)}] = {value:.4f}.",
        })
    return questions


def models_diagram():
    """The four generative models of the lecture as data flows, drawn by code."""
    from helpers.diagrams import Diagram

    d = Diagram(660, 300, alt="Four generative models as data flows: the autoencoder "
                "x to encoder to code z to decoder to x-hat; the VAE whose encoder gives mu and "
                "log sigma squared, sampled as z = mu + sigma times epsilon; the GAN whose "
                "generator turns noise z into a fake that the discriminator tells from real "
                "images; diffusion, which adds noise to x0 step by step and learns a network "
                "that predicts the noise to undo it")
    rows = [("autoencoder", 30), ("VAE", 100), ("GAN", 170), ("diffusion", 240)]
    for name, y in rows:
        d.text(8, y + 15, name, anchor="start", bold=True)
    # autoencoder
    y = 30
    d.rect(100, y, 40, 30, "x").arrow((140, y + 15), (170, y + 15))
    d.rect(170, y, 80, 30, "encoder", tone="blue").arrow((250, y + 15), (280, y + 15))
    d.rect(280, y, 60, 30, "z (2-D)", tone="orange").arrow((340, y + 15), (370, y + 15))
    d.rect(370, y, 80, 30, "decoder", tone="blue").arrow((450, y + 15), (480, y + 15))
    d.rect(480, y, 40, 30, "x̂")
    d.text(530, y + 15, "loss ‖x − x̂‖²", anchor="start", size=11)
    # VAE
    y = 100
    d.rect(100, y, 40, 30, "x").arrow((140, y + 15), (170, y + 15))
    d.rect(170, y, 80, 30, "encoder", tone="blue").arrow((250, y + 15), (280, y + 15))
    d.rect(280, y, 60, 30, "μ, log σ²", tone="orange", size=11)
    d.arrow((340, y + 15), (370, y + 15))
    d.rect(370, y, 80, 30, "μ + σ·ε", tone="green").arrow((450, y + 15), (480, y + 15))
    d.text(410, y + 45, "ε ~ N(0, I)", size=10)
    d.rect(480, y, 80, 30, "decoder", tone="blue").arrow((560, y + 15), (585, y + 15))
    d.rect(585, y, 40, 30, "x̂")
    # GAN
    y = 170
    d.rect(100, y, 70, 30, "z ~ N(0, I)", size=10).arrow((170, y + 15), (200, y + 15))
    d.rect(200, y, 80, 30, "generator", tone="blue").arrow((280, y + 15), (310, y + 15))
    d.rect(310, y, 50, 30, "fake").arrow((360, y + 15), (400, y + 15))
    d.rect(310, y + 36, 50, 24, "real", size=11).arrow((360, y + 48), (400, y + 25))
    d.rect(400, y, 100, 30, "discriminator", tone="red", size=11)
    d.arrow((500, y + 15), (530, y + 15))
    d.text(535, y + 15, "P(real)", anchor="start", size=11)
    # diffusion
    y = 240
    d.rect(100, y, 40, 30, "x₀").arrow((140, y + 15), (170, y + 15))
    d.text(205, y + 6, "+ noise", size=10)
    d.rect(170, y + 12, 70, 18, "q(x_{t} | x₀)", size=9, tone="orange")
    d.arrow((240, y + 20), (270, y + 20))
    d.rect(270, y, 40, 30, "x_{t}").arrow((310, y + 15), (340, y + 15))
    d.rect(340, y, 110, 30, "U-Net(x_{t}, t, y)", tone="blue", size=11)
    d.arrow((450, y + 15), (480, y + 15))
    d.rect(480, y, 40, 30, "ε̂")
    d.text(530, y + 15, "loss ‖ε − ε̂‖²", anchor="start", size=11)
    return d


def benchmarks() -> dict:
    """Callback drivers for scripts/bench.py: noise level, latent point, diffusion step."""
    import keras

    from helpers.widgets import cycle

    rng = np.random.default_rng(0)
    images = rng.uniform(0, 1, (6, 16, 16)).astype(np.float32)
    denoiser = keras.Sequential([keras.Input((16, 16, 1)),
                                 keras.layers.Conv2D(4, 3, padding="same", activation="relu"),
                                 keras.layers.Conv2D(1, 1, activation="sigmoid")])
    decoder = keras.Sequential([keras.Input((2,)), keras.layers.Dense(64, activation="relu"),
                                keras.layers.Dense(256, activation="sigmoid"),
                                keras.layers.Reshape((16, 16, 1))])
    centres = rng.normal(size=(10, 2))
    frames = rng.uniform(-1, 1, (101, 6, 16, 16)).astype(np.float32)
    noise_box = denoise_widget(denoiser, images)
    latent_box = latent_widget(decoder, centres)
    diffusion_box = diffusion_widget(frames, frames)
    points = [round(float(v), 1) for v in np.linspace(-3, 3, 13)]
    return {
        "denoiser: noise level": cycle(noise_box._dlbook_controls["noise_level"],
                                       list(noise_box._dlbook_controls["noise_level"].options)),
        "VAE latent: z1": cycle(latent_box._dlbook_controls["z1"], points),
        "diffusion: time step": cycle(diffusion_box._dlbook_controls["t"],
                                      list(range(0, 101, 7))),
    }


__all__ = ["noisy_copies", "denoise_view", "denoise_widget", "denoise_explorer",
           "dense_forward", "latent_map_svg", "latent_view", "latent_widget", "latent_explorer",
           "diffusion_view", "diffusion_widget", "diffusion_explorer", "kl_practice",
           "models_diagram", "benchmarks"]
