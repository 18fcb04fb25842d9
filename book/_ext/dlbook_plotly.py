"""Serve plotly.js once from the site's own ``_static`` for pages with Plotly figures.

``helpers.plots.show_plotly`` outputs carry the figure as JSON and a few lines that draw it
with ``window.Plotly``, never plotly.js itself. This extension

1. copies ``plotly.min.js`` from the installed ``plotly`` package into
   ``_static/vendor/plotly/`` of the built site (nothing large is committed, and the site's
   plotly.js always matches the Python package that wrote the figures), and
2. adds that one script to the pages that hold a ``dlbook-plotly`` figure, and to no others;
3. lets Plotly figures and ``helpers.diagrams`` drawings sit on the page in dark mode: the
   theme puts HTML outputs on a light panel with dark text there (for outputs that assume a
   white page); both kinds take the page's colours instead (``dlbook-figures.css``, written
   from this file into ``_static``).
"""

import shutil
from pathlib import Path

SCRIPT = "vendor/plotly/plotly.min.js"
MARKER = 'class="dlbook-plotly"'
FIGURES_CSS = "dlbook-figures.css"
CSS = """/* Written by book/_ext/dlbook_plotly.py: Plotly figures and code-drawn diagrams follow the
   page theme, so in dark mode they sit on the page rather than on the light output panel. */
html[data-theme="dark"] .bd-content div.cell_output
  .text_html:has(.dlbook-diagram, .dlbook-plotly) {
  background: transparent !important; padding: 0 !important;
  color: var(--pst-color-text-base) !important;
}
.dlbook-plotly .dlbook-plotly-plot { max-width: 100%; }
"""


def plotly_js_source() -> Path:
    import plotly

    source = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    if not source.is_file():
        raise FileNotFoundError(f"plotly.min.js not found in the plotly package at {source}")
    return source


def copy_plotly_js(app, exception=None):
    if exception is not None or app.builder.format != "html":
        return
    css = Path(app.outdir) / "_static" / FIGURES_CSS
    css.parent.mkdir(parents=True, exist_ok=True)
    if not css.exists() or css.read_text(encoding="utf-8") != CSS:
        css.write_text(CSS, encoding="utf-8")
    target = Path(app.outdir) / "_static" / SCRIPT
    target.parent.mkdir(parents=True, exist_ok=True)
    source = plotly_js_source()
    if not target.exists() or target.stat().st_size != source.stat().st_size:
        shutil.copyfile(source, target)


def add_script_where_needed(app, pagename, templatename, context, doctree):
    if MARKER not in (context.get("body") or ""):
        return
    # Inside html-page-context, add_js_file adds the script to this page only. Another handler
    # may already have replaced context["script_files"] by a filtered copy (dlbook_sphinx drops
    # thebe), so make sure the page's own list has it too.
    app.add_js_file(SCRIPT, priority=400)
    scripts = context.get("script_files")
    url = "_static/" + SCRIPT                 # what add_js_file stores for a static file
    if isinstance(scripts, list) and not any(
            getattr(js, "filename", js) == url for js in scripts):
        from sphinx.builders.html._assets import _JavaScript

        scripts.append(_JavaScript(url, priority=400))


def setup(app):
    # Copied before pages are written (so their script URL gets its ?v= checksum) and checked
    # again at the end (Sphinx never deletes unknown files from _static).
    app.connect("builder-inited", copy_plotly_js)
    app.add_css_file(FIGURES_CSS)
    app.connect("html-page-context", add_script_where_needed)
    app.connect("build-finished", copy_plotly_js)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "0.1"}
