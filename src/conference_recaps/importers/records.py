"""What an importer reads from a source, before it is merged into the catalogue.

Importers turn a source (a pyvideo folder, a pretalx export) into one
:class:`ImportBatch`: a conference and its talks, with speakers still given by name.
:mod:`conference_recaps.importers.merge` then matches them against the catalogue.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from conference_recaps.catalogue.model import TalkKind
from conference_recaps.text import slugify

if TYPE_CHECKING:
    import datetime
    from collections.abc import Iterable

    from conference_recaps.diagnostics import Problem


@dataclass(frozen=True, slots=True)
class ConferenceRecord:
    """A conference as a source describes it; ``None`` where the source says nothing."""

    id: str
    name: str
    start: datetime.date | None = None
    end: datetime.date | None = None
    url: str | None = None
    description: str | None = None
    kind: str | None = None  # "meetup" for a series of evenings


@dataclass(frozen=True, slots=True)
class Note:
    """One thing the importer did to a record, for the summary and the report file.

    ``action`` is one of :data:`ACTIONS`; ``record`` names the source file or catalogue
    entry; ``message`` says what happened and why, in a sentence a contributor can act on.
    """

    action: str
    record: str
    message: str


#: What the importer may do to a record, in the order the report lists them.
ACTIONS = {
    "skip": "records skipped (unreadable or invalid)",
    "merge": "records merged into another (the same talk twice)",
    "drop": "values left out (not usable in the catalogue)",
    "trim": "texts changed (control characters removed)",
    "repair": "texts repaired (mojibake)",
    "split": "speaker strings split into several people",
    "ambiguous": "speaker strings that may name several people (not split)",
    "rename": "ids that differ from the plain slug (taken, or shared by several talks)",
    "shared-video": "talks kept apart although they share a video",
    "dates": "event dates set or widened to cover the talks",
    "meetup": "events marked as meetup series",
    "convert": "descriptions converted to Markdown",
    "tags": "tags folded into the vocabulary",
    "update": "abstracts left by an older import, converted",
}


@dataclass(frozen=True, slots=True)
class TalkRecord:
    """A talk as a source describes it; speakers by name, matched at merge time."""

    title: str
    source: str
    speakers: tuple[str, ...] = ()
    kind: TalkKind = TalkKind.talk
    date: datetime.date | None = None
    abstract: str | None = None
    video: str | None = None
    slides: str | None = None
    tags: tuple[str, ...] = ()
    #: The description exactly as the source gave it (before cleaning and conversion),
    #: to recognise an abstract that an older import wrote and nobody edited since.
    raw_abstract: str | None = None


@dataclass(slots=True)
class ImportBatch:
    """One source's conference and talks, and the problems met reading it."""

    conference: ConferenceRecord
    talks: list[TalkRecord] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    #: Descriptions read, by the format they were in (``rst``, ``html``, ``markdown``...).
    converted: Counter[str] = field(default_factory=Counter)

    def note(self, action: str, record: str, message: str) -> None:
        self.notes.append(Note(action, record, message))

    def dates(
        self, start: datetime.date | None, end: datetime.date | None
    ) -> tuple[datetime.date | None, datetime.date | None]:
        """The conference's dates as the source gives them, else its talks' first and last."""
        dates = sorted(t.date for t in self.talks if t.date is not None)
        if start is None and dates:
            start = dates[0]
        if end is None and dates:
            end = dates[-1]
        return start, end


# Words that name a kind of session, as a regular expression over a lowercased title.
_KIND_WORDS: tuple[tuple[TalkKind, str], ...] = (
    (TalkKind.keynote, r"keynotes?"),
    (TalkKind.lightning, r"lightning[\s-]+talks?"),
    (TalkKind.panel, r"panel(?:\s+discussion)?s?"),
    (TalkKind.tutorial, r"tutorials?"),
    (TalkKind.workshop, r"workshops?"),
    (TalkKind.sprint, r"sprints?"),
)

# Kinds a title may name anywhere; the others only count as a title's first or last
# words ("Panel Discussion: ...", '"State of Django" Panel'), so that "Moving Past the
# Tutorial to Production" or "Custom Control Panels" stay talks.
_ANYWHERE = {TalkKind.keynote, TalkKind.lightning}


def kind_from_words(text: str) -> TalkKind | None:
    """The kind a session type name or tag says (``Lightning Talk`` -> lightning)."""
    lowered = " ".join(text.casefold().replace("_", " ").replace("-", " ").split())
    if lowered in {"talk", "talks", "session", "presentation", "long talk", "short talk"}:
        return TalkKind.talk
    for kind, words in _KIND_WORDS:
        if re.fullmatch(words, lowered):
            return kind
    return None


def kind_from_type(session_type: str) -> TalkKind | None:
    """The kind a conference's session type names, even with extra words (``Workshop (3h)``)."""
    exact = kind_from_words(session_type)
    if exact is not None:
        return exact
    lowered = " ".join(re.sub(r"[^\w]+", " ", session_type.casefold()).split())
    for kind, words in _KIND_WORDS:
        if re.search(rf"\b{words}\b", lowered):
            return kind
    return TalkKind.talk if re.search(r"\b(talk|talks|session|presentation)\b", lowered) else None


def guess_kind(title: str, tags: Iterable[str] = (), hint: str | None = None) -> TalkKind:
    """The kind of a session, from a source's own type name, its tags, then its title.

    ``hint`` is the source's session type (pretalx's submission type); when it names a
    kind, it wins. Otherwise a tag that is exactly a kind word, then the title: keynote
    and lightning anywhere in it, the other kinds as its first or last words.
    """
    if hint and (kind := kind_from_type(hint)) is not None:
        return kind
    for tag in tags:
        kind = kind_from_words(tag)
        if kind is not None and kind is not TalkKind.talk:
            return kind
    lowered = " ".join(re.sub(r"[^\w]+", " ", title.casefold()).split())
    for kind, words in _KIND_WORDS:
        anywhere = rf"\b{words}\b"
        edges = rf"^{words}\b|\b{words}$"
        if re.search(anywhere if kind in _ANYWHERE else edges, lowered):
            return kind
    return TalkKind.talk


def clean_tags(tags: Iterable[str]) -> tuple[str, ...]:
    """Tags as slugs, without duplicates and without tags that only name the kind."""
    seen: dict[str, None] = {}
    for tag in tags:
        if not isinstance(tag, str) or not tag.strip() or kind_from_words(tag) is not None:
            continue
        seen.setdefault(slugify(tag, fallback="tag"), None)
    return tuple(seen)
