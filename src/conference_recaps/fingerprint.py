"""A checksum of the extension's own code, for everything that must be redone when it changes.

Sphinx discards a saved environment whose extensions report another ``env_version``;
without this, live reload would keep pages built by old code. Generated pages and feeds
put it in their fingerprints for the same reason.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import io
import operator
import pickle
import zlib
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

PACKAGE = Path(__file__).parent


def code_fingerprint() -> int:
    """A CRC of every Python file of the package, in a fixed order."""
    checksum = 0
    for path in sorted(PACKAGE.rglob("*.py")):
        checksum = zlib.crc32(path.read_bytes(), checksum)
    return checksum


class _DigestPickler(pickle.Pickler):
    """Pickles a dataclass as its class and its field values, read by one C call.

    A frozen dataclass with slots pickles through ``dataclasses._dataclass_getstate``,
    which lists the class's fields again for every instance: over the 38,000 page
    contexts of pyvideo.org's archive that was most of the time spent fingerprinting
    pages. The bytes are only digested, never loaded.
    """

    #: One cache for every pickler: the field getter of each dataclass, None for the
    #: other types (dates, enums, named tuples, classes), which pickle as usual.
    _getters: dict[type, Any] = {}

    def reducer_override(self, obj: Any) -> Any:
        kind = type(obj)
        try:
            getter = self._getters[kind]
        except KeyError:
            getter = self._getters[kind] = _getter_of(obj)
        if getter is None:
            return NotImplemented
        if kind in _DIGEST_ONCE:
            # Pickled as the digest of its values, always (so still by value), and
            # within shared_digests made once per object.
            if _shared is None:
                return kind, (_digest_bytes(getter(obj), 16),)
            seen = _shared.get(id(obj))
            if seen is None:
                seen = _shared[id(obj)] = (obj, _digest_bytes(getter(obj), 16))
            return kind, (seen[1],)
        return kind, getter(obj)


#: Types whose instances are shared across many digested values (see digest_once).
_DIGEST_ONCE: set[type] = set()
#: While :func:`shared_digests` is open: id -> (the object, kept alive so that its id is
#: not reused, and the digest of its values).
_shared: dict[int, tuple[object, bytes]] | None = None

T = TypeVar("T", bound=type)


def digest_once(cls: T) -> T:
    """Mark a frozen dataclass whose instances many digested values share (a talk's
    summary is in every list that shows the talk).

    Its instances are pickled as the digest of their values, everywhere; within
    :func:`shared_digests` that digest is made once per instance, however many pages
    hold it. Its values must not change while the block runs (frozen, tuples).
    """
    if not dataclasses.is_dataclass(cls):
        msg = f"{cls.__name__} is not a dataclass"
        raise TypeError(msg)
    _DIGEST_ONCE.add(cls)
    return cls


@contextlib.contextmanager
def shared_digests() -> Iterator[None]:
    """Digest each :func:`digest_once` object once while the block runs (not nested)."""
    global _shared  # noqa: PLW0603 - one pass at a time, in one process
    _shared = {}
    try:
        yield
    finally:
        _shared = None


def _getter_of(obj: Any) -> Any:
    if not dataclasses.is_dataclass(obj) or isinstance(obj, type):
        return None
    return field_values([field.name for field in dataclasses.fields(obj)])


def field_values(names: Sequence[str]) -> Any:
    """A function from an instance to the tuple of its ``names``' values (one C call
    for two names or more)."""
    if len(names) > 1:
        return operator.attrgetter(*names)
    # attrgetter of one name returns the value itself, not a 1-tuple.
    return lambda obj: tuple(getattr(obj, name) for name in names)


def data_digest(*parts: object, size: int = 16) -> str:
    """A digest of plain data and dataclasses (str, int, date, tuple, list, dict, None),
    by value: equal data give equal digests, however their objects are shared."""
    return _digest_bytes(parts, size).hex()


def _digest_bytes(value: object, size: int) -> bytes:
    buffer = io.BytesIO()
    pickler = _DigestPickler(buffer, protocol=5)
    # No memo: pickle writes an object seen twice as a reference to the first, so equal
    # data held in shared objects (a string read once, kept in the environment) and in
    # distinct ones (the same string read again) would digest differently. The data
    # digested here are trees; without the memo they digest by value alone.
    pickler.fast = True
    pickler.dump(value)
    return hashlib.blake2b(buffer.getbuffer(), digest_size=size).digest()
