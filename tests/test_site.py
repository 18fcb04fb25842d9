"""The built site, as a reader meets it: built with -W, self-contained, and working in
headless Chromium (console errors, failed requests, links, quizzes, explorers).

Every HTML page of the build is checked, so new lectures are picked up by themselves.
Screenshots (desktop and phone width) of a failing page go to tests/artifacts/.
"""

import functools
import http.server
import os
import re
import shutil
import threading
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from helpers import conv

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
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
    import yaml

    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    slug = config["repository"]["url"].removeprefix("https://github.com/")
    for page in lecture_pages(built_site):
        html = page.read_text(encoding="utf-8")
        colab = (f"https://colab.research.google.com/github/{slug}/blob/"
                 f"{config['repository']['branch']}/notebooks/{page.stem}.ipynb")
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
        assert sizes[page] < 2_500_000, f"{page.name} is {sizes[page] / 1e6:.1f} MB"


# ------------------------------------------------------------------------------ in a browser

class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server(built_site):
    handler = functools.partial(QuietHandler, directory=str(built_site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM:
        if os.environ.get("DLBOOK_REQUIRE_BROWSER"):
            pytest.fail("chromium is not installed (.ci/run installs Debian's chromium)")
        pytest.skip("chromium not installed: apt-get install chromium to run browser tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


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
        problems = watch.problems + empty
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
        question = watch.page.locator(".dlbook-question:has(.dlbook-quiz-option)").first
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
        explorers = watch.page.locator(".dlbook-explorer")
        assert explorers.count() >= 1
        for index in range(explorers.count()):
            explorer = explorers.nth(index)
            view = explorer.locator(".dlbook-view")
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


def test_cheat_sheets_print_to_a_few_a4_pages(built_site, server, browser):
    """Each cheat sheet prints (Chromium's print-to-PDF, A4) on at most three pages."""
    sheets = sorted((built_site / "book" / "cheatsheets").glob("*.html"))
    assert len(sheets) >= len(lecture_pages(built_site))
    for sheet in sheets:
        watch = PageWatch(browser, f"{server}/book/cheatsheets/{sheet.name}")
        watch.page.emulate_media(media="print")
        watch.page.wait_for_timeout(500)
        pdf = watch.page.pdf(format="A4", print_background=True)
        pages_printed = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
        assert 1 <= pages_printed <= 3, f"{sheet.name} prints on {pages_printed} pages"
        assert watch.page.locator(".bd-sidebar-primary").evaluate(
            "el => getComputedStyle(el).display") == "none", "navigation printed"
        watch.close()
