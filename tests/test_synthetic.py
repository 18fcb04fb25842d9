"""Tests of helpers.synthetic.make_shapes: shapes, determinism, boxes versus masks, speed."""

from __future__ import annotations

import time

import numpy as np
import pytest

from helpers.synthetic import CLASS_NAMES, Shapes, make_shapes


def test_shapes_dtypes_and_ranges():
    data = make_shapes(50, image_size=32, max_objects=3, seed=0)
    assert isinstance(data, Shapes)
    assert data.images.shape == (50, 32, 32, 3) and data.images.dtype == np.float32
    assert data.masks.shape == (50, 32, 32) and data.masks.dtype == np.int32
    assert data.images.min() >= 0.0 and data.images.max() <= 1.0
    assert len(data.boxes) == len(data.classes) == 50
    assert set(np.unique(data.masks)) <= {0, 1, 2, 3}
    for boxes, classes in zip(data.boxes, data.classes, strict=True):
        assert boxes.ndim == 2 and boxes.shape[1] == 4 and boxes.dtype == np.float32
        assert 1 <= len(boxes) <= 3 and classes.shape == (len(boxes),)
        assert np.all((classes >= 0) & (classes < len(CLASS_NAMES)))
        assert np.all(boxes[:, :2] >= 0) and np.all(boxes[:, 2:] <= 32)
        assert np.all(boxes[:, 2:] > boxes[:, :2])


def test_deterministic_by_seed():
    a, b = make_shapes(10, seed=5), make_shapes(10, seed=5)
    np.testing.assert_array_equal(a.images, b.images)
    np.testing.assert_array_equal(a.masks, b.masks)
    for x, y in zip(a.boxes, b.boxes, strict=True):
        np.testing.assert_array_equal(x, y)
    assert not np.array_equal(make_shapes(10, seed=6).images, a.images)


def test_boxes_are_tight_around_mask_pixels_and_classes_match():
    data = make_shapes(40, image_size=48, max_objects=4, seed=2)
    from scipy import ndimage

    for boxes, classes, mask in zip(data.boxes, data.classes, data.masks, strict=True):
        labelled, count = ndimage.label(mask > 0)
        assert count == len(boxes)  # objects never touch, so each is one component
        for box, class_id in zip(boxes, classes, strict=True):
            x1, y1, x2, y2 = box.astype(int)
            region = mask[y1:y2, x1:x2]
            assert np.all(region[region > 0] == class_id + 1)
            # tight: every border row / column of the box has an object pixel
            for line in (region[0], region[-1], region[:, 0], region[:, -1]):
                assert (line > 0).any()
        assert (mask > 0).sum() == sum(
            (mask[int(b[1]):int(b[3]), int(b[0]):int(b[2])] > 0).sum() for b in boxes
        )


def test_all_classes_appear_and_shapes_differ():
    data = make_shapes(200, seed=0)
    counts = np.bincount(np.concatenate(data.classes), minlength=3)
    assert np.all(counts > 50)
    # a square fills its box, a circle about pi/4 of it, a triangle about half
    fill = {0: [], 1: [], 2: []}
    for boxes, classes, mask in zip(data.boxes, data.classes, data.masks, strict=True):
        for box, class_id in zip(boxes.astype(int), classes, strict=True):
            region = mask[box[1]:box[3], box[0]:box[2]]
            fill[int(class_id)].append((region > 0).mean())
    assert np.mean(fill[0]) == 1.0
    assert 0.7 < np.mean(fill[1]) < 0.9
    assert 0.4 < np.mean(fill[2]) < 0.65


def test_fast_enough():
    start = time.perf_counter()
    make_shapes(1000, image_size=32)
    assert time.perf_counter() - start < 2.0  # typically ~0.2 s; generous for a loaded CI box


def test_empty_and_options():
    empty = make_shapes(0)
    assert empty.images.shape == (0, 32, 32, 3) and empty.boxes == []
    one = make_shapes(5, image_size=16, max_objects=1, min_size=4, max_size=6, noise=0.0)
    assert all(len(b) == 1 for b in one.boxes)
    sizes = np.concatenate([b[:, 2:] - b[:, :2] for b in one.boxes])
    assert sizes.max() <= 6


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(n=-1), "n must be an integer >= 0"),
        (dict(n=2.5), "n must be an integer"),
        (dict(n=1, image_size=4), "image_size must be an integer >= 8"),
        (dict(n=1, max_objects=0), "max_objects must be an integer >= 1"),
        (dict(n=1, min_size=10, max_size=5), "min_size <= max_size"),
        (dict(n=1, max_size=40), "max_size <= image_size"),
        (dict(n=1, noise=-0.1), "noise must be"),
    ],
)
def test_bad_inputs(kwargs, message):
    with pytest.raises(ValueError, match=message):
        make_shapes(**kwargs)


def test_painting_is_deterministic_and_colourful():
    from helpers.synthetic import make_painting

    first, second = make_painting(48, seed=2), make_painting(48, seed=2)
    assert first.shape == (48, 48, 3) and first.dtype == np.float32
    assert np.array_equal(first, second)
    assert not np.array_equal(first, make_painting(48, seed=3))
    assert 0.0 <= first.min() and first.max() <= 1.0
    assert first.reshape(-1, 3).std(axis=0).min() > 0.05      # strokes, not a flat canvas
    with pytest.raises(ValueError, match="size"):
        make_painting(4)
