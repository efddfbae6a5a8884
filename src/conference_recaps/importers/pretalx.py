"""Read pretalx's schedule export: ``/<event>/schedule/export/schedule.json``.

This is the frab-compatible JSON (the c3voc schedule format) that every pretalx event
publishes: ``schedule.conference`` holds ``acronym``, ``title``, ``start``, ``end`` and
``days``; each day maps room names to the sessions held there. The mapping:

- conference id: ``--conference-id``, else the ``acronym`` (the event's slug) as a slug;
  name: ``title``; dates: ``start``/``end``; url: the schedule's ``base_url``;
- talk: ``title``; speakers: each person's ``name`` (``public_name`` in older exports);
  date: the day of ``date``; abstract: ``abstract``, else ``description``; kind: the
  session ``type`` when it names one (``Keynote``, ``Workshop``...), else from the
  title; tags: the ``track`` as a slug; video and slides: the first ``links`` or
  ``attachments`` entry that is clearly a recording or slides.

Breaks and other sessions without a title are skipped; a session that is not an
object, or has no title, is reported with its day and room.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from conference_recaps.importers.names import (
    normalise_line,
    normalise_text,
)
from conference_recaps.importers.pyvideo import is_slides
from conference_recaps.importers.records import (
    ConferenceRecord,
    ImportBatch,
    TalkRecord,
    clean_tags,
    guess_kind,
)
from conference_recaps.importers.sources import (
    SourceError,
    optional_str,
    parse_date,
    problem,
    read_json,
)
from conference_recaps.importers.sources import (
    conference_id as source_conference_id,
)
from conference_recaps.urls import is_http_url

_VIDEO_HOSTS = ("youtube.com", "youtu.be", "vimeo.com", "media.ccc.de", "peertube")


def is_video(title: str, url: str) -> bool:
    """Whether a link is clearly the session's recording."""
    words = {w.strip(":()").casefold() for w in title.split()}
    if words & {"video", "recording", "youtube", "vimeo"}:
        return True
    host = urlsplit(url).netloc.lower().removeprefix("www.")
    return any(host == h or host.endswith("." + h) or h in host for h in _VIDEO_HOSTS)


def _links(session: dict[str, Any]) -> list[tuple[str, str]]:
    pairs = []
    for name in ("links", "attachments"):
        for item in session.get(name) or ():
            if isinstance(item, dict) and isinstance(item.get("url"), str):
                title = item.get("title")
                pairs.append((title if isinstance(title, str) else "", item["url"].strip()))
    return pairs


def _person_name(person: object) -> str | None:
    if not isinstance(person, dict):
        return None
    name = optional_str(person.get("name")) or optional_str(person.get("public_name"))
    return normalise_line(name) if name else None


def read_pretalx(path: Path, conference_id: str | None = None) -> ImportBatch:
    """Read a pretalx schedule export; raise :class:`SourceError` if it cannot be read."""
    data = read_json(path)
    schedule = data.get("schedule") if isinstance(data, dict) else None
    conference = schedule.get("conference") if isinstance(schedule, dict) else None
    if not isinstance(conference, dict):
        raise SourceError(
            [
                problem(
                    path,
                    'not a pretalx schedule export: expected {"schedule": {"conference": '
                    "...}} (download /<event>/schedule/export/schedule.json)",
                )
            ]
        )
    assert isinstance(schedule, dict)
    title = optional_str(conference.get("title"))
    if title is None:
        raise SourceError([problem(path, "missing required field 'schedule.conference.title'")])
    acronym = optional_str(conference.get("acronym")) or title
    conference_id = source_conference_id(conference_id, acronym, path)
    days = conference.get("days")
    if not isinstance(days, list):
        raise SourceError([problem(path, "missing 'schedule.conference.days' (a list)")])

    batch = ImportBatch(ConferenceRecord(conference_id, normalise_line(title)))
    for day_number, day in enumerate(days, start=1):
        rooms = day.get("rooms") if isinstance(day, dict) else None
        if not isinstance(rooms, dict):
            batch.problems.append(problem(path, f"day {day_number}: 'rooms' must be an object"))
            continue
        day_date = parse_date(day.get("date"))
        for room, sessions in rooms.items():
            where = f"day {day_number}, room {room!r}"
            if not isinstance(sessions, list):
                batch.problems.append(problem(path, f"{where}: expected a list of sessions"))
                continue
            for number, session in enumerate(sessions, start=1):
                record = _read_session(session, day_date, problem(path, "").path)
                if isinstance(record, str):
                    batch.problems.append(problem(path, f"{where}, session {number}: {record}"))
                elif record is not None:
                    batch.talks.append(record)

    start, end = batch.dates(parse_date(conference.get("start")), parse_date(conference.get("end")))
    base_url = schedule.get("base_url")
    url = base_url.strip() if isinstance(base_url, str) and is_http_url(base_url) else None
    batch.conference = ConferenceRecord(
        conference_id,
        normalise_line(title),
        start,
        end,
        url,
    )
    return batch


def _read_session(
    session: object, day_date: datetime.date | None, source: str
) -> TalkRecord | str | None:
    """A talk, an error message, or ``None`` for a session to skip (a break)."""
    if not isinstance(session, dict):
        return "expected an object"
    title = optional_str(session.get("title"))
    if title is None:
        return "missing 'title'"
    persons = session.get("persons") or []
    if not isinstance(persons, list):
        return "'persons' must be a list"
    speakers = tuple(n for n in map(_person_name, persons) if n)
    links = [(t, u) for t, u in _links(session) if is_http_url(u)]
    video = next((u for t, u in links if is_video(t, u)), None)
    slides = next((u for t, u in links if is_slides(t, u)), None)
    abstract_source = optional_str(session.get("abstract")) or optional_str(
        session.get("description")
    )
    track = optional_str(session.get("track"))
    session_type = optional_str(session.get("type"))
    title_text = normalise_line(title)
    return TalkRecord(
        title=title_text,
        source=source,
        speakers=speakers,
        kind=guess_kind(title_text, (), session_type),
        date=parse_date(session.get("date")) or day_date,
        abstract=normalise_text(abstract_source) if abstract_source else None,
        video=video,
        slides=slides,
        tags=clean_tags([track] if track else []),
    )
