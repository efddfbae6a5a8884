"""Each generated page family, read back with an HTML parser: links, escaping, order."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from sphinx.util.console import strip_colors

from conference_recaps.pages import listings
from conference_recaps.pages.generate import paragraphs
from conference_recaps.text import KIND_LABELS
from conference_recaps.urls import safe_url
from pages_helpers import body, hrefs, pages, soup

if TYPE_CHECKING:
    from sphinx.testing.util import SphinxTestApp


@pytest.fixture
def built(app: SphinxTestApp) -> SphinxTestApp:
    app.build()
    assert strip_colors(app.warning.getvalue()) == ""
    return app


pytestmark = pytest.mark.sphinx("dirhtml", testroot="pages")


def test_every_page_is_generated(built: SphinxTestApp) -> None:
    expected = {
        "conferences/",
        "conferences/pycon-2019/",
        "conferences/djangocon-2019/",
        "talks/pycon-2019/async-all-the-way/",
        "talks/pycon-2019/opening-keynote/",
        "talks/pycon-2019/zen-of-testing/",
        "talks/djangocon-2019/orm-tricks/",
        "speakers/",
        "speakers/ada-lovelace/",
        "speakers/bob-tables/",
        "years/",
        "years/2019/",
        "tags/",
        "tags/async/",
        "tags/community/",
        "tags/django/",
        "tags/python/",
        "tags/testing/",
        "talks/",
        "recaps/",
    }
    written = pages(built.outdir)
    assert expected <= written
    generated = ("talks/", "speakers/", "tags/")
    assert not any(p.startswith(generated) for p in written - expected)
    # Nothing was written into the source tree.
    assert not (built.srcdir / "talks").exists()
    assert not (built.srcdir / "speakers").exists()


def test_talk_page(built: SphinxTestApp) -> None:
    page = soup(built.outdir, "talks/pycon-2019/async-all-the-way")
    assert page.title is not None
    assert page.title.get_text().startswith("Async all the way")
    main = body(page)
    assert main.h1 is not None
    assert main.h1.get_text() == "Async all the way"
    links = hrefs(main)
    assert "../../../speakers/ada-lovelace/" in links
    assert "../../../conferences/pycon-2019/" in links
    assert "../../../tags/async/" in links
    assert "https://www.youtube.com/watch?v=abc" in links
    assert "https://example.org/slides" in links
    # The abstract is escaped, its two paragraphs kept, the line break inside one a space.
    abstract = [" ".join(p.get_text().split()) for p in main.select("#abstract p")]
    assert abstract == [
        'First paragraph <script>alert("x")</script> with a line break.',
        "Second paragraph & more.",
    ]
    assert main.find("script") is None
    # The recap that shows the talk is linked at the card's own anchor.
    mention = main.select_one("#recaps a")
    assert mention is not None
    # Titled from the recap's front matter, the same title its feed entry and JSON-LD use.
    assert mention.get_text() == 'PyCon & "friends" 2019 in review'
    assert str(mention["href"]).startswith("../../../recaps/pycon/#")
    anchor = str(mention["href"]).partition("#")[2]
    assert soup(built.outdir, "recaps/pycon").find(id=anchor) is not None
    # Previous and next talk of the conference, in the theme's footer.
    prev_link = page.select_one("a.left-prev")
    next_link = page.select_one("a.right-next")
    assert prev_link is not None
    assert next_link is not None
    assert prev_link["href"] == "../opening-keynote/"
    assert next_link["href"] == "../zen-of-testing/"
    assert "Opening keynote" in prev_link.get_text()


def test_unsafe_catalogue_values_stay_text(built: SphinxTestApp) -> None:
    page = soup(built.outdir, "talks/pycon-2019/zen-of-testing")
    main = body(page)
    assert main.find("script") is None
    assert "Bob <script>alert(1)</script> Tables" in main.get_text()
    assert page.select_one("a.right-next") is None  # the last talk of the conference
    conference = body(soup(built.outdir, "conferences/djangocon-2019"))
    assert conference.h1 is not None
    assert conference.h1.get_text() == "DjangoCon <b>2019</b>"
    assert conference.find("b") is None


@pytest.mark.sphinx("dirhtml", testroot="pages", srcdir="pages-large-talks-index")
def test_a_large_talks_index_lists_older_conferences_by_name(
    app: SphinxTestApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past TALKS_INDEX_LINES talks, /talks/ lists the older conferences by name and
    count, linking to their pages (21,700 lines made it 4.3 MB at pyvideo.org's scale)."""
    monkeypatch.setattr(listings, "TALKS_INDEX_LINES", 1)
    app.build()
    assert strip_colors(app.warning.getvalue()) == ""
    page = soup(app.outdir, "talks/")
    # The newest conference is listed whole, though it has more talks than the limit.
    groups = page.select(".recaps-talks-group")
    assert groups[0].select_one("h2 a").get_text() == "DjangoCon <b>2019</b>"
    assert len(groups[0].select(".recaps-talk-lines li")) == 1
    earlier = page.select_one("#earlier-conferences")
    assert earlier is not None
    rows = earlier.select("li")
    assert [a["href"] for row in rows for a in row.select("a")] == ["../conferences/pycon-2019/"]
    assert "3 talks" in rows[0].get_text()
    assert not page.select('a[href^="../talks/pycon-2019/"]')  # its talks are on its page
    assert "earlier conference is on its page" in page.select_one(".recaps-lead").get_text()
    assert page.select_one('.recaps-jump a[href="#earlier-conferences"]') is not None


def test_speaker_page(built: SphinxTestApp) -> None:
    main = body(soup(built.outdir, "speakers/ada-lovelace"))
    assert main.h1 is not None
    assert main.h1.get_text() == "Ada Lovelace"
    assert "A. Lovelace" in main.select_one(".recaps-aliases").get_text()  # type: ignore[union-attr]
    talks = [a.get_text() for a in main.select("#talks .recaps-tcard-title a")]
    assert talks == ["Async all the way", "Zen of testing"]
    # Mentioned by name in one recap, and through a card in the same one: listed once.
    assert [a["href"] for a in main.select("#recaps a")] == [
        a["href"] for a in main.select("#recaps a")[:1]
    ]
    assert str(main.select("#recaps a")[0]["href"]).startswith("../../recaps/pycon/#")


def test_a_kind_has_one_name_on_every_page(built: SphinxTestApp) -> None:
    talk = body(soup(built.outdir, "talks/pycon-2019/opening-keynote"))
    conference = body(soup(built.outdir, "conferences/pycon-2019"))
    speaker = body(soup(built.outdir, "speakers/bob-tables"))
    shown = {
        node.get_text()
        for page in (talk, conference, speaker)
        for node in page.select(".recaps-kind-keynote")
    }
    assert shown == {KIND_LABELS["keynote"]}


def test_links_from_recaps_reach_generated_pages(built: SphinxTestApp) -> None:
    recap = body(soup(built.outdir, "recaps/other"))
    assert "../../talks/djangocon-2019/orm-tricks/" in hrefs(recap)
    for url in pages(built.outdir):
        if url in ("404/", "search/"):  # other parts' pages, with absolute links
            continue
        main = soup(built.outdir, url).select_one("article.bd-article")
        if main is None:
            continue
        for href in hrefs(main):
            if "://" in href or href.startswith("#"):
                continue
            target = (built.outdir / url / href.partition("#")[0]).resolve()
            assert (target / "index.html").is_file() or target.is_file(), (url, href)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.org/a", "https://example.org/a"),
        (" https://example.org/b ", "https://example.org/b"),
        ("HTTP://example.org/", None),  # the catalogue's rule: lowercase scheme
        ("https://user@example.org/", None),
        ("javascript:alert(1)", None),
        ("data:text/html,x", None),
        ("", None),
        (None, None),
    ],
)
def test_only_http_links_are_rendered(url: str | None, expected: str | None) -> None:
    """A second guard behind the catalogue's own check."""
    assert safe_url(url) == expected


def test_abstract_paragraphs() -> None:
    assert paragraphs("One\ntwo.\n\n\nThree.\r\n") == ["One two.", "Three."]
    assert paragraphs(None) == []
