"""helpers.tokenise: the byte-level BPE of Lecture 10, against Hugging Face `tokenizers`."""

import random
from collections import Counter

import pytest

from helpers.tokenise import BytePairEncoder, chunks, pair_counts

tokenizers = pytest.importorskip("tokenizers")

SAMPLE = ("the lowest low lower newest widest newer wider low low the the "
          "tokenisation of 1234 numbers, naïve café, Größe 東京 😀 ") * 20


def python_text() -> str:
    import pydoc_data.topics as topics
    return "\n".join(topics.topics[name] for name in sorted(topics.topics))


def reference_bpe(text: str, num_merges: int):
    """Hugging Face's byte-level BPE trained like ours: 256 byte tokens + num_merges."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=256 + num_merges, min_frequency=2,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
                                  show_progress=False)
    tokenizer.train_from_iterator([text], trainer)
    return tokenizer


def gpt2_byte_decoder() -> dict[str, int]:
    """GPT-2's printable stand-ins for the 256 bytes (what Hugging Face's vocab shows)."""
    printable = [*range(33, 127), *range(161, 173), *range(174, 256)]
    codes, extra = printable[:], 0
    for byte in range(256):
        if byte not in printable:
            printable.append(byte)
            codes.append(256 + extra)
            extra += 1
    return {chr(code): byte for byte, code in zip(printable, codes, strict=True)}


def test_chunks_cover_the_text():
    rng = random.Random(0)
    alphabet = "ab Z9_ -.\n\t'é東😀\u0301½"
    for _ in range(200):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        assert "".join(chunks(text)) == text
    assert chunks("The cat's 42") == ["The", " cat", "'", "s", " 42"]


def test_round_trip_any_unicode():
    bpe = BytePairEncoder().train(SAMPLE, 60)
    rng = random.Random(1)
    for _ in range(300):
        text = "".join(chr(rng.choice([rng.randint(32, 126), rng.randint(0, 0x10FFFF)]))
                       for _ in range(rng.randint(0, 12)))
        text = text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
        assert bpe.decode(bpe.encode(text)) == text
    for text in ["", " ", "naïve café", "東京", "😀😀", "a\u0301", "\x00\n"]:
        assert bpe.decode(bpe.encode(text)) == text


def test_first_merge_is_the_most_frequent_pair():
    bpe = BytePairEncoder().train(SAMPLE, 10)
    counts = pair_counts([tuple(c.encode()) for c in chunks(SAMPLE)])
    (best, best_count), = counts.most_common(1)
    assert bpe.merges[0] == best and bpe.merge_counts[0] == best_count
    assert bpe.merge_counts == sorted(bpe.merge_counts, reverse=True)


def test_merges_match_a_recount_after_every_merge():
    """The incremental counts equal a full recount (the notebook's slow loop)."""
    bpe = BytePairEncoder().train(SAMPLE, 25)
    words = Counter(tuple(c.encode()) for c in chunks(SAMPLE))
    for rank, (pair, count) in enumerate(zip(bpe.merges, bpe.merge_counts, strict=True)):
        counts = pair_counts(words)
        best = max(counts.values())
        assert count == best
        assert pair == min(p for p, c in counts.items() if c == best)
        new_words = Counter()
        for word, weight in words.items():
            merged, i = [], 0
            while i < len(word):
                if word[i:i + 2] == pair:
                    merged.append(256 + rank)
                    i += 2
                else:
                    merged.append(word[i])
                    i += 1
            new_words[tuple(merged)] += weight
        words = new_words


def test_matches_hugging_face_on_python_docs():
    text = python_text()
    ours = BytePairEncoder().train(text, 300)
    reference = reference_bpe(text, 300)
    to_byte = gpt2_byte_decoder()
    theirs = {bytes(to_byte[ch] for ch in token) for token in reference.get_vocab()}
    mine = {ours.token_bytes(i) for i in range(ours.vocab_size)}
    assert len(mine) == len(theirs) == 556
    assert len(mine & theirs) >= 0.98 * len(mine)
    sample = text[:20_000]
    assert abs(len(ours.encode(sample)) - len(reference.encode(sample).ids)) \
        <= 0.01 * len(ours.encode(sample))
    assert reference.decode(reference.encode(sample).ids) == sample


def test_encode_uses_merges_in_order():
    bpe = BytePairEncoder().train("low lower lowest low low", 3)
    assert [bpe.token_text(i) for i in bpe.encode("lowest")] == ["low", "e", "s", "t"]
    assert bpe.truncated(1).tokens("lowest") == ["lo", "w", "e", "s", "t"]
    assert bpe.truncated(0).encode("lo") == list(b"lo")


def test_stops_when_no_pair_repeats():
    bpe = BytePairEncoder().train("abcd", 10)
    assert bpe.merges == [] and bpe.vocab_size == 256


def test_bad_input():
    bpe = BytePairEncoder().train(SAMPLE, 5)
    with pytest.raises(ValueError, match="num_merges"):
        BytePairEncoder().train("abc", -1)
    with pytest.raises(TypeError, match="num_merges"):
        BytePairEncoder().train("abc", 2.5)
    with pytest.raises(TypeError, match="text must be a str"):
        BytePairEncoder().train(b"abc", 2)
    with pytest.raises(ValueError, match="out of range"):
        bpe.decode([bpe.vocab_size])
    with pytest.raises(ValueError, match="out of range"):
        bpe.decode([-1])
    with pytest.raises(TypeError, match="token ids"):
        bpe.decode([1.0])
    with pytest.raises(TypeError, match="not a string"):
        bpe.decode("abc")
    with pytest.raises(ValueError, match="at most 5"):
        bpe.truncated(6)
    with pytest.raises(TypeError):
        bpe.encode(None)
