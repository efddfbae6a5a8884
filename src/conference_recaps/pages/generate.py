"""The mechanism behind every generated page: collect, fingerprint, render only what changed.

Each page family (``talk``, ``speaker``, ``conference``, ``archives``) turns the
:class:`~conference_recaps.pages.site.Site` into :class:`Page` objects: a page name, a
title, a body template and a *context* holding everything the page shows, as plain data.
The page's fingerprint is a digest of that context, so "what the page shows" and "what
decides whether it is rewritten" cannot drift apart: a talk page's context holds the
names of its speakers and the titles of its previous and next talks, so renaming a
speaker rewrites exactly the pages that print the name.

Pages are written on ``html-collect-pages`` with the theme's ``page.html``, so they are
themed like the rest; nothing is written into the source tree. The theme's page is
rendered by ``handle_page`` once per kind of page and each page's own parts are put
into it (:mod:`.frame`); what that cannot vouch for goes through ``handle_page`` itself.
Bodies come from Jinja templates with autoescaping on (Sphinx's own template environment
does not escape), so a title or abstract from the catalogue can never inject markup.

Why the fingerprints of written pages are kept in a file next to the doctrees rather
than in the environment: Sphinx pickles the environment *before* writing, and only when
a document was read; a record of what was written must be saved after writing, and only
if writing succeeded (``build-finished`` without an exception). Output files that have
gone missing are rewritten whatever the record says.

With ``-j N`` the pages are rendered by N forked workers (the same mechanism Sphinx uses
to write documents in parallel); each worker writes its own files, so nothing needs to
be merged back.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from markupsafe import Markup
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.util import logging
from sphinx.util.display import status_iterator
from sphinx.util.osutil import relative_uri

from conference_recaps.abstracts import render_abstract
from conference_recaps.fingerprint import code_fingerprint, data_digest, shared_digests
from conference_recaps.forks import can_fork, chunked, collector_paused, run_chunks
from conference_recaps.pages import frame
from conference_recaps.pages.frame import Frames
from conference_recaps.text import kind_label, long_date
from conference_recaps.urls import catalogue_page, index_page, output_path, safe_url

if TYPE_CHECKING:
    from collections.abc import Callable, Hashable, Iterable, Sequence, Set

    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

    from conference_recaps.pages.contexts import PageContext


logger = logging.getLogger(__name__)

TEMPLATES = Path(__file__).parent.parent / "templates"
#: Bump when the state file's layout changes.
STATE_VERSION = 2
#: Builders whose output is one HTML file per page name.
HTML_BUILDERS = frozenset({"html", "dirhtml"})
#: Keeps a page out of search engines (redirects and notices of withdrawn entries).
NOINDEX = '<meta name="robots" content="noindex">\n'
#: Below this many pages, forking workers costs more than it saves.
PARALLEL_THRESHOLD = 200


@dataclass(frozen=True, slots=True)
class Page:
    """One generated page: where it goes and everything it shows."""

    name: str
    title: str
    #: Plain data only (see :mod:`~conference_recaps.pages.contexts`): pickled for the stamp.
    context: PageContext

    @property
    def template(self) -> str:
        return self.context.template

    @property
    def family(self) -> str:
        return self.context.family

    def stamp(self) -> str:
        """A digest of everything the page shows."""
        return data_digest(self.name, self.title, self.template, self.context, size=12)


def body_environment() -> jinja2.Environment:
    """The Jinja environment for page bodies: autoescaping, undefined names are errors."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES / "pages"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        # Templates do not change during a build: no file check per page (theme.py).
        auto_reload=False,
    )
    # A second guard behind the catalogue's and the directives' own checks.
    env.filters["http_url"] = safe_url
    env.filters["long_date"] = long_date
    env.filters["kind_label"] = kind_label
    env.filters["paragraphs"] = paragraphs
    env.filters["abstract"] = abstract_html
    env.globals["catalogue_page"] = catalogue_page
    env.globals["index_page"] = index_page
    return env


def abstract_html(text: str | None, title: str = "", speakers: Any = ()) -> Markup:
    """An abstract as safe HTML; ``speakers`` are ``(page, name)`` pairs or names."""
    names = [s[1] if isinstance(s, tuple | list) else str(s) for s in speakers]
    return render_abstract(text, title=title, speakers=names)


def paragraphs(text: str | None) -> list[str]:
    """Split an abstract into paragraphs at blank lines; line breaks inside become spaces."""
    if not text:
        return []
    blocks = [" ".join(block.split()) for block in text.replace("\r\n", "\n").split("\n\n")]
    return [block for block in blocks if block]


class Renderer:
    """Renders pages for one builder: the body from our templates, the rest from the theme.

    The theme's part comes from its frame for the page's kind (:mod:`.frame`) when one can
    be vouched for, else from ``handle_page``, the reference the frames are checked against.
    """

    def __init__(
        self,
        builder: StandaloneHTMLBuilder,
        app: Sphinx | None = None,
        traits: Callable[[str], Hashable] | None = None,
    ) -> None:
        self.builder = builder
        self.jinja = body_environment()
        self.frames = (
            Frames(app, self, traits) if frame.ENABLED and app is not None and traits else None
        )

    def url_function(self, pagename: str) -> Callable[..., str]:
        builder = self.builder
        base = builder.get_target_uri(pagename)

        def url(target: str, anchor: str = "") -> str:
            uri = relative_uri(base, builder.get_target_uri(target)) or "./"
            return f"{uri}#{anchor}" if anchor else uri

        return url

    def file_url_function(self, pagename: str) -> Callable[[str], str]:
        """Links to output files that are not pages (``conferences/<id>/calendar.ics``)."""
        base = self.builder.get_target_uri(pagename)

        def file_url(path: str) -> str:
            return relative_uri(base, path)

        return file_url

    def body(self, page: Page) -> str:
        if not page.template:
            return ""
        template = self.jinja.get_template(page.template)
        return template.render(
            page.context.template_names(),
            page=page,
            url=self.url_function(page.name),
            file_url=self.file_url_function(page.name),
        )

    def context(self, page: Page) -> dict[str, Any]:
        """What ``page.html`` needs; titles are HTML in Sphinx's context, so escape them."""
        url = self.url_function(page.name)
        ctx: dict[str, Any] = {
            "title": html.escape(page.title),
            "body": self.body(page),
            "display_toc": False,
            "toc": "",
            "metatags": "",
            "meta": {},
            "sourcename": "",
            "rellinks": [],
            "parents": [],
            "prev": None,
            "next": None,
            "recaps_page_family": page.family,
        }
        for key, neighbour in zip(("prev", "next"), page.context.neighbours(), strict=True):
            if neighbour is not None:
                ctx[key] = {"link": url(neighbour.page), "title": html.escape(neighbour.title)}
        ctx.update(page.context.theme_names(url, str(self.builder.config.html_baseurl or "")))
        return ctx

    def write(self, page: Page) -> None:
        if self.frames is not None:
            self.frames.write(page)
        else:
            self.builder.handle_page(page.name, self.context(page), page.context.layout)

    def write_chunk(self, pages: Sequence[Page]) -> int:
        for page in pages:
            self.write(page)
        return len(pages)


@dataclass
class State:
    """What the previous build wrote: a stamp per page and the stamps of shared parts."""

    version: int = STATE_VERSION
    #: Everything every page shows (code, templates, configuration, the compact sidebar).
    global_stamp: str = ""
    pages: dict[str, str] = field(default_factory=dict)
    #: The site's inputs the pages were made from (:mod:`conference_recaps.inputs`).
    inputs: str = ""
    #: Stamps of what Sphinx documents show from the whole site, by name ("sidebar"...).
    shared: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> State:
        try:
            with path.open("rb") as f, collector_paused():
                state = pickle.load(f)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError):
            return cls()
        if not isinstance(state, cls) or state.version != STATE_VERSION:
            return cls()
        return state

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        with tmp.open("wb") as f:
            pickle.dump(self, f, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)


def templates_stamp() -> str:
    """A digest of every template we ship (a template edit rewrites every page)."""
    digest = hashlib.blake2b(digest_size=12)
    for path in sorted(TEMPLATES.rglob("*.html")):
        digest.update(path.as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def digest(*parts: object) -> str:
    return data_digest(*parts, size=12)


def is_page_builder(app: Sphinx) -> bool:
    return app.builder is not None and app.builder.name in HTML_BUILDERS


def write_pages(
    app: Sphinx, pages: Sequence[Page], traits: Callable[[str], Hashable] | None = None
) -> None:
    """Render pages, in forked workers when the build runs with ``-j N``.

    ``traits`` tells what a page loads besides its parts (its frame's key, see
    :mod:`.frame`); without it every page goes through ``handle_page``. Each worker
    renders the frames of the kinds in its share of the pages.
    """
    builder: StandaloneHTMLBuilder = app.builder  # type: ignore[assignment]
    renderer = Renderer(builder, app, traits)
    nproc = app.parallel
    if can_fork(nproc, len(pages), PARALLEL_THRESHOLD):
        done: list[int] = []
        parts = chunked(pages, nproc * 4)
        progress = status_iterator(
            parts,
            "writing catalogue pages... ",
            "darkgreen",
            len(parts),
            app.verbosity,
            stringify_func=lambda part: f"{part[0].name} (+{len(part) - 1})",
        )
        run_chunks(renderer.write_chunk, progress, nproc, lambda _arg, n: done.append(n))
        logger.info("")
        if sum(done) != len(pages):  # pragma: no cover - a worker failed without raising
            msg = f"wrote {sum(done)} of {len(pages)} catalogue pages"
            raise RuntimeError(msg)
        return
    for page in status_iterator(
        pages,
        "writing catalogue pages... ",
        "darkgreen",
        len(pages),
        app.verbosity,
        stringify_func=lambda page: page.name,
    ):
        renderer.write(page)


def remove_stale(builder: StandaloneHTMLBuilder, names: Iterable[str]) -> None:
    """Delete the output of pages that no longer exist (a talk removed from the catalogue)."""
    outdir = Path(builder.outdir).resolve()
    for name in names:
        path = Path(builder.get_output_path(name)).resolve()
        if outdir not in path.parents or not path.is_file():
            continue
        path.unlink()
        if builder.name == "dirhtml":
            with contextlib.suppress(OSError):  # only if empty
                path.parent.rmdir()


def remove_removed_docs(
    app: Sphinx,
    env: BuildEnvironment,
    added: Set[str],
    changed: Set[str],
    removed: Set[str],
) -> list[str]:
    """Delete the pages of removed documents, and the folders that leaves empty.

    Sphinx never deletes the page of a document that was removed or renamed: after an
    incremental build the old page stayed in the output, was served by ``make serve`` and
    indexed by Pagefind. Deleting it when Sphinx reports the document removed makes an
    incremental build write what a clean build writes.
    """
    builder = app.builder
    if not isinstance(builder, StandaloneHTMLBuilder):
        return []
    outdir = Path(app.outdir).resolve()
    for docname in sorted(removed):
        page = Path(builder.get_outfilename(docname)).resolve()
        if outdir not in page.parents or not page.is_file():
            continue
        page.unlink()
        folder = page.parent
        while folder != outdir and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent
    return []


def all_written(builder: StandaloneHTMLBuilder, names: Iterable[str]) -> bool:
    """Whether every named page's output file is there (``os.path``: 38,000 pages)."""
    return all(os.path.isfile(output_path(builder, name)) for name in names)  # noqa: PTH113


def outdated_pages(
    builder: StandaloneHTMLBuilder,
    pages: Iterable[Page],
    state: State,
    global_stamp: str,
    full_sidebar: str,
) -> tuple[list[Page], dict[str, str]]:
    """The pages whose stamp changed or whose output is missing, and every page's stamp.

    ``full_sidebar`` is the stamp of the full sidebar's lists, which count for the pages
    that show them (``PageContext.full_sidebar``).
    """
    stamps: dict[str, str] = {}
    outdated: list[Page] = []
    everything = state.global_stamp != global_stamp
    with shared_digests():
        for page in pages:
            stamp = page.stamp()
            if page.context.full_sidebar:
                stamp += full_sidebar
            stamps[page.name] = stamp
            if (
                everything
                or state.pages.get(page.name) != stamp
                or not os.path.isfile(output_path(builder, page.name))  # noqa: PTH113
            ):
                outdated.append(page)
    return outdated, stamps


def environment_stamp(app: Sphinx, env: BuildEnvironment) -> str:
    """What every generated page depends on besides its own context."""

    builder = app.builder
    build_info = getattr(builder, "build_info", None)
    config_hash = getattr(build_info, "config_hash", "") if build_info else ""
    return digest(STATE_VERSION, builder.name, code_fingerprint(), templates_stamp(), config_hash)
