"""Lecture 07's widgets: pure drawing functions against helpers.text / helpers.rnn, the live
callbacks, the static explorers, and the callback budget."""

import json
import math
import re

import numpy as np
import pytest

from helpers import rnn, text
from helpers.widgets import sequences, time_callback

NOTES = sequences.PRESET_DOCUMENTS["the notes' example"]


def payload(explorer):
    found = re.search(r'class="dlbook-explorer-data">(.*?)</script>', explorer._repr_html_())
    return json.loads(found.group(1))


# ------------------------------------------------------------------------ TF-IDF calculator

def test_parse_documents_one_per_line():
    assert sequences.parse_documents("a b\n\n   c d  \n") == ["a b", "c d"]
    with pytest.raises(ValueError, match="at least one document"):
        sequences.parse_documents(" \n\n")
    with pytest.raises(TypeError):
        sequences.parse_documents(["a list"])


def test_tfidf_table_shows_the_helpers_values():
    result = text.tf_idf(NOTES)
    table = sequences.tfidf_table_html(NOTES, "TF-IDF")
    sample = result.vocab.index("sample")
    assert f"{result.matrix[0, sample]:.3f}" in table          # 4/8 · ln 2 = 0.347
    assert f"{math.log(2):.3f}" in table
    assert "(8 words)" in table and "(5 words)" in table
    rows = re.findall(r"<tr><td><code>(\w+)</code>", table)
    assert rows[-1] == "this", "the word in every document (IDF 0) sinks to the bottom"
    assert "0.125" in sequences.tfidf_table_html(NOTES, "TF")  # TF("this", d1) = 1/8
    counts = sequences.tfidf_table_html(NOTES, "counts")
    assert "<b>4</b>" in counts                                 # "sample" 4 times in d1


def test_tfidf_table_caps_rows_and_rejects_bad_views():
    documents = [" ".join(f"w{i}x{j}" for j in range(15)) for i in range(3)]
    table = sequences.tfidf_table_html(documents, max_rows=5)
    assert table.count("<tr><td><code>") == 5 and "40 more words" in table
    with pytest.raises(ValueError, match="view"):
        sequences.tfidf_table_html(NOTES, "BM25")


def test_tfidf_message_reports_errors_in_words():
    assert "document 1 is empty" in sequences.tfidf_message_html("apricot jam\n!!!")
    assert "at least one document" in sequences.tfidf_message_html("")
    assert "<table" in sequences.tfidf_message_html("\n".join(NOTES))


def test_live_tfidf_calculator_updates():
    box = sequences.tfidf_calculator_widget()
    controls, view = box._dlbook_controls, box._dlbook_view
    assert "sample" in view.value
    controls["documents"].value = "the king\nthe queen"
    assert "king" in view.value and "sample" not in view.value
    controls["view"].value = "counts"
    assert "showing <b>counts</b>" in view.value
    controls["preset"].value = "recipes"
    assert "apricot" in view.value
    controls["documents"].value = "..."
    assert "Cannot compute" in view.value


def test_static_tfidf_explorer_has_every_preset_and_view():
    data = payload(sequences.static_tfidf_explorer())
    assert [c["name"] for c in data["controls"]] == ["preset", "view"]
    assert len(data["states"]) == len(sequences.PRESET_DOCUMENTS) * len(sequences.TFIDF_VIEWS)
    assert data["states"]["0_0"] != data["states"]["1_0"], "the first slider changes the view"


# ------------------------------------------------------------------------ cosine explorer

@pytest.mark.parametrize("angle_v,length_v", [(30, 1), (120, 3), (210, 0.5), (300, 2)])
def test_vector_pair_agrees_with_cosine_similarity(angle_v, length_v):
    pair = sequences.vector_pair(30, 2, angle_v, length_v)
    assert pair["cosine"] == pytest.approx(text.cosine_similarity(pair["u"], pair["v"]))
    assert pair["cosine"] == pytest.approx(math.cos(math.radians(angle_v - 30)), abs=1e-12)
    assert pair["dot"] == pytest.approx(2 * length_v * pair["cosine"])
    assert 0 <= pair["angle"] <= 180


def test_vector_pair_rejects_a_zero_vector():
    with pytest.raises(ValueError, match="zero vector"):
        sequences.vector_pair(0, 0, 45, 1)


def test_cosine_svg_reports_angle_and_cosine():
    svg = sequences.cosine_svg(30, 2, 120, 1)
    assert "<svg" in svg and "angle θ = 90°" in svg and "orthogonal" in svg
    assert "cos θ = -1.000" in sequences.cosine_svg(30, 2, 210, 1).replace("−", "-")
    assert "same direction" in sequences.cosine_svg(30, 2, 30, 3)


def test_cosine_length_does_not_change_the_cosine_but_changes_the_dot_product():
    short, long = sequences.vector_pair(30, 2, 75, 1), sequences.vector_pair(30, 2, 75, 3)
    assert short["cosine"] == pytest.approx(long["cosine"])
    assert long["dot"] == pytest.approx(3 * short["dot"])


def test_live_and_static_cosine_explorers():
    box = sequences.cosine_explorer_widget()
    box._dlbook_controls["angle_v"].value = 120
    assert "angle θ = 90°" in box._dlbook_view.value
    data = payload(sequences.static_cosine_explorer())
    assert len(data["states"]) == len(sequences.ANGLES) * len(sequences.LENGTHS)
    assert data["controls"][0]["name"] == "angle_v"
    first = data["controls"][0]["initial"]
    assert data["states"][f"{first}_1"] != data["states"]["0_1"]


# ------------------------------------------------------------------------ LSTM gate explorer

def test_gate_demo_uses_lstm_forward_with_the_documented_gates():
    x, trace = sequences.gate_demo_trace(forget_bias=4.0, input_bias=-6.0, output_bias=2.0)
    reference = rnn.lstm_forward(x, *sequences.gate_demo_weights(4.0, -6.0, 2.0))
    np.testing.assert_allclose(trace.cs, reference.cs)
    sigmoid = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731
    markers = x[:, 1] == 1
    np.testing.assert_allclose(trace.gates["f"][~markers, 0], sigmoid(4.0))
    np.testing.assert_allclose(trace.gates["f"][markers, 0], sigmoid(4.0 - 8.0))
    np.testing.assert_allclose(trace.gates["i"][markers, 0], sigmoid(-6.0 + 8.0))
    np.testing.assert_allclose(trace.gates["o"][:, 0], sigmoid(2.0))
    np.testing.assert_allclose(trace.gates["c_tilde"][:, 0], np.tanh(3 * x[:, 0]))
    # Cell update by hand: c_t = f_t c_{t-1} + i_t c~_t.
    c = 0.0
    for t in range(x.shape[0]):
        c = trace.gates["f"][t, 0] * c + trace.gates["i"][t, 0] * trace.gates["c_tilde"][t, 0]
        assert trace.cs[t, 0] == pytest.approx(c)


def test_gate_demo_inputs_validation():
    x = sequences.gate_demo_inputs()
    assert x.shape == (sequences.GATE_STEPS, 2)
    assert np.flatnonzero(x[:, 1]).tolist() == list(sequences.MARKER_STEPS)
    with pytest.raises(ValueError, match="steps"):
        sequences.gate_demo_inputs(5)


def test_memory_needs_a_forget_gate_near_one_and_a_closed_input_gate():
    assert sequences.memory_of_marked_value(6.0, -6.0)["verdict"] == "remembers it"
    assert sequences.memory_of_marked_value(-2.0, -6.0)["verdict"] == "has lost it"
    drowned = sequences.memory_of_marked_value(4.0, 3.0)
    assert drowned["verdict"] == "keeps only a trace of it" and drowned["rest"] > 0.3
    contributions = [sequences.memory_of_marked_value(b, -6.0)["contribution"]
                     for b in sequences.FORGET_BIASES]
    assert contributions == sorted(contributions), "a larger forget bias keeps more"


def test_lstm_gate_svg_and_explorers():
    svg = sequences.lstm_gate_svg(6.0, -6.0, 2.0)
    assert svg.startswith("<svg") and svg.count("<polyline") == 5
    assert "remembers it" in svg
    box = sequences.lstm_gate_explorer_widget()
    box._dlbook_controls["forget_bias"].value = -2.0
    assert "has lost it" in box._dlbook_view.value
    data = payload(sequences.static_lstm_gate_explorer())
    sizes = [len(sequences.FORGET_BIASES), len(sequences.INPUT_BIASES),
             len(sequences.OUTPUT_BIASES)]
    assert len(data["states"]) == int(np.prod(sizes))
    assert data["controls"][0]["name"] == "forget_bias"
    assert data["states"]["0_0_0"] != data["states"][f"{sizes[0] - 1}_0_0"]


# ------------------------------------------------------------------------ budget

def test_callbacks_are_within_the_budget():
    for name, step in sequences.benchmarks().items():
        step()
        _, p95 = time_callback(step, repeats=20)
        assert p95 < 50, f"{name}: p95 {p95:.1f} ms exceeds the 50 ms budget"


def test_static_tfidf_calculator_is_a_text_box_with_fallback_and_presets():
    import json
    import re

    block = sequences.static_tfidf_calculator()
    page = block.html_text
    assert "<textarea" in page and "dlbook-tfidf-runtime" in page
    assert "DLBookTfidf" in sequences.TFIDF_JS
    presets = json.loads(re.search(r'class="dlbook-tfidf-presets">(.*?)</script>', page,
                                   re.S).group(1))
    assert presets == sequences.PRESET_DOCUMENTS
    assert "0.347" in page          # the no-JavaScript fallback: TF-IDF(sample, d1) = 4/8 ln 2
    with pytest.raises(ValueError, match="at least one document"):
        sequences.static_tfidf_calculator(["   "])


def test_gate_caption_parts_add_up_to_the_cell_state():
    import re

    for forget_bias in sequences.FORGET_BIASES:
        for input_bias in sequences.INPUT_BIASES:
            memory = sequences.memory_of_marked_value(forget_bias, input_bias)
            assert memory["from_value"] + memory["from_rest"] == pytest.approx(memory["c_end"])
            caption = re.search(r"<p [^>]*>(.*?)</p>",
                                sequences.lstm_gate_svg(forget_bias, input_bias)).group(1)
            numbers = re.search(r"c at the end = (\S+) = (\S+) \(from that value\) (\S+)",
                                caption).groups()
            total, part, rest = (float(n.replace("−", "-")) for n in numbers)
            assert part + rest == pytest.approx(total, abs=1e-9), caption
            assert total == pytest.approx(memory["c_end"], abs=0.005)


def test_embedding_map_projects_and_labels_the_words():
    rng = np.random.default_rng(0)
    words = ["king", "queen", "paris", "rome", "jam", "the"]
    vectors = rng.normal(size=(6, 8))
    points, explained = sequences.project_2d(vectors)
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    centred = unit - unit.mean(axis=0)
    pca = np.linalg.svd(centred)[2][:2]
    np.testing.assert_allclose(np.abs(points), np.abs(centred @ pca.T), atol=1e-12)
    assert 0 < explained[1] <= explained[0] < 1
    figure = sequences.embedding_map(vectors, words, {"royals": ["king", "queen"],
                                                      "capitals": ["paris", "rome", "absent"]})
    names = [trace.name for trace in figure.data]
    assert names == ["other words", "royals", "capitals"]
    assert list(figure.data[0].text) == ["jam", "the"] and list(figure.data[2].text) == ["paris",
                                                                                      "rome"]
    assert all("%{text}" in trace.hovertemplate for trace in figure.data)
    with pytest.raises(ValueError, match="5 words for 6 vectors"):
        sequences.embedding_map(vectors, words[:5])
    with pytest.raises(ValueError, match="zero vector"):
        sequences.project_2d(np.vstack([vectors, np.zeros(8)]))


def test_recurrent_params_practice_agrees_with_keras():
    import keras

    from helpers.quiz import check_answer, validate_question
    from helpers.widgets.sequences import recurrent_params_practice

    questions = recurrent_params_practice(count=12, seed=4)
    assert len({q["prompt"] for q in questions}) >= 10
    kinds = {"simple_rnn": keras.layers.SimpleRNN, "lstm": keras.layers.LSTM,
             "gru": keras.layers.GRU}
    for question in questions[:6]:
        q = validate_question(dict(question))
        kw = q["answer"]["kwargs"]
        layer = kinds[kw["kind"]](kw["units"])
        layer.build((None, 7, kw["input_dim"]))
        assert layer.count_params() == q["value"]
        assert check_answer(q, f"{q['value']:,}")[0]
        assert not check_answer(q, q["value"] + 1)[0]
    for bad in (0, 51, True, 2.5):
        with pytest.raises(ValueError):
            recurrent_params_practice(count=bad)
