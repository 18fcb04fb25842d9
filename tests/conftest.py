"""Shared test set-up: offline, quiet, fast mode, and a book build shared by the site tests."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

os.environ.setdefault("DLBOOK_OFFLINE", "1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("DLBOOK_MODE", "fast")

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def built_site() -> Path:
    """Build the book once per session with warnings as errors; return <out>/_build/html.

    DLBOOK_BUILD_DIR moves the output folder (default: the repository root), so that two
    builds on one machine do not write into the same _build; DLBOOK_SKIP_BUILD reuses a build.
    """
    out = Path(os.environ.get("DLBOOK_BUILD_DIR", ROOT))
    html = out / "_build" / "html"
    if os.environ.get("DLBOOK_SKIP_BUILD") and (html / "index.html").exists():
        return html
    result = subprocess.run(
        [str(Path(sys.executable).parent / "jupyter-book"), "build", str(ROOT),
         "--path-output", str(out), "--warningiserror", "--keep-going", "--quiet"],
        capture_output=True, text=True, cwd=ROOT, timeout=1200,
    )
    if result.returncode != 0:
        pytest.fail("jupyter-book build -W failed:\n" + result.stdout[-5000:]
                    + result.stderr[-5000:])
    return html
