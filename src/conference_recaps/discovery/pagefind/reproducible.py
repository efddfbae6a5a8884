"""Reproducible output: two builds of one commit write the same bytes.

Sphinx, our templates and the feeds are deterministic already (dates come from the
content, ids from the catalogue, lists are sorted). One tool is not: Pagefind (1.5)
collects its filters in hash maps, so every run writes the filter indexes with their
values in another order, under other content-hashed names, and the language's metadata
file (``pagefind.<hash>.pf_meta``) and ``pagefind-entry.json`` change with them
(upstream: Pagefind/pagefind#638, "other files will still change, such as the
filter/metadata indexes").

After Pagefind has written a shard's bundle (:mod:`.runner` calls it before the swap,
in the build and in the background indexer alike), :func:`stabilise_bundle` puts those files in one
order: the values of each filter and the list of filters sorted by name, each file
renamed after a hash of its new content (so a browser's cache is still busted by a real
change, never by a rebuild), and the entry file pointed at the renamed metadata. The
files are read and written with a small CBOR codec that covers what Pagefind writes; a
file it cannot read back byte for byte is left alone and reported, so a future Pagefind
format fails loudly instead of being rewritten wrongly.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import struct
from pathlib import Path
from typing import Any

#: Pagefind's files start with this signature once decompressed.
SIGNATURE = b"pagefind_dcd"
#: Where the list of filters sits in a language's metadata: (name, file hash) pairs.
META_FILTERS = 3
#: The lengths of the hashes Pagefind puts in file names.
FILTER_HASH_LENGTH = 7
META_HASH_LENGTH = 10


class FormatError(ValueError):
    """A Pagefind file is not in the format this module knows."""


# A CBOR codec for the subset Pagefind (minicbor) writes: integers, byte and text
# strings, arrays and maps of definite length, always in the shortest form.


def _read_head(data: bytes, at: int) -> tuple[int, int, int]:
    """An item's major type and count (or value), and where what follows it starts."""
    if at >= len(data):
        raise FormatError("truncated CBOR")
    head = data[at]
    major, info = head >> 5, head & 31
    at += 1
    if info < 24:
        return major, info, at
    if info <= 27:
        size = 1 << (info - 24)
        if at + size > len(data):
            raise FormatError("truncated CBOR")
        return major, int.from_bytes(data[at : at + size], "big"), at + size
    raise FormatError(f"unsupported CBOR head 0x{head:02x}")


def _decode(data: bytes, at: int) -> tuple[Any, int]:
    major, count, at = _read_head(data, at)
    if major == 0:
        return count, at
    if major == 1:
        return -1 - count, at
    if major in {2, 3}:
        if at + count > len(data):
            raise FormatError("truncated CBOR")
        raw = data[at : at + count]
        return (bytes(raw) if major == 2 else raw.decode("utf-8")), at + count
    if major == 4:
        items = []
        for _ in range(count):
            item, at = _decode(data, at)
            items.append(item)
        return items, at
    if major == 5:
        mapping = {}
        for _ in range(count):
            key, at = _decode(data, at)
            mapping[key], at = _decode(data, at)
        return mapping, at
    raise FormatError(f"unsupported CBOR major type {major}")


def _head(major: int, count: int) -> bytes:
    if count < 24:
        return bytes([major << 5 | count])
    for info, fmt in ((24, ">B"), (25, ">H"), (26, ">I"), (27, ">Q")):
        if count < 1 << (8 * struct.calcsize(fmt)):
            return bytes([major << 5 | info]) + struct.pack(fmt, count)
    raise FormatError(f"integer too large for CBOR: {count}")


def _encode(value: Any) -> bytes:
    if isinstance(value, bool) or value is None:
        raise FormatError(f"unsupported value {value!r}")
    if isinstance(value, int):
        return _head(0, value) if value >= 0 else _head(1, -1 - value)
    if isinstance(value, bytes):
        return _head(2, len(value)) + value
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return _head(3, len(raw)) + raw
    if isinstance(value, list):
        return _head(4, len(value)) + b"".join(_encode(item) for item in value)
    if isinstance(value, dict):
        return _head(5, len(value)) + b"".join(_encode(k) + _encode(v) for k, v in value.items())
    raise FormatError(f"unsupported value {value!r}")


def read_pagefind_file(path: Path) -> Any:
    """The value in a Pagefind file (gzip, signature, CBOR), checked to re-encode exactly."""
    raw = path.read_bytes()
    try:
        data = gzip.decompress(raw)
    except (OSError, EOFError) as error:
        raise FormatError(f"{path.name} is not gzip ({error})") from error
    if not data.startswith(SIGNATURE):
        raise FormatError(f"{path.name} lacks Pagefind's signature")
    value, end = _decode(data, len(SIGNATURE))
    if end != len(data) or _encode(value) != data[len(SIGNATURE) :]:
        raise FormatError(f"{path.name} does not read back byte for byte")
    return value


def _write_pagefind_file(path: Path, value: Any) -> bytes:
    payload = _encode(value)
    # mtime=0: gzip otherwise stamps the time of writing into the header.
    path.write_bytes(gzip.compress(SIGNATURE + payload, compresslevel=9, mtime=0))
    return payload


def _name(prefix: str, payload: bytes, length: int, taken: set[str]) -> str:
    digest = hashlib.sha256(payload).hexdigest()
    while f"{prefix}_{digest[:length]}" in taken and length < len(digest):
        length += 1
    return f"{prefix}_{digest[:length]}"


def _stabilise_language(bundle: Path, language: str, meta_hash: str) -> str:
    """Sort one language's filter indexes; return its metadata file's new hash."""
    meta_path = bundle / f"pagefind.{meta_hash}.pf_meta"
    meta = read_pagefind_file(meta_path)
    if not isinstance(meta, list) or len(meta) <= META_FILTERS:
        raise FormatError(f"{meta_path.name} has an unknown layout")
    filters = meta[META_FILTERS]
    read: list[tuple[str, Path, Any]] = []
    for pair in filters:
        if not (isinstance(pair, list) and len(pair) == 2):
            raise FormatError(f"{meta_path.name} has an unknown filter list")
        name, old = pair
        path = bundle / "filter" / f"{old}.pf_filter"
        index = read_pagefind_file(path)
        if not (isinstance(index, list) and len(index) == 2 and isinstance(index[1], list)):
            raise FormatError(f"{path.name} has an unknown layout")
        read.append((name, path, index))
    # Everything was read: only now rewrite, so a format surprise leaves the index whole.
    written: list[tuple[str, str, Any]] = []
    taken: set[str] = set()
    for name, path, index in sorted(read, key=lambda item: item[0]):
        index[1].sort(key=lambda value: value[0])
        new = _name(language, _encode(index), FILTER_HASH_LENGTH, taken)
        taken.add(new)
        written.append((name, new, index))
        path.unlink()  # every old file goes before a new one is written: names may meet
    for _, new, index in written:
        _write_pagefind_file(bundle / "filter" / f"{new}.pf_filter", index)
    renamed = [[name, new] for name, new, _ in written]
    meta[META_FILTERS] = renamed
    new_meta = _name(language, _encode(meta), META_HASH_LENGTH, set())
    meta_path.unlink()
    _write_pagefind_file(bundle / f"pagefind.{new_meta}.pf_meta", meta)
    return new_meta


def stabilise_bundle(bundle: Path) -> None:
    """Rewrite a Pagefind bundle's order-dependent files in one order (see the module)."""
    entry_path = bundle / "pagefind-entry.json"
    try:
        entry = json.loads(entry_path.read_text(encoding="utf-8"))
        languages = entry["languages"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise FormatError(f"{entry_path.name} is unreadable ({error})") from error
    for language, info in sorted(languages.items()):
        info["hash"] = _stabilise_language(bundle, language, info["hash"])
    entry_path.write_text(
        json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
    )
