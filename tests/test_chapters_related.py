"""Chapters and related talks on talk pages, in structured data, the API and speaker pages."""

from __future__ import annotations

import json
import shutil
from io import StringIO
from pathlib import Path

import jsonschema
import pytest
from sphinx.testing.util import SphinxTestApp

from conftest import TESTS
from pages_helpers import soup
from test_pages_incremental import build, mtimes, rewritten

ROOT = TESTS / "roots" / "test-related"
LIGHTNING = "talks/djangocon-us-2019/lightning-talks"
YOUTUBE = "https://www.youtube.com/watch?v=abcdefghijk"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    srcdir = tmp_path_factory.mktemp("related") / "src"
    shutil.copytree(ROOT, srcdir)
    app = SphinxTestApp("dirhtml", srcdir=srcdir, status=StringIO(), warning=StringIO())
    try:
        app.build()
        warnings = app.warning.getvalue()
    finally:
        app.cleanup()
    assert "WARNING" not in warnings, warnings
    return Path(app.outdir)


def related(site: Path, url: str) -> list[str]:
    cards = soup(site, url).select("#related li.recaps-card")
    return [card.select_one(".recaps-card-title a")["href"] for card in cards]


def test_related_talks_in_tier_order(site: Path) -> None:
    assert related(site, "talks/djangocon-us-2019/async-views") == [
        "../../pycon-2019/asyncio-basics/",  # the same speaker
        "../../djangocon-us-2018/channels/",  # the same series, another year
        "../lightning-talks/",  # the same conference, nearest first
        "../orm-deep-dive/",
    ]
    # A lightning talk's chapter makes its speaker's other talks related to it.
    assert related(site, "talks/pycon-2019/packaging") == [
        "../../djangocon-us-2019/lightning-talks/",
        "../asyncio-basics/",
    ]


def test_related_cards_show_a_thumbnail_or_the_kind(site: Path) -> None:
    cards = soup(site, "talks/djangocon-us-2019/async-views").select("#related li.recaps-card")
    lightning = cards[2]
    image = lightning.select_one("img.recaps-thumb")
    assert image["src"] == "https://i.ytimg.com/vi/abcdefghijk/mqdefault.jpg"
    assert image["alt"] == ""  # decorative: the title says what the card is
    assert image["aria-hidden"] == "true"  # as the other cards' thumbnails
    assert image["loading"] == "lazy"
    assert (
        lightning.select_one(".recaps-card-meta")
        .get_text(" ", strip=True)
        .startswith("DjangoCon US 2019")
    )
    assert cards[0].select_one("img") is None
    assert cards[0].select_one(".recaps-thumb-none").get_text() == "Talk"
    assert cards[0].select_one(".recaps-card-speakers").get_text() == "Ann Author"


def chapters(site: Path, url: str) -> list[tuple[str, str | None, str]]:
    items = soup(site, url).select("#chapters li")
    return [
        (
            item.select_one(".recaps-chapter-time").get_text(),
            item.select_one("a.recaps-chapter-time")
            and item.select_one("a.recaps-chapter-time")["href"],
            item.select_one(".recaps-chapter-title").get_text(),
        )
        for item in items
    ]


def test_youtube_chapters_start_the_video_with_t(site: Path) -> None:
    assert chapters(site, LIGHTNING) == [
        ("0:00", f"{YOUTUBE}&t=0", "Opening"),
        ("5:24", f"{YOUTUBE}&t=324", "Testing with Hypothesis"),
        ("1:02:03", f"{YOUTUBE}&t=3723", "Closing <script>alert(1)</script>"),
    ]
    page = soup(site, LIGHTNING)
    assert page.select_one("#chapters script") is None  # the title is text
    second = page.select_one("#chapter-324")
    assert [a["href"] for a in second.select("a.recaps-speaker")] == [
        "../../../speakers/cai-coder/"
    ]
    assert second.select_one("time")["datetime"] == "PT324S"
    # What recaps-video.js starts the page's player at (tests/browser/ clicks it).
    assert second.select_one("a.recaps-chapter-time")["data-start"] == "324"


def test_vimeo_chapters_use_the_fragment(site: Path) -> None:
    assert chapters(site, "talks/djangocon-us-2019/async-views") == [
        ("0:00", "https://vimeo.com/123456789#t=0s", "Why async"),
        ("12:30", "https://vimeo.com/123456789#t=750s", "A demo"),
    ]


def test_other_hosts_get_plain_times(site: Path) -> None:
    url = "talks/djangocon-us-2019/orm-deep-dive"
    assert chapters(site, url) == [("0:00", None, "Queries"), ("10:00", None, "Indexes")]
    note = soup(site, url).select_one(".recaps-chapters-note").get_text()
    assert "given as text" in note
    assert video_object(site, url).get("hasPart") is None


def video_object(site: Path, url: str) -> dict:
    for script in soup(site, url).find_all("script", type="application/ld+json"):
        data = json.loads(script.string)
        for item in data.get("@graph", [data]):
            if item.get("@type") == "VideoObject":
                return item
    raise AssertionError("no VideoObject")


def test_chapters_are_clips_of_the_video(site: Path) -> None:
    clips = video_object(site, LIGHTNING)["hasPart"]
    assert clips == [
        {
            "@type": "Clip",
            "name": "Opening",
            "startOffset": 0,
            "url": f"{YOUTUBE}&t=0",
            "endOffset": 324,
        },
        {
            "@type": "Clip",
            "name": "Testing with Hypothesis",
            "startOffset": 324,
            "url": f"{YOUTUBE}&t=324",
            "endOffset": 3723,
        },
        {
            "@type": "Clip",
            "name": "Closing <script>alert(1)</script>",
            "startOffset": 3723,
            "url": f"{YOUTUBE}&t=3723",
        },
    ]
    raw = (site / LIGHTNING / "index.html").read_text()
    assert "<script>alert(1)" not in raw  # escaped inside the JSON-LD too


def test_a_chapter_counts_as_its_speakers_talk(site: Path) -> None:
    page = soup(site, "speakers/cai-coder")
    assert " ".join(page.select_one(".recaps-stats li").get_text().split()) == "2 talks"
    part = page.select_one(".recaps-part a")
    assert part["href"] == "../../talks/djangocon-us-2019/lightning-talks/#chapter-324"
    assert part.get_text() == "Testing with Hypothesis, at 5:24"


def test_chapters_are_in_the_api(site: Path) -> None:
    data = json.loads((site / "api/talks/djangocon-us-2019/lightning-talks.json").read_text())
    assert data["talk"]["chapters"][1] == {
        "at": "5:24",
        "title": "Testing with Hypothesis",
        "speakers": ["cai-coder"],
    }
    schema = json.loads((site / "api/schema.json").read_text())
    jsonschema.validate(data, schema)
    speaker = json.loads((site / "api/speakers/cai-coder.json").read_text())
    assert [t["id"] for t in speaker["talks"]] == [
        "pycon-2019/packaging",
        "djangocon-us-2019/lightning-talks",
    ]


def test_an_edit_rewrites_only_pages_whose_related_list_changed(tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(ROOT, src)
    build(src, tmp_path / "out")
    outdir = tmp_path / "out" / "dirhtml"
    before = mtimes(outdir)
    catalogue = src / "talks.yaml"
    # The abstract is not on any card: only the talk's own page changes.
    catalogue.write_text(
        catalogue.read_text().replace(
            "    title: Channels\n", "    title: Channels\n    abstract: New.\n"
        )
    )
    build(src, tmp_path / "out")
    assert rewritten(outdir, before) == {"talks/djangocon-us-2018/channels"}

    before = mtimes(outdir)
    catalogue.write_text(catalogue.read_text().replace("title: Channels", "title: Django Channels"))
    build(src, tmp_path / "out")
    changed = {p for p in rewritten(outdir, before) if p.startswith("talks/")}
    # Its page, and the pages whose related cards show it; not packaging's.
    assert changed == {
        "talks/djangocon-us-2018/channels",
        "talks/djangocon-us-2019/async-views",
        "talks/djangocon-us-2019/lightning-talks",
        "talks/djangocon-us-2019/orm-deep-dive",
        "talks/pycon-2019/asyncio-basics",
    }
