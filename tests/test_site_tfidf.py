"""Lecture 07's TF-IDF calculator in the built book: the page computes TF-IDF itself.

Its JavaScript (helpers.widgets.sequences.TFIDF_JS) mirrors helpers.text.tokenize and
helpers.text.tf_idf; this test runs both on random documents in headless Chromium and compares
them, then uses the text box as a reader does (own documents, empty input, a line with no
words, a prepared set, the view menu). Skipped without chromium, like tests/test_site.py.
"""

import math

import numpy as np
import pytest
from conftest import serve_directory

from helpers import text

pytestmark = pytest.mark.slow
WORDS = ["the", "The", "cat", "sat", "über", "naïve", "don't", "jam", "a", "1984", "x_y",
         "apricot", "Jam", "pinch"]


@pytest.fixture(scope="module")
def page(built_site, browser):
    lecture = next((built_site / "notebooks").glob("07_*.html"))
    with serve_directory(built_site) as url:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        tab = context.new_page()
        tab.problems = []
        tab.on("console", lambda m: m.type == "error" and tab.problems.append(m.text))
        tab.on("pageerror", lambda e: tab.problems.append(str(e)))
        tab.goto(f"{url}/notebooks/{lecture.name}", wait_until="load")
        tab.wait_for_function("() => window.DLBookTfidf !== undefined", timeout=10000)
        yield tab
        context.close()


def random_documents(rng):
    count = int(rng.integers(1, 7))
    return [" ".join(rng.choice(WORDS, size=int(rng.integers(1, 12))))
            + str(rng.choice(["", ",", "!", " ...", "?"])) for _ in range(count)]


def test_page_tfidf_agrees_with_helpers_on_random_documents(page):
    rng = np.random.default_rng(7)
    cases = [random_documents(rng) for _ in range(300)]
    results = page.evaluate(
        "cases => cases.map(c => { const r = DLBookTfidf.tfIdf(c); "
        "return [r.vocab, r.idf, r.matrix]; })", cases)
    for documents, (vocab, idf, matrix) in zip(cases, results, strict=True):
        expected = text.tf_idf(documents)
        assert vocab == expected.vocab, documents
        np.testing.assert_allclose(idf, expected.idf, rtol=0, atol=1e-12)
        np.testing.assert_allclose(matrix, expected.matrix, rtol=0, atol=1e-12)
    assert not page.problems, page.problems


def test_text_box_computes_the_readers_documents(page):
    calculator = page.locator(".dlbook-tfidf-calc").first
    calculator.scroll_into_view_if_needed()
    box, output = calculator.locator("textarea"), calculator.locator(".dlbook-tfidf-out")
    assert "this" in output.inner_text()                    # the notes' example at the start
    box.fill("the cat sat\nthe cat ran\na dog ran")
    rows = {row.locator("td").first.inner_text(): row.locator("td").all_inner_texts()
            for row in output.locator("tbody tr").all()}
    assert set(rows) == {"the", "cat", "sat", "ran", "a", "dog"}
    assert rows["the"][2] == f"{math.log(3 / 2):.3f}"       # IDF = ln(3/2)
    assert rows["sat"][3] == f"{math.log(3) / 3:.3f}"       # TF-IDF(sat, d1) = 1/3 · ln 3
    box.fill("   \n\n")
    assert "type at least one document" in output.inner_text()
    box.fill("apricot jam\n!!!")
    assert "line 2 has no words" in output.inner_text()
    calculator.locator(".dlbook-tfidf-preset").select_option("recipes")
    assert "apricot" in box.input_value() and "Cannot compute" not in output.inner_text()
    calculator.locator(".dlbook-tfidf-view").select_option("counts")
    assert "showing counts" in output.inner_text()
    assert not page.problems, page.problems


def test_controls_keep_their_width(page):
    calculator = page.locator(".dlbook-tfidf-calc").first
    preset = calculator.locator(".dlbook-tfidf-preset")
    widths = set()
    for name in ("recipes", "dogs and cats", "the notes' example", "royals and capitals"):
        preset.select_option(name)
        widths.add(round(preset.bounding_box()["width"]))
    assert len(widths) == 1, widths
