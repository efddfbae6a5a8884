"""``sitemap.xml`` and ``robots.txt``: every page at its canonical URL, with its lastmod.

The sitemap lists every document and every page generated from the catalogue whose file
the build wrote, sorted by URL. Its ``lastmod`` comes from content, never from the clock,
so two builds of one commit write the same file:

- a recap: the later of its front-matter ``date`` and the date of the last commit that
  touched its source (corrections count; a new, uncommitted post has its own date);
- any other document: the date of the last commit that touched its source (none when the
  site is not a git checkout, or the file is older than a shallow clone's history);
- a talk: its date (else its conference's first day), or the date of a later recap that
  mentions it; a speaker: their latest talk; a conference: its last day or its latest
  recap; a year or tag: the latest talk or recap in it; an index: the latest of its
  family.

Past 50,000 URLs (the protocol's limit) the URLs go into ``sitemap-<n>.xml`` files and
``sitemap.xml`` becomes their index. ``robots.txt`` points at the sitemap and keeps
crawlers off the search page; a ``robots.txt`` of your own in ``html_extra_path`` wins.
"""

from __future__ import annotations

import datetime
import os
import subprocess
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit
from xml.etree import ElementTree

from sphinx.util import logging

from conference_recaps.discovery.outputs import all_there, digest, load_state, save_state
from conference_recaps.discovery.site import (
    UTILITY_PAGES,
    base_url,
    page_url,
    talk_date,
)
from conference_recaps.domain import recap_metas
from conference_recaps.inputs import pages_inputs
from conference_recaps.pages.site import Site
from conference_recaps.urls import FOLDERS, RECAPS_INDEX, catalogue_page, index_page, output_path

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from sphinx.application import Sphinx
    from sphinx.builders import Builder

logger = logging.getLogger(__name__)

NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"
#: The protocol's limit of URLs per sitemap file.
MAX_URLS = 50_000

Date = datetime.date


def _git(srcdir: Path, *args: str, timeout: float) -> str | None:
    """A git command's output in ``srcdir``, or None outside git or on failure."""
    try:
        result = subprocess.run(
            ["git", *args],
            cwd=srcdir,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout if result.returncode == 0 else None


def git_dates(srcdir: Path) -> dict[str, Date]:
    """The date of the last commit touching each file, by path relative to ``srcdir``."""
    log = _git(
        srcdir,
        "log",
        "--format=@%cs",
        "--name-only",
        "--no-renames",
        "--relative",
        timeout=120,
    )
    dates: dict[str, Date] = {}
    current: Date | None = None
    for line in (log or "").splitlines():
        if line.startswith("@"):
            current = Date.fromisoformat(line[1:])
        elif line and current is not None:
            dates.setdefault(line, current)
    return dates


def git_head(srcdir: Path) -> str | None:
    """The commit checked out in ``srcdir`` (None outside git): :func:`git_dates` reads
    the history up to it."""
    head = _git(srcdir, "rev-parse", "HEAD", timeout=30)
    return head.strip() if head is not None else None


def _latest(*dates: Date | None) -> Date | None:
    known = [d for d in dates if d is not None]
    return max(known) if known else None


def catalogue_pages(site: Site) -> Iterator[tuple[str, Date | None]]:
    """Every page the catalogue can have, with the date its content last changed."""
    catalogue = site.catalogue
    recap_dates = {recap.docname: recap.date for recap in site.recaps}
    family: defaultdict[str, list[Date | None]] = defaultdict(list)

    def mentioned(kind: str, ident: str) -> list[Date | None]:
        return [recap_dates.get(place.docname) for place in site.places.get((kind, ident), ())]

    for talk in catalogue.talks.values():
        date = _latest(talk_date(catalogue, talk), *mentioned("talk", talk.id))
        family["talk"].append(date)
        yield catalogue_page("talk", talk.id), date
    for speaker in catalogue.speakers.values():
        talks = catalogue.talks_of_speaker(speaker.id)
        date = _latest(*(talk_date(catalogue, t) for t in talks))
        family["speaker"].append(date)
        yield catalogue_page("speaker", speaker.id), date
    for conference in catalogue.conferences.values():
        recaps = site.recaps_of_conference.get(conference.id, [])
        date = _latest(conference.end, *(r.date for r in recaps))
        family["conference"].append(date)
        yield catalogue_page("conference", conference.id), date
    for year in site.years:
        ends = [catalogue.conferences[c].end for c in site.conferences_of_year.get(year, [])]
        date = _latest(*ends, *(r.date for r in site.recaps_of_year.get(year, [])))
        family["year"].append(date)
        yield catalogue_page("year", year), date
    for slug in site.tags:
        date = _latest(
            *(talk_date(catalogue, t) for t in site.talks_of_tag.get(slug, [])),
            *(r.date for r in site.recaps_of_tag.get(slug, [])),
        )
        family["tag"].append(date)
        yield catalogue_page("tag", slug), date
    for kind in FOLDERS:
        yield index_page(kind), _latest(*family[kind])
    # The /recaps/ index (pages/listings.py) changes when the newest recap does.
    yield RECAPS_INDEX, _latest(*recap_dates.values())


def document_dates(app: Sphinx) -> dict[str, Date | None]:
    """Every document (but the 404 and other utility pages), with its lastmod."""
    env = app.env
    srcdir = Path(app.srcdir)
    from_git = git_dates(srcdir)
    recaps = recap_metas(env)
    dates: dict[str, Date | None] = {}
    for docname in env.all_docs:
        if docname in UTILITY_PAGES or docname == app.config.notfound_pagename:
            continue
        source = Path(env.doc2path(docname)).relative_to(srcdir).as_posix()
        meta = recaps.get(docname)
        if meta is not None and meta.withdrawn is not None:
            continue  # a withdrawn recap's notice is not content
        dates[docname] = _latest(from_git.get(source), meta.date if meta else None)
    return dates


def sitemap_entries(app: Sphinx, site: Site) -> list[tuple[str, Date | None]]:
    """``(url, lastmod)`` for every page written, sorted by URL."""
    builder = app.builder
    pages = document_dates(app)
    for pagename, date in catalogue_pages(site):
        if pagename not in pages and os.path.isfile(output_path(builder, pagename)):  # noqa: PTH113
            pages[pagename] = date
    return sorted((page_url(builder, name), date) for name, date in pages.items())


def _urlset(entries: Iterable[tuple[str, Date | None]]) -> ElementTree.Element:
    root = ElementTree.Element("urlset", xmlns=NAMESPACE)
    for url, date in entries:
        element = ElementTree.SubElement(root, "url")
        ElementTree.SubElement(element, "loc").text = url
        if date is not None:
            ElementTree.SubElement(element, "lastmod").text = date.isoformat()
    return root


def _write(root: ElementTree.Element, path: Path) -> None:
    ElementTree.indent(root)
    tree = ElementTree.ElementTree(root)
    tree.write(path, encoding="utf-8", xml_declaration=True)


def write_sitemap(
    entries: list[tuple[str, Date | None]], outdir: Path, base: str, *, limit: int = MAX_URLS
) -> list[Path]:
    """Write ``sitemap.xml`` (an index of ``sitemap-<n>.xml`` past ``limit`` URLs)."""
    for stale in outdir.glob("sitemap-*.xml"):
        stale.unlink()
    if len(entries) <= limit:
        _write(_urlset(entries), outdir / "sitemap.xml")
        return [outdir / "sitemap.xml"]
    index = ElementTree.Element("sitemapindex", xmlns=NAMESPACE)
    written = []
    for number, start in enumerate(range(0, len(entries), limit), start=1):
        chunk = entries[start : start + limit]
        name = f"sitemap-{number}.xml"
        _write(_urlset(chunk), outdir / name)
        written.append(outdir / name)
        element = ElementTree.SubElement(index, "sitemap")
        ElementTree.SubElement(element, "loc").text = base + name
        dates = [d for _, d in chunk if d is not None]
        if dates:
            ElementTree.SubElement(element, "lastmod").text = max(dates).isoformat()
    _write(index, outdir / "sitemap.xml")
    return [outdir / "sitemap.xml", *written]


def robots_txt(base: str, search_path: str) -> str:
    """Allow everything but the search page, and name the sitemap."""
    prefix = urlsplit(base).path or "/"
    return f"User-agent: *\nDisallow: {prefix}{search_path}\n\nSitemap: {base}sitemap.xml\n"


def _has_own_robots(app: Sphinx) -> bool:
    srcdir = Path(app.confdir)
    return any((srcdir / extra / "robots.txt").is_file() for extra in app.config.html_extra_path)


def _write_files(app: Sphinx, exception: BaseException | None) -> None:
    if exception is not None or app.builder.name not in {"html", "dirhtml"}:
        return
    builder: Builder = app.builder
    outdir = Path(app.outdir)
    base = base_url(app.config)
    state_path = Path(app.doctreedir) / f"recaps-sitemap.{builder.name}"
    previous = load_state(state_path)
    names = previous.get("files", ())
    files = [outdir / name for name in names]
    there = bool(names) and all_there(outdir, names)
    # The pages, their dates and the documents' titles come from what pages are made of
    # (a recap's sentences are not) and from git's history: none changed, nothing did.
    site = Site.of(app.env)
    made_from = (pages_inputs(app, site), git_head(Path(app.srcdir)))
    if not (there and previous.get("site_inputs") == made_from):
        entries = sitemap_entries(app, site)
        # Kept when no URL or date changed (the files are only ever written from these
        # entries).
        fingerprint = digest(base, MAX_URLS, entries)
        if previous.get("fingerprint") != fingerprint or not there:
            files = write_sitemap(entries, outdir, base)
        save_state(
            state_path,
            {
                "fingerprint": fingerprint,
                "files": [f.relative_to(outdir).as_posix() for f in files],
                "site_inputs": made_from,
            },
        )
    if not _has_own_robots(app):
        search = builder.get_target_uri("search")
        robots = outdir / "robots.txt"
        text = robots_txt(base, search)
        if not robots.is_file() or robots.read_text(encoding="utf-8") != text:
            robots.write_text(text, encoding="utf-8")


def setup_sitemap(app: Sphinx) -> None:
    app.connect("build-finished", _write_files, priority=600)
