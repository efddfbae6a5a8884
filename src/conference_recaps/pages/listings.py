"""The two reading indexes: ``/recaps/`` (every recap, newest first) and ``/talks/``.

``/recaps/`` shows each recap as a card with its first lines, filed under the year of
what it recaps; ``/talks/`` lists every talk by conference, newest conference first,
as one compact line each (a card per talk would make it the heaviest page of the site).
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


def talks_index(site: Site) -> Page:
    """``/talks/``: every talk, by conference, newest conference first."""
    catalogue = site.catalogue
    groups = []
    for year in sorted(site.conferences_of_year, reverse=True):
        for conference_id in reversed(site.conferences_of_year[year]):
            conference = catalogue.conferences[conference_id]
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
        context=TalksIndexContext(conferences=tuple(groups), count=len(catalogue.talks)),
    )
