"""Screenshots of built pages for a human to look at (desktop, phone, dark mode, print PDF).

    python scripts/screenshots.py [page.html ...]   ->  _build/screenshots/
"""

from __future__ import annotations

import functools
import http.server
import shutil
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "_build" / "html"
OUT = ROOT / "_build" / "screenshots"


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def main(pages: list[str]) -> None:
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    handler = functools.partial(QuietHandler, directory=str(SITE))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    chromium = shutil.which("chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, args=["--no-sandbox", "--disable-gpu",
                                            "--disable-background-networking"])
        for page_path in pages:
            name = page_path.replace("/", "_").removesuffix(".html")
            for label, width, height, scheme in [("desktop", 1280, 900, "light"),
                                                 ("phone", 390, 844, "light"),
                                                 ("dark", 1280, 900, "dark")]:
                context = browser.new_context(viewport={"width": width, "height": height},
                                              color_scheme=scheme)
                page = context.new_page()
                page.goto(f"{base}/{page_path}", wait_until="load")
                page.wait_for_timeout(1500)
                page.screenshot(path=str(OUT / f"{name}-{label}.png"), full_page=True)
                if label == "desktop":
                    page.emulate_media(media="print")
                    page.pdf(path=str(OUT / f"{name}.pdf"), format="A4", print_background=True)
                context.close()
            print(f"{page_path}: screenshots in {OUT}")
        browser.close()
    httpd.shutdown()


if __name__ == "__main__":
    main(sys.argv[1:] or ["notebooks/03_cnn.html"])
