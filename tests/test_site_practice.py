"""The exam practice page in a browser: a round answered right and wrong, the score per
lecture, progress that survives a reload and shows on a lecture's quiz, reset, and a browser
that keeps nothing (issue 20 §1).

No book build: the page is written as the book serves it (runtime in the head, inline copies
stripped; see tests/test_site_quiz.py) and served over HTTP, because local storage needs an
origin.
"""

import json

import pytest
from conftest import serve_directory
from test_site_quiz import book_page, tab  # noqa: F401  (tab: the quiz tests' page fixture)

from helpers import practice, quiz

pytestmark = pytest.mark.slow

ANSWER = """(q, right) => {
    const data = JSON.parse(q.querySelector('.dlbook-quiz-data').textContent);
    const pick = (want) => {
        const buttons = [...q.querySelectorAll('.dlbook-quiz-option')];
        if (data.type === 'numeric') {
            q.querySelector('input').value = String(want ? data.value
                : Number(data.value) * 3 + 7 + 10 * (Number(data.tolerance) || 0)
                  + Math.abs(Number(data.value)) * (Number(data.rel_tolerance) || 0) * 3);
            q.querySelector('.dlbook-quiz-check').click();
        } else if (data.type === 'single') {
            const i = data.options.findIndex(o => want ? o.correct : !o.correct);
            buttons[i].click();
        } else {
            data.options.forEach((o, i) => {
                if (want ? o.correct : !o.correct) buttons[i].click();
            });
            q.querySelector('.dlbook-quiz-check').click();
        }
    };
    pick(right);
    return data.type;
}"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("practice")
    exam = practice.exam_practice(["01", "03"], pool=6, seed=0)._repr_html_()
    (folder / "practice.html").write_text(book_page([exam]), encoding="utf-8")
    lecture = quiz.show_quiz("03", next(iter(quiz.load_bank("03")["sections"])))._repr_html_()
    (folder / "lecture.html").write_text(book_page([lecture]), encoding="utf-8")
    (folder / "favicon.ico").write_bytes(b"")    # the browser asks for it
    with serve_directory(folder) as url:
        yield url


def mastery(tab):
    rows = tab.locator(".dlbook-exam-mastery tbody tr")
    return {rows.nth(i).locator("th").inner_text(): rows.nth(i).locator("td").first.inner_text()
            for i in range(rows.count())}


def test_round_score_reload_marker_and_reset(tab, site):
    tab.goto(f"{site}/practice.html")
    assert "kept in this browser only" in tab.locator(".dlbook-exam-storage").inner_text()
    assert tab.locator(".dlbook-exam-needs-js").count() == 0
    tab.locator(".dlbook-exam-choose input[value='01']").uncheck()
    tab.select_option(".dlbook-exam-size", "5")
    tab.locator(".dlbook-exam-start").click()
    round_ = tab.locator(".dlbook-exam-round .dlbook-question")
    assert round_.count() == 5
    heads = tab.locator(".dlbook-exam-round .dlbook-quiz-head").all_inner_texts()
    assert all(h.startswith(f"Question {k + 1} · Lecture 03") for k, h in enumerate(heads)), heads
    kinds = round_.evaluate_all("qs => qs.map(q => q.getAttribute('data-kind') || 'bank')")
    # first right, second wrong (then right: only the first answer counts), rest unanswered
    round_.nth(0).evaluate(ANSWER, True)
    assert "Correct." in round_.nth(0).locator(".dlbook-quiz-feedback").inner_text()
    round_.nth(1).evaluate(ANSWER, False)
    assert "Not quite." in round_.nth(1).locator(".dlbook-quiz-feedback").inner_text()
    round_.nth(1).evaluate(ANSWER, True)
    score = tab.locator(".dlbook-exam-score").inner_text()
    assert score.startswith("Score so far: 1 of 5") and "Lecture 03: 1 of 5" in score, score
    for k in range(2, 5):
        round_.nth(k).evaluate(ANSWER, False)
    assert tab.locator(".dlbook-exam-score").inner_text().startswith("Round complete: 1 of 5")
    stored = json.loads(tab.evaluate("() => localStorage.getItem('dlbook-progress-v1')"))
    bank_right = 1 if kinds[0] == "bank" else 0
    assert sum(stored["03"]["bank"].values()) == bank_right
    assert stored["03"]["tried"] == kinds.count("practice")
    assert stored["03"]["right"] == (1 if kinds[0] == "practice" else 0)

    tab.reload()                                   # progress survives the reload
    total = sum(len(s) for s in quiz.load_bank("03")["sections"].values())
    row = next(v for k, v in mastery(tab).items() if k.startswith("Lecture 03"))
    assert row.strip().startswith(f"{bank_right} of {total}"), row

    tab.goto(f"{site}/lecture.html")              # a lecture's quiz: marker after a right answer
    first = tab.locator(".dlbook-question").first
    first.evaluate(ANSWER, True)
    mark = tab.locator(".dlbook-progress-mark")
    assert mark.is_visible() and "Your progress:" in mark.inner_text()
    tab.reload()
    assert tab.locator(".dlbook-progress-mark").is_visible()

    tab.goto(f"{site}/practice.html")
    row = next(v for k, v in mastery(tab).items() if k.startswith("Lecture 03"))
    assert int(row.split()[0]) >= 1
    tab.locator(".dlbook-exam-reset").click()     # reset clears everything
    assert "reset" in tab.locator(".dlbook-exam-status").inner_text()
    assert all(v.strip().startswith("0 of") for v in mastery(tab).values())
    assert tab.evaluate("() => localStorage.getItem('dlbook-progress-v1')") is None
    tab.goto(f"{site}/lecture.html")
    assert not tab.locator(".dlbook-progress-mark").is_visible()
    assert not tab.problems, tab.problems


def test_unchecking_every_lecture_says_so(tab, site):
    tab.goto(f"{site}/practice.html")
    for box in tab.locator(".dlbook-exam-choose input").all():
        box.uncheck()
    tab.locator(".dlbook-exam-start").click()
    assert "at least one lecture" in tab.locator(".dlbook-exam-status").inner_text()
    assert tab.locator(".dlbook-exam-round .dlbook-question").count() == 0


def test_without_storage_the_page_says_progress_is_not_kept(tab, site):
    tab.add_init_script("Object.defineProperty(window, 'localStorage', {get() {"
                        "throw new DOMException('denied', 'SecurityError'); }});")
    tab.goto(f"{site}/practice.html")
    assert "not kept" in tab.locator(".dlbook-exam-storage").inner_text()
    tab.locator(".dlbook-exam-start").click()
    question = tab.locator(".dlbook-exam-round .dlbook-question").first
    question.evaluate(ANSWER, True)
    assert "Correct." in question.locator(".dlbook-quiz-feedback").inner_text()
    assert tab.locator(".dlbook-exam-score").inner_text().startswith("Score so far: 1 of 10")
    tab.locator(".dlbook-exam-reset").click()
    assert not tab.problems, tab.problems


def test_exam_practice_validates_its_arguments():
    with pytest.raises(ValueError, match="no question bank"):
        practice.exam_practice(["99"])
    with pytest.raises(ValueError, match="pool"):
        practice.exam_practice(["03"], pool=41)
    with pytest.raises(ValueError, match="round_size"):
        practice.exam_practice(["03"], round_size=7)
    with pytest.raises(TypeError):
        practice.exam_practice(3.5)
    block = practice.exam_practice([3], pool=4, seed=1)
    text = practice.plain_text(block.html_text)
    total = sum(len(s) for s in quiz.load_bank("03")["sections"].values())
    assert "Lecture 03" in text and f"({total} + 4)" in text


def test_every_bank_names_a_working_practice_generator():
    generators = quiz.practice_generators()
    for lecture in quiz.bank_names():
        assert lecture in generators, f"bank {lecture} has no practice: key"
    for lecture, generator in generators.items():
        questions = generator(count=5, seed=0)
        assert len(questions) == 5, lecture
        for q in questions:
            quiz.validate_question(dict(q))
        assert quiz.lecture_of_generator(generator) == lecture
