"""helpers.toycars: the colour-biased car images: labels, paints, shapes and bad input."""

import numpy as np
import pytest

from helpers import toycars


def body_colour(image):
    """Mean colour of the car's pixels (those far from the light background)."""
    mask = np.abs(image - 0.92).sum(axis=-1) > 0.5
    return image[mask].mean(axis=0)


def test_colours_follow_the_class_and_shapes_differ():
    images, labels = toycars.make_cars(40, colours={"ford": "blue", "chevrolet": "red"})
    assert images.shape == (40, 16, 16, 3) and images.dtype == np.float32
    assert labels.tolist() == [0, 1] * 20
    assert 0 <= images.min() and images.max() <= 1
    for image, label in zip(images, labels, strict=True):
        colour = body_colour(image)
        assert (colour[2] > colour[0]) if label == 0 else (colour[0] > colour[2])
    # same paint for both classes: colour no longer tells them apart, the cabin does
    red, red_labels = toycars.make_cars(40, colours={"ford": "red", "chevrolet": "red"},
                                        noise=0.0)
    tall = [(np.abs(img - 0.92).sum(-1) > 0.5).any(axis=1).sum() for img in red]
    heights = np.array(tall)
    assert heights[red_labels == 1].min() > heights[red_labels == 0].max()


def test_deterministic_by_seed_and_any_colour():
    a = toycars.make_cars(6, seed=3)[0]
    assert np.array_equal(a, toycars.make_cars(6, seed=3)[0])
    assert not np.array_equal(a, toycars.make_cars(6, seed=4)[0])


@pytest.mark.parametrize("kwargs", [dict(n=0), dict(n=2.5), dict(colours={"audi": "red"}),
                                    dict(colours={"ford": "purple"}), dict(noise=0.7)])
def test_bad_input(kwargs):
    with pytest.raises(ValueError):
        toycars.make_cars(**{"n": 4, **kwargs})
