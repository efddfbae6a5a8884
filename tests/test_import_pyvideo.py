"""``recaps import pyvideo``: reading pyvideo.org folders, and the file it writes."""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml

from conference_recaps.cli import main
from conference_recaps.importers.pyvideo import is_series, read_pyvideo
from conference_recaps.importers.sources import SourceError

FIXTURES = Path(__file__).parent / "importers" / "pyvideo"

#: What importing tests/importers/pyvideo/democon-2024 into an empty catalogue writes.
EXPECTED = """\
conferences:
  - id: democon-2024
    name: DemoCon 2024
    start: 2024-05-01
    end: 2024-05-03
    url: https://democon.example.org/
    description: A small conference made up for the importer's tests.
speakers:
  - id: ada-lovelace
    name: Ada Lovelace
  - id: jose-garcia
    name: José García
  - id: sigurd-ljodal
    name: Sigurd Ljødal
talks:
  - id: democon-2024/django-rest-framework-moving-past-the-tutorial-to-production
    conference: democon-2024
    title: 'Django REST Framework: Moving Past the Tutorial to Production'
    speakers:
      - ada-lovelace
      - sigurd-ljodal
    kind: talk
    date: 2024-05-01
    abstract: One line abstract.
    video: https://youtu.be/CCCCCCCCCCC
    slides: https://example.com/decks/moving-past.pdf
    tags:
      - django-rest-framework
      - apis
  - id: democon-2024/lightning-talks-day-1
    conference: democon-2024
    title: Lightning Talks Day 1
    kind: lightning
    date: 2024-05-01
    video: https://www.youtube.com/watch?v=BBBBBBBBBBB
  - id: democon-2024/keynote-the-state-of-things
    conference: democon-2024
    title: 'Keynote: The State of Things'
    speakers:
      - jose-garcia
    kind: keynote
    date: 2024-05-02
    abstract: |-
      DemoCon 2024 - Keynote: The State of Things by José  García

      Where things stand.

      And where they go next.
    video: https://www.youtube.com/watch?v=AAAAAAAAAAA
  - id: democon-2024/no
    conference: democon-2024
    title: "NO"
    speakers:
      - ada-lovelace
    kind: talk
    date: 2024-05-03
    video: https://vimeo.com/123456
"""


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty site root as the working directory, with copies of the fixtures."""
    shutil.copytree(FIXTURES, tmp_path / "pyvideo")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    return tmp_path


def test_import_into_an_empty_catalogue(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", "pyvideo", "pyvideo/democon-2024"]) == 0
    assert (site / "talks.yaml").read_text(encoding="utf-8") == EXPECTED
    out = capsys.readouterr().out
    assert "democon-2024: added 1 conference, 3 speakers, 4 talks" in out
    assert "wrote talks.yaml" in out


def test_a_second_import_changes_nothing(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", "pyvideo", "pyvideo/democon-2024"]) == 0
    target = site / "talks.yaml"
    first = target.read_bytes()
    stamp = target.stat().st_mtime_ns
    capsys.readouterr()
    assert main(["import", "pyvideo", "pyvideo/democon-2024"]) == 0
    assert target.read_bytes() == first
    assert target.stat().st_mtime_ns == stamp  # not even rewritten
    out = capsys.readouterr().out
    assert "added nothing; filled fields of 0 existing entries; 4 talks already up to date" in out
    assert "nothing to change" in out


def test_output_reads_the_same_in_yaml_1_1(site: Path) -> None:
    """``NO`` is a boolean to PyYAML unless quoted; dates stay dates."""
    assert main(["import", "pyvideo", "pyvideo/democon-2024"]) == 0
    data = yaml.safe_load((site / "talks.yaml").read_text(encoding="utf-8"))
    assert [t["title"] for t in data["talks"]][-1] == "NO"
    assert str(data["conferences"][0]["start"]) == "2024-05-01"


def test_conference_id_option(site: Path) -> None:
    argv = ["import", "pyvideo", "pyvideo/democon-2024", "--conference-id", "demo-24"]
    assert main(argv) == 0
    data = yaml.safe_load((site / "talks.yaml").read_text(encoding="utf-8"))
    assert data["conferences"][0]["id"] == "demo-24"
    assert {t["id"].partition("/")[0] for t in data["talks"]} == {"demo-24"}


def test_conference_id_must_be_a_slug(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["import", "pyvideo", "pyvideo/democon-2024", "--conference-id", "Demo 24"]
    assert main(argv) == 1
    assert capsys.readouterr().err == (
        "pyvideo/democon-2024: --conference-id 'Demo 24' is not a lowercase slug\n"
    )
    assert not (site / "talks.yaml").exists()


def test_dry_run_writes_nothing(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", "pyvideo", "pyvideo/democon-2024", "--dry-run"]) == 0
    assert "would change talks.yaml" in capsys.readouterr().out
    assert not (site / "talks.yaml").exists()


def test_into_another_file(site: Path) -> None:
    assert main(["import", "pyvideo", "pyvideo/democon-2024", "--into", "talks/2024.yaml"]) == 0
    assert (site / "talks" / "2024.yaml").read_text(encoding="utf-8") == EXPECTED
    assert not (site / "talks.yaml").exists()


# -- errors ------------------------------------------------------------------------------


def test_missing_category_json(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", "pyvideo", "pyvideo/no-category"]) == 1
    assert capsys.readouterr().err == (
        "pyvideo/no-category/category.json: file not found: a pyvideo category folder "
        "holds category.json and videos/*.json\n"
    )
    assert not (site / "talks.yaml").exists()


def test_not_a_folder(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", "pyvideo", "pyvideo/nowhere"]) == 1
    assert capsys.readouterr().err == (
        "pyvideo/nowhere: not a folder (expected a pyvideo category)\n"
    )


def test_broken_videos_are_reported_and_the_rest_imported(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import", "pyvideo", "pyvideo/broken-2024"]) == 1
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [
        "pyvideo/broken-2024/videos/invalid.json:5:3: invalid JSON: Expecting ',' delimiter",
        "pyvideo/broken-2024/videos/missing-videos.json: missing required field 'videos' "
        "(pyvideo's video.schema.json requires title, speakers, recorded, description, videos)",
    ]
    assert "added 1 conference, 1 speaker, 1 talk" in captured.out
    data = yaml.safe_load((site / "talks.yaml").read_text(encoding="utf-8"))
    assert [t["id"] for t in data["talks"]] == ["broken-2024/no"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[]", "a pyvideo video file holds one JSON object"),
        (
            '{"title": "", "speakers": [], "recorded": null, "description": null, "videos": []}',
            "'title' must be a non-empty string",
        ),
        (
            '{"title": "T", "speakers": "Ada", "recorded": null, "description": null,'
            ' "videos": []}',
            "'speakers' must be a list of names",
        ),
        (
            '{"title": "T", "speakers": [], "recorded": "May 2024", "description": null,'
            ' "videos": [{"url": "https://example.org/v"}]}',
            "'recorded' must be an ISO date (YYYY-MM-DD), not 'May 2024'",
        ),
        (
            '{"title": "T", "speakers": [], "recorded": null, "description": null, "videos": []}',
            "'videos' must be a non-empty list of objects with a 'url'",
        ),
        (
            '{"title": "T", "speakers": [], "description": null,'
            ' "videos": [{"url": "https://example.org/v"}]}',
            "missing required field 'recorded' (pyvideo's video.schema.json requires title, "
            "speakers, recorded, description, videos)",
        ),
        ("\ufeff{", "invalid JSON: Expecting property name enclosed in double quotes"),
    ],
)
def test_bad_video_records(tmp_path: Path, content: str, message: str) -> None:
    folder = tmp_path / "conf-2024"
    (folder / "videos").mkdir(parents=True)
    (folder / "category.json").write_text('{"title": "Conf 2024"}', encoding="utf-8")
    (folder / "videos" / "bad.json").write_text(content, encoding="utf-8")
    batch = read_pyvideo(folder)
    assert batch.talks == []
    assert [p.message for p in batch.problems] == [message]
    assert batch.problems[0].path.endswith("conf-2024/videos/bad.json")


def test_unsafe_video_url_is_left_out(tmp_path: Path) -> None:
    folder = tmp_path / "conf-2024"
    (folder / "videos").mkdir(parents=True)
    (folder / "category.json").write_text('{"title": "Conf 2024"}', encoding="utf-8")
    (folder / "videos" / "a.json").write_text(
        '{"title": "T", "speakers": [], "recorded": "2024-01-02", "description": null,'
        ' "videos": [{"type": "x", "url": "javascript:alert(1)"}],'
        ' "related_urls": [{"label": "slides", "url": "data:text/html,x"}]}',
        encoding="utf-8",
    )
    batch = read_pyvideo(folder)
    assert batch.talks[0].video is None
    assert batch.talks[0].slides is None
    assert [p.message for p in batch.problems] == [
        "video URL 'javascript:alert(1)' is not http(s); left out"
    ]


def test_category_without_title(tmp_path: Path) -> None:
    folder = tmp_path / "conf-2024"
    (folder / "videos").mkdir(parents=True)
    (folder / "category.json").write_text('{"description": "x"}', encoding="utf-8")
    with pytest.raises(SourceError) as info:
        read_pyvideo(folder)
    assert info.value.problems[0].message == "missing required field 'title'"


def test_category_dates_win_over_recorded_dates(tmp_path: Path) -> None:
    folder = tmp_path / "conf-2024"
    shutil.copytree(FIXTURES / "democon-2024", folder)
    (folder / "category.json").write_text(
        '{"title": "Conf", "start_date": "2024-04-30", "end_date": "2024-05-05",'
        ' "url": "https://conf.example.org/"}',
        encoding="utf-8",
    )
    conference = read_pyvideo(folder).conference
    assert (str(conference.start), str(conference.end)) == ("2024-04-30", "2024-05-05")
    assert conference.url == "https://conf.example.org/"
    assert conference.id == "conf-2024"


def test_meetup_series_are_told_from_conferences() -> None:
    monthly = [date(2010, 1, 14) + timedelta(days=30 * n) for n in range(24)]
    assert is_series(monthly, "chipy")
    assert is_series(monthly, "chipy-2010")  # no two weeks hold half of the talks
    # A user group without a year in its name: two talks years apart.
    assert is_series([date(2015, 11, 19), date(2019, 5, 20)], "phillypug")
    # A conference: most talks within days, a few misdated videos months later.
    conference = [date(2016, 5, 29)] * 14 + [date(2016, 5, 30)] * 100 + [date(2016, 9, 1)]
    assert not is_series(conference, "pycon-us-2016")
    assert not is_series([date(2019, 9, 22), date(2019, 9, 27)], "djangocon")
