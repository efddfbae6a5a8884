"""Archives: ``/years/<yyyy>/`` and ``/tags/<tag>/``, with the ``/years/`` and ``/tags/`` indexes.

A year page lists the year's conferences (with their talk and recap counts) and the
recaps about them; a tag page lists the talks and recaps with the tag, newest year
first. Years come from the conferences (a recap counts in its conference's year, or in
its own date's year when it names none); tags from talks and recaps.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from conference_recaps.pages.conference import recap_summary
from conference_recaps.pages.generate import Page
from conference_recaps.pages.talk import talk_summary
from conference_recaps.pages.urls import catalogue_page, index_page

if TYPE_CHECKING:
    from collections.abc import Iterator

    from conference_recaps.pages.site import Site


def _conference_row(site: Site, conference_id: str) -> dict[str, Any]:
    conference = site.catalogue.conferences[conference_id]
    return {
        "page": catalogue_page("conference", conference.id),
        "name": conference.name,
        "start": conference.start,
        "location": conference.location,
        "talks": len(site.catalogue.talks_of_conference(conference.id)),
        "recaps": len(site.recaps_of_conference.get(conference.id, ())),
    }


def year_pages(site: Site) -> Iterator[Page]:
    for year in site.years:
        conferences = site.conferences_of_year.get(year, [])
        yield Page(
            name=catalogue_page("year", year),
            title=str(year),
            template="year.html",
            family="year",
            context={
                "year": year,
                "conferences": [_conference_row(site, c) for c in conferences],
                "talks": sum(len(site.catalogue.talks_of_conference(c)) for c in conferences),
                "recaps": [recap_summary(r) for r in site.recaps_of_year.get(year, ())],
            },
        )


def year_index(site: Site) -> Page:
    return Page(
        name=index_page("year"),
        title="Years",
        template="year_index.html",
        family="index",
        context={
            "years": [
                {
                    "year": year,
                    "page": catalogue_page("year", year),
                    "conferences": len(site.conferences_of_year.get(year, ())),
                    "recaps": len(site.recaps_of_year.get(year, ())),
                }
                for year in site.years
            ]
        },
    )


def tag_pages(site: Site) -> Iterator[Page]:
    for tag in site.tags:
        talks = site.talks_of_tag.get(tag, [])
        by_year: defaultdict[int | None, list[dict[str, Any]]] = defaultdict(list)
        for talk in talks:
            by_year[site.year_of(talk)].append(talk_summary(site, talk))
        yield Page(
            name=catalogue_page("tag", tag),
            title=f"Tag: {tag}",
            template="tag.html",
            family="tag",
            context={
                "tag": tag,
                "talk_count": len(talks),
                "years": sorted(by_year.items(), key=lambda item: item[0] or 0, reverse=True),
                "recaps": [recap_summary(r) for r in site.recaps_of_tag.get(tag, ())],
            },
        )


def tag_index(site: Site) -> Page:
    return Page(
        name=index_page("tag"),
        title="Tags",
        template="tag_index.html",
        family="index",
        context={
            "tags": [
                {
                    "tag": tag,
                    "page": catalogue_page("tag", tag),
                    "talks": len(site.talks_of_tag.get(tag, ())),
                    "recaps": len(site.recaps_of_tag.get(tag, ())),
                }
                for tag in site.tags
            ]
        },
    )
