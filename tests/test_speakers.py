"""``recaps speakers duplicates`` and ``recaps speakers merge``, on small catalogues."""

from __future__ import annotations

import shutil
from typing import TYPE_CHECKING

import pytest

from conference_recaps.catalogue.duplicates import find_duplicates
from conference_recaps.catalogue.loader import load_catalogue
from conference_recaps.catalogue.model import Alias, Catalogue, Speaker
from conference_recaps.cli import main
from conftest import TESTS

if TYPE_CHECKING:
    from pathlib import Path


def pairs(*speakers: Speaker) -> list[tuple[str, str, str]]:
    return [(d.old.id, d.new.id, d.why) for d in find_duplicates(Catalogue(speakers=speakers))]


SAME = "differ only by case, accents, punctuation, hyphens or a title"
INITIALS = "differ only by initials"


@pytest.mark.parametrize(
    ("left", "right", "why"),
    [
        ("José García", "jose garcia", SAME),  # case and accents
        ("Łukasz Ljødal", "Lukasz Ljodal", SAME),  # letters decomposition misses
        ("Jean-Luc Picard", "Jean Luc Picard", SAME),  # hyphenation
        ("Jean-Luc Picard", "Jeanluc Picard", SAME),
        ("Dr. Grace Hopper", "Grace Hopper", SAME),  # a title
        ("Grace Hopper, PhD", "Grace Hopper", SAME),
        ("Mary O'Brien", "Mary OBrien", SAME),  # punctuation
        ("G. Hopper", "Grace Hopper", INITIALS),
        ("Grace B. Hopper", "Grace Hopper", INITIALS),
    ],
)
def test_likely_duplicates_are_found(left: str, right: str, why: str) -> None:
    found = pairs(Speaker("a", left), Speaker("b", right))
    assert len(found) == 1
    assert found[0][2] == why


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Bob Smith", "Barbara Smith"),  # same family name, other first names
        ("Grace Hopper", "Grace Hoppe"),
        ("Ada", "Ada Lovelace"),  # one name alone is not an initial match
    ],
)
def test_different_people_are_not_reported(left: str, right: str) -> None:
    assert pairs(Speaker("a", left), Speaker("b", right)) == []


def test_aliases_count_and_the_entry_with_more_talks_is_kept() -> None:
    found = find_duplicates(
        Catalogue(
            speakers=[
                Speaker("ada", "Ada Lovelace", (Alias("Ada Byron", public=False),)),
                Speaker("a-byron", "A. Byron"),
            ]
        )
    )
    assert [(d.old.id, d.new.id, d.old_name, d.new_name) for d in found] == [
        ("a-byron", "ada", "A. Byron", "Ada Byron")
    ]
    assert "`recaps speakers merge a-byron ada`" in found[0].message()


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    shutil.copytree(TESTS / "roots" / "test-permanence", root)
    return root


def test_duplicates_lists_and_changes_nothing(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = (site / "talks.yaml").read_bytes()
    assert main(["speakers", "duplicates", "--root", str(site)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("talks.yaml:16: speakers 'g-hopper' (G. Hopper) and 'grace-hopper'")
    assert out[-1] == "recaps speakers duplicates: 1 likely duplicate"
    assert (site / "talks.yaml").read_bytes() == before


def test_merge_private_keeps_the_old_name_for_imports_only(site: Path) -> None:
    assert (
        main(["speakers", "merge", "g-hopper", "grace-hopper", "--private", "--root", str(site)])
        == 0
    )
    text = (site / "talks.yaml").read_text(encoding="utf-8")
    assert "    aliases:\n      - {name: G. Hopper, public: false}\n" in text
    catalogue, problems = load_catalogue(site, [site / "talks.yaml"])
    assert problems == []
    grace = catalogue.speakers["grace-hopper"]
    assert grace.public_aliases == ()
    assert grace.former_ids == ("g-hopper",)
    assert catalogue.redirects["speaker:g-hopper"] == "grace-hopper"


def test_merge_across_files_drops_a_speaker_listed_twice(site: Path) -> None:
    (site / "talks").mkdir()
    (site / "talks" / "more.yaml").write_text(
        "talks:\n"
        "  - id: pycon-2020/panel  # both spellings on one panel\n"
        "    conference: pycon-2020\n"
        "    title: A panel\n"
        "    speakers: [grace-hopper, g-hopper, ada-lovelace]\n",
        encoding="utf-8",
    )
    assert main(["speakers", "merge", "g-hopper", "grace-hopper", "--root", str(site)]) == 0
    more = (site / "talks" / "more.yaml").read_text(encoding="utf-8")
    assert "  - id: pycon-2020/panel  # both spellings on one panel\n" in more
    assert "    speakers: [grace-hopper, ada-lovelace]\n" in more


def test_merge_dry_run_writes_nothing(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    args = ["speakers", "merge", "g-hopper", "grace-hopper", "--dry-run", "--root", str(site)]
    assert main(args) == 0
    assert "would change talks.yaml, recaps/pycon.md" in capsys.readouterr().out
    assert {p: p.read_bytes() for p in site.rglob("*") if p.is_file()} == before


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("nobody", "grace-hopper", "no speaker 'nobody' in the catalogue; check the id"),
        ("grace-hopper", "grace-hopper", "OLD and NEW are both 'grace-hopper'"),
    ],
)
def test_merge_refuses_what_it_cannot_do(
    site: Path, capsys: pytest.CaptureFixture[str], old: str, new: str, message: str
) -> None:
    before = (site / "talks.yaml").read_bytes()
    assert main(["speakers", "merge", old, new, "--root", str(site)]) == 2
    assert message in capsys.readouterr().err
    assert (site / "talks.yaml").read_bytes() == before
