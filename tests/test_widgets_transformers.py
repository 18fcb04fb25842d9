"""Lecture 10's widgets: the pure functions against helpers.attention / helpers.tokenise, the
JavaScript mirrors (run in Node) against Python, the live callbacks and their budget."""

import json
import re
import shutil
import subprocess

import numpy as np
import pytest

from helpers import attention, transformer
from helpers.quiz import check_answer, resolve_call, validate_question
from helpers.tokenise import BytePairEncoder
from helpers.widgets import time_callback
from helpers.widgets import transformers as tw

NODE = shutil.which("node")
TEXTS = [tw.STEPPER_TEXT, "no pair twice: xy", "low lower lowest low low newest newer",
         "naïve café, Größe, 東京 😀 naïve café " * 3, "x_1 = 12345 + 678;\n\tx_1 *= 2  # done",
         "aaab aaab aaab  \n\n  abab"]


def softmax_rows(shape, seed=0):
    logits = np.random.default_rng(seed).normal(size=shape)
    return np.exp(logits) / np.exp(logits).sum(-1, keepdims=True)


def run_node(script: str):
    result = subprocess.run([NODE, "-e", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


# ------------------------------------------------------------------ attention heatmap

def test_attention_svg_shows_every_weight_on_hover():
    weights = softmax_rows((5, 5))
    svg = tw.attention_svg(weights, list("ab cd"), "head 1")
    titles = re.findall(r"<title>query (\d) \S+ → key (\d) \S+: ([0-9.]+)</title>", svg)
    assert len(titles) == 25
    for i, j, shown in titles:
        assert float(shown) == pytest.approx(weights[int(i), int(j)], abs=5e-4)
    assert "␣" in svg


def test_attention_figure_has_one_trace_per_head_and_a_menu():
    maps = {"one": softmax_rows((2, 3, 6, 6)), "two": softmax_rows((2, 3, 4, 4), 1)}
    tokens = {"one": list("abcdef"), "two": list("wxyz")}
    fig = tw.attention_figure(maps, tokens)
    assert len(fig.data) == 12 and sum(bool(t.visible) for t in fig.data) == 1
    buttons = fig.layout.updatemenus[0].buttons
    assert len(buttons) == 12 and buttons[-1].label == "two · layer 2 · head 3"
    assert np.allclose(fig.data[-1].z, maps["two"][1, 2].round(2))
    assert buttons[-1].args[1]["xaxis.range"] == [-0.5, 3.5]


def test_attention_bad_input():
    with pytest.raises(ValueError, match="square"):
        tw.attention_svg(np.ones((2, 3)) / 3, list("ab"))
    with pytest.raises(ValueError, match="tokens"):
        tw.attention_svg(np.eye(3), list("ab"))
    with pytest.raises(ValueError, match="sum to 1"):
        tw.attention_svg(np.ones((2, 2)), list("ab"))
    with pytest.raises(ValueError, match="same"):
        tw.attention_figure({"a": softmax_rows((1, 1, 2, 2))}, {"b": list("ab")})


def test_attention_widget_updates():
    maps = {"t": softmax_rows((2, 2, 4, 4))}
    box = tw.attention_heatmap_widget(maps, {"t": list("abcd")})
    box._dlbook_controls["layer"].value = 2
    box._dlbook_controls["head"].value = 2
    assert "layer 2, head 2" in box._dlbook_view.value
    assert f"{maps['t'][1, 1, 0, 0]:.3f}" in box._dlbook_view.value


# ------------------------------------------------------------------ positional encodings

def test_positional_view_matches_the_helper():
    view = tw.positional_view(16, 5, 20)
    pe = attention.sinusoidal_positions(20, 16)
    assert np.allclose(view["pe"], pe)
    assert np.allclose(view["dots"], pe @ pe[5])
    assert view["dots"][5] == pytest.approx(8.0)
    # the dot product depends only on the distance: PE[p]·PE[p+k] is the same for every p
    assert np.allclose(np.diag(pe @ pe.T, 3), np.diag(pe @ pe.T, 3)[0])


def test_positional_bad_input():
    with pytest.raises(ValueError, match="position"):
        tw.positional_view(16, 64)
    with pytest.raises(ValueError, match="dim"):
        tw.static_positional_viewer(dim=12)


@pytest.mark.skipif(NODE is None, reason="needs Node.js to run the page's JavaScript")
def test_positional_javascript_mirror_matches_python():
    js = tw.PE_CORE_JS + ("var out = {};[8, 32, 128].forEach(function (d) {"
                          "var r = dlbPe(64, d); out[d] = {pe: r, dots: dlbDots(r, 10)}; });"
                          "console.log(JSON.stringify(out));")
    result = run_node(js)
    for dim in (8, 32, 128):
        view = tw.positional_view(dim, 10)
        assert np.allclose(result[str(dim)]["pe"], view["pe"], atol=1e-12)
        assert np.allclose(result[str(dim)]["dots"], view["dots"], atol=1e-9)


def test_static_positional_viewer_carries_the_mirror():
    page = tw.static_positional_viewer(32, 10)._repr_html_()
    assert "dlb-pe-viewer" in page and "function dlbPe" in page and "<svg" in page


# ------------------------------------------------------------------ BPE merge stepper

def test_bpe_steps_follow_the_encoder():
    steps = tw.bpe_steps(tw.STEPPER_TEXT)
    encoder = BytePairEncoder().train(tw.STEPPER_TEXT, tw.MAX_STEPPER_MERGES)
    assert len(steps) == len(encoder.merges) + 1
    assert steps[0]["tokens"] == [chr(b) for b in tw.STEPPER_TEXT.encode()]
    assert steps[-1]["tokens"] == encoder.tokens(tw.STEPPER_TEXT)
    for step in steps:
        assert "".join(step["tokens"]) == tw.STEPPER_TEXT
    lengths = [len(s["tokens"]) for s in steps]
    assert all(a > b for a, b in zip(lengths, lengths[1:], strict=False))   # merges shrink
    assert steps[1]["merge"][2] == steps[1]["merge"][0] + steps[1]["merge"][1]


def test_bpe_stepper_reports_errors_in_words():
    assert "type some text" in tw.bpe_stepper_html("   ")
    assert "at most" in tw.bpe_stepper_html("x" * 5000)
    with pytest.raises(TypeError):
        tw.bpe_steps(None)
    html = tw.bpe_stepper_html(tw.STEPPER_TEXT, 3)
    assert f"After <b>3</b> of {len(tw.bpe_steps(tw.STEPPER_TEXT)) - 1} merges" in html


@pytest.mark.skipif(NODE is None, reason="needs Node.js to run the page's JavaScript")
def test_bpe_javascript_mirror_matches_python():
    driver = ("var texts = " + json.dumps(TEXTS) + "; console.log(JSON.stringify("
              "texts.map(function (t) { var m = dlbTrain(t, 40); return {merges: m.merges, "
              "counts: m.counts, chunks: dlbChunks(t), ids: [0, Math.min(3, m.merges.length), "
              "m.merges.length].map("
              "function (k) { return dlbEncode(m, t, k); }), "
              "tokens: dlbEncode(m, t, m.merges.length).map(function (i) {"
              "return dlbTokenText(m, i); })}; })));")
    results = run_node(tw.BPE_CORE_JS + driver)
    from helpers.tokenise import chunks
    for text, js in zip(TEXTS, results, strict=True):
        encoder = BytePairEncoder().train(text, 40)
        assert js["chunks"] == chunks(text)
        assert [tuple(m) for m in js["merges"]] == encoder.merges
        assert js["counts"] == encoder.merge_counts
        for k, ids in zip([0, min(3, len(encoder.merges)), len(encoder.merges)], js["ids"],
                          strict=True):
            assert ids == encoder.truncated(k).encode(text)
        assert js["tokens"] == encoder.tokens(text)


@pytest.mark.skipif(NODE is None, reason="needs Node.js to run the page's JavaScript")
def test_javascript_chunk_pattern_on_random_unicode():
    import random

    from helpers.tokenise import chunks

    rng = random.Random(0)
    texts = []
    for _ in range(200):
        chars = []
        for _ in range(rng.randint(1, 20)):
            code = rng.choice([rng.randint(32, 126), rng.randint(0x80, 0x3000),
                               rng.choice([9, 10, 13, 0x85, 0xa0, 0x2028, 0x1c])])
            if not 0xd800 <= code < 0xe000:
                chars.append(chr(code))
        texts.append("".join(chars))
    result = run_node(tw.BPE_CORE_JS + "console.log(JSON.stringify(" + json.dumps(texts)
                      + ".map(dlbChunks)));")
    import unicodedata
    for text, js in zip(texts, result, strict=True):
        if all(unicodedata.category(c) != "Cn" for c in text):   # assigned in both versions
            assert js == chunks(text), text


def test_bpe_widget_retrains_on_new_text():
    box = tw.bpe_stepper_widget()
    box._dlbook_controls["text"].value = "abab abab abab"
    box._dlbook_controls["step"].value = 1
    assert "<b>1</b> of" in box._dlbook_view.value


def test_static_bpe_stepper_carries_the_mirror():
    page = tw.static_bpe_stepper()._repr_html_()
    assert "dlb-bpe-stepper" in page and "function dlbTrain" in page and "textarea" in page


# ------------------------------------------------------------------ diagram and practice

def test_block_diagram():
    post, pre = tw.block_diagram("post"), tw.block_diagram("pre")
    assert post.data["stages"][-1] == "LayerNorm" and pre.data["stages"][0] == "LayerNorm"
    assert "<svg" in post._repr_html_()
    with pytest.raises(ValueError, match="norm"):
        tw.block_diagram("middle")


def test_practice_is_graded_by_the_helpers():
    questions = tw.transformer_practice(count=40, seed=3)
    kinds = {q["answer"]["call"] for q in questions}
    assert {"helpers.transformer.mha_param_count", "helpers.transformer.block_param_count",
            "helpers.transformer.head_width",
            "helpers.transformer.attention_score_count"} <= kinds
    for question in questions:
        validate_question(dict(question))
        assert resolve_call(question["answer"]) == question["value"]
        assert check_answer(question, str(question["value"]))[0]
        assert not check_answer(question, str(question["value"] + 1))[0]
    assert transformer.head_width(512, 8) == 64
    with pytest.raises(ValueError):
        tw.transformer_practice(count=0)


def test_benchmark_drivers_run():
    """scripts/bench.py times these (budget: p95 <= 20 ms on a quiet machine); here each
    driver only has to run, since timings under a loaded test run say little."""
    drivers = tw.benchmarks()
    assert len(drivers) == 5
    for callback in drivers.values():
        median, p95 = time_callback(callback, repeats=3)
        assert 0 <= median <= p95
