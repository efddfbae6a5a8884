"""Conference calendars: parsed by icalendar, stable UIDs, all-day events, linked."""

from __future__ import annotations

import datetime
import shutil
from io import StringIO
from pathlib import Path

import icalendar
import pytest
from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp

BASE = "https://recaps.example.org/archive/"
ROOT = Path(__file__).parent / "roots" / "test-discovery"


@pytest.fixture
def site(discovery_site: Path) -> Path:
    return discovery_site


def parse(path: Path) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(path.read_bytes())


def events(calendar: icalendar.Calendar) -> dict[str, icalendar.Event]:
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def test_each_dated_talk_is_an_all_day_event(site: Path) -> None:
    calendar = parse(site / "conferences/djangocon-us-2019/calendar.ics")
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["X-WR-CALNAME"]) == "DjangoCon US 2019"
    found = events(calendar)
    assert set(found) == {
        "djangocon-us-2019@conference-recaps",
        "djangocon-us-2019/hardware@conference-recaps",
        "djangocon-us-2019/webassembly@conference-recaps",
        "djangocon-us-2019/just-add-await@conference-recaps",
    }
    talk = found["djangocon-us-2019/just-add-await@conference-recaps"]
    assert talk.decoded("DTSTART") == datetime.date(2019, 9, 25)
    assert not isinstance(talk.decoded("DTSTART"), datetime.datetime)  # all day
    assert talk.decoded("DTEND") == datetime.date(2019, 9, 26)
    assert str(talk["SUMMARY"]) == "Just Add Await: Retrofitting Async Into Django"
    assert str(talk["URL"]) == BASE + "talks/djangocon-us-2019/just-add-await/"
    description = str(talk["DESCRIPTION"])
    assert description.startswith("Talk at DjangoCon US 2019 by Andrew Godwin.")
    assert description.endswith(BASE + "talks/djangocon-us-2019/just-add-await/")
    assert str(talk["LOCATION"]) == "San Diego, California, USA"
    assert talk["DTSTAMP"].dt == datetime.datetime(2019, 9, 25, tzinfo=datetime.UTC)
    whole = found["djangocon-us-2019@conference-recaps"]
    assert whole.decoded("DTSTART") == datetime.date(2019, 9, 22)
    assert whole.decoded("DTEND") == datetime.date(2019, 9, 28)  # exclusive: the 27th is in


def test_an_undated_talk_is_left_out_not_given_a_date(site: Path) -> None:
    calendar = parse(site / "conferences/pycon-au-2021/calendar.ics")
    found = events(calendar)
    assert set(found) == {"pycon-au-2021@conference-recaps"}
    # The conference's name is text in a calendar: kept as written, nothing to run.
    assert str(found["pycon-au-2021@conference-recaps"]["SUMMARY"]).startswith(
        "PyCon AU 2021 </script>"
    )


def test_every_line_follows_rfc_5545(site: Path) -> None:
    data = (site / "conferences/djangocon-us-2019/calendar.ics").read_bytes()
    lines = data.split(b"\r\n")
    assert lines[0] == b"BEGIN:VCALENDAR"
    assert lines[-1] == b""  # every line ends in CRLF
    assert all(len(line) <= 75 for line in lines)  # folded
    assert b"\n" not in data.replace(b"\r\n", b"")


def test_the_conference_page_links_its_calendar(site: Path) -> None:
    soup = BeautifulSoup(
        (site / "conferences/djangocon-us-2019/index.html").read_text(), "html.parser"
    )
    (link,) = soup.find_all("link", type="text/calendar")
    assert link["href"] == "calendar.ics"
    assert link["rel"] == ["alternate"]
    visible = soup.select("a.recaps-calendar")
    assert [a["href"] for a in visible] == ["calendar.ics"]


def test_a_calendar_is_written_again_only_when_its_conference_changed(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(ROOT, site)

    def calendars() -> dict[str, int]:
        app = SphinxTestApp("dirhtml", srcdir=site, status=StringIO(), warning=StringIO())
        try:
            app.build()
        finally:
            app.cleanup()
        out = Path(app.outdir)
        return {p.relative_to(out).as_posix(): p.stat().st_mtime_ns for p in out.rglob("*.ics")}

    first = calendars()
    assert calendars() == first
    catalogue = site / "talks.yaml"
    catalogue.write_text(catalogue.read_text().replace("date: 2019-09-24", "date: 2019-09-26"))
    after = calendars()
    assert {name for name in after if after[name] != first[name]} == {
        "conferences/djangocon-us-2019/calendar.ics"
    }
    # A speaker's new name is in the calendars of their talks' conferences: the inputs a
    # calendar is made from include its talks' speakers, not only the conference.
    catalogue.write_text(catalogue.read_text().replace("name: Andrew Godwin", "name: A. Godwin"))
    renamed = calendars()
    assert {name for name in renamed if renamed[name] != after[name]} == {
        "conferences/djangocon-us-2019/calendar.ics"
    }
    ics = next(Path(tmp_path).rglob("djangocon-us-2019/calendar.ics")).read_text()
    assert "A. Godwin" in ics
