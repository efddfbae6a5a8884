"""What each generated page shows: one frozen dataclass per page family.

A page's context is everything its body template prints, so its digest is the page's
fingerprint (:meth:`~conference_recaps.pages.generate.Page.stamp`): whatever is not in
the context cannot change the page, and whatever is in it rewrites the page when it
changes. The context also says where the page sits in the sidebar
(:meth:`PageContext.sidebar_place`) and which pages come before and after it
(:meth:`PageContext.neighbours`), so nothing else needs to know a family's fields.

Each template receives the context's fields as its top-level names (``talk``,
``speakers``, ``conference`` ... for ``talk.html``). Lists are tuples and links are
:class:`Link` pairs, so a template can write ``{% for page, name in speakers %}`` or
``speaker.page``. Only plain data (text, numbers, dates, tuples, these classes) goes in:
the context is pickled for the fingerprint.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple, cast

from conference_recaps.fingerprint import digest_once
from conference_recaps.pages.video import Video, video_of
from conference_recaps.urls import catalogue_page, index_page
from conference_recaps.video import video_at

if TYPE_CHECKING:
    from collections.abc import Callable

    from conference_recaps.catalogue.model import Chapter, Conference, Talk
    from conference_recaps.pages.site import RecapInfo, Site


class Link(NamedTuple):
    """A link to a page: its page name and the text shown."""

    page: str
    title: str


@dataclass(frozen=True, slots=True)
class PlaceLink:
    """A place in a document that shows a talk or speaker (a card or a link)."""

    doc: str
    anchor: str
    title: str


@dataclass(frozen=True, slots=True)
class ChapterRow:
    """A chapter of a talk's video, as the talk page lists it."""

    #: The chapter's anchor on the talk page, ``chapter-<seconds>``.
    anchor: str
    at: str
    seconds: int
    title: str
    #: The video at that moment, where its host documents a time link (else None).
    link: str | None
    speakers: tuple[Link, ...]

    @classmethod
    def of(cls, site: Site, talk: Talk, chapter: Chapter) -> ChapterRow:
        return cls(
            anchor=f"chapter-{chapter.seconds}",
            at=chapter.at,
            seconds=chapter.seconds,
            title=chapter.title,
            link=video_at(talk.video, chapter.seconds),
            speakers=tuple(
                Link(catalogue_page("speaker", s), site.speaker_name(s))
                for s in chapter.speakers
                if s in site.catalogue.speakers
            ),
        )


@digest_once  # in every list that shows the talk: a page stamp digests it once a build
@dataclass(frozen=True, slots=True)
class TalkSummary:
    """A talk as lists show it (conference, speaker and tag pages): the same in every list."""

    page: str
    title: str
    kind: str
    date: datetime.date | None
    speakers: tuple[Link, ...]
    video: str | None
    conference: Link
    #: The card's 16:9 thumbnail from the video host (None when turned off, or none).
    thumbnail: str | None = None
    tags: tuple[str, ...] = ()
    #: On a speaker's page, the chapters that are theirs (a lightning talk in a session).
    parts: tuple[ChapterRow, ...] = ()

    @classmethod
    def of(cls, site: Site, talk: Talk, *, speaker: str | None = None) -> TalkSummary:
        if speaker is not None and talk.chapters:
            return cls._make(site, talk, speaker)
        summary = site.summaries.get(talk.id)
        if summary is None:
            summary = site.summaries[talk.id] = cls._make(site, talk, None)
        return cast("TalkSummary", summary)

    @classmethod
    def _make(cls, site: Site, talk: Talk, speaker: str | None) -> TalkSummary:
        video = video_of(talk.video, thumbnails=site.thumbnails)
        parts: tuple[ChapterRow, ...] = ()
        if speaker is not None and talk.chapters:
            parts = tuple(
                ChapterRow.of(site, talk, c) for c in talk.chapters if speaker in c.speakers
            )
        return cls(
            thumbnail=video.thumbnail if video else None,
            tags=talk.tags,
            page=catalogue_page("talk", talk.id),
            title=talk.title,
            kind=talk.kind.value,
            date=talk.date,
            speakers=speaker_links(site, talk),
            video=talk.video,
            conference=Link(
                catalogue_page("conference", talk.conference),
                site.conference_name(talk.conference),
            ),
            parts=parts,
        )


@dataclass(frozen=True, slots=True)
class RelatedCard:
    """A related talk as its card shows it: the summary and the video's thumbnail."""

    talk: TalkSummary
    #: The video's still (YouTube's), or None: the card then shows its kind instead.
    thumbnail: str | None

    @classmethod
    def of(cls, site: Site, talk: Talk) -> RelatedCard:
        # The same still as every card, so the site's thumbnail setting applies here too.
        summary = TalkSummary.of(site, talk)
        return cls(summary, summary.thumbnail)


@dataclass(frozen=True, slots=True)
class RecapSummary:
    """A recap post as lists show it."""

    doc: str
    title: str
    date: datetime.date | None
    authors: tuple[str, ...]

    @classmethod
    def of(cls, recap: RecapInfo) -> RecapSummary:
        return cls(recap.docname, recap.title, recap.date, recap.authors)


@dataclass(frozen=True, slots=True)
class RecapCard:
    """A recap as a card shows it: title, date, authors, first lines, first photo.

    ``anchor`` points into the recap at the card or link that shows a talk or speaker.
    A page that is not a recap (a plain page that mentions a talk) gets a title only.
    """

    doc: str
    title: str
    date: datetime.date | None = None
    authors: tuple[str, ...] = ()
    kind: str = ""
    excerpt: str = ""
    image: str | None = None
    anchor: str = ""

    @classmethod
    def of(cls, recap: RecapInfo, anchor: str = "") -> RecapCard:
        return cls(
            doc=recap.docname,
            title=recap.title,
            date=recap.date,
            authors=recap.authors,
            kind=recap.kind,
            excerpt=recap.excerpt,
            image=recap.image,
            anchor=anchor,
        )

    @classmethod
    def of_places(cls, site: Site, kind: str, ident: str) -> tuple[RecapCard, ...]:
        """The documents that show this talk or speaker, one card each."""
        cards = []
        for place in site.places.get((kind, ident), ()):
            recap = site.recap_by_doc.get(place.docname)
            cards.append(
                cls.of(recap, place.anchor)
                if recap is not None
                else cls(doc=place.docname, title=place.title, anchor=place.anchor)
            )
        return tuple(cards)


@dataclass(frozen=True, slots=True)
class ConferenceRow:
    """A conference in a list of conferences, with its numbers of talks and recaps."""

    page: str
    name: str
    start: datetime.date
    location: str | None
    talks: int
    recaps: int

    @classmethod
    def of(cls, site: Site, conference: Conference) -> ConferenceRow:
        return cls(
            page=catalogue_page("conference", conference.id),
            name=conference.name,
            start=conference.start,
            location=conference.location,
            talks=len(site.catalogue.talks_of_conference(conference.id)),
            recaps=len(site.recaps_of_conference.get(conference.id, ())),
        )


def speaker_links(site: Site, talk: Talk) -> tuple[Link, ...]:
    """The talk's speakers that the catalogue knows, as links to their pages."""
    return tuple(
        Link(catalogue_page("speaker", s), site.speaker_name(s))
        for s in talk.speakers
        if s in site.catalogue.speakers
    )


def place_links(site: Site, kind: str, ident: str) -> tuple[PlaceLink, ...]:
    """The places that show this talk or speaker, one per document."""
    return tuple(
        PlaceLink(place.docname, place.anchor, place.title)
        for place in site.places.get((kind, ident), ())
    )


@dataclass(frozen=True, slots=True)
class PageContext:
    """The base of every family's context."""

    #: The family's name (``talk``, ``speaker``... ``index``), given to the theme's context.
    family: ClassVar[str]
    #: The body template, under ``templates/pages/`` (empty: a page without a body).
    template: ClassVar[str]
    #: The whole page's template: the theme's ``page.html``, unless a family has its own.
    layout: ClassVar[str] = "page.html"
    #: Whether the sidebar lists the years and the latest recaps. The pages of one talk,
    #: speaker or tag (35,000 of pyvideo.org's 38,000) show only the home, Browse and
    #: About links: the lists were an eighth of each page's bytes, and a recap added
    #: rewrote every one of them (issue 17). Their breadcrumbs lead to the conference
    #: and the indexes, and every index page has the lists.
    full_sidebar: ClassVar[bool] = True

    def theme_names(self, url: Callable[[str], str], base_url: str) -> dict[str, Any]:
        """Further names for the whole page's template (``url`` makes a relative link)."""
        return {}

    def template_names(self) -> dict[str, Any]:
        """The context's fields, as the body template's top-level names."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def sidebar_place(self) -> tuple[tuple[str, ...], int | None]:
        """The sidebar entries above this page (marked current with it) and its year."""
        return (), None

    def neighbours(self) -> tuple[Link | None, Link | None]:
        """The previous and next page, for the theme's footer links."""
        return None, None


# -- Talk pages -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TalkFacts:
    id: str
    title: str
    kind: str
    date: datetime.date | None
    abstract: str | None
    video: str | None
    slides: str | None
    tags: tuple[Link, ...]


@dataclass(frozen=True, slots=True)
class ConferenceRef:
    page: str
    name: str
    location: str | None


@dataclass(frozen=True, slots=True)
class TalkPageContext(PageContext):
    """``/talks/<conference-id>/<slug>/``."""

    family: ClassVar[str] = "talk"
    template: ClassVar[str] = "talk.html"
    full_sidebar: ClassVar[bool] = False

    #: The video as the page plays it (a facade, or a link), None without one.
    video: Video | None
    talk: TalkFacts
    speakers: tuple[Link, ...]
    conference: ConferenceRef
    year: int | None
    mentions: tuple[RecapCard, ...]
    prev: Link | None
    next: Link | None
    chapters: tuple[ChapterRow, ...] = ()
    related: tuple[RelatedCard, ...] = ()

    def sidebar_place(self) -> tuple[tuple[str, ...], int | None]:
        # No year is opened or listed (full_sidebar): the breadcrumbs above the title
        # lead to the talk's conference (issue 17).
        return (index_page("talk"),), None

    def neighbours(self) -> tuple[Link | None, Link | None]:
        return self.prev, self.next


# -- Conference pages -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ConferenceFacts:
    id: str
    name: str
    series: str | None
    start: datetime.date
    end: datetime.date
    location: str | None
    url: str | None
    description: str | None
    year: int
    kind: str = "conference"  # or "meetup": a series of evenings over the years


@dataclass(frozen=True, slots=True)
class KindGroup:
    """A day's talks of one kind, under a heading such as "Keynotes"."""

    kind: str
    heading: str
    talks: tuple[TalkSummary, ...]


@dataclass(frozen=True, slots=True)
class Day:
    date: datetime.date | None
    id: str
    kinds: tuple[KindGroup, ...]


@dataclass(frozen=True, slots=True)
class CreditRow:
    doc: str
    anchor: str
    alt: str
    credit: str
    credit_url: str | None
    license: str | None


@dataclass(frozen=True, slots=True)
class ConferencePageContext(PageContext):
    """``/conferences/<conference-id>/``."""

    family: ClassVar[str] = "conference"
    template: ClassVar[str] = "conference.html"

    conference: ConferenceFacts
    talk_count: int
    days: tuple[Day, ...]
    recaps: tuple[RecapCard, ...]
    credits: tuple[CreditRow, ...]
    #: The filters over the grid: (kind, label, count) and (tag, count), most used first.
    kinds: tuple[tuple[str, str, int], ...] = ()
    tags: tuple[tuple[str, int], ...] = ()
    videos: int = 0
    #: The contributor guide's page name, for "how to add a recap" (None: no guide).
    guide: str | None = None

    def sidebar_place(self) -> tuple[tuple[str, ...], int | None]:
        return (), self.conference.year


@dataclass(frozen=True, slots=True)
class YearConferences:
    year: int
    page: str
    conferences: tuple[ConferenceRow, ...]


@dataclass(frozen=True, slots=True)
class ConferenceIndexContext(PageContext):
    """``/conferences/``."""

    family: ClassVar[str] = "index"
    template: ClassVar[str] = "conference_index.html"

    years: tuple[YearConferences, ...]
    count: int


# -- Speaker pages --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SpeakerFacts:
    id: str
    name: str
    aliases: tuple[str, ...]
    url: str | None


@dataclass(frozen=True, slots=True)
class ConferenceTalks:
    """A speaker's talks at one conference."""

    page: str
    name: str
    talks: tuple[TalkSummary, ...]


@dataclass(frozen=True, slots=True)
class SpeakerPageContext(PageContext):
    """``/speakers/<speaker-id>/``."""

    family: ClassVar[str] = "speaker"
    template: ClassVar[str] = "speaker.html"
    full_sidebar: ClassVar[bool] = False

    speaker: SpeakerFacts
    talk_count: int
    conferences: tuple[ConferenceTalks, ...]
    mentions: tuple[RecapCard, ...]

    def sidebar_place(self) -> tuple[tuple[str, ...], int | None]:
        return (index_page("speaker"),), None


class SpeakerRow(NamedTuple):
    page: str
    name: str
    talks: int


@dataclass(frozen=True, slots=True)
class SpeakerIndexContext(PageContext):
    """``/speakers/``: speakers grouped by initial."""

    family: ClassVar[str] = "index"
    template: ClassVar[str] = "speaker_index.html"

    groups: tuple[tuple[str, tuple[SpeakerRow, ...]], ...]
    count: int


# -- Archives -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class YearPageContext(PageContext):
    """``/years/<yyyy>/``."""

    family: ClassVar[str] = "year"
    template: ClassVar[str] = "year.html"

    year: int
    conferences: tuple[ConferenceRow, ...]
    talks: int
    recaps: tuple[RecapSummary, ...]

    def sidebar_place(self) -> tuple[tuple[str, ...], int | None]:
        return (), self.year


@dataclass(frozen=True, slots=True)
class YearRow:
    year: int
    page: str
    conferences: int
    recaps: int


@dataclass(frozen=True, slots=True)
class YearIndexContext(PageContext):
    """``/years/``."""

    family: ClassVar[str] = "index"
    template: ClassVar[str] = "year_index.html"

    years: tuple[YearRow, ...]


@dataclass(frozen=True, slots=True)
class TagPageContext(PageContext):
    """``/tags/<tag>/``: talks by year, newest first, and recaps."""

    family: ClassVar[str] = "tag"
    template: ClassVar[str] = "tag.html"
    full_sidebar: ClassVar[bool] = False

    tag: str
    talk_count: int
    years: tuple[tuple[int | None, tuple[TalkSummary, ...]], ...]
    recaps: tuple[RecapSummary, ...]

    def sidebar_place(self) -> tuple[tuple[str, ...], int | None]:
        return (index_page("tag"),), None


@dataclass(frozen=True, slots=True)
class TagRow:
    tag: str
    page: str
    talks: int
    recaps: int


@dataclass(frozen=True, slots=True)
class TagIndexContext(PageContext):
    """``/tags/``."""

    family: ClassVar[str] = "index"
    template: ClassVar[str] = "tag_index.html"

    tags: tuple[TagRow, ...]


# -- Reading indexes ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RecapsIndexContext(PageContext):
    """``/recaps/``: every recap, by the year it is filed under, newest first."""

    family: ClassVar[str] = "index"
    template: ClassVar[str] = "recaps_index.html"

    years: tuple[tuple[int | None, tuple[RecapCard, ...]], ...]
    count: int


@dataclass(frozen=True, slots=True)
class TalkLine:
    """A talk as one line of the ``/talks/`` index."""

    page: str
    title: str
    kind: str
    speakers: str
    video: bool


@dataclass(frozen=True, slots=True)
class TalksOfConference:
    conference: ConferenceRow
    talks: tuple[TalkLine, ...]


@dataclass(frozen=True, slots=True)
class TalksIndexContext(PageContext):
    """``/talks/``: the talks by conference (``listings.TALKS_INDEX_LINES``)."""

    family: ClassVar[str] = "index"
    template: ClassVar[str] = "talks_index.html"

    conferences: tuple[TalksOfConference, ...]
    count: int
    #: The older conferences, listed by name and number of talks, past the limit.
    earlier: tuple[ConferenceRow, ...] = ()
