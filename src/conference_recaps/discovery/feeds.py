"""Atom and RSS feeds: the site's recaps; each conference's, speaker's and tag's.

=========================================  ==========================================
``feeds/atom.xml``, ``feeds/rss.xml``       the newest recaps (:data:`SITE_FEED_SIZE`)
``feeds/<conference-id>/atom.xml``,         the conference's recaps and its talks
``feeds/<conference-id>/rss.xml``
``feeds/speakers/<speaker-id>/atom.xml``,   the speaker's talks and the recaps that
``feeds/speakers/<speaker-id>/rss.xml``     mention them or their talks, newest first
``feeds/tags/<tag>/atom.xml``,              the talks and recaps with the tag, newest
``feeds/tags/<tag>/rss.xml``                first
=========================================  ==========================================

A speaker's or tag's feed carries its :data:`SUBJECT_FEED_SIZE` newest entries, and its
recaps as headlines: title, summary (the recap's description, or its first lines) and
link. The full text is in the site's feed and its conference's, once; copied into the
feed of every speaker and tag it mentions, it was two thirds of the 415 MB of those
feeds at pyvideo.org's scale, and every sentence edited rewrote dozens of them. Each
file names itself as its ``self`` link (an ``rss.xml`` its own address, not its Atom
sibling's) and the page it follows as its ``alternate`` link.

Feeds are written by `feedgen`_ after the HTML build. Every URL in them is absolute,
inside entries' HTML too: a recap's content is its page as written (so it is exactly
what readers see, cards and photos included), with each link and image resolved
against the page's canonical URL. Dates come from the content (a recap's date, a talk's
date), never from the clock, so two builds of one commit write the same feeds. Every
page names the site's feeds in ``<link rel="alternate">``; a conference page also names
its own.

.. _feedgen: https://feedgen.kiesow.be/
"""

from __future__ import annotations

import contextlib
import datetime
import html
import importlib.metadata
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

import lxml.html
from feedgen.feed import FeedGenerator
from sphinx.util import logging
from sphinx.util.osutil import relative_uri

from conference_recaps.discovery.outputs import (
    OutputDigests,
    all_there,
    digest,
    load_state,
    save_state,
)
from conference_recaps.discovery.site import (
    base_url,
    classify,
    output_file,
    page_url,
    speaker_names,
    talk_date,
)
from conference_recaps.fingerprint import code_fingerprint
from conference_recaps.forks import can_fork, chunked, run_chunks
from conference_recaps.inputs import pages_inputs, site_inputs
from conference_recaps.page_parts import page_part
from conference_recaps.pages.site import RecapInfo, Site
from conference_recaps.text import kind_label
from conference_recaps.urls import catalogue_page, is_http_url, page_exists, tag_slug

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence

    from docutils import nodes
    from sphinx.application import Sphinx
    from sphinx.builders import Builder

    from conference_recaps.catalogue.model import Catalogue, Conference, Talk

    #: A feed to write: a conference's, or a speaker's or tag's (key, (kind, id, name),
    #: entries).
    FeedToWrite = Conference | tuple[str, tuple[str, str, str], list[Talk | RecapInfo]]

logger = logging.getLogger(__name__)

FEEDS_DIR = "feeds"
LABELS = {"atom": "Atom", "rss": "RSS"}
#: How many recaps the site-wide feed carries.
SITE_FEED_SIZE = 50
#: How many entries (talks and recaps) a speaker's or tag's feed carries.
SUBJECT_FEED_SIZE = 50
#: The folders of speaker and tag feeds under ``feeds/``.
SPEAKER_FEEDS = "speakers"
TAG_FEEDS = "tags"
#: Below this many feeds to write, forking workers costs more than it saves.
PARALLEL_FEEDS = 400
MIME = {"atom": "application/atom+xml", "rss": "application/rss+xml"}
#: When nothing in a feed has a date (an empty site): a fixed day, not the clock.
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


#: Characters XML 1.0 cannot hold, even escaped (NUL, most C0 controls, lone surrogates).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """``text`` without the characters XML cannot carry (a NUL in a title would stop
    the feed writer); everything else is escaped by the XML serialiser."""
    return _NOT_XML.sub("", text)


def feed_path(key: str | None, kind: str) -> str:
    """The output path of a feed: ``feeds/atom.xml`` or ``feeds/<key>/rss.xml``.

    ``key`` is a conference id, :func:`speaker_key` or :func:`tag_key`.
    """
    name = f"{kind}.xml"
    return f"{FEEDS_DIR}/{key}/{name}" if key else f"{FEEDS_DIR}/{name}"


def speaker_key(speaker_id: str) -> str:
    return f"{SPEAKER_FEEDS}/{speaker_id}"


def tag_key(tag: str) -> str:
    return f"{TAG_FEEDS}/{tag_slug(tag)}"


def moment(date: datetime.date | None) -> datetime.datetime:
    """Midnight UTC of a date, the time feeds need."""
    if date is None:
        return EPOCH
    return datetime.datetime(date.year, date.month, date.day, tzinfo=datetime.UTC)


def absolute_html(fragment: str, page: str) -> str:
    """``fragment`` with every link, image and source resolved against ``page``."""
    if not fragment.strip():
        return ""
    root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    root.make_links_absolute(page, resolve_base_href=False)
    for element in root.iter():
        srcset = element.get("srcset")
        if srcset:
            element.set("srcset", _absolute_srcset(srcset, page))
    return "".join(lxml.html.tostring(child, encoding="unicode") for child in root)


def _absolute_srcset(srcset: str, page: str) -> str:
    parts = []
    for candidate in srcset.split(","):
        url, _, descriptor = candidate.strip().partition(" ")
        parts.append(f"{urljoin(page, url)} {descriptor}".strip())
    return ", ".join(parts)


#: Each recap's body as a feed carries it, by (page file, its size and mtime, URL).
_contents: dict[tuple[str, int, int, str], str] = {}


def recap_content(output: Path, page: str) -> str:
    """A recap's body as written to ``output``, without its title, with absolute URLs.

    Made once per written version of the page: a recap is carried by the feeds of its
    conference, its tags and every speaker it mentions (at pyvideo.org's scale, parsing
    it again for each was a tenth of a full build's CPU).
    """
    try:
        stat = output.stat()
    except OSError:
        return ""
    key = (str(output), stat.st_size, stat.st_mtime_ns, page)
    cached = _contents.get(key)
    if cached is None:
        cached = _contents[key] = _recap_content(output, page)
    return cached


def _recap_content(output: Path, page: str) -> str:
    try:
        document = lxml.html.fromstring(output.read_bytes())
    except (OSError, ValueError):
        return ""
    found = (
        document.xpath("//*[@data-pagefind-body]")
        or document.xpath("//*[@role='main']")
        or document.xpath("//article")
    )
    if not found:
        return ""
    body = found[0]
    for junk in body.xpath(
        ".//*[contains(concat(' ', @class, ' '), ' recaps-search-facets ')]"
        " | .//a[contains(concat(' ', @class, ' '), ' headerlink ')]"
        " | .//script | .//style"
    ):
        junk.getparent().remove(junk)
    title = body.xpath(".//h1")
    if title:
        title[0].getparent().remove(title[0])
    inner = "".join(lxml.html.tostring(child, encoding="unicode") for child in body)
    return absolute_html(inner, page)


def _new_feed(*, title: str, subtitle: str, page: str, language: str, author: str) -> FeedGenerator:
    feed = FeedGenerator()
    feed.load_extension("dc")
    feed.id(page)
    feed.title(xml_text(title))
    feed.subtitle(xml_text(subtitle))
    feed.language(language)
    feed.author({"name": xml_text(author)})
    feed.generator("Conference Recaps")
    return feed


def _add_recap(
    feed: FeedGenerator, builder: Builder, recap: RecapInfo, meta: Any, *, full: bool = True
) -> None:
    """A recap's entry: with its page as ``content`` when ``full``, else a headline."""
    url = page_url(builder, recap.docname)
    entry = feed.add_entry(order="append")
    entry.id(url)
    entry.title(xml_text(recap.title))
    entry.link(href=url, rel="alternate")
    entry.published(moment(recap.date))
    entry.updated(moment(recap.date))
    for name in recap.authors:
        entry.author({"name": xml_text(name)})
        entry.dc.dc_creator(xml_text(name))
    description = _description(meta)
    # A headline's summary falls back on the recap's first lines (its cards' excerpt).
    summary = str(description) if description else ("" if full else recap.excerpt)
    if summary:
        # As HTML: feedgen copies the summary into RSS's <description>, which readers
        # render as HTML, so plain text there would run a "<script>" in the summary.
        entry.summary(html.escape(xml_text(summary)), type="html")
    content = recap_content(output_file(builder, recap.docname), url) if full else None
    if content:
        entry.content(xml_text(content), type="html")
    for tag in recap.tags:
        entry.category(term=xml_text(tag))


def _description(meta: Any) -> Any:
    return getattr(meta, "description", None) if meta is not None else None


def talk_summary_html(catalogue: Catalogue, talk: Talk, *, conference_url: str | None) -> str:
    """A talk's entry: who, where, when, the abstract and the video; all text escaped."""
    conference = catalogue.conferences.get(talk.conference)
    names = speaker_names(catalogue, talk)
    date = talk_date(catalogue, talk)
    facts = []
    if names:
        facts.append(f"{kind_label(talk.kind)} by {html.escape(', '.join(names))}")
    if conference is not None:
        name = html.escape(conference.name)
        where = f'<a href="{html.escape(conference_url)}">{name}</a>' if conference_url else name
        facts.append(f"at {where}")
    if date is not None:
        facts.append(f"on {date.isoformat()}")
    parts = [f"<p>{' '.join(facts)}.</p>"] if facts else []
    for paragraph in (talk.abstract or "").split("\n\n"):
        if paragraph.strip():
            parts.append(f"<p>{html.escape(' '.join(paragraph.split()))}</p>")
    for label, link in (("Watch the video", talk.video), ("See the slides", talk.slides)):
        if link and is_http_url(link):
            parts.append(f'<p><a href="{html.escape(link)}">{label}</a></p>')
    return "".join(parts)


def _add_talk(
    feed: FeedGenerator,
    builder: Builder,
    catalogue: Catalogue,
    talk: Talk,
    conference_url: str | None,
) -> None:
    has_page = page_exists(catalogue, "talk", talk.id)
    url = page_url(builder, catalogue_page("talk", talk.id)) if has_page else None
    entry = feed.add_entry(order="append")
    entry.id(url or f"{conference_url or base_url(builder.config)}#talk-{talk.id}")
    entry.title(xml_text(talk.title))
    if url:
        entry.link(href=url, rel="alternate")
    elif talk.video:
        entry.link(href=talk.video, rel="alternate")
    date = moment(talk_date(catalogue, talk))
    entry.published(date)
    entry.updated(date)
    for name in speaker_names(catalogue, talk):
        entry.author({"name": xml_text(name)})
        entry.dc.dc_creator(xml_text(name))
    summary = talk_summary_html(catalogue, talk, conference_url=conference_url)
    entry.content(xml_text(summary), type="html")
    for tag in talk.tags:
        entry.category(term=tag)


def _write(
    feed: FeedGenerator, outdir: Path, key: str | None, *, page: str, base: str
) -> list[Path]:
    paths = []
    for kind in ("atom", "rss"):
        relpath = feed_path(key, kind)
        # Each file's self link is its own address. feedgen takes RSS's <link> from the
        # last link given, so the page the feed follows goes last.
        own = {"href": base + relpath, "rel": "self", "type": MIME[kind]}
        feed.link([own, {"href": page, "rel": "alternate"}], replace=True)
        path = outdir / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        data = feed.atom_str(pretty=True) if kind == "atom" else _rss_bytes(feed)
        path.write_bytes(data)
        paths.append(path)
    return paths


def _rss_bytes(feed: FeedGenerator) -> bytes:
    """The RSS document, its channel ``<description>`` escaped as HTML.

    Atom's ``<subtitle>`` is text, but RSS readers render the channel's
    ``<description>`` as HTML, so a conference named ``<script>...`` would run there.
    """
    plain = feed.subtitle()
    feed.subtitle(html.escape(plain))
    try:
        return bytes(feed.rss_str(pretty=True))
    finally:
        feed.subtitle(plain)


def _finish(feed: FeedGenerator, dates: list[datetime.datetime]) -> None:
    latest = max(dates, default=EPOCH)
    feed.updated(latest)
    feed.lastBuildDate(latest)
    feed.pubDate(latest)


class FeedInputs:
    """Everything a feed shows, as a digest: a feed whose digest did not change is kept.

    A recap's entry carries its page as written, so its digest includes the digest of
    that page (read again only when the page was rewritten); a talk's entry is made
    from the catalogue alone. The code and the settings count for every feed.
    """

    def __init__(self, app: Sphinx, site: Site) -> None:

        self.builder = app.builder
        self.site = site
        self.outdir = Path(app.outdir)
        self.pages_path = Path(app.doctreedir) / f"recaps-feeds-pages.{app.builder.name}"
        self.pages = OutputDigests.load(self.outdir, self.pages_path)
        self.talks: dict[str, str] = {}
        self.recap_pages: dict[str, str | None] = {}
        config = app.config
        self.common = digest(
            code_fingerprint(),
            importlib.metadata.version("feedgen"),
            config.project,
            config.language,
            config.author,
            base_url(config),
        )

    def recap(self, recap: RecapInfo, meta: Any) -> tuple[Any, ...]:
        return (recap, _description(meta), self.page(recap))

    def headline(self, recap: RecapInfo, meta: Any) -> tuple[Any, ...]:
        """What a recap's headline entry shows: not its page."""
        return (recap, _description(meta))

    def page(self, recap: RecapInfo) -> str | None:
        """The digest of the recap's page as written (its entry carries the page), looked
        up once a build: a recap is in several feeds."""
        if recap.docname in self.recap_pages:
            return self.recap_pages[recap.docname]
        page = output_file(self.builder, recap.docname)
        try:
            relpath = page.relative_to(self.outdir).as_posix()
        except ValueError:
            relpath = str(page)
        found = self.recap_pages[recap.docname] = self.pages.of(relpath)
        return found

    def talk(self, catalogue: Catalogue, talk: Talk) -> str:
        """A digest of what a talk's entry shows, made once a build: a talk is in the
        feeds of its conference, each of its speakers and each of its tags."""
        found = self.talks.get(talk.id)
        if found is None:
            conference = catalogue.conferences.get(talk.conference)
            found = self.talks[talk.id] = digest(
                talk,
                speaker_names(catalogue, talk),
                talk_date(catalogue, talk),
                conference.name if conference else None,
                page_exists(catalogue, "talk", talk.id),
            )
        return found

    def save(self) -> None:
        self.pages.save(self.pages_path)


def write_feeds(app: Sphinx) -> list[Path]:
    """Write the site's feed and one per conference whose content changed.

    Return the feeds written. Feeds of conferences that left the catalogue are removed.
    """
    builder = app.builder
    config = app.config
    outdir = Path(app.outdir)
    state_path = Path(app.doctreedir) / f"recaps-feeds.{builder.name}"
    state = load_state(state_path)
    previous: dict[str, str] = state.get("feeds", {})
    made_from = site_inputs(app)
    if state.get("site_inputs") == made_from and _all_there(outdir, previous):
        return []
    site = Site.of(app.env)
    _contents.clear()  # made again for this build's pages (and bounded in a long process)
    catalogue = site.catalogue
    language = str(config.language or "en")
    author = str(config.author or config.project)
    recaps_meta = app.env.domains["recaps"].data["recaps"]
    inputs = FeedInputs(app, site)
    current: dict[str, str] = {}
    written: list[Path] = []
    #: The feeds whose content changed: a conference, or a speaker's or tag's key,
    #: (kind, id, name) and entries.
    to_write: list[FeedToWrite] = []

    made_of, recap_pages = _made_of(app, site, inputs, recaps_meta)
    changed = _changed_recaps(state, made_of, recap_pages, outdir)

    def kept(key: str, recaps: Iterable[RecapInfo]) -> bool:
        """Whether the feed keeps its previous fingerprint: none of its recaps changed."""
        if changed is None or key not in previous:
            return False
        if any(recap.docname in changed for recap in recaps):
            return False
        current[key] = previous[key]
        return True

    def unchanged(key: str, fingerprint: str) -> bool:
        current[key] = fingerprint
        conference_id = key or None
        return previous.get(key) == fingerprint and all_there(
            outdir, (feed_path(conference_id, kind) for kind in ("atom", "rss"))
        )

    newest = site.recaps[:SITE_FEED_SIZE]
    if not kept("", newest) and not unchanged(
        "", digest(inputs.common, [inputs.recap(r, recaps_meta.get(r.docname)) for r in newest])
    ):
        written += _write_site_feed(app, newest, recaps_meta, language=language, author=author)

    for conference in catalogue.conferences.values():
        if kept(conference.id, site.recaps_of_conference.get(conference.id, [])):
            continue
        fingerprint = digest(
            inputs.common,
            conference,
            page_exists(catalogue, "conference", conference.id),
            [
                inputs.recap(r, recaps_meta.get(r.docname))
                for r in site.recaps_of_conference.get(conference.id, [])
            ],
            [inputs.talk(catalogue, t) for t in catalogue.talks_of_conference(conference.id)],
        )
        if not unchanged(conference.id, fingerprint):
            to_write.append(conference)
    for key, talks, recaps, subject in _subjects(site):
        # Headlines only: no recap's page changes these feeds.
        if kept(key, ()):
            continue
        entries = newest_entries(catalogue, talks, recaps)
        fingerprint = digest(
            inputs.common,
            subject,
            [
                inputs.headline(e, recaps_meta.get(e.docname))
                if isinstance(e, RecapInfo)
                else inputs.talk(catalogue, e)
                for e in entries
            ],
        )
        if not unchanged(key, fingerprint):
            to_write.append((key, subject, entries))

    written += _write_changed(
        app, site, to_write, language=language, author=author, recaps_meta=recaps_meta
    )
    for gone in set(previous) - set(current):
        _remove_feed(outdir, gone)
    inputs.save()
    save_state(
        state_path,
        {
            "feeds": current,
            "site_inputs": made_from,
            "made_of": made_of,
            "recap_pages": recap_pages,
        },
    )
    return written


def _write_site_feed(
    app: Sphinx, newest: list[RecapInfo], recaps_meta: dict[str, Any], *, language: str, author: str
) -> list[Path]:
    """The site's feed: the newest recaps."""
    config = app.config
    base = base_url(config)
    feed = _new_feed(
        title=f"{config.project}: recaps",
        subtitle=f"The newest recaps on {config.project}.",
        page=base,
        language=language,
        author=author,
    )
    for recap in newest:
        _add_recap(feed, app.builder, recap, recaps_meta.get(recap.docname))
    _finish(feed, [moment(r.date) for r in newest if r.date])
    return _write(feed, Path(app.outdir), None, page=base, base=base)


def _changed_recaps(
    state: dict[str, Any], made_of: str, recap_pages: dict[str, str | None], outdir: Path
) -> set[str] | None:
    """The recaps whose pages changed since the feeds were last made, or None when more
    than that may have changed or a feed is missing (then every feed is made again and
    compared)."""
    if state.get("made_of") != made_of or not _all_there(outdir, state.get("feeds", {})):
        return None
    before = state.get("recap_pages", {})
    return {doc for doc, page in recap_pages.items() if before.get(doc) != page}


def _made_of(
    app: Sphinx, site: Site, inputs: FeedInputs, recaps_meta: dict[str, Any]
) -> tuple[str, dict[str, str | None]]:
    """What every feed is made from besides the recaps' pages, and each recap's page.

    When the first did not change (what the pages are made from, in which a recap's
    sentences are not, and the recaps' descriptions), a feed can only differ by the
    pages of the recaps it carries: the others keep their fingerprints without being
    made again (a recap edit on pyvideo.org's archive otherwise digests the talks of
    16,000 feeds).
    """
    recap_pages = {recap.docname: inputs.page(recap) for recap in site.recaps}
    descriptions = [(r.docname, _description(recaps_meta.get(r.docname))) for r in site.recaps]
    return digest(pages_inputs(app, site), descriptions), recap_pages


def _all_there(outdir: Path, feeds: dict[str, str]) -> bool:
    """Whether both files of every feed are in the output."""
    return bool(feeds) and all_there(
        outdir, (feed_path(key or None, kind) for key in feeds for kind in ("atom", "rss"))
    )


def _remove_feed(outdir: Path, key: str) -> None:
    """Delete a feed's two files, and its folder if nothing else is in it.

    Only the files: a conference whose id is ``speakers`` must not take the speakers'
    feeds with it.
    """
    folder = outdir / FEEDS_DIR / key if key else outdir / FEEDS_DIR
    for kind in ("atom", "rss"):
        (outdir / feed_path(key or None, kind)).unlink(missing_ok=True)
    if key:
        with contextlib.suppress(OSError):
            folder.rmdir()
        if "/" in key:
            with contextlib.suppress(OSError):
                folder.parent.rmdir()


def _write_changed(
    app: Sphinx,
    site: Site,
    to_write: list[FeedToWrite],
    *,
    language: str,
    author: str,
    recaps_meta: dict[str, Any],
) -> list[Path]:
    """Write the feeds whose content changed; return their files.

    26,000 speaker and tag feeds at pyvideo.org's scale: with ``-j N`` they are shared
    among forked workers, as pages are (each worker writes its own files).
    """
    outdir = Path(app.outdir)

    def write_some(feeds: Sequence[FeedToWrite]) -> list[str]:
        paths: list[Path] = []
        for item in feeds:
            if isinstance(item, tuple):
                key, subject, entries = item
                paths += _subject_feed(
                    app,
                    site,
                    key,
                    subject,
                    entries,
                    language=language,
                    author=author,
                    recaps_meta=recaps_meta,
                )
            else:
                paths += _conference_feed(
                    app,
                    site,
                    item,
                    outdir=outdir,
                    language=language,
                    author=author,
                    recaps_meta=recaps_meta,
                )
        return [str(path) for path in paths]

    if not can_fork(app.parallel, len(to_write), PARALLEL_FEEDS):
        return [Path(path) for path in write_some(to_write)]
    # Each recap's content made once, here, for every worker to share (only conference
    # feeds carry it).
    for item in to_write:
        if isinstance(item, tuple):
            continue
        for recap in site.recaps_of_conference.get(item.id, []):
            recap_content(
                output_file(app.builder, recap.docname), page_url(app.builder, recap.docname)
            )
    done: list[str] = []
    run_chunks(
        write_some,
        chunked(to_write, app.parallel * 4),
        app.parallel,
        lambda _chunk, paths: done.extend(paths),
    )
    return [Path(path) for path in sorted(done)]


def _subjects(
    site: Site,
) -> Iterator[tuple[str, list[Talk], list[RecapInfo], tuple[str, str, str]]]:
    """Each speaker's and tag's feed: its key, talks, recaps and (kind, id, name)."""
    catalogue = site.catalogue
    for speaker in catalogue.speakers.values():
        talks = list(catalogue.talks_of_speaker(speaker.id))
        # The recaps that mention the speaker or one of their talks.
        docs: dict[str, None] = {}
        for kind, ident in [("speaker", speaker.id), *(("talk", t.id) for t in talks)]:
            for place in site.places.get((kind, ident), ()):
                docs.setdefault(place.docname)
        recaps = [site.recap_by_doc[d] for d in docs if d in site.recap_by_doc]
        yield speaker_key(speaker.id), talks, recaps, ("speaker", speaker.id, speaker.name)
    for tag in site.tags:
        talks = site.talks_of_tag.get(tag, [])
        recaps = site.recaps_of_tag.get(tag, [])
        yield tag_key(tag), talks, recaps, ("tag", tag, tag)


def newest_entries(
    catalogue: Catalogue, talks: Iterable[Talk], recaps: Iterable[RecapInfo]
) -> list[Talk | RecapInfo]:
    """Talks and recaps, newest first (undated last), at most :data:`SUBJECT_FEED_SIZE`."""
    dated: list[tuple[datetime.date, str, Talk | RecapInfo]] = []
    for talk in talks:
        dated.append((talk_date(catalogue, talk) or datetime.date.min, f"t{talk.id}", talk))
    for recap in recaps:
        dated.append((recap.date or datetime.date.min, f"r{recap.docname}", recap))
    dated.sort(key=lambda item: (item[0], item[1]), reverse=True)
    return [entry for _date, _key, entry in dated[:SUBJECT_FEED_SIZE]]


def _subject_feed(
    app: Sphinx,
    site: Site,
    key: str,
    subject: tuple[str, str, str],
    entries: list[Talk | RecapInfo],
    *,
    language: str,
    author: str,
    recaps_meta: dict[str, Any],
) -> list[Path]:
    """A speaker's or a tag's feed."""
    builder = app.builder
    catalogue = site.catalogue
    kind, ident, name = subject
    page = page_url(builder, catalogue_page(kind, ident))
    if kind == "speaker":
        title = f"{name}: talks and recaps"
        subtitle = f"Talks by {name}, and recaps that mention them, on {app.config.project}."
    else:
        title = f"Tag {name}: talks and recaps"
        subtitle = f"Talks and recaps tagged {name} on {app.config.project}."
    feed = _new_feed(title=title, subtitle=subtitle, page=page, language=language, author=author)
    dates = []
    for entry in entries:
        if isinstance(entry, RecapInfo):
            _add_recap(feed, builder, entry, recaps_meta.get(entry.docname), full=False)
            dates.append(moment(entry.date))
        else:
            conference_url = (
                page_url(builder, catalogue_page("conference", entry.conference))
                if entry.conference in catalogue.conferences
                else None
            )
            _add_talk(feed, builder, catalogue, entry, conference_url=conference_url)
            dates.append(moment(talk_date(catalogue, entry)))
    _finish(feed, dates)
    return _write(feed, Path(app.outdir), key, page=page, base=base_url(app.config))


def _conference_feed(
    app: Sphinx,
    site: Site,
    conference: Conference,
    *,
    outdir: Path,
    language: str,
    author: str,
    recaps_meta: dict[str, Any],
) -> list[Path]:
    builder = app.builder
    catalogue = site.catalogue
    has_page = page_exists(catalogue, "conference", conference.id)
    page = (
        page_url(builder, catalogue_page("conference", conference.id))
        if has_page
        else conference.url or base_url(app.config)
    )
    feed = _new_feed(
        title=f"{conference.name}: recaps and talks",
        subtitle=f"Recaps and talks of {conference.name} on {app.config.project}.",
        page=page,
        language=language,
        author=author,
    )
    dates = []
    recaps = site.recaps_of_conference.get(conference.id, [])
    for recap in recaps:
        _add_recap(feed, builder, recap, recaps_meta.get(recap.docname))
        dates.append(moment(recap.date))
    talks = sorted(
        catalogue.talks_of_conference(conference.id),
        key=lambda t: (talk_date(catalogue, t) or conference.start, t.title.casefold()),
        reverse=True,
    )
    for talk in talks:
        _add_talk(feed, builder, catalogue, talk, conference_url=page if has_page else None)
        dates.append(moment(talk_date(catalogue, talk)))
    if not dates:
        dates.append(moment(conference.end))
    _finish(feed, dates)
    return _write(feed, outdir, conference.id, page=page, base=base_url(app.config))


def _write_feeds(app: Sphinx, exception: BaseException | None) -> None:
    if exception is not None or app.builder.name not in {"html", "dirhtml"}:
        return
    write_feeds(app)


def _link(href: str, kind: str, title: str) -> str:
    return (
        f'<link rel="alternate" type="{MIME[kind]}" title="{html.escape(title)}" '
        f'href="{html.escape(href)}" />'
    )


@page_part("metatags")
def _announce_feeds(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: dict[str, Any],
    doctree: nodes.document | None,
) -> None:
    """``<link rel="alternate">`` to the site's feeds, and to a conference's, speaker's or
    tag's own feed on its page."""
    if app.builder.format != "html" or "metatags" not in context:
        return
    here = app.builder.get_target_uri(pagename)
    links = []
    subject = classify(app.env, pagename)
    own: tuple[str, str] | None = None
    if subject.kind == "conference":
        own = subject.entry.id, subject.entry.name
    elif subject.kind == "speaker":
        own = speaker_key(subject.entry.id), subject.entry.name
    elif subject.kind == "tag":
        own = tag_key(subject.entry), f"Tag {subject.entry}"
    if own is not None:
        key, name = own
        for kind in ("atom", "rss"):
            href = relative_uri(here, feed_path(key, kind))
            links.append(_link(href, kind, f"{name} ({LABELS[kind]})"))
    for kind in ("atom", "rss"):
        href = relative_uri(here, feed_path(None, kind))
        links.append(_link(href, kind, f"{app.config.project}: recaps ({LABELS[kind]})"))
    context["metatags"] += "\n".join(links) + "\n"


def setup_feeds(app: Sphinx) -> None:
    app.connect("html-page-context", _announce_feeds, priority=600)
    app.connect("build-finished", _write_feeds, priority=700)
