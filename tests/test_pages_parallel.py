"""Generated pages and feeds written by forked workers (``-j N``) are what a serial build
writes."""

from __future__ import annotations

import shutil
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from sphinx.testing.util import SphinxTestApp

from conference_recaps import forks
from conference_recaps.discovery import feeds
from conference_recaps.pages import generate

ROOT = Path(__file__).parent / "roots" / "test-discovery"


def build(srcdir: Path, builddir: Path, parallel: int) -> tuple[dict[str, bytes], str]:
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
    assert "WARNING" not in warnings.getvalue(), warnings.getvalue()
    outdir = builddir / "dirhtml"
    files = {
        path.relative_to(outdir).as_posix(): path.read_bytes()
        for path in sorted(outdir.rglob("*"))
        if path.is_file() and path.name != ".buildinfo"
    }
    return files, status.getvalue()


def test_forked_writers_write_what_a_serial_build_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    shutil.copytree(ROOT, site)
    serial, _ = build(site, tmp_path / "serial", parallel=1)
    # The test site has a few dozen pages and feeds: let even those go to forked workers.
    monkeypatch.setattr(generate, "PARALLEL_THRESHOLD", 1)
    monkeypatch.setattr(feeds, "PARALLEL_FEEDS", 1)
    forked: list[str] = []

    def run_chunks(work: Any, chunks: Any, nproc: int, done: Any = None) -> None:
        forked.append(work.__qualname__)
        forks.run_chunks(work, chunks, nproc, done)

    monkeypatch.setattr(feeds, "run_chunks", run_chunks)

    parallel, status = build(site, tmp_path / "parallel", parallel=2)

    assert forked == ["_write_changed.<locals>.write_some"]
    assert "writing catalogue pages... " in status
    assert " (+" in status  # chunks, as the forked path names them
    assert sorted(parallel) == sorted(serial)
    changed = [name for name in serial if parallel[name] != serial[name]]
    assert changed == []
