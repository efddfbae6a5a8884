"""The search index is rebuilt only when a page changed, and in the background on request."""

from __future__ import annotations

import os
import shutil
import time
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from sphinx.testing.util import SphinxTestApp

from conference_recaps.discovery.outputs import OutputDigests, save_state
from conference_recaps.discovery.pagefind import indexer
from conference_recaps.discovery.pagefind.indexer import MODE_VARIABLE, IndexFiles, background_main
from conference_recaps.discovery.pagefind.runner import BUNDLE_DIR

ROOT = Path(__file__).parent / "roots" / "test-discovery"


def build(srcdir: Path, builddir: Path, parallel: int = 0, *, warned: str = "") -> str:
    """Build; return the status output (warnings fail the test, but for ``warned``)."""
    status, warnings = StringIO(), StringIO()
    app = SphinxTestApp(
        "dirhtml",
        srcdir=srcdir,
        builddir=builddir,
        status=status,
        warning=warnings,
        parallel=parallel,
    )
    try:
        app.build()
    finally:
        app.cleanup()
    if warned:
        assert warned in warnings.getvalue(), warnings.getvalue()
    else:
        assert "WARNING" not in warnings.getvalue(), warnings.getvalue()
    return status.getvalue()


def copy_site(tmp_path: Path) -> Path:
    """A copy of the test site to edit."""
    site = tmp_path / "site"
    shutil.copytree(ROOT, site)
    return site


def bundle_files(outdir: Path) -> dict[str, bytes]:
    bundle = outdir / BUNDLE_DIR
    return {
        path.relative_to(bundle).as_posix(): path.read_bytes()
        for path in sorted(bundle.rglob("*"))
        if path.is_file()
    }


def files_of(builddir: Path) -> IndexFiles:
    return IndexFiles(builddir / "dirhtml", builddir / "doctrees", "dirhtml")


def test_a_rebuild_without_changed_pages_keeps_the_index(tmp_path: Path) -> None:
    site = copy_site(tmp_path)
    first = build(site, tmp_path / "build")
    assert "building the search index with Pagefind (1 of 1 shards)... done" in first
    # Pagefind's own files (pagefind/reproducible.py rewrites the entry and the filter files).
    fragments = sorted((tmp_path / "build" / "dirhtml" / BUNDLE_DIR / "all" / "fragment").iterdir())
    before = [path.stat().st_mtime_ns for path in fragments]

    second = build(site, tmp_path / "build")

    assert "search index: no page changed, kept as it is" in second
    assert "building the search index" not in second
    assert [path.stat().st_mtime_ns for path in fragments] == before


def test_a_changed_page_rebuilds_the_index_as_a_clean_build_writes_it(tmp_path: Path) -> None:
    site = copy_site(tmp_path)
    build(site, tmp_path / "incremental")
    recap = site / "recaps" / "2019" / "djangocon.md"
    recap.write_text(recap.read_text() + "\nA word nobody searched for: zanzibarian.\n")

    status = build(site, tmp_path / "incremental")
    build(site, tmp_path / "clean")

    assert "building the search index with Pagefind (1 of 1 shards)... done" in status
    incremental = bundle_files(tmp_path / "incremental" / "dirhtml")
    assert incremental == bundle_files(tmp_path / "clean" / "dirhtml")
    # Nothing of the swap is left behind.
    leftovers = list((tmp_path / "incremental" / "dirhtml" / BUNDLE_DIR).glob("*.*-*"))
    assert leftovers == []


def test_with_two_cores_an_edit_is_indexed_beside_the_other_outputs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = copy_site(tmp_path)
    build(site, tmp_path / "incremental", parallel=2)
    forked: list[object] = []

    class Spy(indexer.Forked):  # type: ignore[type-arg]
        def __init__(self, work: Any, arg: Any) -> None:
            forked.append(arg)
            super().__init__(work, arg)

    monkeypatch.setattr(indexer, "Forked", Spy)
    # The shard is indexed in the forked process: here, Pagefind may not run.
    parent = os.getpid()

    def index_shards(*args: Any) -> Any:
        assert os.getpid() != parent, "the shard was indexed in the build's own process"
        return real_index_shards(*args)

    real_index_shards = indexer.index_shards
    monkeypatch.setattr(indexer, "index_shards", index_shards)
    recap = site / "recaps" / "2019" / "djangocon.md"
    recap.write_text(recap.read_text() + "\nA word nobody searched for: zanzibarian.\n")

    status = build(site, tmp_path / "incremental", parallel=2)
    monkeypatch.undo()
    build(site, tmp_path / "clean")

    assert forked == [["all"]]
    assert "building the search index with Pagefind (1 of 1 shards)... done" in status
    assert bundle_files(tmp_path / "incremental" / "dirhtml") == bundle_files(
        tmp_path / "clean" / "dirhtml"
    )
    assert list((tmp_path / "incremental" / "dirhtml" / BUNDLE_DIR).glob("*.*-*")) == []


def test_a_problem_in_the_forked_indexer_is_reported_by_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = copy_site(tmp_path)
    build(site, tmp_path / "build", parallel=2)
    monkeypatch.setattr(
        indexer, "index_shards", lambda outdir, shards: ({}, {"all": "Pagefind stopped"})
    )
    recap = site / "recaps" / "2019" / "djangocon.md"
    recap.write_text(recap.read_text() + "\nAnother word: quokkaesque.\n")

    status = build(
        site,
        tmp_path / "build",
        parallel=2,
        warned="the search index is incomplete: Pagefind stopped",
    )

    assert "building the search index with Pagefind (1 of 1 shards)... failed" in status


def test_a_missing_index_is_rebuilt_even_when_no_page_changed(tmp_path: Path) -> None:
    site = copy_site(tmp_path)
    build(site, tmp_path / "build")
    shutil.rmtree(tmp_path / "build" / "dirhtml" / BUNDLE_DIR)

    status = build(site, tmp_path / "build")

    assert "building the search index with Pagefind (1 of 1 shards)... done" in status
    assert (tmp_path / "build" / "dirhtml" / BUNDLE_DIR / "pagefind-ui.js").is_file()


def test_the_background_mode_returns_first_and_writes_the_same_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = copy_site(tmp_path)
    build(site, tmp_path / "foreground")
    monkeypatch.setenv(MODE_VARIABLE, "background")

    status = build(site, tmp_path / "background")

    assert "search index: updating in the background" in status
    files = files_of(tmp_path / "background")
    deadline = time.monotonic() + 120
    while files.pending() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not files.pending(), files.log.read_text()
    assert "search index updated in" in files.log.read_text()
    # The background index is stabilised as pagefind/reproducible.py stabilises a foreground one.
    assert bundle_files(tmp_path / "background" / "dirhtml") == bundle_files(
        tmp_path / "foreground" / "dirhtml"
    )
    # And a rebuild with no change starts no indexer.
    assert "no page changed, kept as it is" in build(site, tmp_path / "background")


def test_digests_are_read_again_only_when_a_file_changed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "a").mkdir(parents=True)
    (out / BUNDLE_DIR).mkdir()
    page = out / "a" / "index.html"
    page.write_text("<p>one</p>")
    (out / BUNDLE_DIR / "skip.html").write_text("never read")
    (out / "style.css").write_text("not html")
    digests = OutputDigests(out)

    first = digests.scan(".html", skip=[BUNDLE_DIR])
    assert list(first) == ["a/index.html"]
    # Same size and mtime: the cached digest is trusted (the file is not read).
    stat = page.stat()
    page.write_text("<p>two</p>")
    os.utime(page, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert digests.scan(".html", skip=[BUNDLE_DIR]) == first
    # A new mtime: read again.
    os.utime(page, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert digests.scan(".html", skip=[BUNDLE_DIR]) != first
    # A removed file leaves the cache.
    page.unlink()
    assert digests.scan(".html", skip=[BUNDLE_DIR]) == {}
    assert digests.known == {}


def test_digests_survive_a_reload_only_for_the_same_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "index.html").write_text("<p>one</p>")
    state = tmp_path / "state"
    digests = OutputDigests(out)
    digests.scan(".html")
    digests.save(state)

    assert OutputDigests.load(out, state).known == digests.known
    assert OutputDigests.load(tmp_path / "elsewhere", state).known == {}
    state.write_bytes(b"not a pickle")
    assert OutputDigests.load(out, state).known == {}


def test_an_indexer_for_pages_since_changed_leaves_the_index_alone(tmp_path: Path) -> None:
    site = copy_site(tmp_path)
    build(site, tmp_path / "build")
    files = files_of(tmp_path / "build")
    live = bundle_files(files.outdir)

    # An earlier build asked for an index of pages that have since been edited back:
    # the next build, finding the live index current, says so.
    save_state(files.requested, {"fingerprint": "stale"})
    assert "no page changed, kept as it is" in build(site, tmp_path / "build")
    # So the indexer that earlier build started writes nothing.
    assert background_main([str(files.outdir), str(files.doctreedir), "dirhtml", "stale"]) == 0

    assert not files.pending()
    assert bundle_files(files.outdir) == live
    assert list((files.outdir / BUNDLE_DIR).glob("*.*-*")) == []
