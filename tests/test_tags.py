"""The tag vocabulary (tags.yaml): folded at import, checked by ``recaps check``."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from conference_recaps.catalogue.loader import load_catalogue
from conference_recaps.catalogue.tags import read_vocabulary
from conference_recaps.cli import main

SITE_ROOT = Path(__file__).parent.parent
FIXTURES = Path(__file__).parent / "importers" / "pyvideo"

VOCABULARY = """\
tags:
  - id: machine-learning
    aliases: [ml, deep-learning]
  - id: async
    aliases: [asyncio]
  - id: django
"""


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    (tmp_path / "tags.yaml").write_text(VOCABULARY, encoding="utf-8")
    return tmp_path


def test_spellings_fold_into_their_tag(site: Path) -> None:
    vocabulary, problems = read_vocabulary(site)
    assert problems == []
    assert vocabulary is not None
    for spelling in (
        "Machine Learning",
        "machine_learning",
        "MachineLearning",
        "ML",
        "deep learning",
    ):
        assert vocabulary.fold(spelling) == "machine-learning"
    assert vocabulary.fold("asyncio") == "async"
    assert vocabulary.fold("flask") is None


def test_import_folds_tags_and_reports_it(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = site / "conf-2024"
    shutil.copytree(FIXTURES / "democon-2024", folder)
    video = next((folder / "videos").glob("*.json"))
    data = json.loads(video.read_text(encoding="utf-8"))
    data["tags"] = ["Machine Learning", "asyncio", "ML", "Flask"]
    video.write_text(json.dumps(data), encoding="utf-8")
    assert main(["import", "pyvideo", str(folder)]) == 0
    talks = yaml.safe_load((site / "talks.yaml").read_text(encoding="utf-8"))["talks"]
    tagged = [t for t in talks if "machine-learning" in (t.get("tags") or ())]
    assert len(tagged) == 1
    assert tagged[0]["tags"] == ["machine-learning", "async", "flask"]
    assert "tags folded into the vocabulary [tags]" in capsys.readouterr().out
    report = (site / "_build" / "import-report.txt").read_text(encoding="utf-8")
    assert "tags.yaml: 'asyncio' folded into 'async' (1 talks)" in report


def test_check_reports_aliases_and_unknown_tags_at_their_line(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (site / "talks.yaml").write_text(
        "conferences:\n  - id: c-2024\n    name: C 2024\n    start: 2024-01-01\n"
        "    end: 2024-01-02\nspeakers: []\ntalks:\n  - id: c-2024/t\n    conference: c-2024\n"
        "    title: T\n    tags:\n      - django\n      - asyncio\n      - djangoo\n",
        encoding="utf-8",
    )
    assert main(["check"]) == 1
    out = capsys.readouterr().out
    assert (
        "talks.yaml:13:9: tag 'asyncio' is an alias of 'async' in tags.yaml; write 'async' "
        "[recaps.tag]"
    ) in out
    assert (
        "talks.yaml:14:9: warning: tag 'djangoo' is not in tags.yaml; use 'django' or add it "
        "there (with the other spellings it has as aliases) [recaps.tag]"
    ) in out


def test_the_seed_talks_are_tagged_from_the_vocabulary() -> None:
    vocabulary, problems = read_vocabulary(SITE_ROOT)
    assert problems == []
    assert vocabulary is not None
    catalogue, _ = load_catalogue(SITE_ROOT, [SITE_ROOT / "talks.yaml"])
    tags = [tag for talk in catalogue.talks.values() for tag in talk.tags]
    assert set(tags) <= set(vocabulary.tags)
    tagged = [t for t in catalogue.talks.values() if t.tags]
    assert len(tagged) >= 230
    # The site's main topic lists its talks.
    assert len(catalogue.select(tag="async")) >= 5
    assert "djangocon-us-2019/just-add-await-retrofitting-async-into-django" in {
        t.id for t in catalogue.select(tag="async")
    }
