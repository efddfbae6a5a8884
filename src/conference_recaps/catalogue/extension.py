"""Load the catalogue once per build, before any document is read.

At ``builder-inited`` the catalogue files are stamped (size and modification time); if the
stamps equal those of the load kept in the pickled environment, that load is reused;
otherwise the files whose stamps changed are parsed again, the others' readings are
taken from the last load, and the checks across files are made again. The result, a
frozen :class:`LoadedCatalogue`, is kept in the ``recaps`` domain, where
:func:`conference_recaps.domain.get_catalogue` reads it. Its problems are reported as
warnings on every build, reused or not, so ``-W`` keeps failing until the catalogue is
fixed.

No page declares ``env.note_dependency`` on the catalogue: the domain compares the
fingerprints of the entries each page used and re-reads only the pages whose entries
changed.
"""

from __future__ import annotations

import dataclasses
import os
import pickle
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from conference_recaps.catalogue.loader import FileRead, catalogue_files, load_files, site_path
from conference_recaps.catalogue.model import Catalogue
from conference_recaps.config import get_config
from conference_recaps.diagnostics import Problem, report
from conference_recaps.domain import get_domain
from conference_recaps.forks import collector_paused

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from sphinx.application import Sphinx

#: One file's identity for change detection: (site-relative path, mtime in ns, size).
Stamp = tuple[str, int, int]


@dataclass(frozen=True, slots=True)
class LoadedCatalogue:
    """The catalogue of one build, the stamps of the files it came from, and its problems."""

    catalogue: Catalogue
    stamps: tuple[Stamp, ...]
    problems: tuple[Problem, ...]
    #: Each file's own reading, by its stamp: the next load parses only changed files.
    reads: Mapping[Stamp, FileRead] = dataclasses.field(default_factory=dict)

    def __reduce__(self) -> tuple[object, ...]:
        """Pickled as one blob that is loaded with the garbage collector off, except by a
        parallel reader on its way back to the main process.

        The catalogue is most of the pickled environment at pyvideo.org's scale (25 of
        30 MB, millions of small objects). Unpickling that many objects set off the
        collector over and over: 2-3 s of every build, against under 1 s without it (the
        loader turns it off while parsing for the same reason). A blob of its own lets
        :func:`_unpickle` load it with the collector off inside Sphinx's loading of the
        environment.

        Sphinx's parallel reading forks workers; each reads its share of the documents
        and sends its whole environment back, pickled, to be merged per document. The
        catalogue is never merged back (it is loaded once, before reading), yet pickling
        it there and loading it here was a tenth of an edit's rebuild. A worker sends a
        marker in its place; the main process, which saves the environment, pickles it
        whole.
        """
        if _main_process is not None and os.getpid() != _main_process:
            return (str, (FORKED_READER_CATALOGUE,))
        if _unpickled is not None and _unpickled[0] is self:
            # Loaded from this blob and unchanged since (a recap edit): 2 s of pickling
            # millions of objects at pyvideo.org's scale, saved.
            blob = _unpickled[1]
        else:
            state = (self.catalogue, self.stamps, self.problems, dict(self.reads))
            blob = pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL)
        return (_unpickle, (blob,))


def _unpickle(blob: bytes) -> LoadedCatalogue:
    """A :class:`LoadedCatalogue` from its blob, loaded with the garbage collector off.

    The blob is kept beside it: the environment is saved again after every build that
    read a document, and a catalogue whose files did not change is the same object
    (:func:`load`), so its blob is written back as it was read.
    """
    global _unpickled  # noqa: PLW0603
    with collector_paused():
        loaded = LoadedCatalogue(*pickle.loads(blob))
    _unpickled = (loaded, blob)
    return loaded


#: The process that loaded the catalogue (set at ``builder-inited``).
_main_process: int | None = None
#: The catalogue this process unpickled and the blob it came from (see :func:`_unpickle`).
_unpickled: tuple[LoadedCatalogue, bytes] | None = None
#: What a parallel reader sends back in place of the catalogue (never merged).
FORKED_READER_CATALOGUE = "catalogue of a parallel reader: see LoadedCatalogue.__reduce__"


def stamp_files(root: Path, files: Sequence[Path]) -> tuple[Stamp, ...]:
    """Each file's path, modification time and size (a missing file is skipped)."""
    stamps = []
    for path in files:
        try:
            stat = path.stat()
        except OSError:
            continue
        stamps.append((site_path(root, path), stat.st_mtime_ns, stat.st_size))
    return tuple(stamps)


def load(root: Path, files: Sequence[Path], previous: LoadedCatalogue | None) -> LoadedCatalogue:
    """The previous load if no file changed, else a fresh one."""
    stamps = stamp_files(root, files)
    if previous is not None and previous.stamps == stamps:
        return previous
    unchanged = set(stamps)
    kept = {
        stamp[0]: read
        for stamp, read in (previous.reads.items() if previous is not None else ())
        if stamp in unchanged
    }
    catalogue, problems, reads = load_files(root, files, kept)
    by_path = {stamp[0]: stamp for stamp in stamps}
    return LoadedCatalogue(
        catalogue,
        stamps,
        tuple(problems),
        {by_path[rel]: read for rel, read in reads.items() if rel in by_path},
    )


def _load_catalogue(app: Sphinx) -> None:
    global _main_process  # noqa: PLW0603 - one process per build loads the catalogue
    _main_process = os.getpid()
    root = Path(app.srcdir)
    files = catalogue_files(root, get_config(app.config))
    domain = get_domain(app.env)
    previous = domain.data.get("catalogue")
    loaded = load(root, files, previous if isinstance(previous, LoadedCatalogue) else None)
    domain.data["catalogue"] = loaded
    # Sphinx names a file by its absolute path in warnings; do the same.
    report(dataclasses.replace(p, path=str(root / p.path)) for p in loaded.problems)


def setup_catalogue(app: Sphinx) -> None:
    # Early, so that the catalogue is there for other builder-inited handlers too.
    app.connect("builder-inited", _load_catalogue, priority=100)
