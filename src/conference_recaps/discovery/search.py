"""Search in the browser: a Pagefind index of the built site, with filters.

Every content page (talks, speakers, conferences, recaps, the guide) has its body
wrapped in ``data-pagefind-body``, with hidden markers Pagefind reads as filters
(``type``, ``conference``, ``year``, ``speaker``, ``tag``, ``kind``) and as the result's
metadata (``speakers``, ``conference``, ``date``). Lists (the home page, archives,
indexes) are left out so a search finds the entry itself, not every list it is on.

After a successful HTML build, ``python -m pagefind --site <outdir>`` writes the index
to ``<outdir>/pagefind/`` (the binary ships with the ``pagefind[extended]`` package and
works offline), so ``make html``, ``make serve`` and Read the Docs all get it. Pagefind
runs only when a page changed: the index is fingerprinted by the content of every page
(see :mod:`.outputs`), and a new index replaces the old one only when it is complete.
With ``RECAPS_SEARCH_INDEX=background`` (``make serve`` sets it) the build does not wait
for Pagefind: a process of its own writes the index after the build and swaps it in. The
theme's search box leads to ``/search/``, which this module turns into Pagefind's UI
(``?q=`` starts a search). Every path is relative, so the search also works on Read
the Docs pull-request previews, served under another prefix.

Sphinx's own search index is not built: Pagefind replaces it, and indexing every page
twice is what makes large sites slow.
"""

from __future__ import annotations

import contextlib
import html
import importlib.metadata
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

try:
    import fcntl
except ImportError:  # pragma: no cover - not on POSIX: the index is always built in place
    fcntl = None  # type: ignore[assignment]

from sphinx.util import logging
from sphinx.util.osutil import relative_uri

from conference_recaps.diagnostics import Subtype, warn
from conference_recaps.discovery.outputs import OutputDigests, digest, load_state, save_state
from conference_recaps.discovery.site import (
    UTILITY_PAGES,
    Subject,
    classify,
    speaker_names,
    talk_date,
)
from conference_recaps.domain import get_catalogue, get_domain
from conference_recaps.text import RECAP_KIND_LABELS, kind_label

if TYPE_CHECKING:
    from collections.abc import Iterator

    from docutils import nodes
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

    from conference_recaps.catalogue.model import Catalogue
    from conference_recaps.frontmatter import RecapMeta

logger = logging.getLogger(__name__)

#: The index's folder inside the output.
BUNDLE_DIR = "pagefind"
#: Pages of these kinds are indexed.
INDEXED = frozenset({"talk", "speaker", "conference", "recap", "page"})
#: How long indexing may take before the build gives up on it (25,000 pages take ~30 s).
TIMEOUT = 900
#: Set to ``background`` (``make serve`` does) to index after the build, in a process
#: of its own, so that a rebuild does not wait for Pagefind.
MODE_VARIABLE = "RECAPS_SEARCH_INDEX"

SEARCH_BODY = """\
<h1>Search</h1>
<noscript><p>Search runs in your browser and needs JavaScript.</p></noscript>
<link rel="stylesheet" href="{bundle}pagefind-ui.css" />
<div id="recaps-search" class="recaps-search"></div>
<script src="{bundle}pagefind-ui.js"></script>
"""


def page_facets(
    env: BuildEnvironment, pagename: str, subject: Subject
) -> tuple[dict[str, list[str]], dict[str, str]]:
    """The Pagefind filters (name to values) and metadata of one page."""
    catalogue = get_catalogue(env)
    filters: dict[str, list[str]] = {}
    meta: dict[str, str] = {}
    entry = subject.entry
    if subject.kind == "talk":
        conference = catalogue.conferences.get(entry.conference)
        date = talk_date(catalogue, entry)
        names = speaker_names(catalogue, entry)
        filters = {
            "type": ["Talk"],
            "conference": [conference.name if conference else entry.conference],
            "year": [str(date.year)] if date else [],
            "speaker": names,
            "tag": list(entry.tags),
            "kind": [kind_label(entry.kind)],
        }
        meta = {"speakers": ", ".join(names), "conference": filters["conference"][0]}
        if date:
            meta["date"] = date.isoformat()
    elif subject.kind == "speaker":
        talks = catalogue.talks_of_speaker(entry.id)
        filters = {
            "type": ["Speaker"],
            "speaker": [entry.name],
            "conference": _unique(_conference_name(catalogue, t.conference) for t in talks),
            "year": _unique(
                str(d.year) for t in talks if (d := talk_date(catalogue, t)) is not None
            ),
        }
        meta = {"talks": str(len(talks))}
    elif subject.kind == "conference":
        filters = {
            "type": ["Conference"],
            "conference": [entry.name],
            "year": [str(entry.year)],
        }
        meta = {"conference": entry.name, "date": entry.start.isoformat()}
        if entry.location:
            meta["location"] = entry.location
    elif subject.kind == "recap":
        recap: RecapMeta = entry
        conference = catalogue.conferences.get(recap.conference) if recap.conference else None
        year = conference.year if conference else recap.date.year
        filters = {
            "type": ["Recap"],
            "conference": [conference.name] if conference else [],
            "year": [str(year)] if year else [],
            "speaker": _mentioned_speakers(env, catalogue, pagename),
            "tag": list(recap.tags),
            "kind": [RECAP_KIND_LABELS[recap.kind]],
        }
        if recap.authors:
            meta["by"] = ", ".join(recap.authors)
        if conference:
            meta["conference"] = conference.name
        meta["date"] = recap.date.isoformat()
    else:
        filters = {"type": ["Guide"]}
    return {k: v for k, v in filters.items() if v}, {k: v for k, v in meta.items() if v}


def _unique(values: Any) -> list[str]:
    return sorted(set(values))


def _conference_name(catalogue: Catalogue, conference_id: str) -> str:
    conference = catalogue.conferences.get(conference_id)
    return conference.name if conference else conference_id


def _mentioned_speakers(env: BuildEnvironment, catalogue: Catalogue, docname: str) -> list[str]:
    """The speakers of the talks a recap shows, and those it names."""
    names: set[str] = set()
    for mention in get_domain(env).table("mentions").get(docname, ()):
        if mention.kind == "speaker" and mention.id in catalogue.speakers:
            names.add(catalogue.speakers[mention.id].name)
        elif mention.kind == "talk" and mention.id in catalogue.talks:
            names.update(speaker_names(catalogue, catalogue.talks[mention.id]))
    return sorted(names)


def facet_markup(filters: dict[str, list[str]], meta: dict[str, str]) -> str:
    """Hidden elements holding the filters and metadata; every value is escaped.

    ``data-pagefind-ignore`` keeps their text out of the searchable content, while
    Pagefind still reads the filters and metadata inside.
    """
    spans = [
        f'<span data-pagefind-filter="{html.escape(name)}">{html.escape(value)}</span>'
        for name, values in filters.items()
        for value in values
    ]
    spans += [
        f'<span data-pagefind-meta="{html.escape(name)}">{html.escape(value)}</span>'
        for name, value in meta.items()
    ]
    return f'<div class="recaps-search-facets" hidden data-pagefind-ignore>{"".join(spans)}</div>'


def is_indexed(env: BuildEnvironment, root_doc: str, pagename: str, subject: Subject) -> bool:
    if pagename in UTILITY_PAGES or pagename == root_doc:
        return False
    return subject.kind in INDEXED


def _mark_page(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: dict[str, Any],
    doctree: nodes.document | None,
) -> str | None:
    if app.builder.format != "html":
        return None
    if pagename == "search":
        bundle = relative_uri(app.builder.get_target_uri(pagename), f"{BUNDLE_DIR}/")
        context["body"] = SEARCH_BODY.format(bundle=html.escape(bundle))
        context["title"] = "Search"
        context["display_toc"] = False
        app.add_js_file("discovery/search.js")
        return "page.html"
    if "body" not in context:
        return None
    subject = classify(app.env, pagename)
    if not is_indexed(app.env, app.config.root_doc, pagename, subject):
        return None
    filters, meta = page_facets(app.env, pagename, subject)
    context["body"] = (
        f"<div data-pagefind-body>{facet_markup(filters, meta)}{context['body']}</div>"
    )
    return None


def _replace_sphinx_search(app: Sphinx) -> None:
    """Pagefind replaces Sphinx's search: no index for Sphinx to build, load or prune.

    With ``builder.search`` off, Sphinx neither writes ``searchindex.js`` nor its search
    page; :func:`_search_page` yields the page again, as Pagefind's UI.
    """
    if app.builder.format == "html":
        app.builder.search = False  # type: ignore[attr-defined]


def _search_page(app: Sphinx) -> Iterator[tuple[str, dict[str, Any], str]]:
    if app.builder.format == "html":
        yield "search", {}, "page.html"


def tool_version() -> str:
    """The installed Pagefind (wrapper and binary): another version re-indexes."""
    versions = []
    for name in ("pagefind", "pagefind_bin_extended", "pagefind_bin"):
        with contextlib.suppress(importlib.metadata.PackageNotFoundError):
            versions.append(f"{name}=={importlib.metadata.version(name)}")
    return ",".join(versions)


def bundle_complete(bundle: Path) -> bool:
    return (bundle / "pagefind-ui.js").is_file() and (bundle / "pagefind-entry.json").is_file()


def run_pagefind(outdir: Path) -> tuple[Path | None, str | None]:
    """Index a built site into a new folder beside the live index: (folder, problem).

    Call it with the run lock held: folders that earlier, interrupted runs left are
    removed first.
    """
    for leftover in [*outdir.glob(f"{BUNDLE_DIR}.new-*"), *outdir.glob(f"{BUNDLE_DIR}.old-*")]:
        shutil.rmtree(leftover, ignore_errors=True)
    fresh = outdir / f"{BUNDLE_DIR}.new-{os.getpid()}"
    command = [
        sys.executable,
        "-m",
        "pagefind",
        "--site",
        str(outdir),
        "--output-subdir",
        fresh.name,
        "--quiet",
    ]
    try:
        result = subprocess.run(
            command, capture_output=True, text=True, timeout=TIMEOUT, check=False
        )
    except (OSError, subprocess.SubprocessError) as error:
        shutil.rmtree(fresh, ignore_errors=True)
        return None, f"could not run Pagefind ({error})"
    if result.returncode != 0:
        shutil.rmtree(fresh, ignore_errors=True)
        output = (result.stderr or result.stdout).strip().splitlines()
        problem = output[-1] if output else f"exit code {result.returncode}"
        return None, f"Pagefind failed: {problem}"
    if not bundle_complete(fresh):
        shutil.rmtree(fresh, ignore_errors=True)
        return None, "Pagefind wrote no index (no page has data-pagefind-body)"
    return fresh, None


def put_in_place(outdir: Path, fresh: Path) -> None:
    """Replace the live index with ``fresh`` (two renames: never half an index)."""
    bundle = outdir / BUNDLE_DIR
    old = outdir / f"{BUNDLE_DIR}.old-{os.getpid()}"
    if bundle.exists():
        bundle.rename(old)
    fresh.rename(bundle)
    shutil.rmtree(old, ignore_errors=True)


def build_index(outdir: Path) -> str | None:
    """Run Pagefind over a built site; the problem, or None when the index was written."""
    fresh, problem = run_pagefind(outdir)
    if fresh is None:
        return problem
    put_in_place(outdir, fresh)
    return None


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
        # reproducible.py reads it. In the background mode: the indexer this build
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
    code = "from conference_recaps.discovery.search import background_main; background_main()"
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
    """What reproducible.py does after a foreground build, for a background index."""
    # Imported here: reproducible.py imports this module.
    from conference_recaps.reproducible import FormatError, stabilise_bundle  # noqa: PLC0415

    with contextlib.suppress(FormatError):
        stabilise_bundle(bundle)


def setup_search(app: Sphinx) -> None:
    app.connect("builder-inited", _replace_sphinx_search)
    app.connect("html-collect-pages", _search_page)
    # Late, so the body is final (generated pages and other handlers have filled it).
    app.connect("html-page-context", _mark_page, priority=800)
    index = SiteIndex()
    app.connect("build-finished", index.build_finished, priority=900)
    # After everything that reads the index at the end of a build (reproducible.py).
    app.connect("build-finished", index.release, priority=1000)
