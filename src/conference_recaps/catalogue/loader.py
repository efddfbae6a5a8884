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

import datetime
import gc
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from conference_recaps.catalogue.lifecycle import check_former_ids
from conference_recaps.catalogue.model import Catalogue, Conference, Speaker, Talk, quick_pickle
from conference_recaps.catalogue.reader import ParsedEntry, Reader, read_entries, suggest
from conference_recaps.catalogue.schema import ENTRY_SPECS, TALK
from conference_recaps.catalogue.yamltree import parse_yaml, position_of_offset
from conference_recaps.diagnostics import Problem, Subtype
from conference_recaps.paths import access_problem

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from conference_recaps.config import RecapsConfig

#: Each list's spec, by the list's name (``talks``...).
SPECS: Final = {spec.list_name: spec for spec in ENTRY_SPECS}
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


def read_source(path: Path, rel: str, root: Path) -> tuple[str | None, list[Problem]]:
    """The file's text, or a problem if it is too big, unreadable or not UTF-8.

    A file that is a link out of the repository (or into a hidden folder), or not a
    regular file, is refused before it is opened: its contents would be shown on
    every page made from the catalogue.
    """
    problem = access_problem(path, root, max_bytes=2**63)
    if problem is not None:
        return None, [
            Problem(
                rel, 1, 0, f"the file {problem}; a catalogue file must be a file of the repository"
            )
        ]
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
    catalogue, problems, _reads = load_files(root, files)
    return catalogue, problems


@quick_pickle
@dataclass(frozen=True, slots=True)
class FileRead:
    """What one file holds on its own: its entries in order (by list name) and the
    problems found without looking at the other files."""

    items: tuple[tuple[str, ParsedEntry], ...]
    problems: tuple[Problem, ...]


def load_files(
    root: Path, files: Sequence[Path], reuse: Mapping[str, FileRead] | None = None
) -> tuple[Catalogue, list[Problem], dict[str, FileRead]]:
    """:func:`load_catalogue`, taking the reads in ``reuse`` (by site path) for the files
    that did not change, and returning every file's read for the next load.

    Parsing is most of a load; a catalogue split into ``talks/*.yaml`` then costs an
    edit the parsing of one file, and the checks across files.
    """
    # The loader makes millions of small objects and no reference cycles: without this,
    # the cyclic garbage collector takes 40% of a large catalogue's load time.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _load(root, files, reuse or {})
    finally:
        if was_enabled:
            gc.enable()


@dataclass
class _Read:
    """Every file's valid entries, and what the cross-file checks need to know."""

    parsed: dict[str, list[ParsedEntry]] = field(
        default_factory=lambda: {spec.list_name: [] for spec in ENTRY_SPECS}
    )
    #: Ids seen in each list (valid or not), with where they were first defined.
    first_at: dict[str, dict[str, str]] = field(
        default_factory=lambda: {spec.list_name: {} for spec in ENTRY_SPECS}
    )
    #: Speaker ids some talk names, even an invalid talk.
    referenced_speakers: set[str] = field(default_factory=set)
    problems: list[Problem] = field(default_factory=list)

    def declared(self, list_name: str, ident: str) -> bool:
        return ident in self.first_at[list_name]


def _load(
    root: Path, files: Sequence[Path], reuse: Mapping[str, FileRead]
) -> tuple[Catalogue, list[Problem], dict[str, FileRead]]:
    rel_paths = [site_path(root, path) for path in files]
    read = _Read()
    reads: dict[str, FileRead] = {}
    for path, rel in zip(files, rel_paths, strict=True):
        reads[rel] = file_read = reuse.get(rel) or read_file(path, rel, root)
        _add_file(read, rel, file_read)
    conferences = {p.entry.id: p for p in read.parsed["conferences"] if p.entry}
    speakers = {p.entry.id: p for p in read.parsed["speakers"] if p.entry}
    talks = _check_talks(read, conferences, speakers)
    _check_speakers(read, speakers)
    read.problems += check_former_ids(
        [p.entry for p in read.parsed["conferences"] if p.entry is not None],
        [p.entry for p in read.parsed["speakers"] if p.entry is not None],
        talks,
    )
    order = {rel: index for index, rel in enumerate(rel_paths)}
    problems = read.problems
    problems.sort(key=lambda p: (order.get(p.path, len(order)), p.line, p.column))
    catalogue = Catalogue(
        conferences=(
            p.entry for p in read.parsed["conferences"] if isinstance(p.entry, Conference)
        ),
        speakers=(p.entry for p in read.parsed["speakers"] if isinstance(p.entry, Speaker)),
        talks=talks,
        files=rel_paths,
    )
    return catalogue, problems, reads


def read_file(path: Path, rel: str, root: Path) -> FileRead:
    """Parse one file and read its entries, each on its own."""
    text, problems = read_source(path, rel, root)
    if text is None:
        return FileRead((), tuple(problems))
    node, syntax_problems = parse_yaml(text, rel)
    reader = Reader(rel)
    items = tuple((spec.list_name, item) for spec, item in read_entries(reader, node))
    return FileRead(items, (*problems, *syntax_problems, *reader.problems))


def _add_file(read: _Read, rel: str, file_read: FileRead) -> None:
    """Add one file's entries; an id already taken in an earlier file is reported."""
    read.problems += file_read.problems
    for list_name, item in file_read.items:
        spec = SPECS[list_name]
        if spec is TALK:
            read.referenced_speakers.update(item.mentions)
        if item.ident is None:
            continue
        seen = read.first_at[list_name]
        if item.ident in seen:
            read.problems.append(
                Problem(
                    rel,
                    *item.id_at,
                    f"duplicate {spec.noun} id '{item.ident}' (first defined at "
                    f"{seen[item.ident]}); give each {spec.noun} its own id",
                    Subtype.catalogue,
                )
            )
            continue
        seen[item.ident] = f"{rel}:{item.id_at[0]}"
        if item.entry is not None:
            read.parsed[list_name].append(item)


def _check_talks(
    read: _Read, conferences: dict[str, ParsedEntry], speakers: dict[str, ParsedEntry]
) -> list[Talk]:
    """The talks whose references hold; the others are reported and left out."""
    known = {"conferences": conferences, "speakers": speakers}
    talks: list[Talk] = []
    for item in read.parsed["talks"]:
        talk = item.entry
        assert isinstance(talk, Talk)
        rel = talk.position.path if talk.position else ""
        if not _references_hold(read, item, rel, known):
            continue
        prefix, _, slug = talk.id.partition("/")
        if prefix != talk.conference:  # checked once the conference is known to exist
            read.problems.append(
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
            read.problems.append(
                Problem(
                    rel,
                    *item.date_at,
                    _date_outside(talk.date, conference),
                    Subtype.catalogue_lint,
                    is_error=False,
                )
            )
    return talks


def _references_hold(
    read: _Read, item: ParsedEntry, rel: str, known: dict[str, dict[str, ParsedEntry]]
) -> bool:
    """Whether every conference and speaker the talk names is a valid entry."""
    ok = True
    for list_name, ident, at in item.refs:
        if ident in known[list_name]:
            continue
        ok = False
        if read.declared(list_name, ident):
            continue  # that entry is invalid and already reported
        noun = list_name[:-1]
        read.problems.append(
            Problem(
                rel,
                *at,
                f"unknown {noun} '{ident}'{suggest_id(ident, known[list_name])}; "
                f"add it under '{list_name}' or fix the id",
                Subtype.catalogue_ref,
            )
        )
    return ok


def _check_speakers(read: _Read, speakers: dict[str, ParsedEntry]) -> None:
    """A speaker no talk names is probably a typo: a lint finding, not an error."""
    for ident, item in speakers.items():
        if ident not in read.referenced_speakers:
            assert item.entry is not None and item.entry.position is not None
            read.problems.append(
                Problem(
                    item.entry.position.path,
                    *item.id_at,
                    f"speaker '{ident}' gives no talk; add them to a talk's speakers or "
                    "remove the entry",
                    Subtype.catalogue_lint,
                    is_error=False,
                )
            )


def suggest_id(ident: str, known: dict[str, Any]) -> str:
    """A close known id, checked only among ids sharing a first letter (fast at 25k)."""
    return suggest(ident, [k for k in known if k[:1] == ident[:1]])


def _date_outside(date: datetime.date, conference: Conference) -> str:
    """Why a talk's date is outside its conference, and the two ways to fix it."""
    if date < conference.start:
        days = (conference.start - date).days
        where, key = f"{days} day{'s' * (days != 1)} before its conference starts", "start"
    else:
        days = (date - conference.end).days
        where, key = f"{days} day{'s' * (days != 1)} after its conference ends", "end"
    return (
        f"talk date {date} is {where} ({conference.id}: {conference.start} to "
        f"{conference.end}); if it was given then (tutorials and sprints often are), set "
        f"the conference's '{key}' to {date}, otherwise fix the talk's date"
    )
