"""Video addresses: which host a talk's video is on, and a link that starts it at a time.

Chapters (``chapters`` in the catalogue) link to a moment of the video only where its
host documents such a link:

- YouTube: the ``t`` query parameter, in seconds
  (``https://www.youtube.com/watch?v=<id>&t=312``);
- Vimeo: the ``#t=`` fragment (``https://vimeo.com/<id>#t=312s``).

For any other host :func:`video_at` gives None and a chapter shows its time as text:
a link that opens the video at its start while claiming a moment would mislead.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{6,20}$")
#: A chapter's time as written: ``m:ss``, ``mm:ss`` or ``h:mm:ss``.
TIME_PATTERN = r"^(?:\d{1,2}:[0-5]\d|\d{1,2}):[0-5]\d$"
_TIME = re.compile(TIME_PATTERN, re.ASCII)


def youtube_id(url: str) -> str | None:
    """The id of a YouTube video from its watch, short, embed or live URL."""
    parts = urlsplit(url)
    host = parts.netloc.lower().removeprefix("www.").removeprefix("m.")
    candidate: str | None = None
    if host == "youtu.be":
        candidate = parts.path.strip("/").split("/")[0]
    elif host in {"youtube.com", "youtube-nocookie.com"}:
        if parts.path == "/watch":
            values = parse_qs(parts.query).get("v")
            candidate = values[0] if values else None
        else:
            match = re.match(r"^/(?:embed|v|live|shorts)/([^/?#]+)", parts.path)
            candidate = match.group(1) if match else None
    return candidate if candidate and _YOUTUBE_ID.match(candidate) else None


def vimeo_id(url: str) -> str | None:
    parts = urlsplit(url)
    host = parts.netloc.lower().removeprefix("www.")
    if host in {"vimeo.com", "player.vimeo.com"}:
        match = re.search(r"/(\d{5,})(?:/|$)", parts.path)
        return match.group(1) if match else None
    return None


def parse_time(text: str) -> int | None:
    """Seconds from ``m:ss`` or ``h:mm:ss``; None if it is not such a time."""
    if not _TIME.match(text):
        return None
    parts = [int(part) for part in text.split(":")]
    if parts[-1] >= 60 or (len(parts) == 3 and parts[1] >= 60):
        return None
    seconds = 0
    for part in parts:
        seconds = seconds * 60 + part
    return seconds


def format_time(seconds: int) -> str:
    """``5:12`` or ``1:05:12``: how chapter times are shown."""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def video_at(url: str | None, seconds: int) -> str | None:
    """A link that starts the video at ``seconds``, where its host documents one."""
    if not url:
        return None
    if (ident := youtube_id(url)) is not None:
        return f"https://www.youtube.com/watch?v={ident}&t={seconds}"
    if (ident := vimeo_id(url)) is not None:
        return f"https://vimeo.com/{ident}#t={seconds}s"
    return None
