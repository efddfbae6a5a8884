"""The search index in shards: which shard indexes a page, and only changed shards re-index.

The plan is tested on its own (locality, stability, size); the incremental behaviour on
real builds of ``tests/roots/test-discovery`` with shards of one page, so that its two
conferences, three speakers and recaps spread over five shards.
"""

from __future__ import annotations

import gzip
import json
import shutil
import time
from pathlib import Path

import pytest

from conference_recaps.discovery.pagefind import shards
from conference_recaps.discovery.pagefind.indexer import MODE_VARIABLE, IndexFiles
from conference_recaps.discovery.pagefind.runner import BUNDLE_DIR, MANIFEST, manifest
from conference_recaps.discovery.pagefind.shards import IndexedContent, plan_shards
from test_search_incremental import build

ROOT = Path(__file__).parent / "roots" / "test-discovery"


def catalogue_pages(conferences: int, talks: int, speakers: int) -> list[str]:
    pages = ["recaps/2019/one/index.html", "docs/index.html"]
    for c in range(conferences):
        pages.append(f"conferences/conf-{c}/index.html")
        pages += [f"talks/conf-{c}/talk-{t}/index.html" for t in range(talks)]
    pages += [f"speakers/person-{s}/index.html" for s in range(speakers)]
    return pages


def shard_of(plan: dict[str, list[str]]) -> dict[str, str]:
    return {page: name for name, pages in plan.items() for page in pages}


def test_a_small_site_is_one_shard() -> None:
    pages = catalogue_pages(3, 10, 20)
    assert plan_shards(pages) == {"all": sorted(pages)}
    assert plan_shards([]) == {}


def test_the_manifest_puts_the_primary_shard_first() -> None:
    assert json.loads(manifest(["talks-2-1", "speakers-1-0", "pages"])) == {
        "shards": ["pages", "speakers-1-0", "talks-2-1"]
    }
    assert json.loads(manifest(["all"])) == {"shards": ["all"]}
    assert json.loads(manifest([])) == {"shards": []}  # a site with nothing to index


def test_a_conference_and_its_talks_share_a_shard_and_speakers_have_their_own() -> None:
    plan = plan_shards(catalogue_pages(540, 40, 12_879))
    where = shard_of(plan)
    for c in range(540):
        shard = where[f"conferences/conf-{c}/index.html"]
        assert shard.startswith("talks-")
        assert {where[f"talks/conf-{c}/talk-{t}/index.html"] for t in range(40)} == {shard}
    assert where["speakers/person-7/index.html"].startswith("speakers-")
    assert where["recaps/2019/one/index.html"] == where["docs/index.html"] == "pages"
    # 22,140 talk and conference pages at most 700 a shard, and 12,879 speakers at most
    # 2,800 (on average: a hash spreads them unevenly), in numbers of shards that are
    # powers of two.
    assert sum(name.startswith("talks-32-") for name in plan) == 32
    assert sum(name.startswith("speakers-8-") for name in plan) == 8
    talks = [pages for name, pages in plan.items() if name.startswith("talks-")]
    assert max(len(pages) for pages in talks) < 2 * shards.PAGES_PER_SHARD


def test_many_recaps_are_split_too() -> None:
    pages = [f"recaps/{n}/index.html" for n in range(1500)]
    plan = plan_shards([*catalogue_pages(540, 40, 100), *pages])
    recap_shards = {name for name in plan if name.startswith("pages")}
    assert recap_shards == {"pages-4-0", "pages-4-1", "pages-4-2", "pages-4-3"}
    assert max(len(plan[name]) for name in recap_shards) < 2 * shards.RECAP_PAGES_PER_SHARD


def test_adding_a_conference_moves_no_other_page() -> None:
    before = shard_of(plan_shards(catalogue_pages(540, 40, 12_879)))
    after = shard_of(plan_shards(catalogue_pages(541, 40, 12_879)))
    assert {page: after[page] for page in before} == before


def test_the_indexed_content_ignores_what_is_outside_the_indexed_part(tmp_path: Path) -> None:
    page = tmp_path / "a.html"
    body = "<div data-pagefind-body><h1>Talk</h1></div><!--/data-pagefind-body-->"
    page.write_text(f'<html lang="en"><nav>sidebar one</nav>{body}<footer>1</footer></html>')
    content = IndexedContent(tmp_path)
    first = content.content_digest(page)
    page.write_text(f'<html lang="en"><nav>sidebar two</nav>{body}<footer>2</footer></html>')
    assert content.content_digest(page) == first
    page.write_text(f'<html lang="fr"><nav>sidebar two</nav>{body}</html>')
    assert content.content_digest(page) != first  # Pagefind indexes by language
    page.write_text(f'<html lang="en">{body.replace("Talk", "Retitled")}</html>')
    assert content.content_digest(page) != first
    page.write_text('<html lang="en"><p>not indexed</p></html>')
    assert content.content_digest(page) == ""


# Real builds, with shards of (on average) one page.


def shard_files(outdir: Path) -> dict[str, dict[str, bytes]]:
    """Each shard's files: shard -> relative path -> bytes."""
    root = outdir / BUNDLE_DIR
    return {
        shard.name: {
            path.relative_to(shard).as_posix(): path.read_bytes()
            for path in sorted(shard.rglob("*"))
            if path.is_file()
        }
        for shard in sorted(root.iterdir())
        if shard.is_dir()
    }


def shard_mtimes(outdir: Path) -> dict[str, int]:
    """When each shard's bundle was put in place (its folder is renamed into place)."""
    root = outdir / BUNDLE_DIR
    return {shard.name: shard.stat().st_mtime_ns for shard in root.iterdir() if shard.is_dir()}


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def small_shards(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shards, "PAGES_PER_SHARD", 1)
    monkeypatch.setattr(shards, "SPEAKER_SHARD_FACTOR", 1)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    shutil.copytree(ROOT, tmp_path / "site")
    return tmp_path / "site"


@pytest.mark.usefixtures("small_shards")
def test_an_edited_talk_reindexes_only_its_shards(site: Path, tmp_path: Path) -> None:
    outdir = tmp_path / "build" / "dirhtml"
    build(site, tmp_path / "build")
    manifest = json.loads((outdir / BUNDLE_DIR / MANIFEST).read_text())["shards"]
    assert manifest[0] == "pages"
    assert len(manifest) == 5
    assert set(manifest) == set(shard_files(outdir))
    plan = plan_shards(
        [p for p, v in IndexedContent(outdir).scan(".html", skip=[BUNDLE_DIR]).items() if v]
    )
    where = shard_of(plan)
    talk_shard = where["talks/djangocon-us-2019/just-add-await/index.html"]
    speaker_shard = where["speakers/andrew-godwin/index.html"]
    before = shard_mtimes(outdir)

    replace(site / "talks.yaml", "Just Add Await:", "Just Add Await, Again:")
    status = build(site, tmp_path / "build")

    changed = {name for name, mtime in shard_mtimes(outdir).items() if before[name] != mtime}
    # Its conference's shard; the recap that shows its card is in "pages". Speaker and
    # conference pages list talks outside the indexed text, so its speaker's shard, the
    # other conference's and the other speakers' are left alone.
    assert changed == {talk_shard, "pages"}
    assert speaker_shard not in changed
    assert where["talks/pycon-au-2021/async-everywhere/index.html"] not in changed
    assert where["speakers/amber-brown/index.html"] not in changed
    assert f"({len(changed)} of {len(manifest)} shards)" in status
    # And the index is the one a clean build writes, shard for shard.
    build(site, tmp_path / "clean")
    assert shard_files(outdir) == shard_files(tmp_path / "clean" / "dirhtml")


@pytest.mark.usefixtures("small_shards")
def test_a_removed_page_leaves_the_index(site: Path, tmp_path: Path) -> None:
    outdir = tmp_path / "build" / "dirhtml"
    build(site, tmp_path / "build")
    before = shard_mtimes(outdir)
    podcast = site / "recaps" / "2019" / "podcast.md"
    podcast.unlink()

    status = build(site, tmp_path / "build")

    # The recap's shard, and the talk page that listed it among its recaps.
    changed = {name for name, mtime in shard_mtimes(outdir).items() if before.get(name) != mtime}
    assert "pages" in changed
    assert f"({len(changed)} of {len(before)} shards)" in status
    for bundle in shard_files(outdir).values():
        for name, data in bundle.items():
            if name.startswith("fragment/"):
                assert b"recaps/2019/podcast/" not in gzip.decompress(data)
    build(site, tmp_path / "clean")
    assert shard_files(outdir) == shard_files(tmp_path / "clean" / "dirhtml")


def test_a_site_that_outgrows_one_shard_drops_the_old_one(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outdir = tmp_path / "build" / "dirhtml"
    build(site, tmp_path / "build")
    assert set(shard_files(outdir)) == {"all"}
    # The layout before shards, left by an older build: removed too.
    (outdir / BUNDLE_DIR / "fragment").mkdir()
    (outdir / BUNDLE_DIR / "pagefind-entry.json").write_text("{}")

    monkeypatch.setattr(shards, "PAGES_PER_SHARD", 1)
    build(site, tmp_path / "build")

    root = outdir / BUNDLE_DIR
    assert "all" not in shard_files(outdir)
    listed = json.loads((root / MANIFEST).read_text())["shards"]
    assert sorted(entry.name for entry in root.iterdir()) == sorted(
        [*listed, MANIFEST, "pagefind-ui.css", "pagefind-ui.js"]
    )


@pytest.mark.usefixtures("small_shards")
def test_the_background_indexer_updates_only_the_edited_shards(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outdir = tmp_path / "build" / "dirhtml"
    build(site, tmp_path / "build")
    before = shard_mtimes(outdir)
    replace(site / "talks.yaml", "Just Add Await:", "Just Add Await, Again:")
    monkeypatch.setenv(MODE_VARIABLE, "background")

    assert "search index: updating in the background" in build(site, tmp_path / "build")

    files = IndexFiles(outdir, tmp_path / "build" / "doctrees", "dirhtml")
    deadline = time.monotonic() + 120
    while files.pending() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not files.pending(), files.log.read_text()
    assert "(2 of 5 shards)" in files.log.read_text()
    changed = {name for name, mtime in shard_mtimes(outdir).items() if before[name] != mtime}
    assert len(changed) == 2
    monkeypatch.delenv(MODE_VARIABLE)
    build(site, tmp_path / "clean")
    assert shard_files(outdir) == shard_files(tmp_path / "clean" / "dirhtml")
