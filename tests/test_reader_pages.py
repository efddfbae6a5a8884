"""The reader's pages on the ``test-reader`` root: wayfinding, cards, dates, link previews."""

from __future__ import annotations

import json
import shutil
from typing import TYPE_CHECKING, Any

import pytest
from sphinx.testing.util import SphinxTestApp

from pages_helpers import soup
from quality.guide_mentions import site_mentions
from reader_helpers import ROOT, build_reader

if TYPE_CHECKING:
    from pathlib import Path

    from bs4 import BeautifulSoup

AWAIT = "talks/djangocon-us-2019/just-add-await/"
CONFERENCE = "conferences/djangocon-us-2019/"
PODCAST = "recaps/2024/podcast/"
REVIEW = "recaps/2019/djangocon/"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    outdir, warnings = build_reader(tmp_path_factory.mktemp("reader"))
    assert "WARNING" not in warnings
    return outdir


def jsonld(page: BeautifulSoup) -> list[dict[str, Any]]:
    return [
        json.loads(script.string) for script in page.find_all("script", type="application/ld+json")
    ]


def meta(page: BeautifulSoup, key: str) -> str | None:
    tag = page.find("meta", attrs={"property": key}) or page.find("meta", attrs={"name": key})
    return str(tag["content"]) if tag is not None else None


def test_breadcrumbs_and_their_json_ld_agree(site: Path) -> None:
    page = soup(site, AWAIT)
    crumbs = page.select(".bd-header-article .recaps-breadcrumbs li")
    assert [li.get_text() for li in crumbs] == [
        "Reader test",
        "Conferences",
        "DjangoCon US 2019",
        "Just Add Await: Retrofitting Async Into Django",
    ]
    assert crumbs[-1]["aria-current"] == "page"
    assert [a["href"] for a in page.select(".recaps-breadcrumbs a")] == [
        "../../../",
        "../../../conferences/",
        "../../../conferences/djangocon-us-2019/",
    ]
    (trail,) = [item for item in jsonld(page) if item["@type"] == "BreadcrumbList"]
    assert [(i["position"], i["name"], i["item"]) for i in trail["itemListElement"]] == [
        (1, "Reader test", "https://recaps.example.org/"),
        (2, "Conferences", "https://recaps.example.org/conferences/"),
        (3, "DjangoCon US 2019", "https://recaps.example.org/conferences/djangocon-us-2019/"),
        (
            4,
            "Just Add Await: Retrofitting Async Into Django",
            "https://recaps.example.org/" + AWAIT,
        ),
    ]
    recap = [li.get_text() for li in soup(site, REVIEW).select(".recaps-breadcrumbs li")]
    assert recap == ["Reader test", "Recaps", "DjangoCon US 2019 in review"]
    speaker = [
        li.get_text() for li in soup(site, "speakers/amber-brown/").select(".recaps-breadcrumbs li")
    ]
    assert speaker == ["Reader test", "Speakers", "Amber Brown"]
    assert soup(site, "").select(".recaps-breadcrumbs") == []


def test_the_guide_has_its_own_navigation(site: Path) -> None:
    reader = soup(site, REVIEW).select_one("nav.recaps-nav")
    assert reader is not None
    captions = [c.get_text() for c in reader.select(".caption-text")]
    assert "Contributor guide" not in captions
    guide_links = [a.get_text() for a in reader.select("a") if "guide" in a.get_text().lower()]
    assert guide_links == ["Contributor guide"]  # one link, no guide pages listed
    assert "Writing a recap" not in reader.get_text()
    guide = soup(site, "docs/writing/").select_one("nav.recaps-nav")
    assert guide is not None
    assert guide["aria-label"] == "Contributor guide"
    assert "Back to Reader test" in guide.get_text()
    assert "Writing a recap" in guide.get_text()
    assert "Conferences" not in [c.get_text() for c in guide.select(".caption-text")]


def test_previous_and_next_never_cross_into_the_guide(site: Path) -> None:
    for url in ("", REVIEW, PODCAST, "docs/", "docs/writing/"):
        in_guide = url.startswith("docs/")
        for link in soup(site, url).select("a.left-prev, a.right-next"):
            target = (site / url / str(link["href"])).resolve().relative_to(site.resolve())
            assert target.as_posix().startswith("docs") == in_guide, (url, link["href"])


def test_a_recap_is_filed_under_the_year_of_what_it_recaps(site: Path) -> None:
    header = soup(site, PODCAST).select_one(".recaps-header-meta")
    assert header is not None
    text = header.get_text(" ", strip=True)
    assert "From 2016" in text and "added 1 March 2024" in text
    years = soup(site, "years/2016/")
    assert "Andrew Godwin on a podcast" in years.get_text()
    assert not (site / "years" / "2024").exists()
    # A conference recap shows one date: it was written the year of its conference.
    review = soup(site, REVIEW).select_one(".recaps-header-meta").get_text(" ", strip=True)
    assert "From" not in review and "28 October 2019" in review


def test_recaps_and_talks_indexes(site: Path) -> None:
    recaps = soup(site, "recaps/")
    titles = [a.get_text() for a in recaps.select(".recaps-rcard-title a")]
    assert titles == ["DjangoCon US 2019 in review", "Andrew Godwin on a podcast"]
    assert [h.get_text() for h in recaps.select(".recaps-year-group h2")] == ["2019", "2016"]
    excerpts = [p.get_text() for p in recaps.select(".recaps-rcard-excerpt")]
    assert excerpts[0].startswith("Async arrived in Django")
    talks = soup(site, "talks/")
    assert len(talks.select(".recaps-talk-lines li")) == 4
    home = soup(site, "")
    counts = {a.get_text(): a["href"] for a in home.select(".recaps-counts a")}
    assert counts == {
        "4 talks": "talks/",
        "1 conference": "conferences/",
        "2 speakers": "speakers/",
        "2 recaps": "recaps/",
    }
    form = home.select_one("form.recaps-home-search")
    assert form is not None and form["action"] == "search/"
    assert [c.get_text() for c in home.select(".recaps-ccard-title a")] == ["DjangoCon US 2019"]
    (photo,) = home.select(".recaps-rcard img")  # the recap with a photo shows it
    assert str(photo["src"]).startswith("_images/reception")


def test_conference_page_is_recap_cards_then_a_filterable_grid(site: Path) -> None:
    page = soup(site, CONFERENCE)
    sections = [s["id"] for s in page.select(".recaps-conference-page > section")]
    assert sections[:2] == ["recaps", "talks"]
    assert [a.get_text() for a in page.select("#recaps .recaps-rcard-title a")] == [
        "DjangoCon US 2019 in review"
    ]
    cards = page.select("#talks .recaps-tcard")
    assert len(cards) == 4
    first_day = page.select_one(".recaps-day")
    assert first_day is not None
    assert first_day.select_one(".recaps-tcard")["data-kind"] == "keynote"  # keynotes first
    thumbs = [img["src"] for img in page.select("#talks .recaps-thumb img")]
    assert thumbs == ["https://i.ytimg.com/vi/d9BAUBEyFgM/mqdefault.jpg"]
    filters = page.select_one(".recaps-filters")
    assert filters is not None and filters.has_attr("hidden")  # shown by the script only
    assert "tag:async" in [b["data-filter"] for b in filters.select("button")]
    scripts = [str(s["src"]).split("?")[0] for s in page.find_all("script", src=True)]
    assert any(s.endswith("recaps-filter.js") for s in scripts)
    assert not any(
        s.endswith("recaps-filter.js")
        for s in (
            str(t["src"]).split("?")[0] for t in soup(site, AWAIT).find_all("script", src=True)
        )
    )


def test_speaker_page_has_talk_cards_and_recap_cards(site: Path) -> None:
    page = soup(site, "speakers/andrew-godwin/")
    assert [h.get_text() for h in page.select("#talks h3")] == ["DjangoCon US 2019"]
    assert len(page.select("#talks .recaps-tcard")) == 2
    recaps = [a.get_text() for a in page.select("#recaps .recaps-rcard-title a")]
    assert sorted(recaps) == ["Andrew Godwin on a podcast", "DjangoCon US 2019 in review"]
    assert "Andrew G." in page.select_one(".recaps-aliases").get_text()
    index = soup(site, "speakers/")
    assert [a.get_text() for a in index.select(".recaps-initials a")] == ["A"]
    assert index.select_one(".recaps-speaker-columns") is not None


def test_every_page_has_an_image_for_link_previews(site: Path) -> None:
    for url in ("", AWAIT, CONFERENCE, REVIEW, PODCAST, "speakers/amber-brown/", "docs/"):
        page = soup(site, url)
        image, alt = meta(page, "og:image"), meta(page, "og:image:alt")
        assert image and alt, url
        assert meta(page, "twitter:image") == image, url
        assert meta(page, "twitter:image:alt") == alt, url
    assert meta(soup(site, AWAIT), "og:image") == (
        "https://i.ytimg.com/vi/d9BAUBEyFgM/hqdefault.jpg"
    )
    assert "/_images/reception" in str(meta(soup(site, REVIEW), "og:image"))
    for url, prefix in (
        ("", "site."),
        (CONFERENCE, "conference-djangocon-us-2019-"),
        (PODCAST, "recap-recaps-2024-podcast-"),
    ):
        image = str(meta(soup(site, url), "og:image"))
        name = image.removeprefix("https://recaps.example.org/")
        assert name.startswith("_images/cards/" + prefix), image
        png = (site / name).read_bytes()
        assert png.startswith(b"\x89PNG")
    (posting,) = [i for i in jsonld(soup(site, PODCAST)) if i["@type"] == "PodcastEpisode"]
    assert posting["image"].startswith("https://recaps.example.org/_images/cards/recap-")
    (blog,) = [i for i in jsonld(soup(site, REVIEW)) if i["@type"] == "BlogPosting"]
    assert blog["publisher"]["@type"] == "Organization"
    assert blog["publisher"]["logo"]["url"].startswith("https://recaps.example.org/")


def test_cards_are_drawn_again_only_when_what_they_show_changed(tmp_path: Path) -> None:
    srcdir = tmp_path / "src"
    shutil.copytree(ROOT, srcdir)

    def build() -> dict[str, int]:
        app = SphinxTestApp("dirhtml", srcdir=srcdir)
        try:
            app.build()
            assert "WARNING" not in app.warning.getvalue()
        finally:
            app.cleanup()
        folder = app.outdir / "_images" / "cards"
        return {p.name: p.stat().st_mtime_ns for p in folder.glob("*.png")}

    first = build()
    assert len(first) == 3  # the site's, the conference's, the recap's without a photo
    assert build() == first  # nothing changed: nothing drawn
    catalogue = srcdir / "talks.yaml"
    catalogue.write_text(
        catalogue.read_text(encoding="utf-8").replace(
            "name: DjangoCon US 2019", "name: DjangoCon US 2019 (San Diego)"
        ),
        encoding="utf-8",
    )
    third = build()
    changed = set(third) - set(first)
    assert len(changed) == 1 and next(iter(changed)).startswith("conference-")
    assert set(first) - set(third) == {n for n in first if n.startswith("conference-")}
    unchanged = set(first) & set(third)
    assert all(first[n] == third[n] for n in unchanged)  # the others were not redrawn
    # The site's card keeps its name, so pages showing it need not be rewritten; it is
    # drawn again when its numbers change.
    catalogue.write_text(
        catalogue.read_text(encoding="utf-8").replace(
            "talks:\n",
            "talks:\n  - id: djangocon-us-2019/extra\n"
            "    conference: djangocon-us-2019\n    title: Extra\n",
            1,
        ),
        encoding="utf-8",
    )
    fourth = build()
    assert fourth["site.png"] != third["site.png"]


def test_a_talk_page_has_the_compact_sidebar(site: Path) -> None:
    """The sidebar's years and latest recaps are on index, conference, year and recap
    pages; a talk's, speaker's or tag's page has the home, Browse and About links only
    (issue 17: page size, and a recap added no longer rewrites those pages)."""
    talk = soup(site, AWAIT).select_one("nav.recaps-nav")
    assert talk is not None
    captions = [c.get_text() for c in talk.select(".caption-text")]
    assert "Conferences" not in captions
    assert "Recaps" not in captions
    assert "Browse" in captions
    assert talk.select(".recaps-nav-year") == []
    assert [a.get_text() for a in talk.select("li.current > a")] == ["All talks"]
    for page in ("speakers/andrew-godwin/", "tags/async/"):
        compact = soup(site, page).select_one("nav.recaps-nav")
        assert compact is not None
        assert [c.get_text() for c in compact.select(".caption-text")] == captions, page
    conference = soup(site, CONFERENCE).select_one("nav.recaps-nav")
    assert conference is not None
    assert "DjangoCon US 2019" in conference.select_one(".recaps-nav-year").get_text()
    assert "Recaps" in [c.get_text() for c in conference.select(".caption-text")]
    home = soup(site, "").select_one("nav.recaps-nav")
    assert home is not None
    assert "Conferences" in [c.get_text() for c in home.select(".caption-text")]


def test_every_mention_of_the_guide_is_a_link_to_it(site: Path) -> None:
    """Issue 14: "see the contributor guide" is always a link (the real site: test_guide_links)."""
    _, found = site_mentions(site)
    assert not [m for m in found if not m.linked], "\n".join(map(str, found))
    assert [m.page for m in found] == ["index.html"]  # "The contributor guide shows how..."
