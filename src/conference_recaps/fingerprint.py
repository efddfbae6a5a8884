"""A checksum of the extension's own code, for everything that must be redone when it changes.

Sphinx discards a saved environment whose extensions report another ``env_version``;
without this, live reload would keep pages built by old code. Generated pages and feeds
put it in their fingerprints for the same reason.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import operator
import pickle
import zlib
from pathlib import Path
from typing import Any

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
        return kind, getter(obj)


def _getter_of(obj: Any) -> Any:
    if not dataclasses.is_dataclass(obj) or isinstance(obj, type):
        return None
    return _field_values([field.name for field in dataclasses.fields(obj)])


def _field_values(names: list[str]) -> Any:
    """A function from an instance to the tuple of its ``names``' values."""
    if len(names) > 1:
        return operator.attrgetter(*names)
    # attrgetter of one name returns the value itself, not a 1-tuple.
    return lambda obj: tuple(getattr(obj, name) for name in names)


def data_digest(*parts: object, size: int = 16) -> str:
    """A digest of plain data and dataclasses (str, int, date, tuple, list, dict, None),
    by value: equal data give equal digests, however their objects are shared."""
    buffer = io.BytesIO()
    pickler = _DigestPickler(buffer, protocol=5)
    # No memo: pickle writes an object seen twice as a reference to the first, so equal
    # data held in shared objects (a string read once, kept in the environment) and in
    # distinct ones (the same string read again) would digest differently. The data
    # digested here are trees; without the memo they digest by value alone.
    pickler.fast = True
    pickler.dump(parts)
    return hashlib.blake2b(buffer.getbuffer(), digest_size=size).hexdigest()
