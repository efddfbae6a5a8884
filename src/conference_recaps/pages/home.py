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
from sphinx.util.osutil import relative_uri

from conference_recaps.directives.base import RecapsDirective
from conference_recaps.pages.generate import digest
from conference_recaps.pages.state import get_pages_domain
from conference_recaps.text import long_date
from conference_recaps.urls import RECAPS_INDEX, catalogue_page, index_page

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from conference_recaps.pages.site import Site

#: How many recaps the home page shows.
HOME_RECAPS = 6
#: How many conferences, newest first (the rest are one click away).
HOME_CONFERENCES = 12


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
    conferences = sorted(
        catalogue.conferences.values(), key=lambda c: (c.start, c.id), reverse=True
    )
    return {
        "counts": (
            len(catalogue.conferences),
            len(catalogue.talks),
            len(catalogue.speakers),
            len(site.recaps),
        ),
        "latest": [
            (
                r.docname,
                r.title,
                r.date,
                r.authors,
                r.excerpt,
                r.image,
                r.image_alt,
                r.conference if r.conference in catalogue.conferences else None,
                site.conference_name(r.conference or ""),
            )
            for r in site.recaps[:HOME_RECAPS]
        ],
        "conferences": [
            (
                c.id,
                c.name,
                c.year,
                c.location,
                len(catalogue.talks_of_conference(c.id)),
                len(site.recaps_of_conference.get(c.id, ())),
            )
            for c in conferences[:HOME_CONFERENCES]
        ],
        "more_conferences": len(conferences) > HOME_CONFERENCES,
    }


def home_stamp(site: Site) -> str:
    return digest(home_data(site))


class search_box(nodes.General, nodes.Element):  # type: ignore[misc]
    """A search form that opens the search page with the words typed (``?q=``)."""


def _visit_search_box(self: Any, node: search_box) -> None:
    # Fixed markup; the only value is the search page's URL, escaped as an attribute.
    label = "Search talks, speakers, conferences and recaps"
    self.body.append(
        f'<form class="recaps-home-search" role="search" method="get" '
        f'action="{self.attval(node["action"])}">'
        f'<label class="recaps-visually-hidden" for="recaps-home-q">{label}</label>'
        f'<input id="recaps-home-q" type="search" name="q" placeholder="{label}" '
        f'autocomplete="off"><button type="submit">Search</button></form>'
    )
    raise nodes.SkipNode


def _link(
    builder: Any, fromdoc: str, target: str, text: str, *, anchor: str = "", classes: Any = ()
) -> nodes.reference:
    uri = builder.get_relative_uri(fromdoc, target)
    if anchor:
        uri += "#" + anchor
    return nodes.reference("", text, internal=True, refuri=uri or "./", classes=list(classes))


def _recap_card(builder: Any, docname: str, recap: tuple[Any, ...]) -> nodes.container:
    doc, title, date, authors, excerpt, image, image_alt, conference, conference_name = recap
    card = nodes.container(classes=["recaps-rcard"] + (["recaps-rcard-image"] if image else []))
    if image:
        # A URL relative to the page; '?' marks it as not to be copied again (it is
        # already in _images/, copied with the recap).
        uri = relative_uri(builder.get_target_uri(docname), image)
        # The photo's own alt text: the home page's images are checked like any other.
        card += nodes.image(
            uri=uri, alt=image_alt or title, candidates={"?": uri}, classes=["recaps-rcard-img"]
        )
    body = nodes.container(classes=["recaps-rcard-body"])
    heading = nodes.paragraph(classes=["recaps-rcard-title"])
    heading += _link(builder, docname, doc, title, classes=["recaps-stretched"])
    body += heading
    meta = nodes.paragraph(classes=["recaps-rcard-meta"])
    parts = []
    if conference:
        parts.append(conference_name)
    if date:
        parts.append(long_date(date))
    if authors:
        parts.append("by " + ", ".join(authors))
    meta += nodes.Text(" · ".join(parts))
    body += meta
    if excerpt:
        body += nodes.paragraph("", excerpt, classes=["recaps-rcard-excerpt"])
    card += body
    return card


def _conference_card(builder: Any, docname: str, row: tuple[Any, ...]) -> nodes.container:
    ident, name, year, location, talks, recaps = row
    card = nodes.container(classes=["recaps-ccard"])
    heading = nodes.paragraph(classes=["recaps-ccard-title"])
    heading += _link(
        builder, docname, catalogue_page("conference", ident), name, classes=["recaps-stretched"]
    )
    card += heading
    card += nodes.paragraph(
        "", " · ".join(str(p) for p in (year, location) if p), classes=["recaps-ccard-meta"]
    )
    numbers = f"{talks:,} talk{'s' if talks != 1 else ''}"
    if recaps:
        numbers += f" · {recaps} recap{'s' if recaps != 1 else ''}"
    card += nodes.paragraph("", numbers, classes=["recaps-ccard-numbers"])
    return card


def home_nodes(site: Site, builder: Any, docname: str) -> list[nodes.Node]:
    """The home page's content as docutils nodes (the writer escapes every text)."""
    data = home_data(site)
    conferences, talks, speakers, recaps = data["counts"]
    container = nodes.container(classes=["recaps-home"])
    container += search_box(action=builder.get_relative_uri(docname, "search"))
    counts = nodes.bullet_list(classes=["recaps-stats", "recaps-counts"])
    for count, noun, target in (
        (talks, "talk", index_page("talk")),
        (conferences, "conference", index_page("conference")),
        (speakers, "speaker", index_page("speaker")),
        (recaps, "recap", RECAPS_INDEX),
    ):
        item = nodes.paragraph()
        item += _link(builder, docname, target, f"{count:,} {noun}{'' if count == 1 else 's'}")
        counts += nodes.list_item("", item)
    container += counts
    if data["latest"]:
        container += nodes.rubric("", "Latest recaps", classes=["recaps-home-heading"])
        cards = nodes.container(classes=["recaps-rcards"])
        for recap in data["latest"]:
            cards += _recap_card(builder, docname, recap)
        container += cards
        more = nodes.paragraph(classes=["recaps-more"])
        more += _link(builder, docname, RECAPS_INDEX, "All recaps")
        container += more
    if data["conferences"]:
        container += nodes.rubric("", "Conferences", classes=["recaps-home-heading"])
        cards = nodes.container(classes=["recaps-ccards"])
        for row in data["conferences"]:
            cards += _conference_card(builder, docname, row)
        container += cards
        if data["more_conferences"]:
            more = nodes.paragraph(classes=["recaps-more"])
            more += _link(builder, docname, index_page("conference"), "All conferences")
            container += more
    return [container]


def _depart_search_box(self: Any, node: search_box) -> None:
    pass


def setup_home(app: Sphinx) -> None:
    app.add_node(home_placeholder)
    app.add_node(search_box, html=(_visit_search_box, _depart_search_box))
    app.add_directive("recaps-home", HomeDirective)
