"""Object detection arithmetic: IoU, non-max suppression and the YOLO grid encoding.

Boxes are **corner boxes** ``(x1, y1, x2, y2)`` in pixels, ``x`` to the right and ``y`` down,
with ``x1 <= x2`` and ``y1 <= y2``. Coordinates are continuous: a box from ``x1 = 0`` to
``x2 = 4`` is 4 pixels wide (there is no "+1" convention).

Conventions at the edges (TensorFlow's ``tf.image.non_max_suppression`` is the reference the
tests compare against):

* **Score threshold.** Following the lecture notes ("discard boxes with pc < 0.6"), a box is
  kept as a candidate when ``score >= score_threshold``. TensorFlow keeps it only when
  ``score > score_threshold``; the two differ only for a score exactly equal to the threshold.
* **IoU threshold.** A box is suppressed when its IoU with an already kept box is strictly
  greater than ``iou_threshold``, exactly as in TensorFlow.
* **Ties in score.** The box with the lower index goes first, as in TensorFlow.
* **Zero-area boxes.** IoU is 0 when the union has zero area (two degenerate boxes).
* **Box layout.** TensorFlow takes ``(y1, x1, y2, x2)``; this module takes ``(x1, y1, x2, y2)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike

from helpers._checks import positive_int as _check_positive_int

__all__ = [
    "CellBox",
    "DetectionScore",
    "NMSStep",
    "cell_coordinates",
    "detection_scores",
    "match_detections",
    "decode_yolo",
    "encode_yolo",
    "iou",
    "iou_matrix",
    "nms_steps",
    "non_max_suppression",
]


# --------------------------------------------------------------------------- validation


def _as_float_array(value, name: str) -> np.ndarray:
    """Convert lists, NumPy arrays and eager TF tensors to a float64 array, or explain why not."""
    if hasattr(value, "numpy") and callable(value.numpy):
        value = value.numpy()
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise TypeError(f"{name} must be numbers (a list or array), got {type(value).__name__}") \
            from error
    return array


def _check_boxes(value, name: str = "boxes") -> np.ndarray:
    boxes = _as_float_array(value, name)
    if boxes.ndim != 2 or boxes.shape[1] != 4:
        raise ValueError(f"{name} must have shape (N, 4), got {tuple(boxes.shape)}")
    if not np.all(np.isfinite(boxes)):
        raise ValueError(f"{name} contain NaN or infinite values")
    bad = np.flatnonzero((boxes[:, 2] < boxes[:, 0]) | (boxes[:, 3] < boxes[:, 1]))
    if bad.size:
        i = int(bad[0])
        raise ValueError(
            f"{name}[{i}] = {boxes[i].tolist()} is not a corner box (x1, y1, x2, y2) with "
            "x1 <= x2 and y1 <= y2"
        )
    return boxes


def _check_box(value, name: str) -> np.ndarray:
    box = _as_float_array(value, name)
    if box.shape != (4,):
        raise ValueError(f"{name} must have shape (4,) as (x1, y1, x2, y2), got {box.shape}")
    return _check_boxes(box[None, :], name)[0]


def _check_fraction(value, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.floating, np.integer)):
        raise TypeError(f"{name} must be a number between 0 and 1, got {value!r}")
    value = float(value)
    if not (0.0 <= value <= 1.0):
        raise ValueError(f"{name} must be between 0 and 1, got {value}")
    return value


def _check_scores(value, num_boxes: int) -> np.ndarray:
    scores = _as_float_array(value, "scores")
    if scores.ndim != 1:
        raise ValueError(f"scores must have shape (N,), got {tuple(scores.shape)}")
    if scores.shape[0] != num_boxes:
        raise ValueError(
            f"boxes and scores must have the same length, got {num_boxes} boxes and "
            f"{scores.shape[0]} scores"
        )
    if not np.all(np.isfinite(scores)):
        raise ValueError("scores contain NaN or infinite values")
    return scores


def _check_inside(label: str, box, width: float, height: float) -> None:
    """A box must lie inside the image and have a positive width and height."""
    x1, y1, x2, y2 = box
    if x1 < 0 or y1 < 0 or x2 > width or y2 > height:
        raise ValueError(
            f"{label} lies outside the {width:g}x{height:g} image "
            "(need 0 <= x1 < x2 <= width and 0 <= y1 < y2 <= height)"
        )
    if x2 <= x1 or y2 <= y1:
        raise ValueError(f"{label} has zero width or height")


def _image_hw(image_size) -> tuple[float, float]:
    """``image_size`` is an int (square image) or ``(height, width)``."""
    if isinstance(image_size, (int, np.integer)) and not isinstance(image_size, bool):
        sizes = (image_size, image_size)
    elif isinstance(image_size, Sequence) and len(image_size) == 2:
        sizes = tuple(image_size)
    else:
        raise ValueError(
            f"image_size must be an int or a (height, width) pair, got {image_size!r}"
        )
    for size in sizes:
        if isinstance(size, bool) or not isinstance(size, (int, float, np.integer, np.floating)) \
                or not np.isfinite(size) or size <= 0:
            raise ValueError(f"image_size must contain positive numbers, got {image_size!r}")
    return float(sizes[0]), float(sizes[1])


# --------------------------------------------------------------------------- IoU


def iou(box_a: ArrayLike, box_b: ArrayLike) -> float:
    """Intersection over union of two corner boxes ``(x1, y1, x2, y2)``.

    .. math::

        \\mathrm{IoU}(A, B) = \\frac{|A \\cap B|}{|A \\cup B|}
                           = \\frac{|A \\cap B|}{|A| + |B| - |A \\cap B|}

    It is 1 for identical boxes, 0 for disjoint ones, and defined as 0 when the union has zero
    area (two degenerate boxes).

    >>> iou((0, 0, 2, 2), (1, 1, 3, 3))     # overlap 1, union 4 + 4 - 1 = 7
    0.14285714285714285
    >>> iou((0, 0, 2, 2), (5, 5, 6, 6))
    0.0
    """
    a = _check_box(box_a, "box_a")
    b = _check_box(box_b, "box_b")
    return float(_iou_pairs(a[None, :], b[None, :])[0, 0])


def _iou_pairs(boxes_a: np.ndarray, boxes_b: np.ndarray) -> np.ndarray:
    """IoU of every box in ``boxes_a`` (N, 4) with every box in ``boxes_b`` (M, 4); no checks."""
    a = boxes_a[:, None, :]
    b = boxes_b[None, :, :]
    inter_w = np.clip(np.minimum(a[..., 2], b[..., 2]) - np.maximum(a[..., 0], b[..., 0]), 0, None)
    inter_h = np.clip(np.minimum(a[..., 3], b[..., 3]) - np.maximum(a[..., 1], b[..., 1]), 0, None)
    inter = inter_w * inter_h
    area_a = (a[..., 2] - a[..., 0]) * (a[..., 3] - a[..., 1])
    area_b = (b[..., 2] - b[..., 0]) * (b[..., 3] - b[..., 1])
    union = area_a + area_b - inter
    safe = np.where(union > 0, union, 1.0)
    return np.where(union > 0, inter / safe, 0.0)


def iou_matrix(boxes_a: ArrayLike, boxes_b: ArrayLike) -> np.ndarray:
    """IoU of every box in ``boxes_a`` (N, 4) with every box in ``boxes_b`` (M, 4): an (N, M) array.

    Entry ``[i, j]`` equals ``iou(boxes_a[i], boxes_b[j])``, computed for all pairs at once
    with broadcasting.

    >>> iou_matrix([[0, 0, 2, 2]], [[0, 0, 2, 2], [1, 0, 3, 2]])
    array([[1.        , 0.33333333]])
    """
    a = _check_boxes(boxes_a, "boxes_a")
    b = _check_boxes(boxes_b, "boxes_b")
    return _iou_pairs(a, b)


# --------------------------------------------------------------------------- NMS


@dataclass(frozen=True)
class NMSStep:
    """One step of non-max suppression, for showing the procedure.

    The first step of :func:`nms_steps` is the score filter: ``kept`` is ``None`` and
    ``suppressed`` lists the boxes whose score is below ``score_threshold`` (``ious`` is empty).
    Every later step keeps the best remaining box (``kept``), removes the boxes in
    ``suppressed`` whose IoU with it (``ious``, same order) exceeds ``iou_threshold``, and leaves
    ``remaining`` (best first) for the next step.
    """

    kept: int | None
    suppressed: tuple[int, ...]
    ious: tuple[float, ...]
    remaining: tuple[int, ...]
    description: str = field(default="", compare=False)


def _nms(boxes, scores, iou_threshold, score_threshold, max_output_size, record: bool):
    boxes = _check_boxes(boxes)
    scores = _check_scores(scores, boxes.shape[0])
    iou_threshold = _check_fraction(iou_threshold, "iou_threshold")
    score_threshold = _check_fraction(score_threshold, "score_threshold")
    if max_output_size is not None:
        if isinstance(max_output_size, bool) or not isinstance(max_output_size, (int, np.integer)) \
                or max_output_size < 0:
            raise ValueError(
                f"max_output_size must be a non-negative integer or None, got {max_output_size!r}"
            )
        max_output_size = int(max_output_size)
    # Best first; ties keep the lower index first (a stable sort on -score).
    order = np.argsort(-scores, kind="stable")
    low = order[scores[order] < score_threshold]
    remaining = order[scores[order] >= score_threshold]
    steps: list[NMSStep] = []
    if record:
        steps.append(NMSStep(
            kept=None,
            suppressed=tuple(int(i) for i in low),
            ious=(),
            remaining=tuple(int(i) for i in remaining),
            description=f"discard {len(low)} box(es) with score < {score_threshold:g}",
        ))
    kept: list[int] = []
    while remaining.size and (max_output_size is None or len(kept) < max_output_size):
        best, rest = remaining[0], remaining[1:]
        kept.append(int(best))
        overlaps = _iou_pairs(boxes[best][None, :], boxes[rest])[0]
        drop = overlaps > iou_threshold
        remaining = rest[~drop]
        if record:
            steps.append(NMSStep(
                kept=int(best),
                suppressed=tuple(int(i) for i in rest[drop]),
                ious=tuple(float(v) for v in overlaps[drop]),
                remaining=tuple(int(i) for i in remaining),
                description=(
                    f"keep box {int(best)} (score {scores[best]:.3g}); suppress "
                    f"{int(drop.sum())} box(es) with IoU > {iou_threshold:g}"
                ),
            ))
    return np.asarray(kept, dtype=np.int64), steps


def non_max_suppression(
    boxes: ArrayLike,
    scores: ArrayLike,
    iou_threshold: float = 0.5,
    score_threshold: float = 0.6,
    max_output_size: int | None = None,
) -> np.ndarray:
    """Greedy non-max suppression; returns the indices of the kept boxes, best first.

    The procedure of the lecture:

    1. discard every box with ``score < score_threshold``;
    2. take the remaining box with the highest score and keep it;
    3. drop every remaining box with ``IoU(kept, box) > iou_threshold``;
    4. repeat from 2 until no box remains (or ``max_output_size`` boxes are kept).

    ``boxes`` is (N, 4) in corner form ``(x1, y1, x2, y2)``, ``scores`` is (N,). See the module
    docstring for how the edges compare with ``tf.image.non_max_suppression``.

    >>> boxes = [[0, 0, 10, 10], [1, 1, 11, 11], [20, 20, 30, 30]]
    >>> non_max_suppression(boxes, [0.9, 0.8, 0.7]).tolist()
    [0, 2]
    """
    kept, _ = _nms(boxes, scores, iou_threshold, score_threshold, max_output_size, record=False)
    return kept


def nms_steps(
    boxes: ArrayLike,
    scores: ArrayLike,
    iou_threshold: float = 0.5,
    score_threshold: float = 0.6,
    max_output_size: int | None = None,
) -> list[NMSStep]:
    """The same procedure as :func:`non_max_suppression`, recorded step by step for teaching.

    Returns a list of :class:`NMSStep`: first the score filter, then one step per kept box.
    The kept boxes, in order, are ``[s.kept for s in steps[1:]]``.

    >>> boxes = [[0, 0, 10, 10], [1, 1, 11, 11], [20, 20, 30, 30], [0, 0, 5, 5]]
    >>> steps = nms_steps(boxes, [0.9, 0.8, 0.7, 0.1])
    >>> steps[0].suppressed                    # score 0.1 < 0.6
    (3,)
    >>> steps[1].kept, steps[1].suppressed, round(steps[1].ious[0], 3)
    (0, (1,), 0.681)
    >>> [step.kept for step in steps[1:]]
    [0, 2]
    """
    _, steps = _nms(boxes, scores, iou_threshold, score_threshold, max_output_size, record=True)
    return steps


# --------------------------------------------------------------------------- YOLO grid


class CellBox(NamedTuple):
    """A box in YOLO grid coordinates: its cell and the four numbers that cell predicts."""

    row: int
    col: int
    bx: float
    by: float
    bw: float
    bh: float


def cell_coordinates(
    box: ArrayLike,
    grid_size: int,
    image_size: int | tuple[int, int],
) -> CellBox:
    """The grid cell that owns a corner box, and the box in that cell's units.

    With cells of ``cell_w = W / S`` by ``cell_h = H / S`` pixels and the box centre
    ``(c_x, c_y)``, the owner is row ``floor(c_y / cell_h)``, column ``floor(c_x / cell_w)``
    (clamped to ``S - 1`` for a centre on the last edge) and

    .. math::

        b_x = \\frac{c_x}{\\text{cell}_w} - \\text{col} \\in [0, 1), \\qquad
        b_w = \\frac{x_2 - x_1}{\\text{cell}_w} \\quad (\\text{may exceed } 1),

    likewise ``b_y`` and ``b_h``. This is the geometry part of :func:`encode_yolo`.

    >>> cell_coordinates([8, 4, 40, 20], grid_size=4, image_size=64)   # 16 px cells
    CellBox(row=0, col=1, bx=0.5, by=0.75, bw=2.0, bh=1.0)
    """
    grid_size = _check_positive_int(grid_size, "grid_size")
    height, width = _image_hw(image_size)
    x1, y1, x2, y2 = (float(v) for v in _check_box(box, "box"))
    _check_inside(f"box {[x1, y1, x2, y2]}", (x1, y1, x2, y2), width, height)
    cell_w, cell_h = width / grid_size, height / grid_size
    centre_x, centre_y = (x1 + x2) / 2, (y1 + y2) / 2
    col = min(int(np.floor(centre_x / cell_w)), grid_size - 1)
    row = min(int(np.floor(centre_y / cell_h)), grid_size - 1)
    return CellBox(row, col, float(centre_x / cell_w - col), float(centre_y / cell_h - row),
                   float((x2 - x1) / cell_w), float((y2 - y1) / cell_h))


def encode_yolo(
    boxes: ArrayLike,
    classes: ArrayLike,
    grid_size: int,
    num_classes: int,
    image_size: int | tuple[int, int],
    on_collision: str = "larger",
) -> np.ndarray:
    """Encode one image's boxes as the YOLO target grid of shape (S, S, 5 + k).

    The image is cut into ``S x S`` cells of ``cell_w = W / S`` by ``cell_h = H / S`` pixels.
    An object belongs to the cell that contains its centre ``(c_x, c_y)``; that cell (row
    ``floor(c_y / cell_h)``, column ``floor(c_x / cell_w)``) holds

    .. math::

        [p_c, b_x, b_y, b_w, b_h, c_1, \\dots, c_k], \\quad
        b_x = \\frac{c_x}{\\text{cell}_w} - \\text{col} \\in [0, 1), \\quad
        b_w = \\frac{x_2 - x_1}{\\text{cell}_w}

    (and likewise for ``b_y``, ``b_h``): ``p_c = 1``, the centre is an offset inside its cell,
    the size is measured in cells and **may exceed 1** (an object larger than a cell), and
    ``c_1..c_k`` is the one-hot class. Every other cell is all zeros. The grid is indexed
    ``grid[row, col]``, i.e. ``[y, x]``.

    ``image_size`` is an int (square) or ``(height, width)``. Boxes must lie inside the image
    and have positive width and height. When two objects have their centres in the same cell
    (one cell can hold only one object here), ``on_collision="larger"`` keeps the larger box
    (the first one on a tie) and ``on_collision="raise"`` raises a ``ValueError``.

    >>> grid = encode_yolo([[8, 8, 24, 16]], [1], grid_size=4, num_classes=2, image_size=32)
    >>> grid.shape
    (4, 4, 7)
    >>> grid[1, 2].tolist()      # centre (16, 12): row 1, column 2; 16 x 8 px = 2 x 1 cells
    [1.0, 0.0, 0.5, 2.0, 1.0, 0.0, 1.0]
    """
    grid_size = _check_positive_int(grid_size, "grid_size")
    num_classes = _check_positive_int(num_classes, "num_classes")
    height, width = _image_hw(image_size)
    if on_collision not in ("larger", "raise"):
        raise ValueError(f"on_collision must be 'larger' or 'raise', got {on_collision!r}")
    boxes = _check_boxes(boxes)
    class_array = _as_float_array(classes, "classes")
    if class_array.ndim != 1 or class_array.shape[0] != boxes.shape[0]:
        raise ValueError(
            f"classes must have shape ({boxes.shape[0]},), one class id per box, got "
            f"{tuple(class_array.shape)}"
        )
    if not np.all(np.isfinite(class_array)) or np.any(class_array != np.round(class_array)):
        raise ValueError("classes must be integer class ids")
    class_ids = class_array.astype(np.int64)
    if np.any((class_ids < 0) | (class_ids >= num_classes)):
        raise ValueError(
            f"class ids must be in 0..{num_classes - 1} (num_classes={num_classes}), got "
            f"{sorted(set(class_ids.tolist()))}"
        )
    for i, box in enumerate(boxes):
        _check_inside(f"box {i} = {box.tolist()}", box, width, height)

    grid = np.zeros((grid_size, grid_size, 5 + num_classes), dtype=np.float32)
    owner_area = np.full((grid_size, grid_size), -1.0)
    owner_index = np.full((grid_size, grid_size), -1, dtype=np.int64)
    for i, (x1, y1, x2, y2) in enumerate(boxes):
        row, col, bx, by, bw, bh = cell_coordinates(boxes[i], grid_size, (height, width))
        area = (x2 - x1) * (y2 - y1)
        if owner_index[row, col] >= 0:
            if on_collision == "raise":
                raise ValueError(
                    f"boxes {owner_index[row, col]} and {i} both have their centre in cell "
                    f"(row {row}, col {col}); a cell holds one object (use a finer grid or "
                    "on_collision='larger')"
                )
            if area <= owner_area[row, col]:
                continue
        owner_area[row, col], owner_index[row, col] = area, i
        vector = np.zeros(5 + num_classes, dtype=np.float32)
        vector[:5] = (1.0, bx, by, bw, bh)
        vector[5 + class_ids[i]] = 1.0
        grid[row, col] = vector
    return grid


def decode_yolo(
    grid: ArrayLike,
    image_size: int | tuple[int, int],
    score_threshold: float = 0.5,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Turn a YOLO grid (S, S, 5 + k) back into ``(boxes, scores, classes)``.

    For every cell (row, col) with ``p_c >= score_threshold``:

    .. math::

        c_x = (\\text{col} + b_x)\\,\\text{cell}_w, \\quad w = b_w\\,\\text{cell}_w, \\quad
        (x_1, x_2) = c_x \\mp w / 2

    (and likewise in ``y``); the score is ``p_c`` and the class is ``argmax(c_1..c_k)``.
    Negative sizes (an untrained network can predict them) count as 0 and boxes are clipped to
    the image. Boxes come out in row-major cell order, one per cell; run
    :func:`non_max_suppression` on them when cells may predict the same object.

    >>> grid = encode_yolo([[8, 8, 24, 16]], [1], grid_size=4, num_classes=2, image_size=32)
    >>> boxes, scores, classes = decode_yolo(grid, image_size=32)
    >>> boxes.tolist(), scores.tolist(), classes.tolist()
    ([[8.0, 8.0, 24.0, 16.0]], [1.0], [1])
    """
    values = _as_float_array(grid, "grid")
    if values.ndim != 3 or values.shape[2] < 6:
        raise ValueError(
            "grid must have shape (S, S, 5 + num_classes) with at least one class, got "
            f"{tuple(values.shape)}"
        )
    if not np.all(np.isfinite(values)):
        raise ValueError("grid contains NaN or infinite values")
    score_threshold = _check_fraction(score_threshold, "score_threshold")
    height, width = _image_hw(image_size)
    rows, cols = values.shape[:2]
    cell_w, cell_h = width / cols, height / rows
    row_idx, col_idx = np.nonzero(values[..., 0] >= score_threshold)
    cells = values[row_idx, col_idx]
    centre_x = (col_idx + cells[:, 1]) * cell_w
    centre_y = (row_idx + cells[:, 2]) * cell_h
    half_w = np.clip(cells[:, 3], 0, None) * cell_w / 2
    half_h = np.clip(cells[:, 4], 0, None) * cell_h / 2
    boxes = np.stack([
        np.clip(centre_x - half_w, 0, width),
        np.clip(centre_y - half_h, 0, height),
        np.clip(centre_x + half_w, 0, width),
        np.clip(centre_y + half_h, 0, height),
    ], axis=1).reshape(-1, 4)
    scores = cells[:, 0].astype(np.float64)
    classes = np.argmax(cells[:, 5:], axis=1).astype(np.int64) if len(cells) else \
        np.zeros(0, dtype=np.int64)
    return boxes, scores, classes


# --------------------------------------------------------------------------- evaluation


class DetectionScore(NamedTuple):
    """Detection quality over a set of images (see :func:`detection_scores`)."""

    precision: float
    recall: float
    mean_iou: float
    true_positives: int
    false_positives: int
    false_negatives: int


def match_detections(
    pred_boxes: ArrayLike,
    pred_classes: ArrayLike,
    true_boxes: ArrayLike,
    true_classes: ArrayLike,
    iou_threshold: float = 0.5,
) -> list[tuple[int, int, float]]:
    """Greedy one-to-one matching of one image's detections to its ground-truth boxes.

    Detections are taken in the order given (best first, as :func:`non_max_suppression`
    returns them); each is matched to the still unmatched ground-truth box **of the same
    class** with the highest IoU, provided that IoU is at least ``iou_threshold``. Returns
    ``[(prediction index, truth index, IoU), ...]``; unmatched detections are false positives,
    unmatched truths false negatives (missed objects).

    >>> match_detections([[0, 0, 10, 10], [20, 20, 30, 30]], [0, 1],
    ...                  [[1, 1, 10, 10], [50, 50, 60, 60]], [0, 1])
    [(0, 0, 0.81)]
    """
    pred = _check_boxes(np.asarray(pred_boxes, dtype=np.float64).reshape(-1, 4), "pred_boxes")
    true = _check_boxes(np.asarray(true_boxes, dtype=np.float64).reshape(-1, 4), "true_boxes")
    pred_cls = np.asarray(pred_classes).reshape(-1)
    true_cls = np.asarray(true_classes).reshape(-1)
    if pred_cls.shape[0] != pred.shape[0] or true_cls.shape[0] != true.shape[0]:
        raise ValueError("need one class per box: got "
                         f"{pred.shape[0]} predicted boxes and {pred_cls.shape[0]} classes, "
                         f"{true.shape[0]} true boxes and {true_cls.shape[0]} classes")
    iou_threshold = _check_fraction(iou_threshold, "iou_threshold")
    if not len(pred) or not len(true):
        return []
    overlaps = _iou_pairs(pred, true)
    overlaps[pred_cls[:, None] != true_cls[None, :]] = -1.0
    matches, used = [], np.zeros(len(true), dtype=bool)
    for i in range(len(pred)):
        candidates = np.where(used, -1.0, overlaps[i])
        j = int(np.argmax(candidates))
        if candidates[j] >= iou_threshold and candidates[j] > 0:
            used[j] = True
            matches.append((i, j, round(float(candidates[j]), 6)))
    return matches


def detection_scores(
    predictions: Sequence[tuple[ArrayLike, ArrayLike]],
    truths: Sequence[tuple[ArrayLike, ArrayLike]],
    iou_threshold: float = 0.5,
) -> DetectionScore:
    """Precision, recall and mean IoU of matched boxes over many images.

    ``predictions`` and ``truths`` hold one ``(boxes, classes)`` pair per image. With TP the
    detections matched by :func:`match_detections`, FP the other detections and FN the
    missed ground-truth boxes,

    .. math::

        \\text{precision} = \\frac{TP}{TP + FP}, \\qquad
        \\text{recall} = \\frac{TP}{TP + FN},

    and ``mean_iou`` is the average IoU of the matched pairs (0 when there are none; a
    precision with no detections at all is reported as 0).

    >>> score = detection_scores([([[0, 0, 10, 10]], [0])], [([[0, 0, 10, 10]], [0])])
    >>> score.precision, score.recall, score.mean_iou
    (1.0, 1.0, 1.0)
    """
    if len(predictions) != len(truths):
        raise ValueError(f"need one prediction per image: got {len(predictions)} predictions "
                         f"for {len(truths)} images")
    tp = fp = fn = 0
    ious: list[float] = []
    for (pred_boxes, pred_classes), (true_boxes, true_classes) in zip(predictions, truths,
                                                                      strict=True):
        matches = match_detections(pred_boxes, pred_classes, true_boxes, true_classes,
                                   iou_threshold)
        n_pred = np.asarray(pred_boxes).reshape(-1, 4).shape[0]
        n_true = np.asarray(true_boxes).reshape(-1, 4).shape[0]
        tp += len(matches)
        fp += n_pred - len(matches)
        fn += n_true - len(matches)
        ious.extend(m[2] for m in matches)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return DetectionScore(float(precision), float(recall),
                          float(np.mean(ious)) if ious else 0.0, tp, fp, fn)
