"""Text rules the whole site shares: slugs, dates in words, the names of talk and recap kinds.

Each rule is here once, so a card, a page, a feed and the search filters say the same
thing, and a scaffolded id looks like an imported one. Nothing here knows Sphinx or the
catalogue: plain functions on strings and dates.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import TYPE_CHECKING, Final

from anyascii import anyascii

if TYPE_CHECKING:
    import datetime

#: How long an imported id's slug may be (a talk id adds its conference's id).
MAX_SLUG_LENGTH: Final = 60

# Scripts written without spaces between words, where anyascii's output runs syllables
# together ("ZhangSan"): each character becomes its own word in a slug ("zhang-san").
_SPACELESS = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def ascii_fold(text: str) -> str:
    """``text`` in ASCII: accents dropped, every script transliterated (anyascii).

    ``Ljødal``: ``Ljodal``; ``정다운``: ``JeongDaUn``; ``Шипилёв``: ``Shipilev``. Before
    this, a name or title in another script had no readable id (``speaker-0129bfe6``).
    """
    if text.isascii():
        return text
    text = _SPACELESS.sub(lambda m: f" {m.group(0)} ", text)
    return anyascii(unicodedata.normalize("NFC", text))


def slugify(text: str, *, max_length: int = MAX_SLUG_LENGTH, fallback: str | None = "item") -> str:
    """A lowercase ASCII slug, cut at a hyphen to at most ``max_length`` characters.

    Any script is transliterated (``파이썬`` gives ``paisseon``); text with no letter or
    digit at all (punctuation) gets ``<fallback>-<hash>``, stable for the same text, or
    ``""`` when ``fallback`` is None.
    """
    folded = ascii_fold(text).lower()
    slug = re.sub(r"[^a-z0-9]+", "-", folded).strip("-")
    if not slug:
        if fallback is None:
            return ""
        digest = hashlib.blake2b(text.encode("utf-8"), digest_size=4).hexdigest()
        return f"{fallback}-{digest}"
    if len(slug) > max_length:
        cut = slug[: max_length + 1]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else slug[:max_length]
    return slug.strip("-")


_MONTHS: Final = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def long_date(date: datetime.date | None) -> str:
    """``25 September 2019``: English month names whatever the machine's locale."""
    if date is None:
        return ""
    return f"{date.day} {_MONTHS[date.month - 1]} {date.year}"


#: What a talk of each kind is called (keys are ``TalkKind`` values).
KIND_LABELS: Final[dict[str, str]] = {
    "talk": "Talk",
    "keynote": "Keynote",
    "tutorial": "Tutorial",
    "workshop": "Workshop",
    "panel": "Panel",
    "lightning": "Lightning talk",
    "sprint": "Sprint",
}

#: A heading over several talks of a kind.
KIND_HEADINGS: Final[dict[str, str]] = {
    "keynote": "Keynotes",
    "talk": "Talks",
    "panel": "Panels",
    "tutorial": "Tutorials",
    "workshop": "Workshops",
    "lightning": "Lightning talks",
    "sprint": "Sprints",
}

#: What a recap of each kind is called (keys are ``RecapKind`` values).
RECAP_KIND_LABELS: Final[dict[str, str]] = {
    "blog": "Blog post",
    "podcast": "Podcast",
    "notes": "Notes",
}


def kind_label(kind: str) -> str:
    """``Lightning talk`` for ``lightning``; an unknown kind is shown capitalised."""
    return KIND_LABELS.get(kind, kind.capitalize())
