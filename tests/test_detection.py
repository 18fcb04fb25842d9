"""Tests of helpers.detection: IoU, NMS (against TensorFlow) and the YOLO grid encoding."""

from __future__ import annotations

import os

import numpy as np
import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from helpers.detection import (  # noqa: E402
    NMSStep,
    decode_yolo,
    encode_yolo,
    iou,
    iou_matrix,
    nms_steps,
    non_max_suppression,
)


def random_boxes(rng: np.random.Generator, n: int, size: float = 100.0) -> np.ndarray:
    corners = rng.uniform(0, size, size=(n, 2))
    extents = rng.uniform(1, size / 3, size=(n, 2))
    return np.concatenate([corners, corners + extents], axis=1)


# --------------------------------------------------------------------------- IoU


def test_iou_hand_worked_examples():
    assert iou((0, 0, 2, 2), (0, 0, 2, 2)) == 1.0
    assert iou((0, 0, 2, 2), (1, 1, 3, 3)) == pytest.approx(1 / 7)
    assert iou((0, 0, 2, 2), (2, 0, 4, 2)) == 0.0  # touching edges: no overlap
    assert iou((0, 0, 4, 4), (1, 1, 2, 2)) == pytest.approx(1 / 16)  # nested


def test_iou_zero_area_boxes_are_zero_not_nan():
    assert iou((1, 1, 1, 1), (1, 1, 1, 1)) == 0.0
    assert iou((1, 1, 1, 3), (0, 0, 2, 2)) == 0.0


def test_iou_is_symmetric_and_matches_matrix():
    rng = np.random.default_rng(0)
    a, b = random_boxes(rng, 7), random_boxes(rng, 5)
    matrix = iou_matrix(a, b)
    assert matrix.shape == (7, 5)
    for i in range(7):
        for j in range(5):
            assert matrix[i, j] == pytest.approx(iou(a[i], b[j]))
            assert iou(a[i], b[j]) == pytest.approx(iou(b[j], a[i]))
    assert np.all((matrix >= 0) & (matrix <= 1))
    assert iou_matrix(np.zeros((0, 4)), b).shape == (0, 5)


@pytest.mark.parametrize(
    "box, message",
    [
        ((0, 0, 1), "shape (4,)"),
        ((0, 0, 1, 1, 1), "shape (4,)"),
        ((0, 0, np.nan, 1), "NaN"),
        ((0, 0, np.inf, 1), "NaN or infinite"),
        ((2, 0, 1, 1), "x1 <= x2"),
        ((0, 2, 1, 1), "y1 <= y2"),
    ],
)
def test_iou_rejects_bad_boxes(box, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        iou(box, (0, 0, 1, 1))


def test_iou_rejects_non_numbers():
    with pytest.raises(TypeError, match="must be numbers"):
        iou(("a", 0, 1, 1), (0, 0, 1, 1))


def test_iou_matrix_rejects_wrong_shape_with_clear_message():
    with pytest.raises(ValueError, match=r"boxes_a must have shape \(N, 4\), got \(3, 5\)"):
        iou_matrix(np.zeros((3, 5)), np.zeros((2, 4)))


# --------------------------------------------------------------------------- NMS


def tf_nms(boxes: np.ndarray, scores: np.ndarray, iou_threshold: float, score_threshold: float):
    import tensorflow as tf

    yx_boxes = boxes[:, [1, 0, 3, 2]].astype(np.float32)  # TF wants (y1, x1, y2, x2)
    return tf.image.non_max_suppression(
        yx_boxes, scores.astype(np.float32), max_output_size=len(boxes),
        iou_threshold=iou_threshold, score_threshold=score_threshold,
    ).numpy()


def test_nms_matches_tensorflow_on_random_inputs():
    # Lecture 06 says "the test suite compares the two on 1,000 random cases": keep it true.
    rng = np.random.default_rng(42)
    compared = 0
    for trial in range(1000):
        n = int(rng.integers(1, 40))
        boxes = np.round(random_boxes(rng, n), 2)
        scores = rng.uniform(0, 1, size=n)
        iou_threshold = float(rng.choice([0.1, 0.3, 0.5, 0.7, 0.9]))
        score_threshold = float(rng.choice([0.0, 0.3, 0.6]))
        # Avoid the knife edges where float32 (TF) and float64 (here) may disagree.
        overlaps = iou_matrix(boxes, boxes)
        if np.any(np.abs(overlaps - iou_threshold) < 1e-5):
            continue
        if np.any(np.abs(scores - score_threshold) < 1e-6) or len(np.unique(scores)) < n:
            continue
        ours = non_max_suppression(boxes, scores, iou_threshold, score_threshold)
        theirs = tf_nms(boxes, scores, iou_threshold, score_threshold)
        np.testing.assert_array_equal(ours, theirs, err_msg=f"trial {trial}")
        compared += 1
    assert compared > 700


def test_nms_edge_conventions_versus_tensorflow():
    # Two boxes with IoU exactly 0.5: neither we nor TF suppress (suppress only if IoU > t).
    boxes = np.array([[0, 0, 1, 2], [0, 0, 1, 1]], dtype=float)
    scores = np.array([0.9, 0.8])
    assert iou(boxes[0], boxes[1]) == 0.5
    assert non_max_suppression(boxes, scores, 0.5, 0.0).tolist() == [0, 1]
    assert tf_nms(boxes, scores, 0.5, 0.0).tolist() == [0, 1]
    # A score exactly at the threshold: kept here (discard only if score < t, as in the notes),
    # discarded by TF (keeps only score > t).
    assert non_max_suppression(boxes, scores, 0.1, 0.8).tolist() == [0]
    assert non_max_suppression(boxes, [0.9, 0.8], 0.9, 0.8).tolist() == [0, 1]
    assert tf_nms(boxes, scores, 0.9, 0.8).tolist() == [0]
    # Equal scores: the lower index first, as in TF.
    far = np.array([[0, 0, 1, 1], [5, 5, 6, 6]], dtype=float)
    assert non_max_suppression(far, [0.7, 0.7]).tolist() == [0, 1]
    assert tf_nms(far, np.array([0.7, 0.7]), 0.5, 0.6).tolist() == [0, 1]


def test_nms_lecture_example_and_max_output_size():
    boxes = [[0, 0, 10, 10], [1, 1, 11, 11], [20, 20, 30, 30], [21, 21, 31, 31], [0, 0, 3, 3]]
    scores = [0.9, 0.75, 0.8, 0.65, 0.5]
    assert non_max_suppression(boxes, scores).tolist() == [0, 2]
    assert non_max_suppression(boxes, scores, max_output_size=1).tolist() == [0]
    assert non_max_suppression(boxes, scores, max_output_size=0).tolist() == []
    assert non_max_suppression(np.zeros((0, 4)), np.zeros(0)).tolist() == []
    assert non_max_suppression(boxes, scores).dtype == np.int64


def test_nms_steps_agree_with_nms_and_explain_each_step():
    rng = np.random.default_rng(1)
    for _ in range(20):
        n = int(rng.integers(1, 25))
        boxes, scores = random_boxes(rng, n, size=40), rng.uniform(0, 1, n)
        steps = nms_steps(boxes, scores, 0.4, 0.3)
        assert all(isinstance(step, NMSStep) for step in steps)
        assert steps[0].kept is None
        assert set(steps[0].suppressed) == set(np.flatnonzero(scores < 0.3).tolist())
        kept = [step.kept for step in steps[1:]]
        assert kept == non_max_suppression(boxes, scores, 0.4, 0.3).tolist()
        seen = set(steps[0].suppressed)
        for step in steps[1:]:
            assert len(step.ious) == len(step.suppressed)
            assert all(value > 0.4 for value in step.ious)
            for index, value in zip(step.suppressed, step.ious, strict=True):
                assert value == pytest.approx(iou(boxes[step.kept], boxes[index]))
            seen |= {step.kept, *step.suppressed}
        assert seen == set(range(n))  # every box is either kept or removed by some step
        assert steps[-1].remaining == ()


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        (dict(boxes=np.zeros((3, 5)), scores=np.zeros(3)), ValueError,
         r"boxes must have shape \(N, 4\), got \(3, 5\)"),
        (dict(boxes=np.zeros((3, 4)), scores=np.zeros(2)), ValueError, "same length"),
        (dict(boxes=np.zeros((3, 4)), scores=np.zeros((3, 1))), ValueError, r"shape \(N,\)"),
        (dict(boxes=np.zeros((1, 4)), scores=[np.nan]), ValueError, "NaN"),
        (dict(boxes=np.zeros((1, 4)), scores=[0.5], iou_threshold=1.5), ValueError,
         "iou_threshold must be between 0 and 1"),
        (dict(boxes=np.zeros((1, 4)), scores=[0.5], score_threshold=-0.1), ValueError,
         "score_threshold must be between 0 and 1"),
        (dict(boxes=np.zeros((1, 4)), scores=[0.5], iou_threshold="0.5"), TypeError,
         "iou_threshold must be a number"),
        (dict(boxes=np.zeros((1, 4)), scores=[0.5], max_output_size=-1), ValueError,
         "max_output_size"),
        (dict(boxes=[[1, 0, 0, 1]], scores=[0.5]), ValueError, "x1 <= x2"),
    ],
)
def test_nms_rejects_bad_inputs(kwargs, error, message):
    with pytest.raises(error, match=message):
        non_max_suppression(**kwargs)
    with pytest.raises(error, match=message):
        nms_steps(**kwargs)


# --------------------------------------------------------------------------- YOLO


def test_encode_yolo_hand_worked_cell_vector():
    grid = encode_yolo([[8, 8, 24, 16]], [1], grid_size=4, num_classes=2, image_size=32)
    assert grid.shape == (4, 4, 7)
    assert grid.dtype == np.float32
    np.testing.assert_allclose(grid[1, 2], [1, 0, 0.5, 2, 1, 0, 1])
    grid[1, 2] = 0
    assert not grid.any()  # every other cell is empty


def test_encode_yolo_offsets_in_unit_interval_and_sizes_can_exceed_one():
    rng = np.random.default_rng(3)
    for _ in range(30):
        boxes = random_boxes(rng, 6, size=60)
        grid = encode_yolo(boxes, rng.integers(0, 3, 6), 5, 3, (100, 120), on_collision="larger")
        full = grid[grid[..., 0] == 1]
        assert np.all((full[:, 1:3] >= 0) & (full[:, 1:3] < 1))
        assert np.all(full[:, 5:].sum(axis=1) == 1)
    big = encode_yolo([[0, 0, 32, 32]], [0], grid_size=4, num_classes=1, image_size=32)
    np.testing.assert_allclose(big[2, 2], [1, 0, 0, 4, 4, 1])  # bw = bh = 4 cells


def test_yolo_round_trip_random_boxes():
    rng = np.random.default_rng(7)
    compared = 0
    for _ in range(40):
        height, width = int(rng.integers(20, 200)), int(rng.integers(20, 200))
        grid_size = int(rng.integers(2, 9))
        n = int(rng.integers(0, 5))
        x1 = rng.uniform(0, width - 2, n)
        y1 = rng.uniform(0, height - 2, n)
        x2 = rng.uniform(x1 + 1, width)
        y2 = rng.uniform(y1 + 1, height)
        boxes = np.stack([x1, y1, x2, y2], axis=1).reshape(-1, 4)
        classes = rng.integers(0, 4, n)
        cell_of = [
            (min(int((b + d) / 2 // (height / grid_size)), grid_size - 1),
             min(int((a + c) / 2 // (width / grid_size)), grid_size - 1))
            for a, b, c, d in boxes
        ]
        if len(set(cell_of)) < n:
            continue  # two centres in one cell: not a round trip by design
        grid = encode_yolo(boxes, classes, grid_size, 4, (height, width), on_collision="raise")
        decoded, scores, decoded_classes = decode_yolo(grid, (height, width))
        order = np.lexsort((np.array([c for _, c in cell_of]), np.array([r for r, _ in cell_of])))
        # float32 storage in the grid: compare to a relative tolerance
        np.testing.assert_allclose(decoded, boxes[order].reshape(-1, 4), rtol=1e-5, atol=1e-3)
        np.testing.assert_array_equal(decoded_classes, classes[order])
        np.testing.assert_array_equal(scores, np.ones(n))
        compared += n
    assert compared > 40


def test_yolo_collision_policy():
    boxes = [[0, 0, 10, 10], [2, 2, 6, 6]]  # both centres in the top-left 16 px cell
    grid = encode_yolo(boxes, [0, 1], grid_size=2, num_classes=2, image_size=32)
    assert grid[0, 0, 5] == 1 and grid[0, 0, 6] == 0  # the larger box (class 0) wins
    grid = encode_yolo(boxes[::-1], [1, 0], grid_size=2, num_classes=2, image_size=32)
    assert grid[0, 0, 5] == 1  # whatever the order
    with pytest.raises(ValueError, match="both have their centre in cell"):
        encode_yolo(boxes, [0, 1], grid_size=2, num_classes=2, image_size=32,
                    on_collision="raise")


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(boxes=[[0, 0, 40, 10]]), "outside the 32x32 image"),
        (dict(boxes=[[-1, 0, 10, 10]]), "outside"),
        (dict(boxes=[[5, 5, 5, 10]]), "zero width or height"),
        (dict(classes=[3]), r"class ids must be in 0..2"),
        (dict(classes=[0, 1]), r"classes must have shape \(1,\)"),
        (dict(classes=[0.5]), "integer class ids"),
        (dict(grid_size=0), "grid_size must be a positive integer"),
        (dict(num_classes=2.5), "num_classes must be a positive integer"),
        (dict(image_size=(32, 0)), "image_size"),
        (dict(on_collision="smaller"), "on_collision"),
        (dict(boxes=np.zeros((1, 3))), r"shape \(N, 4\)"),
    ],
)
def test_encode_yolo_rejects_bad_inputs(kwargs, message):
    arguments = dict(boxes=[[0, 0, 10, 10]], classes=[0], grid_size=4, num_classes=3,
                     image_size=32)
    arguments.update(kwargs)
    with pytest.raises(ValueError, match=message):
        encode_yolo(**arguments)


def test_decode_yolo_threshold_clipping_and_bad_inputs():
    grid = np.zeros((2, 2, 6))
    grid[0, 0] = [0.7, 0.5, 0.5, 3.0, -1.0, 1.0]  # too wide, negative height
    grid[1, 1] = [0.4, 0.5, 0.5, 1.0, 1.0, 1.0]
    boxes, scores, classes = decode_yolo(grid, 10, score_threshold=0.6)
    np.testing.assert_allclose(boxes, [[0, 2.5, 10, 2.5]])
    np.testing.assert_allclose(scores, [0.7])
    assert decode_yolo(grid, 10, score_threshold=0.3)[0].shape == (2, 4)
    assert decode_yolo(np.zeros((3, 3, 6)), 9)[0].shape == (0, 4)
    with pytest.raises(ValueError, match=r"grid must have shape \(S, S, 5 \+ num_classes\)"):
        decode_yolo(np.zeros((2, 2, 5)), 10)
    with pytest.raises(ValueError, match="score_threshold"):
        decode_yolo(grid, 10, score_threshold=2)


# --------------------------------------------------------------------------- cells and scores

from helpers.detection import (  # noqa: E402
    CellBox,
    cell_coordinates,
    detection_scores,
    match_detections,
)


def test_cell_coordinates_worked_example_and_large_boxes():
    cell = cell_coordinates([30, 190, 290, 330], grid_size=7, image_size=448)
    assert cell == CellBox(row=4, col=2, bx=0.5, by=0.0625, bw=4.0625, bh=2.1875)
    assert cell.bw > 1                                  # a box wider than a cell
    assert cell_coordinates([0, 0, 64, 64], 1, 64) == CellBox(0, 0, 0.5, 0.5, 1.0, 1.0)


def test_cell_coordinates_agree_with_encode_yolo():
    rng = np.random.default_rng(3)
    for _ in range(50):
        x1, y1 = rng.uniform(0, 80, 2)
        box = [x1, y1, x1 + rng.uniform(1, 40), y1 + rng.uniform(1, 40)]
        grid = encode_yolo([box], [0], grid_size=5, num_classes=1, image_size=(120, 120))
        cell = cell_coordinates(box, 5, 120)
        assert grid[cell.row, cell.col, 0] == 1.0
        np.testing.assert_allclose(grid[cell.row, cell.col, 1:5],
                                   [cell.bx, cell.by, cell.bw, cell.bh], rtol=1e-6)


def test_cell_coordinates_rejects_bad_boxes():
    with pytest.raises(ValueError, match="outside"):
        cell_coordinates([0, 0, 50, 10], 4, 32)
    with pytest.raises(ValueError, match="zero width"):
        cell_coordinates([5, 5, 5, 9], 4, 32)
    with pytest.raises(ValueError, match="grid_size"):
        cell_coordinates([0, 0, 4, 4], 0, 32)


def test_match_detections_is_greedy_one_to_one_and_class_aware():
    truth, truth_classes = [[0, 0, 10, 10], [20, 20, 30, 30]], [0, 1]
    predictions = [[0, 0, 10, 10], [1, 1, 10, 10], [20, 20, 30, 30]]
    # the duplicate (index 1) finds its truth taken; the third box has the wrong class
    assert match_detections(predictions, [0, 0, 0], truth, truth_classes) == [(0, 0, 1.0)]
    matches = match_detections(predictions, [0, 0, 1], truth, truth_classes)
    assert [(p, t) for p, t, _ in matches] == [(0, 0), (2, 1)]
    assert match_detections(np.zeros((0, 4)), [], truth, truth_classes) == []
    with pytest.raises(ValueError, match="one class per box"):
        match_detections(predictions, [0], truth, truth_classes)


def test_detection_scores_precision_recall_and_mean_iou():
    truths = [([[0, 0, 10, 10]], [0]), ([[0, 0, 10, 10], [20, 20, 30, 30]], [0, 2])]
    predictions = [([[0, 0, 10, 10], [50, 50, 60, 60]], [0, 1]),       # one hit, one miss
                   ([[0, 0, 10, 8]], [0])]                              # IoU 0.8, one missed
    score = detection_scores(predictions, truths)
    assert (score.true_positives, score.false_positives, score.false_negatives) == (2, 1, 1)
    assert score.precision == pytest.approx(2 / 3) and score.recall == pytest.approx(2 / 3)
    assert score.mean_iou == pytest.approx(0.9)
    assert detection_scores([([], [])], [([], [])]).precision == 0.0
    with pytest.raises(ValueError, match="one prediction per image"):
        detection_scores(predictions, truths[:1])
