"""helpers.optim against Keras (optimisers, ExponentialDecay), TensorFlow (gradients, Hessians)
and hand-worked values; bad input gets a plain error."""

import numpy as np
import pytest

from helpers import optim

keras = pytest.importorskip("keras")
tf = pytest.importorskip("tensorflow")

# Hyper-parameters that float32 represents exactly: Keras keeps the learning rate and momentum
# in float32, so with these its float64 updates are exactly the textbook rule.
EXACT = {"sgd": {"learning_rate": 0.0625},
         "momentum": {"learning_rate": 0.0625, "momentum": 0.875},
         "nesterov": {"learning_rate": 0.0625, "momentum": 0.875},
         "adagrad": {"learning_rate": 0.0625, "initial_accumulator_value": 0.125},
         "rmsprop": {"learning_rate": 0.0625, "rho": 0.875, "momentum": 0.5},
         "adam": {"learning_rate": 0.0625, "beta_1": 0.875, "beta_2": 0.998046875},
         "adadelta": {"learning_rate": 1.0, "rho": 0.9375}}


def keras_path(name, x0, gradients, **hyper):
    opt = optim.keras_optimizer(name, **hyper)
    var = keras.Variable(np.array(x0, dtype="float64"), dtype="float64")
    path = [np.array(x0, dtype="float64")]
    for g in gradients:
        opt.apply_gradients([(tf.constant(g, dtype="float64"), var)])
        path.append(np.array(var.numpy()))
    return np.array(path)


@pytest.fixture(scope="module")
def gradients():
    rng = np.random.default_rng(0)
    return rng.normal(size=(40, 3)) * np.array([1.0, 10.0, 0.1])


@pytest.mark.parametrize("name", optim.OPTIMISERS)
def test_matches_keras_exactly_on_the_same_gradients(name, gradients):
    x0 = [0.5, -1.0, 2.0]
    ours = optim.apply_gradients(name, x0, gradients, **EXACT[name])
    theirs = keras_path(name, x0, gradients, **EXACT[name])
    assert np.abs(ours - theirs).max() < 1e-12
    assert np.abs(theirs[-1] - theirs[0]).max() > 1e-3        # it really moved


@pytest.mark.parametrize("name", optim.OPTIMISERS)
def test_matches_keras_defaults_to_float32_rounding(name, gradients):
    ours = optim.apply_gradients(name, [0.5, -1.0, 2.0], gradients)
    theirs = keras_path(name, [0.5, -1.0, 2.0], gradients)
    assert np.abs(ours - theirs).max() < 1e-6


def test_minimise_follows_apply_gradients_and_a_hand_worked_step():
    bowl = optim.quadratic(condition_number=4)
    path = optim.minimise("momentum", bowl.grad, [1.0, 1.0], 5, learning_rate=0.1)
    gradients = [bowl.grad(p) for p in path[:-1]]
    assert np.allclose(optim.apply_gradients("momentum", [1.0, 1.0], gradients,
                                             learning_rate=0.1), path)
    # first Adam step is -lr * sign(g) (bias correction), whatever the gradient's size
    first = optim.minimise("adam", bowl.grad, [1.0, -3.0], 1, learning_rate=0.01)[1]
    assert np.allclose(first, [1.0 - 0.01, -3.0 + 0.01], atol=1e-8)


def test_step_value_matches_the_formulas():
    # Adam at t = 2 with m = 0.1, v = 0.04, g = 0.5, eta = 0.1 (Keras' epsilon-hat form)
    m, v = 0.9 * 0.1 + 0.1 * 0.5, 0.999 * 0.04 + 0.001 * 0.25
    alpha = 0.1 * np.sqrt(1 - 0.999 ** 2) / (1 - 0.9 ** 2)
    expected = 1.0 - alpha * m / (np.sqrt(v) + 1e-7)
    got = optim.step_value("adam", 1.0, 0.5, step=2, m=0.1, v=0.04, learning_rate=0.1)
    assert got == pytest.approx(expected, abs=1e-12)
    assert optim.step_value("nesterov", 1.0, 0.5, velocity=0.2, learning_rate=0.1,
                            momentum=0.9) == pytest.approx(1.0 + 0.9 * 0.13 - 0.05)


def test_schedules_against_keras_and_their_shape():
    keras_schedule = keras.optimizers.schedules.ExponentialDecay(0.1, 50, 0.5)
    steps = np.arange(0, 300, 7)
    ours = optim.exponential_decay(steps, 0.1, 50, 0.5)
    assert np.allclose(ours, [float(keras_schedule(int(s))) for s in steps], rtol=1e-6)
    stair = keras.optimizers.schedules.ExponentialDecay(0.1, 50, 0.5, staircase=True)
    assert optim.exponential_decay(120, 0.1, 50, 0.5, staircase=True) == \
        pytest.approx(float(stair(120)), rel=1e-6)
    tri = optim.triangular(np.arange(41), 0.01, 0.1, step_size=10)
    reference = np.interp(np.arange(41) % 20, [0, 10, 20], [0.01, 0.1, 0.01])
    assert np.allclose(tri, reference)
    cycle = optim.one_cycle(np.arange(101), 101, 1.0)
    assert cycle[0] == pytest.approx(1 / 25) and cycle.max() == pytest.approx(1.0)
    assert cycle[45] == pytest.approx(1.0) and cycle[90] == pytest.approx(1 / 25)
    assert cycle[-1] == pytest.approx(1 / 25 / 1e3)


def test_learning_rate_may_be_a_schedule():
    bowl = optim.quadratic(1)
    constant = optim.minimise("sgd", bowl.grad, [1.0, 1.0], 3, learning_rate=0.5)
    scheduled = optim.minimise("sgd", bowl.grad, [1.0, 1.0], 3,
                               learning_rate=lambda t: 0.5 if t == 0 else 0.0)
    assert np.allclose(scheduled[1], constant[1]) and np.allclose(scheduled[3], scheduled[1])


@pytest.mark.parametrize("factory", [lambda: optim.quadratic(7, angle=25), optim.rosenbrock,
                                     optim.saddle, optim.two_minima, optim.plateau])
def test_surface_gradients_and_hessians_match_tensorflow(factory):
    surface = factory()
    points = np.random.default_rng(1).uniform(-1.5, 1.5, size=(5, 2))
    for point in points:
        var = tf.Variable(point)
        with tf.GradientTape() as outer:
            with tf.GradientTape() as inner:
                x, y = var[0], var[1]
                value = _tf_value(surface.name, x, y)
            grad = inner.gradient(value, var)
        hessian = outer.jacobian(grad, var)
        assert np.isclose(float(value), surface.f(point))
        assert np.allclose(grad.numpy(), surface.grad(point), atol=1e-9)
        assert np.allclose(hessian.numpy(), surface.hessian(point), atol=1e-8)
    # vectorised over a grid, shapes (..., 2)
    grid = np.stack(np.meshgrid(np.linspace(-1, 1, 4), np.linspace(-1, 1, 3)), -1)
    assert surface.f(grid).shape == (3, 4) and surface.grad(grid).shape == (3, 4, 2)
    assert surface.hessian(grid).shape == (3, 4, 2, 2)


def _tf_value(name, x, y):
    if name.startswith("quadratic"):
        theta = np.deg2rad(25.0)
        u = np.cos(theta) * x + np.sin(theta) * y
        w = -np.sin(theta) * x + np.cos(theta) * y
        return 0.5 * (u * u + 7 * w * w)
    return {"Rosenbrock": lambda: (1 - x) ** 2 + 100 * (y - x * x) ** 2,
            "saddle x² − y²": lambda: x * x - y * y,
            "two minima": lambda: (x * x - 1) ** 2 + 0.3 * x + y * y,
            "plateau": lambda: 1 - tf.exp(-(x * x + y * y) / 2)}[name]()


def test_critical_points_are_classified_by_the_hessian():
    assert optim.critical_point_kind(optim.saddle().hessian([0.0, 0.0])) == "saddle"
    assert optim.critical_point_kind(optim.rosenbrock().hessian([1.0, 1.0])) == "minimum"
    assert optim.critical_point_kind(-np.eye(2)) == "maximum"
    assert optim.critical_point_kind(np.diag([1.0, 0.0])) == "degenerate"
    surface = optim.two_minima()
    for point in surface.minima:
        assert np.allclose(surface.grad(point), 0, atol=1e-9)
        assert optim.critical_point_kind(surface.hessian(point)) == "minimum"
    assert surface.f(surface.minima[0]) < surface.f(surface.minima[1])   # global first


def test_range_test_reading():
    rates = optim.range_test_rates(1e-5, 1.0, 100)
    assert rates[0] == pytest.approx(1e-5) and rates[-1] == pytest.approx(1.0)
    assert np.allclose(np.diff(np.log(rates)), np.log(rates[1] / rates[0]))
    losses = 2.0 - np.tanh(np.log10(rates) + 3) + np.where(rates > 0.1, 30 * rates, 0.0)
    reading = optim.suggest_learning_rate(rates, losses)
    assert 0.01 < reading["min_loss_rate"] <= 0.2
    assert reading["suggested"] == pytest.approx(reading["min_loss_rate"] / 10)
    assert 1e-4 < reading["steepest_rate"] < 1e-2       # tanh is steepest at 1e-3
    smoothed = optim.smooth([1.0, 1.0, 1.0], beta=0.9)
    assert np.allclose(smoothed, 1.0)                  # bias correction: no start at zero


def test_diverging_runs_end_in_nan_not_an_error():
    path = optim.minimise("sgd", optim.quadratic(10).grad, [1.0, 1.0], 2000, learning_rate=1.0)
    assert np.isnan(path[-1]).all() and np.isfinite(path[0]).all()


@pytest.mark.parametrize("call, error", [
    (lambda: optim.minimise("adamw", lambda x: x, [1.0], 3), ValueError),
    (lambda: optim.minimise(3, lambda x: x, [1.0], 3), TypeError),
    (lambda: optim.minimise("sgd", lambda x: x, [1.0], -1), ValueError),
    (lambda: optim.minimise("sgd", "not a function", [1.0], 3), TypeError),
    (lambda: optim.minimise("sgd", lambda x: x, [[1.0]], 3), ValueError),
    (lambda: optim.minimise("sgd", lambda x: x, [1.0], 3, beta_1=0.9), ValueError),
    (lambda: optim.minimise("adam", lambda x: x, [1.0], 3, beta_1=1.0), ValueError),
    (lambda: optim.minimise("adam", lambda x: x, [1.0], 3, learning_rate=-0.1), ValueError),
    (lambda: optim.minimise("adam", lambda x: x, [1.0], 3, learning_rate="0.1"), TypeError),
    (lambda: optim.minimise("sgd", lambda x: np.ones(3), [1.0, 2.0], 3), ValueError),
    (lambda: optim.apply_gradients("sgd", [1.0, 2.0], [[1.0]]), ValueError),
    (lambda: optim.optimiser_step("sgd", [1.0], [1.0, 2.0]), ValueError),
    (lambda: optim.step_value("adam", 1.0, 0.5, step=0), ValueError),
    (lambda: optim.step_value("adagrad", 1.0, 0.5), ValueError),
    (lambda: optim.quadratic(0.5), ValueError),
    (lambda: optim.triangular(3, 0.1, 0.01, 5), ValueError),
    (lambda: optim.exponential_decay(-1, 0.1, 10, 0.5), ValueError),
    (lambda: optim.one_cycle(3, 1, 0.1), ValueError),
    (lambda: optim.range_test_rates(1.0, 0.1, 10), ValueError),
    (lambda: optim.suggest_learning_rate([1, 2, 3], [1.0, 2.0]), ValueError),
    (lambda: optim.critical_point_kind([[1.0, 2.0], [0.0, 1.0]]), ValueError),
    (lambda: optim.saddle().f([1.0, 2.0, 3.0]), ValueError),
])
def test_bad_input_gets_a_plain_error(call, error):
    with pytest.raises(error):
        call()
