"""Every place a page sends its reader to the contributor guide is a link to a guide page.

Issue 14: "every 'see the contributor guide' is a link". A *mention* is prose that points
the reader at the guide or at one of its pages: "see the contributor guide", "the
contributor guide tells how to add one", "see docs/catalogue.md", "see Writing a
recap" (a guide page's title). The words that name the guide or the page must be inside
a link, and the link must lead to a page of the guide. Examples in ``<pre>`` blocks are
quoted terminal output, not directions, and are left alone; inline code is prose.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup, NavigableString, Tag

if TYPE_CHECKING:
    from pathlib import Path

#: Verbs that send the reader somewhere.
_SEND = r"\b(?:see|consult|read|follow|check|in|per)\s+"
#: The guide itself, as prose names it.
_GUIDE = r"(?:the\s+|this\s+)?(?:contributor(?:'s|s'|\u2019s)?\s+)?guide\b(?:\s+page\b)?"
#: A guide page by its source file: ``docs/catalogue.md``, ``docs/checks``.
_FILE = r"docs/[\w-]+(?:/[\w-]+)*(?:\.md)?\b"
#: The guide as the subject of a sentence that tells how to do something.
_TELLS = r"\b(?P<subject>contributor\s+guide)\s+(?:tells|shows|explains|says|describes|lists)\b"
#: Nothing of these is read: not shown, or quoted output.
_SKIPPED = ("script", "style", "pre", "noscript", "template", "head")
#: Output folders that hold no pages.
_NOT_PAGES = ("_static", "_images", "_sources", "pagefind", "api", "feeds")


@dataclass(frozen=True)
class Mention:
    """Words on ``page`` that send the reader to the guide, and whether they link there."""

    page: str
    text: str
    named: str
    linked: bool

    def __str__(self) -> str:
        return f"{self.page}: {self.named!r} is not a link to a guide page in “{self.text}”"


def _pattern(titles: list[str]) -> re.Pattern[str]:
    # A page by its title only after a verb that can only send ("in Search" is not).
    title = "|".join(re.escape(t).replace(r"\ ", r"\s+") for t in titles) or "(?!)"
    return re.compile(
        rf"{_SEND}(?P<named>{_GUIDE}|{_FILE})|\b(?:see|consult|read)\s+(?P<title>{title})|{_TELLS}",
        re.IGNORECASE,
    )


def _is_guide_target(page: str, href: str, guide_dir: str, outdir: Path) -> bool:
    """Whether ``href``, on output file ``page``, leads to a page of the guide."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return False
    path = unquote(parts.path)
    if path.startswith("/"):  # the 404 page's absolute links: the prefix is the site's
        return f"/{guide_dir}/" in path
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page), path or "."))
    inside = target == guide_dir or target.startswith(guide_dir + "/")
    found = outdir / target
    return inside and ((found / "index.html").is_file() or found.is_file())


def _text_and_links(node: Tag) -> tuple[str, list[str | None]]:
    """The node's visible text, and for each character the href of the link around it."""
    text: list[str] = []
    links: list[str | None] = []
    for string in node.descendants:
        if not isinstance(string, NavigableString) or string.find_parent(_SKIPPED):
            continue
        if type(string) is not NavigableString:  # comments, doctypes
            continue
        anchor = string.find_parent("a", href=True)
        href = str(anchor["href"]) if anchor is not None else None
        text.append(str(string))
        links.extend([href] * len(string))
    return "".join(text), links


def guide_titles(outdir: Path, guide_dir: str = "docs") -> list[str]:
    """The titles of the guide's pages, longest first (their h1, without the ``#``)."""
    titles = set()
    for path in (outdir / guide_dir).rglob("index.html"):
        heading = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").find("h1")
        if heading is not None:
            title = heading.get_text(" ", strip=True).removesuffix("#").strip()
            if len(title.split()) > 1:  # "Photos", "Search": words, not only titles
                titles.add(title)
    return sorted(titles, key=lambda t: (-len(t), t))


def mentions(
    outdir: Path, html: str, page: str, titles: list[str], guide_dir: str = "docs"
) -> list[Mention]:
    """The mentions of the guide on one output page (``page``: its path in ``outdir``)."""
    # The page's own content: the sidebars list pages, they send nobody anywhere.
    parsed = BeautifulSoup(html, "html.parser")
    body = parsed.find("main") or parsed.body
    if body is None:
        return []
    text, links = _text_and_links(body)
    found = []
    for match in _pattern(titles).finditer(text):
        group = next(g for g in ("named", "title", "subject") if match.group(g) is not None)
        start, end = match.span(group)
        hrefs = {links[i] for i in range(start, end) if not text[i].isspace()}
        linked = None not in hrefs and all(
            _is_guide_target(page, href, guide_dir, outdir) for href in hrefs if href
        )
        context = " ".join(text[max(0, start - 50) : end + 30].split())
        found.append(Mention(page, context, " ".join(match.group(group).split()), linked))
    return found


def site_mentions(outdir: Path, guide_dir: str = "docs") -> tuple[int, list[Mention]]:
    """How many pages were read, and every mention of the guide on them."""
    titles = guide_titles(outdir, guide_dir)
    pages = [
        path
        for path in sorted(outdir.rglob("*.html"))
        if path.relative_to(outdir).parts[0] not in _NOT_PAGES
    ]
    found = []
    for path in pages:
        page = path.relative_to(outdir).as_posix()
        html = path.read_text(encoding="utf-8")
        found += mentions(outdir, html, page, titles, guide_dir)
    return len(pages), found
