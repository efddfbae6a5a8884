"""The catalogue's typed, immutable objects; everything else reads these, never raw YAML.

:class:`Catalogue` also answers the questions pages ask (a conference's talks, a speaker's
talks, a filtered grid) from indexes built once, and gives each entry a fingerprint so an
incremental build re-reads only the pages whose entries changed.
"""

from __future__ import annotations

import dataclasses
import enum
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from conference_recaps.fingerprint import data_digest, field_values

if TYPE_CHECKING:
    import datetime
    from collections.abc import Iterable, Mapping


C = TypeVar("C", bound=type)


def quick_pickle(cls: C) -> C:
    """Pickle a frozen dataclass with slots as the tuple of its values.

    The dataclass's own ``__getstate__`` and ``__setstate__`` list its fields again for
    every instance. The catalogue is about 100,000 of them at pyvideo.org's scale,
    pickled into the environment after every catalogue edit and loaded on every build:
    0.79 s and 0.55 s with those, 0.62 s and 0.48-0.53 s with these (the values read as
    the fingerprints read them, :func:`~conference_recaps.fingerprint.field_values`; the
    names listed once).
    """
    names = tuple(f.name for f in dataclasses.fields(cls))
    values = field_values(names)

    def getstate(self: object) -> tuple[Any, ...]:
        return tuple(values(self))

    def setstate(self: object, state: tuple[Any, ...]) -> None:
        for name, value in zip(names, state, strict=True):
            object.__setattr__(self, name, value)

    setattr(cls, "__getstate__", getstate)  # noqa: B010 - a method of a made class
    setattr(cls, "__setstate__", setstate)  # noqa: B010
    return cls


@quick_pickle
@dataclass(frozen=True, slots=True, order=True)
class Position:
    """Where an entry starts in its file: a site-relative path and 1-based line and column."""

    path: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


class ConferenceKind(enum.StrEnum):
    """Whether an event is one conference or a series of evenings (a meetup)."""

    conference = "conference"
    meetup = "meetup"


class TalkKind(enum.StrEnum):
    """What kind of session a talk is."""

    talk = "talk"
    keynote = "keynote"
    tutorial = "tutorial"
    workshop = "workshop"
    panel = "panel"
    lightning = "lightning"
    sprint = "sprint"


class WithdrawalReason(enum.StrEnum):
    """Why an entry was taken down."""

    speaker_request = "speaker-request"
    """The person asked: the tombstone shows no title, name or abstract."""
    legal = "legal"
    """A legal request or obligation."""
    duplicate = "duplicate"
    """The entry duplicated another one."""


@quick_pickle
@dataclass(frozen=True, slots=True)
class Withdrawal:
    """A takedown: the entry leaves every listing and its URL serves a tombstone."""

    reason: WithdrawalReason
    date: datetime.date


@quick_pickle
@dataclass(frozen=True, slots=True)
class Alias:
    """Another spelling of a speaker's name; a non-public one only matches imports."""

    name: str
    public: bool = True


@quick_pickle
@dataclass(frozen=True, slots=True)
class Conference:
    """One edition of a conference, e.g. DjangoCon US 2019."""

    id: str
    name: str
    start: datetime.date
    end: datetime.date
    series: str | None = None
    location: str | None = None
    url: str | None = None
    description: str | None = None
    kind: ConferenceKind = ConferenceKind.conference
    former_ids: tuple[str, ...] = ()
    withdrawn: Withdrawal | None = None
    position: Position | None = field(default=None, compare=False, repr=False)

    @property
    def year(self) -> int:
        return self.start.year


@quick_pickle
@dataclass(frozen=True, slots=True)
class Speaker:
    """A person who spoke; ``aliases`` are other spellings of the name seen in sources."""

    id: str
    name: str
    aliases: tuple[Alias, ...] = ()
    url: str | None = None
    former_ids: tuple[str, ...] = ()
    withdrawn: Withdrawal | None = None
    position: Position | None = field(default=None, compare=False, repr=False)

    @property
    def public_aliases(self) -> tuple[str, ...]:
        """The other spellings a page may show (a name the person no longer uses is not)."""
        return tuple(alias.name for alias in self.aliases if alias.public)

    @property
    def all_names(self) -> tuple[str, ...]:
        """The name and every alias, public or not: what imports match against."""
        return (self.name, *(alias.name for alias in self.aliases))


@quick_pickle
@dataclass(frozen=True, slots=True)
class Chapter:
    """A moment of a talk's video: its time as shown (``5:12``), a title, its speakers.

    One chapter per lightning talk names that talk's speaker, so it counts as their talk.
    """

    at: str
    title: str
    speakers: tuple[str, ...] = ()

    @property
    def seconds(self) -> int:
        total = 0
        for part in self.at.split(":"):
            total = total * 60 + int(part)
        return total


@quick_pickle
@dataclass(frozen=True, slots=True)
class Talk:
    """One session of a conference; its id is ``<conference-id>/<talk-slug>``."""

    id: str
    conference: str
    title: str
    speakers: tuple[str, ...] = ()
    kind: TalkKind = TalkKind.talk
    date: datetime.date | None = None
    abstract: str | None = None
    video: str | None = None
    slides: str | None = None
    tags: tuple[str, ...] = ()
    former_ids: tuple[str, ...] = ()
    withdrawn: Withdrawal | None = None
    chapters: tuple[Chapter, ...] = ()
    position: Position | None = field(default=None, compare=False, repr=False)

    @property
    def slug(self) -> str:
        return self.id.partition("/")[2]


Entry = Conference | Speaker | Talk


def entry_key(entry: Entry) -> str:
    """A key unique across the three lists, e.g. ``talk:djangocon-us-2019/just-add-await``."""
    return f"{type(entry).__name__.lower()}:{entry.id}"


def fingerprint(entry: Entry) -> str:
    """A digest of an entry's content (not its position), stable across processes."""
    values = tuple(
        getattr(entry, name) for name in entry.__dataclass_fields__ if name != "position"
    )
    return data_digest(values, size=12)


KINDS = ("conference", "speaker", "talk")


@quick_pickle
@dataclass(frozen=True, slots=True)
class Lookup:
    """What an id names: a published entry, a former id of one, or a withdrawn entry."""

    #: The published entry (for a former id, the entry that now holds it).
    entry: Entry | None = None
    #: Set when the id asked for is a former id: the entry's current id.
    renamed_to: str | None = None
    #: The withdrawn entry the id names (directly or as a former id).
    withdrawn: Entry | None = None


class Catalogue:
    """Every published conference, speaker and talk, by id, with the indexes pages need.

    Withdrawn entries are kept apart (:attr:`withdrawn`), so every page, feed, sitemap,
    search index and structured data made from ``conferences``, ``speakers`` and
    ``talks`` leaves them out without a check of its own. A talk of a withdrawn
    conference is withdrawn with it; a withdrawn speaker is left out of their talks'
    speaker lists. :attr:`redirects` maps each former id to the id that replaced it.
    """

    __slots__ = (
        "_by_conference",
        "_by_speaker",
        "conferences",
        "files",
        "redirects",
        "related_cache",
        "speakers",
        "talks",
        "withdrawn",
    )

    def __init__(
        self,
        conferences: Iterable[Conference] = (),
        speakers: Iterable[Speaker] = (),
        talks: Iterable[Talk] = (),
        files: Iterable[str] = (),
    ) -> None:
        withdrawn: dict[str, Entry] = {}
        redirects: dict[str, str] = {}
        published_conferences: dict[str, Conference] = {}
        for conference in conferences:
            _file(conference, published_conferences, withdrawn, redirects)
        published_speakers: dict[str, Speaker] = {}
        for speaker in speakers:
            _file(speaker, published_speakers, withdrawn, redirects)
        published_talks: dict[str, Talk] = {}
        for given in talks:
            _file(_as_published(given, withdrawn), published_talks, withdrawn, redirects)
        self.conferences: Mapping[str, Conference] = published_conferences
        self.speakers: Mapping[str, Speaker] = published_speakers
        self.talks: Mapping[str, Talk] = published_talks
        #: Withdrawn entries by :func:`entry_key`.
        self.withdrawn: Mapping[str, Entry] = withdrawn
        #: ``entry_key`` of a former id -> the id of the entry that holds it now.
        self.redirects: Mapping[str, str] = redirects
        self.files: tuple[str, ...] = tuple(files)
        by_conference: defaultdict[str, list[Talk]] = defaultdict(list)
        by_speaker: defaultdict[str, list[Talk]] = defaultdict(list)
        for talk in sorted(self.talks.values(), key=talk_order):
            by_conference[talk.conference].append(talk)
            # A lightning talk's chapter with a speaker counts as that speaker's talk.
            for speaker_id in talk_speakers(talk):
                by_speaker[speaker_id].append(talk)
        self._by_conference = {k: tuple(v) for k, v in by_conference.items()}
        self._by_speaker = {k: tuple(v) for k, v in by_speaker.items()}
        #: Related talks by talk id, filled once by :func:`.related.related_talks`; kept
        #: here so it is pickled with the environment and not computed again.
        self.related_cache: dict[str, tuple[str, ...]] | None = None

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Catalogue):
            return NotImplemented
        return (
            self.conferences,
            self.speakers,
            self.talks,
            self.withdrawn,
            self.redirects,
        ) == (
            other.conferences,
            other.speakers,
            other.talks,
            other.withdrawn,
            other.redirects,
        )

    def __hash__(self) -> int:  # mutable-looking mappings: identity hash like a plain object
        return id(self)

    def __getstate__(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in self.__slots__}

    def __setstate__(self, state: dict[str, object]) -> None:
        for name, value in state.items():
            object.__setattr__(self, name, value)

    def published(self, kind: str) -> Mapping[str, Entry]:
        """The published entries of one kind: ``conference``, ``speaker`` or ``talk``."""
        if kind == "conference":
            return self.conferences
        if kind == "speaker":
            return self.speakers
        return self.talks

    def lookup(self, kind: str, ident: str) -> Lookup:
        """What ``ident`` names among the ``kind`` entries (talk, speaker or conference)."""
        key = f"{kind}:{ident}"
        entry = self.get(key)
        if entry is not None:
            return Lookup(entry=entry)
        if key in self.withdrawn:
            return Lookup(withdrawn=self.withdrawn[key])
        new = self.redirects.get(key)
        if new is None:
            return Lookup()
        found = self.lookup(kind, new)
        return Lookup(entry=found.entry, renamed_to=new, withdrawn=found.withdrawn)

    def stamp(self, key: str) -> str:
        """What a page that names ``key`` shows of it, as a digest: re-read when it changes.

        A published entry's fingerprint; for a former id, the id it leads to; for a
        withdrawn entry, only that it is withdrawn; nothing (``""``) for an unknown id.
        """
        entry = self.get(key)
        if entry is not None:
            return fingerprint(entry)
        if key in self.withdrawn:
            return "withdrawn"
        if key in self.redirects:
            kind = key.partition(":")[0]
            return f"renamed:{self.redirects[key]}:{self.stamp(f'{kind}:{self.redirects[key]}')}"
        return ""

    def talks_of_conference(self, conference_id: str) -> tuple[Talk, ...]:
        """The conference's talks, by date then title."""
        return self._by_conference.get(conference_id, ())

    def talks_of_speaker(self, speaker_id: str) -> tuple[Talk, ...]:
        """The speaker's talks across all conferences, by date then title."""
        return self._by_speaker.get(speaker_id, ())

    def select(
        self,
        *,
        conference: str | None = None,
        speaker: str | None = None,
        tag: str | None = None,
        kind: TalkKind | None = None,
        year: int | None = None,
    ) -> list[Talk]:
        """Talks matching every given filter, by date then title."""
        if conference is not None:
            pool: Iterable[Talk] = self.talks_of_conference(conference)
        elif speaker is not None:
            pool = self.talks_of_speaker(speaker)
        else:
            pool = sorted(self.talks.values(), key=talk_order)
        return [
            talk
            for talk in pool
            if (speaker is None or speaker in talk_speakers(talk))
            and (tag is None or tag in talk.tags)
            and (kind is None or talk.kind == kind)
            and (year is None or talk_year(self, talk) == year)
        ]

    def get(self, key: str) -> Entry | None:
        """An entry by its :func:`entry_key`."""
        kind, _, ident = key.partition(":")
        if kind == "conference":
            return self.conferences.get(ident)
        if kind == "speaker":
            return self.speakers.get(ident)
        if kind == "talk":
            return self.talks.get(ident)
        return None


def _as_published(talk: Talk, withdrawn: Mapping[str, Entry]) -> Talk:
    """The talk withdrawn with its conference, or without its withdrawn speakers."""
    held_at = withdrawn.get(f"conference:{talk.conference}")
    if talk.withdrawn is None and held_at is not None:
        return dataclasses.replace(talk, withdrawn=held_at.withdrawn)
    if any(f"speaker:{s}" in withdrawn for s in talk.speakers):
        kept = tuple(s for s in talk.speakers if f"speaker:{s}" not in withdrawn)
        return dataclasses.replace(talk, speakers=kept)
    return talk


def _file(
    entry: Entry,
    published: dict[str, Any],
    withdrawn: dict[str, Entry],
    redirects: dict[str, str],
) -> None:
    """Put an entry among the published or the withdrawn ones, and note its former ids."""
    kind = type(entry).__name__.lower()
    if entry.withdrawn is None:
        published[entry.id] = entry
    else:
        withdrawn[f"{kind}:{entry.id}"] = entry
    for former in entry.former_ids:
        redirects[f"{kind}:{former}"] = entry.id


def talk_speakers(talk: Talk) -> tuple[str, ...]:
    """The talk's speakers, then those its chapters name (each once, in order)."""
    if not talk.chapters:
        return talk.speakers
    named = dict.fromkeys(talk.speakers)
    for chapter in talk.chapters:
        named.update(dict.fromkeys(chapter.speakers))
    return tuple(named)


def talk_year(catalogue: Catalogue, talk: Talk) -> int | None:
    """The talk's year: its own date's, else its conference's."""
    if talk.date is not None:
        return talk.date.year
    conference = catalogue.conferences.get(talk.conference)
    return conference.year if conference else None


def talk_order(talk: Talk) -> tuple[str, str, str]:
    """Sort key: date (undated last), then title, then id."""
    return (talk.date.isoformat() if talk.date else "9999", talk.title.casefold(), talk.id)
