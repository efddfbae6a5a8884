"""Parallel and incremental builds give the same pages as a clean serial build.

Each test copies a small site, builds it, edits the catalogue or a recap, rebuilds, and
checks two things: which pages were read again (exactly those showing what changed), and
that every page equals the one a clean build of the edited site writes.
"""

from __future__ import annotations

import shutil
from io import StringIO
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp
from sphinx.util.console import strip_colors

ROOT = Path(__file__).parent / "roots" / "test-incremental"


def build(srcdir: Path, builddir: Path, *, parallel: int = 0) -> list[str]:
    """Build ``srcdir`` into ``builddir``; return the documents read, after no warning."""
    read: list[str] = []
    warnings = StringIO()
    app = SphinxTestApp(
        "html",
        srcdir=srcdir,
        builddir=builddir,
        status=StringIO(),
        warning=warnings,
        parallel=parallel,
    )
    app.connect("env-before-read-docs", lambda _app, _env, docnames: read.extend(docnames))
    merged: list[str] = []  # documents read by worker processes, merged back
    app.connect("env-merge-info", lambda _app, _env, docnames, _other: merged.extend(docnames))
    try:
        app.build()
    finally:
        app.cleanup()
    assert strip_colors(warnings.getvalue()) == ""
    if parallel > 1:  # Sphinx reads serially, silently, if an extension is unsafe
        assert sorted(merged) == sorted(read)
    return sorted(read)


def pages(builddir: Path) -> dict[str, str]:
    out = builddir / "html"
    return {p.relative_to(out).as_posix(): p.read_text() for p in sorted(out.rglob("*.html"))}


def assert_same_as_clean_build(site: Path, builddir: Path, tmp_path: Path) -> None:
    clean_src = tmp_path / "clean-src"
    shutil.rmtree(clean_src, ignore_errors=True)
    shutil.copytree(site, clean_src)
    clean = tmp_path / "clean-build"
    shutil.rmtree(clean, ignore_errors=True)
    build(clean_src, clean)
    assert pages(builddir) == pages(clean)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


@pytest.fixture
def site(tmp_path: Path) -> Path:
    copy = tmp_path / "site"
    shutil.copytree(ROOT, copy)
    return copy


ALL = [
    "credits",
    "index",
    "recaps/card",
    "recaps/grid",
    "recaps/photos",
    "recaps/plain",
    "recaps/role",
]


def test_parallel_build_equals_serial_build(site: Path, tmp_path: Path) -> None:
    assert build(site, tmp_path / "serial") == ALL
    assert build(site, tmp_path / "parallel", parallel=2) == ALL
    serial, parallel = pages(tmp_path / "serial"), pages(tmp_path / "parallel")
    assert "talk-djangocon-us-2019-just-add-await" in serial["recaps/card.html"]
    assert "The reception" in serial["credits.html"]
    assert parallel == serial


def test_editing_a_talk_rereads_only_the_pages_that_show_it(site: Path, tmp_path: Path) -> None:
    builddir = tmp_path / "build"
    build(site, builddir)
    assert build(site, builddir) == []
    edit(site / "talks.yaml", 'title: "Just Add Await"', 'title: "Just Add Await, Again"')
    assert build(site, builddir) == ["recaps/card", "recaps/grid"]
    assert "Just Add Await, Again" in pages(builddir)["recaps/grid.html"]
    assert_same_as_clean_build(site, builddir, tmp_path)


def test_editing_a_speaker_rereads_the_pages_that_name_them(site: Path, tmp_path: Path) -> None:
    builddir = tmp_path / "build"
    build(site, builddir)
    edit(site / "talks.yaml", "name: Amber Brown", "name: Amber Hawkie Brown")
    # The grid shows the keynote's speaker; the role names her; the card does not.
    assert build(site, builddir) == ["recaps/grid", "recaps/role"]
    assert_same_as_clean_build(site, builddir, tmp_path)


def test_a_new_matching_talk_rereads_the_grid(site: Path, tmp_path: Path) -> None:
    builddir = tmp_path / "build"
    build(site, builddir)
    edit(
        site / "talks.yaml",
        "  - id: pycon-us-2019/other\n",
        "  - id: djangocon-us-2019/new-talk\n"
        "    conference: djangocon-us-2019\n"
        "    title: A new talk\n"
        "    date: 2019-09-24\n"
        "  - id: pycon-us-2019/other\n",
    )
    assert build(site, builddir) == ["recaps/grid"]
    assert "A new talk" in pages(builddir)["recaps/grid.html"]
    assert_same_as_clean_build(site, builddir, tmp_path)


def test_a_talk_that_appears_rereads_the_page_that_named_it(site: Path, tmp_path: Path) -> None:
    builddir = tmp_path / "build"
    (site / "recaps" / "plain.md").write_text("# Plain\n\n{talk}`pycon-us-2019/later`\n")
    with pytest.raises(AssertionError, match=r"unknown talk 'pycon-us-2019/later'"):
        build(site, builddir)
    edit(
        site / "talks.yaml",
        "  - id: pycon-us-2019/other\n",
        "  - id: pycon-us-2019/later\n"
        "    conference: pycon-us-2019\n"
        "    title: Added later\n"
        "  - id: pycon-us-2019/other\n",
    )
    assert build(site, builddir) == ["recaps/plain"]
    assert_same_as_clean_build(site, builddir, tmp_path)


def test_editing_a_photo_credit_rewrites_the_credits_page(site: Path, tmp_path: Path) -> None:
    builddir = tmp_path / "build"
    build(site, builddir)
    edit(site / "recaps" / "photos.md", ":credit: Bartek Pawlik", ":credit: Ada Example")
    assert build(site, builddir) == ["recaps/photos"]
    assert "Ada Example" in pages(builddir)["credits.html"]
    assert_same_as_clean_build(site, builddir, tmp_path)


def test_editing_and_removing_recaps(site: Path, tmp_path: Path) -> None:
    builddir = tmp_path / "build"
    build(site, builddir, parallel=2)
    edit(site / "recaps" / "card.md", "Notes on the talk.", "Better notes.")
    assert build(site, builddir, parallel=2) == ["recaps/card"]
    (site / "recaps" / "photos.md").write_text("# Photos\n\nNone left.\n")
    assert build(site, builddir, parallel=2) == ["recaps/photos"]
    assert "The reception" not in pages(builddir)["credits.html"]
    assert_same_as_clean_build(site, builddir, tmp_path)
