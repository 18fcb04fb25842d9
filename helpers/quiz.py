"""Question banks, the quiz renderer, and practice generators.

A bank is one YAML file per lecture in ``helpers/quizzes/`` (data, not code)::

    lecture: "03"
    title: Convolutional neural networks
    sections:
      stride-padding:                  # a section of the lecture ends with show_quiz(...)
        - id: shape-week6-q2           # unique within the bank
          type: single                 # single | multiple | numeric
          source: FIT3181 week 6 quiz, Q2   # optional: where the question comes from
          prompt: A Conv2D with 100 filters ...      (HTML allowed, maths as \\( ... \\))
          options:                     # single / multiple
            - text: "[64, 100, 14, 14]"
              correct: true
              feedback: why this is right or wrong        (every option has feedback)
          answer:                      # numeric: computed by a helper, never typed in
            call: helpers.conv.output_size
            kwargs: {input_size: 32, kernel_size: 5, stride: 2, padding: 0}
          tolerance: 0                 # numeric: absolute tolerance
          rel_tolerance: 0.01          # numeric, optional: relative tolerance (1 %)
          hint: optional, shown after a first wrong numeric answer
          explanation: the worked solution
    practice: helpers.quiz.conv_shape_practice   # optional: the lecture's practice generator

``practice`` names the generator the lecture's practice quiz uses; the book's practice page
(:mod:`helpers.practice`) draws fresh questions from it, and the reader's progress on
generated questions is kept under this lecture.

``single`` questions have exactly one correct option; ``multiple`` at least one and say so.
A first wrong answer shows a hint (the chosen option's feedback; for a number the ``hint`` or
whether the answer is too large or too small) and lets the reader try again; the worked
solution (``explanation``) comes with a right answer, after a second wrong one, or on the
"Show solution" button.
Options are shown in an order shuffled by the question's id (:func:`option_order`), the same in
the book, JupyterLab and Colab, so the bank may list the correct option anywhere.
:func:`show_quiz` renders a section as self-contained HTML (works in the static book,
JupyterLab and Colab; no network). Practice generators draw fresh numbers and check the reader's
answer with the same helper functions the lecture uses; a generator is called as
``generator(count=..., seed=...)``, accepts counts up to 50 and returns numeric questions in the
bank's format (a ``hint`` per question is welcome: it is shown after a first wrong answer).
"""

from __future__ import annotations

import hashlib
import html
import importlib
import json
import math
import random
import re
from functools import cache
from importlib import resources
from typing import Any

import yaml

from helpers._checks import practice_count

# The runtime lives in helpers.runtime; these names stay importable from here for old notebooks.
from helpers.runtime import HTMLBlock, hydrate_tag, runtime_js, runtime_tag  # noqa: F401

QUESTION_TYPES = ("single", "multiple", "numeric")


class QuizBankError(ValueError):
    """A question bank breaks the format's rules."""


def bank_names() -> list[str]:
    """The lecture ids that have a bank, e.g. ``['03']``."""
    folder = resources.files("helpers") / "quizzes"
    return sorted(p.name.split("_")[0] for p in folder.iterdir() if p.name.endswith(".yaml"))


def _bank_path(lecture: str):
    folder = resources.files("helpers") / "quizzes"
    matches = [p for p in folder.iterdir() if p.name.startswith(f"{lecture}_")
               and p.name.endswith(".yaml")]
    if not matches:
        raise KeyError(f"no question bank for lecture {lecture!r}; have {bank_names()}")
    return matches[0]


def resolve_call(spec: dict) -> Any:
    """Evaluate ``{call: module.function, args: [...], kwargs: {...}}``."""
    if not isinstance(spec, dict) or "call" not in spec:
        raise QuizBankError(f"a computed answer needs a 'call' key, got {spec!r}")
    module_name, _, func_name = spec["call"].rpartition(".")
    if not module_name.startswith("helpers"):
        raise QuizBankError(f"answers may only call helpers functions, got {spec['call']!r}")
    func = getattr(importlib.import_module(module_name), func_name)
    value = func(*spec.get("args", []), **spec.get("kwargs", {}))
    if "attribute" in spec:
        value = getattr(value, spec["attribute"])
    return value


def population_variance(values) -> float:
    """V[X] = mean((x - mean(x))^2), the biased variance batch normalisation uses."""
    import numpy as np

    array = np.asarray(values, dtype="float64")
    if array.size == 0:
        raise ValueError("need at least one value")
    return float(array.var())


def validate_question(question: dict, where: str = "") -> dict:
    """Check one question against the rules; return it with numeric answers computed."""
    label = f"{where}{question.get('id', '<no id>')}"
    for key in ("id", "type", "prompt", "explanation"):
        if not str(question.get(key, "")).strip():
            raise QuizBankError(f"{label}: missing {key!r}")
    qtype = question["type"]
    if qtype not in QUESTION_TYPES:
        raise QuizBankError(f"{label}: type must be one of {QUESTION_TYPES}, got {qtype!r}")
    checked = dict(question)
    if qtype in ("single", "multiple"):
        options = question.get("options") or []
        if len(options) < 2:
            raise QuizBankError(f"{label}: needs at least two options")
        texts = [str(o.get("text", "")).strip() for o in options]
        if any(not t for t in texts) or len(set(texts)) != len(texts):
            raise QuizBankError(f"{label}: options must be non-empty and distinct")
        for option in options:
            if not str(option.get("feedback", "")).strip():
                raise QuizBankError(f"{label}: option {option.get('text')!r} has no feedback")
            if not isinstance(option.get("correct", False), bool):
                raise QuizBankError(f"{label}: 'correct' must be true or false")
        n_correct = sum(bool(o.get("correct")) for o in options)
        if qtype == "single" and n_correct != 1:
            raise QuizBankError(f"{label}: a single-choice question needs exactly one "
                                f"correct option, has {n_correct}")
        if qtype == "multiple" and n_correct < 1:
            raise QuizBankError(f"{label}: a many-choice question needs a correct option")
    else:
        if "answer" not in question:
            raise QuizBankError(f"{label}: numeric question needs an 'answer'")
        value = resolve_call(question["answer"])
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            raise QuizBankError(f"{label}: answer must compute a number, got {value!r}")
        tolerance = question.get("tolerance", 0)
        if not isinstance(tolerance, (int, float)) or tolerance < 0:
            raise QuizBankError(f"{label}: tolerance must be a non-negative number")
        rel_tolerance = question.get("rel_tolerance", 0)
        if (not isinstance(rel_tolerance, (int, float)) or isinstance(rel_tolerance, bool)
                or not 0 <= rel_tolerance < 1):
            raise QuizBankError(f"{label}: rel_tolerance must be a number in [0, 1)")
        checked["value"] = value
        checked["tolerance"] = tolerance
        checked["rel_tolerance"] = rel_tolerance
    if "hint" in question and (not isinstance(question["hint"], str)
                               or not question["hint"].strip()):
        raise QuizBankError(f"{label}: hint must be a non-empty string")
    return checked


@cache
def load_bank(lecture: str) -> dict:
    """Load and validate the bank of one lecture (cached)."""
    return load_bank_file(_bank_path(lecture))


def load_bank_file(path) -> dict:
    """Load and validate a bank from a YAML file (see the module docstring for the format)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("sections"), dict):
        raise QuizBankError(f"{path.name}: needs a 'sections' mapping")
    seen: set[str] = set()
    sections = {}
    for name, questions in data["sections"].items():
        if not questions:
            raise QuizBankError(f"{path.name}: section {name!r} is empty")
        checked = []
        for question in questions:
            q = validate_question(question, where=f"{path.name}:{name}:")
            if q["id"] in seen:
                raise QuizBankError(f"{path.name}: duplicate id {q['id']!r}")
            seen.add(q["id"])
            checked.append(q)
        sections[name] = checked
    return {**data, "sections": sections}


# ---------------------------------------------------------------- rendering

def option_order(question: dict) -> list[int]:
    """The order in which a question's options are shown: a shuffle seeded by its id.

    Deterministic (the book, the notebook and nbval all see the same order) and independent
    of where the bank lists the correct option.
    """
    options = question.get("options") or []
    seed = int.from_bytes(hashlib.sha256(str(question["id"]).encode("utf-8")).digest()[:8],
                          "big")
    order = list(range(len(options)))
    random.Random(seed).shuffle(order)
    return order


def displayed_options(question: dict) -> list[dict]:
    """The options in the order the reader sees them."""
    return [question["options"][i] for i in option_order(question)]


# The page's runtime (helpers/static/dlbook.js, parseNumber) uses the same three patterns and
# the same set of spaces; tests/test_site_quiz.py compares the two on a table of inputs.
_SPACES = " \t\n\r\f\v\u00a0\u2009\u202f"
_THOUSANDS = re.compile(r"^[+-]?[0-9]{1,3}([ ,\u00a0\u2009\u202f])[0-9]{3}(?:\1[0-9]{3})*"
                        r"(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$")
_DECIMAL_COMMA = re.compile(r"^[+-]?[0-9]+,[0-9]+$")
_PLAIN = re.compile(r"^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$")


def parse_number(text) -> float:
    """Read a number as a reader types it (the page's runtime applies the same rules).

    Accepts thousands separators used consistently (``614,656``, ``614 656``, ``1,234.5``), a
    leading ``+``, the minus sign U+2212, a decimal comma (``2,5``; ``2,500`` is two thousand
    five hundred) and exponents (``1e-3``); rejects anything else with a ValueError that says
    why, e.g. ``17abc`` is not read as 17. Only ASCII digits count.
    """
    if isinstance(text, bool):
        raise ValueError("a number is needed, not True/False")
    if isinstance(text, (int, float)):
        return float(text)
    if not isinstance(text, str):
        raise ValueError(f"a number is needed, got {type(text).__name__}")
    shown = text.strip(_SPACES)
    s = shown.replace("\u2212", "-")
    if not s:
        raise ValueError("Please enter a number.")
    if _THOUSANDS.fullmatch(s):
        s = re.sub(r"[ ,\u00a0\u2009\u202f]", "", s)
    elif _DECIMAL_COMMA.fullmatch(s):
        s = s.replace(",", ".")
    if not _PLAIN.fullmatch(s):
        raise ValueError(f"\"{shown}\" is not a number: use digits, one decimal point, "
                         "optional thousands separators and sign, nothing after the number.")
    value = float(s)
    if not math.isfinite(value):
        raise ValueError(f"\"{shown}\" is too large.")
    return value


def numeric_matches(question: dict, value: float) -> bool:
    """Whether ``value`` is within the question's absolute plus relative tolerance."""
    target = float(question["value"])
    allowed = (question.get("tolerance", 0) + question.get("rel_tolerance", 0) * abs(target)
               + 1e-9 * max(1.0, abs(target)))
    return abs(value - target) <= allowed


def _question_payload(question: dict) -> dict:
    payload = {"id": question["id"], "type": question["type"],
               "explanation": question["explanation"]}
    if question["type"] == "numeric":
        payload["value"] = question["value"]
        payload["tolerance"] = question["tolerance"]
        payload["rel_tolerance"] = question.get("rel_tolerance", 0)
        if question.get("hint"):
            payload["hint"] = question["hint"]
    else:
        payload["options"] = [{"correct": bool(o.get("correct")), "feedback": o["feedback"]}
                              for o in displayed_options(question)]
    return payload


def render_question(question: dict, number: int | None = None) -> str:
    """HTML for one validated question (the runtime adds the behaviour)."""
    qid = html.escape(question["id"])
    head = f"Question {number}" if number is not None else "Question"
    if question["type"] == "multiple":
        head += " <span class=\"dlbook-quiz-hint\">(choose all that apply)</span>"
    source = question.get("source")
    source_html = (f"<span class=\"dlbook-quiz-source\">{html.escape(source)}</span>"
                   if source else "")
    parts = [f"<div class=\"dlbook-question\" data-qid=\"{qid}\">",
             f"<div class=\"dlbook-quiz-head\">{head}{source_html}</div>",
             f"<div class=\"dlbook-quiz-prompt\">{question['prompt']}</div>"]
    if question["type"] == "numeric":
        parts.append("<div class=\"dlbook-quiz-numeric\"><input type=\"text\" "
                     "inputmode=\"decimal\" aria-label=\"your answer\" "
                     "class=\"dlbook-quiz-input\"> <button type=\"button\" "
                     "class=\"dlbook-quiz-check\">Check</button></div>")
    else:
        parts.append("<div class=\"dlbook-quiz-options\">")
        for index, option in enumerate(displayed_options(question)):
            parts.append(f"<button type=\"button\" class=\"dlbook-quiz-option\" "
                         f"data-index=\"{index}\">{option['text']}</button>")
        parts.append("</div>")
        if question["type"] == "multiple":
            parts.append("<button type=\"button\" class=\"dlbook-quiz-check\">Check</button>")
    parts.append("<div class=\"dlbook-quiz-feedback\" aria-live=\"polite\"></div>")
    parts.append("<script type=\"application/json\" class=\"dlbook-quiz-data\">"
                 + json.dumps(_question_payload(question)).replace("</", "<\\/")
                 + "</script></div>")
    return "".join(parts)


def _lecture_attribute(lecture: str | None) -> str:
    return f" data-lecture=\"{html.escape(lecture)}\"" if lecture else ""


def render_quiz(questions: list[dict], title: str = "Check your understanding",
                lecture: str | None = None) -> str:
    """HTML for a list of questions; ``lecture`` (e.g. ``"03"``) lets the runtime keep the
    reader's progress under that lecture (in the browser's local storage)."""
    body = "".join(render_question(q, i + 1) for i, q in enumerate(questions))
    return (f"<div class=\"dlbook-quiz\"{_lecture_attribute(lecture)}><div "
            f"class=\"dlbook-quiz-title\">{html.escape(title)}</div>{body}</div>")


def show_quiz(lecture: str, section: str, title: str | None = None) -> HTMLBlock:
    """The quiz for one section of a lecture, ready to display as a cell's result."""
    bank = load_bank(lecture)
    if section not in bank["sections"]:
        raise KeyError(f"lecture {lecture} has no quiz section {section!r}; "
                       f"have {', '.join(bank['sections'])}")
    questions = bank["sections"][section]
    text = f"Quiz ({len(questions)} questions): " + "; ".join(q["id"] for q in questions)
    return HTMLBlock(render_quiz(questions, title or "Check your understanding",
                                 lecture=str(bank.get("lecture") or lecture)), text)


def generator_name(generator) -> str:
    """``module.function`` of a practice generator (what a bank's ``practice`` key names)."""
    return f"{generator.__module__}.{generator.__qualname__}"


def practice_generators() -> dict[str, Any]:
    """Each lecture's practice generator, from its bank's ``practice: module.function`` key."""
    found = {}
    for lecture in bank_names():
        name = load_bank(lecture).get("practice")
        if not name:
            continue
        module_name, _, func_name = name.rpartition(".")
        if not module_name.startswith("helpers"):
            raise QuizBankError(f"lecture {lecture}: practice must name a helpers function, "
                                f"got {name!r}")
        try:
            found[lecture] = getattr(importlib.import_module(module_name), func_name)
        except (ImportError, AttributeError) as error:
            raise QuizBankError(f"lecture {lecture}: practice generator {name!r} not found "
                                f"({error})") from None
    return found


def lecture_of_generator(generator) -> str | None:
    """The lecture whose bank names ``generator`` as its practice generator, if any."""
    name = generator_name(generator)
    for lecture in bank_names():
        if load_bank(lecture).get("practice") == name:
            return lecture
    return None


# ---------------------------------------------------------------- practice generators

def conv_shape_practice(count: int = 3, seed: int | None = None) -> list[dict]:
    """Fresh conv-shape questions: a random layer on a random input, answer by helpers.conv.

    Every drawn configuration is one that Keras accepts (the kernel fits the padded input).
    """
    from helpers.conv import output_size

    count = practice_count(count)
    rng = random.Random(seed)
    questions = []
    while len(questions) < count:
        size = rng.choice([7, 9, 12, 15, 16, 28, 32, 56, 64, 100, 224, 227])
        kernel = rng.choice([1, 2, 3, 5, 7, 11])
        stride = rng.choice([1, 1, 2, 2, 3, 4])
        padding = rng.choice(["valid", "same", 0, 1, 2, 3])
        filters = rng.choice([8, 16, 32, 64, 96, 100, 128])
        try:
            out = output_size(size, kernel, stride, padding)
        except ValueError:
            continue
        pad_text = f"padding='{padding}'" if isinstance(padding, str) else f"padding={padding}"
        questions.append({
            "id": f"practice-{len(questions) + 1}",
            "type": "numeric",
            "prompt": (f"A convolution with {filters} filters of size {kernel}×{kernel}, "
                       f"stride {stride}, {pad_text}, is applied to a {size}×{size}×3 input. "
                       "What is the output height?"),
            "answer": {"call": "helpers.conv.output_size",
                       "kwargs": {"input_size": size, "kernel_size": kernel,
                                  "stride": stride, "padding": padding}},
            "value": out,
            "tolerance": 0,
            "hint": ("With 'same' padding the output is ⌈input / stride⌉." if padding == "same"
                     else "Output = ⌊(input + 2·padding − kernel) / stride⌋ + 1; 'valid' "
                          "means padding 0."),
            "explanation": (
                f"Output = {out}: "
                + (f"'same' gives ⌈{size}/{stride}⌉ = {out}." if padding == "same" else
                   f"⌊({size} + 2·{0 if padding == 'valid' else padding} − {kernel})/{stride}⌋"
                   f" + 1 = {out}.")
                + f" The output volume is {out}×{out}×{filters}."),
        })
    return questions


PRACTICE_POOL = 40


def practice_quiz(generator=conv_shape_practice, count: int = 3,
                  seed: int | None = None) -> HTMLBlock:
    """A quiz of freshly generated questions; re-run the cell for new numbers.

    The output also carries a pool of further questions from the same generator (up to
    :data:`PRACTICE_POOL` in all, no two alike), hidden: the page's runtime shows them
    ``count`` at a time on "New numbers", without repeats until the pool is used up, so the
    static book, where no kernel can re-run the cell, still gives fresh numbers.
    """
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= 10:
        raise ValueError(f"count must be an integer between 1 and 10, got {count!r}")
    if not callable(generator):
        raise TypeError("generator must be a function like conv_shape_practice")
    drawn = None
    for size in (50, PRACTICE_POOL, count):      # generators take up to 50 (the convention)
        try:
            drawn = generator(count=size, seed=seed)
            break
        except ValueError:
            if size == count:
                raise
    questions, prompts = [], set()
    for question in drawn:
        if question["prompt"] in prompts:
            continue
        prompts.add(question["prompt"])
        questions.append(validate_question(question))
        if len(questions) == PRACTICE_POOL:
            break
    if len(questions) < count:
        raise ValueError(f"the generator gave {len(questions)} distinct questions, "
                         f"need {count}")
    for index, question in enumerate(questions):
        question["id"] = f"{question['id']}-{index}"
    shown = "".join(render_question(q, i + 1) for i, q in enumerate(questions[:count]))
    rest = "".join(render_question(q, i % count + 1)
                   for i, q in enumerate(questions[count:]))
    title = "Practice: fresh numbers"
    lecture = lecture_of_generator(generator)
    body = (f"<div class=\"dlbook-quiz dlbook-practice\" data-count=\"{count}\""
            f"{_lecture_attribute(lecture)}>"
            f"<div class=\"dlbook-quiz-title\">{html.escape(title)}</div>"
            f"<div class=\"dlbook-practice-shown\">{shown}</div>"
            f"<div class=\"dlbook-practice-pool\" hidden style=\"display:none\">{rest}</div></div>")
    return HTMLBlock(body, f"Practice quiz ({count} questions, {len(questions)} in the pool)")


def check_answer(question: dict, answer) -> tuple[bool, str]:
    """Grade an answer in Python (the same rules the page's runtime applies).

    For single: the option's index in the bank (not the shuffled order the reader sees, see
    :func:`option_order`); multiple: a set of such indices; numeric: a number or the text a
    reader types (read by :func:`parse_number`; unreadable text is wrong, with the reason).
    """
    qtype = question["type"]
    if qtype == "numeric":
        try:
            value = parse_number(answer)
        except ValueError as error:
            return False, str(error)
        return numeric_matches(question, value), question["explanation"]
    options = question["options"]
    if qtype == "single":
        if isinstance(answer, bool) or not isinstance(answer, int) \
                or not 0 <= answer < len(options):
            raise ValueError(f"answer must be an option index 0..{len(options) - 1}")
        return bool(options[answer].get("correct")), options[answer]["feedback"]
    chosen = set(answer)
    correct = {i for i, o in enumerate(options) if o.get("correct")}
    return chosen == correct, question["explanation"]
