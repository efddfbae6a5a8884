"""Digests of plain data and dataclasses: equal data, equal digest; any field changed,
another one."""

from __future__ import annotations

import dataclasses
import datetime
import enum

import pytest

from conference_recaps import fingerprint
from conference_recaps.fingerprint import data_digest, digest_once, shared_digests


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


@digest_once
@dataclasses.dataclass(frozen=True, slots=True)
class Summary:
    title: str
    speakers: tuple[Inner, ...]


def test_a_shared_summary_digests_by_value_inside_and_outside_a_pass() -> None:
    """A summary marked digest_once is digested once per object in shared_digests, and
    the digest is the same as outside the block, shared or not, and follows its values."""
    one = Summary("Zen", (Inner("Ada"),))
    page = (one, one, "page")
    outside = data_digest(page)
    with shared_digests():
        inside = data_digest(page)
        copies = data_digest(
            (Summary("Zen", (Inner("Ada"),)), Summary("Zen", (Inner("Ada"),)), "page")
        )
        renamed = data_digest((one, Summary("Zen", (Inner("Bob"),)), "page"))
    assert outside == inside == copies
    assert renamed != outside
    assert data_digest(Summary("Zen", ())) != data_digest(
        Outer("Zen", datetime.date(2019, 5, 4), Kind.talk, ())
    )
    assert data_digest(Summary("Zen", ())) != data_digest(Summary("Zen!", ()))


def test_a_shared_summary_is_digested_once_per_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[object] = []
    real = fingerprint._digest_bytes

    def counting(value: object, size: int) -> bytes:
        calls.append(value)
        return real(value, size)

    monkeypatch.setattr(fingerprint, "_digest_bytes", counting)
    one = Summary("Zen", (Inner("Ada"),))
    with shared_digests():
        for _page in range(3):
            data_digest((one, one))
    # Three pages, one digest each, and the summary's own digest once.
    assert len(calls) == 4
    assert fingerprint._shared is None


def test_only_a_dataclass_can_be_digested_once() -> None:
    with pytest.raises(TypeError, match="not a dataclass"):
        digest_once(str)
