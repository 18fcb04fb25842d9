"""Lecture 07's widgets: a TF-IDF calculator, a 2-D cosine explorer and an LSTM gate explorer.

Each idea has three faces (see :mod:`helpers.widgets`):

1. pure functions that compute and draw (``tfidf_table_html``, ``cosine_svg``,
   ``gate_demo_trace`` / ``lstm_gate_svg``), tested in ``tests/test_widgets_sequences.py``
   against :mod:`helpers.text` and :mod:`helpers.rnn`;
2. a live ipywidgets UI (``*_widget``) whose callbacks call those functions (SVG strings, no
   matplotlib, well under the 50 ms budget);
3. a kernel-free static explorer of precomputed states for the book.

``tfidf_calculator()``, ``cosine_explorer()`` and ``lstm_gate_explorer()`` show both faces with
:func:`helpers.widgets.show`; :func:`benchmarks` gives ``scripts/bench.py`` its drivers.

Example::

    >>> html = tfidf_table_html(["this is a a sample", "this is another example"])
    >>> "IDF" in html and "this" in html
    True
    >>> round(vector_pair(0, 1, 90, 2)["cosine"], 6)
    0.0
"""

from __future__ import annotations

import html
import json
import math

import numpy as np

from helpers import rnn, text
from helpers._checks import practice_count
from helpers.explorers import Explorer, state_explorer
from helpers.widgets import cycle, show, wire

# Colours readable on the light and the dark theme; text and axes use currentColor.
BLUE, ORANGE, GREEN, PURPLE, GREY = "#2f7fd0", "#e07b1a", "#2e9d4f", "#9a5bd0", "#8a94a3"


def _compact(fragment: str) -> str:
    """Single-quoted attributes: the static explorers store hundreds of states as JSON, where
    every double quote costs an escape. (Text content is HTML-escaped, so it has no quotes.)"""
    return fragment.replace('"', "'")


# ------------------------------------------------------------------------ TF-IDF calculator

PRESET_DOCUMENTS: dict[str, list[str]] = {
    "the notes' example": [
        "This is a a sample sample sample sample",
        "This another another example here",
    ],
    "dogs and cats": [
        "I love dogs, not cats",
        "I love cats, not dogs",
        "The cat sat on the mat",
        "Dogs chase cats",
    ],
    "recipes": [
        "a tablespoon of apricot jam and a pinch of salt",
        "a teaspoon of lemon juice and a pinch of sugar",
        "stir the apricot jam into the tart",
    ],
    "royals and capitals": [
        "the king lived in the palace",
        "the queen lived in the palace",
        "paris is the capital of france",
        "rome is the capital of italy",
    ],
}
TFIDF_VIEWS = ("TF-IDF", "TF", "counts")
MAX_ROWS = 20


def parse_documents(lines: str) -> list[str]:
    """One document per non-blank line of ``lines`` (the calculator's text box).

    >>> parse_documents("first doc\\n\\n  second doc  ")
    ['first doc', 'second doc']
    """
    if not isinstance(lines, str):
        raise TypeError(f"expected the text of the box (a string), got {type(lines).__name__}")
    documents = [line.strip() for line in lines.splitlines() if line.strip()]
    if not documents:
        raise ValueError("type at least one document (one document per line)")
    return documents


def _format(value: float, view: str) -> str:
    if view == "counts":
        return str(int(value))
    return "0" if value == 0 else f"{value:.3f}"


def tfidf_table_html(documents: list[str], view: str = "TF-IDF", max_rows: int = MAX_ROWS) -> str:
    """An HTML table of the lecture's TF-IDF (:func:`helpers.text.tf_idf`) for ``documents``.

    One row per word (at most ``max_rows``, the highest TF-IDF first, so words that occur in
    every document, IDF = 0, sink to the bottom), the columns df, IDF = ln(N/df) and one value
    per document: its ``view`` ("TF-IDF", "TF" = count / words in the document, or "counts").
    Each document's largest value is bold. Bad input (an empty document, no document at all)
    raises ``ValueError`` with the helper's message.
    """
    if view not in TFIDF_VIEWS:
        raise ValueError(f"view must be one of {', '.join(TFIDF_VIEWS)}, got {view!r}")
    result = text.tf_idf(documents)
    counts, vocab = text.bag_of_words(documents, result.vocab)
    lengths = counts.sum(axis=1)
    values = {"TF-IDF": result.matrix, "TF": counts / lengths[:, None], "counts": counts}[view]
    df = (counts > 0).sum(axis=0)
    order = sorted(range(len(vocab)), key=lambda w: (-result.matrix[:, w].max(), vocab[w]))
    shown = order[:max_rows]
    best = values.argmax(axis=1)
    docs_html = "".join(
        f"<li><b>d{i + 1}</b> ({lengths[i]} words): {html.escape(doc)}</li>"
        for i, doc in enumerate(documents))
    head = "".join(f"<th>d{i + 1}</th>" for i in range(len(documents)))
    rows = []
    for w in shown:
        cells = []
        for d in range(len(documents)):
            value = values[d, w]
            style = ' style="opacity:0.7"' if value == 0 else ""
            content = _format(value, view)
            if best[d] == w and value > 0:
                content = f"<b>{content}</b>"
            cells.append(f"<td{style}>{content}</td>")
        idf_style = ' style="opacity:0.7"' if result.idf[w] == 0 else ""
        rows.append(f"<tr><td><code>{html.escape(vocab[w])}</code></td><td>{df[w]}</td>"
                    f"<td{idf_style}>{result.idf[w]:.3f}</td>{''.join(cells)}</tr>")
    more = (f"<p>… and {len(vocab) - len(shown)} more words (lower TF-IDF).</p>"
            if len(vocab) > len(shown) else "")
    return (f"<ol style=\"margin:0 0 0.5em;padding-left:1.2em\">{docs_html}</ol>"
            f"<p style=\"margin:0.2em 0\">N = {len(documents)} documents; IDF = ln(N / df); "
            f"showing <b>{view}</b>{' = TF × IDF' if view == 'TF-IDF' else ''}.</p>"
            "<div style=\"overflow-x:auto\"><table class=\"dlbook-tfidf\" style=\"margin:0;"
            "border-collapse:separate;border-spacing:0.9em 0.1em;font-size:0.9em\"><thead><tr>"
            "<th>word</th><th>df</th><th>IDF</th>"
            f"{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>{more}")


def tfidf_message_html(lines: str, view: str = "TF-IDF") -> str:
    """The live calculator's view for the text in its box: the table, or the error in red."""
    try:
        return tfidf_table_html(parse_documents(lines), view)
    except (ValueError, TypeError) as error:
        return (f"<p style=\"color:#c0392b\"><b>Cannot compute TF-IDF:</b> "
                f"{html.escape(str(error))}</p>")


def static_tfidf_explorer() -> Explorer:
    """The calculator's static face: every preset document set × every view."""
    names = list(PRESET_DOCUMENTS)
    return state_explorer(
        [("preset", "document set", names, None), ("view", "show", list(TFIDF_VIEWS), None)],
        lambda preset, view: _compact(tfidf_table_html(PRESET_DOCUMENTS[preset], view)),
        "TF-IDF calculator")


# The static face computes TF-IDF in the page: a JavaScript mirror of helpers.text.tokenize and
# helpers.text.tf_idf (natural logarithm, TF = count / words in the document). The browser test
# tests/test_site_tfidf.py checks it against helpers.text.tf_idf on random documents.
TFIDF_JS = r"""(function () {
  if (window.DLBookTfidf) { window.DLBookTfidf.hydrate(); return; }
  var WORD = /[\p{L}\p{N}]+(?:'[\p{L}\p{N}]+)*/gu;
  function tokenize(text) { return (text.toLowerCase().match(WORD) || []); }
  function parse(text) {
    return text.split(/\r?\n/).map(function (l) { return l.trim(); })
      .filter(function (l) { return l.length > 0; });
  }
  function tfIdf(docs) {
    if (!docs.length) { throw new Error("type at least one document (one document per line)"); }
    var tokens = docs.map(function (d, i) {
      var t = tokenize(d);
      if (!t.length) {
        throw new Error("line " + (i + 1) + " has no words ('" + d + "'): every document " +
                        "needs at least one word");
      }
      return t;
    });
    var seen = {};
    tokens.forEach(function (t) { t.forEach(function (w) { seen[w] = true; }); });
    var vocab = Object.keys(seen).sort(function (a, b) { return a < b ? -1 : a > b ? 1 : 0; });
    var index = {};
    vocab.forEach(function (w, j) { index[w] = j; });
    var counts = tokens.map(function (t) {
      var row = vocab.map(function () { return 0; });
      t.forEach(function (w) { row[index[w]] += 1; });
      return row;
    });
    var n = docs.length;
    var df = vocab.map(function (w, j) {
      return counts.filter(function (row) { return row[j] > 0; }).length;
    });
    var idf = df.map(function (f) { return Math.log(n / f); });
    var tf = counts.map(function (row, d) {
      return row.map(function (c) { return c / tokens[d].length; });
    });
    var matrix = tf.map(function (row) { return row.map(function (v, j) { return v * idf[j]; }); });
    return { vocab: vocab, counts: counts, lengths: tokens.map(function (t) { return t.length; }),
             df: df, idf: idf, tf: tf, matrix: matrix };
  }
  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  function fmt(v, view) { return view === "counts" ? String(v) : (v === 0 ? "0" : v.toFixed(3)); }
  function table(docs, view, maxRows) {
    var r = tfIdf(docs);
    var values = view === "counts" ? r.counts : view === "TF" ? r.tf : r.matrix;
    var maxOf = function (j) {
      return Math.max.apply(null, r.matrix.map(function (row) { return row[j]; }));
    };
    var order = r.vocab.map(function (w, j) { return j; }).sort(function (a, b) {
      var d = maxOf(b) - maxOf(a);
      return d !== 0 ? d : (r.vocab[a] < r.vocab[b] ? -1 : 1);
    });
    var shown = order.slice(0, maxRows);
    var best = values.map(function (row) {
      var k = 0; row.forEach(function (v, j) { if (v > row[k]) { k = j; } }); return k;
    });
    var html = "<ol style='margin:0 0 0.5em;padding-left:1.2em'>" + docs.map(function (d, i) {
      return "<li><b>d" + (i + 1) + "</b> (" + r.lengths[i] + " words): " + esc(d) + "</li>";
    }).join("") + "</ol><p style='margin:0.2em 0'>N = " + docs.length +
      " documents; IDF = ln(N / df); showing <b>" + view + "</b>" +
      (view === "TF-IDF" ? " = TF × IDF" : "") + ".</p><div style='overflow-x:auto'>" +
      "<table class='dlbook-tfidf-table' style='margin:0;border-collapse:separate;" +
      "border-spacing:0.9em 0.1em;font-size:0.9em'><thead><tr><th>word</th><th>df</th>" +
      "<th>IDF</th>" + docs.map(function (d, i) { return "<th>d" + (i + 1) + "</th>"; }).join("") +
      "</tr></thead><tbody>";
    shown.forEach(function (j) {
      html += "<tr><td><code>" + esc(r.vocab[j]) + "</code></td><td>" + r.df[j] + "</td><td" +
        (r.idf[j] === 0 ? " style='opacity:0.7'" : "") + ">" + r.idf[j].toFixed(3) + "</td>";
      values.forEach(function (row, d) {
        var v = row[j], text = fmt(v, view);
        if (best[d] === j && v > 0) { text = "<b>" + text + "</b>"; }
        html += "<td" + (v === 0 ? " style='opacity:0.7'" : "") + ">" + text + "</td>";
      });
      html += "</tr>";
    });
    html += "</tbody></table></div>";
    if (r.vocab.length > shown.length) {
      html += "<p>… and " + (r.vocab.length - shown.length) + " more words (lower TF-IDF).</p>";
    }
    return html;
  }
  function render(root) {
    var out = root.querySelector(".dlbook-tfidf-out");
    var view = root.querySelector(".dlbook-tfidf-view").value;
    try {
      out.innerHTML = table(parse(root.querySelector("textarea").value), view, 20);
    } catch (error) {
      out.innerHTML = "<p class='dlbook-tfidf-error' style='color:var(--dlb-wrong)'>" +
        "<b>Cannot compute TF-IDF:</b> " + esc(error.message) + "</p>";
    }
  }
  function hydrate() {
    Array.prototype.forEach.call(document.querySelectorAll(".dlbook-tfidf-calc"), function (root) {
      if (root.dataset.ready) { return; }
      root.dataset.ready = "1";
      var presets = JSON.parse(root.querySelector(".dlbook-tfidf-presets").textContent);
      var box = root.querySelector("textarea"), pick = root.querySelector(".dlbook-tfidf-preset");
      pick.addEventListener("change", function () {
        if (presets[pick.value]) { box.value = presets[pick.value].join("\n"); render(root); }
      });
      box.addEventListener("input", function () { pick.value = ""; render(root); });
      root.querySelector(".dlbook-tfidf-view").addEventListener("change", function () {
        render(root);
      });
      var fallback = root.querySelector(".dlbook-tfidf-fallback");
      if (fallback) { fallback.remove(); }
      render(root);
    });
  }
  window.DLBookTfidf = { tokenize: tokenize, parse: parse, tfIdf: tfIdf, table: table,
                         hydrate: hydrate };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", hydrate);
  } else { hydrate(); }
})();"""


def static_tfidf_calculator(documents: list[str] | None = None) -> Explorer:
    """The calculator's static face: a text box whose TF-IDF is computed in the page.

    :data:`TFIDF_JS` mirrors :func:`helpers.text.tf_idf`; the preset menu loads the sets of
    :data:`PRESET_DOCUMENTS`, the view menu switches between TF-IDF, TF and counts. Controls
    have fixed widths, so nothing moves under the pointer. Without JavaScript the reader sees
    the first preset's table, computed here.
    """
    documents = documents or PRESET_DOCUMENTS["the notes' example"]
    parse_documents("\n".join(documents))                       # validate the start
    presets = json.dumps(PRESET_DOCUMENTS, separators=(",", ":")).replace("</", "<\\/")
    options = "".join(f"<option value=\"{html.escape(name)}\">{html.escape(name)}</option>"
                      for name in PRESET_DOCUMENTS)
    views = "".join(f"<option>{view}</option>" for view in TFIDF_VIEWS)
    select_style = "style=\"width:12em;max-width:100%;font:inherit\""
    page = (
        "<div class=\"dlbook-quiz dlbook-tfidf-calc\">"
        "<div class=\"dlbook-quiz-title\">TF-IDF calculator: your own documents</div>"
        "<label style=\"display:block;font-size:0.9em\">documents, one per line"
        "<textarea rows=\"5\" spellcheck=\"false\" style=\"display:block;width:100%;"
        "box-sizing:border-box;font:inherit;margin-top:0.2em\">"
        f"{html.escape(chr(10).join(documents))}</textarea></label>"
        "<div class=\"dlbook-controls\" style=\"margin-top:0.4em\">"
        "<label class=\"dlbook-control\">load a prepared set"
        f"<select class=\"dlbook-tfidf-preset\" {select_style}>"
        f"<option value=\"\">(your own)</option>{options}</select></label>"
        "<label class=\"dlbook-control\">show"
        f"<select class=\"dlbook-tfidf-view\" {select_style}>{views}</select></label></div>"
        "<div class=\"dlbook-tfidf-out\">"
        f"<div class=\"dlbook-tfidf-fallback\">{_compact(tfidf_table_html(documents))}</div>"
        "</div>"
        f"<script type=\"application/json\" class=\"dlbook-tfidf-presets\">{presets}</script>"
        "</div>"
        f"<script class=\"dlbook-tfidf-runtime\">{TFIDF_JS}</script>")
    return Explorer(page, "TF-IDF calculator: a text box computed in the page "
                          f"({len(PRESET_DOCUMENTS)} prepared sets)")


def tfidf_calculator_widget(documents: list[str] | None = None):
    """The live TF-IDF calculator: a text box (one document per line) and a table."""
    import ipywidgets as w

    documents = documents or PRESET_DOCUMENTS["the notes' example"]
    box_text = w.Textarea(value="\n".join(documents), description="documents",
                          placeholder="one document per line",
                          layout=w.Layout(width="95%", height="7em"))
    preset = w.Dropdown(options=["(your own)", *PRESET_DOCUMENTS], value="(your own)",
                        description="load", layout=w.Layout(width="22em"))
    view_picker = w.ToggleButtons(options=list(TFIDF_VIEWS), description="show",
                                  style={"button_width": "6em"})
    view = w.HTML()

    def update(_change=None):
        view.value = tfidf_message_html(box_text.value, view_picker.value)

    def load(change):
        if change["new"] in PRESET_DOCUMENTS:
            box_text.value = "\n".join(PRESET_DOCUMENTS[change["new"]])

    box_text.observe(update, names="value")
    view_picker.observe(update, names="value")
    preset.observe(load, names="value")
    update()
    box = w.VBox([preset, box_text, view_picker, view])
    box._dlbook_update = update
    box._dlbook_controls = {"documents": box_text, "view": view_picker, "preset": preset}
    box._dlbook_view = view
    return box


def tfidf_calculator(documents: list[str] | None = None) -> None:
    """Show the TF-IDF calculator: live in Jupyter/Colab, preset document sets in the book."""
    show(tfidf_calculator_widget(documents), static_tfidf_calculator(documents))


# ------------------------------------------------------------------------ cosine explorer

U_ANGLE, U_LENGTH = 30, 2.0
ANGLES = list(range(0, 360, 15))
LENGTHS = [1.0, 3.0]


def vector_pair(angle_u: float, length_u: float, angle_v: float, length_v: float) -> dict:
    """Two 2-D vectors from polar coordinates (degrees), with their dot product and cosine.

    The cosine comes from :func:`helpers.text.cosine_similarity` (it raises for a zero length).

    >>> pair = vector_pair(0, 2, 60, 3)
    >>> round(pair["dot"], 6), round(pair["cosine"], 6)
    (3.0, 0.5)
    """
    u = length_u * np.array([math.cos(math.radians(angle_u)), math.sin(math.radians(angle_u))])
    v = length_v * np.array([math.cos(math.radians(angle_v)), math.sin(math.radians(angle_v))])
    cosine = text.cosine_similarity(u, v)
    between = abs((angle_v - angle_u + 180) % 360 - 180)
    return {"u": u, "v": v, "dot": float(u @ v), "cosine": cosine, "angle": between}


def _arrow(x0, y0, x1, y1, colour, label):
    dx, dy = x1 - x0, y1 - y0
    norm = math.hypot(dx, dy) or 1.0
    ux, uy = dx / norm, dy / norm
    head = [(x1, y1), (x1 - 9 * ux + 4.5 * uy, y1 - 9 * uy - 4.5 * ux),
            (x1 - 9 * ux - 4.5 * uy, y1 - 9 * uy + 4.5 * ux)]
    points = " ".join(f"{x:.0f},{y:.0f}" for x, y in head)
    return (f'<line x1="{x0:.0f}" y1="{y0:.0f}" x2="{x1 - 6 * ux:.0f}" y2="{y1 - 6 * uy:.0f}" '
            f'stroke="{colour}" stroke-width="3"/><polygon points="{points}" fill="{colour}"/>'
            f'<text x="{x1 + 8 * ux - 4:.0f}" y="{y1 - 8 * uy + 4:.0f}" fill="{colour}" '
            f'font-size="14" font-weight="bold">{label}</text>')


def cosine_svg(angle_u: float = U_ANGLE, length_u: float = U_LENGTH, angle_v: float = 75,
               length_v: float = 2.0) -> str:
    """SVG of two vectors u, v on a grid (−3…3), the angle between them and their cosine.

    The first quadrant is shaded: vectors of counts live there, where the cosine of any two is
    between 0 and 1.
    """
    pair = vector_pair(angle_u, length_u, angle_v, length_v)
    scale, centre = 40, 150

    def px(point):
        return centre + scale * point[0], centre - scale * point[1]

    parts = [f'<rect x="{centre}" y="10" width="130" height="{centre - 10}" fill="{GREEN}" '
             'fill-opacity="0.12"/>',
             f'<text x="{centre + 6}" y="26" font-size="14" fill="{GREEN}">counts live here</text>']
    grid = "".join(f"M{centre + scale * k} 20V280M20 {centre + scale * k}H280"
                   for k in range(-3, 4) if k)
    parts.append(f'<path d="{grid}" stroke="{GREY}" stroke-opacity="0.35"/>'
                 f'<path d="M10 {centre}H290M{centre} 10V290" stroke="currentColor"/>')
    radius = 26
    start, between = angle_u, pair["angle"]
    sweep_sign = 1 if (angle_v - angle_u) % 360 <= 180 else -1
    end = start + sweep_sign * between
    x0, y0 = centre + radius * math.cos(math.radians(start)), centre - radius * math.sin(
        math.radians(start))
    x1, y1 = centre + radius * math.cos(math.radians(end)), centre - radius * math.sin(
        math.radians(end))
    sweep_flag = 0 if sweep_sign > 0 else 1
    if between > 0:
        parts.append(f'<path d="M{x0:.1f},{y0:.1f} A{radius},{radius} 0 0 {sweep_flag} '
                     f'{x1:.1f},{y1:.1f}" fill="none" stroke="{PURPLE}" stroke-width="2"/>')
    parts.append(_arrow(centre, centre, *px(pair["u"]), BLUE, "u"))
    parts.append(_arrow(centre, centre, *px(pair["v"]), ORANGE, "v"))
    lines = [f"angle θ = {between:.0f}°",
             f"cos θ = {pair['cosine']:+.3f}",
             f"u · v = {pair['dot']:+.2f}",
             f"‖u‖ = {length_u:g}, ‖v‖ = {length_v:g}",
             "u · v = ‖u‖ ‖v‖ cos θ"]
    verdict = ("same direction" if pair["cosine"] > 0.999 else
               "opposite" if pair["cosine"] < -0.999 else
               "orthogonal" if abs(pair["cosine"]) < 1e-9 else
               "similar" if pair["cosine"] > 0 else "dissimilar")
    numbers = "".join(f"<div{' style=font-weight:bold' if i == 1 else ''}>"
                      f"{html.escape(line)}</div>" for i, line in enumerate(lines))
    # The numbers are HTML, not SVG text: they keep their size on a phone, where the drawing
    # shrinks, and wrap below it.
    return ('<div style="display:flex;flex-wrap:wrap;align-items:center;gap:0.4em 1.2em">'
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 300" width="300" '
            'height="300" role="img" aria-label="two vectors and their cosine" '
            f'style="max-width:100%;height:auto">{"".join(parts)}</svg>'
            f'<div style="line-height:1.6">{numbers}'
            f'<div style="font-weight:600">{verdict}</div></div></div>')


def static_cosine_explorer() -> Explorer:
    """Static face: the angle and the length of v (u fixed at 30°, length 2)."""
    return state_explorer(
        [("angle_v", "angle of v (degrees)", ANGLES, None),
         ("length_v", "length of v", LENGTHS, [f"{x:g}" for x in LENGTHS])],
        lambda angle_v, length_v: _compact(cosine_svg(U_ANGLE, U_LENGTH, angle_v, length_v)),
        "Cosine similarity of two vectors", initial=[ANGLES.index(75), 0])


def cosine_explorer_widget():
    """The live explorer: angle and length sliders for both vectors."""
    import ipywidgets as w

    fixed = {"layout": w.Layout(width="300px"), "style": {"description_width": "70px"}}
    sliders = {
        "angle_u": w.IntSlider(value=U_ANGLE, min=0, max=359, step=5, description="angle u",
                               **fixed),
        "length_u": w.FloatSlider(value=U_LENGTH, min=0.25, max=3.5, step=0.25,
                                  description="length u", **fixed),
        "angle_v": w.IntSlider(value=75, min=0, max=359, step=5, description="angle v", **fixed),
        "length_v": w.FloatSlider(value=2.0, min=0.25, max=3.5, step=0.25,
                                  description="length v", **fixed),
    }
    view = w.HTML()

    def update(_change=None):
        view.value = cosine_svg(**{name: s.value for name, s in sliders.items()})

    return wire(w.HBox([w.VBox(list(sliders.values())), view]), sliders, update, view)


def cosine_explorer() -> None:
    """Show the cosine explorer: live in Jupyter/Colab, precomputed states in the book."""
    show(cosine_explorer_widget(), static_cosine_explorer())


# ------------------------------------------------------------------------ LSTM gate explorer

GATE_STEPS = 24
MARKER_STEPS = (3, 14)
MARKER_WEIGHT = 8.0
CANDIDATE_WEIGHT = 3.0
FORGET_BIASES = [-2.0, 0.0, 1.0, 2.0, 3.0, 4.0, 6.0]
INPUT_BIASES = [-6.0, 0.0, 3.0]
OUTPUT_BIASES = [2.0, -2.0]


def gate_demo_inputs(steps: int = GATE_STEPS, seed: int = 3) -> np.ndarray:
    """The explorer's input sequence ``(steps, 2)``: a random value ±1 and a marker channel.

    The marker is 1 at :data:`MARKER_STEPS`, as in :func:`helpers.rnn.long_range_task`: the
    cell should store the value seen at a marker and ignore the values in between. The values
    at the two markers are +1 and −1, so a cell that keeps the first instead of replacing it
    ends with the wrong sign.
    """
    if isinstance(steps, bool) or not isinstance(steps, int) or steps <= max(MARKER_STEPS):
        raise ValueError(f"steps must be an integer > {max(MARKER_STEPS)}, got {steps!r}")
    values = np.random.default_rng(seed).choice([-1.0, 1.0], size=steps)
    values[list(MARKER_STEPS)] = [1.0, -1.0]        # the second write must replace the first
    markers = np.zeros(steps)
    markers[list(MARKER_STEPS)] = 1.0
    return np.stack([values, markers], axis=1)


def gate_demo_weights(forget_bias: float, input_bias: float,
                      output_bias: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Weights of a one-unit LSTM in Keras' layout (columns i, f, c, o) for the explorer.

    No recurrent weights; the marker opens the input gate (+8) and closes the forget gate
    (−8), the candidate is tanh(3 · value)::

        i_t = σ(b_i + 8 m_t)   f_t = σ(b_f − 8 m_t)   c̃_t = tanh(3 v_t)   o_t = σ(b_o)
    """
    kernel = np.array([[0.0, 0.0, CANDIDATE_WEIGHT, 0.0],
                       [MARKER_WEIGHT, -MARKER_WEIGHT, 0.0, 0.0]])
    recurrent_kernel = np.zeros((1, 4))
    bias = np.array([input_bias, forget_bias, 0.0, output_bias], dtype=float)
    return kernel, recurrent_kernel, bias


def gate_demo_trace(forget_bias: float = 4.0, input_bias: float = -6.0,
                    output_bias: float = 2.0, steps: int = GATE_STEPS):
    """``(x, trace)``: the demo inputs and :func:`helpers.rnn.lstm_forward` on them."""
    x = gate_demo_inputs(steps)
    return x, rnn.lstm_forward(x, *gate_demo_weights(forget_bias, input_bias, output_bias))


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


def _signed(value: float) -> str:
    """+0.12 / −0.12 with two decimals and no "−0.00"."""
    text = f"{value:+.2f}"
    return "+0.00" if text == "-0.00" else text.replace("-", "−")


def _polyline(xs, ys, colour, width=2, dash=""):
    # Whole pixels, and no point that lies on the straight line through its neighbours (flat
    # gate curves shrink to their ends): the static explorer stores 42 of these drawings.
    rounded = [(round(x), round(y)) for x, y in zip(xs, ys, strict=True)]
    kept = rounded[:1]
    for here, after in zip(rounded[1:-1], rounded[2:], strict=True):
        before = kept[-1]
        turn = ((here[0] - before[0]) * (after[1] - here[1])
                - (here[1] - before[1]) * (after[0] - here[0]))
        if turn != 0:
            kept.append(here)
    kept.extend(rounded[-1:] if len(rounded) > 1 else [])
    points = " ".join(f"{x},{y}" for x, y in kept)
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    return (f'<polyline points="{points}" fill="none" stroke="{colour}" '
            f'stroke-width="{width}"{dash_attr}/>')


def memory_of_marked_value(forget_bias: float, input_bias: float,
                           output_bias: float = 2.0) -> dict:
    """How much of the final cell state c_T comes from the value seen at the last marker.

    A counterfactual: run the cell again with that one value flipped. Half the change of c_T,
    ``from_value``, is the value's signed share; half the sum, ``from_rest``, is everything
    else written into the cell; the two add up to ``c_end`` = c_T exactly. ``contribution``
    and ``rest`` are their sizes. The ``verdict`` is "remembers it" when the contribution is
    at least 0.5 and more than twice the rest, "has lost it" below 0.05, and "keeps only a
    trace of it" otherwise.

    >>> memory_of_marked_value(6.0, -6.0)["verdict"], memory_of_marked_value(-2.0, -6.0)["verdict"]
    ('remembers it', 'has lost it')
    """
    weights = gate_demo_weights(forget_bias, input_bias, output_bias)
    x = gate_demo_inputs()
    flipped = x.copy()
    flipped[MARKER_STEPS[-1], 0] *= -1
    end = rnn.lstm_forward(x, *weights).cs[-1, 0]
    end_flipped = rnn.lstm_forward(flipped, *weights).cs[-1, 0]
    from_value, from_rest = (end - end_flipped) / 2, (end + end_flipped) / 2  # sum: end
    contribution, rest = abs(from_value), abs(from_rest)
    if contribution >= 0.5 and contribution > 2 * rest:
        verdict = "remembers it"
    elif contribution < 0.05:
        verdict = "has lost it"
    else:
        verdict = "keeps only a trace of it"
    return {"contribution": float(contribution), "rest": float(rest), "verdict": verdict,
            "from_value": float(from_value), "from_rest": float(from_rest), "c_end": float(end)}


def lstm_gate_svg(forget_bias: float = 4.0, input_bias: float = -6.0,
                  output_bias: float = 2.0) -> str:
    """Three panels over time: the inputs, the gates i, f, o, and the states c_t, h_t."""
    x, trace = gate_demo_trace(forget_bias, input_bias, output_bias)
    steps = x.shape[0]
    left, width = 40, 412
    step_x = [left + width * (t + 0.5) / steps for t in range(steps)]
    shapes, labels, ticks = [], [], []

    def panel(top, height, title, low, high, values):
        def y_of(value):
            return top + height * (high - value) / (high - low)

        labels.append(f'<text x="2" y="{top - 5}" font-weight="bold">{title}</text>')
        rules = "".join(f"M{left} {y_of(v):.0f}h{width}" for v in values)
        shapes.append(f'<path d="M{left} {top}h{width}v{height}h-{width}z{rules}" fill="none" '
                      f'stroke="{GREY}" stroke-opacity="0.5"/>')
        ticks.extend(f'<text x="{left - 3}" y="{y_of(v) + 4:.0f}">{v:g}</text>' for v in values)
        return y_of

    band = width / steps
    marks = "".join(f"M{step_x[t] - band / 2:.0f} 18h{band:.0f}v332h-{band:.0f}z"
                    for t in MARKER_STEPS)
    shapes.append(f'<path d="{marks}" fill="{ORANGE}" fill-opacity="0.15"/>')
    y_in = panel(18, 60, "inputs: value v_t (bars), marker m_t (shaded)", -1, 1, (-1, 0, 1))
    for sign, colour in ((1, BLUE), (-1, PURPLE)):
        bars = "".join(f"M{step_x[t]:.0f} {y_in(0):.0f}V{y_in(0.8 * x[t, 0]):.0f}"
                       for t in range(steps) if x[t, 0] * sign > 0)
        shapes.append(f'<path d="{bars}" stroke="{colour}" stroke-width="6"/>')
    y_gate = panel(108, 90, "gates: i (blue), f (green), o (orange, dashed)",
                   0, 1, (0, 0.5, 1))
    for name, colour, dash in (("i", BLUE, ""), ("f", GREEN, ""), ("o", ORANGE, "5 3")):
        shapes.append(_polyline(step_x, [y_gate(g) for g in trace.gates[name][:, 0]], colour,
                                dash=dash))
    cs, hs = trace.cs[:, 0], trace.hs[:, 0]
    bound = math.ceil(max(1.0, float(np.max(np.abs(cs)))) * 2) / 2
    y_state = panel(228, 122, "memory: c_t (green), h_t (blue, dashed)",
                    -bound, bound, (-bound, 0, bound))
    shapes.append(_polyline(step_x, [y_state(c) for c in cs], GREEN, width=3))
    shapes.append(_polyline(step_x, [y_state(h) for h in hs], BLUE, width=2, dash="5 3"))
    steps_text = "".join(f'<text x="{step_x[t]:.0f}" y="364">{t}</text>'
                         for t in range(0, steps, 4))
    last, stored, kept = MARKER_STEPS[-1], x[MARKER_STEPS[-1], 0], cs[-1]
    memory = memory_of_marked_value(forget_bias, input_bias, output_bias)
    # Rounded so that the two printed parts add up to the printed c exactly.
    value_part = round(memory["from_value"], 2)
    rest_part = round(round(float(kept), 2) - value_part, 2)
    caption = (f"Between markers f = σ(b_f) = {_sigmoid(forget_bias):.3f}, "
               f"i = σ(b_i) = {_sigmoid(input_bias):.3f}; o = σ(b_o) = "
               f"{_sigmoid(output_bias):.3f}. Value at the last marker (t = {last}): "
               f"{stored:+.0f}. c at the end = {_signed(kept)} = {_signed(value_part)} "
               f"(from that value) {_signed(rest_part)} (from everything else): the cell "
               f"{memory['verdict']}.")
    return ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 460 384" width="460" '
            'height="384" role="img" aria-label="LSTM gates and states over time" '
            f'style="max-width:100%;height:auto">{"".join(shapes)}'
            f'<g font-size="14" fill="currentColor">{"".join(labels)}</g>'
            f'<g font-size="12" fill="currentColor" text-anchor="end">{"".join(ticks)}</g>'
            f'<g font-size="12" fill="currentColor" text-anchor="middle">{steps_text}'
            f'<text x="{left + width / 2:.0f}" y="379">time step t</text></g></svg>'
            f'<p style="margin:0.3em 0;font-size:0.9em">{html.escape(caption)}</p>')


def static_lstm_gate_explorer() -> Explorer:
    """Static face: every combination of the three gate biases."""

    def labels(biases):
        return [f"{b:+g} (σ = {_sigmoid(b):.2f})" for b in biases]

    return state_explorer(
        [("forget_bias", "forget-gate bias b_f", FORGET_BIASES, labels(FORGET_BIASES)),
         ("input_bias", "input-gate bias b_i", INPUT_BIASES, labels(INPUT_BIASES)),
         ("output_bias", "output-gate bias b_o", OUTPUT_BIASES, labels(OUTPUT_BIASES))],
        lambda **biases: _compact(lstm_gate_svg(**biases)), "LSTM gate explorer",
        initial=[FORGET_BIASES.index(4.0), INPUT_BIASES.index(-6.0), OUTPUT_BIASES.index(2.0)])


def lstm_gate_explorer_widget():
    """The live gate explorer: one slider per gate bias."""
    import ipywidgets as w

    fixed = {"layout": w.Layout(width="260px"), "style": {"description_width": "40px"}}
    sliders = {
        "forget_bias": w.FloatSlider(value=4.0, min=-4, max=8, step=0.5, description="b_f",
                                     **fixed),
        "input_bias": w.FloatSlider(value=-6.0, min=-8, max=6, step=0.5, description="b_i",
                                    **fixed),
        "output_bias": w.FloatSlider(value=2.0, min=-4, max=4, step=0.5, description="b_o",
                                     **fixed),
    }
    view = w.HTML()

    def update(_change=None):
        view.value = lstm_gate_svg(**{name: s.value for name, s in sliders.items()})

    controls = w.HBox(list(sliders.values()), layout=w.Layout(flex_flow="row wrap"))
    return wire(w.VBox([controls, view]), sliders, update, view)


def lstm_gate_explorer() -> None:
    """Show the LSTM gate explorer: live in Jupyter/Colab, precomputed states in the book."""
    show(lstm_gate_explorer_widget(), static_lstm_gate_explorer())


# ------------------------------------------------------------------ practice generator

_KIND_NAMES = {"simple_rnn": "SimpleRNN", "lstm": "LSTM", "gru": "GRU"}


def recurrent_params_practice(count: int = 3, seed: int | None = None) -> list[dict]:
    """Fresh "how many parameters has this recurrent layer?" questions.

    Answers are computed by :func:`helpers.rnn.recurrent_param_count` (tested against Keras'
    ``count_params()``); GRU questions state Keras' default ``reset_after=True``.
    """
    import random

    count = practice_count(count)
    rng = random.Random(seed)
    questions = []
    for index in range(count):
        kind = ("simple_rnn", "lstm", "gru")[(index + rng.randrange(3)) % 3]
        input_dim = rng.choice([1, 2, 3, 5, 8, 10, 16, 20, 32, 50, 64, 100, 128, 300])
        units = rng.choice([4, 8, 10, 16, 20, 32, 50, 64, 100, 128, 256])
        steps = rng.choice([10, 20, 50, 100])
        value = rnn.recurrent_param_count(kind, input_dim, units)
        name = _KIND_NAMES[kind]
        factor = {"simple_rnn": "", "lstm": "4 · ", "gru": "3 · "}[kind]
        extra = f" + 3·{units} (GRU's second bias row, reset_after=True)" if kind == "gru" else ""
        questions.append({
            "id": f"practice-recurrent-{index + 1}",
            "type": "numeric",
            "prompt": (f"A Keras <code>{name}({units})</code> layer reads sequences of "
                       f"{steps} steps with {input_dim} features per step"
                       + (" (Keras' default <code>reset_after=True</code>)" if kind == "gru"
                          else "")
                       + ". How many trainable parameters does it have?"),
            "answer": {"call": "helpers.rnn.recurrent_param_count",
                       "kwargs": {"kind": kind, "input_dim": input_dim, "units": units}},
            "value": value,
            "tolerance": 0,
            "hint": ("One block is d_in·u + u·u + u (input weights, recurrent weights, bias); "
                     "an LSTM has four such blocks, a GRU three. The number of time steps "
                     "does not matter: the weights are shared across time."),
            "explanation": (f"{factor}({input_dim}·{units} + {units}·{units} + {units}){extra}"
                            f" = {value:,}; the {steps} time steps share these weights."),
        })
    return questions


# ------------------------------------------------------------------------ benchmarks

def benchmarks() -> dict:
    """Callback drivers for scripts/bench.py (each call moves one control)."""
    calculator = tfidf_calculator_widget()
    texts = ["\n".join(docs) for docs in PRESET_DOCUMENTS.values()]
    cosine = cosine_explorer_widget()._dlbook_controls
    gates = lstm_gate_explorer_widget()._dlbook_controls
    return {
        "TF-IDF calculator: documents": cycle(calculator._dlbook_controls["documents"], texts),
        "TF-IDF calculator: view": cycle(calculator._dlbook_controls["view"], list(TFIDF_VIEWS)),
        "cosine explorer: angle of v": cycle(cosine["angle_v"], list(range(0, 360, 5))),
        "LSTM gate explorer: forget bias": cycle(gates["forget_bias"],
                                                 list(np.arange(-4, 8.5, 0.5))),
    }



# ------------------------------------------------------------------------ embedding map

def corpus_word_groups() -> dict[str, list[str]]:
    """The word families the book's corpus is built from (:mod:`helpers.corpus`), by name."""
    from helpers import corpus

    return {
        "people": [p[0] for p in corpus.PEOPLE],
        "countries": [c[0] for c in corpus.COUNTRIES],
        "capitals": [c[1] for c in corpus.COUNTRIES],
        "languages": [c[2] for c in corpus.COUNTRIES],
        "fruits": [f[0] for f in corpus.FRUITS],
    }


def project_2d(vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rows of ``vectors`` on their two main directions: PCA of the unit-length rows.

    Returns ``(points (n, 2), explained)`` where ``explained`` is the share of the variance of
    the centred unit vectors that each of the two directions keeps.
    """
    matrix = np.asarray(vectors, dtype=np.float64)
    if matrix.ndim != 2 or matrix.shape[0] < 3 or matrix.shape[1] < 2:
        raise ValueError(f"vectors must be (words >= 3, dimensions >= 2), got {matrix.shape}")
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    if np.any(norms == 0):
        raise ValueError("a word has the zero vector; it has no direction to project")
    centred = matrix / norms - (matrix / norms).mean(axis=0)
    _, singular, directions = np.linalg.svd(centred, full_matrices=False)
    variance = singular**2
    return centred @ directions[:2].T, variance[:2] / variance.sum()


def embedding_map(vectors: np.ndarray, words: list[str],
                  groups: dict[str, list[str]] | None = None,
                  title: str = "Word vectors, projected to 2-D"):
    """A Plotly scatter of word vectors projected to 2-D; hovering a point shows its word.

    One trace per group of ``groups`` (default :func:`corpus_word_groups`), labelled with its
    words; every other word is a grey point with its word on hover only. Zoom into a cluster
    with the mouse; click a legend entry to hide a group.
    """
    import plotly.graph_objects as go

    words = list(words)
    if len(words) != np.shape(vectors)[0]:
        raise ValueError(f"{len(words)} words for {np.shape(vectors)[0]} vectors")
    points, explained = project_2d(vectors)
    groups = corpus_word_groups() if groups is None else groups
    index = {w: i for i, w in enumerate(words)}
    grouped = {w for members in groups.values() for w in members}
    others = [i for i, w in enumerate(words) if w not in grouped]
    figure = go.Figure()
    figure.add_trace(go.Scatter(
        x=points[others, 0], y=points[others, 1], mode="markers", name="other words",
        text=[words[i] for i in others], hovertemplate="%{text}<extra></extra>",
        marker={"size": 6, "color": "rgba(138,148,163,0.55)"}))
    for name, members in groups.items():
        rows = [index[w] for w in members if w in index]
        figure.add_trace(go.Scatter(
            x=points[rows, 0], y=points[rows, 1], mode="markers+text", name=name,
            text=[words[i] for i in rows], textposition="top center",
            hovertemplate="%{text} (" + name + ")<extra></extra>", marker={"size": 9}))
    figure.update_layout(   # legend below the plot: on a phone it would take half the width
        title={"text": title, "font": {"size": 15}}, height=560,
        margin={"l": 40, "r": 10, "t": 60, "b": 40},
        xaxis_title=f"direction 1 ({explained[0]:.0%} of the variance)",
        yaxis_title=f"direction 2 ({explained[1]:.0%})",
        legend={"itemclick": "toggle", "orientation": "h", "x": 0, "y": -0.14,
                "yanchor": "top"})
    return figure

__all__ = [
    "PRESET_DOCUMENTS", "TFIDF_VIEWS", "benchmarks", "cosine_explorer", "cosine_explorer_widget",
    "cosine_svg", "gate_demo_inputs", "gate_demo_trace", "gate_demo_weights",
    "lstm_gate_explorer", "lstm_gate_explorer_widget", "lstm_gate_svg", "parse_documents",
    "memory_of_marked_value",
    "static_cosine_explorer", "static_lstm_gate_explorer", "static_tfidf_calculator",
    "static_tfidf_explorer", "TFIDF_JS", "corpus_word_groups", "embedding_map", "project_2d",
    "tfidf_calculator", "tfidf_calculator_widget", "tfidf_message_html", "tfidf_table_html",
    "vector_pair",
]
