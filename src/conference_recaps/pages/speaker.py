"""Speaker pages, ``/speakers/<speaker-id>/``, and the ``/speakers/`` index.

A speaker page shows the name, the other spellings (aliases), every talk across
conferences (newest conference first) and the recaps that mention the speaker or one of
their talks.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from conference_recaps.pages.contexts import (
    ConferenceTalks,
    RecapCard,
    SpeakerFacts,
    SpeakerIndexContext,
    SpeakerPageContext,
    SpeakerRow,
    TalkSummary,
)
from conference_recaps.pages.generate import Page
from conference_recaps.urls import catalogue_page, index_page

if TYPE_CHECKING:
    from collections.abc import Iterator

    from conference_recaps.pages.site import Site


def speaker_pages(site: Site) -> Iterator[Page]:
    catalogue = site.catalogue
    for speaker in catalogue.speakers.values():
        talks = catalogue.talks_of_speaker(speaker.id)
        by_conference: defaultdict[str, list[TalkSummary]] = defaultdict(list)
        for talk in talks:
            by_conference[talk.conference].append(TalkSummary.of(site, talk, speaker=speaker.id))
        conferences = sorted(
            (c for c in by_conference if c in catalogue.conferences),
            key=lambda c: catalogue.conferences[c].start,
            reverse=True,
        )
        mentions: dict[str, RecapCard] = {}
        for kind, ident in [("speaker", speaker.id)] + [("talk", t.id) for t in talks]:
            for card in RecapCard.of_places(site, kind, ident):
                mentions.setdefault(card.doc, card)
        yield Page(
            name=catalogue_page("speaker", speaker.id),
            title=speaker.name,
            context=SpeakerPageContext(
                speaker=SpeakerFacts(
                    id=speaker.id,
                    name=speaker.name,
                    aliases=speaker.public_aliases,
                    url=speaker.url,
                ),
                talk_count=len(talks),
                conferences=tuple(
                    ConferenceTalks(
                        page=catalogue_page("conference", c),
                        name=catalogue.conferences[c].name,
                        talks=tuple(by_conference[c]),
                    )
                    for c in conferences
                ),
                mentions=tuple(mentions.values()),
            ),
        )


def speaker_index(site: Site) -> Page:
    """``/speakers/``: every speaker by initial, with a count of talks."""
    catalogue = site.catalogue
    groups: defaultdict[str, list[SpeakerRow]] = defaultdict(list)
    for speaker in sorted(catalogue.speakers.values(), key=lambda s: (s.name.casefold(), s.id)):
        initial = speaker.name[:1].upper()
        initial = initial if initial.isalpha() else "#"
        groups[initial].append(
            SpeakerRow(
                catalogue_page("speaker", speaker.id),
                speaker.name,
                len(catalogue.talks_of_speaker(speaker.id)),
            )
        )
    return Page(
        name=index_page("speaker"),
        title="Speakers",
        context=SpeakerIndexContext(
            groups=tuple((initial, tuple(rows)) for initial, rows in sorted(groups.items())),
            count=len(catalogue.speakers),
        ),
    )
