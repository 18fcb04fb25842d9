"""Question banks: validated structure, computed answers, grading, practice generators."""

import json
import re
from pathlib import Path

import numpy as np
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
    assert len(quiz.conv_shape_practice(count=np.int64(2), seed=1)) == 2


def test_every_practice_generator_checks_its_count():
    generators = quiz.practice_generators()
    assert len(generators) == 11
    for generator in generators.values():
        for bad in (0, 51, True, 2.0, "3"):
            with pytest.raises(ValueError, match="count must be an integer between 1 and 50"):
                generator(count=bad)


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


# ------------------------------------------------------------ shuffled options, honest banks

def single_choice(bank):
    return [q for questions in bank["sections"].values() for q in questions
            if q["type"] == "single"]


def correct_position(question):
    return next(i for i, o in enumerate(quiz.displayed_options(question)) if o.get("correct"))


MAX_POSITION_SHARE = 0.5        # no displayed position holds more than half the right answers
LONGEST_MARGIN = 0.2            # the right answer is the longest at most 20 points above chance


def position_problem(questions) -> str | None:
    """Why a bank's right answers sit mostly in one displayed position, or None."""
    if len(questions) < 4:
        return None
    positions = [correct_position(q) for q in questions]
    top = max(set(positions), key=positions.count)
    share = positions.count(top) / len(positions)
    if share > MAX_POSITION_SHARE:
        ids = [q["id"] for q, p in zip(questions, positions, strict=True) if p == top]
        return (f"{share:.0%} of the right answers are shown in position {top + 1} "
                f"(limit {MAX_POSITION_SHARE:.0%}): {', '.join(ids)}")
    return None


def longest_problem(questions) -> str | None:
    """Why a bank's right answer is systematically the longest option, or None."""
    if len(questions) < 4:
        return None
    longest = []
    for question in questions:
        lengths = [len(str(o["text"])) for o in question["options"]]
        right = next(i for i, o in enumerate(question["options"]) if o.get("correct"))
        if lengths[right] > max(n for i, n in enumerate(lengths) if i != right):
            longest.append(question["id"])
    chance = sum(1 / len(q["options"]) for q in questions) / len(questions)
    share = len(longest) / len(questions)
    if share > chance + LONGEST_MARGIN:
        return (f"the right answer is the longest option in {share:.0%} of single-choice "
                f"questions (chance {chance:.0%}, limit {chance + LONGEST_MARGIN:.0%}): "
                + ", ".join(longest))
    return None


@pytest.mark.parametrize("lecture", BANKS)
def test_right_answers_are_not_mostly_in_one_position(lecture):
    problem = position_problem(single_choice(quiz.load_bank(lecture)))
    assert problem is None, f"bank {lecture}: {problem}"


@pytest.mark.parametrize("lecture", BANKS)
def test_right_answer_is_not_systematically_the_longest(lecture):
    problem = longest_problem(single_choice(quiz.load_bank(lecture)))
    assert problem is None, f"bank {lecture}: {problem}; shorten it or lengthen the others"


def test_bank_checks_catch_what_they_should():
    def question(qid, right_text="right", position=0):
        options = [{"text": f"wrong {k}", "correct": False, "feedback": "no"} for k in range(3)]
        options.insert(position, {"text": right_text, "correct": True, "feedback": "yes"})
        return {"id": qid, "type": "single", "prompt": "p", "explanation": "e",
                "options": options}

    # every right answer shown first (the shuffle undone by hand): caught
    same_place = []
    for k in range(8):
        q = question(f"q{k}")
        order = quiz.option_order(q)
        q["options"] = [q["options"][order.index(i)] for i in range(4)]
        assert correct_position(q) == 0
        same_place.append(q)
    assert "position 1" in position_problem(same_place)
    spread = [question(f"q{k}", position=k % 4) for k in range(8)]
    spread = [q for q in spread]
    long_right = [question(f"q{k}", right_text="a much longer right answer", position=k % 4)
                  for k in range(8)]
    assert "longest option in 100%" in longest_problem(long_right)
    assert longest_problem(spread) is None


def test_shuffle_is_deterministic_and_keeps_feedback_with_its_option():
    bank = quiz.load_bank("03")
    for question in single_choice(bank):
        order = quiz.option_order(question)
        assert sorted(order) == list(range(len(question["options"])))
        assert order == quiz.option_order(dict(question))            # seeded by the id
        html = quiz.render_question(question)
        payload = json.loads(re.search(r'class="dlbook-quiz-data">(.*?)</script>',
                                       html).group(1))
        texts = re.findall(r'data-index="(\d+)">(.*?)</button>', html)
        for (index, text), data in zip(texts, payload["options"], strict=True):
            option = next(o for o in question["options"] if o["text"] == text)
            assert data == {"correct": bool(option.get("correct")),
                            "feedback": option["feedback"]}, (question["id"], index)
    orders = {tuple(quiz.option_order({"id": f"x{k}", "options": [1, 2, 3, 4]}))
              for k in range(30)}
    assert len(orders) > 5                                          # really shuffled


@pytest.mark.parametrize("typed,value", [
    ("614,656", 614656), ("614 656", 614656), ("1,234,567.5", 1234567.5), ("+3", 3),
    ("\u22122.5", -2.5), ("2,5", 2.5), ("2,500", 2500), ("1e-3", 0.001), (" 17 ", 17),
    (17, 17), (0.5, 0.5)])
def test_parse_number_reads_what_readers_type(typed, value):
    assert quiz.parse_number(typed) == value


@pytest.mark.parametrize("typed,message", [
    ("17abc", "nothing after the number"), ("", "enter a number"), ("1,234 567", "not a number"),
    ("1.2.3", "not a number"), ("1e999", "too large"), (True, "True/False"),
    (None, "number is needed")])
def test_parse_number_rejects_junk_with_a_message(typed, message):
    with pytest.raises(ValueError, match=message):
        quiz.parse_number(typed)


def test_numeric_grading_with_relative_tolerance():
    question = {"id": "n", "type": "numeric", "prompt": "p", "explanation": "e",
                "answer": {"call": "helpers.conv.output_size",
                           "kwargs": {"input_size": 614656, "kernel_size": 1}},
                "rel_tolerance": 0.01}
    checked = quiz.validate_question(question)
    assert quiz.check_answer(checked, "614,656")[0] is True
    assert quiz.check_answer(checked, "620 000")[0] is True               # within 1 %
    assert quiz.check_answer(checked, "630,000")[0] is False
    ok, message = quiz.check_answer(checked, "614656abc")
    assert ok is False and "nothing after the number" in message
    for bad in (-0.1, 1, "1%", True):
        with pytest.raises(quiz.QuizBankError, match="rel_tolerance"):
            quiz.validate_question({**question, "rel_tolerance": bad})
    with pytest.raises(quiz.QuizBankError, match="hint"):
        quiz.validate_question({**question, "hint": ""})


def test_practice_quiz_carries_a_pool_without_repeats():
    block = quiz.practice_quiz(count=3, seed=5)
    html = block._repr_html_()
    shown = html.split('class="dlbook-practice-pool"')[0]
    assert shown.count('class="dlbook-question"') == 3
    prompts = re.findall(r'class="dlbook-quiz-prompt">(.*?)</div>', html)
    assert len(prompts) == quiz.PRACTICE_POOL == len(set(prompts))
    assert "40 in the pool" in repr(block)
    assert html == quiz.practice_quiz(count=3, seed=5)._repr_html_()     # seeded: stable
    with pytest.raises(ValueError, match="count"):
        quiz.practice_quiz(count=0)
    with pytest.raises(TypeError, match="generator"):
        quiz.practice_quiz(generator="conv")


def test_runtime_names_stay_importable_from_quiz():
    from helpers import explorers, runtime

    assert quiz.HTMLBlock is runtime.HTMLBlock is explorers.HTMLBlock
    assert quiz.runtime_tag is runtime.runtime_tag and quiz.hydrate_tag is runtime.hydrate_tag
    html = runtime.HTMLBlock("<p>x</p>", "x")._repr_html_()
    assert html.startswith('<div class="dlbook-block"><p>x</p>') and html.endswith("</div>")
    assert "document.currentScript" in html and "DLBook.hydrate(r)" in html
    with pytest.raises(TypeError):
        runtime.HTMLBlock(None, "x")


def test_banks_write_maths_as_text():
    """Quiz text is shown as HTML without a TeX pass (feedback appears after MathJax ran), so
    banks write maths in Unicode (η < 2/λ_max), never as TeX delimiters."""
    banks = Path(__file__).resolve().parents[1] / "helpers" / "quizzes"
    for path in sorted(banks.glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        assert "\\(" not in text and "\\[" not in text, f"{path.name} contains TeX delimiters"
