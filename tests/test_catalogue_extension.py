"""The catalogue in a Sphinx build: loaded once, reused while unchanged, its problems warned."""

from __future__ import annotations

import dataclasses
import gc
import multiprocessing
import os
import pickle
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from sphinx.util.console import strip_colors

from conference_recaps.catalogue import extension, loader, model
from conference_recaps.catalogue.extension import LoadedCatalogue
from conference_recaps.catalogue.loader import catalogue_files
from conference_recaps.config import RecapsConfig
from conference_recaps.domain import get_catalogue, get_domain

if TYPE_CHECKING:
    from collections.abc import Callable

    from sphinx.testing.util import SphinxTestApp


@pytest.fixture
def count_loads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count calls of the parser behind the build's catalogue."""
    calls: list[int] = []
    real = extension.load_files

    def counting(*args: Any) -> Any:
        calls.append(1)
        return real(*args)

    monkeypatch.setattr(extension, "load_files", counting)
    return calls


@pytest.mark.sphinx("html", testroot="catalogue")
def test_catalogue_is_loaded_before_reading(app: SphinxTestApp) -> None:
    app.build()
    assert strip_colors(app.warning.getvalue()) == ""
    loaded = get_domain(app.env).data["catalogue"]
    assert isinstance(loaded, LoadedCatalogue)
    assert [stamp[0] for stamp in loaded.stamps] == ["talks.yaml"]
    assert loaded.problems == ()
    catalogue = get_catalogue(app.env)
    talk = catalogue.talks["djangocon-us-2019/just-add-await"]
    assert talk.speakers == ("andrew-godwin",)
    assert catalogue.speakers["andrew-godwin"].public_aliases == ("Andrew G.",)
    # Pages are not made dependent on the whole file: the domain's fingerprints decide.
    assert not any(
        "talks.yaml" in str(dependency)
        for dependencies in app.env.dependencies.values()
        for dependency in dependencies
    )


@pytest.mark.sphinx("html", testroot="catalogue-error")
def test_catalogue_problem_is_a_warning_at_its_line(app: SphinxTestApp) -> None:
    app.build()
    path = app.srcdir / "talks" / "2019.yaml"
    assert strip_colors(app.warning.getvalue()).splitlines() == [
        f"{app.srcdir / 'talks.yaml'}:7: WARNING: speaker 'andrew-godwin' gives no talk; add "
        "them to a talk's speakers or remove the entry (column 9) [recaps.catalogue_lint]",
        f"{path}:5: WARNING: unknown speaker 'andrew-godwn' (did you mean 'andrew-godwin'?); "
        "add it under 'speakers' or fix the id (column 16) [recaps.catalogue_ref]",
    ]
    # The invalid talk is left out; the valid entries stay.
    catalogue = get_catalogue(app.env)
    assert list(catalogue.talks) == []
    assert list(catalogue.conferences) == ["djangocon-us-2019"]


@pytest.mark.sphinx(
    "html",
    testroot="catalogue-error",
    confoverrides={"suppress_warnings": ["recaps.catalogue_lint"]},
)
def test_catalogue_error_is_fatal_under_w(
    app: SphinxTestApp, make_app: Callable[..., SphinxTestApp]
) -> None:
    # sphinx-build -W: the build goes on and fails at the end.
    strict = make_app("html", srcdir=app.srcdir, warningiserror=True, freshenv=True)
    strict.build()
    assert strict.statuscode == 1
    assert "unknown speaker 'andrew-godwn'" in strict.warning.getvalue()
    # And the command line agrees: sphinx-build -W exits 1 naming the line.
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinx",
            "-W",
            "-q",
            "-b",
            "html",
            "-E",
            str(app.srcdir),
            str(app.srcdir / "_build" / "strict"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert f"{app.srcdir / 'talks' / '2019.yaml'}:5: WARNING: unknown speaker" in strip_colors(
        result.stderr
    )


@pytest.mark.sphinx("html", testroot="catalogue", srcdir="catalogue-reuse")
def test_unchanged_catalogue_is_not_parsed_again(
    app: SphinxTestApp, make_app: Callable[..., SphinxTestApp], count_loads: list[int]
) -> None:
    # The fixture's app was set up before the counter: parse once more, then build.
    app.build()
    again = make_app("html", srcdir=app.srcdir)
    again.build()
    assert count_loads == []  # the pickled load was reused: stamps are unchanged
    assert "djangocon-us-2019/just-add-await" in get_catalogue(again.env).talks

    catalogue_file: Path = app.srcdir / "talks.yaml"
    text = catalogue_file.read_text()
    catalogue_file.write_text(text.replace("Just Add Await:", "Just Add Await!"))
    stat = catalogue_file.stat()
    os.utime(catalogue_file, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    third = make_app("html", srcdir=app.srcdir)
    third.build()
    assert count_loads == [1]
    title = get_catalogue(third.env).talks["djangocon-us-2019/just-add-await"].title
    assert title.startswith("Just Add Await!")


@pytest.mark.sphinx("html", testroot="catalogue-error", srcdir="catalogue-error-again")
def test_problems_are_reported_on_every_build(
    app: SphinxTestApp, make_app: Callable[..., SphinxTestApp], count_loads: list[int]
) -> None:
    app.build()
    again = make_app("html", srcdir=app.srcdir)
    again.build()
    assert count_loads == []
    assert "unknown speaker 'andrew-godwn'" in strip_colors(again.warning.getvalue())


def test_stamps_notice_added_and_removed_files(tmp_path: Path) -> None:
    settings = RecapsConfig()
    (tmp_path / "talks.yaml").write_text("speakers: []\n")
    first = extension.load(tmp_path, catalogue_files(tmp_path, settings), None)
    assert extension.load(tmp_path, catalogue_files(tmp_path, settings), first) is first
    (tmp_path / "talks").mkdir()
    (tmp_path / "talks" / "2019.yaml").write_text(
        "conferences:\n  - id: c-2019\n    name: C\n    start: 2019-01-01\n    end: 2019-01-02\n"
    )
    second = extension.load(tmp_path, catalogue_files(tmp_path, settings), first)
    assert second is not first
    assert list(second.catalogue.conferences) == ["c-2019"]
    assert [stamp[0] for stamp in second.stamps] == ["talks.yaml", "talks/2019.yaml"]
    (tmp_path / "talks" / "2019.yaml").unlink()
    third = extension.load(tmp_path, catalogue_files(tmp_path, settings), second)
    assert list(third.catalogue.conferences) == []


def test_an_edit_parses_only_the_file_it_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A split catalogue: the other files' readings are reused, and the checks across
    files (here an unknown speaker, then a duplicate id) are made again, as a fresh load
    makes them."""
    settings = RecapsConfig()
    (tmp_path / "talks").mkdir()
    people = tmp_path / "talks" / "people.yaml"
    people.write_text("speakers:\n  - id: ada\n    name: Ada\n")
    conference = tmp_path / "talks" / "c-2019.yaml"
    conference.write_text(
        "conferences:\n  - id: c-2019\n    name: C\n    start: 2019-01-01\n"
        "    end: 2019-01-02\n"
        "talks:\n  - id: c-2019/a\n    conference: c-2019\n    title: A\n"
        "    speakers: [ada]\n"
    )
    first = extension.load(tmp_path, catalogue_files(tmp_path, settings), None)
    assert first.problems == ()
    parsed: list[str] = []
    real = loader.read_file

    def counting(path: Path, rel: str, root: Path) -> loader.FileRead:
        parsed.append(rel)
        return real(path, rel, root)

    monkeypatch.setattr(loader, "read_file", counting)

    def edit(path: Path, text: str) -> extension.LoadedCatalogue:
        stat = path.stat() if path.exists() else None
        path.write_text(text)
        if stat is not None:  # a new modification time, even on a coarse clock
            os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
        return extension.load(tmp_path, catalogue_files(tmp_path, settings), first)

    second = edit(people, "speakers:\n  - id: bob\n    name: Bob\n")
    assert parsed == ["talks/people.yaml"]
    assert [p.message.split(";")[0] for p in second.problems] == [
        "unknown speaker 'ada'",
        "speaker 'bob' gives no talk",
    ]
    assert list(second.catalogue.talks) == []
    fresh, problems = loader.load_catalogue(tmp_path, catalogue_files(tmp_path, settings))
    assert tuple(problems) == second.problems
    assert list(fresh.speakers) == list(second.catalogue.speakers)

    parsed.clear()
    first = second
    third = edit(tmp_path / "talks" / "d.yaml", "speakers:\n  - id: bob\n    name: Bobby\n")
    assert parsed == ["talks/d.yaml"]
    assert any("duplicate speaker id 'bob'" in p.message for p in third.problems)


@pytest.mark.sphinx("html", testroot="catalogue")
def test_a_parallel_reader_sends_no_catalogue_back(app: SphinxTestApp) -> None:
    """Sphinx's parallel readers pickle their whole environment back to be merged; the
    catalogue is never merged, so a forked reader sends a marker in its place, while the
    main process pickles it whole (that is the environment Sphinx saves)."""
    loaded = get_domain(app.env).data["catalogue"]
    assert isinstance(loaded, LoadedCatalogue)
    again = pickle.loads(pickle.dumps(loaded))
    assert again == loaded
    assert gc.isenabled()  # loaded with the collector off, then on again
    assert again.catalogue.talks.keys() == loaded.catalogue.talks.keys()

    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(1) as pool:
        sent = pool.apply(pickle.dumps, (loaded,))
    assert pickle.loads(sent) == extension.FORKED_READER_CATALOGUE
    assert len(sent) < 200 < len(pickle.dumps(loaded))


@pytest.mark.sphinx("html", testroot="catalogue")
def test_an_unchanged_catalogue_is_saved_as_the_blob_it_was_loaded_from(
    app: SphinxTestApp,
) -> None:
    """The environment is saved again after every build that read a document; a catalogue
    whose files did not change is the one that was loaded, and it is written back as the
    blob it came from instead of being pickled again (2 s at pyvideo.org's scale)."""
    loaded = get_domain(app.env).data["catalogue"]
    assert isinstance(loaded, LoadedCatalogue)
    saved = pickle.dumps(loaded)
    again = pickle.loads(saved)
    _function, (blob,) = again.__reduce__()
    assert extension._unpickled is not None
    assert blob is extension._unpickled[1]  # the same bytes object: not pickled again
    assert pickle.loads(pickle.dumps(again)) == loaded
    # Another catalogue (a file changed, so load() made a new one) is pickled anew.
    changed = dataclasses.replace(again, problems=())
    _function, (fresh,) = changed.__reduce__()
    assert fresh is not blob
    assert pickle.loads(pickle.dumps(changed)) == changed


@pytest.mark.sphinx("html", testroot="catalogue")
def test_every_slotted_entry_pickles_as_its_values(app: SphinxTestApp) -> None:
    """The model's frozen dataclasses with slots pickle through ``quick_pickle``, and
    come back equal: a class left out would pickle ten times slower, unnoticed."""
    slotted = {
        cls
        for module in (model, loader)
        for cls in vars(module).values()
        if isinstance(cls, type)
        and dataclasses.is_dataclass(cls)
        and "__slots__" in vars(cls)
        and cls.__module__ == module.__name__
    }
    assert {"Talk", "Speaker", "Conference", "Position", "FileRead"} <= {
        cls.__name__ for cls in slotted
    }
    for cls in slotted:
        assert vars(cls)["__getstate__"].__qualname__ == "quick_pickle.<locals>.getstate", cls
    loaded = get_domain(app.env).data["catalogue"]
    state = (loaded.catalogue, loaded.stamps, loaded.problems, dict(loaded.reads))
    again = pickle.loads(pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL))
    assert again[0].talks == loaded.catalogue.talks
    assert again[0].speakers == loaded.catalogue.speakers
    assert again[0].conferences == loaded.catalogue.conferences
    assert again[3] == dict(loaded.reads)
