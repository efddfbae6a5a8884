"""The tag vocabulary, ``tags.yaml``: the topics talks may carry, and their other spellings.

::

    tags:
      - id: async
        aliases: [asyncio, async-await, asynchronous]

A talk's tag is one of these ids. An alias (or any spelling that differs only in case,
spaces, underscores or hyphens: ``Machine Learning``, ``machine_learning``,
``machinelearning``) is folded into its tag by ``recaps import``; ``recaps check``
reports an alias written in the catalogue as an error with the tag to write instead,
and a tag the vocabulary does not have as a warning (add it to ``tags.yaml``, with its
aliases, or use a tag that is there). A site without ``tags.yaml`` has no vocabulary,
and any slug is a tag.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import yaml

from conference_recaps.diagnostics import Problem, Subtype

if TYPE_CHECKING:
    from pathlib import Path

    from conference_recaps.catalogue.model import Catalogue

TAGS_FILE = "tags.yaml"


def tag_key(text: str) -> str:
    """What two spellings of one tag share: letters and digits, lowercased."""
    return re.sub(r"[\W_]+", "", text.casefold())


@dataclass(frozen=True)
class Vocabulary:
    """The tags of ``tags.yaml`` and what folds into each."""

    tags: tuple[str, ...]
    #: :func:`tag_key` of every tag and alias -> the tag.
    keys: dict[str, str] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)

    def fold(self, tag: str) -> str | None:
        """The vocabulary's tag for ``tag`` (itself, or the tag it is an alias of)."""
        return self.keys.get(tag_key(tag))


def read_vocabulary(root: Path) -> tuple[Vocabulary | None, list[Problem]]:
    """The site's vocabulary, or ``None`` when it has no ``tags.yaml``."""
    path = root / TAGS_FILE
    if not path.is_file():
        return None, []
    problems: list[Problem] = []

    def problem(message: str, line: int = 0) -> None:
        problems.append(Problem(TAGS_FILE, line, 0, message, Subtype.tag))

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        mark = getattr(exc, "problem_mark", None)
        problem(f"cannot read the tag vocabulary: {exc}", mark.line + 1 if mark else 0)
        return None, problems
    entries = data.get("tags") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        problem("expected 'tags:', a list of entries with an 'id' and optional 'aliases'")
        return None, problems
    tags: list[str] = []
    keys: dict[str, str] = {}
    aliases: dict[str, str] = {}
    for entry in entries:
        ident = entry.get("id") if isinstance(entry, dict) else None
        if not isinstance(ident, str) or not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", ident):
            problem(f"tag {ident!r} is not a lowercase slug (e.g. 'machine-learning')")
            continue
        tags.append(ident)
        for name in (ident, *(entry.get("aliases") or ())):
            key = tag_key(str(name))
            if keys.setdefault(key, ident) != ident:
                problem(f"{name!r} is both {keys[key]!r} and {ident!r}; keep it under one")
            if name != ident:
                aliases[str(name)] = ident
    return Vocabulary(tuple(tags), keys, aliases), problems


def _tag_position(lines: list[str], start: int, tag: str) -> tuple[int, int]:
    """The line and column of ``tag`` in the talk entry that starts at line ``start``."""
    pattern = re.compile(rf"(?<![\w-]){re.escape(tag)}(?![\w-])")
    in_tags = False
    for number in range(start, min(len(lines) + 1, start + 400)):
        line = lines[number - 1]
        if number > start and re.match(r"\s*- id:", line):
            break
        if re.match(r"\s*tags:", line):
            in_tags = True
        if in_tags and (match := pattern.search(line)):
            return number, match.start() + 1
    return start, 1


def check_tags(root: Path, catalogue: Catalogue, vocabulary: Vocabulary) -> list[Problem]:
    """An alias used as a tag is an error; a tag outside the vocabulary, a warning."""
    problems: list[Problem] = []
    texts: dict[str, list[str]] = {}
    for talk in catalogue.talks.values():
        for tag in talk.tags:
            if tag in vocabulary.tags:
                continue
            if talk.position is None:
                continue
            path = talk.position.path
            if path not in texts:
                texts[path] = (root / path).read_text(encoding="utf-8").splitlines()
            line, column = _tag_position(texts[path], talk.position.line, tag)
            folded = vocabulary.fold(tag)
            if folded is not None:
                message = f"tag '{tag}' is an alias of '{folded}' in {TAGS_FILE}; write '{folded}'"
                problems.append(Problem(path, line, column, message, Subtype.tag))
                continue
            close = difflib.get_close_matches(tag, vocabulary.tags, n=1, cutoff=0.75)
            hint = f"use '{close[0]}' or " if close else ""
            problems.append(
                Problem(
                    path,
                    line,
                    column,
                    f"tag '{tag}' is not in {TAGS_FILE}; {hint}add it there (with the "
                    "other spellings it has as aliases)",
                    Subtype.tag,
                    is_error=False,
                )
            )
    return problems
