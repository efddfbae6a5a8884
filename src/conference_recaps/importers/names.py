"""Slugs and matching keys shared by the importers.

Ids are slugs (lowercase ASCII letters, digits and hyphens). Names and titles are
matched case-, accent- and whitespace-insensitively, so ``José  García`` in one source
and ``jose garcia`` in another are the same speaker.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

from conference_recaps.text import ascii_fold

if TYPE_CHECKING:
    from collections.abc import Container


def unique_slug(base: str, taken: Container[str]) -> str:
    """``base``, or ``base-2``, ``base-3``... whichever is not ``taken``."""
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


def name_key(name: str) -> str:
    """The matching key of a person's name: case, accents and spacing ignored."""
    return " ".join(ascii_fold(name).casefold().split())


def title_key(title: str) -> str:
    """The matching key of a talk title: also ignores punctuation and quotes."""
    return " ".join(re.sub(r"[^\w]+", " ", ascii_fold(title).casefold()).split())


def normalise_text(text: str) -> str:
    """Whitespace normalised and nothing else: line ends, trailing spaces, runs of blank lines."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    joined = "\n".join(lines).strip("\n")
    return re.sub(r"\n{3,}", "\n\n", joined).strip()


def normalise_line(text: str) -> str:
    """A one-line value (a title, a name): inner whitespace runs become one space."""
    return " ".join(text.split())


_YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com", "youtu.be"}


def url_key(url: str) -> str:
    """A key under which two spellings of the same video URL agree.

    ``https://youtu.be/ID``, ``http://www.youtube.com/watch?v=ID&t=3`` and
    ``https://youtube.com/embed/ID`` all give ``youtube:ID``; other URLs lose their
    scheme, ``www.``, a trailing slash and letter case in the host.
    """
    parts = urlsplit(url.strip())
    host = parts.netloc.lower()
    if host in _YOUTUBE_HOSTS:
        video_id = ""
        if host == "youtu.be":
            video_id = parts.path.strip("/")
        elif parts.path == "/watch":
            video_id = parse_qs(parts.query).get("v", [""])[0]
        elif parts.path.startswith(("/embed/", "/v/", "/live/")):
            video_id = parts.path.split("/")[2]
        if video_id:
            return f"youtube:{video_id}"
    host = host.removeprefix("www.")
    path = parts.path.rstrip("/")
    return f"{host}{path}?{parts.query}" if parts.query else f"{host}{path}"
