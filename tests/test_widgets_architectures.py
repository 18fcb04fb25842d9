"""Lecture 04 widgets: callbacks redraw from the helpers, static faces carry every state,
the practice generator is graded by helpers.architectures."""

import json
import re

import pytest

from helpers import architectures, init, quiz
from helpers.widgets import architectures as arch_widgets
from helpers.widgets import time_callback


def test_init_svg_reports_the_helper_numbers():
    stats = init.deep_stack_statistics("he", "relu", depth=arch_widgets.MAX_DEPTH,
                                       width=arch_widgets.WIDTH, batch=arch_widgets.BATCH)
    svg = arch_widgets.init_explorer_svg("he", "relu", 12)
    assert svg.startswith("<svg") and "12 layers" in svg
    assert f"last layer std {stats.activation_std[11]:.3g}" in svg
    assert "symmetric zeros" in arch_widgets.init_explorer_svg("zeros", "tanh", 5)
    for bad in (1, 31, 2.5, True):
        with pytest.raises(ValueError, match="depth"):
            arch_widgets.init_explorer_svg("he", "relu", bad)
    with pytest.raises(ValueError, match="scheme"):
        arch_widgets.init_explorer_svg("xavier", "relu", 5)


def test_live_init_widget_updates():
    box = arch_widgets.init_widget("glorot", "tanh", 10)
    controls, view = box._dlbook_controls, box._dlbook_view
    controls["activation"].value = "sigmoid"
    assert "sigmoid, 10 layers" in view.value
    controls["depth"].value = 25
    assert "25 layers" in view.value


def test_cost_rows_match_the_helper_and_ratios():
    rows = arch_widgets.cost_rows(14, 32, 64, 5, 8, 4)
    for row in rows:
        cost = architectures.block_cost(row["kind"], 14, 14, 32, 64, 5, bottleneck=8,
                                        expansion=4, use_bias=False)
        assert (row["params"], row["macs"]) == (cost.params, cost.macs)
    separable = next(r for r in rows if r["kind"] == "separable")
    assert separable["mac_ratio"] == pytest.approx(architectures.separable_ratio(64, 5))
    svg = arch_widgets.cost_svg(14, 32, 64, 5, 8, 4)
    assert f"{rows[0]['params']:,} params" in svg
    with pytest.raises(ValueError):
        arch_widgets.cost_svg(14, 0, 64, 5, 8, 4)


def test_live_cost_widget_updates():
    box = arch_widgets.cost_widget()
    box._dlbook_controls["channels_out"].value = 128
    expected = architectures.block_params("standard", channels_in=64, channels_out=128,
                                          kernel_size=3, use_bias=False)
    assert f"{expected:,} params" in box._dlbook_view.value


def static_states(explorer):
    payload = re.search(r'class="dlbook-explorer-data">(.*?)</script>', explorer._repr_html_(),
                        re.S).group(1)
    return json.loads(payload)


def test_static_faces_hold_every_state():
    config = static_states(arch_widgets.init_static())
    assert len(config["states"]) == 5 * 3 * len(arch_widgets.STATIC_DEPTHS)
    assert config["states"]["2_1_1"] == arch_widgets.init_explorer_svg("glorot", "relu", 30)
    config = static_states(arch_widgets.cost_static())
    assert len(config["states"]) == 3 * 3 * 2 * 2
    assert config["states"]["0_0_0_0"] == arch_widgets.cost_svg(28, 16, 16, 3, 2, 2)


def test_practice_questions_are_graded_by_the_helpers():
    questions = arch_widgets.block_cost_practice(count=30, seed=4)
    assert {q["answer"]["kwargs"]["kind"] for q in questions} == set(architectures.KINDS)
    for question in questions:
        assert quiz.validate_question(question)["value"] == question["value"]
        assert quiz.check_answer(question, question["value"])[0]
        assert not quiz.check_answer(question, question["value"] + 1)[0]
    assert arch_widgets.block_cost_practice(3, seed=1) == \
        arch_widgets.block_cost_practice(3, seed=1)
    for bad in (0, 51, 2.0, True):
        with pytest.raises(ValueError, match="count"):
            arch_widgets.block_cost_practice(count=bad)
    html = quiz.practice_quiz(arch_widgets.block_cost_practice, count=3, seed=2)._repr_html_()
    assert "dlbook-practice" in html


def test_callbacks_are_cheap():
    for name, callback in arch_widgets.benchmarks().items():
        for _ in range(3):
            callback()
        _, p95 = time_callback(callback, 40)
        assert p95 < 100, f"{name}: p95 {p95:.1f} ms"       # budget 20 ms; slack for load
