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

__all__ = ["CLASS_NAMES", "Shapes", "make_painting", "make_shapes"]

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


PAINTING_PALETTE = np.array([
    [0.05, 0.10, 0.35], [0.10, 0.25, 0.60], [0.20, 0.45, 0.80], [0.45, 0.70, 0.90],
    [0.95, 0.85, 0.30], [0.98, 0.95, 0.70], [0.85, 0.55, 0.15],
], dtype=np.float32)


def make_painting(size: int = 128, seed: int = 0) -> np.ndarray:
    """A procedural "painting" of swirling brush strokes, float32 (size, size, 3) in [0, 1].

    A stand-in style image that needs no download: short thick strokes in a night-sky palette
    (deep blues, cyan, yellows) follow a flow field that circles around three vortex centres,
    so the picture has the two things a style loss measures: a colour scheme and an oriented
    stroke texture. Yellow strokes gather near the vortices, blue ones elsewhere.
    Deterministic for a given ``seed``.

    >>> painting = make_painting(32, seed=0)
    >>> painting.shape, painting.dtype, bool(painting.min() >= 0 and painting.max() <= 1)
    ((32, 32, 3), dtype('float32'), True)
    """
    size = _check_int(size, "size", 16)
    seed = _check_int(seed, "seed", 0)
    rng = np.random.default_rng(seed)
    rows, cols = np.mgrid[0:size, 0:size].astype(np.float32) / size
    canvas = (PAINTING_PALETTE[0] * (1 - rows[..., None]) + PAINTING_PALETTE[1] * rows[..., None])
    centres = rng.uniform(0.15, 0.85, size=(3, 2))

    # the flow field on the pixel grid: circles around each vortex plus a gentle wave
    direction = np.stack([np.full_like(rows, 0.35), 0.35 * np.sin(8 * rows + 3 * cols)])
    for cy, cx in centres:
        angle = np.arctan2(rows - cy, cols - cx) + np.pi / 2
        strength = np.exp(-np.hypot(rows - cy, cols - cx) / 0.25)
        direction += strength * np.stack([np.cos(angle), np.sin(angle)])
    direction /= np.linalg.norm(direction, axis=0) + 1e-6

    radius = max(1.0, size / 90)
    offsets = [(dy, dx) for dy in range(-3, 4) for dx in range(-3, 4)
               if dy * dy + dx * dx <= radius * radius + 0.5]
    offsets = np.asarray(offsets)
    num_strokes = size * size // 12
    step = max(1.0, size / 110)
    for _ in range(num_strokes):
        y, x = rng.uniform(0, 1, size=2)
        vortex = min(np.hypot(y - cy, x - cx) for cy, cx in centres)
        index = rng.choice([4, 5, 6]) if vortex < 0.12 + 0.05 * rng.random() else \
            rng.choice([0, 1, 2, 3], p=[0.15, 0.35, 0.3, 0.2])
        colour = np.clip(PAINTING_PALETTE[index] + rng.normal(0, 0.04, 3), 0, 1)
        for _ in range(int(rng.integers(4, 9))):
            py, px = int(y * size), int(x * size)
            pixels = offsets + (py, px)
            inside = np.all((pixels >= 0) & (pixels < size), axis=1)
            canvas[pixels[inside, 0], pixels[inside, 1]] = colour
            dy, dx = direction[:, min(py, size - 1), min(px, size - 1)]
            y, x = y + float(dy) * step / size, x + float(dx) * step / size
            if not (0 <= y < 1 and 0 <= x < 1):
                break
    return np.clip(canvas, 0, 1).astype(np.float32)
