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
import functools
import io
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.util import logging

from conference_recaps.catalogue.model import Speaker, fingerprint, talk_order, talk_speakers
from conference_recaps.catalogue.schema import CONFERENCE, SPEAKER, TALK, EntrySpec, field_schema
from conference_recaps.discovery.outputs import IncrementalFiles, digest, load_state, save_state
from conference_recaps.discovery.site import base_url, page_url
from conference_recaps.domain import get_catalogue
from conference_recaps.fingerprint import code_fingerprint
from conference_recaps.inputs import catalogue_inputs
from conference_recaps.urls import catalogue_page

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

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
    return (_json_text(data) + "\n").encode()


def _json_text(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _json_lists(head: dict[str, Any], lists: Iterable[tuple[str, list[str]]]) -> bytes:
    """``_json({**head, name: [...], ...})`` from each list's items already as JSON text:
    the same bytes, without serialising again the records that did not change."""
    parts = [_json_text(head)[:-1]]
    for name, items in lists:
        parts += [",", _json_text(name), ":[", ",".join(items), "]"]
    parts.append("}\n")
    return "".join(parts).encode()


class SavedText:
    """The JSON text of each record and the CSV row of each talk, kept from the last
    build by the fingerprint of what each is made from.

    ``catalogue.json`` and ``talks.csv`` hold every record: made again from the
    catalogue, they were a tenth of a talk edit at pyvideo.org's scale (35,000 records).
    The bytes are those of serialising anew (:func:`_json_lists`); a change of code,
    builder or base URL (``common``) starts afresh.
    """

    def __init__(self, path: Path, common: str) -> None:
        self.path = path
        self.common = common
        state = load_state(path)
        self.before: dict[tuple[str, str], tuple[str, str]] = (
            state.get("texts", {}) if state.get("common") == common else {}
        )
        self.now: dict[tuple[str, str], tuple[str, str]] = {}

    def text(self, key: tuple[str, str], fingerprint: str, make: Callable[[], str]) -> str:
        saved = self.before.get(key)
        if saved is not None and saved[0] == fingerprint:
            self.now[key] = saved
            return saved[1]
        text = make()
        self.now[key] = (fingerprint, text)
        return text

    def save(self) -> None:
        save_state(self.path, {"common": self.common, "texts": self.now})


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


def talks_csv(
    records: Records,
    talks: Iterable[Talk],
    saved: Callable[[Talk, Callable[[], str]], str] = lambda _talk, make: make(),
) -> bytes:
    """Every talk, one row each: the talk's fields, then :data:`CSV_EXTRA`.

    ``saved`` gives a talk's row as the last build wrote it when what it is made from
    did not change, else makes it (:class:`SavedText`).
    """
    buffer = io.StringIO()
    columns = [field.name for field in TALK.fields]
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([*columns, *CSV_EXTRA])
    catalogue = records.catalogue
    row_buffer = io.StringIO()
    row_writer = csv.writer(row_buffer, lineterminator="\r\n")

    def make_row(talk: Talk) -> str:
        record = records.talk(talk)
        conference = catalogue.conferences.get(talk.conference)
        names = [catalogue.speakers[s].name for s in talk.speakers if s in catalogue.speakers]
        row = [record[name] for name in columns]
        row += [conference.name if conference else None, names, record["url"]]
        row_buffer.seek(0)
        row_buffer.truncate()
        row_writer.writerow([csv_cell(value) for value in row])
        return row_buffer.getvalue()

    for talk in talks:
        buffer.write(saved(talk, functools.partial(make_row, talk)))
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
    files = IncrementalFiles(Path(app.outdir), Path(app.doctreedir) / f"recaps-api.{builder.name}")
    if not files.kept(catalogue_inputs(app)):
        api = ApiBuild(app, files)
        api.entry_files()
        api.catalogue_files()
    files.finish()
    return files


class ApiBuild:
    """One build's API files, made from the catalogue.

    An entry's file is made from its own entry and those it names, each an entry of the
    catalogue: when none of their fingerprints changed, the file is kept as it is (an
    edit to one talk serialises a few files again, not 35,000). ``catalogue.json`` and
    ``talks.csv`` reuse the text of each record that did not change (:class:`SavedText`).
    """

    def __init__(self, app: Sphinx, files: IncrementalFiles) -> None:
        builder = app.builder
        self.files = files
        self.catalogue = catalogue = get_catalogue(app.env)
        self.base = base = base_url(app.config)
        self.records = Records(builder, catalogue)
        self.talks = public_talks(catalogue)
        self.schema_url = f"{base}{API_DIR}/schema.json"
        self.common = common = digest(API_VERSION, builder.name, base, code_fingerprint())
        self.saved = SavedText(Path(app.doctreedir) / f"recaps-api-texts.{builder.name}", common)
        self.fingerprints: dict[tuple[str, str], str] = {}
        #: What each talk's file and CSV row are made from: it, its conference, speakers.
        self.talk_inputs: dict[str, str] = {}

    def doc(self, kind: str, **content: Any) -> bytes:
        return _json(
            {"api_version": API_VERSION, "kind": kind, "schema": self.schema_url, **content}
        )

    def fingerprint(self, entry: Entry) -> str:
        key = (type(entry).__name__, entry.id)
        found = self.fingerprints.get(key)
        if found is None:
            found = self.fingerprints[key] = fingerprint(entry)
        return found

    def made_from(self, *entries: Entry) -> str:
        return digest(self.common, [self.fingerprint(entry) for entry in entries])

    def speakers_named(self, own: Iterable[Talk]) -> list[Speaker]:
        speakers = self.catalogue.speakers
        ids = dict.fromkeys(s for talk in own for s in talk_speakers(talk))
        return [speakers[s] for s in ids if s in speakers]

    def entry_files(self) -> None:
        """``talks/<id>.json``, ``conferences/<id>.json`` and ``speakers/<id>.json``."""
        catalogue, records, files = self.catalogue, self.records, self.files
        talks_of_conference: dict[str, list[Talk]] = {}
        talks_of_speaker: dict[str, list[Talk]] = {}
        for talk in self.talks:
            talks_of_conference.setdefault(talk.conference, []).append(talk)
            # A lightning talk's chapter speakers count, as on their pages.
            for speaker_id in talk_speakers(talk):
                talks_of_speaker.setdefault(speaker_id, []).append(talk)
        for talk in self.talks:
            conference = catalogue.conferences[talk.conference]
            relpath = talk_file(talk.id)
            inputs = self.made_from(talk, conference, *self.speakers_named([talk]))
            self.talk_inputs[talk.id] = inputs
            if files.unchanged(relpath, inputs):
                continue
            files.write(
                relpath,
                self.doc(
                    "talk",
                    talk=records.talk(talk),
                    conference=records.conference(conference),
                    speakers=records.speakers_of([talk]),
                ),
            )
        for conference in catalogue.conferences.values():
            own = talks_of_conference.get(conference.id, [])
            relpath = conference_file(conference.id)
            if files.unchanged(
                relpath, self.made_from(conference, *own, *self.speakers_named(own))
            ):
                continue
            files.write(
                relpath,
                self.doc(
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
            if files.unchanged(relpath, self.made_from(speaker, *own, *seen)):
                continue
            files.write(
                relpath,
                self.doc(
                    "speaker",
                    speaker=records.speaker(speaker),
                    talks=[records.talk(t) for t in own],
                    conferences=[records.conference(c) for c in seen],
                ),
            )

    def texts(self, entries: Iterable[Entry], record: Callable[[Any], dict[str, Any]]) -> list[str]:
        """Each entry's record as JSON text, kept from the last build when the entry (all
        a record is made from, with ``common``) did not change."""
        return [
            self.saved.text(
                (type(entry).__name__, entry.id),
                self.fingerprint(entry),
                functools.partial(_record_text, record, entry),
            )
            for entry in entries
        ]

    def csv_row(self, talk: Talk, make: Callable[[], str]) -> str:
        """A talk's CSV row: made from what its file is made from (:meth:`entry_files`)."""
        return self.saved.text(("csv", talk.id), self.talk_inputs[talk.id], make)

    def catalogue_files(self) -> None:
        """``catalogue.json``, ``talks.csv``, ``index.json`` and ``schema.json``."""
        catalogue, records, base, files = self.catalogue, self.records, self.base, self.files
        conferences = sorted(catalogue.conferences.values(), key=lambda c: (c.start, c.id))
        speakers = sorted(catalogue.speakers.values(), key=lambda s: s.id)
        head = {"api_version": API_VERSION, "kind": "catalogue", "schema": self.schema_url}
        files.write(
            f"{API_DIR}/catalogue.json",
            _json_lists(
                {**head, "licence": LICENCE},
                [
                    ("conferences", self.texts(conferences, records.conference)),
                    ("speakers", self.texts(speakers, records.speaker)),
                    ("talks", self.texts(self.talks, records.talk)),
                ],
            ),
        )
        files.write(f"{API_DIR}/talks.csv", talks_csv(records, self.talks, self.csv_row))
        self.saved.save()
        files.write(
            f"{API_DIR}/index.json",
            self.doc(
                "index",
                licence=LICENCE,
                counts={
                    "conferences": len(conferences),
                    "speakers": len(speakers),
                    "talks": len(self.talks),
                },
                links={
                    "catalogue": f"{base}{API_DIR}/catalogue.json",
                    "csv": f"{base}{API_DIR}/talks.csv",
                    "schema": self.schema_url,
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


def _record_text(record: Callable[[Any], dict[str, Any]], entry: Entry) -> str:
    return _json_text(record(entry))


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
