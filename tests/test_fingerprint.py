"""Digests of plain data and dataclasses: equal data, equal digest; any field changed,
another one."""

from __future__ import annotations

import dataclasses
import datetime
import enum

from conference_recaps.fingerprint import data_digest


class Kind(enum.Enum):
    talk = "talk"
    keynote = "keynote"


@dataclasses.dataclass(frozen=True, slots=True)
class Inner:
    name: str


@dataclasses.dataclass(frozen=True, slots=True)
class Outer:
    title: str
    day: datetime.date
    kind: Kind
    inner: tuple[Inner, ...]


def sample(**changes: object) -> Outer:
    fields: dict[str, object] = {
        "title": "Zen",
        "day": datetime.date(2019, 5, 4),
        "kind": Kind.talk,
        "inner": (Inner("Ada"), Inner("Bob")),
    }
    return Outer(**{**fields, **changes})  # type: ignore[arg-type]


def test_equal_data_has_equal_digests() -> None:
    assert data_digest(sample()) == data_digest(sample())
    assert data_digest([sample(), "x"], size=12) == data_digest([sample(), "x"], size=12)
    assert len(data_digest(sample(), size=12)) == 24


def test_any_field_at_any_depth_changes_the_digest() -> None:
    digests = {
        data_digest(value)
        for value in (
            sample(),
            sample(title="Zen!"),
            sample(day=datetime.date(2019, 5, 5)),
            sample(kind=Kind.keynote),
            sample(inner=(Inner("Ada"), Inner("Bo"))),
            sample(inner=(Inner("Bob"), Inner("Ada"))),
        )
    }
    assert len(digests) == 6


@dataclasses.dataclass(frozen=True, slots=True)
class Other:
    name: str


def test_the_type_counts_not_only_the_values() -> None:
    assert data_digest(Inner("Ada")) != data_digest(Other("Ada"))
    assert data_digest(Inner("Ada")) != data_digest(("Ada",))


def test_equal_data_digest_alike_however_their_objects_are_shared() -> None:
    """A string read once and kept (the environment) and the same string read again
    (a recap read anew) are one object or two: the digest must not tell them apart."""
    first = "".join(["Another ", "recap"])
    second = "".join(["Another ", "rec", "ap"])
    assert first == second and first is not second
    assert data_digest([first, first]) == data_digest([first, second])
    shared = Inner(first)
    assert data_digest((shared, shared)) == data_digest((Inner(first), Inner(second)))
