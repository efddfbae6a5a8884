"""The build's process and the garbage collector: forked workers, and the exit.

Work shared among forked workers, the way Sphinx writes documents with ``-j N``.

Writing the generated pages, drawing the social cards, writing the feeds and checking
the output each split a list of items into chunks and give the chunks to Sphinx's own
:class:`~sphinx.util.parallel.ParallelTasks` (forked processes; results come back
pickled, in the order the chunks finish). :func:`run_chunks` is that pattern, once.

Before forking, the main process's objects are moved out of the garbage collector's
reach (:func:`gc.freeze`, what CPython documents for a parent that forks workers): a
worker's collections would otherwise visit, and so copy, every page of the catalogue and
the environment it shares with the main process. The collector is given them back when
the workers are done.

At exit, the interpreter runs the collector over everything still alive before it tears
the modules down: at pyvideo.org's scale (an environment of millions of objects, the
catalogue's) that was two seconds of every build, no-op rebuilds included, spent after
the build was over. :func:`freeze_at_exit` freezes them first; a process that goes on
running builds (the test suite's) is not affected, as it only runs at exit.

Unpickling makes objects that are all alive, and the collector, counting allocations,
runs every few hundred of them over a heap that keeps growing: loading Sphinx's saved
environment at pyvideo.org's scale took 1.2 s with it and 0.44 s without. Sphinx
unpickles it between the extensions' set-up and ``builder-inited``:
:func:`pause_for_environment` keeps the collector off in between, then freezes what was
loaded until the build is over (turned back on over them, the collector visited them all
again: the time was the same). The build's own state files are loaded in
:func:`collector_paused`.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
from typing import TYPE_CHECKING, Generic, TypeVar

from sphinx.util.parallel import ParallelTasks, parallel_available

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Sequence

    from sphinx.application import Sphinx

T = TypeVar("T")
R = TypeVar("R")


def can_fork(nproc: int, items: int, threshold: int) -> bool:
    """Whether ``items`` are worth forking ``nproc`` workers for."""
    return nproc > 1 and parallel_available and items >= threshold


def chunked(items: Sequence[T], count: int) -> list[Sequence[T]]:
    """``items`` in at most ``count`` consecutive chunks of nearly equal size."""
    size = max(1, -(-len(items) // max(1, count)))
    return [items[start : start + size] for start in range(0, len(items), size)]


def run_chunks(
    work: Callable[[Sequence[T]], R],
    chunks: Iterable[Sequence[T]],
    nproc: int,
    done: Callable[[Sequence[T], R], None] | None = None,
) -> None:
    """Run ``work`` on each chunk in ``nproc`` forked workers; ``done(chunk, result)`` is
    called in this process as each chunk finishes (in no fixed order)."""
    with frozen():
        tasks = ParallelTasks(nproc)
        for chunk in chunks:
            tasks.add_task(work, chunk, done)
        tasks.join()


class Forked(Generic[T, R]):
    """``work(arg)`` in a forked process while this one goes on; :meth:`result` waits.

    Sphinx's :class:`~sphinx.util.parallel.ParallelTasks` with one task: it starts the
    process at once, hands its log records to this one and raises its error at the join.
    The objects alive when it forks are frozen for the fork, as in :func:`run_chunks`.
    """

    def __init__(self, work: Callable[[T], R], arg: T) -> None:
        self.arg = arg
        self._results: list[R] = []
        self._tasks = ParallelTasks(1)
        with frozen():
            self._tasks.add_task(work, arg, lambda _arg, result: self._results.append(result))

    def result(self) -> R:
        self._tasks.join()
        return self._results[0]


_registered = False


def freeze_at_exit() -> None:
    """Leave the objects alive at exit out of the collector's last passes (once)."""
    global _registered  # noqa: PLW0603 - one registration per process
    if not _registered:
        atexit.register(gc.freeze)
        _registered = True


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """The collector off while objects that all stay alive are made (an unpickling)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


#: How many :func:`frozen` blocks (and builds, :func:`pause_for_environment`) are open.
_freezes = 0


@contextlib.contextmanager
def frozen() -> Iterator[None]:
    """The objects alive now left out of the collector's passes until the block ends.

    Blocks nest: the objects go back to the collector when the outermost one ends.
    """
    global _freezes  # noqa: PLW0603 - one collector per process
    gc.freeze()
    _freezes += 1
    try:
        yield
    finally:
        _freezes -= 1
        if _freezes == 0:
            gc.unfreeze()


#: Whether :func:`pause_for_environment` turned the collector off.
_paused = False
#: The :func:`frozen` block of the build under way, from ``builder-inited`` to its end.
_build_hold = contextlib.ExitStack()


def pause_for_environment(app: Sphinx) -> None:
    """Load the environment without the collector, and keep it out of its passes.

    Called from the extension's ``setup``, which Sphinx runs just before it unpickles
    the saved environment: the collector is off until ``builder-inited``. Then the
    objects loaded are frozen (:func:`frozen`) until the build is over: turned on over
    them, the collector would visit them all again in its first passes, and in every
    full one after. Should an application fail before its build is over, the process
    ends (the command line) or its next application ends what it left.
    """
    global _paused  # noqa: PLW0603 - one collector per process
    if gc.isenabled():
        gc.disable()
        _paused = True
    elif not _paused:
        return  # turned off by someone else, who will turn it on
    app.connect("builder-inited", _loaded, priority=0)
    # After every other handler, the output check's included.
    app.connect("build-finished", _finished, priority=2000)


def _loaded(app: Sphinx) -> None:
    global _paused  # noqa: PLW0603 - one collector per process
    _build_hold.close()  # what an application that failed mid-build left
    _build_hold.enter_context(frozen())
    if _paused:
        gc.enable()
        _paused = False


def _finished(app: Sphinx, exception: BaseException | None) -> None:
    _build_hold.close()
