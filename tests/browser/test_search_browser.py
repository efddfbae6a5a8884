"""A real browser over the built site: Pagefind search, its filters, and parsed JSON-LD.

Debian's ``chromium`` is installed by the fixture when missing (as root, with apt) and
driven by Playwright from PyPI; Playwright's own browser download is never used. The
site is served on 127.0.0.1 under ``/en/123/``, the shape of a Read the Docs
pull-request preview, so relative paths are tested too.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import shutil
import subprocess
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from sphinx.testing.util import SphinxTestApp

from conference_recaps.discovery.pagefind import shards

if TYPE_CHECKING:
    from collections.abc import Iterator

pytestmark = pytest.mark.slow

ROOT = Path(__file__).parent.parent / "roots" / "test-discovery"
CHROMIUM = Path("/usr/bin/chromium")
PREFIX = "/en/123/"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
TIMEOUT_MS = 15_000


def ensure_chromium() -> None:
    """Install Debian's chromium when it is missing; skip only where apt cannot."""
    if CHROMIUM.exists():
        return
    if shutil.which("apt-get") is None:
        pytest.skip("chromium is missing and apt-get is not available to install it")
    if os.geteuid() != 0:
        pytest.skip("chromium is missing; installing it with apt-get needs root")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env, timeout=600)
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", "chromium"], check=True, env=env, timeout=900
    )
    assert CHROMIUM.exists()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The test site, built and served at http://127.0.0.1:<port>/en/123/.

    Its search index is split as a large site's is: shards of about one page (five
    shards here), so every search below runs over merged shards.
    """
    tmp = tmp_path_factory.mktemp("browser")
    shutil.copytree(ROOT, tmp / "src")
    app = SphinxTestApp("dirhtml", srcdir=tmp / "src")
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(shards, "PAGES_PER_SHARD", 1)
            patch.setattr(shards, "SPEAKER_SHARD_FACTOR", 1)
            app.build()
        assert len(json.loads((app.outdir / "pagefind" / "shards.json").read_text())["shards"]) > 3
        assert "WARNING" not in app.warning.getvalue()
        webroot = tmp / "www"
        (webroot / PREFIX.strip("/")).parent.mkdir(parents=True)
        shutil.copytree(app.outdir, webroot / PREFIX.strip("/"))
    finally:
        app.cleanup()
    handler = functools.partial(_QuietHandler, directory=str(webroot))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{PREFIX}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def page(served: str) -> Iterator[Any]:
    ensure_chromium()
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            context = browser.new_context()
            # Nothing but the local server: the test must pass offline.
            context.route(
                lambda url: not url.startswith("http://127.0.0.1:"),
                lambda route: route.abort(),
            )
            tab = context.new_page()
            tab.set_default_timeout(TIMEOUT_MS)
            yield tab
        finally:
            browser.close()


def result_titles(page: Any) -> list[str]:
    page.wait_for_selector(".pagefind-ui__result-title")
    return [title.strip() for title in page.locator(".pagefind-ui__result-title").all_inner_texts()]


def test_search_for_a_speaker_finds_their_talk(page: Any, served: str) -> None:
    page.goto(served + "search/?q=Amber")
    titles = result_titles(page)
    assert "Keynote: Ten Years of Hardware" in titles
    link = page.locator(".pagefind-ui__result-link", has_text="Ten Years of Hardware").first
    href = link.get_attribute("href")
    assert href == PREFIX + "talks/djangocon-us-2019/hardware/"
    tags = page.locator(".pagefind-ui__result-tag").all_inner_texts()
    assert any("DjangoCon US 2019" in tag for tag in tags)  # results show the conference


def test_a_filter_narrows_the_results(page: Any, served: str) -> None:
    page.goto(served + "search/?q=async")
    page.wait_for_selector(".pagefind-ui__result-title")
    page.wait_for_function("document.querySelectorAll('.pagefind-ui__result').length >= 3")
    before = len(result_titles(page))
    name = page.locator("summary.pagefind-ui__filter-name", has_text=re.compile(r"^Speaker$"))
    name.click()
    block = page.locator("details.pagefind-ui__filter-block", has=name)
    block.locator("label", has_text="Amber Brown").click()
    page.wait_for_function(f"document.querySelectorAll('.pagefind-ui__result').length < {before}")
    after = result_titles(page)
    assert after == ["Keynote: Ten Years of Hardware"]


def test_one_query_finds_pages_of_several_shards_and_counts_filters_across_them(
    page: Any, served: str
) -> None:
    # Amber Brown's talk (a conference's shard) and her page (a speakers' shard).
    page.goto(served + "search/?q=Amber")
    wanted = [PREFIX + "talks/djangocon-us-2019/hardware/", PREFIX + "speakers/amber-brown/"]
    # Pagefind's UI shows each result as its fragment arrives, shard by shard: wait for
    # both (a shard that never answers times out and fails the test), not for a count.
    page.wait_for_function(
        """wanted => wanted.every(href => [...document.querySelectorAll(
            '.pagefind-ui__result-link')].some(link => link.getAttribute('href') === href))""",
        arg=wanted,
    )
    hrefs = page.locator(".pagefind-ui__result-link").evaluate_all(
        "links => links.map(link => link.getAttribute('href'))"
    )
    assert all(href in hrefs for href in wanted)
    # The type filter counts the talks of both conferences' shards and every speaker.
    page.goto(served + "search/?q=async")
    page.wait_for_selector(".pagefind-ui__result-title")
    block = page.locator(
        "details.pagefind-ui__filter-block",
        has=page.locator("summary", has_text=re.compile(r"^Type$")),
    )
    if block.get_attribute("open") is None:
        block.locator("summary").click()
    labels = block.locator("label").all_inner_texts()
    counts = dict(re.fullmatch(r"(.+?)\s*\((\d+)\)", label.strip()).groups() for label in labels)
    assert set(counts) >= {"Talk", "Speaker", "Conference", "Recap"}
    # Two talks in DjangoCon US 2019's shard, one in PyCon AU 2021's: summed.
    assert int(counts["Talk"]) == 3


def test_talk_page_json_ld_parses(page: Any, served: str) -> None:
    page.goto(served + "talks/djangocon-us-2019/just-add-await/")
    data = page.evaluate(
        """() => Array.from(
            document.querySelectorAll('script[type="application/ld+json"]'),
            (script) => JSON.parse(script.textContent))"""
    )
    assert [item["@type"] for item in data] == ["Event", "VideoObject", "BreadcrumbList"]
    assert data[0]["superEvent"]["name"] == "DjangoCon US 2019"
    assert data[1]["thumbnailUrl"] == "https://i.ytimg.com/vi/d9BAUBEyFgM/hqdefault.jpg"


def test_a_talk_s_excerpt_is_its_own_words_not_the_player_s_label(page: Any, served: str) -> None:
    page.goto(served + "search/?q=Retrofitting")
    page.wait_for_selector(".pagefind-ui__result-excerpt")
    excerpts = page.locator(".pagefind-ui__result-excerpt").all_inner_texts()
    assert excerpts
    # The player's label ("Play the video: <title>") was indexed, so a talk's excerpt
    # began with its title twice.
    assert not any(text.count("Retrofitting Async Into Django") > 1 for text in excerpts), excerpts


def test_on_a_phone_the_filters_start_closed_so_the_results_show_first(
    page: Any, served: str
) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    try:
        page.goto(served + "search/?q=async")
        page.wait_for_selector(".pagefind-ui__result-title")
        open_blocks = page.locator("details.pagefind-ui__filter-block[open]").count()
        assert open_blocks == 0
        page.set_viewport_size({"width": 1366, "height": 900})
        page.goto(served + "search/?q=async")
        page.wait_for_selector(".pagefind-ui__result-title")
        type_block = page.locator("details.pagefind-ui__filter-block[open]")
        assert type_block.locator("summary").all_inner_texts() == ["Type"]
    finally:
        page.set_viewport_size({"width": 1280, "height": 720})
