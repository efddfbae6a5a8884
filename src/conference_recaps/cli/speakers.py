"""``recaps speakers``: find speakers who are one person, and merge them.

::

    recaps speakers duplicates           # lists likely duplicates; changes nothing
    recaps speakers merge OLD NEW        # OLD becomes a former id of NEW

``merge`` rewrites the catalogue files in place with the round-trip editor the importers
use (comments, key order and quoting are kept): every talk of OLD names NEW instead, OLD's
entry is removed, NEW gets OLD (and OLD's own former ids) in ``former_ids``, so
``/speakers/OLD/`` redirects, and OLD's name and aliases in ``aliases``, so an import
that spells the name the old way still matches. ``--private`` adds OLD's name as
``{name: ..., public: false}``: kept for matching, never shown (a name the person no
longer uses). Recaps' ``{speaker}`OLD``` roles and ``talk-grid`` ``:speaker: OLD``
options are rewritten to NEW.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from conference_recaps.catalogue.duplicates import find_duplicates
from conference_recaps.catalogue.loader import catalogue_files, load_catalogue, site_path
from conference_recaps.cli.check import read_settings, recap_files
from conference_recaps.importers.merge import (
    CatalogueDocument,
    load_document,
    write_document,
    yaml_string,
)
from conference_recaps.importers.names import name_key
from conference_recaps.importers.sources import SourceError

if TYPE_CHECKING:
    import argparse


def run_duplicates(args: argparse.Namespace) -> int:
    root: Path = args.root
    settings, _ = read_settings(root)
    catalogue, _ = load_catalogue(root, catalogue_files(root, settings))
    duplicates = find_duplicates(catalogue)
    for duplicate in duplicates:
        position = duplicate.old.position
        where = f"{position.path}:{position.line}: " if position else ""
        print(f"{where}{duplicate.message()}")
    count = len(duplicates)
    print(f"recaps speakers duplicates: {count} likely duplicate{'' if count == 1 else 's'}")
    return 0


# -- merge -------------------------------------------------------------------------------


class MergeError(Exception):
    """The merge cannot be done; nothing was written."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


def _find_speaker(
    documents: list[CatalogueDocument], ident: str
) -> tuple[CatalogueDocument, int, CommentedMap] | None:
    for document in documents:
        for index, entry in enumerate(document.data.get("speakers") or ()):
            if isinstance(entry, CommentedMap) and entry.get("id") == ident:
                return document, index, entry
    return None


def _names(entry: CommentedMap) -> list[tuple[str, bool]]:
    """``(name, public)`` for an entry's aliases as written."""
    found = []
    for alias in entry.get("aliases") or ():
        if isinstance(alias, dict) and isinstance(alias.get("name"), str):
            found.append((alias["name"], str(alias.get("public", "true")).lower() != "false"))
        elif isinstance(alias, str):
            found.append((alias, True))
    return found


def _append(entry: CommentedMap, key: str, values: list[Any], after: tuple[str, ...]) -> None:
    """Add values to a list field, creating it (block style) after the keys in ``after``."""
    if not values:
        return
    current = entry.get(key)
    if isinstance(current, list):
        current.extend(values)
        return
    seq = CommentedSeq(values)
    seq.fa.set_block_style()
    keys = list(entry)
    position = max((keys.index(k) + 1 for k in after if k in entry), default=len(keys))
    if key in entry:
        entry[key] = seq
    else:
        entry.insert(position, key, seq)


def merge_speakers(
    root: Path, old: str, new: str, *, private: bool = False, dry_run: bool = False
) -> tuple[list[str], list[str]]:
    """Merge speaker ``old`` into ``new``; the changed catalogue files and recaps.

    Raises :class:`MergeError` (or :class:`SourceError` for a file it cannot edit).
    """
    settings, _ = read_settings(root)
    files = catalogue_files(root, settings)
    documents = [load_document(path) for path in files]
    if old == new:
        raise MergeError([f"OLD and NEW are both '{old}'; name two speakers"])
    found_old, found_new = _find_speaker(documents, old), _find_speaker(documents, new)
    missing = [ident for ident, found in ((old, found_old), (new, found_new)) if found is None]
    if missing or found_old is None or found_new is None:
        raise MergeError(
            [f"no speaker '{ident}' in the catalogue; check the id" for ident in missing]
        )
    old_document, old_index, old_entry = found_old
    new_document, _, new_entry = found_new
    _take_over(new_entry, old_entry, private=private)
    new_document.changed = True
    del old_document.data["speakers"][old_index]
    old_document.changed = True
    _move_talks(documents, old, new)

    changed_recaps = _rewrite_recaps(root, recap_files(root, settings), old, new, dry_run=dry_run)
    changed = [d for d in documents if d.changed]
    if not dry_run:
        for document in changed:
            write_document(document)
    return [site_path(root, d.path) for d in changed], changed_recaps


def _take_over(new_entry: CommentedMap, old_entry: CommentedMap, *, private: bool) -> None:
    """Give NEW the old entry's ids (``former_ids``) and spellings (``aliases``)."""
    former = [str(f) for f in (new_entry.get("former_ids") or ())]
    old_ids = [str(old_entry.get("id")), *(old_entry.get("former_ids") or ())]
    _append(
        new_entry,
        "former_ids",
        [yaml_string(i) for i in old_ids if i not in former],
        ("url", "aliases", "name"),
    )
    known = {name_key(str(new_entry.get("name", "")))} | {
        name_key(name) for name, _ in _names(new_entry)
    }
    aliases: list[Any] = []
    old_names = [(str(old_entry.get("name", "")), not private), *_names(old_entry)]
    for name, public in old_names:
        if not name or name_key(name) in known:
            continue
        known.add(name_key(name))
        if public:
            aliases.append(yaml_string(name))
        else:
            hidden = CommentedMap([("name", yaml_string(name)), ("public", False)])
            hidden.fa.set_flow_style()
            aliases.append(hidden)
    _append(new_entry, "aliases", aliases, ("name",))


def _move_talks(documents: list[CatalogueDocument], old: str, new: str) -> None:
    """Every talk naming OLD names NEW instead (once, if it named both)."""
    for document in documents:
        for talk in document.data.get("talks") or ():
            speakers = talk.get("speakers") if isinstance(talk, dict) else None
            if not isinstance(speakers, list) or old not in speakers:
                continue
            index = speakers.index(old)
            if new in speakers:
                del speakers[index]
            else:
                speakers[index] = yaml_string(new)
            document.changed = True


def _rewrite_recaps(
    root: Path, paths: list[Path], old: str, new: str, *, dry_run: bool
) -> list[str]:
    """Point ``{speaker}`` roles and ``:speaker:`` grid options at the new id.

    A text rewrite of the two forms the roles and options take, not a parse: the file
    must come back byte for byte but for the id, which no Markdown writer promises.
    """
    ident = re.escape(old)
    patterns = [
        # {speaker}`old`, {speaker}`Text <old>`, and reST :speaker:`old`
        re.compile(r"((?:\{speaker\}|:speaker:)`(?:[^`<]*<)?)" + ident + r"(>?`)"),
        # :speaker: old  (a talk-grid option)
        re.compile(r"(?m)^(\s*:speaker:[ \t]+)" + ident + r"([ \t]*)$"),
    ]
    changed = []
    for path in paths:
        text = path.read_text(encoding="utf-8")
        updated = text
        for pattern in patterns:
            updated = pattern.sub(lambda m: m.group(1) + new + m.group(2), updated)
        if updated != text:
            changed.append(path.relative_to(root).as_posix())
            if not dry_run:
                path.write_text(updated, encoding="utf-8")
    return changed


def run_merge(args: argparse.Namespace) -> int:
    root: Path = args.root
    try:
        files, recaps = merge_speakers(
            root, args.old, args.new, private=args.private, dry_run=args.dry_run
        )
    except SourceError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 2
    except MergeError as exc:
        for message in exc.messages:
            print(f"recaps speakers merge: {message}", file=sys.stderr)
        return 2
    verb = "would change" if args.dry_run else "changed"
    print(
        f"recaps speakers merge: '{args.old}' merged into '{args.new}'; {verb} "
        + ", ".join(files + recaps)
    )
    print(f"/speakers/{args.old}/ now redirects to /speakers/{args.new}/")
    return 0
