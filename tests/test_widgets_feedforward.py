"""Lecture 02's widgets: pure functions, live callbacks, static explorers, practice, budget."""

import keras
import numpy as np
import pytest

from helpers import autodiff, quiz
from helpers.widgets import feedforward as ff
from helpers.widgets import time_callback


def test_activation_state_and_faces():
    state = ff.activation_state("sigmoid")
    assert state["max_slope"] == pytest.approx(0.25)
    assert ff.activation_state("relu", alpha=0.5)["alpha"] is None   # α ignored without one
    assert ff.activation_state("elu", alpha=0.5)["slope_at_minus_4"] == pytest.approx(
        0.5 * np.exp(-4))
    box = ff.activation_widget()
    box._dlbook_controls["name"].value = "elu"
    box._dlbook_controls["alpha"].value = 1.5
    assert "α = 1.5" in box._dlbook_view.value
    static = ff.activation_static()
    assert "30 precomputed states" in repr(static)


def test_gd_state_classifies_runs():
    assert ff.gd_state(0.1, 3)["thetas"].tolist() == pytest.approx([3.0, 2.6, 2.28, 2.024])
    assert ff.gd_state(0.1, 3)["kind"] == "converges"
    assert ff.gd_state(0.9, 3)["kind"] == "converges while oscillating"
    assert ff.gd_state(1.0, 3)["kind"].startswith("oscillates")
    assert ff.gd_state(1.1, 3)["kind"] == "diverges"
    box = ff.gd_widget()
    box._dlbook_controls["learning_rate"].value = 1.1
    assert "diverges" in box._dlbook_view.value


def test_relu_fit_is_the_keras_network_and_improves_with_units():
    errors = [ff.relu_fit("sine", n)["max_error"] for n in (2, 8, 32)]
    assert errors[0] > errors[1] > errors[2] and errors[2] < 0.02
    fit = ff.relu_fit("bump", 12)
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(12, activation="relu"),
                              keras.layers.Dense(1)])
    model.set_weights([w.astype("float32") for w in fit["weights"]])
    predicted = model.predict(fit["x"][:, None].astype("float32"), verbose=0)[:, 0]
    np.testing.assert_allclose(predicted, fit["fit"], atol=1e-4)
    assert fit["parameters"] == model.count_params()


def test_graph_diagram():
    nodes = {"x": {"op": "input", "value": 2.0, "grad": 3.0},
             "y": {"op": "input", "value": 3.0, "grad": 2.0},
             "f": {"op": "x·y", "inputs": ["x", "y"], "value": 6.0, "grad": 1.0}}
    diagram = ff.graph_diagram(nodes)
    assert diagram.data["depth"] == {"x": 0, "y": 0, "f": 1}
    assert "value 6" in diagram.to_svg()
    with pytest.raises(ValueError, match="before they are defined"):
        ff.graph_diagram({"f": {"op": "x", "inputs": ["x"], "value": 0, "grad": 0}})
    with pytest.raises(TypeError):
        ff.graph_diagram([])


def test_gradient_practice_answers_come_from_the_helper():
    questions = ff.gradient_practice(count=20, seed=3)
    assert len({q["prompt"] for q in questions}) == 20
    assert not any("-0.0" in q["prompt"] for q in ff.gradient_practice(40, seed=0))
    for question in questions:
        checked = quiz.validate_question(question)
        assert checked["value"] == pytest.approx(question["value"])
        kwargs = question["answer"]["kwargs"]
        assert question["value"] == autodiff.tiny_network_gradient(**kwargs)
        assert quiz.check_answer(question, f"{question['value']:.3f}")[0]
        assert not quiz.check_answer(question, f"{question['value'] + 0.05:.3f}")[0]
    assert ff.gradient_practice(2, seed=1) == ff.gradient_practice(2, seed=1)
    with pytest.raises(ValueError, match="count"):
        ff.gradient_practice(0)


@pytest.mark.parametrize("call,message", [
    (lambda: ff.relu_fit("square", 4), "unknown target"),
    (lambda: ff.relu_fit("sine", 0), "units"),
    (lambda: ff.activation_state("softsign"), "choose one of"),
    (lambda: ff.gd_state(-0.1, 3), "positive"),
])
def test_bad_input(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_callbacks_are_cheap():
    for name, step in ff.benchmarks().items():
        median_ms, _ = time_callback(step, repeats=20)
        assert median_ms < 20, f"{name}: median {median_ms:.1f} ms"
