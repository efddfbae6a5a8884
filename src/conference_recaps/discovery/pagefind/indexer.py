"""When the search index is rebuilt, which shards, in the build or in a process of its own.

Pagefind has no incremental mode, and what it reads is the output's HTML. The index is
split into shards (:mod:`.shards`); each is fingerprinted by what Pagefind reads of its
pages (:class:`.shards.IndexedContent`), and only the shards whose fingerprint changed,
or whose bundle is missing, are indexed again; shards that left the plan are removed.
With ``RECAPS_SEARCH_INDEX=background`` (``make serve`` sets it) the build does not
wait: a detached indexer (one at a time, only the latest request runs) writes the
shards, ordered as :mod:`.reproducible` does, and swaps them in once no build reads the
old ones. File locks next to the doctrees keep the two apart; the state files are
listed in :class:`IndexFiles`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import IO, TYPE_CHECKING

try:
    import fcntl
except ImportError:  # pragma: no cover - not on POSIX: the index is always built in place
    fcntl = None  # type: ignore[assignment]

from sphinx.util import logging

from conference_recaps.diagnostics import Subtype, warn
from conference_recaps.discovery.outputs import digest, load_state, save_state
from conference_recaps.discovery.pagefind import shards
from conference_recaps.discovery.pagefind.runner import (
    BUNDLE_DIR,
    JOBS,
    MANIFEST,
    UI_FILES,
    bundle_complete,
    finish,
    index_shards,
    live_shards,
    manifest,
    put_in_place,
    tool_version,
)
from conference_recaps.discovery.pagefind.shards import IndexedContent, plan_shards
from conference_recaps.forks import Forked, can_fork
from conference_recaps.inputs import site_inputs

if TYPE_CHECKING:
    from sphinx.application import Sphinx

logger = logging.getLogger(__name__)

#: Set to ``background`` (``make serve`` does) to index after the build, in a process
#: of its own, so that a rebuild does not wait for Pagefind.
MODE_VARIABLE = "RECAPS_SEARCH_INDEX"


#: Output folders that hold no page, not walked: at the pyvideo.org scale the feeds and
#: the JSON API are 15,000 of the 53,000 folders, a third of a rebuild's scan.
NO_PAGES = ("_static", "_images", "_sources", "api", "feeds")


@dataclass(frozen=True)
class Request:
    """What one build asks of the index: each shard's pages and fingerprint."""

    plan: dict[str, list[str]]
    fingerprints: dict[str, str]

    @property
    def token(self) -> str:
        """One digest of the whole request: the index is current when it matches."""
        return digest(sorted(self.fingerprints.items()))


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
        """The digest of what Pagefind indexes of each page (:class:`.IndexedContent`)."""
        return self._path("digests")

    @property
    def indexed(self) -> Path:
        """The fingerprint of each live shard, and the token of the request they meet."""
        return self._path("indexed")

    @property
    def requested(self) -> Path:
        """The latest build's request (:class:`Request`)."""
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

    @property
    def root(self) -> Path:
        return self.outdir / BUNDLE_DIR

    def request(self, inputs: str | None = None) -> Request:
        """What Pagefind would read now: the shards of the indexed pages, fingerprinted.

        When the latest build asked for an index of the same ``inputs`` (the site's, see
        :mod:`conference_recaps.inputs`, with Pagefind's version and the shard sizes),
        its pages are the same, and so is its request:
        it is taken again without walking the output, which at pyvideo.org's scale means
        40,000 folders.
        """
        if inputs is not None:
            saved = load_state(self.requested)
            plan, fingerprints = saved.get("plan"), saved.get("shards")
            if (
                saved.get("site_inputs") == inputs
                and isinstance(plan, dict)
                and isinstance(fingerprints, dict)
            ):
                return Request(plan, fingerprints)
        content = IndexedContent.load(self.outdir, self.digests)
        pages = content.scan(".html", skip=[BUNDLE_DIR, *NO_PAGES])
        content.save(self.digests)
        plan = plan_shards([relpath for relpath, value in pages.items() if value])
        version = tool_version()
        fingerprints = {
            name: digest(version, name, [(relpath, pages[relpath]) for relpath in shard])
            for name, shard in plan.items()
        }
        return Request(plan, fingerprints)

    def live_fingerprints(self) -> dict[str, str]:
        """The fingerprint of each shard whose bundle is in place."""
        shards = load_state(self.indexed).get("shards")
        if not isinstance(shards, dict):
            return {}
        return {name: value for name, value in shards.items() if bundle_complete(self.root / name)}

    def stale(self, request: Request) -> list[str]:
        """The shards to index again for ``request``."""
        live = self.live_fingerprints()
        return [name for name, value in request.fingerprints.items() if live.get(name) != value]

    def current(self, request: Request) -> bool:
        """Whether the live index is the one ``request`` asks for, manifest included."""
        if self.stale(request) or live_shards(self.outdir) - set(request.plan):
            return False
        if not all((self.root / name).is_file() for name in UI_FILES if request.plan):
            return False
        try:
            return (self.root / MANIFEST).read_bytes() == manifest(list(request.plan))
        except OSError:
            return False

    def indexed_token(self) -> str | None:
        value = load_state(self.indexed).get("token")
        return value if isinstance(value, str) else None

    def pending(self) -> bool:
        """Whether an index the latest build asked for is still being written."""
        requested = load_state(self.requested).get("token")
        return requested is not None and requested != self.indexed_token()

    def update(self, request: Request, stale: list[str]) -> dict[str, str]:
        """Index the stale shards and swap them in; the problems, by shard.

        Call it with the run lock held (and, in the background, the swap lock taken
        before the swaps by :func:`background_main`).
        """
        fresh, problems = index_shards(self.outdir, {name: request.plan[name] for name in stale})
        self.swap_in(request, fresh, problems)
        return problems

    def swap_in(self, request: Request, fresh: dict[str, Path], problems: dict[str, str]) -> None:
        for name, folder in sorted(fresh.items()):
            put_in_place(self.outdir, name, folder)
        finish(self.outdir, list(request.plan))
        live = {
            name: value
            for name, value in load_state(self.indexed).get("shards", {}).items()
            if name in request.plan and name not in problems
        }
        live.update({name: request.fingerprints[name] for name in fresh})
        failed = any(name not in fresh for name in problems)
        save_state(self.indexed, {"shards": live, "token": None if failed else request.token})


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
    """The search index of one application's builds.

    The pages are all written when ``build-finished`` begins, and nothing after reads
    the index before the output check: :meth:`start` runs before the sitemap, the API
    and the feeds. When the few shards an edit changed can all be indexed at once, they
    are indexed in a forked process (:class:`~conference_recaps.forks.Forked`) while
    those write their files on the other core, and :meth:`finish` waits for it. A
    whole index runs in place, in :meth:`start`: it already keeps both cores busy, and
    running it beside the other outputs' workers would add its memory to theirs.
    """

    def __init__(self) -> None:
        #: A lock held from indexing to the end of the build (see :meth:`start`).
        self.held: IO[bytes] | None = None
        #: The shards being indexed beside the other outputs, and their count.
        self.running: tuple[Forked[list[str], dict[str, str]], int] | None = None

    def start(self, app: Sphinx, exception: BaseException | None) -> None:
        """Index the shards whose pages changed since their bundle was built."""
        self.running = None
        if exception is not None or app.builder.name not in {"html", "dirhtml"}:
            return
        files = IndexFiles(Path(app.outdir), Path(app.doctreedir), app.builder.name)
        # What the request is made of: the site's pages, Pagefind and the shard sizes.
        inputs = digest(
            site_inputs(app),
            tool_version(),
            shards.PAGES_PER_SHARD,
            shards.SPEAKER_SHARD_FACTOR,
            shards.RECAP_PAGES_PER_SHARD,
        )
        request = files.request(inputs)
        background = background_requested() and fcntl is not None
        # Kept until the build is over (:meth:`release`). In the foreground: no
        # background indexer swaps a shard in while this build writes it. In the
        # background mode: the indexer this build starts swaps its shards in only
        # after this build is over.
        self.release(app, None)
        self.held = _lock(
            files.swap_lock if background else files.run_lock, exclusive=not background
        )
        # Recorded even when nothing is to be done, so that an indexer still at work for
        # an earlier build (pages since edited back) knows its index is stale.
        save_state(
            files.requested,
            {
                "token": request.token,
                "plan": request.plan,
                "shards": request.fingerprints,
                "site_inputs": inputs,
            },
        )
        if files.current(request):
            if files.indexed_token() != request.token:
                save_state(files.indexed, {"shards": request.fingerprints, "token": request.token})
            logger.info("search index: no page changed, kept as it is")
            return
        if background:
            _start_background(files, request.token)
            logger.info("search index: updating in the background (log: %s)", files.log)
            return
        stale = files.stale(request)
        if len(stale) <= JOBS and can_fork(app.parallel, 1, 1):
            self.running = (Forked(partial(files.update, request), stale), len(request.plan))
            return
        _announce(len(stale), len(request.plan))
        _report(files.update(request, stale))

    def finish(self, app: Sphinx, exception: BaseException | None) -> None:
        """Wait for the shards :meth:`start` left indexing in a process of its own."""
        if self.running is None:
            return
        running, planned = self.running
        self.running = None
        problems = running.result()
        _announce(len(running.arg), planned)
        _report(problems)

    def release(self, app: Sphinx, exception: BaseException | None) -> None:
        if self.held is not None:
            self.held.close()
            self.held = None


def _announce(stale: int, planned: int) -> None:
    """Begin the "building the search index" line (:func:`_report` ends it)."""
    logger.info(
        "building the search index with Pagefind (%d of %d shards)... ",
        stale,
        planned,
        nonl=True,
    )


def _report(problems: dict[str, str]) -> None:
    """End the "building the search index" line, and warn of each shard's problem."""
    logger.info("failed" if problems else "done")
    for problem in problems.values():
        warn(
            f"the search index is incomplete: {problem}; install Pagefind with "
            "`pip install -r requirements.txt` (it needs the pagefind[extended] package)",
            Subtype.search,
            location=None,
        )


def _start_background(files: IndexFiles, token: str) -> None:
    """Start the indexer in a process of its own, which outlives the build."""
    code = f"from {__name__} import background_main; background_main()"
    arguments = [str(files.outdir), str(files.doctreedir), files.builder, token]
    with files.log.open("ab") as log:
        subprocess.Popen(
            [sys.executable, "-c", code, *arguments],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            start_new_session=True,
        )


def _requested(files: IndexFiles, token: str) -> Request | None:
    """The latest build's request, if it is still ``token``."""
    state = load_state(files.requested)
    if state.get("token") != token:
        return None
    plan, fingerprints = state.get("plan"), state.get("shards")
    if not isinstance(plan, dict) or not isinstance(fingerprints, dict):
        return None
    return Request(plan, fingerprints)


def background_main(argv: list[str] | None = None) -> int:
    """The background indexer: index if still the latest request, then swap it in."""
    outdir, doctreedir, builder, token = (argv if argv is not None else sys.argv[1:])[:4]
    files = IndexFiles(Path(outdir), Path(doctreedir), builder)
    run = _lock(files.run_lock, exclusive=True)
    try:
        request = _requested(files, token)
        if request is None:
            return 0  # a later build asked for a newer index: its own indexer writes it
        if files.indexed_token() == token and files.current(request):
            return 0
        started = time.monotonic()
        stale = files.stale(request)
        fresh, problems = index_shards(files.outdir, {name: request.plan[name] for name in stale})
        # Wait until no build reads the live index any more, then swap.
        swap = _lock(files.swap_lock, exclusive=True)
        try:
            if _requested(files, token) is None:
                for folder in fresh.values():
                    shutil.rmtree(folder, ignore_errors=True)
                return 0  # the pages changed while Pagefind ran: this index is stale
            files.swap_in(request, fresh, problems)
        finally:
            if swap is not None:
                swap.close()
        for problem in problems.values():
            print(f"search index: {problem}", flush=True)
        elapsed = time.monotonic() - started
        print(
            f"search index updated in {elapsed:.1f} s ({len(stale)} of {len(request.plan)} shards)",
            flush=True,
        )
        return 1 if any(name not in fresh for name in problems) else 0
    finally:
        if run is not None:
            run.close()
