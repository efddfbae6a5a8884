"""Pages at the URLs of entries that were renamed, merged or taken down.

- **Tombstones.** A withdrawn talk, speaker or conference keeps its URL, which now says
  only that it was withdrawn, when, and for which kind of reason. Nothing of the entry
  is on it (no title, name, abstract or link to a video), whatever the reason: the
  notice must be safe to show when the speaker asked, and the other reasons gain
  nothing from more. The page is marked ``noindex`` (``discovery`` reads the
  ``withdrawn`` family) and is in no listing, feed, sitemap or search index.
- **Redirects.** Each former id's URL gets a page that sends the reader on at once
  (``<meta http-equiv="refresh">``) and names the new URL as canonical, so search engines
  move their entry; it is marked ``noindex`` too. It is a small HTML file of its own
  (``recaps-redirect.html``), not a themed page: it is never read, only followed.
  :func:`redirect_rules` gives the same list for Read the Docs' redirects
  (``redirects.json`` in the output, see ``docs/hosting.md``).
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import urljoin

from conference_recaps.catalogue.lifecycle import REASON_TEXT
from conference_recaps.catalogue.model import KINDS
from conference_recaps.pages.contexts import Link, PageContext
from conference_recaps.pages.generate import NOINDEX, Page
from conference_recaps.urls import catalogue_page, index_page

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from sphinx.builders.html import StandaloneHTMLBuilder

    from conference_recaps.catalogue.model import Catalogue
    from conference_recaps.pages.site import Site


@dataclass(frozen=True, slots=True)
class TombstoneContext(PageContext):
    """What a withdrawn entry's URL shows: the kind of entry, the reason's category, the date."""

    family: ClassVar[str] = "withdrawn"
    template: ClassVar[str] = "withdrawn.html"

    noun: str
    reason: str
    reason_text: str
    date: datetime.date
    index: Link

    def theme_names(self, url: Callable[[str], str], base_url: str) -> dict[str, Any]:
        return {"metatags": NOINDEX}


@dataclass(frozen=True, slots=True)
class RedirectContext(PageContext):
    """A former id's URL: the page of the entry that holds the id now."""

    family: ClassVar[str] = "redirect"
    template: ClassVar[str] = ""
    layout: ClassVar[str] = "recaps-redirect.html"

    target: str
    #: The target's URL path from the site root (``talks/<id>/``), for the canonical link.
    target_path: str

    def theme_names(self, url: Callable[[str], str], base_url: str) -> dict[str, Any]:
        return {
            "recaps_redirect_to": url(self.target),
            "recaps_redirect_canonical": urljoin(base_url, self.target_path),
        }


_INDEX_TITLES = {"talk": "Talks", "speaker": "Speakers", "conference": "Conferences"}


def tombstone_pages(site: Site) -> Iterator[Page]:
    """A notice at the URL of every withdrawn talk, speaker and conference."""
    for key, entry in sorted(site.catalogue.withdrawn.items()):
        kind = key.partition(":")[0]
        withdrawal = entry.withdrawn
        assert withdrawal is not None
        yield Page(
            name=catalogue_page(kind, entry.id),
            title=f"Withdrawn {kind}",
            context=TombstoneContext(
                noun=kind,
                reason=withdrawal.reason.value,
                reason_text=REASON_TEXT[withdrawal.reason],
                date=withdrawal.date,
                index=Link(index_page(kind), _INDEX_TITLES[kind]),
            ),
        )


def redirect_pages(site: Site, target_uri: Callable[[str], str]) -> Iterator[Page]:
    """A redirect at the URL of every former id, to the entry that holds it now."""
    for kind, old, new in redirect_rules(site.catalogue):
        target = catalogue_page(kind, new)
        yield Page(
            name=catalogue_page(kind, old),
            title="Moved",
            context=RedirectContext(target=target, target_path=target_uri(target)),
        )


def redirect_rules(catalogue: Catalogue) -> list[tuple[str, str, str]]:
    """``(kind, old id, new id)`` for every former id, sorted."""
    rules = []
    for key, new in catalogue.redirects.items():
        kind, _, old = key.partition(":")
        if kind in KINDS:
            rules.append((kind, old, new))
    return sorted(rules)


#: The file, at the output's root, that lists every redirect for Read the Docs.
REDIRECTS_FILE = "redirects.json"


def write_redirect_rules(builder: StandaloneHTMLBuilder, catalogue: Catalogue) -> None:
    """Write ``redirects.json``: one Read the Docs "page" redirect per former id.

    Each item is the body Read the Docs' API takes to create a redirect
    (``POST /api/v3/projects/<slug>/redirects/``), so ``docs/hosting.md`` can load them
    with a loop. Written only when it changed.
    """
    rules = [
        {
            "type": "page",
            "from_url": "/" + builder.get_target_uri(catalogue_page(kind, old)),
            "to_url": "/" + builder.get_target_uri(catalogue_page(kind, new)),
        }
        for kind, old, new in redirect_rules(catalogue)
    ]
    text = json.dumps(rules, indent=2) + "\n"
    path = Path(builder.outdir) / REDIRECTS_FILE
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
