"""The Pagefind search index: run it, keep it current, make it reproducible.

- :mod:`.shards`: the index in parts (shards), which part indexes a page, and a digest
  of what Pagefind reads of each page;
- :mod:`.runner`: run Pagefind over some shards into new folders and swap each in;
- :mod:`.indexer`: decide which shards to re-index (a fingerprint per shard), in the
  build or in a background process (``RECAPS_SEARCH_INDEX=background``), with its locks;
- :mod:`.reproducible`: put the files Pagefind writes in a different order on every run
  (its CBOR filter indexes) in one order, so two builds write the same bytes.

The pages' side (which pages are indexed, their filters, the search page) is
:mod:`conference_recaps.discovery.search`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from conference_recaps.discovery.pagefind.indexer import SiteIndex

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup_pagefind(app: Sphinx) -> None:
    index = SiteIndex()
    # Before the sitemap, the API and the feeds (600-700), which write no page: the
    # shards an edit changed are indexed beside them (SiteIndex).
    app.connect("build-finished", index.start, priority=550)
    app.connect("build-finished", index.finish, priority=900)
    # After everything that reads the index at the end of a build.
    app.connect("build-finished", index.release, priority=1000)
