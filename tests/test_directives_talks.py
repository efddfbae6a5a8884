"""talk-card, talk-grid and the {talk} and {speaker} roles, in MyST and reStructuredText."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from bs4 import BeautifulSoup, Tag
from docutils import nodes
from sphinx.util.console import strip_colors

from conference_recaps.domain import Mention, get_domain, mentions_of

if TYPE_CHECKING:
    from sphinx.testing.util import SphinxTestApp

REGRESSION = Path(__file__).parent / "regression"


def soup(app: SphinxTestApp, docname: str) -> BeautifulSoup:
    return BeautifulSoup((app.outdir / f"{docname}.html").read_text(), "html.parser")


def warnings(app: SphinxTestApp) -> list[str]:
    prefix = str(app.srcdir) + os.sep
    return [
        line.replace(prefix, "")
        for line in strip_colors(app.warning.getvalue()).splitlines()
        if line.strip()
    ]


def check_regression(name: str, text: str) -> None:
    """Compare with tests/regression/<name>; RECAPS_REGENERATE=1 rewrites the file."""
    path = REGRESSION / name
    if os.environ.get("RECAPS_REGENERATE"):
        path.write_text(text, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == text


def body_pformat(app: SphinxTestApp, docname: str) -> str:
    doctree = app.env.get_doctree(docname)
    for reference in doctree.findall(nodes.reference):
        # reST names its `text <url>`__ links, MyST does not: docutils' difference, not ours.
        reference.attributes.pop("name", None)
    section = next(iter(doctree.findall(nodes.section)))
    return section.pformat()


@pytest.mark.sphinx("html", testroot="cards", freshenv=True)
def test_errors_are_one_warning_each(app: SphinxTestApp) -> None:
    app.build()
    assert warnings(app) == [
        "recaps/errors.md:3: WARNING: unknown talk 'djangocon-us-2019/no-such-talk': use an "
        "id from the catalogue's talks list, or add the talk to talks.yaml [recaps.talk_ref]",
        "recaps/errors.md:6: WARNING: unknown speaker 'nobody': use an id from the "
        "catalogue's speakers list, or add the speaker to talks.yaml [recaps.speaker_ref]",
        "recaps/errors.md:6: WARNING: unknown talk 'nope/nope': use an id from the "
        "catalogue's talks list, or add the talk to talks.yaml [recaps.talk_ref]",
        "recaps/errors.md:8: WARNING: talk-grid: unknown conference 'no-such-conference': use "
        "an id from the catalogue's conferences list, or add the conference to talks.yaml "
        "[recaps.conference_ref]",
        "recaps/errors.md:12: WARNING: talk-grid matches no talk (kind=keynote, year=2018): "
        "check the filters against talks.yaml [recaps.grid_empty]",
        "recaps/errors.md:17: WARNING: talk-grid: unknown kind 'plenary': use one of talk, "
        "keynote, tutorial, workshop, panel, lightning, sprint [recaps.option]",
        "recaps/errors.md:17: WARNING: talk-grid: invalid year '19': use four digits, e.g. "
        "2019 [recaps.option]",
    ]
    page = soup(app, "recaps/errors")
    # The build went on: the unknown ids keep their text, unlinked.
    unknown = [span.get_text() for span in page.select("span.recaps-unknown")]
    assert unknown == ["nobody", "Some talk"]
    assert not page.select(".recaps-card, .recaps-grid")


@pytest.mark.sphinx("html", testroot="cards")
def test_card_shows_the_talk(app: SphinxTestApp) -> None:
    app.build()
    page = soup(app, "recaps/card-md")
    card = page.select_one("#talk-djangocon-us-2019-just-add-await")
    assert isinstance(card, Tag)
    assert "recaps-card" in card["class"]
    title = card.select_one(".recaps-card-title")
    assert title is not None
    assert title.get_text() == "Just Add Await: Retrofitting Async Into Django"
    speakers = card.select_one(".recaps-card-speakers")
    assert speakers is not None
    assert speakers.get_text() == "Andrew Godwin"
    meta = card.select_one(".recaps-card-meta")
    assert meta is not None
    assert meta.get_text() == "Talk · DjangoCon US 2019 · 25 September 2019"
    notes = card.select_one(".recaps-card-notes")
    assert notes is not None
    assert notes.select_one("strong").get_text() == "async views"  # type: ignore[union-attr]
    assert [li.get_text() for li in notes.select("li")] == ["one", "two"]
    links = {a.get_text(): a["href"] for a in card.select(".recaps-card-links a")}
    assert links == {
        "Video": "https://www.youtube.com/watch?v=d9BAUBEyFgM",
        "Talk page": "../talks/djangocon-us-2019/just-add-await.html",
    }
    keynote = page.select_one("#talk-djangocon-us-2019-keynote")
    assert keynote is not None
    assert keynote.select_one(".recaps-card-notes") is None
    assert [a["href"] for a in keynote.select(".recaps-card-links a")] == [
        "https://example.org/slides.pdf",
        "../talks/djangocon-us-2019/keynote.html",
    ]


@pytest.mark.sphinx("html", testroot="cards")
def test_catalogue_text_is_escaped_and_unsafe_urls_dropped(app: SphinxTestApp) -> None:
    app.build()
    page = soup(app, "recaps/grid")
    card = page.select_one(".recaps-kind-lightning.recaps-card")
    assert card is not None
    assert card.find("script") is None and card.find("b") is None and card.find("i") is None
    title = card.select_one(".recaps-card-title")
    assert title is not None
    assert title.get_text() == "<b>Bold</b> & <i>brave</i>"
    assert [a.get_text() for a in card.select(".recaps-card-links a")] == ["Talk page"]


@pytest.mark.sphinx("html", testroot="cards")
def test_grid_filters_combine_and_sort(app: SphinxTestApp) -> None:
    app.build()
    page = soup(app, "recaps/grid")
    grids = page.select(".recaps-grid")
    titles = [[t.get_text() for t in grid.select(".recaps-card-title")] for grid in grids]
    assert titles == [
        # conference + tag: by date, then title.
        ["Keynote: Why Django Sucks", "Just Add Await: Retrofitting Async Into Django"],
        # speaker + year: the undated PyCon talk takes its conference's year, sorts last.
        [
            "<b>Bold</b> & <i>brave</i>",
            "Just Add Await: Retrofitting Async Into Django",
            "The state of async",
        ],
    ]


@pytest.mark.sphinx("html", testroot="cards")
def test_roles_link_text_and_record_mentions(app: SphinxTestApp) -> None:
    app.build()
    page = soup(app, "recaps/roles")
    paragraph = page.select_one("section p")
    assert paragraph is not None
    assert paragraph.get_text() == "Talk The state of async by Andrew."
    talk = "pycon-us-2019/async-state"
    assert mentions_of(app.env, "talk", talk) == [
        Mention("recaps/grid", "talk", talk, "talk-pycon-us-2019-async-state", "grid"),
        Mention("recaps/roles", "talk", talk, "mention-pycon-us-2019-async-state", "link"),
    ]
    speaker = mentions_of(app.env, "speaker", "andrew-godwin")
    assert [(m.docname, m.anchor) for m in speaker] == [
        ("recaps/card-md", "mention-andrew-godwin"),
        ("recaps/card-rst", "mention-andrew-godwin"),
        ("recaps/roles", "mention-andrew-godwin"),
    ]
    cards = mentions_of(app.env, "talk", "djangocon-us-2019/just-add-await")
    assert [(m.docname, m.how) for m in cards] == [
        ("recaps/card-md", "card"),
        ("recaps/card-md", "link"),
        ("recaps/card-md", "link"),
        ("recaps/card-rst", "card"),
        ("recaps/card-rst", "link"),
        ("recaps/card-rst", "link"),
        ("recaps/grid", "grid"),
        ("recaps/grid", "grid"),
    ]
    # Every anchor is on the page.
    for mention in cards:
        assert soup(app, mention.docname).find(id=mention.anchor), mention


@pytest.mark.sphinx("html", testroot="cards")
def test_myst_and_rst_give_the_same_doctree(app: SphinxTestApp) -> None:
    app.build()
    markdown = body_pformat(app, "recaps/card-md")
    assert markdown == body_pformat(app, "recaps/card-rst")
    check_regression("talk-card.xml", markdown)


@pytest.mark.sphinx("html", testroot="cards")
def test_uses_record_what_each_page_shows(app: SphinxTestApp) -> None:
    app.build()
    uses = get_domain(app.env).table("uses")
    assert set(uses["recaps/roles"]) == {
        "talk:pycon-us-2019/async-state",
        "speaker:andrew-godwin",
    }
    assert uses["recaps/errors"]["talk:djangocon-us-2019/no-such-talk"] == ""
    assert "query:conference=djangocon-us-2019&tag=async" in uses["recaps/grid"]


@pytest.mark.sphinx("dirhtml", testroot="cards", freshenv=True)
def test_links_only_reach_pages_that_exist(app: SphinxTestApp) -> None:
    generated = {("talk", "djangocon-us-2019/just-add-await"), ("speaker", "andrew-godwin")}
    # Answer before the page generator does: only these two pages exist.
    app.connect(
        "recaps-page-exists",
        lambda _app, kind, ident: (kind, ident) in generated,
        priority=1,
    )
    app.build()
    page = BeautifulSoup((app.outdir / "recaps/card-md/index.html").read_text(), "html.parser")
    card = page.select_one("#talk-djangocon-us-2019-just-add-await")
    assert card is not None
    title = card.select_one(".recaps-card-title a")
    assert title is not None
    assert title["href"] == "../../talks/djangocon-us-2019/just-add-await/"
    page_link = card.select_one("a.recaps-page-link")
    assert page_link is not None
    assert page_link["href"] == title["href"]
    assert page.select_one("a.recaps-speaker-link")["href"] == "../../speakers/andrew-godwin/"  # type: ignore[index]
    # The keynote and the conference have no page: plain text, and no "Talk page" link.
    keynote = page.select_one("#talk-djangocon-us-2019-keynote")
    assert keynote is not None
    assert keynote.select_one(".recaps-card-title a") is None
    assert keynote.select_one(".recaps-page-link") is None
    assert not page.select("a.recaps-conference-link")
