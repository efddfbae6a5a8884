"""Pages written into the theme's frame are, byte for byte, the pages ``handle_page`` writes.

Each site is built twice, once through the frames (``pages/frame.py``) and once with the
frames turned off, so that every generated page goes through Sphinx's ``handle_page``
and every ``html-page-context`` handler, as before the frames; every output file must be
the same. The sites cover both themes the project uses (``basic`` and
sphinx-book-theme), both page builders, and every family of generated pages; the test
also checks that each family was really written through a frame, so the comparison
cannot pass by everything falling back to ``handle_page``.
"""

from __future__ import annotations

import json
import re
import shutil
from io import StringIO
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sphinx.testing.util import SphinxTestApp
from sphinx.util import logging

from conference_recaps.discovery import feeds
from conference_recaps.page_parts import page_part
from conference_recaps.pages import frame
from test_permanence import merge_hopper, withdraw_secret_talk

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from conference_recaps.pages.generate import Page

ROOTS = Path(__file__).parent / "roots"


def build(
    srcdir: Path, builddir: Path, builder: str, monkeypatch: pytest.MonkeyPatch, *, frames: bool
) -> tuple[dict[str, bytes], set[str]]:
    """Every output file, and the families of the pages written through a frame."""
    families: set[str] = set()
    write_framed = frame.Frames.write_framed

    def record(self: frame.Frames, page: Page, output: str) -> None:
        families.add(page.family)
        write_framed(self, page, output)

    monkeypatch.setattr(frame, "ENABLED", frames)
    monkeypatch.setattr(frame.Frames, "write_framed", record)
    warnings = StringIO()
    app = SphinxTestApp(builder, srcdir=srcdir, builddir=builddir, warning=warnings)
    try:
        app.build()
    finally:
        app.cleanup()
    assert "WARNING" not in warnings.getvalue(), warnings.getvalue()
    outdir = builddir / builder
    files = {
        path.relative_to(outdir).as_posix(): path.read_bytes()
        for path in sorted(outdir.rglob("*"))
        if path.is_file() and path.name != ".buildinfo"
    }
    return files, families


#: Titles that escaping, tag stripping and whitespace folding each change.
HOSTILE_TITLES = (
    'Tom\'s "quoted" talk & <friends>',
    "Spaces  between   words",
    "Na\u00efve caf\u00e9 \u2014 \u2615 and \u201cquotes\u201d",
    "A <b>bold</b> claim &amp; more </script>",
    "Plain title",
)


def more_talks(
    site: Path, conference: str, day: str, speakers: list[str], tag: str, *, withdrawn: bool = False
) -> None:
    """Talks enough that a frame serves several pages of a kind, with hostile titles.

    With ``withdrawn``, the first one is withdrawn (a second tombstone of a talk).
    """
    entries = []
    for number, title in enumerate(HOSTILE_TITLES * 2):
        video = (
            f"    video: https://www.youtube.com/watch?v=frame{number:06d}\n" if number % 2 else ""
        )
        entries.append(
            f"  - id: {conference}/frame-{number}\n"
            f"    conference: {conference}\n"
            f"    title: {json.dumps(title)}\n"
            f"    speakers: [{speakers[number % len(speakers)]}]\n"
            f"    kind: talk\n"
            f"    date: {day}\n"
            f"    abstract: {json.dumps(title + ' & an abstract <3')}\n"
            f"{video}"
            f"    tags: [{tag}]\n"
        )
        if withdrawn and number == 0:
            entries[-1] += "    withdrawn: {reason: speaker-request, date: 2026-11-30}\n"
    catalogue = site / "talks.yaml"
    text = catalogue.read_text(encoding="utf-8")
    catalogue.write_text(text.rstrip("\n") + "\n" + "".join(entries), encoding="utf-8")


def discovery_edit(site: Path) -> None:
    more_talks(
        site,
        "djangocon-us-2019",
        "2019-09-24",
        ["andrew-godwin", "amber-brown", "russell-keith-magee"],
        "async",
    )


def permanence_edit(site: Path) -> None:
    """More talks, tombstones for a talk and a speaker, and a redirect from a former id."""
    more_talks(
        site,
        "pycon-2020",
        "2020-04-18",
        ["ada-lovelace", "grace-hopper"],
        "compilers",
        withdrawn=True,
    )
    withdraw_secret_talk(site)
    merge_hopper(site)


#: Each site: its root, the edit made to a copy, the families it must write through a frame.
SITES = {
    # The basic theme, with recaps, cards and a base URL: every live family.
    "discovery": (
        "test-discovery",
        discovery_edit,
        {"talk", "speaker", "conference", "year", "tag"},
    ),
    # sphinx-book-theme (pydata's templates), withdrawn entries and a former id's redirect.
    "permanence": ("test-permanence", permanence_edit, {"talk", "speaker", "tag", "withdrawn"}),
}


@pytest.mark.parametrize("site_name", sorted(SITES))
@pytest.mark.parametrize("builder", ["dirhtml", "html"])
def test_frames_write_what_handle_page_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, site_name: str, builder: str
) -> None:
    root, edit, families = SITES[site_name]
    site = tmp_path / "site"
    shutil.copytree(ROOTS / root, site)
    edit(site)
    reference, none = build(site, tmp_path / "reference", builder, monkeypatch, frames=False)
    assert none == set()
    framed, written = build(site, tmp_path / "framed", builder, monkeypatch, frames=True)

    assert families <= written, f"not written through a frame: {families - written}"
    assert sorted(framed) == sorted(reference)
    differing = [name for name in reference if framed[name] != reference[name]]
    assert differing == [], _first_difference(differing, framed, reference)


def _first_difference(names: list[str], left: dict[str, bytes], right: dict[str, bytes]) -> str:
    """Where the first differing file starts to differ, to read in the failure."""
    if not names:
        return ""
    a, b = left[names[0]], right[names[0]]
    at = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), len(a))
    start = max(0, at - 200)
    return f"{names[0]} at byte {at}:\n{a[start : at + 200]!r}\n{b[start : at + 200]!r}"


def test_what_a_page_part_logs_is_said_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Kept when the page goes through its frame, dropped when handle_page says it again."""
    announce = feeds._announce_feeds

    @page_part("metatags")
    def noisy(app: Sphinx, pagename: str, *args: object) -> None:
        if pagename.startswith("talks/") and pagename.count("/") == 2:
            logging.getLogger(__name__).warning("noisy page %s", pagename)
        announce(app, pagename, *args)

    monkeypatch.setattr(feeds, "_announce_feeds", noisy)
    site = tmp_path / "site"
    shutil.copytree(ROOTS / "test-discovery", site)
    discovery_edit(site)
    warnings = StringIO()
    app = SphinxTestApp("dirhtml", srcdir=site, builddir=tmp_path / "out", warning=warnings)
    try:
        app.build()
    finally:
        app.cleanup()
    said = re.findall(r"noisy page ([\w/.-]+)", warnings.getvalue())
    talks = {
        f"talks/{p.parent.name}/{p.name}"
        for p in (tmp_path / "out" / "dirhtml" / "talks").glob("*/*")
    }
    assert sorted(said) == sorted(talks)
