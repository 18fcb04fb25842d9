"""Screenshots of built pages for a human to look at (desktop, phone, dark mode, print PDF).

    python scripts/screenshots.py [--site DIR] [--out DIR] [--full] [page.html ...]

--site is the built HTML folder (default _build/html; a folder that holds _build/html, such as
a jupyter-book --path-output folder, works too); --out is where the PNG and PDF files go
(default _build/screenshots). Without --full only the first screen of each page is taken,
which is what a reader sees on arrival; --full takes the whole (very long) page.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import shutil
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "_build" / "html"
OUT = ROOT / "_build" / "screenshots"
VIEWS = [("desktop", 1280, 900, "light"), ("phone", 390, 844, "light"),
         ("dark", 1280, 900, "dark")]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def site_folder(path: Path) -> Path:
    """Accept either the HTML folder itself or a build output folder that contains it."""
    for candidate in (path, path / "_build" / "html", path / "html"):
        if (candidate / "index.html").exists():
            return candidate
    raise SystemExit(f"no built site (index.html) under {path}: build the book first")


def main(pages: list[str], site: Path = SITE, out: Path = OUT, full: bool = False) -> None:
    from playwright.sync_api import sync_playwright

    site = site_folder(site)
    out.mkdir(parents=True, exist_ok=True)
    handler = functools.partial(QuietHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    chromium = shutil.which("chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, args=["--no-sandbox", "--disable-gpu",
                                            "--disable-background-networking"])
        for page_path in pages:
            name = page_path.replace("/", "_").replace("#", "-").removesuffix(".html")
            for label, width, height, scheme in VIEWS:
                context = browser.new_context(viewport={"width": width, "height": height},
                                              color_scheme=scheme)
                page = context.new_page()
                page.goto(f"{base}/{page_path}", wait_until="load")
                page.wait_for_timeout(1500)
                page.screenshot(path=str(out / f"{name}-{label}.png"), full_page=full)
                if label == "desktop":
                    page.emulate_media(media="print")
                    page.pdf(path=str(out / f"{name}.pdf"), format="A4", print_background=True)
                context.close()
            print(f"{page_path}: screenshots in {out}")
        browser.close()
    httpd.shutdown()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="*", default=["notebooks/03_cnn.html"])
    parser.add_argument("--site", type=Path, default=SITE, help="built HTML folder")
    parser.add_argument("--out", type=Path, default=OUT, help="where screenshots go")
    parser.add_argument("--full", action="store_true", help="whole page, not first screen")
    args = parser.parse_args()
    main(args.pages, args.site, args.out, args.full)
