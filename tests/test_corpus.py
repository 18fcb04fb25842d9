"""Tests of helpers.corpus: determinism, size and the structure the lecture relies on."""

from __future__ import annotations

import pytest

from helpers import corpus, text


def test_embedding_corpus_is_deterministic_by_seed():
    assert corpus.load_corpus("embeddings", seed=3) == corpus.load_corpus("embeddings", seed=3)
    assert corpus.load_corpus("embeddings", seed=3) != corpus.load_corpus("embeddings", seed=4)
    short = corpus.load_corpus("embeddings", seed=3, num_sentences=100)
    assert corpus.load_corpus("embeddings", seed=3).startswith(short)


def test_embedding_corpus_size_and_vocabulary():
    sentences = corpus.corpus_sentences("embeddings", seed=0)
    assert len(sentences) == corpus.DEFAULT_NUM_SENTENCES
    tokens = [t for s in sentences for t in text.tokenize(s)]
    assert 40_000 < len(tokens) < 70_000
    vocab = set(tokens)
    assert 150 < len(vocab) < 250
    needed = {"apricot", "jam", "tablespoon", "lemon", "pinch", "king", "queen", "man", "woman",
              "prince", "princess", "paris", "france", "rome", "italy"}
    assert needed <= vocab
    for a, b, c, d in corpus.ANALOGIES:
        assert {a, b, c, d} <= vocab


def test_lecture_sentence_occurs():
    text_ = corpus.load_corpus("embeddings", seed=0)
    assert "lemon , a tablespoon of apricot jam , a pinch of" in text_


def test_corpus_structure_supports_neighbours_and_analogies():
    vectors = text.corpus_vectors(dim=50, seed=0)
    assert {w for w, _ in vectors.nearest("jam", k=3)} == {"marmalade", "jelly", "compote"}
    assert "teaspoon" in {w for w, _ in vectors.nearest("tablespoon", k=4)}
    solved = sum(vectors.analogy(a, b, c)[0][0] == d for a, b, c, d in corpus.ANALOGIES)
    assert solved == len(corpus.ANALOGIES)


def test_fable_is_fixed_plain_text():
    fable = corpus.load_corpus("fable")
    assert fable == corpus.load_corpus("fable", seed=5)
    assert 2_000 < len(fable) < 10_000
    assert fable.isascii() and fable.count("\n\n") >= 5
    assert corpus.corpus_sentences("fable")[0] == "The Keeper of the Northern Light"


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"name": "wikipedia"}, ValueError, "unknown corpus"),
        ({"name": 3}, TypeError, "string"),
        ({"name": "embeddings", "seed": -1}, ValueError, "seed"),
        ({"name": "embeddings", "num_sentences": 0}, ValueError, "num_sentences"),
        ({"name": "fable", "num_sentences": 10}, ValueError, "only applies"),
    ],
)
def test_bad_arguments(kwargs, error, message):
    with pytest.raises(error, match=message):
        corpus.load_corpus(**kwargs)
