"""The static JSON API and CSV: valid against their schema, complete, written incrementally."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import jsonschema
import pytest

from conference_recaps.catalogue.schema import TALK
from conference_recaps.discovery import api
from conference_recaps.discovery.api import API_VERSION, csv_cell
from test_search_incremental import build as build_site

ROOT = Path(__file__).parent / "roots" / "test-discovery"
BASE = "https://recaps.example.org/archive/"


@pytest.fixture
def site(discovery_site: Path) -> Path:
    return discovery_site


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def api_files(site: Path) -> list[Path]:
    return sorted((site / "api").rglob("*.json"))


def test_every_file_validates_against_the_schema(site: Path) -> None:
    schema = load(site / "api/schema.json")
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    files = [p for p in api_files(site) if p.name != "schema.json"]
    assert {p.relative_to(site).as_posix() for p in files} == {
        "api/index.json",
        "api/catalogue.json",
        "api/conferences/djangocon-us-2019.json",
        "api/conferences/pycon-au-2021.json",
        "api/speakers/andrew-godwin.json",
        "api/speakers/amber-brown.json",
        "api/speakers/russell-keith-magee.json",
        "api/talks/djangocon-us-2019/just-add-await.json",
        "api/talks/djangocon-us-2019/hardware.json",
        "api/talks/djangocon-us-2019/webassembly.json",
        "api/talks/pycon-au-2021/async-everywhere.json",
    }
    for path in files:
        errors = [e.message for e in validator.iter_errors(load(path))]
        assert errors == [], path


def test_the_schema_refuses_what_the_catalogue_refuses(site: Path) -> None:
    schema = load(site / "api/schema.json")
    talk = load(site / "api/talks/djangocon-us-2019/just-add-await.json")
    validator = jsonschema.Draft202012Validator(schema)
    assert validator.is_valid(talk)
    for key, bad in (("kind", "keynote-ish"), ("video", "javascript:alert(1)"), ("date", "25/9")):
        broken = json.loads(json.dumps(talk))
        broken["talk"][key] = bad
        assert not validator.is_valid(broken), key
    extra = json.loads(json.dumps(talk))
    extra["talk"]["unknown"] = 1
    assert not validator.is_valid(extra)


def test_records_carry_the_field_table(site: Path) -> None:
    schema = load(site / "api/schema.json")
    fields = [f.name for f in TALK.fields]
    assert list(schema["$defs"]["talk"]["properties"]) == [*fields, "url", "api"]
    talk = load(site / "api/talks/djangocon-us-2019/just-add-await.json")
    assert talk["api_version"] == API_VERSION
    assert talk["talk"] == {
        **{name: talk["talk"][name] for name in fields},
        "url": BASE + "talks/djangocon-us-2019/just-add-await/",
        "api": BASE + "api/talks/djangocon-us-2019/just-add-await.json",
    }
    assert talk["talk"]["speakers"] == ["andrew-godwin"]
    assert talk["talk"]["date"] == "2019-09-25"
    assert talk["talk"]["slides"] is None
    assert talk["conference"]["id"] == "djangocon-us-2019"
    assert [s["name"] for s in talk["speakers"]] == ["Andrew Godwin"]


def test_index_counts_links_and_licence(site: Path) -> None:
    index = load(site / "api/index.json")
    assert index["counts"] == {"conferences": 2, "speakers": 3, "talks": 4}
    assert index["links"]["catalogue"] == BASE + "api/catalogue.json"
    assert index["links"]["talk"] == BASE + "api/talks/{id}.json"
    assert index["licence"]["pyvideo"]["spdx"] == "CC0-1.0"
    assert "MIT" in index["licence"]["other"]
    catalogue = load(site / "api/catalogue.json")
    assert len(catalogue["talks"]) == 4
    speaker = load(site / "api/speakers/andrew-godwin.json")
    assert [t["id"] for t in speaker["talks"]] == [
        "djangocon-us-2019/just-add-await",
        "pycon-au-2021/async-everywhere",
    ]
    assert [c["id"] for c in speaker["conferences"]] == ["djangocon-us-2019", "pycon-au-2021"]
    conference = load(site / "api/conferences/djangocon-us-2019.json")
    assert [t["id"] for t in conference["talks"]] == [
        "djangocon-us-2019/hardware",
        "djangocon-us-2019/webassembly",
        "djangocon-us-2019/just-add-await",
    ]


def test_csv_has_every_talk(site: Path) -> None:
    text = (site / "api/talks.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["id"] for r in rows] == [
        "djangocon-us-2019/hardware",
        "djangocon-us-2019/webassembly",
        "djangocon-us-2019/just-add-await",
        "pycon-au-2021/async-everywhere",
    ]
    first = rows[2]
    assert first["tags"] == "async; django"
    assert first["speaker_names"] == "Andrew Godwin"
    assert first["conference_name"] == "DjangoCon US 2019"
    assert first["url"] == BASE + "talks/djangocon-us-2019/just-add-await/"
    assert rows[3]["title"] == "Async Everywhere </script><b>x</b>"


def test_csv_cells_never_start_a_formula() -> None:
    assert csv_cell('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert csv_cell("@SUM(1)") == "'@SUM(1)"
    assert csv_cell(["a", "b"]) == "a; b"
    assert csv_cell(None) == ""
    assert csv_cell("Plain") == "Plain"


def build(srcdir: Path, builddir: Path) -> dict[str, int]:
    """Build (warnings fail the test); return each API file's mtime."""
    build_site(srcdir, builddir)
    api = builddir / "dirhtml" / "api"
    return {p.relative_to(api).as_posix(): p.stat().st_mtime_ns for p in api.rglob("*.*")}


def test_an_edit_rewrites_only_the_files_that_show_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    shutil.copytree(ROOT, site)
    first = build(site, tmp_path / "build")
    assert build(site, tmp_path / "build") == first  # nothing changed, nothing written
    # What is serialised again, by kind ("talk", "catalogue"...).
    made: list[str] = []
    real_json = api._json

    def counting(data: dict) -> bytes:
        made.append(data.get("kind", "schema"))
        return real_json(data)

    monkeypatch.setattr(api, "_json", counting)
    # The records and CSV rows made again for catalogue.json and talks.csv, by key.
    texts: list[tuple[str, str]] = []
    real_text = api.SavedText.text

    def counting_text(self: api.SavedText, key: tuple[str, str], fingerprint: str, make):  # type: ignore[no-untyped-def]
        def counted() -> str:
            texts.append(key)
            return make()

        return real_text(self, key, fingerprint, counted)

    monkeypatch.setattr(api.SavedText, "text", counting_text)

    catalogue = site / "talks.yaml"
    catalogue.write_text(
        catalogue.read_text()
        .replace('title: "Down to Machine Code: WebAssembly"', 'title: "WebAssembly, edited"')
        .replace("  - id: amber-brown\n    name: Amber Brown\n", "")
        .replace("speakers: [amber-brown]", "speakers: []")
    )
    after = build(site, tmp_path / "build")

    changed = {name for name, mtime in after.items() if first.get(name) != mtime}
    assert changed == {
        "talks/djangocon-us-2019/webassembly.json",
        "talks/djangocon-us-2019/hardware.json",
        "speakers/russell-keith-magee.json",
        "conferences/djangocon-us-2019.json",
        "catalogue.json",
        "talks.csv",
        "index.json",  # one speaker fewer
    }
    assert "speakers/amber-brown.json" not in after  # left the catalogue: removed
    edited = load(tmp_path / "build/dirhtml/api/talks/djangocon-us-2019/webassembly.json")
    assert edited["talk"]["title"] == "WebAssembly, edited"
    # Files of entries none of whose entries changed were not even made again: the
    # edited talk's, its neighbour's (it lost a speaker), its conference's and its
    # remaining speaker's, besides the whole-catalogue files.
    assert sorted(made) == sorted(["talk", "talk", "conference", "speaker", "index", "schema"])
    # catalogue.json and talks.csv serialise again only those two talks' records and
    # rows; the other records' text is the last build's (SavedText).
    assert sorted(texts) == [
        ("Talk", "djangocon-us-2019/hardware"),
        ("Talk", "djangocon-us-2019/webassembly"),
        ("csv", "djangocon-us-2019/hardware"),
        ("csv", "djangocon-us-2019/webassembly"),
    ]
    # And what was kept is what a fresh build writes.
    build(site, tmp_path / "fresh")
    fresh = tmp_path / "fresh/dirhtml/api"
    kept = tmp_path / "build/dirhtml/api"
    assert {p.relative_to(kept): p.read_bytes() for p in kept.rglob("*.*")} == {
        p.relative_to(fresh): p.read_bytes() for p in fresh.rglob("*.*")
    }


def test_a_document_joined_from_record_texts_is_what_serialising_it_writes() -> None:
    """catalogue.json is joined from each record's JSON text: the same bytes as
    serialising the whole document, escapes and non-ASCII text included."""
    records = [{"title": 'Zoë says "hi" </script>', "n": 1, "tags": ["a\nb"]}, {"x": None}]
    head = {"api_version": API_VERSION, "kind": "catalogue", "licence": {"é": "ü"}}
    joined = api._json_lists(
        head, [("talks", [api._json_text(r) for r in records]), ("speakers", [])]
    )
    assert joined == api._json({**head, "talks": records, "speakers": []})
    assert json.loads(joined)["talks"] == records


def test_saved_texts_are_kept_by_fingerprint_and_dropped_with_their_common_part(
    tmp_path: Path,
) -> None:
    path = tmp_path / "texts"
    saved = api.SavedText(path, "code-1")
    assert saved.text(("Talk", "a"), "f1", lambda: "one") == "one"
    saved.save()
    again = api.SavedText(path, "code-1")
    assert again.text(("Talk", "a"), "f1", lambda: "made again") == "one"
    assert again.text(("Talk", "a"), "f2", lambda: "two") == "two"
    assert api.SavedText(path, "code-2").text(("Talk", "a"), "f1", lambda: "new") == "new"
