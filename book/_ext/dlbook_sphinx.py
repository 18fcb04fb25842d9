"""Sphinx glue for the book.

1. Thebe (live code on a Binder server) is not used: the book is static and offline, and the
   launch buttons open Colab instead. sphinx-thebe, which Jupyter Book always loads, adds an
   inline script (twice on incremental builds, a console error) and would fetch thebe from a
   CDN, so its scripts are dropped from every page.
2. Notebook outputs carry an inline copy of the dlbook runtime (CSS + JS) so that they work in
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


def setup(app):
    app.connect("doctree-resolved", strip_inline_runtime)
    app.connect("html-page-context", drop_thebe)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "0.1"}
