"""Cross-document state, kept in one Sphinx Domain so incremental and parallel builds agree.

Every record is filed under the document that produced it: ``clear_doc`` drops a
document's records before it is read again, and ``merge_domaindata`` folds in what
parallel readers found. The loaded catalogue is stored here too (it is pickled with the
environment, so an unchanged catalogue is not parsed again on the next build).

Which catalogue entries a page shows is recorded with :func:`note_use`; when the
catalogue changes, :func:`_outdated_by_catalogue` re-reads exactly the pages whose
entries' fingerprints changed, instead of every page that read ``talks.yaml``. A page
that names an entry the catalogue lacks records it with :func:`note_missing` (adding the
entry re-reads the page), and a ``talk-grid`` records its query with :func:`note_query`
(a talk that starts or stops matching re-reads the page).

What other parts read from here:

- :func:`mentions_of`: the documents that mention a talk or speaker, with the anchor of
  the card or link (a talk's page lists "recaps that mention it").
- :func:`photo_credits`: every photo credit on the site (the photo-credits page).
- :func:`recap_meta` / :func:`recap_metas`: each recap's validated front matter.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, cast
from urllib.parse import parse_qsl, urlencode

from sphinx.domains import Domain

from conference_recaps.catalogue.model import (
    Catalogue,
    Entry,
    TalkKind,
    entry_key,
    fingerprint,
)

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Set

    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

    from conference_recaps.catalogue.model import Talk
    from conference_recaps.frontmatter import RecapMeta

#: Per-document tables: ``{table: {docname: records}}``.
PER_DOC_TABLES = ("uses", "mentions", "photos", "recaps", "credit_pages", "excerpts")

#: The stamp of an entry a page names but the catalogue lacks.
MISSING = ""

#: The prefix of a ``talk-grid``'s synthetic key in the ``uses`` table.
QUERY_PREFIX = "query:"


@dataclass(frozen=True, slots=True)
class TalkQuery:
    """The filters of a ``talk-grid``; every given filter applies."""

    conference: str | None = None
    speaker: str | None = None
    tag: str | None = None
    kind: TalkKind | None = None
    year: int | None = None

    def key(self) -> str:
        """A synthetic ``uses`` key, e.g. ``query:conference=djangocon-us-2019&tag=async``."""
        pairs = [
            (name, str(value))
            for name in ("conference", "speaker", "tag", "kind", "year")
            if (value := getattr(self, name)) is not None
        ]
        return QUERY_PREFIX + urlencode(pairs)

    @classmethod
    def from_key(cls, key: str) -> TalkQuery:
        values: dict[str, Any] = dict(parse_qsl(key.removeprefix(QUERY_PREFIX)))
        if "kind" in values:
            values["kind"] = TalkKind(values["kind"])
        if "year" in values:
            values["year"] = int(values["year"])
        return cls(**values)

    def select(self, catalogue: Catalogue) -> list[Talk]:
        """The matching talks, by date then title."""
        return catalogue.select(
            conference=self.conference,
            speaker=self.speaker,
            tag=self.tag,
            kind=self.kind,
            year=self.year,
        )


def result_stamp(talks: Iterable[Talk]) -> str:
    """A digest of which talks a query matched, in order."""
    digest = hashlib.blake2b(digest_size=12)
    for talk in talks:
        digest.update(talk.id.encode())
        digest.update(b"\0")
    return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class Mention:
    """A talk or speaker that a document shows, and the anchor of the card or link."""

    docname: str
    kind: str  # "talk" or "speaker"
    id: str
    anchor: str
    #: "card" (a talk-card), "grid" (a card in a talk-grid) or "link" (a role).
    how: str


@dataclass(frozen=True, slots=True)
class PhotoCredit:
    """One photo and whom to credit for it."""

    docname: str
    anchor: str
    image: str  # the image's path, relative to the site root
    alt: str
    credit: str
    credit_url: str | None = None
    license: str | None = None


class RecapsDomain(Domain):
    """Holds the catalogue and what each document took from it or added to the site."""

    name = "recaps"
    label = "Conference recaps"
    data_version = 3
    initial_data: ClassVar[dict[str, Any]] = {
        # The parsed catalogue and the stamps of the files it came from; set before reading.
        "catalogue": None,
        # docname -> {entry key or query key: fingerprint}: catalogue entries the page shows.
        "uses": {},
        # docname -> [Mention]: talks and speakers the page shows, with their anchors.
        "mentions": {},
        # docname -> [PhotoCredit]: the photos on the page.
        "photos": {},
        # docname -> the recap's validated front matter (a RecapMeta).
        "recaps": {},
        # docname -> True: the page lists every photo credit (filled when written).
        "credit_pages": {},
        # docname -> Excerpt: a recap's first lines and first photo, for cards.
        "excerpts": {},
        # A digest of every photo credit, to know when the credit pages must be rewritten.
        "credits_digest": "",
    }

    def clear_doc(self, docname: str) -> None:
        for table in PER_DOC_TABLES:
            self.data[table].pop(docname, None)

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        for table in PER_DOC_TABLES:
            for docname in docnames:
                if docname in otherdata[table]:
                    self.data[table][docname] = otherdata[table][docname]

    def table(self, name: str) -> dict[str, Any]:
        """One per-document table, ``{docname: records}``."""
        return cast("dict[str, Any]", self.data[name])


def get_domain(env: BuildEnvironment) -> RecapsDomain:
    return cast("RecapsDomain", env.domains["recaps"])


def get_catalogue(env: BuildEnvironment) -> Catalogue:
    """The catalogue loaded for this build (an empty one before loading)."""
    loaded = get_domain(env).data["catalogue"]
    return loaded.catalogue if loaded is not None else Catalogue()


def note_use(env: BuildEnvironment, docname: str, entries: Iterable[Entry]) -> None:
    """Record that ``docname`` shows these entries, so their edits re-read it."""
    uses = get_domain(env).table("uses").setdefault(docname, {})
    for entry in entries:
        uses[entry_key(entry)] = fingerprint(entry)


def note_missing(env: BuildEnvironment, docname: str, key: str) -> None:
    """Record that ``docname`` names an entry (by :func:`entry_key`) the catalogue lacks.

    The id may be unknown, a former id or withdrawn: what it is now is recorded
    (:meth:`Catalogue.stamp`), so a change of that re-reads the page.
    """
    stamp = get_catalogue(env).stamp(key)
    get_domain(env).table("uses").setdefault(docname, {})[key] = stamp


def note_query(
    env: BuildEnvironment, docname: str, query: TalkQuery, result: Iterable[Talk]
) -> None:
    """Record a grid's query and its result, so a talk that starts matching re-reads it."""
    get_domain(env).table("uses").setdefault(docname, {})[query.key()] = result_stamp(result)


def note_mention(env: BuildEnvironment, mention: Mention) -> None:
    get_domain(env).table("mentions").setdefault(mention.docname, []).append(mention)


def mentions_of(env: BuildEnvironment, kind: str, ident: str) -> list[Mention]:
    """The places that show this talk or speaker, by document then order on the page."""
    return [
        mention
        for docname in sorted(get_domain(env).table("mentions"))
        for mention in get_domain(env).table("mentions")[docname]
        if mention.kind == kind and mention.id == ident
    ]


def note_photo(env: BuildEnvironment, credit: PhotoCredit) -> None:
    get_domain(env).table("photos").setdefault(credit.docname, []).append(credit)


def photo_credits(env: BuildEnvironment) -> Iterator[PhotoCredit]:
    """Every photo credit on the site, by document then order on the page."""
    photos = get_domain(env).table("photos")
    for docname in sorted(photos):
        yield from photos[docname]


def set_recap_meta(env: BuildEnvironment, docname: str, meta: RecapMeta) -> None:
    get_domain(env).table("recaps")[docname] = meta


def recap_meta(env: BuildEnvironment, docname: str) -> RecapMeta | None:
    """The recap's front matter, or None if it is not a valid recap."""
    return recap_metas(env).get(docname)


def recap_metas(env: BuildEnvironment) -> dict[str, RecapMeta]:
    """Every valid recap's front matter, by document."""
    return cast("dict[str, RecapMeta]", get_domain(env).table("recaps"))


def _current_stamp(catalogue: Catalogue, key: str, cache: dict[str, str]) -> str:
    stamp = cache.get(key)
    if stamp is None:
        if key.startswith(QUERY_PREFIX):
            try:
                stamp = result_stamp(TalkQuery.from_key(key).select(catalogue))
            except (TypeError, ValueError):  # a key from an older version: re-read
                stamp = "invalid"
        else:
            stamp = catalogue.stamp(key)
        cache[key] = stamp
    return stamp


def _outdated_by_catalogue(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """Documents whose catalogue entries changed, vanished or appeared since they were read."""
    catalogue = get_catalogue(env)
    cache: dict[str, str] = {}
    outdated = []
    for docname, uses in get_domain(env).table("uses").items():
        if docname in changed or docname in removed:
            continue
        for key, stamp in uses.items():
            if _current_stamp(catalogue, key, cache) != stamp:
                outdated.append(docname)
                break
    return outdated


def _credits_digest(env: BuildEnvironment) -> str:
    digest = hashlib.blake2b(digest_size=12)
    for credit in photo_credits(env):
        digest.update(repr(credit).encode())
    return digest.hexdigest()


def _rewrite_credit_pages(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Rewrite the pages listing every photo credit when any credit changed."""
    domain = get_domain(env)
    digest = _credits_digest(env)
    if digest == domain.data["credits_digest"]:
        return []
    domain.data["credits_digest"] = digest
    return sorted(domain.table("credit_pages"))


def setup_domain(app: Sphinx) -> None:
    app.add_domain(RecapsDomain)
    app.connect("env-get-outdated", _outdated_by_catalogue)
    app.connect("env-updated", _rewrite_credit_pages)
