"""Stamp the repository URL and branch from _config.yml into every notebook's Colab cells.

_config.yml is the one place the repository lives; run this after changing it
(tests/test_notebooks.py fails until the notebooks agree).
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parents[1]
INSTALL = re.compile(r'git\+https://github\.com/[\w.-]+/[\w.-]+@[\w./-]+')
BADGE = re.compile(r'colab\.research\.google\.com/github/[\w.-]+/[\w.-]+/blob/[\w.-]+/')


def repository() -> tuple[str, str]:
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    url = config["repository"]["url"].rstrip("/")
    return url, config["repository"].get("branch", "main")


def expected_strings() -> tuple[str, str]:
    url, branch = repository()
    slug = url.removeprefix("https://github.com/")
    return (f"git+{url}@{branch}",
            f"colab.research.google.com/github/{slug}/blob/{branch}/")


def main() -> None:
    install, badge = expected_strings()
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells[:3]:
            cell.source = BADGE.sub(badge, INSTALL.sub(install, cell.source))
        nbformat.write(nb, path)
        print(f"{path.name}: {install}")


if __name__ == "__main__":
    main()
