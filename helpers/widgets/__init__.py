"""Live ipywidgets UIs, and :func:`show`, the one call that gives each place its face.

This package holds the shared machinery and Lecture 03's widgets; later lectures add a module
each (``helpers.widgets.<topic>``). Every widget module may define ``benchmarks()``, returning
``{name: callback}`` drivers that ``scripts/bench.py`` times (each call moves one control).

``show(live, static)`` publishes one output with two representations: the live ipywidgets
view (JupyterLab, Jupyter Notebook, Colab, VS Code render it and call back into Python) and
the static explorer's HTML (the book renders that one: its build drops the widget view, so a
reader with no kernel still gets working sliders). Each live callback calls the same pure
helper function the tests check, and is kept cheap enough for the 50 ms budget.

A saved widget view is only a pointer to a model that lives in the kernel. After a restart, or
in a notebook reopened later, the pointer leads nowhere and JupyterLab shows "Error displaying
widget: model not found" instead of the output, because it renders only the richest type of an
output and never falls back to the HTML beside it. So the view is never saved:
:func:`strip_live_views` removes it from every output that has another representation, leaving
the static explorer (working, with no kernel). ``scripts/execute_notebooks.py`` applies it to
the committed notebooks, and :func:`pre_save_hook` applies it whenever JupyterLab saves a
notebook, once the server is started with
``--FileContentsManager.pre_save_hook=helpers.widgets.pre_save_hook`` (what ``make lab``
is meant to pass). The running page keeps its live widgets (after a kernel restart they stay
on the page, inert, until the cell is run again); a reloaded or reopened notebook shows the
static faces, and running the cell brings the live widget back. Checked in JupyterLab 4.6 with
ipywidgets 8.1: saved without the hook, the reloaded page shows "model not found"; with it,
the working static calculator. (Saving the
widget state instead, JupyterLab's "Save Widget State Automatically", would show frozen
copies of the sliders that do nothing, and store every view's HTML twice.)

:func:`fit_labels` gives every control a label wide enough for its description and a fixed
width, so labels are not cut off ("window p…") and nothing moves while a slider is dragged;
:func:`show` and :func:`wire` apply it to every widget they get.
"""

from __future__ import annotations

import html
import time

import numpy as np

from helpers import conv
from helpers.explorers import Explorer, array_to_img, state_explorer
from helpers.explorers import conv_calculator as static_calculator

CELL_PX = 18


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
EM_PER_CHAR = 0.6          # average width of a label character, in em of the widget font
SLIDER_TRACK_EM = 17       # a slider's track and readout: the same length whatever its label
_SLIDERS = ("IntSlider", "FloatSlider", "FloatLogSlider", "IntRangeSlider", "FloatRangeSlider",
            "SelectionSlider", "SelectionRangeSlider")


def _tree(widget):
    yield widget
    for child in getattr(widget, "children", ()) or ():
        yield from _tree(child)


def fit_labels(widget):
    """Size the labels and controls in ``widget``'s tree so that nothing is cut off or moves.

    Every control with a description gets a label width (``style.description_width``) that
    fits the longest description in the tree, so labels line up; every slider a fixed total
    width (label plus a track of constant length); every button a width that fits its text.
    Widths a widget already sets are kept. Returns ``widget``.
    """
    from ipywidgets import Button, Checkbox
    from ipywidgets.widgets.widget_description import DescriptionWidget

    if widget is None:
        return widget
    described = [w for w in _tree(widget) if isinstance(w, DescriptionWidget)
                 and not isinstance(w, Checkbox) and str(getattr(w, "description", "")).strip()]
    unset = [w for w in described if not getattr(w.style, "description_width", "")]
    if unset:
        longest = max(len(w.description) for w in unset)
        label_em = round(max(5.0, EM_PER_CHAR * longest + 1.0), 1)
        for w in unset:
            w.style.description_width = f"{label_em}em"
            if type(w).__name__ in _SLIDERS and w.layout.width is None:
                w.layout.width = f"{label_em + SLIDER_TRACK_EM}em"
    for button in _tree(widget):
        if isinstance(button, Button) and button.layout.width is None:
            button.layout.width = f"{round(EM_PER_CHAR * len(button.description) + 3, 1)}em"
    return widget


def show(live, static: Explorer) -> None:
    """Display ``live`` (an ipywidgets widget) with ``static`` as its kernel-free stand-in.

    One output, two representations: the live view (a pointer to the kernel's widget model)
    and the static explorer's HTML; see the module docstring for why saved notebooks keep
    only the second.
    """
    from IPython.display import display

    bundle = {"text/plain": repr(static), "text/html": static._repr_html_()}
    if live is not None:
        fit_labels(live)
        bundle[WIDGET_VIEW] = {"version_major": 2, "version_minor": 0,
                               "model_id": live.model_id}
    display(bundle, raw=True)


def strip_live_views(notebook) -> int:
    """Remove saved widget views from a notebook (nbformat node or plain JSON dict).

    A view is removed where the output has another representation to show instead (the
    static explorer's HTML, at least a text); views with nothing else are kept. Returns the
    number removed.
    """
    if not isinstance(notebook, dict) or not isinstance(notebook.get("cells"), list):
        raise TypeError("strip_live_views needs a notebook (a dict with a 'cells' list)")
    removed = 0
    for cell in notebook["cells"]:
        if cell.get("cell_type") != "code":
            continue
        for output in cell.get("outputs", []):
            data = output.get("data")
            if isinstance(data, dict) and WIDGET_VIEW in data and len(data) > 1:
                del data[WIDGET_VIEW]
                removed += 1
    return removed


def pre_save_hook(model, **kwargs):
    """Jupyter Server pre-save hook: save notebooks without live widget views.

    ``jupyter lab --FileContentsManager.pre_save_hook=helpers.widgets.pre_save_hook``; the
    open page keeps its live widgets, the file gets the static faces (see the module
    docstring).
    """
    if isinstance(model, dict) and model.get("type") == "notebook" \
            and isinstance(model.get("content"), dict):
        strip_live_views(model["content"])
    return model


def wire(box, controls: dict, update, view=None):
    """Call ``update`` whenever a control's value changes, draw once, and return ``box``.

    The box's labels are sized by :func:`fit_labels` first.

    The controls and the callback are kept on the box (``_dlbook_controls``,
    ``_dlbook_update``, ``_dlbook_view``) for the tests and ``scripts/bench.py``.
    """
    fit_labels(box)
    for control in controls.values():
        control.observe(update, names="value")
    update()
    box._dlbook_update = update
    box._dlbook_controls = controls
    if view is not None:
        box._dlbook_view = view
    return box


def live_drawing(controls: dict, draw):
    """The live face of an explorer that redraws one SVG: the controls stacked above an HTML
    view showing ``draw(**{name: value})``, wired by :func:`wire`."""
    import ipywidgets as w

    out = w.HTML()

    def update(_change=None):
        out.value = draw(**{name: control.value for name, control in controls.items()})

    return wire(w.VBox([*controls.values(), out]), controls, update, out)


# ------------------------------------------------------------------ stride/padding calculator

def conv_grid_svg(input_size: int, kernel_size: int, stride: int = 1, padding="valid",
                  dilation: int = 1, position: int = 0) -> tuple[str, str]:
    """SVG of the padded input with one window drawn, and a message, for the live calculator.

    Returns ``(svg, message)``; for an impossible setting the SVG shows the padded input and
    the message explains why (the ``ValueError`` of :func:`helpers.conv.output_size`).
    """
    try:
        out = conv.output_size(input_size, kernel_size, stride, padding, dilation)
    except ValueError as error:
        out, message, ok = 0, f"Impossible setting: {error}", False
    else:
        ok = True
    pad = conv._check_padding(padding)
    if pad == "same":
        before, after = conv.same_padding(input_size, kernel_size, stride, dilation)
    else:
        before = after = 0 if pad == "valid" else pad
    padded = input_size + before + after
    cells = []
    for i in range(padded):
        for j in range(padded):
            inside = before <= i < before + input_size and before <= j < before + input_size
            fill = "#dfe7f1" if inside else "#fafafa"
            dash = "" if inside else ' stroke="#c9d3e0" stroke-dasharray="2 2"'
            cells.append(f'<rect x="{2 + j * CELL_PX}" y="{20 + i * CELL_PX}" width="17" '
                         f'height="17" fill="{fill}"{dash}/>')
    width = padded * CELL_PX + 4
    if ok:
        position = min(max(position, 0), out * out - 1)
        row, col = divmod(position, out)
        for a in range(kernel_size):
            for b in range(kernel_size):
                cells.append(f'<rect x="{2 + (col * stride + b * dilation) * CELL_PX}" '
                             f'y="{20 + (row * stride + a * dilation) * CELL_PX}" width="17" '
                             'height="17" fill="#f4a340" fill-opacity="0.85"/>')
        left = width + 36
        for i in range(out):
            for j in range(out):
                fill = "#f4a340" if (i, j) == (row, col) else "#cfe3cf"
                cells.append(f'<rect x="{left + j * CELL_PX}" y="{20 + i * CELL_PX}" '
                             f'width="17" height="17" fill="{fill}"/>')
        cells.append(f'<text x="{left}" y="13" font-size="12">output {out}×{out}</text>')
        width = left + max(out * CELL_PX, 80) + 4
        unused = conv.leftover(input_size, kernel_size, stride, padding, dilation)
        message = f"Output size: {out} × {out}."
        if unused:
            message += (f" The window does not tile the input evenly: the last {unused} "
                        "row(s)/column(s) are never covered.")
    cells.append(f'<text x="2" y="13" font-size="12">input {input_size}×{input_size}'
                 f'{" + padding" if before + after else ""}</text>')
    height = max(padded, out) * CELL_PX + 24
    width = max(width, 130)
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'role="img">{"".join(cells)}</svg>')
    return svg, message


def conv_calculator_widget(input_size: int = 7, kernel_size: int = 3, stride: int = 1,
                           padding="valid", dilation: int = 1):
    """The live stride/padding calculator (ipywidgets); returns the widget."""
    import ipywidgets as w

    sliders = {
        "input_size": w.IntSlider(value=input_size, min=3, max=16, description="input size"),
        "kernel_size": w.IntSlider(value=kernel_size, min=1, max=7, description="kernel"),
        "stride": w.IntSlider(value=stride, min=1, max=4, description="stride"),
        "dilation": w.IntSlider(value=dilation, min=1, max=3, description="dilation"),
        "padding": w.Dropdown(options=["valid", "same", 0, 1, 2, 3], value=padding,
                              description="padding"),
        "position": w.IntSlider(value=0, min=0, max=0, description="window position"),
    }
    view = w.HTML()
    message = w.HTML()

    def update(_change=None):
        values = {name: s.value for name, s in sliders.items()}
        try:
            out = conv.output_size(values["input_size"], values["kernel_size"], values["stride"],
                                   values["padding"], values["dilation"])
            sliders["position"].max = out * out - 1
        except ValueError:
            sliders["position"].max = 0
        svg, text = conv_grid_svg(**{**values, "position": sliders["position"].value})
        view.value = svg
        colour = "#b3261e" if text.startswith("Impossible") else "inherit"
        message.value = f'<span style="color:{colour}">{html.escape(text)}</span>'

    columns = w.HBox([w.VBox(list(sliders.values())[:3]), w.VBox(list(sliders.values())[3:])])
    return wire(w.VBox([columns, message, view]), sliders, update, view)


def conv_calculator(input_size: int = 7, kernel_size: int = 3, stride: int = 1,
                    padding="valid", dilation: int = 1) -> None:
    """Show the stride/padding calculator: live in Jupyter/Colab, kernel-free in the book."""
    show(conv_calculator_widget(input_size, kernel_size, stride, padding, dilation),
         static_calculator(input_size, kernel_size, stride, padding, dilation))


# ------------------------------------------------------------ real-image convolution gallery

KERNELS: dict[str, np.ndarray] = {
    "identity": np.array([[0, 0, 0], [0, 1, 0], [0, 0, 0]], dtype="float32"),
    "box blur": np.full((3, 3), 1 / 9, dtype="float32"),
    "sharpen": np.array([[0, -1, 0], [-1, 5, -1], [0, -1, 0]], dtype="float32"),
    "vertical edges (Sobel x)": np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], dtype="float32"),
    "horizontal edges (Sobel y)": np.array([[-1, -2, -1], [0, 0, 0], [1, 2, 1]],
                                           dtype="float32"),
    "outline (Laplacian)": np.array([[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]],
                                    dtype="float32"),
}


def convolve_image(image: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """Filter a grey (H, W) image with a 2-D kernel as ``tf.nn.conv2d`` does ('same').

    Deep-learning "convolution" is cross-correlation: the kernel is not flipped.
    """
    import tensorflow as tf

    image = np.asarray(image, dtype="float32")
    kernel = np.asarray(kernel, dtype="float32")
    if image.ndim != 2:
        raise ValueError(f"image must be a grey (H, W) array, got shape {image.shape}")
    if kernel.ndim != 2:
        raise ValueError(f"kernel must be a 2-D array, got shape {kernel.shape}")
    result = tf.nn.conv2d(image[None, :, :, None], kernel[:, :, None, None], 1, "SAME")
    return result.numpy()[0, :, :, 0]


def _display_range(response: np.ndarray) -> np.ndarray:
    low, high = np.percentile(response, [1, 99])
    if high - low < 1e-8:
        return np.zeros_like(response)
    return np.clip((response - low) / (high - low), 0, 1)


def kernel_gallery(image: np.ndarray) -> None:
    """Show a grey image filtered by a kernel chosen from :data:`KERNELS` (three faces)."""
    import ipywidgets as w

    names = list(KERNELS)
    responses = {name: _display_range(convolve_image(image, KERNELS[name])) for name in names}

    scale = 2 if max(np.shape(image)) <= 160 else 1
    original = array_to_img(np.clip(image, 0, 1), alt="input image", scale=scale)

    def render(kernel: str) -> str:
        matrix = "<br>".join(" ".join(f"{v:+.2f}" for v in row) for row in KERNELS[kernel])
        return ('<div style="display:flex;gap:1em;align-items:center;flex-wrap:wrap">'
                f'<figure style="margin:0">{original}<figcaption>input</figcaption></figure>'
                f'<figure style="margin:0">{array_to_img(responses[kernel], kernel, scale)}'
                f'<figcaption>filtered: {html.escape(kernel)}</figcaption></figure>'
                f'<code style="white-space:pre">{matrix}</code></div>')

    static = state_explorer([("kernel", "kernel", names, None)], render,
                            "Convolution with a chosen kernel")
    picker = w.Dropdown(options=names, description="kernel")
    view = w.HTML(render(names[0]))
    picker.observe(lambda change: setattr(view, "value", render(change["new"])), names="value")
    show(w.VBox([picker, view]), static)


def pool_image(image: np.ndarray, pool_size: int, kind: str = "max") -> np.ndarray:
    """Max- or average-pool a grey (H, W) image with a ``pool_size`` window and stride."""
    import keras

    if kind not in ("max", "average"):
        raise ValueError(f"kind must be 'max' or 'average', got {kind!r}")
    if not isinstance(pool_size, int) or pool_size < 1:
        raise ValueError(f"pool_size must be a positive integer, got {pool_size!r}")
    image = np.asarray(image, dtype="float32")
    if image.ndim != 2:
        raise ValueError(f"image must be a grey (H, W) array, got shape {image.shape}")
    layer = (keras.layers.MaxPooling2D if kind == "max" else keras.layers.AveragePooling2D)
    return layer(pool_size)(image[None, :, :, None]).numpy()[0, :, :, 0]


def pooling_demo(image: np.ndarray, sizes=(1, 2, 4, 8)) -> None:
    """Show an image after max or average pooling with a chosen window (three faces)."""
    import ipywidgets as w

    height = np.shape(image)[0]
    pooled = {(kind, size): pool_image(image, size, kind)
              for kind in ("max", "average") for size in sizes}

    def render(kind: str, size: int) -> str:
        result = pooled[(kind, size)]
        scale = max(1, height // result.shape[0])
        return (f'<figure style="margin:0">{array_to_img(result, f"{kind} pool {size}", scale)}'
                f'<figcaption>{kind} pooling, {size}×{size} window: '
                f'{result.shape[0]}×{result.shape[1]} values, shown enlarged</figcaption></figure>')

    static = state_explorer([("kind", "pooling", ["max", "average"], None),
                             ("size", "window", list(sizes), None)], render, "Pooling demo")
    kind_picker = w.ToggleButtons(options=["max", "average"], description="pooling")
    size_slider = w.SelectionSlider(options=list(sizes), description="window")
    view = w.HTML(render("max", sizes[0]))

    def update(_change=None):
        view.value = render(kind_picker.value, size_slider.value)

    kind_picker.observe(update, names="value")
    size_slider.observe(update, names="value")
    show(w.VBox([kind_picker, size_slider, view]), static)


def svg_document(width: int, height: int, body: str, label: str) -> str:
    """An explorer drawing: an inline SVG that scales down with the column, draws in the
    page's text colour (light and dark mode) and carries ``label`` as its accessible name."""
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" role="img" aria-label="{html.escape(label)}" '
            f'style="max-width:100%;height:auto"><g font-family="sans-serif" '
            f'fill="currentColor">{body}</g></svg>')


def time_callback(callback, repeats: int = 50) -> tuple[float, float]:
    """Median and 95th-percentile wall time of ``callback()`` in milliseconds."""
    timings = []
    for _ in range(repeats):
        start = time.perf_counter()
        callback()
        timings.append((time.perf_counter() - start) * 1000)
    return float(np.median(timings)), float(np.percentile(timings, 95))


def cycle(control, values):
    """A benchmark driver: each call moves ``control`` to the next of ``values``."""
    state = {"index": 0}

    def step():
        state["index"] = (state["index"] + 1) % len(values)
        control.value = values[state["index"]]
    return step


def benchmarks() -> dict:
    """Callback drivers for scripts/bench.py: the calculator and the kernel gallery."""
    import ipywidgets

    from helpers import data

    box = conv_calculator_widget(input_size=16, kernel_size=3)
    controls = box._dlbook_controls
    captured = {}
    global show
    original_show = show
    show = lambda live, static: captured.setdefault("live", live)  # noqa: E731
    try:
        kernel_gallery(data.sample_photo("camera", size=128)[..., 0])
    finally:
        show = original_show
    picker = next(c for c in captured["live"].children if isinstance(c, ipywidgets.Dropdown))
    return {
        "conv calculator: stride": cycle(controls["stride"], [1, 2, 3, 4]),
        "conv calculator: input size": cycle(controls["input_size"], list(range(3, 17))),
        "conv calculator: padding": cycle(controls["padding"], ["valid", "same", 0, 1, 2, 3]),
        "kernel gallery: kernel": cycle(picker, list(picker.options)),
    }
