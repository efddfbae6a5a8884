"""``recaps schema``: write the catalogue's JSON Schema, generated from the model.

The schema (``src/conference_recaps/catalogue/talks.schema.json``) is committed so that
editors can validate ``talks.yaml`` as it is typed; regenerate it after changing a
catalogue field, or check that it is current::

    recaps schema
    recaps schema --check
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from conference_recaps.catalogue.schema import schema_text

if TYPE_CHECKING:
    import argparse


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
