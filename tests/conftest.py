"""Shared test set-up: offline, quiet, fast mode, a book build shared by the site tests, and
the headless Chromium and static file server the browser tests use."""

import contextlib
import fcntl
import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
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
    # Under pytest-xdist (make test: -n 2) every worker that runs a site test asks for the
    # build: the first builds it while holding a lock, the others wait and reuse it (the
    # marker names the test run, so a build left from an earlier run is not reused).
    run_id = os.environ.get("PYTEST_XDIST_TESTRUNUID", "")
    marker = out / "_build" / ".dlbook-test-build"
    (out / "_build").mkdir(parents=True, exist_ok=True)
    with open(out / "_build" / ".dlbook-build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if run_id and marker.exists() and marker.read_text() == run_id \
                    and (html / "index.html").exists():
                return html
            if marker.exists():
                marker.unlink()
            result = subprocess.run(
                [str(Path(sys.executable).parent / "jupyter-book"), "build", str(ROOT),
                 "--path-output", str(out), "--warningiserror", "--keep-going", "--quiet"],
                capture_output=True, text=True, cwd=ROOT, timeout=1200,
            )
            if result.returncode != 0:
                pytest.fail("jupyter-book build -W failed:\n" + result.stdout[-5000:]
                            + result.stderr[-5000:])
            if run_id:
                marker.write_text(run_id)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return html


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def require_chromium() -> str:
    """The Chromium executable; skip the test without one (fail in CI, which installs it)."""
    if not CHROMIUM:
        if os.environ.get("DLBOOK_REQUIRE_BROWSER"):
            pytest.fail("chromium is not installed (.ci/run installs Debian's chromium)")
        pytest.skip("chromium not installed: apt-get install chromium to run browser tests")
    return CHROMIUM


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium per test module (Debian's chromium driven by Playwright)."""
    executable = require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serve_directory(directory):
    """Serve a folder on a free local port; yields the base URL."""
    handler = functools.partial(QuietHandler, directory=str(directory))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
