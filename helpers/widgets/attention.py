"""Lecture 08 widgets: sampling temperature and the attention-map explorer.

Each has three faces: a pure drawing function (SVG + caption), a live ipywidgets version and a
kernel-free static explorer of precomputed states (:func:`helpers.explorers.state_explorer`).
Both take their numbers from the notebook (the character model's logits, the seq2seq model's
attention weights); without them they fall back to a small built-in example so that the tests
and ``scripts/bench.py`` can drive them.
"""

from __future__ import annotations

import html

import numpy as np

from helpers.attention import temperature_probabilities
from helpers.explorers import Explorer, state_explorer
from helpers.widgets import cycle, live_drawing, show, svg_document

TEMPERATURES = (0.1, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0)
TOP_K = 12


def _compact(fragment: str) -> str:
    """Single quotes in attributes: the static states are stored as JSON."""
    return fragment.replace('"', "'")


def _shown(symbol: str) -> str:
    return {" ": "␣", "\n": "⏎"}.get(symbol, symbol)


# ------------------------------------------------------------------ sampling temperature

def demo_logits() -> dict[str, tuple[np.ndarray, list[str]]]:
    """A built-in next-character example (used when the notebook passes none)."""
    symbols = list(" etaoinshrdlu")
    logits = np.array([2.6, 2.2, 1.4, 1.2, 1.0, 0.7, 0.6, 0.4, 0.2, 0.0, -0.5, -1.0, -1.5])
    return {"after 'the kin'": (logits, symbols)}


def _check_choices(choices) -> dict[str, tuple[np.ndarray, list[str]]]:
    if choices is None:
        return demo_logits()
    if not isinstance(choices, dict) or not choices:
        raise TypeError("choices must be a non-empty dict {name: (logits, symbols)}")
    checked = {}
    for name, pair in choices.items():
        if not isinstance(pair, (tuple, list)) or len(pair) != 2:
            raise TypeError(f"choice {name!r} must be a (logits, symbols) pair")
        logits = np.asarray(pair[0], dtype=float)
        symbols = [str(s) for s in pair[1]]
        if logits.ndim != 1 or len(logits) != len(symbols) or len(symbols) < 2:
            raise ValueError(f"choice {name!r}: logits {logits.shape} and {len(symbols)} "
                             "symbols must be 1-D and the same length (at least 2)")
        checked[str(name)] = (logits, symbols)
    return checked


def temperature_view(logits, symbols, temperature: float, seed: int = 0,
                     top_k: int = TOP_K) -> dict:
    """The pure function: probabilities softmax(logits / T), the ``top_k`` most likely
    symbols, and 40 characters sampled at T (seeded) with their share of the argmax."""
    logits = np.asarray(logits, dtype=float)
    if logits.ndim != 1 or len(logits) != len(symbols):
        raise ValueError(f"logits {logits.shape} and {len(symbols)} symbols must match")
    probabilities = temperature_probabilities(logits, temperature)
    order = np.argsort(-probabilities, kind="stable")[:top_k]
    rng = np.random.default_rng(seed)
    cumulative = np.cumsum(probabilities)
    cumulative[-1] = 1.0
    draws = np.searchsorted(cumulative, rng.random(40), side="right")
    model = temperature_probabilities(logits, 1.0)
    return {"order": order, "probabilities": probabilities, "model": model,
            "samples": "".join(_shown(symbols[i]) for i in draws),
            "argmax_share": float(np.mean(draws == int(np.argmax(logits)))),
            "entropy_bits": float(-np.sum(probabilities * np.log2(np.maximum(probabilities,
                                                                               1e-300))))}


def temperature_svg(logits, symbols, temperature: float, seed: int = 0) -> str:
    """Bars of P(next symbol) at temperature T (and T = 1 as outlines), plus a sample."""
    view = temperature_view(logits, symbols, temperature, seed)
    order, p, model = view["order"], view["probabilities"], view["model"]
    width, left, top, bar_h = 420, 40, 26, 17
    height = top + bar_h * len(order) + 44
    scale = width - left - 70
    parts = [f'<text x="{left}" y="16" font-size="13">P(next character) at T = '
             f'{temperature:g} (outline: T = 1)</text>']
    for row, index in enumerate(order):
        y = top + row * bar_h
        parts.append(f'<text x="{left - 6}" y="{y + 12}" font-size="13" text-anchor="end">'
                     f'{html.escape(_shown(symbols[index]))}</text>')
        parts.append(f'<rect x="{left}" y="{y + 2}" width="{p[index] * scale:.1f}" '
                     f'height="{bar_h - 4}" fill="#2f6fb3" fill-opacity="0.75"/>')
        parts.append(f'<rect x="{left}" y="{y + 2}" width="{model[index] * scale:.1f}" '
                     f'height="{bar_h - 4}" fill="none" stroke="currentColor" '
                     'stroke-dasharray="3 2"/>')
        parts.append(f'<text x="{left + max(p[index], model[index]) * scale + 4:.1f}" '
                     f'y="{y + 12}" font-size="11">{p[index]:.2f}</text>')
    y = top + bar_h * len(order) + 16
    parts.append(f'<text x="{left}" y="{y}" font-size="12">40 draws: '
                 f'{html.escape(view["samples"])}</text>')
    parts.append(f'<text x="{left}" y="{y + 18}" font-size="12">top choice drawn '
                 f'{view["argmax_share"]:.0%} of the time; entropy '
                 f'{view["entropy_bits"]:.2f} bits</text>')
    return svg_document(width, height, "".join(parts),
                        f"next-character probabilities at temperature {temperature:g}")


def static_temperature_explorer(choices=None) -> Explorer:
    """Static face: every (context, temperature) pair, precomputed."""
    choices = _check_choices(choices)
    names = list(choices)
    return state_explorer(
        [("context", "context", names, None),
         ("temperature", "temperature T", list(TEMPERATURES),
          [f"{t:g}" for t in TEMPERATURES])],
        lambda context, temperature: _compact(temperature_svg(*choices[context], temperature)),
        "Sampling temperature", initial=[0, TEMPERATURES.index(1.0)])


def temperature_explorer_widget(choices=None):
    """Live face: a context menu and a temperature slider."""
    import ipywidgets as w

    choices = _check_choices(choices)
    controls = {
        "context": w.Dropdown(options=list(choices), description="context"),
        "temperature": w.FloatLogSlider(value=1.0, base=10, min=-1.3, max=0.6, step=0.02,
                                        description="T"),
    }
    return live_drawing(controls, lambda context, temperature: temperature_svg(
        *choices[context], temperature))


def temperature_explorer(choices=None) -> None:
    """Show the temperature explorer: live in Jupyter/Colab, precomputed in the book."""
    show(temperature_explorer_widget(choices), static_temperature_explorer(choices))


# ------------------------------------------------------------------ attention-map explorer

def demo_attention() -> list[dict]:
    """A built-in example: a reversal's anti-diagonal map, slightly blurred."""
    source = list("31415")
    n = len(source)
    weights = np.full((n + 1, n), 0.02)
    for t in range(n):
        weights[t, n - 1 - t] = 1.0
    weights[n] = 1.0 / n
    weights /= weights.sum(axis=1, keepdims=True)
    return [{"name": "31415 → 51413", "source": source, "output": list("51413") + ["</s>"],
             "weights": weights}]


def _check_examples(examples) -> list[dict]:
    if examples is None:
        return demo_attention()
    if not isinstance(examples, (list, tuple)) or not examples:
        raise TypeError("examples must be a non-empty list of dicts")
    checked = []
    for example in examples:
        if not isinstance(example, dict) or not {"source", "output", "weights"} <= set(example):
            raise TypeError("each example needs 'source', 'output' and 'weights'")
        weights = np.asarray(example["weights"], dtype=float)
        shape = (len(example["output"]), len(example["source"]))
        if weights.shape != shape:
            raise ValueError(f"weights have shape {weights.shape}; the source and output "
                             f"tokens need {shape}")
        if np.any(weights < 0) or not np.allclose(weights.sum(axis=1), 1, atol=1e-3):
            raise ValueError("every row of the attention weights must be >= 0 and sum to 1")
        name = example.get("name") or "".join(example["source"])
        checked.append({"name": str(name), "source": [str(s) for s in example["source"]],
                        "output": [str(s) for s in example["output"]], "weights": weights})
    return checked


def attention_map_svg(source, output, weights, step: int) -> str:
    """The map α (output steps × source tokens) with decoder step ``step`` outlined, and the
    source tokens shaded by how much that step attends to them."""
    weights = np.asarray(weights, dtype=float)
    rows, cols = weights.shape
    if not 0 <= step < rows:
        raise ValueError(f"step must be between 0 and {rows - 1}, got {step}")
    cell, left, top = 22, 54, 30
    width = max(left + cols * cell + 12, 300)
    strip_y = top + rows * cell + 22
    height = strip_y + cell + 46
    parts = ['<text x="4" y="14" font-size="12">output ↓ · source →</text>']
    for j, token in enumerate(source):
        parts.append(f'<text x="{left + j * cell + cell / 2}" y="{top - 6}" font-size="12" '
                     f'text-anchor="middle">{html.escape(token)}</text>')
    for i, token in enumerate(output):
        y = top + i * cell
        parts.append(f'<text x="{left - 6}" y="{y + 15}" font-size="12" text-anchor="end">'
                     f'{html.escape(token)}</text>')
        for j in np.flatnonzero(weights[i] >= 0.03):
            parts.append(f'<rect x="{left + j * cell}" y="{y}" width="{cell}" '
                         f'height="{cell}" fill="#d9822b" '
                         f'fill-opacity="{min(1.0, weights[i, j]):.2f}"/>')
    parts.append(f'<rect x="{left}" y="{top}" width="{cols * cell}" height="{rows * cell}" '
                 'fill="none" stroke="currentColor" stroke-opacity="0.4"/>')
    parts.append(f'<rect x="{left - 1}" y="{top + step * cell}" width="{cols * cell + 2}" '
                 f'height="{cell}" fill="none" stroke="#2f6fb3" stroke-width="2.5"/>')
    parts.append(f'<text x="4" y="{strip_y - 6}" font-size="12">step {step + 1} writes '
                 f'"{html.escape(output[step])}" and reads:</text>')
    for j, token in enumerate(source):
        x = left + j * cell
        parts.append(f'<rect x="{x}" y="{strip_y}" width="{cell - 2}" height="{cell}" '
                     f'fill="#2f6fb3" fill-opacity="{weights[step, j]:.2f}" '
                     'stroke="currentColor" stroke-opacity="0.3"/>'
                     f'<text x="{x + cell / 2 - 1}" y="{strip_y + 15}" font-size="12" '
                     f'text-anchor="middle">{html.escape(token)}</text>')
    top_j = int(np.argmax(weights[step]))
    parts.append(f'<text x="4" y="{strip_y + cell + 20}" font-size="12">largest weight '
                 f'α = {weights[step, top_j]:.2f} on source position {top_j + 1} '
                 f'("{html.escape(source[top_j])}")</text>')
    return svg_document(width, height, "".join(parts),
                        f"attention map, decoder step {step + 1} highlighted")


def static_attention_explorer(examples=None) -> Explorer:
    """Static face: every (example, decoder step); steps past an example's end show its
    last step."""
    examples = _check_examples(examples)
    steps = max(len(e["output"]) for e in examples)

    def render(example, step):
        chosen = examples[example]
        step = min(step, len(chosen["output"]) - 1)
        return _compact(attention_map_svg(chosen["source"], chosen["output"],
                                          chosen["weights"], step))

    return state_explorer(
        [("example", "example", list(range(len(examples))), [e["name"] for e in examples]),
         ("step", "decoder step", list(range(steps)), [str(s + 1) for s in range(steps)])],
        render, "Attention-map explorer")


def attention_explorer_widget(examples=None):
    """Live face: an example menu and a decoder-step slider."""
    import ipywidgets as w

    examples = _check_examples(examples)
    by_name = {e["name"]: e for e in examples}
    longest = max(len(e["output"]) for e in examples)
    controls = {"example": w.Dropdown(options=list(by_name), description="example"),
                "step": w.IntSlider(value=1, min=1, max=longest, description="step")}

    def draw(example, step):
        chosen = by_name[example]
        step = min(step, len(chosen["output"])) - 1
        return attention_map_svg(chosen["source"], chosen["output"], chosen["weights"], step)

    return live_drawing(controls, draw)


def attention_explorer(examples=None) -> None:
    """Show the attention-map explorer: live in Jupyter/Colab, precomputed in the book."""
    show(attention_explorer_widget(examples), static_attention_explorer(examples))


# ------------------------------------------------------------------------ benchmarks

def benchmarks() -> dict:
    """Callback drivers for scripts/bench.py (each call moves one control)."""
    temperature = temperature_explorer_widget()._dlbook_controls
    attention = attention_explorer_widget()._dlbook_controls
    return {
        "temperature explorer: T": cycle(temperature["temperature"], list(TEMPERATURES)),
        "attention explorer: step": cycle(attention["step"], list(range(1, 7))),
    }


__all__ = ["TEMPERATURES", "temperature_view", "temperature_svg", "static_temperature_explorer",
           "temperature_explorer_widget", "temperature_explorer", "attention_map_svg",
           "static_attention_explorer", "attention_explorer_widget", "attention_explorer",
           "demo_logits", "demo_attention", "benchmarks"]
