"""Real pyvideo.org data: the ten sample events that broke the importer, and the seed.

All fifteen folders of ``../shared/data/pyvideo`` are imported at once into an empty
site (once for this module), checked, imported again, and built: each test asserts one
outcome of issue 16 on the result.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import yaml
from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp

from conference_recaps.abstracts import LINK_REL
from conference_recaps.catalogue.loader import load_catalogue
from conference_recaps.cli import main

if TYPE_CHECKING:
    from collections.abc import Iterator

TESTS = Path(__file__).parent
PYVIDEO_DATA = TESTS.parent.parent / "shared" / "data" / "pyvideo"
SAMPLES = (
    "pycon-us-2010",
    "chipy",
    "pycon-us-2023",
    "europython-2020",
    "djangocon-2012",
    "pycon-kr-2024",
    "europython-2012",
    "scipy-2013",
    "pycon-us-2016",
    "pycaribbean-2016",
)
SEED = (
    "djangocon-us-2018",
    "djangocon-us-2019",
    "djangocon-europe-2019",
    "djangocon-us-2022",
    "python-web-conf-2021",
)

pytestmark = pytest.mark.skipif(
    not PYVIDEO_DATA.is_dir(), reason="the pyvideo.org samples are not here"
)


class Imported:
    """The site after one import, what it printed, and after a second import."""

    def __init__(self, root: Path, output: str, code: int, second: bytes, code2: int) -> None:
        self.root = root
        self.output = output
        self.code = code
        self.text = (root / "talks.yaml").read_text(encoding="utf-8")
        self.second = second
        self.code2 = code2
        self.data: dict[str, list[dict[str, Any]]] = yaml.safe_load(self.text)
        self.report = (root / "_build" / "import-report.txt").read_text(encoding="utf-8")

    def talks(self, conference: str) -> list[dict[str, Any]]:
        return [t for t in self.data["talks"] if t["conference"] == conference]

    def conference(self, ident: str) -> dict[str, Any]:
        return next(c for c in self.data["conferences"] if c["id"] == ident)

    def speaker_name(self, ident: str) -> str:
        return str(next(s["name"] for s in self.data["speakers"] if s["id"] == ident))


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Imported]:
    root = tmp_path_factory.mktemp("realdata")
    shutil.copy(TESTS / "roots" / "test-pages" / "conf.py", root / "conf.py")
    (root / "index.md").write_text("# Real data\n", encoding="utf-8")
    folders = [str(PYVIDEO_DATA / name) for name in (*SAMPLES, *SEED)]
    here = Path.cwd()
    os.chdir(root)
    try:
        out = io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
            code = main(["import", "pyvideo", *folders])
        first = (root / "talks.yaml").read_bytes()
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            code2 = main(["import", "pyvideo", *folders])
        second = (root / "talks.yaml").read_bytes()
        assert first  # the first import wrote the catalogue
        yield Imported(root, out.getvalue(), code, second if second != first else b"", code2)
    finally:
        os.chdir(here)


def test_the_import_succeeds_and_a_second_one_changes_no_byte(imported: Imported) -> None:
    assert imported.code == 0
    assert imported.code2 == 0
    assert imported.second == b""  # empty: the second import left the file byte-identical
    assert "nothing to change" not in imported.output


def test_the_catalogue_passes_recaps_check(imported: Imported) -> None:
    catalogue, problems = load_catalogue(imported.root, [imported.root / "talks.yaml"])
    assert [str(p) for p in problems] == []
    assert len(catalogue.conferences) == 15
    # Talks are matched by identity, so only true duplicates are merged.
    assert len(catalogue.talks) == 1186


def test_control_characters_and_mojibake_are_repaired(imported: Imported) -> None:
    """pycon-us-2010 had U+009D inside its mojibake; europython-2012 had 'piÃ¹'."""
    assert not any(0x80 <= ord(c) <= 0x9F or (ord(c) < 0x20 and c != "\n") for c in imported.text)
    assert "Ã" not in imported.text
    assert "â€" not in imported.text
    abstracts = " ".join(t.get("abstract") or "" for t in imported.talks("pycon-us-2010"))
    assert "“just text”" in abstracts
    italian = " ".join(t.get("abstract") or "" for t in imported.talks("europython-2012"))
    assert "più" in italian
    assert "11 texts repaired (mojibake) [repair]" in imported.output
    assert "'piÃ¹' -> 'più'" in imported.report
    # A converter's "&nbsp_place_holder;" stood for the second byte of a mojibake "à".
    assert "capacità web" in italian


def test_talks_sharing_a_video_are_kept_apart_when_their_people_differ(
    imported: Imported,
) -> None:
    shootout = [
        t for t in imported.talks("chipy") if t["title"].startswith("Ultimate Language Shootout IV")
    ]
    assert len(shootout) == 6
    assert len({tuple(t["speakers"]) for t in shootout}) == 6
    assert len({t["video"] for t in shootout}) == 1
    titles = {t["title"]: t for t in imported.talks("pycon-us-2023")}
    panel = titles["Python Steering Council Panel"]
    assert [imported.speaker_name(s) for s in panel["speakers"]] == [
        "Brett Cannon",
        "Emily Morehouse",
        "Pablo Galindo Salgado",
        "Thomas Wouters",
        "Gregory P. Smith",
    ]
    assert panel["kind"] == "panel"
    sponsor = next(t for t in titles.values() if t["title"].startswith("From Closed to Open"))
    assert sponsor["video"] == panel["video"]
    assert "8 talks kept apart although they share a video [shared-video]" in imported.output


def test_true_duplicates_are_merged_and_reported(imported: Imported) -> None:
    scipy = imported.talks("scipy-2013")
    titles = {t["title"] for t in scipy}
    suffix = "; SciPy 2013 Presentation"
    assert not [t for t in titles if t.endswith(suffix) and t.removesuffix(suffix) in titles]
    astropy = [t for t in scipy if t["title"].startswith("Astropy, growing")]
    assert len(astropy) == 1
    assert len(astropy[0]["speakers"]) == 3
    # pycon-kr-2024's keynote is there twice, in Korean and in English, by "Jun-ki Kim".
    keynote = [t for t in imported.talks("pycon-kr-2024") if "10" in t["title"]]
    assert len(keynote) == 1
    assert "9 records merged into another (the same talk twice) [merge]" in imported.output
    merged = imported.report.split("(merge): 9\n\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert len(merged) == 9
    assert all("same video and speakers as" in line for line in merged)


def test_relative_slides_links_are_reported(imported: Imported) -> None:
    dropped = [
        line
        for line in imported.report.splitlines()
        if "europython-2020" in line and "slides link '/media/" in line
    ]
    assert len(dropped) == 94
    assert all(
        (t.get("slides") or "https://").startswith(("http://", "https://"))
        for t in imported.talks("europython-2020")
    )


def test_every_id_is_readable_in_every_script(imported: Imported) -> None:
    ids = [t["id"] for t in imported.data["talks"]] + [s["id"] for s in imported.data["speakers"]]
    assert not [i for i in ids if i.rsplit("/", 1)[-1].startswith(("talk-", "speaker-"))]
    korean = {t["title"]: t["id"] for t in imported.talks("pycon-kr-2024")}
    assert (
        korean["자동화된 파이썬 웹 프레임워크 API Schema 제작기: The long way around"]
        == "pycon-kr-2024/jadonghwadoen-paisseon-web-peuleimwokeu-api-schema-jejaggi"
    )
    names = {s["name"]: s["id"] for s in imported.data["speakers"]}
    assert names["조규진"] == "jogyujin"


def test_event_dates_cover_their_talks_and_meetups_are_marked(imported: Imported) -> None:
    chipy = imported.conference("chipy")
    assert chipy["kind"] == "meetup"
    assert (str(chipy["start"]), str(chipy["end"])) == ("2008-01-01", "2024-06-13")
    pycon = imported.conference("pycon-us-2016")
    assert str(pycon["start"]) == "2016-05-29"  # tutorials, the day before the main days
    assert "kind" not in pycon
    assert str(imported.conference("pycaribbean-2016")["start"]) == "2016-02-19"
    assert (
        "pycon-us-2016/category.json: event dates 2016-05-30 to ? set to 2016-05-29 to "
        "2016-06-20: 14 talks dated before its start, no end date given"
    ) in imported.report


def test_descriptions_are_markdown(imported: Imported) -> None:
    """reStructuredText links, lists and emphasis became Markdown; none is left as reST."""
    djangocon = " ".join(t.get("abstract") or "" for t in imported.talks("djangocon-2012"))
    assert "[Redis](http://redis.io)" in djangocon
    everything = " ".join(t.get("abstract") or "" for t in imported.data["talks"])
    assert ">`__" not in everything
    assert ">`_" not in everything
    assert "descriptions read as: 1 html, 8 markdown, 971 rst" in imported.output


@pytest.fixture(scope="module")
def built(imported: Imported) -> Iterator[Path]:
    app = SphinxTestApp("dirhtml", srcdir=imported.root)
    try:
        app.build()
        warnings = app.warning.getvalue()
    finally:
        app.cleanup()
    assert "WARNING" not in warnings, warnings[:2000]
    yield Path(app.outdir)


@pytest.mark.parametrize("event", [*SAMPLES, "djangocon-us-2019"])
def test_a_talk_page_shows_its_description_formatted_with_working_links(
    imported: Imported, built: Path, event: str
) -> None:
    # An abstract that only repeats the title is hidden as channel boilerplate.
    talks = [
        t for t in imported.talks(event) if len(t.get("abstract") or "") > len(t["title"]) + 20
    ]
    with_links = [t for t in talks if "://" in t["abstract"]]
    talk = (with_links or talks)[0]
    page = BeautifulSoup(
        (built / "talks" / talk["id"] / "index.html").read_text(encoding="utf-8"), "html.parser"
    )
    abstract = page.select_one("#abstract .recaps-abstract")
    assert abstract is not None, talk["id"]
    assert abstract.find(["p", "ul", "ol"]) is not None
    text = abstract.get_text()
    assert "`__" not in text
    assert "**" not in text
    links = abstract.find_all("a")
    if with_links:
        assert links, talk["id"]
    for link in links:
        href = str(link["href"])
        assert href.startswith(("http://", "https://", "mailto:")), href
        assert " " not in href
        assert link["rel"] == LINK_REL.split()
    assert abstract.find("script") is None


def test_a_meetup_page_says_so(imported: Imported, built: Path) -> None:
    page = BeautifulSoup(
        (built / "conferences" / "chipy" / "index.html").read_text(encoding="utf-8"),
        "html.parser",
    )
    kind = page.select_one(".recaps-event-kind")
    assert kind is not None
    assert kind.get_text() == "meetup, 2008-2024, 90 talks"


def test_event_by_event_into_split_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each split file sees talks.yaml and the others: speakers are matched, not doubled."""
    monkeypatch.chdir(tmp_path)
    shutil.copy(TESTS / "roots" / "test-pages" / "conf.py", tmp_path / "conf.py")
    runs = [
        ("djangocon-us-2018", "talks.yaml"),
        ("djangocon-us-2019", "talks/djangocon-us-2019.yaml"),
        ("pycaribbean-2016", "talks/pycaribbean-2016.yaml"),
    ]
    for event, into in runs:
        assert main(["import", "pyvideo", str(PYVIDEO_DATA / event), "--into", into]) == 0
    files = [tmp_path / into for _, into in runs]
    before = [f.read_bytes() for f in files]
    catalogue, problems = load_catalogue(tmp_path, files)
    assert [str(p) for p in problems] == []
    assert len(catalogue.conferences) == 3
    # Someone who spoke at both DjangoCons is one speaker, in talks.yaml.
    both = [
        s
        for s in catalogue.speakers
        if {t.conference for t in catalogue.talks_of_speaker(s)}
        >= {"djangocon-us-2018", "djangocon-us-2019"}
    ]
    assert both
    assert not [s for s in catalogue.speakers if s.endswith("-2")]
    split = yaml.safe_load(files[1].read_text(encoding="utf-8"))
    assert not set(both) & {s["id"] for s in split.get("speakers") or ()}
    capsys.readouterr()
    for event, into in runs:
        assert main(["import", "pyvideo", str(PYVIDEO_DATA / event), "--into", into]) == 0
    assert [f.read_bytes() for f in files] == before
    assert capsys.readouterr().out.count("nothing to change") == 3
