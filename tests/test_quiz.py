"""Question banks: validated structure, computed answers, grading, practice generators."""

import json
import re

import pytest

from helpers import conv, quiz

BANKS = quiz.bank_names()


def test_there_is_a_bank_for_every_notebook():
    from pathlib import Path

    notebooks = sorted(p.name[:2] for p in (Path(__file__).parents[1] / "notebooks")
                       .glob("[0-9][0-9]_*.ipynb"))
    assert notebooks and set(notebooks) <= set(BANKS)


@pytest.mark.parametrize("lecture", BANKS)
def test_bank_is_valid(lecture):
    bank = quiz.load_bank(lecture)
    assert bank["sections"]
    for questions in bank["sections"].values():
        assert 1 <= len(questions) <= 4, "a section quiz has 1-3 questions (4 at most)"
        for question in questions:
            if question["type"] == "single":
                assert sum(bool(o.get("correct")) for o in question["options"]) == 1
            if question["type"] == "numeric":
                assert isinstance(question["value"], (int, float))


@pytest.mark.parametrize("lecture", BANKS)
def test_every_section_is_shown_in_its_notebook(lecture):
    """Each bank section is rendered by the lecture, and the lecture asks for no missing one."""
    from pathlib import Path

    path = next((Path(__file__).parents[1] / "notebooks").glob(f"{lecture}_*.ipynb"))
    source = path.read_text(encoding="utf-8")
    shown = set(re.findall(rf'show_quiz\(\\"{lecture}\\", \\"([\w-]+)\\"', source))
    assert shown == set(quiz.load_bank(lecture)["sections"])


def base_question():
    return {"id": "q", "type": "single", "prompt": "p", "explanation": "e",
            "options": [{"text": "a", "correct": True, "feedback": "yes"},
                        {"text": "b", "correct": False, "feedback": "no"}]}


@pytest.mark.parametrize("mutate,message", [
    (lambda q: q["options"][1].update(correct=True), "exactly one correct"),
    (lambda q: q["options"][0].update(correct=False), "exactly one correct"),
    (lambda q: q["options"][0].pop("feedback"), "no feedback"),
    (lambda q: q.pop("explanation"), "missing 'explanation'"),
    (lambda q: q.update(type="essay"), "type must be"),
    (lambda q: q["options"][1].update(text="a"), "distinct"),
    (lambda q: q.update(options=q["options"][:1]), "at least two"),
])
def test_invalid_questions_are_rejected(mutate, message):
    question = base_question()
    mutate(question)
    with pytest.raises(quiz.QuizBankError, match=message):
        quiz.validate_question(question)


def test_numeric_answers_are_computed_not_typed():
    question = {"id": "n", "type": "numeric", "prompt": "p", "explanation": "e",
                "answer": {"call": "helpers.conv.output_size",
                           "kwargs": {"input_size": 227, "kernel_size": 11, "stride": 4}}}
    assert quiz.validate_question(question)["value"] == 55
    question["answer"] = {"call": "os.system", "args": ["true"]}
    with pytest.raises(quiz.QuizBankError, match="only call helpers"):
        quiz.validate_question(question)
    question.pop("answer")
    with pytest.raises(quiz.QuizBankError, match="needs an 'answer'"):
        quiz.validate_question(question)


def test_grading_matches_the_bank():
    bank = quiz.load_bank("03")
    single = bank["sections"]["convolution"][0]
    right = next(i for i, o in enumerate(single["options"]) if o.get("correct"))
    assert quiz.check_answer(single, right)[0] is True
    assert quiz.check_answer(single, (right + 1) % len(single["options"]))[0] is False
    numeric = bank["sections"]["output-size"][2]
    assert quiz.check_answer(numeric, 17) == (True, numeric["explanation"])
    assert quiz.check_answer(numeric, "16")[0] is False
    assert quiz.check_answer(numeric, "fourteen")[0] is False
    multiple = bank["sections"]["receptive-field"][0]
    correct = {i for i, o in enumerate(multiple["options"]) if o.get("correct")}
    assert quiz.check_answer(multiple, correct)[0] is True
    assert quiz.check_answer(multiple, set(list(correct)[:1]))[0] is False


def test_practice_generator_answers_come_from_helpers():
    questions = quiz.conv_shape_practice(count=20, seed=7)
    assert len(questions) == 20
    for question in questions:
        kwargs = question["answer"]["kwargs"]
        assert question["value"] == conv.output_size(**kwargs)
        assert quiz.validate_question(question)["value"] == question["value"]
    assert quiz.conv_shape_practice(3, seed=1) == quiz.conv_shape_practice(3, seed=1)
    with pytest.raises(ValueError, match="count"):
        quiz.conv_shape_practice(count=0)


def test_rendered_quiz_carries_its_data_and_runtime():
    block = quiz.show_quiz("03", "output-size")
    html = block._repr_html_()
    assert html.count('class="dlbook-question"') == 3
    payloads = re.findall(r'<script type="application/json" class="dlbook-quiz-data">(.*?)'
                          r'</script>', html)
    assert [json.loads(p)["id"] for p in payloads] == [
        "shape-week6-q2", "shape-week3-code", "shape-same-stride"]
    assert 'class="dlbook-runtime"' in html and "window.DLBook" in html
    assert "Quiz (3 questions)" in repr(block)
    with pytest.raises(KeyError, match="no quiz section"):
        quiz.show_quiz("03", "nonexistent")


def test_bank_loader_rejects_duplicate_ids_and_empty_sections(tmp_path):
    import yaml

    question = base_question()
    path = tmp_path / "99_demo.yaml"
    path.write_text(yaml.safe_dump({"sections": {"a": [question], "b": [question]}}))
    with pytest.raises(quiz.QuizBankError, match="duplicate id"):
        quiz.load_bank_file(path)
    path.write_text(yaml.safe_dump({"sections": {"a": []}}))
    with pytest.raises(quiz.QuizBankError, match="empty"):
        quiz.load_bank_file(path)
    path.write_text(yaml.safe_dump({"title": "no sections"}))
    with pytest.raises(quiz.QuizBankError, match="sections"):
        quiz.load_bank_file(path)
