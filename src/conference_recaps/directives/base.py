"""What every directive and role of the site shares: option checks, help text, dates.

Directives subclass :class:`RecapsDirective`. Its options are declared twice on purpose:
``option_spec`` for docutils (every value arrives as text) and ``option_help`` for the
reference in ``docs/directives.md``, rendered from the code by ``recaps-options``.
Values are checked in ``run()`` rather than by docutils converters, so a bad value is
one ``[recaps.<subtype>]`` warning at the directive's line and the build goes on.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, ClassVar

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from conference_recaps.diagnostics import Subtype, warn
from conference_recaps.text import long_date

if TYPE_CHECKING:
    import datetime

    from docutils.nodes import Node

# ``literal``, or a role such as :class:`Name` / :role:`text <target>`.
_INLINE = re.compile(r"``(?P<literal>.+?)``|:[\w:.-]+:`(?P<role>[^`]+)`")


def inline_nodes(text: str) -> list[Node]:
    """Text nodes for a help string, with its ````literal```` and roles as literal nodes."""
    text = " ".join(text.split())
    result: list[Node] = []
    position = 0
    for match in _INLINE.finditer(text):
        if match.start() > position:
            result.append(nodes.Text(text[position : match.start()]))
        if match.group("literal") is not None:
            result.append(nodes.literal("", match.group("literal")))
        else:
            role_text = match.group("role")
            explicit = re.fullmatch(r"(?P<title>.+?)\s*<(?P<target>[^>]+)>", role_text)
            shown = explicit.group("title") if explicit else role_text.lstrip("~!")
            if not explicit and role_text.startswith("~"):
                shown = shown.rpartition(".")[2]
            result.append(nodes.literal("", shown))
        position = match.end()
    if position < len(text):
        result.append(nodes.Text(text[position:]))
    return result


def date_node(date: datetime.date) -> nodes.inline:
    return nodes.inline("", long_date(date), classes=["recaps-date"])


class RecapsDirective(SphinxDirective):
    """A directive that reports problems as ``[recaps.<subtype>]`` warnings at its line."""

    #: One line of help per option, shown in the directive reference.
    option_help: ClassVar[dict[str, str]] = {}
    #: What the directive's argument is, for the reference (empty: it takes none).
    argument_help: ClassVar[str] = ""
    #: What the directive's body is, for the reference (empty: it takes none).
    content_help: ClassVar[str] = ""

    def warn(self, message: str, subtype: Subtype) -> None:
        warn(message, subtype, location=self.get_location())

    def text_option(self, name: str) -> str | None:
        """An option's value, stripped; None when absent or blank."""
        value = self.options.get(name)
        if value is None:
            return None
        value = " ".join(str(value).split())
        return value or None
