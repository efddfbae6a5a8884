"""Generated pages written into the theme's frame, rendered once per kind of page.

Sphinx's ``handle_page`` themes a page by running every ``html-page-context`` handler
and rendering the theme's ``page.html``: 20-30 ms of CPU a page, 68 % of a pyvideo.org
build, nearly all of it the same for every talk. So a generated page is written as a
*frame*, the theme's page rendered once per kind of page with placeholder tokens where
the page's own parts go, into which each page's parts are put by substitution, as the
sidebar's marks already are (``pages/navigation.py``).

What a page's own parts are:

- its context from :meth:`~.generate.Renderer.context`: title, body, metatags, previous
  and next;
- what the *page-part* handlers set (:mod:`conference_recaps.page_parts`): Open Graph,
  JSON-LD, breadcrumbs, feed and calendar links, the search marks, the sidebar. They run
  for each page alone, in Sphinx's order, on the context ``handle_page`` would give them;
- the components of its name after the first (``talks/<conference>/<slug>``): the
  frame is rendered for a made-up name of the same depth.

A frame's key is everything else its output may depend on: the layout, the family, the
name's first component and depth, the theme's sidebars for that name, what the page
loads (:meth:`~conference_recaps.pages.PageBuild.frame_traits`), and for each part
whether it is text (a placeholder) or which constant it is (``None``, ``""``, absent).

How a frame is made sure of, before any page is written with it:

1. It is rendered twice by ``handle_page`` itself, with two sets of tokens, the second
   followed by a probe (``&``, quotes, tags, a double space, capitals). The text between
   the tokens must be the same in both, or the output depends on a part in a way that a
   substitution cannot reproduce.
2. Each place a part appears is matched, by its probe, to the filter the template
   applied there (none, ``|e``, ``|striptags|e``, ``|striptags``); a place that matches
   none makes the kind go through ``handle_page``.
3. The first page of each kind is written by ``handle_page``; the frame is rendered when
   a second page of the kind comes (so a rebuild that writes a few pages of different
   kinds costs what it did) and must give the first page byte for byte, or every page
   of the kind goes through ``handle_page``.

What the page-part handlers log for a page is said once, whichever way it is written;
a frame whose rendering logs a warning is not used.

Pages this cannot vouch for go through ``handle_page`` as before, rather than guessing:
a name with a component that escaping could change or that is ``index`` (``dirhtml``
gives it another URL), or one that is a folder of a Sphinx document; a family whose
context sets theme names other than ``metatags`` (redirects); a part that is neither
text nor a constant; a page-part handler that returns a template or sets a key it did
not declare; any ``html-page-context`` handler from a module not known to depend only on
the kind of page (:data:`FRAME_SAFE_MODULES`); an output encoding other than UTF-8.
"""

from __future__ import annotations

import codecs
import posixpath
import re
import tempfile
from dataclasses import dataclass
from logging import WARNING
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup, escape
from sphinx.locale import __
from sphinx.util import logging
from sphinx.util.osutil import SEP, ensuredir, relative_uri

from conference_recaps.page_parts import FRAME_MARK, page_part_keys

if TYPE_CHECKING:
    from collections.abc import Callable, Hashable

    from sphinx.application import Sphinx
    from sphinx.builders.html import StandaloneHTMLBuilder

    from conference_recaps.pages.generate import Page, Renderer


logger = logging.getLogger(__name__)

#: Off only in the test that compares every page with the ``handle_page`` path.
ENABLED = True

#: ``html-page-context`` handlers that may run once per frame: Sphinx's resource paths and
#: MathJax (nothing without a doctree), the themes' (alabaster's sets constants),
#: sphinxext-opengraph's (it skips pages without a doctree), sphinx-notfound-page's (it acts
#: on the 404 document alone), and the package's own (those that depend on the page are
#: page parts).
FRAME_SAFE_MODULES = (
    "sphinx.builders.html",
    "sphinx.ext.mathjax",
    "alabaster",
    "pydata_sphinx_theme",
    "sphinx_book_theme",
    "sphinxext.opengraph",
    "notfound.extension",
    "conference_recaps.",
)
#: What ``Renderer.context`` sets per page, besides previous and next.
OWN_KEYS = ("title", "body", "metatags")
NEIGHBOURS = ("prev", "next")
#: What ``Renderer.context`` sets to the same value for every page of a family.
CONSTANT_KEYS = frozenset(
    {"display_toc", "toc", "meta", "sourcename", "rellinks", "parents", "recaps_page_family"}
    | set(NEIGHBOURS)
)
#: Parts holding HTML-escaped text, probed with escaped text (they never hold tags).
ESCAPED_TEXT = frozenset({"title", "prev.title", "next.title"})
#: A name component that reads the same escaped for HTML, URLs, JSON and JavaScript.
SAFE_COMPONENT = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")
TOKEN = re.compile(r"zqfrm(\d{3})([ab])q")
TEXT_PROBE = " Aa &amp; &lt;i&gt;x&lt;/i&gt; &#x27;q&#x27; &quot;d&quot;  \u00e9" + " Word" * 60
MARKUP_PROBE = ' Aa &amp; <i class="p">x</i> \'q\' "d"  \u00e9' + " Word" * 60

#: The filters a theme applies to a value it prints, as Jinja applies them.
FILTERS: dict[str, Callable[[str], str]] = {
    "raw": str,
    "escape": lambda value: str(escape(value)),
    "striptags_escape": lambda value: str(escape(Markup(value).striptags())),
    "striptags": lambda value: str(Markup(value).striptags()),
}

_MISSING = object()


def token(index: int, variant: str) -> str:
    return f"zqfrm{index:03d}{variant}q"


@dataclass(frozen=True, slots=True)
class Frame:
    """A rendered frame: the text between the parts, and each part's name and filter."""

    pieces: tuple[str, ...]
    places: tuple[tuple[str, str], ...]

    def fill(self, values: dict[str, Any]) -> str:
        out = [self.pieces[0]]
        for (part, how), piece in zip(self.places, self.pieces[1:], strict=True):
            out.append(FILTERS[how](values[part]))
            out.append(piece)
        return "".join(out)


@dataclass(frozen=True, slots=True)
class _First:
    """A kind's first page, written by handle_page: what its frame is checked against."""

    name: str
    values: dict[str, Any]


@dataclass
class _Mark:
    """The frame being rendered, as the page-part handlers see it (``page_parts.FrameMark``)."""

    page: str
    values: dict[str, Any]

    def fill(self, context: dict[str, Any], keys: tuple[str, ...]) -> None:
        for key in keys:
            value = self.values.get(key, _MISSING)
            if value is _MISSING:
                context.pop(key, None)
            else:
                context[key] = _fresh(value)


def _fresh(value: Any) -> Any:
    """A constant as a new object, so a handler that changes it changes no other page's."""
    return value.copy() if isinstance(value, dict | list) else value


class Frames:
    """Writes generated pages through frames, for one builder in one process."""

    def __init__(self, app: Sphinx, renderer: Renderer, traits: Callable[[str], Hashable]) -> None:
        self.app = app
        self.builder: StandaloneHTMLBuilder = renderer.builder
        self.renderer = renderer
        self.traits = traits
        self.encoding = str(self.builder.config.html_output_encoding)
        listeners = sorted(app.events.listeners["html-page-context"], key=attrgetter("priority"))
        self.parts: list[tuple[Callable[..., Any], tuple[str, ...]]] = []
        self.usable = codecs.lookup(self.encoding).name == "utf-8"
        for listener in listeners:
            keys = page_part_keys(listener.handler)
            if keys is not None:
                self.parts.append((listener.handler, keys))
            elif not str(getattr(listener.handler, "__module__", "")).startswith(
                FRAME_SAFE_MODULES
            ):
                self.usable = False
        self.declared = frozenset(OWN_KEYS).union(*(keys for _h, keys in self.parts))
        self.folders = _folders(self.builder)
        #: None: the kind is written through handle_page.
        self.frames: dict[Hashable, Frame | _First | None] = {}
        #: Page names written through a frame (for the tests).
        self.framed: list[str] = []

    def write(self, page: Page) -> None:
        """Write the page through its kind's frame, or through ``handle_page``."""
        if not self.usable:
            self._reference(page)
            return
        # What the page-part handlers log is said once: kept when the page is written
        # through a frame, dropped when handle_page is to run them again.
        with logging.pending_logging() as pending:
            found = self._parts(page)
            frame = self._frame_of(page, *found) if found is not None else None
            if frame is None:
                pending.clear()
        if found is None:
            self._reference(page)
            return
        key, values = found
        if frame is not None:
            self.write_framed(page, frame.fill(values))
            return
        self._reference(page)
        if key not in self.frames:
            # The kind's first page: a frame is made only if a second page comes, and
            # checked against this page as handle_page wrote it.
            self.frames[key] = _First(page.name, values)

    def write_framed(self, page: Page, output: str) -> None:
        """Write the file as ``handle_page`` does."""
        path = Path(self.builder.get_output_path(page.name))
        ensuredir(path.parent)
        try:
            path.write_text(output, encoding=self.encoding, errors="xmlcharrefreplace")
        except OSError as err:
            logger.warning(__("error writing file %s: %s"), path, err)
        self.framed.append(page.name)

    def _reference(self, page: Page) -> None:
        self.builder.handle_page(page.name, self.renderer.context(page), page.context.layout)

    # -- a page's own parts ---------------------------------------------------------

    def _parts(self, page: Page) -> tuple[Hashable, dict[str, Any]] | None:
        """The frame's key and the page's parts, or None when the page needs handle_page."""
        components = page.name.split(SEP)
        if len(components) < 2 or not self._substitutable(components):
            return None
        addctx = self.renderer.context(page)
        if set(addctx) - CONSTANT_KEYS - self.declared:
            return None  # a family's theme names (a redirect's target) vary per page
        context = self._context(page.name, addctx)
        before = dict(context)
        for handler, _keys in self.parts:
            if handler(self.app, page.name, page.context.layout, context, None) is not None:
                return None  # a handler chose another template for this page
        changed = {
            key
            for key in before.keys() | context.keys()
            if before.get(key, _MISSING) is not context.get(key, _MISSING)
        }
        if changed - self.declared:
            return None
        values: dict[str, Any] = {key: context.get(key, _MISSING) for key in self.declared}
        for key in NEIGHBOURS:
            neighbour = context.get(key)
            if isinstance(neighbour, dict) and set(neighbour) == {"link", "title"}:
                values[f"{key}.link"] = neighbour["link"]
                values[f"{key}.title"] = neighbour["title"]
            elif neighbour is not None:
                return None
        for index, component in enumerate(components[1:], start=1):
            values[f"path/{index}"] = component
        kinds = []
        for name in sorted(values):
            kind = _kind(values[name])
            if kind is None:
                return None
            kinds.append((name, kind))
        frame_key = (
            page.context.layout,
            page.family,
            components[0],
            len(components),
            self.builder._get_sidebars(page.name),
            self.traits(page.name),
            tuple(kinds),
        )
        return frame_key, values

    def _substitutable(self, components: list[str]) -> bool:
        """Whether the name's components after the first can be placeholders."""
        for index, component in enumerate(components[1:], start=1):
            if component == "index" or not SAFE_COMPONENT.fullmatch(component):
                return False
            # Links from the page to a document inside its folders depend on the names.
            if SEP.join(components[: index + 1]) in self.folders:
                return False
        return True

    def _context(self, pagename: str, addctx: dict[str, Any]) -> dict[str, Any]:
        """The context ``handle_page`` gives the handlers (sphinx/builders/html)."""
        builder = self.builder
        ctx = builder.globalcontext.copy()
        ctx["pagename"] = ctx["current_page_name"] = pagename
        ctx["encoding"] = self.encoding
        default_baseuri = builder.get_target_uri(pagename).rsplit("#", 1)[0]
        baseurl = builder.config.html_baseurl
        ctx["pageurl"] = (
            posixpath.join(baseurl, builder.get_target_uri(pagename)) if baseurl else None
        )

        def pathto(otheruri: str, resource: bool = False, baseuri: str = default_baseuri) -> str:
            if resource and "://" in otheruri:
                return otheruri
            if not resource:
                otheruri = builder.get_target_uri(otheruri)
            uri = relative_uri(baseuri, otheruri) or "#"
            if uri == "#" and not builder.allow_sharp_as_current_path:
                uri = baseuri
            return uri

        ctx["pathto"] = pathto
        ctx["sidebars"] = list(builder._get_sidebars(pagename))
        ctx.update({k: _fresh(v) for k, v in addctx.items()})
        ctx["content_root"] = (f"..{SEP}" * default_baseuri.count(SEP)) or f".{SEP}"
        return ctx

    # -- a kind's frame -------------------------------------------------------------

    def _frame_of(self, page: Page, key: Hashable, values: dict[str, Any]) -> Frame | None:
        """The frame of the page's kind; None if there is none, or none yet."""
        found = self.frames.get(key)
        if isinstance(found, _First):
            found = self.frames[key] = self._frame(page, values, found)
        return found

    def _frame(self, page: Page, values: dict[str, Any], first_page: _First) -> Frame | None:
        """Render and check the frame of this page's kind, against its first page."""
        names = sorted(n for n, v in values.items() if _kind(v) in ("str", "Markup"))
        first = page.name.split(SEP)[0]
        renders = []
        # A frame that makes anything warn is not trusted (and says nothing).
        with logging.suppress_logging() as quiet:
            for variant in "ab":
                tokens = {}
                for index, name in enumerate(names):
                    text = token(index, variant)
                    if variant == "b" and not name.startswith("path/"):
                        text += TEXT_PROBE if name in ESCAPED_TEXT else MARKUP_PROBE
                    tokens[name] = type(values[name])(text)
                renders.append(self._render(page, values, tokens, first))
        first_render, probed = renders
        if first_render is None or probed is None:
            return None
        if any(record.levelno >= WARNING for record in quiet.buffer):
            return None
        frame = _split(first_render, probed, names, tokens)
        if frame is None:
            return None
        path = Path(self.builder.get_output_path(first_page.name))
        if not path.is_file() or frame.fill(first_page.values) != path.read_text("utf-8"):
            logger.debug("[recaps] the frame of %s differs from its page", first_page.name)
            return None
        return frame

    def _render(
        self, page: Page, values: dict[str, Any], tokens: dict[str, Any], first: str
    ) -> str | None:
        """``handle_page`` with the kind's constants and the tokens in place of the parts."""
        depth = len(page.name.split(SEP))
        pagename = SEP.join([first, *(tokens[f"path/{i}"] for i in range(1, depth))])
        if self.builder._get_sidebars(pagename) != self.builder._get_sidebars(page.name):
            return None
        frame_values = {
            name: tokens.get(name, value) for name, value in values.items() if "/" not in name
        }
        addctx = self.renderer.context(page)
        for name in self.declared:
            value = frame_values[name]
            if value is _MISSING:
                addctx.pop(name, None)
            else:
                addctx[name] = _fresh(value)
        for key in NEIGHBOURS:
            addctx[key] = (
                None
                if f"{key}.link" not in values
                else {"link": frame_values[f"{key}.link"], "title": frame_values[f"{key}.title"]}
            )
        addctx[FRAME_MARK] = _Mark(page.name, frame_values)
        with tempfile.TemporaryDirectory() as folder:
            out = Path(folder) / "frame.html"
            self.builder.handle_page(pagename, addctx, page.context.layout, outfilename=out)
            if not out.is_file():
                return None
            return out.read_text(encoding="utf-8")


def _kind(value: Any) -> str | None:
    """How a part enters the key: text to substitute, or a constant by its repr."""
    if value is _MISSING:
        return "missing"
    if type(value) in (str, Markup) and value:
        return type(value).__name__
    if not value and isinstance(value, str | dict | list | tuple | type(None) | bool | int):
        return f"constant {type(value).__name__} {value!r}"
    return None


def _split(first: str, probed: str, names: list[str], tokens: dict[str, Any]) -> Frame | None:
    """The frame's pieces and each place's filter, from the two renders; None if unsure."""
    cut = TOKEN.split(first)
    pieces = cut[0::3]
    places_index = [int(i) for i in cut[1::3]]
    if any(v != "a" for v in cut[2::3]) or any(i >= len(names) for i in places_index):
        return None
    if any(not piece for piece in pieces[1:-1]):
        return None  # two parts side by side: the probe could not tell where each ends
    if not probed.startswith(pieces[0]):
        return None
    position = len(pieces[0])
    places = []
    for number, index in enumerate(places_index):
        piece = pieces[number + 1]
        if number + 1 == len(places_index):
            end = len(probed) - len(piece)
            if not probed.endswith(piece) or end < position:
                return None
        else:
            end = probed.find(piece, position)
            if end < 0:
                return None
        shown = probed[position:end]
        position = end + len(piece)
        name = names[index]
        how = next((h for h, f in FILTERS.items() if f(tokens[name]) == shown), None)
        if how is None:
            return None
        places.append((name, how))
    if position != len(probed):
        return None
    return Frame(tuple(pieces), tuple(places))


def _folders(builder: StandaloneHTMLBuilder) -> frozenset[str]:
    """Every document's name and the folders above it."""
    found: set[str] = set()
    for docname in builder.env.all_docs:
        parts = docname.split(SEP)
        found.update(SEP.join(parts[:i]) for i in range(1, len(parts) + 1))
    return frozenset(found)
