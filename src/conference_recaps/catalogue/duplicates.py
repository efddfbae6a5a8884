"""Speakers who are probably one person: the finder behind ``recaps speakers duplicates``.

Two speakers are reported when a name or alias of one and a name or alias of the other
differ only by

- letter case, accents or special letters (``José García``, ``jose garcia``);
- punctuation, spacing or hyphenation (``Jean-Luc``, ``Jean Luc``, ``Jeanluc``);
- a title or suffix (``Dr. Grace Hopper``, ``Grace Hopper PhD``);
- initials: the same family name, and first names of which one is the other's initial
  (``G. Hopper``, ``Grace Hopper``; ``Grace B. Hopper``, ``Grace Hopper``).

It only ever suggests: two people can share a name, so nothing is merged on a guess.
Each finding names the command that merges the two (which keeps the other spelling as an
alias, so imports still match it). ``recaps check`` runs the same finder as a lint.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from conference_recaps.diagnostics import Problem, Subtype
from conference_recaps.text import ascii_fold

if TYPE_CHECKING:
    from collections.abc import Iterable

    from conference_recaps.catalogue.model import Catalogue, Speaker

#: Titles and suffixes that do not tell two people apart.
TITLES = frozenset(
    {"dr", "prof", "professor", "mr", "mrs", "ms", "mx", "miss", "sir", "dame", "phd", "jr", "sr"}
)


def name_tokens(name: str) -> tuple[str, ...]:
    """The words of a name: folded to ASCII lowercase, punctuation gone, titles dropped."""
    folded = ascii_fold(name).casefold()
    words = re.findall(r"[a-z0-9]+", re.sub(r"['\u2019.]", " ", folded))
    return tuple(word for word in words if word not in TITLES)


def strict_key(name: str) -> str:
    """Names equal but for case, accents, punctuation, spacing, hyphens or a title."""
    return "".join(name_tokens(name))


def _initials_match(left: tuple[str, ...], right: tuple[str, ...]) -> bool:
    """Same family name; first names equal or one the other's initial; middles may go."""
    if len(left) < 2 or len(right) < 2 or left[-1] != right[-1]:
        return False
    first_left, first_right = left[0], right[0]
    if first_left == first_right:
        return left != right  # a middle name or initial added or left out
    short, long_ = sorted((first_left, first_right), key=len)
    return len(short) == 1 and long_.startswith(short)


@dataclass(frozen=True, slots=True)
class Duplicate:
    """Two speakers that look like one person, and how to merge them."""

    #: The entry to merge away and the one to keep.
    old: Speaker
    new: Speaker
    #: The two spellings that matched.
    old_name: str
    new_name: str
    why: str

    def message(self) -> str:
        where = ""
        if self.new.position is not None:
            where = f" at {self.new.position.path}:{self.new.position.line}"
        return (
            f"speakers '{self.old.id}' ({self.old_name}) and '{self.new.id}' "
            f"({self.new_name}{where}) {self.why}: perhaps one person. If they are, run "
            f"`recaps speakers merge {self.old.id} {self.new.id}` (it keeps "
            f"'{self.old.name}' as an alias, so imports still match it); if they are two "
            "people, leave both"
        )


def _keep(left: Speaker, right: Speaker, talks: dict[str, int]) -> tuple[Speaker, Speaker]:
    """``(old, new)``: keep the one with more talks, then the longer name, then the id."""

    def rank(speaker: Speaker) -> tuple[int, int, str]:
        return (talks.get(speaker.id, 0), len(speaker.name), speaker.id)

    old, new = sorted((left, right), key=rank)
    return old, new


def find_duplicates(catalogue: Catalogue) -> list[Duplicate]:
    """Every pair of published speakers whose names suggest one person."""
    speakers = sorted(catalogue.speakers.values(), key=lambda s: s.id)
    talks = {s.id: len(catalogue.talks_of_speaker(s.id)) for s in speakers}
    by_strict: defaultdict[str, list[tuple[Speaker, str]]] = defaultdict(list)
    by_family: defaultdict[str, list[tuple[Speaker, str, tuple[str, ...]]]] = defaultdict(list)
    for speaker in speakers:
        for name in dict.fromkeys(speaker.all_names):
            tokens = name_tokens(name)
            if not tokens:
                continue
            by_strict["".join(tokens)].append((speaker, name))
            if len(tokens) >= 2:
                by_family[tokens[-1]].append((speaker, name, tokens))
    found: dict[tuple[str, str], Duplicate] = {}

    def note(left: Speaker, left_name: str, right: Speaker, right_name: str, why: str) -> None:
        if left.id == right.id:
            return
        pair = tuple(sorted((left.id, right.id)))
        if pair in found:
            return
        old, new = _keep(left, right, talks)
        names = {left.id: left_name, right.id: right_name}
        found[pair] = Duplicate(old, new, names[old.id], names[new.id], why)  # type: ignore[index]

    for group in by_strict.values():
        for index, (left, left_name) in enumerate(group):
            for right, right_name in group[index + 1 :]:
                note(
                    left,
                    left_name,
                    right,
                    right_name,
                    "differ only by case, accents, punctuation, hyphens or a title",
                )
    for family in by_family.values():
        for index, (left, left_name, left_tokens) in enumerate(family):
            for right, right_name, right_tokens in family[index + 1 :]:
                if _initials_match(left_tokens, right_tokens):
                    note(left, left_name, right, right_name, "differ only by initials")
    return sorted(found.values(), key=lambda d: (d.new.id, d.old.id))


def duplicate_problems(duplicates: Iterable[Duplicate]) -> list[Problem]:
    """The lint ``recaps check`` prints: a warning at the entry to merge away."""
    problems = []
    for duplicate in duplicates:
        position = duplicate.old.position
        path, line, column = (
            (position.path, position.line, position.column) if position else ("", 0, 0)
        )
        problems.append(
            Problem(
                path,
                line,
                column,
                duplicate.message(),
                Subtype.duplicate_speaker,
                is_error=False,
            )
        )
    return problems
