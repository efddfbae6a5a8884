"""Open data: the catalogue as static JSON files and a CSV, written with the site.

=====================================  ================================================
``api/index.json``                     version, licence, counts and links to the rest
``api/catalogue.json``                 every conference, speaker and talk
``api/conferences/<id>.json``          a conference, its talks and their speakers
``api/speakers/<id>.json``             a speaker, their talks and those conferences
``api/talks/<talk-id>.json``           a talk, its conference and its speakers
``api/talks.csv``                      every talk, one row each
``api/schema.json``                    the JSON Schema every file above follows
=====================================  ================================================

A record carries every field of the catalogue's field table
(:mod:`conference_recaps.catalogue.schema`) under the same name, ``null`` or ``[]``
when the catalogue leaves it out, plus ``url`` (its page) and ``api`` (its JSON file).
The schema is generated from that same table, so a field added to the catalogue is in
the API and its schema at once; :data:`API_VERSION` changes when a field is renamed or
removed (adding one is compatible).

Each file is written only when its bytes changed (:class:`.outputs.IncrementalFiles`),
and files of entries that left the catalogue are removed. Every file is made from the
catalogue alone, so two builds of one commit write the same bytes.
"""

from __future__ import annotations

import csv
import datetime
import enum
import io
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.util import logging

from conference_recaps.catalogue.model import Speaker, fingerprint, talk_order, talk_speakers
from conference_recaps.catalogue.schema import CONFERENCE, SPEAKER, TALK, EntrySpec, field_schema
from conference_recaps.discovery.outputs import IncrementalFiles, digest
from conference_recaps.discovery.site import base_url, page_url
from conference_recaps.domain import get_catalogue
from conference_recaps.fingerprint import code_fingerprint
from conference_recaps.inputs import catalogue_inputs
from conference_recaps.urls import catalogue_page

if TYPE_CHECKING:
    from collections.abc import Iterable

    from sphinx.application import Sphinx
    from sphinx.builders import Builder

    from conference_recaps.catalogue.model import Catalogue, Conference, Entry, Talk

logger = logging.getLogger(__name__)

API_DIR = "api"
#: The API's major version: bumped when a field is renamed or removed, or a file moves.
API_VERSION = 1
#: SPDX id of the licence of the records imported from pyvideo.org.
PYVIDEO_LICENCE = "CC0-1.0"
LICENCE = {
    "pyvideo": {
        "spdx": PYVIDEO_LICENCE,
        "url": "https://creativecommons.org/publicdomain/zero/1.0/",
        "applies_to": (
            "Talk, speaker and conference records imported from pyvideo.org "
            "(titles, speakers, dates, abstracts, video links): public domain, CC0 1.0."
        ),
    },
    "other": (
        "Records and fields added or corrected by this site's contributors are factual "
        "data (names, titles, dates, places, links) taken from the sources each recap "
        "credits. The repository's LICENSE covers its code (MIT) and names no licence "
        "for them; the recaps' own text is not part of this data."
    ),
}
#: Columns of ``talks.csv`` besides the talk's own fields.
CSV_EXTRA = ("conference_name", "speaker_names", "url")
#: A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def talk_file(talk_id: str) -> str:
    return f"{API_DIR}/talks/{talk_id}.json"


def speaker_file(speaker_id: str) -> str:
    return f"{API_DIR}/speakers/{speaker_id}.json"


def conference_file(conference_id: str) -> str:
    return f"{API_DIR}/conferences/{conference_id}.json"


def _plain(value: Any) -> Any:
    """A model value as JSON: dates as ISO text, enums as their value, tuples as lists."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    if hasattr(value, "__dataclass_fields__"):
        return {
            name: _plain(getattr(value, name))
            for name in value.__dataclass_fields__
            if name != "position"
        }
    return value


class Records:
    """The JSON record of each entry, made once per build."""

    def __init__(self, builder: Builder, catalogue: Catalogue) -> None:
        self.builder = builder
        self.catalogue = catalogue
        self.base = base_url(builder.config)
        self._cache: dict[tuple[str, str], dict[str, Any]] = {}

    def _record(self, spec: EntrySpec, entry: Entry, page: str, api: str) -> dict[str, Any]:
        key = (spec.noun, entry.id)
        cached = self._cache.get(key)
        if cached is None:
            cached = {field.name: _plain(getattr(entry, field.name)) for field in spec.fields}
            if isinstance(entry, Speaker):
                # A name the person no longer uses (public: false) is kept for matching
                # imports only: never published, here as on the pages (issue 18).
                cached["aliases"] = list(entry.public_aliases)
            cached["url"] = page_url(self.builder, page)
            cached["api"] = self.base + api
            self._cache[key] = cached
        return cached

    def talk(self, talk: Talk) -> dict[str, Any]:
        return self._record(TALK, talk, catalogue_page("talk", talk.id), talk_file(talk.id))

    def speaker(self, speaker: Speaker) -> dict[str, Any]:
        page = catalogue_page("speaker", speaker.id)
        return self._record(SPEAKER, speaker, page, speaker_file(speaker.id))

    def conference(self, conference: Conference) -> dict[str, Any]:
        page = catalogue_page("conference", conference.id)
        return self._record(CONFERENCE, conference, page, conference_file(conference.id))

    def speakers_of(self, talks: Iterable[Talk]) -> list[dict[str, Any]]:
        """The records of the talks' speakers, each once, in order of appearance."""
        seen: dict[str, None] = {}
        for talk in talks:
            for speaker_id in talk_speakers(talk):
                seen.setdefault(speaker_id, None)
        speakers = self.catalogue.speakers
        return [self.speaker(speakers[s]) for s in seen if s in speakers]


def _json(data: dict[str, Any]) -> bytes:
    """Compact JSON: Python's C encoder serves only compact output (an ``indent`` makes
    it fall back to the pure-Python one, three times slower over 35,000 files), and the
    files are a tenth smaller."""
    return (json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n").encode()


def public_talks(catalogue: Catalogue) -> list[Talk]:
    """The talks the API lists, in catalogue order (date, title, id)."""
    return [t for c in catalogue.conferences for t in catalogue.talks_of_conference(c)]


def csv_cell(value: Any) -> str:
    """A value as a CSV cell: lists joined with ``; ``; a would-be formula made text."""
    if value is None:
        return ""
    if isinstance(value, list):
        value = "; ".join(str(item) for item in value)
    text = str(value)
    # A cell that starts like a formula is run by spreadsheets: quote it as text, as
    # OWASP advises for CSV exports (the JSON files keep the value as written).
    return "'" + text if text.startswith(_FORMULA_START) else text


def talks_csv(records: Records, talks: Iterable[Talk]) -> bytes:
    """Every talk, one row each: the talk's fields, then :data:`CSV_EXTRA`."""
    buffer = io.StringIO()
    columns = [field.name for field in TALK.fields]
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([*columns, *CSV_EXTRA])
    catalogue = records.catalogue
    for talk in talks:
        record = records.talk(talk)
        conference = catalogue.conferences.get(talk.conference)
        names = [catalogue.speakers[s].name for s in talk.speakers if s in catalogue.speakers]
        row = [record[name] for name in columns]
        row += [conference.name if conference else None, names, record["url"]]
        writer.writerow([csv_cell(value) for value in row])
    return buffer.getvalue().encode()


def _record_schema(spec: EntrySpec) -> dict[str, Any]:
    properties = {field.name: field_schema(field) for field in spec.fields}
    properties["url"] = {"description": "Its page on the site.", "type": "string"}
    properties["api"] = {"description": "Its JSON file in this API.", "type": "string"}
    return {
        "type": "object",
        "description": (spec.model.__doc__ or "").strip(),
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


def api_schema(base: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of every API file, from the catalogue's field table."""

    def many(noun: str) -> dict[str, Any]:
        return {"type": "array", "items": {"$ref": f"#/$defs/{noun}"}}

    def one(noun: str) -> dict[str, Any]:
        return {"$ref": f"#/$defs/{noun}"}

    def document(kind: str, **parts: dict[str, Any]) -> dict[str, Any]:
        head = {
            "api_version": {"const": API_VERSION},
            "kind": {"const": kind},
            "schema": {"type": "string"},
        }
        return {
            "type": "object",
            "properties": {**head, **parts},
            "required": [*head, *parts],
            "additionalProperties": False,
        }

    link = {"type": "string", "pattern": "^https?://"}
    counts = {
        "type": "object",
        "properties": {
            n: {"type": "integer", "minimum": 0} for n in ("conferences", "speakers", "talks")
        },
        "required": ["conferences", "speakers", "talks"],
        "additionalProperties": False,
    }
    links = {
        "type": "object",
        "properties": {
            name: link for name in ("catalogue", "csv", "schema", "talk", "speaker", "conference")
        },
        "required": ["catalogue", "csv", "schema", "talk", "speaker", "conference"],
        "additionalProperties": False,
    }
    conference_link = {
        "type": "object",
        "properties": {"id": {"type": "string"}, "name": {"type": "string"}, "api": link},
        "required": ["id", "name", "api"],
        "additionalProperties": False,
    }
    documents = {
        "index": document(
            "index",
            licence={"type": "object"},
            counts=counts,
            links=links,
            conferences={"type": "array", "items": conference_link},
        ),
        "catalogue": document(
            "catalogue",
            licence={"type": "object"},
            conferences=many("conference"),
            speakers=many("speaker"),
            talks=many("talk"),
        ),
        "conference_file": document(
            "conference", conference=one("conference"), talks=many("talk"), speakers=many("speaker")
        ),
        "speaker_file": document(
            "speaker", speaker=one("speaker"), talks=many("talk"), conferences=many("conference")
        ),
        "talk_file": document(
            "talk", talk=one("talk"), conference=one("conference"), speakers=many("speaker")
        ),
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{base}{API_DIR}/schema.json",
        "title": f"Conference recaps open data, API version {API_VERSION}",
        "description": (
            "The files under /api/. Records carry the catalogue's fields (talks.yaml) under "
            "the same names, null or [] when not given, plus url and api."
        ),
        "oneOf": [{"$ref": f"#/$defs/{name}"} for name in documents],
        "$defs": {
            "conference": _record_schema(CONFERENCE),
            "speaker": _record_schema(SPEAKER),
            "talk": _record_schema(TALK),
            **documents,
        },
    }


def write_api(app: Sphinx) -> IncrementalFiles:
    """Write every API file whose content changed; remove those of departed entries."""
    builder = app.builder
    catalogue = get_catalogue(app.env)
    base = base_url(app.config)
    records = Records(builder, catalogue)
    files = IncrementalFiles(Path(app.outdir), Path(app.doctreedir) / f"recaps-api.{builder.name}")
    if files.kept(catalogue_inputs(app)):
        files.finish()
        return files
    talks = public_talks(catalogue)
    schema_url = f"{base}{API_DIR}/schema.json"

    def doc(kind: str, **content: Any) -> bytes:
        return _json({"api_version": API_VERSION, "kind": kind, "schema": schema_url, **content})

    talks_of_conference: dict[str, list[Talk]] = {}
    talks_of_speaker: dict[str, list[Talk]] = {}
    for talk in talks:
        talks_of_conference.setdefault(talk.conference, []).append(talk)
        # A lightning talk's chapter speakers count, as on their pages.
        for speaker_id in talk_speakers(talk):
            talks_of_speaker.setdefault(speaker_id, []).append(talk)

    # An entry's file is made from its own entry and those it names, each an entry of
    # the catalogue: when none of their fingerprints changed, the file is kept as it is
    # (an edit to one talk serialises a few files again, not 35,000).
    common = digest(API_VERSION, builder.name, base, code_fingerprint())
    fingerprints: dict[tuple[str, str], str] = {}

    def made_from(*entries: Entry) -> str:
        parts = []
        for entry in entries:
            key = (type(entry).__name__, entry.id)
            if key not in fingerprints:
                fingerprints[key] = fingerprint(entry)
            parts.append(fingerprints[key])
        return digest(common, parts)

    def speakers_named(own: Iterable[Talk]) -> list[Speaker]:
        ids = dict.fromkeys(s for talk in own for s in talk_speakers(talk))
        return [catalogue.speakers[s] for s in ids if s in catalogue.speakers]

    for talk in talks:
        conference = catalogue.conferences[talk.conference]
        relpath = talk_file(talk.id)
        if files.unchanged(relpath, made_from(talk, conference, *speakers_named([talk]))):
            continue
        files.write(
            relpath,
            doc(
                "talk",
                talk=records.talk(talk),
                conference=records.conference(conference),
                speakers=records.speakers_of([talk]),
            ),
        )
    for conference in catalogue.conferences.values():
        own = talks_of_conference.get(conference.id, [])
        relpath = conference_file(conference.id)
        if files.unchanged(relpath, made_from(conference, *own, *speakers_named(own))):
            continue
        files.write(
            relpath,
            doc(
                "conference",
                conference=records.conference(conference),
                talks=[records.talk(t) for t in own],
                speakers=records.speakers_of(own),
            ),
        )
    for speaker in catalogue.speakers.values():
        own = sorted(talks_of_speaker.get(speaker.id, []), key=talk_order)
        seen = [catalogue.conferences[c] for c in dict.fromkeys(t.conference for t in own)]
        relpath = speaker_file(speaker.id)
        if files.unchanged(relpath, made_from(speaker, *own, *seen)):
            continue
        files.write(
            relpath,
            doc(
                "speaker",
                speaker=records.speaker(speaker),
                talks=[records.talk(t) for t in own],
                conferences=[records.conference(c) for c in seen],
            ),
        )
    conferences = sorted(catalogue.conferences.values(), key=lambda c: (c.start, c.id))
    speakers = sorted(catalogue.speakers.values(), key=lambda s: s.id)
    files.write(
        f"{API_DIR}/catalogue.json",
        doc(
            "catalogue",
            licence=LICENCE,
            conferences=[records.conference(c) for c in conferences],
            speakers=[records.speaker(s) for s in speakers],
            talks=[records.talk(t) for t in talks],
        ),
    )
    files.write(f"{API_DIR}/talks.csv", talks_csv(records, talks))
    files.write(
        f"{API_DIR}/index.json",
        doc(
            "index",
            licence=LICENCE,
            counts={
                "conferences": len(conferences),
                "speakers": len(speakers),
                "talks": len(talks),
            },
            links={
                "catalogue": f"{base}{API_DIR}/catalogue.json",
                "csv": f"{base}{API_DIR}/talks.csv",
                "schema": schema_url,
                "talk": f"{base}{talk_file('{id}')}",
                "speaker": f"{base}{speaker_file('{id}')}",
                "conference": f"{base}{conference_file('{id}')}",
            },
            conferences=[
                {"id": c.id, "name": c.name, "api": base + conference_file(c.id)}
                for c in conferences
            ],
        ),
    )
    files.write(f"{API_DIR}/schema.json", _json(api_schema(base)))
    files.finish()
    return files


def _write_api(app: Sphinx, exception: BaseException | None) -> None:
    if exception is not None or app.builder.name not in {"html", "dirhtml"}:
        return
    files = write_api(app)
    if files.written:
        logger.info(
            "open data: wrote %d of %d files under api/", len(files.written), len(files.current)
        )


def setup_api(app: Sphinx) -> None:
    app.connect("build-finished", _write_api, priority=650)
