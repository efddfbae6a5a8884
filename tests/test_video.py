"""Talk pages put the video first, behind a facade that loads nothing from the host.

The browser half (a click loads the nocookie player) is in ``browser/test_reader_browser.py``.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

import pytest
from bs4 import BeautifulSoup

from conference_recaps.pages.video import video_of
from conftest import SITE_ROOT
from pages_helpers import soup
from quality.tools import ensure_npm_tools
from reader_helpers import build_reader

if TYPE_CHECKING:
    from pathlib import Path

AWAIT = "talks/djangocon-us-2019/just-add-await/"
VIMEO = "talks/djangocon-us-2019/hardware/"
ARCHIVE = "talks/djangocon-us-2019/archive/"
UNRECORDED = "talks/djangocon-us-2019/unrecorded/"
VIDEO_HOSTS = ("youtube.com", "youtube-nocookie.com", "ytimg.com", "vimeo.com", "google")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    outdir, warnings = build_reader(tmp_path_factory.mktemp("video"))
    assert "WARNING" not in warnings
    return outdir


@pytest.fixture(scope="module")
def no_thumbnails(tmp_path_factory: pytest.TempPathFactory) -> Path:
    outdir, warnings = build_reader(
        tmp_path_factory.mktemp("nothumbs"), recaps_video_thumbnails=False
    )
    assert "WARNING" not in warnings
    return outdir


def script_files(page: BeautifulSoup) -> list[str]:
    """The scripts a page loads, without their ``?v=`` cache busters."""
    return [str(s["src"]).split("?")[0] for s in page.find_all("script", src=True)]


def test_video_of_each_host() -> None:
    youtube = video_of("https://youtu.be/d9BAUBEyFgM")
    assert youtube is not None and youtube.kind == "youtube"
    assert youtube.embed.startswith("https://www.youtube-nocookie.com/embed/d9BAUBEyFgM?")
    assert youtube.poster == "https://i.ytimg.com/vi/d9BAUBEyFgM/hqdefault.jpg"
    vimeo = video_of("https://vimeo.com/123456789")
    assert vimeo is not None and vimeo.kind == "vimeo"
    assert vimeo.embed == "https://player.vimeo.com/video/123456789?dnt=1&autoplay=1"
    other = video_of("https://www.archive.org/details/x")
    assert other is not None and (other.kind, other.host) == ("other", "archive.org")
    assert video_of("javascript:alert(1)") is None
    assert video_of(None) is None
    quiet = video_of("https://youtu.be/d9BAUBEyFgM", thumbnails=False)
    assert quiet is not None and quiet.poster is None and quiet.thumbnail is None


def test_youtube_talk_opens_with_the_facade(site: Path) -> None:
    page = soup(site, AWAIT)
    article = page.select_one("article.bd-article")
    assert article is not None
    first = article.select_one(".recaps-talk-page > *")
    assert first is not None and "recaps-video" in first["class"]  # the video comes first
    facade = first.select_one("lite-youtube")
    assert facade is not None and facade["videoid"] == "d9BAUBEyFgM"
    assert not facade.has_attr("style")  # lite-youtube-embed sets the poster from the id
    # Without JavaScript, the play button is a link to the video.
    play = facade.select_one("a.lyt-playbtn")
    assert play is not None and play["href"] == "https://www.youtube.com/watch?v=d9BAUBEyFgM"
    assert "Just Add Await" in play.get_text()
    # No iframe and no script from a video host in the page as served.
    assert page.find("iframe") is None
    for tag in page.find_all(["script", "link", "iframe"]):
        source = str(tag.get("src") or tag.get("href") or "")
        assert not any(host in source for host in VIDEO_HOSTS), source
    scripts = script_files(page)
    assert any(s.endswith("vendor/lite-youtube-embed/lite-yt-embed.js") for s in scripts)
    assert any(s.endswith("recaps-video.js") for s in scripts)
    # Under the video: title, speakers, one line of facts, the slides button.
    assert page.select_one(".recaps-talk-page h1").get_text() == facade["title"]
    assert page.select_one(".recaps-talk-speakers").get_text(strip=True) == "Andrew Godwin"
    meta = page.select_one(".recaps-talk-meta").get_text(" ", strip=True)
    assert "DjangoCon US 2019" in meta and "25 September 2019" in meta and "#async" in meta
    slides = page.select_one("a.recaps-slides")
    assert slides is not None and slides["href"] == "https://example.org/slides/await"
    assert [p.get_text() for p in page.select("#abstract p")] == [
        "Writing async code from scratch is hard.",
        "Retrofitting it into Django is harder.",
    ]


def test_recaps_that_mention_a_talk_show_their_first_lines(site: Path) -> None:
    cards = soup(site, AWAIT).select("#recaps .recaps-rcard")
    assert len(cards) == 1
    assert cards[0].select_one("a.recaps-stretched").get_text() == "DjangoCon US 2019 in review"
    excerpt = cards[0].select_one(".recaps-rcard-excerpt").get_text()
    assert excerpt.startswith("Async arrived in Django this year")


def test_vimeo_talk_is_a_link_that_becomes_a_dnt_player(site: Path) -> None:
    page = soup(site, VIMEO)
    link = page.select_one(".recaps-video .recaps-vimeo a.recaps-play")
    assert link is not None
    assert link["href"] == "https://vimeo.com/123456789"
    facade = link.parent  # it keeps the player's address once the link is replaced
    assert facade["data-embed"] == "https://player.vimeo.com/video/123456789?dnt=1&autoplay=1"
    scripts = script_files(page)
    assert any(s.endswith("recaps-video.js") for s in scripts)
    assert not any("lite-yt-embed" in s for s in scripts)


def test_other_hosts_get_a_watch_on_button(site: Path) -> None:
    page = soup(site, ARCHIVE)
    button = page.select_one(".recaps-video a.recaps-watch-on")
    assert button is not None
    assert button.get_text() == "Watch on archive.org"
    assert button["href"] == "https://archive.org/details/recorded-elsewhere"
    scripts = [str(s.get("src", "")) for s in page.find_all("script")]
    assert not any("recaps-video.js" in s or "lite-yt" in s for s in scripts)


def test_pages_without_a_player_load_no_player_script(site: Path) -> None:
    for url in (UNRECORDED, "conferences/djangocon-us-2019/", ""):
        page = soup(site, url)
        assert page.select_one("lite-youtube") is None
        scripts = " ".join(str(s.get("src", "")) for s in page.find_all("script"))
        assert "lite-yt-embed" not in scripts and "recaps-video.js" not in scripts, url
    assert soup(site, UNRECORDED).select_one(".recaps-video") is None


def test_thumbnails_can_be_turned_off(no_thumbnails: Path) -> None:
    """Nothing the reader's browser loads comes from a video host (link previews may)."""
    for url in (AWAIT, "conferences/djangocon-us-2019/", "speakers/andrew-godwin/"):
        body = soup(no_thumbnails, url).select_one("article.bd-article")
        assert body is not None
        loaded = [str(img.get("src", "")) for img in body.find_all("img")]
        loaded += [str(tag.get("style", "")) for tag in body.find_all(style=True)]
        assert not any("ytimg.com" in item for item in loaded), url
    facade = soup(no_thumbnails, AWAIT).select_one("lite-youtube")
    # lite-youtube-embed sets no poster of its own when the element has a background.
    assert facade is not None and "background-image: none" in facade["style"]


def test_vendored_lite_youtube_embed_is_the_pinned_npm_release() -> None:
    """The vendored files are byte for byte those of the version package.json pins."""
    ensure_npm_tools()
    installed = SITE_ROOT / "node_modules" / "lite-youtube-embed"
    vendored = SITE_ROOT / "src" / "conference_recaps" / "static" / "vendor" / "lite-youtube-embed"
    for name, source in (
        ("lite-yt-embed.js", "src/lite-yt-embed.js"),
        ("lite-yt-embed.css", "src/lite-yt-embed.css"),
        ("LICENSE", "LICENSE"),
    ):
        digest = hashlib.sha256((installed / source).read_bytes()).hexdigest()
        assert hashlib.sha256((vendored / name).read_bytes()).hexdigest() == digest, name
    version = (installed / "package.json").read_text(encoding="utf-8")
    assert '"version": "0.3.4"' in version
    assert "0.3.4" in (vendored / "README.md").read_text(encoding="utf-8")
