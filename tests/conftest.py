"""Shared fixtures: Sphinx's own test fixtures, with test roots under ``tests/roots/``."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ("sphinx.testing.fixtures", "quality.fixtures")

TESTS = Path(__file__).parent
SITE_ROOT = TESTS.parent


@pytest.fixture(scope="session")
def rootdir() -> Path:
    """Where ``@pytest.mark.sphinx(testroot=...)`` finds ``test-<name>/`` folders."""
    return TESTS / "roots"
