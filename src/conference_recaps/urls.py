"""Where each generated page lives, and which links the site accepts: URL rules in one place.

Page names are Sphinx page names (no suffix); the ``dirhtml`` builder writes
``talks/<talk-id>`` to ``talks/<talk-id>/index.html``, so the public URL is
``/talks/<talk-id>/`` (the scheme of ``DESIGN.md``). Everything that links to a
catalogue page (cards, roles, generated pages, feeds, the sitemap, templates through
their ``url`` helpers) names it with :func:`catalogue_page` or :func:`index_page`.

External links from the catalogue, front matter and directive options must be absolute
``http``/``https`` URLs with a host: :func:`is_http_url` is that check, and
:data:`HTTP_URL_PATTERN` is the same rule in the catalogue's JSON Schema.
"""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING, Final, Literal

if TYPE_CHECKING:
    from sphinx.builders import Builder

    from conference_recaps.catalogue.model import Catalogue

#: The kinds of catalogue page.
PageKind = Literal["talk", "speaker", "conference", "year", "tag"]

#: The folder of each page family, and of its index page (``/conferences/`` ...).
FOLDERS: Final[dict[str, str]] = {
    "talk": "talks",
    "speaker": "speakers",
    "conference": "conferences",
    "year": "years",
    "tag": "tags",
}

#: An absolute http(s) URL with a host, no whitespace and no control characters (a NUL
#: in a URL is refused where it is written, with its line, rather than by every page that
#: links it), and no credentials before the host.
HTTP_URL_PATTERN: Final = r"^https?://[^\s/?#@\x00-\x1f\x7f]+(?:[/?#][^\s\x00-\x1f\x7f]*)?$"
_HTTP_URL = re.compile(HTTP_URL_PATTERN)

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


#: The ``/recaps/`` index: every recap, newest first (``pages/listings.py``).
RECAPS_INDEX = "recaps/index"


def is_http_url(value: object) -> bool:
    """Whether ``value`` (stripped) is an absolute ``http``/``https`` URL the site links to."""
    return isinstance(value, str) and _HTTP_URL.match(value.strip()) is not None


def safe_url(url: str | None) -> str | None:
    """``url`` stripped if it is an absolute http(s) URL, else None."""
    if url is None or not is_http_url(url):
        return None
    return url.strip()


def tag_slug(tag: str) -> str:
    """The URL slug of a tag: tags are slugs already in the catalogue; recaps may differ."""
    if _SLUG.match(tag):
        return tag
    return "-".join(re.findall(r"[a-z0-9]+", tag.casefold())) or "untitled"


def catalogue_page(kind: PageKind | str, ident: str | int) -> str:
    """The page name of a talk, speaker, conference, year or tag page."""
    if kind == "tag":
        ident = tag_slug(str(ident))
    return f"{FOLDERS[kind]}/{ident}"


def index_page(kind: PageKind | str) -> str:
    """The page name of a family's index, e.g. ``conferences/index`` for ``/conferences/``."""
    return f"{FOLDERS[kind]}/index"


def page_exists(catalogue: Catalogue, kind: PageKind | str, ident: str | int) -> bool:
    """Whether a page is generated for this catalogue entry.

    Every talk, speaker and conference of the catalogue has a page, and so has every
    year with a conference and every tag of a talk. (Years and tags that only recaps
    name also get pages; they are known after reading, see ``pages.generate``.)
    """
    if kind == "talk":
        return str(ident) in catalogue.talks
    if kind == "speaker":
        return str(ident) in catalogue.speakers
    if kind == "conference":
        return str(ident) in catalogue.conferences
    if kind == "year":
        return any(c.year == int(ident) for c in catalogue.conferences.values())
    if kind == "tag":
        slug = tag_slug(str(ident))
        return any(slug in map(tag_slug, t.tags) for t in catalogue.talks.values())
    return False


def output_path(builder: Builder, pagename: str) -> str:
    """``builder.get_output_path(pagename)`` as text, for loops over every page.

    Sphinx's ``get_output_path`` makes two pathlib objects a page: for the 38,000
    existence checks of each build at pyvideo.org's scale that was about 4 % of a talk
    edit. This is its rule for ``dirhtml`` and ``html`` (a test holds them equal); any
    other builder is asked.
    """
    if builder.name == "dirhtml":
        parts = pagename.split("/")
        if parts[-1] == "index":
            parts.pop()
        return os.path.join(builder.outdir, *parts, "index" + builder.out_suffix)  # type: ignore[attr-defined]  # noqa: PTH118
    if builder.name == "html":
        return os.path.join(builder.outdir, pagename + builder.out_suffix)  # type: ignore[attr-defined]  # noqa: PTH118
    return str(builder.get_outfilename(pagename))  # type: ignore[attr-defined]
