"""The catalogue's format: every field of every entry, its type and its help text.

This table is the single description of ``talks.yaml``: the loader validates against it,
the JSON Schema that editors use is generated from it, and the docs render it. A test
checks that it names exactly the fields of the model's dataclasses.

Regenerate the committed schema (``talks.schema.json``, next to this module) after
changing a field::

    recaps schema           # writes it
    recaps schema --check   # exits 1 if it is stale (a test checks this too)
"""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from conference_recaps.catalogue.model import (
    Conference,
    ConferenceKind,
    Speaker,
    Talk,
    TalkKind,
    WithdrawalReason,
)
from conference_recaps.urls import HTTP_URL_PATTERN
from conference_recaps.video import TIME_PATTERN

#: A lowercase slug: letters, digits and single hyphens (``djangocon-us-2019``).
SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
#: A talk id: ``<conference-id>/<talk-slug>``.
TALK_ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*/[a-z0-9]+(?:-[a-z0-9]+)*$"
#: An ISO 8601 calendar date, ``YYYY-MM-DD``.
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"

SCHEMA_FILE = Path(__file__).with_name("talks.schema.json")
SCHEMA_ID = "https://conference-recaps.readthedocs.io/talks.schema.json"


class FieldType(enum.Enum):
    """How a field's YAML value is read."""

    text = "text"
    """Any scalar, read as the text it looks like (``NO``, ``3.10`` and ``12:30`` stay text)."""
    slug = "slug"
    """A lowercase slug (an id, or a reference to one)."""
    talk_id = "talk_id"
    """``<conference-id>/<talk-slug>``."""
    date = "date"
    """An ISO date, ``YYYY-MM-DD``."""
    url = "url"
    """An ``http://`` or ``https://`` URL."""
    text_list = "text_list"
    """A list of texts."""
    slug_list = "slug_list"
    """A list of slugs (references or tags)."""
    talk_kind = "talk_kind"
    """One of the :class:`TalkKind` values."""
    chapters = "chapters"
    """A list of chapters: ``at`` (``m:ss`` or ``h:mm:ss``), ``title``, optional ``speakers``."""
    conference_kind = "conference_kind"
    """One of the :class:`ConferenceKind` values."""
    talk_id_list = "talk_id_list"
    """A list of talk ids, ``<conference-id>/<talk-slug>``."""
    alias_list = "alias_list"
    """A list of names, each a text or ``{name: ..., public: false}`` (never shown)."""
    withdrawal = "withdrawal"
    """``{reason: speaker-request | legal | duplicate, date: YYYY-MM-DD}``."""


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One key of a catalogue entry."""

    name: str
    type: FieldType
    help: str
    required: bool = False
    #: The list whose ids this field names (``conferences`` or ``speakers``), if any.
    ref: str | None = None


@dataclass(frozen=True, slots=True)
class EntrySpec:
    """One of the catalogue's three lists and the fields of its entries."""

    list_name: str
    noun: str
    model: type[Conference | Speaker | Talk]
    fields: tuple[FieldSpec, ...]

    def field(self, name: str) -> FieldSpec | None:
        for spec in self.fields:
            if spec.name == name:
                return spec
        return None


_FORMER_IDS = (
    "Ids it had before (a rename or a merge): each old URL redirects here, and recaps "
    "that still name an old id build with a warning."
)
_WITHDRAWN = (
    "Taken down: ``{reason: speaker-request, date: 2026-12-01}`` (reason "
    "``speaker-request``, ``legal`` or ``duplicate``); it leaves every listing and its "
    "URL shows a short notice."
)

CONFERENCE = EntrySpec(
    "conferences",
    "conference",
    Conference,
    (
        FieldSpec("id", FieldType.slug, "Stable id, e.g. ``djangocon-us-2019``.", required=True),
        FieldSpec("name", FieldType.text, "Display name, e.g. DjangoCon US 2019.", required=True),
        FieldSpec("series", FieldType.text, "The recurring event, e.g. DjangoCon US."),
        FieldSpec("start", FieldType.date, "First day (ISO date).", required=True),
        FieldSpec("end", FieldType.date, "Last day (ISO date), not before start.", required=True),
        FieldSpec("location", FieldType.text, "City, region and country, or Online."),
        FieldSpec("url", FieldType.url, "The conference's own site (http or https)."),
        FieldSpec("description", FieldType.text, "A short description shown on its page."),
        FieldSpec(
            "kind",
            FieldType.conference_kind,
            "``conference`` (default) or ``meetup``: a series of evenings, not one event; "
            "its page shows it as e.g. *meetup, 2008-2024, 90 talks*.",
        ),
        FieldSpec("former_ids", FieldType.slug_list, _FORMER_IDS),
        FieldSpec("withdrawn", FieldType.withdrawal, _WITHDRAWN),
    ),
)

SPEAKER = EntrySpec(
    "speakers",
    "speaker",
    Speaker,
    (
        FieldSpec("id", FieldType.slug, "Stable id, e.g. ``andrew-godwin``.", required=True),
        FieldSpec("name", FieldType.text, "The name as the speaker writes it.", required=True),
        FieldSpec(
            "aliases",
            FieldType.alias_list,
            "Other spellings seen in sources; ``{name: ..., public: false}`` for a name "
            "kept only to match imports, never shown.",
        ),
        FieldSpec("url", FieldType.url, "The speaker's site or profile (http or https)."),
        FieldSpec("former_ids", FieldType.slug_list, _FORMER_IDS),
        FieldSpec("withdrawn", FieldType.withdrawal, _WITHDRAWN),
    ),
)

TALK = EntrySpec(
    "talks",
    "talk",
    Talk,
    (
        FieldSpec(
            "id",
            FieldType.talk_id,
            "``<conference-id>/<talk-slug>``, e.g. ``djangocon-us-2019/just-add-await``.",
            required=True,
        ),
        FieldSpec(
            "conference",
            FieldType.slug,
            "The id of its conference.",
            required=True,
            ref="conferences",
        ),
        FieldSpec("title", FieldType.text, "The talk's title.", required=True),
        FieldSpec("speakers", FieldType.slug_list, "Ids of its speakers.", ref="speakers"),
        FieldSpec("kind", FieldType.talk_kind, "The kind of session (default ``talk``)."),
        FieldSpec("date", FieldType.date, "The day it was given (ISO date)."),
        FieldSpec(
            "abstract",
            FieldType.text,
            "The abstract, in Markdown without HTML: paragraphs, lists, emphasis, links "
            "(plain text reads the same).",
        ),
        FieldSpec("video", FieldType.url, "The recording (http or https)."),
        FieldSpec("slides", FieldType.url, "The slides (http or https)."),
        FieldSpec("tags", FieldType.slug_list, "Topics, as slugs, e.g. ``[async, django]``."),
        FieldSpec("former_ids", FieldType.talk_id_list, _FORMER_IDS),
        FieldSpec("withdrawn", FieldType.withdrawal, _WITHDRAWN),
        FieldSpec(
            "chapters",
            FieldType.chapters,
            "Moments of the video, in order, as a source gives them (never invented): "
            "``at`` (``m:ss`` or ``h:mm:ss``), ``title`` and, for a lightning talk, its "
            "``speakers``.",
            ref="speakers",
        ),
    ),
)

ENTRY_SPECS = (CONFERENCE, SPEAKER, TALK)


#: The JSON Schema of each field type's value.
_TYPE_SCHEMAS: dict[FieldType, dict[str, Any]] = {
    FieldType.text: {"type": "string", "minLength": 1},
    FieldType.slug: {"type": "string", "pattern": SLUG_PATTERN},
    FieldType.talk_id: {"type": "string", "pattern": TALK_ID_PATTERN},
    FieldType.date: {"type": "string", "format": "date", "pattern": DATE_PATTERN},
    FieldType.url: {"type": "string", "format": "uri", "pattern": HTTP_URL_PATTERN},
    FieldType.text_list: {"type": "array", "items": {"type": "string", "minLength": 1}},
    FieldType.slug_list: {
        "type": "array",
        "items": {"type": "string", "pattern": SLUG_PATTERN},
        "uniqueItems": True,
    },
    FieldType.talk_kind: {"type": "string", "enum": [kind.value for kind in TalkKind]},
    FieldType.conference_kind: {
        "type": "string",
        "enum": [kind.value for kind in ConferenceKind],
    },
    FieldType.talk_id_list: {
        "type": "array",
        "items": {"type": "string", "pattern": TALK_ID_PATTERN},
        "uniqueItems": True,
    },
    FieldType.alias_list: {
        "type": "array",
        "items": {
            "anyOf": [
                {"type": "string", "minLength": 1},
                {
                    "type": "object",
                    "properties": {
                        "name": {"type": "string", "minLength": 1},
                        # YAML's false, or the text "false" as the loader reads it.
                        "public": {"enum": [True, False, "true", "false"]},
                    },
                    "required": ["name"],
                    "additionalProperties": False,
                },
            ]
        },
    },
    FieldType.withdrawal: {
        "type": "object",
        "properties": {
            "reason": {"type": "string", "enum": [r.value for r in WithdrawalReason]},
            "date": {"type": "string", "format": "date", "pattern": DATE_PATTERN},
        },
        "required": ["reason", "date"],
        "additionalProperties": False,
    },
    FieldType.chapters: {
        "type": "array",
        "items": {
            "type": "object",
            "properties": {
                "at": {"type": "string", "pattern": TIME_PATTERN},
                "title": {"type": "string", "minLength": 1},
                "speakers": {
                    "type": ["array", "null"],
                    "items": {"type": "string", "pattern": SLUG_PATTERN},
                    "uniqueItems": True,
                },
            },
            "required": ["at", "title"],
            "additionalProperties": False,
        },
    },
}


def field_schema(spec: FieldSpec) -> dict[str, Any]:
    """The JSON Schema of one field; optional fields also accept ``null``."""
    schema: dict[str, Any] = _TYPE_SCHEMAS[spec.type]
    schema = {"description": spec.help, **schema}
    if not spec.required:
        schema["type"] = [schema["type"], "null"]
        if "enum" in schema:
            schema["enum"] = [*schema["enum"], None]
    return schema


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a catalogue file, generated from the field table."""
    definitions = {}
    for entry in ENTRY_SPECS:
        definitions[entry.noun] = {
            "type": "object",
            "description": (entry.model.__doc__ or "").strip(),
            "properties": {spec.name: field_schema(spec) for spec in entry.fields},
            "required": [spec.name for spec in entry.fields if spec.required],
            "additionalProperties": False,
        }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "Conference recaps talk catalogue (talks.yaml, talks/*.yaml)",
        "description": (
            "Conferences, speakers and talks. Every value is read as the text it looks "
            "like (YAML 1.2 core: NO, off, 12:30 and 3.10 are strings); dates are "
            "YYYY-MM-DD; URLs are http or https."
        ),
        "type": "object",
        "properties": {
            entry.list_name: {
                "type": ["array", "null"],
                "items": {"$ref": f"#/$defs/{entry.noun}"},
            }
            for entry in ENTRY_SPECS
        },
        "additionalProperties": False,
        "$defs": definitions,
    }


def schema_text() -> str:
    """The schema as committed: two-space indented, ending in a newline."""
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
