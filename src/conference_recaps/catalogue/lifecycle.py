"""Entries that change over the archive's life: renamed ids, merged speakers, takedowns.

An id, once published, is a URL that others link to, so it never just disappears:

- **Renamed or merged.** The entry that replaces it lists the old id in ``former_ids``.
  The build writes a redirect page at the old URL, and a recap that still names the old
  id builds with a warning naming the new one.
- **Taken down.** The entry stays in the catalogue with ``withdrawn: {reason, date}``.
  It leaves every listing, grid, card, feed, sitemap, search index and structured data,
  and its URL shows a short notice (without the title or names when the speaker asked).

This module holds the checks across entries (a former id must not be another entry's id
or be claimed twice) and :func:`removed_ids`, which ``recaps check --base`` uses to find
ids that vanished without either record.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from conference_recaps.catalogue.model import WithdrawalReason
from conference_recaps.diagnostics import Problem, Subtype

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from conference_recaps.catalogue.model import Catalogue, Entry, Position

#: How a notice says why something was withdrawn; none names what it was.
REASON_TEXT = {
    WithdrawalReason.speaker_request: "at the request of the person concerned",
    WithdrawalReason.legal: "for legal reasons",
    WithdrawalReason.duplicate: "because it duplicated another entry",
}


def _where(position: Position | None) -> tuple[str, int, int]:
    if position is None:
        return ("", 0, 0)
    return (position.path, position.line, position.column)


def check_former_ids(
    conferences: Sequence[Entry], speakers: Sequence[Entry], talks: Sequence[Entry]
) -> list[Problem]:
    """A former id may not be a current id of its list, nor be claimed by two entries."""
    problems: list[Problem] = []
    for noun, entries in (("conference", conferences), ("speaker", speakers), ("talk", talks)):
        current = {entry.id: entry for entry in entries}
        claimed: dict[str, Entry] = {}
        for entry in entries:
            for former in entry.former_ids:
                path, line, column = _where(entry.position)
                if former == entry.id:
                    message = f"{noun} '{entry.id}' lists its own id in 'former_ids'; remove it"
                elif former in current:
                    other = current[former]
                    message = (
                        f"{noun} '{entry.id}' lists '{former}' in 'former_ids', but that is "
                        f"the id of the {noun} at {_at(other)}; an id is either current "
                        "or former: merge the two entries or remove the former id"
                    )
                elif former in claimed:
                    message = (
                        f"{noun} '{entry.id}' lists '{former}' in 'former_ids', as does "
                        f"{noun} '{claimed[former].id}' at {_at(claimed[former])}; an old "
                        "URL can redirect to one entry only, keep it on one of them"
                    )
                else:
                    claimed[former] = entry
                    continue
                problems.append(Problem(path, line, column, message, Subtype.catalogue))
    return problems


def _at(entry: Entry) -> str:
    position = entry.position
    return f"{position.path}:{position.line}" if position else "another file"


@dataclass(frozen=True, slots=True)
class Removal:
    """An id that existed at the base and has no record now."""

    noun: str
    ident: str
    #: Where the entry was at the base (a site-relative path and line).
    path: str
    line: int


def _known(catalogue: Catalogue, noun: str) -> set[str]:
    """Every id of this kind the catalogue accounts for: current, former or withdrawn."""
    published = catalogue.published(noun)
    prefix = f"{noun}:"
    return (
        set(published)
        | {key.removeprefix(prefix) for key in catalogue.withdrawn if key.startswith(prefix)}
        | {key.removeprefix(prefix) for key in catalogue.redirects if key.startswith(prefix)}
    )


def _entries(catalogue: Catalogue, noun: str) -> Iterable[Entry]:
    published = catalogue.published(noun)
    yield from published.values()
    prefix = f"{noun}:"
    yield from (e for key, e in catalogue.withdrawn.items() if key.startswith(prefix))


def removed_ids(base: Catalogue, current: Catalogue) -> list[Removal]:
    """Ids (current or former) of the base that the current catalogue no longer accounts for."""
    removals: list[Removal] = []
    for noun in ("conference", "speaker", "talk"):
        known = _known(current, noun)
        for entry in _entries(base, noun):
            path, line, _ = _where(entry.position)
            for ident in (entry.id, *entry.former_ids):
                if ident not in known:
                    removals.append(Removal(noun, ident, path, line))
    return sorted(removals, key=lambda r: (r.path, r.line, r.ident))


def withdrawn_entries(catalogue: Catalogue) -> list[Entry]:
    """Every withdrawn entry, by file and line (``recaps check`` lists them)."""
    return sorted(
        catalogue.withdrawn.values(),
        key=lambda e: (_where(e.position), e.id),
    )
