"""Shared fixtures: Sphinx's own test fixtures, with test roots under ``tests/roots/``."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

pytest_plugins = ("sphinx.testing.fixtures", "quality.fixtures")

TESTS = Path(__file__).parent
SITE_ROOT = TESTS.parent


@pytest.fixture(scope="session")
def rootdir() -> Path:
    """Where ``@pytest.mark.sphinx(testroot=...)`` finds ``test-<name>/`` folders."""
    return TESTS / "roots"


@pytest.fixture(scope="session")
def discovery_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``test-discovery`` built once (dirhtml, no warning), shared by the discovery tests.

    The feed, JSON-LD, SEO and search tests only read its output. The app is cleaned up
    right after the build, so docutils' global node registry is restored before any
    other test builds in this process.
    """
    srcdir = tmp_path_factory.mktemp("discovery") / "src"
    shutil.copytree(TESTS / "roots" / "test-discovery", srcdir)
    app = SphinxTestApp("dirhtml", srcdir=srcdir)
    try:
        app.build()
        warnings = app.warning.getvalue()
    finally:
        app.cleanup()
    assert "WARNING" not in warnings
    return Path(app.outdir)
