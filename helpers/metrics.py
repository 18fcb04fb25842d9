"""Classification metrics: confusion matrix, precision/recall/F1, ROC and precision-recall curves.

Pure NumPy, checked against scikit-learn in ``tests/test_metrics.py``. Conventions follow
scikit-learn so that results can be compared one to one:

* ``confusion_matrix``: rows are the **true** class, columns the **predicted** class;
* ``roc_curve``: thresholds in decreasing order, the first one ``inf`` (nothing predicted
  positive), collinear intermediate points dropped;
* ``precision_recall_curve``: thresholds increasing, precision/recall with a final (1, 0) point;
* a ratio whose denominator is zero (no predicted positives for precision) is 0.0.

>>> confusion_matrix([0, 1, 1, 0], [0, 1, 0, 0])
array([[2, 0],
       [1, 1]])
>>> precision_recall_f1([0, 1, 1, 0], [0, 1, 0, 0])
(1.0, 0.5, 0.6666666666666666)
"""

from __future__ import annotations

import numpy as np

__all__ = ["confusion_matrix", "precision_recall_f1", "scores_from_counts", "from_confusion",
           "threshold_counts", "roc_curve", "precision_recall_curve", "auc", "roc_auc",
           "rank_auc"]


# ------------------------------------------------------------------ input checks

def _labels(values, name: str) -> np.ndarray:
    array = np.asarray(values)
    if array.ndim != 1:
        raise ValueError(f"{name} must be a 1-D sequence of class labels, got shape {array.shape}")
    if array.size == 0:
        raise ValueError(f"{name} is empty")
    if array.dtype.kind == "b":
        return array.astype(np.int64)
    if array.dtype.kind == "f":
        if not np.all(np.isfinite(array)) or not np.all(array == np.round(array)):
            raise ValueError(f"{name} must hold integer class labels, got non-integers")
        return array.astype(np.int64)
    if array.dtype.kind not in "iu":
        raise TypeError(f"{name} must hold integer class labels, got dtype {array.dtype}")
    if np.any(array < 0):
        raise ValueError(f"{name} must hold non-negative class labels, got {array.min()}")
    return array.astype(np.int64)


def _pair(y_true, y_pred, second: str = "y_pred") -> tuple[np.ndarray, np.ndarray]:
    truth = _labels(y_true, "y_true")
    other = _labels(y_pred, second)
    if truth.shape != other.shape:
        raise ValueError(f"y_true and {second} must have the same length, got "
                         f"{truth.size} and {other.size}")
    return truth, other


def _binary_scores(y_true, scores) -> tuple[np.ndarray, np.ndarray]:
    truth = _labels(y_true, "y_true")
    values = np.asarray(scores, dtype=np.float64)
    if values.ndim != 1:
        raise ValueError(f"scores must be a 1-D array (one score per example), got shape "
                         f"{values.shape}; for a multiclass model pass one column, e.g. "
                         "probabilities[:, k]")
    if values.shape != truth.shape:
        raise ValueError(f"y_true and scores must have the same length, got {truth.size} and "
                         f"{values.size}")
    if not np.all(np.isfinite(values)):
        raise ValueError("scores must be finite numbers (no NaN or inf)")
    if not np.all(np.isin(truth, (0, 1))):
        raise ValueError("y_true must be binary (0 = negative, 1 = positive) for a curve; "
                         "for one class k of a multiclass problem pass (y_true == k)")
    if truth.min() == truth.max():
        raise ValueError("y_true holds only one class: the curve needs positives and negatives")
    return truth, values


# ------------------------------------------------------------------ confusion matrix

def confusion_matrix(y_true, y_pred, num_classes: int | None = None) -> np.ndarray:
    """Counts ``C[i, j]`` of examples of true class ``i`` predicted as class ``j``.

    ``num_classes`` defaults to ``max(label) + 1``; the diagonal holds the correct predictions.
    """
    truth, predicted = _pair(y_true, y_pred)
    largest = int(max(truth.max(), predicted.max()))
    if num_classes is None:
        num_classes = largest + 1
    elif isinstance(num_classes, bool) or not isinstance(num_classes, (int, np.integer)) \
            or num_classes < 1:
        raise ValueError(f"num_classes must be a positive integer, got {num_classes!r}")
    elif largest >= num_classes:
        raise ValueError(f"label {largest} does not fit num_classes={num_classes}")
    flat = np.bincount(truth * num_classes + predicted, minlength=num_classes * num_classes)
    return flat.reshape(num_classes, num_classes)


def scores_from_counts(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    """Precision TP/(TP+FP), recall TP/(TP+FN) and F1 = 2PR/(P+R) (0.0 when undefined)."""
    for name, value in (("tp", tp), ("fp", fp), ("fn", fn)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
            raise ValueError(f"{name} must be a non-negative integer count, got {value!r}")
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return float(precision), float(recall), float(f1)


def precision_recall_f1(y_true, y_pred, positive: int = 1) -> tuple[float, float, float]:
    """Precision, recall and F1 of class ``positive`` (one-vs-rest for multiclass labels)."""
    truth, predicted = _pair(y_true, y_pred)
    if isinstance(positive, bool) or not isinstance(positive, (int, np.integer)):
        raise TypeError(f"positive must be a class label (an integer), got {positive!r}")
    hit_truth, hit_pred = truth == positive, predicted == positive
    tp = int(np.sum(hit_truth & hit_pred))
    fp = int(np.sum(~hit_truth & hit_pred))
    fn = int(np.sum(hit_truth & ~hit_pred))
    return scores_from_counts(tp, fp, fn)


def from_confusion(matrix, metric: str, positive: int = 1) -> float:
    """``precision``, ``recall``, ``f1`` or ``accuracy`` read off a confusion matrix.

    Rows are the true class. Used by the practice generator to grade answers.
    """
    counts = np.asarray(matrix)
    if counts.ndim != 2 or counts.shape[0] != counts.shape[1] or counts.shape[0] < 2:
        raise ValueError(f"matrix must be square with at least 2 classes, got {counts.shape}")
    if counts.dtype.kind not in "iu" or np.any(counts < 0):
        raise ValueError("matrix must hold non-negative integer counts")
    if metric == "accuracy":
        total = counts.sum()
        return float(np.trace(counts) / total) if total else 0.0
    if not 0 <= positive < counts.shape[0]:
        raise ValueError(f"positive must be a class index below {counts.shape[0]}, got {positive}")
    tp = int(counts[positive, positive])
    fp = int(counts[:, positive].sum() - tp)
    fn = int(counts[positive, :].sum() - tp)
    names = ("precision", "recall", "f1")
    if metric not in names:
        raise ValueError(f"metric must be one of {names + ('accuracy',)}, got {metric!r}")
    return scores_from_counts(tp, fp, fn)[names.index(metric)]


def threshold_counts(y_true, scores, threshold: float) -> dict:
    """TP, FP, FN, TN, precision, recall, TPR and FPR when ``score >= threshold`` means positive."""
    truth, values = _binary_scores(y_true, scores)
    predicted = values >= float(threshold)
    tp = int(np.sum(predicted & (truth == 1)))
    fp = int(np.sum(predicted & (truth == 0)))
    fn = int(np.sum(~predicted & (truth == 1)))
    tn = int(np.sum(~predicted & (truth == 0)))
    precision, recall, f1 = scores_from_counts(tp, fp, fn)
    return {"tp": tp, "fp": fp, "fn": fn, "tn": tn, "precision": precision, "recall": recall,
            "f1": f1, "tpr": recall, "fpr": fp / (fp + tn)}


# ------------------------------------------------------------------ curves

def _cumulative_counts(truth: np.ndarray, values: np.ndarray):
    """FP and TP counts when every distinct score, from the highest down, is the threshold."""
    order = np.argsort(-values, kind="mergesort")
    sorted_scores, sorted_truth = values[order], truth[order]
    last_of_tie = np.r_[np.flatnonzero(np.diff(sorted_scores)), sorted_truth.size - 1]
    tps = np.cumsum(sorted_truth)[last_of_tie]
    fps = (last_of_tie + 1) - tps
    return fps, tps, sorted_scores[last_of_tie]


def roc_curve(y_true, scores, drop_intermediate: bool = True):
    """``(fpr, tpr, thresholds)`` of a binary scorer, ordered as scikit-learn orders them.

    Each threshold ``t`` predicts positive when ``score >= t``; the first threshold is
    ``inf`` (the point (0, 0)). With ``drop_intermediate`` the points that lie on a straight
    segment between their neighbours are dropped (they do not change the curve or its area).
    """
    truth, values = _binary_scores(y_true, scores)
    fps, tps, thresholds = _cumulative_counts(truth, values)
    if drop_intermediate and fps.size > 2:
        keep = np.flatnonzero(np.r_[True, np.logical_or(np.diff(fps, 2), np.diff(tps, 2)),
                                    True])
        fps, tps, thresholds = fps[keep], tps[keep], thresholds[keep]
    fps, tps = np.r_[0, fps], np.r_[0, tps]
    thresholds = np.r_[np.inf, thresholds]
    return fps / fps[-1], tps / tps[-1], thresholds


def precision_recall_curve(y_true, scores):
    """``(precision, recall, thresholds)`` as scikit-learn returns them.

    Thresholds increase; ``precision[i]`` and ``recall[i]`` belong to ``thresholds[i]``, and a
    last point (precision 1, recall 0) with no threshold closes the curve.
    """
    truth, values = _binary_scores(y_true, scores)
    fps, tps, thresholds = _cumulative_counts(truth, values)
    predicted = tps + fps
    precision = np.where(predicted > 0, tps / np.maximum(predicted, 1), 0.0)
    recall = tps / tps[-1]
    return np.r_[precision[::-1], 1.0], np.r_[recall[::-1], 0.0], thresholds[::-1]


def auc(x, y) -> float:
    """Area under the curve through the points ``(x, y)`` by the trapezoidal rule.

    ``x`` must be monotonic (increasing or decreasing), as on a ROC or PR curve.
    """
    xs, ys = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    if xs.ndim != 1 or xs.shape != ys.shape:
        raise ValueError(f"x and y must be 1-D of the same length, got {xs.shape} and {ys.shape}")
    if xs.size < 2:
        raise ValueError(f"at least 2 points are needed to compute an area, got {xs.size}")
    if not (np.all(np.isfinite(xs)) and np.all(np.isfinite(ys))):
        raise ValueError("x and y must be finite")
    steps = np.diff(xs)
    if np.all(steps >= 0):
        direction = 1.0
    elif np.all(steps <= 0):
        direction = -1.0
    else:
        raise ValueError("x is neither increasing nor decreasing: sort the points first")
    return float(direction * np.sum(steps * (ys[1:] + ys[:-1]) / 2))


def roc_auc(y_true, scores) -> float:
    """Area under the ROC curve of a binary scorer (1 = perfect ranking, 0.5 = chance)."""
    fpr, tpr, _ = roc_curve(y_true, scores)
    return auc(fpr, tpr)


def rank_auc(y_true, scores) -> float:
    """AUC as a probability: P(score of a random positive > that of a random negative).

    Ties count one half. Computed over all positive-negative pairs (memory O(P x N)), so it is
    meant for checking :func:`roc_auc` on a few thousand examples, not for big data.
    """
    truth, values = _binary_scores(y_true, scores)
    positives, negatives = values[truth == 1], values[truth == 0]
    if positives.size * negatives.size > 25_000_000:
        raise ValueError("too many positive-negative pairs for the pairwise check; use roc_auc")
    diff = positives[:, None] - negatives[None, :]
    return float(np.mean((diff > 0) + 0.5 * (diff == 0)))
