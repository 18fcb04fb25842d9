"""Lecture 08's widgets: temperature and attention-map explorers against helpers.attention,
the live callbacks, the static explorers, bad input and the callback budget."""

import json
import re

import numpy as np
import pytest

from helpers import attention
from helpers.widgets import attention as widgets
from helpers.widgets import time_callback


def payload(explorer):
    found = re.search(r'class="dlbook-explorer-data">(.*?)</script>', explorer._repr_html_())
    return json.loads(found.group(1))


def test_temperature_view_matches_the_softmax_of_logits_over_t():
    logits, symbols = widgets.demo_logits()["after 'the kin'"]
    for t in (0.25, 1.0, 2.0):
        view = widgets.temperature_view(logits, symbols, t)
        expected = np.exp(logits / t) / np.exp(logits / t).sum()
        np.testing.assert_allclose(view["probabilities"], expected, rtol=1e-12)
    cold = widgets.temperature_view(logits, symbols, 0.05)
    assert cold["argmax_share"] == 1.0 and cold["entropy_bits"] < 0.01     # T -> 0: argmax
    hot = widgets.temperature_view(logits, symbols, 50.0)
    assert hot["entropy_bits"] > np.log2(len(symbols)) - 0.01            # T -> inf: uniform
    with pytest.raises(ValueError):
        widgets.temperature_view(logits, symbols, 0.0)
    with pytest.raises(ValueError):
        widgets.temperature_view(logits, symbols[:3], 1.0)


def test_temperature_svg_lists_the_top_probabilities():
    logits, symbols = widgets.demo_logits()["after 'the kin'"]
    svg = widgets.temperature_svg(logits, symbols, 1.0)
    p = attention.temperature_probabilities(logits, 1.0)
    assert f"{p.max():.2f}" in svg and "␣" in svg and svg.startswith("<svg")


def test_temperature_explorers_live_and_static():
    live = widgets.temperature_explorer_widget()
    before = live._dlbook_view.value
    live._dlbook_controls["temperature"].value = 0.2
    assert live._dlbook_view.value != before
    data = payload(widgets.static_temperature_explorer())
    assert len(data["states"]) == len(widgets.TEMPERATURES)
    assert data["controls"][1]["initial"] == widgets.TEMPERATURES.index(1.0)
    with pytest.raises(TypeError):
        widgets.static_temperature_explorer({"x": [1, 2, 3]})
    with pytest.raises(ValueError):
        widgets.static_temperature_explorer({"x": ([1, 2, 3], ["a", "b"])})


def test_attention_map_svg_outlines_the_step_and_names_the_largest_weight():
    example = widgets.demo_attention()[0]
    svg = widgets.attention_map_svg(example["source"], example["output"],
                                    example["weights"], 0)
    assert 'step 1 writes "5"' in svg and "source position 5" in svg
    with pytest.raises(ValueError):
        widgets.attention_map_svg(example["source"], example["output"], example["weights"], 9)


def test_attention_explorers_live_static_and_bad_input():
    live = widgets.attention_explorer_widget()
    before = live._dlbook_view.value
    live._dlbook_controls["step"].value = 3
    assert live._dlbook_view.value != before and "step 3 writes" in live._dlbook_view.value
    examples = widgets.demo_attention() * 2
    examples[1] = dict(examples[1], name="second")
    data = payload(widgets.static_attention_explorer(examples))
    assert len(data["states"]) == 2 * 6
    bad = dict(widgets.demo_attention()[0], weights=np.ones((6, 5)))
    with pytest.raises(ValueError, match="sum to 1"):
        widgets.static_attention_explorer([bad])
    with pytest.raises(ValueError, match="shape"):
        widgets.static_attention_explorer([dict(bad, weights=np.ones((2, 2)) / 2)])
    with pytest.raises(TypeError):
        widgets.static_attention_explorer([{"source": []}])


def test_callbacks_are_within_the_budget():
    for name, step in widgets.benchmarks().items():
        step()
        _, p95 = time_callback(step, repeats=20)
        assert p95 < 20, f"{name}: p95 {p95:.1f} ms exceeds the 20 ms budget"
