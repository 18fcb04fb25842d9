"""Lecture 01's widgets: the decision-threshold slider and the cross-entropy explorer.

Both have the book's three faces: the pure functions they call (:func:`helpers.metrics.
threshold_counts`, :func:`helpers.information.cross_entropy`), a live ipywidgets UI whose
callback only recomputes those numbers and redraws an SVG (well under a millisecond of NumPy
plus string building), and a kernel-free explorer of precomputed states for the static book.
:func:`confusion_practice` draws fresh confusion matrices for :func:`helpers.quiz.practice_quiz`,
graded by :func:`helpers.metrics.from_confusion`.
"""

from __future__ import annotations

import html
import random
from collections.abc import Sequence

import numpy as np

from helpers import information, metrics
from helpers._checks import practice_count
from helpers.explorers import Explorer, state_explorer
from helpers.widgets import show, wire
from helpers.widgets import svg_document as _svg

POSITIVE_COLOUR = "#2e7d32"
NEGATIVE_COLOUR = "#b3261e"
CURVE_COLOUR = "#3b6fb6"
POINT_COLOUR = "#e8710a"
FONT = ""           # text inherits font and colour from the <g> that _svg wraps around it



def _axes(x0: float, y0: float, size: float, title: str, xlabel: str, ylabel: str,
          ymax: float = 1.0, yticks: Sequence[float] = (0, 0.5, 1)) -> str:
    """A square plot frame with its top-left corner at (x0, y0), x in [0, 1], y in [0, ymax]."""
    parts = [f'<rect x="{x0}" y="{y0}" width="{size}" height="{size}" fill="none" '
             'stroke="currentColor" stroke-opacity="0.5"/>',
             f'<text x="{x0 + size / 2}" y="{y0 - 6}" font-size="12" text-anchor="middle" '
             f'{FONT}>{html.escape(title)}</text>',
             f'<text x="{x0 + size / 2}" y="{y0 + size + 28}" font-size="11" '
             f'text-anchor="middle" {FONT}>{html.escape(xlabel)}</text>',
             f'<text x="{x0 - 30}" y="{y0 + size / 2}" font-size="11" text-anchor="middle" '
             f'transform="rotate(-90 {x0 - 30} {y0 + size / 2})" {FONT}>'
             f'{html.escape(ylabel)}</text>']
    for tick in (0, 0.5, 1):
        x = x0 + tick * size
        parts.append(f'<text x="{x:.1f}" y="{y0 + size + 13}" font-size="10" '
                     f'text-anchor="middle" {FONT}>{tick:g}</text>')
    for tick in yticks:
        y = y0 + size - tick / ymax * size
        parts.append(f'<text x="{x0 - 4}" y="{y + 3:.1f}" font-size="10" text-anchor="end" '
                     f'{FONT}>{tick:g}</text>')
    return "".join(parts)


def _polyline(xs, ys, x0: float, y0: float, size: float, ymax: float = 1.0,
              colour: str = CURVE_COLOUR, extra: str = "") -> str:
    kept, last = [], None
    xs, ys = np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)
    for index, (x, y) in enumerate(zip(xs, ys, strict=True)):
        point = (x0 + x * size, y0 + size - min(y, ymax) / ymax * size)
        # thin the curve: skip points less than a pixel from the last one kept
        if last is None or index == xs.size - 1 or \
                abs(point[0] - last[0]) + abs(point[1] - last[1]) >= 1.0:
            kept.append(point)
            last = point
    points = " ".join(f"{x:.1f},{y:.1f}" for x, y in kept)
    return (f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2" '
            f'{extra}/>')


# ------------------------------------------------------------------ decision threshold


class ThresholdView:
    """Precomputed curves of one binary scorer; :meth:`svg` draws one threshold's state."""

    def __init__(self, y_true, scores, positive_name: str = "positive",
                 negative_name: str = "negative"):
        self.y_true = np.asarray(y_true)
        self.scores = np.asarray(scores, dtype=np.float64)
        self.fpr, self.tpr, _ = metrics.roc_curve(self.y_true, self.scores)
        self.precision, self.recall, _ = metrics.precision_recall_curve(self.y_true, self.scores)
        self.area = metrics.auc(self.fpr, self.tpr)
        self.names = (str(positive_name), str(negative_name))
        self._roc = _polyline(self.fpr, self.tpr, 300, 24, 150)
        self._pr = _polyline(self.recall, self.precision, 520, 24, 150)
        self._frames = (_axes(300, 24, 150, f"ROC curve (AUC {self.area:.3f})",
                              "false positive rate", "true positive rate (recall)")
                        + _axes(520, 24, 150, "Precision-recall curve", "recall",
                                "precision")
                        + '<line x1="300" y1="174" x2="450" y2="24" stroke="currentColor" '
                        'stroke-opacity="0.3" stroke-dasharray="4 3"/>')

    def counts(self, threshold: float) -> dict:
        if not 0.0 <= float(threshold) <= 1.0:
            raise ValueError(f"threshold must be between 0 and 1, got {threshold!r}")
        return metrics.threshold_counts(self.y_true, self.scores, threshold)

    def svg(self, threshold: float) -> str:
        c = self.counts(threshold)
        pos, neg = (html.escape(n) for n in self.names)
        cells = [("tn", 0, 0, POSITIVE_COLOUR), ("fp", 0, 1, NEGATIVE_COLOUR),
                 ("fn", 1, 0, NEGATIVE_COLOUR), ("tp", 1, 1, POSITIVE_COLOUR)]
        parts = [f'<text x="130" y="18" font-size="12" text-anchor="middle" {FONT}>'
                 f"Confusion matrix at threshold {threshold:.2f}</text>",
                 f'<text x="130" y="38" font-size="10" text-anchor="middle" {FONT}>'
                 "predicted</text>",
                 f'<text x="95" y="52" font-size="10" text-anchor="middle" {FONT}>{neg}</text>',
                 f'<text x="165" y="52" font-size="10" text-anchor="middle" {FONT}>{pos}</text>',
                 f'<text x="56" y="92" font-size="10" text-anchor="end" {FONT}>true {neg}</text>',
                 f'<text x="56" y="162" font-size="10" text-anchor="end" {FONT}>true {pos}</text>']
        for key, row, col, colour in cells:
            x, y = 60 + col * 70, 58 + row * 70
            parts.append(f'<rect x="{x}" y="{y}" width="68" height="68" fill="{colour}" '
                         'fill-opacity="0.18" stroke="currentColor" stroke-opacity="0.4"/>'
                         f'<text x="{x + 34}" y="{y + 32}" font-size="18" text-anchor="middle" '
                         f'{FONT}>{c[key]}</text><text x="{x + 34}" y="{y + 52}" '
                         f'font-size="10" text-anchor="middle" {FONT}>{key.upper()}</text>')
        predicted = c["tp"] + c["fp"]
        precision_text = (f"precision {c['precision']:.3f}" if predicted else
                          "precision undefined (nothing predicted positive; shown as 0)")
        lines = [precision_text, f"recall (TPR) {c['recall']:.3f}   FPR {c['fpr']:.3f}",
                 f"F1 {c['f1']:.3f}   predicted {pos}: {predicted} of {self.y_true.size}"]
        for index, line in enumerate(lines):
            parts.append(f'<text x="10" y="{215 + 15 * index}" font-size="11" {FONT}>'
                         f"{html.escape(line)}</text>")
        dot = (f'<circle cx="{300 + c["fpr"] * 150:.1f}" cy="{174 - c["tpr"] * 150:.1f}" r="6" '
               f'fill="{POINT_COLOUR}" stroke="white"/>'
               f'<circle cx="{520 + c["recall"] * 150:.1f}" cy="{174 - c["precision"] * 150:.1f}"'
               f' r="6" fill="{POINT_COLOUR}" stroke="white"/>')
        body = self._frames + self._roc + self._pr + "".join(parts) + dot
        label = (f"threshold {threshold:.2f}: TP {c['tp']}, FP {c['fp']}, FN {c['fn']}, "
                 f"TN {c['tn']}, precision {c['precision']:.3f}, recall {c['recall']:.3f}")
        return _svg(690, 262, body, label)


def threshold_widget(view: ThresholdView, threshold: float = 0.5):
    """The live threshold slider: the callback recomputes the counts and redraws the SVG."""
    import ipywidgets as w

    controls = {"threshold": w.FloatSlider(value=threshold, min=0.0, max=1.0, step=0.01,
                                           description="threshold", readout_format=".2f",
                                           continuous_update=True)}
    out = w.HTML()

    def update(_change=None):
        out.value = view.svg(controls["threshold"].value)

    return wire(w.VBox([controls["threshold"], out]), controls, update, out)


def threshold_static(view: ThresholdView, thresholds: Sequence[float] | None = None,
                     initial: float = 0.5) -> Explorer:
    """Every threshold in ``thresholds`` (default 0, 0.05, ..., 1) precomputed as SVG."""
    values = list(np.round(np.linspace(0, 1, 21), 2) if thresholds is None else thresholds)
    start = int(np.argmin(np.abs(np.asarray(values) - initial)))
    return state_explorer([("threshold", "decision threshold", values,
                            [f"{v:.2f}" for v in values])],
                          lambda threshold: view.svg(float(threshold)),
                          "Decision threshold: move it and watch the confusion matrix, "
                          "precision, recall and both curves", initial=[start])


def threshold_explorer(y_true, scores, positive_name: str = "positive",
                       negative_name: str = "negative", threshold: float = 0.5) -> None:
    """Show the decision-threshold slider for binary labels and scores in [0, 1]."""
    values = np.asarray(scores, dtype=np.float64)
    if values.size and (values.min() < 0 or values.max() > 1):
        raise ValueError("scores must be probabilities in [0, 1] for this slider; "
                         "apply a sigmoid or softmax first")
    view = ThresholdView(y_true, values, positive_name, negative_name)
    show(threshold_widget(view, threshold), threshold_static(view, initial=threshold))


# ------------------------------------------------------------------ cross-entropy explorer

BATCH_OTHERS = (0.9, 0.8, 0.7, 0.95)          # p(true class) of four other, fine, predictions


def predicted_distribution(p_true: float, num_classes: int = 5, rest: str = "spread",
                           true_class: int = 0) -> np.ndarray:
    """A predicted distribution with ``p_true`` on ``true_class``; the rest spread or on one."""
    if not 0.0 < float(p_true) <= 1.0:
        raise ValueError(f"p_true must be in (0, 1], got {p_true!r}")
    if not isinstance(num_classes, int) or num_classes < 2:
        raise ValueError(f"num_classes must be an integer >= 2, got {num_classes!r}")
    if rest not in ("spread", "one"):
        raise ValueError(f"rest must be 'spread' or 'one', got {rest!r}")
    probs = np.zeros(num_classes)
    others = [k for k in range(num_classes) if k != true_class]
    if rest == "spread":
        probs[others] = (1 - p_true) / (num_classes - 1)
    else:
        probs[others[0]] = 1 - p_true
    probs[true_class] = p_true
    return probs


def cross_entropy_state(p_true: float, rest: str = "spread", num_classes: int = 5) -> dict:
    """The numbers the explorer shows: one example's loss and its share of a batch's mean."""
    probs = predicted_distribution(p_true, num_classes, rest)
    target = np.eye(num_classes)[0]
    loss = information.cross_entropy(target, probs)
    batch_losses = np.r_[[-np.log(p) for p in BATCH_OTHERS], loss]
    return {"probs": probs, "loss": float(loss), "batch_losses": batch_losses,
            "batch_mean": float(batch_losses.mean()),
            "share": float(loss / batch_losses.sum())}


def cross_entropy_svg(p_true: float, rest: str = "spread", num_classes: int = 5) -> str:
    """Three panels: the predicted distribution, -ln p against p, and the batch's losses."""
    state = cross_entropy_state(p_true, rest, num_classes)
    parts = [f'<text x="95" y="16" font-size="12" text-anchor="middle" {FONT}>'
             "Predicted distribution</text>"]
    bar_width = 150 / num_classes
    for k, value in enumerate(state["probs"]):
        x, height = 20 + k * bar_width, value * 150
        colour = POSITIVE_COLOUR if k == 0 else "#8aa4c8"
        parts.append(f'<rect x="{x + 2:.1f}" y="{174 - height:.1f}" width="{bar_width - 4:.1f}" '
                     f'height="{height:.1f}" fill="{colour}"/>'
                     f'<text x="{x + bar_width / 2:.1f}" y="{188}" font-size="10" '
                     f'text-anchor="middle" {FONT}>{"true" if k == 0 else k}</text>'
                     f'<text x="{x + bar_width / 2:.1f}" y="{170 - height:.1f}" font-size="9" '
                     f'text-anchor="middle" {FONT}>{value:.2f}</text>')
    grid = np.linspace(0.005, 1, 120)
    ymax = 5.5
    parts.append(_axes(240, 24, 150, "Loss of this example", "p(true class)",
                       "-ln p (nats)", ymax=ymax, yticks=(0, 1, 2, 3, 4, 5)))
    parts.append(_polyline(grid, -np.log(grid), 240, 24, 150, ymax=ymax))
    parts.append(f'<circle cx="{240 + p_true * 150:.1f}" '
                 f'cy="{174 - min(state["loss"], ymax) / ymax * 150:.1f}" r="6" '
                 f'fill="{POINT_COLOUR}" stroke="white"/>')
    parts.append(f'<text x="520" y="16" font-size="12" text-anchor="middle" {FONT}>'
                 "Batch of 5: loss per example</text>")
    for index, value in enumerate(state["batch_losses"]):
        x, height = 450 + index * 30, min(value, ymax) / ymax * 150
        is_this = index == len(state["batch_losses"]) - 1
        colour = POINT_COLOUR if is_this else "#8aa4c8"
        parts.append(f'<rect x="{x}" y="{174 - height:.1f}" width="24" height="{height:.1f}" '
                     f'fill="{colour}"/><text x="{x + 12}" y="188" font-size="10" '
                     f'text-anchor="middle" {FONT}>{"this" if is_this else index + 1}'
                     "</text>")
    mean_y = 174 - min(state["batch_mean"], ymax) / ymax * 150
    parts.append(f'<line x1="446" x2="600" y1="{mean_y:.1f}" y2="{mean_y:.1f}" '
                 'stroke="currentColor" stroke-dasharray="4 3"/>'
                 f'<text x="600" y="{mean_y - 4:.1f}" font-size="10" text-anchor="end" {FONT}>'
                 f"mean {state['batch_mean']:.3f}</text>")
    rest_text = ("spread evenly over the other classes" if rest == "spread" else
                 "all on one wrong class")
    lines = [f"p(true) = {p_true:.2f}, the remaining {1 - p_true:.2f} {rest_text}: "
             f"loss = -ln {p_true:.2f} = {state['loss']:.3f} nats",
             f"this example is {state['share']:.0%} of the batch's total loss "
             f"(batch mean {state['batch_mean']:.3f})"]
    for index, line in enumerate(lines):
        parts.append(f'<text x="10" y="{212 + 15 * index}" font-size="11" {FONT}>'
                     f"{html.escape(line)}</text>")
    label = (f"p(true) {p_true:.2f}: cross-entropy {state['loss']:.3f} nats, "
             f"{state['share']:.0%} of the batch loss")
    return _svg(620, 240, "".join(parts), label)


CE_VALUES = (0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99)


def cross_entropy_widget(p_true: float = 0.7, rest: str = "spread"):
    """The live cross-entropy explorer (slider for p(true class), choice for the rest)."""
    import ipywidgets as w

    controls = {"p_true": w.FloatSlider(value=p_true, min=0.01, max=1.0, step=0.01,
                                        description="p(true)", readout_format=".2f"),
                "rest": w.ToggleButtons(options=[("spread evenly", "spread"),
                                                 ("on one wrong class", "one")],
                                        value=rest, description="the rest")}
    out = w.HTML()

    def update(_change=None):
        out.value = cross_entropy_svg(controls["p_true"].value, controls["rest"].value)

    return wire(w.VBox([*controls.values(), out]), controls, update, out)


def cross_entropy_static(initial: float = 0.7) -> Explorer:
    start = int(np.argmin(np.abs(np.asarray(CE_VALUES) - initial)))
    return state_explorer([("p_true", "p(true class)", list(CE_VALUES),
                            [f"{v:.2f}" for v in CE_VALUES]),
                           ("rest", "the rest of the probability", ["spread", "one"],
                            ["spread evenly", "on one wrong class"])],
                          cross_entropy_svg, "Cross-entropy explorer", initial=[start, 0])


def cross_entropy_explorer(p_true: float = 0.7) -> None:
    """Show the cross-entropy explorer: live in Jupyter/Colab, kernel-free in the book."""
    show(cross_entropy_widget(p_true), cross_entropy_static(p_true))


# ------------------------------------------------------------------ practice generator

METRIC_NAMES = ("precision", "recall", "f1")


def confusion_practice(count: int = 3, seed: int | None = None) -> list[dict]:
    """Fresh binary confusion matrices; the reader computes precision, recall or F1.

    Answers (to two decimals) are computed by :func:`helpers.metrics.from_confusion`.
    """
    count = practice_count(count)
    rng = random.Random(seed)
    questions = []
    for index in range(count):
        tn, fp, fn, tp = (rng.randint(lo, hi) for lo, hi in
                          ((20, 90), (1, 30), (1, 30), (5, 80)))
        matrix = [[tn, fp], [fn, tp]]
        metric = METRIC_NAMES[(index + rng.randrange(3)) % 3]
        value = metrics.from_confusion(np.array(matrix), metric)
        table = ("<table><tr><th></th><th>predicted −</th><th>predicted +</th></tr>"
                 f"<tr><th>true −</th><td>{tn}</td><td>{fp}</td></tr>"
                 f"<tr><th>true +</th><td>{fn}</td><td>{tp}</td></tr></table>")
        precision, recall, _ = metrics.scores_from_counts(tp, fp, fn)
        steps = {"precision": f"TP/(TP+FP) = {tp}/{tp + fp}",
                 "recall": f"TP/(TP+FN) = {tp}/{tp + fn}",
                 "f1": f"2PR/(P+R) with P = {tp}/{tp + fp} = {precision:.4f} and "
                       f"R = {tp}/{tp + fn} = {recall:.4f}"}[metric]
        questions.append({
            "id": f"practice-confusion-{index + 1}",
            "type": "numeric",
            "prompt": (f"A binary classifier gives this confusion matrix on a test set.{table}"
                       f"What is its <b>{'F1 score' if metric == 'f1' else metric}</b> for the "
                       "positive class? (two decimals)"),
            "answer": {"call": "helpers.metrics.from_confusion",
                       "kwargs": {"matrix": matrix, "metric": metric}},
            "value": value,
            "tolerance": 0.006,
            "explanation": f"{steps} = {value:.4f}.",
        })
    return questions


# ------------------------------------------------------------------ benchmarks


def benchmarks() -> dict:
    """Callback drivers for scripts/bench.py: the threshold slider and the CE explorer."""
    from helpers.widgets import cycle

    rng = np.random.default_rng(0)
    truth = rng.integers(0, 2, 400)
    scores = information.sigmoid(2.5 * (truth - 0.5) + rng.normal(0, 1.2, 400))
    threshold_box = threshold_widget(ThresholdView(truth, scores))
    ce_box = cross_entropy_widget()
    return {
        "threshold slider: threshold": cycle(threshold_box._dlbook_controls["threshold"],
                                             list(np.round(np.linspace(0, 1, 101), 2))),
        "cross-entropy explorer: p(true)": cycle(ce_box._dlbook_controls["p_true"],
                                                 list(np.round(np.linspace(0.01, 1, 100), 2))),
        "cross-entropy explorer: rest": cycle(ce_box._dlbook_controls["rest"],
                                              ["spread", "one"]),
    }
