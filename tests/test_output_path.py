"""urls.output_path: Sphinx's own output path for a page, as text, without pathlib."""

from __future__ import annotations

from io import StringIO
from typing import TYPE_CHECKING

import pytest
from sphinx.testing.util import SphinxTestApp

from conference_recaps.urls import output_path

if TYPE_CHECKING:
    from pathlib import Path

NAMES = ("index", "talks/pycon-2019/zen", "talks/index", "recaps/2019/a.b", "genindex", "a/index/b")


@pytest.mark.parametrize("buildername", ["dirhtml", "html", "singlehtml"])
def test_output_path_is_the_builders_own(tmp_path: Path, buildername: str) -> None:
    srcdir = tmp_path / "src"
    srcdir.mkdir()
    (srcdir / "conf.py").write_text("")
    (srcdir / "index.rst").write_text("Home\n====\n")
    app = SphinxTestApp(buildername, srcdir=srcdir, status=StringIO(), warning=StringIO())
    try:
        for name in NAMES:
            assert output_path(app.builder, name) == str(app.builder.get_outfilename(name))
    finally:
        app.cleanup()
