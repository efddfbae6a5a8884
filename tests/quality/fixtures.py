"""Session fixtures: the real site, built once as ``make html`` builds it, and served.

The build runs in a subprocess (``python -m sphinx``, dirhtml, ``-j auto``), so the
tests see exactly what ``make html`` and Read the Docs write, and nothing of the test
process leaks into it. Under pytest-xdist the first worker to need the site builds it
into the session's shared temporary folder while the others wait on a file lock; every
worker then reads the same output.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from conftest import SITE_ROOT
from quality.locking import file_lock

if TYPE_CHECKING:
    from collections.abc import Iterator

#: Where the site is served, the shape of a Read the Docs URL: every link must be relative.
PREFIX = "/en/latest/"
#: The public address the test builds get, as Read the Docs gives it: canonical URLs,
#: feeds, the sitemap and the 404 page's links use it.
CANONICAL_URL = "https://recaps.example.org" + PREFIX
#: How long one build of the real site may take (a few seconds today).
BUILD_TIMEOUT = 900
#: Left out when the site's sources are copied elsewhere: caches, build output, tools.
NOT_SOURCES = (".venv", "node_modules", "_build", ".*_cache", "__pycache__", "*.egg-info")


@dataclass(frozen=True)
class BuiltSite:
    """A finished build: its output folder and what Sphinx printed on stderr."""

    outdir: Path
    warnings: str


def build_site(srcdir: Path, outdir: Path, *, jobs: str, hash_seed: str) -> BuiltSite:
    """Build ``srcdir`` with dirhtml into ``outdir`` as Read the Docs would; fail if Sphinx fails.

    ``hash_seed`` is Python's ``PYTHONHASHSEED`` for the build: two builds with other
    seeds iterate sets of strings in other orders, which shows set-ordering bugs.
    """
    doctrees = outdir.parent / f"{outdir.name}-doctrees"
    command = [
        sys.executable,
        "-m",
        "sphinx",
        "--keep-going",
        "--quiet",
        "--jobs",
        jobs,
        "--builder",
        "dirhtml",
        "--doctree-dir",
        str(doctrees),
        str(srcdir),
        str(outdir),
    ]
    env = {**os.environ, "PYTHONHASHSEED": hash_seed, "READTHEDOCS_CANONICAL_URL": CANONICAL_URL}
    result = subprocess.run(
        command, capture_output=True, text=True, env=env, timeout=BUILD_TIMEOUT, check=False
    )
    if result.returncode != 0:
        pytest.fail(
            f"the site did not build (exit {result.returncode}):\n{result.stderr}", pytrace=False
        )
    return BuiltSite(outdir=outdir, warnings=result.stderr)


def copy_sources(destination: Path) -> Path:
    """Copy the repository (without caches, build output or tools) to ``destination``."""
    shutil.copytree(SITE_ROOT, destination, ignore=shutil.ignore_patterns(*NOT_SOURCES))
    return destination


def _shared_dir(factory: pytest.TempPathFactory) -> Path:
    """The session's temporary folder that every xdist worker shares."""
    base = factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The repository's site, built once per session as ``make html`` builds it."""
    shared = _shared_dir(tmp_path_factory)
    root = shared / "quality-real-site"
    record = root / "build.json"
    with file_lock(shared / "quality-real-site.lock"):
        if not record.is_file():
            shutil.rmtree(root, ignore_errors=True)
            root.mkdir()
            built = build_site(SITE_ROOT, root / "html", jobs="auto", hash_seed="1")
            record.write_text(json.dumps({"warnings": built.warnings}), encoding="utf-8")
    return BuiltSite(outdir=root / "html", warnings=json.loads(record.read_text())["warnings"])


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def served_site(real_site: BuiltSite, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real site on http://127.0.0.1:<port>/en/latest/ (its URL, with the slash)."""
    webroot = tmp_path_factory.mktemp("webroot")
    mount = webroot / PREFIX.strip("/")
    mount.parent.mkdir(parents=True)
    mount.symlink_to(real_site.outdir, target_is_directory=True)
    handler = functools.partial(_QuietHandler, directory=str(webroot))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{PREFIX}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
