"""The doctree check: links, images, downloads, meta tags, toctrees and math held to the rules,
once as each page is read and again on every resolved doctree before it is written."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms import SphinxTransform

from conference_recaps.diagnostics import Subtype, warn
from conference_recaps.security.files import confinement_problem
from conference_recaps.security.urls import (
    IMAGE_SCHEMES,
    SCRIPT_SCHEMES,
    is_safe_url,
    shorten,
    url_scheme,
)

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

META_ATTRIBUTES = frozenset({"name", "content", "property", "lang", "scheme", "media", "dir"})
"""Attributes a ``<meta>`` tag from a page may carry (not ``http-equiv`` nor ``charset``)."""


MATH_MACROS = ("href", "class", "cssId", "style", "data", "html", "bbox", "mmlToken", "require")
"""MathJax macros that make links, attributes, styles or load code: refused in math, on
top of MathJax's own safe mode (``security/math.py``)."""
_MACRO_LIST = ", ".join("\\" + macro for macro in MATH_MACROS)
_MATH_HTML = re.compile(r"\\(?:" + "|".join(MATH_MACROS) + r")(?![A-Za-z])")


def _unwrap(node: nodes.Element) -> None:
    """Replace ``node`` by a plain ``inline`` with its children: the text stays, the link goes."""
    node.replace_self(nodes.inline("", "", *node.children))


def _raw_as_text(node: nodes.raw) -> None:
    text = node.astext()
    if isinstance(node.parent, nodes.TextElement):
        node.replace_self(nodes.inline(text, text))
    else:
        block = nodes.literal_block(text, text)
        block["language"] = "text"
        block.source, block.line = node.source, node.line
        node.replace_self(block)


def _location(node: nodes.Node, docname: str) -> nodes.Node | tuple[str, int | None]:
    if node.line:
        return node
    parent = node.parent
    while parent is not None and not parent.line:
        parent = parent.parent
    return (docname, parent.line if parent is not None else None)


def check_doctree(
    doctree: nodes.Node, env: BuildEnvironment, docname: str, *, read_stage: bool
) -> None:
    """Remove or defuse whatever in ``doctree`` could run script or read outside files.

    At the read stage local image and download paths are still as written, so they are
    checked against the repository; later they have been rewritten by Sphinx, and only
    schemes are checked.
    """
    for node in list(doctree.findall(nodes.Element)):
        if isinstance(node, nodes.image):
            _check_image(node, env, docname, env.srcdir, read_stage=read_stage)
        elif isinstance(node, addnodes.download_reference):
            if read_stage:
                _check_download(node, env, docname)
        elif isinstance(node, nodes.meta):
            _check_meta(node, docname)
        elif isinstance(node, addnodes.toctree):
            _check_toctree(node, docname)
        elif isinstance(node, (nodes.math, nodes.math_block)):
            _check_math(node, docname)
        else:
            _check_markup_and_links(node, docname)


def _check_markup_and_links(node: nodes.Element, docname: str) -> None:
    if isinstance(node, nodes.raw):
        warn(
            f"raw {node.get('format', 'html')} is not allowed and is shown as text: "
            "use Markdown syntax or a directive instead",
            Subtype.unsafe,
            location=_location(node, docname),
        )
        _raw_as_text(node)
    elif isinstance(node, nodes.target) and not is_safe_url(node.get("refuri", "")):
        # Never rendered as a link itself; the references to it are warned about.
        del node["refuri"]
    elif isinstance(node, nodes.reference) and not is_safe_url(node.get("refuri", "")):
        warn(
            f"link to {shorten(node['refuri'])} removed: links may only be relative or use "
            "http, https or mailto",
            Subtype.unsafe,
            location=_location(node, docname),
        )
        _unwrap(node)
    elif (
        isinstance(node, addnodes.pending_xref)
        and url_scheme(node.get("reftarget", "")) in SCRIPT_SCHEMES
    ):
        # A Markdown link whose scheme MyST does not know becomes a cross-reference.
        warn(
            f"link to {shorten(node['reftarget'])} removed: links may only be "
            "relative or use http, https or mailto",
            Subtype.unsafe,
            location=_location(node, docname),
        )
        _unwrap(node)


def _check_download(node: addnodes.download_reference, env: BuildEnvironment, docname: str) -> None:
    target = node.get("reftarget", "")
    if url_scheme(target) is not None:
        problem = None if is_safe_url(target, IMAGE_SCHEMES) else "is not http(s)"
    else:
        problem = confinement_problem(env.relfn2path(target, docname)[1], env.srcdir)
    if problem is not None:
        warn(
            f"download of {shorten(target)} removed: the file {problem}; offer "
            "only files of the repository",
            Subtype.unsafe,
            location=_location(node, docname),
        )
        _unwrap(node)


def _check_math(node: nodes.Element, docname: str) -> None:
    text = node.astext()
    if not _MATH_HTML.search(text):
        return
    warn(
        f"math with {_MACRO_LIST} is not allowed: "
        "MathJax would turn it into links, styles and markup; it is shown as text",
        Subtype.unsafe,
        location=_location(node, docname),
    )
    node.replace_self(
        nodes.literal(text, text)
        if isinstance(node, nodes.math)
        else nodes.literal_block(text, text)
    )


def _check_image(
    node: nodes.image, env: BuildEnvironment, docname: str, srcdir: Any, *, read_stage: bool
) -> None:
    uri = node.get("uri", "")
    if url_scheme(uri) is not None or "\x00" in uri:
        problem = None if is_safe_url(uri, IMAGE_SCHEMES) else "is not an http(s) address"
    elif read_stage:
        problem = confinement_problem(env.relfn2path(uri, docname)[1], srcdir)
    else:
        return
    if problem is None:
        return
    warn(
        f"image {shorten(uri)} removed: it {problem}; use an image file of the "
        "repository or an https address",
        Subtype.unsafe,
        location=_location(node, docname),
    )
    alt = node.get("alt", "")
    node.replace_self(nodes.inline(alt, alt) if isinstance(node.parent, nodes.TextElement) else [])


def _check_meta(node: nodes.meta, docname: str) -> None:
    extra = {
        key
        for key in node.attributes
        if key not in META_ATTRIBUTES and key not in nodes.Element.basic_attributes
    }
    if not extra:
        return
    warn(
        f"<meta> with {', '.join(sorted(extra))} removed: page metadata may only set "
        "name/property and content (no http-equiv redirects)",
        Subtype.unsafe,
        location=_location(node, docname) if node.line else (docname, 1),
    )
    node.parent.remove(node)


def _check_toctree(node: addnodes.toctree, docname: str) -> None:
    entries = node.get("entries", [])
    kept = [(title, ref) for title, ref in entries if ref is None or is_safe_url(ref)]
    if len(kept) == len(entries):
        return
    for _title, ref in entries:
        if ref is not None and not is_safe_url(ref):
            warn(
                f"toctree entry {shorten(ref)} removed: links may only be relative or "
                "use http, https or mailto",
                Subtype.unsafe,
                location=_location(node, docname),
            )
    node["entries"] = kept


class SanitizeDoctree(SphinxTransform):
    """Run the checks on each page as it is read, before ``doctree-read`` collectors."""

    # Before DoctreeReadEvent (880): the image, download and title collectors must
    # only ever see checked nodes.
    default_priority = 870

    def apply(self, **kwargs: Any) -> None:
        check_doctree(self.document, self.env, self.env.docname, read_stage=True)


def _check_resolved(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    check_doctree(doctree, app.env, docname, read_stage=False)


def setup_doctree_check(app: Sphinx) -> None:
    """Check every page as it is read, and again just before it is written."""
    app.add_transform(SanitizeDoctree)
    # Late, after other extensions fill placeholders on doctree-resolved.
    app.connect("doctree-resolved", _check_resolved, priority=900)
