"""helpers.metrics against scikit-learn, plus hand-worked cases and bad input."""

import numpy as np
import pytest
from sklearn import metrics as skm

from helpers import metrics


@pytest.fixture
def scored():
    rng = np.random.default_rng(0)
    truth = rng.integers(0, 2, 300)
    scores = np.round(truth * 0.8 + rng.normal(0, 0.6, 300), 1)     # rounding makes ties
    return truth, scores


def test_confusion_matrix_matches_sklearn():
    rng = np.random.default_rng(1)
    truth, pred = rng.integers(0, 5, 200), rng.integers(0, 5, 200)
    assert np.array_equal(metrics.confusion_matrix(truth, pred),
                          skm.confusion_matrix(truth, pred))
    padded = metrics.confusion_matrix([0, 1], [1, 1], num_classes=4)
    assert padded.shape == (4, 4) and padded[0, 1] == 1 and padded.sum() == 2


def test_confusion_matrix_rows_are_true_class():
    matrix = metrics.confusion_matrix([0, 0, 0, 1], [1, 1, 0, 1])
    assert matrix.tolist() == [[1, 2], [0, 1]]


@pytest.mark.parametrize("positive", [0, 1, 2])
def test_precision_recall_f1_matches_sklearn(positive):
    rng = np.random.default_rng(2)
    truth, pred = rng.integers(0, 3, 150), rng.integers(0, 3, 150)
    ours = metrics.precision_recall_f1(truth, pred, positive=positive)
    ref = skm.precision_recall_fscore_support(truth, pred, labels=[positive], zero_division=0)
    assert np.allclose(ours, [ref[0][0], ref[1][0], ref[2][0]])


def test_precision_is_zero_without_predicted_positives():
    assert metrics.precision_recall_f1([1, 1, 0], [0, 0, 0]) == (0.0, 0.0, 0.0)


def test_from_confusion_reads_every_metric():
    matrix = np.array([[50, 10], [5, 35]])
    assert metrics.from_confusion(matrix, "precision") == pytest.approx(35 / 45)
    assert metrics.from_confusion(matrix, "recall") == pytest.approx(35 / 40)
    assert metrics.from_confusion(matrix, "accuracy") == pytest.approx(85 / 100)
    p, r = 35 / 45, 35 / 40
    assert metrics.from_confusion(matrix, "f1") == pytest.approx(2 * p * r / (p + r))
    assert metrics.from_confusion(matrix, "precision", positive=0) == pytest.approx(50 / 55)


def test_roc_curve_matches_sklearn(scored):
    truth, scores = scored
    for drop in (True, False):
        ours = metrics.roc_curve(truth, scores, drop_intermediate=drop)
        ref = skm.roc_curve(truth, scores, drop_intermediate=drop)
        for a, b in zip(ours, ref, strict=True):
            assert a.shape == b.shape and np.allclose(a, b)
    assert np.isinf(ours[2][0])


def test_precision_recall_curve_matches_sklearn(scored):
    truth, scores = scored
    ours = metrics.precision_recall_curve(truth, scores)
    ref = skm.precision_recall_curve(truth, scores)
    for a, b in zip(ours, ref, strict=True):
        assert a.shape == b.shape and np.allclose(a, b)


def test_auc_and_roc_auc_match_sklearn(scored):
    truth, scores = scored
    assert metrics.roc_auc(truth, scores) == pytest.approx(skm.roc_auc_score(truth, scores))
    x, y = [0, 0.5, 1], [0, 0.8, 1]
    assert metrics.auc(x, y) == pytest.approx(skm.auc(x, y))
    assert metrics.auc(x[::-1], y[::-1]) == pytest.approx(skm.auc(x, y))


def test_rank_auc_is_the_pairwise_probability(scored):
    truth, scores = scored
    assert metrics.rank_auc(truth, scores) == pytest.approx(metrics.roc_auc(truth, scores))
    assert metrics.rank_auc([0, 1], [0.1, 0.9]) == 1.0
    assert metrics.rank_auc([0, 1], [0.5, 0.5]) == 0.5


def test_threshold_counts_agree_with_confusion(scored):
    truth, scores = scored
    counts = metrics.threshold_counts(truth, scores, 0.4)
    matrix = metrics.confusion_matrix(truth, (scores >= 0.4).astype(int))
    assert [[counts["tn"], counts["fp"]], [counts["fn"], counts["tp"]]] == matrix.tolist()
    p, r, _ = metrics.precision_recall_f1(truth, (scores >= 0.4).astype(int))
    assert counts["precision"] == pytest.approx(p) and counts["recall"] == pytest.approx(r)


@pytest.mark.parametrize("call, message", [
    (lambda: metrics.confusion_matrix([0, 1], [0]), "same length"),
    (lambda: metrics.confusion_matrix([0, -1], [0, 1]), "non-negative"),
    (lambda: metrics.confusion_matrix([0, 1.5], [0, 1]), "integer"),
    (lambda: metrics.confusion_matrix([[0, 1]], [[0, 1]]), "1-D"),
    (lambda: metrics.confusion_matrix([0, 3], [0, 1], num_classes=2), "does not fit"),
    (lambda: metrics.confusion_matrix([], []), "empty"),
    (lambda: metrics.roc_curve([1, 1, 1], [0.2, 0.3, 0.4]), "only one class"),
    (lambda: metrics.roc_curve([0, 2, 1], [0.2, 0.3, 0.4]), "binary"),
    (lambda: metrics.roc_curve([0, 1], [0.2, np.nan]), "finite"),
    (lambda: metrics.roc_curve([0, 1], np.ones((2, 2))), "1-D"),
    (lambda: metrics.auc([0, 1, 0.5], [0, 1, 1]), "increasing nor decreasing"),
    (lambda: metrics.auc([0], [1]), "at least 2"),
    (lambda: metrics.from_confusion([[1, 2], [3, 4]], "specificity"), "metric must be"),
    (lambda: metrics.from_confusion([[1, -2], [3, 4]], "recall"), "non-negative"),
    (lambda: metrics.scores_from_counts(1, -1, 0), "non-negative"),
])
def test_bad_input_is_a_clear_value_error(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_string_labels_are_a_type_error():
    with pytest.raises(TypeError, match="integer class labels"):
        metrics.confusion_matrix(["cat", "dog"], ["cat", "cat"])
