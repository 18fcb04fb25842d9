"""Byte-pair encoding (BPE), byte-level, as Lecture 10 writes it out.

A :class:`BytePairEncoder` starts from the 256 byte values (so every Unicode string can be
encoded, and ``decode(encode(s)) == s`` always) and learns ``num_merges`` merges from a text:

1. split the text into chunks (a word with its leading space, a run of digits, of punctuation
   or of white space: :data:`CHUNK_PATTERN`, in the spirit of GPT-2's pre-tokeniser), so that
   merges never cross a word boundary, and write each chunk as its UTF-8 bytes;
2. count every adjacent pair of tokens, each chunk weighted by how often it occurs;
3. merge the most frequent pair into a new token (ties: the pair with the smallest ids), and
   repeat from 2 (the counts are updated incrementally, only where the merge changed a chunk).

Encoding applies the learned merges to each chunk in the order they were learned (the
lowest-ranked pair present is merged first), exactly as in Sennrich et al. (2016) and GPT-2.

Example::

    >>> bpe = BytePairEncoder().train("low lower lowest low low", num_merges=3)
    >>> [bpe.token_text(i) for i in bpe.encode("lowest")]
    ['low', 'e', 's', 't']
    >>> bpe.decode(bpe.encode("naïve café ✓")) == "naïve café ✓"
    True
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from itertools import pairwise

import numpy as np

__all__ = ["BytePairEncoder", "CHUNK_PATTERN", "chunks", "pair_counts"]

# A word (letters) with an optional leading space, a run of digits, a run of other symbols,
# or white space (a run of spaces keeps its last space for the word after it). Every character
# is matched by exactly one alternative, so "".join(chunks(text)) == text.
CHUNK_PATTERN = re.compile(
    r" ?[^\W\d_]+| ?\d+| ?(?:[^\s\w]|_)+|\s+(?!\S)|\s+")


def chunks(text: str) -> list[str]:
    """The pre-tokenised chunks of ``text`` (merges never cross their boundaries).

    >>> chunks("The cat's 42 hats.")
    ['The', ' cat', "'", 's', ' 42', ' hats', '.']
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    return CHUNK_PATTERN.findall(text)


def pair_counts(sequences) -> Counter:
    """How often each adjacent pair occurs in ``sequences``.

    ``sequences`` is an iterable of token sequences, or a dict mapping a sequence (tuple) to
    how often it occurs (its weight).

    >>> pair_counts([(1, 2, 1, 2)])[(1, 2)]
    2
    """
    items = sequences.items() if isinstance(sequences, dict) else ((s, 1) for s in sequences)
    counts: Counter = Counter()
    for sequence, weight in items:
        for pair in pairwise(sequence):
            counts[pair] += weight
    return counts


def _merge(sequence: tuple, pair: tuple, new_id: int) -> tuple:
    """``sequence`` with every non-overlapping occurrence of ``pair`` (left to right)
    replaced by ``new_id``."""
    merged, i, n = [], 0, len(sequence)
    while i < n:
        if i < n - 1 and sequence[i] == pair[0] and sequence[i + 1] == pair[1]:
            merged.append(new_id)
            i += 2
        else:
            merged.append(sequence[i])
            i += 1
    return tuple(merged)


def _check_count(value, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an integer, got {value!r}")
    if value < 0:
        raise ValueError(f"{name} must be zero or a positive integer, got {value}")
    return int(value)


class BytePairEncoder:
    """A byte-level BPE tokenizer: 256 byte tokens plus one token per learned merge.

    Attributes:
        merges: the learned merges in order, ``(left_id, right_id)``; merge ``k`` created
            token ``256 + k``.
        merge_counts: how often each merged pair occurred when it was chosen.
    """

    def __init__(self) -> None:
        self.merges: list[tuple[int, int]] = []
        self.merge_counts: list[int] = []
        self._vocab: list[bytes] = [bytes([b]) for b in range(256)]
        self._ranks: dict[tuple[int, int], int] = {}
        self._cache: dict[str, tuple[int, ...]] = {}

    # ------------------------------------------------------------------ training
    def train(self, text: str, num_merges: int) -> BytePairEncoder:
        """Learn ``num_merges`` merges from ``text`` (replacing any learned before).

        Stops early, with fewer merges, when no pair occurs twice any more. Returns ``self``.
        """
        if not isinstance(text, str):
            raise TypeError(f"text must be a str, got {type(text).__name__}")
        num_merges = _check_count(num_merges, "num_merges")
        self.__init__()
        words = Counter(chunks(text))
        sequences = [tuple(word.encode("utf-8")) for word in words]
        weights = list(words.values())
        counts: Counter = Counter()
        where: dict[tuple[int, int], set[int]] = defaultdict(set)
        for index, (sequence, weight) in enumerate(zip(sequences, weights, strict=True)):
            for pair in pairwise(sequence):
                counts[pair] += weight
                where[pair].add(index)
        for _ in range(num_merges):
            if not counts:
                break
            best = max(counts.values())
            if best < 2:
                break
            pair = min(p for p, c in counts.items() if c == best)    # ties: smallest ids
            new_id = 256 + len(self.merges)
            self.merges.append(pair)
            self.merge_counts.append(int(best))
            self._vocab.append(self._vocab[pair[0]] + self._vocab[pair[1]])
            for index in list(where[pair]):
                old, weight = sequences[index], weights[index]
                new = _merge(old, pair, new_id)
                for p in pairwise(old):
                    counts[p] -= weight
                    if counts[p] <= 0:
                        del counts[p]
                for p in pairwise(new):
                    counts[p] += weight
                    where[p].add(index)
                sequences[index] = new
            where.pop(pair, None)
        self._ranks = {pair: rank for rank, pair in enumerate(self.merges)}
        return self

    def truncated(self, num_merges: int) -> BytePairEncoder:
        """A copy that keeps only the first ``num_merges`` merges (the merge stepper)."""
        num_merges = _check_count(num_merges, "num_merges")
        if num_merges > len(self.merges):
            raise ValueError(f"num_merges must be at most {len(self.merges)} (the merges "
                             f"learned), got {num_merges}")
        copy = BytePairEncoder()
        copy.merges = self.merges[:num_merges]
        copy.merge_counts = self.merge_counts[:num_merges]
        copy._vocab = self._vocab[:256 + num_merges]
        copy._ranks = {pair: rank for rank, pair in enumerate(copy.merges)}
        return copy

    # ------------------------------------------------------------------ encoding
    @property
    def vocab_size(self) -> int:
        """256 byte tokens plus one per merge."""
        return len(self._vocab)

    def _encode_chunk(self, chunk: str) -> tuple[int, ...]:
        cached = self._cache.get(chunk)
        if cached is not None:
            return cached
        sequence = tuple(chunk.encode("utf-8"))
        while len(sequence) > 1:
            ranked = [(self._ranks[p], p) for p in pairwise(sequence)
                      if p in self._ranks]
            if not ranked:
                break
            rank, pair = min(ranked)
            sequence = _merge(sequence, pair, 256 + rank)
        if len(self._cache) < 100_000:
            self._cache[chunk] = sequence
        return sequence

    def encode(self, text: str) -> list[int]:
        """Token ids of ``text``: its chunks' bytes with the learned merges applied in order."""
        ids: list[int] = []
        for chunk in chunks(text):
            ids.extend(self._encode_chunk(chunk))
        return ids

    def token_bytes(self, token_id: int) -> bytes:
        """The bytes a token stands for."""
        if isinstance(token_id, bool) or not isinstance(token_id, (int, np.integer)):
            raise TypeError(f"token ids must be integers, got {token_id!r}")
        if not 0 <= token_id < len(self._vocab):
            raise ValueError(f"token id {token_id} is out of range: this encoder has ids "
                             f"0..{len(self._vocab) - 1}")
        return self._vocab[int(token_id)]

    def token_text(self, token_id: int) -> str:
        """A token as text (bytes that are only part of a character show as U+FFFD)."""
        return self.token_bytes(token_id).decode("utf-8", errors="replace")

    def decode(self, ids) -> str:
        """The text of a list of token ids (invalid UTF-8, from a partial sequence, is
        replaced by U+FFFD, as Hugging Face's byte-level decoder does)."""
        if isinstance(ids, (str, bytes)):
            raise TypeError("decode needs a list of token ids, not a string")
        return b"".join(self.token_bytes(i) for i in ids).decode("utf-8", errors="replace")

    def tokens(self, text: str) -> list[str]:
        """``text`` split into its tokens' texts (for display)."""
        return [self.token_text(i) for i in self.encode(text)]

    def __repr__(self) -> str:
        return f"BytePairEncoder(vocab_size={self.vocab_size}, merges={len(self.merges)})"
