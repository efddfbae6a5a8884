"""Talk pages, ``/talks/<conference-id>/<slug>/``: one per talk of the catalogue.

A talk page shows the title, speakers, conference, date, kind, tags, the abstract
(Markdown made safe by :func:`conference_recaps.abstracts.render_abstract`), the video
and slides links, every recap that mentions the talk (linking to the card or link
itself), the previous and next talk of the same conference, the video's chapters (each
a link to the video at that moment, where the host has such links; ``chapters.html``)
and up to six related talks as cards (:mod:`conference_recaps.catalogue.related`,
``related.html``). Everything shown is in the page's context, so a change to any of it
(a speaker renamed, a related talk retitled, a recap that starts mentioning the talk)
rewrites the page, and nothing else does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from conference_recaps.catalogue.related import related_talks
from conference_recaps.pages.contexts import (
    ChapterRow,
    ConferenceRef,
    Link,
    RecapCard,
    RelatedCard,
    TalkFacts,
    TalkPageContext,
    speaker_links,
)
from conference_recaps.pages.generate import Page
from conference_recaps.pages.video import video_of
from conference_recaps.urls import catalogue_page

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from conference_recaps.catalogue.model import Talk
    from conference_recaps.pages.site import Site


def _link(talk: Talk | None) -> Link | None:
    return Link(catalogue_page("talk", talk.id), talk.title) if talk is not None else None


def talk_pages(site: Site, conferences: Iterable[str] | None = None) -> Iterator[Page]:
    """The talk pages of ``conferences`` (ids, in the catalogue's order), or of all."""
    catalogue = site.catalogue
    for conference_id in catalogue.conferences if conferences is None else conferences:
        talks = catalogue.talks_of_conference(conference_id)
        conference = catalogue.conferences[conference_id]
        for index, talk in enumerate(talks):
            before = talks[index - 1] if index > 0 else None
            after = talks[index + 1] if index + 1 < len(talks) else None
            yield Page(
                name=catalogue_page("talk", talk.id),
                title=talk.title,
                context=TalkPageContext(
                    video=video_of(talk.video, thumbnails=site.thumbnails),
                    talk=TalkFacts(
                        id=talk.id,
                        title=talk.title,
                        kind=talk.kind.value,
                        date=talk.date,
                        abstract=talk.abstract,
                        video=talk.video,
                        slides=talk.slides,
                        tags=tuple(Link(catalogue_page("tag", tag), tag) for tag in talk.tags),
                    ),
                    speakers=speaker_links(site, talk),
                    conference=ConferenceRef(
                        page=catalogue_page("conference", conference.id),
                        name=conference.name,
                        location=conference.location,
                    ),
                    year=site.year_of(talk),
                    mentions=RecapCard.of_places(site, "talk", talk.id),
                    prev=_link(before),
                    next=_link(after),
                    chapters=tuple(ChapterRow.of(site, talk, c) for c in talk.chapters),
                    related=tuple(
                        RelatedCard.of(site, other) for other in related_talks(catalogue, talk.id)
                    ),
                ),
            )
