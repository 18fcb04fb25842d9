"""Plotly figures in the built book: drawn offline, hoverable, themed, plotly.js loaded once.

A tiny book built with the project's own configuration (``_config.yml``, ``book/_ext``,
``book/_static``, ``helpers/static``) holds a notebook page with two ``show_plotly`` figures
and a page with none; headless Chromium opens them as a reader would. The real book's pages
are checked too (once lectures use Plotly): each page with a figure loads plotly.js exactly
once, from the site, and no other page loads it. Skipped without chromium, like test_site.py.
"""

import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

import nbformat
import numpy as np
import plotly.graph_objects as go
import pytest
from conftest import serve_directory

from helpers import diagrams, plots

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[1]
SCRIPT = "_static/vendor/plotly/plotly.min.js"
WORDS = ["king", "queen", "man", "woman", "paris", "france", "rome", "italy"]
CURVE_X = np.arange(1, 11)
CURVE_Y = np.round(1.0 / CURVE_X + 0.01 * CURVE_X, 4)


def figures():
    rng = np.random.default_rng(3)
    points = rng.normal(size=(len(WORDS), 2))
    embedding = go.Figure(go.Scatter(
        x=points[:, 0], y=points[:, 1], mode="markers+text", text=WORDS,
        textposition="top center", hovertemplate="%{text}<extra></extra>"))
    embedding.update_layout(title="Word map", xaxis_title="component 1",
                            yaxis_title="component 2", height=360)
    curve = go.Figure(go.Scatter(x=CURVE_X, y=CURVE_Y, mode="lines+markers",
                                 hovertemplate="width %{x}: error %{y:.4f}<extra></extra>"))
    curve.update_layout(title="Test error", xaxis_title="width", yaxis_title="error",
                        height=340)
    return [plots.show_plotly(embedding, alt="Eight words placed on a two-dimensional map"),
            plots.show_plotly(curve, alt="Test error falling with width, then rising slowly")]


def notebook_with_figures() -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.cells.append(nbformat.v4.new_markdown_cell("# Plotly page\n\nTwo figures follow."))
    for number, shown in enumerate(figures(), start=1):
        cell = nbformat.v4.new_code_cell(f"show_plotly(fig{number}, alt='...')",
                                         execution_count=number)
        cell.outputs = [nbformat.v4.new_output(
            "execute_result", data=shown._repr_mimebundle_(), execution_count=number)]
        nb.cells.append(cell)
    # a diagram too, with the bundle IPython stores for it, to see it themed in the book
    diagram = diagrams.lstm_cell()
    cell = nbformat.v4.new_code_cell("diagrams.lstm_cell()", execution_count=3)
    cell.outputs = [nbformat.v4.new_output(
        "execute_result", execution_count=3,
        data={"text/html": diagram._repr_html_(), "image/svg+xml": diagram._repr_svg_(),
              "text/plain": repr(diagram)})]
    nb.cells.append(cell)
    return nb


@pytest.fixture(scope="module")
def plotly_site(tmp_path_factory) -> Path:
    book = tmp_path_factory.mktemp("plotly-book")
    shutil.copy(ROOT / "_config.yml", book / "_config.yml")
    shutil.copytree(ROOT / "book", book / "book")
    shutil.copytree(ROOT / "helpers" / "static", book / "helpers" / "static")
    # the version extension reads the version and repository through scripts/sync_repo_url.py
    shutil.copytree(ROOT / "scripts", book / "scripts")
    shutil.copy(ROOT / "pyproject.toml", book / "pyproject.toml")
    (book / "index.md").write_text("# Plotly test book\n\nA page with figures follows.\n")
    (book / "other.md").write_text("# No figures\n\nThis page has no Plotly figure.\n")
    nbformat.write(notebook_with_figures(), book / "figures.ipynb")
    (book / "_toc.yml").write_text(
        "format: jb-book\nroot: index\nchapters:\n- file: figures\n- file: other\n")
    result = subprocess.run(
        [str(Path(sys.executable).parent / "jupyter-book"), "build", str(book),
         "--path-output", str(book), "--warningiserror", "--keep-going", "--quiet"],
        capture_output=True, text=True, cwd=book, timeout=600)
    if result.returncode != 0:
        pytest.fail("jupyter-book build -W failed:\n" + result.stdout[-4000:]
                    + result.stderr[-4000:])
    return book / "_build" / "html"


@pytest.fixture(scope="module")
def server(plotly_site):
    with serve_directory(plotly_site) as url:
        yield url



def open_page(browser, url, scheme="light"):
    context = browser.new_context(viewport={"width": 1280, "height": 900},
                                  color_scheme=scheme)
    tab = context.new_page()
    tab.problems, tab.requests = [], []
    tab.on("console", lambda m: m.type == "error" and tab.problems.append(m.text))
    tab.on("pageerror", lambda e: tab.problems.append(str(e)))
    tab.on("request", lambda r: tab.requests.append(r.url))
    tab.on("requestfailed", lambda r: tab.problems.append(f"failed: {r.url}"))
    tab.goto(url, wait_until="load")
    return tab


@pytest.fixture(scope="module")
def page(browser, server):
    tab = open_page(browser, f"{server}/figures.html")
    tab.wait_for_function(
        "() => document.querySelectorAll('.dlbook-plotly .main-svg').length >= 2",
        timeout=15000)
    yield tab
    tab.context.close()


def test_figures_render_from_the_sites_own_plotly_js(page, plotly_site):
    assert page.locator(".dlbook-plotly[data-dlbook-drawn]").count() == 2
    assert page.locator(".dlbook-plotly-fallback").count() == 0
    texts = page.eval_on_selector_all(".dlbook-plotly .textpoint",
                                      "nodes => nodes.map(n => n.textContent)")
    assert sorted(texts) == sorted(WORDS)
    assert "Word map" in page.locator(".dlbook-plotly .gtitle").first.text_content()
    assert page.locator(".dlbook-plotly").first.get_attribute("aria-label") == \
        "Eight words placed on a two-dimensional map"
    scripts = [u for u in page.requests if urlparse(u).path.endswith("plotly.min.js")]
    assert len(scripts) == 1 and urlparse(scripts[0]).path == "/" + SCRIPT, scripts
    origin = urlparse(page.url).netloc
    assert all(urlparse(u).netloc == origin for u in page.requests
               if u.startswith("http")), [u for u in page.requests if origin not in u]
    import plotly
    packaged = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    assert (plotly_site / SCRIPT).read_bytes() == packaged.read_bytes()
    html = (plotly_site / "figures.html").read_text()
    assert html.count("plotly.min.js") == 1
    assert "plotly.js v" not in html and "cdn.plot.ly" not in html
    assert not page.problems, page.problems


def hover_text(tab, figure: int, expected: str) -> str:
    """The hover label of one figure once it shows ``expected`` (or after 5 s, whatever)."""
    script = ("([n, want]) => { const t = document.querySelectorAll('.dlbook-plotly')[n]"
              ".querySelector('.hoverlayer .hovertext'); return t && t.textContent.trim() "
              "=== want; }")
    try:
        tab.wait_for_function(script, arg=[figure, expected], timeout=5000)
    except Exception:  # report what is shown instead
        pass
    return tab.evaluate("n => { const t = document.querySelectorAll('.dlbook-plotly')[n]"
                        ".querySelector('.hoverlayer .hovertext'); "
                        "return t ? t.textContent.trim() : null; }", figure)


def test_hover_shows_the_value_under_the_pointer(page):
    curve = page.locator(".dlbook-plotly").nth(1)
    curve.scroll_into_view_if_needed()
    points = curve.locator(".scatterlayer .point")
    assert points.count() == len(CURVE_X)
    for index in (0, 4, 9):
        box = points.nth(index).bounding_box()
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        expected = f"width {CURVE_X[index]}: error {CURVE_Y[index]:.4f}"
        assert hover_text(page, 1, expected) == expected
    words = page.locator(".dlbook-plotly").first
    words.scroll_into_view_if_needed()
    point = words.locator(".scatterlayer .point").nth(2).bounding_box()
    page.mouse.move(point["x"] + point["width"] / 2, point["y"] + point["height"] / 2)
    assert hover_text(page, 0, WORDS[2]) == WORDS[2]
    assert not page.problems, page.problems


def luminance(css_colour: str) -> float:
    r, g, b = (int(v) / 255 for v in re.findall(r"\d+", css_colour)[:3])
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(one: str, two: str) -> float:
    high, low = sorted((luminance(one), luminance(two)), reverse=True)
    return (high + 0.05) / (low + 0.05)


COLOURS = """() => {
  const tick = document.querySelector('.dlbook-plotly .xtick text');
  let node = document.querySelector('.dlbook-plotly'), bg = 'rgba(0, 0, 0, 0)';
  while (node && node.nodeType === 1) {
    bg = getComputedStyle(node).backgroundColor;
    if (bg !== 'rgba(0, 0, 0, 0)' && bg !== 'transparent') break;
    node = node.parentElement;
  }
  if (!node || node.nodeType !== 1) bg = getComputedStyle(document.body).backgroundColor;
  return [getComputedStyle(tick).fill, bg, document.documentElement.dataset.theme];
}"""


def test_figures_follow_the_page_theme(browser, server, page):
    """Tick labels contrast with whatever is behind the figure, in light and dark mode and
    after the reader switches theme; the figure itself paints no background."""
    fill, behind, theme = page.evaluate(COLOURS)
    assert theme == "light" and contrast(fill, behind) >= 4.5, (fill, behind)
    dark = open_page(browser, f"{server}/figures.html", scheme="dark")
    dark.wait_for_function("() => document.querySelectorAll('.dlbook-plotly .main-svg')"
                           ".length >= 2", timeout=15000)
    fill, behind, theme = dark.evaluate(COLOURS)
    assert theme == "dark" and contrast(fill, behind) >= 4.5, (fill, behind)
    background = dark.evaluate("() => getComputedStyle(document.querySelector("
                               "'.dlbook-plotly .main-svg')).backgroundColor")
    assert background in ("rgba(0, 0, 0, 0)", "transparent")
    for switched in ("light", "dark"):
        dark.evaluate(f"() => {{ document.documentElement.dataset.theme = '{switched}'; }}")
        dark.wait_for_timeout(300)
        fill, behind, theme = dark.evaluate(COLOURS)
        assert theme == switched and contrast(fill, behind) >= 4.5, (switched, fill, behind)
    assert not dark.problems, dark.problems
    dark.context.close()


DIAGRAM_COLOURS = COLOURS.replace(".dlbook-plotly .xtick text", ".dlbook-diagram svg text") \
    .replace("'.dlbook-plotly'", "'.dlbook-diagram'")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_diagrams_are_inline_svg_that_follows_the_theme(browser, server, scheme):
    tab = open_page(browser, f"{server}/figures.html", scheme=scheme)
    svg = tab.locator(".dlbook-diagram svg[role=img]")
    assert svg.count() == 1
    assert svg.get_attribute("aria-label") == diagrams.lstm_cell().alt
    assert svg.bounding_box()["width"] > 400
    fill, behind, theme = tab.evaluate(DIAGRAM_COLOURS)
    assert theme == scheme and contrast(fill, behind) >= 4.5, (fill, behind)
    assert not tab.problems, tab.problems
    tab.context.close()


def test_pages_without_figures_do_not_load_plotly_js(browser, server, plotly_site):
    assert "plotly.min.js" not in (plotly_site / "other.html").read_text()
    tab = open_page(browser, f"{server}/other.html")
    assert not [u for u in tab.requests if "plotly" in u]
    assert not tab.problems, tab.problems
    tab.context.close()


def test_the_books_own_pages_load_plotly_js_once_where_they_show_a_figure(built_site):
    assert (built_site / SCRIPT).is_file()
    for html_page in sorted(p for p in built_site.rglob("*.html") if "_static" not in p.parts):
        text = html_page.read_text(encoding="utf-8", errors="replace")
        loads = len(re.findall(r'<script[^>]*src="[^"]*plotly\.min\.js', text))
        has_figure = 'class="dlbook-plotly"' in text
        assert loads == (1 if has_figure else 0), html_page.name
        assert "cdn.plot.ly" not in text and "plotly.js v" not in text, html_page.name
