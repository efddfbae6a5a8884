"""Issue 14: every place a page sends its reader to the contributor guide is a link there.

The checker (``quality/guide_mentions.py``) is tested first on hand-made pages, then run
on every page of the real site: its generated pages, the guide, the notices. The
``test-reader`` root gets the same check in ``test_reader_pages.py``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from pages_helpers import soup
from quality.guide_mentions import guide_titles, mentions, site_mentions

if TYPE_CHECKING:
    from pathlib import Path

    from sphinx.testing.util import SphinxTestApp

    from quality.fixtures import BuiltSite


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_the_checker_finds_mentions_that_are_not_links(tmp_path: Path) -> None:
    write(tmp_path / "docs" / "index.html", "<main><h1>Contributor guide</h1></main>")
    write(
        tmp_path / "docs" / "catalogue" / "index.html", "<main><h1>The talk catalogue</h1></main>"
    )
    html = (
        "<main>"
        '<p>Were you there? <a href="../../docs/">The contributor guide</a> tells how.</p>'
        '<p>Fields: see <a href="../../docs/catalogue/"><code>docs/catalogue.md</code></a>.</p>'
        '<p>See <a href="../../docs/catalogue/#tags">The talk catalogue</a> for tags.</p>'
        "<p>Were you there? The contributor guide tells how.</p>"  # not a link
        "<p>Every field: see <code>docs/catalogue.md</code>.</p>"  # code, not a link
        "<p>Read the talk catalogue first.</p>"  # a page's title, not a link
        '<p>See <a href="https://example.org/guide">the guide</a>.</p>'  # not our guide
        '<p>See <a href="../../talks/">the guide</a>.</p>'  # not a guide page
        '<p>See <a href="../../docs/missing/">the guide</a>.</p>'  # no such page
        "<pre>WARNING: remove it (see docs/security.md)</pre>"  # quoted output
        "<p>A style guide and the Hitchhiker's Guide are not ours.</p>"
        "</main>"
    )
    titles = guide_titles(tmp_path)
    assert titles == ["The talk catalogue", "Contributor guide"]  # longest first
    found = mentions(tmp_path, html, "conferences/x/index.html", titles)
    assert [(m.named, m.linked) for m in found] == [
        ("contributor guide", True),
        ("docs/catalogue.md", True),
        ("The talk catalogue", True),
        ("contributor guide", False),
        ("docs/catalogue.md", False),
        ("the talk catalogue", False),
        ("the guide", False),
        ("the guide", False),
        ("the guide", False),
    ]


@pytest.mark.slow
def test_every_mention_of_the_guide_in_the_real_site_is_a_link(real_site: BuiltSite) -> None:
    pages, found = site_mentions(real_site.outdir)
    unlinked = [m for m in found if not m.linked]
    assert not unlinked, "\n".join(map(str, unlinked))
    # The check saw the site: every page, the home page's and a conference page's pointers.
    assert pages > 100
    assert any(m.page == "index.html" for m in found)
    assert any(m.page.startswith("conferences/") for m in found)


@pytest.mark.sphinx("dirhtml", testroot="related")
def test_a_site_without_a_guide_does_not_name_one(app: SphinxTestApp) -> None:
    """``test-related`` has no ``docs/``: a conference without recaps only says so."""
    app.build()
    assert not (app.srcdir / "docs").exists()
    missing = soup(app.outdir, "conferences/djangocon-us-2018").select_one(".recaps-missing")
    assert missing is not None
    assert missing.get_text() == "No recap of DjangoCon US 2018 yet."
