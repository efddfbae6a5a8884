"""Photos with their credits, each recap's credits section, and the site-wide credits page.

MyST Markdown::

    :::{photo} images/opening-reception.jpg
    :alt: Attendees at the opening reception
    :credit: Bartek Pawlik
    :credit-url: https://example.org/photographer
    :license: CC BY-SA 4.0
    Opening reception on the lawn.
    :::

The path is relative to the page (or, starting with ``/``, to the site root) and must
stay inside the repository; the image is a docutils ``image`` in a ``figure``, so Sphinx
copies it to the output like any image. It is lazy-loaded and scales to the screen.

Each page with photos ends with a "Photo credits" section listing them, and a page that
holds the ``photo-credits`` directive lists every photo of the site by photographer. That
list is filled in when the page is written, from the credits in the domain, and the page
is rewritten whenever a credit anywhere changes.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.transforms import SphinxTransform
from sphinx.util.nodes import make_id

from conference_recaps.catalogue.lifecycle import REASON_TEXT
from conference_recaps.catalogue.model import WithdrawalReason
from conference_recaps.diagnostics import Subtype
from conference_recaps.directives.base import RecapsDirective
from conference_recaps.domain import PhotoCredit, get_domain, note_photo, photo_credits
from conference_recaps.urls import safe_url

if TYPE_CHECKING:
    from docutils.nodes import Node
    from sphinx.application import Sphinx

#: Raster formats only: an SVG opened from the site's own address could run script.
IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif"})


class photo_credits_list(nodes.General, nodes.Element):  # type: ignore[misc]
    """Placeholder for the site-wide list of photo credits, filled when written."""


def credit_nodes(credit: str, credit_url: str | None, license_: str | None) -> list[Node]:
    """``Bartek Pawlik`` (linked when a URL is given), then the license if any."""
    name: Node = (
        nodes.reference("", credit, refuri=credit_url, classes=["recaps-credit-name"])
        if credit_url
        else nodes.inline("", credit, classes=["recaps-credit-name"])
    )
    result: list[Node] = [name]
    if license_:
        result += [
            nodes.Text(", "),
            nodes.inline("", license_, classes=["recaps-credit-license"]),
        ]
    return result


class Photo(RecapsDirective):
    """An image with its alt text and the photographer's credit, and an optional caption."""

    required_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec: ClassVar[dict[str, object]] = {
        "alt": directives.unchanged,
        "credit": directives.unchanged,
        "credit-url": directives.unchanged,
        "license": directives.unchanged,
        "class": directives.class_option,
        "withdrawn": directives.unchanged,
    }
    option_help: ClassVar[dict[str, str]] = {
        "withdrawn": (
            "Takes the photo down: ``speaker-request``, ``legal`` or ``duplicate``. Only a "
            "short notice is shown; no image, caption or credit (delete the image file too)."
        ),
        "alt": "Required. What the photo shows, for people who cannot see it.",
        "credit": "Required. Who took the photo.",
        "credit-url": "The photographer's page (an ``http://`` or ``https://`` URL).",
        "license": "The photo's license, e.g. ``CC BY-SA 4.0``.",
        "class": "Further CSS classes for the figure.",
    }
    argument_help = (
        "The image file (JPEG, PNG, GIF, WebP or AVIF), relative to the page, or to the "
        "site root when it starts with ``/``."
    )
    content_help = "Optional caption (Markdown in a ``.md`` page)."

    def _image_path(self) -> str | None:
        """The image's site-relative path, or None after a warning."""
        given = self.arguments[0].strip()
        if "://" in given or given.lower().startswith(("data:", "javascript:")) or "*" in given:
            self.warn(
                f"photo {given!r}: give the path of an image file in the repository, "
                "relative to this page",
                Subtype.photo,
            )
            return None
        if Path(given).suffix.lower() not in IMAGE_SUFFIXES:
            self.warn(
                f"photo {given!r}: not a photo file; use one of "
                + ", ".join(sorted(IMAGE_SUFFIXES)),
                Subtype.photo,
            )
            return None
        relative, absolute = self.env.relfn2path(given, self.env.current_document.docname)
        srcdir = Path(self.env.srcdir).resolve()
        resolved = Path(absolute).resolve()
        if not resolved.is_relative_to(srcdir):
            self.warn(
                f"photo {given!r} is outside the repository: keep images inside it",
                Subtype.unsafe,
            )
            return None
        if not resolved.is_file():
            self.warn(
                f"photo {given!r}: image file not found (looked for {relative}); check the "
                "path, which is relative to this page",
                Subtype.photo,
            )
            return None
        return Path(relative).as_posix()

    def _withdrawn(self, reason: str) -> list[Node]:
        """A notice in place of a withdrawn photo: nothing of the image, caption or credit."""
        reasons = [r.value for r in WithdrawalReason]
        if reason not in reasons:
            self.warn(
                f"photo :withdrawn: {reason!r} is not a reason; use one of {', '.join(reasons)}",
                Subtype.option,
            )
            reason = WithdrawalReason.legal.value  # still taken down: never shown by mistake
        notice = nodes.paragraph(
            "",
            f"A photo was withdrawn here {REASON_TEXT[WithdrawalReason(reason)]}.",
            classes=["recaps-withdrawn-photo"],
        )
        self.set_source_info(notice)
        return [notice]

    def run(self) -> list[Node]:
        if "withdrawn" in self.options:
            return self._withdrawn((self.options["withdrawn"] or "").strip())
        image_path = self._image_path()
        alt = self.text_option("alt")
        credit = self.text_option("credit")
        for name, value, why in (
            ("alt", alt, "describe what the photo shows"),
            ("credit", credit, "name the photographer"),
        ):
            if value is None:
                self.warn(f"photo without :{name}: ({why})", Subtype.photo)
        raw_url = self.text_option("credit-url")
        credit_url = safe_url(raw_url)
        if raw_url is not None and credit_url is None:
            self.warn(
                f"photo :credit-url: {raw_url!r} is not an http:// or https:// URL; "
                "the credit is shown without a link",
                Subtype.photo,
            )
        if image_path is None or alt is None or credit is None:
            return []
        license_ = self.text_option("license")

        figure = nodes.figure("", classes=["recaps-photo", *self.options.get("class", [])])
        self.set_source_info(figure)
        anchor = make_id(self.env, self.state.document, "photo", Path(image_path).stem)
        figure["ids"].append(anchor)
        self.state.document.note_explicit_target(figure)
        image = nodes.image(
            self.block_text, uri="/" + image_path, alt=alt, loading="lazy", classes=[]
        )
        self.set_source_info(image)
        figure += image

        body = self.parse_content_to_nodes() if self.content else []
        caption = nodes.caption("", "")
        self.set_source_info(caption)
        if body and isinstance(body[0], nodes.paragraph):
            caption.extend(body.pop(0).children)
            caption += nodes.Text(" ")
        credit_line = nodes.inline("", "", classes=["recaps-photo-credit"])
        credit_line += nodes.Text("Photo: ")
        credit_line.extend(credit_nodes(credit, credit_url, license_))
        caption += credit_line
        figure += caption
        if body:
            figure += nodes.legend("", *body)

        note_photo(
            self.env,
            PhotoCredit(
                docname=self.env.current_document.docname,
                anchor=anchor,
                image=image_path,
                alt=alt,
                credit=credit,
                credit_url=credit_url,
                license=license_,
            ),
        )
        return [figure]


class CreditsSection(SphinxTransform):
    """Ends each page that has photos with a "Photo credits" section listing them."""

    # Before DoctreeReadEvent (880), so the section is in the page's table of contents.
    default_priority = 850

    def apply(self, **kwargs: object) -> None:
        docname = self.env.current_document.docname
        credits = get_domain(self.env).table("photos").get(docname)
        if not credits:
            return
        sections = [n for n in self.document.children if isinstance(n, nodes.section)]
        parent: nodes.Element = sections[0] if sections else self.document
        section = nodes.section(classes=["recaps-credits"])
        section["ids"].append(make_id(self.env, self.document, "", "photo-credits"))
        section["names"].append("photo credits")
        section += nodes.title("", "Photo credits")
        items = nodes.bullet_list()
        for credit in credits:
            paragraph = nodes.paragraph()
            paragraph += nodes.reference("", credit.alt, refid=credit.anchor, internal=True)
            paragraph += nodes.Text(": ")
            paragraph.extend(credit_nodes(credit.credit, credit.credit_url, credit.license))
            items += nodes.list_item("", paragraph)
        section += items
        parent += section
        self.document.note_implicit_target(section)


class PhotoCreditsPage(RecapsDirective):
    """Every photo of the site, grouped by photographer (filled in when written)."""

    has_content = False
    option_spec: ClassVar[dict[str, object]] = {}

    def run(self) -> list[Node]:
        get_domain(self.env).table("credit_pages")[self.env.current_document.docname] = True
        node = photo_credits_list()
        self.set_source_info(node)
        return [node]


def fill_credit_pages(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Replace each ``photo-credits`` placeholder with the credits, by photographer."""
    placeholders = list(doctree.findall(photo_credits_list))
    if not placeholders:
        return
    env = app.env
    by_name = sorted(photo_credits(env), key=lambda c: (c.credit.casefold(), c.credit))
    for placeholder in placeholders:
        if not by_name:
            placeholder.replace_self(
                nodes.paragraph("", "No photos yet.", classes=["recaps-credits-empty"])
            )
            continue
        listing = nodes.definition_list(classes=["recaps-credits-list"])
        for name, group in itertools.groupby(by_name, key=lambda c: c.credit):
            photos = list(group)
            urls = sorted({p.credit_url for p in photos if p.credit_url})
            term = nodes.term()
            term.extend(credit_nodes(name, urls[0] if len(urls) == 1 else None, None))
            items = nodes.bullet_list()
            for photo in photos:
                paragraph = nodes.paragraph()
                uri = app.builder.get_relative_uri(docname, photo.docname) + "#" + photo.anchor
                paragraph += nodes.reference("", photo.alt, refuri=uri, internal=True)
                title = env.titles.get(photo.docname)
                if title is not None:
                    paragraph += nodes.Text(", in ")
                    paragraph += nodes.emphasis("", title.astext())
                if photo.license:
                    paragraph += nodes.Text(f" ({photo.license})")
                items += nodes.list_item("", paragraph)
            listing += nodes.definition_list_item("", term, nodes.definition("", items))
        placeholder.replace_self(listing)


def _skip(self: nodes.NodeVisitor, node: nodes.Element) -> None:
    raise nodes.SkipNode


def setup_photos(app: Sphinx) -> None:
    app.add_directive("photo", Photo)
    app.add_directive("photo-credits", PhotoCreditsPage)
    app.add_transform(CreditsSection)
    skip = (_skip, None)
    app.add_node(photo_credits_list, html=skip, latex=skip, text=skip, man=skip, texinfo=skip)
    app.connect("doctree-resolved", fill_credit_pages)
