"""Open Graph and Twitter tags, canonical URLs, sitemap.xml, robots.txt and the 404 page."""

from __future__ import annotations

import datetime
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urljoin

import pytest
from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp

from conference_recaps.discovery.site import LOCAL_BASE_URL, join_url, resolve_base_url
from conference_recaps.discovery.sitemap import robots_txt, write_sitemap

if TYPE_CHECKING:
    pass

ROOT = Path(__file__).parent / "roots" / "test-discovery"
BASE = "https://recaps.example.org/archive/"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture
def site(discovery_site: Path) -> Path:
    return discovery_site


def tags(page: Path) -> dict[str, str]:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    found = {}
    for meta in soup.head.find_all("meta"):
        key = meta.get("property") or meta.get("name")
        if key:
            found.setdefault(key, meta.get("content"))
    canonical = soup.head.find("link", rel="canonical")
    if canonical:
        found["canonical"] = canonical["href"]
    return found


@pytest.mark.parametrize(
    ("page", "og_type", "url"),
    [
        ("index.html", "website", BASE),
        ("recaps/2019/djangocon/index.html", "article", BASE + "recaps/2019/djangocon/"),
        (
            "talks/djangocon-us-2019/just-add-await/index.html",
            "video.other",
            BASE + "talks/djangocon-us-2019/just-add-await/",
        ),
        ("talks/djangocon-us-2019/hardware/index.html", "website", None),
        ("speakers/amber-brown/index.html", "profile", BASE + "speakers/amber-brown/"),
        ("conferences/pycon-au-2021/index.html", "website", None),
        ("years/2019/index.html", "website", None),
        ("tags/async/index.html", "website", None),
    ],
)
def test_every_page_has_open_graph_and_a_canonical_url(
    site: Path, page: str, og_type: str, url: str | None
) -> None:
    found = tags(site / page)
    assert found["og:type"] == og_type
    assert found["og:title"]
    assert found["og:url"] == found["canonical"]
    assert found["canonical"].startswith(BASE)
    if url:
        assert found["canonical"] == url
    assert found["twitter:card"] in {"summary", "summary_large_image"}


def test_descriptions_come_from_the_abstract_or_the_recap(site: Path) -> None:
    talk = tags(site / "talks/djangocon-us-2019/hardware/index.html")
    assert talk["og:description"] == (
        "Single-core speed has stalled, so async is how Django keeps up."
    )
    assert talk["description"] == talk["og:description"]
    recap = tags(site / "recaps/2019/djangocon/index.html")
    assert recap["og:description"] == "Async arrives in Django, and a week by the bay."
    assert recap["og:image"] == BASE + "_images/reception.png"
    assert recap["twitter:card"] == "summary_large_image"
    assert recap["article:published_time"] == "2019-10-28"
    podcast = tags(site / "recaps/2019/podcast/index.html")  # no description: first paragraph
    assert podcast["og:description"].startswith("A podcast episode about the conference")


def test_video_talk_shows_its_thumbnail(site: Path) -> None:
    found = tags(site / "talks/djangocon-us-2019/just-add-await/index.html")
    assert found["og:image"] == "https://i.ytimg.com/vi/d9BAUBEyFgM/hqdefault.jpg"
    assert found["og:video"] == "https://www.youtube-nocookie.com/embed/d9BAUBEyFgM"


def test_meta_tags_escape_catalogue_text(site: Path) -> None:
    text = (site / "talks/pycon-au-2021/async-everywhere/index.html").read_text()
    head = text[: text.index("</head>")]
    assert "<b>x</b>" not in head
    assert tags(site / "talks/pycon-au-2021/async-everywhere/index.html")["og:title"] == (
        "Async Everywhere </script><b>x</b>"
    )


def test_sitemap_lists_every_page_with_content_dates(site: Path) -> None:
    root = ET.parse(site / "sitemap.xml").getroot()
    entries = {
        url.findtext(f"{SITEMAP}loc"): url.findtext(f"{SITEMAP}lastmod")
        for url in root.findall(f"{SITEMAP}url")
    }
    assert entries[BASE + "recaps/2019/djangocon/"] == "2019-10-28"
    # A talk: its date, or a later recap that mentions it.
    assert entries[BASE + "talks/djangocon-us-2019/hardware/"] == "2019-09-23"
    assert entries[BASE + "talks/djangocon-us-2019/just-add-await/"] == "2019-10-28"
    assert entries[BASE + "conferences/djangocon-us-2019/"] == "2019-11-02"
    assert entries[BASE + "speakers/andrew-godwin/"] == "2021-09-10"
    assert entries[BASE + "tags/async/"] == "2021-09-10"
    assert entries[BASE + "years/2021/"] == "2021-09-14"
    for page in ("search/", "genindex/", "404/"):
        assert BASE + page not in entries
    written = {
        BASE + "".join(f"{part}/" for part in path.parent.relative_to(site).parts)
        for path in site.glob("**/index.html")
    }
    assert set(entries) == written - {BASE + "search/", BASE + "genindex/", BASE + "404/"}


def test_robots_txt_names_the_sitemap(site: Path) -> None:
    assert (site / "robots.txt").read_text() == (
        "User-agent: *\nDisallow: /archive/search/\n\nSitemap: " + BASE + "sitemap.xml\n"
    )
    assert robots_txt("http://127.0.0.1:8000/", "search/") == (
        "User-agent: *\nDisallow: /search/\n\nSitemap: http://127.0.0.1:8000/sitemap.xml\n"
    )


def test_large_sitemaps_are_split_under_an_index(tmp_path: Path) -> None:
    entries = [(f"{BASE}p{i}/", datetime.date(2020, 1, 1 + i)) for i in range(5)]
    written = write_sitemap(entries, tmp_path, BASE, limit=2)
    assert [p.name for p in written] == [
        "sitemap.xml",
        "sitemap-1.xml",
        "sitemap-2.xml",
        "sitemap-3.xml",
    ]
    index = ET.parse(tmp_path / "sitemap.xml").getroot()
    assert index.tag == f"{SITEMAP}sitemapindex"
    locs = [s.findtext(f"{SITEMAP}loc") for s in index.findall(f"{SITEMAP}sitemap")]
    assert locs == [BASE + "sitemap-1.xml", BASE + "sitemap-2.xml", BASE + "sitemap-3.xml"]
    last = ET.parse(tmp_path / "sitemap-3.xml").getroot()
    assert [u.findtext(f"{SITEMAP}loc") for u in last] == [BASE + "p4/"]


def test_404_page_uses_absolute_paths(site: Path) -> None:
    soup = BeautifulSoup((site / "404/index.html").read_text(), "html.parser")
    assert soup.find("h1").get_text() == "Page not found"
    links = {a["href"] for a in soup.find_all("a", href=True)}
    assert {"/archive/search/", "/archive/"} <= links
    for tag in soup.find_all(["link", "script"]):
        ref = tag.get("href") or tag.get("src")
        if ref and not ref.startswith(("http", "#")):
            assert ref.startswith("/archive/"), ref


@pytest.mark.parametrize(
    ("configured", "environ", "expected"),
    [
        ("", {}, (LOCAL_BASE_URL, "local")),
        ("https://a.example/x", {}, ("https://a.example/x/", "recaps_base_url")),
        (
            "https://a.example/",
            {"READTHEDOCS_CANONICAL_URL": "https://p--12.org.readthedocs.build/en/12/"},
            ("https://p--12.org.readthedocs.build/en/12/", "READTHEDOCS_CANONICAL_URL"),
        ),
        ("", {"READTHEDOCS_CANONICAL_URL": "not a url"}, (LOCAL_BASE_URL, "local")),
    ],
)
def test_base_url_resolution(
    configured: str, environ: dict[str, str], expected: tuple[str, str]
) -> None:
    assert resolve_base_url(configured, environ) == expected


@pytest.mark.parametrize(
    "base",
    [
        "https://a.example/",
        "https://a.example/en/latest/",
        "http://127.0.0.1:8000/",
        "https://a.example/x?y=/",
        "https://a.example/en",
    ],
)
@pytest.mark.parametrize(
    "path",
    [
        "talks/pycon-us-2019/analyzing-census-data/",
        "speakers/ada-lovelace/",
        "index.html",
        "",
        "/talks/x/",
        "../talks/x/",
        "./x/",
        "talks/../x/",
        "talks/./x/",
        "talks/x/?q=1",
        "talks/x/#video",
        "mailto:someone",
        "//other.example/x",
        "talks/x:y/",
    ],
)
def test_join_url_is_urljoin(base: str, path: str) -> None:
    assert join_url(base, path) == urljoin(base, path)


def test_read_the_docs_address_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("READTHEDOCS_CANONICAL_URL", "https://recaps.readthedocs.io/en/latest/")
    srcdir = tmp_path / "src"
    shutil.copytree(ROOT, srcdir)
    app = SphinxTestApp("dirhtml", srcdir=srcdir)
    try:
        assert app.config.html_baseurl == "https://recaps.readthedocs.io/en/latest/"
        assert app.config.notfound_urls_prefix == "/en/latest/"
    finally:
        app.cleanup()
