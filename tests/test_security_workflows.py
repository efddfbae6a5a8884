"""The GitHub workflows give a pull request nothing to steal (issue 8, item 3).

zizmor audits them offline (no network, no token); the structural rules the project
promises are asserted directly as well, so a zizmor upgrade cannot quietly relax them.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import SITE_ROOT

WORKFLOWS = sorted((SITE_ROOT / ".github" / "workflows").glob("*.y*ml"))
PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")
ZIZMOR = shutil.which("zizmor", path=str(Path(sys.executable).parent)) or shutil.which("zizmor")


def zizmor_findings(folder: Path) -> list[dict[str, Any]]:
    """Run zizmor over ``folder`` without network access; its findings as JSON."""
    if ZIZMOR is None:
        pytest.fail("zizmor is missing: install requirements-dev.txt (make test does)")
    env = {k: v for k, v in os.environ.items() if k not in {"GH_TOKEN", "GITHUB_TOKEN"}}
    result = subprocess.run(
        [ZIZMOR, "--offline", "--no-progress", "--format", "json", str(folder)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=env,
    )
    assert result.stdout.strip(), result.stderr
    findings: list[dict[str, Any]] = json.loads(result.stdout)
    return findings


def test_zizmor_finds_nothing() -> None:
    assert WORKFLOWS, "no workflows found"
    findings = zizmor_findings(SITE_ROOT / ".github" / "workflows")
    assert [(f["ident"], f["desc"]) for f in findings] == []


def test_zizmor_catches_a_dangerous_workflow(tmp_path: Path) -> None:
    """The linter is really looking: a classic pwn-request workflow is flagged."""
    folder = tmp_path / ".github" / "workflows"
    folder.mkdir(parents=True)
    (folder / "bad.yml").write_text(
        "on: pull_request_target\n"
        "jobs:\n"
        "  x:\n"
        "    runs-on: ubuntu-24.04\n"
        "    steps:\n"
        "      - uses: actions/checkout@v4\n"
        "        with:\n"
        "          ref: ${{ github.event.pull_request.head.sha }}\n"
        '      - run: echo "${{ github.event.pull_request.title }}"\n',
        encoding="utf-8",
    )
    idents = {f["ident"] for f in zizmor_findings(folder)}
    assert {"dangerous-triggers", "template-injection", "unpinned-uses"} <= idents


def _triggers(workflow: dict[Any, Any]) -> set[str]:
    # PyYAML reads the key `on` as the boolean True (YAML 1.1).
    on = workflow.get("on", workflow.get(True))
    if isinstance(on, str):
        return {on}
    return set(on or {})


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_rules(path: Path) -> None:
    workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
    triggers = _triggers(workflow)
    # Pull requests run as pull_request (a fork's code never sees a secret); the
    # other triggers allowed run the default branch's own code.
    assert triggers <= {"pull_request", "schedule", "workflow_dispatch"}, triggers
    assert workflow.get("permissions") == {}, "permissions: {} at the top"
    for name, job in workflow["jobs"].items():
        assert "permissions" in job, f"job {name} must grant its own permissions"
        assert set(job["permissions"].values()) <= {"read", "none"}, name
        for step in job.get("steps", []):
            uses = step.get("uses")
            if uses is None:
                continue
            assert PINNED.match(uses), f"{name}: {uses} is not pinned by a full commit SHA"
            if uses.startswith("actions/checkout@"):
                assert step.get("with", {}).get("persist-credentials") is False, name
