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


_HONORIFICS = re.compile(r"\b(?:dr|prof|mr|mrs|ms|phd|jr|sr)\b\.?", re.IGNORECASE)


def loose_name_key(name: str) -> str:
    """A looser key: also punctuation, hyphens and honorifics ignored (``Dr. Jun-ki Kim``).

    Used to tell whether two records of one video name the same people, never to merge
    two speakers of the catalogue (that is a person's decision).
    """
    return re.sub(r"[^a-z0-9]+", "", _HONORIFICS.sub(" ", ascii_fold(name)).casefold())


#: Separators that join several people's names in one string ("Ana Lee and Bo Chen").
#: Only English "and": "e", "y" or "et" are as often a middle initial ("Dino E Viehland").
_SEPARATORS = re.compile(r"\s+(?:and|&)\s+|\s*,\s+", re.IGNORECASE)
#: Separators that as often join one person's two names ("Takahiro Ikeuchi / 池内 孝啓",
#: "Christopher Beacham / Lady Red"): never split on, only reported.
_MAYBE_SEPARATORS = re.compile(r"\s+/\s+|\s*;\s*|\s+\+\s+")
_NOT_A_NAME = re.compile(r"\d|\bet\.? al\b|\b(?:talks?|panel|team|day|others)\b", re.IGNORECASE)


def split_names(name: str) -> tuple[tuple[str, ...], bool]:
    """The people a speaker string names, and whether splitting it was unambiguous.

    ``Anna Spysz and Chase Douglas`` gives both names. It is split only on " and ",
    " & " and ", ", and only when every part looks like a whole name (two to five words
    without digits, or a name in a script without spaces). ``Smith, John``, ``Jane and
    John Doe``, ``Guido van Rossum, et al`` or ``A / B`` stay as they are, flagged
    ambiguous, for a person to decide. A plain name gives itself, unambiguous.
    """
    parts = [p.strip() for p in _SEPARATORS.split(name) if p and p.strip()]
    if len(parts) <= 1:
        return (name,), _MAYBE_SEPARATORS.search(name) is None

    def whole(part: str) -> bool:
        if _NOT_A_NAME.search(part) or _MAYBE_SEPARATORS.search(part):
            return False
        words = part.split()
        if 2 <= len(words) <= 5:
            return not _HONORIFICS.fullmatch(words[-1])
        return len(words) == 1 and not part.isascii() and len(part) >= 2

    if all(whole(p) for p in parts):
        return tuple(parts), True
    return (name,), False


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
