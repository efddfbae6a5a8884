"""The two reading indexes: ``/recaps/`` (every recap, newest first) and ``/talks/``.

``/recaps/`` shows each recap as a card with its first lines, filed under the year of
what it recaps; ``/talks/`` lists the talks by conference, newest conference first, as
one compact line each (a card per talk would make it the heaviest page of the site).

Past :data:`TALKS_INDEX_LINES` talks, the older conferences are listed by name and
number of talks, each linking to its page, which lists every one of its talks: at
pyvideo.org's scale a line for each of 21,700 talks made ``/talks/`` 4.3 MB (1.1 MB
compressed), a page a phone struggles with and that every talk title edit rewrote.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from conference_recaps.pages.contexts import (
    ConferenceRow,
    RecapCard,
    RecapsIndexContext,
    TalkLine,
    TalksIndexContext,
    TalksOfConference,
)
from conference_recaps.pages.generate import Page
from conference_recaps.urls import RECAPS_INDEX, catalogue_page, index_page

if TYPE_CHECKING:
    from conference_recaps.pages.site import Site


def recaps_index(site: Site) -> Page:
    """``/recaps/``: every recap, newest first, grouped by the year it is filed under."""
    years: dict[int | None, list[RecapCard]] = {}
    for recap in sorted(site.recaps, key=lambda r: (r.year or 0, r.sort_key()), reverse=True):
        years.setdefault(recap.year, []).append(RecapCard.of(recap))
    return Page(
        name=RECAPS_INDEX,
        title="Recaps",
        context=RecapsIndexContext(
            years=tuple((year, tuple(cards)) for year, cards in years.items()),
            count=len(site.recaps),
        ),
    )


#: How many talks ``/talks/`` lists line by line, newest conferences first; a
#: conference is listed whole, and the ones after are listed by name and count.
TALKS_INDEX_LINES = 1000


def talks_index(site: Site) -> Page:
    """``/talks/``: the talks, by conference, newest conference first."""
    catalogue = site.catalogue
    groups = []
    earlier: list[ConferenceRow] = []
    lines = 0
    for year in sorted(site.conferences_of_year, reverse=True):
        for conference_id in reversed(site.conferences_of_year[year]):
            conference = catalogue.conferences[conference_id]
            if lines >= TALKS_INDEX_LINES:
                earlier.append(ConferenceRow.of(site, conference))
                continue
            lines += len(catalogue.talks_of_conference(conference_id))
            groups.append(
                TalksOfConference(
                    conference=ConferenceRow.of(site, conference),
                    talks=tuple(
                        TalkLine(
                            page=catalogue_page("talk", talk.id),
                            title=talk.title,
                            kind=talk.kind.value,
                            speakers=", ".join(
                                site.speaker_name(s)
                                for s in talk.speakers
                                if s in catalogue.speakers
                            ),
                            video=bool(talk.video),
                        )
                        for talk in catalogue.talks_of_conference(conference_id)
                    ),
                )
            )
    return Page(
        name=index_page("talk"),
        title="Talks",
        context=TalksIndexContext(
            conferences=tuple(groups), earlier=tuple(earlier), count=len(catalogue.talks)
        ),
    )
