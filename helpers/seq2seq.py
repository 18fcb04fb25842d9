"""Sequence-to-sequence helpers for Lecture 08: the digit-reversal task, greedy decoding,
accuracy by length, and the Keras LSTM API's shapes (the practice generator runs the layer).

Token ids: 0 pads, 1 starts the decoder, 2 ends a sequence, 3-12 are the digits 0-9.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import numpy as np

PAD, START, END = 0, 1, 2
DIGIT_OFFSET = 3
VOCAB_SIZE = DIGIT_OFFSET + 10
SYMBOLS = ("·", "<s>", "</s>") + tuple("0123456789")


def _positive_int(value, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__}")
    if value < 1:
        raise ValueError(f"{name} must be at least 1, got {value}")
    return int(value)


@dataclass(frozen=True)
class Seq2SeqData:
    """Arrays for teacher forcing: the encoder reads ``source``, the decoder reads
    ``decoder_input`` (START, then the target shifted right) and predicts ``target``."""

    source: np.ndarray          # (n, max_length), digits then PAD
    decoder_input: np.ndarray   # (n, max_length + 1), START then the reversed digits
    target: np.ndarray          # (n, max_length + 1), the reversed digits then END, then PAD
    lengths: np.ndarray         # (n,), number of digits in each source


def reversal_task(n: int, min_length: int = 1, max_length: int = 12,
                  seed: int = 0) -> Seq2SeqData:
    """``n`` random digit strings with lengths uniform in [min_length, max_length]; the
    target is the string reversed, followed by END."""
    n = _positive_int(n, "n")
    min_length = _positive_int(min_length, "min_length")
    max_length = _positive_int(max_length, "max_length")
    if min_length > max_length:
        raise ValueError(f"min_length ({min_length}) is larger than max_length ({max_length})")
    rng = np.random.default_rng(seed)
    lengths = rng.integers(min_length, max_length + 1, size=n)
    source = np.full((n, max_length), PAD, dtype="int32")
    decoder_input = np.full((n, max_length + 1), PAD, dtype="int32")
    target = np.full((n, max_length + 1), PAD, dtype="int32")
    decoder_input[:, 0] = START
    for i, length in enumerate(lengths):
        digits = rng.integers(0, 10, size=length) + DIGIT_OFFSET
        reverse = digits[::-1]
        source[i, :length] = digits
        decoder_input[i, 1:length + 1] = reverse
        target[i, :length] = reverse
        target[i, length] = END
    return Seq2SeqData(source, decoder_input, target, lengths.astype("int32"))


def decode_tokens(ids) -> str:
    """Token ids as text: digits as themselves, END stops, PAD and START are skipped."""
    ids = np.asarray(ids)
    if ids.ndim != 1:
        raise ValueError(f"decode_tokens needs a 1-D sequence of ids, got shape {ids.shape}")
    out = []
    for token in ids.tolist():
        if not 0 <= token < VOCAB_SIZE:
            raise ValueError(f"token id {token} is outside 0..{VOCAB_SIZE - 1}")
        if token == END:
            break
        if token >= DIGIT_OFFSET:
            out.append(str(token - DIGIT_OFFSET))
    return "".join(out)


def greedy_decode(predict, source, steps: int) -> np.ndarray:
    """Greedy decoding with a teacher-forcing model: ``predict([source, decoder_input])``
    returns (n, steps, vocab) probabilities; step t feeds back the argmax of step t - 1.

    The decoder must be causal (an LSTM is), so the PAD placeholders after step t do not
    change the prediction at t. Returns the (n, steps) predicted ids.
    """
    if not callable(predict):
        raise TypeError("predict must be a function such as model.predict")
    source = np.asarray(source)
    if source.ndim != 2:
        raise ValueError(f"source must be (n, length), got shape {source.shape}")
    steps = _positive_int(steps, "steps")
    decoder_input = np.full((len(source), steps), PAD, dtype="int32")
    decoder_input[:, 0] = START
    predicted = np.zeros((len(source), steps), dtype="int32")
    for t in range(steps):
        probabilities = np.asarray(predict([source, decoder_input]))
        if probabilities.shape[:2] != (len(source), steps):
            raise ValueError(f"predict returned shape {probabilities.shape}, expected "
                             f"({len(source)}, {steps}, vocab)")
        predicted[:, t] = probabilities[:, t].argmax(axis=-1)
        if t + 1 < steps:
            decoder_input[:, t + 1] = predicted[:, t]
    return predicted


def exact_match(predicted, target) -> np.ndarray:
    """Per example: True when every token up to and including END is right."""
    predicted, target = np.asarray(predicted), np.asarray(target)
    if predicted.shape != target.shape or predicted.ndim != 2:
        raise ValueError(f"predicted {predicted.shape} and target {target.shape} must be the "
                         "same (n, steps) shape")
    relevant = target != PAD
    return np.all((predicted == target) | ~relevant, axis=1)


def accuracy_by_length(correct, lengths) -> dict[int, float]:
    """Mean of ``correct`` for each distinct length, in increasing length."""
    correct = np.asarray(correct, dtype=float)
    lengths = np.asarray(lengths)
    if correct.shape != lengths.shape or correct.ndim != 1:
        raise ValueError(f"correct {correct.shape} and lengths {lengths.shape} must be "
                         "1-D and the same length")
    if correct.size == 0:
        raise ValueError("no examples")
    return {int(k): float(correct[lengths == k].mean()) for k in np.unique(lengths)}


# ----------------------------------------------------------------- the Keras LSTM API

LSTM_VARIANTS = ("plain", "return_sequences", "return_state", "sequences_and_state",
                 "bidirectional", "bidirectional_sequences")


def lstm_output_shapes(variant: str, units: int, timesteps: int, features: int,
                       batch: int = 2, merge_mode: str = "concat") -> list[tuple[int, ...]]:
    """Build the Keras layer of ``variant`` and run it on zeros of shape
    (batch, timesteps, features); return the shape of every output it gives.

    Variants: ``plain`` = ``LSTM(units)``; ``return_sequences``; ``return_state``;
    ``sequences_and_state`` (both flags); ``bidirectional`` = ``Bidirectional(LSTM(units),
    merge_mode=...)``; ``bidirectional_sequences`` (with ``return_sequences=True``).
    """
    if variant not in LSTM_VARIANTS:
        raise ValueError(f"variant must be one of {LSTM_VARIANTS}, got {variant!r}")
    for value, name in ((units, "units"), (timesteps, "timesteps"),
                        (features, "features"), (batch, "batch")):
        _positive_int(value, name)
    if merge_mode not in ("concat", "sum", "ave", "mul"):
        raise ValueError(f"merge_mode must be concat, sum, ave or mul, got {merge_mode!r}")
    from keras import layers

    sequences = variant in ("return_sequences", "sequences_and_state",
                            "bidirectional_sequences")
    state = variant in ("return_state", "sequences_and_state")
    layer = layers.LSTM(units, return_sequences=sequences, return_state=state)
    if variant.startswith("bidirectional"):
        layer = layers.Bidirectional(layer, merge_mode=merge_mode)
    outputs = layer(np.zeros((batch, timesteps, features), dtype="float32"))
    if not isinstance(outputs, (list, tuple)):
        outputs = [outputs]
    return [tuple(int(d) for d in output.shape) for output in outputs]


def lstm_output_size(variant: str, units: int, timesteps: int, features: int,
                     batch: int = 2, merge_mode: str = "concat") -> int:
    """How many numbers the layer's first output holds (the product of its shape), measured
    by running the layer (:func:`lstm_output_shapes`)."""
    shape = lstm_output_shapes(variant, units, timesteps, features, batch, merge_mode)[0]
    return int(np.prod(shape))


_VARIANT_CODE = {
    "plain": "LSTM({u})",
    "return_sequences": "LSTM({u}, return_sequences=True)",
    "return_state": "LSTM({u}, return_state=True)",
    "sequences_and_state": "LSTM({u}, return_sequences=True, return_state=True)",
    "bidirectional": "Bidirectional(LSTM({u}), merge_mode='{m}')",
    "bidirectional_sequences": "Bidirectional(LSTM({u}, return_sequences=True), "
                               "merge_mode='{m}')",
}


def lstm_shape_practice(count: int = 3, seed: int | None = None) -> list[dict]:
    """Fresh LSTM-API questions: a layer on a (batch, T, F) input; how many numbers does its
    first output hold? Graded by :func:`lstm_output_size`, which runs the Keras layer."""
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= 50:
        raise ValueError(f"count must be an integer between 1 and 50, got {count!r}")
    rng = random.Random(seed)
    questions = []
    for index in range(count):
        variant = rng.choice(LSTM_VARIANTS)
        units = rng.choice([4, 8, 16, 32, 64])
        timesteps = rng.choice([5, 10, 20, 30, 50])
        features = rng.choice([3, 8, 16, 50, 100])
        batch = rng.choice([1, 2, 4, 8, 16])
        merge = rng.choice(["concat", "concat", "sum", "ave"])
        bidirectional = variant.startswith("bidirectional")
        per_step = units * (2 if bidirectional and merge == "concat" else 1)
        sequences = variant in ("return_sequences", "sequences_and_state",
                                "bidirectional_sequences")
        shape = (batch, timesteps, per_step) if sequences else (batch, per_step)
        value = int(np.prod(shape))
        code = _VARIANT_CODE[variant].format(u=units, m=merge)
        kwargs = {"variant": variant, "units": units, "timesteps": timesteps,
                  "features": features, "batch": batch, "merge_mode": merge}
        hint = ("return_sequences=True keeps the time axis; without it only the last step "
                "comes out. return_state adds h and c but does not change the first output.")
        if bidirectional:
            hint += (" Bidirectional with merge_mode='concat' doubles the feature size; "
                     "'sum' and 'ave' keep it.")
        questions.append({
            "id": f"lstm-shape-{index + 1}",
            "type": "numeric",
            "prompt": (f"<code>{code}</code> is applied to an input of shape "
                       f"({batch}, {timesteps}, {features}). How many numbers does its "
                       "first output hold (the product of its shape)?"),
            "answer": {"call": "helpers.seq2seq.lstm_output_size", "kwargs": kwargs},
            "value": value,
            "tolerance": 0,
            "hint": hint,
            "explanation": (f"The first output has shape {shape}, so it holds "
                            f"{' × '.join(map(str, shape))} = {value} numbers. The input's "
                            f"{features} features only change the layer's weights."),
        })
    return questions


__all__ = ["PAD", "START", "END", "DIGIT_OFFSET", "VOCAB_SIZE", "SYMBOLS", "Seq2SeqData",
           "reversal_task", "decode_tokens", "greedy_decode", "exact_match",
           "accuracy_by_length", "LSTM_VARIANTS", "lstm_output_shapes", "lstm_output_size",
           "lstm_shape_practice"]
