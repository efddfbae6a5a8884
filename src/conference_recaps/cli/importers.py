"""``recaps import pyvideo DIR`` and ``recaps import pretalx FILE``: add talks from sources.

Run from the site's root. The records are merged into the catalogue (``talks.yaml``
unless ``--into`` says otherwise); talks and speakers already in any catalogue file
(``talks.yaml`` and ``talks/*.yaml``, whichever file ``--into`` names) are matched
rather than duplicated, and what people wrote is never overwritten (see
``docs/importing.md``). Progress goes to standard error; everything the importer did to
a record (merged, skipped, dropped, trimmed, renamed, split...) is counted in a summary
and listed in a report file (``_build/import-report.txt`` unless ``--report`` says
otherwise). Problems are printed as ``path:line:col: message``; the exit code is 1 if
there was any.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from conference_recaps.catalogue.loader import catalogue_files
from conference_recaps.catalogue.tags import TAGS_FILE, Vocabulary, read_vocabulary
from conference_recaps.cli.check import read_settings
from conference_recaps.importers.merge import MergeReport, merge_into
from conference_recaps.importers.pretalx import read_pretalx
from conference_recaps.importers.pyvideo import read_pyvideo
from conference_recaps.importers.records import ACTIONS, Note
from conference_recaps.importers.sources import SourceError, display_path

if TYPE_CHECKING:
    from collections.abc import Callable

    from conference_recaps.diagnostics import Problem
    from conference_recaps.importers.records import ImportBatch


def _print_problems(problems: list[Problem]) -> None:
    annotate = bool(os.environ.get("GITHUB_ACTIONS"))
    for problem in problems:
        print(problem, file=sys.stderr)
        if annotate:
            print(problem.github_annotation())


def _other_catalogue_files(target: Path) -> list[Path]:
    """Every catalogue file of the site (run from its root) other than ``target``.

    Found as the build finds them (``recaps_catalogue`` and ``recaps_catalogue_dir`` in
    ``conf.py``), not next to ``target``: importing into ``talks/x.yaml`` must still see
    ``talks.yaml`` and the other split files.
    """
    root = Path.cwd()
    settings, _ = read_settings(root)
    resolved = target.resolve()
    return [p for p in catalogue_files(root, settings) if p.resolve() != resolved]


def fold_tags(batches: list[ImportBatch], vocabulary: Vocabulary) -> list[Note]:
    """Each talk's tags folded into the vocabulary's (an alias becomes its tag), noted."""
    folded: Counter[tuple[str, str]] = Counter()
    for batch in batches:
        talks = []
        for talk in batch.talks:
            tags: list[str] = []
            for tag in talk.tags:
                new = vocabulary.fold(tag) or tag
                if new != tag:
                    folded[tag, new] += 1
                if new not in tags:
                    tags.append(new)
            talks.append(dataclasses.replace(talk, tags=tuple(tags)))
        batch.talks = talks
    return [
        Note("tags", TAGS_FILE, f"{old!r} folded into {new!r} ({count} talks)")
        for (old, new), count in sorted(folded.items())
    ]


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def write_report(path: Path, notes: list[Note], header: list[str]) -> None:
    """The report file: a header, then every note grouped by action, in source order."""
    lines = [*header, ""]
    for action, meaning in ACTIONS.items():
        group = [n for n in notes if n.action == action]
        if not group:
            continue
        lines += [f"## {meaning} ({action}): {len(group)}", ""]
        lines += [f"{n.record}: {n.message}" for n in group]
        lines.append("")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")


def summary_lines(
    notes: list[Note], converted: Counter[str], added: Counter[str], events: int
) -> list[str]:
    """What the import did, in counts: the summary printed and heading the report."""
    lines = [
        f"{events} event{'s' * (events != 1)} read; added "
        + ", ".join(f"{added[n]} {n}" for n in ("conferences", "speakers", "talks"))
    ]
    if converted:
        lines.append(
            "descriptions read as: "
            + ", ".join(f"{count} {name}" for name, count in sorted(converted.items()))
            + " (all stored as Markdown)"
        )
    counts = Counter(n.action for n in notes)
    for action, meaning in ACTIONS.items():
        if counts[action]:
            lines.append(f"{counts[action]:>6} {meaning} [{action}]")
    return lines


def _read_all(
    sources: list[Path],
    read: Callable[[Path, str | None], ImportBatch],
    conference_id: str | None,
    *,
    problems: list[Problem],
    notes: list[Note],
    converted: Counter[str],
) -> list[ImportBatch]:
    """Read every source, showing progress; what went wrong or was changed is collected."""
    batches: list[ImportBatch] = []
    talks_read = 0
    for number, source in enumerate(sources, 1):
        try:
            batch = read(source, conference_id)
        except SourceError as exc:
            problems.extend(exc.problems)
            notes.append(Note("skip", display_path(source), "; ".join(map(str, exc.problems))))
            continue
        problems.extend(batch.problems)
        batches.append(batch)
        notes.extend(batch.notes)
        converted.update(batch.converted)
        talks_read += len(batch.talks)
        if len(sources) > 1:
            _progress(
                f"read {number}/{len(sources)} {batch.conference.id}: "
                f"{len(batch.talks)} talks ({talks_read} so far)"
            )
    return batches


def _run(
    args: argparse.Namespace, sources: list[Path], read: Callable[[Path, str | None], ImportBatch]
) -> int:
    if args.conference_id is not None and len(sources) > 1:
        print("recaps import: --conference-id needs exactly one source", file=sys.stderr)
        return 1
    problems: list[Problem] = []
    notes: list[Note] = []
    converted: Counter[str] = Counter()
    batches = _read_all(
        sources, read, args.conference_id, problems=problems, notes=notes, converted=converted
    )

    vocabulary, vocabulary_problems = read_vocabulary(Path.cwd())
    problems.extend(vocabulary_problems)
    if vocabulary is not None:
        notes.extend(fold_tags(batches, vocabulary))

    target = Path(args.into)
    added: Counter[str] = Counter()
    merged = 0

    def show(batch: ImportBatch, report: MergeReport) -> None:
        nonlocal merged
        merged += 1
        print(f"{display_path(target)}: {batch.conference.id}: {report.summary()}")
        for list_name, ident, fields in report.filled:
            print(f"  filled {', '.join(fields)} of {list_name[:-1]} {ident}")
        notes.extend(report.notes)
        for list_name, ids in report.added.items():
            added[list_name] += len(ids)
        if len(batches) > 1:
            _progress(
                f"merged {merged}/{len(batches)} {batch.conference.id}: "
                f"{added['talks']} talks added so far"
            )

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
    summary = summary_lines(notes, converted, added, len(batches))
    for line in summary:
        print(line)
    report = Path(args.report)
    write_report(report, notes, ["# recaps import: what was done to each record", *summary])
    print(f"every record's changes are listed in {display_path(report)}")
    _print_problems(problems)
    return 1 if any(p.is_error for p in problems) else 0


def run_pyvideo(args: argparse.Namespace) -> int:
    """``recaps import pyvideo DIR...``."""
    return _run(args, list(args.directories), read_pyvideo)


def run_pretalx(args: argparse.Namespace) -> int:
    """``recaps import pretalx FILE...``."""
    return _run(args, list(args.files), read_pretalx)
