"""The real site: the repository root builds strictly and its pages hold together."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp
from sphinx.util.console import strip_colors

from conftest import SITE_ROOT

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the whole site once, as ``make html`` does (dirhtml, warnings are errors)."""
    out = tmp_path_factory.mktemp("site")
    warnings = StringIO()
    app = SphinxTestApp(
        "dirhtml",
        srcdir=SITE_ROOT,
        builddir=out,
        status=StringIO(),
        warning=warnings,
        warningiserror=True,
        parallel=2,
    )
    try:
        app.build()
    finally:
        app.cleanup()
    assert strip_colors(warnings.getvalue()) == ""
    return out / "dirhtml"


def page(site: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "html.parser")


def test_home_page(site: Path) -> None:
    soup = page(site, "")
    assert soup.title is not None
    assert soup.title.get_text().startswith("Conference Recaps")
    logos = {img["src"] for img in soup.select("a.navbar-brand img")}
    assert logos == {"_static/logo.svg", "_static/logo-dark.svg"}
    assert soup.find("link", rel="icon", href="_static/favicon.svg")
    # A recap appears in the navigation without being listed by hand.
    assert soup.find("a", href="recaps/2019/djangocon-us-2019/")


def test_only_pages_are_built(site: Path) -> None:
    built = {p.parent.relative_to(site).as_posix() for p in site.rglob("index.html")}
    for stray in ("README", "src", "tests", ".venv", ".github", "_build"):
        assert not any(b == stray or b.startswith(stray + "/") for b in built), stray
    assert "docs" in built


def test_no_empty_general_index(site: Path, tmp_path: Path) -> None:
    # No page has an index entry: Sphinx's general index would be an empty page.
    assert not (site / "genindex").exists()
    assert not page(site, "").find("link", rel="index")
    # A site that has index entries asks for it in conf.py, or with -D.
    root = Path(__file__).parent / "roots" / "test-basic"
    app = SphinxTestApp(
        "dirhtml",
        srcdir=root,
        builddir=tmp_path,
        status=StringIO(),
        confoverrides={"html_use_index": True},
    )
    try:
        app.build()
    finally:
        app.cleanup()
    assert (tmp_path / "dirhtml" / "genindex" / "index.html").is_file()


def test_light_and_dark_mode(site: Path) -> None:
    soup = page(site, "recaps/2019/djangocon-us-2019")
    assert soup.select_one(".theme-switch-button")
    # The article header keeps the reader's buttons, not the theme's full-screen one.
    assert soup.select_one(".btn-fullscreen-button") is None


def test_the_contents_button_only_where_there_are_contents(site: Path) -> None:
    """The book theme showed its "on this page" button on every page, even those with no
    table of contents to open (every talk, speaker and tag page): a dead button."""
    buttons = 0
    for path in site.rglob("index.html"):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        has_contents = soup.select_one(".bd-sidebar-secondary") is not None
        has_button = soup.select_one("button.secondary-toggle") is not None
        assert has_button == has_contents, path.relative_to(site)
        buttons += has_button
    recap = page(site, "recaps/2019/djangocon-us-2019")
    assert recap.select_one("button.secondary-toggle") is not None
    assert buttons < 100  # the pages with sections: recaps and the guide
    assert soup.find("link", href=lambda h: bool(h) and "_static/recaps.css" in h)
