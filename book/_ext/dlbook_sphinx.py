"""Sphinx glue for the book.

Notebook outputs carry an inline copy of the dlbook runtime (CSS + JS) so that they work in
JupyterLab and Colab. The site loads that runtime once per page from ``_static`` instead, so
this extension removes the inline copies from every page.
"""

import re

from docutils import nodes

INLINE_RUNTIME = re.compile(
    r'<(style|script) class="dlbook-runtime">.*?</\1>', flags=re.DOTALL)


def strip_inline_runtime(app, doctree, docname):
    for raw in doctree.findall(nodes.raw):
        if "html" not in raw.get("format", ""):
            continue
        text = raw.astext()
        if 'class="dlbook-runtime"' in text:
            new = INLINE_RUNTIME.sub("", text)
            raw.children = [nodes.Text(new)]
            raw.rawsource = new


def setup(app):
    app.connect("doctree-resolved", strip_inline_runtime)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "0.1"}
