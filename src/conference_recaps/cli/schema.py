"""``recaps schema``: write the catalogue's JSON Schema, generated from the model.

The schema (``src/conference_recaps/catalogue/talks.schema.json``) is committed so that
editors can validate ``talks.yaml`` as it is typed; regenerate it after changing a
catalogue field, or check that it is current::

    recaps schema
    recaps schema --check
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from conference_recaps.catalogue.schema import SCHEMA_FILE, schema_text

if TYPE_CHECKING:
    import argparse


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "schema",
        help="write the catalogue's JSON Schema (talks.schema.json) from the model",
        description=(__doc__ or "").split("\n\n")[0],
    )
    parser.add_argument("--check", action="store_true", help="exit 1 if the file is stale")
    parser.add_argument(
        "--output", type=Path, default=SCHEMA_FILE, metavar="FILE", help="where to write it"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    output: Path = args.output
    text = schema_text()
    if args.check:
        current = output.read_text(encoding="utf-8") if output.is_file() else ""
        if current != text:
            print(f"{output} is stale; run `recaps schema` and commit the result")
            return 1
        print(f"{output} is up to date")
        return 0
    output.write_text(text, encoding="utf-8")
    print(f"wrote {output}")
    return 0
