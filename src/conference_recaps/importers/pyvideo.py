"""Read a pyvideo.org category folder: ``category.json`` and ``videos/*.json``.

The format is pyvideo/data's (its JSON Schemas: ``category.schema.json`` and
``video.schema.json``). The category becomes the conference and each video one talk:

- conference id: the folder's name as a slug (or ``--conference-id``); name: ``title``;
  dates: ``start_date``/``end_date``, else the first and last ``recorded`` date of the
  videos; url: ``url``, else a related URL labelled as the conference's website;
  description: ``description``;
- talk: ``title``; ``speakers`` (names, matched to catalogue speakers at merge time);
  ``date`` from ``recorded``; ``abstract`` from ``description`` with only its whitespace
  normalised; ``video``: the first of ``videos``; ``slides``: the first related URL that
  is clearly slides (labelled so, or on a slide-sharing site); ``tags`` as slugs, minus
  the tags every video of the category carries (the conference's own name) and those
  that only name the kind; ``kind`` from the tags and title (keynote, lightning...).

A video file that is not valid JSON or lacks a required field is reported as
``file: message`` (with line and column for JSON errors) and skipped; the others are
still imported.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from conference_recaps.catalogue.model import TalkKind
from conference_recaps.importers.names import (
    normalise_line,
    normalise_text,
)
from conference_recaps.importers.records import (
    ConferenceRecord,
    ImportBatch,
    TalkRecord,
    clean_tags,
    guess_kind,
    kind_from_words,
)
from conference_recaps.importers.sources import (
    SLUG_RE,
    SourceError,
    optional_str,
    parse_date,
    problem,
    read_json,
)
from conference_recaps.text import slugify
from conference_recaps.urls import is_http_url

#: Fields pyvideo's video schema requires.
REQUIRED_VIDEO_FIELDS = ("title", "speakers", "recorded", "description", "videos")

_SLIDE_HOSTS = ("speakerdeck.com", "slideshare.net", "slides.com", "slid.es")


def _related(video: dict[str, Any]) -> list[tuple[str, str]]:
    """``related_urls`` as ``(label, url)`` pairs (plain strings have no label)."""
    pairs = []
    for item in video.get("related_urls") or ():
        if isinstance(item, str):
            pairs.append(("", item))
        elif isinstance(item, dict) and isinstance(item.get("url"), str):
            label = item.get("label")
            pairs.append((label if isinstance(label, str) else "", item["url"]))
    return pairs


def is_slides(label: str, url: str) -> bool:
    """Whether a related link is clearly the talk's slides."""
    words = label.casefold().split()
    if any(word.strip(":()") in {"slides", "slide", "deck", "slidedeck"} for word in words):
        return True
    parts = urlsplit(url)
    host = parts.netloc.lower().removeprefix("www.")
    if any(host == h or host.endswith("." + h) for h in _SLIDE_HOSTS):
        return True
    return host == "docs.google.com" and parts.path.startswith("/presentation/")


def _is_conference_site(label: str) -> bool:
    lowered = " ".join(label.casefold().split())
    return lowered in {"conference website", "conference site", "conference homepage", "website"}


def _kind_hint(related: list[tuple[str, str]]) -> str | None:
    """A session type the conference's own page names in its address (``/tutorials/x``)."""
    for _label, url in related:
        segments = [s for s in urlsplit(url).path.split("/") if s]
        if len(segments) >= 2 and kind_from_words(segments[0]) not in (None, TalkKind.talk):
            return segments[0]
    return None


def _check_video(path: Path, data: Any) -> str | None:
    """What is wrong with a video record, or ``None``."""
    if not isinstance(data, dict):
        return "a pyvideo video file holds one JSON object"
    missing = [name for name in REQUIRED_VIDEO_FIELDS if name not in data]
    if missing:
        return (
            f"missing required field{'s' if len(missing) > 1 else ''} "
            + ", ".join(repr(m) for m in missing)
            + " (pyvideo's video.schema.json requires "
            + ", ".join(REQUIRED_VIDEO_FIELDS)
            + ")"
        )
    if not isinstance(data["title"], str) or not data["title"].strip():
        return "'title' must be a non-empty string"
    speakers = data["speakers"]
    if not isinstance(speakers, list) or not all(isinstance(s, str) for s in speakers):
        return "'speakers' must be a list of names"
    if data["description"] is not None and not isinstance(data["description"], str):
        return "'description' must be a string or null"
    if data["recorded"] is not None and parse_date(data["recorded"]) is None:
        return f"'recorded' must be an ISO date (YYYY-MM-DD), not {data['recorded']!r}"
    videos = data["videos"]
    if (
        not isinstance(videos, list)
        or not videos
        or not all(isinstance(v, dict) and isinstance(v.get("url"), str) for v in videos)
    ):
        return "'videos' must be a non-empty list of objects with a 'url'"
    tags = data.get("tags")
    if tags is not None and (
        not isinstance(tags, list) or not all(isinstance(t, str) for t in tags)
    ):
        return "'tags' must be a list of strings"
    return None


def read_pyvideo(directory: Path, conference_id: str | None = None) -> ImportBatch:
    """Read a pyvideo category folder; raise :class:`SourceError` if it cannot be read at all."""
    if not directory.is_dir():
        raise SourceError([problem(directory, "not a folder (expected a pyvideo category)")])
    category_path = directory / "category.json"
    if not category_path.is_file():
        raise SourceError(
            [
                problem(
                    category_path,
                    "file not found: a pyvideo category folder holds category.json "
                    "and videos/*.json",
                )
            ]
        )
    category = read_json(category_path)
    if not isinstance(category, dict):
        raise SourceError([problem(category_path, "expected a JSON object")])
    title = optional_str(category.get("title"))
    if title is None:
        raise SourceError([problem(category_path, "missing required field 'title'")])
    videos_dir = directory / "videos"
    if not videos_dir.is_dir():
        raise SourceError([problem(videos_dir, "folder not found: expected videos/*.json")])
    if conference_id is None:
        conference_id = slugify(directory.resolve().name, fallback="conference")
    elif not SLUG_RE.fullmatch(conference_id):
        raise SourceError(
            [problem(directory, f"--conference-id {conference_id!r} is not a lowercase slug")]
        )

    batch = ImportBatch(ConferenceRecord(conference_id, normalise_line(title)))
    videos: list[tuple[Path, dict[str, Any]]] = []
    for path in sorted(videos_dir.glob("*.json")):
        try:
            data = read_json(path)
        except SourceError as exc:
            batch.problems.extend(exc.problems)
            continue
        error = _check_video(path, data)
        if error is not None:
            batch.problems.append(problem(path, error))
            continue
        videos.append((path, data))

    # A tag on every video of a category names the conference, not the talk's topic.
    tag_counts = Counter(
        slugify(t, fallback="tag") for _, v in videos for t in set(v.get("tags") or ())
    )
    everywhere = {t for t, n in tag_counts.items() if n == len(videos) and len(videos) > 1}
    site_counts: Counter[str] = Counter()

    for path, video in videos:
        related = _related(video)
        for label, url in related:
            if _is_conference_site(label) and is_http_url(url):
                site_counts[url] += 1
        video_url = video["videos"][0]["url"].strip()
        if not is_http_url(video_url):
            batch.problems.append(
                problem(path, f"video URL {video_url!r} is not http(s); left out")
            )
            video_url = None
        slides = next(
            (url.strip() for label, url in related if is_http_url(url) and is_slides(label, url)),
            None,
        )
        raw_tags = list(video.get("tags") or ())
        tags = tuple(t for t in clean_tags(raw_tags) if t not in everywhere)
        title_text = normalise_line(video["title"])
        description = video["description"]
        abstract = normalise_text(description) if description else None
        batch.talks.append(
            TalkRecord(
                title=title_text,
                source=problem(path, "").path,
                speakers=tuple(normalise_line(s) for s in video["speakers"] if s.strip()),
                kind=guess_kind(title_text, raw_tags, _kind_hint(related)),
                date=parse_date(video["recorded"]),
                abstract=abstract or None,
                video=video_url,
                slides=slides,
                tags=tags,
            )
        )

    start = parse_date(category.get("start_date"))
    end = parse_date(category.get("end_date"))
    for name in ("start_date", "end_date"):
        if category.get(name) is not None and parse_date(category.get(name)) is None:
            batch.problems.append(
                problem(category_path, f"{name!r} is not an ISO date: {category.get(name)!r}")
            )
    dates = sorted(t.date for t in batch.talks if t.date is not None)
    if start is None and dates:
        start = dates[0]
    if end is None and dates:
        end = dates[-1]
    site: str | None = category.get("url") if is_http_url(category.get("url")) else None
    if site is None and site_counts:
        site = site_counts.most_common(1)[0][0]
    description = optional_str(category.get("description"))
    batch.conference = ConferenceRecord(
        conference_id,
        normalise_line(title),
        start,
        end,
        site.strip() if site else None,
        normalise_text(description) if description else None,
    )
    return batch
