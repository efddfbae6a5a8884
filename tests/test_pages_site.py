"""One :class:`~conference_recaps.pages.site.Site` a build, shared by all who read it."""

from __future__ import annotations

import shutil
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from sphinx.testing.util import SphinxTestApp

from conference_recaps.pages import site as site_module
from conference_recaps.pages.site import Site

ROOT = Path(__file__).parent / "roots" / "test-pages"


def test_the_pages_feeds_and_sitemap_share_one_site_a_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "site"
    shutil.copytree(ROOT, source)
    made: list[Site] = []
    real_init = Site.__init__

    def counted(self: Site, env: Any) -> None:
        real_init(self, env)
        made.append(self)

    monkeypatch.setattr(Site, "__init__", counted)

    def build() -> SphinxTestApp:
        app = SphinxTestApp(
            "dirhtml", srcdir=source, builddir=tmp_path / "build", status=StringIO()
        )
        try:
            app.build()
        finally:
            app.cleanup()
        return app

    app = build()
    assert len(made) == 1
    assert Site.of(app.env) is made[0]

    # A recap read again (its title changed): the next build makes a new site.
    recap = source / "recaps" / "other.md"
    recap.write_text(recap.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    build()
    assert len(made) == 2
    assert made[1] is not made[0]
    assert site_module._latest is made[1]


def test_a_site_is_made_again_when_the_documents_were_read_again(tmp_path: Path) -> None:
    source = tmp_path / "site"
    shutil.copytree(ROOT, source)
    app = SphinxTestApp("dirhtml", srcdir=source, builddir=tmp_path / "build", status=StringIO())
    try:
        app.build()
        first = Site.of(app.env)
        assert Site.of(app.env) is first
        # What a later build reads: another time of reading for one document.
        docname = next(iter(app.env.all_docs))
        app.env.all_docs[docname] += 1
        assert Site.of(app.env) is not first
    finally:
        app.cleanup()
