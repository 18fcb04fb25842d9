"""Lecture 02's widgets: activation explorer, gradient-descent stepper, universal approximation.

Each has the book's three faces: a pure function (:func:`activation_state`,
:func:`gd_state`, :func:`relu_fit`), a live ipywidgets UI whose callback only evaluates that
function and redraws a small SVG, and a kernel-free explorer of precomputed states for the
static book. :func:`gradient_practice` draws random tiny networks for
:func:`helpers.quiz.practice_quiz`, graded by :func:`helpers.autodiff.tiny_network_gradient`;
:func:`graph_diagram` draws a computational graph with its forward values and gradients.
"""

from __future__ import annotations

import html
import random
from collections.abc import Sequence

import numpy as np

from helpers import activations, autodiff
from helpers._checks import practice_count
from helpers.diagrams import Diagram
from helpers.explorers import Explorer, state_explorer
from helpers.widgets import live_drawing, show, wire
from helpers.widgets import svg_document as _svg

CURVE = "#3b6fb6"
SECOND = "#e8710a"
TARGET = "#2e7d32"
BAD = "#b3261e"



class _Panel:
    """A plot frame at (x0, y0) of size w × h mapping data ranges to pixels."""

    def __init__(self, x0, y0, w, h, xlim, ylim):
        self.x0, self.y0, self.w, self.h = x0, y0, w, h
        self.xlim, self.ylim = xlim, ylim

    def px(self, x):
        x = np.clip(np.asarray(x, float), self.xlim[0], self.xlim[1])
        return self.x0 + (x - self.xlim[0]) / \
            (self.xlim[1] - self.xlim[0]) * self.w

    def py(self, y):
        y = np.clip(np.asarray(y, float), self.ylim[0], self.ylim[1])
        return self.y0 + self.h - (y - self.ylim[0]) / (self.ylim[1] - self.ylim[0]) * self.h

    def frame(self, title, xlabel, ylabel, xticks, yticks) -> str:
        x0, y0, w, h = self.x0, self.y0, self.w, self.h
        parts = [f'<rect x="{x0}" y="{y0}" width="{w}" height="{h}" fill="none" '
                 'stroke="currentColor" stroke-opacity="0.5"/>',
                 f'<text x="{x0 + w / 2}" y="{y0 - 7}" font-size="12" text-anchor="middle">'
                 f"{html.escape(title)}</text>",
                 f'<text x="{x0 + w / 2}" y="{y0 + h + 27}" font-size="11" '
                 f'text-anchor="middle">{html.escape(xlabel)}</text>',
                 f'<text x="{x0 - 30}" y="{y0 + h / 2}" font-size="11" text-anchor="middle" '
                 f'transform="rotate(-90 {x0 - 30} {y0 + h / 2})">{html.escape(ylabel)}</text>']
        for tick in xticks:
            parts.append(f'<text x="{float(self.px(tick)):.1f}" y="{y0 + h + 12}" '
                         f'font-size="9" text-anchor="middle">{tick:g}</text>')
        for tick in yticks:
            parts.append(f'<text x="{x0 - 4}" y="{float(self.py(tick)) + 3:.1f}" font-size="9" '
                         f'text-anchor="end">{tick:g}</text>')
        if self.ylim[0] < 0 < self.ylim[1]:
            y = float(self.py(0))
            parts.append(f'<line x1="{x0}" x2="{x0 + w}" y1="{y:.1f}" y2="{y:.1f}" '
                         'stroke="currentColor" stroke-opacity="0.25"/>')
        return "".join(parts)

    def curve(self, xs, ys, colour=CURVE, width=2.0, dash="") -> str:
        points = " ".join(f"{a:.0f},{b:.0f}" for a, b in zip(self.px(xs), self.py(ys),
                                                             strict=True))
        extra = f' stroke-dasharray="{dash}"' if dash else ""
        return (f'<polyline points="{points}" fill="none" stroke="{colour}" '
                f'stroke-width="{width}"{extra}/>')

    def dot(self, x, y, colour=SECOND, r=4) -> str:
        return (f'<circle cx="{float(self.px(x)):.1f}" cy="{float(self.py(y)):.1f}" r="{r}" '
                f'fill="{colour}" stroke="white"/>')


def _lines(texts: Sequence[str], x: float, y: float, size: int = 11) -> str:
    return "".join(f'<text x="{x}" y="{y + 15 * i}" font-size="{size}">{html.escape(t)}</text>'
                   for i, t in enumerate(texts))


# ------------------------------------------------------------------ activation explorer

ACTIVATION_GRID = np.linspace(-5, 5, 61)
ALPHAS = (0.01, 0.2, 1.0)


def activation_state(name: str, alpha: float | None = None) -> dict:
    """f and f' on x in [-5, 5], with the numbers the explorer prints."""
    key = activations._check_name(name)
    alpha = alpha if key in activations.PARAMETERS else None
    values = activations.activation(key, ACTIVATION_GRID, alpha)
    slopes = activations.derivative(key, ACTIVATION_GRID, alpha)
    return {"name": key, "alpha": alpha, "x": ACTIVATION_GRID, "f": values, "df": slopes,
            "max_slope": float(slopes.max()),
            "slope_at_minus_4": float(activations.derivative(key, -4.0, alpha)),
            "slope_at_4": float(activations.derivative(key, 4.0, alpha))}


def activation_svg(name: str, alpha: float | None = None) -> str:
    """Two panels: the activation and its derivative, with saturation numbers."""
    state = activation_state(name, alpha)
    label = state["name"] + (f" (α = {state['alpha']:g})" if state["alpha"] is not None else "")
    left = _Panel(45, 24, 230, 150, (-5, 5), (-2, 5))
    right = _Panel(345, 24, 230, 150, (-5, 5), (-0.3, 1.5))
    body = [left.frame(f"{label}: f(x)", "x", "f(x)", (-4, -2, 0, 2, 4), (-2, 0, 2, 4)),
            left.curve(state["x"], state["f"]),
            right.frame("derivative f'(x)", "x", "f'(x)", (-4, -2, 0, 2, 4),
                        (0, 0.5, 1, 1.5)),
            right.curve(state["x"], state["df"], SECOND)]
    texts = [f"largest slope on [-5, 5]: {state['max_slope']:.3f}",
             f"slope at x = -4: {state['slope_at_minus_4']:.4f}   at x = 4: "
             f"{state['slope_at_4']:.4f}"]
    if state["name"] not in activations.PARAMETERS:
        texts.append("(no parameter: the α control does not change this function)")
    body.append(_lines(texts, 45, 218))
    return _svg(600, 262, "".join(body),
                f"{label} and its derivative; largest slope {state['max_slope']:.3f}")


def activation_widget(name: str = "sigmoid", alpha: float = 0.2):
    """Live explorer: a dropdown of activations and an α slider (Leaky ReLU, PReLU, ELU)."""
    import ipywidgets as w

    controls = {"name": w.Dropdown(options=list(activations.NAMES), value=name,
                                   description="function"),
                "alpha": w.FloatSlider(value=alpha, min=0.01, max=2.0, step=0.01,
                                       description="α", readout_format=".2f")}
    out = w.HTML()

    def update(_change=None):
        controls["alpha"].disabled = controls["name"].value not in activations.PARAMETERS
        out.value = activation_svg(controls["name"].value, controls["alpha"].value)

    return wire(w.VBox([*controls.values(), out]), controls, update, out)


def activation_static(name: str = "sigmoid") -> Explorer:
    names = list(activations.NAMES)
    return state_explorer([("name", "function", names, None),
                           ("alpha", "α (Leaky ReLU, PReLU, ELU)", list(ALPHAS),
                            [f"{a:g}" for a in ALPHAS])],
                          activation_svg, "Activation functions and their derivatives",
                          initial=[names.index(activations._check_name(name)), 1])


def activation_explorer(name: str = "sigmoid") -> None:
    """Show the activation explorer: live in Jupyter/Colab, kernel-free in the book."""
    show(activation_widget(name), activation_static(name))


# ------------------------------------------------------------------ gradient-descent stepper

LEARNING_RATES = (0.01, 0.1, 0.3, 0.5, 0.9, 1.0, 1.1)
STEPS = (0, 1, 2, 3, 5, 10, 20)


def bowl(theta):
    """The notes' loss f(θ) = θ² - 2θ + 1 = (θ - 1)²."""
    theta = np.asarray(theta, dtype=float)
    return theta ** 2 - 2 * theta + 1


def bowl_gradient(theta: float) -> float:
    return 2 * theta - 2


def gd_state(learning_rate: float, steps: int, theta0: float = 3.0) -> dict:
    """Gradient descent on the bowl: iterates, losses and what the run is doing."""
    thetas = autodiff.gradient_descent_1d(bowl_gradient, theta0, learning_rate, steps)
    factor = autodiff.quadratic_gd_factor(1.0, learning_rate)
    if abs(factor) < 1:
        kind = "converges" + (" while oscillating" if factor < 0 else "")
    elif abs(factor) == 1:
        kind = "oscillates for ever (|factor| = 1)"
    else:
        kind = "diverges"
    return {"thetas": thetas, "losses": bowl(thetas), "factor": factor, "kind": kind,
            "learning_rate": float(learning_rate)}


def gd_svg(learning_rate: float, steps: int, theta0: float = 3.0) -> str:
    state = gd_state(learning_rate, steps, theta0)
    panel = _Panel(45, 24, 300, 170, (-3, 5), (0, 16))
    grid = np.linspace(-3, 5, 41)
    body = [panel.frame(f"f(θ) = θ² - 2θ + 1, η = {learning_rate:g}", "θ", "f(θ)",
                        (-3, -1, 0, 1, 2, 3, 5), (0, 4, 8, 12, 16)),
            panel.curve(grid, bowl(grid), CURVE)]
    thetas, losses = state["thetas"], state["losses"]
    if thetas.size > 1:
        body.append(panel.curve(thetas, losses, SECOND, 1.2, "3 2"))
    for theta, loss in zip(thetas[:-1], losses[:-1], strict=True):
        body.append(panel.dot(theta, loss, "#8aa4c8", 3))
    body.append(panel.dot(thetas[-1], losses[-1], SECOND, 5))
    last = thetas[-1]
    shown = ", ".join(f"{t:.3g}" for t in thetas[:6]) + (" ..." if thetas.size > 6 else "")
    outside = ["θ is off the chart (the dot sits on its edge)"] if not -3 <= last <= 5 else []
    texts = [f"after {thetas.size - 1} step(s): θ = {last:.4g}, f(θ) = {bowl(last):.4g}",
             *outside,
             f"distance to θ* = 1 is multiplied by 1 - 2η = {state['factor']:+.2f} per step:",
             f"the run {state['kind']}",
             f"θ: {shown}"]
    body.append(_lines(texts, 370, 50))
    return _svg(690, 232, "".join(body),
                f"gradient descent with learning rate {learning_rate:g}: {state['kind']}; "
                f"theta after {thetas.size - 1} steps {last:.4g}")


def gd_widget(learning_rate: float = 0.1, steps: int = 5):
    import ipywidgets as w

    controls = {"learning_rate": w.FloatSlider(value=learning_rate, min=0.01, max=1.15,
                                               step=0.01, description="η",
                                               readout_format=".2f"),
                "steps": w.IntSlider(value=steps, min=0, max=30, description="steps")}
    return live_drawing(controls, gd_svg)


def gd_static(learning_rate: float = 0.1, steps: int = 5) -> Explorer:
    start = [int(np.argmin(np.abs(np.array(LEARNING_RATES) - learning_rate))),
             int(np.argmin(np.abs(np.array(STEPS) - steps)))]
    return state_explorer([("learning_rate", "learning rate η", list(LEARNING_RATES),
                            [f"{v:g}" for v in LEARNING_RATES]),
                           ("steps", "steps taken", list(STEPS), None)],
                          gd_svg, "Gradient descent on f(θ) = θ² - 2θ + 1, from θ = 3",
                          initial=start)


def gd_stepper(learning_rate: float = 0.1, steps: int = 5) -> None:
    """Show the gradient-descent stepper (three faces)."""
    show(gd_widget(learning_rate, steps), gd_static(learning_rate, steps))


# ------------------------------------------------------------------ universal approximation

TARGETS = {
    "sine": lambda x: np.sin(2 * np.pi * x),
    "bump": lambda x: np.exp(-((x - 0.35) ** 2) / 0.005),
    "step": lambda x: activations.sigmoid(60 * (x - 0.6)),
}
UNIT_COUNTS = (1, 2, 3, 4, 6, 8, 12, 16, 32)
FIT_GRID = np.linspace(0, 1, 401)


def relu_features(x, knots) -> np.ndarray:
    """Hidden layer of ReLU units relu(x - k_j): weight 1, bias -k_j, one column per unit."""
    return np.maximum(np.asarray(x, float)[:, None] - np.asarray(knots, float)[None, :], 0.0)


def relu_fit(target: str, units: int) -> dict:
    """Fit a 1-hidden-layer ReLU network with ``units`` units to a target on [0, 1].

    Unit j computes relu(x - j/units) (knots evenly spaced from 0); the output layer
    (weights ``v`` and bias ``c``) is solved by least squares on 401 points. Returns the
    fit, its max and RMS error, and Keras-shaped weights ``[W1 (1, n), b1 (n,), W2 (n, 1),
    b2 (1,)]`` so the same network can be built as ``Dense(n, relu) → Dense(1)``.
    """
    if target not in TARGETS:
        raise ValueError(f"unknown target {target!r}; choose one of {', '.join(TARGETS)}")
    if isinstance(units, bool) or not isinstance(units, (int, np.integer)) or \
            not 1 <= units <= 512:
        raise ValueError(f"units must be an integer from 1 to 512, got {units!r}")
    knots = np.arange(units) / units
    design = np.c_[relu_features(FIT_GRID, knots), np.ones(FIT_GRID.size)]
    y = TARGETS[target](FIT_GRID)
    coef, *_ = np.linalg.lstsq(design, y, rcond=None)
    fit = design @ coef
    weights = [np.ones((1, units)), -knots, coef[:-1, None], coef[-1:]]
    return {"x": FIT_GRID, "target": y, "fit": fit, "max_error": float(np.max(np.abs(fit - y))),
            "rms_error": float(np.sqrt(np.mean((fit - y) ** 2))), "weights": weights,
            "parameters": 3 * units + 1, "knots": knots}


def approximation_svg(target: str, units: int) -> str:
    state = relu_fit(target, units)
    panel = _Panel(45, 24, 340, 170, (0, 1), (-1.4, 1.4))
    body = [panel.frame(f"{units} ReLU unit(s) fitting the {target}", "x", "y",
                        (0, 0.25, 0.5, 0.75, 1), (-1, 0, 1)),
            panel.curve(state["x"][::4], state["target"][::4], TARGET, 2.5),
            panel.curve(state["x"][::2], state["fit"][::2], SECOND, 1.8)]
    texts = ["target (green) and network (orange)",
             f"{units} hidden units: {state['parameters']} parameters",
             f"max |error| {state['max_error']:.3f}",
             f"RMS error {state['rms_error']:.4f}",
             "each unit adds one kink; more units,",
             "smaller error (universal approximation)"]
    body.append(_lines(texts, 410, 50))
    return _svg(680, 232, "".join(body),
                f"{units} ReLU units fit the {target} with max error {state['max_error']:.3f}")


def approximation_widget(target: str = "sine", units: int = 4):
    import ipywidgets as w

    controls = {"target": w.Dropdown(options=list(TARGETS), value=target,
                                     description="target"),
                "units": w.IntSlider(value=units, min=1, max=64, description="ReLU units")}
    return live_drawing(controls, approximation_svg)


def approximation_static(target: str = "sine", units: int = 4) -> Explorer:
    start = [list(TARGETS).index(target), int(np.argmin(np.abs(np.array(UNIT_COUNTS) - units)))]
    return state_explorer([("target", "target function", list(TARGETS), None),
                           ("units", "ReLU units", list(UNIT_COUNTS), None)],
                          approximation_svg, "Universal approximation with ReLU units",
                          initial=start)


def approximation_explorer(target: str = "sine", units: int = 4) -> None:
    """Show the universal-approximation explorer (three faces)."""
    show(approximation_widget(target, units), approximation_static(target, units))


# ------------------------------------------------------------------ computational graph


def graph_diagram(nodes: dict[str, dict], title: str = "computational graph") -> Diagram:
    """Draw a computational graph: ``nodes`` maps a name to ``{"op": str, "inputs": [names],
    "value": float, "grad": float}`` in topological order (leaves have no inputs).

    Columns are depths (leaves at 0); each box shows the node, its forward value (black) and
    the gradient of the output with respect to it (orange), as reverse mode computes it.
    """
    if not isinstance(nodes, dict) or not nodes:
        raise TypeError("nodes must be a non-empty dict of name -> node description")
    depth: dict[str, int] = {}
    for name, node in nodes.items():
        inputs = node.get("inputs", [])
        missing = [i for i in inputs if i not in depth]
        if missing:
            raise ValueError(f"node {name!r} uses {missing} before they are defined")
        depth[name] = 1 + max((depth[i] for i in inputs), default=-1)
    # draw each leaf in the column just before its first consumer, so no edge crosses a box
    for name, node in nodes.items():
        if not node.get("inputs"):
            users = [depth[n] for n, other in nodes.items() if name in other.get("inputs", [])]
            depth[name] = max(min(users, default=1) - 1, 0)
    columns: dict[int, list[str]] = {}
    for name, d in depth.items():
        columns.setdefault(d, []).append(name)
    box_w, box_h, col_gap, row_gap = 104, 50, 40, 14
    rows = max(len(c) for c in columns.values())
    width = 20 + len(columns) * (box_w + col_gap) - col_gap + 20
    height = 30 + rows * (box_h + row_gap) + 10
    d = Diagram(width, height, f"{title}: " + ", ".join(
        f"{n} = {nd['op']}" for n, nd in nodes.items() if nd.get("inputs")))
    where = {}
    for col, names in sorted(columns.items()):
        top = 30 + (rows - len(names)) * (box_h + row_gap) / 2
        for i, name in enumerate(names):
            where[name] = (20 + col * (box_w + col_gap), top + i * (box_h + row_gap))
    for name, node in nodes.items():
        x, y = where[name]
        for source in node.get("inputs", []):
            sx, sy = where[source]
            d.arrow((sx + box_w, sy + box_h / 2), (x, y + box_h / 2), opacity=0.6)
    for name, node in nodes.items():
        x, y = where[name]
        tone = "green" if not node.get("inputs") else "blue"
        d.rect(x, y, box_w, box_h, tone=tone)
        d.text(x + box_w / 2, y + 12, f"{name} = {node['op']}", size=11, bold=True)
        d.text(x + box_w / 2, y + 28, f"value {node['value']:.4g}", size=10)
        d.text(x + box_w / 2, y + 42, f"grad {node['grad']:.4g}", size=10, tone="orange")
    d.text(width / 2, 12, "forward: values left to right · backward: gradients right to left",
           size=11, opacity=0.85)
    d.data = {"depth": depth}
    return d


# ------------------------------------------------------------------ practice generator


def gradient_practice(count: int = 3, seed: int | None = None) -> list[dict]:
    """Random tiny networks (2 inputs, 2 hidden units, 1 output, squared error on one
    example); the reader computes one entry of the gradient by backpropagation.

    Answers come from :func:`helpers.autodiff.tiny_network_gradient`.
    """
    count = practice_count(count)
    rng = random.Random(seed)
    questions = []

    def draw(n):
        return [round(rng.uniform(-1.5, 1.5), 1) + 0.0 for _ in range(n)]   # no -0.0

    for index in range(count):
        hidden = rng.choice(["relu", "sigmoid"])
        x, y = draw(2), [round(rng.uniform(-1, 1), 1) + 0.0]
        W1 = [draw(2), draw(2)]                    # W1[i][j]: input i -> hidden j
        b1, W2, b2 = draw(2), [[v] for v in draw(2)], draw(1)
        wrt, entry = rng.choice([("W2", (rng.randrange(2), 0)), ("b2", (0,)),
                                 ("W1", (rng.randrange(2), rng.randrange(2))),
                                 ("b1", (rng.randrange(2),))])
        kwargs = {"x": x, "y": y, "W1": W1, "b1": b1, "W2": W2, "b2": b2, "wrt": wrt,
                  "index": list(entry), "hidden": hidden, "loss": "mse"}
        value = autodiff.tiny_network_gradient(**kwargs)
        symbol = {"W1": f"W1[{entry[0]},{entry[1]}]" if wrt == "W1" else "",
                  "W2": f"W2[{entry[0]}]", "b1": f"b1[{entry[0]}]", "b2": "b2"}[wrt]
        prompt = (f"A network computes z = x·W1 + b1, h = {hidden}(z), ŷ = h·W2 + b2 and the "
                  f"loss L = (ŷ − y)² for one example x = {x}, y = {y[0]}, with "
                  f"W1 = {W1} (row i = input i), b1 = {b1}, W2 = {[w[0] for w in W2]}, "
                  f"b2 = {b2[0]}. What is <b>∂L/∂{symbol}</b>? (three decimals)")
        forward = autodiff.two_layer_forward(np.array([x]), W1, b1, W2, b2, hidden)
        questions.append({
            "id": f"practice-backprop-{index + 1}",
            "type": "numeric",
            "prompt": prompt,
            "answer": {"call": "helpers.autodiff.tiny_network_gradient", "kwargs": kwargs},
            "value": value,
            "tolerance": 0.002,
            "explanation": (f"Forward: z = {np.round(forward['Z1'][0], 4).tolist()}, h = "
                            f"{np.round(forward['H'][0], 4).tolist()}, ŷ = "
                            f"{forward['Z2'][0, 0]:.4f}. Backward: δ = ∂L/∂ŷ = 2(ŷ − y) = "
                            f"{2 * (forward['Z2'][0, 0] - y[0]):.4f}; then multiply by the "
                            f"local derivatives on the path to {symbol}: {value:.4f}."),
        })
    return questions


# ------------------------------------------------------------------ benchmarks


def benchmarks() -> dict:
    """Callback drivers for scripts/bench.py (each call moves one control)."""
    from helpers.widgets import cycle

    act = activation_widget()
    gd = gd_widget()
    ua = approximation_widget()
    return {
        "activation explorer: function": cycle(act._dlbook_controls["name"],
                                               list(activations.NAMES)),
        "activation explorer: alpha": cycle(act._dlbook_controls["alpha"],
                                            list(np.round(np.linspace(0.01, 2, 50), 2))),
        "GD stepper: learning rate": cycle(gd._dlbook_controls["learning_rate"],
                                           list(np.round(np.linspace(0.01, 1.15, 60), 2))),
        "GD stepper: steps": cycle(gd._dlbook_controls["steps"], list(range(31))),
        "universal approximation: units": cycle(ua._dlbook_controls["units"],
                                                list(range(1, 65))),
    }
