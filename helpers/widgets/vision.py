"""Lecture 06's widgets: NMS thresholds, the FGSM budget, occlusion patches, style weights.

Each idea has the three faces of the book's design: a pure function in ``helpers`` (NMS in
:mod:`helpers.detection`, FGSM in :mod:`helpers.adversarial`, the occlusion map in
:mod:`helpers.visualise`, the style-transfer loop in :mod:`helpers.style`), a live ipywidgets
UI that calls it, and a kernel-free explorer of precomputed states for the static book. One
call, e.g. :func:`nms_explorer`, shows both through :func:`helpers.widgets.show`.

Callbacks: the NMS one draws SVG (no matplotlib) and stays far below the 50 ms budget; the
FGSM and occlusion ones run the model once on a small batch; the style-transfer one re-runs a
short optimisation when its button is pressed and takes seconds (it says so).
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import numpy as np

from helpers import detection
from helpers._checks import practice_count
from helpers.explorers import Explorer, state_explorer
from helpers.widgets import show, wire

CLASS_COLOURS = ("#00e5ff", "#ff4fa3", "#ffe14d", "#7CFC00", "#ffa500")
SUPPRESSED_COLOUR = "#c8c8c8"


# Per-state work of the FGSM and occlusion views (gradients, occlusion maps), kept so that a
# slider revisiting a state costs no model call. Bounded: the oldest entries go first.
_CACHE: dict = {}


def _remember(key, value, limit: int = 4096):
    if len(_CACHE) >= limit:
        _CACHE.pop(next(iter(_CACHE)))
    _CACHE[key] = value
    return value


# Widget labels at their natural width, so JupyterLab never cuts them off ("window p...").
_LABEL = {"description_width": "initial"}

def _flex(*parts: str) -> str:
    return ('<div style="display:flex;flex-wrap:wrap;gap:0.8em;align-items:flex-start">'
            + "".join(parts) + "</div>")


def _figure(content: str, caption: str) -> str:
    return (f'<figure style="margin:0;max-width:16em">{content}'
            f'<figcaption style="font-size:0.85em">{html.escape(caption)}</figcaption></figure>')


def _hex(colour) -> str:
    red, green, blue = (int(round(float(np.clip(c, 0, 1)) * 255)) for c in colour[:3])
    return f"#{red:02x}{green:02x}{blue:02x}"


# --------------------------------------------------------------------------- NMS


def shapes_scene_svg(image: np.ndarray, mask: np.ndarray, boxes: np.ndarray,
                     classes: np.ndarray, scale: float = 5.0) -> str:
    """The shapes of one :func:`helpers.synthetic.make_shapes` image as SVG primitives.

    Squares become rectangles, circles ellipses, triangles polygons, each in the mean colour
    of its pixels, on the mean background colour: a few hundred bytes instead of a PNG, so
    that dozens of precomputed explorer states stay small. Returns the SVG *elements* (no
    ``<svg>`` wrapper), in pixel units multiplied by ``scale``.
    """
    image = np.asarray(image, dtype=np.float32)
    mask = np.asarray(mask)
    height, width = mask.shape
    background = image[mask == 0].mean(axis=0) if np.any(mask == 0) else np.zeros(3)
    parts = [f'<rect x="0" y="0" width="{width * scale:g}" height="{height * scale:g}" '
             f'fill="{_hex(background)}"/>']
    for (x1, y1, x2, y2), kind in zip(np.asarray(boxes).reshape(-1, 4), classes, strict=True):
        window = mask[int(y1):int(y2), int(x1):int(x2)] == int(kind) + 1
        pixels = image[int(y1):int(y2), int(x1):int(x2)][window]
        fill = _hex(pixels.mean(axis=0)) if len(pixels) else "#888888"
        x1, y1, x2, y2 = (float(v) * scale for v in (x1, y1, x2, y2))
        if kind == 0:
            parts.append(f'<rect x="{x1:.1f}" y="{y1:.1f}" width="{x2 - x1:.1f}" '
                         f'height="{y2 - y1:.1f}" fill="{fill}"/>')
        elif kind == 1:
            parts.append(f'<ellipse cx="{(x1 + x2) / 2:g}" cy="{(y1 + y2) / 2:g}" '
                         f'rx="{(x2 - x1) / 2:g}" ry="{(y2 - y1) / 2:g}" fill="{fill}"/>')
        else:
            parts.append(f'<polygon points="{(x1 + x2) / 2:g},{y1:.1f} {x1:.1f},{y2:.1f} '
                         f'{x2:.1f},{y2:.1f}" fill="{fill}"/>')
    return "".join(parts)


def nms_svg(scene: str, size: tuple[int, int], boxes: np.ndarray, scores: np.ndarray,
            classes: np.ndarray, score_threshold: float, iou_threshold: float,
            class_names: Sequence[str] = ("square", "circle", "triangle"),
            scale: float = 5.0) -> str:
    """The scene with the candidate boxes after non-max suppression at the given thresholds.

    Kept boxes are solid, in their class colour, labelled with class and score; boxes that
    pass the confidence threshold but lose to a kept box (IoU above the threshold) are grey
    and dashed; boxes below the confidence threshold are not drawn. A caption counts them.
    """
    boxes = np.asarray(boxes, dtype=np.float64).reshape(-1, 4)
    scores = np.asarray(scores, dtype=np.float64).reshape(-1)
    kept = detection.non_max_suppression(boxes, scores, iou_threshold=iou_threshold,
                                         score_threshold=score_threshold)
    passed = np.flatnonzero(scores >= score_threshold)
    suppressed = np.setdiff1d(passed, kept)
    height, width = size
    dashed = []
    for index in suppressed:
        x1, y1, x2, y2 = boxes[index] * scale
        dashed.append(f'<rect x="{x1:.0f}" y="{y1:.0f}" width="{x2 - x1:.0f}" '
                      f'height="{y2 - y1:.0f}"/>')
    solid, placed = [], []
    for index in kept:
        x1, y1, x2, y2 = boxes[index] * scale
        colour = CLASS_COLOURS[int(classes[index]) % len(CLASS_COLOURS)]
        name = class_names[int(classes[index])] if int(classes[index]) < len(class_names) \
            else str(int(classes[index]))
        text = f"{name} {scores[index]:.2f}"
        label_x, label_y = label_position(text, (x1, y1, x2, y2), placed,
                                          (width * scale, height * scale))
        solid.append(f'<rect x="{x1:.0f}" y="{y1:.0f}" width="{x2 - x1:.0f}" '
                     f'height="{y2 - y1:.0f}" stroke="{colour}"/><text x="{label_x:.0f}" '
                     f'y="{label_y:.0f}" fill="{colour}" stroke="none">'
                     f"{html.escape(text)}</text>")
    parts = [f'<g fill="none" stroke="{SUPPRESSED_COLOUR}" stroke-width="1.2" '
             f'stroke-dasharray="4 3">{"".join(dashed)}</g>',
             f'<g fill="none" stroke-width="2.5" font-size="{LABEL_FONT_PX}" '
             'font-family="sans-serif">'
             f'{"".join(solid)}</g>']
    below = len(scores) - len(passed)
    caption = (f"confidence threshold {score_threshold:.2f}, IoU threshold {iou_threshold:.2f}: "
               f"{len(kept)} kept, {len(suppressed)} suppressed (dashed), "
               f"{below} below the confidence threshold (hidden)")
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width * scale:g}" '
           f'height="{height * scale:g}" viewBox="0 0 {width * scale:g} {height * scale:g}" '
           f'role="img" aria-label="detections after non-max suppression">{scene}'
           f'{"".join(parts)}</svg>')
    return (f'<div style="max-width:100%">{svg}<div style="font-size:0.85em;max-width:36em">'
            f"{html.escape(caption)}</div></div>")


LABEL_FONT_PX = 11
_CHAR_PX = 0.6 * LABEL_FONT_PX           # mean advance of a sans-serif character


def label_box(text: str, x: float, baseline: float) -> tuple[float, float, float, float]:
    """The box (x1, y1, x2, y2) a label of :func:`nms_svg` covers, its baseline at ``baseline``."""
    return (x, baseline - LABEL_FONT_PX, x + _CHAR_PX * len(text), baseline + 2)


def label_position(text: str, box, placed: list, size) -> tuple[float, float]:
    """Where to write a box's label so that it overlaps no label placed before.

    Tries above the box, inside its top edge, below it, inside its bottom edge (each at the
    left, then at the right end), keeps the first spot inside the picture that collides with
    no earlier label, and appends the label's box to ``placed``. When every spot collides it
    takes the one with the least overlap.
    """
    x1, y1, x2, y2 = box
    width, height = size
    span = _CHAR_PX * len(text)
    candidates = []
    for baseline in (y1 - 3, y1 + LABEL_FONT_PX + 1, y2 + LABEL_FONT_PX + 1, y2 - 3):
        for left in (x1 + 1, x2 - span - 1):
            left = float(np.clip(left, 0, max(width - span, 0)))
            baseline = float(np.clip(baseline, LABEL_FONT_PX, height - 2))
            candidates.append((left, baseline))

    def overlap(spot):
        a = label_box(text, *spot)
        return sum(max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
                   * max(0.0, min(a[3], b[3]) - max(a[1], b[1])) for b in placed)

    best = min(candidates, key=lambda spot: (overlap(spot) > 0, overlap(spot)))
    placed.append(label_box(text, *best))
    return best


def nms_widget(scene: str, size: tuple[int, int], boxes, scores, classes,
               score_threshold: float = 0.6, iou_threshold: float = 0.5):
    """The live NMS explorer: two sliders, an SVG view (the callback is pure Python)."""
    import ipywidgets as w

    controls = {
        "score_threshold": w.FloatSlider(value=score_threshold, min=0.0, max=1.0, step=0.05,
                                         description="confidence", readout_format=".2f",
                                         style=_LABEL),
        "iou_threshold": w.FloatSlider(value=iou_threshold, min=0.05, max=1.0, step=0.05,
                                       description="IoU thresh.", readout_format=".2f",
                                       style=_LABEL),
    }
    view = w.HTML()

    def update(_change=None):
        view.value = nms_svg(scene, size, boxes, scores, classes,
                             controls["score_threshold"].value, controls["iou_threshold"].value)

    return wire(w.VBox([*controls.values(), view]), controls, update, view)


def nms_static(scene: str, size: tuple[int, int], boxes, scores, classes,
               score_values: Sequence[float] = (0.1, 0.3, 0.6, 0.8, 0.95),
               iou_values: Sequence[float] = (0.1, 0.3, 0.5, 0.7),
               initial: tuple[float, float] = (0.6, 0.5)) -> Explorer:
    """Every (confidence, IoU) combination precomputed as an inline SVG."""
    def render(score_threshold, iou_threshold):
        return nms_svg(scene, size, boxes, scores, classes, score_threshold, iou_threshold)

    start = [int(np.argmin(np.abs(np.asarray(score_values) - initial[0]))),
             int(np.argmin(np.abs(np.asarray(iou_values) - initial[1])))]
    return state_explorer(
        [("score_threshold", "confidence threshold", list(score_values),
          [f"{v:.2f}" for v in score_values]),
         ("iou_threshold", "IoU threshold", list(iou_values), [f"{v:.2f}" for v in iou_values])],
        render, "Non-max suppression: move the thresholds", initial=start)


def nms_explorer(image: np.ndarray, mask: np.ndarray, true_boxes, true_classes, boxes, scores,
                 classes, **static_options) -> None:
    """Show the NMS explorer for one shapes image and its candidate boxes (live + static)."""

    scene = shapes_scene_svg(image, mask, true_boxes, true_classes)
    size = np.asarray(mask).shape
    show(nms_widget(scene, size, boxes, scores, classes),
         nms_static(scene, size, boxes, scores, classes, **static_options))


# --------------------------------------------------------------------------- FGSM


def probability_bars_svg(probabilities: np.ndarray, true_label: int,
                         class_names: Sequence[str] | None = None, width: int = 200) -> str:
    """A horizontal bar chart of class probabilities as SVG (true class outlined)."""
    probabilities = np.asarray(probabilities, dtype=np.float64).reshape(-1)
    names = list(class_names) if class_names is not None else \
        [str(i) for i in range(len(probabilities))]
    predicted = int(np.argmax(probabilities))
    row, left = 13, 62
    span = width - left - 34
    labels, bars, values = [], [], []
    for index, value in enumerate(probabilities):
        y = 4 + index * row
        colour = "#d9534f" if index == predicted and index != true_label else \
            "#2e7d32" if index == predicted else "#8aa4c8"
        length = max(float(value), 0.0) * span
        labels.append(f'<text x="{left - 4}" y="{y + 9}">{html.escape(names[index])}</text>')
        bars.append(f'<rect x="{left}" y="{y}" width="{length:.1f}" height="10" '
                    f'fill="{colour}"' + (' stroke="currentColor"' if index == true_label
                                          else "") + "/>")
        values.append(f'<text x="{left + length + 3:.1f}" y="{y + 9}">{value:.2f}</text>')
    parts = ['<g font-family="sans-serif" fill="currentColor">',
             f'<g font-size="10" text-anchor="end">{"".join(labels)}</g>',
             f'<g font-size="9">{"".join(values)}</g></g>', "".join(bars)]
    height = 8 + len(probabilities) * row
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'role="img" aria-label="class probabilities">{"".join(parts)}</svg>')


def _predict_probabilities(model, images: np.ndarray) -> np.ndarray:
    from helpers.visualise import _probabilities

    return _probabilities(np.asarray(model(images, training=False)))


def fgsm_view(model, image: np.ndarray, label: int, epsilon: float, target: int | None = None,
              class_names: Sequence[str] | None = None, scale: int = 4) -> str:
    """HTML: the FGSM image at budget ``epsilon`` (targeted when ``target`` is given), the
    perturbation, and the model's probabilities for the adversarial image."""
    from helpers import adversarial

    image = np.asarray(image, dtype=np.float32)
    batch = image[None]
    # The gradient does not depend on epsilon: compute its sign once per image and attack
    # (cached), then every slider move is x + eps * direction, clipped (= adversarial.fgsm).
    key = ("fgsm", id(model), hash(image.tobytes()), image.shape, int(label), target)
    direction = _CACHE.get(key)
    if direction is None:
        if target is None:
            moved = adversarial.fgsm(model, batch, [label], 1.0, clip=None)
        else:
            moved = adversarial.fgsm(model, batch, None, 1.0, targeted=True,
                                     target_labels=[target], clip=None)
        direction = _remember(key, np.sign(moved - batch).astype(np.float32))
        # The slider's grid (0 .. 0.4 in steps of 0.01) in one batched call, cached too.
        grid = np.round(np.arange(0.0, 0.405, 0.01), 2)
        attacked_grid = np.clip(batch + grid[:, None, None, None].astype(np.float32)
                                * direction, 0.0, 1.0) if image.ndim == 3 else None
        if attacked_grid is not None:
            for value, row in zip(grid, _predict_probabilities(model, attacked_grid),
                                  strict=True):
                _remember(key + (float(value),), row)
    if epsilon > 0:
        attacked = np.clip(batch + np.float32(epsilon) * direction, 0.0, 1.0)
    else:
        attacked = batch
    probabilities = _CACHE.get(key + (round(float(epsilon), 2),)) \
        if abs(epsilon - round(float(epsilon), 2)) < 1e-9 else None
    if probabilities is None:
        probabilities = _predict_probabilities(model, attacked)[0]
    predicted = int(np.argmax(probabilities))
    names = list(class_names) if class_names is not None else \
        [str(i) for i in range(len(probabilities))]
    squeeze = (lambda a: a[..., 0]) if image.shape[-1] == 1 else (lambda a: a)
    delta = squeeze(attacked[0] - image)
    shown_delta = 0.5 + delta / (2 * max(epsilon, 1e-6))
    mode = "untargeted" if target is None else f"targeted at {names[target]}"
    verdict = "fooled" if predicted != label else "still correct"
    return _flex(
        _figure(enlarged_img(squeeze(attacked[0]), "adversarial image", scale,
                             pixelated=True), f"x + δ (ε = {epsilon:.2f})"),
        _figure(enlarged_img(shown_delta, "perturbation", scale, pixelated=True),
                "δ (grey = 0)"),
        _figure(probability_bars_svg(probabilities, label, names),
                f"{mode}: predicted {names[predicted]} ({probabilities[predicted]:.2f}), "
                f"{verdict}"),
    )


def fgsm_widget(model, image, label: int, target: int, class_names=None):
    """The live ε slider: recomputes FGSM on one image at every move."""
    import ipywidgets as w

    controls = {
        "epsilon": w.FloatSlider(value=0.1, min=0.0, max=0.4, step=0.01, description="ε",
                                 continuous_update=False, style=_LABEL),
        "mode": w.ToggleButtons(options=["untargeted", f"targeted ({target})"],
                                description="attack", style=_LABEL),
    }
    view = w.HTML()

    def update(_change=None):
        chosen = None if controls["mode"].value == "untargeted" else target
        view.value = fgsm_view(model, image, label, controls["epsilon"].value, chosen,
                               class_names)

    return wire(w.VBox([*controls.values(), view]), controls, update, view)


def fgsm_explorer(model, image, label: int, target: int,
                  epsilons: Sequence[float] = (0.0, 0.05, 0.1, 0.2, 0.3),
                  class_names=None) -> None:
    """Show the FGSM ε slider for one image: live, and precomputed for the static book."""

    static = state_explorer(
        [("epsilon", "ε (L∞ budget)", list(epsilons), [f"{e:.2f}" for e in epsilons]),
         ("target", "attack", [None, target], ["untargeted", f"targeted at {target}"])],
        lambda epsilon, target: fgsm_view(model, image, label, epsilon, target, class_names),
        "FGSM: how large must ε be?",
        initial=[int(np.argmin(np.abs(np.asarray(epsilons, dtype=float) - 0.1))), 0])
    show(fgsm_widget(model, image, label, target, class_names), static)


# --------------------------------------------------------------------------- occlusion


def occlusion_view(model, image: np.ndarray, label: int, patch_size: int, stride: int = 2,
                   fill: float | None = None, scale: int = 5) -> str:
    """HTML: the image, and the drop in the true class's probability as a heat overlay."""
    from matplotlib import colormaps

    from helpers.visualise import occlusion_map

    image = np.asarray(image, dtype=np.float32)
    key = ("occlusion", id(model), hash(image.tobytes()), image.shape, int(label),
           int(patch_size), stride, fill)
    result = _CACHE.get(key)
    if result is None:          # one batched model call per new state, then cached
        result = _remember(key, occlusion_map(model, image, label, patch_size, stride=stride,
                                              fill=fill))
    grey = image.mean(axis=-1) if image.ndim == 3 else image
    largest = float(result.heat.max())
    # One fixed colour scale for every patch size: the drop in probability itself, 0 .. 1.
    heat = np.clip(result.heat, 0, 1)
    coloured = colormaps["inferno"](heat)[..., :3]
    overlay = 0.3 * grey[..., None] + 0.7 * coloured
    lowest = float(result.probabilities.min())
    fill = float(image.mean()) if fill is None else float(fill)
    patch_demo = np.repeat(grey[..., None], 3, axis=-1)
    patch_demo[:patch_size, :patch_size] = fill
    patch_demo[:patch_size, [0, patch_size - 1]] = patch_demo[[0, patch_size - 1], :patch_size] = \
        (1.0, 0.3, 0.3)
    return _flex(
        _figure(enlarged_img(patch_demo, "image with one patch", scale, pixelated=True),
                f"patch {patch_size}×{patch_size}, one position (red frame)"),
        _figure(enlarged_img(overlay, "occlusion heat map", scale, pixelated=True),
                f"drop in p(true class) on one fixed scale for every patch size: black = 0, "
                f"brightest = 1 (largest here {largest:.2f}); "
                f"p = {result.baseline:.2f} unoccluded, {lowest:.2f} at worst"),
    )


def occlusion_widget(model, image, label: int, patch_size: int = 8):
    """The live patch-size slider (one batched model call per move)."""
    import ipywidgets as w

    size = min(np.asarray(image).shape[:2])
    controls = {"patch_size": w.IntSlider(value=patch_size, min=2, max=size // 2, step=1,
                                          description="patch (px)",
                                          style=_LABEL)}
    view = w.HTML()

    for value in range(controls["patch_size"].min, controls["patch_size"].max + 1):
        occlusion_view(model, image, label, value)        # fills the per-state cache

    def update(_change=None):
        view.value = occlusion_view(model, image, label, controls["patch_size"].value)

    return wire(w.VBox([controls["patch_size"], view]), controls, update, view)


def occlusion_explorer(model, image, label: int,
                       patch_sizes: Sequence[int] = (3, 5, 7, 9, 11, 13)) -> None:
    """Show the occlusion map with a patch-size control (live and static)."""

    static = state_explorer(
        [("patch_size", "patch size (px)", list(patch_sizes), None)],
        lambda patch_size: occlusion_view(model, image, label, patch_size),
        "Occlusion: which pixels does the class depend on?",
        initial=[min(2, len(patch_sizes) - 1)])
    show(occlusion_widget(model, image, label, patch_sizes[min(2, len(patch_sizes) - 1)]),
         static)


# --------------------------------------------------------------------------- style transfer


def enlarged_img(image: np.ndarray, alt: str, scale: int = 1, pixelated: bool = False,
                 fmt: str = "png", quality: int = 85) -> str:
    """An ``<img>`` of an (H, W) or (H, W, 3) array in [0, 1] at the image's own resolution,
    displayed ``scale`` times larger by the browser (``scale=1``: real size, one image pixel
    per CSS pixel). ``pixelated`` keeps the pixels square (digits); ``fmt="jpeg"`` trades
    exactness for bytes (photographs); PNG is lossless."""
    import base64
    import io

    from PIL import Image

    if isinstance(scale, bool) or not isinstance(scale, (int, np.integer)) or scale < 1:
        raise ValueError(f"scale must be a positive integer, got {scale!r}")
    if fmt not in ("png", "jpeg"):
        raise ValueError(f'fmt must be "png" or "jpeg", got {fmt!r}')
    array = np.asarray(image, dtype=np.float32)
    if array.ndim == 3 and array.shape[-1] == 1:
        array = array[..., 0]
    if array.ndim not in (2, 3) or (array.ndim == 3 and array.shape[-1] != 3):
        raise ValueError(f"image must be (H, W), (H, W, 1) or (H, W, 3), got {array.shape}")
    pil = Image.fromarray((np.clip(array, 0.0, 1.0) * 255).round().astype("uint8"))
    buffer = io.BytesIO()
    if fmt == "png":
        pil.save(buffer, format="PNG", optimize=True)
    else:
        pil.save(buffer, format="JPEG", quality=int(quality))
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    height, width = array.shape[:2]
    style = ' style="image-rendering:pixelated"' if pixelated else ""
    return (f'<img alt="{html.escape(alt)}" width="{width * scale}" '
            f'height="{height * scale}"{style} src="data:image/{fmt};base64,{data}">')


_enlarged_img = enlarged_img


def image_row(images: Sequence[np.ndarray], captions: Sequence[str], alts: Sequence[str],
              scale: int = 1, fmt: str = "png") -> str:
    """HTML: images side by side (wrapping on a narrow screen), each with its caption.

    Shown at ``scale`` times their real size. PNG (the default) is lossless, so small
    differences between the images are not blurred away; ``fmt="jpeg"`` for photographs.
    """
    if not len(images) == len(captions) == len(alts) or not len(images):
        raise ValueError("need one caption and one alt text for each of at least one image")
    return _flex(*[_figure(enlarged_img(image, alt, scale, fmt=fmt), caption)
                   for image, caption, alt in zip(images, captions, alts, strict=True)])


def style_view(result: np.ndarray, caption: str, content: np.ndarray | None = None,
               style: np.ndarray | None = None, scale: int = 1, fmt: str = "png",
               quality: int = 85) -> str:
    """HTML: the generated image and, when given, the content and style images beside it,
    all at ``scale`` times their real size (default 1: no stretching)."""
    parts = []
    if content is not None:
        parts.append(_figure(enlarged_img(content, "content image", scale, fmt=fmt,
                                          quality=quality), "content C"))
    if style is not None:
        parts.append(_figure(enlarged_img(style, "style image", scale, fmt=fmt,
                                          quality=quality), "style S"))
    parts.append(_figure(enlarged_img(result, "generated image", scale, fmt=fmt,
                                      quality=quality), caption))
    return _flex(*parts)


def style_widget(content, style, extractor, image_size: int = 64, steps: int = 60):
    """Live α/β/TV sliders and a Run button that re-optimises a small image.

    Slow on purpose: every press runs ``steps`` Adam steps of :func:`helpers.style.style_transfer`
    (a few seconds on a CPU), so the sliders do nothing until the button is pressed.
    """
    import ipywidgets as w

    from helpers import style as style_module

    controls = {
        "log_alpha": w.FloatSlider(value=0.0, min=-2, max=2, step=0.5,
                                   description="log₁₀ α", style=_LABEL, continuous_update=False),
        "log_beta": w.FloatSlider(value=float(np.log10(extractor.beta)), min=0, max=6, step=0.5,
                                  description="log₁₀ β", style=_LABEL, continuous_update=False),
        "tv_weight": w.FloatSlider(value=0.0, min=0, max=50, step=5, description="TV weight",
                                   continuous_update=False, style=_LABEL),
        "steps": w.IntSlider(value=steps, min=10, max=300, step=10, description="steps",
                             continuous_update=False, style=_LABEL),
    }
    run = w.Button(description="Run (takes seconds)", button_style="primary",
                   layout=w.Layout(width="auto"))
    status = w.HTML("Press Run to optimise the image with these weights.")
    view = w.HTML()

    def update(_button=None):
        status.value = "Optimising…"
        alpha, beta = 10 ** controls["log_alpha"].value, 10 ** controls["log_beta"].value
        result = style_module.style_transfer(
            content, style, extractor, alpha=alpha, beta=beta,
            tv_weight=controls["tv_weight"].value, steps=controls["steps"].value,
            image_size=image_size)
        small_content = style_module._prepare_image(content, "content",
                                                    result.image.shape[:2])
        small_style = style_module._prepare_image(style, "style", result.image.shape[:2])
        view.value = style_view(result.image,
                                f"α={alpha:.3g}, β={beta:.3g}, TV={controls['tv_weight'].value:g}",
                                small_content, small_style)
        status.value = (f"Done: {controls['steps'].value} steps, final loss "
                        f"{result.history['total'][-1]:.4g}.")

    run.on_click(update)
    box = w.VBox([w.HBox([w.VBox([controls["log_alpha"], controls["log_beta"]]),
                          w.VBox([controls["tv_weight"], controls["steps"]])]),
                  run, status, view])
    box._dlbook_update = update
    box._dlbook_controls = controls
    return box


def style_explorer(content, style, extractor, betas: Sequence[float],
                   tv_weights: Sequence[float], alpha: float = 1.0, steps: int = 100,
                   image_size: int = 64, learning_rate: float = 0.03):
    """Precompute style transfers for every (β, TV weight), show them, return the results.

    All ``len(betas) * len(tv_weights)`` images are optimised together with
    :func:`helpers.style.style_transfer_batch` (one network pass per step for all of them).
    Returns ``{(beta, tv_weight): StyleTransferResult}``.
    """
    from helpers import style as style_module

    grid = [(beta, tv) for beta in betas for tv in tv_weights]
    results = style_module.style_transfer_batch(
        content, style, [(alpha, beta, tv) for beta, tv in grid], extractor, steps=steps,
        image_size=image_size, learning_rate=learning_rate)
    by_setting = dict(zip(grid, results, strict=True))
    shape = results[0].image.shape[:2]
    small_content = style_module._prepare_image(content, "content", shape)
    small_style = style_module._prepare_image(style, "style", shape)

    def render(beta, tv_weight):
        # only G changes from state to state; C and S stand beside the explorer, once
        return style_view(by_setting[(beta, tv_weight)].image,
                          f"generated G: α = {alpha:g}, β = {beta:.0e}, TV = {tv_weight:g}",
                          scale=1, fmt="jpeg", quality=70)

    static = state_explorer(
        [("beta", "style weight β", list(betas), [f"{b:.0e}" for b in betas]),
         ("tv_weight", "total-variation weight", list(tv_weights), None)],
        render, "Style transfer: content vs style weights (precomputed)",
        initial=[len(betas) // 2, 0])
    # C and S beside the explorer's G, all three at their real size
    pair = image_row([small_content, small_style], ["content C", "style S"],
                     ["content image", "style image"], fmt="jpeg")
    static = Explorer(_flex(pair, static.html_text), static.text)
    show(style_widget(content, style, extractor, image_size=image_size), static)
    return by_setting


# --------------------------------------------------------------------------- practice


def detection_practice(count: int = 3, seed: int | None = None) -> list[dict]:
    """Fresh YOLO exercises with new numbers: the IoU of two boxes, or a box's cell and its
    ``b_x`` / ``b_w`` on a 448-pixel image with a 7×7 grid (64-pixel cells).

    Answers are computed by :func:`helpers.detection.iou` and
    :func:`helpers.detection.cell_coordinates`, the functions the lecture checks against
    TensorFlow; for :func:`helpers.quiz.practice_quiz`.
    """
    import random

    count = practice_count(count)
    rng = random.Random(seed)
    questions = []
    for index in range(count):
        kind = (index + rng.randrange(3)) % 3
        if kind == 0:
            while True:
                a = sorted(rng.sample(range(0, 13), 2)) + sorted(rng.sample(range(0, 13), 2))
                b = sorted(rng.sample(range(0, 13), 2)) + sorted(rng.sample(range(0, 13), 2))
                box_a, box_b = [a[0], a[2], a[1], a[3]], [b[0], b[2], b[1], b[3]]
                value = detection.iou(box_a, box_b)
                if 0.05 < value < 0.95:
                    break
            width = min(box_a[2], box_b[2]) - max(box_a[0], box_b[0])
            height = min(box_a[3], box_b[3]) - max(box_a[1], box_b[1])
            area_a = (box_a[2] - box_a[0]) * (box_a[3] - box_a[1])
            area_b = (box_b[2] - box_b[0]) * (box_b[3] - box_b[1])
            inter = width * height
            questions.append({
                "id": f"practice-iou-{index + 1}", "type": "numeric",
                "prompt": (f"Boxes as (x1, y1, x2, y2): A = {tuple(box_a)}, B = {tuple(box_b)}."
                           " What is their IoU? (two decimals)"),
                "answer": {"call": "helpers.detection.iou",
                           "kwargs": {"box_a": box_a, "box_b": box_b}},
                "value": value, "tolerance": 0.006,
                "explanation": (f"|A ∩ B| = {width}·{height} = {inter}; |A ∪ B| = {area_a} + "
                                f"{area_b} − {inter} = {area_a + area_b - inter}; IoU = "
                                f"{inter}/{area_a + area_b - inter} = {value:.4f}."),
            })
            continue
        x1 = rng.randrange(0, 300, 2)
        y1 = rng.randrange(0, 300, 2)
        x2 = rng.randrange(x1 + 20, min(x1 + 300, 448) + 1, 2)
        y2 = rng.randrange(y1 + 20, min(y1 + 300, 448) + 1, 2)
        box = [x1, y1, x2, y2]
        cell = detection.cell_coordinates(box, grid_size=7, image_size=448)
        attribute = "bw" if kind == 1 else "bx"
        value = getattr(cell, attribute)
        centre = (x1 + x2) / 2
        steps = (f"b_w = (x2 − x1)/64 = {x2 - x1}/64 = {value:.4f}: the width in cells, "
                 "which may exceed 1" if kind == 1 else
                 f"the centre x = {centre:g} lies in column ⌊{centre:g}/64⌋ = {cell.col}, so "
                 f"b_x = {centre:g}/64 − {cell.col} = {value:.4f}, an offset inside the cell")
        questions.append({
            "id": f"practice-yolo-{index + 1}", "type": "numeric",
            "prompt": (f"A 448×448 image, a 7×7 YOLO grid. An object's box is (x1, y1, x2, y2)"
                       f" = {tuple(box)} pixels. What is its <b>b_{attribute[1]}</b> in the "
                       "target vector of its cell? (two decimals)"),
            "answer": {"call": "helpers.detection.cell_coordinates",
                       "kwargs": {"box": box, "grid_size": 7, "image_size": 448},
                       "attribute": attribute},
            "value": value, "tolerance": 0.006,
            "explanation": f"{steps}.",
        })
    return questions


# --------------------------------------------------------------------------- benchmarks


def demo_candidates(boxes: np.ndarray, classes: np.ndarray, image_size: int,
                    per_object: int = 4, seed: int = 0):
    """Jittered candidate boxes around true boxes, with scores, plus a few stray boxes.

    For the benchmark and the tests (the notebook uses a trained detector's raw outputs).
    """
    rng = np.random.default_rng(seed)
    out_boxes, out_scores, out_classes = [], [], []
    for box, kind in zip(np.asarray(boxes).reshape(-1, 4), classes, strict=True):
        width, height = box[2] - box[0], box[3] - box[1]
        for copy in range(per_object):
            jitter = rng.normal(0, 0.15, 4) * [width, height, width, height] if copy else 0
            candidate = np.clip(box + jitter, 0, image_size)
            candidate[2:] = np.maximum(candidate[2:], candidate[:2] + 1)
            out_boxes.append(candidate)
            out_scores.append(0.95 - 0.2 * copy + rng.uniform(-0.05, 0.05))
            out_classes.append(int(kind))
    for _ in range(3):
        corner = rng.uniform(0, image_size * 0.7, 2)
        out_boxes.append(np.concatenate([corner, corner + rng.uniform(4, image_size * 0.3, 2)]))
        out_scores.append(rng.uniform(0.05, 0.5))
        out_classes.append(int(rng.integers(0, 3)))
    return (np.clip(np.asarray(out_boxes), 0, image_size), np.clip(out_scores, 0, 1),
            np.asarray(out_classes))


def _tiny_classifier(size: int = 28, seed: int = 0):
    import keras

    keras.utils.set_random_seed(seed)
    inputs = keras.Input((size, size, 1))
    x = keras.layers.Conv2D(16, 3, padding="same", activation="relu")(inputs)
    x = keras.layers.MaxPooling2D(2)(x)
    x = keras.layers.Conv2D(32, 3, padding="same", activation="relu")(x)
    x = keras.layers.MaxPooling2D(2)(x)
    x = keras.layers.Flatten()(x)
    outputs = keras.layers.Dense(10, activation="softmax")(x)
    return keras.Model(inputs, outputs)


def benchmarks() -> dict:
    """Callback drivers for scripts/bench.py: NMS thresholds, FGSM ε, occlusion patch size.

    The style-transfer Run button is left out: it is slow by design (seconds per press).
    """
    from helpers import synthetic
    from helpers.widgets import cycle

    shapes = synthetic.make_shapes(1, image_size=48, max_objects=3, seed=5)
    boxes, scores, classes = demo_candidates(shapes.boxes[0], shapes.classes[0], 48)
    scene = shapes_scene_svg(shapes.images[0], shapes.masks[0], shapes.boxes[0],
                             shapes.classes[0])
    nms = nms_widget(scene, (48, 48), boxes, scores, classes)
    model = _tiny_classifier()
    image = np.random.default_rng(0).uniform(0, 1, (28, 28, 1)).astype(np.float32)
    fgsm_box = fgsm_widget(model, image, label=3, target=5)
    occlusion = occlusion_widget(model, image, label=3)
    return {
        "NMS: confidence": cycle(nms._dlbook_controls["score_threshold"],
                                 [round(v, 2) for v in np.arange(0.0, 1.0, 0.05)]),
        "NMS: IoU threshold": cycle(nms._dlbook_controls["iou_threshold"],
                                    [round(v, 2) for v in np.arange(0.05, 1.0, 0.05)]),
        "FGSM: epsilon": cycle(fgsm_box._dlbook_controls["epsilon"],
                               [0.0, 0.05, 0.1, 0.2, 0.3]),
        "occlusion: patch size": cycle(occlusion._dlbook_controls["patch_size"],
                                       [3, 5, 7, 9, 11, 13]),
    }
