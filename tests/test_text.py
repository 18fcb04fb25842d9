"""Tests of helpers.text against hand-worked examples, scikit-learn and Keras."""

from __future__ import annotations

import math
import zipfile

import numpy as np
import pytest

from helpers import text

# The lecture's worked example: document 1 has 8 words (counts 1 + 1 + 2 + 4), document 2 has
# 5 words (counts 1 + 2 + 1 + 1), and "this" is in both documents.
NOTES_DOCS = [
    "This is a a sample sample sample sample",
    "This another another example here",
]


# ------------------------------------------------------------------------ tokens and counts


def test_tokenize_lowercases_and_drops_punctuation():
    assert text.tokenize("Lemon, a tablespoon of Apricot jam; don't!") == [
        "lemon", "a", "tablespoon", "of", "apricot", "jam", "don't"
    ]
    assert text.tokenize("") == []


def test_tokenize_rejects_non_strings():
    with pytest.raises(TypeError, match="string"):
        text.tokenize(["not", "a", "string"])


def test_vocabulary_is_sorted_and_honours_min_count():
    assert text.vocabulary(["b a", "a c"]) == ["a", "b", "c"]
    assert text.vocabulary(["b a", "a c"], min_count=2) == ["a"]
    with pytest.raises(ValueError, match="min_count"):
        text.vocabulary(["a"], min_count=0)


@pytest.mark.parametrize(
    ("docs", "error", "message"),
    [
        ([], ValueError, "corpus is empty"),
        (["fine words", "  ...  "], ValueError, "document 1 is empty"),
        ("a single string", TypeError, "wrap it in a list"),
        ([3.5], TypeError, "document 0"),
    ],
)
def test_corpus_validation(docs, error, message):
    with pytest.raises(error, match=message):
        text.tf_idf(docs)
    with pytest.raises(error, match=message):
        text.bag_of_words(docs)


def test_bag_of_words_matches_sklearn_countvectorizer():
    from sklearn.feature_extraction.text import CountVectorizer

    docs = ["I love dogs, not cats", "I love cats, not dogs", "a cat is not a dog"]
    counts, vocab = text.bag_of_words(docs)
    reference = CountVectorizer(tokenizer=text.tokenize, token_pattern=None, lowercase=False)
    expected = reference.fit_transform(docs).toarray()
    assert vocab == list(reference.get_feature_names_out())
    np.testing.assert_array_equal(counts, expected)
    # Bag of words forgets order: the first two documents look the same.
    np.testing.assert_array_equal(counts[0], counts[1])


def test_bag_of_words_with_given_vocab_ignores_unknown_words():
    counts, vocab = text.bag_of_words(["jam jam apricot toast"], vocab=["jam", "apricot"])
    assert vocab == ["jam", "apricot"]
    assert counts.tolist() == [[2, 1]]
    with pytest.raises(ValueError, match="twice"):
        text.bag_of_words(["jam"], vocab=["jam", "jam"])


def test_one_hot_and_encode():
    vocab = ["apricot", "jam", "lemon"]
    np.testing.assert_array_equal(text.one_hot("lemon", vocab), [0, 0, 1])
    np.testing.assert_array_equal(text.one_hot(["jam", "apricot"], vocab), [[0, 1, 0], [1, 0, 0]])
    assert text.encode(["lemon", "jam"], vocab).tolist() == [2, 1]
    with pytest.raises(ValueError, match="not in the vocabulary"):
        text.one_hot("toast", vocab)
    with pytest.raises(ValueError, match="not in the vocabulary"):
        text.encode(["toast"], vocab)
    with pytest.raises(TypeError, match="tokenize"):
        text.encode("lemon jam", vocab)


# ------------------------------------------------------------------------ TF-IDF


def test_tf_idf_reproduces_the_lecture_example():
    result = text.tf_idf(NOTES_DOCS)
    this = result.vocab.index("this")
    counts, _ = text.bag_of_words(NOTES_DOCS, result.vocab)
    assert counts.sum(axis=1).tolist() == [8, 5]
    # TF("This", Doc1) = 1/8, TF("This", Doc2) = 1/5, IDF("This") = log(2/2) = 0.
    assert result.idf[this] == 0.0
    np.testing.assert_allclose(result.matrix[:, this], [0.0, 0.0])
    # A word only in document 1 ("sample", 4 of 8 words): TF = 4/8, IDF = ln 2.
    sample = result.vocab.index("sample")
    assert result.idf[sample] == pytest.approx(math.log(2))
    assert result.matrix[0, sample] == pytest.approx(4 / 8 * math.log(2))
    assert result.matrix[1, sample] == 0.0
    # "another" is 2 of the 5 words of document 2.
    another = result.vocab.index("another")
    assert result.matrix[1, another] == pytest.approx(2 / 5 * math.log(2))


def test_tf_idf_rejects_words_in_no_document():
    with pytest.raises(ValueError, match="df = 0"):
        text.tf_idf(["apricot jam"], vocab=["apricot", "toast"])


def test_sklearn_tfidf_equals_ours_after_the_documented_conversions():
    from sklearn.feature_extraction.text import TfidfVectorizer

    docs = NOTES_DOCS + ["a sample of apricot jam", "jam is another example of a sample"]
    comparison = text.sklearn_tfidf_comparison(docs)
    assert comparison.max_abs_difference < 1e-12
    # Rebuild sklearn's matched numbers by hand: the lecture's TF scaled back to raw counts
    # (times the document length), times the lecture's IDF + 1.
    ours = text.tf_idf(docs)
    counts, _ = text.bag_of_words(docs, ours.vocab)
    lengths = np.array([len(text.tokenize(d)) for d in docs], dtype=float)[:, None]
    term_frequency = counts / lengths
    np.testing.assert_allclose(term_frequency * ours.idf, ours.matrix)
    np.testing.assert_allclose(term_frequency * lengths * (ours.idf + 1),
                               comparison.sklearn_matched, rtol=1e-12)
    # sklearn's idf_ (no smoothing) is ln(N/df) + 1.
    reference = TfidfVectorizer(tokenizer=text.tokenize, token_pattern=None, lowercase=False,
                                smooth_idf=False, norm=None, vocabulary=ours.vocab).fit(docs)
    np.testing.assert_allclose(reference.idf_, ours.idf + 1)
    # The defaults differ: rows are unit length, and a word in every document is not zeroed.
    np.testing.assert_allclose(np.linalg.norm(comparison.sklearn_default, axis=1), 1.0)
    notes = text.sklearn_tfidf_comparison(NOTES_DOCS)
    this = notes.vocab.index("this")
    assert notes.ours[0, this] == 0.0
    assert notes.sklearn_default[0, this] > 0.0 and notes.sklearn_matched[0, this] == 1.0
    for phrase in ("smooth_idf", "+ 1", "norm='l2'", "raw count", "sublinear_tf"):
        assert phrase in comparison.explanation


# ------------------------------------------------------------------------ co-occurrence, PPMI


def test_cooccurrence_counts_a_window_and_stays_in_sentences():
    counts, vocab = text.cooccurrence_matrix([["a", "b", "c"], ["c", "a"]], window=1)
    assert vocab == ["a", "b", "c"]
    assert counts.tolist() == [[0, 1, 1], [1, 0, 1], [1, 1, 0]]
    np.testing.assert_array_equal(counts, counts.T)
    # Without the sentence split "c c" would be neighbours.
    flat, _ = text.cooccurrence_matrix(["a", "b", "c", "c", "a"], window=1)
    assert flat[2, 2] == 2
    with pytest.raises(ValueError, match="window"):
        text.cooccurrence_matrix(["a", "b"], window=0)


def test_ppmi_matches_the_textbook_example():
    # Jurafsky & Martin, ch. 6: rows cherry, strawberry, digital, information; columns
    # computer, data, result, pie, sugar. PPMI(information, data) = log2(.3399/(.6575*.4842)).
    counts = np.array([
        [2, 8, 9, 442, 25],
        [0, 0, 1, 60, 19],
        [1670, 1683, 85, 5, 4],
        [3325, 3982, 378, 5, 13],
    ])
    result = text.ppmi(counts)
    assert result[3, 1] == pytest.approx(0.0944, abs=5e-4)
    assert result[1, 0] == 0.0  # zero count -> 0, not -inf
    assert np.all(result >= 0)
    total = counts.sum()
    pmi_cherry_pie = math.log2((442 / total) / (counts[0].sum() / total * counts[:, 3].sum()
                                                / total))
    assert result[0, 3] == pytest.approx(max(pmi_cherry_pie, 0.0))


def test_ppmi_rejects_bad_input():
    with pytest.raises(ValueError, match="all zeros"):
        text.ppmi(np.zeros((2, 2)))
    with pytest.raises(ValueError, match="non-negative"):
        text.ppmi(np.array([[1, -1], [0, 1]]))
    with pytest.raises(ValueError, match="2-D"):
        text.ppmi(np.ones(3))


# ------------------------------------------------------------------------ cosine


def test_cosine_matches_sklearn():
    from sklearn.metrics.pairwise import cosine_similarity as sk_cosine

    rng = np.random.default_rng(0)
    a, b = rng.normal(size=(5, 7)), rng.normal(size=(4, 7))
    np.testing.assert_allclose(text.cosine_matrix(a, b), sk_cosine(a, b), atol=1e-12)
    np.testing.assert_allclose(text.cosine_matrix(a), sk_cosine(a), atol=1e-12)
    assert text.cosine_similarity(a[0], b[1]) == pytest.approx(sk_cosine(a[:1], b[1:2])[0, 0])


def test_cosine_range_and_the_lecture_vectors():
    digital, information, apricot = [1, 1], [2, 3], [6, 1]
    near = text.cosine_similarity(digital, information)
    assert near > text.cosine_similarity(digital, apricot)
    assert near > text.cosine_similarity(information, apricot)
    assert text.cosine_similarity([1, 2], [-1, -2]) == pytest.approx(-1.0)
    counts = np.random.default_rng(1).integers(0, 5, size=(6, 8)) + np.eye(6, 8, dtype=int)
    assert text.cosine_matrix(counts).min() >= 0.0  # counts: cosine in [0, 1]


def test_cosine_rejects_zero_vectors_and_mismatched_shapes():
    with pytest.raises(ValueError, match="zero vector"):
        text.cosine_similarity([0, 0], [1, 2])
    with pytest.raises(ValueError, match="row 1 of a is the zero vector"):
        text.cosine_matrix([[1, 0], [0, 0]])
    with pytest.raises(ValueError, match="same length"):
        text.cosine_similarity([1, 2], [1, 2, 3])
    with pytest.raises(ValueError, match="NaN"):
        text.cosine_similarity([np.nan, 1], [1, 2])


# ------------------------------------------------------------------------ neighbours, analogies


def test_nearest_neighbours_and_analogy_on_hand_made_vectors():
    vocab = ["man", "king", "woman", "queen", "pad"]
    embeddings = np.array([[1, 0, 0], [1, 1, 0], [0, 0, 1], [0, 1, 1], [0, 0, 0]], dtype=float)
    assert text.analogy(embeddings, vocab, "man", "king", "woman")[0][0] == "queen"
    neighbours = text.nearest_neighbours(embeddings, vocab, "king", k=10)
    assert [w for w, _ in neighbours] == ["man", "queen", "woman"]  # never itself nor "pad"
    assert neighbours[0][1] == pytest.approx(1 / math.sqrt(2))
    with pytest.raises(ValueError, match="not in the vocabulary"):
        text.nearest_neighbours(embeddings, vocab, "prince")
    with pytest.raises(ValueError, match="zero"):
        text.nearest_neighbours(embeddings, vocab, "pad")
    with pytest.raises(ValueError, match="rows"):
        text.nearest_neighbours(embeddings[:3], vocab, "king")
    with pytest.raises(ValueError, match="k must"):
        text.analogy(embeddings, vocab, "man", "king", "woman", k=0)


# ------------------------------------------------------------------------ word2vec data


def test_skipgram_pairs_reproduce_the_apricot_example():
    sentence = "... lemon, a tablespoon of apricot jam, a pinch ..."
    pairs = [p for p in text.skipgram_pairs(sentence, window=2) if p[0] == "apricot"]
    assert pairs == [("apricot", "tablespoon"), ("apricot", "of"), ("apricot", "jam"),
                     ("apricot", "a")]
    # Edges have fewer neighbours; windows stay inside a sentence.
    assert text.skipgram_pairs([["a", "b"], ["c"]], window=2) == [("a", "b"), ("b", "a")]
    assert text.skipgram_pairs([0, 1, 2], window=1) == [(0, 1), (1, 0), (1, 2), (2, 1)]


def test_negative_sampling_distribution_lecture_numbers():
    assert 0.99 ** 0.75 == pytest.approx(0.9925, abs=1e-4)
    assert 0.01 ** 0.75 == pytest.approx(0.0316, abs=1e-4)  # the notes' 0.018 is a slip
    p = text.negative_sampling_distribution([0.99, 0.01])
    np.testing.assert_allclose(p, [0.97, 0.03], atol=0.005)
    assert p.sum() == pytest.approx(1.0)
    # Counts or probabilities give the same answer; zero counts stay impossible.
    np.testing.assert_allclose(text.negative_sampling_distribution([99, 1]), p)
    assert text.negative_sampling_distribution([3, 0, 1])[1] == 0.0
    np.testing.assert_allclose(text.negative_sampling_distribution([1, 3], alpha=1.0),
                               [0.25, 0.75])
    with pytest.raises(ValueError, match="all zero"):
        text.negative_sampling_distribution([0, 0])
    with pytest.raises(ValueError, match="alpha"):
        text.negative_sampling_distribution([1, 2], alpha=0)


def test_sample_negatives_follows_the_distribution_and_excludes():
    p = text.negative_sampling_distribution([0.99, 0.01])
    draws = text.sample_negatives(p, 20_000, seed=0)
    assert np.mean(draws == 1) == pytest.approx(p[1], abs=0.005)
    q = text.negative_sampling_distribution([5, 1, 1, 1])
    assert 0 not in text.sample_negatives(q, 500, exclude=[0], seed=1)
    np.testing.assert_array_equal(text.sample_negatives(q, 10, seed=3),
                                  text.sample_negatives(q, 10, seed=3))
    with pytest.raises(ValueError, match="excluded"):
        text.sample_negatives([1.0, 0.0], 3, exclude=[0])
    with pytest.raises(ValueError, match="sum to 1"):
        text.sample_negatives([0.5, 0.2], 3)


def test_skipgram_dataset_rows():
    ids = np.array([0, 1, 2, 3, 4, 5, 1, 2])
    data = text.skipgram_dataset(ids, window=2, num_negatives=3, seed=0)
    positives = set(text.skipgram_pairs(ids.tolist(), window=2))
    assert len(data.targets) == len(text.skipgram_pairs(ids.tolist(), window=2))
    assert data.contexts.shape == (len(data.targets), 4)
    assert data.labels.dtype == np.float32
    np.testing.assert_array_equal(data.labels[:, 0], 1.0)
    np.testing.assert_array_equal(data.labels[:, 1:], 0.0)
    for target, row in zip(data.targets.tolist(), data.contexts.tolist(), strict=True):
        assert (target, row[0]) in positives
        assert target not in row[1:] and row[0] not in row[1:]
    again = text.skipgram_dataset(ids, window=2, num_negatives=3, seed=0)
    for first, second in zip(data, again, strict=True):
        np.testing.assert_array_equal(first, second)
    with pytest.raises(TypeError, match="encode"):
        text.skipgram_dataset(["a", "b"])
    with pytest.raises(ValueError, match="outside"):
        text.skipgram_dataset([0, 1, 2], distribution=[0.5, 0.5])


def test_skipgram_model_is_the_sgns_objective_and_learns():
    import keras

    keras.utils.set_random_seed(0)
    ids = np.tile(np.array([0, 1, 2, 3, 4, 5, 6, 7]), 40)
    data = text.skipgram_dataset(ids, window=1, num_negatives=2, seed=0)
    model = text.build_skipgram_model(vocab_size=8, dim=4, learning_rate=0.05, seed=0)
    assert {layer.name for layer in model.layers if "Embedding" in type(layer).__name__} == {
        "W", "C"
    }
    w, c = text.skipgram_embeddings(model)
    assert w.shape == c.shape == (8, 4)
    # Keras' loss equals -(1/(1+k)) [log σ(w·c+) + Σ log σ(-w·c-)] averaged over rows.
    sample = slice(0, 32)
    scores = np.einsum("nd,nkd->nk", w[data.targets[sample]], c[data.contexts[sample]])
    sigma = 1.0 / (1.0 + np.exp(-scores))
    manual = -np.mean(np.log(sigma[:, 0]) + np.log(1 - sigma[:, 1:]).sum(axis=1)) / 3
    keras_loss = model.evaluate([data.targets[sample], data.contexts[sample]],
                                data.labels[sample], verbose=0)[0]
    assert keras_loss == pytest.approx(manual, rel=1e-4)
    history = model.fit([data.targets, data.contexts], data.labels, batch_size=64, epochs=8,
                        verbose=0)
    assert history.history["loss"][-1] < 0.6 * history.history["loss"][0]
    with pytest.raises(ValueError, match="vocab_size"):
        text.build_skipgram_model(vocab_size=0)


# ------------------------------------------------------------------------ pretrained vectors


def test_load_pretrained_vectors_offline_falls_back_with_one_line(monkeypatch, capsys,
                                                                  tmp_path):
    from helpers import data

    monkeypatch.setenv("DLBOOK_OFFLINE", "1")
    monkeypatch.setenv("DLBOOK_CACHE", str(tmp_path))
    monkeypatch.setitem(data.REGISTRY, "glove-6B-50d", data.RemoteFile(
        "glove-test.zip", "https://example.invalid/glove.zip", "0" * 64, "test entry"))
    vectors = text.load_pretrained_vectors("glove-6B-50d")
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1 and "unavailable (DLBOOK_OFFLINE is set)" in lines[0]
    assert vectors.dim == 50 and "king" in vectors
    assert vectors.analogy("man", "king", "woman")[0][0] == "queen"
    assert text.load_pretrained_vectors("glove-6B-50d", fallback=None) is None
    assert "None" in capsys.readouterr().out


def test_load_pretrained_vectors_without_registry_entry(monkeypatch, capsys):
    from helpers import data

    monkeypatch.delitem(data.REGISTRY, "glove-6B-50d", raising=False)
    monkeypatch.delitem(data.ARCHIVE_MEMBERS, "glove-6B-50d", raising=False)
    assert text.load_pretrained_vectors(fallback=None) is None
    assert "no registry entry" in capsys.readouterr().out
    with pytest.raises(ValueError, match="unknown pretrained"):
        text.load_pretrained_vectors("word2vec-klingon")


def test_load_pretrained_vectors_reads_a_verified_glove_zip(monkeypatch, tmp_path, capsys):
    from helpers import data

    lines = ["the 0.1 0.2 0.3", "jam 1.0 0.0 0.5", "jelly 0.9 0.1 0.5", "paris -1 2 0"]
    archive = tmp_path / "glove.6B.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr("glove.6B.50d.txt", "\n".join(lines) + "\n")
        handle.writestr("glove.6B.100d.txt", "ignored 1 2\n")
    monkeypatch.delitem(data.ARCHIVE_MEMBERS, "glove-6B-50d")   # a file with a published hash
    monkeypatch.setitem(data.REGISTRY, "glove-6B-50d", data.RemoteFile(
        archive.name, "https://example.invalid/glove.6B.zip", data.sha256_of(archive), "test"))
    monkeypatch.setattr(data, "fetch", lambda key: archive)
    vectors = text.load_pretrained_vectors("glove-6B-50d", max_words=3)
    assert capsys.readouterr().out == ""
    assert vectors.words == ["the", "jam", "jelly"] and vectors.dim == 3
    assert vectors.nearest("jam", k=1)[0][0] == "jelly"


def test_read_word_vectors_plain_and_gzip_with_header(tmp_path):
    import gzip

    body = "2 3\nking 1 2 3\nqueen 1 2 4\n"
    plain = tmp_path / "vectors.txt"
    plain.write_text(body, encoding="utf-8")
    packed = tmp_path / "vectors.txt.gz"
    with gzip.open(packed, "wt", encoding="utf-8") as handle:
        handle.write(body)
    for path in (plain, packed):
        words, vectors = text.read_word_vectors(path)
        assert words == ["king", "queen"]
        np.testing.assert_array_equal(vectors, [[1, 2, 3], [1, 2, 4]])
    broken = tmp_path / "broken.txt"
    broken.write_text("king 1 2 3\nqueen 1 2\n", encoding="utf-8")
    with pytest.raises(ValueError, match="line 2"):
        text.read_word_vectors(broken)


# ------------------------------------------------------------------------ scalar helpers


def test_tf_idf_score_is_one_cell_of_the_matrix():
    result = text.tf_idf(NOTES_DOCS)
    for word in ("this", "sample", "another"):
        for document in (0, 1):
            assert text.tf_idf_score(NOTES_DOCS, word, document) == pytest.approx(
                result.matrix[document, result.vocab.index(word)])
    assert text.tf_idf_score(NOTES_DOCS, "this", 0) == 0.0
    with pytest.raises(ValueError, match="none of the documents"):
        text.tf_idf_score(NOTES_DOCS, "apricot", 0)
    with pytest.raises(ValueError, match="document must be an index"):
        text.tf_idf_score(NOTES_DOCS, "this", 2)
    with pytest.raises(ValueError, match="empty"):
        text.tf_idf_score(["apricot jam", "..."], "jam", 0)


def test_noise_probability_is_one_entry_of_the_distribution():
    assert text.noise_probability([0.99, 0.01], 1) == pytest.approx(
        0.01 ** 0.75 / (0.99 ** 0.75 + 0.01 ** 0.75))
    assert text.noise_probability([1, 3], 1, alpha=1.0) == pytest.approx(0.75)
    with pytest.raises(ValueError, match="index"):
        text.noise_probability([1, 3], 2)


# --------------------------------------------------------------------------- word2vec updates


def test_negative_sampling_gradients_match_tensorflow():
    import tensorflow as tf

    rng = np.random.default_rng(0)
    query, candidates = rng.normal(size=6), rng.normal(size=(4, 6))
    labels = np.array([1.0, 0.0, 0.0, 0.0])
    step = text.negative_sampling_gradients(query, candidates, labels)
    q, v = tf.Variable(query), tf.Variable(candidates)
    with tf.GradientTape() as tape:
        scores = tf.linalg.matvec(v, q)
        loss = -tf.reduce_sum(labels * tf.math.log_sigmoid(scores)
                              + (1 - labels) * tf.math.log_sigmoid(-scores))
    grad_q, grad_v = tape.gradient(loss, [q, v])
    assert step.loss == pytest.approx(float(loss), rel=1e-12)
    np.testing.assert_allclose(step.grad_query, grad_q.numpy(), rtol=1e-10)
    np.testing.assert_allclose(step.grad_candidates, grad_v.numpy(), rtol=1e-10)
    np.testing.assert_allclose(step.probabilities, tf.sigmoid(scores).numpy(), rtol=1e-12)


def test_negative_sampling_gradients_bad_input_and_extremes():
    with pytest.raises(ValueError, match="candidates must have shape"):
        text.negative_sampling_gradients([1.0, 2.0], [[1.0, 2.0, 3.0]], [1])
    with pytest.raises(ValueError, match="labels must be 0"):
        text.negative_sampling_gradients([1.0], [[1.0], [2.0]], [1, 0.5])
    with pytest.raises(ValueError, match="labels must have shape"):
        text.negative_sampling_gradients([1.0], [[1.0], [2.0]], [1])
    with pytest.raises(ValueError, match="finite"):
        text.negative_sampling_gradients([np.nan], [[1.0]], [1])
    huge = text.negative_sampling_gradients([1000.0], [[1000.0], [1000.0]], [1, 0])
    assert np.isfinite(huge.loss) and huge.loss == pytest.approx(1e6)   # no overflow


def test_cbow_dataset_windows_and_noise():
    data = text.cbow_dataset([[0, 1, 2, 3, 4, 5], [6, 7]], window=2, num_negatives=3, seed=0)
    assert data.contexts.tolist() == [[0, 1, 3, 4], [1, 2, 4, 5]]
    assert data.candidates[:, 0].tolist() == [2, 3]
    assert data.labels.tolist() == [[1, 0, 0, 0]] * 2
    assert np.all(data.candidates[:, 1:] != data.candidates[:, :1])
    with pytest.raises(ValueError, match="no sentence has 5 words"):
        text.cbow_dataset([[0, 1, 2]], window=2)
    with pytest.raises(TypeError, match="integers"):
        text.cbow_dataset([["a", "b", "c"]], window=1)


def test_cbow_model_is_the_averaged_negative_sampling_classifier():
    import tensorflow as tf

    model = text.build_cbow_model(vocab_size=12, dim=5, seed=0)
    rng = np.random.default_rng(1)
    for name in ("W", "C"):
        model.get_layer(name).set_weights([rng.normal(size=(12, 5)).astype("float32")])
    contexts = np.array([[1, 2, 4, 5]], dtype="int32")
    candidates = np.array([[3, 7, 9]], dtype="int32")
    labels = np.array([[1.0, 0.0, 0.0]], dtype="float32")
    W, C = text.skipgram_embeddings(model)
    query = W[contexts[0]].mean(axis=0)
    step = text.negative_sampling_gradients(query, C[candidates[0]], labels[0])
    np.testing.assert_allclose(model.predict([contexts, candidates], verbose=0)[0],
                               step.probabilities, rtol=1e-5)
    with tf.GradientTape() as tape:
        loss = model.compute_loss(y=labels, y_pred=model([contexts, candidates]))
    grads = dict(zip([v.path for v in model.trainable_variables],
                     tape.gradient(loss, model.trainable_variables), strict=True))
    grad_w = tf.convert_to_tensor(grads[model.get_layer("W").embeddings.path]).numpy()
    grad_c = tf.convert_to_tensor(grads[model.get_layer("C").embeddings.path]).numpy()
    scale = 1 / 3                                            # Keras averages over 1 + k
    np.testing.assert_allclose(grad_c[candidates[0]], scale * step.grad_candidates, atol=1e-5)
    np.testing.assert_allclose(grad_w[contexts[0]],
                               np.tile(scale * step.grad_query / 4, (4, 1)), atol=1e-5)
