"""Scoring a segmentation: pixel accuracy and intersection over union per class.

A segmentation model labels every pixel with a class (0 background, 1..k objects). With
``C[t, p]`` the number of pixels of true class ``t`` predicted as ``p`` (the confusion matrix),

.. math::

    \\text{pixel accuracy} = \\frac{\\sum_c C[c, c]}{\\sum_{t,p} C[t, p]}, \\qquad
    \\mathrm{IoU}_c = \\frac{C[c, c]}{\\sum_p C[c, p] + \\sum_t C[t, c] - C[c, c]},

and the mean IoU averages ``IoU_c`` over the classes that occur (in the truth or the
prediction). Pixel accuracy flatters a model when the background dominates; mean IoU does not.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike

__all__ = ["SegmentationScore", "confusion_matrix", "segmentation_scores"]


class SegmentationScore(NamedTuple):
    """``per_class_iou`` has one entry per class (NaN for a class absent from both masks)."""

    pixel_accuracy: float
    mean_iou: float
    per_class_iou: np.ndarray


def _labels(value, name: str) -> np.ndarray:
    if hasattr(value, "numpy") and callable(value.numpy):
        value = value.numpy()
    array = np.asarray(value)
    if array.dtype == object or not np.issubdtype(array.dtype, np.number):
        raise TypeError(f"{name} must be an array of integer class ids, got dtype {array.dtype}")
    if array.size and np.any(array != np.round(array)):
        raise ValueError(f"{name} must hold integer class ids (use argmax over the class axis "
                         "of a softmax output first)")
    return array.astype(np.int64)


def confusion_matrix(true_masks: ArrayLike, pred_masks: ArrayLike, num_classes: int) -> np.ndarray:
    """``C[t, p]``: how many pixels of true class ``t`` were predicted as class ``p``.

    >>> confusion_matrix([[0, 1], [1, 1]], [[0, 1], [0, 1]], num_classes=2).tolist()
    [[1, 0], [1, 2]]
    """
    if isinstance(num_classes, bool) or not isinstance(num_classes, (int, np.integer)) \
            or num_classes < 1:
        raise ValueError(f"num_classes must be a positive integer, got {num_classes!r}")
    true = _labels(true_masks, "true_masks")
    pred = _labels(pred_masks, "pred_masks")
    if true.shape != pred.shape:
        raise ValueError(f"true_masks and pred_masks must have the same shape, got {true.shape} "
                         f"and {pred.shape}")
    if true.size == 0:
        raise ValueError("the masks are empty")
    for name, array in (("true_masks", true), ("pred_masks", pred)):
        if array.min() < 0 or array.max() >= num_classes:
            raise ValueError(f"{name} has class ids outside 0..{num_classes - 1}: "
                             f"{array.min()}..{array.max()}")
    flat = true.reshape(-1) * num_classes + pred.reshape(-1)
    return np.bincount(flat, minlength=num_classes ** 2).reshape(num_classes, num_classes)


def segmentation_scores(true_masks: ArrayLike, pred_masks: ArrayLike,
                        num_classes: int) -> SegmentationScore:
    """Pixel accuracy, mean IoU and per-class IoU of predicted masks (see the module docstring).

    >>> score = segmentation_scores([[0, 1], [1, 1]], [[0, 1], [0, 1]], num_classes=2)
    >>> score.pixel_accuracy, score.per_class_iou.tolist()      # IoU_0 = 1/2, IoU_1 = 2/3
    (0.75, [0.5, 0.6666666666666666])
    """
    matrix = confusion_matrix(true_masks, pred_masks, num_classes).astype(np.float64)
    hits = np.diag(matrix)
    union = matrix.sum(axis=0) + matrix.sum(axis=1) - hits
    with np.errstate(invalid="ignore", divide="ignore"):
        per_class = np.where(union > 0, hits / np.where(union > 0, union, 1.0), np.nan)
    return SegmentationScore(float(hits.sum() / matrix.sum()), float(np.nanmean(per_class)),
                             per_class)
