"""Adversarial examples: FGSM, PGD, robust accuracy and adversarial training.

All attacks live in the **L-infinity ball** of radius ``epsilon`` around the clean image: no
pixel moves by more than ``epsilon``,

.. math::

    \\|x' - x\\|_\\infty = \\max_i |x'_i - x_i| \\le \\varepsilon,

and (with ``clip=(0, 1)``, the default) every pixel stays a valid intensity.

The loss the attacks climb (or, for a targeted attack, descend) is the cross-entropy of the
model's output: sparse categorical cross-entropy for an output of shape (N, K) with K >= 2,
binary cross-entropy for an output of shape (N,) or (N, 1). Whether the model outputs
probabilities or logits is detected from its outputs (rows that are non-negative and sum to 1
are probabilities; for one output unit, values in [0, 1]); pass ``from_logits`` to say it
explicitly.
"""

from __future__ import annotations

from collections.abc import Callable

import keras
import numpy as np
import tensorflow as tf
from numpy.typing import ArrayLike

__all__ = ["AdversarialTrainer", "fgsm", "pgd", "robust_accuracy"]


# --------------------------------------------------------------------------- validation


def _check_number(value, name: str, positive: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a number, got {value!r}")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
    if positive and value <= 0:
        raise ValueError(f"{name} must be > 0, got {value}")
    if value < 0:
        raise ValueError(f"{name} must be >= 0, got {value}")
    return value


def _check_images(images, clip) -> np.ndarray:
    if hasattr(images, "numpy") and callable(images.numpy):
        images = images.numpy()
    try:
        array = np.asarray(images, dtype=np.float32)
    except (TypeError, ValueError) as error:
        raise TypeError(f"images must be a numeric array, got {type(images).__name__}") \
            from error
    if array.ndim < 2:
        raise ValueError(
            f"images must be a batch with the examples along the first axis, got shape "
            f"{array.shape}"
        )
    if not np.all(np.isfinite(array)):
        raise ValueError("images contain NaN or infinite values")
    if clip is not None and array.size:
        low, high = clip
        if array.min() < low - 1e-6 or array.max() > high + 1e-6:
            raise ValueError(
                f"images must lie in the clip range [{low:g}, {high:g}], got values in "
                f"[{array.min():.3g}, {array.max():.3g}] (scale them, or pass clip=None)"
            )
    return array


def _check_clip(clip) -> tuple[float, float] | None:
    if clip is None:
        return None
    try:
        low, high = (float(v) for v in clip)
    except (TypeError, ValueError) as error:
        raise ValueError(f"clip must be None or a (low, high) pair, got {clip!r}") from error
    if not low < high:
        raise ValueError(f"clip must have low < high, got {clip!r}")
    return low, high


def _check_labels(labels, count: int, name: str) -> np.ndarray:
    if hasattr(labels, "numpy") and callable(labels.numpy):
        labels = labels.numpy()
    array = np.asarray(labels)
    if array.ndim == 2 and array.shape[1] > 1:  # one-hot rows
        array = array.argmax(axis=1)
    array = array.reshape(array.shape[0], -1)[:, 0] if array.ndim == 2 else array
    if array.ndim != 1 or array.shape[0] != count:
        raise ValueError(
            f"{name} must hold one class id per image ({count}), got shape "
            f"{np.asarray(labels).shape}"
        )
    if not np.issubdtype(array.dtype, np.number) or np.any(array != np.round(array)):
        raise ValueError(f"{name} must be integer class ids")
    return array.astype(np.int64)


def _output_kind(outputs: np.ndarray, from_logits: bool | None) -> tuple[bool, bool]:
    """Return ``(binary, from_logits)`` for a batch of model outputs."""
    if outputs.ndim == 1 or (outputs.ndim == 2 and outputs.shape[1] == 1):
        binary = True
    elif outputs.ndim == 2:
        binary = False
    else:
        raise ValueError(
            f"the model must output (N, classes) or (N, 1) scores, got shape {outputs.shape}"
        )
    if from_logits is None:
        if binary:
            from_logits = not bool(np.all((outputs >= 0) & (outputs <= 1)))
        else:
            rows_are_probabilities = np.all(outputs >= 0) and np.allclose(
                outputs.sum(axis=1), 1.0, atol=1e-3)
            from_logits = not bool(rows_are_probabilities)
    return binary, bool(from_logits)


def _per_example_loss(outputs, labels, binary: bool, from_logits: bool):
    if binary:
        scores = tf.reshape(outputs, (-1,))
        targets = tf.cast(labels, scores.dtype)
        if from_logits:
            return tf.nn.sigmoid_cross_entropy_with_logits(labels=targets, logits=scores)
        scores = tf.clip_by_value(scores, 1e-7, 1 - 1e-7)
        return -(targets * tf.math.log(scores) + (1 - targets) * tf.math.log(1 - scores))
    # float64 for the loss alone: d loss / d logits = p - onehot(y) keeps its sign and size
    # when p_y is within float32 rounding of 1 (confident predictions); the network's own
    # backward pass stays float32.
    return keras.losses.sparse_categorical_crossentropy(
        tf.cast(labels, tf.int32), tf.cast(outputs, tf.float64), from_logits=from_logits)


def _prepare(model, images, labels, epsilon, targeted, target_labels, clip, from_logits):
    if not callable(model):
        raise TypeError(f"model must be a Keras model (callable), got {type(model).__name__}")
    epsilon = _check_number(epsilon, "epsilon")
    clip = _check_clip(clip)
    images = _check_images(images, clip)
    if targeted:
        if target_labels is None:
            raise ValueError("a targeted attack needs target_labels (the class to push towards)")
        goal = _check_labels(target_labels, len(images), "target_labels")
    else:
        if target_labels is not None:
            raise ValueError("target_labels given but targeted=False; pass targeted=True")
        if labels is None:
            raise ValueError("labels (the true classes) are needed for an untargeted attack")
        goal = _check_labels(labels, len(images), "labels")
    outputs = np.asarray(model(images[:64], training=False))
    binary, from_logits = _output_kind(outputs, from_logits)
    if not binary and not from_logits:
        model, from_logits = _logits_of(model)
    num_outputs = 2 if binary else outputs.shape[1]
    if goal.size and (goal.min() < 0 or goal.max() >= num_outputs):
        raise ValueError(f"class ids must be in 0..{num_outputs - 1}, got {goal.min()}.."
                         f"{goal.max()}")
    return model, images, goal, epsilon, clip, binary, from_logits


def _logits_of(model):
    """``(model, from_logits)``: the sub-model up to the input of a final Softmax layer.

    The gradient of ``-log p_y`` computed through float32 probabilities vanishes or turns to
    rounding noise once ``p_y`` rounds to 1 (a confidently classified image), so FGSM would
    not move it. Differentiating the same loss written on the logits avoids that. Models
    whose last layer is not a ``Softmax`` layer (or ``Activation("softmax")``) are used as
    they are. The sub-model is cached on the model.
    """
    cached = getattr(model, "_dlbook_logits_model", None)
    if cached is not None:
        return cached, True
    layer = model.layers[-1] if isinstance(model, keras.Model) and model.layers else None
    is_softmax = isinstance(layer, keras.layers.Softmax) or (
        isinstance(layer, keras.layers.Activation)
        and getattr(layer.activation, "__name__", "") == "softmax")
    if not is_softmax:
        return model, False
    try:
        logits_model = keras.Model(model.inputs, layer.input)
    except (AttributeError, ValueError, TypeError):
        return model, False
    try:
        model._dlbook_logits_model = logits_model
    except AttributeError:
        pass
    return logits_model, True


def _input_gradient(model, images, goal, binary, from_logits):
    images = tf.convert_to_tensor(images)
    with tf.GradientTape() as tape:
        tape.watch(images)
        loss = tf.reduce_sum(_per_example_loss(model(images, training=False), goal, binary,
                                               from_logits))
    return tape.gradient(loss, images).numpy()


def _project(candidate, clean, epsilon, clip):
    """Nearest point of the L-inf ball around ``clean`` that is also a valid image."""
    projected = np.clip(candidate, clean - epsilon, clean + epsilon)
    if clip is not None:
        projected = np.clip(projected, clip[0], clip[1])
    return projected.astype(np.float32)


# --------------------------------------------------------------------------- attacks


def fgsm(
    model: keras.Model,
    images: ArrayLike,
    labels: ArrayLike | None,
    epsilon: float,
    targeted: bool = False,
    target_labels: ArrayLike | None = None,
    clip: tuple[float, float] | None = (0.0, 1.0),
    from_logits: bool | None = None,
) -> np.ndarray:
    """Fast gradient sign method (Goodfellow et al., 2015): one step of size epsilon.

    .. math::

        x' = \\mathrm{clip}\\big(x + \\varepsilon\\,\\mathrm{sign}(\\nabla_x L(f(x), y))\\big)
        \\quad\\text{(untargeted: climb the loss of the true class } y)

        x' = \\mathrm{clip}\\big(x - \\varepsilon\\,\\mathrm{sign}(\\nabla_x L(f(x), t))\\big)
        \\quad\\text{(targeted: descend the loss of the target class } t)

    For a linear score ``w . x`` the gradient sign is ``sign(w)``, so FGSM is the lecture's
    ``x + alpha * w`` trick with every pixel moved by the full budget. Returns float32 images
    of the input's shape. ``labels`` may be ``None`` for a targeted attack.

    >>> import keras, numpy as np
    >>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1, activation="sigmoid")])
    >>> model.set_weights([np.array([[1.0], [-2.0]]), np.zeros(1)])
    >>> x_adv = fgsm(model, [[0.5, 0.5]], [1], epsilon=0.1)     # x - 0.1 sign(w)
    >>> [round(float(v), 3) for v in x_adv[0]]
    [0.4, 0.6]
    """
    model, images, goal, epsilon, clip, binary, from_logits = _prepare(
        model, images, labels, epsilon, targeted, target_labels, clip, from_logits)
    gradient = _input_gradient(model, images, goal, binary, from_logits)
    direction = -1.0 if targeted else 1.0
    return _project(images + direction * epsilon * np.sign(gradient), images, epsilon, clip)


def pgd(
    model: keras.Model,
    images: ArrayLike,
    labels: ArrayLike | None,
    epsilon: float,
    step_size: float | None = None,
    steps: int = 10,
    random_start: bool = True,
    targeted: bool = False,
    target_labels: ArrayLike | None = None,
    seed: int = 0,
    clip: tuple[float, float] | None = (0.0, 1.0),
    from_logits: bool | None = None,
) -> np.ndarray:
    """Projected gradient descent (Madry et al., 2018): many small FGSM steps, projected.

    Start at ``x`` (or, with ``random_start``, at a uniformly random point of the ball), then
    ``steps`` times

    .. math::

        x^{t+1} = \\Pi_{B_\\infty(x, \\varepsilon) \\cap [\\text{low}, \\text{high}]}
                  \\big(x^t \\pm \\alpha\\, \\mathrm{sign}(\\nabla_x L(f(x^t), y))\\big)

    where the projection ``Pi`` clips every pixel to ``[x - eps, x + eps]`` and then to the
    valid range (both are boxes, so clipping is the exact projection). ``+`` for untargeted,
    ``-`` with the target class for targeted. ``step_size`` (alpha) defaults to
    ``2.5 * epsilon / steps`` (Madry et al.'s rule). ``seed`` fixes the random start.

    >>> import keras, numpy as np
    >>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1, activation="sigmoid")])
    >>> model.set_weights([np.array([[1.0], [-2.0]]), np.zeros(1)])
    >>> x = np.array([[0.5, 0.5]])
    >>> float(np.abs(pgd(model, x, [1], epsilon=0.1, steps=5) - x).max()) <= 0.1 + 1e-6
    True
    """
    model, images, goal, epsilon, clip, binary, from_logits = _prepare(
        model, images, labels, epsilon, targeted, target_labels, clip, from_logits)
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 1:
        raise ValueError(f"steps must be a positive integer, got {steps!r}")
    if step_size is None:
        step_size = 2.5 * epsilon / steps
    else:
        step_size = _check_number(step_size, "step_size")
    direction = -1.0 if targeted else 1.0
    adversarial = images.copy()
    if random_start and epsilon > 0:
        rng = np.random.default_rng(seed)
        noise = rng.uniform(-epsilon, epsilon, size=images.shape).astype(np.float32)
        adversarial = _project(images + noise, images, epsilon, clip)
    for _ in range(int(steps)):
        gradient = _input_gradient(model, adversarial, goal, binary, from_logits)
        adversarial = _project(adversarial + direction * step_size * np.sign(gradient), images,
                               epsilon, clip)
    return adversarial


def robust_accuracy(
    model: keras.Model,
    images: ArrayLike,
    labels: ArrayLike,
    attack: Callable | str | None = "fgsm",
    batch_size: int = 256,
    **attack_kwargs,
) -> float:
    """Accuracy of ``model`` on attacked versions of ``images`` (the fraction still correct).

    ``attack`` is ``"fgsm"``, ``"pgd"``, ``None`` (clean accuracy) or any callable
    ``attack(model, images, labels, **attack_kwargs) -> adversarial images``; the keyword
    arguments (``epsilon``, ``steps``, ...) go to the attack. Attacks run ``batch_size``
    images at a time. A prediction is the arg-max class (or ``score > 0.5`` for one sigmoid
    output, ``> 0`` for one logit).

    >>> import keras, numpy as np
    >>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1, activation="sigmoid")])
    >>> model.set_weights([np.array([[4.0], [0.0]]), np.array([-2.0])])   # class 1 iff x0 > 0.5
    >>> x, y = np.array([[0.9, 0.5], [0.2, 0.5]]), np.array([1, 0])
    >>> robust_accuracy(model, x, y, None), robust_accuracy(model, x, y, "fgsm", epsilon=0.35)
    (1.0, 0.5)
    """
    attacks = {"fgsm": fgsm, "pgd": pgd}
    if isinstance(attack, str):
        if attack not in attacks:
            raise ValueError(f"attack must be 'fgsm', 'pgd', None or a function, got {attack!r}")
        attack = attacks[attack]
    elif attack is not None and not callable(attack):
        raise TypeError(f"attack must be 'fgsm', 'pgd', None or a function, got {attack!r}")
    if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) \
            or batch_size < 1:
        raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}")
    clip = attack_kwargs.get("clip", (0.0, 1.0))
    images = _check_images(images, _check_clip(clip) if attack is not None else None)
    labels = _check_labels(labels, len(images), "labels")
    if len(images) == 0:
        raise ValueError("images is empty: nothing to measure")
    correct = 0
    for start in range(0, len(images), batch_size):
        batch, batch_labels = images[start:start + batch_size], labels[start:start + batch_size]
        if attack is not None:
            batch = attack(model, batch, batch_labels, **attack_kwargs)
        outputs = np.asarray(model(np.asarray(batch, dtype=np.float32), training=False))
        binary, from_logits = _output_kind(outputs, attack_kwargs.get("from_logits"))
        if binary:
            predicted = (outputs.reshape(-1) > (0.0 if from_logits else 0.5)).astype(np.int64)
        else:
            predicted = outputs.argmax(axis=1)
        correct += int((predicted == batch_labels).sum())
    return correct / len(images)


# --------------------------------------------------------------------------- training



class AdversarialTrainer(keras.Model):
    """Wrap a Keras model so that ``fit`` trains on clean and adversarial batches together.

    For every batch ``(x, y)`` it first builds ``x_adv`` with FGSM (``attack="fgsm"``) or
    PGD (``attack="pgd"``, ``steps`` steps of ``step_size``, random start) against the
    current weights, then takes one optimiser step on

    .. math::

        L = L(f(x), y) + \\lambda\\, L(f(x_\\text{adv}), y), \\qquad \\lambda =
        \\text{adv\\_weight} = 1 \\text{ by default,}

    using the loss given to ``compile`` (single-output models). The logs show ``loss``
    (the sum), ``clean_loss``, ``adv_loss`` and the compiled metrics on the *clean*
    batch; ``evaluate`` and ``predict`` use the wrapped model unchanged. Weight
    penalties (``model.losses``) are counted once, in the clean term.

    >>> trainer = AdversarialTrainer(model, epsilon=0.1)                 # doctest: +SKIP
    >>> trainer.compile("adam", "sparse_categorical_crossentropy")        # doctest: +SKIP
    >>> history = trainer.fit(x_train, y_train, epochs=5)                 # doctest: +SKIP
    """

    def __init__(self, model: keras.Model, epsilon: float, attack: str = "fgsm", steps: int = 7,
                 step_size: float | None = None, adv_weight: float = 1.0,
                 clip: tuple[float, float] | None = (0.0, 1.0), seed: int = 0, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(model, keras.Model):
            raise TypeError(f"model must be a keras.Model, got {type(model).__name__}")
        if attack not in ("fgsm", "pgd"):
            raise ValueError(f"attack must be 'fgsm' or 'pgd', got {attack!r}")
        if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 1:
            raise ValueError(f"steps must be a positive integer, got {steps!r}")
        self.base_model = model
        self.epsilon = _check_number(epsilon, "epsilon")
        self.attack = attack
        self.steps = 1 if attack == "fgsm" else int(steps)
        if attack == "fgsm":
            self.step_size = self.epsilon
        elif step_size is None:
            self.step_size = 2.5 * self.epsilon / self.steps
        else:
            self.step_size = _check_number(step_size, "step_size")
        self.adv_weight = _check_number(adv_weight, "adv_weight")
        self.clip = _check_clip(clip)
        self.seed_generator = keras.random.SeedGenerator(seed)
        self.clean_loss_tracker = keras.metrics.Mean(name="clean_loss")
        self.adv_loss_tracker = keras.metrics.Mean(name="adv_loss")
        self._attack_loss = None

    def call(self, inputs, training=None):
        return self.base_model(inputs, training=training)

    def _loss_fn(self):
        if self._attack_loss is None:
            if isinstance(self.loss, (dict, list, tuple)) or self.loss is None:
                raise ValueError("AdversarialTrainer needs compile(loss=...) with a single "
                                 "loss for a single-output model")
            loss = keras.losses.get(self.loss)
            if isinstance(loss, keras.losses.Loss):
                self._attack_loss = loss
            else:  # a plain function of (y_true, y_pred) giving one value per example
                def reduced(y_true, y_pred, sample_weight=None, function=loss):
                    values = function(y_true, y_pred)
                    if sample_weight is not None:
                        values = values * tf.cast(tf.reshape(sample_weight, tf.shape(values)),
                                                  values.dtype)
                    return tf.reduce_mean(values)

                self._attack_loss = reduced
        return self._attack_loss

    def adversarial_examples(self, x, y):
        """FGSM / PGD examples against the current weights (no gradient flows back)."""
        loss_fn = self._loss_fn()
        x = tf.convert_to_tensor(x)
        clean = x
        if self.attack == "pgd" and self.epsilon > 0:
            x = x + keras.random.uniform(tf.shape(x), -self.epsilon, self.epsilon,
                                         seed=self.seed_generator)
            x = self._project(x, clean)
        for _ in range(self.steps):
            with tf.GradientTape() as tape:
                tape.watch(x)
                loss = loss_fn(y, self.base_model(x, training=False))
            x = self._project(x + self.step_size * tf.sign(tape.gradient(loss, x)), clean)
        return tf.stop_gradient(x)

    def _project(self, x, clean):
        x = tf.clip_by_value(x, clean - self.epsilon, clean + self.epsilon)
        if self.clip is not None:
            x = tf.clip_by_value(x, self.clip[0], self.clip[1])
        return x

    def train_step(self, data):
        x, y, sample_weight = keras.utils.unpack_x_y_sample_weight(data)
        x_adv = self.adversarial_examples(x, y)
        loss_fn = self._loss_fn()
        with tf.GradientTape() as tape:
            clean_pred = self(x, training=True)
            adv_pred = self(x_adv, training=True)
            clean_loss = self.compute_loss(x=x, y=y, y_pred=clean_pred,
                                           sample_weight=sample_weight)
            adv_loss = loss_fn(y, adv_pred, sample_weight)
            loss = clean_loss + self.adv_weight * adv_loss
        gradients = tape.gradient(loss, self.trainable_weights)
        self.optimizer.apply_gradients(zip(gradients, self.trainable_weights, strict=True))
        tracker = getattr(self, "_loss_tracker", None)
        if tracker is not None:
            tracker.update_state(loss)
        self.clean_loss_tracker.update_state(clean_loss)
        self.adv_loss_tracker.update_state(adv_loss)
        return self.compute_metrics(x, y, clean_pred, sample_weight=sample_weight)
