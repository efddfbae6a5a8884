"""Accessible pages: axe-core in a real browser, light and dark, and meaningful alt text.

axe-core (npm, pinned in package.json) is injected with Playwright into Debian's
chromium on the home, conference, talk, speaker, recap (blog and podcast) and search
pages, in the theme's light and dark modes: no serious or critical violation. Every
image a reader meets has an alt text that describes it, checked in the browser on those
pages and, statically, on every page of the site.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import lxml.html
import pytest

from quality.browser import (
    MODES,
    alt_problem,
    axe_violations,
    chromium,
    image_alts,
    open_page,
    tab,
)
from quality.links import html_pages
from quality.pages import largest, largest_in, recap_kinds, url_of

if TYPE_CHECKING:
    from pathlib import Path

    from quality.fixtures import BuiltSite

pytestmark = pytest.mark.slow

#: Where the search page shows results, once Pagefind has answered.
SEARCH_RESULT = ".pagefind-ui__result"


def pages_to_audit(outdir: Path) -> dict[str, tuple[str, str | None]]:
    """Name to (URL relative to the site, selector to wait for)."""
    chosen: dict[str, tuple[str, str | None]] = {
        "home": ("", None),
        "conference": (url_of(outdir, largest_in(outdir, "conferences")), None),
        "talk": (url_of(outdir, largest_in(outdir, "talks")), None),
        "speaker": (url_of(outdir, largest_in(outdir, "speakers")), None),
        "search": ("search/?q=django", SEARCH_RESULT),
    }
    for kind, urls in sorted(recap_kinds().items()):
        best = largest([outdir / url / "index.html" for url in urls])
        chosen[f"{kind} recap"] = (url_of(outdir, best), None)
    return chosen


def test_alt_text_rules() -> None:
    assert alt_problem("Attendees at the opening reception") is None
    assert alt_problem("Conference Recaps - Home") is None
    assert alt_problem(None) == "no alt attribute"
    assert alt_problem("  ") == "empty alt"
    assert alt_problem("Image") == "alt 'Image' says nothing about the image"
    assert alt_problem("IMG_0042.jpg") == "alt 'IMG_0042.jpg' says nothing about the image"


def test_no_serious_violation_in_light_or_dark_mode(real_site: BuiltSite, served_site: str) -> None:
    audited = pages_to_audit(real_site.outdir)
    violations = []
    bad_images = []
    with chromium() as browser:
        for mode in MODES:
            with tab(browser, mode) as page:
                for name, (url, wait_for) in audited.items():
                    open_page(page, served_site + url, mode, wait_for=wait_for)
                    violations += axe_violations(page, f"{name} ({url})", mode)
                    bad_images += [
                        f"{url} [{mode}]: {src}: {problem}"
                        for src, alt in image_alts(page)
                        if (problem := alt_problem(alt))
                    ]
    assert not violations, f"{len(violations)} serious or critical violations:\n" + "\n".join(
        map(str, violations)
    )
    assert not bad_images, "images without a meaningful alt:\n" + "\n".join(bad_images)


def test_every_image_on_every_page_has_a_meaningful_alt(real_site: BuiltSite) -> None:
    problems = []
    images = 0
    for path in html_pages(real_site.outdir):
        document = lxml.html.parse(str(path)).getroot()
        for img in document.iter("img"):
            if img.get("aria-hidden") == "true" or img.get("role") in {"presentation", "none"}:
                continue
            images += 1
            if problem := alt_problem(img.get("alt")):
                page = path.relative_to(real_site.outdir).as_posix()
                problems.append(f"{page}: {img.get('src')}: {problem}")
    assert images > 0
    assert not problems, "images without a meaningful alt:\n" + "\n".join(problems)
