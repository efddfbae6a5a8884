"""The Pagefind search: which pages are indexed, with which filters, and the search page."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from bs4 import BeautifulSoup

from conference_recaps.discovery.search import facet_markup

if TYPE_CHECKING:
    pass


@pytest.fixture
def site(discovery_site: Path) -> Path:
    return discovery_site


def facets(page: Path) -> tuple[dict[str, list[str]], dict[str, str]] | None:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    body = soup.find(attrs={"data-pagefind-body": True})
    if body is None:
        return None
    filters: dict[str, list[str]] = {}
    for span in body.find_all(attrs={"data-pagefind-filter": True}):
        filters.setdefault(span["data-pagefind-filter"], []).append(span.get_text())
    meta = {
        s["data-pagefind-meta"]: s.get_text()
        for s in body.find_all(attrs={"data-pagefind-meta": True})
    }
    return filters, meta


def test_talk_filters_and_result_metadata(site: Path) -> None:
    found = facets(site / "talks/djangocon-us-2019/just-add-await/index.html")
    assert found is not None
    filters, meta = found
    assert filters == {
        "type": ["Talk"],
        "conference": ["DjangoCon US 2019"],
        "year": ["2019"],
        "speaker": ["Andrew Godwin"],
        "tag": ["async", "django"],
        "kind": ["Talk"],
    }
    assert meta == {
        "speakers": "Andrew Godwin",
        "conference": "DjangoCon US 2019",
        "date": "2019-09-25",
    }


def test_recap_filters_name_the_speakers_it_shows(site: Path) -> None:
    found = facets(site / "recaps/2019/djangocon/index.html")
    assert found is not None
    filters, meta = found
    assert filters["type"] == ["Recap"]
    assert filters["speaker"] == ["Andrew Godwin"]
    assert filters["kind"] == ["Blog post"]
    assert filters["tag"] == ["async", "community"]
    assert meta["by"] == "Jane Contributor, Sam Writer"


@pytest.mark.parametrize(
    "page", ["index.html", "search/index.html", "404/index.html", "tags/async/index.html"]
)
def test_lists_and_utility_pages_are_not_indexed(site: Path, page: str) -> None:
    assert facets(site / page) is None


def test_index_and_search_page_are_written(site: Path) -> None:
    root = site / "pagefind"
    assert (root / "pagefind-ui.js").is_file()
    # A small site is one shard; the search page loads the shards shards.json lists.
    assert json.loads((root / "shards.json").read_text()) == {"shards": ["all"]}
    assert (root / "all" / "pagefind-entry.json").is_file()
    assert list((root / "all" / "filter").iterdir())
    assert not (site / "searchindex.js").exists()  # Sphinx's index is replaced
    soup = BeautifulSoup((site / "search/index.html").read_text(), "html.parser")
    assert soup.find(id="recaps-search") is not None
    sources = {s.get("src") for s in soup.find_all("script")}
    # Relative (works under any prefix), cache-busted by Pagefind's version.
    assert any(re.fullmatch(r"\.\./pagefind/pagefind-ui\.js\?v=\w{8}", s or "") for s in sources)
    assert any((s or "").startswith("../_static/discovery/search.js") for s in sources)
    assert soup.find(id="recaps-search")["data-bundle"] == "../pagefind/"


def test_facet_values_are_escaped() -> None:
    markup = facet_markup({"speaker": ["</span><script>x</script>"]}, {"by": "a & b"})
    soup = BeautifulSoup(markup, "html.parser")
    assert soup.find("script") is None
    assert soup.find(attrs={"data-pagefind-filter": "speaker"}).get_text() == (
        "</span><script>x</script>"
    )
    assert soup.find(attrs={"data-pagefind-meta": "by"}).get_text() == "a & b"
