"""Open Graph and Twitter card tags on every page.

Documents get theirs from `sphinxext-opengraph`_ (it reads the page's first paragraphs
and knows Read the Docs' canonical URL); this module steers it per page: a recap is an
``article`` described by its front matter's ``description`` and shown by its first
photo. Pages generated from the catalogue have no doctree, which sphinxext-opengraph
skips, so their tags are written here: a talk with a video is ``video.other`` with the
video's thumbnail, a speaker page a ``profile``, and each is described by the talk's
abstract or a summary of the entry. Every page also gets a ``twitter:card``.

.. _sphinxext-opengraph: https://sphinxext-opengraph.readthedocs.io/
"""

from __future__ import annotations

import contextlib
import html
import io
import re
from typing import TYPE_CHECKING, Any

from docutils import nodes

from conference_recaps.discovery.jsonld import first_image, site_image, video_thumbnail
from conference_recaps.discovery.site import (
    UTILITY_PAGES,
    base_url,
    classify,
    description_of,
    page_url,
)
from conference_recaps.domain import get_catalogue
from conference_recaps.page_parts import page_part
from conference_recaps.video import youtube_id

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

    from conference_recaps.frontmatter import RecapMeta


def first_paragraph(doctree: nodes.document, *, limit: int) -> str:
    """The recap's first paragraph of prose, past its header, cut at ``limit`` characters.

    sphinxext-opengraph would take the header line (conference, date, authors) that
    ``recap_header`` puts first; a reader wants the recap's opening instead.
    """
    for paragraph in doctree.findall(nodes.paragraph):
        if _in_header(paragraph):
            continue
        text = " ".join(paragraph.astext().split())
        if text:
            return text if len(text) <= limit else text[: limit - 3].rstrip() + "..."
    return ""


def _in_header(node: nodes.Node) -> bool:
    parent = node.parent
    while parent is not None:
        if isinstance(parent, nodes.Element) and "recaps-header" in parent["classes"]:
            return True
        parent = parent.parent
    return False


def meta_tag(attribute: str, name: str, content: str) -> str:
    """One ``<meta>`` tag with its content escaped for an HTML attribute."""
    return f'<meta {attribute}="{html.escape(name)}" content="{html.escape(content)}" />'


def generated_page_tags(
    *,
    title: str,
    url: str,
    site_name: str,
    og_type: str,
    description: str,
    image: str | None = None,
    image_alt: str | None = None,
    video: str | None = None,
) -> list[str]:
    """The Open Graph tags of a page that has no doctree."""
    tags = [
        meta_tag("property", "og:title", title),
        meta_tag("property", "og:type", og_type),
        meta_tag("property", "og:url", url),
        meta_tag("property", "og:site_name", site_name),
    ]
    if description:
        tags.append(meta_tag("property", "og:description", description))
        tags.append(meta_tag("name", "description", description))
    if image:
        tags.append(meta_tag("property", "og:image", image))
        tags.append(meta_tag("property", "og:image:alt", image_alt or title))
    if video:
        tags.append(meta_tag("property", "og:video", video))
    return tags


def _configure(app: Sphinx, config: Config) -> None:
    """Point sphinxext-opengraph at the site's address; no social-card images."""
    if not config.ogp_site_url:
        config.ogp_site_url = base_url(config)
    if config.ogp_social_cards is None:
        config.ogp_social_cards = {"enable": False}


@page_part("meta", "metatags")
def _steer_documents(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: dict[str, Any],
    doctree: nodes.document | None,
) -> None:
    """Before sphinxext-opengraph runs: a recap's type, description and image."""
    if doctree is None or app.builder.format != "html":
        return
    subject = classify(app.env, pagename)
    if subject.kind != "recap":
        # The home page shows its own card; other documents (the guide, credits) the
        # site's, unless conf.py names an ogp_image for every page.
        card = context.get("recaps_card") or context.get("recaps_site_card")
        fields = dict(context.get("meta") or {})
        if card and "og:image" not in fields and not app.config.ogp_image:
            fields["og:image"] = card
            fields.setdefault("og:image:alt", _card_alt(app, pagename, context))
            context["meta"] = {name: og_field(name, value) for name, value in fields.items()}
        return
    recap: RecapMeta = subject.entry
    fields = dict(context.get("meta") or {})
    fields.setdefault("og:type", "article")
    description = recap.description or first_paragraph(
        doctree, limit=app.config.ogp_description_length
    )
    if description and "description" not in str(context.get("metatags", "")):
        fields.setdefault("og:description", str(description))
        context["metatags"] += meta_tag("name", "description", str(description)) + "\n"
    image = first_image(app, pagename, doctree)
    if image is not None and "og:image" not in fields:
        fields["og:image"] = image[0]
        fields.setdefault("og:image:alt", image[1] or recap.title)
    elif context.get("recaps_card") and "og:image" not in fields:
        fields["og:image"] = context["recaps_card"]
        fields.setdefault("og:image:alt", f"{recap.title}: a recap on {_site(app)}")
    context["metatags"] += (
        meta_tag("property", "article:published_time", recap.date.isoformat()) + "\n"
    )
    for author in recap.authors:
        context["metatags"] += meta_tag("property", "article:author", author) + "\n"
    context["meta"] = {name: og_field(name, value) for name, value in fields.items()}


def og_field(name: str, value: Any) -> Any:
    """An ``og:`` value escaped for sphinxext-opengraph, which escapes only ``"``.

    Without this, a description holding ``&lt;script&gt;`` reached link previews as
    ``<script>``, and ``&#106;avascript:`` as ``javascript:``.
    """
    if name.startswith("og:") and isinstance(value, str):
        return html.escape(value, quote=False)
    return value


@page_part("metatags")
def _tag_generated_pages(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: dict[str, Any],
    doctree: nodes.document | None,
) -> None:
    """Open Graph tags for pages without a doctree, and a Twitter card for every page."""
    if app.builder.format != "html" or "metatags" not in context:
        return
    metatags = str(context["metatags"])
    has_image = 'property="og:image"' in metatags
    if doctree is None and pagename not in UTILITY_PAGES and "og:title" not in metatags:
        subject = classify(app.env, pagename)
        catalogue = get_catalogue(app.env)
        title = html.unescape(str(context.get("title", "")))
        og_type, image, video = "website", None, None
        if subject.kind == "talk":
            video = subject.entry.video
            image = video_thumbnail(video)
            if video:
                og_type = "video.other"
                ident = youtube_id(video)
                video = f"https://www.youtube-nocookie.com/embed/{ident}" if ident else video
        elif subject.kind == "speaker":
            og_type = "profile"
        image_alt = title if image else None
        if image is None:
            image = context.get("recaps_card") or site_image(app) or context.get("recaps_site_card")
            image_alt = _card_alt(app, pagename, context)
        tags = generated_page_tags(
            title=title,
            url=page_url(app.builder, pagename),
            site_name=str(app.config.ogp_site_name or app.config.project),
            og_type=og_type,
            description=description_of(catalogue, subject),
            image=image,
            image_alt=image_alt,
            video=video,
        )
        has_image = image is not None
        metatags += "\n" + "\n".join(tags) + "\n"
    card = "summary_large_image" if has_image else "summary"
    if 'name="twitter:card"' not in metatags:
        metatags += meta_tag("name", "twitter:card", card) + "\n"
    if has_image and 'name="twitter:image"' not in metatags:
        # X/Twitter falls back to og:image, but not to its alt text: say both.
        found = _OG_IMAGE.search(metatags)
        alt = _OG_IMAGE_ALT.search(metatags)
        if found:
            metatags += meta_tag("name", "twitter:image", html.unescape(found.group(1))) + "\n"
            if alt:
                text = html.unescape(alt.group(1))
                metatags += meta_tag("name", "twitter:image:alt", text) + "\n"
    context["metatags"] = metatags


_OG_IMAGE = re.compile(r'<meta property="og:image" content="([^"]*)"')
_OG_IMAGE_ALT = re.compile(r'<meta property="og:image:alt" content="([^"]*)"')


def _site(app: Sphinx) -> str:
    return str(app.config.html_title or app.config.project)


def _card_alt(app: Sphinx, pagename: str, context: dict[str, Any]) -> str:
    """What a drawn card says, for readers of link previews who cannot see it."""
    if context.get("recaps_card"):
        title = html.unescape(re.sub(r"<[^>]+>", "", str(context.get("title", ""))))
        return f"{title}, on {_site(app)}"
    return f"{_site(app)}: recaps of conferences and their talks"


def setup_opengraph(app: Sphinx) -> None:
    # sphinxext-opengraph prints a notice about matplotlib (for social cards, which this
    # site does not use) when imported; keep it off the build's output.
    with contextlib.redirect_stdout(io.StringIO()):
        app.setup_extension("sphinxext.opengraph")
    app.connect("config-inited", _configure, priority=600)
    # Before sphinxext-opengraph's handler (500), and after it for the rest.
    app.connect("html-page-context", _steer_documents, priority=450)
    app.connect("html-page-context", _tag_generated_pages, priority=550)
