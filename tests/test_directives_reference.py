"""recaps-options renders each directive's reference from its class."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import pytest
from bs4 import BeautifulSoup
from sphinx.util.console import strip_colors

from conference_recaps.directives.photos import Photo
from conference_recaps.directives.reference import DOCUMENTED
from conference_recaps.directives.talks import TalkGrid

if TYPE_CHECKING:
    from sphinx.testing.util import SphinxTestApp


def test_every_option_has_help() -> None:
    for name, directive in DOCUMENTED.items():
        assert set(directive.option_help) == set(directive.option_spec or {}), name


@pytest.mark.sphinx("html", testroot="options", freshenv=True)
def test_tables_list_the_options_from_the_code(app: SphinxTestApp) -> None:
    app.build()
    assert strip_colors(app.warning.getvalue()).replace(str(app.srcdir) + os.sep, "") == (
        "index.md:9: WARNING: recaps-options: unknown directive 'no-such-directive'; use one "
        "of talk-card, talk-grid, photo, photo-credits [recaps.option]\n"
    )
    soup = BeautifulSoup((app.outdir / "index.html").read_text(), "html.parser")
    grid, photo = soup.select("table.recaps-options")
    rows = [[td.get_text() for td in tr.find_all("td")] for tr in grid.select("tbody tr")]
    assert rows == [[f":{o}:", TalkGrid.option_help[o]] for o in TalkGrid.option_spec]
    first = photo.select_one("tbody tr")
    assert first is not None
    assert first.get_text("|", strip=True).startswith("argument|The image file")
    # ``literal`` in help text becomes code, not backticks.
    assert "``" not in str(photo)
    assert photo.find("code", string="/")
    assert len(photo.select("tbody tr")) == 2 + len(Photo.option_spec)
