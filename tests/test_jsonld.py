"""Structured data: the JSON-LD of each page type, Google's required properties, escaping."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from bs4 import BeautifulSoup

from conference_recaps.catalogue.model import Catalogue, Chapter, Conference, Speaker, Talk
from conference_recaps.discovery.jsonld import (
    chapter_clips,
    script_tag,
    talk_event,
    video_object,
    vimeo_id,
    youtube_id,
)

if TYPE_CHECKING:
    pass

BASE = "https://recaps.example.org/archive/"

#: Google's required properties per rich-result type (developers.google.com/search/docs).
REQUIRED = {
    "Event": {"name", "startDate", "location"},
    "VideoObject": {"name", "thumbnailUrl", "uploadDate"},
    "ProfilePage": {"mainEntity"},
    "BlogPosting": {"headline", "datePublished", "author"},
    "PodcastEpisode": {"name", "datePublished", "url"},
}


@pytest.fixture
def site(discovery_site: Path) -> Path:
    return discovery_site


def jsonld(page: Path) -> list[dict[str, Any]]:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    return [json.loads(s.string) for s in soup.find_all("script", type="application/ld+json")]


def by_type(items: list[dict[str, Any]], kind: str) -> dict[str, Any]:
    found = [item for item in items if item["@type"] == kind]
    assert len(found) == 1, items
    return found[0]


def assert_required(item: dict[str, Any]) -> None:
    missing = REQUIRED[item["@type"]] - {k for k, v in item.items() if v not in (None, "", [])}
    assert not missing, f"{item['@type']} lacks {missing}"
    assert item["@context"] == "https://schema.org"


def test_conference_event(site: Path) -> None:
    event = by_type(jsonld(site / "conferences/djangocon-us-2019/index.html"), "Event")
    assert_required(event)
    assert event["name"] == "DjangoCon US 2019"
    assert (event["startDate"], event["endDate"]) == ("2019-09-22", "2019-09-27")
    assert event["location"] == {
        "@type": "Place",
        "name": "San Diego, California, USA",
        "address": "San Diego, California, USA",
    }
    assert event["url"] == BASE + "conferences/djangocon-us-2019/"
    talk_ids = {sub["@id"] for sub in event["subEvent"]}
    assert BASE + "talks/djangocon-us-2019/just-add-await/#event" in talk_ids


def test_talk_event_is_a_sub_event_with_its_video(site: Path) -> None:
    items = jsonld(site / "talks/djangocon-us-2019/just-add-await/index.html")
    event = by_type(items, "Event")
    assert_required(event)
    assert event["superEvent"]["@id"] == BASE + "conferences/djangocon-us-2019/#event"
    assert event["performer"] == [
        {"@type": "Person", "name": "Andrew Godwin", "url": BASE + "speakers/andrew-godwin/"}
    ]
    video = by_type(items, "VideoObject")
    assert_required(video)
    assert video["thumbnailUrl"] == "https://i.ytimg.com/vi/d9BAUBEyFgM/hqdefault.jpg"
    assert video["embedUrl"] == "https://www.youtube-nocookie.com/embed/d9BAUBEyFgM"
    assert video["uploadDate"] == "2019-09-25"
    assert video["description"].startswith("Writing async code")


def test_talk_without_video_has_no_video_object(site: Path) -> None:
    items = jsonld(site / "talks/djangocon-us-2019/hardware/index.html")
    assert [item["@type"] for item in items] == ["Event", "BreadcrumbList"]


def test_speaker_profile(site: Path) -> None:
    profile = by_type(jsonld(site / "speakers/andrew-godwin/index.html"), "ProfilePage")
    assert_required(profile)
    assert profile["mainEntity"]["@type"] == "Person"
    assert profile["mainEntity"]["name"] == "Andrew Godwin"
    assert profile["mainEntity"]["alternateName"] == ["Andrew G."]


def test_blog_posting(site: Path) -> None:
    post = by_type(jsonld(site / "recaps/2019/djangocon/index.html"), "BlogPosting")
    assert_required(post)
    assert post["headline"] == "DjangoCon US 2019 in review"
    assert post["datePublished"] == "2019-10-28"
    assert [a["name"] for a in post["author"]] == ["Jane Contributor", "Sam Writer"]
    assert post["image"] == BASE + "_images/reception.png"
    assert post["isBasedOn"] == ["https://example.org/original-post"]
    assert post["about"] == {"@id": BASE + "conferences/djangocon-us-2019/#event"}


def test_podcast_episode(site: Path) -> None:
    episode = by_type(jsonld(site / "recaps/2019/podcast/index.html"), "PodcastEpisode")
    assert_required(episode)
    assert episode["associatedMedia"]["url"] == "https://podcast.example.org/42"


def test_script_in_a_title_stays_inside_the_json(site: Path) -> None:
    page = site / "talks/pycon-au-2021/async-everywhere/index.html"
    text = page.read_text(encoding="utf-8")
    head = text[: text.index("</head>")]
    assert "</script><b>" not in head
    assert "<script>alert(1)" not in text
    event = by_type(jsonld(page), "Event")
    assert event["name"] == "Async Everywhere </script><b>x</b>"
    assert event["superEvent"]["name"] == "PyCon AU 2021 </script><script>alert(1)</script>"


@pytest.mark.parametrize(
    "text",
    ["</script><script>alert(1)</script>", "<!--", "a & b", "\u2028", "]]>", '"quoted"'],
)
def test_script_tag_escapes(text: str) -> None:
    tag = script_tag({"name": text})
    inner = tag.removeprefix('<script type="application/ld+json">').removesuffix("</script>")
    assert not any(c in inner for c in "<>&\u2028")
    assert json.loads(inner) == {"name": text}


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.youtube.com/watch?v=d9BAUBEyFgM", "d9BAUBEyFgM"),
        ("https://youtu.be/d9BAUBEyFgM?t=10", "d9BAUBEyFgM"),
        ("https://www.youtube.com/embed/d9BAUBEyFgM", "d9BAUBEyFgM"),
        ("https://m.youtube.com/watch?v=d9BAUBEyFgM&list=x", "d9BAUBEyFgM"),
        ("https://www.youtube.com/watch?v=<script>", None),
        ("https://example.org/watch?v=d9BAUBEyFgM", None),
    ],
)
def test_youtube_id(url: str, expected: str | None) -> None:
    assert youtube_id(url) == expected


def test_vimeo_video_embeds_and_falls_back_to_the_site_image() -> None:
    assert vimeo_id("https://vimeo.com/123456789") == "123456789"
    conference = Conference("c", "C", datetime.date(2020, 1, 1), datetime.date(2020, 1, 2))
    talk = Talk("c/t", "c", "T", video="https://vimeo.com/123456789")
    catalogue = Catalogue([conference], [], [talk])
    video = video_object(
        talk, catalogue=catalogue, page=BASE, fallback_thumbnail=BASE + "_static/card.png"
    )
    assert video is not None
    assert video["embedUrl"] == "https://player.vimeo.com/video/123456789"
    assert video["thumbnailUrl"] == BASE + "_static/card.png"
    assert video["uploadDate"] == "2020-01-01"  # no talk date: the conference's first day
    assert video["description"] == "Recording of T at C."


def test_online_conference_has_a_virtual_location() -> None:
    conference = Conference(
        "c", "C", datetime.date(2020, 1, 1), datetime.date(2020, 1, 2), url="https://c.example"
    )
    talk = Talk("c/t", "c", "T", speakers=("s",))
    catalogue = Catalogue([conference], [Speaker("s", "S")], [talk])
    event = talk_event(
        talk, url=BASE, catalogue=catalogue, conference_url=None, speaker_url=lambda _: None
    )
    assert event["location"] == {"@type": "VirtualLocation", "url": "https://c.example"}
    assert event["performer"] == [{"@type": "Person", "name": "S"}]
    assert "@id" not in event["superEvent"]


@pytest.mark.parametrize(
    ("video", "first_url"),
    [
        ("https://youtu.be/d9BAUBEyFgM", "https://www.youtube.com/watch?v=d9BAUBEyFgM&t=0"),
        ("https://vimeo.com/123456789", "https://vimeo.com/123456789#t=0s"),
        ("https://example.org/talk.mp4", None),  # no documented time link: no clips
    ],
)
def test_chapters_are_clips_with_start_offset_and_url(video: str, first_url: str | None) -> None:
    chapters = (Chapter("0:00", "Opening"), Chapter("1:02:03", "Questions", ("s",)))
    conference = Conference("c", "C", datetime.date(2020, 1, 1), datetime.date(2020, 1, 2))
    talk = Talk("c/t", "c", "T", video=video, chapters=chapters)
    video_data = video_object(talk, catalogue=Catalogue([conference], [], [talk]), page=BASE)
    assert video_data is not None
    if first_url is None:
        assert chapter_clips(talk) == []
        assert "hasPart" not in video_data
        return
    first, last = video_data["hasPart"]
    assert first == {
        "@type": "Clip",
        "name": "Opening",
        "startOffset": 0,
        "endOffset": 3723,
        "url": first_url,
    }
    assert last["startOffset"] == 3723
    assert "endOffset" not in last  # the video's length is not known
    assert last["url"].replace("3723", "0") == first_url
