"""A talk's abstract as safe HTML: :func:`render_abstract` is what every page calls.

An abstract in the catalogue is Markdown (CommonMark, no raw HTML): paragraphs, lists,
emphasis, inline code, code blocks and links. Hand-written plain text reads the same.
The importer converts pyvideo's reStructuredText and HTML descriptions to this form
once, at import (:mod:`conference_recaps.importers.text`), so a build never runs
docutils over 21,000 descriptions.

How it is shown:

- markdown-it-py parses the text with raw HTML off; the output is then written here
  from the syntax tree, node type by node type, with every text escaped, and bare
  ``http(s)://`` and ``www.`` URLs in it made links. (linkify-it-py found the same
  URLs but tripled the parsing time: 3 ms an abstract, a minute on 21,000 talk pages.)
  A node type not listed below is shown as its escaped text, so no contributor's text
  can put markup, script or an active link into the site, whatever markdown-it-py does.
- Links are kept only for ``http``, ``https`` and ``mailto`` targets, and carry
  ``rel="nofollow ugc noopener"``: the text is the contributor's, not the site's.
  Images become their alt text (no remote image loads from a contributor's text).
- Headings in an abstract become ``h3``/``h4`` (the page's "Abstract" heading is ``h2``).
- The recording channel's boilerplate is not shown: the title and speaker repeated as
  the first line, "Follow us" lines and the links under them, intro music, captioning
  and video production credits, subscribe prompts. Only whole lines that match these
  patterns are hidden; the catalogue's text itself is never rewritten.

Why hand-written and not markdown-it's own renderer: its HTML renderer is correct but
adds attributes only through rule overrides, and its output for a node type a later
plugin adds would be trusted as is. Writing the few node types an abstract needs keeps
the whitelist in one place.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode
from markupsafe import Markup, escape

if TYPE_CHECKING:
    from collections.abc import Iterable

#: ``rel`` of every link an abstract holds: user content, not endorsed, no opener.
LINK_REL = "nofollow ugc noopener"
_LINK_SCHEMES = ("http:", "https:", "mailto:")


@functools.cache
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "typographer": False})


#: A bare URL in text: up to whitespace or a character that cannot end one; trailing
#: punctuation and an unbalanced closing bracket are left out (see :func:`_url_end`).
_BARE_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"'`{}|\\^]+", re.IGNORECASE)
_TRAILING = ".,;:!?*_~'\""


def _url_end(url: str) -> str:
    """The URL without the sentence's punctuation after it (and a ``)`` it does not open)."""
    while url:
        last = url[-1]
        if last in _TRAILING or (last == ")" and url.count(")") > url.count("(")):
            url = url[:-1]
        else:
            break
    return url


def _linkify(text: str, out: list[str]) -> None:
    """Escaped ``text`` with its bare URLs made links."""
    position = 0
    for match in _BARE_URL.finditer(text):
        url = _url_end(match.group(0))
        if len(url) <= len("https://") or "." not in url:
            continue
        start = match.start()
        out.append(escape(text[position:start]))
        href = url if url.lower().startswith("http") else "http://" + url
        out.append(f'<a class="reference external" href="{escape(href)}" rel="{LINK_REL}">')
        out.append(f"{escape(url)}</a>")
        position = start + len(url)
    out.append(escape(text[position:]))


# -- Boilerplate ------------------------------------------------------------------------
# Lines recording channels append to every video description. Each pattern matches a
# whole line (stripped); the lines are hidden, not deleted from the catalogue.
_BOILERPLATE_LINE = re.compile(
    r"""^(?:
        (?:intro|outro|background)\s+music\b.*
      | music\s*(?:by)?\s*:.*
      | (?:closed\s+)?(?:captions?|captioning|subtitles?)\s+(?:provided\s+)?by\b.*
      | video\s+(?:production|editing|recording|post-?production)\s*(?:by\b|:).*
      | \**video\s+editing\**\s*:.*
      | \**tools\**\s*:\s*blender.*
      | produced\s+by\s+(?:ndv|next\s+day\s+video)\b.*
      | (?:click\s+here\s+to\s+|please\s+)?(?:like\s+and\s+)?subscribe\s+to\s+(?:our|the)\b.*
      | follow\b.{0,60}(?:👇|:|\bon\s+(?:twitter|facebook|linkedin|instagram|mastodon)\b.*)
      | ⭐️?\s*(?:twitter|facebook|linkedin|instagram|blogger|official\s+website)\s*:\s*\S+
      | on\s+(?:twitter|facebook|linkedin|mastodon)\s*:\s*\S+
      | official\s+homepage\s*:\s*\S+
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
#: A line that is only a URL (or ``label: URL``), as under a "Follow us" line.
_URL_LINE = re.compile(r"^(?:[\w .-]{0,30}:\s*)?<?https?://\S+>?$", re.IGNORECASE)
_LONE_HEADINGS = {"links:", "links", "social:", "social media:"}
_WORDS = re.compile(r"\w+")


def _words(text: str) -> str:
    return " ".join(_WORDS.findall(text.casefold()))


def _repeats_header(line: str, title: str, speakers: Iterable[str]) -> bool:
    """Whether ``line`` is the title (and speaker) repeated, as channels put first."""
    said, title_words = _words(line), _words(title)
    if not title_words or title_words not in said:
        return False
    rest = said.replace(title_words, " ", 1)
    for name in speakers:
        rest = rest.replace(_words(name), " ")
    # What is left is at most a conference name, a year and "by": a short remainder.
    return len(rest.split()) <= 8


def strip_boilerplate(text: str, *, title: str = "", speakers: Iterable[str] = ()) -> str:
    """``text`` without the recording channel's boilerplate lines."""
    lines = text.replace("\r\n", "\n").split("\n")
    kept: list[str] = []
    first = True
    following = False  # inside the links block under a "Follow ..." line
    for line in lines:
        stripped = line.strip()
        if not stripped:
            following = False
            kept.append("")
            continue
        if first:
            first = False
            if _repeats_header(stripped, title, speakers):
                continue
        if _BOILERPLATE_LINE.match(stripped):
            following = stripped.casefold().startswith("follow")
            continue
        if following and _URL_LINE.match(stripped):
            continue
        following = False
        kept.append(line)
    # A "LINKS:" line whose links were all hidden is left alone in its paragraph.
    paragraphs = "\n".join(kept).split("\n\n")
    paragraphs = [p for p in paragraphs if p.strip().casefold() not in _LONE_HEADINGS]
    return "\n\n".join(p.strip("\n") for p in paragraphs if p.strip())


# -- Rendering --------------------------------------------------------------------------


def _safe_href(href: str) -> str | None:
    value = href.strip()
    return value if value.lower().startswith(_LINK_SCHEMES) else None


def _text_of(node: SyntaxTreeNode) -> str:
    if node.type in ("text", "code_inline"):
        return node.content
    return "".join(_text_of(child) for child in node.children)


#: Node types written as their children between two fixed tags.
_WRAPPED: dict[str, tuple[str, str]] = {
    "em": ("<em>", "</em>"),
    "strong": ("<strong>", "</strong>"),
    "bullet_list": ("<ul>\n", "</ul>\n"),
    "list_item": ("<li>", "</li>\n"),
    "blockquote": ("<blockquote>\n", "</blockquote>\n"),
}
#: Node types written as fixed markup, or as their escaped content in a fixed frame.
_FIXED = {"softbreak": "\n", "hardbreak": "<br>\n", "hr": "<hr>\n"}
_CODE = {
    "code_inline": ("<code>", "</code>"),
    "code_block": ("<pre><code>", "</code></pre>\n"),
    "fence": ("<pre><code>", "</code></pre>\n"),
}


def _render(node: SyntaxTreeNode, out: list[str], in_link: bool = False) -> None:
    kind = node.type
    if kind == "text":
        if in_link:
            out.append(escape(node.content))
        else:
            _linkify(node.content, out)
    elif kind in _FIXED:
        out.append(_FIXED[kind])
    elif kind in _CODE:
        before, after = _CODE[kind]
        out.append(f"{before}{escape(node.content)}{after}")
    elif kind in _WRAPPED:
        before, after = _WRAPPED[kind]
        out.append(before)
        _children(node, out, in_link)
        out.append(after)
    elif kind == "link":
        _render_link(node, out)
    elif kind == "image":  # no remote image from a contributor's text: its alt text
        out.append(escape(_text_of(node)))
    elif kind in ("paragraph", "heading", "ordered_list"):
        _render_block(node, out)
    elif node.children:  # anything else (inline, and types added later): its content
        _children(node, out, in_link)
    else:
        out.append(escape(node.content))


def _render_link(node: SyntaxTreeNode, out: list[str]) -> None:
    href = _safe_href(str(node.attrs.get("href", "")))
    if href is None:  # javascript:, data:, a relative path: the text only
        _children(node, out)
        return
    out.append(f'<a class="reference external" href="{escape(href)}" rel="{LINK_REL}">')
    _children(node, out, in_link=True)
    out.append("</a>")


def _render_block(node: SyntaxTreeNode, out: list[str]) -> None:
    """A paragraph, heading or ordered list: their markup depends on the node."""
    if node.type == "paragraph":
        before, after = ("", "") if node.hidden else ("<p>", "</p>\n")  # tight list items
    elif node.type == "heading":
        level = 3 if node.tag in ("h1", "h2") else 4  # the page's "Abstract" is an h2
        before, after = f'<h{level} class="recaps-abstract-heading">', f"</h{level}>\n"
    else:
        start = str(node.attrs.get("start", "1"))
        number = int(start) if start.isdigit() else 1
        before, after = (f'<ol start="{number}">\n' if number != 1 else "<ol>\n"), "</ol>\n"
    out.append(before)
    _children(node, out)
    out.append(after)


def _children(node: SyntaxTreeNode, out: list[str], in_link: bool = False) -> None:
    for child in node.children:
        _render(child, out, in_link)


def render_abstract(text: str | None, *, title: str = "", speakers: Iterable[str] = ()) -> Markup:
    """The abstract as safe HTML (empty when there is nothing to show).

    ``title`` and ``speakers`` (names) let the first line that only repeats them be hidden.
    """
    if not text or not text.strip():
        return Markup("")
    shown = strip_boilerplate(text, title=title, speakers=tuple(speakers))
    if not shown:
        return Markup("")
    tree = SyntaxTreeNode(_parser().parse(shown))
    out: list[str] = []
    _children(tree, out)
    return Markup("".join(out).strip())
