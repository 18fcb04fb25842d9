"""Words as vectors: counts, TF-IDF, PPMI, cosine similarity and word2vec (skip-gram).

Everything Lecture 07 computes about word representations, from sparse counts to dense
embeddings, in small functions that check their inputs:

- :func:`tokenize`, :func:`vocabulary`, :func:`bag_of_words`, :func:`one_hot`, :func:`encode`
- :func:`tf_idf` (the lecture's definition), :func:`tf_idf_score`,
  :func:`sklearn_tfidf_comparison`
- :func:`cooccurrence_matrix`, :func:`ppmi`, :func:`svd_embeddings`
- :func:`cosine_similarity`, :func:`cosine_matrix`, :func:`nearest_neighbours`, :func:`analogy`
- word2vec with negative sampling: :func:`skipgram_pairs`,
  :func:`negative_sampling_distribution`, :func:`noise_probability`, :func:`sample_negatives`,
  :func:`skipgram_dataset`, :func:`build_skipgram_model`, :func:`skipgram_embeddings`,
  :func:`negative_sampling_gradients` (the update rule, for skip-gram and CBOW), and CBOW:
  :func:`cbow_dataset`, :func:`build_cbow_model`
- :func:`load_pretrained_vectors` (GloVe through the data registry, with an offline fallback)

A "corpus" here is a list of documents; each document is either a string (it is tokenized with
:func:`tokenize`) or an already tokenized list of strings.
"""

from __future__ import annotations

import gzip
import io
import numbers
import re
import zipfile
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import numpy as np

_TOKEN_RE = re.compile(r"[^\W_]+(?:'[^\W_]+)*")


# --------------------------------------------------------------------------------------------
# Tokens, vocabularies, counts
# --------------------------------------------------------------------------------------------


def tokenize(text: str) -> list[str]:
    """Split ``text`` into lowercase words; punctuation and spaces separate words.

    A word is a run of letters or digits, optionally with inner apostrophes ("don't").

    >>> tokenize("A tablespoon of apricot jam, a pinch...")
    ['a', 'tablespoon', 'of', 'apricot', 'jam', 'a', 'pinch']
    """
    if not isinstance(text, str):
        raise TypeError(f"tokenize expects a string, got {type(text).__name__}")
    return _TOKEN_RE.findall(text.lower())


def _as_token_lists(docs: Sequence[str | Sequence[str]]) -> list[list[str]]:
    """Validate a corpus and return it as a list of token lists."""
    if isinstance(docs, str):
        raise TypeError(
            "expected a list of documents, got a single string; wrap it in a list: [text]"
        )
    if not isinstance(docs, Iterable):
        raise TypeError(f"expected a list of documents, got {type(docs).__name__}")
    token_lists = []
    for index, doc in enumerate(docs):
        if isinstance(doc, str):
            tokens = tokenize(doc)
        elif isinstance(doc, Sequence) and all(isinstance(t, str) for t in doc):
            tokens = list(doc)
        else:
            raise TypeError(
                f"document {index} must be a string or a list of word strings, "
                f"got {type(doc).__name__}"
            )
        if not tokens:
            raise ValueError(f"document {index} is empty (it has no words): {doc!r}")
        token_lists.append(tokens)
    if not token_lists:
        raise ValueError("the corpus is empty: give at least one document")
    return token_lists


def _vocab_index(vocab: Sequence[str]) -> dict[str, int]:
    if isinstance(vocab, str) or not isinstance(vocab, Sequence):
        raise TypeError(f"vocab must be a list of words, got {type(vocab).__name__}")
    if len(vocab) == 0:
        raise ValueError("vocab is empty")
    index = {}
    for position, word in enumerate(vocab):
        if not isinstance(word, str):
            raise TypeError(f"vocab entries must be strings, got {word!r} at {position}")
        if word in index:
            raise ValueError(f"vocab contains {word!r} twice (positions {index[word]} and "
                             f"{position})")
        index[word] = position
    return index


def vocabulary(docs: Sequence[str | Sequence[str]], min_count: int = 1) -> list[str]:
    """Sorted list of the distinct words of a corpus that occur at least ``min_count`` times.

    Sorted alphabetically, as scikit-learn sorts its feature names, so columns line up.

    >>> vocabulary(["the cat sat", "the dog"])
    ['cat', 'dog', 'sat', 'the']
    """
    if isinstance(min_count, bool) or not isinstance(min_count, int) or min_count < 1:
        raise ValueError(f"min_count must be a positive integer, got {min_count!r}")
    counts = Counter(token for doc in _as_token_lists(docs) for token in doc)
    words = sorted(word for word, count in counts.items() if count >= min_count)
    if not words:
        raise ValueError(f"no word occurs at least min_count={min_count} times")
    return words


def bag_of_words(
    docs: Sequence[str | Sequence[str]], vocab: Sequence[str] | None = None
) -> tuple[np.ndarray, list[str]]:
    """Count matrix: entry ``[d, w]`` is how often word ``vocab[w]`` occurs in document ``d``.

    Word order is thrown away ("I love dogs, not cats" = "I love cats, not dogs"). Words that
    are not in ``vocab`` are ignored. Returns ``(counts, vocab)``.

    >>> counts, vocab = bag_of_words(["the cat sat on the mat"])
    >>> dict(zip(vocab, counts[0].tolist()))
    {'cat': 1, 'mat': 1, 'on': 1, 'sat': 1, 'the': 2}
    """
    token_lists = _as_token_lists(docs)
    vocab = vocabulary(token_lists) if vocab is None else list(vocab)
    index = _vocab_index(vocab)
    counts = np.zeros((len(token_lists), len(vocab)), dtype=np.int64)
    for row, tokens in enumerate(token_lists):
        for token in tokens:
            column = index.get(token)
            if column is not None:
                counts[row, column] += 1
    return counts, vocab


def one_hot(tokens: str | Sequence[str], vocab: Sequence[str]) -> np.ndarray:
    """One-hot vectors: a 1 in the word's column of ``vocab`` and 0 elsewhere.

    A single word gives a vector of length ``|V|``; a list of words a ``(len, |V|)`` matrix.

    >>> one_hot("jam", ["apricot", "jam", "lemon"]).tolist()
    [0.0, 1.0, 0.0]
    """
    index = _vocab_index(vocab)
    single = isinstance(tokens, str)
    words = [tokens] if single else list(tokens)
    if not single and not words:
        raise ValueError("tokens is empty")
    vectors = np.zeros((len(words), len(vocab)))
    for row, word in enumerate(words):
        if word not in index:
            raise ValueError(f"{word!r} is not in the vocabulary")
        vectors[row, index[word]] = 1.0
    return vectors[0] if single else vectors


def encode(tokens: Sequence[str], vocab: Sequence[str]) -> np.ndarray:
    """Replace each word by its integer id (its position in ``vocab``).

    >>> encode(["jam", "apricot"], ["apricot", "jam"]).tolist()
    [1, 0]
    """
    if isinstance(tokens, str):
        raise TypeError("encode expects a list of words; use tokenize(text) first")
    index = _vocab_index(vocab)
    missing = [t for t in tokens if t not in index]
    if missing:
        raise ValueError(f"{len(missing)} word(s) are not in the vocabulary, e.g. {missing[0]!r}")
    return np.array([index[t] for t in tokens], dtype=np.int64)


# --------------------------------------------------------------------------------------------
# TF-IDF
# --------------------------------------------------------------------------------------------


class TfIdf(NamedTuple):
    """Result of :func:`tf_idf`: the ``(documents, words)`` matrix, the vocabulary, the IDFs."""

    matrix: np.ndarray
    vocab: list[str]
    idf: np.ndarray


def tf_idf(docs: Sequence[str | Sequence[str]], vocab: Sequence[str] | None = None) -> TfIdf:
    """TF-IDF with the lecture's definitions (natural logarithm)::

        TF(w, d)  = count of w in d / number of words in d
        IDF(w)    = ln(N / df(w))          N = number of documents,
                                           df(w) = number of documents that contain w
        TF-IDF    = TF × IDF

    A word that occurs in every document gets IDF = ln(1) = 0, so its weight is 0 everywhere.
    Returns ``TfIdf(matrix, vocab, idf)``; the matrix has one row per document.

    >>> result = tf_idf(["this is a a sample", "this is another example"])
    >>> float(result.idf[result.vocab.index("this")])
    0.0
    >>> round(float(result.idf[result.vocab.index("sample")]), 4)  # ln(2/1)
    0.6931
    """
    token_lists = _as_token_lists(docs)
    counts, vocab = bag_of_words(token_lists, vocab)
    lengths = np.array([len(tokens) for tokens in token_lists], dtype=float)
    document_frequency = (counts > 0).sum(axis=0)
    if np.any(document_frequency == 0):
        unused = [w for w, df in zip(vocab, document_frequency, strict=True) if df == 0]
        raise ValueError(
            f"IDF = ln(N/df) is undefined for words in no document (df = 0): {unused[:5]}"
        )
    idf = np.log(len(token_lists) / document_frequency)
    term_frequency = counts / lengths[:, None]
    return TfIdf(term_frequency * idf, vocab, idf)


def tf_idf_score(docs: Sequence[str | Sequence[str]], word: str, document: int) -> float:
    """The lecture's TF-IDF of one ``word`` in one document (index ``document``), a number.

    The same value as ``tf_idf(docs)`` at that row and column; quiz answers and the TF-IDF
    calculator use it. A word that is in no document raises ``ValueError``.

    >>> round(tf_idf_score(["this is a a sample", "this is another example"], "a", 0), 4)
    0.2773
    >>> tf_idf_score(["this is a a sample", "this is another example"], "this", 1)
    0.0
    """
    result = tf_idf(docs)
    if not isinstance(word, str):
        raise TypeError(f"word must be a string, got {type(word).__name__}")
    if word not in result.vocab:
        raise ValueError(f"{word!r} is in none of the documents")
    if isinstance(document, bool) or not isinstance(document, (int, np.integer)) \
            or not 0 <= document < result.matrix.shape[0]:
        raise ValueError(f"document must be an index in [0, {result.matrix.shape[0]}), "
                         f"got {document!r}")
    return float(result.matrix[document, result.vocab.index(word)])


@dataclass
class TfidfComparison:
    """The lecture's TF-IDF next to scikit-learn's :class:`~sklearn.feature_extraction.text.
    TfidfVectorizer`, with the conversions that make them agree. See
    :func:`sklearn_tfidf_comparison`."""

    vocab: list[str]
    counts: np.ndarray
    ours: np.ndarray
    sklearn_default: np.ndarray
    sklearn_matched: np.ndarray
    ours_as_sklearn: np.ndarray
    max_abs_difference: float
    explanation: str = field(repr=False)


_TFIDF_EXPLANATION = """\
Why scikit-learn's TfidfVectorizer gives different numbers from the lecture's TF-IDF:
1. TF: sklearn uses the raw count of the word in the document; the lecture divides that
   count by the number of words in the document.
2. IDF: sklearn adds 1, idf = ln(N / df) + 1, so a word that is in every document keeps
   weight 1 instead of 0 (it is down-weighted, not deleted).
3. smooth_idf=True (default): sklearn uses ln((1 + N) / (1 + df)) + 1, as if one extra
   document contained every word once; this also avoids dividing by zero.
4. norm='l2' (default): sklearn scales every document row to unit length.
5. sublinear_tf=True (optional, off by default) would replace a count c by 1 + ln(c).
With smooth_idf=False, norm=None, sublinear_tf=False, sklearn's matrix equals
count × (ln(N / df) + 1), which is the lecture's TF × length(d) × (IDF + 1)."""


def sklearn_tfidf_comparison(docs: Sequence[str | Sequence[str]]) -> TfidfComparison:
    """Compute TF-IDF both ways and show exactly how scikit-learn's version differs.

    With ``smooth_idf=False, norm=None, sublinear_tf=False`` scikit-learn computes::

        sklearn[d, w] = count(w, d) × (ln(N / df(w)) + 1)

    which we rebuild from the lecture's quantities as
    ``ours_as_sklearn = counts × (IDF + 1)``; ``max_abs_difference`` is how far apart the two
    are (a rounding error). ``explanation`` lists every difference in words.

    >>> cmp = sklearn_tfidf_comparison(["this is a a sample", "this is another example"])
    >>> cmp.max_abs_difference < 1e-12
    True
    """
    from sklearn.feature_extraction.text import TfidfVectorizer

    token_lists = _as_token_lists(docs)
    ours = tf_idf(token_lists)
    counts, vocab = bag_of_words(token_lists, ours.vocab)

    def vectorizer(**options):
        # The documents are already tokenized with our tokenizer: hand sklearn the tokens.
        return TfidfVectorizer(analyzer=list, vocabulary=vocab, **options)

    sklearn_default = vectorizer().fit_transform(token_lists).toarray()
    sklearn_matched = (
        vectorizer(smooth_idf=False, norm=None, sublinear_tf=False)
        .fit_transform(token_lists)
        .toarray()
    )
    ours_as_sklearn = counts * (ours.idf + 1.0)
    difference = float(np.max(np.abs(ours_as_sklearn - sklearn_matched)))
    return TfidfComparison(vocab, counts, ours.matrix, sklearn_default, sklearn_matched,
                           ours_as_sklearn, difference, _TFIDF_EXPLANATION)


# --------------------------------------------------------------------------------------------
# Co-occurrence and PPMI
# --------------------------------------------------------------------------------------------


def _as_sentences(tokens) -> list[list]:
    """A text, one token sequence, or a list of sentences → a list of token sequences."""
    if isinstance(tokens, str):
        tokens = tokenize(tokens)
    if isinstance(tokens, np.ndarray):
        tokens = tokens.tolist() if tokens.ndim == 1 else [row.tolist() for row in tokens]
    if not isinstance(tokens, Sequence):
        raise TypeError(f"expected a list of tokens, got {type(tokens).__name__}")
    if len(tokens) == 0:
        raise ValueError("the token list is empty")
    nested = [not isinstance(t, (str, int, np.integer)) for t in tokens]
    if not any(nested):
        return [list(tokens)]
    if not all(nested):
        raise TypeError("mix of tokens and sentences: give either one list of tokens or a "
                        "list of sentences (lists of tokens)")
    sentences = []
    for sentence in tokens:
        sentence = sentence.tolist() if isinstance(sentence, np.ndarray) else list(sentence)
        if sentence:
            sentences.append(sentence)
    if not sentences:
        raise ValueError("every sentence is empty")
    return sentences


def _check_window(window) -> int:
    if isinstance(window, bool) or not isinstance(window, (int, np.integer)) or window < 1:
        raise ValueError(f"window must be a positive integer, got {window!r}")
    return int(window)


def _window_positions(lengths: Sequence[int], window: int) -> tuple[np.ndarray, np.ndarray]:
    """Flat positions (target, context) of every pair at distance 1..window in a sentence,
    ordered by target position and then left to right."""
    sentence_of = np.repeat(np.arange(len(lengths)), lengths)
    total = len(sentence_of)
    positions = np.arange(total)
    targets, contexts = [], []
    for offset in [*range(-window, 0), *range(1, window + 1)]:
        other = positions + offset
        valid = (other >= 0) & (other < total)
        valid[valid] &= sentence_of[positions[valid]] == sentence_of[other[valid]]
        targets.append(positions[valid])
        contexts.append(other[valid])
    targets = np.concatenate(targets)
    contexts = np.concatenate(contexts)
    order = np.lexsort((contexts, targets))
    return targets[order], contexts[order]


def cooccurrence_matrix(
    tokens: str | Sequence[str] | Sequence[Sequence[str]],
    window: int = 2,
    vocab: Sequence[str] | None = None,
) -> tuple[np.ndarray, list[str]]:
    """Word-context counts: ``[w, c]`` = how often ``c`` is within ±``window`` words of ``w``.

    ``tokens`` is a text, one list of tokens, or a list of sentences (windows never cross a
    sentence boundary). The matrix is symmetric. Returns ``(counts, vocab)``.

    >>> counts, vocab = cooccurrence_matrix(["a", "tablespoon", "of", "jam"], window=1)
    >>> vocab, counts[vocab.index("of")].tolist()
    (['a', 'jam', 'of', 'tablespoon'], [0, 1, 0, 1])
    """
    window = _check_window(window)
    sentences = _as_sentences(tokens)
    if any(not isinstance(t, str) for s in sentences for t in s):
        raise TypeError("cooccurrence_matrix expects words (strings)")
    vocab = sorted({t for s in sentences for t in s}) if vocab is None else list(vocab)
    index = _vocab_index(vocab)
    flat = np.array([index.get(t, -1) for s in sentences for t in s], dtype=np.int64)
    target_pos, context_pos = _window_positions([len(s) for s in sentences], window)
    rows, columns = flat[target_pos], flat[context_pos]
    keep = (rows >= 0) & (columns >= 0)
    counts = np.zeros((len(vocab), len(vocab)), dtype=np.int64)
    np.add.at(counts, (rows[keep], columns[keep]), 1)
    return counts, vocab


def ppmi(cooccurrence: np.ndarray, alpha: float = 1.0) -> np.ndarray:
    """Positive pointwise mutual information of a word-context count matrix (log base 2)::

        P(w, c) = f(w, c) / Σ f        P(w) = Σ_c f(w, c) / Σ f
        P_α(c)  = (Σ_w f(w, c))^α / Σ_c' (Σ_w f(w, c'))^α        (α = 1: plain P(c))
        PMI     = log2( P(w, c) / (P(w) P_α(c)) )        PPMI = max(PMI, 0)

    Cells with a zero count (PMI = −∞) get 0. ``alpha = 0.75`` raises the probability of rare
    contexts, the same trick as word2vec's negative sampling.

    >>> np.round(ppmi(np.array([[2, 0], [0, 2]])), 3).tolist()   # log2(0.5 / 0.25) = 1
    [[1.0, 0.0], [0.0, 1.0]]
    """
    counts = np.asarray(cooccurrence, dtype=float)
    if counts.ndim != 2:
        raise ValueError(f"cooccurrence must be a 2-D matrix, got shape {counts.shape}")
    if not np.all(np.isfinite(counts)) or np.any(counts < 0):
        raise ValueError("co-occurrence counts must be finite and non-negative")
    total = counts.sum()
    if total <= 0:
        raise ValueError("the co-occurrence matrix is all zeros: no pairs were counted")
    if isinstance(alpha, bool) or not isinstance(alpha, numbers.Real) or not 0 < alpha <= 1:
        raise ValueError(f"alpha must be in (0, 1], got {alpha!r}")
    p_word_context = counts / total
    p_word = counts.sum(axis=1) / total
    context_mass = counts.sum(axis=0) ** alpha
    p_context = context_mass / context_mass.sum()
    expected = np.outer(p_word, p_context)
    with np.errstate(divide="ignore", invalid="ignore"):
        pmi = np.log2(p_word_context / expected)
    pmi[counts == 0] = 0.0
    return np.maximum(pmi, 0.0)


def svd_embeddings(matrix: np.ndarray, dim: int, power: float = 0.5) -> np.ndarray:
    """Dense word vectors from a (PPMI) matrix by truncated SVD: ``U_k · diag(S_k)^power``.

    The count-based route to dense embeddings: keep the ``dim`` strongest directions of the
    word-context matrix ``M ≈ U S Vᵀ``. (Skip-gram with negative sampling implicitly
    factorises a shifted PMI matrix, so the two give similar neighbours.)

    >>> svd_embeddings(np.eye(3), dim=2).shape
    (3, 2)
    """
    matrix = np.asarray(matrix, dtype=float)
    if matrix.ndim != 2:
        raise ValueError(f"matrix must be 2-D, got shape {matrix.shape}")
    if isinstance(dim, bool) or not isinstance(dim, (int, np.integer)) or dim < 1:
        raise ValueError(f"dim must be a positive integer, got {dim!r}")
    if dim > min(matrix.shape):
        raise ValueError(f"dim={dim} is larger than the matrix allows ({min(matrix.shape)})")
    u, s, _ = np.linalg.svd(matrix, full_matrices=False)
    # Fix the sign of each direction so the result does not depend on the LAPACK build.
    signs = np.sign(u[np.argmax(np.abs(u), axis=0), np.arange(u.shape[1])])
    u = u * np.where(signs == 0, 1.0, signs)
    return u[:, :dim] * s[:dim] ** power


# --------------------------------------------------------------------------------------------
# Cosine similarity, neighbours, analogies
# --------------------------------------------------------------------------------------------


def _as_vector(x, name: str) -> np.ndarray:
    vector = np.asarray(x, dtype=float)
    if vector.ndim != 1 or vector.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D vector, got shape {vector.shape}")
    if not np.all(np.isfinite(vector)):
        raise ValueError(f"{name} contains NaN or infinity")
    return vector


def cosine_similarity(u: Sequence[float] | np.ndarray, v: Sequence[float] | np.ndarray) -> float:
    """Cosine of the angle between two vectors::

        cos(u, v) = u · v / (‖u‖ ‖v‖),   ‖u‖ = sqrt(Σ u_i²)

    It lies in [−1, 1]; for count vectors (all entries ≥ 0) it lies in [0, 1]. A zero vector
    has no direction, so it raises ``ValueError`` instead of returning NaN.

    >>> round(cosine_similarity([1, 1], [2, 3]), 4)     # digital vs information
    0.9806
    >>> round(cosine_similarity([1, 1], [6, 1]), 4)     # digital vs apricot
    0.8137
    """
    u = _as_vector(u, "u")
    v = _as_vector(v, "v")
    if u.shape != v.shape:
        raise ValueError(f"u and v must have the same length, got {u.size} and {v.size}")
    norm_u, norm_v = np.linalg.norm(u), np.linalg.norm(v)
    for name, norm in (("u", norm_u), ("v", norm_v)):
        if norm == 0:
            raise ValueError(f"{name} is the zero vector: cosine similarity is undefined")
    return float(np.clip(u @ v / (norm_u * norm_v), -1.0, 1.0))


def _unit_rows(matrix: np.ndarray, name: str, allow_zero: bool = False) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    zero = norms[:, 0] == 0
    if np.any(zero) and not allow_zero:
        raise ValueError(
            f"row {int(np.argmax(zero))} of {name} is the zero vector: cosine is undefined"
        )
    return np.divide(matrix, norms, out=np.zeros_like(matrix), where=norms > 0)


def _as_matrix(x, name: str) -> np.ndarray:
    matrix = np.asarray(x, dtype=float)
    if matrix.ndim != 2 or matrix.size == 0:
        raise ValueError(f"{name} must be a non-empty 2-D matrix, got shape {matrix.shape}")
    if not np.all(np.isfinite(matrix)):
        raise ValueError(f"{name} contains NaN or infinity")
    return matrix


def cosine_matrix(a: np.ndarray, b: np.ndarray | None = None) -> np.ndarray:
    """All pairwise cosines between the rows of ``a`` and the rows of ``b`` (default ``a``).

    Entry ``[i, j]`` is ``cosine_similarity(a[i], b[j])``; a zero row raises ``ValueError``.

    >>> np.round(cosine_matrix([[1, 0], [1, 1]]), 3).tolist()
    [[1.0, 0.707], [0.707, 1.0]]
    """
    a = _as_matrix(a, "a")
    b = a if b is None else _as_matrix(b, "b")
    if a.shape[1] != b.shape[1]:
        raise ValueError(f"rows of a and b must have the same length, got {a.shape[1]} and "
                         f"{b.shape[1]}")
    return np.clip(_unit_rows(a, "a") @ _unit_rows(b, "b").T, -1.0, 1.0)


def _embedding_lookup(embeddings, vocab) -> tuple[np.ndarray, dict[str, int]]:
    embeddings = _as_matrix(embeddings, "embeddings")
    index = _vocab_index(list(vocab))
    if len(index) != embeddings.shape[0]:
        raise ValueError(f"embeddings has {embeddings.shape[0]} rows but vocab has "
                         f"{len(index)} words")
    return embeddings, index


def _check_k(k) -> int:
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise ValueError(f"k must be a positive integer, got {k!r}")
    return int(k)


def _word_id(index: Mapping[str, int], word: str) -> int:
    if not isinstance(word, str):
        raise TypeError(f"words must be strings, got {word!r}")
    if word not in index:
        raise ValueError(f"{word!r} is not in the vocabulary")
    return index[word]


def _rank(scores: np.ndarray, words: Sequence[str], exclude: set[int], k: int):
    scores = scores.copy()
    scores[list(exclude)] = -np.inf
    order = np.argsort(-scores, kind="stable")[:k]
    return [(words[i], float(scores[i])) for i in order if np.isfinite(scores[i])]


def nearest_neighbours(
    embeddings: np.ndarray, vocab: Sequence[str], word: str, k: int = 5
) -> list[tuple[str, float]]:
    """The ``k`` words whose vectors have the highest cosine with ``word``'s vector.

    Returns ``[(word, cosine), …]``, best first, without the word itself. Rows that are zero
    vectors (e.g. a padding id) are never returned.

    >>> emb = np.array([[1.0, 0.0], [0.9, 0.1], [0.0, 1.0]])
    >>> word, score = nearest_neighbours(emb, ["jam", "jelly", "paris"], "jam", k=1)[0]
    >>> word, round(score, 4)
    ('jelly', 0.9939)
    """
    embeddings, index = _embedding_lookup(embeddings, vocab)
    k = _check_k(k)
    query = _word_id(index, word)
    unit = _unit_rows(embeddings, "embeddings", allow_zero=True)
    if not unit[query].any():
        raise ValueError(f"the vector of {word!r} is zero: it has no nearest neighbours")
    zero_rows = set(np.flatnonzero(~unit.any(axis=1)).tolist())
    return _rank(unit @ unit[query], list(index), {query} | zero_rows, k)


def analogy(
    embeddings: np.ndarray, vocab: Sequence[str], a: str, b: str, c: str, k: int = 1
) -> list[tuple[str, float]]:
    """Solve "a is to b as c is to ?" by vector arithmetic (3CosAdd)::

        d* = argmax_d cos(d, b − a + c),   d ∉ {a, b, c}

    on length-normalised vectors, e.g. king − man + woman ≈ queen (``a="man", b="king",
    c="woman"``). Returns the ``k`` best ``(word, cosine)`` pairs.

    >>> emb = np.array([[1, 0, 0], [1, 1, 0], [0, 0, 1], [0, 1, 1]], dtype=float)
    >>> analogy(emb, ["man", "king", "woman", "queen"], "man", "king", "woman")[0][0]
    'queen'
    """
    embeddings, index = _embedding_lookup(embeddings, vocab)
    k = _check_k(k)
    ids = [_word_id(index, w) for w in (a, b, c)]
    unit = _unit_rows(embeddings, "embeddings", allow_zero=True)
    for word, i in zip((a, b, c), ids, strict=True):
        if not unit[i].any():
            raise ValueError(f"the vector of {word!r} is zero")
    target = unit[ids[1]] - unit[ids[0]] + unit[ids[2]]
    norm = np.linalg.norm(target)
    if norm == 0:
        raise ValueError("b − a + c is the zero vector; the analogy has no answer")
    zero_rows = set(np.flatnonzero(~unit.any(axis=1)).tolist())
    return _rank(unit @ (target / norm), list(index), set(ids) | zero_rows, k)


# --------------------------------------------------------------------------------------------
# word2vec: skip-gram with negative sampling
# --------------------------------------------------------------------------------------------


def skipgram_pairs(tokens: Sequence | str, window: int = 2) -> list[tuple]:
    """Positive (target, context) pairs: every word with each neighbour within ±``window``.

    Ordered by target position, and for each target from the leftmost context to the
    rightmost. ``tokens`` may be a text, a list of words or ids, or a list of sentences.

    >>> pairs = skipgram_pairs("lemon, a tablespoon of apricot jam, a pinch", window=2)
    >>> [p for p in pairs if p[0] == "apricot"]
    [('apricot', 'tablespoon'), ('apricot', 'of'), ('apricot', 'jam'), ('apricot', 'a')]
    """
    window = _check_window(window)
    sentences = _as_sentences(tokens)
    flat = [t for s in sentences for t in s]
    targets, contexts = _window_positions([len(s) for s in sentences], window)
    return [(flat[t], flat[c]) for t, c in zip(targets.tolist(), contexts.tolist(), strict=True)]


def negative_sampling_distribution(counts: Sequence[float] | np.ndarray,
                                   alpha: float = 0.75) -> np.ndarray:
    """word2vec's noise distribution: unigram probabilities raised to ``alpha`` (3/4)::

        P_α(w) = P(w)^α / Σ_u P(u)^α,        P(w) = count(w) / Σ count

    α < 1 flattens the distribution so rare words are drawn a bit more often. With
    P(a) = 0.99, P(b) = 0.01: 0.99^0.75 = 0.9925, 0.01^0.75 = 0.0316, so P_α(a) = 0.97 and
    P_α(b) = 0.03 (the source notes print 0.018 for 0.01^0.75; it is 0.0316). Words with
    count 0 keep probability 0.

    >>> np.round(negative_sampling_distribution([0.99, 0.01]), 2).tolist()
    [0.97, 0.03]
    """
    counts = np.asarray(counts, dtype=float)
    if counts.ndim != 1 or counts.size == 0:
        raise ValueError(f"counts must be a non-empty 1-D array, got shape {counts.shape}")
    if not np.all(np.isfinite(counts)) or np.any(counts < 0):
        raise ValueError("counts must be finite and non-negative")
    if counts.sum() <= 0:
        raise ValueError("counts are all zero: there is no word to sample")
    if isinstance(alpha, bool) or not isinstance(alpha, numbers.Real) or not 0 < alpha <= 1:
        raise ValueError(f"alpha must be in (0, 1], got {alpha!r}")
    powered = (counts / counts.sum()) ** alpha
    return powered / powered.sum()


def noise_probability(counts: Sequence[float] | np.ndarray, word: int,
                      alpha: float = 0.75) -> float:
    """P_α(word) of :func:`negative_sampling_distribution`, as one number.

    >>> round(noise_probability([0.99, 0.01], word=1), 4)     # not 0.01: rare words gain
    0.0309
    """
    p = negative_sampling_distribution(counts, alpha)
    if isinstance(word, bool) or not isinstance(word, (int, np.integer)) \
            or not 0 <= word < p.size:
        raise ValueError(f"word must be an index in [0, {p.size}), got {word!r}")
    return float(p[word])


def _rng(seed) -> np.random.Generator:
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, (int, np.integer))):
        raise TypeError(f"seed must be an integer, a numpy Generator or None, got {seed!r}")
    return np.random.default_rng(seed)


def _check_distribution(distribution) -> np.ndarray:
    p = np.asarray(distribution, dtype=float)
    if p.ndim != 1 or p.size == 0:
        raise ValueError(f"distribution must be a non-empty 1-D array, got shape {p.shape}")
    if np.any(p < 0) or not np.isclose(p.sum(), 1.0, atol=1e-6):
        raise ValueError("distribution must be non-negative and sum to 1 "
                         "(use negative_sampling_distribution(counts))")
    return p / p.sum()


def sample_negatives(
    distribution: Sequence[float] | np.ndarray,
    num_samples: int,
    exclude: Iterable[int] = (),
    seed: int | np.random.Generator | None = None,
) -> np.ndarray:
    """Draw ``num_samples`` word ids from ``distribution``, never one of ``exclude``.

    Used to pick the k "noise" words for a target (the target itself is excluded).

    >>> p = negative_sampling_distribution([10, 10, 10, 0])
    >>> sorted(set(sample_negatives(p, 50, exclude=[0], seed=0).tolist()))
    [1, 2]
    """
    p = _check_distribution(distribution)
    if isinstance(num_samples, bool) or not isinstance(num_samples, (int, np.integer)) \
            or num_samples < 0:
        raise ValueError(f"num_samples must be a non-negative integer, got {num_samples!r}")
    excluded = sorted({int(i) for i in exclude})
    if any(i < 0 or i >= p.size for i in excluded):
        raise ValueError(f"exclude ids must be in [0, {p.size})")
    p = p.copy()
    p[excluded] = 0.0
    if p.sum() <= 0:
        raise ValueError("every word with non-zero probability is excluded")
    return _rng(seed).choice(p.size, size=int(num_samples), p=p / p.sum())


class SkipgramData(NamedTuple):
    """Training arrays for :func:`build_skipgram_model`.

    ``targets`` (N,), ``contexts`` (N, 1 + k): column 0 the true context, columns 1..k noise
    words; ``labels`` (N, 1 + k): 1 for column 0, 0 for the rest.
    """

    targets: np.ndarray
    contexts: np.ndarray
    labels: np.ndarray


def skipgram_dataset(
    token_ids: Sequence[int] | Sequence[Sequence[int]] | np.ndarray,
    window: int = 2,
    num_negatives: int = 4,
    distribution: Sequence[float] | np.ndarray | None = None,
    seed: int | None = 0,
    shuffle: bool = True,
) -> SkipgramData:
    """Skip-gram-with-negative-sampling examples from integer token ids.

    For every positive pair (t, c) within ±``window`` it draws ``num_negatives`` noise words
    n_1..n_k from ``distribution`` (default: the corpus' own unigram counts to the power 3/4),
    never t itself nor c. One row holds (t, [c, n_1..n_k], [1, 0..0]); the model then
    maximises ``log σ(t·c) + Σ_j log σ(−t·n_j)``.

    ``token_ids`` is one id sequence or a list of sentences (windows stay inside a sentence).

    >>> data = skipgram_dataset([0, 1, 2, 3], window=1, num_negatives=2, seed=0)
    >>> data.targets.shape, data.contexts.shape, data.labels[0].tolist()
    ((6,), (6, 3), [1.0, 0.0, 0.0])
    """
    window = _check_window(window)
    if isinstance(num_negatives, bool) or not isinstance(num_negatives, (int, np.integer)) \
            or num_negatives < 0:
        raise ValueError(f"num_negatives must be a non-negative integer, got {num_negatives!r}")
    sentences = _as_sentences(token_ids)
    flat = np.array([t for s in sentences for t in s])
    if not np.issubdtype(flat.dtype, np.integer):
        raise TypeError("token_ids must be integers; turn words into ids with encode()")
    if flat.min() < 0:
        raise ValueError("token ids must be non-negative")
    if distribution is None:
        distribution = negative_sampling_distribution(np.bincount(flat))
    p = _check_distribution(distribution)
    if flat.max() >= p.size:
        raise ValueError(f"token id {int(flat.max())} is outside the distribution's "
                         f"{p.size} words")
    target_pos, context_pos = _window_positions([len(s) for s in sentences], window)
    if target_pos.size == 0:
        raise ValueError("no (target, context) pairs: every sentence has a single word")
    targets, positives = flat[target_pos], flat[context_pos]
    rng = _rng(seed)
    if shuffle:
        order = rng.permutation(targets.size)
        targets, positives = targets[order], positives[order]
    negatives = rng.choice(p.size, size=(targets.size, num_negatives), p=p)
    for _ in range(100):
        clash = (negatives == targets[:, None]) | (negatives == positives[:, None])
        if not clash.any():
            break
        negatives[clash] = rng.choice(p.size, size=int(clash.sum()), p=p)
    else:
        raise ValueError("could not draw noise words different from the target and context; "
                         "the vocabulary or the distribution is too small")
    contexts = np.concatenate([positives[:, None], negatives], axis=1).astype(np.int32)
    labels = np.zeros(contexts.shape, dtype=np.float32)
    labels[:, 0] = 1.0
    return SkipgramData(targets.astype(np.int32), contexts, labels)


def build_skipgram_model(vocab_size: int, dim: int = 32, learning_rate: float = 0.01,
                         seed: int | None = 0):
    """Keras functional model of skip-gram with negative sampling (SGNS).

    Two embedding tables: ``W`` (layer ``"W"``, the target/word vectors, ``|V| × dim``) and
    ``C`` (layer ``"C"``, the context vectors). For a target t and candidate contexts
    c_0..c_k it outputs ``σ(w_t · c_j)`` = P(+ | t, c_j); binary cross-entropy against labels
    (1, 0, …, 0) is, up to the factor 1/(1+k), the negative SGNS objective::

        −[ log σ(w_t · c_pos) + Σ_j log σ(−w_t · c_neg_j) ]

    Inputs: ``target`` of shape (batch,), ``context`` of shape (batch, 1 + k). Compiled with
    Adam. After training use ``W`` (or W + C) as the word embeddings.

    >>> model = build_skipgram_model(vocab_size=50, dim=8)   # doctest: +SKIP
    >>> model.fit([data.targets, data.contexts], data.labels, epochs=5)  # doctest: +SKIP
    """
    import keras

    for name, value in (("vocab_size", vocab_size), ("dim", dim)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"{name} must be a positive integer, got {value!r}")
    if not isinstance(learning_rate, numbers.Real) or learning_rate <= 0:
        raise ValueError(f"learning_rate must be positive, got {learning_rate!r}")
    target = keras.Input(shape=(), dtype="int32", name="target")
    context = keras.Input(shape=(None,), dtype="int32", name="context")
    init_w = keras.initializers.RandomUniform(-0.5 / dim, 0.5 / dim, seed=seed)
    init_c = keras.initializers.RandomUniform(
        -0.5 / dim, 0.5 / dim, seed=None if seed is None else seed + 1
    )
    w_t = keras.layers.Embedding(vocab_size, dim, embeddings_initializer=init_w, name="W")(target)
    c_j = keras.layers.Embedding(vocab_size, dim, embeddings_initializer=init_c, name="C")(context)
    scores = keras.layers.Dot(axes=(2, 1), name="dot")([c_j, w_t])  # (batch, 1 + k)
    probability = keras.layers.Activation("sigmoid", name="sigmoid")(scores)
    model = keras.Model([target, context], probability, name="skipgram_negative_sampling")
    model.compile(optimizer=keras.optimizers.Adam(learning_rate),
                  loss="binary_crossentropy", metrics=["binary_accuracy"])
    return model


def skipgram_embeddings(model) -> tuple[np.ndarray, np.ndarray]:
    """The two learned tables ``(W, C)`` of a model from :func:`build_skipgram_model`."""
    try:
        w = model.get_layer("W").get_weights()[0]
        c = model.get_layer("C").get_weights()[0]
    except (ValueError, AttributeError, IndexError) as error:
        raise ValueError("model has no 'W' and 'C' embedding layers; build it with "
                         "build_skipgram_model") from error
    return np.asarray(w), np.asarray(c)


class NegativeSamplingStep(NamedTuple):
    """What :func:`negative_sampling_gradients` returns (all float64)."""

    loss: float
    probabilities: np.ndarray
    grad_query: np.ndarray
    grad_candidates: np.ndarray


def negative_sampling_gradients(query, candidates, labels) -> NegativeSamplingStep:
    """Loss and gradients of word2vec's negative-sampling objective for one example.

    ``query`` (D,) is the vector that asks: the target word's row of W in skip-gram, the mean
    of the context words' rows of W in CBOW. ``candidates`` (1 + k, D) are rows of C (the true
    word first, then k noise words), ``labels`` (1 + k,) are 1 for the true word, 0 for noise::

        p_j  = σ(q · v_j)
        loss = −Σ_j [ y_j log p_j + (1 − y_j) log(1 − p_j) ]
             = −[ log σ(q · v_pos) + Σ_noise log σ(−q · v_j) ]     for labels (1, 0, …, 0)
        ∂loss/∂q   = Σ_j (p_j − y_j) v_j
        ∂loss/∂v_j = (p_j − y_j) q

    One SGD step moves q and every v_j against its gradient. Keras' binary cross-entropy is
    this loss divided by 1 + k (it averages over the candidates).

    >>> step = negative_sampling_gradients([1.0, 0.0], [[1.0, 0.0], [0.0, 1.0]], [1, 0])
    >>> round(step.loss, 4), np.round(step.grad_query, 4).tolist()
    (1.0064, [-0.2689, 0.5])
    """
    q = np.asarray(query, dtype=np.float64)
    v = np.asarray(candidates, dtype=np.float64)
    y = np.asarray(labels, dtype=np.float64)
    if q.ndim != 1 or q.size == 0:
        raise ValueError(f"query must be one vector (D,), got shape {q.shape}")
    if v.ndim != 2 or v.shape[1] != q.size or v.shape[0] == 0:
        raise ValueError(f"candidates must have shape (1 + k, {q.size}), got {v.shape}")
    if y.shape != (v.shape[0],):
        raise ValueError(f"labels must have shape ({v.shape[0]},), got {y.shape}")
    if not np.all((y == 0) | (y == 1)):
        raise ValueError("labels must be 0 (noise word) or 1 (true word)")
    if not (np.all(np.isfinite(q)) and np.all(np.isfinite(v))):
        raise ValueError("query and candidates must be finite")
    scores = v @ q
    p = 0.5 * (1.0 + np.tanh(0.5 * scores))
    # log σ(s) = −log(1 + e^−s), computed without overflow
    loss = float(np.sum(y * np.logaddexp(0.0, -scores) + (1 - y) * np.logaddexp(0.0, scores)))
    error = p - y
    return NegativeSamplingStep(loss, p, error @ v, error[:, None] * q[None, :])


class CbowData(NamedTuple):
    """Training arrays for :func:`build_cbow_model`.

    ``contexts`` (N, 2·window): the words around each gap; ``candidates`` (N, 1 + k): the
    word in the gap, then k noise words; ``labels`` (N, 1 + k): 1 for column 0, 0 for the rest.
    """

    contexts: np.ndarray
    candidates: np.ndarray
    labels: np.ndarray


def cbow_dataset(
    token_ids: Sequence[int] | Sequence[Sequence[int]] | np.ndarray,
    window: int = 2,
    num_negatives: int = 4,
    distribution: Sequence[float] | np.ndarray | None = None,
    seed: int | None = 0,
) -> CbowData:
    """CBOW-with-negative-sampling examples: the ±``window`` words around a gap → its word.

    Only positions with a full window inside their sentence are used, so every row has
    exactly 2·window context words. Noise words come from ``distribution`` (default: the
    corpus' unigram counts to the power 3/4) and never equal the word in the gap.

    >>> data = cbow_dataset([[0, 1, 2, 3, 4]], window=1, num_negatives=2, seed=0)
    >>> data.contexts.tolist(), data.candidates[:, 0].tolist()
    ([[0, 2], [1, 3], [2, 4]], [1, 2, 3])
    """
    window = _check_window(window)
    if isinstance(num_negatives, bool) or not isinstance(num_negatives, (int, np.integer)) \
            or num_negatives < 0:
        raise ValueError(f"num_negatives must be a non-negative integer, got {num_negatives!r}")
    sentences = [np.asarray(s) for s in _as_sentences(token_ids)]
    flat = np.concatenate(sentences) if sentences else np.array([])
    if flat.size == 0 or not np.issubdtype(flat.dtype, np.integer):
        raise TypeError("token_ids must be integers; turn words into ids with encode()")
    if flat.min() < 0:
        raise ValueError("token ids must be non-negative")
    if distribution is None:
        distribution = negative_sampling_distribution(np.bincount(flat))
    p = _check_distribution(distribution)
    if flat.max() >= p.size:
        raise ValueError(f"token id {int(flat.max())} is outside the distribution's "
                         f"{p.size} words")
    offsets = np.r_[-window:0, 1:window + 1]
    contexts, centres = [], []
    for sentence in sentences:
        positions = np.arange(window, len(sentence) - window)
        if positions.size:
            contexts.append(sentence[positions[:, None] + offsets[None, :]])
            centres.append(sentence[positions])
    if not centres:
        raise ValueError(f"no sentence has {2 * window + 1} words: no full ±{window} window")
    contexts_array, centre_array = np.concatenate(contexts), np.concatenate(centres)
    rng = _rng(seed)
    negatives = rng.choice(p.size, size=(centre_array.size, num_negatives), p=p)
    for _ in range(100):
        clash = negatives == centre_array[:, None]
        if not clash.any():
            break
        negatives[clash] = rng.choice(p.size, size=int(clash.sum()), p=p)
    else:
        raise ValueError("could not draw noise words different from the word in the gap")
    candidates = np.concatenate([centre_array[:, None], negatives], axis=1).astype(np.int32)
    labels = np.zeros(candidates.shape, dtype=np.float32)
    labels[:, 0] = 1.0
    return CbowData(contexts_array.astype(np.int32), candidates, labels)


def build_cbow_model(vocab_size: int, dim: int = 32, learning_rate: float = 0.01,
                     seed: int | None = 0):
    """Keras model of CBOW with negative sampling.

    The context words' rows of ``W`` (layer ``"W"``) are averaged into one query vector q;
    each candidate's row of ``C`` (layer ``"C"``) is scored by ``σ(q · c_j)``. Trained with
    binary cross-entropy against (1, 0, …, 0), as :func:`build_skipgram_model`; keep ``W``.
    Inputs: ``context`` (batch, 2·window), ``candidates`` (batch, 1 + k).
    """
    import keras

    for name, value in (("vocab_size", vocab_size), ("dim", dim)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"{name} must be a positive integer, got {value!r}")
    if not isinstance(learning_rate, numbers.Real) or learning_rate <= 0:
        raise ValueError(f"learning_rate must be positive, got {learning_rate!r}")
    context = keras.Input(shape=(None,), dtype="int32", name="context")
    candidates = keras.Input(shape=(None,), dtype="int32", name="candidates")
    init_w = keras.initializers.RandomUniform(-0.5 / dim, 0.5 / dim, seed=seed)
    init_c = keras.initializers.RandomUniform(
        -0.5 / dim, 0.5 / dim, seed=None if seed is None else seed + 1)
    w_context = keras.layers.Embedding(vocab_size, dim, embeddings_initializer=init_w,
                                       name="W")(context)
    query = keras.layers.GlobalAveragePooling1D(name="mean")(w_context)      # (batch, dim)
    c_j = keras.layers.Embedding(vocab_size, dim, embeddings_initializer=init_c,
                                 name="C")(candidates)
    scores = keras.layers.Dot(axes=(2, 1), name="dot")([c_j, query])        # (batch, 1 + k)
    probability = keras.layers.Activation("sigmoid", name="sigmoid")(scores)
    model = keras.Model([context, candidates], probability, name="cbow_negative_sampling")
    model.compile(optimizer=keras.optimizers.Adam(learning_rate),
                  loss="binary_crossentropy", metrics=["binary_accuracy"])
    return model


# --------------------------------------------------------------------------------------------
# Pretrained vectors
# --------------------------------------------------------------------------------------------


@dataclass
class WordVectors:
    """A table of word vectors with the look-ups a lecture needs.

    >>> vectors = WordVectors(["jam", "jelly"], np.array([[1.0, 0.0], [0.9, 0.1]]), "demo")
    >>> vectors["jam"].tolist(), "jelly" in vectors, len(vectors)
    ([1.0, 0.0], True, 2)
    """

    words: list[str]
    vectors: np.ndarray
    source: str
    index: dict[str, int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.words = list(self.words)
        self.vectors = _as_matrix(self.vectors, "vectors")
        self.index = _vocab_index(self.words)
        if len(self.words) != self.vectors.shape[0]:
            raise ValueError(f"{len(self.words)} words but {self.vectors.shape[0]} vectors")

    @property
    def dim(self) -> int:
        return int(self.vectors.shape[1])

    def __len__(self) -> int:
        return len(self.words)

    def __contains__(self, word: object) -> bool:
        return word in self.index

    def __getitem__(self, word: str) -> np.ndarray:
        return self.vectors[_word_id(self.index, word)]

    def nearest(self, word: str, k: int = 5) -> list[tuple[str, float]]:
        """See :func:`nearest_neighbours`."""
        return nearest_neighbours(self.vectors, self.words, word, k)

    def analogy(self, a: str, b: str, c: str, k: int = 1) -> list[tuple[str, float]]:
        """See :func:`analogy` (a : b :: c : ?)."""
        return analogy(self.vectors, self.words, a, b, c, k)


@dataclass(frozen=True)
class _Pretrained:
    registry_key: str
    member: str | None  # file inside a zip archive, if the download is one
    dim: int
    title: str


PRETRAINED = {
    "glove-6B-50d": _Pretrained("glove-6B-50d", "glove.6B.50d.txt", 50,
                                "GloVe 6B (Wikipedia + Gigaword, 400k words) 50-d"),
}


def read_word_vectors(path: str | Path, member: str | None = None,
                      max_words: int | None = None) -> tuple[list[str], np.ndarray]:
    """Read vectors in the GloVe / word2vec text format: ``word v1 v2 … vd`` per line.

    ``path`` may be a ``.txt`` file, a ``.gz`` of one, or a ``.zip`` (then ``member`` names the
    file inside). A word2vec header line ("400000 50") is skipped. ``max_words`` keeps the
    first (most frequent) words only.
    """
    path = Path(path)
    if max_words is not None and (not isinstance(max_words, int) or max_words < 1):
        raise ValueError(f"max_words must be a positive integer or None, got {max_words!r}")
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            name = member if member is not None else names[0]
            if name not in names:
                raise ValueError(f"{path.name} has no member {name!r}")
            raw = archive.open(name)
            return _parse_vectors(io.TextIOWrapper(raw, encoding="utf-8"), max_words)
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        return _parse_vectors(handle, max_words)


def _parse_vectors(lines: Iterable[str], max_words: int | None) -> tuple[list[str], np.ndarray]:
    words, rows, dim = [], [], None
    for number, line in enumerate(lines):
        parts = line.rstrip().split(" ")
        if number == 0 and len(parts) == 2 and all(p.isdigit() for p in parts):
            continue  # word2vec header: "<count> <dim>"
        if len(parts) < 2:
            continue
        if dim is None:
            dim = len(parts) - 1
        if len(parts) - 1 != dim:
            raise ValueError(f"line {number + 1} has {len(parts) - 1} numbers, expected {dim}")
        words.append(parts[0])
        rows.append(np.asarray(parts[1:], dtype=np.float32))
        if max_words is not None and len(words) >= max_words:
            break
    if not words:
        raise ValueError("the vector file holds no vectors")
    return words, np.stack(rows)


def corpus_vectors(dim: int = 50, seed: int = 0, window: int = 2) -> WordVectors:
    """Word vectors computed from the book's own offline corpus: PPMI + truncated SVD.

    A deterministic, one-second stand-in for pretrained vectors (see
    :mod:`helpers.corpus`); its neighbours and analogies (king : queen :: man : woman) work on
    that corpus' small vocabulary.
    """
    from helpers.corpus import corpus_sentences

    sentences = [tokenize(s) for s in corpus_sentences("embeddings", seed=seed)]
    counts, vocab = cooccurrence_matrix(sentences, window=window)
    dim = min(dim, len(vocab))
    vectors = svd_embeddings(ppmi(counts, alpha=0.75), dim)
    return WordVectors(vocab, vectors.astype(np.float32),
                       f"PPMI+SVD on the book's template corpus ({len(vocab)} words)")


def load_pretrained_vectors(name: str = "glove-6B-50d", max_words: int | None = 100_000,
                            fallback: str | None = "corpus",
                            allow_download: bool = True) -> WordVectors | None:
    """Pretrained word vectors by name, downloaded and checked through :mod:`helpers.data`.

    ``name`` is a key of :data:`PRETRAINED` (``"glove-6B-50d"``); its entry in
    ``helpers.data.ARCHIVE_MEMBERS`` (Stanford's glove.6B.zip: archive size, member size and
    CRC-32 checked, SHA-256 recorded on first verified use) or ``helpers.data.REGISTRY`` (a
    file with a published SHA-256) says where it comes from. ``max_words`` keeps the most frequent
    words (the files list them by frequency).

    When the file cannot be had (no network, ``DLBOOK_OFFLINE=1``, no registry entry, a
    corrupt file) it prints one line and returns, with ``fallback="corpus"``,
    :func:`corpus_vectors` (same dimension, from the book's own corpus), or ``None`` with
    ``fallback=None``. It never hangs and never raises for a missing network.
    ``allow_download=False`` uses a verified cached copy only (the notebook's fast mode does
    not start an 822 MB download).
    """
    from helpers import data

    if name not in PRETRAINED:
        raise ValueError(f"unknown pretrained vectors {name!r}; known: {', '.join(PRETRAINED)}")
    if fallback not in ("corpus", None):
        raise ValueError(f"fallback must be 'corpus' or None, got {fallback!r}")
    spec = PRETRAINED[name]
    members = getattr(data, "ARCHIVE_MEMBERS", {})
    if spec.registry_key not in data.REGISTRY and spec.registry_key not in members:
        reason = "no registry entry"
    else:
        try:
            if spec.registry_key in members:   # size, CRC-32 and first-use SHA-256 checked
                path = data.fetch_member(spec.registry_key, allow_download=allow_download)
                words, vectors = read_word_vectors(path, None, max_words)
            else:
                path = data.fetch(spec.registry_key)
                words, vectors = read_word_vectors(path, spec.member, max_words)
            return WordVectors(words, vectors, spec.title)
        except data.DownloadError as error:
            reason = {"no network": "download failed, no network?",
                      "download not allowed": "not in the cache, and this run does not "
                      "download 822 MB"}.get(error.reason, error.reason)
            if data.OFFLINE_ENV in str(error):
                reason = f"{data.OFFLINE_ENV} is set"
        except (OSError, ValueError, zipfile.BadZipFile) as error:
            reason = f"unreadable file: {error}"
    if fallback is None:
        print(f"[data] {spec.title} unavailable ({reason}); no vectors loaded (None).")
        return None
    vectors = corpus_vectors(dim=spec.dim)
    print(f"[data] {spec.title} unavailable ({reason}); using {vectors.dim}-d "
          f"{vectors.source} instead.")
    return vectors


__all__ = [
    "CbowData", "NegativeSamplingStep", "PRETRAINED", "SkipgramData", "TfIdf", "TfidfComparison",
    "WordVectors", "analogy", "bag_of_words", "build_cbow_model", "build_skipgram_model",
    "cbow_dataset", "cooccurrence_matrix", "corpus_vectors", "cosine_matrix", "cosine_similarity",
    "encode", "load_pretrained_vectors", "nearest_neighbours", "negative_sampling_distribution",
    "negative_sampling_gradients", "noise_probability", "one_hot", "ppmi", "read_word_vectors",
    "sample_negatives", "skipgram_dataset", "skipgram_embeddings", "skipgram_pairs",
    "sklearn_tfidf_comparison", "svd_embeddings", "tf_idf", "tf_idf_score", "tokenize",
    "vocabulary",
]
