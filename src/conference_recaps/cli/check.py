"""``recaps check``: validate the catalogue and every recap's front matter, as CI does.

Run from the site's root (or pass ``--root``)::

    recaps check

Each problem is one line, ``path:line:col: message [recaps.<subtype>]`` (lint findings
say ``warning:``), sorted by file and line, then a summary. The exit status is 1 if there
is any error; warnings alone pass. Under GitHub Actions (``GITHUB_ACTIONS=true``) every
problem is also printed as a workflow annotation, so it shows on the pull request's line.

When the site has a tag vocabulary (``tags.yaml``), every talk's tags are checked
against it: an alias written as a tag is an error, a tag outside it a warning.

The settings (``recaps_catalogue``, ``recaps_catalogue_dir``, ``recaps_recaps_dir``) are
read from ``conf.py`` without running it: only plain ``recaps_* = "..."`` assignments
count, anything else gets the default. The checks are the build's own: the same loader
and front matter reader, so ``recaps check`` and ``sphinx-build -W`` agree.
"""

from __future__ import annotations

import ast
import dataclasses
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from conference_recaps.catalogue.duplicates import duplicate_problems, find_duplicates
from conference_recaps.catalogue.lifecycle import removed_ids, withdrawn_entries
from conference_recaps.catalogue.loader import catalogue_files, load_catalogue, site_path
from conference_recaps.catalogue.tags import check_tags, read_vocabulary
from conference_recaps.config import PREFIX, RecapsConfig, config_fields
from conference_recaps.diagnostics import Problem, Subtype
from conference_recaps.frontmatter import read_front_matter

if TYPE_CHECKING:
    import argparse
    from collections.abc import Iterable

    from conference_recaps.catalogue.model import Catalogue, Entry


class BaseError(Exception):
    """The catalogue at the base ref cannot be read (not a git checkout, unknown ref)."""


def _git(root: Path, *args: str) -> bytes:
    try:
        result = subprocess.run(
            ["git", *args], cwd=root, capture_output=True, timeout=120, check=False
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise BaseError(f"cannot run git: {exc}") from None
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise BaseError(message[-1] if message else f"git {args[0]} failed")
    return result.stdout


def base_catalogue(root: Path, settings: RecapsConfig, ref: str) -> Catalogue:
    """The catalogue as it is at ``ref``: its files are read from git into a scratch folder."""
    prefix = _git(root, "rev-parse", "--show-prefix").decode().strip()
    listed = _git(
        root,
        "ls-tree",
        "-r",
        "-z",
        "--name-only",
        ref,
        "--",
        settings.catalogue,
        settings.catalogue_dir,
    )
    wanted = []
    for name in filter(None, listed.decode("utf-8", "replace").split("\0")):
        rel = name.removeprefix(prefix)
        if rel == settings.catalogue or (
            rel.startswith(settings.catalogue_dir.rstrip("/") + "/") and rel.endswith(".yaml")
        ):
            wanted.append(rel)
    with tempfile.TemporaryDirectory(prefix="recaps-base-") as scratch:
        folder = Path(scratch)
        for rel in wanted:
            target = folder / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(_git(root, "show", f"{ref}:./{rel}"))
        catalogue, _ = load_catalogue(folder, catalogue_files(folder, settings))
    return catalogue


def removal_problems(base: Catalogue, current: Catalogue, ref: str) -> list[Problem]:
    """An error for each id of the base that is gone without a record."""
    return [
        Problem(
            removal.path,
            removal.line,
            0,
            f"{removal.noun} '{removal.ident}' was removed (it was at this line at {ref}); "
            "add it to the new entry's former_ids or mark it withdrawn",
            Subtype.removed,
        )
        for removal in removed_ids(base, current)
    ]


def read_settings(root: Path) -> tuple[RecapsConfig, list[Problem]]:
    """The ``recaps_*`` settings assigned as literals in ``conf.py``; never executes it."""
    conf = root / "conf.py"
    problems: list[Problem] = []
    if not conf.is_file():
        return RecapsConfig(), problems
    try:
        tree = ast.parse(conf.read_text(encoding="utf-8"), filename="conf.py")
    except (SyntaxError, UnicodeDecodeError, ValueError) as exc:
        line = getattr(exc, "lineno", 0) or 0
        message = f"conf.py cannot be read ({exc}); using the default settings"
        return RecapsConfig(), [Problem("conf.py", line, 0, message, Subtype.config)]
    fields = {f.name: f for f in config_fields()}
    values: dict[str, Any] = {}
    for statement in tree.body:
        if not (
            isinstance(statement, ast.Assign)
            and len(statement.targets) == 1
            and isinstance(statement.targets[0], ast.Name)
            and statement.targets[0].id.startswith(PREFIX)
        ):
            continue
        name = statement.targets[0].id.removeprefix(PREFIX)
        if name not in fields:
            continue
        try:
            value = ast.literal_eval(statement.value)
        except ValueError:
            continue  # computed: not ours to evaluate; the build will see it
        error = fields[name].metadata["validator"](value)
        if error is not None:
            problems.append(
                Problem(
                    "conf.py",
                    statement.lineno,
                    statement.col_offset + 1,
                    f"invalid value {PREFIX}{name}={value!r}: {error}; using the default "
                    f"{fields[name].default!r}",
                    Subtype.config,
                )
            )
            continue
        values[name] = value
    return dataclasses.replace(RecapsConfig(), **values), problems


def recap_files(root: Path, settings: RecapsConfig) -> list[Path]:
    """Every Markdown file under the recaps folder, hidden ones left out, sorted."""
    folder = root / settings.recaps_dir
    if not folder.is_dir():
        return []
    return sorted(
        path
        for path in folder.rglob("*.md")
        if path.is_file()
        and not any(part.startswith((".", "_")) for part in path.relative_to(folder).parts)
    )


def check_recaps(
    root: Path,
    files: Iterable[Path],
    catalogue: Catalogue,
    withdrawn: list[str] | None = None,
) -> list[Problem]:
    """Every recap's front-matter problems; withdrawn recaps are noted in ``withdrawn``."""
    problems: list[Problem] = []
    for path in files:
        rel = site_path(root, path)
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            problems.append(
                Problem(rel, 0, 0, "not UTF-8 text; save it as UTF-8", Subtype.front_matter)
            )
            continue
        except OSError as exc:
            problems.append(
                Problem(rel, 0, 0, f"cannot read the file: {exc.strerror}", Subtype.front_matter)
            )
            continue
        meta, found = read_front_matter(rel, text, catalogue)
        problems += found
        if withdrawn is not None and meta is not None and meta.withdrawn is not None:
            withdrawal = meta.withdrawn
            withdrawn.append(
                f"{rel}: note: recap is withdrawn ({withdrawal.reason.value}, "
                f"{withdrawal.date.isoformat()})"
            )
    return problems


def format_problem(problem: Problem) -> str:
    """``path:line:col: [warning: ]message [recaps.<subtype>]``."""
    where = problem.path
    if problem.line:
        where += f":{problem.line}" + (f":{problem.column}" if problem.column else "")
    level = "" if problem.is_error else "warning: "
    return f"{where}: {level}{problem.message} [recaps.{problem.subtype.value}]"


def withdrawn_line(entry: Entry) -> str:
    """``talks.yaml:40:5: note: talk 'x' is withdrawn (speaker-request, 2026-12-01)``."""
    where = str(entry.position) if entry.position else ""
    noun = type(entry).__name__.lower()
    withdrawal = entry.withdrawn
    why = f" ({withdrawal.reason.value}, {withdrawal.date.isoformat()})" if withdrawal else ""
    return f"{where}: note: {noun} '{entry.id}' is withdrawn{why}"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def run(args: argparse.Namespace) -> int:
    root: Path = args.root
    if not root.is_dir():
        print(f"recaps check: {root} is not a folder", file=sys.stderr)
        return 2
    settings, problems = read_settings(root)
    files = catalogue_files(root, settings)
    catalogue, catalogue_problems = load_catalogue(root, files)
    recaps = recap_files(root, settings)
    problems += catalogue_problems
    withdrawn_recaps: list[str] = []
    problems += check_recaps(root, recaps, catalogue, withdrawn_recaps)
    problems += duplicate_problems(find_duplicates(catalogue))
    vocabulary, vocabulary_problems = read_vocabulary(root)
    problems += vocabulary_problems
    if vocabulary is not None:
        problems += check_tags(root, catalogue, vocabulary)
    if args.base:
        try:
            base = base_catalogue(root, settings, args.base)
        except BaseError as exc:
            print(
                f"recaps check: cannot read the catalogue at {args.base!r}: {exc}", file=sys.stderr
            )
            return 2
        problems += removal_problems(base, catalogue, args.base)
    problems.sort(key=lambda p: (p.path, p.line, p.column, p.message))
    for problem in problems:
        print(format_problem(problem))
    for entry in withdrawn_entries(catalogue):
        print(withdrawn_line(entry))
    for line in withdrawn_recaps:
        print(line)
    if os.environ.get("GITHUB_ACTIONS") == "true":
        for problem in problems:
            print(problem.github_annotation())
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    counts = ", ".join(
        [
            _plural(len(catalogue.conferences), "conference"),
            _plural(len(catalogue.speakers), "speaker"),
            _plural(len(catalogue.talks), "talk"),
        ]
    )
    if catalogue.withdrawn:
        counts += f"; {len(catalogue.withdrawn)} withdrawn"
    print(
        f"recaps check: {_plural(errors, 'error')}, {_plural(warnings, 'warning')} in "
        f"{_plural(len(files), 'catalogue file')} ({counts}) and {_plural(len(recaps), 'recap')}"
    )
    return 1 if errors else 0
