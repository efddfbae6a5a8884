"""Read a pyvideo.org category folder: ``category.json`` and ``videos/*.json``.

The format is pyvideo/data's (its JSON Schemas: ``category.schema.json`` and
``video.schema.json``). The category becomes the conference and each video one talk:

- conference id: the folder's name as a slug (or ``--conference-id``); name: ``title``;
  dates: ``start_date``/``end_date`` widened to cover every video's ``recorded`` date,
  else the first and last of those; ``kind: meetup`` when the videos spread over months
  (:func:`is_series`); url: ``url``, else a related URL labelled as the conference's
  website; description: ``description``;
- talk: ``title``; ``speakers`` (names, matched to catalogue speakers at merge time; a
  string naming several people split when that is unambiguous); ``date`` from
  ``recorded``; ``abstract`` from ``description``, converted to Markdown
  (:mod:`conference_recaps.importers.text`); ``video``: the first of ``videos``;
  ``slides``: the first related URL that is clearly slides (labelled so, or on a
  slide-sharing site); ``tags`` as slugs, minus the tags every video of the category
  carries (the conference's own name) and those that only name the kind; ``kind`` from
  the tags and title (keynote, lightning...).

Every text is cleaned (mojibake repaired, control characters removed), and records of
one video that name the same people are merged (:func:`_without_duplicates`). Each of
these decisions is a :class:`~conference_recaps.importers.records.Note` for the import's
summary and report. A video file that is not valid JSON or lacks a required field is
reported as ``file: message`` (with line and column for JSON errors) and skipped; the
others are still imported.
"""

from __future__ import annotations

import dataclasses
import datetime
import difflib
import re
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from conference_recaps.catalogue.model import TalkKind
from conference_recaps.importers.names import (
    loose_name_key,
    normalise_line,
    normalise_text,
    split_names,
    url_key,
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
    SourceError,
    display_path,
    optional_str,
    parse_date,
    problem,
    read_json,
)
from conference_recaps.importers.sources import (
    conference_id as source_conference_id,
)
from conference_recaps.importers.text import clean, description_to_markdown
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


def _talk_record(
    path: Path,
    video: dict[str, Any],
    everywhere: set[str],
    site_counts: Counter[str],
    batch: ImportBatch,
) -> TalkRecord:
    """One video as a talk; links to the conference's own site are counted in ``site_counts``.

    Its texts are cleaned and its description converted to Markdown; what was changed or
    left out is noted on ``batch``.
    """
    record = display_path(path)
    related = _related(video)
    for label, url in related:
        if _is_conference_site(label) and is_http_url(url):
            site_counts[url] += 1
    video_url = video["videos"][0]["url"].strip()
    if not is_http_url(video_url):
        batch.problems.append(problem(path, f"video URL {video_url!r} is not http(s); left out"))
        video_url = None
    raw_tags = list(video.get("tags") or ())
    title_text = normalise_line(_cleaned(batch, record, "title", video["title"]))
    description = video["description"]
    return TalkRecord(
        title=title_text,
        source=problem(path, "").path,
        speakers=_speakers(batch, record, video["speakers"]),
        kind=guess_kind(title_text, raw_tags, _kind_hint(related)),
        date=parse_date(video["recorded"]),
        abstract=_abstract(batch, record, description),
        video=video_url,
        slides=_slides(batch, record, related),
        tags=tuple(t for t in clean_tags(raw_tags) if t not in everywhere),
        raw_abstract=description if isinstance(description, str) else None,
    )


def _slides(batch: ImportBatch, record: str, related: list[tuple[str, str]]) -> str | None:
    """The first clearly-slides link; one that is not an absolute URL is noted and left out."""
    slides = None
    for label, url in related:
        if not is_slides(label, url):
            continue
        if is_http_url(url):
            slides = slides or url.strip()
        else:
            batch.note(
                "drop",
                record,
                f"slides link {url.strip()!r} is not an absolute http(s) URL (no site "
                "to resolve it against); left out",
            )
    return slides


def _abstract(batch: ImportBatch, record: str, description: str | None) -> str | None:
    """The description, cleaned and converted to Markdown once, here."""
    if not description or not description.strip():
        return None
    text = normalise_text(_cleaned(batch, record, "description", description))
    converted = description_to_markdown(text)
    batch.converted[converted.source_format] += 1
    for url in converted.dropped_links:
        batch.note(
            "drop",
            record,
            f"link target {url!r} in the description is not an absolute http(s) "
            "URL; its text is kept without the link",
        )
    return normalise_text(converted.text) or None


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
    conference_id = source_conference_id(conference_id, directory.resolve().name, directory)

    batch = ImportBatch(ConferenceRecord(conference_id, normalise_line(title)))
    videos: list[tuple[Path, dict[str, Any]]] = []
    for path in sorted(videos_dir.glob("*.json")):
        try:
            data = read_json(path)
        except SourceError as exc:
            batch.problems.extend(exc.problems)
            batch.note("skip", display_path(path), "; ".join(p.message for p in exc.problems))
            continue
        error = _check_video(path, data)
        if error is not None:
            batch.problems.append(problem(path, error))
            batch.note("skip", display_path(path), error)
            continue
        videos.append((path, data))

    # A tag on every video of a category names the conference, not the talk's topic.
    tag_counts = Counter(
        slugify(t, fallback="tag") for _, v in videos for t in set(v.get("tags") or ())
    )
    everywhere = {t for t, n in tag_counts.items() if n == len(videos) and len(videos) > 1}
    site_counts: Counter[str] = Counter()

    records = [_talk_record(path, video, everywhere, site_counts, batch) for path, video in videos]
    batch.talks = _without_duplicates(batch, records)

    for name in ("start_date", "end_date"):
        if category.get(name) is not None and parse_date(category.get(name)) is None:
            batch.problems.append(
                problem(category_path, f"{name!r} is not an ISO date: {category.get(name)!r}")
            )
    start, end, kind = _event_dates(
        batch,
        display_path(category_path),
        parse_date(category.get("start_date")),
        parse_date(category.get("end_date")),
    )
    site: str | None = category.get("url") if is_http_url(category.get("url")) else None
    if site is None and site_counts:
        site = site_counts.most_common(1)[0][0]
    description = optional_str(category.get("description"))
    batch.conference = ConferenceRecord(
        conference_id,
        normalise_line(_cleaned(batch, display_path(category_path), "title", title)),
        start,
        end,
        site.strip() if site else None,
        normalise_text(_cleaned(batch, display_path(category_path), "description", description))
        if description
        else None,
        kind,
    )
    return batch


def _cleaned(batch: ImportBatch, record: str, what: str, text: str) -> str:
    """``text`` with mojibake repaired and control characters removed, each noted."""
    result = clean(text)
    if result.controls:
        batch.note(
            "trim",
            record,
            f"{result.controls} control character{'s' * (result.controls != 1)} removed "
            f"from the {what} (YAML cannot hold them and no reader sees them)",
        )
    if result.mojibake:
        batch.note(
            "repair", record, f"mojibake repaired in the {what}: {_first_change(text, result.text)}"
        )
    return result.text


def _first_change(before: str, after: str) -> str:
    """``'piÃ¹' -> 'più'``: the first words that differ."""
    old, new = before.split(), after.split()
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            return f"{' '.join(old[i1:i2])[:60]!r} -> {' '.join(new[j1:j2])[:60]!r}"
    return "(whitespace only)"


def _speakers(batch: ImportBatch, record: str, names: list[str]) -> tuple[str, ...]:
    """The source's speaker names, cleaned; a string naming several people is split."""
    people: list[str] = []
    for raw in names:
        name = normalise_line(_cleaned(batch, record, "speaker name", raw))
        if not name:
            continue
        parts, clear = split_names(name)
        if len(parts) > 1:
            batch.note(
                "split",
                record,
                f"speaker {name!r} names {len(parts)} people: " + ", ".join(map(repr, parts)),
            )
        elif not clear:
            batch.note(
                "ambiguous",
                record,
                f"speaker {name!r} may name several people; kept as one (split it by hand "
                "if it does)",
            )
        people.extend(p for p in parts if p not in people)
    return tuple(people)


def _same_people(a: TalkRecord, b: TalkRecord) -> bool:
    """Whether two records of one video name the same people (or one names nobody)."""
    if not a.speakers or not b.speakers:
        return True
    return {loose_name_key(n) for n in a.speakers} == {loose_name_key(n) for n in b.speakers}


def _without_duplicates(batch: ImportBatch, records: list[TalkRecord]) -> list[TalkRecord]:
    """One record per talk: a talk is its video *and* its people, not its video alone.

    Two records of one video with the same speakers (or none on one side) are one talk
    recorded twice (scipy-2013's "...; SciPy 2013 Presentation" copies, pycon-kr-2024's
    Korean and English titles): they are merged, the one naming speakers kept. Records
    of one video with different speakers are different talks (a meetup's six talks in
    one recording, a panel in a sponsor's slot): all are kept, and noted.
    """
    kept: list[TalkRecord] = []
    by_video: dict[str, list[int]] = {}
    for record in records:
        key = url_key(record.video) if record.video else None
        same = next((i for i in by_video.get(key or "", ()) if _same_people(kept[i], record)), None)
        if key is None or same is None:
            if key is not None:
                by_video.setdefault(key, []).append(len(kept))
            kept.append(record)
            continue
        first = kept[same]
        main, other = (record, first) if record.speakers and not first.speakers else (first, record)
        kept[same] = dataclasses.replace(
            main,
            speakers=main.speakers or other.speakers,
            date=main.date or other.date,
            abstract=main.abstract or other.abstract,
            raw_abstract=main.raw_abstract if main.abstract else other.raw_abstract,
            slides=main.slides or other.slides,
            tags=main.tags or other.tags,
        )
        batch.note(
            "merge",
            other.source,
            f"same video and speakers as {main.source} ({main.title!r}); merged into it "
            f"(this record's title: {other.title!r})",
        )
    for indexes in by_video.values():
        if len(indexes) > 1:
            for i in indexes:
                others = [repr(kept[j].title) for j in indexes if j != i]
                batch.note(
                    "shared-video",
                    kept[i].source,
                    f"shares its video with {', '.join(others)} (other speakers); kept as "
                    "its own talk",
                )
    return kept


#: An event whose talks spread over more than this, with no two weeks holding half of
#: them, is a series of evenings (a meetup), not a conference.
_SERIES_SPAN = datetime.timedelta(days=90)
_CONFERENCE_WINDOW = datetime.timedelta(days=14)
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")


def is_series(dates: list[datetime.date], name: str = "") -> bool:
    """Whether talk dates look like a meetup series rather than one conference.

    Talks over more than 90 days are a series when no two weeks hold half of them
    (ChiPy: 90 talks on 40 evenings), or when the event's name has no year in it (a
    conference's has: ``pycon-us-2016``; ``phillypug``'s two talks, three years apart,
    are a user group's). A conference with a few misdated videos stays a conference.
    """
    if len(dates) < 2 or dates[-1] - dates[0] <= _SERIES_SPAN:
        return False
    if not _YEAR.search(name):
        return True
    best = 0
    low = 0
    for high, date in enumerate(dates):
        while date - dates[low] > _CONFERENCE_WINDOW:
            low += 1
        best = max(best, high - low + 1)
    return best * 2 < len(dates)


def _event_dates(
    batch: ImportBatch,
    record: str,
    start: datetime.date | None,
    end: datetime.date | None,
) -> tuple[datetime.date | None, datetime.date | None, str | None]:
    """The event's start, end and kind: they cover every talk's date, each change noted."""
    dates = sorted(t.date for t in batch.talks if t.date is not None)
    if not dates:
        return start, end or start, None
    first, last = dates[0], dates[-1]
    kind = None
    if is_series(dates, batch.conference.id):
        kind = "meetup"
        batch.note(
            "meetup",
            record,
            f"{len(batch.talks)} talks on {len(set(dates))} days from {first} to {last}: a "
            "series of evenings, marked kind: meetup",
        )
    if start is None and end is None:
        batch.note("dates", record, f"no dates in the category; {first} to {last} from its talks")
        return first, last, kind
    given = f"{start or '?'} to {end or '?'}"
    new_start = min(d for d in (start, first) if d is not None)
    new_end = max(d for d in (end, start, last) if d is not None)
    if (new_start, new_end) != (start, end):
        before = sum(1 for d in dates if start is not None and d < start)
        after = sum(1 for d in dates if end is not None and d > end)
        why = []
        if before:
            why.append(f"{before} talk{'s' * (before != 1)} dated before its start")
        if after:
            why.append(f"{after} talk{'s' * (after != 1)} dated after its end")
        if end is None:
            why.append("no end date given")
        batch.note(
            "dates",
            record,
            f"event dates {given} set to {new_start} to {new_end}: " + ", ".join(why),
        )
    return new_start, new_end, kind
