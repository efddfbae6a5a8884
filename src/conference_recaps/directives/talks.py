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

from conference_recaps.catalogue.model import Catalogue, Talk, TalkKind
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
    from docutils.nodes import Node, system_message
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment


def _fix_hint(kind: str) -> str:
    return f"use an id from the catalogue's {kind}s list, or add the {kind} to talks.yaml"


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
        talk = catalogue.talks.get(talk_id)
        if talk is None:
            note_missing(self.env, self.env.current_document.docname, f"talk:{talk_id}")
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

    def _query(self, catalogue: Catalogue) -> TalkQuery | None:
        """The filters, or None (after a warning) when one names nothing that exists."""
        docname = self.env.current_document.docname
        valid = True
        conference = self.text_option("conference")
        if conference is not None and conference not in catalogue.conferences:
            note_missing(self.env, docname, f"conference:{conference}")
            self.warn(
                f"talk-grid: unknown conference {conference!r}: {_fix_hint('conference')}",
                Subtype.conference_ref,
            )
            valid = False
        speaker = self.text_option("speaker")
        if speaker is not None and speaker not in catalogue.speakers:
            note_missing(self.env, docname, f"speaker:{speaker}")
            self.warn(
                f"talk-grid: unknown speaker {speaker!r}: {_fix_hint('speaker')}",
                Subtype.speaker_ref,
            )
            valid = False
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
        ident = self.target.strip()
        entry = catalogue.talks.get(ident) if self.kind == "talk" else catalogue.speakers.get(ident)
        if entry is None:
            note_missing(self.env, docname, f"{self.kind}:{ident}")
            warn(
                f"unknown {self.kind} {ident!r}: {_fix_hint(self.kind)}",
                self.subtype,
                location=self.get_location(),
            )
            return [nodes.inline(self.rawtext, self.title, classes=["recaps-unknown"])], []
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
