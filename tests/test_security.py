"""Untrusted pages stay harmless: raw HTML, file reads, script links (issue 8, items 1-2)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from bs4 import BeautifulSoup
from sphinx.util.console import strip_colors

from attacks import (
    ATTACKS,
    MARKER,
    SINKS,
    Baseline,
    CorpusBuild,
    build_corpus,
    html_problems,
    note_warnings,
)
from conference_recaps.security import confinement_problem, is_safe_url, url_scheme

if TYPE_CHECKING:
    from sphinx.testing.util import SphinxTestApp


def _warnings(app: SphinxTestApp) -> list[str]:
    text = strip_colors(app.warning.getvalue()).replace(f"{app.srcdir}{os.sep}", "")
    return [line for line in text.splitlines() if line.strip()]


def _soup(app: SphinxTestApp, page: str) -> BeautifulSoup:
    return BeautifulSoup((app.outdir / page).read_text(encoding="utf-8"), "html.parser")


UNSAFE_LINK = "removed: links may only be relative or use http, https or mailto [recaps.unsafe]"
RAW = (
    "WARNING: raw html is not allowed and is shown as text: use Markdown syntax or a "
    "directive instead [recaps.unsafe]"
)
OUTSIDE = "../../../../../../../../../../etc/hostname"


@pytest.mark.sphinx("html", testroot="security")
def test_every_refusal_is_a_located_warning(app: SphinxTestApp) -> None:
    hidden = app.srcdir / ".hidden"
    hidden.mkdir(exist_ok=True)
    (hidden / "secret.txt").write_text("token=SECRET\n", encoding="utf-8")
    app.build()
    allowed = (
        "footnote_sort, footnote_transition, heading_anchors, heading_anchors_html_ids, "
        "html_meta, number_code_blocks, words_per_minute"
    )
    assert sorted(_warnings(app)) == sorted(
        [
            "WARNING: conf.py: myst_enable_extensions 'substitution' switched off: it "
            "evaluates Jinja2 templates written in pages, with the Sphinx environment in "
            "reach, so a pull request could run code on the build machine [recaps.unsafe]",
            "WARNING: conf.py: myst_url_schemes ['javascript'] removed: links may only use "
            "http, https or mailto [recaps.unsafe]",
            f"index.md:3: WARNING: toctree entry 'javascript://%0aalert(1)' {UNSAFE_LINK}",
            "pages/directives.md:3: WARNING: the 'raw' directive is disabled: it passes HTML "
            "straight into the page; use Markdown or a directive [recaps.unsafe]",
            "pages/directives.md:7: WARNING: the 'include' directive is disabled: it inserts "
            "other files into the page; copy the text into the page, or use literalinclude "
            "for a file inside the repository [recaps.unsafe]",
            f"pages/directives.md:13: WARNING: literalinclude of '{OUTSIDE}' refused: the "
            "file is outside the repository; include only files of the repository "
            "[recaps.unsafe]",
            "pages/directives.md:16: WARNING: literalinclude of '../.hidden/secret.txt' "
            "refused: the file is inside a hidden folder; include only files of the "
            "repository [recaps.unsafe]",
            "pages/directives.md:19: WARNING: csv-table :file: is not allowed: it reads data "
            "from outside the page; put the rows in the directive's content [recaps.unsafe]",
            "pages/directives.md:27: WARNING: math with \\href, \\class, \\cssId, \\style, "
            "\\data, \\html, \\bbox, \\mmlToken, \\require is not allowed: MathJax would "
            "turn it into links, styles and markup; it is shown as text [recaps.unsafe]",
            f"pages/files.md:3: WARNING: image '{OUTSIDE}' removed: it is outside the "
            "repository; use an image file of the repository or an https address "
            "[recaps.unsafe]",
            f"pages/files.md:3: {RAW}",
            f"pages/files.md:8: WARNING: download of '{OUTSIDE}' removed: the file is "
            "outside the repository; offer only files of the repository [recaps.unsafe]",
            "pages/frontmatter.md:2: WARNING: front matter 'substitutions' ignored: "
            "substitutions are not available in this site [recaps.unsafe]",
            "pages/frontmatter.md:5: WARNING: front matter 'myst: url_schemes' ignored: a "
            f"page may not change how it is parsed; allowed keys: {allowed} [recaps.unsafe]",
            "pages/frontmatter.md:6: WARNING: front matter 'myst: enable_extensions' ignored: "
            f"a page may not change how it is parsed; allowed keys: {allowed} "
            "[recaps.unsafe]",
            "pages/frontmatter.md:1: WARNING: <meta> with http-equiv removed: page metadata "
            "may only set name/property and content (no http-equiv redirects) "
            "[recaps.unsafe]",
            f"pages/frontmatter.md:14: WARNING: link to 'javascript:alert(1)' {UNSAFE_LINK}",
            f"pages/html.md:3: {RAW}",
            f"pages/html.md:5: {RAW}",
            f"pages/html.md:7: {RAW}",
            f"pages/html.md:7: {RAW}",
            f"pages/links.md:5: WARNING: link to 'javascript:alert(1)' {UNSAFE_LINK}",
            f"pages/links.md:5: WARNING: link to 'javascript:alert(2)' {UNSAFE_LINK}",
            f"pages/links.md:5: WARNING: link to 'data:text/html,x' {UNSAFE_LINK}",
            f"pages/links.md:8: WARNING: link to 'JaVaScRiPt:alert(3)' {UNSAFE_LINK}",
            f"pages/links.md:8: WARNING: link to 'vbscript:msgbox(4)' {UNSAFE_LINK}",
            f"pages/links.md:5: WARNING: link to 'javascript:alert(5)' {UNSAFE_LINK}",
            "pages/rest.rst:4: WARNING: the 'raw' directive is disabled: it passes HTML "
            "straight into the page; use Markdown or a directive [recaps.unsafe]",
            "pages/rest.rst:8: WARNING: the 'include' directive is disabled: it inserts "
            "other files into the page; copy the text into the page, or use literalinclude "
            "for a file inside the repository [recaps.unsafe]",
            "pages/rest.rst:1: WARNING: <meta> with http-equiv removed: page metadata may "
            "only set name/property and content (no http-equiv redirects) [recaps.unsafe]",
            f"pages/rest.rst:13: {RAW}",
            f"pages/rest.rst:21: WARNING: link to 'javascript:alert(6)' {UNSAFE_LINK}",
        ]
    )

    # Nothing of the refused content reached the site; the allowed parts did.
    baseline = Baseline.of(_soup(app, "index.html"))
    for page in ("index", "html", "directives", "links", "files", "frontmatter", "rest"):
        name = "index.html" if page == "index" else f"pages/{page}.html"
        soup = _soup(app, name)
        assert html_problems(soup, ATTACKS[0], baseline) == [], name
        assert "SECRET" not in str(soup)
        assert not soup.find("meta", attrs={"http-equiv": True})
    html = _soup(app, "pages/html.html")
    assert "<script>alert('block')</script>" in html.get_text()
    assert "<img src=x onerror=alert(1)>" in html.get_text()
    heading = html.select_one("article h2")
    assert heading is not None
    assert '<b onclick="alert(2)">' in heading.get_text()
    directives = _soup(app, "pages/directives.html")
    assert "inside the repository" in directives.get_text()
    assert "extensions" not in directives.get_text()  # conf.py was not included
    assert directives.find("table")  # an inline csv-table still works
    links = _soup(app, "pages/links.html")
    assert {a["href"] for a in links.select("article a.reference")} >= {
        "https://example.org/",
        "mailto:someone%40example.org",  # docutils' own obfuscation
        "files.html",
    }
    assert links.find("img", src="../_images/ok.png")
    files = _soup(app, "pages/files.html")
    assert {img["src"] for img in files.select("article img")} == {
        "../_images/ok.png",
        "https://example.org/ok.png",
    }
    assert [a.get_text() for a in files.select("a.download")] == ["inside"]
    assert not (app.outdir / "_images" / "hostname").exists()
    assert not any((app.outdir / "_downloads").rglob("hostname"))
    assert _soup(app, "pages/frontmatter.html").find(
        "meta", attrs={"name": "description", "content": "A fine page"}
    )


@pytest.mark.sphinx("html", testroot="security", srcdir="security-symlinks")
def test_symlinks_out_of_the_repository_are_refused(app: SphinxTestApp) -> None:
    secret = app.srcdir.parent / "security-symlinks-secret.txt"
    secret.write_text("token=SECRET\n", encoding="utf-8")
    (app.srcdir / "pages" / "leak.txt").symlink_to(secret)
    (app.srcdir / "images" / "leak.svg").symlink_to(secret)
    (app.srcdir / "pages" / "symlinks.md").write_text(
        "---\norphan: true\n---\n# Symlinks\n\n```{literalinclude} leak.txt\n```\n\n"
        "![leak](../images/leak.svg)\n\n{download}`leak <leak.txt>`\n",
        encoding="utf-8",
    )
    app.build()
    mine = [w for w in _warnings(app) if w.startswith("pages/symlinks.md")]
    assert mine == [
        "pages/symlinks.md:6: WARNING: literalinclude of 'leak.txt' refused: the file is "
        "outside the repository; include only files of the repository [recaps.unsafe]",
        "pages/symlinks.md:9: WARNING: image '../images/leak.svg' removed: it is outside "
        "the repository; use an image file of the repository or an https address "
        "[recaps.unsafe]",
        "pages/symlinks.md:11: WARNING: download of 'leak.txt' removed: the file is outside "
        "the repository; offer only files of the repository [recaps.unsafe]",
    ]
    assert not any("SECRET" in p.read_text("utf-8", "replace") for p in app.outdir.rglob("*.*"))


@pytest.mark.parametrize(
    ("url", "scheme"),
    [
        ("https://example.org/", "https"),
        ("talks/x/", None),
        ("#anchor", None),
        ("JaVaScRiPt:alert(1)", "javascript"),
        (" \x01\tjava\nscript:alert(1)", "javascript"),
        ("&#106;avascript:alert(1)", "javascript"),
        ("&#x6A&#x61vascript:alert(1)", "javascript"),
        ("\uff4a\uff41\uff56\uff41\uff53\uff43\uff52\uff49\uff50\uff54:alert(1)", "javascript"),
        ("VBScript:msgbox", "vbscript"),
        ("data:text/html,x", "data"),
    ],
)
def test_url_scheme_reads_urls_as_a_browser_does(url: str, scheme: str | None) -> None:
    assert url_scheme(url) == scheme
    assert is_safe_url(url) == (scheme in {None, "http", "https", "mailto"})


def test_null_bytes_are_never_safe() -> None:
    assert not is_safe_url("java\x00script:alert(1)")
    assert confinement_problem("a\x00b", ".") == "contains a null byte"


def test_confinement(tmp_path: Path) -> None:
    (tmp_path / "site" / "sub").mkdir(parents=True)
    root = tmp_path / "site"
    assert confinement_problem(root / "sub" / "a.txt", root) is None
    assert confinement_problem(root / "sub" / ".." / ".." / "x", root) == (
        "is outside the repository"
    )
    assert confinement_problem("/proc/self/environ", root) == "is outside the repository"
    assert confinement_problem(root / ".git" / "config", root) == "is inside a hidden folder"


# --- The attack corpus, through every place a value can land --------------------------


def test_corpus_is_large_enough() -> None:
    assert len(ATTACKS) >= 25
    assert all(MARKER in attack.payload for attack in ATTACKS)
    assert len({a.name for a in ATTACKS}) == len(ATTACKS)


AVAILABLE_SINKS = [sink for sink in SINKS if sink.available()]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> CorpusBuild:
    """Every attack through every sink, in one build of one site."""
    images = {"logo.png": b"\x89PNG\r\n\x1a\n"}
    return note_warnings(
        build_corpus(
            tmp_path_factory.mktemp("corpus") / "site",
            AVAILABLE_SINKS,
            ATTACKS,
            static_files=images,
        )
    )


def test_corpus_build_has_no_traceback(corpus: CorpusBuild) -> None:
    assert "Traceback" not in corpus.warnings
    assert "Exception occurred" not in corpus.warnings


@pytest.mark.parametrize("attack", ATTACKS, ids=lambda a: a.name)
@pytest.mark.parametrize("sink", AVAILABLE_SINKS, ids=lambda s: s.name)
def test_attack_is_harmless(corpus: CorpusBuild, sink, attack) -> None:  # type: ignore[no-untyped-def]
    stem = corpus.stems[sink.name, attack.name]
    page = sink.page(stem)
    soup = corpus.soup(page)
    problems = html_problems(soup, attack, corpus.baseline)
    for checker in sink.checkers:
        problems += checker(corpus.outdir, stem, attack, corpus.baseline)
    assert problems == [], f"{sink.name} / {attack.name}: {problems}"
    if sink.shows_marker:
        # Shown escaped, or refused with a warning that names the page: never silently lost.
        main = soup.find("main") or soup
        assert MARKER in main.get_text() or f"{stem}." in corpus.warnings, (
            "the value was neither shown as text nor reported"
        )
