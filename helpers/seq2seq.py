"""Sequence-to-sequence helpers for Lecture 08: the digit-reversal task, greedy decoding,
accuracy by length, and the Keras LSTM API's shapes (the practice generator runs the layer).

Token ids: 0 pads, 1 starts the decoder, 2 ends a sequence, 3-12 are the digits 0-9.
"""

from __future__ import annotations

import functools
import random
from dataclasses import dataclass

import numpy as np

from helpers._checks import practice_count

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
    returns (n, steps, vocab) probabilities (``source`` is anything batched: token ids,
    images); step t feeds back the argmax of step t - 1.

    The decoder must be causal (an LSTM is), so the PAD placeholders after step t do not
    change the prediction at t. Returns the (n, steps) predicted ids.
    """
    if not callable(predict):
        raise TypeError("predict must be a function such as model.predict")
    source = np.asarray(source)
    if source.ndim < 2:
        raise ValueError(f"source must be a batch (n, ...), e.g. (n, length) token ids or "
                         f"(n, H, W, C) images, got shape {source.shape}")
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
    """Build the Keras layer of ``variant``, call it on an input of shape
    (batch, timesteps, features) and return the shape of every output it gives.

    Variants: ``plain`` = ``LSTM(units)``; ``return_sequences``; ``return_state``;
    ``sequences_and_state`` (both flags); ``bidirectional`` = ``Bidirectional(LSTM(units),
    merge_mode=...)``; ``bidirectional_sequences`` (with ``return_sequences=True``). The call
    is symbolic (a ``keras.Input`` of that batch shape: Keras traces the layer's ``call``
    without the arithmetic), so a question costs milliseconds; the tests check it against a
    call on real zeros.
    """
    if variant not in LSTM_VARIANTS:
        raise ValueError(f"variant must be one of {LSTM_VARIANTS}, got {variant!r}")
    for value, name in ((units, "units"), (timesteps, "timesteps"),
                        (features, "features"), (batch, "batch")):
        _positive_int(value, name)
    if merge_mode not in ("concat", "sum", "ave", "mul"):
        raise ValueError(f"merge_mode must be concat, sum, ave or mul, got {merge_mode!r}")
    return list(_traced_shapes(variant, int(units), int(timesteps), int(features),
                               int(batch), merge_mode))


@functools.lru_cache(maxsize=512)
def _traced_shapes(variant, units, timesteps, features, batch, merge_mode):
    import keras
    from keras import layers

    sequences = variant in ("return_sequences", "sequences_and_state",
                            "bidirectional_sequences")
    state = variant in ("return_state", "sequences_and_state")
    layer = layers.LSTM(units, return_sequences=sequences, return_state=state)
    if variant.startswith("bidirectional"):
        layer = layers.Bidirectional(layer, merge_mode=merge_mode)
    outputs = layer(keras.Input(batch_shape=(batch, timesteps, features)))
    if not isinstance(outputs, (list, tuple)):
        outputs = [outputs]
    return tuple(tuple(int(d) for d in output.shape) for output in outputs)


def lstm_output_size(variant: str, units: int, timesteps: int, features: int,
                     batch: int = 2, merge_mode: str = "concat") -> int:
    """How many numbers the layer's first output holds (the product of its shape), as Keras
    computes it when the layer is called (:func:`lstm_output_shapes`)."""
    shape = lstm_output_shapes(variant, units, timesteps, features, batch, merge_mode)[0]
    return int(np.prod(shape))


def temperature_probability(logits, temperature: float, index: int) -> float:
    """P(choice ``index``) under softmax(logits / T), as one number (for quiz answers); the
    computation is :func:`helpers.attention.temperature_probabilities`."""
    from helpers.attention import temperature_probabilities

    probabilities = temperature_probabilities(logits, temperature)
    if probabilities.ndim != 1:
        raise ValueError("logits must be one vector")
    if isinstance(index, bool) or not isinstance(index, (int, np.integer)):
        raise TypeError(f"index must be an integer, got {type(index).__name__}")
    if not 0 <= index < len(probabilities):
        raise ValueError(f"index {index} is outside 0..{len(probabilities) - 1}")
    return float(probabilities[index])


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
    first output hold? Graded by :func:`lstm_output_size`, which calls the Keras layer."""
    count = practice_count(count)
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


# ----------------------------------------------------------------- captioning toy data

CAPTION_WORDS = ("·", "<s>", "</s>", "red", "green", "blue", "circle", "square", "triangle",
                 "top", "bottom", "left", "right")
_COLOURS = {"red": (0.9, 0.15, 0.1), "green": (0.1, 0.7, 0.2), "blue": (0.15, 0.3, 0.95)}


@dataclass(frozen=True)
class Captions:
    """Generated images and captions: ``caption_input`` starts with <s>, ``caption_target``
    ends with </s>; ``quadrant`` is 0-3 (top-left, top-right, bottom-left, bottom-right)."""

    images: np.ndarray          # (n, size, size, 3) in [0, 1]
    caption_input: np.ndarray   # (n, 5)
    caption_target: np.ndarray  # (n, 5)
    quadrant: np.ndarray        # (n,)


def shape_captions(n: int, size: int = 24, seed: int = 0) -> Captions:
    """``n`` images with one coloured shape in one quadrant on a noisy grey ground, and the
    caption "colour shape row column", e.g. "red circle top left"."""
    n = _positive_int(n, "n")
    size = _positive_int(size, "size")
    if size < 12 or size % 2:
        raise ValueError(f"size must be an even number >= 12, got {size}")
    rng = np.random.default_rng(seed)
    half = size // 2
    yy, xx = np.mgrid[0:half, 0:half] + 0.5
    images = np.clip(0.5 + 0.05 * rng.normal(size=(n, size, size, 3)), 0, 1)
    words = np.zeros((n, 4), dtype="int32")
    quadrant = rng.integers(0, 4, size=n)
    for i in range(n):
        colour = list(_COLOURS)[rng.integers(3)]
        shape = ("circle", "square", "triangle")[rng.integers(3)]
        radius = rng.uniform(0.28, 0.4) * half
        cy, cx = half / 2 + rng.uniform(-1, 1, size=2)
        if shape == "circle":
            inside = (yy - cy) ** 2 + (xx - cx) ** 2 <= radius ** 2
        elif shape == "square":
            inside = (abs(yy - cy) <= radius * 0.85) & (abs(xx - cx) <= radius * 0.85)
        else:
            inside = ((yy >= cy - radius) & (yy <= cy + radius)
                      & (abs(xx - cx) <= (yy - (cy - radius)) / 2))
        row, col = divmod(int(quadrant[i]), 2)
        patch = images[i, row * half:(row + 1) * half, col * half:(col + 1) * half]
        patch[inside] = _COLOURS[colour]
        words[i] = [CAPTION_WORDS.index(w) for w in
                    (colour, shape, ("top", "bottom")[row], ("left", "right")[col])]
    caption_input = np.concatenate([np.full((n, 1), START, "int32"), words], axis=1)
    caption_target = np.concatenate([words, np.full((n, 1), END, "int32")], axis=1)
    return Captions(images.astype("float32"), caption_input, caption_target,
                    quadrant.astype("int32"))


# ----------------------------------------------------------------- diagrams

def seq2seq_diagram(attention: bool = False, steps: int = 4):
    """An encoder-decoder drawn by code: without attention only the encoder's last state
    (h, c) reaches the decoder; with it, every decoder step reads a weighted sum of all
    encoder states."""
    from helpers.diagrams import Diagram

    if not isinstance(attention, bool):
        raise TypeError("attention must be True or False")
    steps = _positive_int(steps, "steps")
    if steps > 6:
        raise ValueError(f"at most 6 steps fit the column, got {steps}")
    col, box = 62.0, 44.0
    enc_x, dec_x = 20.0, 20.0 + steps * col + 40
    width = dec_x + steps * col + 20
    height = 250.0 if attention else 190.0
    row = 120.0 if attention else 70.0
    alt = ("Encoder-decoder " + ("with attention: each decoder step computes weights over "
                                 "all encoder states a_1 … a_T and reads their weighted sum, "
                                 "the context z_t" if attention else
                                 "without attention: the encoder's LSTM reads x_1 … x_T and "
                                 "only its last state (h, c) is handed to the decoder, a "
                                 "single fixed-size vector for the whole input: the bottleneck"))
    d = Diagram(width, height, alt)
    for t in range(steps):
        x = enc_x + t * col
        d.rect(x, row, box, box, "enc", tone="blue")
        d.arrow((x + box / 2, row + box + 30), (x + box / 2, row + box))
        d.text(x + box / 2, row + box + 40, f"x_{{{t + 1}}}", size=13)
        if t:
            d.arrow((x - col + box, row + box / 2), (x, row + box / 2), tone="orange")
        if attention:
            d.text(x + box / 2, row - 10, f"a_{{{t + 1}}}", size=12)
    for t in range(steps):
        x = dec_x + t * col
        d.rect(x, row, box, box, "dec", tone="green")
        d.arrow((x + box / 2, row), (x + box / 2, row - 28 if not attention else row - 16))
        d.text(x + box / 2, (row - 38) if not attention else row - 26, f"y_{{{t + 1}}}",
               size=13)
        d.arrow((x + box / 2, row + box + 30), (x + box / 2, row + box))
        d.text(x + box / 2, row + box + 40, "<s>" if t == 0 else f"y_{{{t}}}", size=12)
        if t:
            d.arrow((x - col + box, row + box / 2), (x, row + box / 2), tone="orange")
    last = enc_x + (steps - 1) * col + box
    d.arrow((last, row + box / 2), (dec_x, row + box / 2), tone="orange")
    d.text((last + dec_x) / 2, row + box / 2 - 10, "h, c", size=12, tone="orange")
    if attention:
        target = dec_x + col + box / 2
        cy = 34.0
        d.circle(target, cy, 13, "ẑ", tone="purple")
        for t in range(steps):
            d.line((enc_x + t * col + box / 2, row - 18), (target - 13, cy), tone="purple",
                   opacity=0.35 + 0.15 * t)
        d.arrow((target, cy + 13), (target, row - 36), tone="purple")
        d.text(target + 18, cy, "ẑ_{t} = Σ_{i} α_{ti} a_{i}", anchor="start", size=12)
        d.text(20, height - 8, "every decoder step reads all encoder states, weighted by α",
               anchor="start", size=12, opacity=0.85)
    else:
        d.text(20, height - 8, "the whole input must fit through one (h, c) pair: the "
               "bottleneck", anchor="start", size=12, opacity=0.85)
    d.data = {"steps": steps, "attention": attention}
    return d


__all__ = ["PAD", "START", "END", "DIGIT_OFFSET", "VOCAB_SIZE", "SYMBOLS", "Seq2SeqData",
           "reversal_task", "decode_tokens", "greedy_decode", "exact_match",
           "accuracy_by_length", "LSTM_VARIANTS", "lstm_output_shapes", "lstm_output_size",
           "temperature_probability", "lstm_shape_practice", "CAPTION_WORDS", "Captions",
           "shape_captions", "seq2seq_diagram"]
