"""helpers.generative against SciPy / TensorFlow / Monte-Carlo references, and bad input."""

import numpy as np
import pytest
from scipy import integrate, stats

from helpers import generative as gen


def test_gaussian_kl_matches_numerical_integration_in_one_dimension():
    for mu, log_var in [(0.0, 0.0), (1.3, -0.7), (-0.4, 1.1)]:
        q = stats.norm(mu, np.exp(0.5 * log_var))
        p = stats.norm(0, 1)
        reference, _ = integrate.quad(lambda z, q=q, p=p: q.pdf(z) * (q.logpdf(z) - p.logpdf(z)),
                                      -30, 30)
        assert gen.gaussian_kl([mu], [log_var]) == pytest.approx(reference, abs=1e-7)


def test_gaussian_kl_per_example_and_against_monte_carlo():
    rng = np.random.default_rng(1)
    mu, log_var = rng.normal(size=(4, 3)), rng.normal(scale=0.5, size=(4, 3))
    closed = gen.gaussian_kl(mu, log_var)
    assert closed.shape == (4,)
    assert np.all(closed >= 0)
    estimate = gen.kl_monte_carlo(mu, log_var, samples=200_000)
    np.testing.assert_allclose(estimate, closed, atol=0.03)
    assert gen.gaussian_kl(np.zeros(5), np.zeros(5)) == 0.0


def test_gaussian_kl_matches_tensorflow_probability_style_formula():
    tf = pytest.importorskip("tensorflow")
    mu = np.array([[0.5, -1.0], [2.0, 0.1]])
    log_var = np.array([[0.2, -0.3], [0.0, 1.0]])
    sigma = np.exp(0.5 * log_var)
    # KL(N(m, s²) || N(0, 1)) = log(1/s) + (s² + m²)/2 − ½, written with TF ops
    reference = tf.reduce_sum(-tf.math.log(sigma) + (sigma ** 2 + mu ** 2) / 2 - 0.5, axis=-1)
    np.testing.assert_allclose(gen.gaussian_kl(mu, log_var), reference.numpy(), rtol=1e-12)


def test_reparameterise_moments_and_seed():
    z, eps = gen.reparameterise(np.full(200_000, 2.0), np.full(200_000, np.log(0.25)), rng=3)
    assert z.mean() == pytest.approx(2.0, abs=0.01)
    assert z.std() == pytest.approx(0.5, abs=0.01)
    np.testing.assert_allclose(z, 2.0 + 0.5 * eps)
    a, _ = gen.reparameterise([0.0], [0.0], rng=np.random.default_rng(5))
    b, _ = gen.reparameterise([0.0], [0.0], rng=np.random.default_rng(5))
    assert a == b


def test_generator_losses_and_gradients_against_tensorflow():
    tf = pytest.importorskip("tensorflow")
    logits = tf.Variable([-4.0, -1.0, 0.0, 2.0], dtype=tf.float64)
    with tf.GradientTape(persistent=True) as tape:
        d = tf.sigmoid(logits)
        minimax = tf.math.log(1 - d)
        saturating = -tf.math.log(d)
    result = gen.generator_losses(d.numpy())
    np.testing.assert_allclose(result["minimax"], minimax.numpy())
    np.testing.assert_allclose(result["non_saturating"], saturating.numpy())
    np.testing.assert_allclose(result["minimax_grad"], tape.gradient(minimax, logits).numpy())
    np.testing.assert_allclose(result["non_saturating_grad"],
                               tape.gradient(saturating, logits).numpy())


def test_vector_quantise_against_scipy_cdist():
    from scipy.spatial.distance import cdist

    rng = np.random.default_rng(2)
    z, codebook = rng.normal(size=(50, 4)), rng.normal(size=(8, 4))
    indices, quantised = gen.vector_quantise(z, codebook)
    np.testing.assert_array_equal(indices, cdist(z, codebook).argmin(axis=1))
    np.testing.assert_array_equal(quantised, codebook[indices])


def test_schedules():
    betas = gen.linear_beta_schedule(1000)
    assert betas[0] == pytest.approx(1e-4) and betas[-1] == pytest.approx(0.02)
    bars = gen.alpha_bar(betas)
    running, expected = 1.0, []
    for beta in betas:
        running *= 1 - beta
        expected.append(running)
    np.testing.assert_allclose(bars, expected)
    assert bars[-1] < 1e-4                                   # Ho et al.: x_T is ~pure noise
    cosine = gen.cosine_alpha_bar(100)
    t = np.arange(101) / 100
    f = np.cos((t + 0.008) / 1.008 * np.pi / 2) ** 2
    np.testing.assert_allclose(cosine[:-1], (f[1:] / f[0])[:-1], rtol=1e-9)
    assert np.all(np.diff(cosine) < 0) and 0 < cosine[-1] < 1e-3


def test_alpha_bar_at_is_the_running_product():
    assert gen.alpha_bar_at([0.1, 0.2, 0.5], 3) == pytest.approx(0.9 * 0.8 * 0.5)
    assert gen.alpha_bar_at([0.1, 0.2, 0.5], 1) == pytest.approx(0.9)
    with pytest.raises(ValueError):
        gen.alpha_bar_at([0.1, 0.2], 0)
    with pytest.raises(TypeError):
        gen.alpha_bar_at([0.1, 0.2], 1.0)


def test_q_sample_matches_tensorflow_and_its_statistics():
    tf = pytest.importorskip("tensorflow")
    rng = np.random.default_rng(0)
    bars = gen.alpha_bar(gen.linear_beta_schedule(50, 1e-3, 0.1))
    x0 = rng.uniform(-1, 1, (6, 4, 4, 1))
    noise = rng.normal(size=x0.shape)
    t = np.array([0, 5, 10, 20, 40, 49])
    a = tf.reshape(tf.gather(bars, t), (-1, 1, 1, 1))
    reference = tf.sqrt(a) * x0 + tf.sqrt(1 - a) * noise
    np.testing.assert_allclose(gen.q_sample(x0, t, noise, bars), reference.numpy())
    single = gen.q_sample(x0, 49, noise, bars)
    np.testing.assert_allclose(single, np.sqrt(bars[49]) * x0 + np.sqrt(1 - bars[49]) * noise)
    big = gen.q_sample(np.ones((100_000, 1)), 30, rng.normal(size=(100_000, 1)), bars)
    assert big.mean() == pytest.approx(np.sqrt(bars[30]), abs=0.01)
    assert big.var() == pytest.approx(1 - bars[30], abs=0.01)


def test_ddpm_step_inverts_the_forward_step_with_the_true_noise():
    betas = gen.linear_beta_schedule(10, 0.01, 0.2)
    bars = gen.alpha_bar(betas)
    rng = np.random.default_rng(4)
    x0 = rng.normal(size=(3, 5))
    eps = rng.normal(size=x0.shape)
    x1 = gen.q_sample(x0, 0, eps, bars)
    # At t = 0 (the last reverse step) the true noise gives back x0 exactly.
    np.testing.assert_allclose(gen.ddpm_step(x1, 0, eps, betas), x0)
    z = rng.normal(size=x0.shape)
    x5 = gen.q_sample(x0, 5, eps, bars)
    step = gen.ddpm_step(x5, 5, eps, betas, z)
    mean = (x5 - betas[5] / np.sqrt(1 - bars[5]) * eps) / np.sqrt(1 - betas[5])
    np.testing.assert_allclose(step, mean + np.sqrt(betas[5]) * z)


def test_guided_noise_is_the_score_of_the_sharpened_conditional():
    # Unit-variance Gaussians: p(x) = N(0, 1), p(x | y) = N(m, 1); the noise estimate at
    # unit noise level is minus the score. Guidance with weight w samples
    # p(x) (p(x | y) / p(x))^(1 + w) = N((1 + w) m, 1), whose score is (1 + w) m − x.
    x = np.linspace(-3, 3, 13)
    m = 0.7
    eps_unconditional, eps_conditional = x, x - m             # −score of N(0,1), N(m,1)
    for w in (0, 0.5, 2, 7):
        guided = gen.guided_noise(eps_conditional, eps_unconditional, w)
        np.testing.assert_allclose(-guided, (1 + w) * m - x)
    np.testing.assert_allclose(gen.guided_noise([1.0, 2.0], [3.0, 5.0], 0), [1.0, 2.0])


def test_guided_noise_rejects_bad_input():
    with pytest.raises(ValueError, match="same shape"):
        gen.guided_noise(np.zeros(3), np.zeros(4), 1.0)
    with pytest.raises(ValueError, match="≥ 0"):
        gen.guided_noise(np.zeros(3), np.zeros(3), -1.0)
    with pytest.raises(ValueError, match="≥ 0"):
        gen.guided_noise(np.zeros(3), np.zeros(3), float("nan"))
    with pytest.raises(TypeError, match="weight"):
        gen.guided_noise(np.zeros(3), np.zeros(3), "2")
    with pytest.raises(TypeError, match="weight"):
        gen.guided_noise(np.zeros(3), np.zeros(3), True)
    with pytest.raises(ValueError, match="NaN"):
        gen.guided_noise([np.nan], [0.0], 1.0)


def test_digit_score_counts_confident_images_and_classes():
    probabilities = np.array([[0.95, 0.05, 0], [0.5, 0.5, 0], [0, 0.02, 0.98],
                              [0.91, 0.09, 0]])

    def classifier(images):
        return probabilities[: len(images)]

    score = gen.digit_score(classifier, np.zeros((4, 2, 2)), num_classes=3)
    assert score.confident_fraction == 0.75
    assert score.class_count == 2
    assert score.counts.tolist() == [2, 0, 1]
    assert gen.digit_score(classifier, np.zeros((4, 2, 2)), 0.99, 3).confident_fraction == 0
    with pytest.raises(ValueError, match="expected"):
        gen.digit_score(classifier, np.zeros((4, 2, 2)))            # 10 classes expected
    with pytest.raises(ValueError, match="probabilities"):
        gen.digit_score(lambda x: np.ones((len(x), 3)), np.zeros((4, 2, 2)), num_classes=3)


def test_digit_score_with_a_keras_model():
    keras = pytest.importorskip("keras")
    model = keras.Sequential([keras.Input((4, 4, 1)), keras.layers.Flatten(),
                              keras.layers.Dense(10, activation="softmax")])
    score = gen.digit_score(model, np.zeros((5, 4, 4, 1)))
    probabilities = model.predict(np.zeros((5, 4, 4, 1)), verbose=0)
    assert score.confident_fraction == float((probabilities.max(1) >= 0.9).mean())


@pytest.mark.parametrize("call, error", [
    (lambda: gen.gaussian_kl([0, 0], [0]), ValueError),
    (lambda: gen.gaussian_kl([np.nan], [0]), ValueError),
    (lambda: gen.gaussian_kl("ab", [0]), TypeError),
    (lambda: gen.reparameterise([0], [0], rng="seed"), TypeError),
    (lambda: gen.linear_beta_schedule(10, 0.0, 0.02), ValueError),
    (lambda: gen.linear_beta_schedule(10, 1e-4, 1.5), ValueError),
    (lambda: gen.linear_beta_schedule(0), ValueError),
    (lambda: gen.alpha_bar([0.1, 1.0]), ValueError),
    (lambda: gen.alpha_bar([-0.1]), ValueError),
    (lambda: gen.cosine_alpha_bar(-3), ValueError),
    (lambda: gen.q_sample(np.zeros((2, 3)), -1, np.zeros((2, 3)), [0.9, 0.5]), ValueError),
    (lambda: gen.q_sample(np.zeros((2, 3)), 2, np.zeros((2, 3)), [0.9, 0.5]), ValueError),
    (lambda: gen.q_sample(np.zeros((2, 3)), 0, np.zeros((2, 4)), [0.9, 0.5]), ValueError),
    (lambda: gen.q_sample(np.zeros((2, 3)), [0, 1, 1], np.zeros((2, 3)), [0.9, 0.5]),
     ValueError),
    (lambda: gen.q_sample(np.zeros((2, 3)), 0.5, np.zeros((2, 3)), [0.9, 0.5]), TypeError),
    (lambda: gen.ddpm_step(np.zeros(3), 1, np.zeros(3), [0.1, 0.2]), ValueError),   # no z
    (lambda: gen.ddpm_step(np.zeros(3), -1, np.zeros(3), [0.1, 0.2]), ValueError),
    (lambda: gen.generator_losses([0.0, 0.5]), ValueError),
    (lambda: gen.vector_quantise(np.zeros((2, 3)), np.zeros((4, 2))), ValueError),
    (lambda: gen.digit_score("model", np.zeros((2, 4, 4))), TypeError),
    (lambda: gen.digit_score(lambda x: x, np.zeros((2, 4, 4)), threshold=1.5), ValueError),
])
def test_bad_input(call, error):
    with pytest.raises(error):
        call()
