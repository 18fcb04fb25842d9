"""Accessibility of the built book (issue 20 §2): axe-core on every page in light and dark mode
(no serious or critical violation), and a keyboard-only walk through a quiz and an explorer.

axe-core is vendored under tests/vendor/axe-core (MPL-2.0, see THIRD-PARTY-NOTICES.md) and
injected into each page by the test; the site never serves it.
"""

import json
import time
from pathlib import Path

import pytest
from conftest import serve_directory

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[1]
AXE = ROOT / "tests" / "vendor" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "tests" / "artifacts"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
RUN_AXE = """async (only) => {
    const result = await axe.run(document, {runOnly: only, resultTypes: ['violations']});
    return result.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
        .map(v => ({id: v.id, impact: v.impact, help: v.help,
                    nodes: v.nodes.slice(0, 4).map(n => n.target.join(' ') + ' :: '
                        + (n.failureSummary || '').split('\\n').slice(0, 3).join(' | ')),
                    count: v.nodes.length}));
}"""


def book_pages(site: Path) -> list[str]:
    pages = []          # index.html only redirects to book/intro.html
    for folder in ("book", "notebooks", "book/cheatsheets"):
        pages += sorted(p.relative_to(site).as_posix() for p in (site / folder).glob("*.html"))
    return pages


@pytest.fixture(scope="module")
def served(built_site):
    with serve_directory(built_site) as url:
        yield url, built_site


@pytest.fixture
def tab(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def axe_violations(tab, url: str, theme: str) -> list[dict]:
    """Serious and critical violations on one page. Light mode: every WCAG 2.1 A/AA rule;
    dark mode: colour contrast, the only rule the colour mode changes (half the time)."""
    tab.goto(url, wait_until="load")
    tab.evaluate("t => { document.documentElement.dataset.theme = t;"
                 " document.documentElement.dataset.mode = t; }", theme)
    tab.wait_for_timeout(600)          # the theme's colour transitions end
    tab.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    only = ({"type": "tag", "values": WCAG} if theme == "light"
            else {"type": "rule", "values": ["color-contrast"]})
    return tab.evaluate(RUN_AXE, only)


def test_axe_is_vendored_with_its_licence():
    assert AXE.is_file() and AXE.read_text(encoding="utf-8")[:40].startswith("/*! axe v4")
    assert (AXE.parent / "LICENSE").is_file()
    assert json.loads((AXE.parent / "VERSION.json").read_text())["name"] == "axe-core"


def test_every_page_passes_axe_in_light_and_dark_mode(served, tab):
    url, site = served
    pages = book_pages(site)
    assert len(pages) >= 15
    found, report = {}, []
    for page in pages:
        for theme in ("light", "dark"):
            start = time.perf_counter()
            violations = axe_violations(tab, f"{url}/{page}", theme)
            report.append(f"{page} ({theme}): {len(violations)} serious/critical rules, "
                          f"{time.perf_counter() - start:.1f} s")
            if violations:
                found[f"{page} ({theme})"] = violations
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "a11y-report.txt").write_text("\n".join(report) + "\n"
                                                + json.dumps(found, indent=1))
    assert not found, json.dumps(found, indent=1)[:6000]


def _feedback(question):
    return question.locator(".dlbook-quiz-feedback").inner_text().strip()


def test_keyboard_only_quiz_and_explorer(served, tab):
    url, _ = served
    tab.goto(f"{url}/notebooks/03_cnn.html", wait_until="load")
    # a single-choice question, reached with Tab and answered with Space
    question = tab.locator(".dlbook-question").filter(
        has=tab.locator(".dlbook-quiz-option")).first
    first_option = question.locator(".dlbook-quiz-option").first
    first_option.scroll_into_view_if_needed()
    question.locator(".dlbook-quiz-prompt").click()            # a place just before it
    for _ in range(6):
        tab.keyboard.press("Tab")
        if tab.evaluate("() => document.activeElement.classList.contains('dlbook-quiz-option')"):
            break
    assert tab.evaluate("() => document.activeElement.classList.contains('dlbook-quiz-option')")
    tab.keyboard.press("Space")
    text = _feedback(question)
    assert text.startswith(("Correct.", "Not quite.")), text
    live = question.locator(".dlbook-quiz-feedback").get_attribute("aria-live")
    assert live == "polite"
    # a static explorer: its slider moves with the arrow keys and the view follows
    explorer = tab.locator(".dlbook-explorer").filter(
        has=tab.locator("input[type=range]")).first
    slider = explorer.locator("input[type=range]").first
    slider.scroll_into_view_if_needed()
    slider.focus()
    before = explorer.locator(".dlbook-view").inner_html()
    value = slider.input_value()
    tab.keyboard.press("ArrowRight")
    if slider.input_value() == value:                        # at the right end: go left
        tab.keyboard.press("ArrowLeft")
        tab.keyboard.press("ArrowLeft")
    assert slider.input_value() != value
    assert explorer.locator(".dlbook-view").inner_html() != before
    assert slider.get_attribute("aria-label") or explorer.locator("label").count()
