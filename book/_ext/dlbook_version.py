"""The book's version and licences in the site footer, and Colab links at the version's tag.

The version is read at build time from ``pyproject.toml`` and the repository from
``_config.yml`` (``scripts/sync_repo_url.py`` reads both), so the footer cannot disagree with
them. This extension

1. sets Sphinx's ``version``/``release`` to the book's version;
2. points the theme's Colab launch button at the same git ref as the notebooks' own badge and
   set-up cell: the release tag ``vX.Y.Z``, or ``$DLBOOK_COLAB_REF`` for a development build
   (the publish workflow sets ``main`` for pushes to main);
3. fills the placeholders of ``html.extra_footer`` in ``_config.yml`` on every page:
   ``{version}``, ``{build}`` (empty for a release build, a "development build" note
   otherwise), ``{ref}``, ``{repository}`` and ``{preface}`` (the preface's URL relative to the
   page, so the link works at any depth and under any site prefix).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
import sync_repo_url  # noqa: E402

PREFACE = "book/preface"


def build_note(ref: str, tag: str, sha: str | None = None) -> str:
    """'' for a release build; otherwise what the reader is looking at."""
    if ref == tag:
        return ""
    at = f" at {sha[:7]}" if sha else ""
    return f" (development build of {ref}{at}, after {tag})"


def render_footer(template: str, *, version: str, ref: str, tag: str, repository: str,
                  preface: str, sha: str | None = None) -> str:
    """Fill the footer template's placeholders (plain replacement: CSS braces are safe)."""
    values = {"{version}": version, "{build}": build_note(ref, tag, sha), "{ref}": ref,
              "{repository}": repository, "{preface}": preface}
    for key, value in values.items():
        template = template.replace(key, value)
    return template


def configure(app, config):
    root = Path(app.srcdir)
    version, tag = sync_repo_url.book_version(root), sync_repo_url.release_tag(root)
    ref = sync_repo_url.site_ref(root)
    repository, _ = sync_repo_url.repository(root)
    config.version = config.release = version
    options = dict(config.html_theme_options or {})
    options["repository_branch"] = ref            # the launch button opens Colab at ref
    template = options.get("extra_footer", "")
    config.html_theme_options = options
    app.dlbook_version_facts = {"template": template, "version": version, "ref": ref,
                              "tag": tag, "repository": repository,
                              "sha": os.environ.get("GITHUB_SHA")}


def footer_on_page(app, pagename, templatename, context, doctree):
    facts = getattr(app, "dlbook_version_facts", None)
    if not facts or not facts["template"] or "pathto" not in context:
        return
    preface = context["pathto"](PREFACE)
    if pagename == PREFACE or preface.startswith("#"):     # on the preface itself: "#..."
        preface = ""
    context["theme_extra_footer"] = render_footer(
        facts["template"], version=facts["version"], ref=facts["ref"], tag=facts["tag"],
        repository=facts["repository"], preface=preface, sha=facts["sha"])


def setup(app):
    app.connect("config-inited", configure, priority=100)
    app.connect("html-page-context", footer_on_page)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
