"""The sidebar: rendered once per build, marked per page with string substitution.

sphinx-book-theme renders its sidebar for every page from the whole toctree (and
re-parses it with BeautifulSoup), so a build's cost grows with pages x pages. This
sidebar is rendered once per build from :class:`~conference_recaps.pages.site.Site`:
conferences by year, the latest recaps, the archives and the contributor docs. Per page
the work is three string substitutions: links are written relative to the site root
behind a placeholder that becomes the page's ``content_root``; the year of the page is
expanded into its conferences (each year's list is rendered once, when first needed);
and the page and its parents (a talk's conference and year) are marked current.

The pages of one talk, speaker or tag show a compact sidebar, without the years and the
latest recaps (:attr:`~.contexts.PageContext.full_sidebar`); every other page shows the
full one. So a change to the lists (a recap added or retitled, a new conference) must
rewrite every page that shows them, Sphinx documents included (Sphinx alone would not:
sphinx#5506), and only those. :meth:`Sidebar.stamp` and :meth:`Sidebar.compact_stamp`
are the digests that decide it.

``conf.py`` selects it in place of the theme's navigation::

    html_sidebars = {"**": ["navbar-logo.html", "icon-links.html",
                            "search-button-field.html", "recaps-sidebar-nav.html"]}
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from conference_recaps.config import get_config
from conference_recaps.pages.generate import TEMPLATES, body_environment, digest
from conference_recaps.urls import RECAPS_INDEX, catalogue_page, index_page

if TYPE_CHECKING:
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment

    from conference_recaps.pages.site import Site

#: The sidebar template that ``html_sidebars`` names.
SIDEBAR_TEMPLATE = "recaps-sidebar-nav.html"
#: The theme-level templates folder (added to ``templates_path``).
THEME_TEMPLATES = TEMPLATES / "theme"
#: How many recaps the sidebar lists; the year pages list them all.
LATEST_RECAPS = 10

_ROOT = "\x01root\x01"
_MARK = re.compile("\x02[^\x03]*\x03")
_YEAR_SLOT = re.compile("\x04[0-9]+\x05")


def _mark(pagename: str) -> str:
    return f"\x02{pagename}\x03"


def _year_slot(year: int) -> str:
    return f"\x04{year}\x05"


class Sidebar:
    """The site's navigation for one build."""

    def __init__(self, site: Site, env: BuildEnvironment, builder: Builder) -> None:
        self.site = site
        self.builder = builder
        self.jinja = body_environment()
        self.root_doc = env.config.root_doc
        settings = get_config(env.config)
        self.guide_doc = settings.guide if settings.guide in env.all_docs else None
        #: The contributor guide's pages: they get the guide's navigation, not the reader's.
        self.guide_pages = self._descendants(env, self.guide_doc) if self.guide_doc else set()
        self.guide = self._guide_tree(env)
        self.about = self._about_docs(env)
        self.latest = [{"doc": r.docname, "title": r.title} for r in site.recaps[:LATEST_RECAPS]]
        # Only years with a conference: a year of recaps alone is under Browse > Years.
        self.years = [
            {"year": y, "page": catalogue_page("year", y)}
            for y in sorted(site.conferences_of_year, reverse=True)
        ]
        self.conferences_of_year = {
            year: [
                {
                    "page": catalogue_page("conference", c),
                    "name": site.catalogue.conferences[c].name,
                }
                for c in conferences
            ]
            for year, conferences in site.conferences_of_year.items()
        }
        self.home_title = site.doc_title(self.root_doc)
        self._year_html: dict[int, str] = {}
        guide_home = (
            {"doc": self.guide_doc, "title": self.site.doc_title(self.guide_doc)}
            if self.guide_doc
            else None
        )
        self._guide_base = self._render(
            "sidebar_guide.html",
            home={"doc": self.root_doc, "title": self.home_title},
            guide_home=guide_home,
            guide=self.guide,
        )
        common = {
            "home": {"doc": self.root_doc, "title": self.home_title},
            "all_recaps": RECAPS_INDEX,
            "indexes": [
                {"page": index_page("talk"), "title": "All talks"},
                {"page": RECAPS_INDEX, "title": "All recaps"},
                {"page": index_page("conference"), "title": "All conferences"},
                {"page": index_page("speaker"), "title": "Speakers"},
                {"page": index_page("year"), "title": "Years"},
                {"page": index_page("tag"), "title": "Tags"},
            ],
            "about": self.about,
            "guide_home": guide_home,
            "year_slot": _year_slot,
        }
        self._base = self._render(
            "sidebar.html",
            years=self.years,
            latest=self.latest,
            more_recaps=len(site.recaps) > LATEST_RECAPS,
            **common,
        )
        #: Without the years and the latest recaps (``PageContext.full_sidebar``).
        self._compact = self._render(
            "sidebar.html", years=[], latest=[], more_recaps=False, **common
        )

    def _descendants(self, env: BuildEnvironment, docname: str) -> set[str]:
        found, todo = {docname}, [docname]
        while todo:
            for child in env.toctree_includes.get(todo.pop(), []):
                if child not in found and child in env.all_docs:
                    found.add(child)
                    todo.append(child)
        return found

    def _guide_tree(self, env: BuildEnvironment) -> list[dict[str, Any]]:
        """The guide's pages, two levels deep, for the guide's own navigation."""
        if self.guide_doc is None:
            return []
        return [
            {
                "doc": child,
                "title": self.site.doc_title(child),
                "children": [
                    {"doc": grandchild, "title": self.site.doc_title(grandchild)}
                    for grandchild in env.toctree_includes.get(child, [])
                    if grandchild in env.all_docs
                ],
            }
            for child in env.toctree_includes.get(self.guide_doc, [])
            if child in env.all_docs
        ]

    def _about_docs(self, env: BuildEnvironment) -> list[dict[str, Any]]:
        """The root document's other toctree entries: not recaps, not the guide."""
        recaps = self.site.recap_by_doc
        recaps_dir = get_config(env.config).recaps_dir.strip("/") + "/"
        return [
            {"doc": docname, "title": self.site.doc_title(docname)}
            for docname in env.toctree_includes.get(self.root_doc, [])
            if docname not in recaps
            and not docname.startswith(recaps_dir)
            and docname in env.all_docs
            and docname not in self.guide_pages
        ]

    def is_guide(self, pagename: str) -> bool:
        return pagename in self.guide_pages

    def _url(self, target: str) -> str:
        return _ROOT + self.builder.get_target_uri(target)

    def _render(self, template: str, **context: Any) -> str:
        return self.jinja.get_template(template).render(context, url=self._url, mark=_mark)

    def stamp(self) -> str:
        """A digest of everything the sidebar can show."""
        return digest(
            self.compact_stamp(),
            self.latest,
            len(self.site.recaps) > LATEST_RECAPS,
            self.years,
            self.conferences_of_year,
        )

    def compact_stamp(self) -> str:
        """A digest of everything the compact sidebar shows (see :meth:`html`)."""
        return digest(
            self.home_title,
            self.guide_doc,
            self.guide,
            self.about,
            self.site.doc_title(self.guide_doc) if self.guide_doc else "",
        )

    def year_html(self, year: int) -> str:
        html = self._year_html.get(year)
        if html is None:
            html = self._render(
                "sidebar_year.html", conferences=self.conferences_of_year.get(year, [])
            )
            self._year_html[year] = html
        return html

    def html(
        self, content_root: str, current: tuple[str, ...], year: int | None, *, full: bool = True
    ) -> str:
        """The sidebar of one page: its year open, it and its parents marked current.

        The contributor guide's pages get the guide's navigation instead; a page that is
        not ``full`` gets the sidebar without the years and the latest recaps.
        """
        if current and self.is_guide(current[0]):
            html = self._guide_base
        else:
            html = self._base if full else self._compact
        if year is not None:
            html = html.replace(_year_slot(year), self.year_html(year), 1)
        for pagename in current:
            html = html.replace(_mark(pagename), " current active")
        html = _YEAR_SLOT.sub("", _MARK.sub("", html))
        return html.replace(_ROOT, content_root)
