"""The page-weight budget: what a page of the built site makes a browser download.

A reader on a phone should get a page's title and list after a few hundred kilobytes,
not two megabytes of icon script. The budget (issue 15) is per page type: at most
:data:`MAX_BYTES` transferred gzip-compressed (as Read the Docs serves the site) and at
most :data:`MAX_REQUESTS` requests, the page included.

:func:`page_weight` reads a built page without a browser: the stylesheets, scripts,
preloads, icons and eager images it names, the stylesheets those ``@import`` and the
fonts their ``@font-face`` rules point at, each counted once, gzip-compressed when the
type is compressible. It is what the test suite checks on every page type (no timing,
so it cannot be flaky); ``recaps audit`` adds a real browser (Lighthouse) on top.
Not counted, as the budget says: the video thumbnail, which a talk's video facade
fetches from the video host, and the search index, fetched only after the reader types.

The HTML is read with the standard library's parser: this module also runs under
``recaps audit`` on a machine that has only the site's requirements.
"""

from __future__ import annotations

import functools
import gzip
import posixpath
import re
import urllib.parse
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator

#: Bytes transferred (gzip) per page, all it loads included: 200 KB.
MAX_BYTES = 200 * 1000
#: Requests per page, the page itself included.
MAX_REQUESTS = 15

#: Page types and where dirhtml writes them, relative to the output folder.
PAGE_TYPES: dict[str, str] = {
    "home": "index.html",
    "conference": "conferences/*/index.html",
    "talk": "talks/*/*/index.html",
    "speaker": "speakers/*/index.html",
    "recap": "recaps/*/*/index.html",
    "search": "search/index.html",
}

#: Where talk pages and cards get video thumbnails: outside the budget (they are the
#: video host's, shown only where a talk has a video).
VIDEO_THUMBNAIL_HOSTS = ("i.ytimg.com", "img.youtube.com", "i.vimeocdn.com")

#: Types a server compresses; fonts (woff2) and images are compressed already.
COMPRESSIBLE = frozenset({".html", ".css", ".js", ".mjs", ".json", ".svg", ".xml", ".txt"})
_IMPORT = re.compile(r"""@import\s+(?:url\()?\s*["']?([^"')\s;]+)""")
_FONT_FACE = re.compile(r"@font-face\s*{([^}]*)}")
_URL = re.compile(r"""url\(\s*["']?([^"')]+)["']?\s*\)""")


@dataclass(frozen=True, slots=True)
class Asset:
    """One download: its path in the output folder (or its address when off-site)."""

    path: str
    kind: str
    raw_bytes: int
    gzip_bytes: int


@dataclass(frozen=True, slots=True)
class PageWeight:
    """A page and everything it loads, the page first."""

    page: str
    assets: tuple[Asset, ...]

    @property
    def gzip_bytes(self) -> int:
        return sum(asset.gzip_bytes for asset in self.assets)

    @property
    def requests(self) -> int:
        return len(self.assets)

    def problems(self) -> list[str]:
        """Why this page is over budget; empty when it is within."""
        found = []
        if self.gzip_bytes > MAX_BYTES:
            heaviest = sorted(self.assets, key=lambda asset: -asset.gzip_bytes)[:3]
            names = ", ".join(f"{asset.path} ({asset.gzip_bytes:,} B)" for asset in heaviest)
            found.append(
                f"{self.page}: {self.gzip_bytes:,} bytes gzip-compressed, over the budget of "
                f"{MAX_BYTES:,}; the heaviest: {names}"
            )
        if self.requests > MAX_REQUESTS:
            found.append(
                f"{self.page}: {self.requests} requests, over the budget of {MAX_REQUESTS}: "
                + ", ".join(asset.path for asset in self.assets)
            )
        off_site = [asset.path for asset in self.assets if asset.kind == "off-site"]
        if off_site:
            found.append(
                f"{self.page}: loads from other sites, which the budget cannot weigh: "
                + ", ".join(off_site)
            )
        return found


class _References(HTMLParser):
    """The addresses a page makes a browser fetch as it loads, in document order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "link":
            rel = set(values.get("rel", "").lower().split())
            href = values.get("href", "")
            if "stylesheet" in rel:
                self.found.append(("css", href))
            elif "preload" in rel or "modulepreload" in rel:
                self.found.append((values.get("as", "script") or "script", href))
            elif rel & {"icon", "shortcut"}:
                self.found.append(("icon", href))
        elif tag == "script" and values.get("src"):
            self.found.append(("js", values["src"]))
        elif tag == "img" and values.get("src") and values.get("loading") != "lazy":
            self.found.append(("image", values["src"]))


@functools.lru_cache(maxsize=4096)
def _sizes(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    if path.suffix.lower() in COMPRESSIBLE:
        return len(data), len(gzip.compress(data, compresslevel=6, mtime=0))
    return len(data), len(data)


def is_video_thumbnail(url: str) -> bool:
    """Whether ``url`` is a video host's thumbnail, which the budget leaves out."""
    return urllib.parse.urlsplit(url).hostname in VIDEO_THUMBNAIL_HOSTS


def _resolve(outdir: Path, base: str, address: str) -> str | None:
    """The output-relative path ``address`` names from ``base``; None when off-site."""
    parsed = urllib.parse.urlsplit(address)
    if parsed.scheme or parsed.netloc:
        return None
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(base), parsed.path))
    path = urllib.parse.unquote(joined).lstrip("/")
    if path.endswith("/") or (outdir / path).is_dir():
        path = posixpath.join(path, "index.html")
    return path


def _stylesheet_references(outdir: Path, path: str) -> Iterator[tuple[str, str]]:
    """The stylesheets a stylesheet imports and the fonts its @font-face rules use."""
    text = (outdir / path).read_text(encoding="utf-8", errors="replace")
    for match in _IMPORT.finditer(text):
        yield "css", match.group(1)
    for face in _FONT_FACE.finditer(text):
        for url in _URL.finditer(face.group(1)):
            yield "font", url.group(1)


def page_weight(outdir: Path, page: str) -> PageWeight:
    """What the page at ``page`` (a path under ``outdir``) loads, each asset once."""
    raw, packed = _sizes(outdir / page)
    assets = [Asset(page, "html", raw, packed)]
    seen = {page}
    parser = _References()
    parser.feed((outdir / page).read_text(encoding="utf-8"))
    queue = [(kind, page, address) for kind, address in parser.found]
    while queue:
        kind, base, address = queue.pop(0)
        if address.startswith("data:") or is_video_thumbnail(address):
            continue
        path = _resolve(outdir, base, address)
        if path is None:
            if address not in seen:
                seen.add(address)
                assets.append(Asset(address, "off-site", 0, 0))
            continue
        if path in seen:
            continue
        seen.add(path)
        if not (outdir / path).is_file():
            raise FileNotFoundError(f"{page}: loads {address}, which is not in {outdir}")
        raw, packed = _sizes(outdir / path)
        assets.append(Asset(path, kind, raw, packed))
        if kind in {"css", "style"}:
            queue.extend((sub, path, url) for sub, url in _stylesheet_references(outdir, path))
    return PageWeight(page, tuple(assets))


def pages_of_type(outdir: Path, page_type: str) -> list[str]:
    """Every built page of ``page_type``, as paths under ``outdir``."""
    pattern = PAGE_TYPES[page_type]
    return sorted(path.relative_to(outdir).as_posix() for path in outdir.glob(pattern))


def heaviest_pages(outdir: Path) -> dict[str, PageWeight]:
    """For each page type, its heaviest page: the one the budget must hold for."""
    chosen = {}
    for page_type in PAGE_TYPES:
        weights = [page_weight(outdir, page) for page in pages_of_type(outdir, page_type)]
        if weights:
            chosen[page_type] = max(weights, key=lambda weight: (weight.gzip_bytes, weight.page))
    return chosen
