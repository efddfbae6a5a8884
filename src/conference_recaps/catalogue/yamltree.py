"""A YAML parser that keeps where every node starts, for messages that name line and column.

The YAML is read as a stream of events from libyaml (PyYAML's C parser) into a small
tree of nodes that keep their line and column; the nodes hold text only, and the
readers (:mod:`conference_recaps.catalogue.reader`) read each scalar by the type of the
field it belongs to. YAML 1.1's implicit types never apply: ``NO``, ``off``, ``12:30``
and ``3.10`` are the texts they look like, and ``null``, ``~`` or an empty value mean
"not given".

Reading events instead of ``yaml.compose`` or ``yaml.load`` is both faster (a 25,000-talk
catalogue loads in about a second; composing alone takes four) and safer: the tree is
built without recursion, nesting is capped, duplicate keys are seen, and aliases are
refused rather than expanded. The catalogue and recap front matter share this parser.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

import yaml

from conference_recaps.diagnostics import Problem, Subtype

if TYPE_CHECKING:
    from collections.abc import Iterator

#: Deeper nesting is refused (the catalogue needs four levels; front matter three).
MAX_DEPTH: Final = 32
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})


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


def position_of_offset(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


# One loop with a branch per kind of event, on purpose: it runs a million times for a
# large catalogue, and a function call per event (a handler per event class) costs a
# third of the load time. Its parts are in the order the events come.
def parse_yaml(  # noqa: PLR0912, PLR0915
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
        # libyaml counts this offset in bytes of the UTF-8 text, not in characters: read
        # as characters, it points lines too far in a file with accents or emoji.
        offset = len(text.encode("utf-8")[: exc.position].decode("utf-8", "ignore"))
        line, column = position_of_offset(text, offset)
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


def describe(node: Node) -> str:
    """What the node is, for messages: a list, a mapping or a text."""
    if isinstance(node, SeqNode):
        return "a list"
    if isinstance(node, MapNode):
        return "a mapping"
    return "a text"
