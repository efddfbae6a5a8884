"""Catalogue, front-matter and photo values stay harmless wherever they land (issue 8, item 2).

The attack corpus of :mod:`attacks` goes through every catalogue field that reaches a
page, a recap's front matter and a photo's options, in one build; each attack is then
followed to every output that shows it: generated pages, cards and roles, the recap
header, photo credits, JSON-LD, meta tags, feeds, search metadata and the sitemap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from attacks import (
    ATTACKS,
    CATALOGUE_SINKS,
    CONTROL,
    MARKER,
    CorpusBuild,
    build_corpus,
    displayed,
    harmless_page,
    main_text,
    note_warnings,
    page_soup,
    parse_xml,
    shown,
    stem_for,
)

if TYPE_CHECKING:
    from attacks import Attack, Sink

HOME = """\
# Control page

Nothing hostile here.

```{recaps-home}
```

```{toctree}
about
credits
```
"""

#: The corpus site's settings, with the site's own sidebar (it lists the newest recaps).
CONF = """\
extensions = ["conference_recaps"]
html_theme = "sphinx_book_theme"
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build"]
html_sidebars = {"**": ["navbar-logo.html", "search-button-field.html", "recaps-sidebar-nav.html"]}
"""

CREDITS = "# Photo credits\n\n```{photo-credits}\n```\n"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> CorpusBuild:
    """Every attack (and the control value) through every catalogue sink, in one build."""
    build = build_corpus(
        tmp_path_factory.mktemp("corpus-catalogue") / "site",
        CATALOGUE_SINKS,
        (CONTROL, *ATTACKS),
        static_files={
            "logo.png": b"\x89PNG\r\n\x1a\n",
            "conf.py": CONF.encode(),
            "index.md": HOME.encode(),
            "credits.md": CREDITS.encode(),
        },
    )
    return note_warnings(build)


def test_corpus_build_has_no_traceback(corpus: CorpusBuild) -> None:
    assert "Traceback" not in corpus.warnings
    assert "Exception occurred" not in corpus.warnings


@pytest.mark.parametrize("attack", (CONTROL, *ATTACKS), ids=lambda a: a.name)
@pytest.mark.parametrize("sink", CATALOGUE_SINKS, ids=lambda s: s.name)
def test_attack_is_harmless(corpus: CorpusBuild, sink: Sink, attack: Attack) -> None:
    stem = stem_for(sink, attack)
    page = sink.page(stem)
    problems = harmless_page(corpus.outdir, page, attack)
    for checker in sink.checkers:
        problems += checker(corpus.outdir, stem, attack, corpus.baseline)
    assert problems == [], f"{sink.name} / {attack.name}: {problems}"
    if sink.shows_marker:
        soup = page_soup(corpus.outdir, page)
        assert soup is not None
        assert MARKER in main_text(soup) or f"{stem}." in corpus.warnings, (
            "the value was neither shown as text nor reported"
        )


#: Pages every attack reaches at once: listings, the home page, the credits page.
SHARED = (
    "index.html",
    "conferences/index.html",
    "speakers/index.html",
    "tags/index.html",
    "years/index.html",
    "credits.html",
    "about.html",
)


@pytest.mark.parametrize("attack", (CONTROL, *ATTACKS), ids=lambda a: a.name)
def test_shared_pages_are_harmless(corpus: CorpusBuild, attack: Attack) -> None:
    """Listings hold every attack: each is harmless there and shown as text."""
    problems = [p for page in SHARED for p in harmless_page(corpus.outdir, page, attack)]
    assert problems == []
    stem = stem_for(CATALOGUE_SINKS[0], attack)
    shows = {
        # The home page shows only the newest conferences (pages/home.py); the whole
        # list is on the conference index. The home page's cards are checked for markup
        # with the other shared pages above.
        "conferences/index.html": "conference name",
        "speakers/index.html": "speaker name",
    }
    for page, what in shows.items():
        soup = page_soup(corpus.outdir, page)
        assert soup is not None
        assert shown(displayed(attack.payload), main_text(soup)), (
            f"{page} lacks the {what} of {stem}"
        )


@pytest.mark.parametrize("attack", ATTACKS[:10], ids=lambda a: a.name)
def test_sidebar_shows_the_latest_recap_titles_as_text(corpus: CorpusBuild, attack: Attack) -> None:
    """The newest recaps' titles are in every page's sidebar (checked harmless above)."""
    soup = page_soup(corpus.outdir, "about.html")
    assert soup is not None
    nav = soup.select_one("nav.recaps-nav")
    assert nav is not None
    assert any(shown(displayed(attack.payload), a.get_text()) for a in nav.find_all("a"))


def test_sitemap_lists_only_pages_of_the_site(corpus: CorpusBuild) -> None:
    """No value reaches the sitemap: every URL is a page of the site, built from ids."""
    root = parse_xml(corpus.outdir / "sitemap.xml")
    namespace = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    urls = [loc.text or "" for loc in root.iter(f"{namespace}loc")]
    assert len(urls) > 4 * len(ATTACKS)
    base = "http://127.0.0.1:8000/"
    assert [u for u in urls if not u.startswith(base) or MARKER in u or "<" in u] == []
    for url in urls:
        path = url.removeprefix(base) or "index.html"
        assert (corpus.outdir / path).is_file(), url
