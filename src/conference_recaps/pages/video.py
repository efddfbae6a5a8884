"""How a talk's video is shown: a click-to-load facade, a thumbnail, or a link.

Nothing on a page reaches a video host before the reader asks for the video, except
the thumbnail image (and not even that when ``recaps_video_thumbnails = False``):

==========  ===============================================================================
host        what the page shows
==========  ===============================================================================
YouTube     lite-youtube-embed's ``<lite-youtube>`` (vendored from npm, see
            ``static/vendor/lite-youtube-embed/README.md``): the thumbnail with a play
            button; a click puts the youtube-nocookie.com player in its place. Without
            JavaScript the play button is a plain link to the video on YouTube.
Vimeo       a link to the video that a click turns into the player with ``dnt=1``
            (``static/recaps-video.js``); Vimeo thumbnails need an API call, so none.
any other   a "Watch on <host>" button linking to the video.
==========  ===============================================================================

The same :class:`Video` gives the talk cards their thumbnails and the talk pages their
``og:image``, so a page, its cards and its link previews always agree.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal
from urllib.parse import urlsplit

from conference_recaps.video import vimeo_id, youtube_id

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: lite-youtube-embed's files, vendored in the package's static folder.
LITE_YOUTUBE = "vendor/lite-youtube-embed/lite-yt-embed"
#: Player parameters: no related videos from other channels at the end.
YOUTUBE_PARAMS = "rel=0"

HostKind = Literal["youtube", "vimeo", "other"]


@dataclass(frozen=True, slots=True)
class Video:
    """A talk's recording, as pages show it."""

    kind: HostKind
    #: The address the catalogue gives: the no-JavaScript fallback and the link out.
    url: str
    #: The host as readers know it ("YouTube", "Vimeo", "archive.org").
    host: str
    #: The id on YouTube or Vimeo; empty for other hosts.
    ident: str = ""
    #: The player loaded on click; empty for other hosts.
    embed: str = ""
    #: The 480x360 poster behind the play button (talk page, link previews).
    poster: str | None = None
    #: The 320x180 thumbnail of a card.
    thumbnail: str | None = None


def host_name(url: str) -> str:
    """``archive.org`` for ``https://www.archive.org/details/x``."""
    return urlsplit(url).netloc.lower().split("@")[-1].split(":")[0].removeprefix("www.")


@functools.lru_cache(maxsize=65_536)
def video_of(url: str | None, *, thumbnails: bool = True) -> Video | None:
    """The video behind a catalogue URL, or None without one (or with a non-http URL).

    Kept for the next call: a talk's video is shown on its page and on every list and
    card of it, and parsing the URL was a tenth of making a large site's pages.
    """
    if not url or urlsplit(url).scheme.lower() not in ("http", "https"):
        return None
    if (ident := youtube_id(url)) is not None:
        return Video(
            kind="youtube",
            url=url,
            host="YouTube",
            ident=ident,
            embed=f"https://www.youtube-nocookie.com/embed/{ident}?autoplay=1&{YOUTUBE_PARAMS}",
            poster=f"https://i.ytimg.com/vi/{ident}/hqdefault.jpg" if thumbnails else None,
            thumbnail=f"https://i.ytimg.com/vi/{ident}/mqdefault.jpg" if thumbnails else None,
        )
    if (ident := vimeo_id(url)) is not None:
        return Video(
            kind="vimeo",
            url=url,
            host="Vimeo",
            ident=ident,
            embed=f"https://player.vimeo.com/video/{ident}?dnt=1&autoplay=1",
        )
    return Video(kind="other", url=url, host=host_name(url))


def add_player_assets(app: Sphinx, kind: str) -> None:
    """Load the facade's script and style on this page only (in ``html-page-context``).

    Sphinx restores its list of scripts after each page, so only talk pages with a
    YouTube or Vimeo video carry them; every other page stays without.
    """
    if kind == "youtube":
        app.add_css_file(LITE_YOUTUBE + ".css")
        app.add_js_file(LITE_YOUTUBE + ".js", loading_method="defer")
    if kind in ("youtube", "vimeo"):
        app.add_js_file("recaps-video.js", loading_method="defer")
