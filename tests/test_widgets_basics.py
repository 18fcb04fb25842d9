"""Lecture 01 widgets: the callbacks recompute from helpers, the static faces carry every state."""

import json
import re

import numpy as np
import pytest

from helpers import information, metrics, quiz
from helpers.widgets import basics, time_callback


@pytest.fixture
def scored():
    rng = np.random.default_rng(3)
    truth = rng.integers(0, 2, 200)
    return truth, information.sigmoid(2 * (truth - 0.5) + rng.normal(0, 1, 200))


def test_threshold_svg_shows_the_helper_counts(scored):
    truth, scores = scored
    view = basics.ThresholdView(truth, scores, "five", "not five")
    svg = view.svg(0.3)
    counts = metrics.threshold_counts(truth, scores, 0.3)
    assert svg.startswith("<svg") and f"precision {counts['precision']:.3f}" in svg
    assert f">{counts['tp']}<" in svg and f">{counts['fn']}<" in svg
    assert f"AUC {metrics.roc_auc(truth, scores):.3f}" in svg
    assert "undefined" in view.svg(1.0) or counts["tp"] + counts["fp"] > 0
    with pytest.raises(ValueError, match="between 0 and 1"):
        view.svg(1.5)


def test_live_threshold_widget_updates(scored):
    truth, scores = scored
    box = basics.threshold_widget(basics.ThresholdView(truth, scores))
    slider, view = box._dlbook_controls["threshold"], box._dlbook_view
    slider.value = 0.8
    high = metrics.threshold_counts(truth, scores, 0.8)
    assert f"recall (TPR) {high['recall']:.3f}" in view.value
    slider.value = 0.1
    assert f"recall (TPR) {metrics.threshold_counts(truth, scores, 0.1)['recall']:.3f}" \
        in view.value


def test_threshold_static_has_every_state(scored):
    truth, scores = scored
    explorer = basics.threshold_static(basics.ThresholdView(truth, scores))
    payload = json.loads(re.search(r'class="dlbook-explorer-data">(.*?)</script>',
                                   explorer._repr_html_()).group(1))
    assert len(payload["states"]) == 21 and payload["controls"][0]["initial"] == 10
    assert len(set(payload["states"].values())) > 5


def test_threshold_explorer_rejects_scores_outside_zero_one(scored):
    truth, _ = scored
    with pytest.raises(ValueError, match="probabilities"):
        basics.threshold_explorer(truth, np.linspace(-3, 3, truth.size))


def test_cross_entropy_state_matches_minus_log():
    state = basics.cross_entropy_state(0.2, "one")
    assert state["loss"] == pytest.approx(-np.log(0.2))
    assert state["probs"].sum() == pytest.approx(1.0)
    spread = basics.cross_entropy_state(0.2, "spread")
    assert spread["loss"] == pytest.approx(state["loss"])      # one-hot CE ignores the rest
    assert basics.cross_entropy_state(0.01)["share"] > 0.8     # confident mistake dominates
    assert "-ln 0.20" in basics.cross_entropy_svg(0.2)


@pytest.mark.parametrize("kwargs", [dict(p_true=0.0), dict(p_true=1.5), dict(rest="all"),
                                    dict(num_classes=1)])
def test_predicted_distribution_rejects_bad_input(kwargs):
    with pytest.raises(ValueError):
        basics.predicted_distribution(**{"p_true": 0.5, **kwargs})


def test_cross_entropy_widget_and_static():
    box = basics.cross_entropy_widget()
    box._dlbook_controls["p_true"].value = 0.05
    assert f"{-np.log(0.05):.3f} nats" in box._dlbook_view.value
    html = basics.cross_entropy_static()._repr_html_()
    payload = json.loads(re.search(r'class="dlbook-explorer-data">(.*?)</script>', html).group(1))
    assert len(payload["states"]) == len(basics.CE_VALUES) * 2


def test_confusion_practice_is_graded_by_helpers():
    questions = basics.confusion_practice(count=6, seed=1)
    assert len({q["id"] for q in questions}) == 6
    for question in questions:
        checked = quiz.validate_question(question)
        assert checked["value"] == pytest.approx(question["value"])
        ok, _ = quiz.check_answer(checked, round(question["value"], 2))
        assert ok
        assert not quiz.check_answer(checked, question["value"] + 0.05)[0]
    assert basics.confusion_practice(3, seed=2) == basics.confusion_practice(3, seed=2)
    with pytest.raises(ValueError):
        basics.confusion_practice(count=0)


def test_callbacks_are_within_budget():
    for name, callback in basics.benchmarks().items():
        for _ in range(3):
            callback()
        _, p95 = time_callback(callback, repeats=40)
        assert p95 < 20, f"{name}: p95 {p95:.1f} ms"
