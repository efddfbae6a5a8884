"""The importers' output is a valid catalogue, and the seed catalogue is in sync with pyvideo."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conference_recaps.catalogue.loader import load_catalogue
from conference_recaps.cli import main

TESTS = Path(__file__).parent
SITE_ROOT = TESTS.parent
#: The pyvideo.org folders the seed catalogue was imported from (outside the repository).
PYVIDEO_DATA = SITE_ROOT.parent / "shared" / "data" / "pyvideo"
SEED_FOLDERS = (
    "djangocon-us-2018",
    "djangocon-us-2019",
    "djangocon-europe-2019",
    "djangocon-us-2022",
    "python-web-conf-2021",
)


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    return tmp_path


def test_imports_load_without_a_problem(site: Path) -> None:
    fixtures = TESTS / "importers"
    assert main(["import", "pyvideo", str(fixtures / "pyvideo" / "democon-2024")]) == 0
    assert main(["import", "pretalx", str(fixtures / "pretalx" / "schedule.json")]) == 0
    catalogue, problems = load_catalogue(site, [site / "talks.yaml"])
    assert [str(p) for p in problems] == []
    assert len(catalogue.talks) == 7
    assert catalogue.talks["democon-2024/no"].title == "NO"
    assert catalogue.talks["democon-2025/3-10"].title == "3.10"


def test_the_seed_catalogue_loads_without_a_problem() -> None:
    catalogue, problems = load_catalogue(SITE_ROOT, [SITE_ROOT / "talks.yaml"])
    assert [str(p) for p in problems] == []
    assert set(SEED_FOLDERS) <= set(catalogue.conferences)
    for conference in SEED_FOLDERS:
        assert catalogue.talks_of_conference(conference), conference


@pytest.mark.skipif(not PYVIDEO_DATA.is_dir(), reason="the pyvideo.org sample is not here")
def test_the_seed_catalogue_has_every_pyvideo_talk(site: Path) -> None:
    """Re-importing the seed's sources into it changes nothing: every talk is already in."""
    shutil.copy(SITE_ROOT / "talks.yaml", site / "talks.yaml")
    before = (site / "talks.yaml").read_bytes()
    folders = [str(PYVIDEO_DATA / name) for name in SEED_FOLDERS]
    assert main(["import", "pyvideo", *folders]) == 0
    assert (site / "talks.yaml").read_bytes() == before
