"""Playwright over Debian's chromium, with axe-core injected: the accessibility checks.

Installing and launching chromium is the discovery part's (``tests/browser/``): its
``ensure_chromium`` installs Debian's package when missing, and its launch arguments are
reused here, so both browser tests start the same browser the same way. Playwright's own
browser download is never used.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest

from browser.test_search_browser import ARGS, CHROMIUM, TIMEOUT_MS, ensure_chromium
from quality.tools import AXE_JS, ensure_npm_tools

if TYPE_CHECKING:
    from collections.abc import Iterator

#: The theme's two colour modes, set as its switch sets them: ``mode`` and ``theme``
#: in localStorage, read by pydata-sphinx-theme before the page is drawn.
MODES = ("light", "dark")
#: axe-core impacts that fail the test.
FAILING = frozenset({"serious", "critical"})
#: Alt texts that say nothing about the image.
GENERIC_ALT = re.compile(
    r"^(image|img|picture|photo|photograph|graphic|icon|logo|figure|screenshot|untitled)"
    r"(\s*\d+)?$",
    re.IGNORECASE,
)
FILE_NAME = re.compile(r"^[\w.-]+\.(png|jpe?g|gif|svg|webp|avif)$", re.IGNORECASE)


@dataclass(frozen=True)
class Violation:
    page: str
    mode: str
    rule: str
    impact: str
    help: str
    targets: tuple[str, ...]
    summary: str

    def __str__(self) -> str:
        where = ", ".join(self.targets[:5]) + (" ..." if len(self.targets) > 5 else "")
        return (
            f"{self.page} [{self.mode}] {self.rule} ({self.impact}): {self.help}\n"
            f"    at {where}\n    {self.summary}"
        )


def alt_problem(alt: str | None) -> str | None:
    """Why an image's alt text is not meaningful, or None when it is."""
    if alt is None:
        return "no alt attribute"
    text = alt.strip()
    if not text:
        return "empty alt"
    if GENERIC_ALT.match(text) or FILE_NAME.match(text):
        return f"alt {alt!r} says nothing about the image"
    return None


@contextlib.contextmanager
def chromium() -> Iterator[Any]:
    """A headless Debian chromium, offline but for 127.0.0.1."""
    ensure_chromium()
    ensure_npm_tools()
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextlib.contextmanager
def tab(browser: Any, mode: str) -> Iterator[Any]:
    """A page in a fresh context whose theme is ``mode``, as the theme's switch leaves it."""
    context = browser.new_context()
    try:
        context.route(
            lambda url: not url.startswith("http://127.0.0.1:"), lambda route: route.abort()
        )
        context.add_init_script(
            f"localStorage.setItem('mode', '{mode}'); localStorage.setItem('theme', '{mode}');"
        )
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        yield page
    finally:
        context.close()


def open_page(page: Any, url: str, mode: str, *, wait_for: str | None = None) -> None:
    page.goto(url)
    page.wait_for_load_state("load")
    if wait_for:
        page.wait_for_selector(wait_for)
    theme = page.evaluate("document.documentElement.dataset.theme")
    assert theme == mode, f"{url}: the page shows the {theme!r} theme, not {mode!r}"


def axe_violations(page: Any, name: str, mode: str) -> list[Violation]:
    """Run axe-core on the open page; the serious and critical violations."""
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    found = []
    for item in result["violations"]:
        if item["impact"] in FAILING:
            nodes = item["nodes"]
            found.append(
                Violation(
                    page=name,
                    mode=mode,
                    rule=item["id"],
                    impact=item["impact"],
                    help=item["help"],
                    targets=tuple(" ".join(map(str, node["target"])) for node in nodes),
                    summary=" ".join(str(nodes[0].get("failureSummary", "")).split()),
                )
            )
    return found


def image_alts(page: Any) -> list[tuple[str, str | None]]:
    """Every image the page shows to assistive technology: (src, alt)."""
    return [
        (str(src), alt)
        for src, alt in page.evaluate(
            """() => Array.from(document.images)
                .filter((img) => img.getAttribute('aria-hidden') !== 'true'
                    && !['presentation', 'none'].includes(img.getAttribute('role')))
                .map((img) => [img.getAttribute('src'), img.getAttribute('alt')])"""
        )
    ]
