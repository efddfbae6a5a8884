"""Atom and RSS feeds: valid against each spec's required elements, absolute URLs only."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp

from conference_recaps.discovery.feeds import absolute_html

if TYPE_CHECKING:
    pass

ROOT = Path(__file__).parent / "roots" / "test-discovery"
BASE = "https://recaps.example.org/archive/"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def site(discovery_site: Path) -> Path:
    return discovery_site


def assert_absolute_urls(markup: str) -> None:
    soup = BeautifulSoup(markup, "html.parser")
    for tag in soup.find_all(["a", "img"]):
        url = tag.get("href") or tag.get("src")
        assert url and url.startswith(("https://", "http://")), tag


def check_atom(path: Path) -> ET.Element:
    feed = ET.parse(path).getroot()
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert feed.find(f"{ATOM}{required}") is not None, required
    assert feed.find(f"{ATOM}link[@rel='self']") is not None
    for entry in feed.findall(f"{ATOM}entry"):
        for required in ("id", "title", "updated"):
            assert (entry.findtext(f"{ATOM}{required}") or "").strip(), required
        # An entry without an author needs a feed author (RFC 4287, 4.1.1).
        assert entry.find(f"{ATOM}author") is not None or feed.find(f"{ATOM}author") is not None
        assert entry.findtext(f"{ATOM}id", "").startswith("https://")
        content = entry.findtext(f"{ATOM}content") or ""
        assert_absolute_urls(content)
    return feed


def check_rss(path: Path) -> ET.Element:
    rss = ET.parse(path).getroot()
    assert rss.tag == "rss"
    assert rss.get("version") == "2.0"
    channel = rss.find("channel")
    assert channel is not None
    for required in ("title", "link", "description"):
        assert (channel.findtext(required) or "").strip(), required
    for item in channel.findall("item"):
        # RSS 2.0: an item needs a title or a description.
        assert item.findtext("title") or item.findtext("description")
        assert (item.findtext("link") or "").startswith("https://")
        assert_absolute_urls(item.findtext("description") or "")
    return rss


def test_site_feed_lists_recaps_newest_first(site: Path) -> None:
    feed = check_atom(site / "feeds/atom.xml")
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == [
        "Talking DjangoCon on the air",
        "DjangoCon US 2019 in review",
    ]
    assert feed.findtext(f"{ATOM}updated") == "2019-11-02T00:00:00+00:00"
    rss = check_rss(site / "feeds/rss.xml")
    assert rss.find("channel/lastBuildDate") is not None
    assert "2019" in (rss.findtext("channel/lastBuildDate") or "")


def test_recap_content_is_the_page_with_absolute_urls(site: Path) -> None:
    feed = check_atom(site / "feeds/atom.xml")
    entry = next(
        e
        for e in feed.findall(f"{ATOM}entry")
        if e.findtext(f"{ATOM}title") == "DjangoCon US 2019 in review"
    )
    soup = BeautifulSoup(entry.findtext(f"{ATOM}content") or "", "html.parser")
    assert soup.find("img")["src"] == BASE + "_images/reception.png"
    hrefs = {a["href"] for a in soup.find_all("a")}
    assert BASE in hrefs  # the link to the home page, resolved
    assert "https://example.org/andrew" in hrefs
    assert BASE + "talks/djangocon-us-2019/just-add-await/" in hrefs  # the talk card
    assert soup.find("h1") is None  # the title is the entry's title
    assert entry.findtext(f"{ATOM}summary") == "Async arrives in Django, and a week by the bay."
    assert [a.findtext(f"{ATOM}name") for a in entry.findall(f"{ATOM}author")] == [
        "Jane Contributor",
        "Sam Writer",
    ]


def test_conference_feed_has_its_recaps_and_talks(site: Path) -> None:
    feed = check_atom(site / "feeds/djangocon-us-2019/atom.xml")
    ids = [e.findtext(f"{ATOM}id") for e in feed.findall(f"{ATOM}entry")]
    assert ids == [
        BASE + "recaps/2019/podcast/",
        BASE + "recaps/2019/djangocon/",
        BASE + "talks/djangocon-us-2019/just-add-await/",
        BASE + "talks/djangocon-us-2019/webassembly/",
        BASE + "talks/djangocon-us-2019/hardware/",
    ]
    check_rss(site / "feeds/djangocon-us-2019/rss.xml")


def test_talk_entry_text_is_escaped(site: Path) -> None:
    feed = check_atom(site / "feeds/pycon-au-2021/atom.xml")
    (entry,) = feed.findall(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title") == "Async Everywhere </script><b>x</b>"
    content = BeautifulSoup(entry.findtext(f"{ATOM}content") or "", "html.parser")
    assert content.find("script") is None
    assert content.find("b") is None
    assert "Async & await in every framework <3" in content.get_text()
    # No talk date: the conference's first day.
    assert entry.findtext(f"{ATOM}updated") == "2021-09-10T00:00:00+00:00"


def test_pages_announce_feeds(site: Path) -> None:
    soup = BeautifulSoup(
        (site / "conferences/djangocon-us-2019/index.html").read_text(), "html.parser"
    )
    links = {(link["type"], link["href"]) for link in soup.find_all("link", rel="alternate")}
    assert ("application/atom+xml", "../../feeds/atom.xml") in links
    assert ("application/rss+xml", "../../feeds/djangocon-us-2019/rss.xml") in links


def test_feeds_are_reproducible(site: Path, tmp_path: Path) -> None:
    srcdir = tmp_path / "src"
    shutil.copytree(ROOT, srcdir)
    app = SphinxTestApp("dirhtml", srcdir=srcdir)
    try:
        app.build()
        for name in ("feeds/atom.xml", "feeds/djangocon-us-2019/rss.xml", "sitemap.xml"):
            assert (Path(app.outdir) / name).read_bytes() == (site / name).read_bytes(), name
    finally:
        app.cleanup()


def test_absolute_html_resolves_every_kind_of_link() -> None:
    fragment = (
        '<p><a href="../x/">x</a><img src="_images/a.png" srcset="a.png 1x, b.png 2x">'
        '<a href="#top">top</a><a href="mailto:a@example.org">mail</a></p>'
    )
    result = BeautifulSoup(absolute_html(fragment, BASE + "recaps/p/"), "html.parser")
    anchors = [a["href"] for a in result.find_all("a")]
    assert anchors == [BASE + "recaps/x/", BASE + "recaps/p/#top", "mailto:a@example.org"]
    image = result.find("img")
    assert image["src"] == BASE + "recaps/p/_images/a.png"
    assert image["srcset"] == f"{BASE}recaps/p/a.png 1x, {BASE}recaps/p/b.png 2x"


def test_every_rss_feed_names_itself_and_its_page(site: Path) -> None:
    feeds = sorted((site / "feeds").rglob("rss.xml"))
    assert len(feeds) > 5
    for path in feeds:
        channel = check_rss(path).find("channel")
        assert channel is not None
        own = BASE + path.relative_to(site).as_posix()
        selfs = [link.get("href") for link in channel.findall(f"{ATOM}link[@rel='self']")]
        assert selfs == [own], path
        assert not (channel.findtext("link") or "").endswith(".xml"), path
    for path in sorted((site / "feeds").rglob("atom.xml")):
        feed = check_atom(path)
        own = BASE + path.relative_to(site).as_posix()
        assert [link.get("href") for link in feed.findall(f"{ATOM}link[@rel='self']")] == [own]


def test_a_speaker_feed_has_their_talks_and_the_recaps_about_them(site: Path) -> None:
    feed = check_atom(site / "feeds/speakers/andrew-godwin/atom.xml")
    assert feed.findtext(f"{ATOM}title") == "Andrew Godwin: talks and recaps"
    alternate = feed.find(f"{ATOM}link[@rel='alternate']")
    assert alternate is not None
    assert alternate.get("href") == BASE + "speakers/andrew-godwin/"
    ids = [e.findtext(f"{ATOM}id") for e in feed.findall(f"{ATOM}entry")]
    assert ids == [
        BASE + "talks/pycon-au-2021/async-everywhere/",
        BASE + "recaps/2019/djangocon/",
        BASE + "talks/djangocon-us-2019/just-add-await/",
    ]
    check_rss(site / "feeds/speakers/andrew-godwin/rss.xml")


def test_a_tag_feed_has_its_talks_and_recaps(site: Path) -> None:
    feed = check_atom(site / "feeds/tags/async/atom.xml")
    ids = [e.findtext(f"{ATOM}id") for e in feed.findall(f"{ATOM}entry")]
    assert ids == [
        BASE + "talks/pycon-au-2021/async-everywhere/",
        BASE + "recaps/2019/djangocon/",
        BASE + "talks/djangocon-us-2019/just-add-await/",
        BASE + "talks/djangocon-us-2019/hardware/",
    ]
    assert (site / "feeds/tags/community/rss.xml").is_file()  # a tag only a recap has


def test_speaker_and_tag_feeds_carry_recaps_as_headlines(site: Path) -> None:
    """A recap's text is in the site's and its conference's feeds, not copied into the
    feed of every speaker and tag it mentions: there it is a title, a summary and a link."""
    feed = check_atom(site / "feeds/speakers/andrew-godwin/atom.xml")
    entries = {e.findtext(f"{ATOM}id"): e for e in feed.findall(f"{ATOM}entry")}
    recap = entries[BASE + "recaps/2019/djangocon/"]
    assert recap.find(f"{ATOM}content") is None
    assert recap.findtext(f"{ATOM}summary") == "Async arrives in Django, and a week by the bay."
    link = recap.find(f"{ATOM}link")  # rel="alternate", Atom's default
    assert link is not None
    assert link.get("href") == BASE + "recaps/2019/djangocon/"
    # Without a description, the summary is the recap's first lines.
    tag_feed = check_atom(site / "feeds/tags/community/atom.xml")
    podcast = next(
        e
        for e in tag_feed.findall(f"{ATOM}entry")
        if e.findtext(f"{ATOM}id") == BASE + "recaps/2019/podcast/"
    )
    assert podcast.find(f"{ATOM}content") is None
    assert (podcast.findtext(f"{ATOM}summary") or "").startswith("A podcast episode about")
    rss = check_rss(site / "feeds/tags/community/rss.xml")
    item = next(i for i in rss.iter("item") if i.findtext("link") == BASE + "recaps/2019/podcast/")
    assert (item.findtext("description") or "").startswith("A podcast episode about")
    assert "<section" not in (item.findtext("description") or "")  # not the page
    # The conference's feed carries the whole recap.
    conference = check_atom(site / "feeds/djangocon-us-2019/atom.xml")
    whole = next(
        e
        for e in conference.findall(f"{ATOM}entry")
        if e.findtext(f"{ATOM}id") == BASE + "recaps/2019/podcast/"
    )
    assert "WebAssembly" in (whole.findtext(f"{ATOM}content") or "")


@pytest.mark.parametrize(
    ("page", "feed"),
    [
        ("speakers/andrew-godwin/index.html", "../../feeds/speakers/andrew-godwin/"),
        ("tags/async/index.html", "../../feeds/tags/async/"),
    ],
)
def test_speaker_and_tag_pages_announce_their_feeds(site: Path, page: str, feed: str) -> None:
    soup = BeautifulSoup((site / page).read_text(), "html.parser")
    links = {(link["type"], link["href"]) for link in soup.find_all("link", rel="alternate")}
    assert ("application/atom+xml", feed + "atom.xml") in links
    assert ("application/rss+xml", feed + "rss.xml") in links
    assert ("application/atom+xml", "../../feeds/atom.xml") in links
