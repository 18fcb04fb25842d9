"""Lecture 11 widgets: the maps draw what helpers.rl computes, the static faces carry every
state, the live widgets redraw from their controls within budget, and the practice generator
is graded by the helper."""

import json
import re

import numpy as np
import pytest

from helpers import quiz, rl
from helpers.widgets import rl as rl_widgets
from helpers.widgets import time_callback


def payload(explorer):
    found = re.search(r'class="dlbook-explorer-data">(.*?)</script>', explorer._repr_html_())
    return json.loads(found.group(1))


def test_q_map_svg_shows_policy_values_and_path():
    env = rl.GridWorld()
    _, q_star = rl.value_iteration(env, 0.9)
    svg = rl_widgets.q_map_svg(env, q_star, "optimal")
    assert svg.startswith("<svg") and "greedy path: 6 steps to G" in svg
    # one hover title per non-terminal cell, carrying its four Q-values
    titles = re.findall(r"<title class=\"nohighlight\">(.*?)</title>", svg)
    assert len(titles) == env.n_states
    start_title = f"Q: up {q_star[env.start, 0]:.2f}, right {q_star[env.start, 1]:.2f}"
    assert any(t.startswith(start_title) for t in titles)
    assert svg.count("→") >= 5                          # the greedy arrows along row 2
    _, q_short = rl.value_iteration(env, 0.5)
    assert "greedy path: 2 steps to g" in rl_widgets.q_map_svg(env, q_short)
    with pytest.raises(ValueError, match="shape"):
        rl_widgets.q_map_svg(env, np.zeros((3, 4)))
    with pytest.raises(TypeError):
        rl_widgets.q_map_svg("grid", q_star)


def test_gamma_epsilon_state_matches_the_helper_run():
    state = rl_widgets.gamma_epsilon_state(0.9, 0.5)
    env = rl.GridWorld()
    expected = rl.q_learning_run(env, rl_widgets.EXPLORER_EPISODES, 0.5, 0.9, 0.5, 0,
                                 exploring_starts=False)
    assert np.allclose(state["q"], expected.q)
    assert state["optimal_goal"] == "G" and state["goal"] == "G" and state["path_optimal"]
    # greedy too early: the agent from S settles for the small reward
    timid = rl_widgets.gamma_epsilon_state(0.9, 0.0)
    assert timid["goal"] == "g" and not timid["path_optimal"]
    assert rl_widgets.gamma_epsilon_state(0.5, 0.1)["optimal_goal"] == "g"
    with pytest.raises(ValueError):
        rl_widgets.gamma_epsilon_state(1.5, 0.1)
    with pytest.raises(ValueError):
        rl_widgets.gamma_epsilon_explorer(gamma=0.33)


def test_static_explorers_carry_every_state():
    data = payload(rl_widgets.gamma_epsilon_static())
    assert len(data["states"]) == len(rl_widgets.GAMMAS) * len(rl_widgets.EPSILONS)
    i, j = rl_widgets.GAMMAS.index(0.9), rl_widgets.EPSILONS.index(0.5)
    assert data["states"][f"{i}_{j}"] == rl_widgets.gamma_epsilon_svg(0.9, 0.5)
    assert [c["initial"] for c in data["controls"]] == [rl_widgets.GAMMAS.index(0.9),
                                                        rl_widgets.EPSILONS.index(0.1)]


def test_live_widgets_redraw_within_budget():
    box = rl_widgets.gamma_epsilon_widget()
    controls, view = box._dlbook_controls, box._dlbook_view
    controls["gamma"].value = 0.5
    assert "γ = 0.5" in view.value and "heads for g" in view.value
    controls["epsilon"].value = 1.0
    assert "ε = 1" in view.value
    for gamma in rl_widgets.GAMMAS:                 # train every run once, as the page does
        for epsilon in rl_widgets.EPSILONS:
            rl_widgets.gamma_epsilon_state(gamma, epsilon)
    values = [(g, e) for g in rl_widgets.GAMMAS for e in rl_widgets.EPSILONS]
    position = {"i": 0}

    def move():
        position["i"] = (position["i"] + 1) % len(values)
        controls["gamma"].value, controls["epsilon"].value = values[position["i"]]
    _, p95 = time_callback(move, repeats=30)
    assert p95 < 40          # two redraws per call; the budget is 20 ms per callback

    env = rl.GridWorld()
    tables = rl_widgets.q_snapshots(env, [0, 5, 50])
    live, draw = rl_widgets.q_map_widget(env, tables)
    live._dlbook_controls["episodes"].value = 0
    assert "after 0 episodes" in live._dlbook_view.value
    assert draw(50) != draw(0)
    with pytest.raises(ValueError):
        rl_widgets.q_map_explorer(env, {})


def test_q_map_figure_hovers_the_q_values():
    env = rl.GridWorld()
    _, q_star = rl.value_iteration(env, 0.9)
    fig = rl_widgets.q_map_figure(env, q_star)
    heat, path = fig.data
    r, c = env.cells[env.start]
    assert heat.z[r][c] == pytest.approx(q_star[env.start].max())
    assert f"Q(right) = {q_star[env.start, 1]:.3f}" in heat.customdata[r][c]
    assert len(path.x) == len(rl.greedy_path(env, q_star))


def test_practice_generator_is_graded_by_the_helper():
    questions = rl_widgets.q_update_practice(count=20, seed=3)
    assert len(questions) == 20
    for question in questions:
        assert question["value"] == rl.q_update(**question["answer"]["kwargs"])
        assert quiz.validate_question(question)["value"] == question["value"]
    assert rl_widgets.q_update_practice(3, seed=1) == rl_widgets.q_update_practice(3, seed=1)
    assert any(q["answer"]["kwargs"]["terminal"] for q in questions)
    with pytest.raises(ValueError, match="count"):
        rl_widgets.q_update_practice(count=0)
    html = quiz.practice_quiz(rl_widgets.q_update_practice, count=2, seed=5)._repr_html_()
    assert html.count('class="dlbook-question"') >= 2


def test_benchmarks_drive_the_controls():
    drivers = rl_widgets.benchmarks()
    assert len(drivers) == 3
    for name, step in drivers.items():
        _, p95 = time_callback(step, repeats=10)
        assert p95 < 20, f"{name}: p95 {p95:.1f} ms"
