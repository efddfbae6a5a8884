"""Speaker pages, ``/speakers/<speaker-id>/``, and the ``/speakers/`` index.

A speaker page shows the name, the other spellings (aliases), every talk across
conferences (newest conference first) and the recaps that mention the speaker or one of
their talks.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from conference_recaps.pages.generate import Page
from conference_recaps.pages.talk import talk_summary
from conference_recaps.pages.urls import catalogue_page, index_page

if TYPE_CHECKING:
    from collections.abc import Iterator

    from conference_recaps.pages.site import Site


def speaker_pages(site: Site) -> Iterator[Page]:
    catalogue = site.catalogue
    for speaker in catalogue.speakers.values():
        talks = catalogue.talks_of_speaker(speaker.id)
        by_conference: defaultdict[str, list[dict[str, Any]]] = defaultdict(list)
        for talk in talks:
            by_conference[talk.conference].append(talk_summary(site, talk))
        conferences = sorted(
            (c for c in by_conference if c in catalogue.conferences),
            key=lambda c: catalogue.conferences[c].start,
            reverse=True,
        )
        mentions: dict[str, dict[str, str]] = {}
        for kind, ident in [("speaker", speaker.id)] + [("talk", t.id) for t in talks]:
            for place in site.places.get((kind, ident), ()):
                mentions.setdefault(
                    place.docname,
                    {"doc": place.docname, "anchor": place.anchor, "title": place.title},
                )
        yield Page(
            name=catalogue_page("speaker", speaker.id),
            title=speaker.name,
            template="speaker.html",
            family="speaker",
            context={
                "speaker": {
                    "id": speaker.id,
                    "name": speaker.name,
                    "aliases": list(speaker.public_aliases),
                    "url": speaker.url,
                },
                "talk_count": len(talks),
                "conferences": [
                    {
                        "page": catalogue_page("conference", c),
                        "name": catalogue.conferences[c].name,
                        "talks": by_conference[c],
                    }
                    for c in conferences
                ],
                "mentions": list(mentions.values()),
            },
        )


def speaker_index(site: Site) -> Page:
    """``/speakers/``: every speaker by initial, with a count of talks."""
    catalogue = site.catalogue
    groups: defaultdict[str, list[tuple[str, str, int]]] = defaultdict(list)
    for speaker in sorted(catalogue.speakers.values(), key=lambda s: (s.name.casefold(), s.id)):
        initial = speaker.name[:1].upper()
        initial = initial if initial.isalpha() else "#"
        groups[initial].append(
            (
                catalogue_page("speaker", speaker.id),
                speaker.name,
                len(catalogue.talks_of_speaker(speaker.id)),
            )
        )
    return Page(
        name=index_page("speaker"),
        title="Speakers",
        template="speaker_index.html",
        family="index",
        context={"groups": sorted(groups.items()), "count": len(catalogue.speakers)},
    )
