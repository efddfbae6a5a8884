# ruff: noqa: E501 - the table holds exact messages, one per line, easier to read unwrapped
"""Every mistake a contributor can make in the catalogue, one file each, at its exact place.

Each file under ``tests/catalogue/bad/`` is a valid catalogue with one mistake; the
expected lines are ``file:line:col: message`` (``warning:`` marks lint findings).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from pathlib import Path

import pytest
import yaml

from conference_recaps.catalogue import loader
from conference_recaps.catalogue.loader import catalogue_files, load_catalogue
from conference_recaps.catalogue.model import (
    Alias,
    Catalogue,
    ConferenceKind,
    Lookup,
    Speaker,
    TalkKind,
)
from conference_recaps.catalogue.schema import ENTRY_SPECS
from conference_recaps.config import RecapsConfig
from conference_recaps.diagnostics import Subtype

HERE = Path(__file__).parent / "catalogue"
BAD = HERE / "bad"

EXPECTED: dict[str, list[str]] = {
    "aliases-bad": [
        "aliases-bad.yaml:11:35: unknown public 'no'; use one of true, false",
        "aliases-bad.yaml:12:9: an item of 'aliases' lacks the key 'name'",
        "aliases-bad.yaml:13:24: unknown key 'hidden' in an item of 'aliases' (the keys are: name, public)",
    ],
    "former-ids-clash": [
        "former-ids-clash.yaml:7:5: speaker 'ada' lists its own id in 'former_ids'; remove it",
        "former-ids-clash.yaml:14:5: talk 'pycon-2020/a' lists 'pycon-2020/b' in 'former_ids', but that is the id of the talk at former-ids-clash.yaml:19; an id is either current or former: merge the two entries or remove the former id",
        "former-ids-clash.yaml:28:5: talk 'pycon-2020/d' lists 'pycon-2019/c' in 'former_ids', as does talk 'pycon-2020/c' at former-ids-clash.yaml:23; an old URL can redirect to one entry only, keep it on one of them",
        "former-ids-clash.yaml:37:18: 'former_ids' 'not-a-talk-id' is not a talk id: write '<conference-id>/<talk-slug>' in lowercase letters, digits and hyphens",
        "former-ids-clash.yaml:37:33: 'former_ids' 'ada' is not a talk id: write '<conference-id>/<talk-slug>' in lowercase letters, digits and hyphens",
    ],
    "withdrawn-bad": [
        "withdrawn-bad.yaml:6:16: 'withdrawn' must be a mapping, e.g. {reason: speaker-request, date: 2026-12-01}",
        "withdrawn-bad.yaml:10:25: unknown reason 'boredom'; use one of speaker-request, legal, duplicate",
        "withdrawn-bad.yaml:16:16: 'withdrawn' lacks the key 'date', e.g. {reason: speaker-request, date: 2026-12-01}",
    ],
    "alias": [
        "alias.yaml:10:15: YAML aliases (*name) are not supported; write the value out",
    ],
    "chapter-keys": [
        "chapter-keys.yaml:17:9: a chapter lacks the required key 'title'",
        "chapter-keys.yaml:18:9: unknown key 'speaker' in a chapter (did you mean 'speakers'?)",
    ],
    "chapter-order": [
        "chapter-order.yaml:19:13: chapter time 3:00 is not after the chapter before (line 17); list chapters in the order of the video",
    ],
    "chapter-speaker": [
        "chapter-speaker.yaml:19:20: unknown speaker 'nobody-known'; add it under 'speakers' or fix the id",
    ],
    "chapter-time": [
        "chapter-time.yaml:19:13: chapter time '5:72' must be minutes:seconds or hours:minutes:seconds, e.g. '5:12' or '1:05:12', as the source gives it",
    ],
    "control-character": [
        "control-character.yaml:13:21: YAML syntax error: control characters are not allowed; remove the control character",
    ],
    "date-impossible": [
        "date-impossible.yaml:16:11: 'date' 2019-02-30 is not a real date (day is out of range for month); fix the day or month",
    ],
    "date-not-iso": [
        "date-not-iso.yaml:4:12: 'start' must be an ISO date like 2019-09-22, not '22/09/2019'",
    ],
    "date-with-time": [
        "date-with-time.yaml:16:11: 'date' must be an ISO date like 2019-09-22, not '2019-09-25 10:30'",
    ],
    "duplicate-key": [
        "duplicate-key.yaml:14:5: duplicate key 'title' (first at line 13); keep only one",
    ],
    "duplicate-list": [
        "warning: duplicate-list.yaml:9:9: speaker 'andrew-godwin' gives no talk; add them to a talk's speakers or remove the entry",
        "duplicate-list.yaml:11:1: duplicate key 'talks' (first at line 7); keep only one",
    ],
    "duplicate-speaker-id": [
        "duplicate-speaker-id.yaml:10:9: duplicate speaker id 'andrew-godwin' (first defined at duplicate-speaker-id.yaml:8); give each speaker its own id",
    ],
    "duplicate-talk-id": [
        "duplicate-talk-id.yaml:18:9: duplicate talk id 'djangocon-us-2019/just-add-await' (first defined at duplicate-talk-id.yaml:11); give each talk its own id",
    ],
    "empty-title": [
        "empty-title.yaml:13:12: 'title' is empty; give a value or remove the key",
    ],
    "end-before-start": [
        "end-before-start.yaml:5:10: 'end' 2019-09-20 is before 'start' 2019-09-22; a conference ends on or after the day it starts",
    ],
    "id-not-a-slug": [
        "id-not-a-slug.yaml:8:9: 'id' 'Andrew_Godwin' is not a valid id: use lowercase letters, digits and single hyphens, e.g. 'andrew-godwin'",
        "id-not-a-slug.yaml:14:16: unknown speaker 'andrew-godwin'; add it under 'speakers' or fix the id",
    ],
    "lint-talk-outside-conference": [
        "warning: lint-talk-outside-conference.yaml:16:11: talk date 2019-10-25 is 28 days after its conference ends (djangocon-us-2019: 2019-09-22 to 2019-09-27); if it was given then (tutorials and sprints often are), set the conference's 'end' to 2019-10-25, otherwise fix the talk's date",
    ],
    "lint-unreferenced-speaker": [
        "warning: lint-unreferenced-speaker.yaml:10:9: speaker 'carlton-gibson' gives no talk; add them to a talk's speakers or remove the entry",
    ],
    "list-is-a-mapping": [
        "list-is-a-mapping.yaml:8:3: 'speakers' must be a list of speakers, each item starting with '- ', not a mapping",
        "list-is-a-mapping.yaml:14:16: unknown speaker 'andrew-godwin'; add it under 'speakers' or fix the id",
    ],
    "missing-name": [
        "missing-name.yaml:2:5: conference 'djangocon-us-2019' lacks the required key 'name'",
    ],
    "missing-talk-id": [
        "missing-talk-id.yaml:11:5: a talk lacks the required key 'id'",
    ],
    "nested-too-deep": [
        "nested-too-deep.yaml:16:40: nested more than 32 levels deep; check the indentation and the brackets",
    ],
    "non-text-key": [
        "non-text-key.yaml:14:7: a key must be a plain name, not a list",
    ],
    "not-a-mapping": [
        "not-a-mapping.yaml:1:1: a catalogue file must be a mapping with the lists 'conferences', 'speakers' and 'talks', not a list",
    ],
    "not-utf8": [
        "not-utf8.yaml:13:27: the file is not UTF-8 text (byte 0xe9); save it as UTF-8",
    ],
    "null-title": [
        "null-title.yaml:13:5: 'title' is required; give it a value",
    ],
    "speaker-listed-twice": [
        "speaker-listed-twice.yaml:14:31: 'speakers' lists 'andrew-godwin' twice; remove one",
    ],
    "speakers-not-a-list": [
        "speakers-not-a-list.yaml:14:15: 'speakers' must be a list, e.g. [andrew-godwin], not a text",
    ],
    "syntax-bad-indent": [
        "syntax-bad-indent.yaml:12:16: YAML syntax error: mapping values are not allowed in this context; put quotes around a value that contains ': ', or fix the indentation",
    ],
    "syntax-colon-in-value": [
        "syntax-colon-in-value.yaml:13:26: YAML syntax error: mapping values are not allowed in this context; put quotes around a value that contains ': ', or fix the indentation",
    ],
    "syntax-tab": [
        "syntax-tab.yaml:13:1: YAML syntax error: found a tab character that violates indentation (while scanning a plain scalar); indent with spaces, not tabs",
    ],
    "syntax-unclosed-list": [
        "syntax-unclosed-list.yaml:14:15: YAML syntax error: did not find expected ',' or ']' (while parsing a flow sequence); close the list with ']' (and separate its items with ', ')",
    ],
    "syntax-unclosed-quote": [
        "syntax-unclosed-quote.yaml:13:12: YAML syntax error: found unexpected end of stream (while scanning a quoted scalar); close the quote, or quote the text with the other kind of quote",
    ],
    "tag-not-a-slug": [
        "tag-not-a-slug.yaml:16:12: 'tags' 'Async IO' is not a valid tag: use lowercase letters, digits and single hyphens, e.g. 'async-io'",
    ],
    "talk-id-other-conference": [
        "talk-id-other-conference.yaml:11:9: talk id 'djangocon-eu-2019/just-add-await' must start with its conference 'djangocon-us-2019/'; write 'djangocon-us-2019/just-add-await'",
    ],
    "talk-id-without-conference": [
        "talk-id-without-conference.yaml:11:9: talk id 'just-add-await' must be '<conference-id>/<talk-slug>' in lowercase letters, digits and hyphens, e.g. 'djangocon-us-2019/just-add-await'",
    ],
    "talk-is-a-list": [
        "talk-is-a-list.yaml:11:5: each item of 'talks' must be a talk (a mapping of keys such as 'id: ...'), not a list",
    ],
    "talk-is-a-text": [
        "talk-is-a-text.yaml:11:5: each item of 'talks' must be a talk (a mapping of keys such as 'id: ...'), not a text",
    ],
    "title-is-a-list": [
        "title-is-a-list.yaml:13:12: 'title' must be a text, not a list",
    ],
    "two-documents": [
        "two-documents.yaml:18:1: only one YAML document is allowed; remove the second '---' and what follows, or merge it into the first",
    ],
    "unknown-conference": [
        "unknown-conference.yaml:12:17: unknown conference 'djangocon-us-2091' (did you mean 'djangocon-us-2019'?); add it under 'conferences' or fix the id",
    ],
    "unknown-key": [
        "unknown-key.yaml:14:5: unknown key 'abstrakt' in a talk (did you mean 'abstract'?)",
    ],
    "unknown-kind": [
        "unknown-kind.yaml:15:11: unknown kind 'keynotes'; use one of talk, keynote, tutorial, workshop, panel, lightning, sprint (did you mean 'keynote'?)",
    ],
    "unknown-list": [
        "unknown-list.yaml:7:1: unknown key 'sponsors' in the catalogue (the keys are: conferences, speakers, talks)",
    ],
    "unknown-speaker": [
        "unknown-speaker.yaml:14:31: unknown speaker 'carlton-gibson'; add it under 'speakers' or fix the id",
    ],
    "url-data": [
        "url-data.yaml:17:12: 'video' must be an http:// or https:// URL with a host, not 'data:text/html;base64,PHNjcmlwdD4='",
    ],
    "url-file": [
        "url-file.yaml:6:10: 'url' must be an http:// or https:// URL with a host, not 'file:///etc/passwd'",
    ],
    "url-javascript": [
        "url-javascript.yaml:17:12: 'video' must be an http:// or https:// URL with a host, not 'javascript:alert(1)'",
    ],
    "url-protocol-relative": [
        "url-protocol-relative.yaml:17:12: 'video' must be an http:// or https:// URL with a host, not '//www.youtube.com/watch?v=d9BAUBEyFgM'",
    ],
    "url-with-space": [
        "url-with-space.yaml:17:12: 'video' must be an http:// or https:// URL with a host, not 'https://www.youtube.com/watch?v=d9BAUB EyFgM'",
    ],
    "url-without-scheme": [
        "url-without-scheme.yaml:17:12: 'video' must be an http:// or https:// URL with a host, not 'www.youtube.com/watch?v=d9BAUBEyFgM'",
    ],
    "yaml-tag": [
        "yaml-tag.yaml:13:12: YAML tags such as '!!python/object/apply:os.system' are not supported; remove it (quote the value instead)",
    ],
}


def _lines(root: Path, files: list[Path]) -> list[str]:
    _, problems = load_catalogue(root, files)
    return [str(p) if p.is_error else f"warning: {p}" for p in problems]


def test_every_bad_file_has_an_expectation() -> None:
    assert sorted(p.stem for p in BAD.glob("*.yaml")) == sorted(EXPECTED)
    assert len(EXPECTED) >= 30


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_file(name: str) -> None:
    assert _lines(BAD, [BAD / f"{name}.yaml"]) == EXPECTED[name]


def test_yaml_1_1_lookalikes_and_nulls_read_as_written() -> None:
    catalogue, problems = load_catalogue(HERE, [HERE / "good.yaml"])
    assert problems == []
    assert catalogue.speakers["norway"] == Speaker(
        "norway", "NO", aliases=tuple(map(Alias, ("12:30", "yes", "0o17", "1_000", ".inf")))
    )
    assert catalogue.speakers["andrew-godwin"].public_aliases == ("Andrew G.", "NO")
    talk = catalogue.talks["djangocon-us-2019/python-3-10"]
    assert (talk.title, talk.abstract, talk.slides, talk.tags) == ("3.10", "off", None, ())
    assert talk.kind is TalkKind.talk


def test_good_file_round_trip(tmp_path: Path) -> None:
    catalogue, _ = load_catalogue(HERE, [HERE / "good.yaml"])
    conference = catalogue.conferences["djangocon-us-2019"]
    assert (conference.start, conference.end) == (
        datetime.date(2019, 9, 22),
        datetime.date(2019, 9, 27),
    )
    assert conference.description == "The 2019 edition, back in San Diego."
    talk = catalogue.talks["djangocon-us-2019/just-add-await"]
    assert talk.abstract == "Writing async code from scratch is hard.\nRetrofitting it is harder."
    assert talk.position is not None and str(talk.position) == "good.yaml:21:5"
    assert catalogue.talks_of_speaker("norway") == (
        talk,
        catalogue.talks["djangocon-us-2019/python-3-10"],
    )
    assert catalogue.files == ("good.yaml",)
    # Writing the model back out as YAML and loading that gives the same catalogue.
    path = tmp_path / "talks.yaml"
    path.write_text(yaml.safe_dump(_as_data(catalogue), sort_keys=False, allow_unicode=True))
    again, problems = load_catalogue(tmp_path, [path])
    assert problems == []
    assert again == catalogue
    assert len(again.talks) == 2


def _as_data(catalogue: Catalogue) -> dict[str, list[dict[str, object]]]:
    def plain(value: object) -> object:
        if isinstance(value, tuple):
            return [plain(item) for item in value]
        if isinstance(value, Alias):
            return value.name if value.public else {"name": value.name, "public": False}
        if isinstance(value, datetime.date | TalkKind | ConferenceKind):
            return str(value)
        return value

    tables: dict[str, Mapping[str, object]] = {
        "conferences": catalogue.conferences,
        "speakers": catalogue.speakers,
        "talks": catalogue.talks,
    }
    return {
        spec.list_name: [
            {f.name: plain(getattr(entry, f.name)) for f in spec.fields}
            for entry in tables[spec.list_name].values()
        ]
        for spec in ENTRY_SPECS
    }


def test_split_catalogue_and_duplicates_across_files() -> None:
    root = HERE / "split"
    files = catalogue_files(root, RecapsConfig())
    assert [f.relative_to(root).as_posix() for f in files] == [
        "talks.yaml",
        "talks/2019.yaml",
        "talks/more.yaml",
    ]
    catalogue, problems = load_catalogue(root, files)
    assert [str(p) for p in problems] == [
        "talks/more.yaml:2:9: duplicate speaker id 'andrew-godwin' (first defined at "
        "talks.yaml:7); give each speaker its own id",
        "talks/more.yaml:5:9: duplicate talk id 'djangocon-us-2019/just-add-await' (first "
        "defined at talks/2019.yaml:2); give each talk its own id",
    ]
    # The first definitions are kept.
    assert catalogue.speakers["andrew-godwin"].name == "Andrew Godwin"
    assert catalogue.talks["djangocon-us-2019/just-add-await"].title == "Just Add Await"


def test_missing_catalogue_is_empty(tmp_path: Path) -> None:
    assert catalogue_files(tmp_path, RecapsConfig()) == []
    catalogue, problems = load_catalogue(tmp_path, [])
    assert (len(catalogue.talks), problems) == (0, [])


def test_empty_file_is_an_empty_catalogue(tmp_path: Path) -> None:
    (tmp_path / "talks.yaml").write_text("# nothing yet\n")
    catalogue, problems = load_catalogue(tmp_path, [tmp_path / "talks.yaml"])
    assert (len(catalogue.conferences), problems) == (0, [])


def test_huge_file_is_refused_without_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(loader, "MAX_FILE_BYTES", 100)
    path = tmp_path / "talks.yaml"
    path.write_text("talks:\n" + "  # padding\n" * 20)
    assert _lines(tmp_path, [path]) == [
        "talks.yaml: the file is 0.0 MB, more than the 0 MB a catalogue file may have; "
        "split it into several talks/*.yaml files"
    ]


def test_absurd_nesting_is_refused_quickly(tmp_path: Path) -> None:
    # libyaml is quadratic in flow nesting, and the C composer recurses until it
    # crashes: the loader stops reading at the depth limit.
    path = tmp_path / "talks.yaml"
    path.write_text("talks: " + "[" * 200_000 + "]" * 200_000 + "\n")
    assert _lines(tmp_path, [path]) == [
        "talks.yaml:1:39: nested more than 32 levels deep; check the indentation and the brackets"
    ]


def test_problem_subtypes() -> None:
    _, problems = load_catalogue(BAD, [BAD / "unknown-speaker.yaml"])
    assert [p.subtype for p in problems] == [Subtype.catalogue_ref]
    _, problems = load_catalogue(BAD, [BAD / "lint-unreferenced-speaker.yaml"])
    assert [(p.subtype, p.is_error) for p in problems] == [(Subtype.catalogue_lint, False)]


def test_chapters_are_read_in_order_with_their_speakers(tmp_path: Path) -> None:
    path = tmp_path / "talks.yaml"
    path.write_text(
        (BAD / "chapter-order.yaml")
        .read_text()
        .replace('at: "5:12"', 'at: "00:00"')
        .replace('at: "3:00"', 'at: "1:02:03"')
        .replace("title: Earlier", "title: Later\n        speakers: [andrew-godwin]")
    )
    catalogue, problems = load_catalogue(tmp_path, [path])
    assert problems == []
    talk = catalogue.talks["djangocon-us-2019/lightning"]
    assert [(c.at, c.seconds, c.title, c.speakers) for c in talk.chapters] == [
        ("0:00", 0, "Testing", ()),
        ("1:02:03", 3723, "Later", ("andrew-godwin",)),
    ]


def test_a_control_character_is_reported_at_its_line_after_multibyte_text(
    tmp_path: Path,
) -> None:
    """libyaml gives a byte offset; read as characters it pointed lines too far."""
    abstract = "\n".join(f"      Ligne {n}: café, naïve, 日本語, 🐍" for n in range(200))
    (tmp_path / "talks.yaml").write_text(
        "conferences: []\nspeakers: []\ntalks:\n  - id: x/y\n    abstract: |\n"
        f"{abstract}\n      bad \x9d here\n",
        encoding="utf-8",
    )
    _catalogue, problems = load_catalogue(tmp_path, [tmp_path / "talks.yaml"])
    assert [(p.line, p.column) for p in problems] == [(206, 11)]
    assert "control characters are not allowed" in problems[0].message


def test_former_ids_withdrawn_and_private_aliases(tmp_path: Path) -> None:
    """Withdrawn entries leave the published lists; former ids lead to their new entry."""
    path = tmp_path / "talks.yaml"
    path.write_text(
        """\
conferences:
  - id: pycon-2020
    name: PyCon 2020
    start: 2020-04-15
    end: 2020-04-23
    former_ids: [pycon-us-2020]
  - id: gone-2020
    name: Gone 2020
    start: 2020-05-01
    end: 2020-05-02
    withdrawn: {reason: legal, date: 2026-11-01}
speakers:
  - id: jane-doe
    name: Jane Doe
    former_ids: [jane-d]
    aliases:
      - Jane D.
      - {name: Jane Oldname, public: false}
  - id: hidden
    name: Hidden Person
    withdrawn: {reason: speaker-request, date: 2026-11-02}
talks:
  - id: pycon-2020/new-slug
    conference: pycon-2020
    title: New
    speakers: [jane-doe, hidden]
    former_ids: [pycon-2020/old-slug]
  - id: pycon-2020/taken-down
    conference: pycon-2020
    title: Taken down
    speakers: [jane-doe]
    withdrawn: {reason: speaker-request, date: 2026-11-03}
  - id: gone-2020/talk
    conference: gone-2020
    title: Of a withdrawn conference
    speakers: [jane-doe]
""",
        encoding="utf-8",
    )
    catalogue, problems = load_catalogue(tmp_path, [path])
    assert problems == []
    assert list(catalogue.talks) == ["pycon-2020/new-slug"]
    assert catalogue.talks["pycon-2020/new-slug"].speakers == ("jane-doe",)
    assert list(catalogue.speakers) == ["jane-doe"]
    assert list(catalogue.conferences) == ["pycon-2020"]
    assert sorted(catalogue.withdrawn) == [
        "conference:gone-2020",
        "speaker:hidden",
        "talk:gone-2020/talk",
        "talk:pycon-2020/taken-down",
    ]
    jane = catalogue.speakers["jane-doe"]
    assert jane.public_aliases == ("Jane D.",)
    assert jane.all_names == ("Jane Doe", "Jane D.", "Jane Oldname")
    assert catalogue.redirects == {
        "conference:pycon-us-2020": "pycon-2020",
        "speaker:jane-d": "jane-doe",
        "talk:pycon-2020/old-slug": "pycon-2020/new-slug",
    }
    renamed = catalogue.lookup("talk", "pycon-2020/old-slug")
    assert renamed.entry is catalogue.talks["pycon-2020/new-slug"]
    assert renamed.renamed_to == "pycon-2020/new-slug"
    assert catalogue.lookup("talk", "pycon-2020/taken-down").withdrawn is not None
    assert catalogue.lookup("talk", "nowhere/at-all") == Lookup()
    assert catalogue.stamp("talk:pycon-2020/taken-down") == "withdrawn"
    assert catalogue.stamp("talk:pycon-2020/old-slug").startswith("renamed:pycon-2020/new-slug:")
