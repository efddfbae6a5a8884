"""An iCalendar file per conference, ``/conferences/<conference-id>/calendar.ics``.

A calendar holds one all-day event for the conference (its first to its last day) and
one event per talk with a date: its title, its page, its speakers, the conference's
place and the talk's tags. The catalogue records days, not times, so every event is an
all-day event (``DTSTART;VALUE=DATE``), and a talk without a date is left out rather than
given an invented one. Each event's ``UID`` is made from the talk's (or conference's)
id alone, so a calendar application that subscribed to the file updates the same events
when it changes, wherever the site is served from.

Files are written by `icalendar`_ (RFC 5545: escaping, line folding, CRLF) after the
HTML build, each only when its bytes changed; calendars of conferences that left the
catalogue are removed. ``DTSTAMP``, which RFC 5545 requires, is the event's own day at
midnight UTC, not the clock, so two builds of one commit write the same bytes. The
conference page links its calendar, visibly and with ``<link rel="alternate">``.

.. _icalendar: https://icalendar.readthedocs.io/
"""

from __future__ import annotations

import datetime
import html
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import icalendar
from sphinx.util import logging
from sphinx.util.osutil import relative_uri

from conference_recaps.discovery.outputs import IncrementalFiles, digest
from conference_recaps.discovery.site import base_url, classify, page_url, speaker_names
from conference_recaps.domain import get_catalogue
from conference_recaps.fingerprint import code_fingerprint
from conference_recaps.inputs import catalogue_inputs
from conference_recaps.page_parts import page_part
from conference_recaps.urls import FOLDERS, catalogue_page

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx
    from sphinx.builders import Builder

    from conference_recaps.catalogue.model import Catalogue, Conference, Talk

logger = logging.getLogger(__name__)

CALENDAR_NAME = "calendar.ics"
#: The right-hand side of every UID: fixed, so a UID does not change with the host.
UID_DOMAIN = "conference-recaps"
PRODID = "-//Conference Recaps//Conference calendar//EN"
#: Control characters: not allowed in iCalendar text values (RFC 5545, 3.3.11).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")


def calendar_path(conference_id: str) -> str:
    """``conferences/<conference-id>/calendar.ics``, relative to the output folder."""
    return f"{FOLDERS['conference']}/{conference_id}/{CALENDAR_NAME}"


def _text(value: str) -> str:
    return _CONTROL.sub("", value)


def _line(value: str) -> str:
    """One line: a name or title with a line break would otherwise break the file
    (icalendar refuses unescaped line breaks in properties it does not escape)."""
    return " ".join(_text(value).split())


def _stamp(day: datetime.date) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, tzinfo=datetime.UTC)


def _all_day(event: icalendar.Event, first: datetime.date, last: datetime.date) -> None:
    """An all-day event from ``first`` to ``last`` inclusive (DTEND is exclusive)."""
    event.add("dtstart", first)
    event.add("dtend", last + datetime.timedelta(days=1))


def talk_event(
    builder: Builder, catalogue: Catalogue, conference: Conference, talk: Talk
) -> icalendar.Event | None:
    """The talk's event, or None when the catalogue gives it no date."""
    if talk.date is None:
        return None
    event = icalendar.Event()
    event.add("uid", f"{talk.id}@{UID_DOMAIN}")
    event.add("dtstamp", _stamp(talk.date))
    _all_day(event, talk.date, talk.date)
    event.add("summary", _line(talk.title))
    url = page_url(builder, catalogue_page("talk", talk.id))
    event.add("url", url)
    names = speaker_names(catalogue, talk)
    lines = [f"{talk.kind.value.capitalize()} at {conference.name}"]
    if names:
        lines[0] += f" by {', '.join(names)}"
    lines[0] += "."
    if talk.abstract:
        lines.append(talk.abstract.strip())
    lines.append(url)
    event.add("description", _text("\n\n".join(lines)))
    if conference.location:
        event.add("location", _line(conference.location))
    if talk.tags:
        event.add("categories", list(talk.tags))
    return event


def conference_calendar(
    builder: Builder, catalogue: Catalogue, conference: Conference
) -> icalendar.Calendar:
    """The conference's calendar: the conference itself, then its dated talks."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    page = page_url(builder, catalogue_page("conference", conference.id))
    calendar.add("name", _line(conference.name))  # RFC 7986
    calendar.add("x-wr-calname", _line(conference.name))  # what Apple and Google read
    calendar.add("url", page)
    whole = icalendar.Event()
    whole.add("uid", f"{conference.id}@{UID_DOMAIN}")
    whole.add("dtstamp", _stamp(conference.start))
    _all_day(whole, conference.start, conference.end)
    whole.add("summary", _line(conference.name))
    whole.add("url", page)
    if conference.location:
        whole.add("location", _line(conference.location))
    whole.add("description", _text(conference.description or conference.name) + f"\n\n{page}")
    calendar.add_component(whole)
    for talk in catalogue.talks_of_conference(conference.id):
        event = talk_event(builder, catalogue, conference, talk)
        if event is not None:
            calendar.add_component(event)
    return calendar


def write_calendars(app: Sphinx) -> IncrementalFiles:
    """Write each conference's calendar whose content changed; remove departed ones."""
    builder = app.builder
    catalogue = get_catalogue(app.env)
    files = IncrementalFiles(
        Path(app.outdir), Path(app.doctreedir) / f"recaps-calendars.{builder.name}"
    )
    # What a calendar is made from: its conference, its talks and their speakers' names,
    # where pages are (the base URL and the builder), and the code that writes it.
    common = (builder.name, base_url(builder.config), code_fingerprint())
    if files.kept(catalogue_inputs(app)):
        files.finish()
        return files
    for conference in catalogue.conferences.values():
        relpath = calendar_path(conference.id)
        talks = tuple(catalogue.talks_of_conference(conference.id))
        names = tuple(tuple(speaker_names(catalogue, talk)) for talk in talks)
        if files.unchanged(relpath, digest(common, conference, talks, names)):
            continue
        calendar = conference_calendar(builder, catalogue, conference)
        files.write(relpath, calendar.to_ical())
    files.finish()
    return files


def _write_calendars(app: Sphinx, exception: BaseException | None) -> None:
    if exception is not None or app.builder.name not in {"html", "dirhtml"}:
        return
    write_calendars(app)


@page_part("metatags")
def _announce_calendar(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: dict[str, Any],
    doctree: nodes.document | None,
) -> None:
    """``<link rel="alternate" type="text/calendar">`` on a conference's page."""
    if app.builder.format != "html" or "metatags" not in context:
        return
    subject = classify(app.env, pagename)
    if subject.kind != "conference":
        return
    href = relative_uri(app.builder.get_target_uri(pagename), calendar_path(subject.entry.id))
    title = f"{subject.entry.name} (iCalendar)"
    context["metatags"] += (
        f'<link rel="alternate" type="text/calendar" title="{html.escape(title)}" '
        f'href="{html.escape(href)}" />\n'
    )


def setup_calendar(app: Sphinx) -> None:
    app.connect("html-page-context", _announce_calendar, priority=600)
    app.connect("build-finished", _write_calendars, priority=650)
