"""The quiz runtime in a browser: numbers read as in Python, hints before solutions,
practice sets that draw new questions, and hydration that survives broken outputs.

No book build: each test writes a small page the way the two hosts make one.

* book: the runtime loaded once in the page head (as ``_static/dlbook.js``), outputs with their
  inline runtime copies stripped (``book/_ext/dlbook_sphinx.py``'s pattern);
* notebook: no runtime in the head; outputs inserted one by one as JupyterLab inserts HTML
  (``innerHTML``, then each script re-created so that it runs), each carrying its own inline
  copy and hydrating itself; an untrusted output keeps its markup but loses every script.

Runs in the system chromium through Playwright (skipped without it, like tests/test_site.py);
the number-reading table also runs under node where there is no chromium.
"""

import importlib.util
import json
import math
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from helpers import explorers, quiz, runtime

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[1]
NODE = shutil.which("node")

# what readers type: accepted by both readers or rejected by both, with the same message
NUMBER_INPUTS = [
    "614,656", "614 656", "614\u00a0656", "614\u202f656", "1,234,567", "1 234 567",
    "1,234 567", "12,345.5", "+3", "-3", "\u22123", "\u2212 3", "2,5", "0,75", "-0,5", "2,500",
    "1,23", "1,2345", "1e-3", "1E3", "-2.5e+2", "+.5", ".5", "5.", "17", " 17 ", "\t17\n",
    "17abc", "abc", "", "   ", "1.2.3", "1,,000", "1,00,000", "12,34,567", "1 234,5",
    "1.234,5", "3/4", "0x10", "inf", "nan", "1e999", "-1e999", "1_000", "١٢", "17 ", "17.",
    "--3", "+-3", "3-", "e5", "1e", "1e+", ",5", "5,", "1 2", "1  234", "00017", "0.000001",
]


def js_parse_results(inputs, source=ROOT / "helpers" / "static" / "dlbook.js"):
    """DLBook.parseNumber on each input, run by node (no DOM needed)."""
    script = ("global.window = {}; global.document = {readyState: 'complete', "
              "querySelectorAll: () => []};"
              f"require({json.dumps(str(source))});"
              "const cases = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
              "process.stdout.write(JSON.stringify(cases.map(window.DLBook.parseNumber)));")
    done = subprocess.run([NODE, "-e", script], input=json.dumps(inputs), text=True,
                          capture_output=True, timeout=60, check=True)
    return json.loads(done.stdout)


def python_parse(text):
    try:
        return {"ok": True, "value": quiz.parse_number(text)}
    except ValueError as error:
        return {"ok": False, "message": str(error)}


def assert_same_reading(inputs, results):
    for text, got in zip(inputs, results, strict=True):
        expected = python_parse(text)
        assert got["ok"] == expected["ok"], (text, got, expected)
        if expected["ok"]:
            assert got["value"] == expected["value"], (text, got, expected)
        else:
            assert got["message"] == expected["message"], (text, got, expected)


def test_python_reads_numbers_as_readers_type_them():
    assert quiz.parse_number("614,656") == 614656
    assert quiz.parse_number("614 656") == 614656
    assert quiz.parse_number("+3") == 3 and quiz.parse_number("\u22123") == -3
    assert quiz.parse_number("2,5") == 2.5 and quiz.parse_number("1e-3") == 0.001
    for bad in ("17abc", "1.2.3", "1,234 567", "١٢", "1e999", ""):
        with pytest.raises(ValueError):
            quiz.parse_number(bad)
    with pytest.raises(ValueError, match="17abc.*nothing after the number"):
        quiz.parse_number("17abc")


@pytest.mark.skipif(not NODE, reason="node is not installed")
def test_node_reads_numbers_like_python(tmp_path):
    assert_same_reading(NUMBER_INPUTS, js_parse_results(NUMBER_INPUTS))
    compact = tmp_path / "compact.js"             # the copy inlined into notebook outputs
    compact.write_text(runtime.compact_js(runtime.runtime_js()), encoding="utf-8")
    assert "\n" not in compact.read_text(encoding="utf-8")
    assert_same_reading(NUMBER_INPUTS, js_parse_results(NUMBER_INPUTS, compact))


def test_compacting_keeps_line_breaks_where_joining_could_change_the_meaning():
    assert runtime.compact_js("var a = 1; /* note */\n  var b = 2;\n") == "var a = 1; var b = 2;"
    hazard = "var f = function () {}\n(g)();\n"          # joined, f would be called
    assert runtime.compact_js(hazard) == "var f = function () {}\n(g)();"
    assert "\n" in runtime.compact_js("var a = 1; // a comment\nvar b = 2;")
    assert runtime.compact_js("var s = 'x' +\n  ('y');") == "var s = 'x' + ('y');"
    assert runtime.compact_css(".a { color: red; } /* c */\n\n.b {}") == ".a { color: red; } .b {}"


# ------------------------------------------------------------------------------ pages

def _strip_inline_runtime(html: str) -> str:
    spec = importlib.util.spec_from_file_location(
        "dlbook_sphinx", ROOT / "book" / "_ext" / "dlbook_sphinx.py")
    ext = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ext)
    return ext.INLINE_RUNTIME.sub("", html)


def _untrusted(html: str) -> str:
    """What JupyterLab's sanitiser leaves of an untrusted output: no scripts at all."""
    return re.sub(r"<script\b.*?</script>", "", html, flags=re.DOTALL)


def book_page(outputs: list[str]) -> str:
    body = "".join(f'<div class="cell_output">{_strip_inline_runtime(o)}</div>'
                   for o in outputs)
    return ("<!doctype html><html><head><meta charset='utf-8'>"
            f"<style>{runtime.runtime_css()}</style><script>{runtime.runtime_js()}</script>"
            f"</head><body>{body}</body></html>")


INSERT_LIKE_JUPYTERLAB = """outputs => { for (const html of outputs) {
    const host = document.createElement('div'); host.className = 'jp-OutputArea-output';
    document.body.appendChild(host); host.innerHTML = html;
    host.querySelectorAll('script').forEach(old => {
        const s = document.createElement('script');
        for (const a of old.attributes) s.setAttribute(a.name, a.value);
        s.textContent = old.textContent; old.parentNode.replaceChild(s, old); });
} }"""


def custom_question(**fields):
    question = {"id": "custom", "type": "single", "prompt": "Pick", "explanation":
                "WORKED-SOLUTION text.",
                "options": [{"text": "right", "correct": True, "feedback": "FB-right."},
                            {"text": "wrong one", "correct": False, "feedback": "FB-one."},
                            {"text": "wrong two", "correct": False, "feedback": "FB-two."}]}
    question.update(fields)
    return quiz.validate_question(question)


def big_numeric():
    """A numeric question whose answer, 614656, readers type with separators."""
    return quiz.validate_question({
        "id": "big", "type": "numeric", "prompt": "How many?", "hint": "HINT: count again.",
        "explanation": "WORKED: 614,656.",
        "answer": {"call": "helpers.conv.output_size",
                   "kwargs": {"input_size": 614656, "kernel_size": 1}}})


def quiz_html(questions, title="Quiz") -> str:
    return quiz.HTMLBlock(quiz.render_quiz(questions, title), title)._repr_html_()




@pytest.fixture
def tab(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.problems = []
    page.on("console", lambda m: m.type == "error" and page.problems.append(m.text))
    page.on("pageerror", lambda e: page.problems.append(str(e)))
    yield page
    context.close()


def test_page_reads_numbers_like_python(tab):
    tab.set_content(book_page([]))
    results = tab.evaluate("cases => cases.map(DLBook.parseNumber)", NUMBER_INPUTS)
    assert_same_reading(NUMBER_INPUTS, results)
    # tolerances: absolute plus relative, as helpers.quiz.numeric_matches
    cases = []
    for value, tol, rel in [(100, 0, 0.01), (0.25, 0.006, 0), (614656, 0, 0), (-3.5, 0, 0.1)]:
        question = {"value": value, "tolerance": tol, "rel_tolerance": rel}
        for guess in (value, value * 1.005, value * 1.02, value + 0.005, value + 0.007,
                      value - 1, value * 0.9):
            cases.append([question, guess])
    got = tab.evaluate("cases => cases.map(c => DLBook.numericMatches(c[0], c[1]))", cases)
    assert got == [quiz.numeric_matches(q, g) for q, g in cases]
    assert any(got) and not all(got)
    assert not tab.problems, tab.problems


def _feedback(question):
    return question.locator(".dlbook-quiz-feedback").inner_text()


def test_hint_first_solution_after_second_wrong_answer(tab):
    single, number = custom_question(), big_numeric()
    tab.set_content(book_page([quiz_html([single, number])]))
    first, second = tab.locator(".dlbook-question").nth(0), tab.locator(".dlbook-question").nth(1)
    first.locator("button", has_text="wrong one").click()
    text = _feedback(first)
    assert text.startswith("Not quite.") and "FB-one." in text and "Try again" in text
    assert "WORKED-SOLUTION" not in text
    assert first.locator(".dlbook-quiz-solution").is_visible()
    first.locator("button", has_text="wrong two").click()
    text = _feedback(first)
    assert "FB-two." in text and "WORKED-SOLUTION" in text
    first.locator("button", has_text="right").first.click()
    text = _feedback(first)
    assert text.startswith("Correct.") and "FB-right." in text and "WORKED-SOLUTION" in text

    box = second.locator(".dlbook-quiz-input")
    box.fill("17abc")
    second.locator(".dlbook-quiz-check").click()
    assert "nothing after the number" in _feedback(second)
    box.fill("614,000")
    second.locator(".dlbook-quiz-check").click()
    text = _feedback(second)
    assert text.startswith("Not quite.") and "HINT: count again." in text
    assert "WORKED" not in text
    second.locator(".dlbook-quiz-solution").click()           # on request
    assert "WORKED: 614,656." in _feedback(second)
    for typed in ("614,656", "614 656", "+614656", "614656.0"):
        box.fill(typed)
        box.press("Enter")
        assert _feedback(second).startswith("Correct."), typed
    assert not tab.problems, tab.problems


def test_numeric_hint_says_too_large_or_small_without_a_bank_hint(tab):
    question = quiz.validate_question({
        "id": "n", "type": "numeric", "prompt": "Output size?", "explanation": "SOL.",
        "answer": {"call": "helpers.conv.output_size",
                   "kwargs": {"input_size": 32, "kernel_size": 5}}})
    tab.set_content(book_page([quiz_html([question])]))
    q = tab.locator(".dlbook-question")
    q.locator("input").fill("30")
    q.locator(".dlbook-quiz-check").click()
    assert "too large" in _feedback(q) and "SOL." not in _feedback(q)
    q.locator("input").fill("20")
    q.locator(".dlbook-quiz-check").click()
    assert "too small" in _feedback(q) and "SOL." in _feedback(q)
    assert not tab.problems, tab.problems


def test_multiple_choice_hints_then_solution(tab):
    question = quiz.validate_question({
        "id": "m", "type": "multiple", "prompt": "Which?", "explanation": "SOLUTION-M.",
        "options": [{"text": "A", "correct": True, "feedback": "fa"},
                    {"text": "B", "correct": True, "feedback": "fb"},
                    {"text": "C", "correct": False, "feedback": "fc-wrong"}]})
    tab.set_content(book_page([quiz_html([question])]))
    q = tab.locator(".dlbook-question")
    q.locator(".dlbook-quiz-check").click()
    assert "Pick at least one" in _feedback(q)
    q.locator(".dlbook-quiz-option", has_text="A").click()
    q.locator(".dlbook-quiz-option", has_text="C").click()
    q.locator(".dlbook-quiz-check").click()
    text = _feedback(q)
    assert "fc-wrong" in text and "left out 1 correct option" in text
    assert "SOLUTION-M." not in text and "fb" not in text       # does not give B away
    q.locator(".dlbook-quiz-check").click()
    assert "SOLUTION-M." in _feedback(q)
    q.locator(".dlbook-quiz-option", has_text="C").click()
    q.locator(".dlbook-quiz-option", has_text="B").click()
    q.locator(".dlbook-quiz-check").click()
    assert _feedback(q).startswith("Correct.")
    assert not tab.problems, tab.problems


SHOWS_FEEDBACK = """(q, html) => { const d = document.createElement('div'); d.innerHTML = html;
    return q.querySelector('.dlbook-quiz-feedback').textContent.includes(d.textContent); }"""


def test_every_bank_grades_its_shuffled_options_right(tab):
    """Clicking the option the bank marks correct says "Correct." with that option's
    feedback, whatever position the shuffle gave it; a wrong one shows its own feedback."""
    outputs, expected = [], []
    for lecture in quiz.bank_names():
        for questions in quiz.load_bank(lecture)["sections"].values():
            outputs.append(quiz_html(questions))
            for question in questions:
                if question["type"] != "single":
                    continue
                shown = quiz.displayed_options(question)
                right = next(i for i, o in enumerate(shown) if o.get("correct"))
                wrong = next(i for i, o in enumerate(shown) if not o.get("correct"))
                expected.append((question["id"], right, wrong, shown))
    tab.set_content(book_page(outputs))
    for qid, right, wrong, shown in expected:
        q = tab.locator(f'.dlbook-question[data-qid="{qid}"]')
        q.locator(".dlbook-quiz-option").nth(wrong).click()
        assert _feedback(q).startswith("Not quite."), qid
        q.locator(".dlbook-quiz-option").nth(right).click()
        text = _feedback(q)
        assert text.startswith("Correct."), qid
        assert q.evaluate(SHOWS_FEEDBACK, shown[right]["feedback"]), (qid, text)
    assert len(expected) > 40
    assert not tab.problems, tab.problems


def test_practice_block_draws_new_questions_without_repeats(tab):
    block = quiz.practice_quiz(count=3, seed=3)
    pool = quiz.conv_shape_practice(count=50, seed=3)
    values = {}
    for question in pool:
        values.setdefault(question["prompt"], question["value"])
    tab.set_content(book_page([block._repr_html_()]))
    practice = tab.locator(".dlbook-practice")
    assert practice.locator(".dlbook-question").count() == 3
    assert tab.locator(".dlbook-practice-pool").count() == 0      # the pool left the page
    seen = []
    status = practice.locator(".dlbook-practice-status")
    for round_ in range(13):                                       # 40 questions, 3 a time
        ids = practice.locator(".dlbook-question").evaluate_all(
            "qs => qs.map(q => q.dataset.qid)")
        assert len(ids) == 3
        seen += ids
        heads = practice.locator(".dlbook-quiz-head").all_inner_texts()
        assert [h.split()[1] for h in heads] == ["1", "2", "3"], heads
        if round_ == 2:                       # a drawn question grades in the page
            q = practice.locator(".dlbook-question").first
            prompt = q.locator(".dlbook-quiz-prompt").inner_text()
            answer = next(v for p, v in values.items() if p == prompt)
            q.locator("input").fill(str(answer + 1))
            q.locator(".dlbook-quiz-check").click()
            assert _feedback(q).startswith("Not quite.")
            q.locator("input").fill(f"{answer:,}")
            q.locator(".dlbook-quiz-check").click()
            assert _feedback(q).startswith("Correct.")
        practice.locator(".dlbook-practice-new").click()
    assert len(seen) == len(set(seen)) == 39
    assert "starting again" in status.inner_text()
    again = practice.locator(".dlbook-question").first
    assert again.get_attribute("data-qid") == seen[0]
    assert _feedback(again) == ""                                  # shown afresh
    assert not tab.problems, tab.problems


def test_broken_question_before_a_good_one_in_the_book(tab):
    good, broken = custom_question(), custom_question(id="broken")
    tab.set_content(book_page([_untrusted(quiz_html([broken])), quiz_html([good])]))
    bad = tab.locator('.dlbook-question[data-qid="broken"]')
    assert "cannot be answered here" in _feedback(bad)
    q = tab.locator('.dlbook-question[data-qid="custom"]')
    q.locator("button", has_text="right").first.click()
    assert _feedback(q).startswith("Correct.")
    assert not tab.problems, tab.problems


def test_notebook_outputs_hydrate_only_themselves(tab):
    """JupyterLab: an untrusted output of another notebook (markup, no scripts) sits before
    the reader's outputs; each output brings the runtime and wires up only itself."""
    calc = explorers.conv_calculator(7, 3, 2)._repr_html_()
    states = explorers.state_explorer(
        [("k", "kernel", ["identity", "vertical edges (Sobel x)", "box"], None)],
        lambda k: f"<p>state {k}</p>", "States")._repr_html_()
    tab.set_content("<!doctype html><html><head><meta charset='utf-8'></head><body></body>"
                    "</html>")
    tab.evaluate(INSERT_LIKE_JUPYTERLAB, [_untrusted(quiz_html([custom_question(id="other")])),
                                          _untrusted(calc)])
    assert tab.evaluate("() => window.DLBook === undefined")
    assert tab.locator(".dlbook-explorer-fallback").is_visible()
    tab.evaluate(INSERT_LIKE_JUPYTERLAB, [quiz_html([custom_question()]), calc, states])
    assert tab.evaluate("() => window.DLBook.version") == runtime.RUNTIME_VERSION
    # the untrusted output was left alone (no page-wide scan), and nothing threw
    assert tab.locator('.dlbook-question[data-qid="other"]').get_attribute("data-ready") is None
    assert tab.locator(".dlbook-explorer-fallback").count() == 1
    q = tab.locator('.dlbook-question[data-qid="custom"]')
    q.locator("button", has_text="right").first.click()
    assert _feedback(q).startswith("Correct.")
    assert tab.locator(".dlbook-explorer[data-ready='1']").count() == 2
    # a later page-wide hydrate (as old outputs call it) skips the broken ones, never throws
    tab.evaluate("() => DLBook.hydrate()")
    other = tab.locator('.dlbook-question[data-qid="other"]')
    assert "cannot be answered here" in _feedback(other)
    assert not tab.problems, tab.problems


def test_static_sliders_keep_their_place_while_dragged(tab):
    calc = explorers.conv_calculator(7, 3, 1)._repr_html_()
    labels = ["identity", "box blur", "vertical edges (Sobel x)", "outline (Laplacian)",
              "a much longer label that wraps onto a second line"]
    states = explorers.state_explorer([("k", "kernel", labels, None)],
                                      lambda k: f"<p>{k}</p>", "States")._repr_html_()
    tab.set_content(book_page([calc, states]))
    for index in range(2):
        explorer = tab.locator(".dlbook-explorer").nth(index)
        for number in range(explorer.locator("input[type=range]").count()):
            slider = explorer.locator("input[type=range]").nth(number)
            boxes = set()
            for value in range(int(slider.get_attribute("min")),
                               int(slider.get_attribute("max")) + 1):
                slider.evaluate("(el, v) => { el.value = v; "
                                "el.dispatchEvent(new Event('input')); }", str(value))
                box = slider.bounding_box()
                boxes.add((round(box["x"]), round(box["y"]), round(box["width"])))
            assert len(boxes) == 1, boxes
        names = explorer.locator(".dlbook-control-name")
        for number in range(names.count()):           # no label is cut off
            assert names.nth(number).evaluate("n => n.scrollWidth <= n.clientWidth + 1")
    assert not tab.problems, tab.problems


def test_runtime_versions_agree():
    js = runtime.runtime_js()
    assert f"var VERSION = {runtime.RUNTIME_VERSION};" in js
    assert math.isfinite(runtime.RUNTIME_VERSION)
