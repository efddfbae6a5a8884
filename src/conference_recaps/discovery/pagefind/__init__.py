"""The Pagefind search index: run it, keep it current, make it reproducible.

- :mod:`.runner`: run Pagefind into a new folder and swap it in;
- :mod:`.indexer`: decide when to re-index (a fingerprint of every page), in the build
  or in a background process (``RECAPS_SEARCH_INDEX=background``), with its locks;
- :mod:`.reproducible`: put the files Pagefind writes in a different order on every run
  (its CBOR filter indexes) in one order, so two builds write the same bytes.

The pages' side (which pages are indexed, their filters, the search page) is
:mod:`conference_recaps.discovery.search`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from conference_recaps.discovery.pagefind.indexer import SiteIndex
from conference_recaps.discovery.pagefind.reproducible import stabilise_search_index

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup_pagefind(app: Sphinx) -> None:
    index = SiteIndex()
    app.connect("build-finished", index.build_finished, priority=900)
    # After Pagefind has run (900), before the index's locks are released (1000).
    app.connect("build-finished", stabilise_search_index, priority=950)
    # After everything that reads the index at the end of a build.
    app.connect("build-finished", index.release, priority=1000)
