"""What a build wrote, by content: the digests that let whole-site outputs skip work.

Feeds, the sitemap and the search index are made from the whole site after writing.
Rebuilding them on every build made a no-op rebuild of 2,000 talks take half a minute,
Pagefind alone 22 s of it. Each of them now fingerprints its inputs, keeps the
fingerprint next to the doctrees, and does nothing when the fingerprint did not change.

Some of those inputs are written pages (a feed carries a recap's page as written;
Pagefind reads every page). :class:`OutputDigests` gives the digest of a page's content
while reading only the pages whose size or modification time changed since the last
build: Sphinx rewrites a few pages on every build (the search page, the index, the 404
page) with the same bytes, and those must not count as a change.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from conference_recaps.fingerprint import data_digest
from conference_recaps.forks import collector_paused

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

#: Bump when the layout of a state file changes.
STATE_VERSION = 1


def digest(*parts: object) -> str:
    """A short digest of plain data (str, int, date, tuple, list, dict, None)."""
    return data_digest(*parts)


def load_state(path: Path) -> dict[str, Any]:
    """A state file saved by :func:`save_state`, or an empty one."""
    try:
        with path.open("rb") as f, collector_paused():
            state = pickle.load(f)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError, ValueError):
        return {}
    if not isinstance(state, dict) or state.get("version") != STATE_VERSION:
        return {}
    return state


def save_state(path: Path, state: dict[str, Any]) -> None:
    """Write a state file atomically (a reader sees the old file or the new one)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    with tmp.open("wb") as f:
        pickle.dump({**state, "version": STATE_VERSION}, f, protocol=pickle.HIGHEST_PROTOCOL)
    tmp.replace(path)


@dataclass
class OutputDigests:
    """Content digests of output files, re-read only when a file's size or mtime changed."""

    root: Path
    #: Relative path -> (size, mtime in ns, digest of the content).
    known: dict[str, tuple[int, int, str]] = field(default_factory=dict)

    @classmethod
    def load(cls, root: Path, state_path: Path) -> OutputDigests:
        state = load_state(state_path)
        known = state.get("digests") if state.get("root") == str(root) else None
        return cls(root, known if isinstance(known, dict) else {})

    def save(self, state_path: Path) -> None:
        save_state(state_path, {"root": str(self.root), "digests": self.known})

    def of(self, relpath: str) -> str | None:
        """The digest of ``root/relpath``, or None when there is no such file."""
        path = self.root / relpath
        try:
            stat = path.stat()
        except OSError:
            self.known.pop(relpath, None)
            return None
        return self._digest(relpath, path, stat.st_size, stat.st_mtime_ns)

    def _digest(self, relpath: str, path: Path | str, size: int, mtime: int) -> str | None:
        cached = self.known.get(relpath)
        if cached is not None and cached[0] == size and cached[1] == mtime:
            return cached[2]
        try:
            value = self.content_digest(path)
        except OSError:
            self.known.pop(relpath, None)
            return None
        self.known[relpath] = (size, mtime, value)
        return value

    def content_digest(self, path: Path | str) -> str:
        """The digest of one file's content (a subclass may digest only a part of it)."""
        with open(path, "rb") as f:  # noqa: PTH123 - also called with str paths
            return hashlib.file_digest(f, "blake2b").hexdigest()[:32]

    def scan(self, suffix: str, *, skip: Iterable[str] = ()) -> dict[str, str]:
        """Every file under the root ending in ``suffix``: relative path -> digest.

        Folders named in ``skip`` (relative to the root) are not entered. Entries of
        files that are gone are dropped from the cache.
        """
        skipped = {name.strip("/") for name in skip}
        found: dict[str, str] = {}
        for relpath, path, size, mtime in walk_files(self.root, suffix=suffix, skip=skipped):
            value = self._digest(relpath, path, size, mtime)
            if value is not None:
                found[relpath] = value
        for gone in set(self.known) - set(found):
            if gone.endswith(suffix):
                del self.known[gone]
        return found


def all_there(root: Path | str, relpaths: Iterable[str]) -> bool:
    """Whether every one of ``relpaths`` is a file under ``root``.

    ``os.path``, not pathlib: a pyvideo.org-scale site checks 35,000 API files and
    52,000 feed files this way, and pathlib's objects cost seconds.
    """
    top = str(root)
    return all(os.path.isfile(os.path.join(top, rel)) for rel in relpaths)  # noqa: PTH113, PTH118


def walk_files(
    root: Path | str,
    *,
    suffix: str = "",
    skip: Iterable[str] = (),
    hidden: bool = True,
    follow_file_links: bool = False,
) -> Iterator[tuple[str, str, int, int]]:
    """``(relative path, path, size, mtime_ns)`` of every file under ``root`` ending in
    ``suffix``, in name order, depth first.

    Folders named in ``skip`` (relative paths) are not entered; with ``hidden=False``,
    names starting with a dot are left out, folders included. Links to folders are never
    followed; links to files only with ``follow_file_links`` (the output check reads what
    a link leads to). ``os.scandir``, not ``Path.rglob``: a pyvideo.org-scale output has
    100,000 files, and pathlib's per-path objects made walking them seconds of a rebuild.
    """
    skipped = set(skip)

    def walk(top: str, prefix: str) -> Iterator[tuple[str, str, int, int]]:
        with contextlib.suppress(OSError), os.scandir(top) as entries:
            for entry in sorted(entries, key=lambda e: e.name):
                if not hidden and entry.name.startswith("."):
                    continue
                relpath = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    if relpath not in skipped:
                        yield from walk(entry.path, relpath + "/")
                elif entry.name.endswith(suffix) and entry.is_file(
                    follow_symlinks=follow_file_links
                ):
                    try:
                        stat = entry.stat(follow_symlinks=follow_file_links)
                    except OSError:
                        continue
                    yield relpath, entry.path, stat.st_size, stat.st_mtime_ns

    yield from walk(str(root), "")


class IncrementalFiles:
    """Files a whole-site step writes under the output folder, each only when its bytes
    changed (an unchanged file keeps its modification time, so a server's caches, rsync
    and Read the Docs' uploads see no change); files it no longer writes are removed.

    The digests of what was written are kept in a state file next to the doctrees, so a
    no-op build reads no output file back.
    """

    def __init__(self, outdir: Path, state_path: Path) -> None:
        self.outdir = outdir
        self.state_path = state_path
        state = load_state(state_path)
        same_root = state.get("root") == str(outdir)
        previous = state.get("files") if same_root else None
        self.previous: dict[str, str] = previous if isinstance(previous, dict) else {}
        inputs = state.get("inputs") if same_root else None
        self.previous_inputs: dict[str, str] = inputs if isinstance(inputs, dict) else {}
        self.previous_site_inputs = state.get("site_inputs") if same_root else None
        self.site_inputs: str | None = None
        self.current: dict[str, str] = {}
        self.inputs: dict[str, str] = {}
        self.written: list[str] = []

    def kept(self, site_inputs: str) -> bool:
        """True when the last build wrote these files from the same site inputs (see
        :mod:`conference_recaps.inputs`) and all of them are still there: the caller
        makes none of them, and :meth:`finish` records them again as they are.
        """
        self.site_inputs = site_inputs
        if self.previous_site_inputs != site_inputs or not self.previous:
            return False
        if not all_there(self.outdir, self.previous):
            return False
        self.current = dict(self.previous)
        self.inputs = dict(self.previous_inputs)
        return True

    def unchanged(self, relpath: str, inputs: str) -> bool:
        """True when ``relpath`` was made from the same ``inputs`` (a digest) last time and
        is still there: the caller need not make its bytes again.

        Serialising every file to compare its bytes was most of a no-op rebuild at the
        pyvideo.org scale (540 calendars through icalendar; docs/architecture.md).
        """
        self.inputs[relpath] = inputs
        if (
            self.previous_inputs.get(relpath) == inputs
            and relpath in self.previous
            and all_there(self.outdir, (relpath,))
        ):
            self.current[relpath] = self.previous[relpath]
            return True
        return False

    def write(self, relpath: str, data: bytes) -> bool:
        """Write ``data`` to ``outdir/relpath`` unless it is there already; True if written."""
        value = hashlib.blake2b(data, digest_size=16).hexdigest()
        self.current[relpath] = value
        path = self.outdir / relpath
        if self.previous.get(relpath) == value and path.is_file():
            return False
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(data)
        tmp.replace(path)
        self.written.append(relpath)
        return True

    def finish(self) -> list[str]:
        """Remove the files of the last build that this one did not write; save the state.

        Return the removed paths. Emptied folders are removed too.
        """
        removed = sorted(set(self.previous) - set(self.current))
        root = self.outdir.resolve()
        for relpath in removed:
            path = (self.outdir / relpath).resolve()
            if root not in path.parents:
                continue
            with contextlib.suppress(OSError):
                path.unlink()
            for parent in path.parents:
                if parent == root:
                    break
                try:
                    parent.rmdir()  # only when empty
                except OSError:
                    break
        inputs = {k: v for k, v in self.inputs.items() if k in self.current}
        state = {
            "root": str(self.outdir),
            "files": self.current,
            "inputs": inputs,
            "site_inputs": self.site_inputs,
        }
        save_state(self.state_path, state)
        return removed
