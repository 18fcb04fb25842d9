"""Reusing what a network has learned: pretext tasks, few-label splits, pretrained weights.

* :func:`rotation_pretext` turns unlabelled images into a 4-way classification task (which
  multiple of 90 degrees was the image rotated by?), the self-supervised pretext task of
  Gidaris, Singh and Komodakis (2018).
* :func:`few_labels` draws the same small number of labelled examples from every class, so
  that "pretrained" and "from scratch" are compared on identical labels.
* :func:`pretrained_status` says, quickly and without downloading anything, whether the
  ImageNet weights of a ``keras.applications`` model can be loaded (cached, or the download
  host reachable), honouring ``DLBOOK_OFFLINE=1``.
* :func:`unfreeze_top` makes the top layers of a frozen base trainable for fine-tuning, and
  keeps batch-normalisation layers frozen.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike

__all__ = ["PretrainedStatus", "few_labels", "pretrained_status", "rotation_pretext",
           "unfreeze_top"]

WEIGHT_FILES = {
    "resnet50": "resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5",
    "vgg19": "vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5",
    "mobilenetv2": "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_224_no_top.h5",
}
WEIGHTS_HOST = "storage.googleapis.com"


def rotation_pretext(images: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Every image rotated by 0, 90, 180 and 270 degrees, labelled 0, 1, 2, 3.

    ``images`` is (N, H, W) or (N, H, W, C) with square H = W; returns ``(rotated, labels)`` of
    length 4N, all N images at 0 degrees first, then all at 90, and so on. The labels cost
    nothing: they come from the data.

    >>> rotated, labels = rotation_pretext(np.arange(4.0).reshape(1, 2, 2))
    >>> rotated[1].tolist(), labels.tolist()       # 90 degrees anticlockwise
    ([[1.0, 3.0], [0.0, 2.0]], [0, 1, 2, 3])
    """
    array = np.asarray(images)
    if array.ndim not in (3, 4):
        raise ValueError(f"images must be (N, H, W) or (N, H, W, C), got shape {array.shape}")
    if array.shape[1] != array.shape[2]:
        raise ValueError(f"images must be square to rotate by 90 degrees, got "
                         f"{array.shape[1]}x{array.shape[2]}")
    rotated = np.concatenate([np.rot90(array, k, axes=(1, 2)) for k in range(4)])
    labels = np.repeat(np.arange(4), len(array))
    return rotated, labels


def few_labels(labels: ArrayLike, per_class: int, classes: ArrayLike | None = None,
               seed: int = 0) -> np.ndarray:
    """Indices of ``per_class`` examples drawn at random from each class (sorted by class).

    ``classes`` restricts the draw to some classes (default: every class present).

    >>> few_labels([0, 1, 0, 1, 2, 2], per_class=1, classes=[0, 2], seed=0).tolist()
    [2, 5]
    """
    labels = np.asarray(labels)
    if labels.ndim != 1:
        raise ValueError(f"labels must be a 1-D array of class ids, got shape {labels.shape}")
    if isinstance(per_class, bool) or not isinstance(per_class, (int, np.integer)) \
            or per_class < 1:
        raise ValueError(f"per_class must be a positive integer, got {per_class!r}")
    chosen = np.unique(labels) if classes is None else np.asarray(classes)
    rng = np.random.default_rng(seed)
    picks = []
    for label in chosen:
        members = np.flatnonzero(labels == label)
        if len(members) < per_class:
            raise ValueError(f"class {label} has only {len(members)} examples, fewer than "
                             f"per_class={per_class}")
        picks.append(np.sort(rng.choice(members, per_class, replace=False)))
    return np.concatenate(picks)


class PretrainedStatus(NamedTuple):
    """``available``: the weights can be loaded now; ``reason``: why not (or where from)."""

    available: bool
    reason: str


def _cached(filename: str) -> bool:
    homes = [os.environ.get("KERAS_HOME") or os.path.join(Path.home(), ".keras"),
             os.path.join("/tmp", ".keras")]
    return any(Path(home, "models", filename).exists() for home in homes)


def pretrained_status(model: str = "resnet50") -> PretrainedStatus:
    """Can ``keras.applications.<model>(weights="imagenet", include_top=False)`` load now?

    Checks, in order: the weights file in Keras' cache (available), ``DLBOOK_OFFLINE=1`` (not
    available), a TCP connection to the download host within ``DLBOOK_TIMEOUT`` seconds
    (default 10). Never downloads anything and never blocks longer than that timeout.

    >>> import os
    >>> os.environ["DLBOOK_OFFLINE"] = "1"
    >>> pretrained_status("resnet50").available        # doctest: +SKIP
    False
    """
    from helpers import data

    key = str(model).lower()
    if key not in WEIGHT_FILES:
        raise ValueError(f"unknown model {model!r}; choose from {', '.join(WEIGHT_FILES)}")
    if _cached(WEIGHT_FILES[key]):
        return PretrainedStatus(True, "weights found in the Keras cache")
    if data.offline():
        return PretrainedStatus(False, "DLBOOK_OFFLINE is set")
    if not data.host_reachable(WEIGHTS_HOST):
        return PretrainedStatus(False, f"cannot reach {WEIGHTS_HOST}")
    return PretrainedStatus(True, f"will download from {WEIGHTS_HOST}")


def unfreeze_top(base, count: int) -> int:
    """Make the last ``count`` layers of ``base`` trainable (batch norm stays frozen).

    Sets ``base.trainable = True``, then freezes every layer except the last ``count``, and
    freezes every ``BatchNormalization`` layer anyway: its moving statistics were estimated on
    the pretraining data and a small new dataset would disturb them. Returns the number of
    trainable weights tensors afterwards. Recompile the model after calling this.

    >>> import keras
    >>> base = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3),
    ...                          keras.layers.BatchNormalization(), keras.layers.Dense(2)])
    >>> base.trainable = False
    >>> unfreeze_top(base, 2)          # BN stays frozen: only the last Dense (kernel, bias)
    2
    """
    import keras

    if not isinstance(base, keras.Model):
        raise TypeError(f"base must be a keras.Model, got {type(base).__name__}")
    if isinstance(count, bool) or not isinstance(count, (int, np.integer)) or count < 0:
        raise ValueError(f"count must be a non-negative integer, got {count!r}")
    base.trainable = True
    layers = base.layers
    boundary = max(len(layers) - int(count), 0)
    for index, layer in enumerate(layers):
        layer.trainable = index >= boundary and not isinstance(
            layer, keras.layers.BatchNormalization)
    return len(base.trainable_weights)
