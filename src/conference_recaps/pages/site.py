"""What generated pages show, gathered once per build from the catalogue and the Domain.

The Domain keeps records per document (which recap mentions which talk, each recap's
front matter, photo credits); pages need them the other way round (the recaps that
mention *this* talk). :class:`Site` inverts them in one pass, so building 20,000 pages
costs one dictionary look-up per page instead of a scan of every document.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from conference_recaps.catalogue.model import talk_order, talk_year
from conference_recaps.config import get_config
from conference_recaps.domain import get_catalogue, get_domain, recap_metas
from conference_recaps.excerpts import image_path
from conference_recaps.fingerprint import data_digest
from conference_recaps.frontmatter import filed_year
from conference_recaps.urls import tag_slug

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment

    from conference_recaps.catalogue.model import Catalogue, Talk
    from conference_recaps.excerpts import Excerpt
    from conference_recaps.frontmatter import RecapMeta


@dataclass(frozen=True, slots=True)
class RecapInfo:
    """A recap post as pages list it."""

    docname: str
    title: str
    date: datetime.date | None
    conference: str | None
    authors: tuple[str, ...]
    tags: tuple[str, ...]
    kind: str
    #: The recap's first lines (or its description), for cards.
    excerpt: str = ""
    #: Its first photo in the output (``_images/...``), for cards and link previews.
    image: str | None = None
    image_alt: str = ""
    #: The year it is filed under (see :func:`~conference_recaps.frontmatter.filed_year`).
    year: int | None = None

    def sort_key(self) -> tuple[str, str]:
        """Newest first when sorted in reverse."""
        return (self.date.isoformat() if self.date else "0000", self.docname)


@dataclass(frozen=True, slots=True)
class Place:
    """A place in a document that shows a talk or a speaker: the target of a link."""

    docname: str
    anchor: str
    title: str


@dataclass(frozen=True, slots=True)
class Credit:
    """A photo credit, as a conference page lists it."""

    docname: str
    anchor: str
    alt: str
    credit: str
    credit_url: str | None
    license: str | None


def _settings(env: BuildEnvironment) -> tuple[bool, str | None]:
    """The settings a :class:`Site` reads: the thumbnails, and the guide if it is a page."""
    settings = get_config(env.config)
    guide = settings.guide if settings.guide in env.all_docs else None
    return settings.video_thumbnails, guide


def _recap_info(
    docname: str, meta: RecapMeta, excerpt: Excerpt | None, env: BuildEnvironment
) -> RecapInfo:
    return RecapInfo(
        docname=docname,
        title=meta.title,
        date=meta.date,
        conference=meta.conference,
        authors=meta.authors,
        tags=meta.tags,
        kind=meta.kind.value,
        excerpt=excerpt.text if excerpt else "",
        image=image_path(env, excerpt),
        image_alt=excerpt.image_alt if excerpt else "",
        year=filed_year(meta, get_catalogue(env)),
    )


class Site:
    """The catalogue and the recaps, indexed the way pages read them."""

    @classmethod
    def of(cls, env: BuildEnvironment) -> Site:
        """The site as the build under way reads it, made once for all who read it.

        The pages, the feeds and the sitemap each made their own: at pyvideo.org's scale
        a second of a talk edit. What a :class:`Site` is made of is settled once the
        documents are read: the catalogue (a new object when a file of it changed), the
        documents (``env.all_docs`` holds the time each was read) and two settings. The
        latest site is kept (one, so a long process holds no more) and given again while
        those are the same.
        """
        global _latest  # noqa: PLW0603 - the latest site of this process
        catalogue, settings = get_catalogue(env), _settings(env)
        site = _latest
        if (
            site is not None
            and site.env is env
            and site.catalogue is catalogue
            and site.docs == env.all_docs
            and (site.thumbnails, site.guide) == settings
        ):
            return site
        site = _latest = cls(env)
        return site

    def __init__(self, env: BuildEnvironment) -> None:
        #: What it was made from (:meth:`of`): the environment and its documents, as read.
        self.env = env
        self.docs = dict(env.all_docs)
        self.catalogue: Catalogue = get_catalogue(env)
        #: Whether cards and talk pages show the video host's thumbnails; the
        #: contributor guide's first page, where pages say "see the contributor guide".
        self.thumbnails, self.guide = _settings(env)
        domain = get_domain(env)
        excerpts = domain.table("excerpts")
        self.titles: dict[str, str] = {
            docname: title.astext() for docname, title in env.titles.items()
        }
        recaps = [
            _recap_info(docname, meta, excerpts.get(docname), env)
            for docname, meta in recap_metas(env).items()
            if docname in env.all_docs and meta.withdrawn is None  # withdrawn: in no listing
        ]
        #: Every recap, newest first.
        self.recaps: list[RecapInfo] = sorted(recaps, key=RecapInfo.sort_key, reverse=True)
        self.recap_by_doc = {recap.docname: recap for recap in self.recaps}
        self.recaps_of_conference: defaultdict[str, list[RecapInfo]] = defaultdict(list)
        self.recaps_of_year: defaultdict[int, list[RecapInfo]] = defaultdict(list)
        self.recaps_of_tag: defaultdict[str, list[RecapInfo]] = defaultdict(list)
        for recap in self.recaps:
            conference = self.catalogue.conferences.get(recap.conference or "")
            if conference is not None:
                self.recaps_of_conference[conference.id].append(recap)
            year = recap.year or (recap.date.year if recap.date else None)
            if year is not None:
                self.recaps_of_year[year].append(recap)
            for tag in recap.tags:
                self.recaps_of_tag[tag_slug(tag)].append(recap)

        #: (kind, id) -> the places that show it, one per document, in document order.
        self.places: defaultdict[tuple[str, str], list[Place]] = defaultdict(list)
        for docname in sorted(domain.table("mentions")):
            seen: set[tuple[str, str]] = set()
            for mention in domain.table("mentions")[docname]:
                key = (str(mention.kind), str(mention.id))
                if key in seen:
                    continue
                seen.add(key)
                title = self.doc_title(docname)
                self.places[key].append(Place(docname, str(mention.anchor), title))

        self.credits_of_doc: dict[str, list[Credit]] = {
            docname: [
                Credit(
                    docname,
                    str(photo.anchor),
                    str(photo.alt),
                    str(photo.credit),
                    photo.credit_url,
                    photo.license,
                )
                for photo in photos
            ]
            for docname, photos in domain.table("photos").items()
        }

        self.talks_of_tag: defaultdict[str, list[Talk]] = defaultdict(list)
        self.conferences_of_year: defaultdict[int, list[str]] = defaultdict(list)
        for conference in sorted(
            self.catalogue.conferences.values(), key=lambda c: (c.start, c.name.casefold())
        ):
            self.conferences_of_year[conference.year].append(conference.id)
        for talk in sorted(self.catalogue.talks.values(), key=talk_order):
            for tag in talk.tags:
                self.talks_of_tag[tag_slug(tag)].append(talk)
        #: Years with a conference or a recap, newest first.
        self.years: list[int] = sorted(
            set(self.conferences_of_year) | set(self.recaps_of_year), reverse=True
        )
        #: Tag slugs with a talk or a recap, alphabetically.
        self.tags: list[str] = sorted(set(self.talks_of_tag) | set(self.recaps_of_tag))
        #: What a talk looks like in every list, made once per talk and build
        #: (:meth:`~.contexts.TalkSummary.of`): a talk is listed on its conference's,
        #: speakers', tags' and related talks' pages.
        self.summaries: dict[str, Any] = {}

    def digest(self) -> str:
        """A digest of what pages read from the documents (the catalogue is not in it).

        A recap's front matter, excerpt, first photo, mentions and photo credits are;
        the rest of its text is not: no generated page shows it, so editing a sentence
        of a recap makes no page again (pages/__init__.py, sitemap.py). Dictionaries are
        sorted, so the order documents were read in does not count as a change.
        """
        return data_digest(
            self.thumbnails,
            self.guide,
            sorted(self.titles.items()),
            self.recaps,
            sorted(self.places.items()),
            sorted(self.credits_of_doc.items()),
        )

    def doc_title(self, docname: str) -> str:
        recap = self.recap_by_doc.get(docname)
        return recap.title if recap is not None else self.titles.get(docname, docname)

    def year_of(self, talk: Talk) -> int | None:
        return talk_year(self.catalogue, talk)

    def conference_name(self, conference_id: str) -> str:
        conference = self.catalogue.conferences.get(conference_id)
        return conference.name if conference else conference_id

    def speaker_name(self, speaker_id: str) -> str:
        speaker = self.catalogue.speakers.get(speaker_id)
        return speaker.name if speaker else speaker_id


#: The latest :meth:`Site.of`.
_latest: Site | None = None
