"""The extension loads, is configured, and wires the theme."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from bs4 import BeautifulSoup
from sphinx.util.console import strip_colors

from conference_recaps.config import RecapsConfig, _github_url, get_config

if TYPE_CHECKING:
    from sphinx.testing.util import SphinxTestApp


@pytest.mark.sphinx("html", testroot="basic")
def test_builds_with_theme_buttons(app: SphinxTestApp) -> None:
    app.build()
    assert app.warning.getvalue() == ""
    soup = BeautifulSoup((app.outdir / "recaps" / "first.html").read_text(), "html.parser")
    links = {a.get("href") for a in soup.find_all("a")}
    assert "https://github.com/example/recaps" in links
    assert (
        "https://github.com/example/recaps/issues/new?title=Issue%20on%20page%20%2Frecaps/first.html&body=Your%20issue%20content%20here."
        in links
    )
    assert "https://github.com/example/recaps/edit/main/recaps/first.md" in links
    assert soup.find("link", href=lambda h: bool(h) and "_static/recaps.css" in h)


@pytest.mark.sphinx("html", testroot="basic", confoverrides={"recaps_catalogue": "../outside.yaml"})
def test_invalid_config_is_reported_and_replaced(app: SphinxTestApp) -> None:
    assert get_config(app.config).catalogue == RecapsConfig().catalogue
    assert (
        "WARNING: invalid conf.py value recaps_catalogue='../outside.yaml': must be a path "
        "inside the site, without '..'; using the default 'talks.yaml' [recaps.config]"
    ) in strip_colors(app.warning.getvalue())


@pytest.mark.parametrize(
    ("remote", "expected"),
    [
        ("git@github.com:owner/site.git\n", "https://github.com/owner/site"),
        ("https://github.com/owner/site.git", "https://github.com/owner/site"),
        ("https://github.com/owner/site", "https://github.com/owner/site"),
        ("https://gitlab.com/owner/site.git", ""),
    ],
)
def test_github_url(remote: str, expected: str) -> None:
    assert _github_url(remote) == expected
