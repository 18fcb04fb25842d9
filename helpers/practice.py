"""Exam practice across lectures: rounds of questions from every bank and practice generator.

:func:`exam_practice` builds one self-contained block (the book's practice page, and the same
from ``notebooks/practice.ipynb`` in JupyterLab or Colab). It carries every bank question of the
chosen lectures and, for each lecture with a practice generator (its bank's ``practice`` key),
``pool`` freshly generated questions, all graded in the page by the book's runtime, with no
kernel. The reader ticks lectures, picks a round size and starts a round: the runtime draws
that many questions at random, grades each one (hints, worked solutions), and scores the round
per lecture. What the reader got right is kept in the browser's local storage (no server, no
account) and shown as a per-lecture mastery table, which also counts answers given in the
lectures' own quizzes; "Reset my progress" clears it. Where storage is blocked the page says
that progress is not kept.

Example::

    >>> block = exam_practice(["03"], pool=2, seed=0)
    >>> "Lecture 03" in block.text
    True
"""

from __future__ import annotations

import html
import re

from helpers import quiz
from helpers.runtime import HTMLBlock, exam_tag

ROUND_SIZES = (5, 10, 20)


def _lecture_list(lectures) -> list[str]:
    available = quiz.bank_names()
    if lectures is None:
        return available
    if isinstance(lectures, str):
        lectures = [lectures]
    if not isinstance(lectures, (list, tuple)):
        raise TypeError("lectures must be a list of lecture numbers such as ['03', '07']")
    chosen = []
    for lecture in lectures:
        if isinstance(lecture, bool) or not isinstance(lecture, (str, int)):
            raise TypeError(f"a lecture is a number or a string like '03', got {lecture!r}")
        key = f"{int(lecture):02d}" if isinstance(lecture, int) else lecture.strip()
        if key not in available:
            raise ValueError(f"no question bank for lecture {lecture!r}; have "
                             f"{', '.join(available)}")
        if key not in chosen:
            chosen.append(key)
    if not chosen:
        raise ValueError("choose at least one lecture")
    return chosen


def _prefixed(question: dict, lecture: str, index: int) -> dict:
    """A generated question with an id unique on the page (generators number from 1)."""
    return {**question, "id": f"l{lecture}-{question['id']}-{index}"}


def lecture_questions(lecture: str, pool: int = 12, seed: int | None = 0) -> tuple[list, list]:
    """(bank questions, generated questions) of one lecture, validated."""
    bank = quiz.load_bank(lecture)
    questions = [q for section in bank["sections"].values() for q in section]
    generated = []
    generator = quiz.practice_generators().get(lecture)
    if generator is not None and pool:
        seen = set()
        for question in generator(count=min(50, max(pool * 2, pool)), seed=seed):
            if question["prompt"] in seen:
                continue
            seen.add(question["prompt"])
            generated.append(quiz.validate_question(dict(question)))
            if len(generated) == pool:
                break
    return questions, generated


def exam_practice(lectures=None, pool: int = 12, round_size: int = 10,
                  seed: int | None = 0) -> HTMLBlock:
    """The practice page's block: choose lectures, answer a round, keep your progress.

    ``lectures``: lecture numbers (default: every lecture with a bank); ``pool``: generated
    questions per lecture (0 to 40); ``round_size``: the round size selected at first;
    ``seed``: the generators' seed (``None`` for new numbers on each run).
    """
    chosen = _lecture_list(lectures)
    if isinstance(pool, bool) or not isinstance(pool, int) or not 0 <= pool <= 40:
        raise ValueError(f"pool must be an integer from 0 to 40, got {pool!r}")
    if round_size not in ROUND_SIZES:
        raise ValueError(f"round_size must be one of {ROUND_SIZES}, got {round_size!r}")
    lecture_blocks, checkboxes, counts = [], [], []
    for lecture in chosen:
        bank = quiz.load_bank(lecture)
        title = f"Lecture {lecture} · {bank.get('title', '')}".strip(" ·")
        questions, generated = lecture_questions(lecture, pool, seed)
        # bank questions keep their ids: progress is kept per lecture and id, so an answer
        # here and one in the lecture's own quiz count for the same question
        bank_html = "".join(quiz.render_question(q) for q in questions)
        practice_html = "".join(quiz.render_question(_prefixed(q, lecture, i))
                                for i, q in enumerate(generated))
        lecture_blocks.append(
            f"<div class=\"dlbook-exam-lecture\" data-lecture=\"{lecture}\" "
            f"data-title=\"{html.escape(title)}\"><div data-kind=\"bank\">{bank_html}</div>"
            f"<div data-kind=\"practice\">{practice_html}</div></div>")
        checkboxes.append(
            f"<label class=\"dlbook-exam-pick\"><input type=\"checkbox\" value=\"{lecture}\" "
            f"checked> {html.escape(title)} <span class=\"dlbook-exam-count\">"
            f"({len(questions)} + {len(generated)})</span></label>")
        counts.append((lecture, len(questions), len(generated)))
    sizes = "".join(f"<option value=\"{n}\"{' selected' if n == round_size else ''}>{n}</option>"
                    for n in ROUND_SIZES)
    body = (
        "<div class=\"dlbook-exam\">"
        "<p class=\"dlbook-exam-needs-js\">This page needs JavaScript (and, in Jupyter, a "
        "trusted notebook or a run cell) to draw and grade questions.</p>"
        "<fieldset class=\"dlbook-exam-choose\"><legend>Lectures in the round (bank + generated "
        "questions)</legend>" + "".join(checkboxes) + "</fieldset>"
        "<div class=\"dlbook-exam-bar\"><label>Questions per round <select "
        f"class=\"dlbook-exam-size\">{sizes}</select></label> "
        "<button type=\"button\" class=\"dlbook-exam-start\">Start a round</button></div>"
        "<div class=\"dlbook-exam-status\" role=\"status\" aria-live=\"polite\"></div>"
        "<div class=\"dlbook-exam-round\"></div>"
        "<div class=\"dlbook-exam-score\" role=\"status\" aria-live=\"polite\"></div>"
        "<div class=\"dlbook-exam-progress\"><div class=\"dlbook-quiz-title\">Your progress"
        "</div><table class=\"dlbook-exam-mastery\"><thead><tr><th scope=\"col\">Lecture</th>"
        "<th scope=\"col\">Quiz questions right</th><th scope=\"col\">Generated: right "
        "of tried</th></tr></thead><tbody></tbody></table>"
        "<p class=\"dlbook-exam-storage\"></p>"
        "<button type=\"button\" class=\"dlbook-exam-reset\">Reset my progress</button></div>"
        "<div class=\"dlbook-exam-pool\" hidden style=\"display:none\">"
        + "".join(lecture_blocks) + "</div></div>")
    summary = "; ".join(f"Lecture {lec}: {b} bank + {g} generated" for lec, b, g in counts)
    return HTMLBlock(body, f"Exam practice ({summary})", scripts=exam_tag())


def plain_text(html_text: str) -> str:
    """Tags removed and white space collapsed (for tests and text outputs)."""
    return " ".join(re.sub(r"<[^>]+>", " ", html_text).split())


__all__ = ["ROUND_SIZES", "exam_practice", "lecture_questions", "plain_text"]
