"""Read the nodes of a parsed YAML file by field type, collecting problems at their positions.

Each scalar is read by the type of the field it belongs to (:class:`FieldType`):
``2019-09-22`` is a date only in a date field, a URL must be http(s), a slug lowercase.
One entry of the catalogue is validated on its own here; what needs every file at once
(duplicate ids, references between entries) is checked by
:mod:`conference_recaps.catalogue.loader`. Recap front matter uses the same
:class:`Reader`.
"""

from __future__ import annotations

import datetime
import difflib
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

from conference_recaps.catalogue.model import (
    Alias,
    Chapter,
    Conference,
    ConferenceKind,
    Position,
    Speaker,
    Talk,
    TalkKind,
    Withdrawal,
    WithdrawalReason,
)
from conference_recaps.catalogue.schema import (
    CONFERENCE,
    DATE_PATTERN,
    ENTRY_SPECS,
    SLUG_PATTERN,
    TALK,
    EntrySpec,
    FieldSpec,
    FieldType,
)
from conference_recaps.catalogue.yamltree import (
    BadNode,
    MapNode,
    Node,
    ScalarNode,
    SeqNode,
    describe,
)
from conference_recaps.diagnostics import Problem, Subtype
from conference_recaps.text import slugify
from conference_recaps.urls import is_http_url
from conference_recaps.video import format_time, parse_time

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Sequence

_SLUG = re.compile(SLUG_PATTERN)
_DATE = re.compile(DATE_PATTERN, re.ASCII)

#: The longest title, name or other short text; long texts have their own bound. A title
#: is repeated on many pages (sidebars, lists, feeds), so one huge title grows the site.
MAX_TEXT: Final = 300
#: The longest abstract or description.
MAX_LONG_TEXT: Final = 50_000
_LONG_TEXTS: Final = frozenset({"abstract", "description"})

INVALID: Final = object()
"""Returned for a value already reported as a problem."""


def suggest(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest choice, or nothing."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _slug_example(text: str) -> str:
    """A slug suggestion for a rejected id or tag."""
    return slugify(text, fallback=None) or "my-id"


@dataclass
class Reader:
    """Reads nodes of one file by field type, collecting problems at their positions."""

    path: str
    subtype: Subtype = Subtype.catalogue
    problems: list[Problem] = field(default_factory=list)

    def error(
        self,
        node: Node | tuple[int, int],
        message: str,
        subtype: Subtype | None = None,
        *,
        is_error: bool = True,
    ) -> None:
        line, column = (node.line, node.column) if isinstance(node, Node) else node
        self.problems.append(
            Problem(self.path, line, column, message, subtype or self.subtype, is_error)
        )

    def position(self, node: Node) -> Position:
        return Position(self.path, node.line, node.column)

    def fields(
        self, node: MapNode, known: Sequence[str], where: str
    ) -> dict[str, tuple[ScalarNode, Node]]:
        """The mapping's keys that are in ``known``; unknown and duplicate keys are reported."""
        found: dict[str, tuple[ScalarNode, Node]] = {}
        seen: dict[str, ScalarNode] = {}
        for key, value in node.pairs():
            if not isinstance(key, ScalarNode):
                if not isinstance(key, BadNode):
                    self.error(key, f"a key must be a plain name, not {describe(key)}")
                continue
            name = key.value
            if name in seen:
                self.error(
                    key,
                    f"duplicate key '{name}' (first at line {seen[name].line}); keep only one",
                )
                continue
            seen[name] = key
            if name not in known:
                hint = suggest(name, known) or f" (the keys are: {', '.join(known)})"
                self.error(key, f"unknown key '{name}' in {where}{hint}")
                continue
            found[name] = (key, value)
        return found

    def text(self, node: Node, name: str, *, bounded: bool = True) -> Any:
        """A non-empty text (stripped), ``None`` if null, or :data:`INVALID`.

        A text longer than its bound is reported and cut there (not a URL: a cut URL
        would be another address).
        """
        if isinstance(node, ScalarNode):
            if node.is_null:
                return None
            value = node.value.strip()
            if not value:
                self.error(node, f"'{name}' is empty; give a value or remove the key")
                return INVALID
            limit = MAX_LONG_TEXT if name in _LONG_TEXTS else MAX_TEXT
            if bounded and len(value) > limit:
                self.error(
                    node,
                    f"'{name}' is {len(value)} characters long, more than the {limit} it may "
                    "have; it is cut there: shorten it",
                )
                value = value[: limit - 1] + "\u2026"
            return value
        if not isinstance(node, BadNode):
            self.error(node, f"'{name}' must be a text, not {describe(node)}")
        return INVALID

    def slug(self, node: Node, name: str, what: str = "id") -> Any:
        value = self.text(node, name)
        if isinstance(value, str) and not _SLUG.match(value):
            self.error(
                node,
                f"'{name}' {value!r} is not a valid {what}: use lowercase letters, digits "
                f"and single hyphens, e.g. '{_slug_example(value)}'",
            )
            return INVALID
        return value

    def date(self, node: Node, name: str) -> Any:
        value = self.text(node, name)
        if not isinstance(value, str):
            return value
        if not _DATE.match(value):
            self.error(node, f"'{name}' must be an ISO date like 2019-09-22, not {value!r}")
            return INVALID
        try:
            return datetime.date.fromisoformat(value)
        except ValueError as exc:
            self.error(node, f"'{name}' {value} is not a real date ({exc}); fix the day or month")
            return INVALID

    def url(self, node: Node, name: str) -> Any:
        value = self.text(node, name, bounded=False)
        if isinstance(value, str) and not is_http_url(value):
            self.error(
                node,
                f"'{name}' must be an http:// or https:// URL with a host, not {value!r}",
                Subtype.unsafe if re.match(r"(?i)\s*(javascript|data|vbscript):", value) else None,
            )
            return INVALID
        return value

    def choice(self, node: Node, name: str, choices: Sequence[str]) -> Any:
        value = self.text(node, name)
        if isinstance(value, str) and value not in choices:
            self.error(
                node,
                f"unknown {name} {value!r}; use one of {', '.join(choices)}"
                f"{suggest(value, choices)}",
            )
            return INVALID
        return value

    def list_of(self, node: Node, name: str, item_type: FieldType, example: str) -> Any:
        """A list (``None`` if null) of texts or slugs; duplicates are reported."""
        if isinstance(node, ScalarNode) and node.is_null:
            return None
        if not isinstance(node, SeqNode):
            if not isinstance(node, BadNode):
                self.error(node, f"'{name}' must be a list, e.g. [{example}], not {describe(node)}")
            return INVALID
        values: list[str] = []
        ok = True
        for item in node.items:
            if isinstance(item, ScalarNode) and item.is_null:
                self.error(item, f"'{name}' has an empty item; remove it")
                ok = False
                continue
            if item_type is FieldType.slug:
                value = self.slug(item, name, "tag" if name == "tags" else "id")
            else:
                value = self.text(item, name)
            if not isinstance(value, str):
                ok = False
            elif value in values:
                self.error(item, f"'{name}' lists {value!r} twice; remove one")
                ok = False
            else:
                values.append(value)
        return tuple(values) if ok else INVALID

    def kind(self, node: Node, name: str) -> Any:
        value = self.choice(node, name, _KINDS)
        return TalkKind(value) if isinstance(value, str) else value

    def conference_kind(self, node: Node, name: str) -> Any:
        value = self.choice(node, name, _CONFERENCE_KINDS)
        return ConferenceKind(value) if isinstance(value, str) else value

    def slugs(self, node: Node, name: str) -> Any:
        example = {"speakers": "andrew-godwin", "tags": "async, django"}.get(name, "a, b")
        return self.list_of(node, name, FieldType.slug, example)

    def texts(self, node: Node, name: str) -> Any:
        return self.list_of(node, name, FieldType.text, "a, b")

    def talk_ids(self, node: Node, name: str) -> Any:
        """A list of talk ids (``former_ids`` of a talk)."""
        values = self.list_of(node, name, FieldType.text, "djangocon-us-2019/old-slug")
        if not isinstance(values, tuple):
            return values
        items = node.items if isinstance(node, SeqNode) else []
        ok = True
        for value, item in zip(values, items, strict=False):
            prefix, slash, slug = value.partition("/")
            if not slash or not _SLUG.match(prefix) or not _SLUG.match(slug):
                self.error(
                    item,
                    f"'{name}' {value!r} is not a talk id: write '<conference-id>/<talk-slug>' "
                    "in lowercase letters, digits and hyphens",
                )
                ok = False
        return values if ok else INVALID

    def aliases(self, node: Node, name: str) -> Any:
        """Names, each a text or ``{name: ..., public: false}``."""
        if isinstance(node, ScalarNode) and node.is_null:
            return None
        if not isinstance(node, SeqNode):
            if not isinstance(node, BadNode):
                self.error(
                    node,
                    f"'{name}' must be a list, e.g. [Jane D., {{name: Jane Oldname, "
                    f"public: false}}], not {describe(node)}",
                )
            return INVALID
        aliases: list[Alias] = []
        ok = True
        for item in node.items:
            alias = self._alias(item, name)
            if alias is INVALID:
                ok = False
            elif any(a.name == alias.name for a in aliases):
                self.error(item, f"'{name}' lists {alias.name!r} twice; remove one")
                ok = False
            else:
                aliases.append(alias)
        return tuple(aliases) if ok else INVALID

    def _alias(self, item: Node, name: str) -> Any:
        if isinstance(item, MapNode):
            found = self.fields(item, ("name", "public"), f"an item of '{name}'")
            if "name" not in found:
                self.error(item, f"an item of '{name}' lacks the key 'name'")
                return INVALID
            text = self.text(found["name"][1], "name")
            public = True
            if "public" in found:
                value = self.choice(found["public"][1], "public", ("true", "false"))
                if value is INVALID:
                    return INVALID
                public = value != "false"
            if not isinstance(text, str) or len(found) * 2 != len(item.items):
                if text is None:
                    self.error(found["name"][0], "'name' is required; give it a value")
                return INVALID
            return Alias(text, public)
        if isinstance(item, ScalarNode) and item.is_null:
            self.error(item, f"'{name}' has an empty item; remove it")
            return INVALID
        text = self.text(item, name)
        return Alias(text) if isinstance(text, str) else INVALID

    def withdrawal(self, node: Node, name: str) -> Any:
        """``{reason: ..., date: ...}``, both required."""
        if isinstance(node, ScalarNode) and node.is_null:
            return None
        example = "{reason: speaker-request, date: 2026-12-01}"
        if not isinstance(node, MapNode):
            if not isinstance(node, BadNode):
                self.error(node, f"'{name}' must be a mapping, e.g. {example}")
            return INVALID
        found = self.fields(node, ("reason", "date"), f"'{name}'")
        ok = len(found) * 2 == len(node.items)
        values: dict[str, Any] = {}
        for key in ("reason", "date"):
            if key not in found:
                self.error(node, f"'{name}' lacks the key '{key}', e.g. {example}")
                ok = False
                continue
            value_node = found[key][1]
            if key == "reason":
                value = self.choice(value_node, key, _REASONS)
            else:
                value = self.date(value_node, key)
            if value is None:
                self.error(found[key][0], f"'{key}' is required; give it a value")
                ok = False
            elif value is INVALID:
                ok = False
            else:
                values[key] = value
        if not ok:
            return INVALID
        return Withdrawal(WithdrawalReason(values["reason"]), values["date"])

    def chapters(self, node: Node, name: str) -> Any:
        """A talk's chapters, in strictly increasing time (``None`` if null)."""
        if isinstance(node, ScalarNode) and node.is_null:
            return None
        if not isinstance(node, SeqNode):
            if not isinstance(node, BadNode):
                self.error(
                    node,
                    f"'{name}' must be a list, e.g. [{_CHAPTER_EXAMPLE}], not {describe(node)}",
                )
            return INVALID
        chapters: list[Chapter] = []
        ok = True
        last: tuple[int, Node] | None = None
        for item in node.items:
            chapter, at = self._chapter(item)
            if chapter is not None and at is not None:
                seconds = chapter.seconds
                if last is not None and seconds <= last[0]:
                    self.error(
                        at,
                        f"chapter time {chapter.at} is not after the chapter before "
                        f"(line {last[1].line}); list chapters in the order of the video",
                    )
                    chapter = None
                last = (seconds, at)
            if chapter is None:
                ok = False
            else:
                chapters.append(chapter)
        return tuple(chapters) if ok else INVALID

    def _chapter(self, item: Node) -> tuple[Chapter | None, Node | None]:
        """One chapter and the node of its time; None for a chapter already reported."""
        if not isinstance(item, MapNode):
            if not isinstance(item, BadNode):
                self.error(
                    item,
                    f"each chapter must be a mapping such as {_CHAPTER_EXAMPLE}, "
                    f"not {describe(item)}",
                )
            return None, None
        found = self.fields(item, _CHAPTER_KEYS, "a chapter")
        good = len(found) * 2 == len(item.items)
        values: dict[str, Any] = {}
        for key in _CHAPTER_KEYS:
            if key not in found:
                if key != "speakers":
                    self.error(item, f"a chapter lacks the required key '{key}'")
                    good = False
                continue
            value_node = found[key][1]
            value = self.slugs(value_node, key) if key == "speakers" else self.text(value_node, key)
            if value is None and key != "speakers":
                self.error(value_node, f"'{key}' is required; give it a value")
            if value is INVALID or (value is None and key != "speakers"):
                good = False
            elif value is not None:
                values[key] = value
        at_node = found["at"][1] if "at" in found else None
        if "at" in values:
            seconds = parse_time(values["at"])
            if seconds is None:
                self.error(
                    found["at"][1],
                    f"chapter time {values['at']!r} must be minutes:seconds or "
                    "hours:minutes:seconds, e.g. '5:12' or '1:05:12', as the source gives it",
                )
                good = False
            else:
                values["at"] = format_time(seconds)
        return (Chapter(**values) if good else None), at_node

    def value(self, node: Node, spec: FieldSpec) -> Any:
        """The field's value read by its type, ``None`` if null, or :data:`INVALID`."""
        return _READERS[spec.type](self, node, spec.name)


_KINDS = tuple(kind.value for kind in TalkKind)
_CONFERENCE_KINDS = tuple(kind.value for kind in ConferenceKind)
_REASONS = tuple(reason.value for reason in WithdrawalReason)
_READERS: dict[FieldType, Callable[[Reader, Node, str], Any]] = {
    FieldType.text: Reader.text,
    FieldType.slug: Reader.slug,
    FieldType.talk_id: Reader.text,  # its form is checked with its conference: _talk_id
    FieldType.date: Reader.date,
    FieldType.url: Reader.url,
    FieldType.talk_kind: Reader.kind,
    FieldType.conference_kind: Reader.conference_kind,
    FieldType.slug_list: Reader.slugs,
    FieldType.text_list: Reader.texts,
    FieldType.talk_id_list: Reader.talk_ids,
    FieldType.alias_list: Reader.aliases,
    FieldType.withdrawal: Reader.withdrawal,
    FieldType.chapters: Reader.chapters,
}
_CHAPTER_KEYS = ("at", "title", "speakers")
_CHAPTER_EXAMPLE = "{at: '5:12', title: Testing}"
_FIELDS = {spec.list_name: {f.name: f for f in spec.fields} for spec in ENTRY_SPECS}


# -- The catalogue ---------------------------------------------------------------------

TOP_LEVEL = tuple(spec.list_name for spec in ENTRY_SPECS)


@dataclass
class ParsedEntry:
    """One entry after its own checks, with what the cross-file checks need."""

    entry: Conference | Speaker | Talk | None  # None: invalid, left out
    ident: str | None  # its id, if readable (an invalid entry's id still counts as taken)
    id_at: tuple[int, int]
    refs: list[tuple[str, str, tuple[int, int]]] = field(default_factory=list)
    date_at: tuple[int, int] | None = None
    #: Speaker ids a talk names, even if invalid (so they are not also "unreferenced").
    mentions: tuple[str, ...] = ()


def _read_entry(reader: Reader, node: Node, spec: EntrySpec) -> ParsedEntry | None:
    """Validate one entry on its own (references are checked later, across files)."""
    if not isinstance(node, MapNode):
        if not isinstance(node, BadNode):
            reader.error(
                node,
                f"each item of '{spec.list_name}' must be a {spec.noun} (a mapping of keys "
                f"such as 'id: ...'), not {describe(node)}",
            )
        return None
    by_name = _FIELDS[spec.list_name]
    found = reader.fields(node, list(by_name), f"a {spec.noun}")
    values: dict[str, Any] = {}
    ok = len(found) * 2 == len(node.items)  # no unknown, duplicate or odd keys
    for name, (_key, value_node) in found.items():
        value = reader.value(value_node, by_name[name])
        if value is INVALID:
            ok = False
        elif value is not None:
            values[name] = value
    ident = values.get("id")
    ok = _has_required(reader, node, spec, found, values) and ok
    id_node = found["id"][1] if "id" in found else node
    parsed = ParsedEntry(None, ident, (id_node.line, id_node.column))
    if spec is TALK:
        ok = _read_talk_links(reader, parsed, id_node, found, values) and ok
    if (
        spec is CONFERENCE
        and "start" in values
        and values.get("end", datetime.date.max) < values["start"]
    ):
        reader.error(
            found["end"][1],
            f"'end' {values['end']} is before 'start' {values['start']}; "
            "a conference ends on or after the day it starts",
        )
        ok = False
    if ok:
        parsed.entry = spec.model(**values, position=reader.position(node))
    return parsed


def _has_required(
    reader: Reader,
    node: MapNode,
    spec: EntrySpec,
    found: dict[str, tuple[ScalarNode, Node]],
    values: dict[str, Any],
) -> bool:
    """Whether every required field has a valid value; a missing or null one is reported."""
    ident = values.get("id")
    label = f"{spec.noun} '{ident}'" if ident else f"a {spec.noun}"
    ok = True
    for field_spec in spec.fields:
        if not field_spec.required or field_spec.name in values:
            continue
        ok = False
        if field_spec.name not in found:
            reader.error(node, f"{label} lacks the required key '{field_spec.name}'")
            continue
        key, value_node = found[field_spec.name]
        if isinstance(value_node, ScalarNode) and value_node.is_null:
            reader.error(key, f"'{field_spec.name}' is required; give it a value")
        # otherwise the value was invalid and is reported already
    return ok


def _read_talk_links(
    reader: Reader,
    parsed: ParsedEntry,
    id_node: Node,
    found: dict[str, tuple[ScalarNode, Node]],
    values: dict[str, Any],
) -> bool:
    """Note what a talk names (checked across files later); False if its id is malformed."""
    ok = True
    ident = values.get("id")
    if isinstance(ident, str) and not _talk_id(reader, id_node, ident, values):
        ok = False
        parsed.ident = None
    if "conference" in values:
        at = found["conference"][1]
        parsed.refs.append(("conferences", values["conference"], (at.line, at.column)))
    if "speakers" in found:
        raw = found["speakers"][1]
        raw_items = raw.items if isinstance(raw, SeqNode) else [raw]
        parsed.mentions = tuple(
            item.value.strip() for item in raw_items if isinstance(item, ScalarNode)
        )
    if "speakers" in values:
        items = _items(found, "speakers")
        for speaker, item in zip(values["speakers"], items, strict=True):
            parsed.refs.append(("speakers", speaker, (item.line, item.column)))
    # A chapter's speakers are references too, and count as referenced speakers.
    for item in _chapter_speaker_nodes(found):
        parsed.mentions += (item.value.strip(),)
        if "chapters" in values:
            parsed.refs.append(("speakers", item.value.strip(), (item.line, item.column)))
    if "date" in values:
        date_node = found["date"][1]
        parsed.date_at = (date_node.line, date_node.column)
    return ok


def _items(found: dict[str, tuple[ScalarNode, Node]], name: str) -> list[Node]:
    node = found.get(name, (None, None))[1]
    return node.items if isinstance(node, SeqNode) else []


def _chapter_speaker_nodes(found: dict[str, tuple[ScalarNode, Node]]) -> Iterator[ScalarNode]:
    """The scalar nodes of every speaker that a talk's chapters name."""
    for chapter in _items(found, "chapters"):
        if not isinstance(chapter, MapNode):
            continue
        for key, value in chapter.pairs():
            if (
                isinstance(key, ScalarNode)
                and key.value == "speakers"
                and isinstance(value, SeqNode)
            ):
                yield from (
                    item
                    for item in value.items
                    if isinstance(item, ScalarNode) and not item.is_null
                )


def _talk_id(reader: Reader, node: Node, ident: str, values: dict[str, Any]) -> bool:
    conference = values.get("conference")
    prefix, slash, slug = ident.partition("/")
    if not slash or not _SLUG.match(prefix) or not _SLUG.match(slug):
        example = f"{conference or 'djangocon-us-2019'}/{_slug_example(slug or prefix)}"
        reader.error(
            node,
            f"talk id {ident!r} must be '<conference-id>/<talk-slug>' in lowercase letters, "
            f"digits and hyphens, e.g. '{example}'",
        )
        return False
    return True


def read_entries(reader: Reader, root_node: Node | None) -> Iterator[tuple[EntrySpec, ParsedEntry]]:
    if root_node is None:
        return
    if not isinstance(root_node, MapNode):
        if not isinstance(root_node, BadNode) and not (
            isinstance(root_node, ScalarNode) and root_node.is_null
        ):
            reader.error(
                root_node,
                "a catalogue file must be a mapping with the lists 'conferences', "
                f"'speakers' and 'talks', not {describe(root_node)}",
            )
        return
    lists = reader.fields(root_node, TOP_LEVEL, "the catalogue")
    for spec in ENTRY_SPECS:
        if spec.list_name not in lists:
            continue
        node = lists[spec.list_name][1]
        if isinstance(node, ScalarNode) and node.is_null:
            continue
        if not isinstance(node, SeqNode):
            reader.error(
                node,
                f"'{spec.list_name}' must be a list of {spec.list_name}, each item starting "
                f"with '- ', not {describe(node)}",
            )
            continue
        for item in node.items:
            parsed = _read_entry(reader, item, spec)
            if parsed is not None:
                yield spec, parsed
