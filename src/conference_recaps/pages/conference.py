"""Conference pages, ``/conferences/<conference-id>/``, and the ``/conferences/`` index.

A conference page shows the name, dates, place and the conference's own site; its
talks grouped by day, and within a day by kind (keynotes first); every recap about it;
and the credits of the photos in those recaps.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from typing import TYPE_CHECKING

from conference_recaps.catalogue.model import TalkKind
from conference_recaps.pages.contexts import (
    ConferenceFacts,
    ConferenceIndexContext,
    ConferencePageContext,
    ConferenceRow,
    CreditRow,
    Day,
    KindGroup,
    RecapCard,
    TalkSummary,
    YearConferences,
)
from conference_recaps.pages.generate import Page
from conference_recaps.text import KIND_HEADINGS
from conference_recaps.urls import catalogue_page, index_page

if TYPE_CHECKING:
    from collections.abc import Iterator

    from conference_recaps.pages.site import Site

#: How many tags the talk filter offers.
TAG_FILTERS = 12

#: The order of kinds within a day.
KIND_ORDER = {
    kind.value: n
    for n, kind in enumerate(
        (
            TalkKind.keynote,
            TalkKind.talk,
            TalkKind.panel,
            TalkKind.tutorial,
            TalkKind.workshop,
            TalkKind.lightning,
            TalkKind.sprint,
        )
    )
}


def conference_pages(site: Site) -> Iterator[Page]:
    catalogue = site.catalogue
    for conference in catalogue.conferences.values():
        talks = catalogue.talks_of_conference(conference.id)
        days: defaultdict[datetime.date | None, defaultdict[str, list[TalkSummary]]] = defaultdict(
            lambda: defaultdict(list)
        )
        kind_counts: Counter[str] = Counter()
        tag_counts: Counter[str] = Counter()
        for talk in talks:
            days[talk.date][talk.kind.value].append(TalkSummary.of(site, talk))
            kind_counts[talk.kind.value] += 1
            tag_counts.update(talk.tags)
        recaps = site.recaps_of_conference.get(conference.id, [])
        credits = tuple(
            CreditRow(
                doc=credit.docname,
                anchor=credit.anchor,
                alt=credit.alt,
                credit=credit.credit,
                credit_url=credit.credit_url,
                license=credit.license,
            )
            for recap in recaps
            for credit in site.credits_of_doc.get(recap.docname, ())
        )
        yield Page(
            name=catalogue_page("conference", conference.id),
            title=conference.name,
            context=ConferencePageContext(
                conference=ConferenceFacts(
                    id=conference.id,
                    name=conference.name,
                    series=conference.series,
                    start=conference.start,
                    end=conference.end,
                    location=conference.location,
                    url=conference.url,
                    description=conference.description,
                    year=conference.year,
                    kind=conference.kind.value,
                ),
                talk_count=len(talks),
                days=tuple(
                    Day(
                        date=day,
                        id=day.isoformat() if day else "undated",
                        kinds=tuple(
                            KindGroup(kind, KIND_HEADINGS[kind], tuple(kinds[kind]))
                            for kind in sorted(kinds, key=KIND_ORDER.__getitem__)
                        ),
                    )
                    for day, kinds in sorted(
                        days.items(), key=lambda item: item[0].isoformat() if item[0] else "9999"
                    )
                ),
                recaps=tuple(RecapCard.of(recap) for recap in recaps),
                credits=credits,
                kinds=tuple(
                    (kind, KIND_HEADINGS[kind], kind_counts[kind])
                    for kind in sorted(kind_counts, key=KIND_ORDER.__getitem__)
                ),
                # Tags shared by several talks filter usefully; one-off tags do not.
                tags=tuple(
                    (tag, count)
                    for tag, count in sorted(tag_counts.items(), key=lambda t: (-t[1], t[0]))
                    if count > 1
                )[:TAG_FILTERS],
                videos=sum(1 for talk in talks if talk.video),
                guide=site.guide,
            ),
        )


def conference_index(site: Site) -> Page:
    """``/conferences/``: every conference by year, newest first, with its number of talks."""
    catalogue = site.catalogue
    years = []
    for year in site.years:
        conferences = [catalogue.conferences[c] for c in site.conferences_of_year.get(year, ())]
        if conferences:
            years.append(
                YearConferences(
                    year=year,
                    page=catalogue_page("year", year),
                    conferences=tuple(ConferenceRow.of(site, c) for c in conferences),
                )
            )
    return Page(
        name=index_page("conference"),
        title="Conferences",
        context=ConferenceIndexContext(years=tuple(years), count=len(catalogue.conferences)),
    )
