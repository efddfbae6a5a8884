"""Run Pagefind over some shards of a built site and put each in place, never half of one.

Each shard (:mod:`.shards`) is its own Pagefind bundle, ``pagefind/<shard>/``. Its pages
are hard-linked (copied where links are impossible) into a staging folder, and
``python -m pagefind --site <staging> --output-path <new folder>`` (the binary ships with
the ``pagefind[extended]`` package and works offline) indexes them: the URLs are the
pages' paths in the site, as if Pagefind had read the whole output. A staging folder is
faster and safer than a ``--glob`` naming 1,500 folders. Shards run two at a time
(the machines that build the site have two cores or more).

The new bundle is put in the files' one order (:mod:`.reproducible`), then swapped in
with two renames, so a served site never has half a shard. :func:`finish` then writes
``pagefind/shards.json`` (the shards the search page merges, the primary first), keeps
one copy of Pagefind's UI files at ``pagefind/`` and removes shards that left the plan.
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import json
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from conference_recaps.discovery.pagefind.reproducible import FormatError, stabilise_bundle
from conference_recaps.discovery.pagefind.shards import primary_shard

#: The index's folder inside the output: one bundle per shard, and the files below.
BUNDLE_DIR = "pagefind"
#: The shards the search page loads, the primary first.
MANIFEST = "shards.json"
#: Pagefind's UI, the same in every bundle: the search page loads it from ``pagefind/``.
UI_FILES = ("pagefind-ui.js", "pagefind-ui.css")
#: How long indexing one shard may take before the build gives up on it.
TIMEOUT = 900
#: Shards indexed at once; under load one or two made no difference (docs/architecture.md).
JOBS = max(1, min(2, os.cpu_count() or 1))


def tool_version() -> str:
    """The installed Pagefind (wrapper and binary): another version re-indexes."""
    versions = []
    for name in ("pagefind", "pagefind_bin_extended", "pagefind_bin"):
        with contextlib.suppress(importlib.metadata.PackageNotFoundError):
            versions.append(f"{name}=={importlib.metadata.version(name)}")
    return ",".join(versions)


def bundle_complete(bundle: Path) -> bool:
    return (bundle / "pagefind.js").is_file() and (bundle / "pagefind-entry.json").is_file()


def clear_leftovers(root: Path) -> None:
    """Remove what interrupted runs left; call it with the run lock held."""
    for leftover in [*root.glob("*.new-*"), *root.glob("*.old-*"), *root.glob(".stage-*")]:
        shutil.rmtree(leftover, ignore_errors=True)


def _stage(outdir: Path, stage: Path, pages: list[str]) -> None:
    for relpath in pages:
        target = stage / relpath
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(outdir / relpath, target)
        except OSError:
            shutil.copyfile(outdir / relpath, target)


def index_shard(outdir: Path, shard: str, pages: list[str]) -> tuple[Path | None, str | None]:
    """Index one shard's pages into a new folder beside its live bundle: (folder, problem).

    The folder is already in the reproducible order; a problem with that alone is
    returned with the folder (the index is still good, only its bytes may differ).
    """
    root = outdir / BUNDLE_DIR
    stage = root / f".stage-{shard}-{os.getpid()}"
    fresh = root / f"{shard}.new-{os.getpid()}"
    command = [
        sys.executable,
        "-m",
        "pagefind",
        "--site",
        str(stage),
        "--output-path",
        str(fresh),
        "--quiet",
    ]
    try:
        _stage(outdir, stage, pages)
        result = subprocess.run(
            command, capture_output=True, text=True, timeout=TIMEOUT, check=False
        )
    except (OSError, subprocess.SubprocessError) as error:
        shutil.rmtree(fresh, ignore_errors=True)
        return None, f"could not run Pagefind ({error})"
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    if result.returncode != 0:
        shutil.rmtree(fresh, ignore_errors=True)
        output = (result.stderr or result.stdout).strip().splitlines()
        problem = output[-1] if output else f"exit code {result.returncode}"
        return None, f"Pagefind failed on shard {shard}: {problem}"
    if not bundle_complete(fresh):
        shutil.rmtree(fresh, ignore_errors=True)
        return None, f"Pagefind wrote no index for shard {shard}"
    try:
        stabilise_bundle(fresh)
    except FormatError as error:
        return fresh, f"shard {shard} was left as Pagefind wrote it ({error})"
    return fresh, None


def index_shards(
    outdir: Path, shards: dict[str, list[str]]
) -> tuple[dict[str, Path], dict[str, str]]:
    """Index shards, :data:`JOBS` at a time: (shard -> new folder, shard -> problem)."""
    root = outdir / BUNDLE_DIR
    root.mkdir(parents=True, exist_ok=True)
    clear_leftovers(root)
    fresh: dict[str, Path] = {}
    problems: dict[str, str] = {}
    # Largest first, so the two workers end close together.
    order = sorted(shards, key=lambda name: (-len(shards[name]), name))
    with ThreadPoolExecutor(max_workers=JOBS) as pool:
        results = pool.map(lambda name: index_shard(outdir, name, shards[name]), order)
        for name, (folder, problem) in zip(order, results, strict=True):
            if folder is not None:
                fresh[name] = folder
            if problem is not None:
                problems[name] = problem
    return fresh, problems


def put_in_place(outdir: Path, shard: str, fresh: Path) -> None:
    """Replace a shard's live bundle with ``fresh`` (two renames: never half a shard)."""
    root = outdir / BUNDLE_DIR
    bundle = root / shard
    old = root / f"{shard}.old-{os.getpid()}"
    if bundle.exists():
        bundle.rename(old)
    fresh.rename(bundle)
    shutil.rmtree(old, ignore_errors=True)


def _write_if_changed(path: Path, data: bytes) -> None:
    if path.is_file() and path.read_bytes() == data:
        return
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


def manifest(shards: list[str]) -> bytes:
    """``shards.json``: the shards the search page loads, the primary first."""
    if not shards:
        return b'{"shards":[]}'
    primary = primary_shard(shards)
    ordered = [primary, *sorted(name for name in shards if name != primary)]
    return json.dumps({"shards": ordered}, separators=(",", ":")).encode()


def finish(outdir: Path, shards: list[str]) -> None:
    """After the swaps: the manifest, the UI files, and nothing of shards left the plan."""
    root = outdir / BUNDLE_DIR
    live = [name for name in shards if bundle_complete(root / name)]
    if live:
        for name in UI_FILES:
            source = root / live[0] / name
            if source.is_file():
                _write_if_changed(root / name, source.read_bytes())
    _write_if_changed(root / MANIFEST, manifest(live))
    keep = {*shards, *UI_FILES, MANIFEST}
    for entry in root.iterdir():
        if entry.name in keep or entry.name.startswith("."):
            continue
        if entry.is_dir() and not entry.is_symlink():
            # A shard no longer planned, or an index of the layout before shards.
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)


def live_shards(outdir: Path) -> set[str]:
    """The shard bundles in the output now."""
    root = outdir / BUNDLE_DIR
    if not root.is_dir():
        return set()
    return {
        entry.name
        for entry in root.iterdir()
        if entry.is_dir() and not entry.name.startswith(".") and "." not in entry.name
    }
