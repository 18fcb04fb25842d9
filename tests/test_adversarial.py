"""Tests of helpers.adversarial on tiny linear models trained by scikit-learn."""

from __future__ import annotations

import os

import numpy as np
import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402

from helpers.adversarial import AdversarialTrainer, fgsm, pgd, robust_accuracy  # noqa: E402


def blobs(n: int = 300, features: int = 6, classes: int = 3, seed: int = 0):
    rng = np.random.default_rng(seed)
    centres = rng.uniform(0.25, 0.75, size=(classes, features))
    labels = rng.integers(0, classes, n)
    images = np.clip(centres[labels] + rng.normal(0, 0.08, (n, features)), 0, 1)
    return images.astype(np.float32), labels


def linear_model(images, labels, activation: str = "softmax") -> keras.Model:
    """A Dense softmax layer with the weights of a scikit-learn logistic regression."""
    fitted = LogisticRegression(C=100.0, max_iter=2000).fit(images, labels)
    coef, intercept = fitted.coef_, fitted.intercept_
    units = coef.shape[0]
    model = keras.Sequential([keras.Input((images.shape[1],)),
                              keras.layers.Dense(units, activation=activation)])
    model.set_weights([coef.T.astype(np.float32), intercept.astype(np.float32)])
    return model


@pytest.fixture(scope="module")
def data():
    return blobs()


@pytest.fixture(scope="module")
def model(data):
    return linear_model(*data)


def cross_entropy(model, images, labels) -> np.ndarray:
    probabilities = np.asarray(model(images))
    return -np.log(probabilities[np.arange(len(labels)), labels] + 1e-12)


# --------------------------------------------------------------------------- FGSM


def test_fgsm_on_binary_logistic_regression_is_x_minus_eps_sign_w():
    images, labels = blobs(classes=2, seed=1)
    model = linear_model(images, labels, activation="sigmoid")
    weights = model.get_weights()[0][:, 0]
    adversarial = fgsm(model, images, labels, epsilon=0.05, clip=None)
    # loss of the true class grows fastest along +sign(w) for label 0, -sign(w) for label 1
    expected = images + 0.05 * np.where(labels[:, None] == 1, -1, 1) * np.sign(weights)
    np.testing.assert_allclose(adversarial, expected, atol=1e-6)


def test_fgsm_stays_in_ball_and_range_and_hurts_accuracy(model, data):
    images, labels = data
    for epsilon in (0.0, 0.02, 0.1, 0.3):
        adversarial = fgsm(model, images, labels, epsilon)
        assert adversarial.shape == images.shape and adversarial.dtype == np.float32
        assert np.abs(adversarial - images).max() <= epsilon + 1e-6
        assert adversarial.min() >= 0 and adversarial.max() <= 1
    clean = robust_accuracy(model, images, labels, None)
    assert clean > 0.95
    assert robust_accuracy(model, images, labels, "fgsm", epsilon=0.0) == clean
    assert robust_accuracy(model, images, labels, "fgsm", epsilon=0.15) < clean - 0.3
    loss_clean = cross_entropy(model, images, labels).mean()
    loss_adv = cross_entropy(model, fgsm(model, images, labels, 0.05), labels).mean()
    assert loss_adv > loss_clean


def test_logits_are_detected_or_given(data):
    images, labels = data
    probabilities = linear_model(images, labels)
    logits = keras.Sequential([keras.Input((images.shape[1],)), keras.layers.Dense(3)])
    logits.set_weights(probabilities.get_weights())
    # same decision function: softmax is monotone, so the gradient signs agree
    a = fgsm(probabilities, images, labels, 0.05)
    b = fgsm(logits, images, labels, 0.05)
    c = fgsm(logits, images, labels, 0.05, from_logits=True)
    np.testing.assert_allclose(a, b, atol=1e-6)
    np.testing.assert_allclose(b, c)
    assert robust_accuracy(logits, images, labels, None) == \
        robust_accuracy(probabilities, images, labels, None)


def test_targeted_attacks_raise_the_target_probability(model, data):
    images, labels = data
    targets = (labels + 1) % 3
    before = np.asarray(model(images))[np.arange(len(labels)), targets]
    for attack in (fgsm, pgd):
        adversarial = attack(model, images, None, epsilon=0.1, targeted=True,
                             target_labels=targets)
        after = np.asarray(model(adversarial))[np.arange(len(labels)), targets]
        assert np.mean(after > before) > 0.95
        assert after.mean() > before.mean() + 0.2
        assert np.abs(adversarial - images).max() <= 0.1 + 1e-6


# --------------------------------------------------------------------------- PGD


def test_pgd_stays_in_ball_and_beats_or_matches_fgsm(model, data):
    images, labels = data
    epsilon = 0.08
    for random_start in (True, False):
        adversarial = pgd(model, images, labels, epsilon, step_size=0.02, steps=10,
                          random_start=random_start)
        assert np.abs(adversarial - images).max() <= epsilon + 1e-6
        assert adversarial.min() >= 0 and adversarial.max() <= 1
    # Started at x, PGD's first steps follow FGSM's direction and only turn where that helps,
    # so it never does worse. (From a random start it can end in another, worse corner of
    # the ball for a few examples: both are local searches.)
    loss_fgsm = cross_entropy(model, fgsm(model, images, labels, epsilon), labels)
    loss_pgd = cross_entropy(model, pgd(model, images, labels, epsilon, steps=20,
                                        random_start=False), labels)
    assert np.all(loss_pgd >= loss_fgsm - 1e-4)
    assert loss_pgd.mean() > loss_fgsm.mean()
    # clip range other than [0, 1]: the projection respects it
    shifted = pgd(model, images * 0.5, labels, 0.3, steps=3, clip=(0.0, 0.5))
    assert shifted.max() <= 0.5 + 1e-6
    # seeded random start: deterministic
    np.testing.assert_array_equal(pgd(model, images[:5], labels[:5], 0.1, steps=1, seed=3),
                                  pgd(model, images[:5], labels[:5], 0.1, steps=1, seed=3))


def test_robust_accuracy_with_pgd_and_a_custom_attack(model, data):
    images, labels = data
    pgd_acc = robust_accuracy(model, images, labels, "pgd", epsilon=0.1, steps=5,
                              batch_size=64)
    assert 0 <= pgd_acc < robust_accuracy(model, images, labels, None)

    def identity_attack(model, images, labels):
        return images

    assert robust_accuracy(model, images, labels, identity_attack) == \
        robust_accuracy(model, images, labels, None)


# --------------------------------------------------------------------------- bad inputs


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        (dict(epsilon=-0.1), ValueError, "epsilon must be >= 0"),
        (dict(epsilon=float("nan")), ValueError, "epsilon must be finite"),
        (dict(epsilon="0.1"), TypeError, "epsilon must be a number"),
        (dict(labels=np.zeros(3, int)), ValueError, r"one class id per image \(10\)"),
        (dict(labels=np.full(10, 7)), ValueError, r"class ids must be in 0..2"),
        (dict(targeted=True), ValueError, "needs target_labels"),
        (dict(target_labels=np.zeros(10, int)), ValueError, "pass targeted=True"),
        (dict(images=np.full((10, 6), 2.0)), ValueError, r"clip range \[0, 1\]"),
        (dict(clip=(1.0, 0.0)), ValueError, "low < high"),
        (dict(images=np.zeros(6)), ValueError, "batch"),
        (dict(model="not a model"), TypeError, "model must be a Keras model"),
    ],
)
def test_attacks_reject_bad_inputs(model, data, kwargs, error, message):
    images, labels = data
    arguments = dict(model=model, images=images[:10], labels=labels[:10], epsilon=0.1)
    arguments.update(kwargs)
    with pytest.raises(error, match=message):
        fgsm(**arguments)
    with pytest.raises(error, match=message):
        pgd(**arguments, steps=2)


def test_pgd_and_robust_accuracy_reject_bad_settings(model, data):
    images, labels = data
    with pytest.raises(ValueError, match="steps must be a positive integer"):
        pgd(model, images, labels, 0.1, steps=0)
    with pytest.raises(ValueError, match="step_size must be >= 0"):
        pgd(model, images, labels, 0.1, step_size=-1.0)
    with pytest.raises(ValueError, match="attack must be"):
        robust_accuracy(model, images, labels, "deepfool")
    with pytest.raises(ValueError, match="batch_size"):
        robust_accuracy(model, images, labels, None, batch_size=0)


# --------------------------------------------------------------------------- training


@pytest.mark.parametrize("attack", ["fgsm", "pgd"])
def test_adversarial_trainer_fits_and_logs_both_losses(data, attack):
    images, labels = data
    keras.utils.set_random_seed(0)
    base = keras.Sequential([keras.Input((images.shape[1],)),
                             keras.layers.Dense(3, activation="softmax")])
    trainer = AdversarialTrainer(base, epsilon=0.05, attack=attack, steps=3)
    trainer.compile(optimizer=keras.optimizers.Adam(0.05),
                    loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    history = trainer.fit(images, labels, epochs=8, batch_size=64, verbose=0).history
    assert {"loss", "clean_loss", "adv_loss", "accuracy"} <= set(history)
    assert history["loss"][-1] < history["loss"][0]
    np.testing.assert_allclose(history["loss"][-1],
                               history["clean_loss"][-1] + history["adv_loss"][-1], rtol=1e-4)
    assert all(a >= c - 1e-6 for a, c in zip(history["adv_loss"], history["clean_loss"],
                                             strict=True))
    assert trainer.predict(images[:4], verbose=0).shape == (4, 3)
    assert robust_accuracy(base, images, labels, None) > 0.9


def test_adversarial_trainer_rejects_bad_settings():
    base = keras.Sequential([keras.Input((2,)), keras.layers.Dense(2, activation="softmax")])
    with pytest.raises(ValueError, match="epsilon must be >= 0"):
        AdversarialTrainer(base, epsilon=-1)
    with pytest.raises(ValueError, match="attack must be 'fgsm' or 'pgd'"):
        AdversarialTrainer(base, epsilon=0.1, attack="cw")
    with pytest.raises(TypeError, match="model must be a keras.Model"):
        AdversarialTrainer(lambda x: x, epsilon=0.1)


@pytest.mark.parametrize(
    "loss",
    ["sparse_categorical_crossentropy", keras.losses.SparseCategoricalCrossentropy(),
     keras.losses.sparse_categorical_crossentropy],
)
def test_adversarial_trainer_accepts_any_form_of_the_loss(data, loss):
    images, labels = data
    base = keras.Sequential([keras.Input((images.shape[1],)),
                             keras.layers.Dense(3, activation="softmax")])
    trainer = AdversarialTrainer(base, epsilon=0.05)
    trainer.compile(optimizer="adam", loss=loss)
    weights = np.linspace(0.5, 1.5, len(labels)).astype(np.float32)
    history = trainer.fit(images, labels, sample_weight=weights, epochs=1, batch_size=100,
                          verbose=0).history
    assert np.ndim(history["adv_loss"][0]) == 0 and history["adv_loss"][0] > 0
    np.testing.assert_allclose(history["loss"][0],
                               history["clean_loss"][0] + history["adv_loss"][0], rtol=1e-4)


def test_fgsm_differentiates_the_logits_when_the_softmax_saturates():
    # p of the true class rounds to 1.0 in float32: through the probabilities the gradient
    # would be 0 (or rounding noise); written on the logits it is tiny but has the right sign.
    inputs = keras.Input((4,))
    logits = keras.layers.Dense(3, name="logits")(inputs)
    model = keras.Model(inputs, keras.layers.Softmax()(logits))
    weights = np.array([[80, 0, 0], [0, 1, 0], [0, 0, 1], [1, -1, 0]], dtype="float32")
    model.get_layer("logits").set_weights([weights, np.zeros(3, "float32")])
    x = np.array([[0.5, 0.5, 0.5, 0.5]], dtype="float32")
    assert float(model(x)[0, 0]) == 1.0
    z = x.astype(float) @ weights
    p = np.exp(z - z.max()) / np.exp(z - z.max()).sum()
    gradient = weights @ (p[0] - np.eye(3)[0])            # d(-log p_0)/dx in float64
    expected = np.clip(x + 0.1 * np.sign(gradient), 0, 1)
    np.testing.assert_allclose(fgsm(model, x, [0], 0.1), expected, atol=1e-6)
    np.testing.assert_allclose(np.abs(pgd(model, x, [0], 0.1, steps=3, random_start=False)
                                      - x).max(), 0.1, atol=1e-6)
