"""The committed JSON Schema is the one generated from the model, and agrees with the loader."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from conference_recaps.catalogue.loader import load_catalogue
from conference_recaps.catalogue.schema import ENTRY_SPECS, SCHEMA_FILE, json_schema, schema_text
from conference_recaps.catalogue.yamltree import (
    BadNode,
    MapNode,
    Node,
    ScalarNode,
    SeqNode,
    parse_yaml,
)
from conference_recaps.cli import main
from conftest import TESTS

HERE = Path(__file__).parent / "catalogue"
BAD = HERE / "bad"

#: Mistakes a schema cannot see: they need other entries, other files or key order.
SCHEMA_BLIND = {
    "duplicate-key",  # a mapping with two equal keys is not JSON; editors flag it themselves
    "duplicate-list",
    "duplicate-speaker-id",
    "duplicate-talk-id",
    "end-before-start",
    "talk-id-other-conference",
    "unknown-conference",
    "unknown-speaker",
    "lint-talk-outside-conference",
    "lint-unreferenced-speaker",
    "chapter-order",  # times in order: the schema cannot compare items
    "chapter-speaker",  # a reference to another list
}


def test_committed_schema_is_generated(capsys: pytest.CaptureFixture[str]) -> None:
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_text(), "run `recaps schema`"
    assert main(["schema", "--check"]) == 0
    assert capsys.readouterr().out == f"{SCHEMA_FILE} is up to date\n"


def test_stale_schema_is_detected(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    stale = tmp_path / "talks.schema.json"
    stale.write_text("{}\n")
    assert main(["schema", "--check", "--output", str(stale)]) == 1
    assert main(["schema", "--output", str(stale)]) == 0
    assert json.loads(stale.read_text()) == json_schema()
    capsys.readouterr()


@pytest.mark.parametrize("spec", ENTRY_SPECS, ids=lambda spec: spec.noun)
def test_field_table_names_the_model_fields(spec: Any) -> None:
    model_fields = [f.name for f in dataclasses.fields(spec.model) if f.name != "position"]
    assert sorted(f.name for f in spec.fields) == sorted(model_fields)
    required = [
        f.name
        for f in dataclasses.fields(spec.model)
        if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
    ]
    assert [f.name for f in spec.fields if f.required] == required


def _data(node: Node | None) -> Any:
    """The tree as JSON data, read as the loader reads it: every scalar a string or null."""
    if node is None:
        return None
    if isinstance(node, MapNode):
        return {
            key.value if isinstance(key, ScalarNode) else "<not a text>": _data(value)
            for key, value in node.pairs()
        }
    if isinstance(node, SeqNode):
        return [_data(item) for item in node.items]
    if isinstance(node, BadNode):
        return {"refused": True}  # an alias or a tag: never valid
    assert isinstance(node, ScalarNode)
    return None if node.is_null else node.value


def _schema_errors(path: Path) -> list[str] | None:
    """The schema's complaints, or None if the file is not even YAML the schema can see."""
    node, problems = parse_yaml(path.read_text(encoding="utf-8"), path.name)
    if problems and node is None:
        return None
    validator = jsonschema.Draft202012Validator(
        json_schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    return [error.message for error in validator.iter_errors(_data(node))]


def test_good_file_is_valid_for_the_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(json_schema())
    assert _schema_errors(HERE / "good.yaml") == []


def test_former_ids_withdrawals_and_private_aliases_are_valid_for_the_schema(
    tmp_path: Path,
) -> None:
    path = tmp_path / "talks.yaml"
    text = (TESTS / "roots" / "test-permanence" / "talks.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "    name: Private Person\n",
        "    name: Private Person\n    former_ids: [p-person]\n"
        "    withdrawn: {reason: speaker-request, date: 2026-11-30}\n",
    ).replace(
        "  - id: pycon-2020/engines\n",
        "  - id: pycon-2020/engines\n    former_ids: [pycon-2020/engine]\n",
    )
    path.write_text(text, encoding="utf-8")
    assert "{name: Ada Byron, public: false}" in text
    assert _schema_errors(path) == []
    assert load_catalogue(tmp_path, [path])[1] == []


def _parseable_bad_files() -> list[str]:
    names = []
    for path in sorted(BAD.glob("*.yaml")):
        try:
            path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        node, _ = parse_yaml(path.read_text(encoding="utf-8"), path.name)
        if node is not None:
            names.append(path.stem)
    return names


@pytest.mark.parametrize("name", _parseable_bad_files())
def test_schema_and_loader_agree(name: str) -> None:
    """What the loader rejects on its own, the schema rejects; the rest it accepts."""
    path = BAD / f"{name}.yaml"
    errors = _schema_errors(path)
    _, problems = load_catalogue(BAD, [path])
    assert problems, "every bad file has a problem"
    if name in SCHEMA_BLIND:
        assert errors == []
    else:
        assert errors, f"the schema accepts {name}.yaml, which the loader rejects"
