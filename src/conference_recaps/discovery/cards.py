"""Card images for link previews: the home page, conferences and recaps without a photo.

A shared link shows a picture. Talks have their video's thumbnail and a recap with a
photo its first photo; the home page, each conference and each recap without a photo get
a 1200x630 card drawn at build time (title, dates or authors, the numbers) in the site's
accent colour. Speaker, year, tag and other pages share the home page's card.

Drawn with Pillow rather than sphinxext-opengraph's social cards: those need matplotlib
(tens of MB with numpy), take about 0.3 s a card, and only cover pages that have a
doctree, which conference pages, being generated, do not. Pillow draws a card in a few
milliseconds with the font it bundles, so nothing depends on the fonts a machine has.

A card's file name ends with a digest of what it shows (``conference-<id>-<digest>.png``
in ``_images/cards/``): a card is drawn only when that file is missing, that is when its
text changed or it is new, and cards no longer shown are removed. Drawing happens once,
after the build, in the main process; the pages only compute the name.
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.util import logging

from conference_recaps.discovery.site import absolute
from conference_recaps.domain import get_catalogue, get_domain, recap_metas
from conference_recaps.forks import can_fork, chunked, run_chunks
from conference_recaps.page_parts import page_part
from conference_recaps.pages.generate import is_page_builder
from conference_recaps.text import long_date
from conference_recaps.urls import catalogue_page

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sphinx.application import Sphinx

logger = logging.getLogger(__name__)

#: Bump when the drawing changes, so every card is drawn again.
CARD_VERSION = 1
FOLDER = "_images/cards"
#: The PNG text chunk holding what a card shows, as a digest.
DIGEST_KEY = "recaps-card"
#: Below this many cards to draw, forking workers costs more than it saves.
PARALLEL_CARDS = 64
WIDTH, HEIGHT = 1200, 630
BACKGROUND = (12, 75, 51)
TEXT = (255, 255, 255)
#: Levels between the background (0) and white (255): light greens on the dark green.
ACCENT_LEVEL = 150
MUTED_LEVEL = 205


@dataclass(frozen=True, slots=True)
class Card:
    """What a card shows; its digest names the file."""

    kind: str
    ident: str
    title: str
    lines: tuple[str, ...]
    site: str

    def digest(self) -> str:
        data = repr((CARD_VERSION, self.title, self.lines, self.site)).encode()
        return hashlib.blake2b(data, digest_size=6).hexdigest()

    def file(self) -> str:
        """The card's path in the output, e.g. ``_images/cards/conference-x-<digest>.png``.

        The site's card keeps one name (``site.png``): every page that has no card of its
        own shows it, and those pages are not rewritten when the site's numbers change.
        Its digest is kept inside the PNG instead (:func:`is_current`).
        """
        if self.kind == "site":
            return f"{FOLDER}/site.png"
        slug = re.sub(r"[^a-z0-9]+", "-", self.ident.lower()).strip("-")[:60] or "card"
        return f"{FOLDER}/{self.kind}-{slug}-{self.digest()}.png"


def is_current(path: Path, card: Card) -> bool:
    """Whether the file at ``path`` is this card as drawn now."""
    if not path.exists():
        return False
    if card.kind != "site":
        return True  # the digest is in the name
    from PIL import Image  # noqa: PLC0415

    try:
        with Image.open(path) as image:
            return bool(image.text.get(DIGEST_KEY) == card.digest())  # type: ignore[attr-defined]
    except OSError:
        return False


def _plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def site_name(app: Sphinx) -> str:
    return str(app.config.html_title or app.config.project)


def cards(app: Sphinx) -> dict[str, Card]:
    """Every card of the site, by the page it is for."""
    env = app.env
    catalogue = get_catalogue(env)
    site = site_name(app)
    metas = recap_metas(env)
    recaps_of: dict[str, int] = {}
    for meta in metas.values():
        if meta.conference:
            recaps_of[meta.conference] = recaps_of.get(meta.conference, 0) + 1
    found: dict[str, Card] = {
        app.config.root_doc: Card(
            "site",
            "home",
            site,
            (
                f"{_plural(len(catalogue.conferences), 'conference')} · "
                f"{_plural(len(catalogue.talks), 'talk')} · "
                f"{_plural(len(metas), 'recap')}",
            ),
            site,
        )
    }
    for conference in catalogue.conferences.values():
        when = long_date(conference.start)
        if conference.end != conference.start:
            when += f" to {long_date(conference.end)}"
        talks = len(catalogue.talks_of_conference(conference.id))
        numbers = _plural(talks, "talk")
        if recaps := recaps_of.get(conference.id, 0):
            numbers += f" · {_plural(recaps, 'recap')}"
        lines = (when, conference.location or "", numbers)
        found[catalogue_page("conference", conference.id)] = Card(
            "conference", conference.id, conference.name, tuple(li for li in lines if li), site
        )
    excerpts = get_domain(env).table("excerpts")
    for docname, meta in metas.items():
        excerpt = excerpts.get(docname)
        if excerpt is not None and excerpt.image is not None:
            continue  # its first photo is its picture
        held = catalogue.conferences.get(meta.conference or "")
        lines = (
            held.name if held else "",
            f"by {', '.join(meta.authors)}" if meta.authors else "",
            long_date(meta.date),
        )
        found[docname] = Card("recap", docname, meta.title, tuple(li for li in lines if li), site)
    return found


class CardBuild:
    """One application's cards: computed once per build, drawn after it."""

    def __init__(self) -> None:
        self.cards: dict[str, Card] | None = None

    def all(self, app: Sphinx) -> dict[str, Card]:
        if self.cards is None:
            self.cards = cards(app)
        return self.cards

    @page_part("recaps_card", "recaps_site_card")
    def page_context(
        self,
        app: Sphinx,
        pagename: str,
        templatename: str,
        context: dict[str, Any],
        doctree: object,
    ) -> None:
        """Give the page its card's URL for the Open Graph and JSON-LD handlers after this."""
        if not is_page_builder(app):
            return
        found = self.all(app)
        card = found.get(pagename)
        context["recaps_card"] = absolute(app.builder, card.file()) if card else None
        site = found.get(app.config.root_doc)
        context["recaps_site_card"] = absolute(app.builder, site.file()) if site else None

    def write(self, app: Sphinx, exception: BaseException | None) -> None:
        """Draw the cards whose file is missing; remove the ones no page shows any more."""
        if exception is not None or not is_page_builder(app):
            self.cards = None
            return
        wanted = {card.file(): card for card in self.all(app).values()}
        self.cards = None
        folder = Path(app.outdir) / FOLDER
        folder.mkdir(parents=True, exist_ok=True)
        missing = [
            (Path(app.outdir) / name, card)
            for name, card in sorted(wanted.items())
            if not is_current(Path(app.outdir) / name, card)
        ]
        draw_all(missing, app.parallel)
        drawn = len(missing)
        for old in folder.glob("*.png"):
            if f"{FOLDER}/{old.name}" not in wanted:
                old.unlink()
        if drawn:
            logger.info("drew %d link-preview card(s)", drawn)


def _draw_chunk(work: Sequence[tuple[Path, Card]]) -> int:
    for target, card in work:
        target.write_bytes(draw(card))
    return len(work)


def draw_all(work: Sequence[tuple[Path, Card]], nproc: int) -> None:
    """Draw the cards, in forked workers (as pages are written) when the build has ``-j N``."""
    if can_fork(nproc, len(work), PARALLEL_CARDS):
        run_chunks(_draw_chunk, chunked(work, nproc * 2), nproc)
    else:
        _draw_chunk(work)


def setup_cards(app: Sphinx) -> None:
    build = CardBuild()
    # Before the Open Graph (450) and JSON-LD (600) handlers that read the card's URL.
    app.connect("html-page-context", build.page_context, priority=440)
    app.connect("build-finished", build.write, priority=600)


@functools.cache
def _font(size: int) -> Any:
    """Pillow's bundled font at ``size``; loading it is most of a card's cost, so once."""
    from PIL import ImageFont  # noqa: PLC0415

    return ImageFont.load_default(size=size)


def _palette() -> list[int]:
    """Level 0 is the background, 255 white; between them the blend of the two."""
    return [
        round(bg + (fg - bg) * level / 255)
        for level in range(256)
        for bg, fg in zip(BACKGROUND, TEXT, strict=True)
    ]


def draw(card: Card) -> bytes:
    """The card as PNG bytes.

    Drawn as levels of one blend, from the background colour to white, and saved with
    that palette: a third of the bytes of RGB to compress, which made PNG encoding, the
    bulk of the cost, about four times faster (see docs/architecture.md for figures).
    """
    import io  # noqa: PLC0415

    from PIL import Image, ImageDraw  # noqa: PLC0415
    from PIL.PngImagePlugin import PngInfo  # noqa: PLC0415

    image = Image.new("L", (WIDTH, HEIGHT), 0)
    pen = ImageDraw.Draw(image)
    pen.rectangle((0, 0, 24, HEIGHT), fill=ACCENT_LEVEL)
    pen.text((80, 64), card.site, font=_font(34), fill=ACCENT_LEVEL)
    size = 72 if len(card.title) <= 40 else 60 if len(card.title) <= 80 else 50
    font = _font(size)
    top = 150
    for line in _wrap(pen, card.title, font, WIDTH - 160)[:4]:
        pen.text((80, top), line, font=font, fill=255)
        top += int(size * 1.2)
    top = max(top + 30, HEIGHT - 60 - 48 * len(card.lines))
    body = _font(36)
    for line in card.lines:
        pen.text((80, top), _wrap(pen, line, body, WIDTH - 160)[0], font=body, fill=MUTED_LEVEL)
        top += 48
    image.putpalette(_palette())
    info = PngInfo()
    info.add_text(DIGEST_KEY, card.digest())
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=1, pnginfo=info)
    return out.getvalue()


def _wrap(pen: object, text: str, font: object, width: int) -> list[str]:
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if pen.textlength(candidate, font=font) <= width or not line:  # type: ignore[attr-defined]
            line = candidate
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines or [""]
