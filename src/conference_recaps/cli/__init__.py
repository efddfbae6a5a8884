"""The ``recaps`` command: what contributors and CI run from the site's root.

Each subcommand lives in its own module exposing ``register(subparsers)``; the
module's ``run(args)`` returns the exit code. Problems are printed as
``path:line:col: message`` and, under GitHub Actions, as annotations too.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from typing import TYPE_CHECKING

from conference_recaps import __version__

if TYPE_CHECKING:
    from collections.abc import Sequence

#: Subcommand modules, in the order ``recaps --help`` lists them.
COMMANDS = ("check", "new", "importers", "speakers", "links", "schema")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, with one subparser per command module."""
    parser = argparse.ArgumentParser(
        prog="recaps",
        description="Check, scaffold and import content for the conference recaps site.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMANDS:
        importlib.import_module(f"conference_recaps.cli.{name}").register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``recaps`` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.run(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    return code


if __name__ == "__main__":
    sys.exit(main())
