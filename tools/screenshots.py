"""Screenshots of every page type of the built site: 1366 px and 390 px, light and dark.

``make screenshots`` builds the site and runs this; the PNGs land in
``_build/screenshots/<page-type>-<width>-<mode>.png`` for contributors and reviewers to
look at (a pull request that changes the look can attach them). The site is served on
127.0.0.1 and every other request is blocked (video thumbnails get a grey stand-in), so
the pictures do not depend on the network.

It drives Debian's ``chromium`` through Playwright from PyPI (``apt-get install
chromium`` if it is missing; Playwright's own browser download is never used).
"""

from __future__ import annotations

import argparse
import functools
import http.server
import io
import sys
import threading
from pathlib import Path
from typing import Any

from PIL import Image
from playwright.sync_api import sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
WIDTHS = {1366: 900, 390: 844}
MODES = ("light", "dark")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def largest(pages: list[Path]) -> Path | None:
    """The biggest page of a kind: the one showing the most of what the kind can show."""
    return max(pages, key=lambda p: (p.stat().st_size, p.as_posix()), default=None)


def page_types(site: Path) -> dict[str, str]:
    """A URL (relative to the site) for every page type the site has."""
    found: dict[str, str] = {"home": ""}

    def url(page: Path | None) -> str | None:
        if page is None:
            return None
        rel = page.parent.relative_to(site).as_posix()
        return "" if rel == "." else rel + "/"

    picks = {
        "talk": largest(list((site / "talks").glob("*/*/index.html"))),
        "conference": largest(list((site / "conferences").glob("*/index.html"))),
        "speaker": largest(list((site / "speakers").glob("*/index.html"))),
        "year": largest(list((site / "years").glob("*/index.html"))),
        "tag": largest(list((site / "tags").glob("*/index.html"))),
        "recap": largest(list((site / "recaps").glob("*/*/index.html"))),
        "guide": site / "docs" / "index.html",
    }
    for index in ("talks", "recaps", "conferences", "speakers", "years", "tags"):
        picks[f"{index}-index"] = site / index / "index.html"
    picks["search"] = site / "search" / "index.html"
    for name, page in picks.items():
        if page is not None and page.is_file() and (address := url(page)) is not None:
            found[name] = address
    if (site / "404.html").is_file():
        found["404"] = "404.html"
    return found


def _thumbnail() -> bytes:
    """A grey 16:9 stand-in for video thumbnails, so cards look as they do online."""
    image = Image.new("RGB", (320, 180), (120, 128, 136))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


THUMBNAIL = _thumbnail()


def _offline(route: Any) -> None:
    """Every request beyond the local site: thumbnails get the stand-in, the rest fail."""
    if route.request.url.startswith("https://i.ytimg.com/"):
        route.fulfill(status=200, content_type="image/png", body=THUMBNAIL)
    else:
        route.abort()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path, help="the built site (dirhtml), e.g. _build/html")
    parser.add_argument("out", type=Path, help="where the PNGs go, e.g. _build/screenshots")
    args = parser.parse_args(argv)
    site: Path = args.site.resolve()
    if not (site / "index.html").is_file():
        print(f"{site}: no index.html; build the site first (make html)", file=sys.stderr)
        return 2
    if not CHROMIUM.exists():
        print("chromium is missing: sudo apt-get install chromium", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    written = 0
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
            for mode in MODES:
                for width, height in WIDTHS.items():
                    context = browser.new_context(viewport={"width": width, "height": height})
                    context.route(lambda u: not u.startswith(base), _offline)
                    context.add_init_script(
                        f"localStorage.setItem('mode','{mode}');"
                        f"localStorage.setItem('theme','{mode}');"
                    )
                    tab = context.new_page()
                    for name, address in page_types(site).items():
                        tab.goto(base + address, wait_until="load")
                        tab.wait_for_timeout(150)
                        # The theme scrolls the current sidebar entry into view, which
                        # can leave the page itself scrolled: start from the top left.
                        tab.evaluate("window.scrollTo(0, 0)")
                        target = args.out / f"{name}-{width}-{mode}.png"
                        tab.screenshot(path=str(target), full_page=True)
                        written += 1
                    context.close()
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    print(f"{written} screenshots in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
