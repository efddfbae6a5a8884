"""The photo directive, each page's credits section and the site-wide credits page."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import pytest
from bs4 import BeautifulSoup, Tag
from docutils import nodes
from sphinx.util.console import strip_colors

if TYPE_CHECKING:
    from sphinx.testing.util import SphinxTestApp


def soup(app: SphinxTestApp, docname: str) -> BeautifulSoup:
    return BeautifulSoup((app.outdir / docname / "index.html").read_text(), "html.parser")


@pytest.mark.sphinx("dirhtml", testroot="photo", freshenv=True)
def test_photo_problems_are_one_warning_each(app: SphinxTestApp) -> None:
    app.build()
    prefix = str(app.srcdir) + os.sep
    lines = strip_colors(app.warning.getvalue()).replace(prefix, "").splitlines()
    assert lines == [
        "recaps/errors.md:3: WARNING: photo without :alt: (describe what the photo shows) "
        "[recaps.photo]",
        "recaps/errors.md:7: WARNING: photo without :credit: (name the photographer) "
        "[recaps.photo]",
        "recaps/errors.md:11: WARNING: photo 'images/missing.png': image file not found "
        "(looked for recaps/images/missing.png); check the path, which is relative to this "
        "page [recaps.photo]",
        "recaps/errors.md:16: WARNING: photo :credit-url: 'javascript:alert(1)' is not an "
        "http:// or https:// URL; the credit is shown without a link [recaps.photo]",
        "recaps/errors.md:22: WARNING: photo '../../outside.png' is outside the repository: "
        "keep images inside it [recaps.unsafe]",
        "recaps/errors.md:27: WARNING: photo 'images/drawing.svg': not a photo file; use one "
        "of .avif, .gif, .jpeg, .jpg, .png, .webp [recaps.photo]",
    ]
    assert "javascript" not in (app.outdir / "recaps/errors/index.html").read_text()
    # Only the accepted photos reach the output.
    assert sorted(p.name for p in (app.outdir / "_images").iterdir() if p.is_file()) == [
        "reception.png",
        "shared.png",
        "sprint.png",
    ]


@pytest.mark.sphinx("dirhtml", testroot="photo")
def test_photo_is_a_lazy_figure_with_its_credit(app: SphinxTestApp) -> None:
    app.build()
    page = soup(app, "recaps/day-one")
    figure = page.select_one("figure#photo-reception")
    assert isinstance(figure, Tag)
    assert "recaps-photo" in figure["class"]
    image = figure.find("img")
    assert isinstance(image, Tag)
    assert image["alt"] == "Attendees at the opening reception"
    assert image["loading"] == "lazy"
    assert image["src"] == "../../_images/reception.png"
    assert (app.outdir / "_images/reception.png").is_file()
    caption = figure.find("figcaption")
    assert caption is not None
    assert caption.get_text().replace("¶", "").strip() == (
        "Opening reception on the lawn. Photo: Bartek Pawlik, CC BY-SA 4.0"
    )
    credit = caption.select_one("a.recaps-credit-name")
    assert credit is not None
    assert credit["href"] == "https://example.org/photographer"
    # A path from the site root works too.
    shared = page.select_one("figure#photo-shared img")
    assert shared is not None
    assert shared["src"] == "../../_images/shared.png"


@pytest.mark.sphinx("dirhtml", testroot="photo")
def test_each_page_lists_its_credits(app: SphinxTestApp) -> None:
    app.build()
    page = soup(app, "recaps/day-one")
    section = page.select_one("section#photo-credits")
    assert section is not None
    assert section.h2 is not None
    assert section.h2.get_text().replace("¶", "") == "Photo credits"
    items = [(li.a["href"], li.get_text()) for li in section.select("li")]  # type: ignore[index]
    assert items == [
        (
            "#photo-reception",
            "Attendees at the opening reception: Bartek Pawlik, CC BY-SA 4.0",
        ),
        ("#photo-shared", "The venue from the street: Ada Example"),
    ]
    # In the page's table of contents too.
    toc = app.env.tocs["recaps/day-one"]
    assert [ref["anchorname"] for ref in toc.findall(nodes.reference)] == ["", "#photo-credits"]


@pytest.mark.sphinx("dirhtml", testroot="photo")
def test_credits_page_groups_by_photographer(app: SphinxTestApp) -> None:
    app.build()
    listing = soup(app, "credits").select_one("dl.recaps-credits-list")
    assert listing is not None
    names = [dt.get_text() for dt in listing.find_all("dt")]
    assert names == ["Ada Example", "Bartek Pawlik", "Someone"]
    bartek = listing.find_all("dd")[1]
    assert [(a["href"], a.get_text()) for a in bartek.select("li > p > a")] == [
        ("../recaps/day-one/#photo-reception", "Attendees at the opening reception"),
        ("../recaps/day-two/#photo-sprint", "Sprinters at work"),
    ]
    assert bartek.get_text().count("CC BY-SA 4.0") == 1
