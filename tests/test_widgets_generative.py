"""Lecture 09's widgets: pure views, live controls, static explorers, the NumPy decoder copy,
the KL practice generator and the diagram."""

import json
import re

import numpy as np
import pytest

from helpers import generative, quiz
from helpers.widgets import generative as gw
from helpers.widgets import time_callback

keras = pytest.importorskip("keras")


def payload(explorer):
    text = explorer._repr_html_()
    match = re.search(r'class="dlbook-explorer-data">(.*?)</script>', text, re.S)
    return json.loads(match.group(1).replace("<\\/", "</"))


def test_noisy_copies_are_clipped_and_seeded():
    images = np.full((3, 4, 4), 0.5, dtype=np.float32)
    noisy = gw.noisy_copies(images, 0.3, seed=1)
    assert noisy.min() >= 0 and noisy.max() <= 1
    np.testing.assert_array_equal(noisy, gw.noisy_copies(images, 0.3, seed=1))
    np.testing.assert_array_equal(gw.noisy_copies(images, 0.0), images)
    with pytest.raises(ValueError):
        gw.noisy_copies(images, -0.1)


def test_denoise_view_reports_both_errors():
    clean = np.zeros((2, 4, 4))
    noisy = np.full((2, 4, 4), 0.5)
    view = gw.denoise_view(clean, noisy, np.full((2, 4, 4), 0.1), 0.5)
    assert "MSE 0.2500" in view and "MSE 0.0100" in view and view.count("<img") == 3
    with pytest.raises(ValueError):
        gw.denoise_view(clean, noisy[:1], noisy, 0.5)


def test_denoise_widget_and_static_states_agree():
    model = keras.Sequential([keras.Input((8, 8, 1)),
                              keras.layers.Conv2D(1, 3, padding="same", activation="sigmoid")])
    images = np.random.default_rng(0).uniform(0, 1, (3, 8, 8)).astype(np.float32)
    box = gw.denoise_widget(model, images, levels=(0.0, 0.3))
    slider = box._dlbook_controls["noise_level"]
    slider.value = 0.3
    noisy = gw.noisy_copies(images, 0.3)
    expected = gw.denoise_view(images, noisy, np.asarray(model(noisy[..., None])), 0.3)
    assert box._dlbook_view.value == expected


def test_dense_forward_matches_keras_and_rejects_other_layers():
    decoder = keras.Sequential([keras.Input((2,)), keras.layers.Dense(8, activation="relu"),
                                keras.layers.Dense(16, activation="sigmoid"),
                                keras.layers.Reshape((4, 4, 1))])
    z = np.random.default_rng(1).normal(size=(5, 2)).astype(np.float32)
    forward = gw.dense_forward(decoder)
    np.testing.assert_allclose(forward(z), decoder.predict(z, verbose=0), atol=1e-5)
    conv = keras.Sequential([keras.Input((4, 4, 1)), keras.layers.Conv2D(1, 3)])
    assert gw.dense_forward(conv) is None


def test_latent_view_widget_and_explorer():
    decoder = keras.Sequential([keras.Input((2,)), keras.layers.Dense(16, activation="sigmoid"),
                                keras.layers.Reshape((4, 4))])
    centres = np.random.default_rng(2).normal(size=(10, 2))
    view = gw.latent_view(gw.dense_forward(decoder), centres, 0.5, -1.0)
    assert "z = (0.5, -1.0)" in view and "<svg" in view
    box = gw.latent_widget(decoder, centres)
    box._dlbook_controls["z1"].value = 1.0
    assert "z = (1.0, 0.0)" in box._dlbook_view.value
    with pytest.raises(TypeError):
        gw.latent_view(gw.dense_forward(decoder), centres, "a", 0.0)
    with pytest.raises(ValueError):
        gw.latent_map_svg(np.zeros((10, 3)), (0, 0))
    with pytest.raises(ValueError):
        gw.latent_explorer(decoder, centres, steps=40)


def test_diffusion_view_and_widget():
    frames = np.random.default_rng(3).uniform(-1, 1, (11, 2, 4, 4))
    view = gw.diffusion_view(frames, frames, 4)
    assert "x_4" in view and "step 4" in view
    box = gw.diffusion_widget(frames, frames)
    box._dlbook_controls["t"].value = 10
    assert box._dlbook_view.value == gw.diffusion_view(frames, frames, 10)
    with pytest.raises(ValueError):
        gw.diffusion_view(frames, frames, 11)
    with pytest.raises(ValueError):
        gw.diffusion_view(frames, frames[:3], 1)


def test_static_explorer_payload(monkeypatch):
    shown = []
    monkeypatch.setattr(gw, "show", lambda live, static: shown.append(static))
    frames = np.zeros((21, 2, 4, 4))
    gw.diffusion_explorer(frames, frames)
    data = payload(shown[0])
    assert data["controls"][0]["labels"] == [str(t) for t in range(0, 21, 5)]
    assert len(data["states"]) == 5


def test_kl_practice_is_graded_by_the_helper():
    questions = gw.kl_practice(count=20, seed=4)
    for question in questions:
        checked = quiz.validate_question(question)
        kwargs = question["answer"]["kwargs"]
        reference = -0.5 * sum(1 + lv - m ** 2 - np.exp(lv)
                               for m, lv in zip(kwargs["mu"], kwargs["log_var"], strict=True))
        assert checked["value"] == pytest.approx(reference)
        assert checked["value"] == pytest.approx(generative.gaussian_kl(**kwargs))
        assert quiz.check_answer(checked, f"{question['value']:.3f}")[0]
        assert not quiz.check_answer(checked, f"{question['value'] + 0.05:.3f}")[0]
    assert gw.kl_practice(3, seed=1) == gw.kl_practice(3, seed=1)
    with pytest.raises(ValueError):
        gw.kl_practice(count=0)


def test_models_diagram_is_an_svg_with_alt_text():
    svg = gw.models_diagram().to_svg()
    assert svg.startswith("<svg") and "discriminator" in svg and "μ + σ·ε" in svg


def test_benchmark_drivers_move_a_control_and_redraw():
    for name, step in gw.benchmarks().items():
        median_ms, p95_ms = time_callback(step, repeats=3)
        assert 0 < median_ms <= p95_ms, name
