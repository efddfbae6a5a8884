"""Helpers for the generated-pages tests: parse an output page, list output files."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bs4 import BeautifulSoup

if TYPE_CHECKING:
    from pathlib import Path


def soup(outdir: Path, url: str) -> BeautifulSoup:
    """The page at ``url`` (``talks/a/b/``) of a dirhtml build."""
    return BeautifulSoup((outdir / url / "index.html").read_text(encoding="utf-8"), "html.parser")


def body(page: BeautifulSoup) -> BeautifulSoup:
    found = page.select_one("article.bd-article")
    assert found is not None
    return found


def hrefs(node: BeautifulSoup) -> list[str]:
    return [str(a["href"]) for a in node.find_all("a", href=True)]


def pages(outdir: Path) -> set[str]:
    """Every page written, as URLs (``talks/a/b/``)."""
    return {
        p.parent.relative_to(outdir).as_posix() + "/" if p.parent != outdir else ""
        for p in outdir.rglob("index.html")
    }
