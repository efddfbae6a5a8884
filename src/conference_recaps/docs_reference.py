"""Reference tables rendered from the code, so the contributor guide cannot drift from it.

Each directive below reads the definition it documents at build time and returns a
docutils table; none takes content::

    :::{recaps-config}
    :::                                   every ``recaps_*`` value of conf.py

    :::{recaps-subtypes}
    :::                                   every warning subtype, from its docstring

    :::{recaps-front-matter}
    :::                                   the fields of a recap's front matter

    :::{recaps-catalogue} talks
    :::                                   the fields of one catalogue list (or all three)

    :::{recaps-commands}
    :::                                   every ``recaps`` command and its arguments

The options of the site's directives are rendered by ``recaps-options``
(:mod:`conference_recaps.directives.reference`). A definition without help text (a
warning subtype without a docstring, a command argument without ``help``) is reported
as ``[recaps.reference]``, so the strict build fails until it is documented. Help
texts use the inline markup of the docstrings they come from (````literal````,
``:class:`Name```); it becomes literal nodes here rather than being re-parsed.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import dataclasses
import enum
import inspect
import re
import textwrap
import typing
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple

from docutils import nodes
from docutils.parsers.rst import directives

from conference_recaps import commands
from conference_recaps.catalogue.schema import ENTRY_SPECS
from conference_recaps.config import PREFIX, config_fields
from conference_recaps.diagnostics import WARNING_TYPE, Subtype
from conference_recaps.directives.base import RecapsDirective, inline_nodes
from conference_recaps.frontmatter import RecapMeta

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

    from docutils.nodes import Node
    from sphinx.application import Sphinx

Cell = str | list["Node"] | None


class Column(NamedTuple):
    title: str
    width: int


def build_table(
    columns: Sequence[Column],
    rows: Iterable[tuple[str | None, Sequence[Cell]]],
    *,
    classes: Sequence[str] = (),
) -> nodes.table:
    """A table; each row is ``(id or None, cells)``; a ``str`` cell is shown as code."""
    table = nodes.table(classes=["recaps-reference", *classes])
    group = nodes.tgroup(cols=len(columns))
    table += group
    for column in columns:
        group += nodes.colspec(colwidth=column.width)
    head = nodes.thead()
    header = nodes.row()
    for column in columns:
        header += nodes.entry("", nodes.paragraph("", column.title))
    head += header
    group += head
    body = nodes.tbody()
    for row_id, cells in rows:
        row = nodes.row()
        if row_id:
            row["ids"].append(nodes.make_id(row_id))
        for cell in cells:
            entry = nodes.entry()
            if isinstance(cell, str):
                entry += nodes.paragraph("", "", nodes.literal("", cell))
            elif cell:
                entry += nodes.paragraph("", "", *cell)
            row += entry
        body += row
    group += body
    return table


# -- what each table documents ------------------------------------------------------------


def member_docstrings(enum_class: type[enum.Enum]) -> dict[str, str]:
    """The string literal after each member of an Enum, read from its source with ``ast``.

    Python keeps no docstring for an assignment, so the source is the only place to find
    it; a member without one maps to ``""``.
    """
    source = textwrap.dedent(inspect.getsource(enum_class))
    return _assignment_docstrings(source, enum_class.__name__)


def _assignment_docstrings(source: str, class_name: str) -> dict[str, str]:
    """``{name: docstring}`` for the assignments in the body of ``class_name``."""
    tree = ast.parse(source)
    found: dict[str, str] = {}
    for node in ast.walk(tree):
        if not (isinstance(node, ast.ClassDef) and node.name == class_name):
            continue
        body = node.body
        for index, statement in enumerate(body):
            targets: list[ast.expr] = []
            if isinstance(statement, ast.Assign):
                targets = statement.targets
            elif isinstance(statement, ast.AnnAssign):
                targets = [statement.target]
            names = [t.id for t in targets if isinstance(t, ast.Name)]
            if not names:
                continue
            following = body[index + 1] if index + 1 < len(body) else None
            doc = ""
            if (
                isinstance(following, ast.Expr)
                and isinstance(following.value, ast.Constant)
                and isinstance(following.value.value, str)
            ):
                doc = inspect.cleandoc(following.value.value)
            for name in names:
                found[name] = doc
    return found


def _type_text(annotation: Any) -> str:
    """A short, readable type: ``str``, ``date or None``, ``list of str``."""
    text = annotation if isinstance(annotation, str) else getattr(annotation, "__name__", "")
    if not text:
        text = str(annotation)
    text = re.sub(r"\b(?:datetime|typing|collections\.abc)\.", "", text)
    text = re.sub(r"tuple\[(\w+), \.\.\.\]", r"list of \1", text)
    text = re.sub(r"(?:list|Sequence)\[(\w+)\]", r"list of \1", text)
    return text.replace(" | None", " or empty")


class RecapsReference(RecapsDirective):
    """Base of the reference directives: warnings go to ``[recaps.reference]``."""

    has_content = False
    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {
        "class": directives.class_option,
    }

    def missing_help(self, what: str) -> None:
        self.warn(
            f"{what} has no help text: document it in the code, and the reference shows it",
            Subtype.reference,
        )

    def finish(self, table: nodes.Element) -> list[Node]:
        table["classes"].extend(self.options.get("class", []))
        self.set_source_info(table)
        return [table]


class ConfigReference(RecapsReference):
    """Every ``recaps_*`` value of ``conf.py``: name, default and meaning."""

    def run(self) -> list[Node]:
        rows: list[tuple[str | None, Sequence[Cell]]] = []
        for f in config_fields():
            help_text = str(f.metadata.get("help", ""))
            if not help_text:
                self.missing_help(f"conf.py value {PREFIX}{f.name}")
            rows.append(
                (
                    f"confval-{PREFIX}{f.name}",
                    [PREFIX + f.name, repr(f.default), inline_nodes(help_text)],
                )
            )
        columns = [Column("Setting", 25), Column("Default", 20), Column("Meaning", 55)]
        return self.finish(build_table(columns, rows, classes=["recaps-config-table"]))


class SubtypeReference(RecapsReference):
    """Every warning subtype, with the docstring of its :class:`Subtype` member."""

    def run(self) -> list[Node]:
        docs = member_docstrings(Subtype)
        rows: list[tuple[str | None, Sequence[Cell]]] = []
        for member in Subtype:
            doc = docs.get(member.name, "")
            if not doc:
                self.missing_help(f"warning subtype {member.name!r}")
            rows.append(
                (
                    f"warning-{WARNING_TYPE}-{member.value}",
                    [f"{WARNING_TYPE}.{member.value}", inline_nodes(doc)],
                )
            )
        columns = [Column("Subtype", 30), Column("Reported when", 70)]
        return self.finish(build_table(columns, rows, classes=["recaps-subtypes-table"]))


class FrontMatterReference(RecapsReference):
    """The fields of a recap's front matter, from ``frontmatter.RecapMeta``."""

    def run(self) -> list[Node]:

        docs = _assignment_docstrings(textwrap.dedent(inspect.getsource(RecapMeta)), "RecapMeta")
        hints = typing.get_type_hints(RecapMeta)
        rows: list[tuple[str | None, Sequence[Cell]]] = []
        for f in dataclasses.fields(RecapMeta):
            if not f.init or f.metadata.get("internal"):
                continue
            key = str(f.metadata.get("key", f.name))
            help_text = str(f.metadata.get("help", "") or docs.get(f.name, ""))
            if not help_text:
                self.missing_help(f"front matter field {key!r}")
            required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
            rows.append(
                (
                    f"front-matter-{key}",
                    [
                        key,
                        [
                            nodes.Text(
                                f.metadata.get("type") or _type_text(hints.get(f.name, f.type))
                            )
                        ],
                        [nodes.Text("yes" if required else "no")],
                        inline_nodes(help_text),
                    ],
                )
            )
        columns = [
            Column("Field", 18),
            Column("Type", 18),
            Column("Required", 10),
            Column("Meaning", 54),
        ]
        return self.finish(build_table(columns, rows, classes=["recaps-front-matter-table"]))


class CatalogueReference(RecapsReference):
    """The fields of the catalogue's lists (``conferences``, ``speakers``, ``talks``)."""

    optional_arguments = 1

    def run(self) -> list[Node]:
        wanted = self.arguments[0].strip() if self.arguments else None
        specs = [spec for spec in ENTRY_SPECS if wanted in (None, spec.list_name)]
        if not specs:
            self.warn(
                f"recaps-catalogue: no catalogue list named {wanted!r}; use one of "
                + ", ".join(spec.list_name for spec in ENTRY_SPECS),
                Subtype.reference,
            )
            return []
        result: list[Node] = []
        columns = [
            Column("Field", 16),
            Column("Type", 16),
            Column("Required", 10),
            Column("Meaning", 58),
        ]
        for spec in specs:
            rows: list[tuple[str | None, Sequence[Cell]]] = []
            for field_spec in spec.fields:
                if not field_spec.help:
                    self.missing_help(f"catalogue field {spec.list_name}.{field_spec.name}")
                meaning = inline_nodes(field_spec.help)
                if field_spec.ref:
                    meaning += [
                        nodes.Text(" Must name an entry of "),
                        nodes.literal("", field_spec.ref),
                        nodes.Text("."),
                    ]
                rows.append(
                    (
                        f"catalogue-{spec.list_name}-{field_spec.name}",
                        [
                            field_spec.name,
                            [nodes.Text(field_spec.type.value.replace("_", " "))],
                            [nodes.Text("yes" if field_spec.required else "no")],
                            meaning,
                        ],
                    )
                )
            table = build_table(columns, rows, classes=["recaps-catalogue-table"])
            title = nodes.title("", "", nodes.literal("", spec.list_name))
            title += nodes.Text(f": one entry per {spec.noun}")
            table.insert(0, title)
            result.extend(self.finish(table))
        return result


def command_parsers(
    parser: argparse.ArgumentParser, prefix: str = ""
) -> list[tuple[str, str, argparse.ArgumentParser]]:
    """``(name, help, parser)`` for each (sub)command, in the order ``--help`` lists them.

    Nested commands come after their parent: ``import``, ``import pyvideo`` ...
    """
    found = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {choice.dest: choice.help or "" for choice in action._choices_actions}
            for name, subparser in action.choices.items():
                full = f"{prefix}{name}"
                found.append((full, helps.get(name, ""), subparser))
                found.extend(command_parsers(subparser, full + " "))
    return found


def _argument_name(action: argparse.Action) -> str:
    if action.option_strings:
        flags = ", ".join(action.option_strings)
        if action.nargs == 0:
            return flags
        metavar = action.metavar or action.dest.upper()
        return f"{flags} {metavar if isinstance(metavar, str) else ' '.join(metavar)}"
    metavar = action.metavar or action.dest  # as argparse shows a positional
    return metavar if isinstance(metavar, str) else " ".join(metavar)


def _argument_help(action: argparse.Action, prog: str) -> str:
    text = action.help or ""
    if "%(" in text:
        with contextlib.suppress(KeyError, TypeError, ValueError):
            text = text % {**vars(action), "prog": prog}
    extras = []
    if not action.option_strings and not text:
        # An undocumented positional still says what it takes.
        text = {"+": "one or more, required", "*": "any number", "?": "optional"}.get(
            str(action.nargs), "required"
        )
    if action.choices is not None and "%(choices)" not in (action.help or ""):
        extras.append("one of " + ", ".join(str(c) for c in action.choices))
    if getattr(action, "required", False) and action.option_strings:
        extras.append("required")
    if extras:
        text = f"{text} ({'; '.join(extras)})" if text else "; ".join(extras).capitalize()
    return text


class CommandsReference(RecapsReference):
    """Every ``recaps`` command, with its arguments, from :mod:`conference_recaps.commands`."""

    def run(self) -> list[Node]:
        parser = commands.build_parser()
        result: list[Node] = []
        columns = [Column("Argument", 35), Column("Meaning", 65)]
        for name, help_text, subparser in command_parsers(parser):
            if not help_text:
                self.missing_help(f"command 'recaps {name}'")
            rows: list[tuple[str | None, Sequence[Cell]]] = []
            for action in subparser._actions:
                if (
                    isinstance(action, argparse._HelpAction | argparse._SubParsersAction)
                    or action.help == argparse.SUPPRESS
                ):
                    continue
                meaning = _argument_help(action, subparser.prog)
                if not meaning:
                    self.missing_help(f"argument {_argument_name(action)!r} of 'recaps {name}'")
                rows.append((None, [_argument_name(action), inline_nodes(meaning)]))
            heading = nodes.rubric("", "", nodes.literal("", f"recaps {name}"))
            heading["ids"].append(nodes.make_id(f"command-recaps-{name}"))
            heading["classes"].append("recaps-command")
            self.set_source_info(heading)
            result.append(heading)
            for text in dict.fromkeys((help_text, subparser.description or "")):
                if text:
                    result.append(nodes.paragraph("", "", *inline_nodes(text)))
            if rows:
                result.extend(
                    self.finish(build_table(columns, rows, classes=["recaps-commands-table"]))
                )
        return result


def setup_docs_reference(app: Sphinx) -> None:
    """Register the reference directives (used by the pages under ``docs/``)."""
    app.add_directive("recaps-config", ConfigReference)
    app.add_directive("recaps-subtypes", SubtypeReference)
    app.add_directive("recaps-front-matter", FrontMatterReference)
    app.add_directive("recaps-catalogue", CatalogueReference)
    app.add_directive("recaps-commands", CommandsReference)
