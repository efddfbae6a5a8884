"""Load the catalogue (``talks.yaml`` and ``talks/*.yaml``) into the model, reporting every problem.

Each file is parsed by :mod:`~conference_recaps.catalogue.yamltree` and its entries read
by :mod:`~conference_recaps.catalogue.reader`; this module reads the files and makes the
checks that need all of them: ids unique across files, every reference to a conference
or speaker known, a talk's id under its conference, its date within the conference's.

Every problem of every file is collected as a :class:`~conference_recaps.diagnostics.Problem`
at the offending key or value; invalid entries are left out of the :class:`Catalogue`,
valid ones are kept.
"""

from __future__ import annotations

import gc
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from conference_recaps.catalogue.model import Catalogue, Conference, Speaker, Talk
from conference_recaps.catalogue.reader import ParsedEntry, Reader, read_entries, suggest
from conference_recaps.catalogue.schema import ENTRY_SPECS, TALK
from conference_recaps.catalogue.yamltree import parse_yaml, position_of_offset
from conference_recaps.diagnostics import Problem, Subtype

if TYPE_CHECKING:
    from collections.abc import Sequence

    from conference_recaps.config import RecapsConfig

#: Larger files are refused: a catalogue this big should be split into ``talks/*.yaml``.
MAX_FILE_BYTES: Final = 50 * 1024 * 1024


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
        line, column = position_of_offset(good, len(good))
        return None, [
            Problem(
                rel,
                line,
                column,
                f"the file is not UTF-8 text (byte 0x{data[exc.start]:02x}); save it as UTF-8",
            )
        ]


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
    parsed: dict[str, list[ParsedEntry]] = {spec.list_name: [] for spec in ENTRY_SPECS}
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
        for spec, item in read_entries(reader, node):
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
    conferences: dict[str, ParsedEntry] = {p.entry.id: p for p in parsed["conferences"] if p.entry}
    speakers: dict[str, ParsedEntry] = {p.entry.id: p for p in parsed["speakers"] if p.entry}
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
