"""The book's version, read from the one place that holds it: ``pyproject.toml``.

In a checkout of the repository (``make lab``, the tests, an editable install) that file sits
next to the package and is read directly, so a version bump shows at once, without
reinstalling. An installed copy (Colab's ``pip install dlbook-helpers @ git+...@vX.Y.Z``) has
no pyproject.toml beside it and reports the version pip recorded when it built the wheel from
that same file.
"""

from __future__ import annotations

import re
from pathlib import Path

DISTRIBUTION = "dlbook-helpers"


def _from_checkout() -> str | None:
    pyproject = Path(__file__).resolve().parents[1] / "pyproject.toml"
    try:
        text = pyproject.read_text(encoding="utf-8")
    except OSError:
        return None
    table = re.search(r"^\[project\]\s*$(.*?)(?=^\[|\Z)", text, flags=re.MULTILINE | re.DOTALL)
    if not table or not re.search(rf'^name\s*=\s*"{DISTRIBUTION}"', table.group(1),
                                  flags=re.MULTILINE):
        return None
    match = re.search(r'^version\s*=\s*"([^"]+)"', table.group(1), flags=re.MULTILINE)
    return match.group(1) if match else None


def _from_metadata() -> str | None:
    from importlib import metadata

    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return None


version = _from_checkout() or _from_metadata() or "0+unknown"
