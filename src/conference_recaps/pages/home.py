"""The home page's live parts: the ``recaps-home`` directive.

Put it in ``index.md``::

    :::{recaps-home}
    :::

It shows the counts (conferences, talks, speakers, recaps), the latest recaps and the
conferences by year. What it shows comes from every recap and the whole catalogue, so the
directive leaves a placeholder that is filled when the page is written
(``doctree-resolved``), and the page is rewritten whenever what it shows changes
(:func:`home_stamp`), even if its own source did not.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes

from conference_recaps.directives.base import RecapsDirective
from conference_recaps.pages.generate import digest
from conference_recaps.pages.state import get_pages_domain
from conference_recaps.text import long_date
from conference_recaps.urls import catalogue_page, index_page

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from conference_recaps.pages.site import Site

#: How many recaps the home page lists.
HOME_RECAPS = 5


class home_placeholder(nodes.General, nodes.Element):  # type: ignore[misc]
    """Replaced by the home page's content when the page is written."""


class HomeDirective(RecapsDirective):
    """``recaps-home``: the latest recaps, conferences by year and counts."""

    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {}

    def run(self) -> list[nodes.Node]:
        get_pages_domain(self.env).note_home(self.env.docname)
        node = home_placeholder()
        self.set_source_info(node)
        return [node]


def home_data(site: Site) -> dict[str, Any]:
    """Everything the home page shows, as plain data (its digest decides rewrites)."""
    catalogue = site.catalogue
    return {
        "counts": (
            len(catalogue.conferences),
            len(catalogue.talks),
            len(catalogue.speakers),
            len(site.recaps),
        ),
        "latest": [
            (r.docname, r.title, r.date, r.conference, site.conference_name(r.conference or ""))
            for r in site.recaps[:HOME_RECAPS]
        ],
        "years": [
            (
                year,
                [
                    (c, catalogue.conferences[c].name)
                    for c in site.conferences_of_year.get(year, ())
                ],
            )
            for year in sorted(site.conferences_of_year, reverse=True)
        ],
    }


def home_stamp(site: Site) -> str:
    return digest(home_data(site))


def _link(builder: Any, fromdoc: str, target: str, text: str, anchor: str = "") -> nodes.reference:
    uri = builder.get_relative_uri(fromdoc, target)
    if anchor:
        uri += "#" + anchor
    return nodes.reference("", text, internal=True, refuri=uri or "./")


def home_nodes(site: Site, builder: Any, docname: str) -> list[nodes.Node]:
    """The home page's content as docutils nodes (the writer escapes every text)."""
    data = home_data(site)
    conferences, talks, speakers, recaps = data["counts"]
    container = nodes.container(classes=["recaps-home"])
    counts = nodes.paragraph(classes=["recaps-counts"])
    for n, (count, noun, target) in enumerate(
        (
            (conferences, "conferences", index_page("conference")),
            (talks, "talks", index_page("conference")),
            (speakers, "speakers", index_page("speaker")),
            (recaps, "recaps", index_page("year")),
        )
    ):
        if n:
            counts += nodes.Text(" · ")
        counts += _link(builder, docname, target, f"{count:,} {noun}")
    container += counts

    if data["latest"]:
        container += nodes.rubric("", "Latest recaps")
        latest = nodes.bullet_list(classes=["recaps-latest"])
        for doc, title, date, conference, conference_name in data["latest"]:
            para = nodes.paragraph()
            para += _link(builder, docname, doc, title)
            details = []
            if date:
                details.append(long_date(date))
            if conference and conference in site.catalogue.conferences:
                para += nodes.Text(" (")
                para += _link(
                    builder, docname, catalogue_page("conference", conference), conference_name
                )
                para += nodes.Text(f"{', ' + details[0] if details else ''})")
            elif details:
                para += nodes.Text(f" ({details[0]})")
            latest += nodes.list_item("", para)
        container += latest

    if data["years"]:
        container += nodes.rubric("", "Conferences by year")
        years = nodes.bullet_list(classes=["recaps-years"])
        for year, year_conferences in data["years"]:
            para = nodes.paragraph()
            para += _link(builder, docname, catalogue_page("year", year), str(year))
            if year_conferences:
                para += nodes.Text(": ")
                for n, (conference_id, name) in enumerate(year_conferences):
                    if n:
                        para += nodes.Text(", ")
                    para += _link(
                        builder, docname, catalogue_page("conference", conference_id), name
                    )
            years += nodes.list_item("", para)
        container += years
    return [container]


def setup_home(app: Sphinx) -> None:
    app.add_node(home_placeholder)
    app.add_directive("recaps-home", HomeDirective)
