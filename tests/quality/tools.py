"""The outside tools the quality checks run, installed when missing.

- The npm packages in the repository's ``package.json`` (``vnu-jar``, the Nu Html
  Checker; ``axe-core``): ``npm ci --ignore-scripts`` into ``node_modules/``. Install
  scripts stay off: vnu-jar's would download a Java runtime, and Debian's is used.
- Java for vnu.jar: Debian's ``default-jre-headless``, with apt-get, when ``java`` is
  missing (node and npm likewise come from Debian's ``nodejs`` and ``npm``).

Installing needs root and apt-get (CI and these machines have both); elsewhere the test
is skipped with the command to run by hand.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from conftest import SITE_ROOT
from quality.locking import file_lock

NODE_MODULES = SITE_ROOT / "node_modules"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
#: One lock for every session on this machine that may install into node_modules.
LOCK = Path(tempfile.gettempdir()) / "conference-recaps-npm.lock"


def apt_install(*packages: str) -> None:
    """Install Debian packages; skip the test where that is impossible."""
    if shutil.which("apt-get") is None or os.geteuid() != 0:
        names = " ".join(packages)
        pytest.skip(f"needs {names}: install it with `apt-get install {names}`")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    with file_lock(Path(tempfile.gettempdir()) / "conference-recaps-apt.lock"):
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env, timeout=600)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages],
            check=True,
            env=env,
            timeout=900,
        )


def _installed_versions_match() -> bool:
    """Whether node_modules holds exactly the versions package.json asks for."""
    wanted = json.loads((SITE_ROOT / "package.json").read_text())["devDependencies"]
    for name, version in wanted.items():
        manifest = NODE_MODULES / name / "package.json"
        if not manifest.is_file() or json.loads(manifest.read_text())["version"] != version:
            return False
    return VNU_JAR.is_file() and AXE_JS.is_file()


def ensure_npm_tools() -> None:
    """``npm ci`` when node_modules lacks the tools package.json pins."""
    with file_lock(LOCK):
        if _installed_versions_match():
            return
        if shutil.which("npm") is None:
            apt_install("nodejs", "npm")
        subprocess.run(
            ["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=SITE_ROOT,
            check=True,
            timeout=600,
        )
        assert _installed_versions_match(), "npm ci did not install package.json's versions"


def ensure_java() -> str:
    """The ``java`` command, installing Debian's default-jre-headless when missing."""
    if shutil.which("java") is None:
        apt_install("default-jre-headless")
    java = shutil.which("java")
    assert java is not None
    return java
