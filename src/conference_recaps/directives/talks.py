"""Talk cards, talk grids, and the ``{talk}`` and ``{speaker}`` roles.

MyST Markdown::

    :::{talk-card} djangocon-us-2019/just-add-await
    Optional notes in Markdown, shown inside the card.
    :::

    :::{talk-grid}
    :conference: djangocon-us-2019
    :tag: async
    :::

    {talk}`djangocon-us-2019/just-add-await` by {speaker}`andrew-godwin`, or with
    other text: {talk}`the async talk <djangocon-us-2019/just-add-await>`.

reStructuredText works the same (``.. talk-card:: <id>``, ``:talk:`<id>```) and gives
the same doctree. Every card and link records what it shows in the domain (so a
catalogue edit re-reads exactly the pages that show the edited entry) and the anchor it
sits at (so a talk's page can list the recaps that mention it). Catalogue text enters
the page as text nodes, so the writer escapes it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import ReferenceRole
from sphinx.util.nodes import make_id

from conference_recaps.catalogue.model import Catalogue, Lookup, Talk, TalkKind
from conference_recaps.diagnostics import Subtype, warn
from conference_recaps.directives.base import RecapsDirective, date_node
from conference_recaps.directives.links import make_link
from conference_recaps.domain import (
    Mention,
    TalkQuery,
    get_catalogue,
    note_mention,
    note_missing,
    note_query,
    note_use,
)
from conference_recaps.text import kind_label
from conference_recaps.urls import safe_url

if TYPE_CHECKING:
    from collections.abc import Callable

    from docutils.nodes import Node, system_message
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment


def _fix_hint(kind: str) -> str:
    return f"use an id from the catalogue's {kind}s list, or add the {kind} to talks.yaml"


def resolve(
    env: BuildEnvironment, kind: str, ident: str, warn_at: Callable[[str, Subtype], None]
) -> Lookup:
    """Look an id up, following a former id to its entry (with a warning naming the new id).

    An id that is not a published entry's (former, withdrawn or unknown) is recorded with
    what it is now, so a rename, takedown or new entry re-reads the page.
    """
    lookup = get_catalogue(env).lookup(kind, ident)
    if lookup.entry is not None and lookup.renamed_to is None:
        return lookup
    note_missing(env, env.current_document.docname, f"{kind}:{ident}")
    if lookup.renamed_to is not None:
        warn_at(
            f"{kind} {ident!r} was renamed to {lookup.renamed_to!r} (it is a former id); "
            f"write {lookup.renamed_to!r}",
            Subtype.former_id,
        )
    return lookup


def withdrawn_text(kind: str) -> str:
    """What a recap shows in place of a withdrawn entry: no title, no name."""
    return f"(a withdrawn {kind})"


def build_card(
    env: BuildEnvironment,
    document: nodes.document,
    catalogue: Catalogue,
    talk: Talk,
    *,
    how: str,
    notes: list[Node] | None = None,
) -> nodes.container:
    """A card for one talk, with its anchor and what it shows recorded in the domain."""
    docname = env.current_document.docname
    card = nodes.container(
        classes=["recaps-card", "recaps-talk-card", f"recaps-kind-{talk.kind.value}"]
    )
    anchor = make_id(env, document, "talk", talk.id)
    card["ids"].append(anchor)
    document.note_explicit_target(card)

    title = nodes.paragraph("", "", classes=["recaps-card-title"])
    title += make_link("talk", talk.id, nodes.Text(talk.title))
    card += title

    shown: list[Talk | object] = [talk]
    if talk.speakers:
        speakers = nodes.paragraph("", "", classes=["recaps-card-speakers"])
        for index, speaker_id in enumerate(talk.speakers):
            if index:
                speakers += nodes.Text(", ")
            speaker = catalogue.speakers.get(speaker_id)
            if speaker is None:
                speakers += nodes.inline("", speaker_id)
                note_missing(env, docname, f"speaker:{speaker_id}")
            else:
                speakers += make_link("speaker", speaker.id, nodes.Text(speaker.name))
                shown.append(speaker)
        card += speakers

    meta = nodes.paragraph("", "", classes=["recaps-card-meta"])
    meta += nodes.inline(
        "", kind_label(talk.kind), classes=["recaps-kind", f"recaps-kind-{talk.kind.value}"]
    )
    conference = catalogue.conferences.get(talk.conference)
    if conference is None:
        note_missing(env, docname, f"conference:{talk.conference}")
    else:
        shown.append(conference)
        meta += nodes.Text(" · ")
        meta += make_link(
            "conference",
            conference.id,
            nodes.Text(conference.name),
            classes=["recaps-conference"],
        )
    date = talk.date or (conference.start if conference is not None else None)
    if date is not None:
        meta += nodes.Text(" · ")
        meta += date_node(date)
    card += meta

    if notes:
        card += nodes.container("", *notes, classes=["recaps-card-notes"])

    links = nodes.paragraph("", "", classes=["recaps-card-links"])
    for label, url, css in (
        ("Video", talk.video, "recaps-video-link"),
        ("Slides", talk.slides, "recaps-slides-link"),
    ):
        if (safe := safe_url(url)) is not None:
            links += nodes.reference("", label, refuri=safe, classes=[css])
    links += make_link(
        "talk", talk.id, nodes.Text("Talk page"), classes=["recaps-page-link"], optional=True
    )
    card += links

    note_use(env, docname, shown)  # type: ignore[arg-type]
    note_mention(env, Mention(docname, "talk", talk.id, anchor, how))
    return card


class TalkCard(RecapsDirective):
    """A card for one talk of the catalogue; the body is the recap's notes on it."""

    required_arguments = 1
    has_content = True
    option_spec: ClassVar[dict[str, object]] = {"class": directives.class_option}
    option_help: ClassVar[dict[str, str]] = {
        "class": "Further CSS classes for the card.",
    }
    argument_help = "The talk's id, ``<conference-id>/<talk-slug>``."
    content_help = (
        "Optional notes (Markdown in a ``.md`` page) shown inside the card: the recap's "
        "take on the talk."
    )

    def run(self) -> list[Node]:
        talk_id = self.arguments[0].strip()
        catalogue = get_catalogue(self.env)
        lookup = resolve(self.env, "talk", talk_id, self.warn)
        talk = lookup.entry
        if lookup.withdrawn is not None:
            # The recap's notes go too: they are about what was taken down.
            note = nodes.paragraph(
                "", "This talk has been withdrawn.", classes=["recaps-withdrawn-card"]
            )
            self.set_source_info(note)
            return [note]
        if not isinstance(talk, Talk):
            self.warn(f"unknown talk {talk_id!r}: {_fix_hint('talk')}", Subtype.talk_ref)
            return []
        notes: list[Node] = []
        if self.content:
            notes = self.parse_content_to_nodes(allow_section_headings=False)
        card = build_card(self.env, self.state.document, catalogue, talk, how="card", notes=notes)
        card["classes"].extend(self.options.get("class", []))
        self.set_source_info(card)
        return [card]


class TalkGrid(RecapsDirective):
    """A grid of cards for every talk that matches all the given filters."""

    has_content = False
    option_spec: ClassVar[dict[str, object]] = {
        "conference": directives.unchanged,
        "speaker": directives.unchanged,
        "tag": directives.unchanged,
        "kind": directives.unchanged,
        "year": directives.unchanged,
        "class": directives.class_option,
    }
    option_help: ClassVar[dict[str, str]] = {
        "conference": "Only talks of this conference (a conference id).",
        "speaker": "Only talks given by this speaker (a speaker id).",
        "tag": "Only talks with this tag.",
        "kind": "Only talks of this kind: " + ", ".join(k.value for k in TalkKind) + ".",
        "year": "Only talks of this year (four digits).",
        "class": "Further CSS classes for the grid.",
    }

    def _grid_warn(self, message: str, subtype: Subtype) -> None:
        self.warn(f"talk-grid: {message}", subtype)

    def _entry_filter(self, kind: str, subtype: Subtype) -> tuple[str | None, bool]:
        """The id a ``:conference:`` or ``:speaker:`` filter names, and whether it is usable.

        A former id is followed (with a warning); a withdrawn entry matches nothing.
        """
        value = self.text_option(kind)
        if value is None:
            return None, True
        lookup = resolve(self.env, kind, value, self._grid_warn)
        if lookup.entry is not None:
            return lookup.entry.id, True
        if lookup.withdrawn is None:
            self.warn(f"talk-grid: unknown {kind} {value!r}: {_fix_hint(kind)}", subtype)
        return value, False

    def _query(self, catalogue: Catalogue) -> TalkQuery | None:
        """The filters, or None (after a warning) when one names nothing that exists.

        A filter naming a withdrawn conference or speaker shows nothing, silently.
        """
        conference, conference_ok = self._entry_filter("conference", Subtype.conference_ref)
        speaker, speaker_ok = self._entry_filter("speaker", Subtype.speaker_ref)
        valid = conference_ok and speaker_ok
        kind_text = self.text_option("kind")
        kind = None
        if kind_text is not None:
            try:
                kind = TalkKind(kind_text)
            except ValueError:
                self.warn(
                    f"talk-grid: unknown kind {kind_text!r}: use one of "
                    + ", ".join(k.value for k in TalkKind),
                    Subtype.option,
                )
                valid = False
        year_text = self.text_option("year")
        year = None
        if year_text is not None:
            if year_text.isascii() and year_text.isdigit() and len(year_text) == 4:
                year = int(year_text)
            else:
                self.warn(
                    f"talk-grid: invalid year {year_text!r}: use four digits, e.g. 2019",
                    Subtype.option,
                )
                valid = False
        for name in ("conference", "speaker", "tag", "kind", "year"):
            if name in self.options and self.text_option(name) is None:
                self.warn(f"talk-grid: the :{name}: option needs a value", Subtype.option)
                valid = False
        if not valid:
            return None
        return TalkQuery(
            conference=conference,
            speaker=speaker,
            tag=self.text_option("tag"),
            kind=kind,
            year=year,
        )

    def run(self) -> list[Node]:
        catalogue = get_catalogue(self.env)
        query = self._query(catalogue)
        if query is None:
            return []
        talks = query.select(catalogue)
        note_query(self.env, self.env.current_document.docname, query, talks)
        if not talks:
            filters = query.key().removeprefix("query:").replace("&", ", ") or "no filter"
            self.warn(
                f"talk-grid matches no talk ({filters}): check the filters against talks.yaml",
                Subtype.grid_empty,
            )
            return []
        grid = nodes.container(classes=["recaps-grid", *self.options.get("class", [])])
        self.set_source_info(grid)
        for talk in talks:
            card = build_card(self.env, self.state.document, catalogue, talk, how="grid")
            self.set_source_info(card)
            grid += card
        return [grid]


class _CatalogueRole(ReferenceRole):
    """``{talk}`<id>``` or ``{talk}`Custom text <id>```, and the same for speakers."""

    kind: ClassVar[str]
    subtype: ClassVar[Subtype]

    def run(self) -> tuple[list[Node], list[system_message]]:
        catalogue = get_catalogue(self.env)
        docname = self.env.current_document.docname
        lookup = resolve(self.env, self.kind, self.target.strip(), self._warn)
        entry = lookup.entry
        if lookup.withdrawn is not None:
            # The recap's own link text may be the title or the name that was taken
            # down; it is kept only when the entry was a duplicate.
            withdrawal = lookup.withdrawn.withdrawn
            keep = self.has_explicit_title and withdrawal and withdrawal.reason == "duplicate"
            text = self.title if keep else withdrawn_text(self.kind)
            return [nodes.inline(self.rawtext, text, classes=["recaps-withdrawn"])], []
        if entry is None:
            warn(
                f"unknown {self.kind} {self.target.strip()!r}: {_fix_hint(self.kind)}",
                self.subtype,
                location=self.get_location(),
            )
            return [nodes.inline(self.rawtext, self.title, classes=["recaps-unknown"])], []
        ident = entry.id
        shown: list[Talk | object] = [entry]
        if isinstance(entry, Talk):
            # The page's search filters name the speakers of every talk it mentions
            # (discovery/search.py), so renaming one of them must re-read the page.
            shown += [catalogue.speakers[s] for s in entry.speakers if s in catalogue.speakers]
        note_use(self.env, docname, shown)  # type: ignore[arg-type]
        text = self.title if self.has_explicit_title else _entry_text(entry)
        anchor = make_id(self.env, self.inliner.document, "mention", ident)
        link = make_link(self.kind, ident, nodes.Text(text))  # type: ignore[arg-type]
        link["ids"].append(anchor)
        self.inliner.document.note_explicit_target(link)
        self.set_source_info(link)
        note_mention(self.env, Mention(docname, self.kind, ident, anchor, "link"))
        return [link], []

    def _warn(self, message: str, subtype: Subtype) -> None:
        warn(message, subtype, location=self.get_location())


def _entry_text(entry: object) -> str:
    return str(getattr(entry, "title", None) or getattr(entry, "name", ""))


class TalkRole(_CatalogueRole):
    kind = "talk"
    subtype = Subtype.talk_ref


class SpeakerRole(_CatalogueRole):
    kind = "speaker"
    subtype = Subtype.speaker_ref


def setup_talks(app: Sphinx) -> None:
    app.add_directive("talk-card", TalkCard)
    app.add_directive("talk-grid", TalkGrid)
    app.add_role("talk", TalkRole())
    app.add_role("speaker", SpeakerRole())
