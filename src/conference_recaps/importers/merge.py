"""Merge imported records into catalogue YAML files, keeping everything people wrote.

The files are read and written with ruamel.yaml's round-trip mode, so comments, key
order, quoting and hand-written entries survive. The policy:

- **Matching.** A conference matches by id, else by name; a speaker by name or alias
  (case, accents and spacing ignored); a talk of the same conference by its video URL
  (``youtu.be/ID`` and ``youtube.com/watch?v=ID`` agree), else by its title
  (punctuation also ignored) unless both have different videos: two sessions called
  "Lightning Talks" with their own recordings stay two talks. A hand-renamed id or an
  edited field therefore still matches on the next import.
- **Filling, never overwriting.** A matched entry only gets the fields it lacks (absent,
  ``null``, empty text or empty list); any value already there is kept as written. A
  hand-edited title, speaker list or kind is never replaced. Nothing is ever deleted.
- **New entries** go into the target file, each inserted at its sorted place:
  conferences by start date then id, speakers by id, talks by conference, date, title,
  then id. Entries already in the file never move.
- **Output** is block style, one key per line, keys in the catalogue's documented order,
  multi-line abstracts as literal block scalars, no line wrapping. A string that YAML
  1.1 would read as something else (``NO``, ``off``, ``12:30``, ``3.10``, a date) is
  written double-quoted, so every YAML reader sees the same text.
- **Idempotent.** When nothing is added or filled the file is not written at all, so a
  second import of the same data leaves it byte-identical.
"""

from __future__ import annotations

import bisect
import datetime
import io
import os
import re
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml as pyyaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark, MarkedYAMLError
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.reader import ReaderError
from ruamel.yaml.resolver import VersionedResolver
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, LiteralScalarString
from ruamel.yaml.tokens import CommentToken

from conference_recaps.importers.names import (
    loose_name_key,
    name_key,
    normalise_text,
    title_key,
    unique_slug,
    url_key,
)
from conference_recaps.importers.records import Note
from conference_recaps.importers.sources import SourceError, display_path, problem
from conference_recaps.text import slugify

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from conference_recaps.importers.records import ImportBatch, TalkRecord

LISTS = ("conferences", "speakers", "talks")
#: Key order of new entries and of filled keys (the order ``DESIGN.md`` documents).
KEY_ORDER = {
    "conferences": (
        "id",
        "name",
        "kind",
        "series",
        "start",
        "end",
        "location",
        "url",
        "description",
    ),
    "speakers": ("id", "name", "aliases", "url"),
    "talks": (
        "id",
        "conference",
        "title",
        "speakers",
        "kind",
        "date",
        "abstract",
        "video",
        "slides",
        "tags",
    ),
}

_YAML11 = pyyaml.resolver.Resolver()
_YAML12 = VersionedResolver(version=(1, 2))
_STR_TAG = "tag:yaml.org,2002:str"
#: Booleans in the YAML 1.1 spec that PyYAML's resolver leaves out (other readers don't).
_YAML11_SHORT_BOOLEANS = {"y", "Y", "n", "N"}


def _is_plain_text(text: str) -> bool:
    """Whether ``text`` written plain reads back as text in both YAML 1.1 and 1.2."""
    if text in _YAML11_SHORT_BOOLEANS:
        return False
    tag11: str = _YAML11.resolve(pyyaml.ScalarNode, text, (True, False))  # type: ignore[no-untyped-call]
    tag12: str = _YAML12.resolve(ScalarNode, text, (True, False))
    return tag11 == _STR_TAG and tag12 == _STR_TAG


def yaml_string(text: str) -> str:
    """``text`` styled so that YAML 1.1 and 1.2 readers all read it back as that text."""
    styled: str
    if "\n" in text:
        styled = LiteralScalarString(text)
        return styled
    if not _is_plain_text(text):
        styled = DoubleQuotedScalarString(text)
        return styled
    return text


def yaml_value(value: object) -> Any:
    """A Python value as the round-trip representer should write it."""
    if isinstance(value, str):
        return yaml_string(value)
    if isinstance(value, list | tuple):
        seq = CommentedSeq(yaml_value(v) for v in value)
        seq.fa.set_block_style()
        return seq
    return value


def is_blank(value: object) -> bool:
    """Whether a field counts as not filled in (absent, ``null``, empty text or list)."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | tuple | dict):
        return not value
    return False


def _text(value: object) -> str:
    return value if isinstance(value, str) else "" if value is None else str(value)


def _sort_key(list_name: str, entry: object) -> tuple[str, ...]:
    """Where an entry belongs in its list (tolerant of hand-written oddities)."""
    if not isinstance(entry, dict):
        return ("",)
    if list_name == "conferences":
        return (_text(entry.get("start")), _text(entry.get("id")))
    if list_name == "speakers":
        return (_text(entry.get("id")),)
    return (
        _text(entry.get("conference")),
        _text(entry.get("date")) or "9999",
        _text(entry.get("title")).casefold(),
        _text(entry.get("id")),
    )


# -- comments -----------------------------------------------------------------------------
# ruamel keeps the comment lines between two list items on the *last value* of the item
# before them. Inserting an entry after an item would leave those lines above the new
# entry, detached from the item they describe; these helpers move them along.


def _tail(node: Any) -> tuple[Any, Any, int] | None:
    """The holder, key and comment slot of the last scalar of a block collection."""
    while True:
        if isinstance(node, CommentedMap) and node:
            key: Any = next(reversed(node))
            slot = 2
        elif isinstance(node, CommentedSeq) and node:
            key, slot = len(node) - 1, 0
        else:
            return None
        value = node[key]
        if isinstance(value, CommentedMap | CommentedSeq) and value and not value.fa.flow_style():
            node = value
            continue
        return node, key, slot


def _take_following_lines(node: Any) -> str:
    """Detach the comment lines after ``node``'s last line; its end-of-line comment stays."""
    tail = _tail(node)
    if tail is None:
        return ""
    holder, key, slot = tail
    entry = holder.ca.items.get(key)
    if not entry or entry[slot] is None or not isinstance(entry[slot], CommentToken):
        return ""
    token = entry[slot]
    value: str = token.value
    first, newline, rest = value.partition("\n")
    if not newline or not rest:
        return ""
    if first.strip():
        token.value = first + "\n"
    else:
        entry[slot] = None
        if not any(entry):
            del holder.ca.items[key]
    return rest


def _take_leading_lines(seq: CommentedSeq, parent: CommentedMap, key: str) -> str:
    """Detach the comment lines right above a list's first item (they describe it).

    Lines separated from the item by a blank line stay where they are: they are more
    likely about the list as a whole.
    """
    comment = seq.ca.comment
    if not comment:
        return ""
    eol = comment[0] if isinstance(comment[0], CommentToken) else None
    before = comment[1] if len(comment) > 1 and comment[1] else []
    lines = ""
    first = ""
    if eol is not None:
        first, _, lines = eol.value.partition("\n")
    for token in before:
        text: str = token.value
        lines += " " * token.column + text if text.startswith("#") else text
    if not lines:
        return ""
    blank = lines.rfind("\n\n")
    stay, move = (lines[: blank + 2], lines[blank + 2 :]) if blank >= 0 else ("", lines)
    if not move:
        return ""
    if eol is not None:
        eol.value = first + "\n" + stay
    if before:
        before.clear()
        if stay:
            before.append(CommentToken(stay, CommentMark(0), None))
        else:  # an empty list would still make ruamel leave room for a comment
            comment[1] = None
            held = parent.ca.items.get(key)
            if held and held[3] is before:
                held[3] = None
                if not any(held):
                    del parent.ca.items[key]
    return move


def _give_following_lines(node: Any, lines: str) -> None:
    """Attach comment lines after ``node``'s last line (which has no comment: it is new)."""
    tail = _tail(node)
    if not lines or tail is None:
        return
    holder, key, slot = tail
    entry = holder.ca.items.setdefault(key, [None, None, None, None])
    entry[slot] = CommentToken("\n" + lines, CommentMark(0), None)


# -- files --------------------------------------------------------------------------------


def _guess_indent(text: str) -> tuple[int, int, int]:
    """The (mapping, sequence, offset) indentation a file already uses."""
    lines = text.splitlines()
    for line in lines:
        match = re.match(r"^( *)-( +)\S", line)
        if match and not line.lstrip().startswith("#"):
            offset = len(match.group(1))
            return 2, offset + 1 + len(match.group(2)), offset
    return 2, 4, 2


def make_yaml(indent: tuple[int, int, int] = (2, 4, 2)) -> YAML:
    """A round-trip YAML instance configured for diff-friendly catalogue output."""
    rt = YAML(typ="rt")
    rt.preserve_quotes = True
    rt.width = 100_000  # never re-wrap a long title or abstract
    rt.allow_unicode = True
    mapping, sequence, offset = indent
    rt.indent(mapping=mapping, sequence=sequence, offset=offset)
    # Imported records share date objects (a conference's start is its first talk's
    # date); without this, ruamel would write them as anchors and aliases.
    keeps_aliases = rt.representer.ignore_aliases
    rt.representer.ignore_aliases = lambda data: (
        isinstance(data, datetime.date) or keeps_aliases(data)
    )
    return rt


@dataclass
class CatalogueDocument:
    """One catalogue file, loaded for round-trip editing."""

    path: Path
    text: str | None  # as read; None when the file does not exist yet
    data: Any  # a CommentedMap; plain dicts when only probing for changes
    prefix: str = ""  # comment-only content of a file that has no data yet
    changed: bool = False
    #: The file's line endings, kept when it is written (a file edited on Windows: CRLF).
    newline: str = "\n"
    #: What the editing is, for messages: "importing", "adding the conference".
    action: str = "importing"

    @property
    def name(self) -> str:
        return display_path(self.path)

    def entries(self, list_name: str) -> CommentedSeq:
        """The file's list, created (empty, in the documented order) if absent."""
        seq: CommentedSeq = self.data.get(list_name)
        if seq is None:
            seq = CommentedSeq()
            position = sum(1 for name in LISTS[: LISTS.index(list_name)] if name in self.data)
            if list_name in self.data:
                self.data[list_name] = seq
            else:
                self.data.insert(position, list_name, seq)
        return seq

    def render(self) -> str:
        stream = io.StringIO()
        make_yaml(_guess_indent(self.text or "")).dump(self.data, stream)
        return self.prefix + stream.getvalue()


def load_document(path: Path, *, action: str = "importing") -> CatalogueDocument:
    """Read a catalogue file for editing; :class:`SourceError` on YAML or shape errors."""
    if not path.exists():
        return CatalogueDocument(path, None, CommentedMap(), action=action)
    try:
        raw = path.read_bytes()
        newline = "\r\n" if b"\r\n" in raw else "\n"
        text = raw.decode("utf-8").replace("\r\n", "\n")
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceError([problem(path, f"cannot read the catalogue: {exc}")]) from None
    try:
        data = make_yaml().load(text)
    except ReaderError as exc:  # a control character: ruamel counts characters
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        raise SourceError(
            [
                problem(
                    path,
                    f"{exc.reason}; remove the control character, then import again",
                    line,
                    column,
                )
            ]
        ) from None
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = " ".join(filter(None, [exc.context, exc.problem])) or str(exc)
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        raise SourceError(
            [problem(path, f"{message}; fix the YAML before {action}", line, column)]
        ) from None
    if data is None:
        return CatalogueDocument(
            path, text, CommentedMap(), prefix=text, newline=newline, action=action
        )
    if not isinstance(data, CommentedMap):
        raise SourceError(
            [problem(path, "expected a mapping with conferences, speakers and talks", 1, 1)]
        )
    for list_name in LISTS:
        value = data.get(list_name)
        if value is not None and not isinstance(value, CommentedSeq):
            line, column = data.lc.key(list_name)
            raise SourceError(
                [problem(path, f"'{list_name}' must be a list", line + 1, column + 1)]
            )
    return CatalogueDocument(path, text, data, newline=newline, action=action)


def write_document(document: CatalogueDocument) -> None:
    """Write the file atomically, unless someone changed it since it was read."""
    path = document.path
    current = path.read_bytes().decode("utf-8").replace("\r\n", "\n") if path.exists() else None
    if current != document.text:
        raise SourceError(
            [
                problem(
                    path,
                    f"the file changed while {document.action}; nothing written, run it again",
                )
            ]
        )
    output = document.render()
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline=document.newline) as stream:
            stream.write(output)
        Path(temporary).chmod(path.stat().st_mode & 0o777 if path.exists() else 0o644)
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    document.text = output


# -- merging ------------------------------------------------------------------------------


@dataclass
class MergeReport:
    """What one merge added and filled in."""

    added: dict[str, list[str]] = field(default_factory=lambda: {n: [] for n in LISTS})
    #: ``(list name, id, filled fields)`` for each matched entry that got new fields.
    filled: list[tuple[str, str, list[str]]] = field(default_factory=list)
    unchanged: int = 0
    notes: list[Note] = field(default_factory=list)

    def note(self, action: str, record: str, message: str) -> None:
        self.notes.append(Note(action, record, message))

    @property
    def changed(self) -> bool:
        return any(self.added.values()) or bool(self.filled)

    def summary(self) -> str:
        counts = [
            f"{len(ids)} {name if len(ids) != 1 else name[:-1]}"
            for name, ids in self.added.items()
            if ids
        ]
        added = "added " + ", ".join(counts) if counts else "added nothing"
        filled = f"filled fields of {len(self.filled)} existing entr" + (
            "y" if len(self.filled) == 1 else "ies"
        )
        return f"{added}; {filled}; {self.unchanged} talks already up to date"


class _WouldChange(Exception):
    """Raised by a probing :class:`Merger` at the first change it would make."""


@dataclass
class _Located:
    document: CatalogueDocument
    entry: Any  # a CommentedMap, or a plain dict when probing


def _add(
    index: dict[tuple[str, str], list[_Located]], key: tuple[str, str], item: _Located
) -> None:
    """Add ``item`` under ``key`` unless its entry is there already (re-indexing)."""
    found = index.setdefault(key, [])
    if not any(other.entry is item.entry for other in found):
        found.append(item)


def _former_ids(entry: dict[str, Any]) -> list[str]:
    """An entry's former ids: taken for good, a new entry never gets one."""
    former = entry.get("former_ids")
    return [f for f in former if isinstance(f, str)] if isinstance(former, list) else []


class Merger:
    """Match and merge batches into catalogue documents; new entries go to ``target``."""

    def __init__(
        self,
        target: CatalogueDocument,
        others: Iterable[CatalogueDocument] = (),
        *,
        probe: bool = False,
    ) -> None:
        self.target = target
        self.probe = probe
        self.documents = [target, *others]
        self.conferences: dict[str, _Located] = {}
        self.conference_names: dict[str, str] = {}
        self.speaker_ids: set[str] = set()
        self.speaker_names: dict[str, str] = {}
        #: Each speaker's name as written, and the loose keys of its name and aliases.
        self.speaker_display: dict[str, str] = {}
        self.speaker_loose: dict[str, set[str]] = {}
        self.talk_slugs: dict[str, set[str]] = {}
        self.talks_by_video: dict[tuple[str, str], list[_Located]] = {}
        self.talks_by_title: dict[tuple[str, str], list[_Located]] = {}
        self._keys: dict[int, list[tuple[str, ...]]] = {}
        for document in self.documents:
            for list_name in LISTS:
                for entry in document.data.get(list_name) or ():
                    if isinstance(entry, dict):
                        self._index(list_name, _Located(document, entry))

    def _index(self, list_name: str, located: _Located) -> None:
        entry = located.entry
        ident = entry.get("id")
        if list_name == "conferences" and isinstance(ident, str):
            self.conferences.setdefault(ident, located)
            if isinstance(entry.get("name"), str):
                self.conference_names.setdefault(name_key(entry["name"]), ident)
        elif list_name == "speakers" and isinstance(ident, str):
            self.speaker_ids.add(ident)
            self.speaker_ids.update(_former_ids(entry))
            names = [entry.get("name"), *(entry.get("aliases") or ())]
            if isinstance(entry.get("name"), str):
                self.speaker_display.setdefault(ident, entry["name"])
            for item in names:
                # An alias may be {name: ..., public: false}: still a spelling to match.
                name = item.get("name") if isinstance(item, dict) else item
                if isinstance(name, str) and name.strip():
                    self.speaker_names.setdefault(name_key(name), ident)
                    self.speaker_loose.setdefault(ident, set()).add(loose_name_key(name))
        elif list_name == "talks":
            for taken in (ident, *_former_ids(entry)):
                if isinstance(taken, str):
                    prefix, _, slug = taken.partition("/")
                    self.talk_slugs.setdefault(prefix, set()).add(slug)
            conference = entry.get("conference")
            if not isinstance(conference, str):
                return
            if isinstance(entry.get("video"), str) and entry["video"].strip():
                _add(self.talks_by_video, (conference, url_key(entry["video"])), located)
            if isinstance(entry.get("title"), str):
                _add(self.talks_by_title, (conference, title_key(entry["title"])), located)

    def add(self, list_name: str, values: dict[str, object]) -> CommentedMap:
        """Add a new entry to the target file at its sorted place, keys in the usual order."""
        if self.probe:
            raise _WouldChange
        entry = CommentedMap(
            (k, yaml_value(values[k]))
            for k in KEY_ORDER[list_name]
            if k in values and not is_blank(values[k])
        )
        seq = self.target.entries(list_name)
        keys = self._keys.get(id(seq))
        if keys is None:
            keys = self._keys[id(seq)] = [_sort_key(list_name, e) for e in seq]
        key = _sort_key(list_name, entry)
        index = bisect.bisect_right(keys, key)
        if not seq:
            seq.fa.set_block_style()
        if index > 0:
            following = _take_following_lines(seq[index - 1])
        else:
            following = _take_leading_lines(seq, self.target.data, list_name) if seq else ""
        seq.insert(index, entry)
        keys.insert(index, key)
        _give_following_lines(entry, following)
        self.target.changed = True
        self._index(list_name, _Located(self.target, entry))
        return entry

    def _fill(self, list_name: str, located: _Located, values: dict[str, object]) -> list[str]:
        """Set the fields ``located`` lacks; return their names."""
        entry = located.entry
        filled = []
        order = KEY_ORDER[list_name]
        for name in order:
            value = values.get(name)
            if is_blank(value) or not is_blank(entry.get(name)):
                continue
            if self.probe:
                raise _WouldChange
            if callable(value):  # computed only when needed (speaker ids create speakers)
                value = value()
                if is_blank(value):
                    continue
            if name in entry:
                entry[name] = yaml_value(value)
            else:
                keys = list(entry)
                rank = order.index(name)
                position = sum(1 for k in keys if k in order and order.index(k) < rank)
                position = max(position, 0)
                if position >= len(keys):
                    following = _take_following_lines(entry)
                    entry.insert(position, name, yaml_value(value))
                    _give_following_lines(entry, following)
                else:
                    entry.insert(position, name, yaml_value(value))
            filled.append(name)
        if filled:
            located.document.changed = True
            self._keys.clear()  # sort keys may have changed; recomputed on the next insert
        return filled

    def speaker_id(self, name: str, report: MergeReport) -> str:
        """The id of the speaker called ``name`` (or aliased so), created if new.

        A new speaker whose plain id is taken by someone of another name gets ``-2``
        (``-3``...) and is noted: they may be one person spelt two ways, which only a
        person can decide (``recaps speakers merge``), or two people.
        """
        key = name_key(name)
        known = self.speaker_names.get(key)
        if known is not None:
            return known
        base = slugify(name, fallback="speaker")
        ident = unique_slug(base, self.speaker_ids)
        self.add("speakers", {"id": ident, "name": name})
        report.added["speakers"].append(ident)
        self.speaker_display[ident] = name
        self.speaker_loose.setdefault(ident, set()).add(loose_name_key(name))
        if ident != base:
            other = self.speaker_display.get(base, base)
            report.note(
                "rename",
                f"speaker {ident}",
                f"new speaker {name!r} gets the id {ident}: {base} is already {other!r}. "
                f"If they are one person, run `recaps speakers merge {ident} {base}`; if "
                "not, nothing to do",
            )
        return ident

    def merge(self, batch: ImportBatch) -> MergeReport:
        """Merge one source's conference and talks."""
        report = MergeReport()
        record = batch.conference
        conference_id = record.id
        located = self.conferences.get(conference_id)
        if located is None and name_key(record.name) in self.conference_names:
            conference_id = self.conference_names[name_key(record.name)]
            located = self.conferences[conference_id]
        values: dict[str, object] = {
            "id": conference_id,
            "name": record.name,
            "start": record.start,
            "end": record.end,
            "url": record.url,
            "description": record.description,
            "kind": record.kind,
        }
        if located is None:
            if record.start is None or record.end is None:
                raise SourceError(
                    [
                        problem(
                            self.target.path,
                            f"cannot add conference {conference_id!r}: the source gives no "
                            "dates; add it to the catalogue by hand with its start and end, "
                            "then import again",
                        )
                    ]
                )
            self.add("conferences", values)
            report.added["conferences"].append(conference_id)
        elif filled := self._fill("conferences", located, values):
            report.filled.append(("conferences", conference_id, filled))

        videos = Counter(url_key(t.video) for t in batch.talks if t.video)
        for talk in batch.talks:
            unique = not talk.video or videos[url_key(talk.video)] == 1
            self._merge_talk(conference_id, talk, report, unique)
        return report

    def _shares_people(self, entry: Any, talk: TalkRecord) -> bool:
        """Whether a catalogue talk and a record have a speaker in common (or one has none)."""
        ids = [s for s in entry.get("speakers") or () if isinstance(s, str)]
        if not ids or not talk.speakers:
            return True
        keys = set().union(*(self.speaker_loose.get(s, {loose_name_key(s)}) for s in ids))
        return any(loose_name_key(name) in keys for name in talk.speakers)

    def _find_talk(
        self, conference_id: str, talk: TalkRecord, video_unique: bool
    ) -> _Located | None:
        """The catalogue's talk that ``talk`` is, by identity: title, speakers and event.

        Same title and a speaker in common is the same talk, unless both have a video
        and they differ (two sessions called "Lightning Talks"). Failing that, the video
        alone identifies it only when one talk of the event has that video and one
        record of the import does (a retitled talk): talks that share a recording (six
        meetup talks in one video, a panel in a sponsor's slot) stay apart.
        """
        video = url_key(talk.video) if talk.video else None
        for candidate in self.talks_by_title.get((conference_id, title_key(talk.title)), ()):
            other = candidate.entry.get("video")
            if video and isinstance(other, str) and other.strip() and url_key(other) != video:
                continue
            if self._shares_people(candidate.entry, talk):
                return candidate
        if video and video_unique:
            same_video = self.talks_by_video.get((conference_id, video), [])
            if len(same_video) == 1 and self._shares_people(same_video[0].entry, talk):
                return same_video[0]
        return None

    def _merge_talk(
        self, conference_id: str, talk: TalkRecord, report: MergeReport, video_unique: bool
    ) -> None:
        located = self._find_talk(conference_id, talk, video_unique)

        def speaker_ids() -> list[str]:
            ids: list[str] = []
            for name in talk.speakers:
                ident = self.speaker_id(name, report)
                if ident not in ids:
                    ids.append(ident)
            return ids

        values: dict[str, object] = {
            "conference": conference_id,
            "title": talk.title,
            "kind": talk.kind.value,
            "date": talk.date,
            "abstract": talk.abstract,
            "video": talk.video,
            "slides": talk.slides,
            "tags": list(talk.tags),
        }
        if located is not None:
            values["speakers"] = speaker_ids if talk.speakers else None
            self._update_abstract(located, talk, report)
            filled = self._fill("talks", located, values)
            ident = _text(located.entry.get("id"))
            if filled:
                report.filled.append(("talks", ident, filled))
                self._index("talks", located)
            else:
                report.unchanged += 1
            return
        slug = slugify(talk.title, fallback="talk")
        taken = self.talk_slugs.setdefault(conference_id, set())
        chosen = slug
        same_title = self.talks_by_title.get((conference_id, title_key(talk.title)))
        if slug in taken and talk.speakers and same_title:
            # Another talk of the event has this title: the speaker tells them apart.
            by = slugify(talk.speakers[0], fallback="speaker")
            chosen = f"{slug}-{by}" if len(slug) + len(by) < 100 else slug
        chosen = unique_slug(chosen, taken)
        ident = f"{conference_id}/{chosen}"
        if chosen != slug:
            report.note(
                "rename",
                talk.source,
                f"talk {talk.title!r} gets the id {ident}: {conference_id}/{slug} is "
                + ("another talk of the same title" if same_title else "another talk's id"),
            )
        taken.add(chosen)
        values["id"] = ident
        values["speakers"] = speaker_ids()
        self.add("talks", values)
        report.added["talks"].append(ident)

    def _update_abstract(self, located: _Located, talk: TalkRecord, report: MergeReport) -> None:
        """Convert an abstract that an older import wrote and nobody has edited since.

        It is recognised by being exactly the source's description with only its
        whitespace normalised (what the importer wrote before it converted
        reStructuredText). Any other text is someone's, and is never touched.
        """
        current = located.entry.get("abstract")
        if not (isinstance(current, str) and talk.raw_abstract and talk.abstract):
            return
        if current == talk.abstract or current.strip() != normalise_text(talk.raw_abstract):
            return
        if self.probe:
            raise _WouldChange
        located.entry["abstract"] = yaml_value(talk.abstract)
        located.document.changed = True
        report.note(
            "update",
            _text(located.entry.get("id")),
            "abstract was the source's reStructuredText as an older import wrote it; "
            "converted to Markdown",
        )


def merge_into(
    target: Path,
    batches: Iterable[ImportBatch],
    *,
    others: Iterable[Path] = (),
    dry_run: bool = False,
    on_report: Callable[[ImportBatch, MergeReport], None] | None = None,
) -> list[CatalogueDocument]:
    """Merge ``batches`` into ``target`` (matching entries in ``others`` too) and write.

    Returns the documents that changed (written unless ``dry_run``).
    """
    batches = list(batches)
    if _changes_nothing(target, batches, others, on_report):
        return []
    document = load_document(target)
    other_documents = [load_document(p) for p in others if p.resolve() != target.resolve()]
    merger = Merger(document, other_documents)
    for batch in batches:
        report = merger.merge(batch)
        if on_report is not None:
            on_report(batch, report)
    changed = [d for d in merger.documents if d.changed]
    if not dry_run:
        for changed_document in changed:
            write_document(changed_document)
    return changed


def add_entry(target: Path, list_name: str, values: dict[str, object]) -> CatalogueDocument:
    """Add one entry to a catalogue file and write it; everything else stays as it was.

    The entry goes where the importers would put it (sorted in its list), with comments,
    quoting and indentation of the rest of the file kept by the round-trip parser.
    :class:`SourceError` if the file does not parse or changed meanwhile.
    """
    document = load_document(target, action=f"adding the {list_name[:-1]}")
    Merger(document).add(list_name, values)
    write_document(document)
    return document


def _quick_document(path: Path) -> CatalogueDocument:
    """A catalogue file read with libyaml into plain data: fast, but not for writing."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    data = pyyaml.load(text, Loader=getattr(pyyaml, "CSafeLoader", pyyaml.SafeLoader))
    if data is None:
        data = {}
    if not isinstance(data, dict) or any(
        not isinstance(data.get(name), list | None) for name in LISTS
    ):
        raise ValueError("not a catalogue")
    return CatalogueDocument(path, text, data)


def _changes_nothing(
    target: Path,
    batches: list[ImportBatch],
    others: Iterable[Path],
    on_report: Callable[[ImportBatch, MergeReport], None] | None,
) -> bool:
    """Whether merging would change nothing, found without the slow round-trip parser.

    A re-import of the same data is the common case; libyaml reads a 25,000-talk
    catalogue many times faster than ruamel.yaml's round-trip mode. Any doubt (a YAML
    error, a change) returns False, and the real merge runs and reports it.
    """
    try:
        documents = [_quick_document(p) for p in (target, *others)]
    except (OSError, UnicodeDecodeError, ValueError, pyyaml.YAMLError):
        return False
    unique = {d.path.resolve(): d for d in documents}
    merger = Merger(
        documents[0], [d for p, d in unique.items() if p != target.resolve()], probe=True
    )
    reports = []
    try:
        for batch in batches:
            reports.append((batch, merger.merge(batch)))
    except _WouldChange:
        return False
    if on_report is not None:
        for batch, report in reports:
            on_report(batch, report)
    return True
