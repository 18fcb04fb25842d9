"""Plotly figures that work in JupyterLab, Colab and the static book, offline.

``show_plotly(fig, alt="...")`` is the one way a notebook shows a Plotly figure (instead of
``fig.show()``). The cell's result carries:

- ``application/vnd.plotly.v1+json``: the figure as JSON, drawn natively by JupyterLab's Plotly
  renderer (the ``jupyterlab-plotly`` extension that ships with ``plotly``) and by VS Code.
- ``text/html``: a ``<div class="dlbook-plotly">`` with the figure JSON and a few lines of
  script that draw it with ``window.Plotly``. The book loads plotly.js once per page from its
  own ``_static/vendor/plotly/`` (copied from the installed ``plotly`` package at build time by
  ``book/_ext/dlbook_plotly.py``), so no output carries plotly.js and nothing comes from a CDN.
  Where no plotly.js is loaded (GitHub, an untrusted notebook) the div shows the alt text.
  In the book the figure follows the page's light or dark theme.
- ``text/plain``: the alt text.

In Colab (which draws neither of the first two) the result is Plotly's own Colab rendering;
that output lives only in the reader's session and is never committed.
"""

from __future__ import annotations

import hashlib
import html
import json
import sys

__all__ = ["PlotlyFigure", "show_plotly", "figure_json"]

PLOTLY_MIME = "application/vnd.plotly.v1+json"
CONFIG = {"responsive": True, "displaylogo": False}

# Draws every pending .dlbook-plotly div once window.Plotly exists; follows the page theme
# (pydata-sphinx-theme sets html[data-theme]) by taking the text colour of the page.
_DRAW_JS = """(function(){
function colours(el){var c=getComputedStyle(el).color||"#444";
 return {font:{color:c},paper_bgcolor:"rgba(0,0,0,0)",plot_bgcolor:"rgba(0,0,0,0)"};}
function axes(layout,grid){Object.keys(layout).forEach(function(k){
 if(/^(x|y)axis\\d*$/.test(k)){var a=layout[k];a.gridcolor=grid;a.zerolinecolor=grid;
  a.linecolor=grid;}
 if(/^scene\\d*$/.test(k)){["xaxis","yaxis","zaxis"].forEach(function(n){
  var a=layout[k][n]=layout[k][n]||{};a.gridcolor=grid;a.zerolinecolor=grid;
  a.backgroundcolor="rgba(0,0,0,0)";});}});}
function draw(el){if(el.dataset.dlbookDrawn||!window.Plotly)return;
 var spec=JSON.parse(el.querySelector("script.dlbook-plotly-data").textContent);
 var layout=Object.assign({},spec.layout||{},colours(el));
 ["xaxis","yaxis"].forEach(function(k){layout[k]=layout[k]||{};});
 axes(layout,"rgba(128,128,128,0.3)");
 el.dataset.dlbookDrawn="1";
 var fb=el.querySelector(".dlbook-plotly-fallback");if(fb)fb.remove();
 window.Plotly.newPlot(el.querySelector(".dlbook-plotly-plot"),spec.data||[],layout,spec.config);}
function all(){document.querySelectorAll(".dlbook-plotly").forEach(draw);}
function retheme(){document.querySelectorAll(".dlbook-plotly[data-dlbook-drawn]").forEach(
 function(el){var plot=el.querySelector(".dlbook-plotly-plot");
  var u=colours(el);window.Plotly.relayout(plot,{"font.color":u.font.color});});}
window.DLBookPlotly={draw:draw,all:all};
all();
if(document.readyState!=="complete")window.addEventListener("load",all);
if(!window.DLBookPlotlyThemed&&window.MutationObserver){window.DLBookPlotlyThemed=true;
 new MutationObserver(function(){if(window.Plotly)retheme();}).observe(
 document.documentElement,{attributes:true,attributeFilter:["data-theme"]});}
})();"""


def _check(fig, alt):
    try:
        import plotly.graph_objects as go
    except ImportError as error:  # plotly is a declared dependency
        raise ImportError("show_plotly needs the plotly package: pip install plotly") from error
    if not isinstance(fig, go.Figure):
        kind = type(fig).__module__.split(".")[0]
        hint = " (for a matplotlib figure use plt.show())" if kind == "matplotlib" else ""
        raise TypeError(f"show_plotly needs a plotly.graph_objects.Figure, got "
                        f"{type(fig).__name__}{hint}")
    if not isinstance(alt, str) or len(alt.strip()) < 10:
        raise ValueError("alt must say in words what the figure shows (at least 10 characters), "
                         f"got {alt!r}")
    return fig, alt.strip()


def figure_json(fig) -> dict:
    """The figure as JSON-ready ``{"data", "layout"}`` (NumPy arrays encoded by Plotly)."""
    import plotly.io as pio

    return json.loads(pio.to_json(fig, validate=False, remove_uids=True))


class PlotlyFigure:
    """A Plotly figure with alt text; displays natively wherever it is shown."""

    def __init__(self, fig, alt: str):
        self.fig, self.alt = _check(fig, alt)
        self.spec = figure_json(self.fig)
        key = json.dumps([self.spec, self.alt], sort_keys=True).encode()
        self.id = "dlbook-plotly-" + hashlib.sha1(key).hexdigest()[:12]

    def html(self) -> str:
        """The book's face: the figure JSON, the alt text as fallback, and the draw script."""
        spec = dict(self.spec)
        spec["layout"] = {k: v for k, v in spec.get("layout", {}).items() if k != "template"}
        spec["config"] = CONFIG
        payload = json.dumps(spec, separators=(",", ":")).replace("</", "<\\/")
        alt = html.escape(self.alt, quote=True)
        height = spec["layout"].get("height") or 450
        return (f'<div class="dlbook-plotly" id="{self.id}" role="figure" aria-label="{alt}">'
                f'<div class="dlbook-plotly-plot" style="width:100%;min-height:{height}px">'
                f'</div><p class="dlbook-plotly-fallback"><em>Interactive figure (needs '
                f'plotly.js): {html.escape(self.alt)}</em></p>'
                f'<script type="application/json" class="dlbook-plotly-data">{payload}</script>'
                f"</div><script>{_DRAW_JS}</script>")

    def _repr_mimebundle_(self, include=None, exclude=None):
        if "google.colab" in sys.modules:
            import plotly.io as pio

            bundle = dict(pio.renderers["colab"].to_mimebundle(self.fig.to_dict()))
            bundle["text/plain"] = repr(self)
            return bundle
        native = dict(self.spec)
        native["config"] = CONFIG
        return {PLOTLY_MIME: native, "text/html": self.html(), "text/plain": repr(self)}

    def __repr__(self) -> str:
        return f"Plotly figure: {self.alt}"


def show_plotly(fig, alt: str) -> PlotlyFigure:
    """Show a Plotly figure as a cell's result: ``show_plotly(fig, alt="...")`` on the last line.

    ``alt`` says what the figure shows, for readers who cannot see it and for viewers with no
    plotly.js. Returns a :class:`PlotlyFigure` (its mime bundle holds no plotly.js).

    >>> import plotly.graph_objects as go
    >>> shown = show_plotly(go.Figure(go.Scatter(x=[1, 2], y=[3, 4])), alt="A rising line")
    >>> sorted(shown._repr_mimebundle_())
    ['application/vnd.plotly.v1+json', 'text/html', 'text/plain']
    """
    return PlotlyFigure(fig, alt)
