"""Lecture 05's widgets: the optimiser race and the learning-rate range-test explorer.

Three faces each. The pure functions are :func:`race` (trajectories from
:func:`helpers.optim.minimise`) and :func:`range_test_state` (a reading of a range-test curve
by :func:`helpers.optim.suggest_learning_rate`); the live ipywidgets UIs call them and redraw
an SVG; the static explorers step through precomputed states. :func:`step_practice` draws
fresh one-step Adam / momentum questions for :func:`helpers.quiz.practice_quiz`, graded by
:func:`helpers.optim.step_value`.
"""

from __future__ import annotations

import html
import random
from functools import lru_cache

import numpy as np

from helpers import optim
from helpers._checks import practice_count
from helpers.explorers import Explorer, state_explorer
from helpers.widgets import show, wire
from helpers.widgets import svg_document as _svg

COLOURS = {"sgd": "#1f77b4", "momentum": "#ff7f0e", "nesterov": "#8c564b",
           "adagrad": "#2ca02c", "rmsprop": "#9467bd", "adam": "#d62728",
           "adadelta": "#17becf"}
LABELS = {"sgd": "SGD", "momentum": "momentum", "nesterov": "Nesterov", "adagrad": "AdaGrad",
          "rmsprop": "RMSProp", "adam": "Adam", "adadelta": "AdaDelta"}

# Each surface: how to build it, the starting points offered, the number of steps, and a base
# learning rate per optimiser that works there (the race's "learning rate ×" scales them all).
# AdaDelta's base rate is 1, Zeiler's rule without a learning rate (Keras' default is 0.001).
RACES = {
    "ill-conditioned bowl": {
        "surface": ("quadratic", {"condition_number": 50.0, "angle": 30.0}),
        "starts": {"left": (-2.0, 1.0), "right": (1.8, 1.2)}, "steps": 100,
        "rates": {"sgd": 0.02, "momentum": 0.02, "nesterov": 0.02, "adagrad": 0.5,
                  "rmsprop": 0.05, "adam": 0.1, "adadelta": 1.0}},
    "Rosenbrock": {
        "surface": ("rosenbrock", {}),
        "starts": {"(-1.2, 1)": (-1.2, 1.0), "(0.5, 2.5)": (0.5, 2.5)}, "steps": 200,
        "rates": {"sgd": 0.002, "momentum": 0.0005, "nesterov": 0.0005, "adagrad": 0.5,
                  "rmsprop": 0.02, "adam": 0.2, "adadelta": 1.0}},
}
SCALES = (0.5, 1.0, 2.0)
MOMENTA = (0.5, 0.9, 0.97)


def _check_race(surface: str, optimisers, lr_scale: float, momentum: float, start: str):
    if surface not in RACES:
        raise ValueError(f"surface must be one of {', '.join(RACES)}, got {surface!r}")
    if isinstance(optimisers, str):
        optimisers = [optimisers]
    chosen = [optim._check_name(name) for name in optimisers]
    if not chosen:
        raise ValueError("choose at least one optimiser")
    if isinstance(lr_scale, bool) or not isinstance(lr_scale, (int, float)) \
            or not 0 < lr_scale <= 100:
        raise ValueError(f"lr_scale must be a number in (0, 100], got {lr_scale!r}")
    if isinstance(momentum, bool) or not isinstance(momentum, (int, float)) \
            or not 0 <= momentum < 1:
        raise ValueError(f"momentum must be in [0, 1), got {momentum!r}")
    if start not in RACES[surface]["starts"]:
        raise ValueError(f"start must be one of {', '.join(RACES[surface]['starts'])}, "
                         f"got {start!r}")
    return chosen


@lru_cache(maxsize=8)
def _surface(surface: str) -> optim.Surface:
    name, kwargs = RACES[surface]["surface"]
    return optim.SURFACES[name](**kwargs)


@lru_cache(maxsize=512)
def _trajectory(surface: str, name: str, lr_scale: float, momentum: float, start: str):
    spec = RACES[surface]
    hyper = {"learning_rate": spec["rates"][name] * lr_scale}
    if name in ("momentum", "nesterov"):
        hyper["momentum"] = momentum
    path = optim.minimise(name, _surface(surface).grad, spec["starts"][start], spec["steps"],
                          **hyper)
    return path, hyper


def race(surface: str = "ill-conditioned bowl", optimisers=optim.OPTIMISERS,
         lr_scale: float = 1.0, momentum: float = 0.9, start: str | None = None) -> dict:
    """Run the chosen optimisers from one start; return paths, losses and learning rates.

    ``{"surface", "steps", "runs": {name: {"path", "loss", "learning_rate", "diverged_at"}}}``;
    a run whose loss grows 10,000-fold (or overflows) is cut there: its path and loss end in
    ``nan`` and ``diverged_at`` is the first such step.
    """
    start = start if start is not None else next(iter(RACES.get(surface, {"starts": [""]})
                                                       ["starts"]))
    chosen = _check_race(surface, optimisers, lr_scale, momentum, start)
    runs = {}
    for name in chosen:
        mu = float(momentum) if name in ("momentum", "nesterov") else 0.0   # cache key
        path, hyper = _trajectory(surface, name, float(lr_scale), mu, start)
        with np.errstate(over="ignore", invalid="ignore"):
            loss = _surface(surface).f(path)
            # diverged: the loss stops being a number or grows 10,000-fold past the start
            bad = np.flatnonzero(~np.isfinite(loss) | (loss > 1e4 * max(loss[0], 1e-3)))
        if bad.size:
            path, loss = path.copy(), loss.copy()
            path[bad[0]:], loss[bad[0]:] = np.nan, np.nan
        runs[name] = {"path": path, "loss": loss,
                      "learning_rate": hyper["learning_rate"],
                      "diverged_at": int(bad[0]) if bad.size else None}
    return {"surface": surface, "steps": RACES[surface]["steps"], "runs": runs}


# ------------------------------------------------------------------ drawing

MAP = (34, 22, 300, 200)          # x, y, width, height of the contour panel
CURVE = (400, 22, 230, 200)       # the loss panel



def _text(x, y, text, size=11, anchor="start", extra=""):
    return (f'<text x="{x:.0f}" y="{y:.0f}" font-size="{size}" text-anchor="{anchor}" '
            f'{extra}>{html.escape(str(text))}</text>')


def _to_map(surface: str, xs, ys):
    x0, x1, y0, y1 = _surface(surface).extent
    px = MAP[0] + (np.asarray(xs) - x0) / (x1 - x0) * MAP[2]
    py = MAP[1] + MAP[3] - (np.asarray(ys) - y0) / (y1 - y0) * MAP[3]
    return px, py


def _simplify(xs: list, ys: list, tolerance: float) -> list[int]:
    """Indices kept by Ramer-Douglas-Peucker: drop points within ``tolerance`` px of the chord."""
    keep, stack = {0, len(xs) - 1}, [(0, len(xs) - 1)]
    while stack:
        first, last = stack.pop()
        if last - first < 2:
            continue
        x0, y0, x1, y1 = xs[first], ys[first], xs[last], ys[last]
        dx, dy = x1 - x0, y1 - y0
        norm = (dx * dx + dy * dy) ** 0.5
        worst, worst_at = -1.0, first
        for index in range(first + 1, last):
            if norm > 1e-9:
                distance = abs(dy * (xs[index] - x0) - dx * (ys[index] - y0)) / norm
            else:
                distance = abs(xs[index] - x0) + abs(ys[index] - y0)
            if distance > worst:
                worst, worst_at = distance, index
        if worst > tolerance:
            keep.add(worst_at)
            stack += [(first, worst_at), (worst_at, last)]
    return sorted(keep)


def _points(px, py, tolerance: float | None = 0.7) -> str:
    """SVG points of the finite prefix of a curve, simplified to ``tolerance`` pixels
    (``None``: every point, cheaper to compute, for the live widget)."""
    px, py = np.atleast_1d(np.asarray(px, dtype=float)), np.atleast_1d(np.asarray(py, float))
    bad = np.flatnonzero(~(np.isfinite(px) & np.isfinite(py)))
    end = int(bad[0]) if bad.size else px.size
    if end == 0:
        return ""
    xs = np.clip(px[:end], -50, 1000).tolist()
    ys = np.clip(py[:end], -50, 1000).tolist()
    kept = range(end) if tolerance is None else _simplify(xs, ys, tolerance)
    return " ".join(f"{xs[i]:.0f},{ys[i]:.0f}" for i in kept)


@lru_cache(maxsize=8)
def _contours(surface: str) -> str:
    """The surface's contour lines as SVG paths in panel pixels (computed once)."""
    import contourpy

    s = _surface(surface)
    x0, x1, y0, y1 = s.extent
    xs, ys = np.linspace(x0, x1, 160), np.linspace(y0, y1, 140)
    grid_x, grid_y = np.meshgrid(xs, ys)
    values = s.f(np.stack([grid_x, grid_y], -1))
    low = max(values.min(), 1e-3)
    levels = (np.geomspace(max(low, 0.3), values.max(), 6) if s.log_levels
              else np.geomspace(0.02, values.max() * 0.8, 6))
    generator = contourpy.contour_generator(grid_x, grid_y, values)
    parts = [f'<rect x="{MAP[0]}" y="{MAP[1]}" width="{MAP[2]}" height="{MAP[3]}" '
             'fill="none" stroke="currentColor" stroke-opacity="0.5"/>']
    for level in levels:
        for line in generator.lines(level):
            px, py = _to_map(surface, line[:, 0], line[:, 1])
            parts.append(f'<polyline points="{_points(px, py, 1.5)}" fill="none" '
                         'stroke="currentColor" stroke-opacity="0.25" stroke-width="1"/>')
    for mx, my in s.minima:
        px, py = _to_map(surface, mx, my)
        parts.append(f'<text x="{float(px):.0f}" y="{float(py) + 5:.0f}" font-size="14" '
                     'text-anchor="middle">★</text>')
    parts.append(_text(MAP[0] + MAP[2] / 2, MAP[1] - 7, f"Paths on the {surface}", 12,
                       "middle"))
    parts.append(_text(MAP[0] + MAP[2] / 2, MAP[1] + MAP[3] + 14, "x", 11, "middle"))
    parts.append(_text(MAP[0] - 10, MAP[1] + MAP[3] / 2, "y", 11, "middle"))
    return "".join(parts)


def race_svg(surface: str = "ill-conditioned bowl", optimisers=optim.OPTIMISERS,
             lr_scale: float = 1.0, momentum: float = 0.9, start: str | None = None,
             compact: bool = False) -> str:
    """Contours with every path (left), loss against step on a log scale (right), legend.

    ``compact`` simplifies the curves (to 1 px) for the static book, where every state is
    stored; the live widget draws every point, which is quicker to compute.
    """
    tolerance = 1.0 if compact else None
    result = race(surface, optimisers, lr_scale, momentum, start)
    steps = result["steps"]
    # paths that overshoot the plotted box are cut at its edge, not drawn over the labels
    clip_id = "dlbook-race-clip-" + ("bowl" if surface.startswith("ill") else "rosenbrock")
    parts = [f'<defs><clipPath id="{clip_id}"><rect x="{MAP[0]}" y="{MAP[1]}" '
             f'width="{MAP[2]}" height="{MAP[3]}"/></clipPath></defs>', _contours(surface)]
    cx, cy, cw, ch = CURVE
    low, high = -8, 3                                   # log10 loss range drawn
    parts.append(f'<rect x="{cx}" y="{cy}" width="{cw}" height="{ch}" fill="none" '
                 'stroke="currentColor" stroke-opacity="0.5"/>')
    parts.append(_text(cx + cw / 2, cy - 7, "Loss against step (log scale)", 12, "middle"))
    for power in range(low, high + 1, 2):
        y = cy + ch - (power - low) / (high - low) * ch
        parts.append(_text(cx - 4, y + 3, f"1e{power}", 9, "end"))
    for tick in (0, steps // 2, steps):
        parts.append(_text(cx + tick / steps * cw, cy + ch + 13, tick, 9, "middle"))
    parts.append(_text(cx + cw / 2, cy + ch + 26, "step", 10, "middle"))
    legend = []
    for index, (name, run) in enumerate(result["runs"].items()):
        colour = COLOURS[name]
        px, py = _to_map(surface, run["path"][:, 0], run["path"][:, 1])
        parts.append(f'<polyline points="{_points(px, py, tolerance)}" fill="none" '
                     f'stroke="{colour}" stroke-width="1.6" stroke-opacity="0.9" '
                     f'clip-path="url(#{clip_id})"/>')
        with np.errstate(divide="ignore", invalid="ignore"):
            logs = np.log10(np.maximum(run["loss"], 1e-12))
        lx = cx + np.arange(steps + 1) / steps * cw
        ly = cy + ch - (np.clip(logs, low, high) - low) / (high - low) * ch
        parts.append(f'<polyline points="{_points(lx, ly, tolerance)}" fill="none" '
                     f'stroke="{colour}" stroke-width="1.6"/>')
        final = run["loss"][np.isfinite(run["loss"])][-1]
        status = (f"diverged at step {run['diverged_at']}" if run["diverged_at"] is not None
                  else f"final loss {final:.2g}")
        column, row = index % 2, index // 2
        x, y = 34 + column * 300, 282 + row * 15
        legend.append(f'<rect x="{x}" y="{y - 8}" width="12" height="4" fill="{colour}"/>'
                      + _text(x + 16, y - 3, f"{LABELS[name]} (η = {run['learning_rate']:.3g})"
                              f": {status}", 10))
    start = start if start is not None else next(iter(RACES[surface]["starts"]))
    sx, sy = _to_map(surface, *RACES[surface]["starts"][start])
    parts.append(f'<circle cx="{float(sx):.0f}" cy="{float(sy):.0f}" r="4" fill="none" '
                 'stroke="currentColor" stroke-width="1.5"/>')
    title = (f"start {start}, learning rates × {lr_scale:g}, momentum {momentum:g} "
             f"(momentum and Nesterov only), {steps} steps")
    parts.append(_text(34, 262, title, 10))
    height = 282 + 15 * ((len(result["runs"]) + 1) // 2)
    label = (f"Optimiser race on the {surface}: "
             + "; ".join(f"{LABELS[n]} " + (f"diverged at step {r['diverged_at']}"
                                            if r["diverged_at"] is not None else
                                            f"final loss {r['loss'][-1]:.2g}")
                         for n, r in result["runs"].items()))
    return _svg(650, height, "".join(legend) + "".join(parts), label)


def race_widget(surface: str = "ill-conditioned bowl", optimisers=("sgd", "momentum",
                                                                    "rmsprop", "adam")):
    """Live race: pick the surface, optimisers, learning-rate scale, momentum and start."""
    import ipywidgets as w

    starts = list(RACES[surface]["starts"])
    controls = {
        "surface": w.Dropdown(options=list(RACES), value=surface, description="surface",
                              layout=w.Layout(width="300px")),
        "optimisers": w.SelectMultiple(options=[(LABELS[n], n) for n in optim.OPTIMISERS],
                                       value=tuple(optimisers), rows=7,
                                       description="optimisers"),
        "lr_scale": w.FloatLogSlider(value=1.0, base=2, min=-3, max=2, step=0.25,
                                     description="η ×", readout_format=".3g",
                                     layout=w.Layout(width="360px")),
        "momentum": w.FloatSlider(value=0.9, min=0.0, max=0.99, step=0.01,
                                  description="momentum", layout=w.Layout(width="360px")),
        "start": w.Dropdown(options=starts, value=starts[0], description="start",
                            layout=w.Layout(width="300px")),
    }
    out = w.HTML()

    def update(_change=None):
        names = list(RACES[controls["surface"].value]["starts"])
        if controls["start"].value not in names:
            controls["start"].options = names           # triggers update again
            return
        chosen = controls["optimisers"].value or ("sgd",)
        out.value = race_svg(controls["surface"].value, chosen, controls["lr_scale"].value,
                             controls["momentum"].value, controls["start"].value)

    box = w.VBox([w.HBox([w.VBox([controls["surface"], controls["start"],
                                  controls["lr_scale"], controls["momentum"]]),
                          controls["optimisers"]]), out])
    return wire(box, controls, update, out)


def race_static(surface: str = "ill-conditioned bowl") -> Explorer:
    """Every (surface, learning-rate scale, momentum) state, all seven optimisers, each from
    its surface's first start (the live widget also offers the other starts)."""
    if surface not in RACES:
        raise ValueError(f"surface must be one of {', '.join(RACES)}, got {surface!r}")
    surfaces = list(RACES)
    return state_explorer(
        [("surface", "surface", surfaces, None),
         ("lr_scale", "learning rates ×", list(SCALES), [f"{s:g}" for s in SCALES]),
         ("momentum", "momentum (momentum, Nesterov)", list(MOMENTA),
          [f"{m:g}" for m in MOMENTA])],
        lambda surface, lr_scale, momentum: race_svg(surface, optim.OPTIMISERS, lr_scale,
                                                     momentum, None, compact=True),
        "Optimiser race, all seven optimisers from the first start (in a live notebook: "
        "choose optimisers and the start too)",
        initial=[surfaces.index(surface), SCALES.index(1.0), MOMENTA.index(0.9)])


def race_explorer(surface: str = "ill-conditioned bowl") -> None:
    """Show the optimiser race: live in Jupyter/Colab, kernel-free in the book."""
    if surface not in RACES:
        raise ValueError(f"surface must be one of {', '.join(RACES)}, got {surface!r}")
    show(race_widget(surface), race_static(surface))


# ------------------------------------------------------------------ range-test explorer

class RangeTestView:
    """One learning-rate range test (rates, losses); :meth:`svg` draws a chosen rate on it."""

    def __init__(self, rates, losses, beta: float = 0.9):
        self.rates = np.asarray(rates, dtype=np.float64)
        self.losses = np.asarray(losses, dtype=np.float64)
        self.reading = optim.suggest_learning_rate(self.rates, self.losses, beta)
        self.smoothed = optim.smooth(self.losses, beta)
        finite = self.smoothed[np.isfinite(self.smoothed)]
        self.ymax = float(min(finite.max(), 3 * finite[0]) * 1.05)
        self.ymin = float(finite.min() * 0.9)
        self._frame = self._draw_frame()

    def _xy(self, rate, loss):
        lx = np.log10(self.rates)
        x = 50 + (np.log10(rate) - lx[0]) / (lx[-1] - lx[0]) * 420
        y = 20 + 200 - (np.clip(loss, self.ymin, self.ymax) - self.ymin) / (
            self.ymax - self.ymin) * 200
        return x, y

    def _draw_frame(self) -> str:
        parts = ['<rect x="50" y="20" width="420" height="200" fill="none" '
                 'stroke="currentColor" stroke-opacity="0.5"/>',
                 _text(260, 13, "Learning-rate range test: loss against learning rate", 12,
                       "middle"),
                 _text(260, 250, "learning rate (log scale)", 11, "middle"),
                 _text(14, 120, "training loss", 11, "middle",
                       'transform="rotate(-90 14 120)"')]
        for power in range(int(np.floor(np.log10(self.rates[0]))),
                           int(np.ceil(np.log10(self.rates[-1]))) + 1):
            x, _ = self._xy(10.0 ** power, self.ymin)
            if 49 <= x <= 471:
                parts.append(_text(x, 234, f"1e{power}", 9, "middle"))
        for value in np.linspace(self.ymin, self.ymax, 4):
            _, y = self._xy(self.rates[0], value)
            parts.append(_text(46, y + 3, f"{value:.2f}", 9, "end"))
        x, y = self._xy(self.rates, self.losses)
        parts.append(f'<polyline points="{_points(x, y)}" fill="none" '
                     'stroke="#8aa4c8" stroke-width="1"/>')
        x, y = self._xy(self.rates, self.smoothed)
        parts.append(f'<polyline points="{_points(x, y)}" fill="none" '
                     'stroke="#1f4e9a" stroke-width="2"/>')
        for key, colour in (("min_loss_rate", "#b3261e"), ("suggested", "#2e7d32")):
            x, _ = self._xy(self.reading[key], self.ymin)
            parts.append(f'<line x1="{x:.0f}" x2="{x:.0f}" y1="20" y2="220" stroke="{colour}" '
                         'stroke-dasharray="4 3"/>')
        return "".join(parts)

    def state(self, rate: float) -> dict:
        return range_test_state(self.rates, self.smoothed, rate, self.reading)

    def svg(self, rate: float) -> str:
        state = self.state(rate)
        x, y = self._xy(rate, state["smoothed_loss"])
        lines = [f"chosen η = {rate:.3g}: smoothed loss {state['smoothed_loss']:.3f}, "
                 f"{state['verdict']}",
                 f"lowest smoothed loss at η = {self.reading['min_loss_rate']:.3g} (red); "
                 f"rule of thumb: ten times lower, η = {self.reading['suggested']:.3g} (green)"]
        body = (self._frame + f'<circle cx="{x:.0f}" cy="{y:.0f}" r="6" fill="#e8710a" '
                'stroke="white"/>' + "".join(_text(10, 272 + 15 * i, line, 10)
                                            for i, line in enumerate(lines)))
        return _svg(520, 300, body, lines[0])


def range_test_state(rates, smoothed, rate: float, reading: dict) -> dict:
    """Where ``rate`` falls on a (smoothed) range-test curve, and what that means."""
    rates = np.asarray(rates, dtype=np.float64)
    if isinstance(rate, bool) or not isinstance(rate, (int, float, np.floating)):
        raise TypeError(f"rate must be a number, got {rate!r}")
    if not rates[0] <= rate <= rates[-1]:
        raise ValueError(f"rate must lie in the tested range [{rates[0]:.3g}, "
                         f"{rates[-1]:.3g}], got {rate!r}")
    loss = float(np.interp(np.log(rate), np.log(rates), smoothed))
    best = reading["min_loss_rate"]
    if rate > best:
        verdict = "past the lowest loss: too large, training would be unstable or diverge"
    elif rate > best / 3:
        verdict = "near the edge: fast at first, but close to where the loss blows up"
    elif rate >= best / 30:
        verdict = "in the good range: the loss falls quickly here and stays stable"
    else:
        verdict = "too small: the loss hardly moves, training would be slow"
    return {"rate": float(rate), "smoothed_loss": loss, "verdict": verdict}


def range_test_widget(view: RangeTestView, rate: float | None = None):
    import ipywidgets as w

    lo, hi = np.log10(view.rates[0]), np.log10(view.rates[-1])
    start = rate if rate is not None else view.reading["suggested"]
    controls = {"rate": w.FloatLogSlider(value=start, base=10, min=lo, max=hi, step=0.05,
                                         description="η", readout_format=".2e",
                                         layout=w.Layout(width="420px"))}
    out = w.HTML()

    def update(_change=None):
        out.value = view.svg(float(np.clip(controls["rate"].value, view.rates[0],
                                           view.rates[-1])))

    return wire(w.VBox([controls["rate"], out]), controls, update, out)


def range_test_static(view: RangeTestView, count: int = 15) -> Explorer:
    values = np.geomspace(view.rates[0], view.rates[-1], count)
    start = int(np.argmin(np.abs(np.log(values) - np.log(view.reading["suggested"]))))
    return state_explorer([("rate", "learning rate", list(values),
                            [f"{v:.2e}" for v in values])],
                          lambda rate: view.svg(float(rate)),
                          "Learning-rate range test: where does your rate fall?",
                          initial=[start])


def range_test_explorer(rates, losses, rate: float | None = None) -> None:
    """Show the range-test explorer for a measured curve (rates increasing, one loss each)."""
    view = RangeTestView(rates, losses)
    show(range_test_widget(view, rate), range_test_static(view))


# ------------------------------------------------------------------ practice generator

def step_practice(count: int = 3, seed: int | None = None) -> list[dict]:
    """Fresh one-step questions: an Adam step (with bias correction) or a momentum step."""
    count = practice_count(count)
    rng = random.Random(seed)
    questions = []
    for index in range(count):
        param = round(rng.uniform(-2, 2), 2)
        gradient = round(rng.choice([-1, 1]) * rng.uniform(0.1, 3), 2)
        if index % 2 == 0:
            lr = rng.choice([0.1, 0.01, 0.05])
            step = rng.choice([1, 1, 2, 3])
            m = 0.0 if step == 1 else round(rng.uniform(-0.5, 0.5), 2)
            v = 0.0 if step == 1 else round(rng.uniform(0.01, 0.5), 2)
            kwargs = {"optimiser": "adam", "param": param, "gradient": gradient,
                      "step": step, "m": m, "v": v, "learning_rate": lr}
            value = optim.step_value(**kwargs)
            m_new, v_new = 0.9 * m + 0.1 * gradient, 0.999 * v + 0.001 * gradient ** 2
            m_hat, v_hat = m_new / (1 - 0.9 ** step), v_new / (1 - 0.999 ** step)
            prompt = (f"Adam (β₁ = 0.9, β₂ = 0.999, ε ≈ 0, η = {lr}) takes step t = {step} "
                      f"on a weight θ = {param}. Before the step m = {m}, v = {v}; the "
                      f"gradient is g = {gradient}. What is θ after the step? (4 decimals)")
            explanation = (f"m = 0.9·{m} + 0.1·{gradient} = {m_new:.5g}; v = 0.999·{v} + "
                           f"0.001·{gradient}² = {v_new:.5g}; m̂ = m/(1 − 0.9^{step}) = "
                           f"{m_hat:.5g}, v̂ = v/(1 − 0.999^{step}) = {v_hat:.5g}; θ − η·m̂/√v̂ "
                           f"= {value:.4f}." + (" At t = 1 the step is η·sign(g): bias "
                                                "correction undoes the zero start."
                                                if step == 1 else ""))
        else:
            lr = rng.choice([0.1, 0.01, 0.2])
            mu = rng.choice([0.9, 0.5, 0.8])
            velocity = round(rng.uniform(-0.5, 0.5), 2)
            kwargs = {"optimiser": "momentum", "param": param, "gradient": gradient,
                      "velocity": velocity, "learning_rate": lr, "momentum": mu}
            value = optim.step_value(**kwargs)
            v_new = mu * velocity - lr * gradient
            prompt = (f"SGD with momentum (Keras' form: v ← μv − ηg, θ ← θ + v) has μ = {mu}, "
                      f"η = {lr}, velocity v = {velocity} and weight θ = {param}. The gradient "
                      f"is g = {gradient}. What is θ after the step? (4 decimals)")
            explanation = (f"v = {mu}·{velocity} − {lr}·{gradient} = {v_new:.5g}; "
                           f"θ = {param} + {v_new:.5g} = {value:.4f}.")
        questions.append({
            "id": f"practice-step-{index + 1}", "type": "numeric", "prompt": prompt,
            "answer": {"call": "helpers.optim.step_value", "kwargs": kwargs},
            "value": value, "tolerance": 0.0006, "explanation": explanation})
    return questions


# ------------------------------------------------------------------ benchmarks

def benchmarks() -> dict:
    """Callback drivers for scripts/bench.py. Every call sets a value not used before, so the
    race's cache never answers for the optimisers the change affects: moving η× re-runs all
    four shown, moving the momentum re-runs the momentum optimiser (the others are cached,
    as they are for a reader)."""
    from helpers.widgets import cycle

    bowl = race_widget("ill-conditioned bowl")
    rosen = race_widget("Rosenbrock")
    rates = optim.range_test_rates(1e-5, 1.0, 120)
    losses = 2.3 - 0.8 * np.tanh(np.log10(rates) + 3) + np.where(rates > 0.2, 8 * rates, 0)
    range_box = range_test_widget(RangeTestView(rates, losses))
    return {
        "race (bowl, 4 optimisers): η ×": cycle(
            bowl._dlbook_controls["lr_scale"], list(np.geomspace(0.25, 3.9, 2000))),
        "race (Rosenbrock, 4 optimisers): momentum": cycle(
            rosen._dlbook_controls["momentum"], list(np.linspace(0.5, 0.98, 2000))),
        "range test: learning rate": cycle(range_box._dlbook_controls["rate"],
                                           list(np.geomspace(1e-5, 0.9, 40))),
    }
