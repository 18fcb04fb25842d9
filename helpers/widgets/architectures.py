"""Lecture 04's widgets: the initialisation explorer and the architecture cost calculator.

Three faces each. The pure functions are :func:`helpers.init.deep_stack_statistics` (a deep
Dense stack measured layer by layer) and :func:`helpers.architectures.block_cost`. The live
ipywidgets UIs redraw an SVG from those numbers: the initialisation explorer measures each
(scheme, activation) stack once, at its full depth, and the depth slider only shows a prefix,
so its callback is string building; the calculator's callback is integer arithmetic. The
kernel-free explorers precompute the states (every scheme × activation × a few depths; every
width × kernel × bottleneck × expansion at a fixed 28×28 input) for the static book.
:func:`block_cost_practice` draws fresh block-cost questions graded by the same helpers.
"""

from __future__ import annotations

import html
import math
import random
from functools import lru_cache

import numpy as np

from helpers import architectures, init
from helpers._checks import practice_count
from helpers.explorers import Explorer, state_explorer
from helpers.widgets import live_drawing, show, wire
from helpers.widgets import svg_document as _svg

MAX_DEPTH = 30
WIDTH, BATCH = 128, 256
SCHEME_LABELS = {"zeros": "zeros", "small": "N(0, 0.01²)", "glorot": "Glorot (Xavier)",
                 "he": "He", "lecun": "LeCun", "large": "N(0, 1)"}
EXPLORER_ACTIVATIONS = ("tanh", "relu", "sigmoid")
STATIC_DEPTHS = (10, 30)
COLOURS = ("#3b6fb6", "#e8710a", "#2e7d32", "#8e44ad", "#b3261e")
LOG_LOW, LOG_HIGH = -12, 12
BINS = 24



def _text(x, y, text, size=11, anchor="start", extra=""):
    anchor = "" if anchor == "start" else f' text-anchor="{anchor}"'
    extra = f" {extra}" if extra else ""
    return (f'<text x="{x:.0f}" y="{y:.0f}" font-size="{size}"{anchor}{extra}>'
            f'{html.escape(text)}</text>')


# ------------------------------------------------------------------ initialisation explorer

@lru_cache(maxsize=32)
def stack_statistics(scheme: str, activation: str) -> init.StackStats:
    """The full-depth measurement for one (scheme, activation), computed once and cached."""
    return init.deep_stack_statistics(scheme, activation, depth=MAX_DEPTH, width=WIDTH,
                                      batch=BATCH, seed=0)


@lru_cache(maxsize=512)
def _histogram(scheme: str, activation: str, layer: int) -> tuple[np.ndarray, tuple]:
    """Histogram (BINS bins, as fractions) of one layer's outputs between their 0.25th and
    99.75th percentiles (values outside are counted in the end bins)."""
    values = stack_statistics(scheme, activation).activations[layer].ravel()
    low, high = (float(v) for v in np.percentile(values, [0.25, 99.75]))
    if high - low < 1e-12 * max(abs(low), abs(high), 1e-30):
        low, high = low - 1.0, high + 1.0              # a constant layer: one central bar
    counts, _ = np.histogram(np.clip(values, low, high), bins=BINS, range=(low, high))
    return counts / max(values.size, 1), (low, high)


def _log_curve(values, x0, y0, plot_w, plot_h, depth, colour):
    logs = np.clip(np.log10(np.maximum(np.asarray(values, dtype=float), 1e-300)),
                   LOG_LOW, LOG_HIGH)
    points = []
    for index, value in enumerate(logs[:depth]):
        x = x0 + (index / max(depth - 1, 1)) * plot_w
        y = y0 + plot_h * (LOG_HIGH - value) / (LOG_HIGH - LOG_LOW)
        points.append(f"{x:.0f},{y:.0f}")
    return (f'<polyline points="{" ".join(points)}" fill="none" stroke="{colour}" '
            'stroke-width="2"/>')


def init_explorer_svg(scheme: str, activation: str, depth: int = MAX_DEPTH) -> str:
    """Histograms of five layers' activations and, per layer, the activation std and the
    gradient norm (log scale), for a ``depth``-layer stack of width 128."""
    if isinstance(depth, bool) or not isinstance(depth, (int, np.integer)) \
            or not 2 <= depth <= MAX_DEPTH:
        raise ValueError(f"depth must be an integer in 2..{MAX_DEPTH}, got {depth!r}")
    stats = stack_statistics(scheme, activation)
    depth = int(depth)
    shown = sorted({0, depth // 4, depth // 2, (3 * depth) // 4, depth - 1})
    parts = [_text(10, 14, f"{SCHEME_LABELS[scheme]} init, {activation}, {depth} layers "
                   f"of width {WIDTH}: output histograms", 12)]
    panel_w, panel_h, top = 112, 70, 28
    for slot, layer in enumerate(shown):
        fractions, (low, high) = _histogram(scheme, activation, layer)
        x0 = 10 + slot * (panel_w + 10)
        # scale to the second-highest bin so that ReLU's spike of exact zeros (half the
        # outputs) does not flatten everything else; the spike is drawn clipped
        ordered = np.sort(fractions)
        peak = max(float(ordered[-2]) * 1.25, float(ordered[-1]) / 8, 1e-12)
        path = [f"M{x0},{top + panel_h}"]
        for b, value in enumerate(fractions):
            xb = x0 + (b + 1) * panel_w / BINS
            y = top + panel_h - min(value / peak, 1.0) * panel_h
            path.append(f"V{y:.0f}H{xb:.0f}")
        path.append(f"V{top + panel_h}Z")
        parts.append(f'<path d="{"".join(path)}" fill="{COLOURS[0]}" fill-opacity="0.6"/>')
        parts.append(f'<line x1="{x0}" x2="{x0 + panel_w}" y1="{top + panel_h}" '
                     f'y2="{top + panel_h}" stroke="currentColor" stroke-opacity="0.5"/>')
        std = stats.activation_std[layer]
        parts.append(_text(x0 + panel_w / 2, top + panel_h + 13, f"layer {layer + 1}", 10,
                           "middle"))
        parts.append(_text(x0 + panel_w / 2, top + panel_h + 25,
                           f"{low:.2g} … {high:.2g}, std {std:.2g}", 9, "middle"))
    # per-layer curves on a log scale
    x0, y0, plot_w, plot_h = 60, 140, 520, 110
    parts.append(f'<rect x="{x0}" y="{y0}" width="{plot_w}" height="{plot_h}" fill="none" '
                 'stroke="currentColor" stroke-opacity="0.5"/>')
    for tick in range(LOG_LOW, LOG_HIGH + 1, 6):
        y = y0 + plot_h * (LOG_HIGH - tick) / (LOG_HIGH - LOG_LOW)
        parts.append(_text(x0 - 4, y + 3, f"1e{tick}", 9, "end"))
        parts.append(f'<line x1="{x0}" x2="{x0 + plot_w}" y1="{y:.0f}" y2="{y:.0f}" '
                     'stroke="currentColor" stroke-opacity="0.15"/>')
    parts.append(_log_curve(stats.activation_std, x0, y0, plot_w, plot_h, depth, COLOURS[0]))
    parts.append(_log_curve(stats.gradient_norm, x0, y0, plot_w, plot_h, depth, COLOURS[1]))
    parts.append(_text(x0, y0 + plot_h + 13, "layer 1", 10))
    parts.append(_text(x0 + plot_w, y0 + plot_h + 13, f"layer {depth}", 10, "end"))
    parts.append(_text(x0 + 6, y0 + 14, "— activation std", 10,
                       extra=f'fill="{COLOURS[0]}"'))
    parts.append(_text(x0 + 150, y0 + 14, "— ‖∂L/∂W‖ of the layer", 10,
                       extra=f'fill="{COLOURS[1]}"'))
    parts.append(_text(x0 + plot_w, y0 + 14, f"clipped to 1e{LOG_LOW}..1e{LOG_HIGH}", 9,
                       "end"))
    grads = stats.gradient_norm[:depth]
    ratio = grads[0] / grads[depth - 1] if grads[depth - 1] > 0 else float("nan")
    verdict = ("no gradient at all: symmetric zeros" if not np.any(grads[:-1]) else
               f"gradient at layer 1 / at layer {depth}: {ratio:.2g}")
    parts.append(_text(10, y0 + plot_h + 32,
                       f"last layer std {stats.activation_std[depth - 1]:.3g}; {verdict}", 11))
    label = (f"{scheme} initialisation with {activation} over {depth} layers: last-layer "
             f"activation std {stats.activation_std[depth - 1]:.3g}; {verdict}")
    return _svg(600, 290, "".join(parts), label)


def init_widget(scheme: str = "glorot", activation: str = "tanh", depth: int = 20):
    """The live initialisation explorer: scheme, activation and depth."""
    import ipywidgets as w

    controls = {"scheme": w.Dropdown(options=[(v, k) for k, v in SCHEME_LABELS.items()],
                                     value=scheme, description="init"),
                "activation": w.ToggleButtons(options=list(EXPLORER_ACTIVATIONS),
                                              value=activation, description="activation"),
                "depth": w.IntSlider(value=depth, min=2, max=MAX_DEPTH, description="depth")}
    out = w.HTML()

    def update(_change=None):
        out.value = init_explorer_svg(controls["scheme"].value, controls["activation"].value,
                                      controls["depth"].value)

    return wire(w.VBox([*controls.values(), out]), controls, update, out)


def init_static(scheme: str = "glorot", activation: str = "tanh") -> Explorer:
    """Precomputed states; LeCun is left out: with square layers it equals Glorot."""
    schemes = [s for s in SCHEME_LABELS if s != "lecun"]
    return state_explorer(
        [("scheme", "initialisation", schemes, [SCHEME_LABELS[s] for s in schemes]),
         ("activation", "activation", list(EXPLORER_ACTIVATIONS), None),
         ("depth", "depth", list(STATIC_DEPTHS), None)],
        init_explorer_svg, "Initialisation explorer: activations and gradients, layer by layer",
        initial=[schemes.index(scheme), EXPLORER_ACTIVATIONS.index(activation),
                 len(STATIC_DEPTHS) - 1])


def init_explorer(scheme: str = "glorot", activation: str = "tanh") -> None:
    """Show the initialisation explorer: live in Jupyter/Colab, kernel-free in the book."""
    show(init_widget(scheme, activation), init_static(scheme, activation))


# ------------------------------------------------------------------ cost calculator

def cost_rows(size: int = 28, channels_in: int = 64, channels_out: int = 64,
              kernel_size: int = 3, bottleneck: int = 16, expansion: int = 6) -> list[dict]:
    """Parameters, MACs and ratios to the standard conv for the four blocks (no biases)."""
    common = dict(height=size, width=size, channels_in=channels_in, channels_out=channels_out,
                  kernel_size=kernel_size, use_bias=False)
    costs = [architectures.block_cost(kind, bottleneck=bottleneck, expansion=expansion,
                                      **common) for kind in architectures.KINDS]
    standard = costs[0]
    return [{"kind": c.kind, "label": architectures.LABELS[c.kind], "params": c.params,
             "macs": c.macs, "param_ratio": c.params / standard.params,
             "mac_ratio": c.macs / standard.macs} for c in costs]


def cost_svg(size: int = 28, channels_in: int = 64, channels_out: int = 64,
             kernel_size: int = 3, bottleneck: int = 16, expansion: int = 6) -> str:
    """Bars (log scale) of parameters and MACs of the four blocks, with ratios."""
    rows = cost_rows(size, channels_in, channels_out, kernel_size, bottleneck, expansion)
    biggest = max(max(r["params"], r["macs"]) for r in rows)
    top = math.log10(biggest) + 0.3
    parts = [_text(10, 14, f"{size}×{size}×{channels_in} → {size}×{size}×{channels_out}, "
                   f"K = {kernel_size}, B = {bottleneck}, t = {expansion} (weights only)", 12)]
    bar_x, bar_w = 170, 250
    for index, row in enumerate(rows):
        y = 30 + index * 44
        parts.append(_text(10, y + 16, row["label"], 11))
        for j, (key, colour) in enumerate((("params", COLOURS[0]), ("macs", COLOURS[1]))):
            length = max(math.log10(max(row[key], 1)) / top, 0.01) * bar_w
            parts.append(f'<rect x="{bar_x}" y="{y + j * 16}" width="{length:.0f}" '
                         f'height="13" fill="{colour}"/>')
            ratio = row["param_ratio" if key == "params" else "mac_ratio"]
            parts.append(_text(bar_x + length + 4, y + j * 16 + 11,
                               f"{row[key]:,} {'params' if key == 'params' else 'MACs'} "
                               f"(×{ratio:.3g})", 10))
    parts.append(_text(10, 30 + 4 * 44 + 6, "bar length ∝ log10; ×ratio = cost / standard "
                       "conv's (depthwise separable: 1/N + 1/K² = "
                       f"{architectures.separable_ratio(channels_out, kernel_size):.3g})", 10))
    label = "; ".join(f"{r['label']}: {r['params']:,} parameters, {r['macs']:,} MACs"
                      for r in rows)
    return _svg(620, 220, "".join(parts), label)


def cost_widget(size: int = 28, channels_in: int = 64, channels_out: int = 64,
                kernel_size: int = 3, bottleneck: int = 16, expansion: int = 6):
    """The live architecture cost calculator."""
    import ipywidgets as w

    controls = {
        "size": w.IntSlider(value=size, min=1, max=224, description="H = W"),
        "channels_in": w.IntSlider(value=channels_in, min=1, max=512, description="C_in (M)"),
        "channels_out": w.IntSlider(value=channels_out, min=1, max=512,
                                    description="C_out (N)"),
        "kernel_size": w.IntSlider(value=kernel_size, min=1, max=7, step=2,
                                   description="kernel K"),
        "bottleneck": w.IntSlider(value=bottleneck, min=1, max=256, description="bottleneck B"),
        "expansion": w.IntSlider(value=expansion, min=1, max=8, description="expansion t"),
    }
    return live_drawing(controls, cost_svg)


STATIC_CHANNELS = (16, 64, 256)
STATIC_KERNELS = (3, 5, 7)
STATIC_BOTTLENECK_DIVISORS = (8, 4)
STATIC_EXPANSIONS = (2, 6)


def cost_static(channels: int = 64, kernel_size: int = 3) -> Explorer:
    """Precomputed states at a 28×28 input, C_in = C_out = C, B = C/8 or C/4."""
    def render(channels, kernel_size, divisor, expansion):
        return cost_svg(28, channels, channels, kernel_size, channels // divisor, expansion)

    return state_explorer(
        [("channels", "channels C (in = out)", list(STATIC_CHANNELS), None),
         ("kernel_size", "kernel K", list(STATIC_KERNELS), None),
         ("divisor", "bottleneck B", list(STATIC_BOTTLENECK_DIVISORS),
          [f"C/{d}" for d in STATIC_BOTTLENECK_DIVISORS]),
         ("expansion", "expansion t", list(STATIC_EXPANSIONS), None)],
        render, "Architecture cost calculator (28×28 input; MACs scale with H·W)",
        initial=[STATIC_CHANNELS.index(channels), STATIC_KERNELS.index(kernel_size), 1,
                 len(STATIC_EXPANSIONS) - 1])


def cost_calculator(channels: int = 64, kernel_size: int = 3) -> None:
    """Show the cost calculator: live in Jupyter/Colab, kernel-free in the book."""
    show(cost_widget(28, channels, channels, kernel_size, channels // 4, 6),
         cost_static(channels, kernel_size))


# ------------------------------------------------------------------ practice generator

def block_cost_practice(count: int = 3, seed: int | None = None) -> list[dict]:
    """Fresh questions: the parameters or MACs of a random block, graded by
    :func:`helpers.architectures.block_params` / ``block_macs`` (weights only, no biases)."""
    count = practice_count(count)
    rng = random.Random(seed)
    questions = []
    for index in range(count):
        kind = rng.choice(architectures.KINDS)
        kwargs = {"height": rng.choice([7, 14, 28, 56]),
                  "channels_in": rng.choice([16, 32, 64, 128]),
                  "channels_out": rng.choice([16, 32, 64, 128, 256]),
                  "kernel_size": rng.choice([3, 5]), "use_bias": False}
        kwargs["width"] = kwargs["height"]
        m, n, k = kwargs["channels_in"], kwargs["channels_out"], kwargs["kernel_size"]
        what = rng.choice(["params", "macs"])
        if kind == "bottleneck":
            kwargs["bottleneck"] = rng.choice([8, 16, 32])
            block = (f"a 1×1 convolution down to B = {kwargs['bottleneck']} channels, then a "
                     f"{k}×{k} convolution to {n} channels")
            terms = f"M·B + K²·B·N = {m}·{kwargs['bottleneck']} + {k * k}·" \
                    f"{kwargs['bottleneck']}·{n}"
        elif kind == "inverted_residual":
            kwargs["expansion"] = rng.choice([2, 4, 6])
            t = kwargs["expansion"]
            block = (f"a MobileNetV2 inverted residual: 1×1 expansion to t·M with t = {t}, a "
                     f"{k}×{k} depthwise convolution, and a linear 1×1 projection to {n}")
            terms = f"M·tM + K²·tM + tM·N = {m}·{t * m} + {k * k}·{t * m} + {t * m}·{n}"
        elif kind == "separable":
            block = (f"a depthwise separable convolution: {k}×{k} depthwise, then 1×1 "
                     f"pointwise to {n} channels")
            terms = f"K²·M + M·N = {k * k}·{m} + {m}·{n}"
        else:
            block = f"a standard {k}×{k} convolution with {n} filters"
            terms = f"K²·M·N = {k * k}·{m}·{n}"
        call = "block_params" if what == "params" else "block_macs"
        value = getattr(architectures, call)(kind, **kwargs)
        size = kwargs["height"]
        explanation = (f"Weights: {terms} = "
                       f"{architectures.block_params(kind, **kwargs):,}.")
        if what == "macs":
            explanation += (f" Every weight is used once per output position, so MACs = "
                            f"{size}·{size} × that = {value:,}.")
        questions.append({
            "id": f"practice-block-{index + 1}",
            "type": "numeric",
            "prompt": (f"The input is {size}×{size}×{m} and the block is {block} (stride 1, "
                       "'same' padding, no biases, no batch norm). How many "
                       f"<b>{'weights' if what == 'params' else 'multiply-accumulates (MACs)'}"
                       "</b> does it have" + (" per image?" if what == "macs" else "?")),
            "answer": {"call": f"helpers.architectures.{call}",
                       "kwargs": {"kind": kind, **kwargs}},
            "value": value,
            "tolerance": 0,
            "explanation": explanation,
        })
    return questions


# ------------------------------------------------------------------ benchmarks

def benchmarks() -> dict:
    """Callback drivers for scripts/bench.py."""
    from helpers.widgets import cycle

    init_box = init_widget()
    for scheme in SCHEME_LABELS:          # the measurements are made once per stack, up front
        for activation in EXPLORER_ACTIVATIONS:
            stack_statistics(scheme, activation)
    cost_box = cost_widget()
    init_controls, cost_controls = init_box._dlbook_controls, cost_box._dlbook_controls
    return {
        "init explorer: depth": cycle(init_controls["depth"], list(range(2, MAX_DEPTH + 1))),
        "init explorer: scheme": cycle(init_controls["scheme"], list(SCHEME_LABELS)),
        "init explorer: activation": cycle(init_controls["activation"],
                                           list(EXPLORER_ACTIVATIONS)),
        "cost calculator: C_out": cycle(cost_controls["channels_out"],
                                        list(range(1, 513, 7))),
        "cost calculator: kernel": cycle(cost_controls["kernel_size"], [1, 3, 5, 7]),
    }


__all__ = ["stack_statistics", "init_explorer_svg", "init_widget", "init_static",
           "init_explorer", "cost_rows", "cost_svg", "cost_widget", "cost_static",
           "cost_calculator", "block_cost_practice", "benchmarks"]
