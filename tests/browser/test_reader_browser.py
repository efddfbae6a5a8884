"""The reader's side in a real browser: the phone menu, the video facades, chapters, the layout.

Debian's chromium through Playwright, as ``test_search_browser.py`` starts it; only
127.0.0.1 is reachable, every other request is recorded and aborted, so the tests prove
what the page *asks for* (a player from youtube-nocookie.com, nothing before the click)
without the network.
"""

from __future__ import annotations

import functools
import http.server
import threading
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

import pytest

from browser.test_search_browser import ARGS, CHROMIUM, TIMEOUT_MS, ensure_chromium
from reader_helpers import build_reader

if TYPE_CHECKING:
    from collections.abc import Iterator

pytestmark = pytest.mark.slow

AWAIT = "talks/djangocon-us-2019/just-add-await/"
VIMEO = "talks/djangocon-us-2019/hardware/"
PHONE_UA = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/130.0 Mobile Safari/537.36"
)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    outdir, warnings = build_reader(tmp_path_factory.mktemp("reader-browser"))
    assert "WARNING" not in warnings
    handler = functools.partial(_Quiet, directory=str(outdir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    ensure_chromium()
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield launched
        finally:
            launched.close()


class Tab:
    """A page whose requests beyond the local server are recorded and aborted."""

    def __init__(self, browser: Any, served: str, width: int, **options: Any) -> None:
        self.outside: list[str] = []
        self.context = browser.new_context(viewport={"width": width, "height": 844}, **options)
        self.context.route(lambda url: not url.startswith(served), self._abort)
        self.page = self.context.new_page()
        self.page.set_default_timeout(TIMEOUT_MS)

    def _abort(self, route: Any) -> None:
        self.outside.append(route.request.url)
        route.abort()

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def phone(browser: Any, served: str) -> Iterator[Tab]:
    tab = Tab(browser, served, 390, user_agent=PHONE_UA, is_mobile=True, has_touch=True)
    yield tab
    tab.close()


def test_the_menu_opens_and_closes_on_a_phone(phone: Tab, served: str) -> None:
    page = phone.page
    page.goto(served + AWAIT)
    nav = page.locator("nav.recaps-nav")
    assert not nav.is_visible()
    toggles = page.locator(".primary-toggle")
    assert toggles.count() == 1  # pydata-sphinx-theme#2451: a hidden twin took the clicks
    toggles.first.tap()
    nav.wait_for(state="visible")
    assert page.get_by_role("link", name="Speakers").first.is_visible()
    page.keyboard.press("Escape")
    nav.wait_for(state="hidden")


def test_a_click_on_the_facade_loads_the_nocookie_player(phone: Tab, served: str) -> None:
    """On a phone too, where lite-youtube-embed would load YouTube's own player API."""
    page = phone.page
    page.goto(served + AWAIT)
    page.wait_for_load_state("load")
    page.locator("lite-youtube").hover()
    page.wait_for_timeout(300)
    before = list(phone.outside)
    assert all(url.startswith("https://i.ytimg.com/") for url in before), before
    page.locator("lite-youtube").click()
    iframe = page.locator("lite-youtube iframe")
    iframe.wait_for(state="attached")
    src = iframe.get_attribute("src") or ""
    assert src.startswith("https://www.youtube-nocookie.com/embed/d9BAUBEyFgM?")
    page.wait_for_timeout(300)
    requested = [url for url in phone.outside if url not in before]
    assert any(url.startswith("https://www.youtube-nocookie.com/embed/") for url in requested)
    assert not any("://www.youtube.com/" in url for url in requested), requested


def test_a_click_on_the_vimeo_facade_loads_the_player_with_dnt(phone: Tab, served: str) -> None:
    page = phone.page
    page.goto(served + VIMEO)
    page.wait_for_load_state("load")
    # Before the click, only thumbnails (the related talks' cards) may be fetched.
    assert all(url.startswith("https://i.ytimg.com/") for url in phone.outside), phone.outside
    page.locator(".recaps-vimeo a.recaps-play").click()
    iframe = page.locator(".recaps-vimeo iframe")
    iframe.wait_for(state="attached")
    assert iframe.get_attribute("src") == (
        "https://player.vimeo.com/video/123456789?dnt=1&autoplay=1"
    )


def chapter(seconds: int) -> str:
    return f"#chapter-{seconds} a.recaps-chapter-time"


def query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def test_a_chapter_click_plays_the_youtube_facade_from_its_time(phone: Tab, served: str) -> None:
    """The player loads at the chapter (``start``), in view and focused; another reloads it."""
    page = phone.page
    page.goto(served + AWAIT)
    page.wait_for_load_state("load")
    page.locator(chapter(754)).click()
    iframe = page.locator("lite-youtube iframe")
    iframe.wait_for(state="attached")
    src = iframe.get_attribute("src") or ""
    assert src.startswith("https://www.youtube-nocookie.com/embed/d9BAUBEyFgM?")
    assert query(src) == {
        "rel": ["0"],
        "start": ["754"],
        "autoplay": ["1"],
        "playsinline": ["1"],
    }
    assert page.url == served + AWAIT  # the page stayed
    assert page.evaluate("document.activeElement.tagName") == "IFRAME"
    player = page.locator("lite-youtube").bounding_box()
    header = page.locator(".bd-header").bounding_box()
    assert player is not None and header is not None
    assert header["y"] + header["height"] <= player["y"] + 1  # not under the sticky header
    assert player["y"] + player["height"] <= 844  # all of it on the screen

    page.locator(chapter(3723)).click()
    page.wait_for_function(
        "document.querySelector('lite-youtube iframe').src.includes('start=3723')"
    )
    assert page.locator("lite-youtube iframe").count() == 1
    assert page.locator(".recaps-video iframe").count() == 1
    # The nocookie player each time, never YouTube's API script (see recaps-video.js).
    assert not any("://www.youtube.com/" in url for url in phone.outside), phone.outside


def test_a_chapter_click_plays_the_vimeo_facade_from_its_time(phone: Tab, served: str) -> None:
    page = phone.page
    page.goto(served + VIMEO)
    page.wait_for_load_state("load")
    page.locator(chapter(450)).click()
    iframe = page.locator(".recaps-vimeo iframe")
    iframe.wait_for(state="attached")
    embed = "https://player.vimeo.com/video/123456789?dnt=1&autoplay=1"
    assert iframe.get_attribute("src") == embed + "#t=450s"
    assert page.evaluate("document.activeElement.tagName") == "IFRAME"
    page.locator(chapter(0)).click()
    page.wait_for_function(
        "document.querySelector('.recaps-vimeo iframe').getAttribute('src').endsWith('#t=0s')"
    )
    assert page.locator(".recaps-vimeo iframe").count() == 1
    assert page.url == served + VIMEO


def test_a_chapter_is_a_link_to_the_host_without_javascript(browser: Any, served: str) -> None:
    tab = Tab(browser, served, 1366, java_script_enabled=False)
    try:
        tab.page.goto(served + AWAIT)
        with tab.page.expect_request(lambda r: "youtube.com/watch" in r.url) as request:
            tab.page.locator(chapter(754)).click(no_wait_after=True)
        assert request.value.url == "https://www.youtube.com/watch?v=d9BAUBEyFgM&t=754"
    finally:
        tab.close()


def test_a_chapter_click_with_a_modifier_leaves_the_facade(browser: Any, served: str) -> None:
    """Ctrl-click opens the host in a new tab, as on any link; the page's player stays."""
    tab = Tab(browser, served, 1366)
    try:
        tab.page.goto(served + AWAIT)
        tab.page.wait_for_load_state("load")
        # Runs after the page's own listeners (on document): was the browser's default kept?
        tab.page.evaluate(
            "window.addEventListener('click', (e) => { window.kept = !e.defaultPrevented; })"
        )
        with tab.context.expect_page():
            tab.page.locator(chapter(754)).click(modifiers=["Control"])
        assert tab.page.evaluate("window.kept") is True
        assert tab.page.locator("lite-youtube iframe").count() == 0
    finally:
        tab.close()


@pytest.mark.parametrize("width", [390, 800])
def test_pages_fit_a_phone_and_a_tablet(browser: Any, served: str, width: int) -> None:
    tab = Tab(browser, served, width)
    try:
        for url in (
            "",
            AWAIT,
            "conferences/djangocon-us-2019/",
            "speakers/andrew-godwin/",
            "recaps/2019/djangocon/",
        ):
            tab.page.goto(served + url)
            overflow = tab.page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, f"{url} scrolls sideways by {overflow}px at {width}px"
            size = tab.page.evaluate(
                "parseFloat(getComputedStyle(document.querySelector('article h1')).fontSize)"
            )
            assert size <= 34, f"{url}: a {size}px title at {width}px"
        tab.page.goto(served + AWAIT)
        video = tab.page.locator(".recaps-video").bounding_box()
        article = tab.page.locator("article.bd-article").bounding_box()
        assert video is not None and article is not None
        assert video["width"] >= article["width"] - 64  # the article's padding aside
        assert abs(video["width"] / video["height"] - 16 / 9) < 0.02
    finally:
        tab.close()


def test_the_conference_grid_filters_by_kind_and_tag(phone: Tab, served: str) -> None:
    page = phone.page
    page.goto(served + "conferences/djangocon-us-2019/")
    chips = page.locator(".recaps-filters")
    chips.wait_for(state="visible")  # hidden in the HTML: the script shows it
    cards = page.locator("#talks .recaps-tcard")
    assert cards.count() == 4
    page.locator(".recaps-chip", has_text="Keynotes").click()
    visible = page.locator("#talks .recaps-tcard:visible")
    assert visible.count() == 1
    assert visible.first.get_attribute("data-kind") == "keynote"
    page.locator(".recaps-chip", has_text="#django").click()
    assert page.locator("#talks .recaps-tcard:visible").count() == 2
    page.locator(".recaps-chip", has_text="All").click()
    assert page.locator("#talks .recaps-tcard:visible").count() == 4
