"""``recaps new``, run as a newcomer would: scaffold, fill in, build strictly."""

from __future__ import annotations

import datetime
import io
import shutil
import struct
import zlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import yaml
from bs4 import BeautifulSoup
from sphinx.util.console import strip_colors

from conference_recaps.catalogue.loader import catalogue_files, load_catalogue
from conference_recaps.cli import main
from conference_recaps.cli.new import read_settings
from conference_recaps.importers.merge import add_entry
from conference_recaps.text import slugify

if TYPE_CHECKING:
    from collections.abc import Callable

ROOT_NAME = "test-new"


class _Terminal(io.StringIO):
    """Stdin that says it is a terminal, holding the answers typed."""

    def isatty(self) -> bool:
        return True


class _Pipe(io.StringIO):
    def isatty(self) -> bool:
        return False


@pytest.fixture
def site(rootdir: Path, tmp_path: Path) -> Path:
    """A fresh copy of the small site, so a test can write into it."""
    target = tmp_path / "site"
    shutil.copytree(rootdir / ROOT_NAME, target)
    return target


@pytest.fixture(autouse=True)
def _no_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Like a script or CI: stdin is not a terminal (and nothing is there to read)."""
    monkeypatch.setattr("sys.stdin", _Pipe(""))


def run_new(site: Path, *args: str) -> int:
    return main(["new", "--root", str(site), *args])


def front_matter(path: Path) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    data = yaml.safe_load(text.split("---\n", 2)[1])
    assert isinstance(data, dict)
    return data


def build(make_app: Callable[..., Any], site: Path) -> tuple[str, Path]:
    """A fresh build: the warnings (a strict build fails on any) and the output folder."""
    app = make_app("html", srcdir=site, freshenv=True)
    try:
        app.build()
        return strip_colors(app.warning.getvalue()), Path(app.outdir)
    finally:
        app.cleanup()  # so that the next build in the same test registers afresh


def tiny_png() -> bytes:
    """A valid 1x1 PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def test_scaffold_fill_and_build_strictly(
    site: Path, make_app: Callable[..., Any], capsys: pytest.CaptureFixture[str]
) -> None:
    code = run_new(
        site,
        "--conference",
        "djangocon-us-2019",
        "--title",
        "My first DjangoCon",
        "--author",
        "Jane Doe",
        "--author",
        "Joe Bloggs",
        "--date",
        "2019-10-02",
    )
    out = capsys.readouterr()
    assert code == 0, out.err
    path = site / "recaps" / "2019" / "my-first-djangocon.md"
    assert "Wrote recaps/2019/my-first-djangocon.md\n" in out.out
    assert "http://127.0.0.1:8000/recaps/2019/my-first-djangocon/" in out.out
    assert "make serve" in out.out

    assert front_matter(path) == {
        "title": "My first DjangoCon",
        "date": datetime.date(2019, 10, 2),
        "authors": ["Jane Doe", "Joe Bloggs"],
        "conference": "djangocon-us-2019",
        "kind": "blog",
    }
    text = path.read_text(encoding="utf-8")
    # The keynote is the example card: a real talk of that conference.
    assert ":::{talk-card} djangocon-us-2019/keynote-the-natural-state-of-computers\n" in text
    assert "% :::{photo} images/opening-reception.jpg" in text
    assert "recaps/2019/images/" in text

    # As written, the skeleton builds without a warning.
    warnings, outdir = build(make_app, site)
    assert warnings == ""
    html = (outdir / "recaps" / "2019" / "my-first-djangocon.html").read_text()
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("h1").get_text().startswith("My first DjangoCon")
    card = soup.select_one(".recaps-talk-card")
    assert card is not None
    assert "The Natural State of Computers" in card.get_text()
    assert "Lines starting with %" not in html  # hints are comments

    # The newcomer fills the placeholders and uncomments the photo, with a real image.
    (site / "recaps" / "2019" / "images").mkdir()
    (site / "recaps" / "2019" / "images" / "opening-reception.jpg").write_bytes(tiny_png())
    filled = []
    for line in text.splitlines():
        if line.startswith("% :") or line == "% :::":
            filled.append(line[2:])
        elif line.startswith("%"):
            continue
        elif line.startswith("Write your recap of"):
            filled.append("Three days of talks by the sea.")
        elif line.startswith("What you took away"):
            filled.append("Async is coming to Django.")
        else:
            filled.append(line)
    path.write_text("\n".join(filled) + "\n", encoding="utf-8")
    warnings, outdir = build(make_app, site)
    assert warnings == ""
    soup = BeautifulSoup(
        (outdir / "recaps" / "2019" / "my-first-djangocon.html").read_text(), "html.parser"
    )
    figure = soup.select_one("figure.recaps-photo")
    assert figure is not None
    assert figure.find("img")["alt"] == "Attendees at the opening reception"
    assert "Jane Doe" in figure.get_text()
    assert "Async is coming to Django." in soup.select_one(".recaps-talk-card").get_text()


def test_markup_in_the_title_is_text(site: Path, make_app: Callable[..., Any]) -> None:
    title = "Async & <script>alert(1)</script>: *the* {talk}`x` [story](javascript:x)"
    code = run_new(site, "--conference", "djangocon-us-2019", "--title", title, "--author", "A <b>")
    assert code == 0
    path = next((site / "recaps" / "2019").glob("async-*.md"))
    assert front_matter(path)["title"] == title
    warnings, outdir = build(make_app, site)
    assert warnings == ""
    html = (outdir / "recaps" / "2019" / f"{path.stem}.html").read_text()
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("h1").get_text().startswith(title)
    assert not soup.select("article script, h1 a:not(.headerlink), h1 em")


def test_conference_without_talks_gets_a_commented_card(
    site: Path, make_app: Callable[..., Any]
) -> None:
    assert (
        run_new(site, "--conference", "pycon-quiet-2020", "--title", "Quiet", "--author", "A") == 0
    )
    text = (site / "recaps" / "2020" / "quiet.md").read_text()
    assert "% :::{talk-card} pycon-quiet-2020/the-talks-slug" in text
    assert "\n:::{talk-card}" not in text
    warnings, _outdir = build(make_app, site)
    assert warnings == ""


def test_refuses_to_overwrite(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    existing = site / "recaps" / "2019" / "existing.md"
    before = existing.read_text()
    code = run_new(
        site, "--conference", "djangocon-us-2019", "--title", "Existing", "--author", "A"
    )
    assert code == 1
    err = capsys.readouterr().err
    assert (
        "recaps new: error: recaps/2019/existing.md already exists; nothing was written. "
        "Edit that file, or choose another name with --slug"
    ) in err
    assert existing.read_text() == before
    assert (
        run_new(
            site,
            "--conference",
            "djangocon-us-2019",
            "--title",
            "Existing",
            "--author",
            "A",
            "--slug",
            "existing-2",
        )
        == 0
    )
    assert (site / "recaps" / "2019" / "existing-2.md").is_file()


def test_unknown_conference_suggests_close_ids(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = run_new(site, "--conference", "djangocon-us-2091", "--title", "T", "--author", "A")
    assert code == 1
    err = capsys.readouterr().err
    assert "unknown conference 'djangocon-us-2091': it is not in the catalogue (talks.yaml)." in err
    assert "Did you mean: djangocon-us-2019" in err
    assert "--new-conference" in err
    assert not list((site / "recaps").glob("*/t.md"))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--title", "T"],
            "missing --conference, --author: recaps new asks only in a terminal",
        ),
        (
            ["--new-conference", "--author", "A"],
            "missing --name, --start, --title: recaps new asks only in a terminal",
        ),
    ],
)
def test_missing_flags_never_wait_for_input(
    site: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert run_new(site, *args) == 2
    assert message in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--date", "2019-13-01"], "--date '2019-13-01' is not a date: write it as YYYY-MM-DD"),
        (["--date", "yesterday"], "--date 'yesterday' is not a date"),
        (["--slug", "My Slug"], "--slug 'My Slug' is not a slug: use lowercase letters"),
        (["--title", "  "], "--title is empty"),
    ],
)
def test_bad_values_are_named(
    site: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    base = ["--conference", "djangocon-us-2019", "--title", "T", "--author", "A"]
    assert run_new(site, *base, *args) == 1
    assert message in capsys.readouterr().err


def test_outside_a_site(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_new(tmp_path, "--conference", "x", "--title", "T", "--author", "A") == 1
    assert "conf.py not found: run recaps new from the site's root" in capsys.readouterr().err


def test_new_conference_is_appended_and_loads_cleanly(
    site: Path, make_app: Callable[..., Any], capsys: pytest.CaptureFixture[str]
) -> None:
    catalogue_path = site / "talks.yaml"
    before = catalogue_path.read_text()
    code = run_new(
        site,
        "--new-conference",
        "--name",
        "PyCon Testland 2024",
        "--start",
        "2024-05-01",
        "--end",
        "2024-05-03",
        "--location",
        "Testville: Old Town",
        "--url",
        "https://2024.pycon.example/",
        "--title",
        "Testland, day one",
        "--author",
        "Jane Doe",
    )
    out = capsys.readouterr()
    assert code == 0, out.err
    assert "Added conference pycon-testland-2024 to talks.yaml" in out.out
    after = catalogue_path.read_text()
    # Only added lines: the rest of the file is exactly as it was, comments included.
    added = (
        "  - id: pycon-testland-2024\n"
        "    name: PyCon Testland 2024\n"
        "    start: 2024-05-01\n"
        "    end: 2024-05-03\n"
        "    location: 'Testville: Old Town'\n"
        "    url: https://2024.pycon.example/\n"
    )
    anchor = "    end: 2020-06-02\n"
    assert after == before.replace(anchor, anchor + added)

    settings = read_settings(site)
    catalogue, problems = load_catalogue(site, catalogue_files(site, settings))
    assert list(problems) == []
    conference = catalogue.conferences["pycon-testland-2024"]
    assert conference.location == "Testville: Old Town"
    assert front_matter(site / "recaps" / "2024" / "testland-day-one.md")["conference"] == (
        "pycon-testland-2024"
    )
    warnings, _outdir = build(make_app, site)
    assert warnings == ""


def test_new_conference_must_be_new(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = (site / "talks.yaml").read_text()
    code = run_new(
        site,
        "--new-conference",
        "--conference",
        "djangocon-us-2019",
        "--name",
        "X",
        "--start",
        "2019-01-01",
        "--title",
        "T",
        "--author",
        "A",
    )
    assert code == 1
    assert "conference 'djangocon-us-2019' is already in the catalogue" in capsys.readouterr().err
    assert (site / "talks.yaml").read_text() == before


def test_new_conference_end_before_start(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = (site / "talks.yaml").read_text()
    code = run_new(
        site,
        "--new-conference",
        "--name",
        "X 2024",
        "--start",
        "2024-05-03",
        "--end",
        "2024-05-01",
        "--title",
        "T",
        "--author",
        "A",
    )
    assert code == 1
    assert "the last day 2024-05-01 is before the first day 2024-05-03" in capsys.readouterr().err
    assert (site / "talks.yaml").read_text() == before


ENTRY: dict[str, object] = {
    "id": "new-conf-2024",
    "name": "New Conf 2024",
    "start": datetime.date(2024, 5, 1),
    "end": datetime.date(2024, 5, 2),
}
ENTRY_YAML = (
    "- id: new-conf-2024\n{i}name: New Conf 2024\n{i}start: 2024-05-01\n{i}end: 2024-05-02\n"
)


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (None, "conferences:\n  " + ENTRY_YAML.format(i="    ")),
        # The lists in the documented order: conferences first.
        ("speakers: []", "conferences:\n  " + ENTRY_YAML.format(i="    ") + "speakers: []\n"),
        (
            "conferences: []\ntalks: []\n",
            "conferences:\n  " + ENTRY_YAML.format(i="    ") + "talks: []\n",
        ),
        # By start date, the comment above the next entry staying with it.
        (
            "conferences:\n- id: a\n  name: A  # kept\n  start: 2023-01-01\n  end: 2023-01-01\n"
            "\n# about z\n- id: z\n  name: Z\n  start: 2025-01-01\n  end: 2025-01-01\n",
            "conferences:\n- id: a\n  name: A  # kept\n  start: 2023-01-01\n  end: 2023-01-01\n"
            + ENTRY_YAML.format(i="  ")
            + "\n# about z\n- id: z\n  name: Z\n  start: 2025-01-01\n  end: 2025-01-01\n",
        ),
        # Windows line endings and quoting stay.
        (
            "conferences:\r\n  - id: a\r\n    name: 'A'\r\n    start: 2020-01-01\r\n"
            "    end: 2020-01-01\r\n",
            (
                "conferences:\n  - id: a\n    name: 'A'\n    start: 2020-01-01\n"
                "    end: 2020-01-01\n  " + ENTRY_YAML.format(i="    ")
            ).replace("\n", "\r\n"),
        ),
    ],
)
def test_a_new_conference_goes_in_with_the_round_trip_merger(
    tmp_path: Path, before: str | None, after: str
) -> None:
    path = tmp_path / "talks.yaml"
    if before is not None:
        path.write_bytes(before.encode())
    add_entry(path, "conferences", ENTRY)
    assert path.read_bytes().decode() == after


def test_a_catalogue_that_does_not_parse_is_left_alone(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = site / "talks.yaml"
    broken = path.read_text() + "  - id: x\n   name: bad indentation\n"
    path.write_text(broken)
    code = run_new(
        site,
        "--new-conference",
        "--name",
        "X 2024",
        "--start",
        "2024-05-03",
        "--title",
        "T",
        "--author",
        "A",
    )
    assert code == 1
    err = capsys.readouterr().err
    assert "talks.yaml:" in err
    assert "fix the YAML before adding the conference" in err
    assert path.read_text() == broken


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("DjangoCon US 2019: in review", "djangocon-us-2019-in-review"),
        ("Café & Crème — PyCon.fr", "cafe-creme-pycon-fr"),
        ("!!!", ""),
    ],
)
def test_slugify(text: str, slug: str) -> None:
    assert slugify(text, max_length=80, fallback=None) == slug


def test_interactive_choice_from_the_catalogue(
    site: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = [
        "djangocon 2019",  # two matches: a numbered list
        "7",  # out of range: asked again
        "2",  # DjangoCon Europe 2019 (the list is newest first)
        "",  # empty title: asked again
        "Copenhagen notes",
        "Ana, Bo",
        "podcast",
    ]
    monkeypatch.setattr("sys.stdin", _Terminal("\n".join(answers) + "\n"))
    assert run_new(site, "--date", "2019-05-01") == 0
    out = capsys.readouterr()
    assert "   1. djangocon-us-2019  DjangoCon US 2019 (2019-09-22, San Diego" in out.out
    assert "   2. djangocon-europe-2019  DjangoCon Europe 2019 (2019-04-10, Copenhagen" in out.out
    assert "type a number from 1 to 2" in out.err
    assert "the title is empty" in out.err
    assert front_matter(site / "recaps" / "2019" / "copenhagen-notes.md") == {
        "title": "Copenhagen notes",
        "date": datetime.date(2019, 5, 1),
        "authors": ["Ana", "Bo"],
        "conference": "djangocon-europe-2019",
        "kind": "podcast",
    }


def test_interactive_new_conference(
    site: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = [
        "new",
        "EuroPython 2023",
        "",  # the suggested id, europython-2023
        "2023-07-17",
        "",  # last day: same as the first
        "Prague, Czechia",
        "ftp://nope",  # not http(s): asked again
        "",
        "Prague",
        "Eve",
        "",  # kind: blog
    ]
    monkeypatch.setattr("sys.stdin", _Terminal("\n".join(answers) + "\n"))
    assert run_new(site) == 0
    out = capsys.readouterr()
    assert "is not an http:// or https:// address" in out.err
    settings = read_settings(site)
    catalogue, problems = load_catalogue(site, catalogue_files(site, settings))
    assert list(problems) == []
    conference = catalogue.conferences["europython-2023"]
    assert (conference.start, conference.end) == (conference.start, conference.start)
    assert conference.url is None
    meta = front_matter(site / "recaps" / "2023" / "prague.md")
    assert (meta["conference"], meta["kind"], meta["authors"]) == (
        "europython-2023",
        "blog",
        ["Eve"],
    )


def test_interactive_input_ending_writes_nothing(
    site: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    before = (site / "talks.yaml").read_text()
    monkeypatch.setattr("sys.stdin", _Terminal("new\nHalf Conf\n"))
    assert run_new(site) == 1
    assert "no answer (input ended); nothing was written" in capsys.readouterr().err
    assert (site / "talks.yaml").read_text() == before
