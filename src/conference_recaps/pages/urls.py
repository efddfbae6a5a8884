"""Where each generated page lives: the URL scheme of ``DESIGN.md``, in one place.

Page names are Sphinx page names (no suffix); the ``dirhtml`` builder writes
``talks/<talk-id>`` to ``talks/<talk-id>/index.html``, so the public URL is
``/talks/<talk-id>/``. Links to catalogue pages should go through
:func:`catalogue_page` and :func:`page_exists`, so a link is only made to a page that is
generated.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from conference_recaps.catalogue.model import Catalogue

PageKind = Literal["talk", "speaker", "conference", "year", "tag"]

#: The folder of each page family, and of its index page (``/conferences/`` ...).
FOLDERS: dict[str, str] = {
    "talk": "talks",
    "speaker": "speakers",
    "conference": "conferences",
    "year": "years",
    "tag": "tags",
}

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


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
    name also get pages; they are known after reading, see ``generate``.)
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
