"""Helpers the source readers share: JSON files read with precise errors, dates, paths."""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path
from typing import Any

from conference_recaps.diagnostics import Problem, Subtype
from conference_recaps.text import slugify

SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


class SourceError(Exception):
    """The source cannot be imported at all (no category.json, not JSON...)."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


def display_path(path: Path) -> str:
    """``path`` relative to the working directory when it is inside it, else as given."""
    if not path.is_absolute():
        return path.as_posix()
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.as_posix()


def problem(path: Path, message: str, line: int = 0, column: int = 0) -> Problem:
    """An import error about ``path``."""
    return Problem(display_path(path), line, column, message, Subtype.catalogue)


def read_json(path: Path) -> Any:
    """The JSON value in ``path``; a :class:`SourceError` says where it is broken."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise SourceError([problem(path, "file not found")]) from None
    except UnicodeDecodeError as exc:
        raise SourceError([problem(path, f"not UTF-8 text ({exc.reason})")]) from None
    except OSError as exc:
        raise SourceError([problem(path, f"cannot read the file: {exc.strerror}")]) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise SourceError(
            [problem(path, f"invalid JSON: {exc.msg}", exc.lineno, exc.colno)]
        ) from None


def parse_date(value: object) -> datetime.date | None:
    """An ISO date, or the date part of an ISO date-time; ``None`` when it is not one."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    try:
        if len(text) > 10 and text[10] in "T ":
            return datetime.datetime.fromisoformat(text).date()
        return datetime.date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None


def optional_str(value: object) -> str | None:
    """A non-blank string, else ``None``."""
    return value if isinstance(value, str) and value.strip() else None


def conference_id(given: str | None, name: str, where: Path) -> str:
    """``--conference-id`` if given (it must be a slug), else a slug of ``name``."""
    if given is None:
        return slugify(name, fallback="conference")
    if not SLUG_RE.fullmatch(given):
        raise SourceError([problem(where, f"--conference-id {given!r} is not a lowercase slug")])
    return given
