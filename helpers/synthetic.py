"""Procedural shapes: a tiny detection and segmentation dataset that needs no download.

Each image shows one to ``max_objects`` filled shapes (square, circle, triangle) in random
bright colours on a random dark background with a little pixel noise. Colour says nothing
about the class, so a model has to look at the shape. Objects never overlap, so every object
is fully visible, its box is the tight box around its pixels and the segmentation mask is
exact.

>>> data = make_shapes(4, image_size=32, seed=0)
>>> data.images.shape, data.masks.shape, len(data.boxes)
((4, 32, 32, 3), (4, 32, 32), 4)
>>> data.boxes[0].shape[1], data.classes[0].dtype
(4, dtype('int64'))
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

__all__ = ["CLASS_NAMES", "Shapes", "make_shapes"]

CLASS_NAMES: tuple[str, ...] = ("square", "circle", "triangle")


class Shapes(NamedTuple):
    """The output of :func:`make_shapes`.

    images   float32 (n, H, W, 3) in [0, 1]
    boxes    list of n float32 arrays (k_i, 4): corner boxes (x1, y1, x2, y2) in pixels,
             tight around the object's pixels (pixel column c covers x in [c, c + 1))
    classes  list of n int64 arrays (k_i,): 0 square, 1 circle, 2 triangle
    masks    int32 (n, H, W): 0 background, 1 + class id on the object's pixels
    """

    images: np.ndarray
    boxes: list[np.ndarray]
    classes: list[np.ndarray]
    masks: np.ndarray


def _check_int(value, name: str, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def _shape_pixels(kind: int, height: int, width: int) -> np.ndarray:
    """Boolean (height, width) patch of a square, circle or triangle filling the patch."""
    rows = np.arange(height)[:, None] + 0.5  # pixel centres
    cols = np.arange(width)[None, :] + 0.5
    if kind == 0:
        return np.ones((height, width), dtype=bool)
    if kind == 1:
        radius_y, radius_x = height / 2, width / 2
        return ((rows - radius_y) / radius_y) ** 2 + ((cols - radius_x) / radius_x) ** 2 <= 1.0
    # triangle: apex at the top centre, base along the bottom edge
    half_width = (width / 2) * rows / height
    return np.abs(cols - width / 2) <= half_width + 0.25


def make_shapes(
    n: int,
    image_size: int = 32,
    max_objects: int = 3,
    seed: int = 0,
    min_size: int | None = None,
    max_size: int | None = None,
    noise: float = 0.03,
) -> Shapes:
    """Draw ``n`` images of non-overlapping squares, circles and triangles.

    Per image: the number of objects is uniform in 1..``max_objects``; each object's class is
    uniform over the three shapes; its size is uniform in ``min_size``..``max_size`` pixels
    (defaults: ``image_size // 5`` and ``image_size // 2``); squares and circles are as tall as
    they are wide, triangles take an independent width and height. A placement that would
    overlap an earlier object is retried up to 20 times and otherwise dropped, so an image
    may show fewer objects than drawn (never zero). Deterministic for a given ``seed``.

    >>> a = make_shapes(2, seed=1)
    >>> b = make_shapes(2, seed=1)
    >>> bool((a.images == b.images).all())
    True
    """
    n = _check_int(n, "n", 0)
    image_size = _check_int(image_size, "image_size", 8)
    max_objects = _check_int(max_objects, "max_objects", 1)
    seed = _check_int(seed, "seed", 0)
    min_size = image_size // 5 if min_size is None else _check_int(min_size, "min_size", 3)
    max_size = image_size // 2 if max_size is None else _check_int(max_size, "max_size", 3)
    min_size = max(min_size, 3)
    if not min_size <= max_size <= image_size:
        raise ValueError(
            f"need 3 <= min_size <= max_size <= image_size, got min_size={min_size}, "
            f"max_size={max_size}, image_size={image_size}"
        )
    if isinstance(noise, bool) or not isinstance(noise, (int, float)) or not 0 <= noise <= 1:
        raise ValueError(f"noise must be a number between 0 and 1, got {noise!r}")

    rng = np.random.default_rng(seed)
    size = image_size
    images = np.empty((n, size, size, 3), dtype=np.float32)
    masks = np.zeros((n, size, size), dtype=np.int32)
    backgrounds = rng.uniform(0.0, 0.35, size=(n, 3)).astype(np.float32)
    images[:] = backgrounds[:, None, None, :]
    all_boxes: list[np.ndarray] = []
    all_classes: list[np.ndarray] = []
    for index in range(n):
        occupied = np.zeros((size, size), dtype=bool)
        boxes, classes = [], []
        for _ in range(int(rng.integers(1, max_objects + 1))):
            kind = int(rng.integers(0, 3))
            colour = rng.uniform(0.45, 1.0, size=3).astype(np.float32)
            for _attempt in range(20):
                height = int(rng.integers(min_size, max_size + 1))
                width = height if kind != 2 else int(rng.integers(min_size, max_size + 1))
                top = int(rng.integers(0, size - height + 1))
                left = int(rng.integers(0, size - width + 1))
                # keep a one-pixel gap so neighbouring objects never touch
                window = occupied[max(top - 1, 0):top + height + 1,
                                  max(left - 1, 0):left + width + 1]
                if not window.any():
                    break
            else:
                continue
            pixels = _shape_pixels(kind, height, width)
            patch = (slice(top, top + height), slice(left, left + width))
            occupied[patch] |= pixels
            masks[index][patch][pixels] = kind + 1
            images[index][patch][pixels] = colour
            rows = np.flatnonzero(pixels.any(axis=1))
            cols = np.flatnonzero(pixels.any(axis=0))
            boxes.append([left + cols[0], top + rows[0], left + cols[-1] + 1,
                          top + rows[-1] + 1])
            classes.append(kind)
        all_boxes.append(np.asarray(boxes, dtype=np.float32).reshape(-1, 4))
        all_classes.append(np.asarray(classes, dtype=np.int64))
    if noise > 0 and n > 0:
        images += rng.normal(0.0, noise, size=images.shape).astype(np.float32)
        np.clip(images, 0.0, 1.0, out=images)
    return Shapes(images, all_boxes, all_classes, masks)
