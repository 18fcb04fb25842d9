"""Sphinx glue for the book: what the published page shows differs from the notebook here.

1. Thebe (live code on a Binder server) is not used: the book is static and offline, and the
   launch buttons open Colab instead. sphinx-thebe, which Jupyter Book always loads, adds an
   inline script (twice on incremental builds, a console error) and would fetch thebe from a
   CDN, so its scripts are dropped from every page.
2. Notebook outputs carry an inline copy of the dlbook runtime (CSS + JS) so that they work in
   JupyterLab and Colab. The site loads that runtime once per page from ``_static`` instead, so
   the inline copies are removed from every page.
3. Test markers (``# NBVAL_CHECK_OUTPUT`` and the other ``# NBVAL_*`` comments) are for nbval,
   not for the reader: they are removed from the code shown on the page (the downloadable
   notebook keeps them).
4. A cell that only calls a quiz or an explorer (``show_quiz("03", "pooling")``,
   ``widgets.conv_calculator(...)``) shows the quiz or explorer, not the call: its input is
   removed from the page. Cells that do more than that one call keep their code.
5. The environment banner (``mode=fast | device=CPU | ...``, the set-up cell's output) is
   marked with the class ``dlbook-banner`` so that the stylesheet keeps it to one small line.
6. ``[CNN](#CNN)`` links to glossary terms resolve. scripts/stamp_notebooks.py writes roles as
   Markdown links so that they read well in Colab and on GitHub; MyST looks such a target up
   as a lower-case term, but Sphinx 7 files glossary terms under their own spelling, so
   "CNN" was not found (a -W build failure). Such links become ordinary term references.
7. Every glossary entry lists the lecture sections that use the term (``{term}`` references,
   or the ``[CNN](#CNN)`` links that scripts/stamp_notebooks.py writes in their place),
   so a reader who arrives at the glossary from a lecture, or from search, finds the way to
   where the term is taught.
8. Accessibility repairs to the theme's markup (axe-core, tests/test_site_a11y.py): controls
   whose visible text differs from their ``aria-label`` ("Toggle hidden content" on a summary
   that reads "Show code cell source", "Search" on a button that also shows Ctrl+K) keep their
   visible text as their name; the colour-mode icons lose the ``title`` that made them text
   inside a button named "Color mode"; the bibliography's ``role="list"`` gets list items.
"""

from __future__ import annotations

import ast
import re
from urllib.parse import unquote

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms.post_transforms import SphinxPostTransform

INLINE_RUNTIME = re.compile(
    r'<(style|script) class="dlbook-runtime">.*?</\1>', flags=re.DOTALL)
NBVAL_MARKER = re.compile(r"^[ \t]*#[ \t]*NBVAL_[A-Z_]+[^\n]*(?:\n|$)", flags=re.MULTILINE)
INTERACTIVE_OUTPUT = ("dlbook-quiz", "dlbook-explorer", "dlbook-practice", "dlbook-exam")
INTERACTIVE_CALL = re.compile(r"(^|\.)(show_quiz|practice_quiz|\w*_explorer|\w+_(gallery|demo|"
                              r"calculator))$")
BANNER = re.compile(r"^mode=\w+ \| device=")
GLOSSARY_DOC = "book/glossary"
LECTURE_PREFIX = "notebooks/"


# ------------------------------------------------------------------ notebook cells on the page

def _cell_parts(cell):
    source = output = None
    for child in cell.children:
        if isinstance(child, nodes.container):
            if child.get("nb_element") == "cell_code_source":
                source = child
            elif child.get("nb_element") == "cell_code_output":
                output = child
    return source, output


def _called_name(source: str) -> str | None:
    """The dotted name of the function if ``source`` is one call expression, else None."""
    try:
        tree = ast.parse(source)
    except SyntaxError:           # IPython magics: never a bare quiz/explorer call
        return None
    if len(tree.body) != 1 or not isinstance(tree.body[0], ast.Expr) or \
            not isinstance(tree.body[0].value, ast.Call):
        return None
    func = tree.body[0].value.func
    parts = []
    while isinstance(func, ast.Attribute):
        parts.append(func.attr)
        func = func.value
    if not isinstance(func, ast.Name):
        return None
    parts.append(func.id)
    return ".".join(reversed(parts))


def is_interactive_call(source: str, output_html: str) -> bool:
    """True for a cell whose whole source is one call that shows a quiz or an explorer."""
    name = _called_name(NBVAL_MARKER.sub("", source))
    if name is None:
        return False
    return bool(INTERACTIVE_CALL.search(name)) or any(
        f'class="{cls}' in output_html for cls in INTERACTIVE_OUTPUT)


def strip_nbval_markers(text: str) -> str:
    return NBVAL_MARKER.sub("", text)


def tidy_notebook_cells(app, doctree):
    for cell in list(doctree.findall(
            lambda n: isinstance(n, nodes.container) and n.get("nb_element") == "cell_code")):
        source, output = _cell_parts(cell)
        output_html = ""
        if output is not None:
            output_html = "".join(raw.astext() for raw in output.findall(nodes.raw))
            texts = [block.astext() for block in output.findall(nodes.literal_block)]
            if texts and BANNER.match(texts[0]):
                cell["classes"].append("dlbook-banner")
        if source is None:
            continue
        code = "".join(block.astext() for block in source.findall(nodes.literal_block))
        if is_interactive_call(code, output_html) and output is not None:
            cell.remove(source)
            cell["classes"].append("dlbook-input-removed")
            continue
        for block in list(source.findall(nodes.literal_block)):
            text = block.astext()
            cleaned = strip_nbval_markers(text)
            if cleaned != text:
                block.children = [nodes.Text(cleaned)]
                block.rawsource = cleaned


# Sphinx's search highlighter wraps a hit inside an SVG in a <tspan> and sizes a box from the
# parent's getBBox(); an SVG <title>/<desc> (a diagram's alt text) has none, so the highlighter
# throws and stops. It skips parents marked "nohighlight".
SVG_TEXT_ONLY = re.compile(r"<(title|desc)>", re.IGNORECASE)


def strip_inline_runtime(app, doctree, docname):
    for raw in doctree.findall(nodes.raw):
        if "html" not in raw.get("format", ""):
            continue
        text = raw.astext()
        new = text
        if 'class="dlbook-runtime"' in new:
            new = INLINE_RUNTIME.sub("", new)
        if "<svg" in new:
            # unquoted: the same text may sit inside an explorer's JSON states, where a
            # quoted attribute would end the JSON string
            new = SVG_TEXT_ONLY.sub(r"<\1 class=nohighlight>", new)
        if new != text:
            raw.children = [nodes.Text(new)]
            raw.rawsource = new


# ------------------------------------------------------ [Term](#Term) links reach the glossary

class MarkdownTermLinks(SphinxPostTransform):
    """Turn a MyST link ``[text](#Term)`` whose target is a glossary term (any letter case)
    and no other label into a ``{term}`` reference, before MyST resolves its links."""

    default_priority = 5          # MyST's resolver runs at 9, Sphinx's at 10

    def run(self, **kwargs):
        std = self.env.get_domain("std")
        for xref in list(self.document.findall(addnodes.pending_xref)):
            if xref.get("reftype") != "myst" or xref.get("refdomain") == "doc":
                continue
            target = unquote(xref["reftarget"])
            if target in std.labels or target in std.anonlabels:
                continue
            if target.lower() in std._terms:
                xref["reftype"], xref["refdomain"] = "term", "std"
                xref["reftarget"] = target.lower()


# --------------------------------------------------------- glossary: where each term is taught

def _uses(env) -> dict[str, dict[str, list[tuple[str, str]]]]:
    """term (lower case) -> {docname: [(section id, section title), ...]}."""
    if not hasattr(env, "dlbook_term_uses"):
        env.dlbook_term_uses = {}
    return env.dlbook_term_uses


def collect_term_uses(app, doctree):
    docname = app.env.docname
    if not docname.startswith(LECTURE_PREFIX):
        return
    uses = _uses(app.env)
    for xref in doctree.findall(addnodes.pending_xref):
        # {term}`CNN` in the source, or [CNN](#CNN) after scripts/stamp_notebooks.py (MyST
        # resolves that link to the same glossary entry); other targets are ignored later.
        is_term = xref.get("reftype") == "term" and xref.get("refdomain") == "std"
        if not is_term and xref.get("reftype") != "myst":
            continue
        section = xref.parent
        while section is not None and not isinstance(section, nodes.section):
            section = section.parent
        if section is None or not section["ids"]:
            continue
        title = section.next_node(nodes.title)
        entry = (section["ids"][0], title.astext() if title else "")
        target = unquote(xref["reftarget"]).lower()
        places = uses.setdefault(target, {}).setdefault(docname, [])
        if entry not in places:
            places.append(entry)


def purge_term_uses(app, env, docname):
    for places in _uses(env).values():
        places.pop(docname, None)


def merge_term_uses(app, env, docnames, other):
    mine = _uses(env)
    for term, places in _uses(other).items():
        for docname, entries in places.items():
            if docname in docnames:
                mine.setdefault(term, {})[docname] = entries


def glossary_always_rewritten(app, env, added, changed, removed):
    return [GLOSSARY_DOC] if GLOSSARY_DOC in env.found_docs and (added or changed) else []


def _short_title(env, docname: str) -> str:
    title = env.titles[docname].astext() if docname in env.titles else docname
    return title.split(" · ")[0]


def add_taught_in(app, doctree, docname):
    if docname != GLOSSARY_DOC:
        return
    env = app.env
    uses = _uses(env)
    terms = env.get_domain("std")._terms      # lower-case term -> (docname, label id)
    by_label = {labelid: key for key, (doc, labelid) in terms.items() if doc == docname}
    for term in list(doctree.findall(nodes.term)):
        key = next((by_label[i] for i in term["ids"] if i in by_label), None)
        places = uses.get(key) if key else None
        if not places:
            continue
        item = term.parent
        definition = next((c for c in item.children if isinstance(c, nodes.definition)), None)
        if definition is None:
            continue
        para = nodes.paragraph(classes=["dlbook-taught-in"])
        para += nodes.strong(text="Taught in: ")
        first = True
        for lecture in sorted(places):
            for section_id, section_title in places[lecture]:
                if not first:
                    para += nodes.Text("; ")
                first = False
                label = _short_title(env, lecture)
                if section_title and not section_title.startswith("Lecture"):
                    label = f"{label}, {section_title}"
                uri = app.builder.get_relative_uri(docname, lecture) + "#" + section_id
                para += nodes.reference("", label, internal=True, refuri=uri)
        definition += para


# ------------------------------------------------------------------------------- page assets

def drop_thebe(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files")
    if not scripts:
        return
    kept = []
    for script in scripts:
        body = getattr(script, "attributes", {}).get("body", "") or ""
        filename = getattr(script, "filename", str(script)) or ""
        if "THEBE_JS_URL" in body or "sphinx-thebe" in filename or "thebe@" in filename:
            continue
        kept.append(script)
    context["script_files"] = kept
    css = context.get("css_files")
    if css:
        context["css_files"] = [c for c in css if "sphinx-thebe" not in
                                (getattr(c, "filename", str(c)) or "")]


# ------------------------------------------------------------------------- accessibility

A11Y_REPAIRS = (
    (re.compile(r'<summary aria-label="Toggle hidden content">'), "<summary>"),
    (re.compile(r'(<button class="btn search-button-field search-button__button[^"]*"'
                r'[^>]*?) aria-label="Search"'), r"\1"),
    (re.compile(r'(<i class="theme-switch [^"]*"[^>]*?) title="[^"]*"'), r"\1"),
    (re.compile(r'role="doc-biblioentry"'), 'role="listitem"'),
)


def repair_accessibility(html: str) -> str:
    """The theme's markup with the repairs of item 8 applied (idempotent)."""
    for pattern, replacement in A11Y_REPAIRS:
        html = pattern.sub(replacement, html)
    return html


def repair_pages(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    from pathlib import Path

    for page in Path(app.outdir).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        fixed = repair_accessibility(text)
        if fixed != text:
            page.write_text(fixed, encoding="utf-8")


def setup(app):
    app.add_post_transform(MarkdownTermLinks)
    app.connect("doctree-read", tidy_notebook_cells)
    app.connect("doctree-read", collect_term_uses)
    app.connect("env-purge-doc", purge_term_uses)
    app.connect("env-merge-info", merge_term_uses)
    app.connect("env-get-outdated", glossary_always_rewritten)
    app.connect("doctree-resolved", strip_inline_runtime)
    app.connect("doctree-resolved", add_taught_in)
    app.connect("html-page-context", drop_thebe)
    app.connect("build-finished", repair_pages)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "0.2"}
