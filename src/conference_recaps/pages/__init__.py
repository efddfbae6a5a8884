"""A page for every talk, speaker, conference, year and tag, and a sidebar that scales.

The pages and their URLs (``dirhtml``; see ``DESIGN.md``):

=================================  =========================================================
``/conferences/<conference-id>/``  the conference, its talks by day and kind, its recaps
``/talks/<conference-id>/<slug>/`` one talk, the recaps that mention it, previous and next
``/speakers/<speaker-id>/``        a speaker's talks across conferences
``/years/<yyyy>/``                 the year's conferences and recaps
``/tags/<tag>/``                   the talks and recaps with the tag
``/conferences/``, ``/speakers/``,  indexes
``/years/``, ``/tags/``
=================================  =========================================================

How a build goes (each step in its own module):

1. After reading (``env-get-updated``), :class:`~.site.Site` indexes the catalogue and
   the Domain once; each family (:mod:`.talk`, :mod:`.speaker`, :mod:`.conference`,
   :mod:`.archives`) makes its :class:`~.generate.Page` objects, and the sidebar
   (:mod:`.navigation`) is rendered once. Sphinx documents whose sidebar or home page
   content changed are sent to be rewritten.
2. Every page written, document or generated, gets the sidebar with its own links marked
   (``html-page-context``).
3. On ``html-collect-pages``, only pages whose fingerprint changed (or whose file is
   missing) are rendered, in parallel with ``-j N`` (:mod:`.generate`).
4. When the build succeeded, the fingerprints are saved for the next one.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING, Any

from conference_recaps.domain import get_catalogue
from conference_recaps.forks import can_fork, run_chunks
from conference_recaps.inputs import pages_inputs
from conference_recaps.page_parts import FRAME_MARK, FrameMark, page_part
from conference_recaps.pages import generate
from conference_recaps.pages.archives import tag_index, tag_pages, year_index, year_pages
from conference_recaps.pages.conference import conference_index, conference_pages
from conference_recaps.pages.contexts import ConferencePageContext, TalkPageContext
from conference_recaps.pages.generate import (
    Page,
    State,
    all_written,
    environment_stamp,
    is_page_builder,
    outdated_pages,
    remove_removed_docs,
    remove_stale,
    write_pages,
)
from conference_recaps.pages.home import home_nodes, home_placeholder, home_stamp, setup_home
from conference_recaps.pages.lifecycle import (
    redirect_pages,
    tombstone_pages,
    write_redirect_rules,
)
from conference_recaps.pages.listings import recaps_index, talks_index
from conference_recaps.pages.navigation import THEME_TEMPLATES, Sidebar
from conference_recaps.pages.site import Site
from conference_recaps.pages.speaker import speaker_index, speaker_pages
from conference_recaps.pages.state import PagesDomain, get_pages_domain
from conference_recaps.pages.talk import talk_pages
from conference_recaps.pages.video import add_player_assets
from conference_recaps.urls import catalogue_page, page_exists

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence

    from docutils import nodes
    from sphinx.application import Sphinx
    from sphinx.builders.html import StandaloneHTMLBuilder
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment


def all_pages(
    site: Site, target_uri: Callable[[str], str], shares: Sequence[int] = (0, 1)
) -> Iterator[Page]:
    """Every generated page, family by family (``target_uri`` is the builder's).

    The pages fall in two :data:`SHARES` of about equal work (most talk pages; the rest
    of them and the other families): ``shares`` picks which to make, for the two workers
    of :meth:`PageBuild.outdated`.
    """
    first, rest = _talk_shares(site)
    if 1 in shares:
        yield from conference_pages(site)
    if 0 in shares:
        yield from talk_pages(site, first)
    if 1 in shares:
        yield from talk_pages(site, rest)
        yield from speaker_pages(site)
        yield from year_pages(site)
        yield from tag_pages(site)
        yield from tombstone_pages(site)
        yield from redirect_pages(site, target_uri)
        yield conference_index(site)
        yield speaker_index(site)
        yield year_index(site)
        yield tag_index(site)
        yield recaps_index(site)
        yield talks_index(site)


#: The shares of :func:`all_pages`: most talk pages, and the others.
SHARES = ((0,), (1,))
#: The part of the talk pages in the first share. The other families cost about two
#: thirds of what the talk pages do: with the talk pages alone in the first share, its
#: worker took 6.5 s of a talk edit at pyvideo.org's scale and the other 3.9 s; with a
#: fifth of them in the second, 4.7 s and 3.7 s.
TALK_SHARE = 0.8


def _talk_shares(site: Site) -> tuple[list[str], list[str]]:
    """The conferences whose talk pages are in the first share, and the others."""
    catalogue = site.catalogue
    total = len(catalogue.talks)
    first: list[str] = []
    rest: list[str] = []
    counted = 0
    for conference_id in catalogue.conferences:
        if counted < TALK_SHARE * total:
            first.append(conference_id)
            counted += len(catalogue.talks_of_conference(conference_id))
        else:
            rest.append(conference_id)
    return first, rest


def current_of(page: Page) -> tuple[tuple[str, ...], int | None]:
    """The sidebar entries a generated page marks current, and the year it opens."""
    parents, year = page.context.sidebar_place()
    if year is not None:
        parents = (*parents, catalogue_page("year", year))
    return (page.name, *parents), year


class PageBuild:
    """One Sphinx application's page generation: the state between its events."""

    def __init__(self) -> None:
        self.state = State()
        self.state_path: Path | None = None
        self.site: Site | None = None
        self.pages: list[Page] = []
        self.sidebar: Sidebar | None = None
        self.current: dict[str, tuple[tuple[str, ...], int | None]] = {}
        self.compact: set[str] = set()
        self.players: dict[str, str] = {}
        self.filtered: set[str] = set()
        self.relations: dict[str, list[str | None]] | None = None
        self.shared: dict[str, str] = {}
        self.next_state: State | None = None

    def builder_inited(self, app: Sphinx) -> None:
        if not is_page_builder(app):
            return
        self.state_path = Path(app.doctreedir) / f"recaps-pages.{app.builder.name}.pickle"
        self.state = State.load(self.state_path)

    def prepare(self, app: Sphinx, env: BuildEnvironment) -> None:
        """Index the site and render the sidebar (once per build).

        The pages themselves are made only when they are written (:meth:`make_pages`):
        a build whose inputs did not change has none to write.
        """
        self.site = site = Site.of(env)
        self.pages = []
        self.current, self.players, self.filtered, self.compact = {}, {}, set(), set()
        self.sidebar = Sidebar(site, env, app.builder)
        self.shared = {
            "sidebar": self.sidebar.stamp(),
            "compact_sidebar": self.sidebar.compact_stamp(),
            "home": home_stamp(site),
        }

    def make_pages(self, app: Sphinx) -> None:
        """Make every page, and what the html-page-context handler needs of them."""
        assert self.site is not None
        self.keep_pages(list(all_pages(self.site, app.builder.get_target_uri)))

    def outdated(self, app: Sphinx, global_stamp: str) -> tuple[list[Page], dict[str, str]]:
        """The pages to write and every page's stamp; :attr:`pages` are those to write.

        Making every page's context and stamp to find the few an edit changed was a
        third of a talk edit at pyvideo.org's scale, on one core: with ``-j N``, two
        forked workers make a share of the families each and send back the stamps and
        the pages to write. When every page is to be written (the code or the templates
        changed), they are made here, where the workers that write them can share them.
        """
        builder: StandaloneHTMLBuilder = app.builder  # type: ignore[assignment]
        state = self.state
        sidebar = self.shared["sidebar"]
        known = len(state.pages)
        # The module's value, which the tests lower to fork for a few pages.
        if state.global_stamp != global_stamp or not can_fork(
            app.parallel, known, generate.PARALLEL_THRESHOLD
        ):
            self.make_pages(app)
            return outdated_pages(builder, self.pages, state, global_stamp, sidebar)
        site = self.site
        assert site is not None
        target_uri = builder.get_target_uri

        def work(share: Sequence[int]) -> tuple[list[Page], dict[str, str]]:
            pages = all_pages(site, target_uri, share)
            return outdated_pages(builder, pages, state, global_stamp, sidebar)

        found: dict[int, tuple[list[Page], dict[str, str]]] = {}

        def done(share: Sequence[int], result: tuple[list[Page], dict[str, str]]) -> None:
            found[share[0]] = result

        run_chunks(work, SHARES, min(app.parallel, len(SHARES)), done)
        outdated = [page for share in sorted(found) for page in found[share][0]]
        stamps = {name: stamp for share in sorted(found) for name, stamp in found[share][1].items()}
        self.keep_pages(outdated)
        return outdated, stamps

    def keep_pages(self, pages: list[Page]) -> None:
        """Keep ``pages``, and what the html-page-context handler needs of them."""
        self.pages = pages
        self.current = {page.name: current_of(page) for page in self.pages}
        #: Pages with the compact sidebar.
        self.compact = {page.name for page in self.pages if not page.context.full_sidebar}
        #: Talk pages with a video player, and its host kind.
        self.players = {
            page.name: page.context.video.kind
            for page in self.pages
            if isinstance(page.context, TalkPageContext) and page.context.video is not None
        }
        #: Pages with a filterable talk grid.
        self.filtered = {p.name for p in self.pages if isinstance(p.context, ConferencePageContext)}

    def env_get_updated(self, app: Sphinx, env: BuildEnvironment) -> list[str]:
        """Documents to rewrite (not re-read) because the sidebar or the home page changed."""
        if not is_page_builder(app):
            return []
        self.prepare(app, env)
        old = self.state.shared
        if old.get("sidebar") != self.shared["sidebar"]:
            return sorted(env.found_docs)
        if old.get("home") != self.shared["home"]:
            return [d for d in get_pages_domain(env).home_docs() if d in env.found_docs]
        return []

    @page_part("recaps_sidebar")
    def page_sidebar(
        self,
        app: Sphinx,
        pagename: str,
        templatename: str,
        context: dict[str, Any],
        doctree: nodes.document | None,
    ) -> None:
        """Give every page its sidebar, with its own entries marked current."""
        if not is_page_builder(app):
            return
        if self.sidebar is None or self.site is None:
            self.prepare(app, app.env)
        assert self.sidebar is not None and self.site is not None
        current, year = self.current.get(pagename) or self._doc_current(pagename)
        context["recaps_sidebar"] = self.sidebar.html(
            context["content_root"], current, year, full=pagename not in self.compact
        )

    def page_context(
        self,
        app: Sphinx,
        pagename: str,
        templatename: str,
        context: dict[str, Any],
        doctree: nodes.document | None,
    ) -> None:
        """The scripts a page's family loads, and previous and next within the section."""
        if not is_page_builder(app):
            return
        # A frame (pages/frame.py) loads what the pages of its kind load.
        frame: FrameMark | None = context.get(FRAME_MARK)
        page = frame.page if frame is not None else pagename
        if page in self.players:
            add_player_assets(app, self.players[page])
        if page in self.filtered:
            # Sphinx restores its list of scripts after each page: only these pages get it.
            app.add_js_file("recaps-filter.js", loading_method="defer")
        if doctree is not None:
            self._keep_within_section(app, pagename, context)

    def frame_traits(self, pagename: str) -> tuple[str | None, bool]:
        """What :meth:`page_context` adds to a generated page: part of its frame's key."""
        return self.players.get(pagename), pagename in self.filtered

    def _keep_within_section(self, app: Sphinx, pagename: str, context: dict[str, Any]) -> None:
        """Previous and next stay within the reader's pages, or within the guide."""
        assert self.sidebar is not None
        if self.relations is None:
            self.relations = app.env.collect_relations()
        _parent, before, after = (self.relations.get(pagename) or [None, None, None])[:3]
        in_guide = self.sidebar.is_guide(pagename)
        for key, other in (("prev", before), ("next", after)):
            if other is not None and self.sidebar.is_guide(other) != in_guide:
                context[key] = None

    def _doc_current(self, docname: str) -> tuple[tuple[str, ...], int | None]:
        assert self.site is not None
        recap = self.site.recap_by_doc.get(docname)
        if recap is None:
            return (docname,), None
        conference = self.site.catalogue.conferences.get(recap.conference or "")
        if conference is None:
            year = recap.year or (recap.date.year if recap.date else None)
            return (docname,), year
        return (
            docname,
            catalogue_page("conference", conference.id),
            catalogue_page("year", conference.year),
        ), conference.year

    def fill_home(self, app: Sphinx, doctree: nodes.document, docname: str) -> None:
        placeholders = list(doctree.findall(home_placeholder))
        if not placeholders:
            return
        if self.site is None:
            self.site = Site.of(app.env)
        for node in placeholders:
            if is_page_builder(app) or app.builder.format == "html":
                node.replace_self(home_nodes(self.site, app.builder, docname))
            else:
                node.replace_self([])

    def collect_pages(self, app: Sphinx) -> list[tuple[str, dict[str, Any], str]]:
        """Write the pages whose fingerprint changed; Sphinx gets nothing left to write."""
        if not is_page_builder(app):
            return []
        if self.site is None:
            self.prepare(app, app.env)
        builder: StandaloneHTMLBuilder = app.builder  # type: ignore[assignment]
        assert self.site is not None
        # What every page shows; the full sidebar's lists count in the stamps of the
        # pages that show them (outdated_pages).
        global_stamp = environment_stamp(app, app.env) + self.shared["compact_sidebar"]
        inputs = pages_inputs(app, self.site)
        state = self.state
        if (
            state.inputs == inputs
            and state.global_stamp == global_stamp
            and state.shared.get("sidebar") == self.shared["sidebar"]
            and all_written(builder, state.pages)
        ):
            # Nothing any page is made from changed, and every page is there.
            self.next_state = dataclasses.replace(state, shared=self.shared)
            return []
        outdated, stamps = self.outdated(app, global_stamp)
        remove_stale(builder, set(state.pages) - set(stamps))
        write_pages(app, outdated, self.frame_traits)
        write_redirect_rules(builder, self.site.catalogue)
        self.next_state = State(
            global_stamp=global_stamp, pages=stamps, inputs=inputs, shared=self.shared
        )
        return []

    def build_finished(self, app: Sphinx, exception: BaseException | None) -> None:
        if exception is not None or self.next_state is None or self.state_path is None:
            return
        self.next_state.save(self.state_path)
        self.state, self.next_state = self.next_state, None
        self.site = self.sidebar = None
        self.relations = None


def _page_exists(app: Sphinx, kind: str, ident: str) -> bool | None:
    """Answer ``recaps-page-exists`` for links from cards and roles (None: not ours)."""
    if not is_page_builder(app) or kind not in ("talk", "speaker", "conference"):
        return None
    return page_exists(get_catalogue(app.env), kind, ident) or None


def _add_templates(app: Sphinx, config: Config) -> None:
    """Let ``html_sidebars`` name ``recaps-sidebar-nav.html``."""
    path = str(THEME_TEMPLATES)
    if path not in config.templates_path:
        # A new list: the default one is shared by every Sphinx app in the process.
        config.templates_path = [*config.templates_path, path]


def setup_pages(app: Sphinx) -> None:
    """Generate the catalogue pages and the sidebar for the html and dirhtml builders."""
    app.add_domain(PagesDomain)
    setup_home(app)
    build = PageBuild()
    app.connect("config-inited", _add_templates)
    app.connect("builder-inited", build.builder_inited)
    app.connect("env-get-outdated", remove_removed_docs)
    app.connect("env-get-updated", build.env_get_updated)
    # One after the other, where the single handler was: the theme's handlers (500 too)
    # see the sidebar as before.
    app.connect("html-page-context", build.page_sidebar)
    app.connect("html-page-context", build.page_context)
    app.connect("doctree-resolved", build.fill_home)
    app.connect("html-collect-pages", build.collect_pages)
    app.connect("build-finished", build.build_finished)
    app.connect("recaps-page-exists", _page_exists)
