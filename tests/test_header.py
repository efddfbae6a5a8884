"""Each recap opens with a header made from its validated front matter."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import pytest
from bs4 import BeautifulSoup
from sphinx.util.console import strip_colors

from conference_recaps.domain import get_domain, recap_meta

if TYPE_CHECKING:
    from sphinx.testing.util import SphinxTestApp


@pytest.mark.sphinx("html", testroot="header", freshenv=True)
def test_front_matter_problems_are_warnings_at_their_lines(app: SphinxTestApp) -> None:
    app.build()
    lines = strip_colors(app.warning.getvalue()).replace(str(app.srcdir) + os.sep, "")
    assert lines.splitlines() == [
        "recaps/bad.md:5: WARNING: unknown conference 'no-such-conference'; use the id of a "
        "conference in the catalogue (talks.yaml), or remove the key (column 13) "
        "[recaps.conference_ref]",
        "recaps/bad.md:8: WARNING: 'url' must be an http:// or https:// URL with a host, not "
        "'javascript:alert(1)' (column 10) [recaps.unsafe]",
    ]
    page = BeautifulSoup((app.outdir / "recaps/bad.html").read_text(), "html.parser")
    assert "javascript" not in str(page)
    header = page.select_one(".recaps-header")
    assert header is not None
    # The unknown conference is left out of the header; the unsafe source keeps its title.
    assert (
        header.get_text("|", strip=True)
        == "28 October 2019|·|by Someone|·|Blog post|Based on|Sneaky|."
    )
    # Adding the conference later re-reads the recap.
    assert get_domain(app.env).table("uses")["recaps/bad"] == {"conference:no-such-conference": ""}


@pytest.mark.sphinx("html", testroot="header")
def test_header_follows_the_title(app: SphinxTestApp) -> None:
    app.build()
    soup = BeautifulSoup((app.outdir / "recaps/good.html").read_text(), "html.parser")
    section = soup.select_one("section")
    assert section is not None
    children = [c for c in section.children if getattr(c, "name", None)]
    assert [c.name for c in children[:3]] == ["h1", "div", "p"]
    header = children[1]
    assert "recaps-header" in header["class"]
    line = header.select_one(".recaps-header-meta")
    assert line is not None
    assert line.get_text() == (
        "DjangoCon US 2019 · 28 October 2019 · by Jane Contributor, Sam <b>Writer</b> · Podcast"
    )
    assert line.find("b") is None  # front matter text is escaped
    conference = line.select_one("a.recaps-conference-link")
    assert conference is not None
    assert conference["href"] == "../conferences/djangocon-us-2019.html"
    sources = header.select_one(".recaps-header-sources")
    assert sources is not None
    assert sources.get_text() == ("Based on The original post by Jon Example; A talk with no link.")
    assert [a["href"] for a in sources.find_all("a")] == ["https://example.org/original"]
    assert recap_meta(app.env, "recaps/good").title == "DjangoCon US 2019 in review"
    # Pages outside recaps/ get no header.
    index = BeautifulSoup((app.outdir / "index.html").read_text(), "html.parser")
    assert index.select_one(".recaps-header") is None
