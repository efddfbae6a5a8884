"""Generated pages that list recaps: they read each recap's front matter from the Domain."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from sphinx.util.console import strip_colors

from pages_helpers import body, hrefs, soup

if TYPE_CHECKING:
    from sphinx.testing.util import SphinxTestApp


@pytest.fixture
def built(app: SphinxTestApp) -> SphinxTestApp:
    app.build()
    assert strip_colors(app.warning.getvalue()) == ""
    return app


pytestmark = pytest.mark.sphinx("dirhtml", testroot="pages")


def test_conference_page(built: SphinxTestApp) -> None:
    main = body(soup(built.outdir, "conferences/pycon-2019"))
    assert "https://us.pycon.org/2019/" in hrefs(main)
    assert "Cleveland, Ohio, USA" in main.get_text()
    days = main.select("section.recaps-day")
    assert [d["id"] for d in days] == ["day-2019-05-01", "day-2019-05-02", "day-2019-05-03"]
    # Talks are cards by day, keynotes first (a kind heading only where a day has several).
    assert [c["data-kind"] for c in days[0].select(".recaps-tcard")] == ["keynote"]
    assert {c["data-kind"] for c in days[2].select(".recaps-tcard")} == {"tutorial"}
    recaps = [a.get_text() for a in main.select("#recaps a")]
    assert "Short recap 4" in recaps
    assert len(recaps) == 5


def test_archives_and_indexes(built: SphinxTestApp) -> None:
    year = body(soup(built.outdir, "years/2019"))
    assert {a.get_text() for a in year.select("#conferences a")} == {
        "PyCon 2019",
        "DjangoCon <b>2019</b>",
    }
    tag = body(soup(built.outdir, "tags/community"))
    assert [a.get_text() for a in tag.select("#talks .recaps-talk-list > li > a:first-child")] == [
        "Opening keynote"
    ]
    assert "Short recap 1" in tag.select_one("#recaps").get_text()  # type: ignore[union-attr]
    speakers = body(soup(built.outdir, "speakers"))
    assert "ada-lovelace/" in hrefs(speakers)
    tags = body(soup(built.outdir, "tags"))
    assert set(hrefs(tags)) == {
        "async/",
        "community/",
        "django/",
        "python/",
        "testing/",
    }


def test_home_page(built: SphinxTestApp) -> None:
    home = body(soup(built.outdir, ""))
    counts = home.select_one(".recaps-counts")
    assert counts is not None
    assert " ".join(counts.get_text().split()) == "4 talks 2 conferences 2 speakers 6 recaps"
    latest = [a.get_text() for a in home.select(".recaps-rcard-title a")]
    assert latest[0] == "Another recap"
    # Conferences are cards (the years are one click away in the sidebar).
    assert "conferences/pycon-2019/" in hrefs(home)
