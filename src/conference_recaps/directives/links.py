"""Links to the pages the site generates for each talk, speaker and conference.

A card or role does not know, while it is read, whether the page it links to will
exist: the talk, speaker and conference pages (``/talks/<talk-id>/``,
``/speakers/<id>/``, ``/conferences/<id>/``) are made by another part of the extension.
So it puts a :class:`catalogue_link` node in the doctree, and when the page is written
(``doctree-resolved``) each node becomes a link if its target page exists, or plain
text (or nothing, for "talk page" links) if it does not: never a broken link.

A target page exists when its docname (``talks/<talk-id>`` and so on) is a document of
the project, or when a handler of the ``recaps-page-exists`` event returns True for
``(kind, id)``. The part that generates the pages connects such a handler::

    app.connect("recaps-page-exists", lambda app, kind, ident: kind in {"talk", ...})

The URLs themselves are :mod:`conference_recaps.urls`'s.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes

from conference_recaps.urls import PageKind, catalogue_page

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment

PAGE_EXISTS_EVENT = "recaps-page-exists"


class catalogue_link(nodes.Inline, nodes.TextElement):  # type: ignore[misc]
    """A link to a talk's, speaker's or conference's page, resolved when written.

    Attributes: ``recaps_kind``, ``recaps_id``, and ``recaps_optional`` (drop the node
    entirely, rather than keep its text, when the page does not exist).
    """


def page_exists(app: Sphinx, env: BuildEnvironment, kind: str, ident: str) -> bool:
    """Whether the site has a page for this entry (a document or a generated page)."""
    if catalogue_page(kind, ident) in env.all_docs:
        return True
    return bool(app.emit_firstresult(PAGE_EXISTS_EVENT, kind, ident))


def catalogue_url(builder: Builder, fromdocname: str, kind: str, ident: str) -> str:
    """The URL of an entry's page, relative to the page ``fromdocname`` is written to."""
    return builder.get_relative_uri(fromdocname, catalogue_page(kind, ident))


def make_link(
    kind: PageKind,
    ident: str,
    *children: nodes.Node,
    classes: list[str] | None = None,
    optional: bool = False,
) -> catalogue_link:
    return catalogue_link(
        "",
        "",
        *children,
        recaps_kind=kind,
        recaps_id=ident,
        recaps_optional=optional,
        classes=[f"recaps-{kind}-link", *(classes or [])],
    )


def resolve_links(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Turn each :class:`catalogue_link` into a link, or into text if there is no page."""
    env = app.env
    for node in list(doctree.findall(catalogue_link)):
        kind, ident = node["recaps_kind"], node["recaps_id"]
        replacement: nodes.Node | None
        if page_exists(app, env, kind, ident):
            replacement = nodes.reference(
                "",
                "",
                *node.children,
                internal=True,
                refuri=catalogue_url(app.builder, docname, kind, ident),
                classes=node["classes"],
            )
        elif node["recaps_optional"]:
            replacement = None
        else:
            replacement = nodes.inline("", "", *node.children, classes=node["classes"])
        if replacement is None:
            parent = node.parent
            parent.remove(node)
            if not parent.children and "recaps-card-links" in parent["classes"]:
                parent.parent.remove(parent)
        else:
            node.replace_self(replacement)


def _visit_unresolved(self: nodes.NodeVisitor, node: nodes.Element) -> None:
    """Builders that skip ``doctree-resolved`` (none of Sphinx's own) see the text only."""


def _depart_unresolved(self: nodes.NodeVisitor, node: nodes.Element) -> None:
    pass


def setup_links(app: Sphinx) -> None:
    app.add_event(PAGE_EXISTS_EVENT)
    passthrough = (_visit_unresolved, _depart_unresolved)
    app.add_node(
        catalogue_link,
        html=passthrough,
        latex=passthrough,
        text=passthrough,
        man=passthrough,
        texinfo=passthrough,
    )
    # Early, so later doctree-resolved handlers (generated pages) see plain references.
    app.connect("doctree-resolved", resolve_links, priority=400)
