"""Search in the browser: a Pagefind index of the built site, with filters.

Every content page (talks, speakers, conferences, recaps, the guide) has its body
wrapped in ``data-pagefind-body``, with hidden markers Pagefind reads as filters
(``type``, ``conference``, ``year``, ``speaker``, ``tag``, ``kind``) and as the result's
metadata (``speakers``, ``conference``, ``date``). Lists (the home page, archives,
indexes) are left out so a search finds the entry itself, not every list it is on.

After a successful HTML build, Pagefind indexes the output into shards under
``<outdir>/pagefind/`` (:mod:`.pagefind`; only the shards whose pages changed), so
``make html``, ``make serve`` and Read the Docs all get it. The theme's search box
leads to ``/search/``, which this module turns into Pagefind's UI (``?q=`` starts a
search); its script merges the shards ``pagefind/shards.json`` lists. Every path is
relative, so the search also works on Read the Docs pull-request previews, served
under another prefix.

Sphinx's own search index is not built: Pagefind replaces it, and indexing every page
twice is what makes large sites slow.
"""

from __future__ import annotations

import hashlib
import html
from typing import TYPE_CHECKING, Any

from sphinx.util.osutil import relative_uri

from conference_recaps.discovery.pagefind.runner import BUNDLE_DIR, tool_version
from conference_recaps.discovery.site import (
    UTILITY_PAGES,
    Subject,
    classify,
    speaker_names,
    talk_date,
)
from conference_recaps.domain import get_catalogue, get_domain
from conference_recaps.page_parts import page_part
from conference_recaps.text import RECAP_KIND_LABELS, kind_label

if TYPE_CHECKING:
    from collections.abc import Iterator

    from docutils import nodes
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

    from conference_recaps.catalogue.model import Catalogue
    from conference_recaps.frontmatter import RecapMeta

#: Pages of these kinds are indexed.
INDEXED = frozenset({"talk", "speaker", "conference", "recap", "page"})

SEARCH_BODY = """\
<h1>Search</h1>
<noscript><p>Search runs in your browser and needs JavaScript.</p></noscript>
<link rel="stylesheet" href="{bundle}pagefind-ui.css?v={version}" />
<div id="recaps-search" class="recaps-search" data-bundle="{bundle}"></div>
<script defer src="{bundle}pagefind-ui.js?v={version}"></script>
"""
# Pagefind's UI files change only with Pagefind's version, which makes their
# cache-busting query; deferred, the UI script no longer holds up the page's first
# paint (search.js starts it on DOMContentLoaded, after every deferred script ran).


def page_facets(
    env: BuildEnvironment, pagename: str, subject: Subject
) -> tuple[dict[str, list[str]], dict[str, str]]:
    """The Pagefind filters (name to values) and metadata of one page."""
    catalogue = get_catalogue(env)
    filters: dict[str, list[str]] = {}
    meta: dict[str, str] = {}
    entry = subject.entry
    if subject.kind == "talk":
        conference = catalogue.conferences.get(entry.conference)
        date = talk_date(catalogue, entry)
        names = speaker_names(catalogue, entry)
        filters = {
            "type": ["Talk"],
            "conference": [conference.name if conference else entry.conference],
            "year": [str(date.year)] if date else [],
            "speaker": names,
            "tag": list(entry.tags),
            "kind": [kind_label(entry.kind)],
        }
        meta = {"speakers": ", ".join(names), "conference": filters["conference"][0]}
        if date:
            meta["date"] = date.isoformat()
    elif subject.kind == "speaker":
        talks = catalogue.talks_of_speaker(entry.id)
        filters = {
            "type": ["Speaker"],
            "speaker": [entry.name],
            "conference": _unique(_conference_name(catalogue, t.conference) for t in talks),
            "year": _unique(
                str(d.year) for t in talks if (d := talk_date(catalogue, t)) is not None
            ),
        }
        meta = {"talks": str(len(talks))}
    elif subject.kind == "conference":
        filters = {
            "type": ["Conference"],
            "conference": [entry.name],
            "year": [str(entry.year)],
        }
        meta = {"conference": entry.name, "date": entry.start.isoformat()}
        if entry.location:
            meta["location"] = entry.location
    elif subject.kind == "recap":
        recap: RecapMeta = entry
        conference = catalogue.conferences.get(recap.conference) if recap.conference else None
        year = conference.year if conference else recap.date.year
        filters = {
            "type": ["Recap"],
            "conference": [conference.name] if conference else [],
            "year": [str(year)] if year else [],
            "speaker": _mentioned_speakers(env, catalogue, pagename),
            "tag": list(recap.tags),
            "kind": [RECAP_KIND_LABELS[recap.kind]],
        }
        if recap.authors:
            meta["by"] = ", ".join(recap.authors)
        if conference:
            meta["conference"] = conference.name
        meta["date"] = recap.date.isoformat()
    else:
        filters = {"type": ["Guide"]}
    return {k: v for k, v in filters.items() if v}, {k: v for k, v in meta.items() if v}


def _unique(values: Any) -> list[str]:
    return sorted(set(values))


def _conference_name(catalogue: Catalogue, conference_id: str) -> str:
    conference = catalogue.conferences.get(conference_id)
    return conference.name if conference else conference_id


def _mentioned_speakers(env: BuildEnvironment, catalogue: Catalogue, docname: str) -> list[str]:
    """The speakers of the talks a recap shows, and those it names."""
    names: set[str] = set()
    for mention in get_domain(env).table("mentions").get(docname, ()):
        if mention.kind == "speaker" and mention.id in catalogue.speakers:
            names.add(catalogue.speakers[mention.id].name)
        elif mention.kind == "talk" and mention.id in catalogue.talks:
            names.update(speaker_names(catalogue, catalogue.talks[mention.id]))
    return sorted(names)


def facet_markup(filters: dict[str, list[str]], meta: dict[str, str]) -> str:
    """Hidden elements holding the filters and metadata; every value is escaped.

    ``data-pagefind-ignore`` keeps their text out of the searchable content, while
    Pagefind still reads the filters and metadata inside.
    """
    spans = [
        f'<span data-pagefind-filter="{html.escape(name)}">{html.escape(value)}</span>'
        for name, values in filters.items()
        for value in values
    ]
    spans += [
        f'<span data-pagefind-meta="{html.escape(name)}">{html.escape(value)}</span>'
        for name, value in meta.items()
    ]
    return f'<div class="recaps-search-facets" hidden data-pagefind-ignore>{"".join(spans)}</div>'


def is_indexed(env: BuildEnvironment, root_doc: str, pagename: str, subject: Subject) -> bool:
    if pagename in UTILITY_PAGES or pagename == root_doc:
        return False
    return subject.kind in INDEXED


@page_part("body", "title", "display_toc")
def _mark_page(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: dict[str, Any],
    doctree: nodes.document | None,
) -> str | None:
    if app.builder.format != "html":
        return None
    if pagename == "search":
        bundle = relative_uri(app.builder.get_target_uri(pagename), f"{BUNDLE_DIR}/")
        version = hashlib.sha256(tool_version().encode()).hexdigest()[:8]
        context["body"] = SEARCH_BODY.format(bundle=html.escape(bundle), version=version)
        context["title"] = "Search"
        context["display_toc"] = False
        app.add_js_file("discovery/search.js")
        return "page.html"
    if "body" not in context:
        return None
    subject = classify(app.env, pagename)
    if not is_indexed(app.env, app.config.root_doc, pagename, subject):
        return None
    filters, meta = page_facets(app.env, pagename, subject)
    context["body"] = (
        f"<div data-pagefind-body>{facet_markup(filters, meta)}{context['body']}</div>"
        # Where the indexed part ends, for the digest that decides which shard to
        # re-index (pagefind/shards.py): text outside it, the sidebar, is not indexed.
        "<!--/data-pagefind-body-->"
    )
    return None


def _replace_sphinx_search(app: Sphinx) -> None:
    """Pagefind replaces Sphinx's search: no index for Sphinx to build, load or prune.

    With ``builder.search`` off, Sphinx neither writes ``searchindex.js`` nor its search
    page; :func:`_search_page` yields the page again, as Pagefind's UI.
    """
    if app.builder.format == "html":
        app.builder.search = False  # type: ignore[attr-defined]


def _search_page(app: Sphinx) -> Iterator[tuple[str, dict[str, Any], str]]:
    if app.builder.format == "html":
        yield "search", {}, "page.html"


def setup_search(app: Sphinx) -> None:
    app.connect("builder-inited", _replace_sphinx_search)
    app.connect("html-collect-pages", _search_page)
    # Late, so the body is final (generated pages and other handlers have filled it).
    app.connect("html-page-context", _mark_page, priority=800)
