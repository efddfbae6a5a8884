"""Zero broken internal links: every page, feed and sitemap entry of the real site.

Each relative ``href``/``src`` (and absolute link under the site's own address) must name
a file of the build, and its ``#fragment`` an id on that page. All failures are reported
at once. The checker itself is tested first on a small hand-made output.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import lxml.html
import pytest

from quality.links import Link, SiteIndex, broken_links, html_pages, page_links, xml_links

if TYPE_CHECKING:
    from pathlib import Path

    from quality.fixtures import BuiltSite

BASE = "https://recaps.example.org/"


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_the_checker_finds_each_kind_of_broken_link(tmp_path: Path) -> None:
    write(
        tmp_path / "index.html",
        '<html><body><h1 id="top">Home</h1>'
        '<a href="talks/a/">talk</a>'  # fine
        '<a href="talks/a/#abstract">abstract</a>'  # fine
        '<a href="talks/a/#nowhere">gone anchor</a>'
        '<a href="talks/b/">missing page</a>'
        '<a href="/talks/a/">root-relative</a>'
        '<a href="#top">self</a><a href="#">button</a>'
        '<a href="https://example.org/x">external</a>'
        f'<link rel="canonical" href="{BASE}">'
        f'<a href="{BASE}talks/c/">own address, missing</a>'
        '<img src="_static/logo.svg" srcset="_static/logo.svg 1x, _static/big.png 2x" alt="x">'
        '<a href="../../etc/passwd">above the root</a>'
        '<a href="javascript:alert(1)">script</a>'
        "</body></html>",
    )
    write(tmp_path / "talks/a/index.html", '<p id="abstract">About <a href="../../">home</a></p>')
    write(tmp_path / "_static/logo.svg", "<svg/>")
    # The 404 page is served at any depth: root-relative links under the site's path.
    write(tmp_path / "404/index.html", '<a href="/talks/a/">ok</a><a href="/gone/">gone</a>')
    index = SiteIndex(tmp_path, BASE)
    links = [link for page in html_pages(tmp_path) for link in page_links(tmp_path, page)]
    problems = {(b.url, b.problem) for b in broken_links(index, links)}
    assert problems == {
        ("talks/a/#nowhere", "no id 'nowhere' in talks/a/index.html"),
        ("talks/b/", "no such file talks/b/index.html"),
        ("/talks/a/", "root-relative: breaks when the site is served under a prefix"),
        (f"{BASE}talks/c/", "no such file talks/c/index.html"),
        ("_static/big.png", "no such file _static/big.png"),
        ("../../etc/passwd", "climbs above the site's root"),
        ("javascript:alert(1)", "an unexpected scheme 'javascript'"),
        ("/gone/", "no such file gone/index.html"),
    }


def test_the_checker_reads_feeds_and_sitemaps(tmp_path: Path) -> None:
    write(
        tmp_path / "sitemap.xml",
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<url><loc>{BASE}</loc></url><url><loc>{BASE}gone/</loc></url></urlset>",
    )
    write(tmp_path / "index.html", "<p>home</p>")
    index = SiteIndex(tmp_path, BASE)
    links = list(xml_links(tmp_path, tmp_path / "sitemap.xml"))
    assert [str(b) for b in broken_links(index, links)] == [
        f"sitemap.xml: {BASE}gone/ -> no such file gone/index.html"
    ]


def site_base_url(outdir: Path) -> str:
    """The site's own address, from the home page's canonical link."""
    home = lxml.html.parse(str(outdir / "index.html")).getroot()
    canonical = home.xpath("//link[@rel='canonical']/@href")
    assert canonical, "the home page has no canonical link"
    return str(canonical[0])


@pytest.mark.slow
def test_no_broken_internal_link_in_the_real_site(real_site: BuiltSite) -> None:
    outdir = real_site.outdir
    index = SiteIndex(outdir, site_base_url(outdir))
    pages = html_pages(outdir)
    links: list[Link] = [link for page in pages for link in page_links(outdir, page)]
    feeds = [*sorted((outdir / "feeds").rglob("*.xml")), outdir / "sitemap.xml"]
    links += [link for path in feeds for link in xml_links(outdir, path)]

    broken = broken_links(index, links)
    assert not broken, f"{len(broken)} broken internal links:\n" + "\n".join(map(str, broken))

    # The check covered the site: every generated page type, and anchors too.
    internal = [link for link in links if index.target(link.page, link.url)[0] is not None]
    assert len(pages) > 100
    assert len(internal) > 20 * len(pages)
    assert sum(1 for link in internal if "#" in link.url.strip("#")) > 100
    for kind in ("talks", "speakers", "conferences", "years", "tags", "recaps", "docs"):
        assert any(page.relative_to(outdir).parts[0] == kind for page in pages), kind
