"""``recaps check``: the catalogue and the recaps checked from the site root, as CI runs it."""

from __future__ import annotations

import shutil
from typing import TYPE_CHECKING

import pytest

from conference_recaps.cli import main
from conference_recaps.cli.check import read_settings

if TYPE_CHECKING:
    from pathlib import Path

from tests.conftest import TESTS

GOOD_RECAP = """\
---
title: DjangoCon US 2019 in review
date: 2019-10-28
authors: [Jane Contributor]
conference: djangocon-us-2019
---
# DjangoCon US 2019 in review
"""


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A copy of the catalogue test root, with one valid recap."""
    root = tmp_path / "site"
    shutil.copytree(TESTS / "roots" / "test-catalogue", root)
    (root / "recaps" / "first.md").write_text(GOOD_RECAP)
    return root


def test_clean_site_passes(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--root", str(site)]) == 0
    assert capsys.readouterr().out == (
        "recaps check: 0 errors, 0 warnings in 1 catalogue file (1 conference, 1 speaker, "
        "1 talk) and 1 recap\n"
    )


def test_errors_sorted_with_annotations(
    site: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    (site / "recaps" / "2019").mkdir()
    (site / "recaps" / "2019" / "bad.md").write_text(
        GOOD_RECAP.replace("2019-10-28", "28 Oct 2019").replace("djangocon-us-2019\n", "dcus\n")
    )
    catalogue = site / "talks.yaml"
    catalogue.write_text(catalogue.read_text().replace("speakers: [andrew-godwin]", "speakers: []"))
    assert main(["check", "--root", str(site)]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "recaps/2019/bad.md:3:7: 'date' must be an ISO date like 2019-09-22, not '28 Oct 2019' "
        "[recaps.front_matter]",
        "recaps/2019/bad.md:5:13: unknown conference 'dcus'; use the id of a conference in the "
        "catalogue (talks.yaml), or remove the key [recaps.conference_ref]",
        "talks.yaml:11:9: warning: speaker 'andrew-godwin' gives no talk; add them to a talk's "
        "speakers or remove the entry [recaps.catalogue_lint]",
        "::error file=recaps/2019/bad.md,line=3,col=7,title=recaps.front_matter::'date' must be "
        "an ISO date like 2019-09-22, not '28 Oct 2019'",
        "::error file=recaps/2019/bad.md,line=5,col=13,title=recaps.conference_ref::unknown "
        "conference 'dcus'; use the id of a conference in the catalogue (talks.yaml), or remove "
        "the key",
        "::warning file=talks.yaml,line=11,col=9,title=recaps.catalogue_lint::speaker "
        "'andrew-godwin' gives no talk; add them to a talk's speakers or remove the entry",
        "recaps check: 2 errors, 1 warning in 1 catalogue file (1 conference, 1 speaker, "
        "1 talk) and 2 recaps",
    ]


def test_warnings_alone_pass(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    catalogue = site / "talks.yaml"
    catalogue.write_text(catalogue.read_text().replace("2019-09-25", "2019-10-25"))
    assert main(["check", "--root", str(site)]) == 0
    assert "warning: talk date 2019-10-25 is 28 days after its conference ends" in (
        capsys.readouterr().out
    )


def test_settings_come_from_conf_py_without_running_it(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (site / "data").mkdir()
    (site / "talks.yaml").rename(site / "data" / "catalogue.yaml")
    (site / "posts").mkdir()
    (site / "recaps" / "first.md").rename(site / "posts" / "first.md")
    (site / "conf.py").write_text(
        'import pathlib\npathlib.Path("ran").write_text("conf.py was executed")\n'
        'recaps_catalogue = "data/catalogue.yaml"\n'
        'recaps_recaps_dir = "posts"\n'
        'recaps_catalogue_dir = str("computed")  # not a literal: the default is used\n'
        'recaps_base_url = "ftp://example.org"\n'
    )
    assert main(["check", "--root", str(site)]) == 1  # as sphinx-build -W would fail
    assert capsys.readouterr().out.splitlines() == [
        "conf.py:6:1: invalid value recaps_base_url='ftp://example.org': must be an http:// or "
        "https:// URL, or empty; using the default '' [recaps.config]",
        "recaps check: 1 error, 0 warnings in 1 catalogue file (1 conference, 1 speaker, "
        "1 talk) and 1 recap",
    ]
    assert not (site / "ran").exists()
    settings, _ = read_settings(site)
    assert (settings.catalogue, settings.catalogue_dir) == ("data/catalogue.yaml", "talks")


def test_missing_catalogue_and_recaps(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--root", str(tmp_path)]) == 0
    assert capsys.readouterr().out == (
        "recaps check: 0 errors, 0 warnings in 0 catalogue files (0 conferences, 0 speakers, "
        "0 talks) and 0 recaps\n"
    )


def test_the_real_site_passes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--root", str(TESTS.parent)]) == 0, capsys.readouterr().out
