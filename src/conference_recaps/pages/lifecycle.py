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

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from conference_recaps.catalogue.lifecycle import REASON_TEXT
from conference_recaps.catalogue.model import KINDS, WithdrawalReason
from conference_recaps.pages.generate import Page
from conference_recaps.pages.urls import catalogue_page, index_page

if TYPE_CHECKING:
    from collections.abc import Iterator

    from sphinx.builders.html import StandaloneHTMLBuilder

    from conference_recaps.catalogue.model import Catalogue
    from conference_recaps.pages.site import Site

#: The family of redirect pages, and the template they are written with.
REDIRECT_FAMILY = "redirect"
REDIRECT_LAYOUT = "recaps-redirect.html"
TOMBSTONE_FAMILY = "withdrawn"


def tombstone_pages(site: Site) -> Iterator[Page]:
    """A notice at the URL of every withdrawn talk, speaker and conference."""
    for key, entry in sorted(site.catalogue.withdrawn.items()):
        kind = key.partition(":")[0]
        withdrawal = entry.withdrawn
        assert withdrawal is not None
        yield Page(
            name=catalogue_page(kind, entry.id),
            title=f"Withdrawn {kind}",
            template="withdrawn.html",
            family=TOMBSTONE_FAMILY,
            context=tombstone_context(kind, withdrawal.reason, withdrawal.date, index_page(kind)),
        )


def tombstone_context(kind: str, reason: WithdrawalReason, date: Any, index: str) -> dict[str, Any]:
    """What a tombstone shows: the kind of entry, the reason's category, the date."""
    return {
        "noun": kind,
        "reason": reason.value,
        "reason_text": REASON_TEXT[reason],
        "date": date,
        "index": index,
        "index_title": f"{kind.capitalize()}s" if kind != "conference" else "Conferences",
    }


def redirect_pages(site: Site) -> Iterator[Page]:
    """A redirect at the URL of every former id, to the entry that holds it now."""
    for kind, old, new in redirect_rules(site.catalogue):
        yield Page(
            name=catalogue_page(kind, old),
            title="Moved",
            template="",
            family=REDIRECT_FAMILY,
            context={"target": catalogue_page(kind, new)},
            layout=REDIRECT_LAYOUT,
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
