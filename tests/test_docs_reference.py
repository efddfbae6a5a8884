"""The reference tables in docs/ are rendered from the code: one row per definition."""

from __future__ import annotations

import argparse
import dataclasses
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pytest
from bs4 import BeautifulSoup
from docutils import nodes
from sphinx.util.console import strip_colors

from conference_recaps import docs_reference
from conference_recaps.catalogue.schema import ENTRY_SPECS
from conference_recaps.commands import build_parser
from conference_recaps.config import config_fields
from conference_recaps.diagnostics import Subtype
from conference_recaps.directives.base import inline_nodes
from conference_recaps.docs_reference import (
    _assignment_docstrings,
    command_parsers,
    member_docstrings,
)
from conference_recaps.frontmatter import RecapMeta

if TYPE_CHECKING:
    from sphinx.testing.util import SphinxTestApp


def _soup(app: SphinxTestApp) -> BeautifulSoup:
    return BeautifulSoup((app.outdir / "index.html").read_text(), "html.parser")


def _rows(soup: BeautifulSoup, table_class: str) -> list[list[str]]:
    return [
        [cell.get_text(" ", strip=True) for cell in row.find_all("td")]
        for table in soup.select(f"table.{table_class}")
        for row in table.select("tbody tr")
    ]


@pytest.mark.sphinx("html", testroot="reference", freshenv=True)
def test_every_definition_has_a_row(app: SphinxTestApp) -> None:
    app.build()
    assert strip_colors(app.warning.getvalue()) == ""
    soup = _soup(app)

    config_rows = _rows(soup, "recaps-config-table")
    assert [row[0] for row in config_rows] == [f"recaps_{f.name}" for f in config_fields()]
    assert config_rows[0] == [
        "recaps_catalogue",
        "'talks.yaml'",
        "The catalogue file, relative to the site root.",
    ]
    assert soup.find("tr", id="confval-recaps-catalogue") is not None

    subtype_rows = _rows(soup, "recaps-subtypes-table")
    assert [row[0] for row in subtype_rows] == [f"recaps.{s.value}" for s in Subtype]
    grid = dict(subtype_rows)["recaps.grid_empty"]
    assert grid == "A talk-grid matches no talk."
    assert soup.select_one("tr#warning-recaps-grid-empty td code").get_text() == "recaps.grid_empty"

    front_rows = _rows(soup, "recaps-front-matter-table")
    shown = [f for f in dataclasses.fields(RecapMeta) if f.init]
    assert len(front_rows) == len(shown)
    assert {"title", "date", "authors", "conference", "kind"} <= {r[0] for r in front_rows}
    assert all(row[3] for row in front_rows), "every front matter field has help"

    catalogue_rows = _rows(soup, "recaps-catalogue-table")
    expected = [f.name for spec in ENTRY_SPECS for f in spec.fields]
    talks = next(spec for spec in ENTRY_SPECS if spec.list_name == "talks")
    assert [row[0] for row in catalogue_rows] == expected + [f.name for f in talks.fields]
    speakers_row = next(r for r in catalogue_rows if r[0] == "speakers")
    assert speakers_row[3].endswith("Must name an entry of speakers .")
    assert [
        c.get_text(" ", strip=True)
        for c in soup.select("table.recaps-catalogue-table caption .caption-text")
    ][:3] == [
        "conferences : one entry per conference",
        "speakers : one entry per speaker",
        "talks : one entry per talk",
    ]

    commands = [h.get_text().strip() for h in soup.select("p.rubric.recaps-command")]
    assert "recaps new" in commands
    assert "recaps import pyvideo" in commands
    new_rows = dict(
        (row[0], row[1])
        for table in soup.select("table.recaps-commands-table")
        for row in _rows(BeautifulSoup(str(table), "html.parser"), "recaps-commands-table")
    )
    assert new_rows["--kind KIND"].startswith("what the recap is (default: blog) (one of blog")


def test_inline_markup_becomes_literals() -> None:
    result = inline_nodes("A ``talk-grid`` of :class:`~pkg.TalkKind` and :ref:`the list <x>`.")
    assert [type(n) for n in result] == [
        nodes.Text,
        nodes.literal,
        nodes.Text,
        nodes.literal,
        nodes.Text,
        nodes.literal,
        nodes.Text,
    ]
    assert [n.astext() for n in result] == [
        "A ",
        "talk-grid",
        " of ",
        "TalkKind",
        " and ",
        "the list",
        ".",
    ]


def test_subtype_docstrings_are_read_from_the_source() -> None:
    docs = member_docstrings(Subtype)
    assert set(docs) == {member.name for member in Subtype}
    assert all(docs.values())
    source = '''
class Subtype(enum.Enum):
    old = "old"
    """Old."""
    brand_new = "brand_new"
    """A new one,
    on two lines."""
    undocumented = "undocumented"
'''
    assert _assignment_docstrings(source, "Subtype") == {
        "old": "Old.",
        "brand_new": "A new one,\non two lines.",
        "undocumented": "",
    }


@dataclass(frozen=True)
class _MoreSettings:
    catalogue: str = field(default="talks.yaml", metadata={"help": "The catalogue."})
    shiny: str = field(default="on", metadata={"help": "A new ``shiny`` setting."})
    silent: str = field(default="", metadata={})


@pytest.mark.sphinx("html", testroot="reference", freshenv=True)
def test_a_new_setting_shows_up_and_missing_help_is_reported(
    app: SphinxTestApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        docs_reference, "config_fields", lambda: list(dataclasses.fields(_MoreSettings))
    )
    app.build()
    rows = _rows(_soup(app), "recaps-config-table")
    assert rows[1] == ["recaps_shiny", "'on'", "A new shiny setting."]
    assert (
        "index.md:5: WARNING: conf.py value recaps_silent has no help text: document it in "
        "the code, and the reference shows it [recaps.reference]"
    ) in strip_colors(app.warning.getvalue())


@pytest.mark.sphinx("html", testroot="reference", freshenv=True)
def test_an_undocumented_subtype_is_reported(
    app: SphinxTestApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = member_docstrings(Subtype)
    monkeypatch.setattr(
        docs_reference, "member_docstrings", lambda enum_class: {**real, "grid_empty": ""}
    )
    app.build()
    assert "WARNING: warning subtype 'grid_empty' has no help text" in strip_colors(
        app.warning.getvalue()
    )


def _parser_with_extra_command() -> argparse.ArgumentParser:
    parser = build_parser()
    subparsers = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    extra = subparsers.add_parser("frobnicate", help="frobnicate the catalogue")
    extra.add_argument("--level", type=int, default=3, help="how hard (default: %(default)s)")
    extra.add_argument("target", help="what to frobnicate")
    return parser


def test_command_parsers_lists_nested_commands() -> None:
    names = [name for name, _help, _parser in command_parsers(_parser_with_extra_command())]
    assert "new" in names
    assert names[-1] == "frobnicate"
    assert names.index("import pyvideo") == names.index("import") + 1


@pytest.mark.sphinx("html", testroot="reference", freshenv=True)
def test_a_new_command_shows_up(app: SphinxTestApp, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("conference_recaps.commands.build_parser", _parser_with_extra_command)
    app.build()
    assert strip_colors(app.warning.getvalue()) == ""
    soup = _soup(app)
    heading = soup.find("p", id="command-recaps-frobnicate")
    assert heading is not None
    assert heading.get_text().strip() == "recaps frobnicate"
    table = heading.find_next("table")
    assert _rows(BeautifulSoup(str(table), "html.parser"), "recaps-commands-table") == [
        ["--level LEVEL", "how hard (default: 3)"],
        ["target", "what to frobnicate"],
    ]
