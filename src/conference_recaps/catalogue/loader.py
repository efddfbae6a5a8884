"""Load the catalogue (``talks.yaml`` and ``talks/*.yaml``) into the model, reporting every problem.

The YAML is read as a stream of events from libyaml (PyYAML's C parser) into a small
tree of nodes that keep their line and column; each scalar is then read by the type of
the field it belongs to. YAML 1.1's implicit types never apply: ``NO``, ``off``,
``12:30`` and ``3.10`` are the texts they look like, ``2019-09-22`` is a date only in a
date field, and ``null``, ``~`` or an empty value mean "not given". This is what the
JSON Schema says too (every value is a string there), so an editor, ``recaps check`` and
the build agree.

Reading events instead of ``yaml.compose`` or ``yaml.load`` is both faster (a 25,000-talk
catalogue loads in about a second; composing alone takes four) and safer: the tree is
built without recursion, nesting is capped, duplicate keys are seen, and aliases are
refused rather than expanded.

Every problem of every file is collected as a :class:`~conference_recaps.diagnostics.Problem`
at the offending key or value; invalid entries are left out of the :class:`Catalogue`,
valid ones are kept.
"""

from __future__ import annotations

import datetime
import difflib
import gc
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import yaml

from conference_recaps.catalogue.lifecycle import check_former_ids
from conference_recaps.catalogue.model import (
    Alias,
    Catalogue,
    Conference,
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
    URL_PATTERN,
    EntrySpec,
    FieldSpec,
    FieldType,
)
from conference_recaps.diagnostics import Problem, Subtype

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Sequence

    from conference_recaps.config import RecapsConfig

#: Larger files are refused: a catalogue this big should be split into ``talks/*.yaml``.
MAX_FILE_BYTES: Final = 50 * 1024 * 1024
#: Deeper nesting is refused (the catalogue needs four levels; front matter three).
MAX_DEPTH: Final = 32

_SLUG = re.compile(SLUG_PATTERN)
_URL = re.compile(URL_PATTERN)
_DATE = re.compile(DATE_PATTERN, re.ASCII)
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})

# -- A YAML tree with positions ------------------------------------------------------


class Node:
    """A YAML node and where it starts (1-based line and column in its file)."""

    __slots__ = ("column", "line")

    def __init__(self, line: int, column: int) -> None:
        self.line = line
        self.column = column


class ScalarNode(Node):
    """A scalar; ``is_null`` when written plain as nothing, ``~`` or ``null``."""

    __slots__ = ("is_null", "value")

    def __init__(self, value: str, plain: bool, line: int, column: int) -> None:
        # Set directly, without super(): a large catalogue makes a million of these.
        self.line = line
        self.column = column
        self.value = value
        self.is_null = plain and value in _NULLS


class SeqNode(Node):
    __slots__ = ("items",)

    def __init__(self, line: int, column: int) -> None:
        self.line = line
        self.column = column
        self.items: list[Node] = []


class MapNode(Node):
    """A mapping; ``items`` alternates keys and values, as the events come."""

    __slots__ = ("items",)

    def __init__(self, line: int, column: int) -> None:
        self.line = line
        self.column = column
        self.items: list[Node] = []

    def pairs(self) -> Iterator[tuple[Node, Node]]:
        items = self.items
        return zip(items[::2], items[1::2], strict=True)


class BadNode(Node):
    """Stands for a value already reported as a problem (an alias, a tagged value)."""

    __slots__ = ()


def _syntax_hint(problem: str, context: str = "") -> str:
    if "quoted scalar" in context:
        return "close the quote, or quote the text with the other kind of quote"
    if "flow sequence" in context:
        return "close the list with ']' (and separate its items with ', ')"
    if "flow mapping" in context:
        return "close the mapping with '}' (and separate its items with ', ')"
    if "tab" in problem:
        return "indent with spaces, not tabs"
    if "mapping values are not allowed" in problem:
        return "put quotes around a value that contains ': ', or fix the indentation"
    if "could not find expected ':'" in problem or "expected <block end>" in problem:
        return "check the indentation and for a missing ':' or an unclosed quote"
    if "control characters" in problem or "special characters" in problem:
        return "remove the control character"
    return "check the indentation and the quotes near here"


def _position_of_offset(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def parse_yaml(
    text: str, path: str, *, line_offset: int = 0, subtype: Subtype = Subtype.catalogue
) -> tuple[Node | None, list[Problem]]:
    """Parse one YAML document into nodes with positions, or report why it cannot be.

    ``line_offset`` is added to every line (for YAML embedded in a larger file). An empty
    document gives ``None`` and no problem.
    """
    problems: list[Problem] = []

    def problem(line: int, column: int, message: str) -> None:
        problems.append(Problem(path, line, column, message, subtype))

    root: Node | None = None
    stack: list[SeqNode | MapNode] = []
    items: list[Node] = []  # the innermost open container's items
    tagged: set[int] = set()  # containers with a refused tag
    base = line_offset + 1
    documents = 0
    scalar_event, alias_event = yaml.ScalarEvent, yaml.AliasEvent
    map_start, seq_start = yaml.MappingStartEvent, yaml.SequenceStartEvent
    map_end, seq_end = yaml.MappingEndEvent, yaml.SequenceEndEvent
    parser: Any = yaml.CSafeLoader(text)
    try:
        get_event = parser.get_event
        while True:
            event = get_event()
            cls = type(event)
            node: Node
            if cls is scalar_event:
                mark = event.start_mark
                if event.tag is None:
                    node = ScalarNode(
                        event.value, not event.style, mark.line + base, mark.column + 1
                    )
                elif event.tag == "!":  # a quoted scalar
                    node = ScalarNode(event.value, False, mark.line + base, mark.column + 1)
                else:
                    problem(mark.line + base, mark.column + 1, _tag_message(event.tag))
                    node = BadNode(mark.line + base, mark.column + 1)
            elif cls is map_end or cls is seq_end:
                closed = stack.pop()
                items = stack[-1].items if stack else []
                if tagged and id(closed) in tagged:  # already reported: hide its content
                    if stack:
                        items[-1] = BadNode(closed.line, closed.column)
                    else:
                        root = BadNode(closed.line, closed.column)
                continue
            elif cls is map_start or cls is seq_start:
                mark = event.start_mark
                line, column = mark.line + base, mark.column + 1
                if len(stack) >= MAX_DEPTH:
                    problem(
                        line,
                        column,
                        f"nested more than {MAX_DEPTH} levels deep; check the indentation "
                        "and the brackets",
                    )
                    return None, problems
                container = MapNode(line, column) if cls is map_start else SeqNode(line, column)
                if event.tag is not None and event.tag != "!":
                    problem(line, column, _tag_message(event.tag))
                    tagged.add(id(container))
                if stack:
                    items.append(container)
                else:
                    root = container
                stack.append(container)
                items = container.items
                continue
            elif cls is alias_event:
                mark = event.start_mark
                problem(
                    mark.line + base,
                    mark.column + 1,
                    f"YAML aliases (*{event.anchor}) are not supported; write the value out",
                )
                node = BadNode(mark.line + base, mark.column + 1)
            elif cls is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    mark = event.start_mark
                    problem(
                        mark.line + base,
                        mark.column + 1,
                        "only one YAML document is allowed; remove the second '---' "
                        "and what follows, or merge it into the first",
                    )
                    return None, problems
                continue
            elif cls is yaml.StreamEndEvent or event is None:
                break
            else:  # stream start, document end
                continue
            if stack:
                items.append(node)
            else:
                root = node
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        opened = ("quoted scalar", "flow sequence", "flow mapping")
        if exc.context_mark is not None and any(o in (exc.context or "") for o in opened):
            mark = exc.context_mark  # an unclosed quote or bracket: point at where it opens
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)
        what = exc.problem or exc.context or "invalid YAML"
        context = f" ({exc.context})" if exc.context and exc.problem else ""
        line += line_offset if line else 0
        hint = _syntax_hint(what, exc.context or "")
        problem(line, column, f"YAML syntax error: {what}{context}; {hint}")
        return None, problems
    except yaml.reader.ReaderError as exc:
        line, column = _position_of_offset(text, exc.position)
        problem(
            line + line_offset,
            column,
            f"YAML syntax error: {exc.reason}; {_syntax_hint(exc.reason)}",
        )
        return None, problems
    except yaml.YAMLError as exc:  # pragma: no cover - libyaml reports others as marked
        problem(0, 0, f"YAML syntax error: {exc}")
        return None, problems
    finally:
        parser.dispose()
    return root, problems


def _tag_message(tag: str) -> str:
    short = tag.replace("tag:yaml.org,2002:", "!!")
    return f"YAML tags such as '{short}' are not supported; remove it (quote the value instead)"


def read_source(path: Path, rel: str) -> tuple[str | None, list[Problem]]:
    """The file's text, or a problem if it is too big, unreadable or not UTF-8."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return None, [
                Problem(
                    rel,
                    0,
                    0,
                    f"the file is {size / 1024 / 1024:.1f} MB, more than the "
                    f"{MAX_FILE_BYTES // 1024 // 1024} MB a catalogue file may have; "
                    "split it into several talks/*.yaml files",
                )
            ]
        data = path.read_bytes()
    except OSError as exc:
        return None, [Problem(rel, 0, 0, f"cannot read the file: {exc.strerror or exc}")]
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        start = 3 if data.startswith(b"\xef\xbb\xbf") else 0
        good = data[start : exc.start].decode("utf-8")
        line, column = _position_of_offset(good, len(good))
        return None, [
            Problem(
                rel,
                line,
                column,
                f"the file is not UTF-8 text (byte 0x{data[exc.start]:02x}); save it as UTF-8",
            )
        ]


# -- Reading values by type ------------------------------------------------------------

INVALID: Final = object()
"""Returned for a value already reported as a problem."""


def suggest(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest choice, or nothing."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def slugify(text: str) -> str:
    """A slug suggestion for a rejected id or tag."""
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-") or "my-id"


def _describe(node: Node) -> str:
    if isinstance(node, SeqNode):
        return "a list"
    if isinstance(node, MapNode):
        return "a mapping"
    return "a text"


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
                    self.error(key, f"a key must be a plain name, not {_describe(key)}")
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

    def text(self, node: Node, name: str) -> Any:
        """A non-empty text (stripped), ``None`` if null, or :data:`INVALID`."""
        if isinstance(node, ScalarNode):
            if node.is_null:
                return None
            value = node.value.strip()
            if not value:
                self.error(node, f"'{name}' is empty; give a value or remove the key")
                return INVALID
            return value
        if not isinstance(node, BadNode):
            self.error(node, f"'{name}' must be a text, not {_describe(node)}")
        return INVALID

    def slug(self, node: Node, name: str, what: str = "id") -> Any:
        value = self.text(node, name)
        if isinstance(value, str) and not _SLUG.match(value):
            self.error(
                node,
                f"'{name}' {value!r} is not a valid {what}: use lowercase letters, digits "
                f"and single hyphens, e.g. '{slugify(value)}'",
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
        value = self.text(node, name)
        if isinstance(value, str) and not _URL.match(value):
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
                self.error(
                    node, f"'{name}' must be a list, e.g. [{example}], not {_describe(node)}"
                )
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
                    f"public: false}}], not {_describe(node)}",
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

    def value(self, node: Node, spec: FieldSpec) -> Any:
        """The field's value read by its type, ``None`` if null, or :data:`INVALID`."""
        return _READERS[spec.type](self, node, spec.name)


_KINDS = tuple(kind.value for kind in TalkKind)
_REASONS = tuple(reason.value for reason in WithdrawalReason)
_READERS: dict[FieldType, Callable[[Reader, Node, str], Any]] = {
    FieldType.text: Reader.text,
    FieldType.slug: Reader.slug,
    FieldType.talk_id: Reader.text,  # its form is checked with its conference: _talk_id
    FieldType.date: Reader.date,
    FieldType.url: Reader.url,
    FieldType.talk_kind: Reader.kind,
    FieldType.slug_list: Reader.slugs,
    FieldType.text_list: Reader.texts,
    FieldType.talk_id_list: Reader.talk_ids,
    FieldType.alias_list: Reader.aliases,
    FieldType.withdrawal: Reader.withdrawal,
}
_FIELDS = {spec.list_name: {f.name: f for f in spec.fields} for spec in ENTRY_SPECS}


# -- The catalogue ---------------------------------------------------------------------

TOP_LEVEL = tuple(spec.list_name for spec in ENTRY_SPECS)


@dataclass
class _Parsed:
    """One entry after its own checks, with what the cross-file checks need."""

    entry: Conference | Speaker | Talk | None  # None: invalid, left out
    ident: str | None  # its id, if readable (an invalid entry's id still counts as taken)
    id_at: tuple[int, int]
    refs: list[tuple[str, str, tuple[int, int]]] = field(default_factory=list)
    date_at: tuple[int, int] | None = None
    #: Speaker ids a talk names, even if invalid (so they are not also "unreferenced").
    mentions: tuple[str, ...] = ()


def catalogue_files(root: Path, settings: RecapsConfig) -> list[Path]:
    """The catalogue's files: ``talks.yaml`` if it exists, then ``talks/*.yaml`` sorted."""
    files = []
    main = root / settings.catalogue
    if main.is_file():
        files.append(main)
    folder = root / settings.catalogue_dir
    if folder.is_dir():
        files.extend(sorted(p for p in folder.glob("*.yaml") if p.is_file() and p != main))
    return files


def site_path(root: Path, path: Path) -> str:
    """``path`` relative to the site root, as POSIX (as problems name it)."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _read_entry(reader: Reader, node: Node, spec: EntrySpec) -> _Parsed | None:
    """Validate one entry on its own (references are checked later, across files)."""
    if not isinstance(node, MapNode):
        if not isinstance(node, BadNode):
            reader.error(
                node,
                f"each item of '{spec.list_name}' must be a {spec.noun} (a mapping of keys "
                f"such as 'id: ...'), not {_describe(node)}",
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
    label = f"{spec.noun} '{ident}'" if ident else f"a {spec.noun}"
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
    id_node = found["id"][1] if "id" in found else node
    parsed = _Parsed(None, ident, (id_node.line, id_node.column))
    if spec is TALK:
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
        if "date" in values:
            date_node = found["date"][1]
            parsed.date_at = (date_node.line, date_node.column)
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


def _items(found: dict[str, tuple[ScalarNode, Node]], name: str) -> list[Node]:
    node = found.get(name, (None, None))[1]
    return node.items if isinstance(node, SeqNode) else []


def _talk_id(reader: Reader, node: Node, ident: str, values: dict[str, Any]) -> bool:
    conference = values.get("conference")
    prefix, slash, slug = ident.partition("/")
    if not slash or not _SLUG.match(prefix) or not _SLUG.match(slug):
        example = f"{conference or 'djangocon-us-2019'}/{slugify(slug or prefix)}"
        reader.error(
            node,
            f"talk id {ident!r} must be '<conference-id>/<talk-slug>' in lowercase letters, "
            f"digits and hyphens, e.g. '{example}'",
        )
        return False
    return True


def _read_file(reader: Reader, root_node: Node | None) -> Iterator[tuple[EntrySpec, _Parsed]]:
    if root_node is None:
        return
    if not isinstance(root_node, MapNode):
        if not isinstance(root_node, BadNode) and not (
            isinstance(root_node, ScalarNode) and root_node.is_null
        ):
            reader.error(
                root_node,
                "a catalogue file must be a mapping with the lists 'conferences', "
                f"'speakers' and 'talks', not {_describe(root_node)}",
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
                f"with '- ', not {_describe(node)}",
            )
            continue
        for item in node.items:
            parsed = _read_entry(reader, item, spec)
            if parsed is not None:
                yield spec, parsed


def load_catalogue(root: Path, files: Sequence[Path]) -> tuple[Catalogue, list[Problem]]:
    """Load and validate the catalogue files; every problem of every file is returned."""
    # The loader makes millions of small objects and no reference cycles: without this,
    # the cyclic garbage collector takes 40% of a large catalogue's load time.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _load(root, files)
    finally:
        if was_enabled:
            gc.enable()


def _load(root: Path, files: Sequence[Path]) -> tuple[Catalogue, list[Problem]]:
    problems: list[Problem] = []
    rel_paths = [site_path(root, path) for path in files]
    parsed: dict[str, list[_Parsed]] = {spec.list_name: [] for spec in ENTRY_SPECS}
    first_at: dict[str, dict[str, str]] = {spec.list_name: {} for spec in ENTRY_SPECS}
    declared: dict[str, set[str]] = {spec.list_name: set() for spec in ENTRY_SPECS}
    referenced_speakers: set[str] = set()
    for path, rel in zip(files, rel_paths, strict=True):
        text, read_problems = read_source(path, rel)
        problems += read_problems
        if text is None:
            continue
        node, syntax_problems = parse_yaml(text, rel)
        problems += syntax_problems
        reader = Reader(rel)
        for spec, item in _read_file(reader, node):
            if spec is TALK:
                referenced_speakers.update(item.mentions)
            if item.ident is None:
                continue
            seen = first_at[spec.list_name]
            if item.ident in seen:
                reader.error(
                    item.id_at,
                    f"duplicate {spec.noun} id '{item.ident}' (first defined at "
                    f"{seen[item.ident]}); give each {spec.noun} its own id",
                )
                continue
            seen[item.ident] = f"{rel}:{item.id_at[0]}"
            declared[spec.list_name].add(item.ident)
            if item.entry is not None:
                parsed[spec.list_name].append(item)
        problems += reader.problems
    conferences: dict[str, _Parsed] = {p.entry.id: p for p in parsed["conferences"] if p.entry}
    speakers: dict[str, _Parsed] = {p.entry.id: p for p in parsed["speakers"] if p.entry}
    known = {"conferences": conferences, "speakers": speakers}
    talks: list[Talk] = []
    for item in parsed["talks"]:
        talk = item.entry
        assert isinstance(talk, Talk)
        rel = talk.position.path if talk.position else ""
        ok = True
        for list_name, ident, at in item.refs:
            if ident in known[list_name]:
                continue
            ok = False
            if ident in declared[list_name]:
                continue  # that entry is invalid and already reported
            noun = list_name[:-1]
            problems.append(
                Problem(
                    rel,
                    *at,
                    f"unknown {noun} '{ident}'{suggest_id(ident, known[list_name])}; "
                    f"add it under '{list_name}' or fix the id",
                    Subtype.catalogue_ref,
                )
            )
        if not ok:
            continue
        prefix, _, slug = talk.id.partition("/")
        if prefix != talk.conference:  # checked once the conference is known to exist
            problems.append(
                Problem(
                    rel,
                    *item.id_at,
                    f"talk id '{talk.id}' must start with its conference "
                    f"'{talk.conference}/'; write '{talk.conference}/{slug}'",
                )
            )
            continue
        talks.append(talk)
        conference = conferences[talk.conference].entry
        assert isinstance(conference, Conference)
        if talk.date is not None and not conference.start <= talk.date <= conference.end:
            assert item.date_at is not None
            problems.append(
                Problem(
                    rel,
                    *item.date_at,
                    f"talk date {talk.date} is outside its conference ({conference.start} to "
                    f"{conference.end}); fix the date or the conference's dates",
                    Subtype.catalogue_lint,
                    is_error=False,
                )
            )
    for ident, item in speakers.items():
        if ident not in referenced_speakers:
            assert item.entry is not None and item.entry.position is not None
            problems.append(
                Problem(
                    item.entry.position.path,
                    *item.id_at,
                    f"speaker '{ident}' gives no talk; add them to a talk's speakers or "
                    "remove the entry",
                    Subtype.catalogue_lint,
                    is_error=False,
                )
            )
    problems += check_former_ids(
        [p.entry for p in parsed["conferences"] if p.entry is not None],
        [p.entry for p in parsed["speakers"] if p.entry is not None],
        talks,
    )
    order = {rel: index for index, rel in enumerate(rel_paths)}
    problems.sort(key=lambda p: (order.get(p.path, len(order)), p.line, p.column))
    catalogue = Catalogue(
        conferences=(p.entry for p in parsed["conferences"] if isinstance(p.entry, Conference)),
        speakers=(p.entry for p in parsed["speakers"] if isinstance(p.entry, Speaker)),
        talks=talks,
        files=rel_paths,
    )
    return catalogue, problems


def suggest_id(ident: str, known: dict[str, Any]) -> str:
    """A close known id, checked only among ids sharing a first letter (fast at 25k)."""
    return suggest(ident, [k for k in known if k[:1] == ident[:1]])
