"""Tests of helpers.transfer: the rotation pretext task, few-label draws, the offline probe of
pretrained weights, and unfreezing the top of a base."""

from __future__ import annotations

import os
import time

import numpy as np
import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from helpers import transfer  # noqa: E402


def test_rotation_pretext_rotates_and_labels():
    images = np.arange(2 * 3 * 3, dtype="float32").reshape(2, 3, 3, 1)
    rotated, labels = transfer.rotation_pretext(images)
    assert rotated.shape == (8, 3, 3, 1) and labels.tolist() == [0, 0, 1, 1, 2, 2, 3, 3]
    np.testing.assert_array_equal(rotated[:2], images)
    np.testing.assert_array_equal(rotated[5], np.rot90(images[1], 2, axes=(0, 1)))
    with pytest.raises(ValueError, match="square"):
        transfer.rotation_pretext(np.zeros((1, 2, 3)))
    with pytest.raises(ValueError, match="shape"):
        transfer.rotation_pretext(np.zeros((2, 3)))


def test_few_labels_draws_per_class_reproducibly():
    labels = np.repeat(np.arange(4), 10)
    chosen = transfer.few_labels(labels, 3, seed=1)
    assert len(chosen) == 12 and np.bincount(labels[chosen]).tolist() == [3, 3, 3, 3]
    np.testing.assert_array_equal(chosen, transfer.few_labels(labels, 3, seed=1))
    assert set(labels[transfer.few_labels(labels, 2, classes=[1, 3])]) == {1, 3}
    with pytest.raises(ValueError, match="only 10 examples"):
        transfer.few_labels(labels, 11)
    with pytest.raises(ValueError, match="per_class"):
        transfer.few_labels(labels, 0)


def test_pretrained_status_is_quick_and_honest_offline(monkeypatch, tmp_path):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    monkeypatch.setattr(transfer, "_cached", lambda name: False)
    monkeypatch.setenv("DLBOOK_OFFLINE", "1")
    start = time.perf_counter()
    status = transfer.pretrained_status("resnet50")
    assert not status.available and "DLBOOK_OFFLINE" in status.reason
    assert time.perf_counter() - start < 1.0
    monkeypatch.delenv("DLBOOK_OFFLINE")
    monkeypatch.setattr("helpers.data.host_reachable", lambda host, timeout=None: False)
    assert transfer.pretrained_status("ResNet50") == (False, "cannot reach storage.googleapis.com")
    monkeypatch.setattr(transfer, "_cached", lambda name: True)
    assert transfer.pretrained_status("vgg19").available
    with pytest.raises(ValueError, match="unknown model"):
        transfer.pretrained_status("alexnet")


def test_unfreeze_top_keeps_batch_norm_frozen():
    import keras

    base = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3), keras.layers.Dense(3),
                             keras.layers.BatchNormalization(), keras.layers.Dense(2)])
    base.trainable = False
    assert len(base.trainable_weights) == 0
    assert transfer.unfreeze_top(base, 3) == 4           # two Dense layers, BN skipped
    assert not base.layers[0].trainable and not base.layers[2].trainable
    assert transfer.unfreeze_top(base, 0) == 0
    with pytest.raises(TypeError, match="keras.Model"):
        transfer.unfreeze_top("resnet", 2)
    with pytest.raises(ValueError, match="count"):
        transfer.unfreeze_top(base, -1)
