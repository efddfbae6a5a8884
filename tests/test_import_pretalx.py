"""``recaps import pretalx``: pretalx's frab-compatible schedule JSON."""

from __future__ import annotations

import datetime
import json
import shutil
from pathlib import Path

import pytest
import yaml

from conference_recaps.catalogue.model import TalkKind
from conference_recaps.cli import main
from conference_recaps.importers.pretalx import read_pretalx
from conference_recaps.importers.sources import SourceError

FIXTURE = Path(__file__).parent / "importers" / "pretalx" / "schedule.json"


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copy(FIXTURE, tmp_path / "schedule.json")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    return tmp_path


def test_read_the_export() -> None:
    batch = read_pretalx(FIXTURE)
    assert batch.problems == []
    conference = batch.conference
    assert (conference.id, conference.name) == ("democon-2025", "DemoCon 2025")
    assert (conference.start, conference.end) == (
        datetime.date(2025, 6, 2),
        datetime.date(2025, 6, 4),
    )
    assert conference.url == "https://pretalx.example.org/democon-2025/"
    talks = {t.title: t for t in batch.talks}
    assert list(talks) == ["Opening the Web Together", "3.10", "Hands-on Async Views"]

    keynote = talks["Opening the Web Together"]
    assert keynote.kind is TalkKind.keynote
    assert keynote.speakers == ("Grace Hopper",)
    assert keynote.date == datetime.date(2025, 6, 2)
    assert keynote.abstract == "Why the open web\nstill matters."
    assert keynote.video == "https://media.example.org/v/democon-2025-101"
    assert keynote.slides == (
        "https://pretalx.example.org/media/democon-2025/submissions/KEY1AB/resources/slides.pdf"
    )

    short = talks["3.10"]
    assert short.kind is TalkKind.talk
    assert short.speakers == ("Jose Garcia", "Grace Hopper")  # public_name of older exports
    assert short.abstract == "What changed in 3.10, briefly."  # description when no abstract
    assert short.video == "https://www.youtube.com/watch?v=DDDDDDDDDDD"
    assert short.tags == ("web-apis",)

    workshop = talks["Hands-on Async Views"]
    assert workshop.kind is TalkKind.workshop  # "Workshop (3 hours)"
    assert workshop.video is None
    assert workshop.date == datetime.date(2025, 6, 3)


def test_import_and_reimport(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = site / "talks.yaml"
    target.write_text(
        "speakers:\n  - id: jose\n    name: José García  # matched without accents\n",
        encoding="utf-8",
    )
    assert main(["import", "pretalx", "schedule.json"]) == 0
    text = target.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert [s["id"] for s in data["speakers"]] == ["ada-lovelace", "grace-hopper", "jose"]
    assert "    name: José García  # matched without accents\n" in text
    talks = {t["id"]: t for t in data["talks"]}
    assert talks["democon-2025/3-10"]["title"] == "3.10"  # quoted: not the number 3.1
    assert talks["democon-2025/3-10"]["speakers"] == ["jose", "grace-hopper"]
    assert talks["democon-2025/opening-the-web-together"]["kind"] == "keynote"
    first = target.read_bytes()
    capsys.readouterr()
    assert main(["import", "pretalx", "schedule.json"]) == 0
    assert target.read_bytes() == first
    assert "3 talks already up to date" in capsys.readouterr().out


def test_conference_id_option(site: Path) -> None:
    assert main(["import", "pretalx", "schedule.json", "--conference-id", "demo"]) == 0
    data = yaml.safe_load((site / "talks.yaml").read_text(encoding="utf-8"))
    assert data["conferences"][0]["id"] == "demo"


def test_not_an_export(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (site / "other.json").write_text('{"talks": []}', encoding="utf-8")
    assert main(["import", "pretalx", "other.json"]) == 1
    assert capsys.readouterr().err == (
        'other.json: not a pretalx schedule export: expected {"schedule": {"conference": '
        "...}} (download /<event>/schedule/export/schedule.json)\n"
    )


def test_invalid_json(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (site / "bad.json").write_text('{\n  "schedule": {,\n}', encoding="utf-8")
    assert main(["import", "pretalx", "bad.json"]) == 1
    assert capsys.readouterr().err == (
        "bad.json:2:16: invalid JSON: Expecting property name enclosed in double quotes\n"
    )


def test_bad_sessions_are_reported_and_the_rest_imported(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    rooms = data["schedule"]["conference"]["days"][1]["rooms"]
    rooms["Workshop Room"].append({"title": "", "persons": []})
    rooms["Hallway"] = "not a list"
    (site / "schedule.json").write_text(json.dumps(data), encoding="utf-8")
    assert main(["import", "pretalx", "schedule.json"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "schedule.json: day 2, room 'Workshop Room', session 2: missing 'title'",
        "schedule.json: day 2, room 'Hallway': expected a list of sessions",
    ]
    imported = yaml.safe_load((site / "talks.yaml").read_text(encoding="utf-8"))
    assert len(imported["talks"]) == 3


def test_missing_file() -> None:
    with pytest.raises(SourceError) as info:
        read_pretalx(Path("does-not-exist.json"))
    assert str(info.value.problems[0]) == "does-not-exist.json: file not found"
