"""Every internal link of a built site, resolved against the files that were written.

A page's links are its ``href``, ``src``, ``srcset``, ``poster`` and ``action``
attributes (the feeds' and the sitemap's links as well). A link is internal when it is
relative, or absolute under the site's own address (canonical URLs, Open Graph, feeds,
sitemap); it must name a file of the build, and its ``#fragment`` an ``id`` (or an
anchor's ``name``) on that page. A root-relative link (``/talks/...``) is an error by
itself: on Read the Docs the site lives under ``/en/latest/``, where it would break. The
404 page is the exception: it is served at any depth, so its links are root-relative by
design, and must start with the path of the site's address.
"""

from __future__ import annotations

import functools
import posixpath
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

import lxml.etree
import lxml.html

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

#: The attributes that hold a URL, on any element.
URL_ATTRIBUTES = ("href", "src", "poster", "action", "data", "cite")
#: Pages whose links are root-relative by design (served for any missing URL).
ANY_DEPTH = frozenset({"404/index.html", "404.html"})
#: Schemes that leave the site.
EXTERNAL = ("http", "https", "mailto", "tel", "ftp", "irc", "webcal")


@dataclass(frozen=True, order=True)
class Link:
    """One link: the file it appears in (relative to the output), and where it points."""

    page: str
    url: str


@dataclass(frozen=True, order=True)
class Broken:
    page: str
    url: str
    problem: str

    def __str__(self) -> str:
        return f"{self.page}: {self.url} -> {self.problem}"


def html_pages(outdir: Path) -> list[Path]:
    """Every page of the build: not the theme's Jinja macros that it copies to _static."""
    return sorted(
        path
        for path in outdir.rglob("*.html")
        if path.relative_to(outdir).parts[0] not in {"_static", ".doctrees"}
    )


def _srcset_urls(value: str) -> Iterator[str]:
    for candidate in value.split(","):
        url = candidate.strip().split(" ")[0]
        if url:
            yield url


def page_links(outdir: Path, path: Path) -> Iterator[Link]:
    """The URLs in one HTML page."""
    page = path.relative_to(outdir).as_posix()
    document = lxml.html.parse(str(path)).getroot()
    if document is None:
        return
    for element in document.iter(lxml.etree.Element):
        for attribute in URL_ATTRIBUTES:
            value = element.get(attribute)
            if value is not None and not (attribute == "data" and element.tag != "object"):
                yield Link(page, value.strip())
        for attribute in ("srcset", "imagesrcset"):
            if value := element.get(attribute):
                yield from (Link(page, url) for url in _srcset_urls(value))
        if element.tag == "meta" and element.get("http-equiv", "").lower() == "refresh":
            _, _, target = element.get("content", "").partition("url=")
            if target:
                yield Link(page, target.strip())


def xml_links(outdir: Path, path: Path) -> Iterator[Link]:
    """The URLs in a feed or sitemap: ``<link href>``, ``<loc>``, ``<id>`` and the like."""
    page = path.relative_to(outdir).as_posix()
    tree = lxml.etree.parse(str(path))
    for element in tree.iter(lxml.etree.Element):
        name = lxml.etree.QName(element).localname
        if name == "link":
            if href := element.get("href"):
                yield Link(page, href.strip())
            elif element.text and element.text.strip():  # RSS: <link>URL</link>
                yield Link(page, element.text.strip())
        elif name in {"loc", "id", "guid", "url"} and element.text and "://" in element.text:
            yield Link(page, element.text.strip())


class SiteIndex:
    """The files of a build and the ids on its pages, read once and cached."""

    def __init__(self, outdir: Path, base_url: str) -> None:
        self.outdir = outdir
        self.base_url = base_url
        self.base_path = urlsplit(base_url).path or "/"

    @functools.cache  # noqa: B019 -- one index per build, kept for the test session
    def ids(self, target: Path) -> frozenset[str]:
        document = lxml.html.parse(str(target)).getroot()
        if document is None:
            return frozenset()
        found = {str(v) for v in document.xpath("//@id")}
        found.update(str(v) for v in document.xpath("//a/@name"))
        return frozenset(found)

    def target(self, page: str, url: str) -> tuple[Path | None, str | None]:
        """The file and fragment a link resolves to, or (None, None) when it leaves the site.

        Raises ``ValueError`` with the reason when the link cannot work on the site.
        """
        if self.base_url and url.startswith(self.base_url):
            url = url[len(self.base_url) :]
            page = "index.html"  # resolve as if from the root
        parts = urlsplit(url)
        if parts.scheme.lower() in EXTERNAL or (parts.netloc and not parts.scheme):
            return None, None
        if parts.scheme:
            raise ValueError(f"an unexpected scheme {parts.scheme!r}")
        if url.startswith("/") and page in ANY_DEPTH:
            if not url.startswith(self.base_path):
                raise ValueError(f"outside the site's path {self.base_path}")
            url = url[len(self.base_path) :]
            page = "index.html"
            parts = urlsplit(url)
        elif url.startswith("/"):
            raise ValueError("root-relative: breaks when the site is served under a prefix")
        path = unquote(parts.path)
        if not path:  # "?q=..." or "#id": this very page
            return self.outdir / page, unquote(parts.fragment) or None
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
        if joined == ".." or joined.startswith("../"):
            raise ValueError("climbs above the site's root")
        target = self.outdir if joined == "." else self.outdir / joined
        if path.endswith("/") or target.is_dir():
            target = target / "index.html"
        if not target.is_file():
            raise ValueError(f"no such file {target.relative_to(self.outdir).as_posix()}")
        return target, unquote(parts.fragment) or None

    def check(self, link: Link) -> str | None:
        """The problem with a link, or None when it works."""
        if link.url in {"", "#"}:
            return None  # href="" and href="#": the page itself (buttons, scripts)
        try:
            target, fragment = self.target(link.page, link.url)
        except ValueError as error:
            return str(error)
        if target is None or not fragment or target.suffix != ".html":
            return None
        if fragment not in self.ids(target):
            return f"no id {fragment!r} in {target.relative_to(self.outdir).as_posix()}"
        return None


def broken_links(index: SiteIndex, links: Iterable[Link]) -> list[Broken]:
    """Every link that does not work, each once per page."""
    found = set()
    for link in set(links):
        problem = index.check(link)
        if problem is not None:
            found.add(Broken(link.page, link.url, problem))
    return sorted(found)
