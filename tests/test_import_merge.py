"""Merging imports into a hand-edited catalogue: nothing people wrote is lost."""

from __future__ import annotations

import datetime
import shutil
import textwrap
from pathlib import Path

import pytest
import yaml

from conference_recaps.catalogue.model import TalkKind
from conference_recaps.cli import main
from conference_recaps.importers.merge import merge_into, yaml_string
from conference_recaps.importers.records import ConferenceRecord, ImportBatch, TalkRecord
from conference_recaps.importers.sources import SourceError

FIXTURES = Path(__file__).parent / "importers" / "pyvideo"


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(FIXTURES, tmp_path / "pyvideo")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    return tmp_path


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")


HAND_WRITTEN = """\
# The catalogue, edited by hand.
conferences:
  - id: democon-24  # renamed by hand; matched by name
    name: DemoCon 2024
    start: 2024-04-30
    end: 2024-05-03
    location: Online
speakers:
  - id: ada
    name: Ada King
    aliases: [Ada Lovelace]   # the name pyvideo uses
  - id: jose
    name: José García
talks:
  # A keynote someone already described, under a hand-picked id.
  - id: democon-24/state-of-things
    conference: democon-24
    title: "Keynote: The State of Things!"
    speakers: [jose]
    kind: keynote
    abstract: Written by hand; must survive.
  - id: democon-24/renamed
    conference: democon-24
    title: A title edited by hand
    speakers: [ada]
    video: http://youtube.com/watch?v=CCCCCCCCCCC&t=1
    tags: []
    # Comment about the next talk, written by hand.
  - id: democon-24/zz-hand-written
    conference: democon-24
    title: Zebra, added by hand
    date: 2024-05-03
"""


def test_hand_edits_and_comments_survive(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = site / "talks.yaml"
    write(target, HAND_WRITTEN)
    assert main(["import", "pyvideo", "pyvideo/democon-2024"]) == 0
    text = target.read_text(encoding="utf-8")
    data = yaml.safe_load(text)

    # Every comment is still there, and still before what it describes.
    for comment in (
        "# The catalogue, edited by hand.",
        "  - id: democon-24  # renamed by hand; matched by name",
        "    aliases: [Ada Lovelace]   # the name pyvideo uses",
        "  # A keynote someone already described, under a hand-picked id.\n"
        "  - id: democon-24/state-of-things",
        "    # Comment about the next talk, written by hand.\n  - id: democon-24/zz-hand-written",
    ):
        assert comment in text

    # The conference matched by name: its id and hand-written values are kept.
    assert [c["id"] for c in data["conferences"]] == ["democon-24"]
    conference = data["conferences"][0]
    assert conference["start"] == datetime.date(2024, 4, 30)
    assert conference["location"] == "Online"
    assert conference["url"] == "https://democon.example.org/"  # filled: it was absent

    # Speakers matched by name and alias, accents and spacing aside. Sigurd Ljødal is
    # not added: the only talk naming him kept its hand-written speakers.
    assert [s["id"] for s in data["speakers"]] == ["ada", "jose"]

    talks = {t["id"]: t for t in data["talks"]}
    keynote = talks["democon-24/state-of-things"]  # matched by title, punctuation aside
    assert keynote["title"] == "Keynote: The State of Things!"
    assert keynote["abstract"] == "Written by hand; must survive."
    assert keynote["speakers"] == ["jose"]
    assert keynote["date"] == datetime.date(2024, 5, 2)  # filled
    assert keynote["video"] == "https://www.youtube.com/watch?v=AAAAAAAAAAA"  # filled

    renamed = talks["democon-24/renamed"]  # matched by its video, in another spelling
    assert renamed["title"] == "A title edited by hand"
    assert renamed["video"] == "http://youtube.com/watch?v=CCCCCCCCCCC&t=1"
    assert renamed["speakers"] == ["ada"]  # kept: not replaced by [ada, sigurd-ljodal]
    assert renamed["tags"] == ["django-rest-framework", "apis"]  # an empty list is filled
    assert renamed["slides"] == "https://example.com/decks/moving-past.pdf"

    assert sorted(talks) == [
        "democon-24/lightning-talks-day-1",
        "democon-24/no",
        "democon-24/renamed",
        "democon-24/state-of-things",
        "democon-24/zz-hand-written",
    ]
    out = capsys.readouterr().out
    assert "added 2 talks; filled fields of 3 existing entries" in out
    assert "  filled date, video of talk democon-24/state-of-things" in out
    assert "  filled kind, date, abstract, slides, tags of talk democon-24/renamed" in out
    assert "  filled url, description of conference democon-24" in out


def test_no_unreferenced_speakers_are_created(site: Path) -> None:
    """A matched talk keeping its hand-written speakers must not add the source's ones."""
    target = site / "talks.yaml"
    write(target, HAND_WRITTEN)
    assert main(["import", "pyvideo", "pyvideo/democon-2024"]) == 0
    data = yaml.safe_load(target.read_text(encoding="utf-8"))
    referenced = {s for t in data["talks"] for s in t.get("speakers") or ()}
    assert {s["id"] for s in data["speakers"]} - referenced == set()


def test_reimport_after_hand_edits_is_byte_identical(site: Path) -> None:
    target = site / "talks.yaml"
    write(target, HAND_WRITTEN)
    assert main(["import", "pyvideo", "pyvideo/democon-2024"]) == 0
    first = target.read_bytes()
    assert main(["import", "pyvideo", "pyvideo/democon-2024"]) == 0
    assert target.read_bytes() == first


def test_new_entries_go_to_their_sorted_place_and_old_ones_stay(site: Path) -> None:
    target = site / "talks.yaml"
    write(
        target,
        """\
        conferences:
          - id: democon-2024
            name: DemoCon 2024
            start: 2024-05-01
            end: 2024-05-03
        speakers: []
        talks:
          - id: democon-2024/first
            conference: democon-2024
            title: Aardvarks
            date: 2024-05-01
            # about the next one
          - id: democon-2024/last
            conference: democon-2024
            title: Zebras
            date: 2024-05-03

        # A trailing note.
        """,
    )
    assert main(["import", "pyvideo", "pyvideo/democon-2024"]) == 0
    text = target.read_text(encoding="utf-8")
    ids = [
        line.split("id: ")[1]
        for line in text.splitlines()
        if line.startswith("  - id: democon-2024/")
    ]
    assert ids == [
        "democon-2024/first",
        "democon-2024/django-rest-framework-moving-past-the-tutorial-to-production",
        "democon-2024/lightning-talks-day-1",
        "democon-2024/keynote-the-state-of-things",
        "democon-2024/no",
        "democon-2024/last",
    ]
    # The comment stays above the entry it was written for, the note at the end.
    assert "    # about the next one\n  - id: democon-2024/django-rest" not in text
    assert "    date: 2024-05-03\n    # about the next one\n" not in text
    assert text.endswith("    date: 2024-05-03\n\n# A trailing note.\n")
    assert "    date: 2024-05-01\n  - id: democon-2024/django-rest-framework" in text
    before_last = text.split("  - id: democon-2024/last")[0]
    assert before_last.endswith("    # about the next one\n")
    assert "speakers:\n  - id: ada-lovelace\n" in text  # an empty flow list became a block


def test_entries_in_other_catalogue_files_are_matched_there(site: Path) -> None:
    write(
        site / "talks" / "2024.yaml",
        """\
        talks:
          - id: democon-2024/no
            conference: democon-2024
            title: "NO"
        """,
    )
    assert main(["import", "pyvideo", "pyvideo/democon-2024"]) == 0
    split = yaml.safe_load((site / "talks" / "2024.yaml").read_text(encoding="utf-8"))
    assert split["talks"][0]["video"] == "https://vimeo.com/123456"  # filled where it lives
    main_file = yaml.safe_load((site / "talks.yaml").read_text(encoding="utf-8"))
    assert "democon-2024/no" not in {t["id"] for t in main_file["talks"]}


def test_talk_ids_are_made_unique(site: Path) -> None:
    write(
        site / "talks.yaml",
        """\
        talks:
          - id: democon-2024/no
            conference: democon-2024
            title: Something else entirely
        """,
    )
    assert main(["import", "pyvideo", "pyvideo/democon-2024"]) == 0
    data = yaml.safe_load((site / "talks.yaml").read_text(encoding="utf-8"))
    assert {t["id"] for t in data["talks"]} >= {"democon-2024/no", "democon-2024/no-2"}


def test_speaker_ids_are_made_unique(tmp_path: Path) -> None:
    target = tmp_path / "talks.yaml"
    write(target, "speakers:\n  - id: ada-lovelace\n    name: Someone Else\n")
    batch = ImportBatch(
        ConferenceRecord("c-1", "C 1", datetime.date(2024, 1, 1), datetime.date(2024, 1, 1)),
        [TalkRecord("T", "x", speakers=("Ada Lovelace", "ADA  LOVELACE"))],
    )
    merge_into(target, [batch])
    data = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert [s["id"] for s in data["speakers"]] == ["ada-lovelace", "ada-lovelace-2"]
    assert data["talks"][0]["speakers"] == ["ada-lovelace-2"]


@pytest.mark.parametrize(
    "value",
    [
        "NO",
        "off",
        "Yes",
        "y",
        "~",
        "null",
        "12:30",
        "3.10",
        "010",
        "0x1F",
        "1e3",
        "2019-09-22",
        ".inf",
        "true",
    ],
)
def test_values_yaml_1_1_would_change_are_quoted(tmp_path: Path, value: str) -> None:
    target = tmp_path / "talks.yaml"
    batch = ImportBatch(
        ConferenceRecord("c-1", value, datetime.date(2024, 1, 1), datetime.date(2024, 1, 2)),
        [TalkRecord(value, "x", speakers=(value,), abstract=value, tags=())],
    )
    merge_into(target, [batch])
    text = target.read_text(encoding="utf-8")
    assert f'title: "{value}"' in text
    data = yaml.safe_load(text)  # PyYAML reads YAML 1.1
    assert data["conferences"][0]["name"] == value
    assert data["talks"][0]["title"] == value
    assert data["talks"][0]["abstract"] == value
    assert data["speakers"][0]["name"] == value


def test_plain_values_stay_plain() -> None:
    assert type(yaml_string("Django")) is str
    assert type(yaml_string("a\nb")).__name__ == "LiteralScalarString"


def test_a_long_abstract_is_not_rewrapped(tmp_path: Path) -> None:
    target = tmp_path / "talks.yaml"
    long_line = " ".join(["word"] * 200)
    batch = ImportBatch(
        ConferenceRecord("c-1", "C", datetime.date(2024, 1, 1), datetime.date(2024, 1, 2)),
        [TalkRecord("T", "x", abstract=f"{long_line}\n\n{long_line}", kind=TalkKind.panel)],
    )
    merge_into(target, [batch])
    text = target.read_text(encoding="utf-8")
    assert f"    abstract: |-\n      {long_line}\n\n      {long_line}\n" in text
    assert "    kind: panel\n" in text


def test_a_yaml_error_in_the_catalogue_stops_the_import(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = site / "talks.yaml"
    write(target, "talks:\n  - id: a\n    title: [unclosed\n")
    before = target.read_bytes()
    assert main(["import", "pyvideo", "pyvideo/democon-2024"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("talks.yaml:4:1: while parsing a flow sequence expected ',' or ']'")
    assert err.endswith("; fix the YAML before importing\n")
    assert target.read_bytes() == before


def test_a_duplicate_key_stops_the_import(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(site / "talks.yaml", "talks: []\ntalks: []\n")
    assert main(["import", "pyvideo", "pyvideo/democon-2024"]) == 1
    assert capsys.readouterr().err.startswith("talks.yaml:2:1: ")


def test_a_list_of_the_wrong_type(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(site / "talks.yaml", "conferences: []\ntalks: nothing yet\n")
    assert main(["import", "pyvideo", "pyvideo/democon-2024"]) == 1
    assert capsys.readouterr().err == "talks.yaml:2:1: 'talks' must be a list\n"


def test_a_comment_only_catalogue_keeps_its_comments(site: Path) -> None:
    write(site / "talks.yaml", "# Nothing here yet.\n")
    assert main(["import", "pyvideo", "pyvideo/democon-2024"]) == 0
    text = (site / "talks.yaml").read_text(encoding="utf-8")
    assert text.startswith("# Nothing here yet.\nconferences:\n")


def test_a_file_changed_during_the_import_is_not_overwritten(tmp_path: Path) -> None:
    target = tmp_path / "talks.yaml"
    write(target, "talks: []\n")
    batch = ImportBatch(
        ConferenceRecord("c-1", "C", datetime.date(2024, 1, 1), datetime.date(2024, 1, 2)),
        [TalkRecord("T", "x")],
    )

    def someone_edits(*_: object) -> None:
        target.write_text("talks: []  # edited meanwhile\n", encoding="utf-8")

    with pytest.raises(SourceError) as info:
        merge_into(target, [batch], on_report=someone_edits)
    assert "changed while importing" in info.value.problems[0].message
    assert target.read_text(encoding="utf-8") == "talks: []  # edited meanwhile\n"


def test_a_new_conference_needs_dates(tmp_path: Path) -> None:
    batch = ImportBatch(ConferenceRecord("c-1", "C"), [])
    with pytest.raises(SourceError) as info:
        merge_into(tmp_path / "talks.yaml", [batch])
    assert "the source gives no dates" in info.value.problems[0].message


def test_indentation_of_an_existing_file_is_kept(tmp_path: Path) -> None:
    target = tmp_path / "talks.yaml"
    write(
        target,
        "conferences:\n- id: c-1\n  name: C\n  start: 2024-01-01\n  end: 2024-01-02\ntalks: []\n",
    )
    merge_into(target, [ImportBatch(ConferenceRecord("c-1", "C"), [TalkRecord("T", "x")])])
    text = target.read_text(encoding="utf-8")
    assert text.startswith("conferences:\n- id: c-1\n  name: C\n")
    assert "talks:\n- id: c-1/t\n  conference: c-1\n" in text


def test_github_annotations(
    site: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    assert main(["import", "pyvideo", "pyvideo/no-category"]) == 1
    assert "::error file=pyvideo/no-category/category.json,title=recaps.catalogue::" in (
        capsys.readouterr().out
    )


def test_values_libyaml_reads_differently_still_match(site: Path) -> None:
    """The fast no-change check reads ``NO`` as false; the merge still sees the text."""
    target = site / "talks.yaml"
    assert main(["import", "pyvideo", "pyvideo/democon-2024"]) == 0
    text = target.read_text(encoding="utf-8").replace('title: "NO"', "title: NO")
    target.write_text(text, encoding="utf-8")
    assert main(["import", "pyvideo", "pyvideo/democon-2024"]) == 0
    assert target.read_text(encoding="utf-8") == text


def test_same_title_with_another_video_is_another_talk(tmp_path: Path) -> None:
    target = tmp_path / "talks.yaml"
    dates = (datetime.date(2024, 1, 1), datetime.date(2024, 1, 2))
    batch = ImportBatch(
        ConferenceRecord("c-1", "C", *dates),
        [
            TalkRecord("Lightning Talks", "a", video="https://youtu.be/aaaaaaaaaaa"),
            TalkRecord("Lightning Talks", "b", video="https://youtu.be/bbbbbbbbbbb"),
            TalkRecord("Lightning talks!", "c"),  # no video: the same session as the first
        ],
    )
    merge_into(target, [batch])
    data = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert [(t["id"], t["video"]) for t in data["talks"]] == [
        ("c-1/lightning-talks", "https://youtu.be/aaaaaaaaaaa"),
        ("c-1/lightning-talks-2", "https://youtu.be/bbbbbbbbbbb"),
    ]
