"""Hostile recaps end in a clear message, never a hang or a traceback (issue 8, item 8).

Each build runs in a subprocess under a generous timeout, so a hang fails the test
instead of stalling the suite.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sphinx.util.console import strip_colors

from conftest import TESTS

pytestmark = pytest.mark.slow

FRONT = "---\ntitle: T\ndate: 2019-10-28\nauthors: [A]\n---\n"


def _nested_fences(depth: int) -> str:
    """``depth`` admonitions inside each other (colon fences, the outer one longest)."""
    opening = [":" * (depth + 3 - i) + "{note}\n" for i in range(depth)]
    closing = [":" * (3 + i) + "\n" for i in range(depth)]
    return "".join(opening) + "deep\n" + "".join(closing)


HOSTILE = {
    # 10 MB of prose.
    "huge.md": (FRONT + "# Huge\n\n" + ("Some words in a long paragraph. " * 30 + "\n\n") * 10_500),
    "quotes.md": FRONT + "# Quotes\n\n" + ">" * 10_000 + " deep\n",
    # 4,000 levels (16 MB of indentation): deep, and under the 20 MB a page may have.
    "lists.md": FRONT + "# Lists\n\n" + "".join("  " * i + "- x\n" for i in range(4_000)),
    "fences.md": FRONT + "# Fences\n\n" + _nested_fences(300),
    "rst.md": FRONT
    + "# reST\n\n```{eval-rst}\n"
    + "".join(" " * i + "x\n\n" for i in range(0, 3000, 2))
    + "```\n",
    "deep.rst": "Deep\n====\n\n" + "".join(" " * i + "x\n\n" for i in range(0, 3000, 2)),
}
TOO_DEEP = {"rst.md", "deep.rst"}
TOO_BIG = FRONT + "# Too big\n\n" + "x" * (21 * 1024 * 1024) + "\n"


def _build(srcdir: Path, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-q", str(srcdir), str(srcdir / "_build")],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.fixture
def site(tmp_path: Path) -> Path:
    srcdir = tmp_path / "site"
    (srcdir / "recaps").mkdir(parents=True)
    basic = TESTS / "roots" / "test-basic"
    for name in ("conf.py", "index.md"):
        (srcdir / name).write_text((basic / name).read_text("utf-8"), "utf-8")
    return srcdir


def test_huge_and_deep_recaps_build(site: Path) -> None:
    for name, text in HOSTILE.items():
        (site / "recaps" / name).write_text(text, encoding="utf-8")
    (site / "recaps" / "too-big.md").write_text(TOO_BIG, encoding="utf-8")
    assert (site / "recaps" / "huge.md").stat().st_size > 10_000_000
    result = _build(site)
    errors = strip_colors(result.stderr)
    assert result.returncode == 0, errors[-3000:]
    assert "Traceback" not in errors
    assert "RecursionError" not in errors
    for name in HOSTILE:
        assert (site / "_build" / "recaps" / f"{Path(name).stem}.html").is_file(), name
    # Past 20 MB a page is not read at all (issue 13: unbounded resources).
    assert not (site / "_build" / "recaps" / "too-big.html").exists()
    assert (
        f"{site / 'recaps' / 'too-big.md'}: WARNING: this page is not built: its file is "
        "21.0 MB, more than the 20 MB a file may have; a page must be a text file of the "
        "repository [recaps.unsafe]"
    ) in errors
    # Docutils recurses once per indentation level: past Python's limit the page is
    # emptied with a located warning instead of Sphinx's file-less "Recursion error!".
    for name in TOO_DEEP:
        assert (
            f"{site / 'recaps' / name}:1: WARNING: this page is nested too deeply to be read "
            "(thousands of levels of quotes, lists or indentation); it is left empty: "
            "flatten its structure [recaps.unsafe]"
        ) in errors


def test_a_recap_that_is_not_utf8_is_reported_and_built(site: Path) -> None:
    (site / "recaps" / "latin1.md").write_bytes(
        (FRONT + "# Caf\xe9 recap\n\nA na\xefve paragraph.\n").encode("latin-1")
    )
    result = _build(site)
    errors = strip_colors(result.stderr)
    assert result.returncode == 0, errors[-3000:]
    assert "Traceback" not in errors
    assert (
        f"{site / 'recaps' / 'latin1.md'}:6: WARNING: this file is not UTF-8 (byte 0xe9 at "
        "column 6); it is built with the undecodable bytes shown as \ufffd: save it as "
        "UTF-8 in your editor [recaps.encoding]"
    ) in errors
    html = (site / "_build" / "recaps" / "latin1.html").read_text("utf-8")
    assert "Caf\ufffd recap" in html


def test_not_utf8_is_fatal_under_w(site: Path) -> None:
    """The strict build (make html, CI, Read the Docs) stops cleanly on it."""
    (site / "recaps" / "latin1.md").write_bytes((FRONT + "# Caf\xe9\n").encode("latin-1"))
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "-b", "html", "-q", str(site), str(site / "_b")],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "[recaps.encoding]" in strip_colors(result.stderr)
