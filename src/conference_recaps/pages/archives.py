"""Archives: ``/years/<yyyy>/`` and ``/tags/<tag>/``, with the ``/years/`` and ``/tags/`` indexes.

A year page lists the year's conferences (with their talk and recap counts) and the
recaps about them; a tag page lists the talks and recaps with the tag, newest year
first. Years come from the conferences (a recap counts in its conference's year, or in
its own date's year when it names none); tags from talks and recaps.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from conference_recaps.pages.contexts import (
    ConferenceRow,
    RecapSummary,
    TagIndexContext,
    TagPageContext,
    TagRow,
    TalkSummary,
    YearIndexContext,
    YearPageContext,
    YearRow,
)
from conference_recaps.pages.generate import Page
from conference_recaps.urls import catalogue_page, index_page

if TYPE_CHECKING:
    from collections.abc import Iterator

    from conference_recaps.pages.site import Site


def year_pages(site: Site) -> Iterator[Page]:
    catalogue = site.catalogue
    for year in site.years:
        conferences = site.conferences_of_year.get(year, [])
        yield Page(
            name=catalogue_page("year", year),
            title=str(year),
            context=YearPageContext(
                year=year,
                conferences=tuple(
                    ConferenceRow.of(site, catalogue.conferences[c]) for c in conferences
                ),
                talks=sum(len(catalogue.talks_of_conference(c)) for c in conferences),
                recaps=tuple(RecapSummary.of(r) for r in site.recaps_of_year.get(year, ())),
            ),
        )


def year_index(site: Site) -> Page:
    return Page(
        name=index_page("year"),
        title="Years",
        context=YearIndexContext(
            years=tuple(
                YearRow(
                    year=year,
                    page=catalogue_page("year", year),
                    conferences=len(site.conferences_of_year.get(year, ())),
                    recaps=len(site.recaps_of_year.get(year, ())),
                )
                for year in site.years
            )
        ),
    )


def tag_pages(site: Site) -> Iterator[Page]:
    for tag in site.tags:
        talks = site.talks_of_tag.get(tag, [])
        by_year: defaultdict[int | None, list[TalkSummary]] = defaultdict(list)
        for talk in talks:
            by_year[site.year_of(talk)].append(TalkSummary.of(site, talk))
        yield Page(
            name=catalogue_page("tag", tag),
            title=f"Tag: {tag}",
            context=TagPageContext(
                tag=tag,
                talk_count=len(talks),
                years=tuple(
                    (year, tuple(summaries))
                    for year, summaries in sorted(
                        by_year.items(), key=lambda item: item[0] or 0, reverse=True
                    )
                ),
                recaps=tuple(RecapSummary.of(r) for r in site.recaps_of_tag.get(tag, ())),
            ),
        )


def tag_index(site: Site) -> Page:
    return Page(
        name=index_page("tag"),
        title="Tags",
        context=TagIndexContext(
            tags=tuple(
                TagRow(
                    tag=tag,
                    page=catalogue_page("tag", tag),
                    talks=len(site.talks_of_tag.get(tag, ())),
                    recaps=len(site.recaps_of_tag.get(tag, ())),
                )
                for tag in site.tags
            )
        ),
    )
