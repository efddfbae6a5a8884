"""The build's processes and the garbage collector (``conference_recaps.forks``)."""

from __future__ import annotations

import gc
import os
import pickle
import shutil
import types
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from sphinx import application
from sphinx.testing.util import SphinxTestApp

from conference_recaps.forks import Forked, collector_paused, frozen

ROOT = Path(__file__).parent / "roots" / "test-catalogue"


def test_the_environment_loads_with_the_collector_off_and_it_comes_back_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    shutil.copytree(ROOT, site)

    frozen_while_writing: list[int] = []

    def collect_pages(app: SphinxTestApp) -> list[Any]:
        frozen_while_writing.append(gc.get_freeze_count())
        return []

    def build() -> None:
        app = SphinxTestApp("html", srcdir=site, builddir=tmp_path / "build", status=StringIO())
        app.connect("html-collect-pages", collect_pages)
        try:
            app.build()
        finally:
            app.cleanup()

    build()
    seen: list[bool] = []

    def load(file: Any) -> Any:
        seen.append(gc.isenabled())
        return pickle.load(file)

    monkeypatch.setattr(application, "pickle", types.SimpleNamespace(load=load))
    build()

    assert seen == [False]
    assert gc.isenabled()
    # What was loaded stays out of the collector's passes while the build goes on, and
    # is given back when it is over.
    assert all(count > 10_000 for count in frozen_while_writing), frozen_while_writing
    assert gc.get_freeze_count() == 0


def test_freezes_nest() -> None:
    with frozen():
        with frozen():
            pass
        assert gc.get_freeze_count() > 0
    assert gc.get_freeze_count() == 0


def test_collector_paused_restores_what_it_found() -> None:
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_forked_work_runs_in_another_process_while_this_one_goes_on() -> None:
    parent = os.getpid()
    forked = Forked(lambda arg: (os.getpid(), arg * 2), 21)
    assert forked.arg == 21
    pid, value = forked.result()
    assert pid != parent
    assert value == 42


def test_an_error_in_forked_work_is_raised_at_the_join() -> None:
    def fail(arg: int) -> int:
        raise ValueError(f"no {arg}")

    forked = Forked(fail, 7)
    with pytest.raises(Exception, match="no 7"):
        forked.result()
