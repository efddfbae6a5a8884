"""The page-weight budget (issue 15), without timing anything.

The real site, built as ``make html`` builds it: the heaviest page of each type (home,
conference, talk, speaker, recap, search) with everything it loads, gzip-compressed,
stays within 200 KB and 15 requests; a page loads no icon script or font, no script or
stylesheet it does not use, and every asset carries a cache-busting query. The pruned
theme stylesheet keeps every rule a built page needs, and was made from the installed
theme versions. Other themes keep their own assets.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import re
import urllib.error
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from bs4 import BeautifulSoup

from conference_recaps.assets import STATIC_DIR, THEME_CSS, stale_sources
from conference_recaps.cli.audit import Result, _figures, _lighthouse, _problems, serve
from conference_recaps.weight import (
    MAX_BYTES,
    MAX_REQUESTS,
    PAGE_TYPES,
    heaviest_pages,
    page_weight,
)

if TYPE_CHECKING:
    from quality.fixtures import BuiltSite

#: What no page may load: FontAwesome's script and fonts, Sphinx's search and helpers.
NEVER_LOADED = re.compile(
    r"fontawesome|fa-(solid|regular|brands)-\d+|searchtools\.js|language_data\.js|"
    r"searchindex\.js|doctools\.js|sphinx_highlight\.js|styles/(theme|pydata-sphinx-theme|"
    r"sphinx-book-theme)\.css|basic\.css"
)
#: Page types made from the catalogue, which never show code.
CATALOGUE_TYPES = frozenset({"home", "conference", "talk", "speaker", "search"})
CLASS_IN_SELECTOR = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")


def soup(outdir: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((outdir / page).read_text(encoding="utf-8"), "html.parser")


def loaded(page_soup: BeautifulSoup) -> list[str]:
    """The addresses of the stylesheets and scripts a page names."""
    found = [
        str(tag["href"]) for tag in page_soup.select("link[rel~=stylesheet], link[rel~=preload]")
    ]
    return found + [str(tag["src"]) for tag in page_soup.select("script[src]")]


@pytest.mark.slow
def test_every_page_type_is_within_the_budget(real_site: BuiltSite) -> None:
    pages = heaviest_pages(real_site.outdir)
    assert set(pages) == set(PAGE_TYPES), "the real site lacks a page type"
    problems = [problem for weight in pages.values() for problem in weight.problems()]
    assert not problems, "\n".join(problems)
    for weight in pages.values():
        assert weight.gzip_bytes <= MAX_BYTES
        assert weight.requests <= MAX_REQUESTS


@pytest.mark.slow
def test_pages_load_no_icon_script_and_no_unused_script(real_site: BuiltSite) -> None:
    for page_type, weight in heaviest_pages(real_site.outdir).items():
        page_soup = soup(real_site.outdir, weight.page)
        addresses = loaded(page_soup)
        unwanted = [address for address in addresses if NEVER_LOADED.search(address)]
        assert not unwanted, f"{weight.page} loads {unwanted}"
        assert not [asset for asset in weight.assets if asset.kind == "font"], weight.page
        if page_type in CATALOGUE_TYPES:  # no code shown: no Pygments stylesheet
            assert not any("pygments.css" in address for address in addresses), weight.page
        # Every local asset is cache-busted: Sphinx's ?v= or the theme's ?digest=.
        for address in addresses:
            if not address.startswith(("http:", "https:")):
                assert re.search(r"\?(v|digest)=\w+", address), f"{weight.page}: {address}"
        # Only documentation_options.js blocks the first paint (inline scripts need it).
        blocking = [
            str(tag["src"])
            for tag in page_soup.select("head script[src]")
            if not tag.has_attr("defer") and not tag.has_attr("async")
        ]
        assert [src.split("?")[0].rsplit("/", 1)[-1] for src in blocking] == [
            "documentation_options.js"
        ], f"{weight.page}: {blocking}"


@pytest.mark.slow
def test_pygments_css_only_where_code_is_shown(real_site: BuiltSite) -> None:
    outdir = real_site.outdir
    with_code = [
        path.relative_to(outdir).as_posix()
        for path in sorted((outdir / "docs").rglob("index.html"))
        if soup(outdir, path.relative_to(outdir).as_posix()).select_one("div.highlight pre")
    ]
    assert with_code, "no documentation page shows code: the test needs one"
    for page in with_code:
        assert any("pygments.css" in address for address in loaded(soup(outdir, page))), page


@pytest.mark.slow
def test_no_empty_heading_and_a_search_form_that_can_be_sent(real_site: BuiltSite) -> None:
    for weight in heaviest_pages(real_site.outdir).values():
        page_soup = soup(real_site.outdir, weight.page)
        empty = [str(tag) for tag in page_soup.select("h1, h2, h3") if not tag.get_text(strip=True)]
        assert not empty, f"{weight.page}: {empty}"
        form = page_soup.select_one("#pst-search-dialog form")
        assert form is not None, weight.page
        assert form.select("button[type=submit]"), (
            f"{weight.page}: the search form has no submit button"
        )
        # The theme's first script gets a mode to resolve: no "invalid theme mode" error.
        assert page_soup.html is not None and page_soup.html.get("data-theme") == "auto"


@pytest.mark.slow
def test_the_sites_own_assets_are_minified_in_the_output(real_site: BuiltSite) -> None:
    static = real_site.outdir / "_static"
    for source in [STATIC_DIR / "recaps.css", *sorted(STATIC_DIR.rglob("*.js"))]:
        output = static / source.relative_to(STATIC_DIR)
        text = output.read_text(encoding="utf-8")
        assert len(text) < len(source.read_text(encoding="utf-8")), output
        assert not re.search(r"/\*(?!!)", text), f"{output} keeps comments"
        assert "\n  " not in text, f"{output} keeps its indentation"


def selector_classes(css: str) -> set[str]:
    """The class names in the selectors of a stylesheet's non-empty rules."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
    found: set[str] = set()
    for selector, declarations in re.findall(r"([^{}]+){([^{}]*)}", css):
        if declarations.strip():  # basic.css has empty rules, which pruning drops
            found.update(CLASS_IN_SELECTOR.findall(selector))
    return found


@pytest.mark.slow
def test_the_pruned_stylesheet_keeps_every_rule_a_page_uses(real_site: BuiltSite) -> None:
    """A class a built page uses and the theme styles must still be styled after pruning."""

    def package_file(package: str, *parts: str) -> Path:
        spec = importlib.util.find_spec(package)
        assert spec is not None and spec.origin is not None
        return Path(spec.origin).parent.joinpath(*parts)

    full = "".join(
        path.read_text(encoding="utf-8")
        for path in (
            package_file("sphinx", "themes", "basic", "static", "basic.css.jinja"),
            package_file(
                "pydata_sphinx_theme",
                "theme",
                "pydata_sphinx_theme",
                "static",
                "styles",
                "pydata-sphinx-theme.css",
            ),
            package_file(
                "sphinx_book_theme",
                "theme",
                "sphinx_book_theme",
                "static",
                "styles",
                "sphinx-book-theme.css",
            ),
        )
    )
    styled = selector_classes(full)
    kept = selector_classes((STATIC_DIR / THEME_CSS).read_text(encoding="utf-8"))
    outdir = real_site.outdir
    missing: dict[str, str] = {}
    for path in sorted(outdir.rglob("index.html")):
        for tag in soup(outdir, path.relative_to(outdir).as_posix()).select("[class]"):
            for name in tag.get("class") or []:
                # FontAwesome's classes are drawn by recaps-theme.css's own icon rules.
                if name in styled and name not in kept and not name.startswith("fa"):
                    missing.setdefault(name, path.relative_to(outdir).as_posix())
    assert not missing, f"pruned from {THEME_CSS} but used: {missing}"


def test_the_pruned_stylesheet_was_made_from_the_installed_themes() -> None:
    css = (STATIC_DIR / THEME_CSS).read_text(encoding="utf-8")
    assert stale_sources(css) == [], "run `make theme-css`"
    # FontAwesome's fonts and icon rules are gone (its licence comment stays: the
    # icons drawn are its SVG paths).
    assert "@font-face" not in css
    assert "webfonts/fa-" not in css
    assert not re.search(r"\.fa-[\w-]+:+before", css)


def test_stale_sources_names_the_package_and_both_versions() -> None:
    stale = stale_sources("/* made from pydata-sphinx-theme 0.1.0 */")
    assert any(
        item.startswith("pydata-sphinx-theme ") and "(made from 0.1.0)" in item for item in stale
    )
    assert any("sphinx-book-theme" in item and "(made from none)" in item for item in stale)


def test_page_weight_follows_imports_and_fonts_and_counts_each_once(tmp_path: Path) -> None:
    (tmp_path / "_static").mkdir()
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "_static" / "site.css").write_text(
        '@import "more.css";\n@font-face{font-family:x;src:url(font.woff2)}\n' + "a{}" * 500
    )
    (tmp_path / "_static" / "more.css").write_text("b{color:red}")
    (tmp_path / "_static" / "font.woff2").write_bytes(b"\0" * 1000)
    (tmp_path / "_static" / "app.js").write_text("console.log(1);" * 100)
    (tmp_path / "a" / "b" / "index.html").write_text(
        '<link rel="stylesheet" href="../../_static/site.css?v=1">'
        '<link rel="preload" as="script" href="../../_static/app.js">'
        '<script src="../../_static/app.js?v=2"></script>'
        '<img src="../../_static/font.woff2" loading="lazy">'
        '<script src="https://cdn.example.org/x.js"></script>'
        '<img src="https://i.ytimg.com/vi/abc/mqdefault.jpg">'  # a video thumbnail: uncounted
    )
    weight = page_weight(tmp_path, "a/b/index.html")
    paths = [asset.path for asset in weight.assets]
    assert paths == [
        "a/b/index.html",
        "_static/site.css",
        "_static/app.js",
        "https://cdn.example.org/x.js",
        "_static/more.css",
        "_static/font.woff2",
    ]
    site_css = weight.assets[1]
    assert site_css.gzip_bytes < site_css.raw_bytes  # text is counted compressed
    font = weight.assets[-1]
    assert font.gzip_bytes == font.raw_bytes == 1000  # woff2 is not
    assert weight.requests == 6
    assert any("other sites" in problem for problem in weight.problems())


def test_page_weight_reports_a_missing_asset(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text('<script src="_static/gone.js"></script>')
    with pytest.raises(FileNotFoundError, match=r"gone\.js"):
        page_weight(tmp_path, "index.html")


def test_over_budget_pages_name_their_heaviest_assets(tmp_path: Path) -> None:
    (tmp_path / "_static").mkdir()
    (tmp_path / "_static" / "huge.woff2").write_bytes(b"x" * (MAX_BYTES + 1))
    scripts = "".join(f'<script src="_static/{n}.js"></script>' for n in range(MAX_REQUESTS))
    for n in range(MAX_REQUESTS):
        (tmp_path / "_static" / f"{n}.js").write_text("1")
    (tmp_path / "index.html").write_text(f'<img src="_static/huge.woff2">{scripts}')
    problems = page_weight(tmp_path, "index.html").problems()
    assert "over the budget of 200,000; the heaviest: _static/huge.woff2" in problems[0]
    assert f"{MAX_REQUESTS + 2} requests, over the budget of {MAX_REQUESTS}" in problems[1]


def lighthouse_report(performance: float, **overrides: object) -> dict[str, object]:
    items = [
        {"url": "http://127.0.0.1:1/", "transferSize": 5000},
        {"url": "http://127.0.0.1:1/_static/a.css", "transferSize": 20000},
        {"url": "https://i.ytimg.com/vi/x/hqdefault.jpg", "transferSize": 90000},
        {"url": "http://127.0.0.1:1/pagefind/fragment/en_1.pf_fragment", "transferSize": 900},
    ]
    report = {
        "categories": {
            "performance": {"score": performance},
            "accessibility": {"score": 1},
            "best-practices": {"score": 1},
            "seo": {"score": 0.6},
        },
        "audits": {
            "largest-contentful-paint": {"numericValue": 1800.0},
            "cumulative-layout-shift": {"numericValue": 0.01},
            "network-requests": {"details": {"items": items}},
        },
    }
    report.update(overrides)
    return report


def test_the_audit_counts_what_the_budget_counts_and_spares_the_search_page_seo() -> None:
    scores, lcp, cls, transferred, requests = _figures(lighthouse_report(0.97))
    assert scores == {"performance": 97, "accessibility": 100, "best-practices": 100, "seo": 60}
    # The video thumbnail and the search index fetched after typing are not counted.
    assert (transferred, requests) == (25000, 2)
    search = Result("search", "u", scores, lcp, cls, transferred, requests, 1, 1, [], [])
    assert _problems(search) == []
    talk = Result("talk", "u", scores, 2600.0, 0.2, 300000, 16, 1, 1, ["H42.2: empty"], [])
    assert _problems(talk) == [
        "seo 60 < 100",
        "LCP 2.60 s > 2.5 s",
        "CLS 0.200 > 0.05",
        "300,000 B > 200,000 B",
        "16 requests > 15",
        "pa11y: H42.2: empty",
    ]


def test_other_themes_keep_their_own_assets(discovery_site: Path) -> None:
    page_soup = soup(discovery_site, "index.html")
    addresses = loaded(page_soup)
    assert any("basic.css" in address for address in addresses)
    assert not any(THEME_CSS in address for address in addresses)


def test_the_audit_serves_the_site_gzip_compressed_as_read_the_docs_does(tmp_path: Path) -> None:
    (tmp_path / "talks").mkdir()
    page = "<!doctype html><title>t</title>" + "<p>talk</p>" * 200
    (tmp_path / "talks" / "index.html").write_text(page, encoding="utf-8")
    (tmp_path / "logo.woff2").write_bytes(b"\1" * 64)
    with serve(tmp_path) as root:
        request = urllib.request.Request(root + "talks/", headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request) as answer:
            assert answer.headers["Content-Encoding"] == "gzip"
            assert "max-age" in answer.headers["Cache-Control"]
            assert gzip.decompress(answer.read()).decode() == page
        with urllib.request.urlopen(root + "logo.woff2") as answer:  # compressed already
            assert answer.headers["Content-Encoding"] is None
            assert answer.read() == b"\1" * 64
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(root + "gone/")
        assert missing.value.code == 404


def test_the_audit_stops_when_lighthouse_cannot_run_an_audit(tmp_path: Path) -> None:
    """As Lighthouse 12.2.3 does with Chromium 156: exit 0, six audits unscored."""
    report = lighthouse_report(0.9)
    audits = report["audits"]
    assert isinstance(audits, dict)
    audits["render-blocking-resources"] = {
        "errorMessage": "Cannot read properties of undefined (reading 'frame_sequence')"
    }
    report["lighthouseVersion"] = "12.2.3"
    (tmp_path / "report.json").write_text(json.dumps(report), encoding="utf-8")
    tool = tmp_path / "lighthouse"
    # Writes the canned report where --output-path says, as Lighthouse does.
    tool.write_text(
        "#!/bin/sh\n"
        'for arg; do case "$arg" in --output-path=*) out="${arg#--output-path=}";; esac; done\n'
        f'cp {tmp_path / "report.json"} "$out.report.json"\n',
        encoding="utf-8",
    )
    tool.chmod(0o755)
    with pytest.raises(SystemExit, match=r"Lighthouse 12\.2\.3 could not run every audit"):
        _lighthouse(tool, "/usr/bin/chromium", "http://127.0.0.1:1/", tmp_path / "talk-1", [])
