"""HTML-context escaping: the template values a theme prints unescaped."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from markupsafe import Markup, escape

if TYPE_CHECKING:
    from sphinx.application import Sphinx


PLAIN_TEXT_CONTEXT = ("pagetitle", "root_title", "page_description")
"""Template values the theme fills with plain text (``title.astext()``) and prints
unescaped: a heading written as ``# `<script>` `` would otherwise become markup."""


def _escape_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    for key in PLAIN_TEXT_CONTEXT:
        value = context.get(key)
        if isinstance(value, str) and not isinstance(value, Markup):
            context[key] = escape(value)


def setup_context_escaping(app: Sphinx) -> None:
    """Escape the plain-text titles the theme prints as they are."""
    # After sphinx-book-theme (500) has put its plain-text titles in the context.
    app.connect("html-page-context", _escape_context, priority=900)
