"""Which pages of the real site stand for each page type."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

import yaml

from conftest import SITE_ROOT

if TYPE_CHECKING:
    from pathlib import Path


def largest(pages: list[Path]) -> Path:
    """The biggest page of a type: the one that uses the most features."""
    assert pages, "no page of this type was built"
    return max(pages, key=lambda page: (page.stat().st_size, page.as_posix()))


def largest_in(outdir: Path, folder: str) -> Path:
    """The largest page under ``folder/`` (not its listing)."""
    return largest(list((outdir / folder).glob("*/**/index.html")))


def recap_kinds() -> dict[str, list[str]]:
    """The recaps' URLs by their front matter's kind (blog, podcast, notes)."""
    kinds: dict[str, list[str]] = defaultdict(list)
    for source in sorted((SITE_ROOT / "recaps").rglob("*.md")):
        front = yaml.safe_load(source.read_text(encoding="utf-8").split("---", 2)[1]) or {}
        url = source.relative_to(SITE_ROOT).with_suffix("").as_posix() + "/"
        kinds[str(front.get("kind", "blog"))].append(url)
    return dict(kinds)


def url_of(outdir: Path, page: Path) -> str:
    """A page's URL relative to the site (``talks/a/b/``)."""
    return "" if page.parent == outdir else page.parent.relative_to(outdir).as_posix() + "/"
