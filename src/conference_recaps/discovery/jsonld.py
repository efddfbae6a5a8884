"""Structured data: schema.org JSON-LD in every catalogue page and recap.

=================  =============================================================
page               what it says
=================  =============================================================
conference         an ``Event`` (name, startDate, endDate, location, url) whose
                   ``subEvent`` are its talks
talk               an ``Event`` whose ``superEvent`` is its conference, with the
                   speakers as ``performer``; plus a ``VideoObject`` when the talk
                   has a video (YouTube thumbnails and embed URLs come from the
                   video's id), its chapters as ``hasPart`` ``Clip`` s
speaker            a ``ProfilePage`` whose ``mainEntity`` is a ``Person``
recap              a ``BlogPosting`` (``PodcastEpisode`` for podcast recaps) with
                   headline, datePublished, author and image when the post has one
home page          a ``WebSite``
=================  =============================================================

The builders are pure functions of catalogue objects and URLs, so they are tested
without Sphinx. The data is serialised by :func:`script_tag`, which escapes ``<``,
``>`` and ``&`` as ``\\u003c`` and so on: a title holding ``</script>`` stays a string.

A video's ``uploadDate`` is the day the talk was given (the catalogue does not record
when the video went online; recordings are published within days of most talks).
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from docutils import nodes

from conference_recaps.discovery.site import (
    absolute,
    base_url,
    classify,
    page_url,
    shorten,
    talk_date,
)
from conference_recaps.domain import get_catalogue
from conference_recaps.page_parts import page_part
from conference_recaps.urls import catalogue_page, is_http_url
from conference_recaps.video import video_at, vimeo_id, youtube_id

if TYPE_CHECKING:
    from collections.abc import Callable

    from sphinx.application import Sphinx

    from conference_recaps.catalogue.model import Catalogue, Conference, Speaker, Talk
    from conference_recaps.frontmatter import RecapMeta

CONTEXT = "https://schema.org"

_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def script_tag(data: dict[str, Any]) -> str:
    """``<script type="application/ld+json">`` holding ``data``, safe inside HTML."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = re.sub("[<>&\u2028\u2029]", lambda m: _ESCAPES[m.group()], text)
    return f'<script type="application/ld+json">{text}</script>'


def person(name: str, url: str | None = None, same_as: str | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {"@type": "Person", "name": name}
    if url:
        data["url"] = url
    if same_as:
        data["sameAs"] = same_as
    return data


def place(conference: Conference) -> dict[str, Any]:
    """Where a conference took place; an online event without a location gets its URL."""
    if conference.location:
        return {"@type": "Place", "name": conference.location, "address": conference.location}
    return {"@type": "VirtualLocation", "url": conference.url} if conference.url else {}


def conference_event(
    conference: Conference,
    *,
    url: str,
    talks: list[tuple[Talk, str]] = (),  # type: ignore[assignment]
) -> dict[str, Any]:
    """The ``Event`` of a conference page; ``talks`` pairs each talk with its page URL."""
    data: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "Event",
        "@id": url + "#event",
        "name": conference.name,
        "startDate": conference.start.isoformat(),
        "endDate": conference.end.isoformat(),
        "eventStatus": "https://schema.org/EventScheduled",
        "url": url,
    }
    location = place(conference)
    if location:
        data["location"] = location
        data["eventAttendanceMode"] = (
            "https://schema.org/OfflineEventAttendanceMode"
            if location["@type"] == "Place"
            else "https://schema.org/OnlineEventAttendanceMode"
        )
    if conference.description:
        data["description"] = shorten(conference.description, 500)
    if conference.url:
        data["sameAs"] = conference.url
    if conference.series:
        data["superEvent"] = {"@type": "EventSeries", "name": conference.series}
    if talks:
        data["subEvent"] = [
            {"@type": "Event", "@id": talk_url + "#event", "name": talk.title, "url": talk_url}
            for talk, talk_url in talks
        ]
    return data


def talk_event(
    talk: Talk,
    *,
    url: str,
    catalogue: Catalogue,
    conference_url: str | None,
    speaker_url: Callable[[str], str | None],
) -> dict[str, Any]:
    """The ``Event`` of a talk page, a ``subEvent`` of its conference's."""
    conference = catalogue.conferences.get(talk.conference)
    date = talk_date(catalogue, talk)
    data: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "Event",
        "@id": url + "#event",
        "name": talk.title,
        "url": url,
        "eventStatus": "https://schema.org/EventScheduled",
    }
    if date is not None:
        data["startDate"] = data["endDate"] = date.isoformat()
    if talk.abstract:
        data["description"] = shorten(talk.abstract, 500)
    performers = []
    for speaker_id in talk.speakers:
        speaker = catalogue.speakers.get(speaker_id)
        if speaker is not None:
            performers.append(person(speaker.name, speaker_url(speaker_id)))
    if performers:
        data["performer"] = performers
    if conference is not None:
        location = place(conference)
        if location:
            data["location"] = location
        parent: dict[str, Any] = {
            "@type": "Event",
            "name": conference.name,
            "startDate": conference.start.isoformat(),
            "endDate": conference.end.isoformat(),
        }
        if conference_url:
            parent["@id"] = conference_url + "#event"
            parent["url"] = conference_url
        data["superEvent"] = parent
    if talk.tags:
        data["keywords"] = ", ".join(talk.tags)
    return data


def video_object(
    talk: Talk, *, catalogue: Catalogue, page: str, fallback_thumbnail: str | None = None
) -> dict[str, Any] | None:
    """The ``VideoObject`` of a talk's recording, or None without a video."""
    if not talk.video:
        return None
    date = talk_date(catalogue, talk)
    data: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "VideoObject",
        "@id": page + "#video",
        "name": talk.title,
        "description": shorten(talk.abstract, 500)
        if talk.abstract
        else _video_summary(talk, catalogue),
        "url": talk.video,
        "recordedAt": {"@id": page + "#event"},
    }
    if date is not None:
        data["uploadDate"] = date.isoformat()
    if (ident := youtube_id(talk.video)) is not None:
        data["thumbnailUrl"] = f"https://i.ytimg.com/vi/{ident}/hqdefault.jpg"
        data["embedUrl"] = f"https://www.youtube-nocookie.com/embed/{ident}"
    elif (ident := vimeo_id(talk.video)) is not None:
        data["embedUrl"] = f"https://player.vimeo.com/video/{ident}"
    elif re.search(r"\.(mp4|webm|m4v|mov|ogv)$", urlsplit(talk.video).path, re.IGNORECASE):
        data["contentUrl"] = talk.video
    if "thumbnailUrl" not in data and fallback_thumbnail:
        data["thumbnailUrl"] = fallback_thumbnail
    if clips := chapter_clips(talk):
        data["hasPart"] = clips
    return data


def chapter_clips(talk: Talk) -> list[dict[str, Any]]:
    """The talk's chapters as ``Clip`` parts, Google's "key moments" markup.

    Google needs each clip's ``url`` to start the video at ``startOffset``, so there are
    clips only when the video's host documents a time link (:func:`video_at`). A clip
    ends where the next begins; the last one's end is not known and is left out.
    """
    clips: list[dict[str, Any]] = []
    chapters = talk.chapters
    for index, chapter in enumerate(chapters):
        url = video_at(talk.video, chapter.seconds)
        if url is None:
            return []
        clip: dict[str, Any] = {
            "@type": "Clip",
            "name": chapter.title,
            "startOffset": chapter.seconds,
            "url": url,
        }
        if index + 1 < len(chapters):
            clip["endOffset"] = chapters[index + 1].seconds
        clips.append(clip)
    return clips


def video_thumbnail(video: str | None) -> str | None:
    ident = youtube_id(video) if video else None
    return f"https://i.ytimg.com/vi/{ident}/hqdefault.jpg" if ident else None


def _video_summary(talk: Talk, catalogue: Catalogue) -> str:
    conference = catalogue.conferences.get(talk.conference)
    names = [catalogue.speakers[s].name for s in talk.speakers if s in catalogue.speakers]
    by = f" by {', '.join(names)}" if names else ""
    at = f" at {conference.name}" if conference else ""
    return f"Recording of {talk.title}{by}{at}."


def speaker_profile(
    speaker: Speaker,
    *,
    url: str,
    talks: list[tuple[Talk, str]] = (),  # type: ignore[assignment]
) -> dict[str, Any]:
    """The ``ProfilePage`` of a speaker page, about a ``Person``."""
    entity: dict[str, Any] = {"@type": "Person", "@id": url + "#person", "name": speaker.name}
    if speaker.public_aliases:
        entity["alternateName"] = list(speaker.public_aliases)
    if speaker.url:
        entity["sameAs"] = speaker.url
    data: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "ProfilePage",
        "url": url,
        "mainEntity": entity,
    }
    if talks:
        data["hasPart"] = [
            {"@type": "Event", "@id": talk_url + "#event", "name": talk.title, "url": talk_url}
            for talk, talk_url in talks
        ]
    return data


def recap_posting(
    meta: Any,
    *,
    url: str,
    headline: str,
    image: str | None,
    description: str | None,
    conference_url: str | None,
    publisher: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A recap's ``BlogPosting``, or ``PodcastEpisode`` when its kind is podcast."""
    kind = meta.kind.value
    data: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "PodcastEpisode" if kind == "podcast" else "BlogPosting",
        "url": url,
        "mainEntityOfPage": url,
    }
    if kind == "podcast":
        data["name"] = headline
    else:
        data["headline"] = headline
    data["datePublished"] = meta.date.isoformat()
    if meta.authors:
        data["author"] = [person(name) for name in meta.authors]
    if image:
        data["image"] = image
    if publisher:
        data["publisher"] = publisher
    if description:
        data["description"] = description
    if meta.tags:
        data["keywords"] = ", ".join(meta.tags)
    if conference_url:
        data["about"] = {"@id": conference_url + "#event"}
    sources = []
    for source in meta.sources:
        if source.url is not None and is_http_url(source.url):
            sources.append(source.url)
    if sources:
        data["isBasedOn"] = sources
        if kind == "podcast":
            data["associatedMedia"] = {"@type": "MediaObject", "url": sources[0]}
    return data


def website(*, name: str, url: str) -> dict[str, Any]:
    return {"@context": CONTEXT, "@type": "WebSite", "name": name, "url": url}


def first_image(
    app: Sphinx, pagename: str, doctree: nodes.document | None
) -> tuple[str, str] | None:
    """The absolute URL and alt text of a page's first image.

    By ``html-page-context`` the writer has already pointed each image at its copy in
    ``_images/``, relative to the page; that is resolved against the page's URL.
    """
    if doctree is None:
        return None
    for image in doctree.findall(nodes.image):
        uri = str(image.get("uri", ""))
        alt = str(image.get("alt", ""))
        if not uri or uri.startswith("data:"):
            continue
        images: dict[str, str] = getattr(app.builder, "images", {})
        if uri in images:
            return absolute(app.builder, f"_images/{images[uri]}"), alt
        return urljoin(page_url(app.builder, pagename), uri), alt
    return None


def structured_data(
    app: Sphinx, pagename: str, context: dict[str, Any], doctree: nodes.document | None
) -> list[dict[str, Any]]:
    """The JSON-LD objects of one page (none for pages that are not content)."""
    env = app.env
    builder = app.builder
    subject = classify(env, pagename)
    catalogue = get_catalogue(env)
    url = page_url(builder, pagename)

    def url_of(kind: str, ident: str) -> str:
        return page_url(builder, catalogue_page(kind, ident))

    def speaker_url(ident: str) -> str | None:
        return url_of("speaker", ident) if ident in catalogue.speakers else None

    if subject.kind == "conference":
        conference: Conference = subject.entry
        talks = [(t, url_of("talk", t.id)) for t in catalogue.talks_of_conference(conference.id)]
        return [conference_event(conference, url=url, talks=talks)]
    if subject.kind == "talk":
        talk: Talk = subject.entry
        conference_url = (
            url_of("conference", talk.conference)
            if talk.conference in catalogue.conferences
            else None
        )
        found = [
            talk_event(
                talk,
                url=url,
                catalogue=catalogue,
                conference_url=conference_url,
                speaker_url=speaker_url,
            )
        ]
        video = video_object(
            talk, catalogue=catalogue, page=url, fallback_thumbnail=site_image(app)
        )
        if video is not None:
            found.append(video)
        return found
    if subject.kind == "speaker":
        speaker: Speaker = subject.entry
        talks = [(t, url_of("talk", t.id)) for t in catalogue.talks_of_speaker(speaker.id)]
        return [speaker_profile(speaker, url=url, talks=talks)]
    if subject.kind == "recap":
        meta: RecapMeta = subject.entry
        image = first_image(app, pagename, doctree)
        conference_url = (
            url_of("conference", meta.conference)
            if meta.conference is not None and meta.conference in catalogue.conferences
            else None
        )
        title = meta.title
        description = meta.description
        return [
            recap_posting(
                meta,
                url=url,
                headline=title,
                image=image[0] if image else context.get("recaps_card"),
                description=description,
                conference_url=conference_url,
                publisher=publisher(app, context),
            )
        ]
    if pagename == app.config.root_doc:
        name = str(app.config.html_title or app.config.project)
        return [website(name=name, url=base_url(app.config))]
    return []


def publisher(app: Sphinx, context: dict[str, Any]) -> dict[str, Any]:
    """The site as an article's ``publisher``, with its logo (Google's article rich result)."""
    name = str(app.config.html_title or app.config.project)
    data: dict[str, Any] = {"@type": "Organization", "name": name, "url": base_url(app.config)}
    logo = (app.config.html_theme_options or {}).get("logo", {}).get("image_light")
    logo = logo or app.config.html_logo or context.get("recaps_site_card")
    if isinstance(logo, str) and logo:
        url = logo if re.match(r"^https?://", logo) else absolute(app.builder, logo)
        data["logo"] = {"@type": "ImageObject", "url": url}
    return data


def site_image(app: Sphinx) -> str | None:
    image = getattr(app.config, "ogp_image", None)
    if not image:
        return None
    return image if is_http_url(image) else absolute(app.builder, image)


@page_part("metatags")
def _add_structured_data(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: dict[str, Any],
    doctree: nodes.document | None,
) -> None:
    if app.builder.format != "html" or "metatags" not in context:
        return
    found = structured_data(app, pagename, context, doctree)
    if found:
        context["metatags"] += "\n" + "\n".join(script_tag(data) for data in found) + "\n"


def setup_jsonld(app: Sphinx) -> None:
    app.connect("html-page-context", _add_structured_data, priority=600)
