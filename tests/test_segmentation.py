"""Tests of helpers.segmentation against a hand-worked example and keras.metrics.MeanIoU."""

from __future__ import annotations

import os

import numpy as np
import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from helpers.segmentation import confusion_matrix, segmentation_scores  # noqa: E402


def test_hand_worked_example():
    true = np.array([[0, 0, 1], [1, 2, 2]])
    pred = np.array([[0, 1, 1], [1, 2, 0]])
    assert confusion_matrix(true, pred, 3).tolist() == [[1, 1, 0], [0, 2, 0], [1, 0, 1]]
    score = segmentation_scores(true, pred, 3)
    assert score.pixel_accuracy == pytest.approx(4 / 6)
    np.testing.assert_allclose(score.per_class_iou, [1 / 3, 2 / 3, 1 / 2])
    assert score.mean_iou == pytest.approx(np.mean([1 / 3, 2 / 3, 1 / 2]))


def test_mean_iou_agrees_with_keras():
    import keras

    rng = np.random.default_rng(0)
    true, pred = rng.integers(0, 4, (5, 16, 16)), rng.integers(0, 4, (5, 16, 16))
    metric = keras.metrics.MeanIoU(num_classes=4)
    metric.update_state(true, pred)
    assert segmentation_scores(true, pred, 4).mean_iou == pytest.approx(float(metric.result()),
                                                                        rel=1e-6)


def test_absent_classes_are_left_out_of_the_mean():
    score = segmentation_scores([[0, 0], [1, 1]], [[0, 0], [1, 1]], num_classes=4)
    assert np.isnan(score.per_class_iou[2:]).all() and score.mean_iou == 1.0


@pytest.mark.parametrize("args,error,message", [
    (([[0, 1]], [[0]], 2), ValueError, "same shape"),
    (([[0, 5]], [[0, 1]], 2), ValueError, "outside"),
    (([[0.5]], [[0]], 2), ValueError, "integer class ids"),
    (([[0]], [[0]], 0), ValueError, "num_classes"),
    ((np.zeros((0,)), np.zeros((0,)), 2), ValueError, "empty"),
    (([["a"]], [[0]], 2), TypeError, "integer class ids"),
])
def test_bad_inputs_are_explained(args, error, message):
    with pytest.raises(error, match=message):
        segmentation_scores(*args)
