"""A colour-biased toy dataset: the notes' blue-Ford / red-test-car augmentation question, made
concrete (Lecture 05).

Two classes of tiny side-view cars that differ only in **shape**: a "Ford" has a long, low
cabin, a "Chevrolet" a short, tall one. Any colour can be chosen per class, so a training set
where every Ford is blue and every Chevrolet red lets a model score perfectly by looking at the
colour alone, and then fail on red Fords. Images are float32 RGB in [0, 1], shape (N, 16, 16, 3).

>>> images, labels = make_cars(4, colours={"ford": "blue", "chevrolet": "red"}, seed=0)
>>> images.shape, labels.tolist()
((4, 16, 16, 3), [0, 1, 0, 1])
"""

from __future__ import annotations

import numpy as np

CLASSES = ("ford", "chevrolet")
SIZE = 16
PAINTS = {"blue": (0.15, 0.3, 0.85), "red": (0.85, 0.15, 0.15), "green": (0.15, 0.65, 0.2),
          "yellow": (0.9, 0.8, 0.1), "grey": (0.5, 0.5, 0.5)}
# cabin (rows above the body, width in pixels) of each class: the only thing that differs
CABINS = {"ford": (2, 8), "chevrolet": (4, 4)}


def _paint(name: str) -> np.ndarray:
    if name not in PAINTS and name != "any":
        raise ValueError(f"colour must be one of {', '.join(PAINTS)} or 'any', got {name!r}")
    return np.array(PAINTS[name]) if name != "any" else None


def make_cars(n: int, colours: dict[str, str] | None = None, seed: int | None = 0,
              noise: float = 0.04) -> tuple[np.ndarray, np.ndarray]:
    """``n`` cars, alternating Ford (label 0) and Chevrolet (label 1).

    ``colours`` maps each class to a paint name (``"blue"``, ``"red"``, ...) or ``"any"`` (a
    random paint per car); default ``"any"`` for both. Each car gets a random position
    (±2 px across, ±1 px up or down), a slightly varied shade and pixel noise.
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n must be a positive integer, got {n!r}")
    colours = {"ford": "any", "chevrolet": "any", **(colours or {})}
    unknown = set(colours) - set(CLASSES)
    if unknown:
        raise ValueError(f"colours may name only {CLASSES}, got {sorted(unknown)}")
    paints = {name: _paint(colour) for name, colour in colours.items()}
    if not 0 <= noise < 0.5:
        raise ValueError(f"noise must be in [0, 0.5), got {noise!r}")
    rng = np.random.default_rng(seed)
    images = np.empty((int(n), SIZE, SIZE, 3), dtype=np.float32)
    labels = np.arange(int(n)) % 2
    palette = np.array(list(PAINTS.values()))
    for index, label in enumerate(labels):
        name = CLASSES[label]
        paint = paints[name] if paints[name] is not None else palette[rng.integers(len(palette))]
        paint = np.clip(paint + rng.normal(0, 0.05, 3), 0, 1)
        image = np.full((SIZE, SIZE, 3), 0.92) + rng.normal(0, noise, (SIZE, SIZE, 3))
        dx, dy = int(rng.integers(-2, 3)), int(rng.integers(-1, 2))
        left, right, top = 2 + dx, 14 + dx, 9 + dy                  # body: 12 wide, 3 high
        image[top:top + 3, left:right] = paint
        cabin_height, cabin_width = CABINS[name]
        centre = (left + right) // 2
        image[top - cabin_height:top, centre - cabin_width // 2:centre + cabin_width // 2] = \
            paint * 0.8 + 0.2 * np.array([0.75, 0.85, 0.95])      # windows: a little lighter
        for wheel in (left + 2, right - 3):
            image[top + 3:top + 5, wheel:wheel + 2] = 0.1
        images[index] = np.clip(image, 0, 1)
    return images, labels


__all__ = ["CLASSES", "PAINTS", "make_cars"]
