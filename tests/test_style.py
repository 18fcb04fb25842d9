"""Tests of helpers.style: Gram matrix and losses against NumPy / TF references, the offline
fallback of the feature extractor, and a short style-transfer run."""

from __future__ import annotations

import os
import time

import numpy as np
import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import tensorflow as tf  # noqa: E402

from helpers import style  # noqa: E402
from helpers.style import (  # noqa: E402
    FeatureExtractor,
    build_feature_extractor,
    content_loss,
    gram_matrix,
    style_loss,
    style_transfer,
    total_variation_loss,
)


@pytest.fixture(scope="module")
def fallback() -> FeatureExtractor:
    return build_feature_extractor("fallback", width=8)


def numpy_gram(features: np.ndarray) -> np.ndarray:
    channels = features.shape[-1]
    matrix = features.reshape(-1, channels).T  # C x HW, row i = channel i
    return matrix @ matrix.T


# --------------------------------------------------------------------------- Gram and losses


def test_gram_matrix_matches_numpy_reference():
    rng = np.random.default_rng(0)
    for shape in [(4, 5, 3), (1, 6, 2, 7), (1, 1, 1)]:
        features = rng.normal(size=shape).astype(np.float32)
        expected = numpy_gram(features.reshape(features.shape[-3:]))
        for value in (features, tf.constant(features), tf.Variable(features)):
            gram = gram_matrix(value)
            assert tf.is_tensor(gram)
            assert gram.shape == (shape[-1], shape[-1])
            np.testing.assert_allclose(gram.numpy(), expected, rtol=1e-5, atol=1e-5)
            np.testing.assert_allclose(gram.numpy(), gram.numpy().T, rtol=1e-6)


def test_gram_matrix_is_differentiable():
    features = tf.Variable(np.random.default_rng(1).normal(size=(3, 3, 2)).astype(np.float32))
    with tf.GradientTape() as tape:
        total = tf.reduce_sum(gram_matrix(features))
    gradient = tape.gradient(total, features).numpy()
    # sum_ij G_ij = sum_k (sum_i F_ki)^2, so d/dF_ki = 2 * sum_i F_ki
    expected = 2 * np.repeat(features.numpy().sum(axis=-1, keepdims=True), 2, axis=-1)
    np.testing.assert_allclose(gradient, expected, rtol=1e-5)


@pytest.mark.parametrize(
    "value, error, message",
    [
        (np.zeros((2, 4, 4, 3)), ValueError, r"\(H, W, C\) or \(1, H, W, C\), got \(2, 4, 4, 3\)"),
        (np.zeros((4, 3)), ValueError, r"got \(4, 3\)"),
        (np.zeros((1, 1, 4, 4, 3)), ValueError, "got"),
        ([["a", "b"]], TypeError, "numeric"),
    ],
)
def test_gram_matrix_rejects_bad_inputs(value, error, message):
    with pytest.raises(error, match=message):
        gram_matrix(value)


def test_content_loss():
    rng = np.random.default_rng(2)
    generated, target = rng.normal(size=(2, 3, 4)), rng.normal(size=(2, 3, 4))
    expected = 0.5 * np.sum((generated - target) ** 2)
    assert float(content_loss(generated, target)) == pytest.approx(expected, rel=1e-6)
    assert float(content_loss(target, target)) == 0.0
    with pytest.raises(ValueError, match=r"same shape, got \(2, 3, 4\) and \(2, 3, 5\)"):
        content_loss(generated, np.zeros((2, 3, 5)))


def test_style_loss_single_and_weighted_layers():
    rng = np.random.default_rng(3)
    shapes = [(6, 5, 4), (3, 2, 8)]
    generated = [rng.normal(size=s).astype(np.float32) for s in shapes]
    styles = [rng.normal(size=s).astype(np.float32) for s in shapes]

    def layer(g, a):
        height, width, channels = g.shape
        return np.sum((numpy_gram(g) - numpy_gram(a)) ** 2) / (
            4 * channels**2 * (height * width) ** 2)

    per_layer = [layer(g, a) for g, a in zip(generated, styles, strict=True)]
    assert float(style_loss(generated[0], styles[0])) == pytest.approx(per_layer[0], rel=1e-4)
    assert float(style_loss(generated, styles)) == pytest.approx(np.mean(per_layer), rel=1e-4)
    weighted = float(style_loss(generated, styles, layer_weights=[0.2, 3.0]))
    assert weighted == pytest.approx(0.2 * per_layer[0] + 3.0 * per_layer[1], rel=1e-4)
    # a style map of another size works: Gram matrices are C x C whatever H and W are
    other = rng.normal(size=(1, 9, 9, 4)).astype(np.float32)
    assert float(style_loss(generated[0], other)) > 0
    assert float(style_loss(styles[1], styles[1])) == 0.0


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(generated_features=[np.ones((2, 2, 3))] * 2, style_features=[np.ones((2, 2, 3))]),
         "same number of layers"),
        (dict(generated_features=np.ones((2, 2, 3)), style_features=np.ones((2, 2, 4))),
         "same number of channels"),
        (dict(generated_features=[], style_features=[]), "at least one"),
        (dict(generated_features=np.ones((2, 2, 3)), style_features=np.ones((2, 2, 3)),
              layer_weights=[1.0, 2.0]), "one weight per layer"),
        (dict(generated_features=np.ones((2, 2, 3)), style_features=np.ones((2, 2, 3)),
              layer_weights=[-1.0]), ">= 0"),
    ],
)
def test_style_loss_rejects_bad_inputs(kwargs, message):
    with pytest.raises(ValueError, match=message):
        style_loss(**kwargs)


def test_total_variation_matches_tensorflow():
    image = np.random.default_rng(4).uniform(size=(7, 9, 3)).astype(np.float32)
    expected = float(tf.image.total_variation(tf.constant(image)))
    assert float(total_variation_loss(image)) == pytest.approx(expected, rel=1e-5)
    assert float(total_variation_loss(image[None])) == pytest.approx(expected, rel=1e-5)
    squared = np.sum(np.diff(image, axis=0) ** 2) + np.sum(np.diff(image, axis=1) ** 2)
    assert float(total_variation_loss(image, power=2)) == pytest.approx(squared, rel=1e-5)
    assert float(total_variation_loss(np.full((4, 4, 3), 0.3))) == 0.0
    with pytest.raises(ValueError, match="power must be 1"):
        total_variation_loss(image, power=3)
    with pytest.raises(ValueError, match=r"\(H, W, C\)"):
        total_variation_loss(image[None].repeat(2, axis=0))


# --------------------------------------------------------------------------- extractors


def test_fallback_extractor_outputs(fallback):
    outputs = fallback(np.zeros((1, 32, 32, 3), np.float32))
    assert fallback.kind == "fallback"
    assert set(outputs) == set(style.FALLBACK_LAYERS) == set(fallback.layer_names)
    assert outputs["scale1"].shape == (1, 32, 32, 8)
    assert outputs["scale4"].shape == (1, 4, 4, 32)
    assert set(fallback.content_layers) <= set(outputs)
    assert not fallback.model.trainable_weights  # fixed filters
    again = build_feature_extractor("fallback", width=8)
    image = np.random.default_rng(0).uniform(size=(1, 16, 16, 3)).astype(np.float32)
    np.testing.assert_allclose(fallback(image)["scale2"], again(image)["scale2"])  # seeded


def test_vgg19_falls_back_offline_with_one_line(monkeypatch, capsys):
    monkeypatch.setattr(style, "_vgg19_weights_cached", lambda: False)
    monkeypatch.setenv("DLBOOK_OFFLINE", "1")
    start = time.perf_counter()
    extractor = build_feature_extractor("vgg19", width=4)
    assert time.perf_counter() - start < 10
    assert extractor.kind == "fallback"
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1 and "DLBOOK_OFFLINE" in lines[0] and "VGG19" in lines[0]


def test_vgg19_falls_back_when_host_unreachable_or_download_fails(monkeypatch, capsys):
    import keras

    monkeypatch.delenv("DLBOOK_OFFLINE", raising=False)
    monkeypatch.setattr(style, "_vgg19_weights_cached", lambda: False)
    monkeypatch.setattr(style, "_host_reachable", lambda host, timeout: False)
    assert build_feature_extractor("vgg19", width=4).kind == "fallback"
    assert "cannot reach" in capsys.readouterr().out

    def broken_download(**kwargs):
        raise OSError("connection reset")

    monkeypatch.setattr(style, "_host_reachable", lambda host, timeout: True)
    monkeypatch.setattr(keras.applications, "VGG19", broken_download)
    assert build_feature_extractor("vgg19", width=4).kind == "fallback"
    assert "download failed: OSError" in capsys.readouterr().out


def test_vgg19_path_builds_when_weights_are_there(monkeypatch, capsys):
    """The online code path, with randomly initialised VGG19 standing in for the download."""
    import keras

    real_vgg19 = keras.applications.VGG19
    monkeypatch.setattr(style, "_vgg19_weights_cached", lambda: True)
    monkeypatch.setattr(keras.applications, "VGG19",
                        lambda weights, include_top: real_vgg19(weights=None, include_top=False))
    extractor = build_feature_extractor("vgg19")
    assert capsys.readouterr().out == ""
    assert extractor.kind == "vgg19"
    features = extractor(np.full((1, 32, 32, 3), 0.5, np.float32))
    assert set(features) == set(style.VGG19_CONTENT_LAYERS + style.VGG19_STYLE_LAYERS)
    assert features["block1_conv1"].shape == (1, 32, 32, 64)
    assert features["block5_conv1"].shape == (1, 2, 2, 512)
    assert not extractor.model.trainable_weights
    with pytest.raises(ValueError, match="VGG19 has no layer"):
        build_feature_extractor("vgg19", layer_names=["conv9"])


def test_host_probe_never_hangs():
    start = time.perf_counter()
    assert style._host_reachable("host.invalid", timeout=1.0) is False
    assert time.perf_counter() - start < 3


def test_build_feature_extractor_rejects_bad_arguments():
    with pytest.raises(ValueError, match="kind must be 'vgg19' or 'fallback'"):
        build_feature_extractor("resnet")
    with pytest.raises(ValueError, match="width must be a positive integer"):
        build_feature_extractor("fallback", width=0)
    with pytest.raises(ValueError, match="layer_names only applies"):
        build_feature_extractor("fallback", layer_names=["scale1"])


# --------------------------------------------------------------------------- the loop


def test_style_transfer_reduces_the_loss(fallback):
    rng = np.random.default_rng(5)
    yy, xx = np.mgrid[0:32, 0:32] / 32.0
    content = np.stack([xx, yy, 0.5 * np.ones_like(xx)], axis=-1).astype(np.float32)
    stripes = (np.sin(xx * 40) > 0).astype(np.float32)
    style_image = np.stack([stripes, 0.2 * stripes, rng.uniform(size=(32, 32))], axis=-1)
    result = style_transfer(content, style_image, fallback, steps=15, image_size=None,
                            tv_weight=0.1)
    history = result.history
    assert set(history) == {"total", "content", "style", "tv"}
    assert all(len(values) == 15 for values in history.values())
    assert history["total"][-1] < 0.5 * history["total"][0]
    assert history["style"][-1] < history["style"][0]
    assert result.image.shape == (32, 32, 3) and result.image.dtype == np.float32
    assert result.image.min() >= 0.0 and result.image.max() <= 1.0
    assert not np.allclose(result.image, content)


def test_style_transfer_resizes_and_accepts_a_plain_callable(fallback):
    content = np.full((1, 20, 40, 3), 0.5, np.float32)
    style_image = np.random.default_rng(6).uniform(size=(50, 30, 3))
    result = style_transfer(content, style_image, fallback, steps=2, image_size=16, init="noise")
    assert result.image.shape == (16, 32, 3)
    plain = fallback.__call__  # any callable returning a dict works, given layers and weights
    result = style_transfer(content, style_image, plain, content_layers=["scale2"],
                            style_layers=["scale1"], alpha=1, beta=1e3, tv_weight=0, steps=2,
                            image_size=None)
    assert result.image.shape == (20, 40, 3)
    with pytest.raises(ValueError, match="alpha is required"):
        style_transfer(content, style_image, plain, content_layers=["scale2"],
                       style_layers=["scale1"], steps=1)


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        (dict(steps=0), ValueError, "steps must be a positive integer"),
        (dict(learning_rate=-1.0), ValueError, "learning_rate must be a positive number"),
        (dict(alpha=-1.0), ValueError, "alpha must be a finite number >= 0"),
        (dict(beta="big"), TypeError, "beta must be a number"),
        (dict(content_image=np.full((8, 8, 3), 255.0)), ValueError, r"values in \[0, 1\]"),
        (dict(content_image=np.zeros((8, 8, 1))), ValueError, "3 channels"),
        (dict(style_image=np.zeros((2, 8, 8, 3))), ValueError, r"\(1, H, W, C\)"),
        (dict(style_layers=["conv9"]), ValueError, "no layer"),
        (dict(init="zeros"), ValueError, "init must be"),
        (dict(image_size=4), ValueError, "image_size must be an integer >= 8"),
        (dict(feature_extractor=42), TypeError, "feature_extractor must be"),
    ],
)
def test_style_transfer_rejects_bad_inputs(fallback, kwargs, error, message):
    arguments = dict(content_image=np.zeros((8, 8, 3)), style_image=np.zeros((8, 8, 3)),
                     feature_extractor=fallback, steps=1, image_size=None)
    arguments.update(kwargs)
    with pytest.raises(error, match=message):
        style_transfer(**arguments)


# --------------------------------------------------------------------------- batched transfer


def test_batched_style_transfer_matches_single_runs(fallback):
    rng = np.random.default_rng(1)
    content, style_image = rng.uniform(size=(20, 20, 3)), rng.uniform(size=(20, 20, 3))
    settings = [(1.0, 1e4, 0.0), (1.0, 1e2, 10.0), (2.0, 1e3, 1.0)]
    batched = style.style_transfer_batch(content, style_image, settings, fallback, steps=5,
                                         image_size=None)
    assert len(batched) == len(settings)
    for (alpha, beta, tv), result in zip(settings, batched, strict=True):
        single = style_transfer(content, style_image, fallback, alpha=alpha, beta=beta,
                                tv_weight=tv, steps=5, image_size=None)
        np.testing.assert_allclose(result.image, single.image, atol=1e-5)
        np.testing.assert_allclose(result.history["total"], single.history["total"], rtol=1e-4)


@pytest.mark.parametrize("kwargs,error,message", [
    (dict(settings=[]), ValueError, "at least one"),
    (dict(settings=[(1.0, 2.0)]), ValueError, "alpha, beta, tv_weight"),
    (dict(settings=[(1.0, -1.0, 0.0)]), ValueError, "beta"),
    (dict(settings=[(1, 1, 0)], steps=0), ValueError, "steps"),
    (dict(settings=[(1, 1, 0)], init="zeros"), ValueError, "init"),
    (dict(settings=[(1, 1, 0)], feature_extractor=lambda x: {}), TypeError, "FeatureExtractor"),
])
def test_batched_style_transfer_rejects_bad_inputs(fallback, kwargs, error, message):
    arguments = dict(feature_extractor=fallback, steps=2, image_size=None) | kwargs
    image = np.zeros((16, 16, 3), "float32")
    with pytest.raises(error, match=message):
        style.style_transfer_batch(image, image, **arguments)


def test_feature_network_stays_float32_under_mixed_precision():
    import keras

    previous = keras.config.dtype_policy()
    keras.config.set_dtype_policy("mixed_float16")
    try:
        extractor = build_feature_extractor("fallback", width=4)
        features = extractor(np.zeros((1, 16, 16, 3), "float32"))
        assert keras.config.dtype_policy().name == "mixed_float16"     # restored
    finally:
        keras.config.set_dtype_policy(previous)
    assert all(f.dtype == tf.float32 for f in features.values())
