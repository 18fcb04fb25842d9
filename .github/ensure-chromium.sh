#!/usr/bin/env bash
# Make sure `chromium` is on PATH for the browser tests (tests/test_site.py and
# tests/test_jupyterlab.py look for `chromium` or `chromium-browser`). GitHub's Ubuntu images
# ship one; Ubuntu's own apt package is only a snap wrapper, which does not run there. If
# none is found, Playwright's Chromium build (same pinned range as the dev extra) is installed
# and linked as `chromium`.
set -euo pipefail
if command -v chromium || command -v chromium-browser; then
  exit 0
fi
python -m pip install --quiet "playwright>=1.44,<2"
python -m playwright install --with-deps chromium
browser="$(python -c 'from playwright.sync_api import sync_playwright as s
p = s().start(); print(p.chromium.executable_path); p.stop()')"
sudo ln -sf "$browser" /usr/local/bin/chromium
chromium --version
