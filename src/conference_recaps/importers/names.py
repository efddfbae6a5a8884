"""Slugs and matching keys shared by the importers.

Ids are slugs (lowercase ASCII letters, digits and hyphens). Names and titles are
matched case-, accent- and whitespace-insensitively, so ``José  García`` in one source
and ``jose garcia`` in another are the same speaker.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

if TYPE_CHECKING:
    from collections.abc import Container

#: Letters that Unicode decomposition does not reduce to ASCII.
_TRANSLITERATE = str.maketrans(
    {
        "ø": "o",
        "Ø": "O",
        "ł": "l",
        "Ł": "L",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ß": "ss",
        "đ": "d",
        "Đ": "D",
        "ð": "d",
        "Ð": "D",
        "þ": "th",
        "Þ": "Th",
        "\u0131": "i",  # dotless i
        "\u2019": "'",  # right single quotation mark
        "\u2018": "'",  # left single quotation mark
    }
)

MAX_SLUG_LENGTH = 60


def ascii_fold(text: str) -> str:
    """``text`` without accents, special letters transliterated (``Ljødal``: ``Ljodal``)."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_TRANSLITERATE))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def slugify(text: str, *, max_length: int = MAX_SLUG_LENGTH, fallback: str = "item") -> str:
    """A lowercase ASCII slug, cut at a hyphen to at most ``max_length`` characters.

    Text with no ASCII letter or digit at all (a title in another script) gets
    ``<fallback>-<hash>``, stable for the same text.
    """
    folded = ascii_fold(text).encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", folded).strip("-")
    if not slug:
        digest = hashlib.blake2b(text.encode("utf-8"), digest_size=4).hexdigest()
        return f"{fallback}-{digest}"
    if len(slug) > max_length:
        cut = slug[: max_length + 1]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else slug[:max_length]
    return slug.strip("-")


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


#: What the catalogue accepts as a URL: http(s), a host without credentials, no spaces.
_HTTP_URL = re.compile(r"https?://[^\s/?#@]+(?:[/?#]\S*)?")


def is_http_url(value: object) -> bool:
    """Whether ``value`` is an absolute ``http``/``https`` URL the catalogue accepts."""
    return isinstance(value, str) and _HTTP_URL.fullmatch(value.strip()) is not None
