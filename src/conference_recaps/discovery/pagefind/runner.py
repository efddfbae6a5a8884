"""Run Pagefind over a built site and put its index in place, never half of one.

``python -m pagefind --site <outdir>`` (the binary ships with the ``pagefind[extended]``
package and works offline) writes the index into a new folder beside the live one;
:func:`put_in_place` then swaps it in with two renames, so a served site never has half
an index.
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import os
import shutil
import subprocess
import sys
from pathlib import Path

#: The index's folder inside the output.
BUNDLE_DIR = "pagefind"
#: How long indexing may take before the build gives up on it (25,000 pages take ~30 s).
TIMEOUT = 900


def tool_version() -> str:
    """The installed Pagefind (wrapper and binary): another version re-indexes."""
    versions = []
    for name in ("pagefind", "pagefind_bin_extended", "pagefind_bin"):
        with contextlib.suppress(importlib.metadata.PackageNotFoundError):
            versions.append(f"{name}=={importlib.metadata.version(name)}")
    return ",".join(versions)


def bundle_complete(bundle: Path) -> bool:
    return (bundle / "pagefind-ui.js").is_file() and (bundle / "pagefind-entry.json").is_file()


def run_pagefind(outdir: Path) -> tuple[Path | None, str | None]:
    """Index a built site into a new folder beside the live index: (folder, problem).

    Call it with the run lock held: folders that earlier, interrupted runs left are
    removed first.
    """
    for leftover in [*outdir.glob(f"{BUNDLE_DIR}.new-*"), *outdir.glob(f"{BUNDLE_DIR}.old-*")]:
        shutil.rmtree(leftover, ignore_errors=True)
    fresh = outdir / f"{BUNDLE_DIR}.new-{os.getpid()}"
    command = [
        sys.executable,
        "-m",
        "pagefind",
        "--site",
        str(outdir),
        "--output-subdir",
        fresh.name,
        "--quiet",
    ]
    try:
        result = subprocess.run(
            command, capture_output=True, text=True, timeout=TIMEOUT, check=False
        )
    except (OSError, subprocess.SubprocessError) as error:
        shutil.rmtree(fresh, ignore_errors=True)
        return None, f"could not run Pagefind ({error})"
    if result.returncode != 0:
        shutil.rmtree(fresh, ignore_errors=True)
        output = (result.stderr or result.stdout).strip().splitlines()
        problem = output[-1] if output else f"exit code {result.returncode}"
        return None, f"Pagefind failed: {problem}"
    if not bundle_complete(fresh):
        shutil.rmtree(fresh, ignore_errors=True)
        return None, "Pagefind wrote no index (no page has data-pagefind-body)"
    return fresh, None


def put_in_place(outdir: Path, fresh: Path) -> None:
    """Replace the live index with ``fresh`` (two renames: never half an index)."""
    bundle = outdir / BUNDLE_DIR
    old = outdir / f"{BUNDLE_DIR}.old-{os.getpid()}"
    if bundle.exists():
        bundle.rename(old)
    fresh.rename(bundle)
    shutil.rmtree(old, ignore_errors=True)


def build_index(outdir: Path) -> str | None:
    """Run Pagefind over a built site; the problem, or None when the index was written."""
    fresh, problem = run_pagefind(outdir)
    if fresh is None:
        return problem
    put_in_place(outdir, fresh)
    return None
