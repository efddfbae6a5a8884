"""What every discovery concern asks of a page: its public URL, what it shows, its date.

The site's public address comes from ``READTHEDOCS_CANONICAL_URL`` (Read the Docs sets it
for every build, pull-request previews included), else ``recaps_base_url`` in
``conf.py``, else ``http://127.0.0.1:8000/``: the address ``make serve`` uses, so a
local build has working absolute links without anyone inventing a public address. The
chosen address is put in ``html_baseurl`` (unless ``conf.py`` sets it), which gives every
page its ``<link rel="canonical">`` and is what feeds, the sitemap and structured data
read.

:func:`classify` says what a page is (a talk, speaker, conference, year or tag page from
the catalogue, a recap post, or a plain page), and :func:`lastmod` the date its content
last changed, from content dates only, so two builds of one commit agree.
"""

from __future__ import annotations

import datetime
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urljoin

from sphinx.util import logging

from conference_recaps.catalogue.model import Catalogue, Conference, Speaker, Talk
from conference_recaps.config import get_config
from conference_recaps.domain import get_catalogue, recap_meta
from conference_recaps.urls import FOLDERS, PageKind, is_http_url, output_path, tag_slug

if TYPE_CHECKING:
    from collections.abc import Mapping

    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)

#: Where ``make serve`` serves the site: the base URL when no public address is known.
LOCAL_BASE_URL = "http://127.0.0.1:8000/"

#: Pages that are not content: never in the sitemap, the search index or a feed.
UTILITY_PAGES = frozenset({"search", "genindex", "py-modindex", "404"})

#: What a page is: a catalogue page, an index of one (``listing``), a recap, a plain page,
#: the notice of a withdrawn entry or recap, or a former id's redirect.
SubjectKind = Literal[PageKind, "listing", "recap", "page", "withdrawn", "redirect"]


def resolve_base_url(configured: str, environ: Mapping[str, str]) -> tuple[str, str]:
    """The site's base URL (ending in ``/``) and where it came from."""
    canonical = environ.get("READTHEDOCS_CANONICAL_URL", "").strip()
    if is_http_url(canonical):
        return _with_slash(canonical), "READTHEDOCS_CANONICAL_URL"
    if configured:
        return _with_slash(configured), "recaps_base_url"
    return LOCAL_BASE_URL, "local"


def _with_slash(url: str) -> str:
    return url if url.endswith("/") else url + "/"


def _set_base_url(app: Sphinx, config: Config) -> None:
    """Fill ``html_baseurl`` from Read the Docs or ``recaps_base_url`` unless it is set."""
    if config.html_baseurl:
        config.html_baseurl = _with_slash(config.html_baseurl)
        return
    base, source = resolve_base_url(get_config(config).base_url, os.environ)
    config.html_baseurl = base
    if source == "local":
        logger.info(
            "no public address: canonical URLs, feeds and the sitemap use %s (make serve); "
            "set recaps_base_url in conf.py, or build on Read the Docs",
            base,
        )


def base_url(config: Config) -> str:
    """The site's base URL, ending in ``/`` (set at ``config-inited``)."""
    return str(config.html_baseurl or LOCAL_BASE_URL)


def page_url(builder: Builder, pagename: str) -> str:
    """The absolute URL of a page, e.g. ``https://example.org/talks/<id>/``."""
    return join_url(base_url(builder.config), builder.get_target_uri(pagename))


def join_url(base: str, path: str) -> str:
    """``urljoin(base, path)`` for a base ending in ``/``, quicker for a plain path.

    The sitemap, the feeds and the API join 40,000 page paths to the base at
    pyvideo.org's scale, and ``urljoin`` parses both every time; a path with no scheme,
    query, fragment or dot segment, not starting with ``/``, joins a base with no query
    or fragment as a suffix (``tests/test_seo.py`` holds the two equal).
    """
    if (
        base.endswith("/")
        and not any(c in base for c in "?#")
        and path
        and path[0] not in "/."
        and not any(c in path for c in ":?#")
        and "/." not in path
    ):
        return base + path
    return urljoin(base, path)


def absolute(builder: Builder, path: str) -> str:
    """The absolute URL of a file in the output, e.g. ``_images/photo.jpg``."""
    return urljoin(base_url(builder.config), path)


def output_file(builder: Builder, pagename: str) -> Path:
    """The file a page is written to (``talks/<id>/index.html`` under ``dirhtml``)."""
    return Path(output_path(builder, pagename))


@dataclass(frozen=True, slots=True)
class Subject:
    """What a page shows: ``kind`` and, for catalogue pages and recaps, the entry."""

    kind: SubjectKind
    entry: Any = None


def classify(env: BuildEnvironment, pagename: str) -> Subject:
    """Say what a page is from its name, the catalogue and the recaps' front matter."""
    meta = recap_meta(env, pagename)
    if meta is not None:
        if meta.withdrawn is not None:
            return Subject("withdrawn", meta)
        return Subject("recap", meta)
    folder, _, ident = pagename.partition("/")
    if not ident or pagename in env.all_docs:
        return Subject("page")
    if ident == "index" and folder in FOLDERS.values():
        return Subject("listing", folder)
    catalogue = get_catalogue(env)
    if folder == FOLDERS["talk"] and ident in catalogue.talks:
        return Subject("talk", catalogue.talks[ident])
    if folder == FOLDERS["speaker"] and ident in catalogue.speakers:
        return Subject("speaker", catalogue.speakers[ident])
    if folder == FOLDERS["conference"] and ident in catalogue.conferences:
        return Subject("conference", catalogue.conferences[ident])
    former = _former_or_withdrawn(catalogue, folder, ident)
    if former is not None:
        return former
    if folder == FOLDERS["year"] and ident.isdigit():
        return Subject("year", int(ident))
    if folder == FOLDERS["tag"]:
        return Subject("tag", ident)
    return Subject("page")


def _former_or_withdrawn(catalogue: Catalogue, folder: str, ident: str) -> Subject | None:
    """The notice at a withdrawn entry's URL, or the redirect at a former id's."""
    for kind in ("talk", "speaker", "conference"):
        if folder == FOLDERS[kind]:
            key = f"{kind}:{ident}"
            if key in catalogue.withdrawn:
                return Subject("withdrawn", catalogue.withdrawn[key])
            if key in catalogue.redirects:
                return Subject("redirect", catalogue.redirects[key])
    return None


def talk_date(catalogue: Catalogue, talk: Talk) -> datetime.date | None:
    """When a talk was given: its own date, else its conference's first day."""
    if talk.date is not None:
        return talk.date
    conference = catalogue.conferences.get(talk.conference)
    return conference.start if conference is not None else None


def speaker_names(catalogue: Catalogue, talk: Talk) -> list[str]:
    return [catalogue.speakers[s].name if s in catalogue.speakers else s for s in talk.speakers]


def description_of(catalogue: Catalogue, subject: Subject, *, limit: int = 200) -> str:
    """A one-paragraph summary of a catalogue page, for meta tags and structured data."""
    entry = subject.entry
    if subject.kind == "talk":
        talk: Talk = entry
        if talk.abstract:
            return shorten(talk.abstract, limit)
        held_at = catalogue.conferences.get(talk.conference)
        where = f" at {held_at.name}" if held_at else ""
        speakers = ", ".join(speaker_names(catalogue, talk))
        by = f" by {speakers}" if speakers else ""
        return shorten(f"{talk.title}: a {talk.kind.value}{by}{where}.", limit)
    if subject.kind == "speaker":
        speaker: Speaker = entry
        talks = catalogue.talks_of_speaker(speaker.id)
        names = sorted(
            {
                catalogue.conferences[t.conference].name
                for t in talks
                if t.conference in catalogue.conferences
            }
        )
        count = f"{len(talks)} talk{'s' if len(talks) != 1 else ''}"
        at = f" at {', '.join(names)}" if names else ""
        return shorten(f"{speaker.name}: {count}{at}.", limit)
    if subject.kind == "conference":
        conference: Conference = entry
        if conference.description:
            return shorten(conference.description, limit)
        talks = catalogue.talks_of_conference(conference.id)
        where = f", {conference.location}" if conference.location else ""
        return shorten(
            f"{conference.name}{where}, {conference.start.isoformat()} to "
            f"{conference.end.isoformat()}: {len(talks)} talks, with videos and recaps.",
            limit,
        )
    if subject.kind == "year":
        return f"Conferences, talks and recaps of {entry}."
    if subject.kind == "tag":
        return f"Talks and recaps tagged {entry}."
    if subject.kind == "listing":
        return f"Every entry of the {entry} archive."
    return ""


def shorten(text: str, limit: int) -> str:
    """The first paragraph of ``text`` on one line, cut at a word before ``limit``."""
    paragraph = " ".join(text.strip().split("\n\n", 1)[0].split())
    if len(paragraph) <= limit:
        return paragraph
    cut = paragraph[: limit - 1].rsplit(" ", 1)[0]
    return cut.rstrip(",;:.") + "…"


def tag_matches(tag: str, slug: str) -> bool:
    return tag_slug(tag) == slug


def setup_site(app: Sphinx) -> None:
    # After the recaps_* values are validated (400), before anything reads the base URL.
    app.connect("config-inited", _set_base_url, priority=450)
