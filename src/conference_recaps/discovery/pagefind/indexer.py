"""When the search index is rebuilt, in the build or in a process of its own.

Pagefind has no incremental mode, and what it reads is the output's HTML: the index is
fingerprinted by the content of every page (:mod:`conference_recaps.discovery.outputs`)
and Pagefind runs only when that changed. With ``RECAPS_SEARCH_INDEX=background``
(``make serve`` sets it) the build does not wait: a detached indexer (one at a time,
only the latest request runs) writes the index, orders it as
:mod:`.reproducible` does, and swaps it in once no build reads the old one. File locks
next to the doctrees keep the two apart; the state files are listed in
:class:`IndexFiles`.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING

try:
    import fcntl
except ImportError:  # pragma: no cover - not on POSIX: the index is always built in place
    fcntl = None  # type: ignore[assignment]

from sphinx.util import logging

from conference_recaps.diagnostics import Subtype, warn
from conference_recaps.discovery.outputs import OutputDigests, digest, load_state, save_state
from conference_recaps.discovery.pagefind.reproducible import FormatError, stabilise_bundle
from conference_recaps.discovery.pagefind.runner import (
    BUNDLE_DIR,
    build_index,
    bundle_complete,
    put_in_place,
    run_pagefind,
    tool_version,
)

if TYPE_CHECKING:
    from sphinx.application import Sphinx

logger = logging.getLogger(__name__)

#: Set to ``background`` (``make serve`` does) to index after the build, in a process
#: of its own, so that a rebuild does not wait for Pagefind.
MODE_VARIABLE = "RECAPS_SEARCH_INDEX"


@dataclass(frozen=True)
class IndexFiles:
    """The search part's state for one output folder, kept next to the doctrees."""

    outdir: Path
    doctreedir: Path
    builder: str

    def _path(self, what: str) -> Path:
        return self.doctreedir / f"recaps-search-{what}.{self.builder}"

    @property
    def digests(self) -> Path:
        """The digest of every page of the output (:class:`.outputs.OutputDigests`)."""
        return self._path("digests")

    @property
    def indexed(self) -> Path:
        """The fingerprint of the pages the live index was built from."""
        return self._path("indexed")

    @property
    def requested(self) -> Path:
        """The fingerprint of the pages the latest build asked to index."""
        return self._path("requested")

    @property
    def run_lock(self) -> Path:
        """Held while Pagefind runs, so that two never index one site at once."""
        return self._path("run.lock")

    @property
    def swap_lock(self) -> Path:
        """Shared by a background-mode build until it exits; a swap waits for it."""
        return self._path("swap.lock")

    @property
    def log(self) -> Path:
        """What the background indexer reports."""
        return self._path("log.txt")

    def fingerprint(self, pages: dict[str, str]) -> str:
        """A digest of everything Pagefind reads: every page's content, and itself."""
        return digest(tool_version(), sorted(pages.items()))

    def indexed_fingerprint(self) -> str | None:
        if not bundle_complete(self.outdir / BUNDLE_DIR):
            return None
        value = load_state(self.indexed).get("fingerprint")
        return value if isinstance(value, str) else None

    def pending(self) -> bool:
        """Whether an index the latest build asked for is still being written."""
        requested = load_state(self.requested).get("fingerprint")
        return requested is not None and requested != self.indexed_fingerprint()


def _lock(path: Path, *, exclusive: bool) -> IO[bytes] | None:
    """A lock held until the file is closed or the process exits; None without fcntl."""
    if fcntl is None:  # pragma: no cover - not on POSIX
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = path.open("ab")
    fcntl.flock(handle, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
    return handle


def background_requested() -> bool:
    return os.environ.get(MODE_VARIABLE, "").strip().lower() == "background"


class SiteIndex:
    """The search index of one application's builds."""

    def __init__(self) -> None:
        #: A lock held from indexing to the end of the build (see :meth:`build_finished`).
        self.held: IO[bytes] | None = None

    def build_finished(self, app: Sphinx, exception: BaseException | None) -> None:
        """Index the site unless no page changed since the live index was built."""
        if exception is not None or app.builder.name not in {"html", "dirhtml"}:
            return
        files = IndexFiles(Path(app.outdir), Path(app.doctreedir), app.builder.name)
        digests = OutputDigests.load(files.outdir, files.digests)
        pages = digests.scan(".html", skip=[BUNDLE_DIR])
        digests.save(files.digests)
        fingerprint = files.fingerprint(pages)
        background = background_requested() and fcntl is not None
        # Kept until the build is over (:meth:`release`). In the foreground: no
        # background indexer swaps an index in while this build writes it or
        # the reproducible ordering reads it. In the background mode: the indexer this build
        # starts swaps its index in only after this build is over.
        self.release(app, None)
        self.held = _lock(
            files.swap_lock if background else files.run_lock, exclusive=not background
        )
        # Recorded even when nothing is to be done, so that an indexer still at work for
        # an earlier build (pages since edited back) knows its index is stale.
        save_state(files.requested, {"fingerprint": fingerprint})
        if files.indexed_fingerprint() == fingerprint:
            logger.info("search index: no page changed, kept as it is")
            return
        if background:
            _start_background(files, fingerprint)
            logger.info("search index: updating in the background (log: %s)", files.log)
            return
        logger.info("building the search index with Pagefind... ", nonl=True)
        problem = build_index(files.outdir)
        if problem is None:
            save_state(files.indexed, {"fingerprint": fingerprint})
            logger.info("done")
            return
        logger.info("failed")
        warn(
            f"the search index was not built: {problem}; install it with "
            "`pip install -r requirements.txt` (it needs the pagefind[extended] package)",
            Subtype.search,
            location=None,
        )

    def release(self, app: Sphinx, exception: BaseException | None) -> None:
        if self.held is not None:
            self.held.close()
            self.held = None


def _start_background(files: IndexFiles, fingerprint: str) -> None:
    """Start the indexer in a process of its own, which outlives the build."""
    code = f"from {__name__} import background_main; background_main()"
    arguments = [str(files.outdir), str(files.doctreedir), files.builder, fingerprint]
    with files.log.open("ab") as log:
        subprocess.Popen(
            [sys.executable, "-c", code, *arguments],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            start_new_session=True,
        )


def background_main(argv: list[str] | None = None) -> int:
    """The background indexer: index if still the latest request, then swap it in."""
    outdir, doctreedir, builder, fingerprint = (argv if argv is not None else sys.argv[1:])[:4]
    files = IndexFiles(Path(outdir), Path(doctreedir), builder)
    run = _lock(files.run_lock, exclusive=True)
    try:
        if load_state(files.requested).get("fingerprint") != fingerprint:
            return 0  # a later build asked for a newer index: its own indexer writes it
        if files.indexed_fingerprint() == fingerprint:
            return 0
        started = time.monotonic()
        fresh, problem = run_pagefind(files.outdir)
        if fresh is None:
            print(f"search index not updated: {problem}", flush=True)
            return 1
        _stabilise(fresh)
        # Wait until no build reads the live index any more, then swap.
        swap = _lock(files.swap_lock, exclusive=True)
        try:
            if load_state(files.requested).get("fingerprint") != fingerprint:
                shutil.rmtree(fresh, ignore_errors=True)
                return 0  # the pages changed while Pagefind ran: this index is stale
            put_in_place(files.outdir, fresh)
            save_state(files.indexed, {"fingerprint": fingerprint})
        finally:
            if swap is not None:
                swap.close()
        elapsed = time.monotonic() - started
        print(f"search index updated in {elapsed:.1f} s", flush=True)
        return 0
    finally:
        if run is not None:
            run.close()


def _stabilise(bundle: Path) -> None:
    """What :mod:`.reproducible` does after a foreground build, for a background index."""
    with contextlib.suppress(FormatError):
        stabilise_bundle(bundle)
