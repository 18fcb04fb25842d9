"""Architecture diagrams drawn by code as small SVG.

Every function returns a :class:`Diagram`. It shows itself in JupyterLab, Colab and the book as
inline SVG (``_repr_html_``), in other viewers as a standalone SVG (``_repr_svg_``), and prints
its alt text elsewhere. Lines and text use ``currentColor``, so a diagram takes the text colour
of the page it sits on (light or dark theme); the accent fills are translucent mid-tones that
read on both. No fonts, scripts or images are loaded.

The numbers drawn are computed here, never typed in: the sliding-window output is the
cross-correlation of the numbers drawn, the receptive fields follow
``r_l = r_{l-1} + (k_l - 1)·j_{l-1}``, ``j_l = j_{l-1}·s_l`` (as
:func:`helpers.conv.receptive_field`),
and the MLP's parameter count is ``Σ (n_in + 1)·n_out``. Each diagram keeps them in ``.data``.

>>> d = conv_sliding_window(input_size=4, kernel_size=3, position=(1, 1))
>>> d.data["output_size"], bool(d.data["value"] == d.data["output"][1, 1])
(2, True)
"""

from __future__ import annotations

import contextlib
import html
import math
import re
from collections.abc import Sequence

import numpy as np

__all__ = ["Diagram", "conv_sliding_window", "receptive_field_growth", "resnet_block",
           "inception_module", "unet", "unrolled_rnn", "lstm_cell", "gru_cell", "mlp", "flow"]

# Mid-tone accents: readable as strokes on white and on near-black, translucent as fills.
TONES = {
    "blue": "#3f7fd0", "orange": "#e08a1e", "green": "#2f9e55", "purple": "#8e5cc8",
    "red": "#d2463c", "grey": "#8a94a3", "teal": "#1f9aa0",
}
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
_MARKUP = re.compile(r"([_^])\{([^{}]*)\}")


# ------------------------------------------------------------------ validation

def _int(name: str, value, low: int, high: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be a whole number, got {value!r}")
    value = int(value)
    if value < low or (high is not None and value > high):
        span = f"between {low} and {high}" if high is not None else f"at least {low}"
        raise ValueError(f"{name} must be {span}, got {value}")
    return value


def _int_tuple(name: str, values, low: int, high: int) -> tuple[int, ...]:
    if isinstance(values, (str, bytes)) or not isinstance(values, Sequence):
        raise TypeError(f"{name} must be a list or tuple of whole numbers, got {values!r}")
    return tuple(_int(f"{name}[{i}]", v, low, high) for i, v in enumerate(values))


def _tone(tone: str | None) -> str | None:
    if tone is None:
        return None
    if tone not in TONES:
        raise ValueError(f"tone must be one of {sorted(TONES)}, got {tone!r}")
    return TONES[tone]


def _fmt(value: float) -> str:
    value = float(value)
    if value.is_integer():
        return f"{int(value)}".replace("-", "\u2212")
    return f"{value:.2f}".rstrip("0").rstrip(".").replace("-", "\u2212")


def _paren(value: float) -> str:
    text = _fmt(value)
    return f"({text})" if text.startswith("\u2212") else text


def _plain(text: str) -> str:
    """Label markup (``h_{t-1}``, ``x^{2}``) as plain text for alt text."""
    return _MARKUP.sub(lambda m: m.group(2), text)


def _rich(text: str, size: float) -> str:
    """Escape a label and turn ``_{...}`` / ``^{...}`` into small shifted tspans."""
    out, last = [], 0
    small = round(size * 0.72, 1)
    for match in _MARKUP.finditer(text):
        out.append(html.escape(text[last:match.start()]))
        shift = "sub" if match.group(1) == "_" else "super"
        out.append(f'<tspan font-size="{small}" baseline-shift="{shift}">'
                   f"{html.escape(match.group(2))}</tspan>")
        last = match.end()
    out.append(html.escape(text[last:]))
    return "".join(out)


def _sub(number: int) -> str:
    return f"_{{{number}}}"


# ------------------------------------------------------------------ the drawing facility

class Diagram:
    """An SVG drawing with exact coordinates (pixels, origin top-left) and alt text.

    Primitives: :meth:`rect`, :meth:`text`, :meth:`line` / :meth:`arrow` (also polylines),
    :meth:`circle`, :meth:`op` (a ⊕/⊗ node), :meth:`grid`, and :meth:`group` (a context
    manager that wraps what is drawn inside it in a labelled ``<g>``). Labels accept ``_{sub}``
    and ``^{sup}`` markup.

    >>> d = Diagram(120, 40, alt="A box labelled conv")
    >>> _ = d.rect(10, 5, 100, 30, "conv", tone="blue")
    >>> d.to_svg().startswith("<svg")
    True
    """

    def __init__(self, width: float, height: float, alt: str):
        if not isinstance(alt, str) or not alt.strip():
            raise ValueError("alt must be a non-empty text that says what the diagram shows")
        for name, value in (("width", width), ("height", height)):
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
                raise ValueError(f"{name} must be a positive number, got {value!r}")
        self.width, self.height, self.alt = float(width), float(height), alt.strip()
        self.parts: list[str] = []
        self.data: dict = {}

    # primitives ---------------------------------------------------------
    def rect(self, x, y, w, h, label: str | None = None, *, tone: str | None = None,
             dashed: bool = False, rx: float = 4, size: float = 12, bold: bool = False,
             stroke: float = 1.3, fill_opacity: float = 0.16, label_tone: str | None = None):
        colour = _tone(tone)
        fill = f'fill="{colour}" fill-opacity="{fill_opacity}"' if colour else 'fill="none"'
        edge = colour or "currentColor"
        dash = ' stroke-dasharray="4 3"' if dashed else ""
        self.parts.append(f'<rect x="{x:g}" y="{y:g}" width="{w:g}" height="{h:g}" rx="{rx:g}" '
                          f'{fill} stroke="{edge}" stroke-width="{stroke:g}"{dash}/>')
        if label:
            lines = label.split("\n")
            step = size * 1.25
            top = y + h / 2 - step * (len(lines) - 1) / 2
            for i, line in enumerate(lines):
                self.text(x + w / 2, top + i * step, line, size=size, bold=bold and i == 0,
                          tone=label_tone)
        return self

    def text(self, x, y, text: str, *, size: float = 12, anchor: str = "middle",
             bold: bool = False, italic: bool = False, tone: str | None = None,
             opacity: float | None = None):
        """Text centred vertically on ``y``; ``anchor`` is start, middle or end."""
        if anchor not in ("start", "middle", "end"):
            raise ValueError(f"anchor must be start, middle or end, got {anchor!r}")
        colour = _tone(tone) or "currentColor"
        extra = ' font-weight="600"' if bold else ""
        extra += ' font-style="italic"' if italic else ""
        extra += f' opacity="{opacity:g}"' if opacity is not None else ""
        self.parts.append(f'<text x="{x:g}" y="{y:g}" font-size="{size:g}" '
                          f'text-anchor="{anchor}" dominant-baseline="central" '
                          f'fill="{colour}"{extra}>{_rich(str(text), size)}</text>')
        return self

    def line(self, *points, arrow: bool = False, dashed: bool = False,
             tone: str | None = None, width: float = 1.4, opacity: float | None = None):
        """A line or polyline through ``(x, y)`` points; ``arrow`` puts a head at the end."""
        if len(points) < 2:
            raise ValueError("a line needs at least two (x, y) points")
        pts = [(float(p[0]), float(p[1])) for p in points]
        colour = _tone(tone) or "currentColor"
        if arrow:  # stop the shaft inside the head so the tip stays sharp
            (x0, y0), (x1, y1) = pts[-2], pts[-1]
            length = math.hypot(x1 - x0, y1 - y0) or 1.0
            ux, uy = (x1 - x0) / length, (y1 - y0) / length
            head = 7.0
            pts[-1] = (x1 - ux * head * 0.8, y1 - uy * head * 0.8)
        dash = ' stroke-dasharray="5 3"' if dashed else ""
        alpha = f' opacity="{opacity:g}"' if opacity is not None else ""
        coords = " ".join(f"{x:g},{y:g}" for x, y in pts)
        self.parts.append(f'<polyline points="{coords}" fill="none" stroke="{colour}" '
                          f'stroke-width="{width:g}" stroke-linejoin="round"{dash}{alpha}/>')
        if arrow:
            px, py = -uy, ux
            tip = (x1, y1)
            left = (x1 - ux * head + px * head * 0.45, y1 - uy * head + py * head * 0.45)
            right = (x1 - ux * head - px * head * 0.45, y1 - uy * head - py * head * 0.45)
            tri = " ".join(f"{a:.1f},{b:.1f}" for a, b in (tip, left, right))
            self.parts.append(f'<polygon points="{tri}" fill="{colour}"{alpha}/>')
        return self

    def arrow(self, *points, **kwargs):
        return self.line(*points, arrow=True, **kwargs)

    def circle(self, cx, cy, r, label: str | None = None, *, tone: str | None = None,
               size: float = 12, fill_opacity: float = 0.16, dashed: bool = False,
               opacity: float | None = None):
        colour = _tone(tone)
        fill = f'fill="{colour}" fill-opacity="{fill_opacity}"' if colour else 'fill="none"'
        dash = ' stroke-dasharray="3 2"' if dashed else ""
        alpha = f' opacity="{opacity:g}"' if opacity is not None else ""
        self.parts.append(f'<circle cx="{cx:g}" cy="{cy:g}" r="{r:g}" {fill} '
                          f'stroke="{colour or "currentColor"}" stroke-width="1.3"{dash}{alpha}/>')
        if label:
            self.text(cx, cy, label, size=size)
        return self

    def op(self, cx, cy, symbol: str, r: float = 11):
        """An operation node: a circle holding ×, +, σ, tanh or any short symbol."""
        return self.circle(cx, cy, r, symbol, size=13 if len(symbol) == 1 else 9)

    def grid(self, x, y, rows: int, cols: int, cell: float, values=None, *,
             tone: str | None = None, size: float | None = None, dashed_mask=None,
             faded_mask=None):
        """A rows × cols grid of square cells, optionally with a number in each."""
        rows, cols = _int("rows", rows, 1), _int("cols", cols, 1)
        size = size or cell * 0.42
        for i in range(rows):
            for j in range(cols):
                dashed = bool(dashed_mask[i][j]) if dashed_mask is not None else False
                faded = bool(faded_mask[i][j]) if faded_mask is not None else False
                self.rect(x + j * cell, y + i * cell, cell, cell, tone=tone, rx=0,
                          dashed=dashed, stroke=0.9)
                if values is not None:
                    self.text(x + (j + 0.5) * cell, y + (i + 0.5) * cell,
                              _fmt(values[i][j]), size=size, opacity=0.5 if faded else None)
        return self

    @contextlib.contextmanager
    def group(self, label: str):
        """Draw inside ``with d.group("encoder"):`` to wrap the parts in a labelled ``<g>``."""
        self.parts.append(f'<g aria-label="{html.escape(_plain(label), quote=True)}">')
        try:
            yield self
        finally:
            self.parts.append("</g>")

    # output ---------------------------------------------------------------
    def to_svg(self, standalone: bool = False) -> str:
        alt = html.escape(self.alt, quote=True)
        w, h = f"{self.width:g}", f"{self.height:g}"
        ns = ' xmlns="http://www.w3.org/2000/svg"'
        # In a page: shrink to the column, but never below 3/4 size (phones scroll instead of
        # showing 5 px text); the wrapper of _repr_html_ scrolls sideways.
        style = "" if standalone else (f' style="width:100%;max-width:{w}px;'
                                       f'min-width:{self.width * 0.75:.0f}px;height:auto;'
                                       'display:block"')
        # Standalone (an .svg file, or an <img> on GitHub): no page colour to inherit, so dark
        # ink on its own white ground, readable in a dark viewer too.
        colour = ' color="#1d2430"' if standalone else ""
        ground = (f'<rect x="0" y="0" width="{w}" height="{h}" fill="#ffffff" stroke="none"/>'
                  if standalone else "")
        return (f'<svg{ns} viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" '
                f'aria-label="{alt}" font-family="{html.escape(FONT, quote=True)}"'
                f'{colour}{style}>'
                f'<title class="nohighlight">{html.escape(self.alt)}</title>{ground}'
                + "".join(self.parts) + "</svg>")

    def _repr_html_(self) -> str:
        return ('<div class="dlbook-diagram" style="color:inherit;background:transparent;'
                'margin:0.6em 0;overflow-x:auto">' + self.to_svg() + "</div>")

    def _repr_svg_(self) -> str:
        return self.to_svg(standalone=True)

    def save(self, path) -> None:
        """Write a standalone .svg file."""
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(self.to_svg(standalone=True))

    def __repr__(self) -> str:
        return f"Diagram: {self.alt}"


def _text_width(text: str, size: float) -> float:
    return 0.58 * size * len(_plain(text))


# ------------------------------------------------------------------ convolution

def _default_image(n: int) -> np.ndarray:
    i, j = np.indices((n, n))
    return (3 * i + 2 * j + i * j) % 5


def _default_kernel(k: int) -> np.ndarray:
    i, j = np.indices((k, k))
    return (i + 2 * j) % 3 - 1


def _square(name: str, values, n: int | None) -> np.ndarray:
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a square grid of numbers") from None
    if array.ndim != 2 or array.shape[0] != array.shape[1]:
        raise ValueError(f"{name} must be a square 2-D grid, got shape {array.shape}")
    if n is not None and array.shape[0] != n:
        raise ValueError(f"{name} must be {n}×{n} to match the size given, got {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must hold finite numbers")
    return array


def conv_sliding_window(input_size: int = 5, kernel_size: int = 3, stride: int = 1,
                        padding: int = 0, position: tuple[int, int] = (0, 0), *,
                        image=None, kernel=None) -> Diagram:
    """The kernel window over a (padded) input, the kernel, and the output cell it produces.

    ``output[r, c] = Σ_{a,b} padded[r·s + a, c·s + b] · kernel[a, b]`` (cross-correlation, as
    Keras' ``Conv2D``), output size ``⌊(n + 2p − k)/s⌋ + 1``. Padding cells are dashed zeros.
    ``image`` (n × n) and ``kernel`` (k × k) default to small fixed integers.
    """
    n = _int("input_size", input_size, 1, 12)
    p = _int("padding", padding, 0, 3)
    k = _int("kernel_size", kernel_size, 1, 7)
    if k > n + 2 * p:
        raise ValueError(f"kernel_size {k} is larger than the padded input {n + 2 * p}")
    s = _int("stride", stride, 1, n + 2 * p)
    if p >= k:
        raise ValueError(f"padding {p} must be smaller than kernel_size {k} "
                         "(a window would see only zeros)")
    image = _default_image(n) if image is None else _square("image", image, n)
    kernel = _default_kernel(k) if kernel is None else _square("kernel", kernel, k)
    m = (n + 2 * p - k) // s + 1
    if (isinstance(position, (str, bytes)) or not isinstance(position, Sequence)
            or len(position) != 2):
        raise TypeError(f"position must be a (row, col) pair, got {position!r}")
    row = _int("position row", position[0], 0, m - 1)
    col = _int("position col", position[1], 0, m - 1)

    padded = np.pad(image, p)
    output = np.array([[np.sum(padded[r * s:r * s + k, c * s:c * s + k] * kernel)
                        for c in range(m)] for r in range(m)])
    window = padded[row * s:row * s + k, col * s:col * s + k]
    value = float(output[row, col])

    big = n + 2 * p
    cell = 34 if big <= 7 else (28 if big <= 10 else 22)
    top, gap = 48, 46
    x_in = 20
    x_k = x_in + big * cell + gap
    x_out = x_k + k * cell + gap
    width = x_out + m * cell + 20
    terms = [f"{_fmt(a)}·{_paren(b)}" for a, b in zip(window.ravel(), kernel.ravel(), strict=True)]
    if k * k <= 9:
        sum_text = " + ".join(terms) + f" = {_fmt(value)}"
    else:
        sum_text = f"sum of the {k * k} products window ⊙ kernel = {_fmt(value)}"
    size_text = (f"output size = ⌊(n + 2p − k)/s⌋ + 1 = ⌊({n} + {2 * p} − {k})/{s}⌋ + 1 = {m}")
    width = max(width, 40 + _text_width(sum_text, 12), 40 + _text_width(size_text, 12))
    body = top + max(big, k, m) * cell
    height = body + 70

    alt = (f"Convolution sliding window: a {k}×{k} kernel over a {n}×{n} input"
           f"{f' with padding {p}' if p else ''}, stride {s}. The window at output position "
           f"({row}, {col}) multiplies its numbers by the kernel and sums them to {_fmt(value)}; "
           f"the output is {m}×{m}.")
    d = Diagram(width, height, alt)
    pad_mask = np.ones((big, big), bool)
    pad_mask[p:p + n, p:p + n] = False
    with d.group("input"):
        d.text(x_in, top - 22, f"input {n}×{n}" + (f", padding {p} (zeros)" if p else ""),
               anchor="start", bold=True)
        d.grid(x_in, top, big, big, cell, padded, dashed_mask=pad_mask, faded_mask=pad_mask)
        wx, wy = x_in + col * s * cell, top + row * s * cell
        d.rect(wx, wy, k * cell, k * cell, tone="orange", rx=2, stroke=2.6, fill_opacity=0.22)
    with d.group("kernel"):
        d.text(x_k, top - 22, f"kernel {k}×{k}", anchor="start", bold=True)
        d.grid(x_k, top, k, k, cell, kernel, tone="orange")
        d.text(x_k - gap / 2, top + k * cell / 2, "⊙", size=18)
    with d.group("output"):
        d.text(x_out, top - 22, f"output {m}×{m}", anchor="start", bold=True)
        d.grid(x_out, top, m, m, cell, output)
        d.rect(x_out + col * cell, top + row * cell, cell, cell, tone="green", rx=0,
               stroke=2.6, fill_opacity=0.3)
        d.text(x_out - gap / 2, top + k * cell / 2, "=", size=18)
    d.arrow((wx + k * cell, wy + 3), (x_out + col * cell + cell / 2, top - 6), tone="orange",
            dashed=True, opacity=0.8)
    d.text(20, body + 22, sum_text, anchor="start")
    d.text(20, body + 48, size_text, anchor="start", opacity=0.85)
    d.data = {"padded": padded, "kernel": kernel, "output": output, "window": window,
              "value": value, "output_size": m, "position": (row, col)}
    return d


def receptive_field_growth(kernel_sizes: Sequence[int] = (3, 3, 3),
                           strides: Sequence[int] | None = None) -> Diagram:
    """How far one unit of the top layer sees into the input, layer by layer (1-D view).

    ``r_0 = 1, j_0 = 1``; layer l with kernel k_l, stride s_l: ``r_l = r_{l-1} + (k_l − 1)·j_{l-1}``
    and ``j_l = j_{l-1}·s_l`` (``j`` is the distance, in input pixels, between neighbouring units).
    """
    ks = _int_tuple("kernel_sizes", kernel_sizes, 1, 11)
    if not 1 <= len(ks) <= 6:
        raise ValueError(f"give between 1 and 6 layers, got {len(ks)}")
    ss = (1,) * len(ks) if strides is None else _int_tuple("strides", strides, 1, 4)
    if len(ss) != len(ks):
        raise ValueError(f"kernel_sizes has {len(ks)} layers but strides has {len(ss)}")
    fields, jumps = [1], [1]
    for k, s in zip(ks, ss, strict=True):
        fields.append(fields[-1] + (k - 1) * jumps[-1])
        jumps.append(jumps[-1] * s)
    rf = fields[-1]
    if rf > 40:
        raise ValueError(f"the receptive field ({rf} pixels) is too wide to draw; keep it <= 40")
    layers = len(ks)
    # cone: indices of the units the top unit depends on, per layer (top = unit 0)
    cone = [(0, 0)] * (layers + 1)
    for layer in range(layers, 0, -1):
        lo, hi = cone[layer]
        cone[layer - 1] = (lo * ss[layer - 1], hi * ss[layer - 1] + ks[layer - 1] - 1)

    label_w = 230
    span = rf + 2                                   # one faded input pixel each side
    cw = min(30.0, 520.0 / span)
    x0, row_h, top = 24.0, 62.0, 28.0
    width = x0 + span * cw + 24 + label_w
    height = top + layers * row_h + 92

    def cx(layer: int, unit: int) -> float:         # centre in input-pixel coordinates
        centre = unit * jumps[layer] + (fields[layer] - 1) / 2
        return x0 + (centre + 1.5) * cw

    def cy(layer: int) -> float:
        return top + (layers - layer) * row_h + 12

    steps = ", ".join(f"{r}" for r in fields[1:])
    alt = (f"Receptive field growth through {layers} layers with kernels {list(ks)} and "
           f"strides {list(ss)}: one unit of the top layer sees {rf} input pixels; the field "
           f"after each layer is {steps}.")
    d = Diagram(width, height, alt)
    box = min(cw - 4, 20)
    for layer in range(layers, 0, -1):              # edges under the boxes
        lo, hi = cone[layer]
        k, s = ks[layer - 1], ss[layer - 1]
        for unit in range(lo, hi + 1):
            for a in range(k):
                d.line((cx(layer, unit), cy(layer) + box / 2),
                       (cx(layer - 1, unit * s + a), cy(layer - 1) - box / 2),
                       tone="blue", width=0.9, opacity=0.55)
    for layer in range(layers + 1):
        lo, hi = cone[layer]
        j = jumps[layer]
        first = math.ceil((-1 - (fields[layer] - 1) / 2) / j - 1e-9)
        last = math.floor((rf - (fields[layer] - 1) / 2) / j + 1e-9)
        with d.group("input" if layer == 0 else f"layer {layer}"):
            for unit in range(first, last + 1):
                inside = lo <= unit <= hi
                tone = ("orange" if layer == layers else "blue") if inside else None
                d.rect(cx(layer, unit) - box / 2, cy(layer) - box / 2, box, box, tone=tone,
                       rx=3, dashed=not inside, stroke=1.6 if inside else 0.8,
                       fill_opacity=0.35 if inside else 0.0)
            name = "input" if layer == 0 else (
                f"layer {layer}: k={ks[layer - 1]}, s={ss[layer - 1]}")
            d.text(x0 + span * cw + 24, cy(layer) - 8, name, anchor="start", bold=True)
            d.text(x0 + span * cw + 24, cy(layer) + 9,
                   f"RF = {fields[layer]}, jump = {jumps[layer]}", anchor="start", opacity=0.85)
    left, right = x0 + 1.5 * cw - box / 2 - 2, x0 + (rf + 0.5) * cw + box / 2 + 2
    base = cy(0) + box / 2 + 10
    d.line((left, base - 4), (left, base), (right, base), (right, base - 4), tone="orange",
           width=1.6)
    d.text(left, base + 16, f"receptive field of the top unit: {rf} input pixels",
           tone="orange", bold=True, anchor="start")
    d.text(x0, height - 16, "r_{l} = r_{l−1} + (k_{l} − 1)·j_{l−1},   j_{l} = j_{l−1}·s_{l}",
           anchor="start", opacity=0.85)
    d.data = {"receptive_fields": fields[1:], "jumps": jumps[1:], "receptive_field": rf}
    return d


# ------------------------------------------------------------------ CNN blocks

def resnet_block(kind: str = "identity") -> Diagram:
    """A basic residual block: y = ReLU(F(x) + x), or F(x) + W_s x with a projection shortcut.

    The projection shortcut (a strided 1×1 convolution with batch norm) is used when the block
    halves the spatial size and doubles the channels, so ``x`` no longer matches ``F(x)``.
    """
    if kind not in ("identity", "projection"):
        raise ValueError(f'kind must be "identity" or "projection", got {kind!r}')
    proj = kind == "projection"
    width, height, main = 700.0, 230.0 if proj else 200.0, 150.0 if proj else 120.0
    shape_in = "H×W×C"
    shape_out = "H/2×W/2×2C" if proj else "H×W×C"
    first = "3×3 conv, 2C, stride 2\nBN, ReLU" if proj else "3×3 conv, C\nBN, ReLU"
    second = "3×3 conv, 2C\nBN" if proj else "3×3 conv, C\nBN"
    alt = ("Residual block with a projection shortcut: two 3×3 convolutions compute F(x); "
           "a strided 1×1 convolution with batch norm maps x to W_s x so the shapes match; "
           "the output is ReLU(F(x) + W_s x), shape H/2×W/2×2C." if proj else
           "Residual block with an identity shortcut: two 3×3 convolutions with batch norm "
           "compute F(x); the input x skips around them and is added, giving ReLU(F(x) + x) "
           "with the same shape H×W×C.")
    d = Diagram(width, height, alt)
    d.text(30, main, "x", size=16, bold=True)
    d.text(30, main + 22, shape_in, size=10, opacity=0.8)
    d.circle(70, main, 3, tone="blue", fill_opacity=1)
    d.arrow((48, main), (112, main))
    d.rect(114, main - 24, 150, 48, first, tone="blue")
    d.arrow((264, main), (300, main))
    d.rect(302, main - 24, 130, 48, second, tone="blue")
    d.arrow((432, main), (479, main))
    d.text(455, main - 12, "F(x)", italic=True)
    d.op(490, main, "+")
    d.arrow((501, main), (540, main))
    d.rect(542, main - 16, 60, 32, "ReLU", tone="green")
    d.arrow((602, main), (630, main))
    d.text(645, main, "y", size=16, bold=True)
    d.text(645, main + 22, shape_out, size=10, opacity=0.8)
    with d.group("shortcut"):
        if proj:
            d.line((70, main), (70, 40), (240, 40), tone="orange", width=1.8)
            d.rect(242, 20, 170, 40, "1×1 conv, 2C, stride 2\nBN", tone="orange", size=11)
            d.arrow((412, 40), (490, 40), (490, main - 11), tone="orange", width=1.8)
            d.text(520, 70, "W_{s} x", tone="orange", bold=True)
            d.text(150, 28, "projection shortcut", tone="orange", size=11)
        else:
            d.arrow((70, main), (70, 40), (490, 40), (490, main - 11), tone="orange",
                    width=1.8)
            d.text(280, 28, "identity shortcut: x is added unchanged", tone="orange", size=11)
            d.text(502, 70, "x", tone="orange", bold=True)
    formula = "y = ReLU(F(x) + W_{s} x)" if proj else "y = ReLU(F(x) + x)"
    d.text(width / 2, height - 22, formula, size=14, bold=True)
    d.data = {"kind": kind, "formula": _plain(formula), "output_shape": shape_out}
    return d


def inception_module(filters=(64, (96, 128), (16, 32), 32)) -> Diagram:
    """A GoogLeNet Inception module (default: inception (3a) of Szegedy et al., 2015).

    Four parallel branches see the same input (1×1; 1×1 then 3×3; 1×1 then 5×5; 3×3 max pool
    then 1×1) and their outputs are concatenated along the channel axis, so the output has
    ``f_1 + f_3 + f_5 + f_pool`` channels (64 + 128 + 32 + 32 = 256 for 3a).
    """
    if isinstance(filters, (str, bytes)) or not isinstance(filters, Sequence) or len(filters) != 4:
        raise TypeError("filters must be (f1x1, (reduce3, f3x3), (reduce5, f5x5), pool_proj)")
    f1 = _int("filters[0]", filters[0], 1)
    pairs = []
    for index in (1, 2):
        pair = filters[index]
        if isinstance(pair, (str, bytes)) or not isinstance(pair, Sequence) or len(pair) != 2:
            raise TypeError(f"filters[{index}] must be a (reduce, filters) pair, got {pair!r}")
        pairs.append(_int_tuple(f"filters[{index}]", pair, 1, 100000))
    fp = _int("filters[3]", filters[3], 1)
    total = f1 + pairs[0][1] + pairs[1][1] + fp
    alt = (f"Inception module: the input feeds four parallel branches — a 1×1 convolution "
           f"({f1} filters); a 1×1 reduction to {pairs[0][0]} then a 3×3 convolution "
           f"({pairs[0][1]}); a 1×1 reduction to {pairs[1][0]} then a 5×5 convolution "
           f"({pairs[1][1]}); a 3×3 max pool then a 1×1 projection ({fp}) — whose outputs are "
           f"concatenated along channels into {total} channels.")
    width, height = 680.0, 330.0
    d = Diagram(width, height, alt)
    cols = [100.0, 260.0, 420.0, 580.0]
    bw, bh = 140.0, 40.0
    d.rect(width / 2 - 110, 14, 220, 34, "previous layer (H×W×C)", tone="grey")
    for x in cols:
        d.arrow((width / 2, 48), (x, 80), (x, 108))
    rows = [
        [("1×1 conv\n" + f"{f1} filters", "blue"),
         ("1×1 conv (reduce)\n" + f"{pairs[0][0]} filters", "purple"),
         ("1×1 conv (reduce)\n" + f"{pairs[1][0]} filters", "purple"),
         ("3×3 max pool\nstride 1, same", "orange")],
        [None,
         ("3×3 conv\n" + f"{pairs[0][1]} filters", "blue"),
         ("5×5 conv\n" + f"{pairs[1][1]} filters", "blue"),
         ("1×1 conv (projection)\n" + f"{fp} filters", "purple")],
    ]
    for x, first, second in zip(cols, rows[0], rows[1], strict=True):
        d.rect(x - bw / 2, 110, bw, bh, first[0], tone=first[1], size=11)
        if second is None:
            d.arrow((x, 150), (x, 246))
        else:
            d.arrow((x, 150), (x, 178))
            d.rect(x - bw / 2, 180, bw, bh, second[0], tone=second[1], size=11)
            d.arrow((x, 220), (x, 246))
    d.rect(cols[0] - bw / 2, 248, cols[-1] - cols[0] + bw, 34,
           f"filter concatenation along channels: {f1} + {pairs[0][1]} + {pairs[1][1]} + "
           f"{fp} = {total} channels (H×W×{total})", tone="green", bold=True)
    d.text(width / 2, 306, "every branch keeps H×W (same padding), so the maps stack",
           size=11, opacity=0.8)
    d.data = {"output_channels": total}
    return d


def unet(depth: int = 3, base_filters: int = 64, input_size: int = 128) -> Diagram:
    """U-Net (Ronneberger et al., 2015): a contracting path, a bottleneck and an expanding path
    whose every level concatenates the encoder's feature map of the same size (skip connection).

    Level l has ``base_filters·2^l`` channels at ``input_size / 2^l`` pixels (same padding).
    """
    depth = _int("depth", depth, 1, 5)
    base = _int("base_filters", base_filters, 1, 4096)
    size = _int("input_size", input_size, 2)
    if size % (2 ** depth):
        raise ValueError(f"input_size {size} must be divisible by 2**depth = {2 ** depth} "
                         "so that every max pool halves it exactly")
    bw, bh, row_h = 124.0, 40.0, 74.0
    step_x = min(52.0, 200.0 / depth)
    width = 2 * (30 + depth * step_x + bw) + 40
    height = 44 + depth * row_h + bh + 40
    alt = (f"U-Net with depth {depth}: the encoder halves the {size}×{size} input {depth} times "
           f"with 2×2 max pooling while doubling channels from {base} to {base * 2 ** depth} "
           f"at the bottleneck; the decoder upsamples back with 2×2 up-convolutions and "
           f"concatenates the encoder map of the same size at each level (skip connections); "
           f"a 1×1 convolution gives per-pixel class scores.")
    d = Diagram(width, height, alt)

    def y(level: int) -> float:
        return 44 + level * row_h

    def label(level: int) -> str:
        px = size // 2 ** level
        return f"{base * 2 ** level} ch\n{px}×{px}"

    enc_x = [30 + level * step_x for level in range(depth)]
    dec_x = [width - 30 - bw - level * step_x for level in range(depth)]
    d.text(enc_x[0], 18, f"input {size}×{size}", anchor="start", bold=True)
    for level in range(depth):
        with d.group(f"encoder level {level + 1}"):
            d.rect(enc_x[level], y(level), bw, bh, "2× (3×3 conv, ReLU)\n"
                   + label(level).replace("\n", ", "), tone="blue", size=10)
        with d.group(f"decoder level {level + 1}"):
            d.rect(dec_x[level], y(level), bw, bh, "concat, 2× 3×3 conv\n"
                   + label(level).replace("\n", ", "), tone="purple", size=10)
        d.arrow((enc_x[level] + bw, y(level) + bh / 2), (dec_x[level], y(level) + bh / 2),
                tone="orange", dashed=True)
        d.text((enc_x[level] + bw + dec_x[level]) / 2, y(level) + bh / 2 - 9,
               "copy & concatenate", size=10, tone="orange")
        nxt_enc = enc_x[level + 1] + bw / 2 if level + 1 < depth else width / 2 - 14
        nxt_dec = dec_x[level + 1] + bw / 2 if level + 1 < depth else width / 2 + 14
        d.arrow((enc_x[level] + bw / 2, y(level) + bh), (nxt_enc, y(level + 1)), tone="red")
        d.arrow((nxt_dec, y(level + 1)), (dec_x[level] + bw / 2, y(level) + bh), tone="green")
    d.text(enc_x[0] + bw / 2 - 10, y(0) + bh + row_h / 2 - 10, "2×2 max pool",
           size=10, tone="red", anchor="end")
    d.text(dec_x[0] + bw / 2 + 10, y(0) + bh + row_h / 2 - 10, "2×2 up-conv",
           size=10, tone="green", anchor="start")
    with d.group("bottleneck"):
        d.rect(width / 2 - bw / 2 - 10, y(depth), bw + 20, bh,
               "bottleneck\n" + label(depth).replace("\n", ", "), tone="grey", size=10)
    d.arrow((dec_x[0] + bw / 2, y(0)), (dec_x[0] + bw / 2, 14))
    d.text(dec_x[0] + bw / 2 - 8, 18, "1×1 conv → class per pixel", anchor="end", size=11,
           bold=True)
    d.text(width / 2, height - 16, "encoder (contracting)  ·  bottleneck  ·  decoder "
           "(expanding); skips carry fine detail across", size=11, opacity=0.85)
    d.data = {"channels": [base * 2 ** level for level in range(depth + 1)],
              "sizes": [size // 2 ** level for level in range(depth + 1)]}
    return d


# ------------------------------------------------------------------ recurrent networks

_CELLS = {"rnn": "RNN", "lstm": "LSTM", "gru": "GRU"}


def unrolled_rnn(steps: int = 4, cell: str = "rnn") -> Diagram:
    """A recurrent layer unrolled over time: the same cell (same weights) at every step.

    SimpleRNN and GRU pass one state h_t; LSTM passes two, the cell state c_t and h_t.
    """
    steps = _int("steps", steps, 1, 8)
    if cell not in _CELLS:
        raise ValueError(f"cell must be one of {sorted(_CELLS)}, got {cell!r}")
    name, lstm = _CELLS[cell], cell == "lstm"
    # Four steps fit a 390 px phone's column (476 units, shrunk at most to 3/4 of that).
    col, x0 = min(95.0, 600.0 / steps), 60.0
    weights = "W, U, b" if cell == "rnn" else (
        "W_{f,i,c,o}, U_{f,i,c,o}, b" if cell == "lstm" else "W_{z,r,h}, U_{z,r,h}, b")
    caption = f"the same weights {weights} at every step t = 1 … {steps}"
    width = max(x0 + steps * col + 36, 18 + _text_width(caption, 12) + 8)
    height = 264.0
    box_y, box_h, bw = 92.0, 56.0, min(70.0, col - 34)
    alt = (f"{name} unrolled over {steps} time steps: each step takes x_t and the previous "
           + ("cell state c_(t−1) and hidden state h_(t−1)" if lstm else "hidden state h_(t−1)")
           + ", applies the same weights, and outputs h_t, which also goes to the next step.")
    d = Diagram(width, height, alt)
    states = [("c", 108.0), ("h", 132.0)] if lstm else [("h", 120.0)]
    for t in range(1, steps + 1):
        cx = x0 + (t - 0.5) * col
        with d.group(f"step {t}"):
            d.rect(cx - bw / 2, box_y, bw, box_h, name, tone="blue", bold=True,
                   size=13 if bw >= 60 else 11)
            d.arrow((cx, 212), (cx, box_y + box_h))
            d.text(cx, 225, f"x{_sub(t)}", size=14)
            d.arrow((cx, box_y), (cx, 44))
            d.text(cx, 31, f"h{_sub(t)}", size=14)
        for state, sy in states:
            start = cx - col + bw / 2 if t > 1 else 18.0
            d.arrow((start, sy), (cx - bw / 2, sy), tone="orange")
            d.text((start + cx - bw / 2) / 2, sy - 9, f"{state}{_sub(t - 1)}", size=12,
                   tone="orange")
    last = x0 + (steps - 0.5) * col + bw / 2
    for _state, sy in states:
        d.arrow((last, sy), (last + 30, sy), tone="orange", dashed=True)
    d.text(18, height - 8, caption, anchor="start", size=12, opacity=0.85)
    d.data = {"steps": steps, "states": [s for s, _ in states]}
    return d


def _state_highway(d: Diagram, y: float, name: str, times_x: float, plus_x: float) -> None:
    """The memory line along the top of an LSTM/GRU cell (440 units wide): name_{t−1}, one
    ×, one +, name_t — the only operations on it."""
    d.text(8, y, name + "_{t−1}", anchor="start", size=15, bold=True)
    d.line((58, y), (times_x - 11, y), tone="orange", width=2.4)
    d.op(times_x, y, "×")
    d.line((times_x + 11, y), (plus_x - 11, y), tone="orange", width=2.4)
    d.op(plus_x, y, "+")
    d.arrow((plus_x + 11, y), (404, y), tone="orange", width=2.4)
    d.text(408, y, name + "_{t}", anchor="start", size=15, bold=True)


def lstm_cell() -> Diagram:
    """One LSTM step: forget, input and output gates, the candidate, and the cell-state line.

    f_t = σ(W_f x_t + U_f h_{t−1} + b_f), i_t and o_t alike, c̃_t = tanh(W_c x_t + U_c h_{t−1}
    + b_c); c_t = f_t ⊙ c_{t−1} + i_t ⊙ c̃_t; h_t = o_t ⊙ tanh(c_t) (Keras' LSTM).
    """
    alt = ("LSTM cell: the cell state runs along the top from c_(t−1) to c_t, multiplied by the "
           "forget gate f_t and added to i_t times the candidate c̃_t; the gates f, i, o are "
           "sigmoids and the candidate a tanh of [h_(t−1), x_t]; h_t = o_t ⊙ tanh(c_t).")
    # Narrow (440 units) with large labels, like gru_cell: readable on a 390 px phone.
    d = Diagram(440, 496, alt)
    top, bus, h_in = 62.0, 262.0, 300.0
    f_x, i_x, c_x, o_x, out_x = 120.0, 185.0, 245.0, 305.0, 370.0
    with d.group("cell state"):
        _state_highway(d, top, "c", times_x=f_x, plus_x=c_x)
        d.text((f_x + c_x) / 2, top - 22, "cell state: only × and +", size=11, tone="orange")
    with d.group("input"):
        d.text(8, h_in, "h_{t−1}", anchor="start", size=15, bold=True)
        d.line((58, h_in), (72, h_in), (72, bus), (o_x, bus))
        d.arrow((100, 330), (100, bus + 2))
        d.text(100, 346, "x_{t}", size=15, bold=True)
        d.text(114, bus + 16, "[h_{t−1}, x_{t}]", size=12, anchor="start", opacity=0.8)
    gates = [(f_x, "σ", "f_{t}", "forget"), (i_x, "σ", "i_{t}", "input"),
             (c_x, "tanh", "c̃_{t}", "candidate"), (o_x, "σ", "o_{t}", "output")]
    with d.group("gates"):
        for x, fn, _name, _role in gates:
            width = 48 if fn == "tanh" else 40
            d.line((x, bus), (x, 214))
            d.rect(x - width / 2, 182, width, 32, fn, tone="purple" if fn == "σ" else "blue",
                   size=15 if fn == "σ" else 13)
        d.arrow((f_x, 182), (f_x, top + 11))
        d.text(f_x - 8, 140, "f_{t}", size=13, anchor="end")
        d.arrow((i_x, 182), (i_x, 130), (c_x - 11, 130))
        d.text(i_x - 8, 156, "i_{t}", size=13, anchor="end")
        d.op(c_x, 130, "×")
        d.arrow((c_x, 182), (c_x, 141))
        d.text(c_x + 8, 162, "c̃_{t}", size=13, anchor="start")
        d.arrow((c_x, 119), (c_x, top + 11))
    with d.group("output"):
        d.line((out_x, top), (out_x, 98))
        d.rect(out_x - 24, 98, 48, 26, "tanh", tone="blue", size=13)
        d.arrow((out_x, 124), (out_x, 187))
        d.op(out_x, 198, "×")
        d.arrow((o_x + 20, 198), (out_x - 11, 198))
        d.text((o_x + 20 + out_x - 11) / 2, 184, "o_{t}", size=13)
        d.line((out_x, 209), (out_x, h_in))
        d.arrow((out_x, h_in), (404, h_in))
        d.text(408, h_in, "h_{t}", anchor="start", size=15, bold=True)
        d.text(432, h_in + 22, "output and next step", anchor="end", size=11, opacity=0.8)
    drawn = [("f_{t} = σ(W_{f} x_{t} + U_{f} h_{t−1} + b_{f})", "forget gate"),
             ("i_{t} = σ(W_{i} x_{t} + U_{i} h_{t−1} + b_{i})", "input gate"),
             ("o_{t} = σ(W_{o} x_{t} + U_{o} h_{t−1} + b_{o})", "output gate"),
             ("c̃_{t} = tanh(W_{c} x_{t} + U_{c} h_{t−1} + b_{c})", "candidate"),
             ("c_{t} = f_{t} ⊙ c_{t−1} + i_{t} ⊙ c̃_{t}", "new cell state"),
             ("h_{t} = o_{t} ⊙ tanh(c_{t})", "new hidden state")]
    for k, (line, role) in enumerate(drawn):
        d.text(8, 382 + 20 * k, line, anchor="start", size=13)
        d.text(432, 382 + 20 * k, role, anchor="end", size=11.5, opacity=0.75)
    eq = [",   ".join(line for line, _ in drawn[:3]),
          ",   ".join(line for line, _ in drawn[3:])]
    d.data = {"gates": [name for _, _, name, _ in gates], "equations": [_plain(e) for e in eq]}
    return d


def gru_cell(reset_after: bool = True) -> Diagram:
    """One GRU step with Keras' (and Cho et al.'s) convention h_t = z_t ⊙ h_{t−1} + (1 − z_t) ⊙ h̃_t.

    ``reset_after=True`` (Keras' default) applies the reset gate after the recurrent matrix:
    h̃_t = tanh(W_h x_t + b_h + r_t ⊙ (U_h h_{t−1} + b'_h)); ``reset_after=False`` (Cho et al.,
    2014) before it: h̃_t = tanh(W_h x_t + U_h (r_t ⊙ h_{t−1}) + b_h).
    """
    if not isinstance(reset_after, (bool, np.bool_)):
        raise TypeError(f"reset_after must be True or False, got {reset_after!r}")
    where = ("after U_h (Keras default, reset_after=True)" if reset_after
             else "before U_h (Cho et al. 2014, reset_after=False)")
    alt = ("GRU cell: the hidden state runs along the top from h_(t−1) to h_t = z_t ⊙ h_(t−1) "
           "+ (1 − z_t) ⊙ h̃_t; the update gate z_t and reset gate r_t are sigmoids of "
           f"[h_(t−1), x_t]; the reset gate scales the recurrent part of the candidate h̃_t "
           f"{where}.")
    # Narrow (440 units) with large labels: on a 390 px phone the page shrinks it by about
    # 0.8, so the 15/13/12-unit labels stay about 12/10/9.6 px high.
    d = Diagram(440, 470, alt)
    top, bus = 62.0, 262.0
    z_x, r_x, reset_x, tanh_x = 130.0, 224.0, 300.0, 380.0
    with d.group("hidden state"):
        _state_highway(d, top, "h", times_x=z_x, plus_x=tanh_x)
        d.text(432, top - 24, "output and next step", anchor="end", size=11, opacity=0.8)
    with d.group("input"):
        d.line((72, top), (72, bus), (tanh_x, bus))
        d.arrow((100, 306), (100, bus + 2))
        d.text(100, 322, "x_{t}", size=15, bold=True)
        d.text(114, bus + 16, "[h_{t−1}, x_{t}]", size=12, anchor="start", opacity=0.8)
    with d.group("gates"):
        for x, role in ((z_x, "update"), (r_x, "reset")):
            d.line((x, bus), (x, 222))
            d.rect(x - 22, 190, 44, 32, "σ", tone="purple", size=15)
            d.text(x + 26, 236, role, size=12, anchor="start", opacity=0.8)
        d.arrow((z_x, 190), (z_x, top + 11))
        d.text(z_x - 8, 150, "z_{t}", size=13, anchor="end")
        d.line((z_x, 104), (reset_x - 12, 104))
        d.circle(reset_x, 104, 12, "1−", size=12)     # op() would draw it at 9
        d.arrow((reset_x + 12, 104), (tanh_x - 11, 104))
        d.text((reset_x + tanh_x) / 2, 90, "1 − z_{t}", size=12)
        d.op(tanh_x, 104, "×")
        d.arrow((tanh_x, 93), (tanh_x, top + 11))
    with d.group("candidate"):
        d.arrow((r_x, 190), (r_x, 164), (reset_x - 11, 164))
        d.text(r_x - 8, 177, "r_{t}", size=13, anchor="end")
        d.op(reset_x, 164, "×")
        d.arrow((reset_x, bus), (reset_x, 175))
        d.text(reset_x + 6, 214, "U_{h} h_{t−1}" if reset_after else "h_{t−1}", size=12,
               anchor="start")
        d.arrow((reset_x + 11, 164), (tanh_x - 26, 164))
        d.rect(tanh_x - 26, 150, 52, 28, "tanh", tone="blue", size=13)
        d.arrow((tanh_x, bus), (tanh_x, 178))
        d.text(tanh_x + 6, 226, "W_{h} x_{t}", size=12, anchor="start")
        d.arrow((tanh_x, 150), (tanh_x, 115))
        d.text(tanh_x + 8, 133, "h̃_{t}", size=13, anchor="start")
    cand_eq = ("h̃_{t} = tanh(W_{h} x_{t} + b_{h} + r_{t} ⊙ (U_{h} h_{t−1} + b′_{h}))"
               if reset_after else "h̃_{t} = tanh(W_{h} x_{t} + U_{h} (r_{t} ⊙ h_{t−1}) + b_{h})")
    cand_note = ("the reset gate after U_{h}: Keras' default, reset_after=True" if reset_after
                 else "the reset gate before U_{h}: Cho et al. 2014, reset_after=False")
    update_eq = "h_{t} = z_{t} ⊙ h_{t−1} + (1 − z_{t}) ⊙ h̃_{t}"
    update_note = "as in Keras and Cho et al.; some texts swap z and 1 − z"
    z_eq = "z_{t} = σ(W_{z} x_{t} + U_{z} h_{t−1} + b_{z})"
    r_eq = "r_{t} = σ(W_{r} x_{t} + U_{r} h_{t−1} + b_{r})"
    drawn = [(z_eq, 13, None), (r_eq, 13, None), (cand_eq, 13, None), (cand_note, 11.5, 0.8),
             (update_eq, 13, None), (update_note, 11.5, 0.8)]
    y = 352.0
    for line, size, opacity in drawn:
        d.text(8, y, line, anchor="start", size=size, opacity=opacity)
        y += 20 if size >= 13 else 22
    cand = (f"{cand_eq}   [Keras default, reset_after=True]" if reset_after
            else f"{cand_eq}   [Cho et al. 2014, reset_after=False]")
    eq = [f"{z_eq},   {r_eq}", cand, f"{update_eq}   (Keras and Cho et al.; some texts swap z "
          "and 1 − z)"]
    d.data = {"reset_after": bool(reset_after), "equations": [_plain(e) for e in eq]}
    return d


# ------------------------------------------------------------------ generic

def mlp(layer_sizes: Sequence[int] = (3, 4, 2), labels: Sequence[str] | None = None) -> Diagram:
    """A fully connected network: one column of units per layer, every unit joined to every
    unit of the next layer. Layers wider than 8 units are drawn as 3 units, ⋮, 2 units.

    Parameters per dense layer: (n_in + 1)·n_out (weights and biases); the total is in
    ``.data["parameters"]``.
    """
    sizes = _int_tuple("layer_sizes", layer_sizes, 1, 10 ** 7)
    if len(sizes) < 2:
        raise ValueError("layer_sizes needs at least two layers (input and output)")
    if len(sizes) > 8:
        raise ValueError(f"at most 8 layers can be drawn, got {len(sizes)}")
    if labels is None:
        labels = (["input"] + [f"hidden {i}" for i in range(1, len(sizes) - 1)] + ["output"])
    else:
        if isinstance(labels, (str, bytes)) or len(labels) != len(sizes):
            raise ValueError(f"labels must be a list of {len(sizes)} names, one per layer")
        labels = [str(label) for label in labels]
    params = [(a + 1) * b for a, b in zip(sizes[:-1], sizes[1:], strict=True)]
    col, r, gap = 150.0, 13.0, 38.0
    shown = [list(range(n)) if n <= 8 else [0, 1, 2, None, n - 2, n - 1] for n in sizes]
    tallest = max(len(s) for s in shown)
    width = 60 + (len(sizes) - 1) * col + 60
    height = 50 + tallest * gap + 52

    def ys(layer: int) -> list[float]:
        count = len(shown[layer])
        first = 50 + (tallest - count) * gap / 2 + gap / 2
        return [first + i * gap for i in range(count)]

    total = sum(params)
    alt = (f"Fully connected network with layer sizes {list(sizes)}: every unit is connected to "
           f"every unit of the next layer; {total:,} parameters in all (weights and biases).")
    d = Diagram(width, height, alt)
    xs = [60 + i * col for i in range(len(sizes))]
    for layer in range(len(sizes) - 1):
        for a, ya in zip(shown[layer], ys(layer), strict=True):
            for b, yb in zip(shown[layer + 1], ys(layer + 1), strict=True):
                if a is None or b is None:
                    continue
                d.line((xs[layer] + r, ya), (xs[layer + 1] - r, yb), width=0.8, opacity=0.45)
        d.text((xs[layer] + xs[layer + 1]) / 2, height - 22,
               f"{sizes[layer]}×{sizes[layer + 1]} + {sizes[layer + 1]} = {params[layer]:,}",
               size=10, opacity=0.85)
    tones = ["green"] + ["blue"] * (len(sizes) - 2) + ["orange"]
    for layer, n in enumerate(sizes):
        with d.group(f"{labels[layer]} ({n} units)"):
            for unit, y in zip(shown[layer], ys(layer), strict=True):
                if unit is None:
                    d.text(xs[layer], y, "⋮", size=16)
                else:
                    d.circle(xs[layer], y, r, tone=tones[layer], fill_opacity=0.3)
            d.text(xs[layer], 18, labels[layer], bold=True)
            d.text(xs[layer], 34, f"{n:,} units", size=10, opacity=0.8)
    d.text(width / 2, height - 6, f"parameters: {total:,}", size=11, bold=True)
    d.data = {"parameters": total, "per_layer": params,
              "units_drawn": sum(1 for s in shown for u in s if u is not None)}
    return d


def flow(labels: Sequence[str], tones: Sequence[str | None] | None = None,
         alt: str | None = None) -> Diagram:
    """A left-to-right chain of boxes joined by arrows (input → layers → output).

    >>> flow(["image", "conv", "pool", "dense"]).data["boxes"]
    4
    """
    if isinstance(labels, (str, bytes)) or not isinstance(labels, Sequence) or not labels:
        raise TypeError("labels must be a non-empty list of box labels")
    labels = [str(label) for label in labels]
    if len(labels) > 10:
        raise ValueError(f"at most 10 boxes fit on a page, got {len(labels)}")
    tones = list(tones) if tones is not None else ["blue"] * len(labels)
    if len(tones) != len(labels):
        raise ValueError(f"tones must have one entry per box ({len(labels)})")
    widths = [max(70.0, max(_text_width(p, 12) for p in lab.split("\n")) + 20) for lab in labels]
    lines = max(len(lab.split("\n")) for lab in labels)
    bh, gap = 24 + 15 * lines, 34.0
    width = 20 + sum(widths) + gap * (len(labels) - 1) + 20
    alt = alt or ("Flow: " + " → ".join(_plain(lab).replace("\n", " ") for lab in labels))
    d = Diagram(width, bh + 30, alt)
    x = 20.0
    for i, (lab, w, tone) in enumerate(zip(labels, widths, tones, strict=True)):
        d.rect(x, 15, w, bh, lab, tone=tone)
        if i + 1 < len(labels):
            d.arrow((x + w, 15 + bh / 2), (x + w + gap, 15 + bh / 2))
        x += w + gap
    d.data = {"boxes": len(labels)}
    return d
