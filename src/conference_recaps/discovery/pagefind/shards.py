"""The search index in parts: which part (shard) indexes a page, and when a part is stale.

Pagefind has no incremental mode: a bundle is written whole from the pages it is given.
At the pyvideo.org scale (37,700 indexed pages) one bundle took 40-60 s after any edit.
So the index is split into shards, each a Pagefind bundle of its own under
``pagefind/<shard>/``; the search page loads one and merges the others in the browser
(PagefindUI's ``mergeIndex``), which combines results and filter counts across them.
A build re-indexes only the shards holding a page whose *indexed content* changed.

Locality decides the shards, so that one edit touches few of them:

- a talk's page and its conference's page share a shard: conferences are put into
  buckets by a hash of their id, with all their talks (an edited talk re-indexes its
  own conference's shard, which also holds its previous and next talks);
- speakers are put into buckets of their own by a hash of their id (a retitled talk
  changes its speakers' pages);
- recaps and every other indexed page (the guide, credits) are one shard, ``pages``,
  until they outgrow it; then they are hashed into buckets too.

The number of buckets of a family is the power of two that keeps a bucket at most
:data:`PAGES_PER_SHARD` pages (speakers: :data:`SPEAKER_SHARD_FACTOR` times that; recaps
and guide pages: :data:`RECAP_PAGES_PER_SHARD`), and it is part of the shard's name. A
bucket is a hash of the id modulo that number, never a position, so adding a conference
moves no other page; the count, and so every bucket of the family, changes only when the family
doubles or halves. A site no larger than one shard is indexed as one (``all``).

What Pagefind reads of a page is the ``data-pagefind-body`` element (its text, filters
and metadata) but for elements marked ``data-pagefind-ignore="all"``, and the page's
language; :class:`IndexedContent` digests that alone, so a page rewritten only because
its sidebar, or a related talk's card, changed re-indexes nothing.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from conference_recaps.discovery.outputs import OutputDigests

#: The most pages a shard of conferences and talks holds (on average: buckets are
#: hashed). Pagefind costs about 4.5 ms of CPU per page, so an edited talk re-indexes its
#: shard in about 3 s at this size; smaller shards mean more requests for the search page
#: (measured at the pyvideo.org scale on two cores: docs/architecture.md).
PAGES_PER_SHARD = 700
#: Speaker pages change far less often than talks (a rename, a new talk), so their
#: shards are this many times larger: fewer shards for the search page to load.
SPEAKER_SHARD_FACTOR = 4
#: Recaps and guide pages: one shard up to this many pages, then hashed buckets.
RECAP_PAGES_PER_SHARD = 700
#: The shard of recaps and guide pages; the only one on a small site is ``all``.
PAGES_SHARD = "pages"
SINGLE_SHARD = "all"

#: The markers search.py puts around the indexed part of a page.
BODY_START = b"<div data-pagefind-body>"
BODY_END = b"<!--/data-pagefind-body-->"
_LANG = re.compile(rb"<html[^>]*\blang=\"([^\"]*)\"")
#: An element Pagefind skips whole, filters included (a talk page's related cards).
_IGNORED = re.compile(rb"<(\w+)\b[^>]*\sdata-pagefind-ignore=\"all\"[^>]*>")


def _element_end(data: bytes, tag: bytes, at: int) -> int:
    """Where the element whose start tag ends at ``at`` ends (same-name tags nest)."""
    depth = 1
    for match in re.finditer(rb"<(/?)" + re.escape(tag) + rb"\b[^>]*>", data[at:]):
        depth += -1 if match.group(1) else 1
        if depth == 0:
            return at + match.end()
    return len(data)


def _indexed_part(body: bytes) -> bytes:
    """``body`` without the elements Pagefind ignores whole."""
    parts = []
    at = 0
    while (match := _IGNORED.search(body, at)) is not None:
        parts.append(body[at : match.start()])
        at = _element_end(body, match.group(1), match.end())
    parts.append(body[at:])
    return b"".join(parts)


class IndexedContent(OutputDigests):
    """Per page, a digest of what Pagefind indexes of it: ``""`` when it is not indexed."""

    def content_digest(self, path: Path | str) -> str:
        with open(path, "rb") as f:  # noqa: PTH123 - also called with str paths
            data = f.read()
        start = data.find(BODY_START)
        if start < 0:
            return ""
        end = data.find(BODY_END, start)
        body = data[start:] if end < 0 else data[start:end]
        lang = _LANG.search(data, 0, start)
        value = hashlib.blake2b(lang.group(1) if lang else b"", digest_size=16)
        value.update(_indexed_part(body))
        return value.hexdigest()


def _family(relpath: str) -> tuple[str, str]:
    """The family of an output file (``talks``, ``speakers`` or ``pages``) and its group."""
    parts = relpath.split("/")
    if len(parts) >= 2 and parts[0] in {"talks", "conferences"}:
        # talks/<conference>/<slug>/index.html, conferences/<conference>/index.html,
        # and conferences/<conference>.html from the html builder.
        return "talks", parts[1].removesuffix(".html")
    if len(parts) >= 2 and parts[0] == "speakers":
        return "speakers", parts[1].removesuffix(".html")
    return PAGES_SHARD, ""


def _buckets(pages: int, per_shard: int) -> int:
    count = 1
    while pages > count * per_shard:
        count *= 2
    return count


def _per_shard(family: str) -> int:
    if family == "speakers":
        return PAGES_PER_SHARD * SPEAKER_SHARD_FACTOR
    if family == PAGES_SHARD:
        return RECAP_PAGES_PER_SHARD
    return PAGES_PER_SHARD


def _bucket(group: str, count: int) -> int:
    value = hashlib.blake2b(group.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(value, "big") % count


def plan_shards(indexed: list[str]) -> dict[str, list[str]]:
    """The shards of the indexed pages (output paths): shard name -> its pages, sorted."""
    if not indexed:
        return {}
    if len(indexed) <= PAGES_PER_SHARD:
        return {SINGLE_SHARD: sorted(indexed)}
    families: dict[str, list[tuple[str, str]]] = {}
    for relpath in indexed:
        family, group = _family(relpath)
        families.setdefault(family, []).append((relpath, group))
    plan: dict[str, list[str]] = {}
    for family, pages in families.items():
        count = _buckets(len(pages), _per_shard(family))
        if family == PAGES_SHARD and count == 1:
            plan[PAGES_SHARD] = sorted(relpath for relpath, _ in pages)
            continue
        width = len(str(count - 1))
        for relpath, group in pages:
            # A recap or guide page is a group of its own.
            name = f"{family}-{count}-{_bucket(group or relpath, count):0{width}d}"
            plan.setdefault(name, []).append(relpath)
    return {name: sorted(pages) for name, pages in sorted(plan.items())}


def primary_shard(shards: list[str]) -> str:
    """The shard the search page loads first (the others are merged into it)."""
    for name in (SINGLE_SHARD, PAGES_SHARD):
        if name in shards:
            return name
    return sorted(shards)[0]
