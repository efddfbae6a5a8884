"""Breadcrumbs: where a page sits, shown in the article header and as ``BreadcrumbList``.

==============  ==================================================
page            trail
==============  ==================================================
talk            Home > Conferences > <conference> > <talk>
conference      Home > Conferences > <conference>
speaker         Home > Speakers > <speaker>
year, tag       Home > Years (Tags) > <year> (<tag>)
recap           Home > Recaps > <recap>
guide page      Home > <guide> > <page>
other pages     Home > <page>
==============  ==================================================

One trail feeds both the links a reader sees and the JSON-LD a search engine reads, so
the two cannot disagree. The home page has none.
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING, Any

from conference_recaps.config import get_config
from conference_recaps.discovery.jsonld import CONTEXT, script_tag
from conference_recaps.discovery.site import UTILITY_PAGES, classify, page_url
from conference_recaps.domain import get_catalogue
from conference_recaps.page_parts import page_part
from conference_recaps.urls import RECAPS_INDEX, catalogue_page, index_page

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment


def guide_pages(env: BuildEnvironment) -> set[str]:
    """The contributor guide's first page and every page under its toctree."""
    root = get_config(env.config).guide
    if root not in env.all_docs:
        return set()
    found, todo = {root}, [root]
    while todo:
        for child in env.toctree_includes.get(todo.pop(), []):
            if child not in found and child in env.all_docs:
                found.add(child)
                todo.append(child)
    return found


def _plain(title: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", title)).strip()


def trail(app: Sphinx, pagename: str, title: str) -> list[tuple[str, str]]:
    """The (title, page name) steps from the home page to this page, this page last."""
    env = app.env
    root = app.config.root_doc
    if pagename == root or pagename in UTILITY_PAGES:
        return []
    home = (_plain(env.titles[root].astext()) if root in env.titles else "Home", root)
    subject = classify(env, pagename)
    catalogue = get_catalogue(env)
    steps: list[tuple[str, str]] = [home]
    if subject.kind == "talk":
        conference = catalogue.conferences.get(subject.entry.conference)
        steps.append(("Conferences", index_page("conference")))
        if conference is not None:
            steps.append((conference.name, catalogue_page("conference", conference.id)))
    elif subject.kind == "conference":
        steps.append(("Conferences", index_page("conference")))
    elif subject.kind == "speaker":
        steps.append(("Speakers", index_page("speaker")))
    elif subject.kind == "year":
        steps.append(("Years", index_page("year")))
    elif subject.kind == "tag":
        steps.append(("Tags", index_page("tag")))
    elif subject.kind == "recap":
        steps.append(("Recaps", RECAPS_INDEX))
    else:
        guide = guide_pages(env)
        guide_root = get_config(env.config).guide
        if pagename in guide and pagename != guide_root:
            steps.append((_plain(env.titles[guide_root].astext()), guide_root))
    steps.append((_plain(title), pagename))
    return steps


def breadcrumb_list(items: list[tuple[str, str]]) -> dict[str, Any]:
    """schema.org ``BreadcrumbList`` of (name, absolute URL) pairs."""
    return {
        "@context": CONTEXT,
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": index, "name": name, "item": url}
            for index, (name, url) in enumerate(items, start=1)
        ],
    }


@page_part("recaps_breadcrumbs", "recaps_breadcrumb_trail")
def _add_breadcrumbs(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: dict[str, Any],
    doctree: nodes.document | None,
) -> None:
    if app.builder.format != "html" or "metatags" not in context:
        return
    steps = trail(app, pagename, str(context.get("title", "")))
    if not steps:
        context["recaps_breadcrumbs"] = ""
        return
    pathto = context["pathto"]
    links = [
        f'<li><a href="{html.escape(pathto(page))}">{html.escape(name)}</a></li>'
        for name, page in steps[:-1]
    ]
    links.append(f'<li aria-current="page">{html.escape(steps[-1][0])}</li>')
    context["recaps_breadcrumbs"] = (
        '<nav class="recaps-breadcrumbs" aria-label="Breadcrumbs"><ol>'
        + "".join(links)
        + "</ol></nav>"
    )
    context["recaps_breadcrumb_trail"] = steps


@page_part("recaps_breadcrumb_trail", "metatags")
def _add_breadcrumb_list(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: dict[str, Any],
    doctree: nodes.document | None,
) -> None:
    """The trail as JSON-LD, after the page's own structured data."""
    steps = context.pop("recaps_breadcrumb_trail", None)
    # A noindex page (a withdrawn entry's notice, a redirect) carries no structured data.
    if steps and "metatags" in context and "noindex" not in context["metatags"]:
        data = breadcrumb_list([(name, page_url(app.builder, page)) for name, page in steps])
        context["metatags"] += script_tag(data) + "\n"


def setup_breadcrumbs(app: Sphinx) -> None:
    # Before pydata-sphinx-theme (500) drops the header items that render empty.
    app.connect("html-page-context", _add_breadcrumbs, priority=480)
    app.connect("html-page-context", _add_breadcrumb_list, priority=650)
