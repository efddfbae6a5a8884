"""Feeds and the sitemap are written again only when what they show changed."""

from __future__ import annotations

import shutil
from pathlib import Path

from test_search_incremental import build as build_site

ROOT = Path(__file__).parent / "roots" / "test-discovery"


def build(srcdir: Path, builddir: Path) -> dict[str, int]:
    """Build (warnings fail the test); return each feed file's mtime."""
    build_site(srcdir, builddir)
    feeds = builddir / "dirhtml" / "feeds"
    return {p.relative_to(feeds).as_posix(): p.stat().st_mtime_ns for p in feeds.rglob("*.xml")}


def rewritten(before: dict[str, int], after: dict[str, int]) -> set[str]:
    return {name for name, mtime in after.items() if before.get(name) != mtime}


def test_feeds_are_kept_when_nothing_changed(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(ROOT, site)
    first = build(site, tmp_path / "build")
    assert "atom.xml" in first
    assert "djangocon-us-2019/rss.xml" in first

    assert rewritten(first, build(site, tmp_path / "build")) == set()


def test_a_talk_edit_rewrites_only_the_feeds_that_carry_it(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(ROOT, site)
    before = build(site, tmp_path / "build")
    catalogue = site / "talks.yaml"
    catalogue.write_text(
        catalogue.read_text().replace(
            'title: "Down to Machine Code: WebAssembly"', 'title: "WebAssembly, edited"'
        )
    )

    after = build(site, tmp_path / "build")

    assert rewritten(before, after) == {
        f"{key}/{kind}.xml"
        for key in ("djangocon-us-2019", "speakers/russell-keith-magee", "tags/webassembly")
        for kind in ("atom", "rss")
    }
    atom = (tmp_path / "build" / "dirhtml" / "feeds" / "djangocon-us-2019" / "atom.xml").read_text()
    assert "WebAssembly, edited" in atom


def test_a_recap_edit_rewrites_the_feeds_that_carry_it(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(ROOT, site)
    before = build(site, tmp_path / "build")
    recap = site / "recaps" / "2019" / "djangocon.md"
    recap.write_text(recap.read_text() + "\nA closing sentence about zanzibarian tea.\n")

    after = build(site, tmp_path / "build")

    changed = rewritten(before, after)
    assert {"atom.xml", "rss.xml"} <= changed
    assert "pycon-au-2021/atom.xml" not in changed
    assert "zanzibarian" in (tmp_path / "build" / "dirhtml" / "feeds" / "atom.xml").read_text()


def test_a_missing_feed_is_written_again(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(ROOT, site)
    build(site, tmp_path / "build")
    (tmp_path / "build" / "dirhtml" / "feeds" / "pycon-au-2021" / "rss.xml").unlink()

    after = build(site, tmp_path / "build")

    assert "pycon-au-2021/rss.xml" in after


def test_the_sitemap_is_kept_when_no_url_or_date_changed(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(ROOT, site)
    build(site, tmp_path / "build")
    sitemap = tmp_path / "build" / "dirhtml" / "sitemap.xml"
    before = sitemap.stat().st_mtime_ns

    build(site, tmp_path / "build")
    assert sitemap.stat().st_mtime_ns == before

    recap = site / "recaps" / "2019" / "djangocon.md"
    recap.write_text(recap.read_text().replace("date: 2019-", "date: 2020-", 1))
    build(site, tmp_path / "build")
    assert sitemap.stat().st_mtime_ns != before
