"""Clean and convert the text a source gives, once, at import.

What reaches the catalogue from a source goes through three steps, each reported:

1. **Control characters** (C0 other than tab and newline, DEL, C1 such as U+009D,
   non-characters) are removed. YAML cannot hold them raw, and a reader never sees them.
2. **Mojibake** (UTF-8 read as Windows-1252: ``piÃ¹``, ``â€“``) is repaired with ftfy's
   ``fix_encoding``, which changes nothing else (quotes, widths and ligatures stay).
3. **Descriptions become Markdown**, the catalogue's abstract format
   (:mod:`conference_recaps.abstracts`): reStructuredText (what pyvideo's descriptions
   are written in) is parsed by docutils with raw HTML, ``include`` and file insertion
   off and written back as Markdown from the document tree; HTML is reduced to its text,
   its paragraphs, lists and http(s) links; a description already in Markdown is kept.
   Converting here, not at build time, keeps docutils out of the build: parsing 21,000
   descriptions costs minutes.
"""

from __future__ import annotations

import html.parser
import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

import ftfy
from docutils import nodes
from docutils.core import publish_doctree
from docutils.utils import SystemMessage

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

# -- Characters -------------------------------------------------------------------------

_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff\ud800-\udfff]"
    "|[\U0001fffe\U0001ffff\U0010fffe\U0010ffff]"
)


def remove_controls(text: str) -> tuple[str, int]:
    """``text`` without control characters (``\\r`` becomes a line end); how many went."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    cleaned, count = _CONTROL.subn("", text)
    return cleaned, count


#: A converter's stand-in for a no-break space, found in pyvideo's older descriptions; in
#: ``capacitÃ&nbsp_place_holder;`` it is the second byte of the mojibake of "à".
_NBSP_PLACEHOLDER = re.compile(r"&nbsp\\?_place\\?_holder;")


def repair_mojibake(text: str) -> str:
    """``text`` with UTF-8 read as another encoding repaired (ftfy), nothing else changed."""
    text = _NBSP_PLACEHOLDER.sub("\xa0", text)
    return text if text.isascii() else ftfy.fix_encoding(text)


@dataclass(frozen=True, slots=True)
class Cleaned:
    """A text after cleaning, and what was done to it (for the import report)."""

    text: str
    controls: int = 0
    mojibake: bool = False


def clean(text: str) -> Cleaned:
    """Mojibake repaired first (a U+009D may be half of one), then controls removed."""
    repaired = repair_mojibake(text)
    cleaned, controls = remove_controls(repaired)
    cleaned = unicodedata.normalize("NFC", cleaned)
    return Cleaned(cleaned, controls, repaired != text)


# -- Markdown output --------------------------------------------------------------------

_INLINE_SPECIAL = re.compile(r"[\\`*\[\]<]|&(?=#?\w+;)|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")
_LINE_START = re.compile(r"^(\s*)(#|>|[-+*](?=\s|$)|\d+(?=[.)](?:\s|$))|=+\s*$|-+\s*$)")
_URL_SAFE = re.compile(r"[A-Za-z0-9:/?#@!$&'()+,;=%.~\-]+")


def escape_markdown(text: str) -> str:
    """Plain text written so that Markdown shows it as it is."""
    return _INLINE_SPECIAL.sub(lambda m: "\\" + m.group(0), text)


def _escape_line_starts(block: str) -> str:
    def fix(line: str) -> str:
        line = line.lstrip()  # indentation would make a code block
        match = _LINE_START.match(line)
        if not match:
            return line
        marker = match.group(2)
        if marker[0].isdigit():
            return line[: len(marker)] + "\\" + line[len(marker) :]
        return "\\" + line

    return "\n".join(fix(line) for line in block.split("\n"))


def _code_span(text: str) -> str:
    text = " ".join(text.split("\n"))
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _link(text: str, url: str) -> str:
    if text == url or not text.strip():
        return url if _URL_SAFE.fullmatch(url) and "_" not in url else f"<{url}>"
    target = url if _URL_SAFE.fullmatch(url) and "(" not in url and ")" not in url else f"<{url}>"
    return f"[{text}]({target})"


def _is_web_url(url: str) -> bool:
    return re.match(r"(?i)(https?://[^\s<>]+|mailto:[^\s<>]+)$", url) is not None


def _indent(text: str, prefix: str) -> str:
    lines = text.split("\n")
    width = " " * len(prefix)
    return "\n".join(
        (prefix if i == 0 else width if line else "") + line for i, line in enumerate(lines)
    )


class _MarkdownWriter:
    """Writes a docutils tree as Markdown; counts links it could not keep."""

    def __init__(self) -> None:
        self.dropped_links: list[str] = []

    def blocks(self, node: nodes.Node, depth: int = 0) -> list[str]:
        out: list[str] = []
        for child in node.children:
            out.extend(self.block(child, depth))
        return [b for b in out if b.strip()]

    def block(self, node: nodes.Node, depth: int) -> list[str]:
        for kinds, write in _BLOCK_WRITERS:
            if isinstance(node, kinds):
                return write(self, node, depth)
        if isinstance(node, nodes.Element) and any(
            isinstance(c, nodes.Body | nodes.Structural) for c in node.children
        ):
            return self.blocks(node, depth)
        if isinstance(node, nodes.Element | nodes.Text):
            text = self.inline(node) if isinstance(node, nodes.Element) else node.astext()
            return [_escape_line_starts(text)] if text.strip() else []
        return []

    def section(self, node: nodes.Element, depth: int) -> list[str]:
        return self.blocks(node, depth + 1)

    def title(self, node: nodes.Element, depth: int) -> list[str]:
        marks = "##" if depth <= 1 else "###"
        return [f"{marks} {self.inline(node)}".rstrip()]

    def paragraph(self, node: nodes.Element, _depth: int) -> list[str]:
        return [_escape_line_starts(self.inline(node))]

    def rubric(self, node: nodes.Element, _depth: int) -> list[str]:
        return [f"**{self.inline(node)}**"]

    def any_list(self, node: nodes.Element, depth: int) -> list[str]:
        return [self.list(node, depth)]

    def literal(self, node: nodes.Element, _depth: int) -> list[str]:
        content = node.astext()
        fence = "~~~~" if "```" in content else "```"
        return [f"{fence}\n{content}\n{fence}"]

    def quote(self, node: nodes.Element, depth: int) -> list[str]:
        inner = "\n\n".join(self.blocks(node, depth))
        return ["\n".join("> " + line if line else ">" for line in inner.split("\n"))]

    def definitions(self, node: nodes.Element, depth: int) -> list[str]:
        items = []
        for item in node.children:
            term = next((c for c in item.children if isinstance(c, nodes.term)), None)
            body = next((c for c in item.children if isinstance(c, nodes.definition)), None)
            text = f"**{self.inline(term)}**" if term is not None else ""
            inner = "\n\n".join(self.blocks(body, depth)) if body is not None else ""
            items.append(f"{text}\\\n{inner}" if text and inner else text or inner)
        return items

    def fields(self, node: nodes.Element, depth: int) -> list[str]:
        items = []
        for field in node.children:
            name = self.inline(field.children[0])
            inner = " ".join(self.blocks(field.children[1], depth))
            items.append(f"**{name}:** {inner}")
        return items

    def lines(self, node: nodes.Element, _depth: int) -> list[str]:
        lines = [self.inline(line) for line in node.findall(nodes.line)]
        return ["\\\n".join(_escape_line_starts(line) for line in lines if line)]

    def transition(self, _node: nodes.Element, _depth: int) -> list[str]:
        return ["* * *"]

    def admonition(self, node: nodes.Element, depth: int) -> list[str]:
        name = node.tagname.capitalize() if node.tagname != "admonition" else ""
        blocks = self.blocks(node, depth)
        return [f"**{name}:**", *blocks] if name else blocks

    def image(self, node: nodes.Element, _depth: int) -> list[str]:
        uri = str(node.get("uri", ""))
        alt = str(node.get("alt", "")) or "image"
        return [_link(escape_markdown(alt), uri)] if _is_web_url(uri) else []

    def nothing(self, _node: nodes.Element, _depth: int) -> list[str]:
        return []

    def note(self, node: nodes.Element, depth: int) -> list[str]:
        label = node.children[0].astext() if node.children else ""
        inner = " ".join(self.blocks(node, depth))
        return [f"\\[{escape_markdown(label)}\\] {inner}"]

    def table(self, node: nodes.Element, _depth: int) -> list[str]:
        rows = [
            " | ".join(" ".join(entry.astext().split()) for entry in row.children)
            for row in node.findall(nodes.row)
        ]
        return ["\\\n".join(escape_markdown(row) for row in rows)]

    def list(self, node: nodes.Element, depth: int) -> str:
        items = []
        ordered = isinstance(node, nodes.enumerated_list)
        start = int(node.get("start", 1)) if ordered else 1
        tight = all(
            len(item.children) <= 1
            or all(
                isinstance(c, nodes.bullet_list | nodes.enumerated_list) for c in item.children[1:]
            )
            for item in node.children
        )
        for number, item in enumerate(node.children, start):
            marker = f"{number}. " if ordered else "- "
            body = ("\n" if tight else "\n\n").join(self.blocks(item, depth)) or ""
            items.append(_indent(body, marker) if body else marker.rstrip())
        return ("\n" if tight else "\n\n").join(items)

    def inline(self, node: nodes.Node) -> str:
        parts: list[str] = []
        for child in node.children:
            parts.append(self.inline_node(child))
        return "".join(parts).strip()

    def inline_node(self, node: nodes.Node) -> str:
        if isinstance(node, nodes.Text):
            return escape_markdown(node.astext())
        if isinstance(node, nodes.strong):
            inner = self.inline(node)
            return f"**{inner}**" if inner else ""
        if isinstance(node, nodes.emphasis):
            inner = self.inline(node)
            return f"*{inner}*" if inner else ""
        if isinstance(node, nodes.literal | nodes.title_reference):
            return _code_span(node.astext())
        if isinstance(node, nodes.reference):
            url = str(node.get("refuri", "")).strip()
            text = self.inline(node)
            if url and _is_web_url(url):
                return _link(text, url)
            if url:
                self.dropped_links.append(url)
            return text
        if isinstance(node, nodes.footnote_reference | nodes.citation_reference):
            return f"\\[{escape_markdown(node.astext())}\\]"
        if isinstance(node, nodes.image):
            uri = str(node.get("uri", ""))
            alt = escape_markdown(str(node.get("alt", "")) or "image")
            return _link(alt, uri) if _is_web_url(uri) else alt
        if isinstance(node, nodes.target | nodes.system_message | nodes.raw):
            return ""
        if isinstance(node, nodes.Element):
            return self.inline(node)
        return ""


#: How each kind of block is written: the first class that matches wins.
_BLOCK_WRITERS: tuple[tuple[type | tuple[type, ...], Callable[..., list[str]]], ...] = (
    (nodes.section, _MarkdownWriter.section),
    (nodes.title, _MarkdownWriter.title),
    (nodes.paragraph, _MarkdownWriter.paragraph),
    (nodes.rubric, _MarkdownWriter.rubric),
    ((nodes.bullet_list, nodes.enumerated_list), _MarkdownWriter.any_list),
    ((nodes.literal_block, nodes.doctest_block), _MarkdownWriter.literal),
    (nodes.block_quote, _MarkdownWriter.quote),
    (nodes.definition_list, _MarkdownWriter.definitions),
    (nodes.field_list, _MarkdownWriter.fields),
    (nodes.line_block, _MarkdownWriter.lines),
    (nodes.transition, _MarkdownWriter.transition),
    (nodes.Admonition, _MarkdownWriter.admonition),
    (nodes.image, _MarkdownWriter.image),
    (
        (
            nodes.comment,
            nodes.target,
            nodes.substitution_definition,
            nodes.system_message,
            nodes.raw,
            nodes.pending,
        ),
        _MarkdownWriter.nothing,
    ),
    ((nodes.footnote, nodes.citation), _MarkdownWriter.note),
    (nodes.table, _MarkdownWriter.table),
)


_DOCUTILS_SETTINGS = {
    "report_level": 5,
    "halt_level": 5,
    "warning_stream": False,
    "raw_enabled": False,
    "file_insertion_enabled": False,
    "input_encoding": "unicode",
    "doctitle_xform": False,
    "sectsubtitle_xform": False,
    "docinfo_xform": False,
    "smart_quotes": False,
    "syntax_highlight": "none",
    "character_level_inline_markup": False,
    "pep_references": False,
    "rfc_references": False,
    "_disable_config": True,
}


def rst_to_markdown(text: str) -> tuple[str, list[str]] | None:
    """reStructuredText as Markdown, and the links it had that are not web links.

    ``None`` when docutils finds errors (level 3 or more): the text was not meant as
    reStructuredText, and is better kept as it is.
    """
    try:
        tree = publish_doctree(text, settings_overrides=_DOCUTILS_SETTINGS)
    except (SystemMessage, ValueError, IndexError, AttributeError, TypeError):
        return None
    if any(int(m.get("level", 0)) >= 3 for m in tree.findall(nodes.system_message)):
        return None
    writer = _MarkdownWriter()
    markdown = "\n\n".join(writer.blocks(tree)).strip()
    return markdown, writer.dropped_links


# -- HTML -------------------------------------------------------------------------------

_HTML_TAG = re.compile(r"<(?:p|br|a|ul|ol|li|div|strong|em|b|i|h[1-6])\b[^>]*>", re.IGNORECASE)
_BLOCK_TAGS = {"p", "div", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "table", "tr"}


class _HTMLToMarkdown(html.parser.HTMLParser):
    """Text, paragraphs, list items, emphasis and http(s) links of an HTML fragment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.links: list[str | None] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self.skip += 1
        elif tag in _BLOCK_TAGS:
            self.out.append("\n\n")
        elif tag == "br":
            self.out.append("\\\n")
        elif tag == "li":
            self.out.append("\n- ")
        elif tag in ("b", "strong"):
            self.out.append("**")
        elif tag in ("i", "em"):
            self.out.append("*")
        elif tag == "a":
            href = dict(attrs).get("href") or ""
            web = _is_web_url(href.strip())
            self.links.append(href.strip() if web else None)
            if web:
                self.out.append("[")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.skip = max(0, self.skip - 1)
        elif tag in _BLOCK_TAGS:
            self.out.append("\n\n")
        elif tag in ("b", "strong"):
            self.out.append("**")
        elif tag in ("i", "em"):
            self.out.append("*")
        elif tag == "a" and self.links:
            href = self.links.pop()
            if href:
                self.out.append(f"]({href})" if _URL_SAFE.fullmatch(href) else f"](<{href}>)")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.out.append(escape_markdown(" ".join(data.split("\n"))))


def html_to_markdown(text: str) -> str:
    """An HTML fragment reduced to Markdown text (no tag survives)."""
    parser = _HTMLToMarkdown()
    parser.feed(text)
    parser.close()
    joined = "".join(parser.out)
    blocks = [" ".join(b.split(" ")).strip() for b in re.split(r"\n\s*\n", joined)]
    return "\n\n".join(b for b in blocks if b)


# -- Descriptions -----------------------------------------------------------------------

_MARKDOWN_HINTS = re.compile(r"\]\((?:https?://|/)|^#{1,6} \S|^```", re.MULTILINE)
_RST_HINTS = re.compile(r"`_|::\s*$|^\.\. |^[=\-~^\"'`#*+]{3,}\s*$", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class Converted:
    """A description as Markdown, and how it was read."""

    text: str
    source_format: str  # "rst", "html", "markdown" or "plain"
    dropped_links: tuple[str, ...] = ()


def description_to_markdown(text: str) -> Converted:
    """A source's description as the catalogue's Markdown (see the module's docstring)."""
    if _HTML_TAG.search(text):
        return Converted(html_to_markdown(text), "html")
    if _MARKDOWN_HINTS.search(text) and not _RST_HINTS.search(text):
        return Converted(text, "markdown")
    converted = rst_to_markdown(text)
    if converted is None:
        return Converted(text, "plain")
    markdown, dropped = converted
    return Converted(markdown, "rst", tuple(dropped))


def join_names(names: Iterable[str]) -> str:
    """``a, b and c``."""
    items = list(names)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
