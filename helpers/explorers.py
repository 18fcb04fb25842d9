"""Kernel-free interactive figures for the static book (the third face of a widget).

Each function returns an :class:`Explorer`: HTML holding a JSON description that the book's
runtime (``helpers/static/dlbook.js``) turns into sliders and a drawing, with no kernel and
no network. Two kinds exist:

* ``conv-calculator``: the stride/padding calculator, computed in the page by a JavaScript
  mirror of :func:`helpers.conv.output_size` (the browser test checks that they agree).
* ``states``: any number of sliders stepping through states precomputed in Python, each an
  HTML fragment (an inline SVG or a small PNG). NMS thresholds, style weights, kernels …
"""

from __future__ import annotations

import base64
import html
import io
import itertools
import json
from collections.abc import Callable, Sequence

from helpers.runtime import HTMLBlock, hydrate_tag, runtime_tag

MAX_STATES = 400


class Explorer(HTMLBlock):
    """HTML of a static explorer, with the runtime for Jupyter/Colab appended on display."""


def _explorer_html(kind: str, config: dict, title: str, fallback: str) -> str:
    payload = json.dumps(config, separators=(",", ":")).replace("</", "<\\/")
    return (f"<div class=\"dlbook-explorer\" data-kind=\"{kind}\">"
            f"<div class=\"dlbook-quiz-title\">{html.escape(title)}</div>"
            f"<p class=\"dlbook-explorer-fallback\">{html.escape(fallback)}</p>"
            f"<script type=\"application/json\" class=\"dlbook-explorer-data\">{payload}"
            "</script></div>")


def conv_calculator(input_size: int = 7, kernel_size: int = 3, stride: int = 1,
                    padding: str | int = "valid", dilation: int = 1) -> Explorer:
    """The static stride/padding calculator, starting from the given setting."""
    from helpers.conv import _check_padding, output_size

    output_size(input_size, kernel_size, stride, padding, dilation)  # validate the start
    config = {"input_size": input_size, "kernel_size": kernel_size, "stride": stride,
              "padding": _check_padding(padding), "dilation": dilation}
    return Explorer(_explorer_html("conv-calculator", config, "Stride / padding calculator",
                                   "Interactive calculator: needs JavaScript."),
                    f"Stride/padding calculator starting at {config}")


def state_explorer(controls: Sequence[tuple[str, str, Sequence, Sequence[str] | None]],
                   render: Callable[..., str], title: str,
                   initial: Sequence[int] | None = None) -> Explorer:
    """Precompute ``render(**values)`` for every combination of slider values.

    ``controls`` is a list of ``(name, label, values, labels)``; ``labels`` (optional) are
    the strings shown beside the slider. ``render`` returns an HTML fragment (see
    :func:`figure_to_img`). The total number of states is capped at ``MAX_STATES``.
    """
    if not controls:
        raise ValueError("an explorer needs at least one control")
    sizes = [len(values) for _, _, values, _ in controls]
    if any(size == 0 for size in sizes):
        raise ValueError("every control needs at least one value")
    total = 1
    for size in sizes:
        total *= size
    if total > MAX_STATES:
        raise ValueError(f"{total} states is too many to precompute (limit {MAX_STATES})")
    initial = list(initial) if initial is not None else [0] * len(controls)
    spec = []
    for (name, label, values, labels), start in zip(controls, initial, strict=True):
        shown = list(labels) if labels is not None else [str(v) for v in values]
        if len(shown) != len(values):
            raise ValueError(f"control {name!r}: {len(shown)} labels for {len(values)} values")
        spec.append({"name": name, "label": label, "labels": shown, "initial": int(start)})
    states = {}
    for combo in itertools.product(*[range(size) for size in sizes]):
        kwargs = {controls[i][0]: controls[i][2][j] for i, j in enumerate(combo)}
        states["_".join(map(str, combo))] = render(**kwargs)
    config = {"controls": spec, "states": states}
    return Explorer(_explorer_html("states", config, title,
                                   "Interactive figure: needs JavaScript."),
                    f"{title}: {total} precomputed states")


def figure_to_img(fig, dpi: int = 72, fmt: str = "png", alt: str = "") -> str:
    """A matplotlib figure as an ``<img>`` tag with inline data (closes the figure)."""
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    fig.savefig(buffer, format=fmt, dpi=dpi, bbox_inches="tight")
    plt.close(fig)
    mime = "image/png" if fmt == "png" else "image/jpeg"
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f"<img alt=\"{html.escape(alt)}\" src=\"data:{mime};base64,{data}\">"


def array_to_img(image, alt: str = "", scale: int = 1) -> str:
    """An (H, W) or (H, W, 3) array in [0, 1] as an inline PNG ``<img>`` (nearest upscale)."""
    import numpy as np
    from PIL import Image

    array = np.asarray(image, dtype="float32")
    if array.ndim not in (2, 3):
        raise ValueError(f"image must be (H, W) or (H, W, 3), got shape {array.shape}")
    array = np.clip(array, 0.0, 1.0)
    pil = Image.fromarray((array * 255).round().astype("uint8"))
    if scale != 1:
        pil = pil.resize((pil.width * scale, pil.height * scale), Image.NEAREST)
    buffer = io.BytesIO()
    pil.save(buffer, format="PNG", optimize=True)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return (f"<img alt=\"{html.escape(alt)}\" width=\"{pil.width}\" height=\"{pil.height}\" "
            f"src=\"data:image/png;base64,{data}\">")


__all__ = ["Explorer", "conv_calculator", "state_explorer", "figure_to_img", "array_to_img",
           "runtime_tag", "hydrate_tag"]
