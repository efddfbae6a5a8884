"""An archive people can rely on: renames redirect, merges keep one identity, takedowns hold.

Each case runs end to end on ``tests/roots/test-permanence``: the catalogue (or a recap)
is edited as a maintainer would, the site is built incrementally, and

- what readers and crawlers get is checked (redirect pages, tombstones, every output
  file searched for what must be gone, Pagefind's compressed index included);
- the incremental build is compared, file by file, with a clean build of the edited
  sources.

``recaps check --base`` is run against a git commit of the site.
"""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
from io import StringIO
from typing import TYPE_CHECKING

import pytest
from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp
from sphinx.util.console import strip_colors

from conference_recaps.cli import main
from conference_recaps.cli.speakers import merge_speakers
from conference_recaps.importers.merge import Merger, MergeReport, load_document
from conftest import TESTS

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

ROOT = TESTS / "roots" / "test-permanence"
BASE = "https://recaps.example.org/"


def build(srcdir: Path, builddir: Path, **overrides: object) -> tuple[dict[str, bytes], str]:
    """Every file of a dirhtml build, and the build's warnings."""
    warnings = StringIO()
    app = SphinxTestApp(
        "dirhtml",
        srcdir=srcdir,
        builddir=builddir,
        status=StringIO(),
        warning=warnings,
        confoverrides=overrides,
    )
    try:
        app.build()
    finally:
        app.cleanup()
    outdir = builddir / "dirhtml"
    found = {
        path.relative_to(outdir).as_posix(): path.read_bytes()
        for path in sorted(outdir.rglob("*"))
        if path.is_file()
    }
    return found, strip_colors(warnings.getvalue())


def readable(name: str, content: bytes) -> bytes:
    """A file's bytes as a reader of it sees them: Pagefind's files are gzipped."""
    if name.startswith("pagefind/") and content[:2] == b"\x1f\x8b":
        return gzip.decompress(content)
    return content


def files_containing(files: dict[str, bytes], text: str) -> list[str]:
    needle = text.encode()
    return sorted(name for name, content in files.items() if needle in readable(name, content))


def differences(left: dict[str, bytes], right: dict[str, bytes]) -> list[str]:
    found = [f"only incremental: {name}" for name in sorted(left.keys() - right.keys())]
    found += [f"only clean: {name}" for name in sorted(right.keys() - left.keys())]
    found += [
        f"differs: {name}"
        for name in sorted(left.keys() & right.keys())
        if left[name] != right[name]
    ]
    return found


def page(files: dict[str, bytes], url: str) -> BeautifulSoup:
    return BeautifulSoup(files[f"{url}index.html"].decode(), "html.parser")


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def edited_build(
    tmp_path: Path, edit: Callable[[Path], None]
) -> tuple[Path, dict[str, bytes], dict[str, bytes], str]:
    """Build, edit, build again; the incremental build must equal a clean one.

    Returns the site, the output before and after the edit, and the second build's
    warnings.
    """
    site = tmp_path / "site"
    shutil.copytree(ROOT, site)
    before, warnings = build(site, tmp_path / "incremental")
    assert warnings == ""
    edit(site)
    after, warnings = build(site, tmp_path / "incremental")
    assert after != before, "the edit changed nothing in the output"
    clean_site = tmp_path / "clean-site"
    shutil.copytree(site, clean_site)
    clean, _ = build(clean_site, tmp_path / "clean")
    assert differences(after, clean) == []
    return site, before, after, warnings


def test_the_base_site_never_shows_a_private_alias_or_a_withdrawn_photo(
    tmp_path: Path,
) -> None:
    site = tmp_path / "site"
    shutil.copytree(ROOT, site)
    files, warnings = build(site, tmp_path / "out")
    assert warnings == ""
    speaker = page(files, "speakers/ada-lovelace/")
    assert "A. Lovelace" in speaker.get_text()  # a public alias is shown
    assert files_containing(files, "Ada Byron") == []  # a private one nowhere
    recap = page(files, "recaps/pycon/")
    notice = recap.select_one(".recaps-withdrawn-photo")
    assert notice is not None
    assert notice.get_text() == (
        "A photo was withdrawn here at the request of the person concerned."
    )
    assert files_containing(files, "Secret Photographer") == []
    assert files_containing(files, "A photo taken down") == []
    assert json.loads(files["redirects.json"]) == []


def rename_talk(site: Path) -> None:
    replace(
        site / "talks.yaml",
        "  - id: pycon-2020/engines\n",
        "  - id: pycon-2020/analytical-engines\n    former_ids: [pycon-2020/engines]\n",
    )


def test_a_renamed_talk_redirects_and_recaps_follow_it(tmp_path: Path) -> None:
    _, _, files, warnings = edited_build(tmp_path, rename_talk)
    # The recap still names the old id: it builds, with a warning naming the new one.
    assert warnings.splitlines() == [
        f"{tmp_path}/site/recaps/pycon.md:{line}: WARNING: talk 'pycon-2020/engines' was "
        "renamed to 'pycon-2020/analytical-engines' (it is a former id); write "
        "'pycon-2020/analytical-engines' [recaps.former_id]"
        for line in (12, 20)
    ]
    redirect = page(files, "talks/pycon-2020/engines/")
    refresh = redirect.find("meta", attrs={"http-equiv": "refresh"})
    assert refresh is not None and refresh["content"] == "0; url=../analytical-engines/"
    canonical = redirect.find("link", rel="canonical")
    assert canonical is not None
    assert canonical["href"] == f"{BASE}talks/pycon-2020/analytical-engines/"
    assert redirect.find("meta", attrs={"name": "robots", "content": "noindex"}) is not None
    # The recap links to the new page, from the card and from the role.
    recap = page(files, "recaps/pycon/")
    links = [str(a["href"]) for a in recap.select("article a[href]")]
    assert links.count("../../talks/pycon-2020/analytical-engines/") >= 2
    assert not any("talks/pycon-2020/engines/" in link for link in links)
    # The new page lists the recap; the sitemap has the new URL only.
    talk = page(files, "talks/pycon-2020/analytical-engines/")
    assert "PyCon 2020 in review" in talk.get_text()
    sitemap = files["sitemap.xml"].decode()
    assert f"{BASE}talks/pycon-2020/analytical-engines/" in sitemap
    assert f"{BASE}talks/pycon-2020/engines/" not in sitemap
    assert json.loads(files["redirects.json"]) == [
        {
            "type": "page",
            "from_url": "/talks/pycon-2020/engines/",
            "to_url": "/talks/pycon-2020/analytical-engines/",
        }
    ]


def merge_hopper(site: Path) -> None:
    changed = merge_speakers(site, "g-hopper", "grace-hopper")
    assert changed == (["talks.yaml"], ["recaps/pycon.md"])


def test_merged_speakers_have_one_page_and_the_old_url_redirects(tmp_path: Path) -> None:
    site, _, files, warnings = edited_build(tmp_path, merge_hopper)
    assert warnings == ""
    catalogue = (site / "talks.yaml").read_text(encoding="utf-8")
    # Round trip: comments kept, the old spelling kept as an alias, the id as a former id.
    assert catalogue.startswith("# The permanence test catalogue")
    assert "# a name she no longer uses" in catalogue
    assert (
        "  - id: grace-hopper\n    name: Grace Hopper\n    aliases:\n      - G. Hopper\n"
        "    former_ids:\n      - g-hopper\n"
    ) in catalogue
    assert "id: g-hopper" not in catalogue
    assert "{speaker}`grace-hopper`" in (site / "recaps" / "pycon.md").read_text()
    speaker = page(files, "speakers/grace-hopper/")
    text = speaker.get_text()
    assert "Compilers for everyone" in text
    assert "What a nanosecond looks like" in text
    redirect = page(files, "speakers/g-hopper/")
    canonical = redirect.find("link", rel="canonical")
    assert canonical is not None and canonical["href"] == f"{BASE}speakers/grace-hopper/"
    index = page(files, "speakers/")
    assert "G. Hopper" not in index.get_text()
    # An import that spells her the old way still finds her.
    merger = Merger(load_document(site / "talks.yaml"))
    assert merger.speaker_id("G. Hopper", MergeReport()) == "grace-hopper"
    assert merger.speaker_id("g. HOPPER", MergeReport()) == "grace-hopper"


def withdraw_secret_talk(site: Path) -> None:
    replace(
        site / "talks.yaml",
        "    tags: [personal]\n",
        "    tags: [personal]\n    withdrawn: {reason: speaker-request, date: 2026-11-30}\n",
    )
    replace(
        site / "talks.yaml",
        "    name: Private Person\n",
        "    name: Private Person\n    withdrawn: {reason: speaker-request, date: 2026-11-30}\n",
    )


def test_a_talk_withdrawn_at_the_speakers_request_is_gone_from_every_output(
    tmp_path: Path,
) -> None:
    _, before, files, warnings = edited_build(tmp_path, withdraw_secret_talk)
    assert warnings == ""
    personal = (
        "A very personal story",
        "Things about my life",
        "Private Person",
        "aaaaaaaaaaa",  # the video
        "secret talk",  # the recap's notes on it
    )
    for text in personal:
        assert files_containing(before, text), f"the test site lacks {text!r}"
        assert files_containing(files, text) == [], text
    # Listings, grids and cards: the grid of every talk has three cards left.
    recap = page(files, "recaps/pycon/")
    assert len(recap.select(".recaps-grid .recaps-talk-card")) == 3
    assert [n.get_text() for n in recap.select(".recaps-withdrawn")] == [
        "(a withdrawn speaker)",
        "(a withdrawn talk)",
    ]
    assert recap.select_one(".recaps-withdrawn-card") is not None
    # Tombstones at both URLs: noindex, out of the search index, nothing personal.
    for url, noun in (
        ("talks/pycon-2020/secret-talk/", "talk"),
        ("speakers/private-person/", "speaker"),
    ):
        tombstone = page(files, url)
        assert tombstone.find("meta", attrs={"name": "robots", "content": "noindex"})
        assert tombstone.find(attrs={"data-pagefind-body": True}) is None
        assert tombstone.find("script", type="application/ld+json") is None
        main_text = " ".join(tombstone.select_one("article").get_text().split())  # type: ignore[union-attr]
        assert main_text.startswith(
            f"Withdrawn {noun} This {noun} was withdrawn at the request of the person "
            "concerned on 30 November 2026."
        )
        assert f"{BASE}{url}" not in files["sitemap.xml"].decode()


def withdraw_notes(site: Path) -> None:
    replace(
        site / "recaps" / "notes.md",
        "kind: notes\n",
        "kind: notes\nwithdrawn: {reason: legal, date: 2026-11-29}\n",
    )


def test_a_withdrawn_recap_leaves_only_a_notice(tmp_path: Path) -> None:
    _, before, files, warnings = edited_build(tmp_path, withdraw_notes)
    assert warnings == ""
    for text in ("Embarrassing notes", "Regretful Author", "These are the notes"):
        assert files_containing(before, text)
        assert files_containing(files, text) == [], text
    notice = page(files, "recaps/notes/")
    assert notice.find("meta", attrs={"name": "robots", "content": "noindex"})
    assert notice.find(attrs={"data-pagefind-body": True}) is None
    assert "This recap was withdrawn for legal reasons on 29 November 2026." in (notice.get_text())
    assert f"{BASE}recaps/notes/" not in files["sitemap.xml"].decode()
    # The talk it showed no longer lists it.
    assert "Withdrawn recap" not in page(files, "talks/pycon-2020/compilers/").get_text()


def test_a_withdrawn_recaps_source_is_not_published(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(ROOT, site)
    files, _ = build(site, tmp_path / "out", html_copy_source=True)
    assert "_sources/recaps/notes.md" in files  # the setting is on
    withdraw_notes(site)
    files, _ = build(site, tmp_path / "out", html_copy_source=True)
    assert not [name for name in files if name.startswith("_sources/recaps/notes")]
    assert files_containing(files, "Regretful Author") == []


# -- recaps check --base ---------------------------------------------------------------


def git(site: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *args],
        cwd=site,
        check=True,
        capture_output=True,
    )


@pytest.fixture
def committed_site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    shutil.copytree(ROOT, site)
    git(site, "init", "-q")
    git(site, "add", "-A")
    git(site, "commit", "-q", "-m", "base")
    return site


NANOSECONDS = """\
  - id: pycon-2020/nanoseconds
    conference: pycon-2020
    title: What a nanosecond looks like
    speakers: [g-hopper]
    date: 2020-04-18
    tags: [compilers]
"""


def test_check_base_fails_at_the_line_of_an_id_removed_without_a_record(
    committed_site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    replace(committed_site / "talks.yaml", NANOSECONDS, "")
    code = main(["check", "--root", str(committed_site), "--base", "HEAD"])
    out = capsys.readouterr().out
    assert code == 1
    assert (
        "talks.yaml:33: talk 'pycon-2020/nanoseconds' was removed (it was at this line at "
        "HEAD); add it to the new entry's former_ids or mark it withdrawn [recaps.removed]"
    ) in out.splitlines()


@pytest.mark.parametrize(
    "edit",
    [rename_talk, merge_hopper, withdraw_secret_talk],
    ids=["renamed", "merged", "withdrawn"],
)
def test_check_base_passes_when_every_id_is_accounted_for(
    committed_site: Path, capsys: pytest.CaptureFixture[str], edit: Callable[[Path], None]
) -> None:
    edit(committed_site)
    code = main(["check", "--root", str(committed_site), "--base", "HEAD"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "recaps.removed" not in out


def test_check_lists_withdrawn_entries_and_likely_duplicates(
    committed_site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    withdraw_secret_talk(committed_site)
    withdraw_notes(committed_site)
    assert main(["check", "--root", str(committed_site)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "recaps/notes.md: note: recap is withdrawn (legal, 2026-11-29)" in lines
    assert lines[1:3] == [
        "talks.yaml:18:5: note: speaker 'private-person' is withdrawn (speaker-request, "
        "2026-11-30)",
        "talks.yaml:40:5: note: talk 'pycon-2020/secret-talk' is withdrawn (speaker-request, "
        "2026-11-30)",
    ]
    assert lines[-1].endswith("(1 conference, 3 speakers, 3 talks; 2 withdrawn) and 2 recaps")
    assert any(
        line.startswith(
            "talks.yaml:16:5: warning: speakers 'g-hopper' (G. Hopper) and 'grace-hopper'"
        )
        and "recaps speakers merge g-hopper grace-hopper" in line
        for line in lines
    )


def test_check_base_with_an_unknown_ref_says_so(
    committed_site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--root", str(committed_site), "--base", "no-such-ref"]) == 2
    assert "cannot read the catalogue at 'no-such-ref'" in capsys.readouterr().err
