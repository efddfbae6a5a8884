"""Valid HTML: the Nu Html Checker finds no error on one page of every type.

``vnu.jar`` comes from npm (``vnu-jar``, pinned in package.json) and runs on Debian's
Java; both are installed by :mod:`quality.tools` when missing. Of each generated type
the largest page is checked (the one using the most features), plus every listing.
One run of the checker takes all the pages, and a page with a known error, which proves
the checker's report is read.
"""

from __future__ import annotations

import json
import subprocess
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

import pytest

from quality.pages import largest, largest_in, recap_kinds
from quality.tools import VNU_JAR, ensure_java, ensure_npm_tools

if TYPE_CHECKING:
    from quality.fixtures import BuiltSite

pytestmark = pytest.mark.slow

#: Errors in markup we do not write (the theme's), by exact message, each with the reason.
#: Empty today: everything the checker reported was ours and is fixed.
THEME_ERRORS: dict[str, str] = {}

#: Generated page types, one folder each; the largest page and the listing are checked.
GENERATED = ("conferences", "talks", "speakers", "years", "tags")
#: Fixed pages, by URL.
FIXED = ("", "credits/", "404/", "search/", "docs/")

BROKEN_PAGE = """<!DOCTYPE html>
<html lang="en"><head><title>Broken</title></head>
<body><p id="twice">one</p><p id="twice">two</p></body></html>
"""


def pages_to_check(outdir: Path) -> list[Path]:
    chosen = [outdir / url / "index.html" for url in FIXED]
    for folder in GENERATED:
        chosen += [outdir / folder / "index.html", largest_in(outdir, folder)]
    kinds = recap_kinds()
    assert {"blog", "podcast"} <= kinds.keys(), kinds
    for urls in kinds.values():
        chosen.append(largest([outdir / url / "index.html" for url in urls]))
    chosen.append(largest(list((outdir / "docs").glob("*/index.html"))))
    missing = [path for path in chosen if not path.is_file()]
    assert not missing, missing
    return chosen


def run_vnu(files: list[Path]) -> dict[Path, list[dict[str, object]]]:
    """The checker's errors, by file."""
    java = ensure_java()
    result = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--format", "json", "--skip-non-html", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    report = json.loads(result.stderr)
    errors: dict[Path, list[dict[str, object]]] = defaultdict(list)
    for message in report["messages"]:
        if message["type"] in {"error", "non-document-error"}:
            errors[Path(unquote(urlsplit(str(message["url"])).path))].append(message)
    return errors


def describe(message: dict[str, object]) -> str:
    extract = str(message.get("extract", "")).replace("\n", " ").strip()
    return f"  line {message.get('lastLine', '?')}: {message['message']}  [{extract}]"


def test_every_page_type_is_valid_html(real_site: BuiltSite, tmp_path: Path) -> None:
    ensure_npm_tools()
    broken = tmp_path / "broken.html"
    broken.write_text(BROKEN_PAGE, encoding="utf-8")
    pages = pages_to_check(real_site.outdir)
    errors = run_vnu([broken, *pages])

    # The checker ran and its report was read: the known error is there.
    assert any("Duplicate ID" in str(m["message"]) for m in errors.pop(broken, [])), errors

    report = []
    for page in pages:
        found = [m for m in errors.get(page, []) if str(m["message"]) not in THEME_ERRORS]
        if found:
            report.append(f"{page.relative_to(real_site.outdir)}:")
            report += [describe(m) for m in found]
    assert not report, "the Nu Html Checker found errors:\n" + "\n".join(report)
