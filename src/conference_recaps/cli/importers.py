"""``recaps import pyvideo DIR`` and ``recaps import pretalx FILE``: add talks from sources.

Run from the site's root. The records are merged into the catalogue (``talks.yaml``
unless ``--into`` says otherwise); talks and speakers already in any catalogue file
(``talks.yaml`` and ``talks/*.yaml``) are matched rather than duplicated, and what
people wrote is never overwritten (see ``docs/importing.md``). Problems are printed as
``path:line:col: message``; the exit code is 1 if there was any.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from conference_recaps.importers.merge import MergeReport, merge_into
from conference_recaps.importers.pretalx import read_pretalx
from conference_recaps.importers.pyvideo import read_pyvideo
from conference_recaps.importers.sources import SourceError, display_path

if TYPE_CHECKING:
    from collections.abc import Callable

    from conference_recaps.diagnostics import Problem
    from conference_recaps.importers.records import ImportBatch

#: The folder of further catalogue files, next to the main one.
CATALOGUE_DIR = "talks"


def _print_problems(problems: list[Problem]) -> None:
    annotate = bool(os.environ.get("GITHUB_ACTIONS"))
    for problem in problems:
        print(problem, file=sys.stderr)
        if annotate:
            print(problem.github_annotation())


def _other_catalogue_files(target: Path) -> list[Path]:
    folder = target.parent / CATALOGUE_DIR
    return sorted(folder.glob("*.yaml")) if folder.is_dir() else []


def _run(
    args: argparse.Namespace, sources: list[Path], read: Callable[[Path, str | None], ImportBatch]
) -> int:
    if args.conference_id is not None and len(sources) > 1:
        print("recaps import: --conference-id needs exactly one source", file=sys.stderr)
        return 1
    problems: list[Problem] = []
    batches: list[ImportBatch] = []
    for source in sources:
        try:
            batch = read(source, args.conference_id)
        except SourceError as exc:
            problems.extend(exc.problems)
            continue
        problems.extend(batch.problems)
        batches.append(batch)

    target = Path(args.into)

    def show(batch: ImportBatch, report: MergeReport) -> None:
        print(f"{display_path(target)}: {batch.conference.id}: {report.summary()}")
        for list_name, ident, fields in report.filled:
            print(f"  filled {', '.join(fields)} of {list_name[:-1]} {ident}")

    try:
        changed = merge_into(
            target,
            batches,
            others=_other_catalogue_files(target),
            dry_run=args.dry_run,
            on_report=show,
        )
    except SourceError as exc:
        problems.extend(exc.problems)
        _print_problems(problems)
        return 1
    verb = "would change" if args.dry_run else "wrote"
    for document in changed:
        print(f"{verb} {document.name}")
    if not changed and batches:
        print("nothing to change")
    _print_problems(problems)
    return 1 if any(p.is_error for p in problems) else 0


def run_pyvideo(args: argparse.Namespace) -> int:
    """``recaps import pyvideo DIR...``."""
    return _run(args, list(args.directories), read_pyvideo)


def run_pretalx(args: argparse.Namespace) -> int:
    """``recaps import pretalx FILE...``."""
    return _run(args, list(args.files), read_pretalx)
