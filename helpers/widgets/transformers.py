"""Lecture 10's widgets: an attention heatmap, a positional-encoding viewer, a BPE merge stepper,
the transformer block diagram, and a practice generator of attention shapes and counts.

Each widget has three faces (see :mod:`helpers.widgets`):

1. pure functions that compute and draw (``attention_svg`` / ``attention_figure``,
   ``positional_view`` / ``positional_svg``, ``bpe_steps`` / ``bpe_stepper_html``), tested in
   ``tests/test_widgets_transformers.py`` against :mod:`helpers.attention` and
   :mod:`helpers.tokenise`;
2. a live ipywidgets UI (``*_widget``) whose callback calls those functions;
3. a kernel-free face for the book: the attention maps as one Plotly figure with a menu (hover
   shows each weight), and for the other two a short JavaScript mirror of the Python (the
   sinusoidal formula; the BPE training loop), so a reader can move the sliders and type their
   own text with no kernel. The tests run both mirrors in Node and compare them with Python.

Example::

    >>> view = positional_view(dim=16, position=3, length=8)
    >>> view["pe"].shape, round(float(view["dots"][3]), 6)        # PE[3]·PE[3] = dim / 2
    ((8, 16), 8.0)
    >>> [s["tokens"] for s in bpe_steps("aaab aaab", 2)][-1]
    ['aa', 'ab', ' ', 'aa', 'ab']
"""

from __future__ import annotations

import html
import json
import random
from functools import lru_cache

import numpy as np

from helpers import attention, transformer
from helpers._checks import practice_count
from helpers.explorers import Explorer, array_to_img
from helpers.tokenise import BytePairEncoder
from helpers.widgets import cycle, show, svg_document, wire

BLUE, ORANGE, GREEN, PURPLE, GREY = "#2f7fd0", "#e07b1a", "#2e9d4f", "#9a5bd0", "#8a94a3"


def _compact(fragment: str) -> str:
    return fragment.replace('"', "'")


def show_token(token: str) -> str:
    """A token as readable text: a space as ␣, a newline as ⏎, a tab as ⇥."""
    return token.replace(" ", "␣").replace("\n", "⏎").replace("\t", "⇥")


# ------------------------------------------------------------------------ attention heatmap

def _check_attention(weights, tokens) -> np.ndarray:
    array = np.asarray(weights, dtype=float)
    if array.ndim != 2 or array.shape[0] != array.shape[1]:
        raise ValueError(f"weights must be a square (T, T) matrix, got shape {array.shape}")
    if len(tokens) != array.shape[0]:
        raise ValueError(f"{len(tokens)} tokens for a {array.shape[0]}×{array.shape[0]} "
                         "attention matrix")
    if np.any(array < -1e-6) or not np.allclose(array.sum(axis=1), 1, atol=1e-3):
        raise ValueError("every row of attention weights must be non-negative and sum to 1")
    return array


def attention_svg(weights, tokens: list[str], title: str = "") -> str:
    """One head's attention weights as an SVG heatmap: row = query, column = key; the
    darker the cell, the larger the weight. Hovering a cell shows its weight (SVG titles)."""
    array = _check_attention(weights, tokens)
    size = len(tokens)
    cell = max(8, min(16, 420 // size))
    left, top = 34, 34
    width, height = left + size * cell + 10, top + size * cell + 10
    parts = [f'<text x="{left}" y="12" font-size="12">{html.escape(title)}</text>'] if title \
        else []
    labels = [html.escape(show_token(t)) for t in tokens]
    for i in range(size):
        y = top + i * cell
        parts.append(f'<text x="{left - 4}" y="{y + cell * 0.75:.1f}" font-size="{cell - 3}" '
                     f'text-anchor="end">{labels[i]}</text>')
        parts.append(f'<text x="{left + i * cell + cell / 2:.1f}" y="{top - 5}" '
                     f'font-size="{cell - 3}" text-anchor="middle">{labels[i]}</text>')
        for j in range(size):
            w = array[i, j]
            parts.append(
                f'<rect x="{left + j * cell}" y="{y}" width="{cell - 1}" height="{cell - 1}" '
                f'fill="{BLUE}" fill-opacity="{0.04 + 0.96 * w:.3f}"><title>query {i} '
                f'{labels[i]} → key {j} {labels[j]}: {w:.3f}</title></rect>')
    return svg_document(width, height, "".join(parts),
                        f"Attention weights of {size} tokens, row = query, column = key")


def attention_figure(maps: dict[str, np.ndarray], tokens: dict[str, list[str]]):
    """The static face: every (text, layer, head) map as a Plotly heatmap, one shown at a time
    through a menu; hovering a cell shows the query, the key and the weight.

    ``maps[name]`` has shape (layers, heads, T, T); ``tokens[name]`` the T tokens.
    """
    import plotly.graph_objects as go

    if not maps or set(maps) != set(tokens):
        raise ValueError("maps and tokens need the same, non-empty set of names")
    fig = go.Figure()
    entries = []
    for name, stack in maps.items():
        stack = np.asarray(stack, dtype=float)
        if stack.ndim != 4:
            raise ValueError(f"maps[{name!r}] must be (layers, heads, T, T), got {stack.shape}")
        labels = [f"{i}·{show_token(t)}" for i, t in enumerate(tokens[name])]
        for layer in range(stack.shape[0]):
            for head in range(stack.shape[1]):
                _check_attention(stack[layer, head], tokens[name])
                fig.add_trace(go.Heatmap(
                    z=stack[layer, head].round(2).tolist(),    # lists: compact JSON
                    x=labels, y=labels, zmin=0, zmax=1,
                    colorscale="Blues", visible=not entries,
                    colorbar={"title": {"text": "weight"}, "thickness": 12},
                    hovertemplate="query %{y} → key %{x}<br>weight %{z:.2f}<extra></extra>"))
                entries.append((f"{name} · layer {layer + 1} · head {head + 1}", labels))
    buttons = []
    for index, (label, labels) in enumerate(entries):
        visible = [k == index for k in range(len(entries))]
        span = len(labels)
        buttons.append({"label": label, "method": "update", "args": [
            {"visible": visible},
            {"xaxis.categoryarray": labels, "yaxis.categoryarray": labels,
             "xaxis.range": [-0.5, span - 0.5], "yaxis.range": [span - 0.5, -0.5]}]})
    first = entries[0][1]
    fig.update_layout(
        height=560, margin={"l": 70, "r": 20, "t": 70, "b": 70},
        updatemenus=[{"buttons": buttons, "x": 0, "xanchor": "left", "y": 1.12,
                      "yanchor": "top", "showactive": True}],
        xaxis={"title": {"text": "key (the character attended to)"}, "tickangle": 0,
               "categoryorder": "array", "categoryarray": first,
               "range": [-0.5, len(first) - 0.5], "tickfont": {"size": 9}},
        yaxis={"title": {"text": "query (the character predicting the next)"},
               "categoryorder": "array", "categoryarray": first,
               "range": [len(first) - 0.5, -0.5], "tickfont": {"size": 9}})
    return fig


def attention_heatmap_widget(maps: dict[str, np.ndarray], tokens: dict[str, list[str]]):
    """The live face: pick a text, a layer and a head; the SVG heatmap redraws."""
    import ipywidgets as w

    names = list(maps)
    layers_count, heads_count = np.asarray(maps[names[0]]).shape[:2]
    controls = {
        "name": w.Dropdown(options=names, value=names[0], description="text"),
        "layer": w.Dropdown(options=list(range(1, layers_count + 1)), value=1,
                            description="layer"),
        "head": w.Dropdown(options=list(range(1, heads_count + 1)), value=1,
                           description="head"),
    }
    view = w.HTML()

    def update(_change=None):
        name = controls["name"].value
        weights = np.asarray(maps[name])[controls["layer"].value - 1, controls["head"].value - 1]
        view.value = attention_svg(weights, tokens[name],
                                   f"{name}: layer {controls['layer'].value}, "
                                   f"head {controls['head'].value}")

    row = w.HBox(list(controls.values()), layout=w.Layout(flex_flow="row wrap"))
    return wire(w.VBox([row, view]), controls, update, view)


def attention_heatmap(maps: dict[str, np.ndarray], tokens: dict[str, list[str]]) -> None:
    """Show the attention heatmap: live in Jupyter/Colab, a Plotly figure with a menu in the
    book."""
    from helpers.plots import PlotlyFigure

    figure = PlotlyFigure(attention_figure(maps, tokens),
                          "Attention weights of the trained character model: pick a text, "
                          "layer and head from the menu; rows are queries, columns keys")
    static = Explorer(figure.html(), repr(figure))
    show(attention_heatmap_widget(maps, tokens), static)


# ------------------------------------------------------------------ positional encodings

PE_LENGTH = 64
PE_DIMS = (8, 16, 32, 64, 128)


def positional_view(dim: int, position: int, length: int = PE_LENGTH) -> dict:
    """The sinusoidal encodings PE (length × dim, from :func:`helpers.attention.
    sinusoidal_positions`) and the dot products PE[position] · PE[q] for every q."""
    pe = attention.sinusoidal_positions(length, dim)
    if isinstance(position, bool) or not isinstance(position, (int, np.integer)) \
            or not 0 <= position < length:
        raise ValueError(f"position must be an integer in 0..{length - 1}, got {position!r}")
    return {"pe": pe, "dots": pe @ pe[position]}


def _diverging(values: np.ndarray) -> np.ndarray:
    """Values in [-1, 1] as RGB in [0, 1]: blue (−1), white (0), orange (+1)."""
    v = np.clip(values, -1, 1)[..., None]
    blue, orange, white = np.array([0.18, 0.5, 0.82]), np.array([0.88, 0.48, 0.1]), np.ones(3)
    return np.where(v < 0, white + (-v) * (blue - white), white + v * (orange - white))


def positional_svg(dim: int = 32, position: int = 10, length: int = PE_LENGTH) -> str:
    """Left: the encoding matrix (one row per position, one column per dimension; orange +1,
    blue −1) with the chosen position marked. Right: PE[p]·PE[q] against q."""
    view = positional_view(dim, position, length)
    image = array_to_img(_diverging(view["pe"]), alt="positional encoding matrix")
    image = image.replace("<img ", "").split('src="')[1].split('"')[0]
    mw, mh, left, top = 200, 200, 40, 30
    row_y = top + (position + 0.5) * mh / length
    px, pw = 300, 250                     # dot-product panel
    dots = view["dots"]
    scale = dim / 2                        # PE[p]·PE[p] = dim / 2
    points = " ".join(f"{px + q * pw / (length - 1):.1f},"
                      f"{top + mh / 2 - (d / scale) * (mh / 2):.1f}" for q, d in enumerate(dots))
    marker_x = px + position * pw / (length - 1)
    body = (
        f'<text x="{left}" y="16" font-size="12">PE matrix: {length} positions × {dim} '
        f'dimensions</text>'
        f'<image x="{left}" y="{top}" width="{mw}" height="{mh}" preserveAspectRatio="none" '
        f'style="image-rendering:pixelated" href="{image}"/>'
        f'<rect x="{left}" y="{top}" width="{mw}" height="{mh}" fill="none" '
        f'stroke="currentColor" stroke-opacity="0.4"/>'
        f'<line x1="{left - 6}" x2="{left + mw + 6}" y1="{row_y:.1f}" y2="{row_y:.1f}" '
        f'stroke="{GREEN}" stroke-width="2"/>'
        f'<text x="{left - 8}" y="{row_y + 4:.1f}" font-size="11" text-anchor="end">p</text>'
        f'<text x="{left + mw / 2}" y="{top + mh + 16}" font-size="11" text-anchor="middle">'
        f'dimension 0 … {dim - 1} (fast → slow waves, left → right)</text>'
        f'<text x="{px}" y="16" font-size="12">PE[p]·PE[q] / (dim/2), p = {position}</text>'
        f'<line x1="{px}" x2="{px + pw}" y1="{top + mh / 2}" y2="{top + mh / 2}" '
        f'stroke="currentColor" stroke-opacity="0.3"/>'
        f'<line x1="{marker_x:.1f}" x2="{marker_x:.1f}" y1="{top}" y2="{top + mh}" '
        f'stroke="{GREEN}" stroke-dasharray="3 3"/>'
        f'<polyline points="{points}" fill="none" stroke="{ORANGE}" stroke-width="2"/>'
        f'<text x="{px - 4}" y="{top + 4}" font-size="10" text-anchor="end">1</text>'
        f'<text x="{px - 4}" y="{top + mh / 2 + 4}" font-size="10" text-anchor="end">0</text>'
        f'<text x="{px - 4}" y="{top + mh + 4}" font-size="10" text-anchor="end">−1</text>'
        f'<text x="{px + pw / 2}" y="{top + mh + 16}" font-size="11" text-anchor="middle">'
        f'position q = 0 … {length - 1}</text>')
    near = dots[max(position - 1, 0)] / scale if position else dots[1] / scale
    far = float(np.min(dots) / scale)
    caption = (f"Each position gets its own pattern of {dim} numbers. PE[p]·PE[p] = {dim}/2; "
               f"the neighbour scores {near:.2f}, the least similar position {far:.2f}: the "
               "dot product depends only on the distance q − p, so nearby positions look alike.")
    return (svg_document(560, 250, body, f"Sinusoidal positional encodings, dim {dim}, "
                                         f"position {position}")
            + f'<p style="margin:0.2em 0;font-size:0.9em">{html.escape(caption)}</p>')


# The static face computes the encodings in the page: a JavaScript mirror of
# helpers.attention.sinusoidal_positions (tests/test_widgets_transformers.py runs it in Node).
PE_CORE_JS = r"""
function dlbPe(length, dim) {
  var rows = [];
  for (var pos = 0; pos < length; pos++) {
    var row = [];
    for (var c = 0; c < dim; c++) {
      var angle = pos / Math.pow(10000, 2 * Math.floor(c / 2) / dim);
      row.push(c % 2 === 0 ? Math.sin(angle) : Math.cos(angle));
    }
    rows.push(row);
  }
  return rows;
}
function dlbDots(rows, p) {
  return rows.map(function (r) {
    var s = 0; for (var c = 0; c < r.length; c++) { s += r[c] * rows[p][c]; } return s;
  });
}
"""

PE_PAGE_JS = r"""(function () {
  if (window.DLBookPe) { window.DLBookPe.hydrate(); return; }
  function colour(v) {
    v = Math.max(-1, Math.min(1, v));
    var b = [46, 128, 209], o = [224, 122, 26], w = [255, 255, 255], t = v < 0 ? b : o,
        a = Math.abs(v);
    return [0, 1, 2].map(function (k) { return Math.round(w[k] + a * (t[k] - w[k])); });
  }
  function image(rows) {
    var canvas = document.createElement("canvas");
    canvas.width = rows[0].length; canvas.height = rows.length;
    var ctx = canvas.getContext("2d"), img = ctx.createImageData(canvas.width, canvas.height);
    rows.forEach(function (r, y) { r.forEach(function (v, x) {
      var c = colour(v), k = 4 * (y * canvas.width + x);
      img.data[k] = c[0]; img.data[k + 1] = c[1]; img.data[k + 2] = c[2]; img.data[k + 3] = 255;
    }); });
    ctx.putImageData(img, 0, 0);
    return canvas.toDataURL("image/png");
  }
  function render(root) {
    var dim = +root.querySelector(".dlb-pe-dim").value,
        p = +root.querySelector(".dlb-pe-pos").value;
    var length = +root.dataset.length;
    root.querySelector(".dlb-pe-dim-out").textContent = dim;
    root.querySelector(".dlb-pe-pos-out").textContent = p;
    var rows = dlbPe(length, dim), dots = dlbDots(rows, p), scale = dim / 2;
    var L = 40, T = 30, MW = 200, MH = 200, PX = 300, PW = 250, rowY = T + (p + 0.5) * MH / length;
    var pts = dots.map(function (d, q) {
      return (PX + q * PW / (length - 1)).toFixed(1) + "," + (T +
          MH / 2 - d / scale * MH / 2).toFixed(1);
    }).join(" ");
    var mx = PX + p * PW / (length - 1);
    var near = (p ? dots[p - 1] : dots[1]) / scale, far = Math.min.apply(null, dots) / scale;
    root.querySelector(".dlb-pe-out").innerHTML =
      "<svg xmlns='http://www.w3.org/2000/svg' width='560' height='250' viewBox='0 0 560 250' " +
        "role='img' " +
      "aria-label='Sinusoidal positional encodings, dim " + dim + ", position " + p + "' " +
      "style='max-width:100%;height:auto'><g font-family='sans-serif' fill='currentColor'>" +
      "<text x='40' y='16' font-size='12'>PE matrix: " + length + " positions × " + dim +
          " dimensions</text>" +
      "<image x='40' y='30' width='200' height='200' preserveAspectRatio='none' " +
        "style='image-rendering:pixelated' href='" + image(rows) + "'/>" +
      "<rect x='40' y='30' width='200' height='200' fill='none' stroke='currentColor' " +
        "stroke-opacity='0.4'/>" +
      "<line x1='34' x2='246' y1='" + rowY.toFixed(1) + "' y2='" + rowY.toFixed(1) +
          "' stroke='#2e9d4f' stroke-width='2'/>" +
      "<text x='32' y='" + (rowY + 4).toFixed(1) + "' font-size='11' text-anchor='end'>p</text>" +
      "<text x='140' y='246' font-size='11' text-anchor='middle'>dimension 0 … " + (dim - 1) +
          " (fast → slow waves, left → right)</text>" +
      "<text x='300' y='16' font-size='12'>PE[p]·PE[q] / (dim/2), p = " + p + "</text>" +
      "<line x1='300' x2='550' y1='130' y2='130' stroke='currentColor' stroke-opacity='0.3'/>" +
      "<line x1='" + mx.toFixed(1) + "' x2='" + mx.toFixed(1) +
          "' y1='30' y2='230' stroke='#2e9d4f' stroke-dasharray='3 3'/>" +
      "<polyline points='" + pts + "' fill='none' stroke='#e07b1a' stroke-width='2'/>" +
      "<text x='296' y='34' font-size='10' text-anchor='end'>1</text><text x='296' y='134' " +
        "font-size='10' text-anchor='end'>0</text>" +
      "<text x='296' y='234' font-size='10' text-anchor='end'>−1</text>" +
      "<text x='425' y='246' font-size='11' text-anchor='middle'>position q = 0 … " +
          (length - 1) + "</text></g></svg>" +
      "<p style='margin:0.2em 0;font-size:0.9em'>Each position gets its own pattern of " + dim +
      " numbers. PE[p]·PE[p] = " + dim + "/2; the neighbour scores " + near.toFixed(2) +
      ", the least similar position " + far.toFixed(2) + ": the dot product depends only on the " +
      "distance q − p, so nearby positions look alike.</p>";
  }
  function hydrate() {
    Array.prototype.forEach.call(document.querySelectorAll(".dlb-pe-viewer"), function (root) {
      if (root.dataset.ready) { return; }
      root.dataset.ready = "1";
      var dims = JSON.parse(root.dataset.dims), dimInput = root.querySelector(".dlb-pe-dim-index");
      var sync = function () { root.querySelector(".dlb-pe-dim").value = dims[+dimInput.value];
          render(root); };
      dimInput.addEventListener("input", sync);
      root.querySelector(".dlb-pe-pos").addEventListener("input", function () { render(root); });
      sync();
    });
  }
  window.DLBookPe = { hydrate: hydrate };
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", hydrate); }
  else { hydrate(); }
})();"""


def static_positional_viewer(dim: int = 32, position: int = 10,
                             length: int = PE_LENGTH) -> Explorer:
    """The viewer's static face: two sliders; the page computes the encodings itself
    (:data:`PE_CORE_JS`). Without JavaScript the reader sees the starting state."""
    if dim not in PE_DIMS:
        raise ValueError(f"dim must be one of {PE_DIMS}, got {dim!r}")
    start = positional_svg(dim, position, length)
    page = (
        f'<div class="dlbook-quiz dlb-pe-viewer" data-explorer="script" data-length="{length}" '
        f'data-dims="{json.dumps(list(PE_DIMS))}">'
        '<div class="dlbook-quiz-title">Positional-encoding viewer</div>'
        '<div class="dlbook-controls">'
        '<label class="dlbook-control">dimensions d <input type="range" '
        f'class="dlb-pe-dim-index" min="0" max="{len(PE_DIMS) - 1}" step="1" '
        f'value="{PE_DIMS.index(dim)}"> <b class="dlb-pe-dim-out">{dim}</b>'
        f'<input type="hidden" class="dlb-pe-dim" value="{dim}"></label>'
        '<label class="dlbook-control">position p <input type="range" class="dlb-pe-pos" '
        f'min="0" max="{length - 1}" step="1" value="{position}"> '
        f'<b class="dlb-pe-pos-out">{position}</b></label></div>'
        f'<div class="dlb-pe-out" data-explorer-view>{_compact(start)}</div></div>'
        f"<script>{PE_CORE_JS}{PE_PAGE_JS}</script>")
    return Explorer(page, f"Positional-encoding viewer (computed in the page), d = {dim}, "
                          f"p = {position}")


def positional_viewer_widget(dim: int = 32, position: int = 10):
    """The live viewer: a dimension and a position slider."""
    import ipywidgets as w

    controls = {
        "dim": w.SelectionSlider(options=list(PE_DIMS), value=dim, description="dimensions d"),
        "position": w.IntSlider(value=position, min=0, max=PE_LENGTH - 1,
                                description="position p"),
    }
    view = w.HTML()

    def update(_change=None):
        view.value = positional_svg(controls["dim"].value, controls["position"].value)

    return wire(w.VBox([*controls.values(), view]), controls, update, view)


def positional_viewer(dim: int = 32, position: int = 10) -> None:
    """Show the positional-encoding viewer: live in Jupyter/Colab, computed in the page in the
    book."""
    show(positional_viewer_widget(dim, position), static_positional_viewer(dim, position))


# ------------------------------------------------------------------------ BPE merge stepper

MAX_STEPPER_MERGES = 40
MAX_STEPPER_CHARS = 3000
STEPPER_TEXT = ("the lowest newest widest lower newer wider; the tokenizer tokenizes tokens, "
                "then it re-tokenizes the tokenized text.")
SPAN_COLOURS = ("#2f7fd0", "#e07b1a", "#2e9d4f", "#9a5bd0", "#d2463c", "#1f9aa0")


@lru_cache(maxsize=16)
def _stepper_encoder(text: str) -> BytePairEncoder:
    return BytePairEncoder().train(text, MAX_STEPPER_MERGES)


def bpe_steps(text: str, num_merges: int = MAX_STEPPER_MERGES) -> list[dict]:
    """The tokens of ``text`` after 0, 1, … merges learned on ``text`` itself (at most
    :data:`MAX_STEPPER_MERGES`). Each step: ``tokens`` (texts), ``merge`` (the pair's texts and
    the new token, None at step 0) and ``count`` (how often the pair occurred)."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    if not text.strip():
        raise ValueError("type some text to tokenise")
    if len(text) > MAX_STEPPER_CHARS:
        raise ValueError(f"the stepper takes at most {MAX_STEPPER_CHARS} characters, "
                         f"got {len(text)}")
    return [{**step, "tokens": list(step["tokens"])}
            for step in _all_steps(text)[:max(0, num_merges) + 1]]


@lru_cache(maxsize=16)
def _all_steps(text: str) -> tuple:
    """Every step of the stepper for ``text``, computed once (the slider only re-renders)."""
    encoder = _stepper_encoder(text)
    steps = []
    for k in range(len(encoder.merges) + 1):
        partial = encoder.truncated(k)
        merge = None
        if k:
            left, right = encoder.merges[k - 1]
            merge = (encoder.token_text(left), encoder.token_text(right),
                     encoder.token_text(255 + k))
        steps.append({"tokens": partial.tokens(text), "merge": merge,
                      "count": encoder.merge_counts[k - 1] if k else None})
    return tuple(steps)


def bpe_stepper_html(text: str = STEPPER_TEXT, step: int = 10) -> str:
    """Tokens after ``step`` merges as coloured spans, with the merges so far."""
    try:
        steps = bpe_steps(text)
    except (TypeError, ValueError) as error:
        return f"<p><b>Cannot tokenise:</b> {html.escape(str(error))}</p>"
    step = min(max(int(step), 0), len(steps) - 1)
    tokens = steps[step]["tokens"]
    spans = "".join(
        f"<span style='display:inline-block;background:{SPAN_COLOURS[i % len(SPAN_COLOURS)]}33;"
        f"border-bottom:2px "
        f"solid {SPAN_COLOURS[i % len(SPAN_COLOURS)]};padding:0 1px;margin:0 1px;"
        f"white-space:pre-wrap'>{html.escape(show_token(t))}</span>"
        for i, t in enumerate(tokens))
    merges = "".join(
        f"<li><code>{html.escape(show_token(s['merge'][0]))}</code> + "
        f"<code>{html.escape(show_token(s['merge'][1]))}</code> → "
        f"<code>{html.escape(show_token(s['merge'][2]))}</code> ({s['count']}×)</li>"
        for s in steps[max(1, step - 4):step + 1])
    nbytes = len(text.encode("utf-8"))
    learned = len(steps) - 1
    return (f"<p style='margin:0.2em 0'>After <b>{step}</b> of {learned} merges: "
            f"<b>{len(tokens)}</b> tokens for {nbytes} bytes "
            f"({len(text)} characters).</p>"
            f"<div style='line-height:1.9;font-family:monospace'>{spans}</div>"
            + (f"<p style='margin:0.3em 0 0'>Latest merges (count = how often the pair "
               f"occurred):</p><ol start='{max(1, step - 4)}' style='margin:0'>{merges}</ol>"
               if step else "<p style='margin:0.3em 0 0'>Step 0: one token per byte.</p>"))


# The static face trains BPE in the page: a JavaScript mirror of helpers.tokenise (the same
# chunk pattern, byte-level start, tie-breaking and merge order). tests/test_widgets_transformers.py
# runs it in Node and checks its merges and tokens against BytePairEncoder.
BPE_CORE_JS = r"""
var DLB_SPACE = "\\t\\n\\v\\f\\r\\x1c-\\x1f\\x85\\p{Zs}\\u2028\\u2029";
var DLB_CHUNK = new RegExp(" ?[\\p{L}\\p{Nl}\\p{No}]+| ?\\p{Nd}+| ?[^" + DLB_SPACE +
  "\\p{L}\\p{N}]+|[" + DLB_SPACE + "]+(?![^" + DLB_SPACE + "])|[" + DLB_SPACE + "]+", "gu");
function dlbChunks(text) { return text.match(DLB_CHUNK) || []; }
function dlbBytes(s) { return Array.from(new TextEncoder().encode(s)); }
function dlbMerge(seq, a, b, id) {
  var out = [], i = 0;
  while (i < seq.length) {
    if (i < seq.length - 1 && seq[i] === a && seq[i + 1] === b) { out.push(id); i += 2; }
    else { out.push(seq[i]); i += 1; }
  }
  return out;
}
function dlbTrain(text, numMerges) {
  var weights = {}, order = [];
  dlbChunks(text).forEach(function (c) {
    if (!(c in weights)) { weights[c] = 0; order.push(c); } weights[c] += 1;
  });
  var words = order.map(function (c) { return { seq: dlbBytes(c), w: weights[c] }; });
  var vocab = []; for (var b = 0; b < 256; b++) { vocab.push([b]); }
  var merges = [], counts = [];
  for (var m = 0; m < numMerges; m++) {
    var pc = new Map();
    words.forEach(function (wd) {
      for (var i = 0; i + 1 < wd.seq.length; i++) {
        var key = wd.seq[i] * 65536 + wd.seq[i + 1];
        pc.set(key, (pc.get(key) || 0) + wd.w);
      }
    });
    var best = -1, bestKey = -1;
    pc.forEach(function (n, key) { if (n > best || (n === best && key < bestKey)) { best = n;
        bestKey = key; } });
    if (best < 2) { break; }
    var a = Math.floor(bestKey / 65536), bb = bestKey % 65536, id = 256 + merges.length;
    merges.push([a, bb]); counts.push(best); vocab.push(vocab[a].concat(vocab[bb]));
    words.forEach(function (wd) { wd.seq = dlbMerge(wd.seq, a, bb, id); });
  }
  return { merges: merges, counts: counts, vocab: vocab };
}
function dlbEncode(model, text, k) {
  var ranks = new Map();
  model.merges.slice(0, k).forEach(function (p, r) { ranks.set(p[0] * 65536 + p[1], r); });
  var ids = [];
  dlbChunks(text).forEach(function (c) {
    var seq = dlbBytes(c);
    while (seq.length > 1) {
      var best = -1;
      for (var i = 0; i + 1 < seq.length; i++) {
        var r = ranks.get(seq[i] * 65536 + seq[i + 1]);
        if (r !== undefined && (best < 0 || r < best)) { best = r; }
      }
      if (best < 0) { break; }
      seq = dlbMerge(seq, model.merges[best][0], model.merges[best][1], 256 + best);
    }
    ids = ids.concat(seq);
  });
  return ids;
}
function dlbTokenText(model, id) {
  return new TextDecoder("utf-8").decode(new Uint8Array(model.vocab[id]));
}
"""

BPE_PAGE_JS = r"""(function () {
  if (window.DLBookBpe) { window.DLBookBpe.hydrate(); return; }
  var COLOURS = ["#2f7fd0", "#e07b1a", "#2e9d4f", "#9a5bd0", "#d2463c", "#1f9aa0"];
  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  function vis(t) { return t.replace(/ /g, "␣").replace(/\n/g, "⏎").replace(/\t/g, "⇥"); }
  function render(root, retrain) {
    var text = root.querySelector("textarea").value, slider = root.querySelector(".dlb-bpe-step");
    var out = root.querySelector(".dlb-bpe-out");
    if (!text.trim()) { out.innerHTML = "<p><b>Cannot tokenise:</b> type some text to " +
      "tokenise</p>"; return; }
    if (text.length > MAXC) { out.innerHTML = "<p><b>Cannot tokenise:</b> the stepper takes at " +
      "most " + MAXC + " characters, got " + text.length + "</p>"; return; }
    if (retrain || !root._model) { root._model = dlbTrain(text, MAXM);
        slider.max = root._model.merges.length; }
    var model = root._model, step = Math.min(+slider.value, model.merges.length);
    root.querySelector(".dlb-bpe-step-out").textContent = step;
    var ids = dlbEncode(model, text, step);
    var spans = ids.map(function (id, i) {
      var c = COLOURS[i % COLOURS.length];
      return "<span style='display:inline-block;background:" + c + "33;border-bottom:2px solid " +
        c +
        ";padding:0 1px;margin:0 1px;white-space:pre-wrap'>" + esc(vis(dlbTokenText(model,
            id))) + "</span>";
    }).join("");
    var first = Math.max(1, step - 4), items = "";
    for (var k = first; k <= step; k++) {
      var p = model.merges[k - 1];
      items += "<li><code>" + esc(vis(dlbTokenText(model, p[0]))) + "</code> + <code>" +
        esc(vis(dlbTokenText(model, p[1]))) + "</code> → <code>" + esc(vis(dlbTokenText(model,
            255 + k))) +
        "</code> (" + model.counts[k - 1] + "×)</li>";
    }
    out.innerHTML = "<p style='margin:0.2em 0'>After <b>" + step + "</b> of " +
        model.merges.length +
      " merges: <b>" + ids.length + "</b> tokens for " + dlbBytes(text).length + " bytes (" +
      Array.from(text).length +
          " characters).</p><div style='line-height:1.9;font-family:monospace'>" + spans +
          "</div>" +
      (step ? "<p style='margin:0.3em 0 0'>Latest merges (count = how often the pair " +
        "occurred):</p><ol start='" +
        first + "' style='margin:0'>" + items +
            "</ol>" : "<p style='margin:0.3em 0 0'>Step 0: one token per byte.</p>");
  }
  var MAXC = 0, MAXM = 0;
  function hydrate() {
    Array.prototype.forEach.call(document.querySelectorAll(".dlb-bpe-stepper"), function (root) {
      if (root.dataset.ready) { return; }
      root.dataset.ready = "1";
      MAXC = +root.dataset.maxChars; MAXM = +root.dataset.maxMerges;
      root.querySelector("textarea").addEventListener("input", function () { render(root, true); });
      root.querySelector(".dlb-bpe-step").addEventListener("input", function () { render(root,
          false); });
      render(root, true);
    });
  }
  window.DLBookBpe = { hydrate: hydrate };
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", hydrate); }
  else { hydrate(); }
})();"""


def static_bpe_stepper(text: str = STEPPER_TEXT, step: int = 10) -> Explorer:
    """The stepper's static face: a text box and a merge slider; the page trains BPE on the
    text itself (:data:`BPE_CORE_JS`). Without JavaScript the starting state shows."""
    learned = len(bpe_steps(text)) - 1
    page = (
        f'<div class="dlbook-quiz dlb-bpe-stepper" data-explorer="script" '
        f'data-max-chars="{MAX_STEPPER_CHARS}" '
        f'data-max-merges="{MAX_STEPPER_MERGES}">'
        '<div class="dlbook-quiz-title">BPE merge stepper: your own text</div>'
        '<label style="display:block;font-size:0.9em">text (BPE is trained on it)'
        '<textarea rows="3" spellcheck="false" style="display:block;width:100%;'
        f'box-sizing:border-box;font:inherit;margin-top:0.2em">{html.escape(text)}</textarea>'
        '</label><div class="dlbook-controls"><label class="dlbook-control">merges '
        f'<input type="range" class="dlb-bpe-step" min="0" max="{learned}" step="1" '
        f'value="{min(step, learned)}"> <b class="dlb-bpe-step-out">{min(step, learned)}</b>'
        f'</label></div><div class="dlb-bpe-out" data-explorer-view>'
        f'{_compact(bpe_stepper_html(text, step))}'
        f"</div></div><script>{BPE_CORE_JS}{BPE_PAGE_JS}</script>")
    return Explorer(page, f"BPE merge stepper (trained in the page), {learned} merges on "
                          f"{len(text)} characters")


def bpe_stepper_widget(text: str = STEPPER_TEXT, step: int = 10):
    """The live stepper: the reader's text and a merge slider."""
    import ipywidgets as w

    controls = {
        "text": w.Textarea(value=text, description="text", layout=w.Layout(width="95%",
                                                                           height="5em")),
        "step": w.IntSlider(value=step, min=0, max=MAX_STEPPER_MERGES, description="merges"),
    }
    view = w.HTML()

    def update(_change=None):
        view.value = bpe_stepper_html(controls["text"].value, controls["step"].value)

    return wire(w.VBox([*controls.values(), view]), controls, update, view)


def bpe_stepper(text: str = STEPPER_TEXT, step: int = 10) -> None:
    """Show the BPE merge stepper: live in Jupyter/Colab, trained in the page in the book."""
    show(bpe_stepper_widget(text, step), static_bpe_stepper(text, step))


# ------------------------------------------------------------------------ block diagram

def block_diagram(norm: str = "post"):
    """A transformer block drawn by code: multi-head attention and the feed-forward network,
    each wrapped in a residual connection, with layer normalisation after the addition
    (``"post"``, Vaswani et al. 2017) or before the sub-layer (``"pre"``, GPT-2 and most
    models since)."""
    from helpers.diagrams import Diagram

    if norm not in ("post", "pre"):
        raise ValueError(f'norm must be "post" or "pre", got {norm!r}')
    pre = norm == "pre"
    alt = ("Pre-norm transformer block: x → LayerNorm → multi-head attention, added to x; then "
           "LayerNorm → feed-forward network, added again. The residual path carries x "
           "untouched from input to output." if pre else
           "Post-norm transformer block (Vaswani et al. 2017): x → multi-head attention, added "
           "to x, then LayerNorm; → feed-forward network, added, then LayerNorm.")
    d = Diagram(640, 170, alt)
    y = 95
    d.text(18, y, "x", size=16, bold=True)
    xs = 40
    stages = ([("LayerNorm", "green"), ("multi-head\nattention", "blue"), ("+", None),
               ("LayerNorm", "green"), ("FFN\nd→d_{ff}→d", "orange"), ("+", None)] if pre else
              [("multi-head\nattention", "blue"), ("+", None), ("LayerNorm", "green"),
               ("FFN\nd→d_{ff}→d", "orange"), ("+", None), ("LayerNorm", "green")])
    ends = []                               # (label, x where it starts, x where it ends)
    for label, tone in stages:
        if label == "+":
            d.arrow((xs, y), (xs + 18, y))
            d.op(xs + 29, y, "+")
            ends.append((label, xs + 29, xs + 40))
            xs += 40
        else:
            d.arrow((xs, y), (xs + 16, y))
            d.rect(xs + 18, y - 22, 84, 44, label, tone=tone, size=11)
            ends.append((label, xs + 18, xs + 102))
            xs += 102
    d.arrow((xs, y), (xs + 20, y))
    d.text(xs + 34, y, "y", size=16, bold=True)
    plus = [centre for label, centre, _ in ends if label == "+"]
    # residual 1 from the block input; residual 2 from the output of the first half
    first_half_end = ends[2][2]             # after the first ⊕ (pre) or the first LayerNorm
    for start, target in ((30, plus[0]), (first_half_end + 8, plus[1])):
        d.circle(start, y, 3, tone="purple", fill_opacity=1)
        d.line((start, y), (start, 36), (target, 36), tone="purple", width=1.6)
        d.arrow((target, 36), (target, y - 11), tone="purple", width=1.6)
    d.text(320, 14, "residual connections (add)", tone="purple", size=11)
    formula = ("pre-norm: x + MHA(LN(x)), then h + FFN(LN(h))" if pre else
               "post-norm: h = LN(x + MHA(x)), y = LN(h + FFN(h))")
    d.text(320, 150, formula, size=13, bold=True)
    d.data = {"norm": norm, "stages": [label for label, _ in stages]}
    return d


# ------------------------------------------------------------------------ practice

def transformer_practice(count: int = 3, seed: int | None = None) -> list[dict]:
    """Fresh questions on attention shapes and parameter counts, graded by
    :mod:`helpers.transformer` (the formulas checked against Keras' ``count_params()``)."""
    count = practice_count(count)
    rng = random.Random(seed)
    questions = []
    for index in range(count):
        heads = rng.choice([2, 4, 8, 12, 16])
        d_model = heads * rng.choice([8, 16, 32, 64])
        d_ff = 4 * d_model
        batch, length = rng.choice([1, 2, 8, 16, 32]), rng.choice([10, 16, 50, 64, 128, 512])
        kind = rng.choice(["mha", "block", "key_dim", "scores"])
        key_dim = d_model // heads
        if kind == "mha":
            value = transformer.mha_param_count(d_model, heads)
            prompt = (f"<code>MultiHeadAttention(num_heads={heads}, key_dim={key_dim})</code> "
                      f"is applied to inputs of width d = {d_model} (self-attention, output "
                      "width d). How many parameters does it have, biases included?")
            call = {"call": "helpers.transformer.mha_param_count",
                    "kwargs": {"d_model": d_model, "num_heads": heads}}
            explanation = (f"Q, K, V and output projections: 4·d·h·k = 4·{d_model}·{d_model} "
                           f"= {4 * d_model * d_model:,} weights, plus biases 3·h·k + d = "
                           f"{4 * d_model} (k = d/h = {key_dim}): {value:,}.")
            hint = "With k = d/h each projection is d × d; count four of them and their biases."
        elif kind == "block":
            value = transformer.block_param_count(d_model, heads, d_ff)
            prompt = (f"A transformer block has d = {d_model}, {heads} heads (k = d/h) and an "
                      f"FFN of width d_ff = {d_ff}, with two LayerNorms. How many parameters?")
            call = {"call": "helpers.transformer.block_param_count",
                    "kwargs": {"d_model": d_model, "num_heads": heads, "d_ff": d_ff}}
            mha = transformer.mha_param_count(d_model, heads)
            explanation = (f"MHA 4d² + 4d = {mha:,}; two LayerNorms 4d = {4 * d_model}; FFN "
                           f"2·d·d_ff + d_ff + d = {2 * d_model * d_ff + d_ff + d_model:,}: "
                           f"{value:,}.")
            hint = "MHA (4d² + 4d) + 2 LayerNorms (2d each) + FFN (d·d_ff + d_ff + d_ff·d + d)."
        elif kind == "key_dim":
            value = transformer.attention_shapes(batch, length, d_model, heads)["Q"][-1]
            prompt = (f"Multi-head self-attention with d_model = {d_model} and {heads} heads "
                      "splits the model width evenly. What is the width d_k of each head's "
                      "query (and key) vectors?")
            call = {"call": "helpers.transformer.head_width",
                    "kwargs": {"d_model": d_model, "num_heads": heads}}
            explanation = f"d_k = d_model / h = {d_model} / {heads} = {value}."
            hint = "The heads share the model width."
        else:
            value = transformer.attention_score_count(batch, length, heads)
            prompt = (f"A batch of {batch} sequences of {length} tokens goes through one "
                      f"multi-head self-attention layer with {heads} heads. How many attention "
                      "weights (softmax outputs) does the layer compute?")
            call = {"call": "helpers.transformer.attention_score_count",
                    "kwargs": {"batch": batch, "length": length, "num_heads": heads}}
            explanation = (f"The weights have shape (batch, heads, T, T) = ({batch}, {heads}, "
                           f"{length}, {length}): {value:,} numbers; they grow with T².")
            hint = "Every query attends to every key, in every head, for every sequence."
        questions.append({"id": f"practice-transformer-{index + 1}", "type": "numeric",
                          "prompt": prompt, "answer": call, "value": value, "tolerance": 0,
                          "hint": hint, "explanation": explanation})
    return questions


# ------------------------------------------------------------------------ benchmarks

def benchmarks() -> dict:
    """Callback drivers for scripts/bench.py (each call moves one control)."""
    rng = np.random.default_rng(0)
    logits = rng.normal(size=(2, 4, 32, 32))
    maps = {"random": np.exp(logits) / np.exp(logits).sum(-1, keepdims=True)}
    heat = attention_heatmap_widget(maps, {"random": list("abcdefghijklmnopqrstuvwxyz012345")})
    pe = positional_viewer_widget()._dlbook_controls
    stepper = bpe_stepper_widget()._dlbook_controls
    texts = [STEPPER_TEXT, STEPPER_TEXT.upper(), "naïve café, Größe, 東京 😀 " * 4]
    return {
        "attention heatmap: head": cycle(heat._dlbook_controls["head"], [1, 2, 3, 4]),
        "positional viewer: position": cycle(pe["position"], list(range(PE_LENGTH))),
        "positional viewer: dimensions": cycle(pe["dim"], list(PE_DIMS)),
        "BPE stepper: merges": cycle(stepper["step"], list(range(MAX_STEPPER_MERGES + 1))),
        "BPE stepper: new text": cycle(stepper["text"], texts),
    }


__all__ = ["show_token", "attention_svg", "attention_figure", "attention_heatmap_widget",
           "attention_heatmap", "positional_view", "positional_svg",
           "static_positional_viewer", "positional_viewer_widget", "positional_viewer",
           "bpe_steps", "bpe_stepper_html", "static_bpe_stepper", "bpe_stepper_widget",
           "bpe_stepper", "block_diagram", "transformer_practice", "benchmarks"]
