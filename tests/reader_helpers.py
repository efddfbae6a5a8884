"""The ``test-reader`` root built once per module: the reader-facing pages' tests share it."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from sphinx.testing.util import SphinxTestApp

ROOT = Path(__file__).parent / "roots" / "test-reader"


def build_reader(tmp: Path, **overrides: Any) -> tuple[Path, str]:
    """Build a copy of ``test-reader`` (dirhtml) under ``tmp``: its output and warnings."""
    srcdir = tmp / "src"
    shutil.copytree(ROOT, srcdir)
    app = SphinxTestApp("dirhtml", srcdir=srcdir, confoverrides=overrides)
    try:
        app.build()
        warnings = app.warning.getvalue()
    finally:
        app.cleanup()
    return Path(app.outdir), warnings
