"""What the ``recaps`` command line takes: its commands and their arguments, as data.

Two readers share this description. The command line (:mod:`conference_recaps.cli`)
builds its parser from it and runs the command's ``run`` function, which it imports only
then; the reference in ``docs/commands.md`` (``recaps-commands``,
:mod:`conference_recaps.docs_reference`) is rendered from the same parser, so the docs
cannot drift from the flags, and the Sphinx extension never imports the command line
(its importers pull in ruamel.yaml and the network code of ``recaps links``).
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from conference_recaps.catalogue.schema import SCHEMA_FILE
from conference_recaps.frontmatter import RecapKind
from conference_recaps.version import __version__

#: The kinds of recap the front matter accepts, the first being the default.
RECAP_KINDS = tuple(kind.value for kind in RecapKind)
#: The catalogue file ``recaps import`` adds to unless ``--into`` says otherwise.
DEFAULT_TARGET = "talks.yaml"
#: Where ``recaps import`` lists what it did to each record (``--report``).
DEFAULT_REPORT = "_build/import-report.txt"


@dataclass(frozen=True)
class Argument:
    """One argument: its flags (or positional name) and ``add_argument``'s keywords."""

    flags: tuple[str, ...]
    options: dict[str, Any] = field(default_factory=dict)
    #: The title of the argument group it is listed under, if any.
    group: str | None = None


def arg(*flags: str, group: str | None = None, **options: Any) -> Argument:
    return Argument(flags, options, group)


@dataclass(frozen=True)
class Command:
    """A command, its arguments, and where its implementation is (``module:function``)."""

    name: str
    help: str
    description: str
    arguments: tuple[Argument, ...] = ()
    #: Argument groups: ``(title, description)``, in the order ``--help`` lists them.
    groups: tuple[tuple[str, str], ...] = ()
    run: str | None = None
    subcommands: tuple[Command, ...] = ()
    #: The attribute and placeholder of the chosen subcommand, e.g. ``("source", "SOURCE")``.
    subcommand_dest: tuple[str, str] = ("", "")


def _root(help_text: str) -> Argument:
    return arg("--root", type=Path, default=Path(), metavar="DIR", help=help_text)


def _import_options() -> tuple[Argument, ...]:
    return (
        arg(
            "--into",
            default=DEFAULT_TARGET,
            metavar="FILE",
            help=f"the catalogue file new entries go to (default: {DEFAULT_TARGET})",
        ),
        arg(
            "--conference-id",
            metavar="ID",
            help="the conference's id (default: from the folder name or the event's acronym)",
        ),
        arg("--dry-run", action="store_true", help="report what would change, write nothing"),
        arg(
            "--report",
            default=DEFAULT_REPORT,
            metavar="FILE",
            help="where to list everything the import did to each record "
            f"(default: {DEFAULT_REPORT})",
        ),
    )


_NEW_CONFERENCE = "a new conference"
_ROOT_HELP = "the site's root, where conf.py is (default: the current folder)"

#: Every command, in the order ``recaps --help`` lists them.
COMMANDS: tuple[Command, ...] = (
    Command(
        "check",
        help="validate the catalogue and every recap's front matter",
        description=(
            "``recaps check``: validate the catalogue and every recap's front matter, as CI does."
        ),
        arguments=(
            _root("the site's root, holding conf.py (default: the current directory)"),
            arg(
                "--base",
                metavar="REF",
                help="also fail on every talk, speaker or conference id that exists at this "
                "git ref (e.g. origin/main) and is gone, unless a former_ids or withdrawn "
                "record accounts for it",
            ),
        ),
        run="conference_recaps.cli.check:run",
    ),
    Command(
        "new",
        help="scaffold a recap post for a conference (asks in a terminal, or takes flags)",
        description=(
            "Write recaps/<year>/<slug>.md with valid front matter and a skeleton. In a "
            "terminal it asks for whatever the flags leave out; otherwise --conference, "
            "--title and --author are required."
        ),
        arguments=(
            arg(
                "--conference",
                metavar="ID",
                help="the conference's id in the catalogue (with --new-conference: the new id)",
            ),
            arg("--title", help="the recap's title"),
            arg(
                "--author",
                action="append",
                dest="authors",
                metavar="NAME",
                help="an author's name; repeat for each author",
            ),
            arg(
                "--kind", choices=RECAP_KINDS, help=f"what the recap is (default: {RECAP_KINDS[0]})"
            ),
            arg(
                "--date", metavar="YYYY-MM-DD", help="the recap's publication date (default: today)"
            ),
            arg(
                "--slug",
                help="the file name without .md, a lowercase slug (default: made from the title)",
            ),
            _root(_ROOT_HELP),
            arg(
                "--new-conference",
                action="store_true",
                help="append a new conference to the catalogue before writing the recap",
                group=_NEW_CONFERENCE,
            ),
            arg(
                "--name",
                help="the new conference's name, e.g. 'DjangoCon US 2019'",
                group=_NEW_CONFERENCE,
            ),
            arg(
                "--start",
                metavar="YYYY-MM-DD",
                help="the new conference's first day",
                group=_NEW_CONFERENCE,
            ),
            arg(
                "--end",
                metavar="YYYY-MM-DD",
                help="the new conference's last day (default: --start)",
                group=_NEW_CONFERENCE,
            ),
            arg(
                "--location",
                help="the new conference's city and country, or 'Online'",
                group=_NEW_CONFERENCE,
            ),
            arg(
                "--url", help="the new conference's own site (http or https)", group=_NEW_CONFERENCE
            ),
        ),
        groups=(
            (
                _NEW_CONFERENCE,
                "Add the conference to the catalogue first (its id is --conference, or made "
                "from --name).",
            ),
        ),
        run="conference_recaps.cli.new:run",
    ),
    Command(
        "import",
        help="merge talks from pyvideo.org data or a pretalx schedule into the catalogue",
        description=(
            "``recaps import pyvideo DIR`` and ``recaps import pretalx FILE``: add talks from "
            "sources."
        ),
        subcommand_dest=("source", "SOURCE"),
        subcommands=(
            Command(
                "pyvideo",
                help="a pyvideo.org category folder (category.json and videos/*.json)",
                description="Import pyvideo.org category folders, each one conference.",
                arguments=(
                    arg(
                        "directories",
                        nargs="+",
                        type=Path,
                        metavar="DIR",
                        help="a category folder of pyvideo/data (category.json and videos/*.json)",
                    ),
                    *_import_options(),
                ),
                run="conference_recaps.cli.importers:run_pyvideo",
            ),
            Command(
                "pretalx",
                help="a pretalx schedule export (/<event>/schedule/export/schedule.json)",
                description="Import a pretalx schedule JSON export (frab-compatible).",
                arguments=(
                    arg(
                        "files",
                        nargs="+",
                        type=Path,
                        metavar="FILE",
                        help=(
                            "a schedule.json downloaded from /<event>/schedule/export/schedule.json"
                        ),
                    ),
                    *_import_options(),
                ),
                run="conference_recaps.cli.importers:run_pretalx",
            ),
        ),
    ),
    Command(
        "speakers",
        help="list likely duplicate speakers, or merge two into one",
        description=(
            "``recaps speakers duplicates`` lists speakers who are probably one person; "
            "``recaps speakers merge OLD NEW`` merges them."
        ),
        subcommand_dest=("action", "ACTION"),
        subcommands=(
            Command(
                "duplicates",
                help="list speakers whose names differ only by case, accents, punctuation, "
                "hyphens, initials or a title; never merges",
                description="List likely duplicate speakers, with the command that merges each.",
                arguments=(_root(_ROOT_HELP),),
                run="conference_recaps.cli.speakers:run_duplicates",
            ),
            Command(
                "merge",
                help="merge speaker OLD into NEW: move the talks, keep OLD as a former id and "
                "its name as an alias, update the recaps",
                description=(
                    "Rewrite the catalogue (comments kept) and the recaps so that OLD's talks "
                    "name NEW; /speakers/OLD/ then redirects to /speakers/NEW/."
                ),
                arguments=(
                    arg("old", metavar="OLD", help="the id to merge away"),
                    arg("new", metavar="NEW", help="the id to keep"),
                    arg(
                        "--private",
                        action="store_true",
                        help="keep OLD's name only for matching imports, never shown "
                        "(public: false)",
                    ),
                    arg(
                        "--dry-run",
                        action="store_true",
                        help="say what would change, write nothing",
                    ),
                    _root(_ROOT_HELP),
                ),
                run="conference_recaps.cli.speakers:run_merge",
            ),
        ),
    ),
    Command(
        "links",
        help="report talks whose video or slides link is dead (needs network access)",
        description=(
            "Fetch every video and slides address in the catalogue and report the dead "
            "ones as path:line:col: message. Exit code 1 if any is dead."
        ),
        arguments=(
            arg("--conference", metavar="ID", help="only the talks of this conference"),
            arg(
                "--timeout",
                type=float,
                default=20.0,
                metavar="SECONDS",
                help="how long to wait for each server (default: %(default)s)",
            ),
            arg(
                "--workers",
                type=int,
                default=8,
                metavar="N",
                help="how many addresses to fetch at once (default: %(default)s)",
            ),
            _root(_ROOT_HELP),
        ),
        run="conference_recaps.cli.links:run",
    ),
    Command(
        "schema",
        help="write the catalogue's JSON Schema (talks.schema.json) from the model",
        description=(
            "``recaps schema``: write the catalogue's JSON Schema, generated from the model."
        ),
        arguments=(
            arg("--check", action="store_true", help="exit 1 if the file is stale"),
            arg(
                "--output", type=Path, default=SCHEMA_FILE, metavar="FILE", help="where to write it"
            ),
        ),
        run="conference_recaps.cli.schema:run",
    ),
    Command(
        "audit",
        help="run Lighthouse and pa11y on each page type of the built site (needs npm ci)",
        description=(
            "Serve the built site with gzip on 127.0.0.1, run Lighthouse (mobile) and pa11y "
            "on the heaviest page of each type, print scores, LCP, CLS, bytes and requests. "
            "Exit code 1 when a page is over the weight budget or below the scores."
        ),
        arguments=(
            arg(
                "--site",
                type=Path,
                default=Path("_build/html"),
                metavar="DIR",
                help="the dirhtml build to audit (default: %(default)s)",
            ),
            arg(
                "--report-dir",
                type=Path,
                default=Path("_build/audit"),
                metavar="DIR",
                help="where the Lighthouse and pa11y reports go (default: %(default)s)",
            ),
            arg(
                "--runs",
                type=int,
                default=1,
                metavar="N",
                help="Lighthouse runs per page; the median counts (default: %(default)s)",
            ),
            arg(
                "--cpu-slowdown",
                type=float,
                default=None,
                metavar="X",
                help=(
                    "Lighthouse's CPU slowdown multiplier (default: its own, 4); lower it "
                    "only to calibrate a host slower than Lighthouse expects"
                ),
            ),
            arg(
                "--node-modules",
                type=Path,
                default=Path("node_modules"),
                metavar="DIR",
                help="where `npm ci` installed the tools (default: %(default)s)",
            ),
        ),
        run="conference_recaps.cli.audit:run",
    ),
)


def add_command(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser], command: Command
) -> None:
    """Add one command (and its subcommands) to a parser's subcommands."""
    parser = subparsers.add_parser(command.name, help=command.help, description=command.description)
    groups = {title: parser.add_argument_group(title, text) for title, text in command.groups}
    for argument in command.arguments:
        target = groups[argument.group] if argument.group else parser
        target.add_argument(*argument.flags, **argument.options)
    if command.subcommands:
        dest, metavar = command.subcommand_dest
        nested = parser.add_subparsers(dest=dest, metavar=metavar, required=True)
        for subcommand in command.subcommands:
            add_command(nested, subcommand)
    if command.run is not None:
        parser.set_defaults(run=command.run)


def build_parser(commands: tuple[Command, ...] = COMMANDS) -> argparse.ArgumentParser:
    """The ``recaps`` parser; a command's ``run`` default is its ``module:function``."""
    parser = argparse.ArgumentParser(
        prog="recaps",
        description="Check, scaffold and import content for the conference recaps site.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for command in commands:
        add_command(subparsers, command)
    return parser
