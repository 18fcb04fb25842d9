"""The built site, as a reader meets it: built with -W, self-contained, and working in
headless Chromium (console errors, failed requests, links, quizzes, explorers).

Every HTML page of the build is checked, so new lectures are picked up by themselves.
Screenshots (desktop and phone width) of a failing page go to tests/artifacts/.
"""

import re
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from conftest import serve_directory

from helpers import conv

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "tests" / "artifacts"
EXTERNAL_ASSET = re.compile(
    r'<(?:script|img|iframe|source|audio|video)\b[^>]*\bsrc="(https?:)?//[^"]+"'
    r'|<link\b[^>]*\bhref="(?:https?:)?//[^"]+"[^>]*>'
    r'|@import\s+url\(["\']?(?:https?:)?//|url\(["\']?https?://', re.I)


def pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "_static" not in p.parts)


def lecture_pages(site: Path) -> list[Path]:
    return sorted((site / "notebooks").glob("[0-9][0-9]_*.html"))


# ------------------------------------------------------------------ static checks of the build

def test_book_builds_with_warnings_as_errors(built_site):
    assert (built_site / "index.html").exists()
    assert lecture_pages(built_site), "no lecture page was built"


def test_no_page_references_an_external_asset(built_site):
    offenders = []
    for page in pages(built_site):
        html = page.read_text(encoding="utf-8")
        link_tags = re.findall(r"<link\b[^>]*>", html, flags=re.I)
        html_wo_nav_links = html
        for tag in link_tags:      # <link rel="canonical"/"alternate"> may point anywhere
            if re.search(r'rel="(?:canonical|alternate|search|index|next|prev)"', tag):
                html_wo_nav_links = html_wo_nav_links.replace(tag, "")
        for match in EXTERNAL_ASSET.finditer(html_wo_nav_links):
            offenders.append(f"{page.relative_to(built_site)}: {match.group(0)[:120]}")
    for css in (built_site / "_static").rglob("*.css"):
        for match in re.finditer(r'url\(["\']?https?://[^)]+\)|@import\s+["\']?https?://[^;]+',
                                 css.read_text(encoding="utf-8", errors="ignore")):
            offenders.append(f"{css.relative_to(built_site)}: {match.group(0)[:120]}")
    assert not offenders, "external assets:\n" + "\n".join(offenders)


def test_internal_links_and_anchors_resolve(built_site):
    ids_cache: dict[Path, set[str]] = {}

    def ids(path: Path) -> set[str]:
        if path not in ids_cache:
            ids_cache[path] = set(re.findall(r'\bid="([^"]+)"',
                                             path.read_text(encoding="utf-8")))
        return ids_cache[path]

    broken = []
    for page in pages(built_site):
        for href in re.findall(r'<a\b[^>]*\bhref="([^"]+)"', page.read_text(encoding="utf-8")):
            parsed = urlparse(href)
            if parsed.scheme or href.startswith(("mailto:", "javascript:", "//")):
                continue
            target = (page.parent / unquote(parsed.path)).resolve() if parsed.path else page
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{page.relative_to(built_site)} -> {href}")
            elif parsed.fragment and target.suffix == ".html" and \
                    unquote(parsed.fragment) not in ids(target):
                broken.append(f"{page.relative_to(built_site)} -> {href} (no such anchor)")
    assert not broken, "broken internal links:\n" + "\n".join(broken)


def test_lecture_pages_have_launch_and_download_buttons(built_site):
    import sys

    import yaml

    sys.path.insert(0, str(ROOT / "scripts"))
    import sync_repo_url

    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    slug = config["repository"]["url"].removeprefix("https://github.com/")
    for page in lecture_pages(built_site):
        html = page.read_text(encoding="utf-8")
        colab = (f"https://colab.research.google.com/github/{slug}/blob/"
                 f"{sync_repo_url.site_ref()}/notebooks/{page.stem}.ipynb")
        assert colab in html, f"{page.name}: no Colab launch link {colab}"
        assert f"_sources/notebooks/{page.stem}.ipynb" in html, "no download-notebook button"
        assert (built_site / "_sources" / "notebooks" / f"{page.stem}.ipynb").exists()


def test_pages_stay_small_and_runtime_is_loaded_once(built_site, capsys):
    sizes = {page: page.stat().st_size for page in pages(built_site)}
    heaviest = max(sizes, key=sizes.get)
    total = sum(p.stat().st_size for p in built_site.rglob("*") if p.is_file())
    report = (f"site: {len(sizes)} pages; heaviest page {heaviest.relative_to(built_site)} "
              f"{sizes[heaviest] / 1e3:.0f} kB; total size {total / 1e6:.1f} MB")
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "site-report.txt").write_text(report + "\n" + "\n".join(
        f"{size / 1e3:8.0f} kB  {page.relative_to(built_site)}"
        for page, size in sorted(sizes.items(), key=lambda item: -item[1])) + "\n")
    with capsys.disabled():
        print("\n" + report)
    for page in lecture_pages(built_site):
        html = page.read_text(encoding="utf-8")
        assert 'class="dlbook-runtime"' not in html, "inline runtime copies were not stripped"
        assert html.count("_static/dlbook.js") == 1
        assert sizes[page] <= 1_500_000, \
            f"{page.name} is {sizes[page] / 1e6:.2f} MB (budget 1.5 MB)"


# ------------------------------------------------------------------------------ in a browser

@pytest.fixture(scope="module")
def server(built_site):
    with serve_directory(built_site) as url:
        yield url


class PageWatch:
    """Open a page and record console errors, uncaught exceptions and failed requests."""

    def __init__(self, browser, url, width=1280, height=900, dark=False):
        self.context = browser.new_context(viewport={"width": width, "height": height},
                                           color_scheme="dark" if dark else "light")
        self.page = self.context.new_page()
        self.problems: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.problems.append(
            f"console: {m.text}"))
        self.page.on("pageerror", lambda e: self.problems.append(f"exception: {e}"))
        self.page.on("requestfailed", lambda r: self.problems.append(
            f"request failed: {r.url} ({r.failure})"))
        self.page.on("response", lambda r: r.status >= 400 and self.problems.append(
            f"HTTP {r.status}: {r.url}"))
        self.page.goto(url, wait_until="load")
        self.page.wait_for_timeout(300)

    def screenshot(self, name):
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{name}-desktop.png"), full_page=False)
        self.page.set_viewport_size({"width": 390, "height": 844})
        self.page.screenshot(path=str(ARTIFACTS / f"{name}-phone.png"), full_page=False)

    def close(self):
        self.context.close()


def test_every_page_loads_cleanly(built_site, server, browser):
    failures = []
    for path in pages(built_site):
        relative = path.relative_to(built_site).as_posix()
        watch = PageWatch(browser, f"{server}/{relative}")
        empty = watch.page.evaluate("""() => {
            const bad = [];
            document.querySelectorAll('.cell_output img').forEach(img => {
                if (!img.complete || !img.naturalWidth) bad.push('image ' + img.src.slice(0, 60));
            });
            document.querySelectorAll('.dlbook-explorer, .dlbook-quiz').forEach(el => {
                if (el.getBoundingClientRect().height < 20) bad.push('empty ' + el.className);
            });
            document.querySelectorAll('.dlbook-explorer').forEach(el => {
                const view = el.querySelector('.dlbook-view');
                if (!view || !view.innerHTML) bad.push('explorer not drawn');
            });
            return bad;
        }""")
        _wait_for_maths(watch.page)
        tex = watch.page.evaluate(UNRENDERED_TEX)     # $, \frac, \in ... outside MathJax
        problems = watch.problems + empty + [f"unrendered TeX: {t!r}" for t in tex[:5]]
        if problems:
            watch.screenshot(relative.replace("/", "_").removesuffix(".html"))
            failures.append(f"{relative}: " + "; ".join(problems))
        watch.close()
    assert not failures, "\n".join(failures)


def test_maths_is_typeset_offline(built_site, server, browser):
    page = lecture_pages(built_site)[0]
    watch = PageWatch(browser, f"{server}/notebooks/{page.name}")
    watch.page.wait_for_selector("mjx-container", state="attached", timeout=15000)
    assert watch.page.locator("mjx-container").count() > 10
    assert not watch.problems, watch.problems
    watch.close()


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_quiz_answer_shows_feedback(built_site, server, browser, dark):
    for page in lecture_pages(built_site):
        watch = PageWatch(browser, f"{server}/notebooks/{page.name}", dark=dark)
        question = watch.page.locator(       # single choice: a click answers it
            ".dlbook-question:has(.dlbook-quiz-option):not(:has(.dlbook-quiz-check))").first
        question.scroll_into_view_if_needed()
        feedback = question.locator(".dlbook-quiz-feedback")
        assert feedback.inner_text().strip() == ""
        question.locator(".dlbook-quiz-option").first.click()
        text = feedback.inner_text()
        assert text.startswith(("Correct.", "Not quite.")) and len(text) > 20, text
        numeric = watch.page.locator(".dlbook-question:has(.dlbook-quiz-input)").first
        if numeric.count():
            numeric.locator(".dlbook-quiz-input").fill("-12345")
            numeric.locator(".dlbook-quiz-check").click()
            assert numeric.locator(".dlbook-quiz-feedback").inner_text().startswith("Not quite.")
        assert not watch.problems, watch.problems
        watch.close()


def _set_range(locator, value):
    locator.evaluate("(el, v) => { el.value = v; el.dispatchEvent(new Event('input')); }",
                     str(value))


def test_every_static_explorer_responds_to_its_slider(built_site, server, browser):
    for page in lecture_pages(built_site):
        watch = PageWatch(browser, f"{server}/notebooks/{page.name}")
        # precomputed-state explorers, and explorers whose page script mirrors the Python
        # (data-explorer="script", e.g. Lecture 10's BPE stepper) with a data-explorer-view
        explorers = watch.page.locator(".dlbook-explorer, [data-explorer]")
        assert explorers.count() >= 1, f"{page.name} has no static explorer"
        for index in range(explorers.count()):
            explorer = explorers.nth(index)
            view = explorer.locator(".dlbook-view, [data-explorer-view]").first
            before = view.inner_html()
            slider = explorer.locator("input[type=range]").first
            maximum = int(slider.get_attribute("max"))
            current = int(slider.input_value())
            _set_range(slider, maximum if current != maximum else 0)
            assert view.inner_html() != before, f"{page.name}: explorer {index} did not change"
        assert not watch.problems, watch.problems
        watch.close()


def test_calculator_draws_and_explains(built_site, server, browser):
    page = next(p for p in lecture_pages(built_site) if "conv-calculator" in p.read_text())
    watch = PageWatch(browser, f"{server}/notebooks/{page.name}")
    calc = watch.page.locator('.dlbook-explorer[data-kind="conv-calculator"]').first
    calc.scroll_into_view_if_needed()
    result = calc.locator(".dlbook-conv-result")
    assert "Output size: 3 × 3" in result.inner_text()
    windows_before = calc.locator("rect.dlbook-cell-window").count()
    _set_range(calc.locator('input[data-name="s"]'), 1)
    assert "Output size: 5 × 5" in result.inner_text()
    assert calc.locator("rect.dlbook-cell-window").count() == windows_before
    _set_range(calc.locator('input[data-name="n"]'), 3)
    _set_range(calc.locator('input[data-name="k"]'), 5)
    assert "Impossible setting" in result.inner_text()
    watch.page.select_option('.dlbook-explorer[data-kind="conv-calculator"] select', "same")
    assert "Output size: 3 × 3" in result.inner_text()
    assert not watch.problems, watch.problems
    watch.close()


def test_page_arithmetic_agrees_with_helpers(built_site, server, browser):
    """The calculator's JavaScript mirror of output_size agrees with helpers.conv."""
    page = lecture_pages(built_site)[0]
    watch = PageWatch(browser, f"{server}/notebooks/{page.name}")
    cases = [(n, k, s, p, d) for n in range(1, 17) for k in range(1, 8) for s in range(1, 5)
             for p in ("valid", "same", 0, 1, 2, 3) for d in (1, 2, 3)]
    results = watch.page.evaluate(
        "cases => cases.map(c => { const r = DLBook.convOutput(...c); "
        "return r.ok ? r.out : null; })", cases)
    mismatches = []
    for case, got in zip(cases, results, strict=True):
        try:
            expected = conv.output_size(*case)
        except ValueError:
            expected = None
        if got != expected:
            mismatches.append((case, got, expected))
    assert not mismatches, mismatches[:10]
    watch.close()


def test_phone_width_has_no_horizontal_scroll(built_site, server, browser):
    for path in pages(built_site):
        relative = path.relative_to(built_site).as_posix()
        if relative in ("genindex.html", "search.html"):
            continue
        watch = PageWatch(browser, f"{server}/{relative}", width=390, height=844)
        _wait_for_maths(watch.page)
        # a display equation wider than the column scrolls inside its own box, whose edge
        # shadows show that there is more; nothing is cut off by the page
        equations = watch.page.evaluate(WIDE_EQUATIONS)
        assert not equations, f"{relative} at phone width: {equations}"
        overflow = watch.page.evaluate(
            "() => document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 2:
            watch.screenshot("overflow-" + relative.replace("/", "_").removesuffix(".html"))
        assert overflow <= 2, f"{relative} scrolls sideways by {overflow}px at phone width"
        watch.close()


def test_search_works_offline(built_site, server, browser):
    watch = PageWatch(browser, f"{server}/search.html?q=convolution")
    watch.page.wait_for_selector("#search-results li", timeout=15000)
    results = watch.page.locator("#search-results li")
    assert results.count() >= 1
    hrefs = [results.nth(i).locator("a").first.get_attribute("href")
             for i in range(results.count())]
    assert any("03_cnn" in (href or "") for href in hrefs), hrefs
    assert not watch.problems, watch.problems
    watch.close()


def test_cheat_sheets_print_on_at_most_two_a4_pages(built_site, server, browser):
    """Each cheat sheet prints (Chromium's print-to-PDF, A4) on at most two pages."""
    sheets = sorted((built_site / "book" / "cheatsheets").glob("*.html"))
    assert len(sheets) >= len(lecture_pages(built_site))
    for sheet in sheets:
        watch = PageWatch(browser, f"{server}/book/cheatsheets/{sheet.name}")
        watch.page.emulate_media(media="print")
        watch.page.wait_for_timeout(500)
        pdf = watch.page.pdf(format="A4", print_background=True)
        pages_printed = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
        assert 1 <= pages_printed <= 2, f"{sheet.name} prints on {pages_printed} pages"
        assert watch.page.locator(".bd-sidebar-primary").evaluate(
            "el => getComputedStyle(el).display") == "none", "navigation printed"
        watch.close()


# ------------------------------------------------------------- reading: what the page shows

def _lecture_html(site: Path) -> dict[str, str]:
    return {page.name: page.read_text(encoding="utf-8") for page in lecture_pages(site)}


def test_pages_hide_test_markers_and_quiz_calls(built_site):
    """nbval markers and bare show_quiz(...) / explorer calls are not shown to the reader."""
    for name, html in _lecture_html(built_site).items():
        assert "NBVAL_" not in html, f"{name}: an # NBVAL_ marker is shown"
        calls = re.findall(r'<span class="n">(show_quiz|practice_quiz)</span><span class="p">\(',
                           html)
        assert not calls, f"{name}: {len(calls)} quiz calls are shown above their quizzes"
        if "dlbook-quiz" in html:
            assert "dlbook-input-removed" in html
        assert html.count("dlbook-banner") == 1, f"{name}: no one-line environment banner"


def test_extension_hides_only_single_interactive_calls():
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "dlbook_sphinx", ROOT / "book" / "_ext" / "dlbook_sphinx.py")
    ext = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ext)
    quiz_html = '<div class="dlbook-quiz">'
    assert ext.is_interactive_call('show_quiz("03", "pooling")', quiz_html)
    assert ext.is_interactive_call("# NBVAL_IGNORE_OUTPUT\npractice_quiz(count=3)", "")
    assert ext.is_interactive_call("sequences.cosine_explorer()", "")
    assert ext.is_interactive_call('widgets.conv_calculator(\n    input_size=7)', "")
    assert ext.is_interactive_call("vision.show(x)", '<div class="dlbook-explorer" ')
    assert not ext.is_interactive_call("photo = load()\nwidgets.kernel_gallery(photo)", "")
    assert not ext.is_interactive_call("model.fit(x, y)", "<pre>loss</pre>")
    assert not ext.is_interactive_call("%timeit show_quiz()", quiz_html)
    assert ext.strip_nbval_markers("# NBVAL_CHECK_OUTPUT\nx = 1\n  # NBVAL_SKIP\n") == "x = 1\n"


def test_figures_have_real_alt_text(built_site):
    """Every image in a lecture says what it shows (MyST-NB reads metadata.mystnb.image.alt);
    a hash file name is not a description."""
    missing = []
    for name, html in _lecture_html(built_site).items():
        for tag in re.findall(r"<img\b[^>]*>", html):
            # explorer states carry their images as escaped markup (alt=\"...\")
            alt = re.search(r'\balt=\\?"(.*?)\\?"', tag)
            text = alt.group(1).strip() if alt else ""
            if len(text) < 3 or re.search(r"[0-9a-f]{16}|\.(png|jpe?g|svg|gif)$", text, re.I):
                missing.append(f"{name}: {tag[:110]}")
    assert not missing, f"{len(missing)} images without alt text:\n" + "\n".join(missing)


def test_glossary_entries_link_back_to_lectures(built_site):
    html = (built_site / "book" / "glossary.html").read_text(encoding="utf-8")
    lists = re.findall(r'<p class="dlbook-taught-in">(.*?)</p>', html, flags=re.S)
    assert len(lists) >= 10, f"only {len(lists)} glossary entries say where they are taught"
    assert all(re.search(r'href="\.\./notebooks/\d\d_\w+\.html#[\w-]+"', item) for item in lists)


def test_preface_explains_the_sources(built_site):
    html = (built_site / "book" / "preface.html").read_text(encoding="utf-8")
    assert 'id="sources"' in html
    for name in ("ELEN 521", "FIT3181", "outline deck"):
        assert name in html, f"the preface does not say what {name} is"


# ------------------------------------------------------------------- reading, in a browser

WIDE_EQUATIONS = """() => {
    const article = document.querySelector('.bd-article');
    if (!article) return [];
    const box = article.getBoundingClientRect();
    return [...article.querySelectorAll('mjx-container[display="true"]')].map((el, i) => {
        const s = getComputedStyle(el), r = el.getBoundingClientRect();
        if (r.right > box.right + 1 || r.left < box.left - 1)
            return `display equation ${i} sticks out of the page`;
        if (el.scrollWidth > el.clientWidth + 1 && !(['auto', 'scroll'].includes(s.overflowX)
                && s.backgroundImage.includes('gradient')))
            return `wide display equation ${i} is cut off with no scroll cue`;
        return null;
    }).filter(Boolean);
}"""
UNRENDERED_TEX = """() => {
    const root = document.querySelector('.bd-article');
    if (!root) return [];
    const skip = 'mjx-container, pre, code, script, style, textarea, .dlbook-quiz-data, '
               + 'mjx-assistive-mml, .highlight';
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {acceptNode:
        n => n.parentElement.closest(skip) ? NodeFilter.FILTER_REJECT
                                           : NodeFilter.FILTER_ACCEPT});
    const bad = [];
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const t = n.textContent;
        if (/\\$|\\\\[a-zA-Z]{2,}|\\\\[(\\[]/.test(t)) bad.push(t.trim().slice(0, 80));
    }
    return bad;
}"""


def _wait_for_maths(page):
    page.evaluate("async () => { if (window.MathJax && MathJax.startup) "
                  "await MathJax.startup.promise; }")


OVERFLOWING_CELLS = """() => {
    const found = [];
    document.querySelectorAll('.bd-article div.cell').forEach((cell, index) => {
        const parts = [...cell.querySelectorAll('.cell_input pre')].map(e => ['code', e]).concat(
            [...cell.querySelectorAll('.cell_output pre, .cell_output .output, '
                                      + '.cell_output table')].map(e => ['output', e]));
        for (const [kind, el] of parts) {
            if (el.checkVisibility() && el.scrollWidth > el.clientWidth + 2) {
                const heading = cell.closest('section')?.querySelector('h1, h2, h3');
                const lines = el.innerText.split('\\n');
                const longest = lines.reduce((a, b) => b.length > a.length ? b : a, '');
                found.push(`${kind} of cell ${index} in "${heading ? heading.innerText
                    .replace('#', '').trim() : '?'}" (+${el.scrollWidth - el.clientWidth}px): `
                    + longest.trim().slice(0, 70));
                break;
            }
        }
    });
    return found;
}"""
MAX_OVERFLOWING_CELLS = 3


def test_code_and_outputs_fit_the_column_at_1280(built_site, server, browser):
    """At 1280 px the text column holds an 88-character line; cells that still need sideways
    scrolling are listed (their owners shorten the lines) and a page fails above a few."""
    report, failing = [], []
    for page in lecture_pages(built_site):
        watch = PageWatch(browser, f"{server}/notebooks/{page.name}")
        width = watch.page.evaluate(
            "() => document.querySelector('.bd-article div.cell_input pre').clientWidth")
        assert width >= 88 * 8.4 + 24, f"code column is only {width}px wide at 1280px"
        found = watch.page.evaluate(OVERFLOWING_CELLS)
        report.append(f"{page.name}: {len(found)} cells overflow\n  " + "\n  ".join(found))
        if len(found) > MAX_OVERFLOWING_CELLS:
            failing.append(page.name)
        watch.close()
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "overflowing-cells.txt").write_text("\n".join(report) + "\n")
    assert not failing, "\n".join(r for r in report if r.split(":")[0] in failing)


def _visible(locator) -> bool:
    return locator.count() > 0 and locator.first.is_visible()


def _no_tooltip_left(page):
    return page.locator(".tooltip.show").count() == 0


@pytest.mark.parametrize("width", [390, 1000, 1280])
def test_sidebars_open_and_their_links_work(built_site, server, browser, width):
    """The visible ☰ and contents buttons open the navigation and page contents, leave no
    tooltip behind, and a link followed from each panel arrives."""
    start = "book/preface.html"       # a short page with sections: quick to load
    watch = PageWatch(browser, f"{server}/{start}", width=width, height=844)
    page = watch.page
    toggle = page.locator(".bd-header-article .primary-toggle")
    assert toggle.is_visible(), "no visible navigation (☰) button"
    sidebar = page.locator("#pst-primary-sidebar")
    if width < 992:
        toggle.click()
        dialog = page.locator("#pst-primary-sidebar-modal")
        dialog.wait_for(state="visible", timeout=3000)
        assert _no_tooltip_left(page), "a tooltip stays over the header icons"
        link = dialog.locator("nav.bd-docs-nav a.reference.internal", has_text="Glossary")
    else:
        assert sidebar.is_visible()
        toggle.click()
        page.wait_for_timeout(400)
        assert not sidebar.is_visible() or sidebar.bounding_box()["width"] < 5, \
            "☰ does not close the navigation at 1280 px"
        toggle.click()
        page.wait_for_timeout(400)
        assert sidebar.is_visible(), "☰ does not reopen the navigation at 1280 px"
        link = sidebar.locator("nav.bd-docs-nav a.reference.internal", has_text="Glossary")
    link.first.click()
    page.wait_for_url("**/book/glossary.html", timeout=5000)
    page.wait_for_load_state("load")

    page.goto(f"{server}/{start}", wait_until="load")
    secondary = page.locator(".bd-header-article .secondary-toggle")
    if width < 1200:
        assert secondary.is_visible(), "no visible page-contents button"
        secondary.click()
        panel = page.locator("#pst-secondary-sidebar-modal")
        panel.wait_for(state="visible", timeout=3000)
        assert _no_tooltip_left(page), "a tooltip stays over the header icons"
    else:
        panel = page.locator("#pst-secondary-sidebar")
        assert panel.is_visible(), "page contents are not shown at 1280 px"
    entry = panel.locator("a.nav-link[href^='#']:visible").nth(2)
    target = entry.get_attribute("href")
    entry.click()
    page.wait_for_timeout(300)
    assert page.evaluate("() => location.hash") == target
    heading = page.locator(target).first
    assert heading.bounding_box()["y"] < 400, "the contents link did not scroll to its section"
    # leaving a page cancels its pending requests (the favicon): not a fault of the page
    problems = [p for p in watch.problems if "ERR_ABORTED" not in p]
    assert not problems, problems
    watch.close()


def test_one_search_box_and_hits_land_at_their_section(built_site, server, browser):
    watch = PageWatch(browser, f"{server}/notebooks/{lecture_pages(built_site)[0].name}")
    boxes = watch.page.locator(".search-button-field")
    visible = [i for i in range(boxes.count()) if boxes.nth(i).is_visible()]
    assert len(visible) == 1, f"{len(visible)} search boxes are shown at 1280 px"
    box = boxes.nth(visible[0]).bounding_box()      # in view, however far the nav scrolled
    assert 0 <= box["y"] < 200, f"the search box is out of view (y = {box['y']})"
    watch.page.goto(f"{server}/search.html?q=receptive", wait_until="load")
    watch.page.wait_for_selector("#search-results li a", timeout=15000)
    hit = watch.page.locator("#search-results li a[href*='notebooks/']:not([href*='#'])").first
    with watch.page.expect_navigation():
        hit.click()
    watch.page.wait_for_timeout(500)
    hash_ = watch.page.evaluate("() => location.hash")
    assert hash_, "a search hit opened its page at the top"
    assert watch.page.evaluate("() => window.scrollY") > 300
    assert watch.page.locator(f"{hash_} span.highlighted").count() >= 1
    assert not watch.problems, watch.problems
    watch.close()


def test_markdown_term_links_resolve_and_glossary_links_back(tmp_path):
    """[CNN](#CNN) (how scripts/stamp_notebooks.py writes a {term} role) reaches the glossary
    entry in a -W build, and the entry's "Taught in" list links back to the section."""
    from sphinx.cmd.build import build_main

    (tmp_path / "notebooks").mkdir()
    (tmp_path / "book").mkdir()
    (tmp_path / "conf.py").write_text(
        f"import sys\nsys.path.insert(0, {str(ROOT / 'book' / '_ext')!r})\n"
        + "extensions = ['myst_parser', 'dlbook_sphinx']\nexclude_patterns = ['_build']\n")
    (tmp_path / "index.md").write_text(
        "# Book\n\n```{toctree}\nnotebooks/lecture\nbook/glossary\n```\n")
    (tmp_path / "book" / "glossary.md").write_text(
        "# Glossary\n\n```{glossary}\nCNN\n  A convolutional network.\n\n"
        "Receptive field\n  The input patch an output sees.\n```\n")
    (tmp_path / "notebooks" / "lecture.md").write_text(
        "# Lecture 42 · Test\n\n## 2. Pooling\n\nA [CNN](#CNN) with a "
        "[receptive field](#Receptive%20field) and a {term}`cnn`.\n")
    out = tmp_path / "_build"
    assert build_main(["-W", "-q", "-b", "html", str(tmp_path), str(out)]) == 0
    lecture = (out / "notebooks" / "lecture.html").read_text(encoding="utf-8")
    assert lecture.count('href="../book/glossary.html#term-CNN"') == 2
    assert 'href="../book/glossary.html#term-Receptive-field"' in lecture
    glossary = (out / "book" / "glossary.html").read_text(encoding="utf-8")
    taught = re.findall(r'<p class="dlbook-taught-in">(.*?)</p>', glossary, flags=re.S)
    assert len(taught) == 2
    assert all('href="../notebooks/lecture.html#pooling">Lecture 42, 2. Pooling' in t
               for t in taught), taught
