"""Lecture 05 widgets: the race draws what helpers.optim computes, the static faces carry
every state, the range-test reading, the practice generator, and the callback budget."""

import json
import re

import numpy as np
import pytest

from helpers import optim, quiz
from helpers.widgets import optimisation, time_callback


def payload(explorer):
    found = re.search(r'class="dlbook-explorer-data">(.*?)</script>', explorer._repr_html_())
    return json.loads(found.group(1))


def test_race_runs_the_helper_with_the_stated_rates():
    result = optimisation.race("ill-conditioned bowl", ("sgd", "adam"), lr_scale=0.5,
                               momentum=0.9, start="right")
    spec = optimisation.RACES["ill-conditioned bowl"]
    surface = optim.quadratic(50, angle=30)
    expected = optim.minimise("adam", surface.grad, spec["starts"]["right"], spec["steps"],
                              learning_rate=spec["rates"]["adam"] * 0.5)
    assert np.allclose(result["runs"]["adam"]["path"], expected)
    assert result["runs"]["sgd"]["learning_rate"] == pytest.approx(spec["rates"]["sgd"] * 0.5)
    assert np.allclose(result["runs"]["adam"]["loss"], surface.f(expected))


def test_race_reports_divergence_and_momentum_matters():
    big = optimisation.race("ill-conditioned bowl", ("sgd",), lr_scale=4.0)
    assert big["runs"]["sgd"]["diverged_at"] is not None        # eta = 0.08 > 2/50
    assert "diverged at step" in optimisation.race_svg("ill-conditioned bowl", ("sgd",), 4.0)
    low = optimisation.race("ill-conditioned bowl", ("momentum",), momentum=0.5)
    high = optimisation.race("ill-conditioned bowl", ("momentum",), momentum=0.9)
    assert not np.allclose(low["runs"]["momentum"]["path"], high["runs"]["momentum"]["path"])
    assert low["runs"]["momentum"]["diverged_at"] is None


def test_race_svg_states_the_final_losses():
    svg = optimisation.race_svg("Rosenbrock", ("adam", "sgd"))
    result = optimisation.race("Rosenbrock", ("adam", "sgd"))
    assert svg.startswith("<svg") and f"final loss {result['runs']['adam']['loss'][-1]:.2g}" \
        in svg
    assert svg.count("<polyline") >= 4


def test_live_race_widget_updates():
    box = optimisation.race_widget()
    controls, view = box._dlbook_controls, box._dlbook_view
    controls["optimisers"].value = ("adam",)
    assert "Adam" in view.value and "SGD (" not in view.value
    controls["surface"].value = "Rosenbrock"
    assert "Rosenbrock" in view.value and controls["start"].value == "(-1.2, 1)"
    controls["lr_scale"].value = 2.0
    assert f"η = {0.4:.3g}" in view.value


def test_race_static_has_every_state():
    data = payload(optimisation.race_static("Rosenbrock"))
    assert len(data["states"]) == len(optimisation.SCALES) * len(optimisation.MOMENTA) * 2
    assert len(set(data["states"].values())) == len(data["states"])
    assert [c["name"] for c in data["controls"]] == ["surface", "lr_scale", "momentum"]
    assert data["controls"][0]["initial"] == 1
    with pytest.raises(ValueError):
        optimisation.race_static("moon")


@pytest.mark.parametrize("kwargs", [dict(surface="moon"), dict(optimisers=("adamw",)),
                                    dict(optimisers=()), dict(lr_scale=0),
                                    dict(momentum=1.0), dict(start="middle")])
def test_race_rejects_bad_input(kwargs):
    with pytest.raises(ValueError):
        optimisation.race(**{"surface": "ill-conditioned bowl", **kwargs})


@pytest.fixture
def range_curve():
    rates = optim.range_test_rates(1e-5, 1.0, 100)
    return rates, 2.0 - np.tanh(np.log10(rates) + 3) + np.where(rates > 0.1, 30 * rates, 0.0)


def test_range_test_view_and_verdicts(range_curve):
    view = optimisation.RangeTestView(*range_curve)
    best = view.reading["min_loss_rate"]
    assert "too large" in view.state(min(best * 2, 1.0))["verdict"]
    assert "good range" in view.state(best / 10)["verdict"]
    assert "too small" in view.state(1e-5)["verdict"]
    assert f"η = {view.reading['suggested']:.3g}" in view.svg(1e-3)
    with pytest.raises(ValueError, match="tested range"):
        view.state(10.0)
    data = payload(optimisation.range_test_static(view))
    assert len(data["states"]) == 15 and len(set(data["states"].values())) == 15


def test_live_range_test_widget(range_curve):
    view = optimisation.RangeTestView(*range_curve)
    box = optimisation.range_test_widget(view)
    box._dlbook_controls["rate"].value = 1e-4
    assert "chosen η = 0.0001" in box._dlbook_view.value


def test_step_practice_is_graded_by_the_helper():
    questions = optimisation.step_practice(count=12, seed=3)
    assert {q["answer"]["kwargs"]["optimiser"] for q in questions} == {"adam", "momentum"}
    for question in questions:
        checked = quiz.validate_question(question)
        assert checked["value"] == pytest.approx(question["value"])
        assert quiz.check_answer(checked, f"{question['value']:.4f}")[0]
        assert not quiz.check_answer(checked, f"{question['value'] + 0.01:.4f}")[0]
    assert optimisation.step_practice(3, seed=1) == optimisation.step_practice(3, seed=1)
    with pytest.raises(ValueError):
        optimisation.step_practice(count=0)


def test_benchmark_drivers_move_a_control_and_redraw():
    """The budget itself is measured by scripts/bench.py (DESIGN: not by timed tests)."""
    drivers = optimisation.benchmarks()
    assert len(drivers) == 3
    for step in drivers.values():
        median_ms, p95_ms = time_callback(step, repeats=2)
        assert 0 < median_ms <= p95_ms
