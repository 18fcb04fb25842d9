"""The front-end runtime shared by quizzes, explorers and figures (one JS file, one CSS file).

``helpers/static/dlbook.js`` and ``dlbook.css`` make quizzes answerable and static explorers
move with no kernel and no network. Where they come from depends on the place:

* the book loads them once per page from ``_static`` (its build removes the inline copies);
* JupyterLab, Jupyter Notebook and Colab get an inline copy inside each output
  (:func:`runtime_tag`), which only runs if the page has no runtime yet (Colab isolates outputs).

Each output ends with :func:`hydrate_tag`, which wires up only the output that script came with:
a JupyterLab page holds many outputs from several notebooks, and an untrusted one (markup kept,
scripts stripped) must never stop the others from working.
"""

from __future__ import annotations

import re
from importlib import resources


def _static(name: str) -> str:
    return (resources.files("helpers") / "static" / name).read_text(encoding="utf-8")


def runtime_js() -> str:
    """The runtime's JavaScript (``helpers/static/dlbook.js``)."""
    return _static("dlbook.js")


def exam_js() -> str:
    """The practice page's script (``helpers/static/dlbook-exam.js``), only in that block."""
    return _static("dlbook-exam.js")


def exam_tag() -> str:
    """The practice page's script inline (the book keeps it: it is not a runtime copy)."""
    return "<script class=\"dlbook-exam-runtime\">" + compact_js(exam_js()) + "</script>"


def runtime_css() -> str:
    """The runtime's stylesheet (``helpers/static/dlbook.css``)."""
    return _static("dlbook.css")


_COMMENT = re.compile(r"/\*.*?\*/", flags=re.DOTALL)
_ASI_HAZARD = tuple("([`+-/")            # a line starting so may continue the one before
_CONTINUES = tuple(";{,+([=&|?:")         # ... unless that one cannot end a statement


def compact_css(css: str) -> str:
    """The stylesheet without comments and runs of white space (for inline copies)."""
    return re.sub(r"\s+", " ", _COMMENT.sub("", css)).strip()


def compact_js(js: str) -> str:
    """The runtime without comments, indentation and line breaks (for inline copies).

    Every notebook output carries one copy (Colab isolates outputs), and a notebook stores
    each line of an output as a separate JSON string, so the compact copy is about a third
    smaller in the ``.ipynb``. Lines are joined with a space only where that cannot change
    the meaning (no ``//`` comments, no line starting with a character that would continue
    a previous line that could end a statement); otherwise the line breaks stay.
    """
    lines = [line.strip() for line in _COMMENT.sub("", js).split("\n")]
    lines = [line for line in lines if line]
    safe = "//" not in js.replace("://", "") and not any(
        line.startswith(_ASI_HAZARD) and not before.endswith(_CONTINUES)
        for before, line in zip(lines, lines[1:], strict=False))
    return (" " if safe else "\n").join(lines)


RUNTIME_VERSION = 3      # DLBook.version in dlbook.js: a newer copy replaces an older one


def runtime_tag() -> str:
    """An inline copy of the runtime that only runs if the page has none of this version yet.

    The inline copy does not hydrate the whole page on load (``DLBookInline``): each output
    hydrates itself through :func:`hydrate_tag`. The book strips these copies (class
    ``dlbook-runtime``) and loads the runtime once, which hydrates the whole page.
    """
    return ("<style class=\"dlbook-runtime\">" + compact_css(runtime_css()) + "</style>"
            "<script class=\"dlbook-runtime\">if(!(window.DLBook&&window.DLBook.version>="
            f"{RUNTIME_VERSION})){{window.DLBookInline=true;" + compact_js(runtime_js())
            + "}</script>")


def hydrate_tag() -> str:
    """A script that hydrates only the output it sits in (never the whole page)."""
    return ("<script>(function(s){var r=s&&s.parentNode;"
            "if(window.DLBook&&r){window.DLBook.hydrate(r);}})(document.currentScript);"
            "</script>")


class HTMLBlock:
    """Something that displays as HTML in Jupyter and prints a short text elsewhere.

    On display the HTML is wrapped in one ``div`` with the inline runtime and the hydrating
    script, so the block carries everything it needs and hydrates only itself.
    """

    def __init__(self, html_text: str, text: str, scripts: str = ""):
        if not isinstance(html_text, str) or not isinstance(text, str) \
                or not isinstance(scripts, str):
            raise TypeError("HTMLBlock needs the HTML and the plain text as strings")
        self.html_text = html_text
        self.text = text
        self.scripts = scripts        # extra scripts, run after the runtime, before hydrating

    def _repr_html_(self) -> str:
        return ("<div class=\"dlbook-block\">" + self.html_text + runtime_tag()
                + self.scripts + hydrate_tag() + "</div>")

    def __repr__(self) -> str:
        return self.text


__all__ = ["HTMLBlock", "RUNTIME_VERSION", "exam_js", "exam_tag", "runtime_js", "runtime_css",
           "runtime_tag", "hydrate_tag"]
