"""Where the book lives and which version it is, and the Colab strings that follow from them.

Two files hold these facts, each one once:

- ``_config.yml`` ``repository.url``: the GitHub repository (Jupyter Book needs it there for
  its repository and launch buttons);
- ``pyproject.toml`` ``[project] version``: the book's version, ``X.Y.Z``; a release is the git
  tag ``vX.Y.Z``.

Everything else is derived from them and checked against them by tests: each notebook's Colab
set-up cell installs ``dlbook-helpers @ git+<url>@v<version>`` and its badge opens the notebook
at that same tag (``tests/test_notebooks.py``), the site footer and the notebooks' banner line
show the version (``book/_ext/dlbook_version.py``, ``helpers.config``), and ``CITATION.cff`` /
``CHANGELOG.md`` name it (``tests/test_publishing.py``).

A *development build* points Colab at a branch instead of the tag: ``--ref main`` here (and
``DLBOOK_COLAB_REF=main`` for the site build), as the publish workflow does for pushes to main.

    python scripts/sync_repo_url.py                  # rewrite every notebook's Colab cells
    python scripts/sync_repo_url.py --ref main       # development build: install from main
    python scripts/sync_repo_url.py --check          # change nothing; exit 1 if one differs
    python scripts/sync_repo_url.py --print-tag      # the release tag of this version

``scripts/stamp_notebooks.py`` does the same as part of its stamping; use that one normally.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parents[1]
REF_ENV = "DLBOOK_COLAB_REF"
INSTALL = re.compile(r'git\+https://github\.com/[\w.-]+/[\w.-]+@[\w./-]+')
BADGE = re.compile(r'colab\.research\.google\.com/github/[\w.-]+/[\w.-]+/blob/[\w.-]+/')
VERSION = re.compile(r"^\d+\.\d+\.\d+$")
REF = re.compile(r"^[\w][\w./-]*$")


def repository(root: Path = ROOT) -> tuple[str, str]:
    """(repository URL, development branch) from ``_config.yml``."""
    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    url = config["repository"]["url"].rstrip("/")
    if not url.startswith("https://github.com/"):
        raise ValueError(f"_config.yml repository.url must be a GitHub URL, got {url!r}")
    return url, config["repository"].get("branch", "main")


def _project_table(text: str) -> str:
    """The ``[project]`` table of a pyproject.toml, as text (no TOML parser on Python 3.10)."""
    match = re.search(r"^\[project\]\s*$(.*?)(?=^\[|\Z)", text, flags=re.MULTILINE | re.DOTALL)
    if not match:
        raise ValueError("pyproject.toml has no [project] table")
    return match.group(1)


def book_version(root: Path = ROOT) -> str:
    """The book's version, ``X.Y.Z``, from ``[project] version`` in ``pyproject.toml``."""
    table = _project_table((root / "pyproject.toml").read_text(encoding="utf-8"))
    match = re.search(r'^version\s*=\s*"([^"]*)"', table, flags=re.MULTILINE)
    if not match:
        raise ValueError("pyproject.toml [project] has no version = \"X.Y.Z\" line")
    version = match.group(1)
    if not VERSION.match(version):
        raise ValueError(f"the book's version must be X.Y.Z (a release is the tag vX.Y.Z), "
                         f"got {version!r}")
    return version


def release_tag(root: Path = ROOT) -> str:
    """The git tag of this version: ``v`` + the version."""
    return "v" + book_version(root)


def colab_ref(ref: str | None = None, root: Path = ROOT) -> str:
    """The git ref Colab installs from and opens: ``ref`` when given, else the release tag."""
    if ref is None:
        return release_tag(root)
    if not isinstance(ref, str) or not REF.match(ref) or ".." in ref:
        raise ValueError(f"not a git branch or tag name: {ref!r}")
    return ref


def site_ref(root: Path = ROOT) -> str:
    """The ref a site build points Colab at: ``$DLBOOK_COLAB_REF`` (development build) or the
    release tag."""
    return colab_ref(os.environ.get(REF_ENV) or None, root)


def expected_strings(ref: str | None = None, root: Path = ROOT) -> tuple[str, str]:
    """(the pip requirement's URL part, the Colab badge's URL prefix) for ``ref``."""
    url, _ = repository(root)
    ref = colab_ref(ref, root)
    slug = url.removeprefix("https://github.com/")
    return (f"git+{url}@{ref}",
            f"colab.research.google.com/github/{slug}/blob/{ref}/")


def sync_cells(nb, ref: str | None = None) -> None:
    """Point the Colab cells (the first three) of one notebook at ``ref``."""
    install, badge = expected_strings(ref)
    for cell in nb.cells[:3]:
        cell.source = BADGE.sub(badge, INSTALL.sub(install, cell.source))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument("--ref", default=None,
                        help="branch or tag to install from (default: the release tag "
                             "v<version> from pyproject.toml)")
    parser.add_argument("--check", action="store_true",
                        help="change nothing; exit 1 if a notebook would change")
    parser.add_argument("--print-tag", action="store_true",
                        help="print the release tag of this version (v<version>) and exit")
    args = parser.parse_args(argv)
    if args.print_tag:
        print(release_tag())
        return 0
    install, _ = expected_strings(args.ref)
    paths = args.paths or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    stale = []
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        before = path.read_text(encoding="utf-8")
        sync_cells(nb, args.ref)
        after = nbformat.writes(nb) + "\n"     # as Jupyter and nbformat.write save it
        if after != before:
            stale.append(path.name)
            if not args.check:
                path.write_text(after, encoding="utf-8")
        state = ("would change" if args.check else "updated") if after != before else "ok"
        print(f"{path.name}: {state} ({install})")
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
