"""A recap's first lines and first photo, kept when it is read, for the cards that list it.

Recap cards (home page, ``/recaps/``, conference and talk pages) show the recap's opening
words and, where the recap has one, its first photo. Those come from the doctree, which
generated pages do not have, so they are recorded on ``doctree-read`` in the domain's
``excerpts`` table (cleared and merged per document like every other table). A recap's
``description`` in the front matter, when given, is its excerpt: the author chose it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from docutils import nodes

from conference_recaps.domain import get_domain, recap_meta

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

#: About two lines of a card.
EXCERPT_LENGTH = 220


@dataclass(frozen=True, slots=True)
class Excerpt:
    """What a recap card shows beside the title."""

    text: str
    #: The first photo's path in the source tree (a key of ``env.images``) and its alt.
    image: str | None = None
    image_alt: str = ""


def shorten(text: str, limit: int = EXCERPT_LENGTH) -> str:
    """``text`` on one line, cut at a word boundary with an ellipsis when too long."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:.-")
    return cut + "…"


def _in_header(node: nodes.Node) -> bool:
    parent = node.parent
    while parent is not None:
        if isinstance(parent, nodes.Element) and "recaps-header" in parent["classes"]:
            return True
        parent = parent.parent
    return False


def excerpt_of(doctree: nodes.document, description: str | None) -> Excerpt:
    """The excerpt of a recap's doctree: its description, or its first paragraph."""
    text = description or ""
    if not text:
        for paragraph in doctree.findall(nodes.paragraph):
            if _in_header(paragraph) or isinstance(paragraph.parent, nodes.caption):
                continue
            if found := " ".join(paragraph.astext().split()):
                text = found
                break
    image, alt = None, ""
    for node in doctree.findall(nodes.image):
        candidate = node.get("candidates", {}).get("*")
        if candidate and "://" not in candidate:
            image, alt = str(candidate), str(node.get("alt", ""))
            break
    return Excerpt(shorten(text), image, alt)


def image_path(env: BuildEnvironment, excerpt: Excerpt | None) -> str | None:
    """The excerpt's photo in the output (``_images/<name>``), relative to the site root."""
    if excerpt is None or excerpt.image is None or excerpt.image not in env.images:
        return None
    return f"_images/{env.images[excerpt.image][1]}"


def _record(app: Sphinx, doctree: nodes.document) -> None:
    env = app.env
    meta = recap_meta(env, env.docname)
    if meta is None:
        return
    description = getattr(meta, "description", None)
    excerpt = excerpt_of(doctree, str(description) if description else None)
    get_domain(env).table("excerpts")[env.docname] = excerpt


def setup_excerpts(app: Sphinx) -> None:
    # After Sphinx's image collector (500), which fills each image's candidates.
    app.connect("doctree-read", _record, priority=600)
