"""The URL policy: which schemes a link or an image may use, read as a browser reads them."""

from __future__ import annotations

import html
import re
import unicodedata

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
"""The only URL schemes a link may use; relative links have no scheme and are fine."""

SCRIPT_SCHEMES = frozenset({"javascript", "vbscript", "data", "file"})
"""Schemes refused even where a value is not a URL yet (a cross-reference target)."""

IMAGE_SCHEMES = frozenset({"http", "https"})
"""The only schemes a remote image may use (never ``data:``)."""

_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
_TAB_OR_NEWLINE = re.compile(r"[\t\n\r]")


def url_scheme(url: str) -> str | None:
    """The scheme a browser would see in ``url``, lowercased; ``None`` for a relative URL.

    Entities are decoded, full-width letters folded, and the characters browsers drop
    (leading/trailing controls and spaces, tabs and newlines anywhere) removed, so
    ``" JaVa&#x09;Script:"`` is ``javascript``.
    """
    text = unicodedata.normalize("NFKC", html.unescape(url))
    # Invisible format characters (zero-width space, bidi overrides) are dropped too:
    # browsers would not, but a scheme hidden by them is never an honest link.
    text = "".join(c for c in text if unicodedata.category(c) != "Cf")
    text = _TAB_OR_NEWLINE.sub("", text).strip("".join(map(chr, range(33))))
    text = text.replace("\x00", "").lower()
    match = _SCHEME.match(text)
    return match.group(1) if match else None


def is_safe_url(url: str, schemes: frozenset[str] = SAFE_SCHEMES) -> bool:
    """Whether a link to ``url`` is relative or uses one of ``schemes``."""
    if "\x00" in url:
        return False
    scheme = url_scheme(url)
    return scheme is None or scheme in schemes


def shorten(text: str, limit: int = 60) -> str:
    """``text`` quoted for a warning, cut to ``limit`` characters."""
    text = repr(text)
    return text if len(text) <= limit else text[: limit - 4] + "...'"
