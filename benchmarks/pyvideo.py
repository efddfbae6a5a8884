"""Benchmark: build pyvideo.org's data as a site, and Pelican's build of the same data.

Run with ``make bench-pyvideo PYVIDEO_DATA=path/to/pyvideo-data`` (a checkout of
https://github.com/pyvideo/data); without ``PYVIDEO_DATA`` the site is the synthetic
22,000 talks of ``site.py``. It prints the table of issue 17, each figure with the
1-minute load average before and after it, its goal and whether it is met:

- the data's event folders are imported with ``recaps import pyvideo`` into a temporary
  site; the catalogue is kept in ``_build/bench-pyvideo/`` under a key made of the data's
  git commit (or a digest of its files, when it is not a clean git checkout) and the
  importer's code, so the next run skips the import;
- synthetic recaps (one per ``--recap-every`` talks, about 1,500 words and five talk
  cards of real talks each) are added, so that editing a recap can be measured;
- the strict build as ``make html`` runs it (``-W --keep-going -j auto -b dirhtml``,
  search index included), its peak memory summed over the build's process tree, a
  no-op rebuild, one talk's title edited and one recap's text edited (each as
  ``make html``, and again as ``make serve``: pages in place, then the background
  search index), the output's size and page count;
- with ``PYVIDEO_SITE`` (a checkout of https://github.com/pyvideo/pyvideo) and
  ``PELICAN`` (its Pelican, installed by ``benchmarks/pelican.sh``), pyvideo.org's own
  build of the same data, on one core as its CI runs it, and our figures over its.

``--events N`` imports only the first N event folders: a quick check of the harness.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from harness import (
    RecapPlan,
    Run,
    edit_recap,
    edit_talk_title,
    generate,
    output_mtimes,
    run_build,
    run_tree,
    split_catalogue,
    tree_size,
    wait_for_index,
    write_recaps,
    write_site_files,
    written_since,
)

from conference_recaps.catalogue.loader import load_catalogue

if TYPE_CHECKING:
    from collections.abc import Callable

REPOSITORY = Path(__file__).resolve().parent.parent
GB = 1e9
MB = 1e6


def git(folder: Path, *args: str) -> str | None:
    """A git command's output in ``folder``, or None when it is no git checkout."""
    try:
        result = subprocess.run(
            ["git", "-C", str(folder), *args], capture_output=True, text=True, check=False
        )
    except FileNotFoundError:
        return None
    return result.stdout.strip() if result.returncode == 0 else None


def event_folders(data: Path, events: int | None) -> list[Path]:
    """The data's event folders (those with a ``category.json``), sorted; the first N."""
    folders = sorted(
        p for p in data.iterdir() if not p.name.startswith(".") and (p / "category.json").is_file()
    )
    return folders[:events] if events else folders


def describe_data(data: Path, folders: list[Path]) -> tuple[str, str]:
    """What the data is, for people (commit and date), and for the cache key.

    A clean git checkout is its commit; anything else is a digest of every file the
    import reads (about a second for the whole of pyvideo/data).
    """
    commit = git(data, "log", "-1", "--format=%H %cs")
    if commit and git(data, "status", "--porcelain", "--untracked-files=no") == "":
        return f"git commit {commit}", commit.split()[0]
    digest = hashlib.sha256()
    for folder in folders:
        for path in [folder / "category.json", *sorted((folder / "videos").glob("*.json"))]:
            digest.update(str(path.relative_to(data)).encode() + b"\0" + path.read_bytes())
    note = "a git checkout with local changes" if commit else "not a git checkout"
    return f"{note}; content digest {digest.hexdigest()[:16]}", digest.hexdigest()


def importer_digest() -> str:
    """The importer's code and the tag vocabulary: a change to either redoes the import."""
    digest = hashlib.sha256()
    sources = sorted((REPOSITORY / "src" / "conference_recaps" / "importers").glob("*.py"))
    for path in [*sources, REPOSITORY / "tags.yaml"]:
        if path.is_file():
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def import_catalogue(root: Path, data: Path, folders: list[Path], cache: Path) -> str:
    """Put the imported catalogue in ``root/talks.yaml``, from the cache if it has it."""
    label, data_key = describe_data(data, folders)
    print(f"pyvideo data: {data} ({len(folders)} event folders), {label}")
    names = "\0".join(f.name for f in folders)
    key = hashlib.sha256(f"{data_key}\0{importer_digest()}\0{names}".encode()).hexdigest()[:16]
    cached = cache / f"catalogue-{key}.yaml"
    if cached.is_file():
        shutil.copyfile(cached, root / "talks.yaml")
        print(f"catalogue: {cached} (imported before; delete it to import again)")
        return label
    print(f"importing with `recaps import pyvideo` (cached as {cached})...", flush=True)
    command = [sys.executable, "-m", "conference_recaps", "import", "pyvideo"]
    command += ["--report", str(root / "import-report.txt"), *map(str, folders)]
    run = run_tree(command, cwd=root)
    if not (root / "talks.yaml").is_file():
        sys.stderr.write(run.stdout + run.stderr)
        msg = f"the import wrote no catalogue (exit code {run.rc})"
        raise RuntimeError(msg)
    problems = sum(
        1 for line in run.stderr.splitlines() if not line.startswith(("read ", "merged "))
    )
    print(
        f"imported in {run.seconds:.0f} s (CPU {run.cpu_seconds:.0f} s, peak "
        f"{run.peak_mb:.0f} MB, load {run.load}); {problems} problems reported "
        f"(the report: {root / 'import-report.txt'})"
    )
    cache.mkdir(parents=True, exist_ok=True)
    partial = cached.with_suffix(".partial")
    shutil.copyfile(root / "talks.yaml", partial)
    partial.replace(cached)
    return label


def plan_recaps(root: Path, recap_every: int, rnd: random.Random) -> list[RecapPlan]:
    """One recap per ``recap_every`` talks, over the conferences in turn, cards of real talks."""
    catalogue, problems = load_catalogue(root, [root / "talks.yaml"])
    errors = [p for p in problems if p.is_error]
    if errors:
        msg = "the imported catalogue does not load:\n" + "\n".join(map(str, errors[:10]))
        raise RuntimeError(msg)
    talks_of: dict[str, list[str]] = {}
    for talk in catalogue.talks.values():
        talks_of.setdefault(talk.conference, []).append(talk.id)
    conferences = sorted(
        (c for c in catalogue.conferences.values() if c.id in talks_of),
        key=lambda c: (c.start, c.id),
    )
    speakers = sorted(catalogue.speakers)
    plans = []
    for r in range(max(1, len(catalogue.talks) // recap_every)):
        conference = conferences[r % len(conferences)]
        ids = talks_of[conference.id]
        cards = rnd.sample(ids, min(5, len(ids)))
        plans.append(
            RecapPlan(conference.id, conference.start.year, cards, speakers[r % len(speakers)])
        )
    print(
        f"site: {len(catalogue.talks)} talks, {len(catalogue.speakers)} speakers, "
        f"{len(catalogue.conferences)} conferences; {len(plans)} synthetic recaps "
        f"(one per {recap_every} talks)"
    )
    return plans


# -- measuring ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """A measured build, and how many HTML pages it wrote."""

    run: Run
    written: int
    index_after: float | None = None  # background index: seconds after the build


@dataclass(frozen=True)
class Pelican:
    run: Run
    apparent: int
    disk: int
    pages: int

    @property
    def errors(self) -> int:
        return sum(1 for line in self.run.stderr.splitlines() if line.startswith("ERROR"))


@dataclass
class Figures:
    full: Step
    apparent: int
    disk: int
    pages: int
    noop: Step
    talk: Step
    recap: Step
    talk_serve: Step
    recap_serve: Step
    pelican: Pelican | None = None


def make_site(root: Path, options: argparse.Namespace, folders: list[Path]) -> tuple[str, str]:
    """Write the site to measure; return the recap and the talk the edits change."""
    rnd = random.Random(2019)
    write_site_files(root)
    if not options.data:
        print(f"no PYVIDEO_DATA: a synthetic site of {options.talks} talks")
        ids = generate(root, options.talks, recap_every=options.recap_every)
        return ids["recap"], ids["talk"]
    if (REPOSITORY / "tags.yaml").is_file():  # the vocabulary the site folds tags into
        shutil.copyfile(REPOSITORY / "tags.yaml", root / "tags.yaml")
    import_catalogue(root, options.data.resolve(), folders, options.cache.resolve())
    plans = plan_recaps(root, options.recap_every, rnd)
    recap = write_recaps(root, plans, rnd)[0]
    if options.split:
        count = split_catalogue(root)
        print(f"catalogue: split into {count} files under talks/ (one per conference)")
    return recap, plans[0].cards[0]


def build(root: Path, edit: Callable[[], None] | None = None, *, serve: bool = False) -> Step:
    """Edit, then build as ``make html`` (strict, index included) or as ``make serve``."""
    if edit:
        edit()
    before = output_mtimes(root)
    run = run_build(root, strict=not serve, check=False, background_index=serve)
    if run.rc != 0:
        sys.stderr.write(run.stderr[-4000:])
    index = wait_for_index(root) if serve else None
    step = Step(run, written_since(root, before), index)
    # A line per build as it ends: a run cut short still leaves its figures in the log.
    search = f", search {index:.1f} s later" if index is not None else ""
    print(
        f"  build{' (serve)' if serve else ''}: rc {run.rc}, {run.seconds:.1f} s wall, "
        f"{run.cpu_seconds:.1f} s CPU, {run.peak_pss_mb / 1024:.2f} GB PSS "
        f"({run.peak_mb / 1024:.2f} GB RSS) peak, "
        f"{step.written} pages written{search}, load {run.load}",
        flush=True,
    )
    return step


def measure_builds(root: Path, recap: str, talk: str) -> Figures:
    print(f"edits: the title of talk {talk}; the text of {recap}", flush=True)
    full = build(root)
    apparent, disk, pages = tree_size(root / "_build" / "html")
    noop = build(root)

    def title(n: int) -> Callable[[], None]:
        return lambda: edit_talk_title(root, talk, f"An edited title {n}")

    def text(n: int) -> Callable[[], None]:
        return lambda: edit_recap(root, recap, f"One more sentence, number {n}.")

    return Figures(
        full=full,
        apparent=apparent,
        disk=disk,
        pages=pages,
        noop=noop,
        talk=build(root, title(1)),
        recap=build(root, text(1)),
        talk_serve=build(root, title(2), serve=True),
        recap_serve=build(root, text(2), serve=True),
    )


def run_pelican(site: Path, pelican: str, data: Path, folders: list[Path], cpu: int) -> Pelican:
    """pyvideo.org's build (its ``make html``) of the same event folders, on one core.

    The site's ``content/`` is copied into a temporary folder whose ``conferences``
    links to the data, as pyvideo's Makefile links its ``data`` submodule; nothing is
    written into the checkout.
    """
    print(f"Pelican: {site} with {pelican}, on core {cpu}...", flush=True)
    with tempfile.TemporaryDirectory(prefix="recaps-bench-pelican-") as tmp:
        work = Path(tmp)
        shutil.copytree(site / "content", work / "content", symlinks=True, ignore=_conferences)
        if len(folders) < len(event_folders(data, None)):
            # --events: a copy of those folders (Pelican's reader refuses files that a
            # link inside the data leads out of it), with the videos not to publish.
            subset = work / "data"
            subset.mkdir()
            for path in folders:
                shutil.copytree(path, subset / path.name)
            if (data / "NO_PUBLISH.json").is_file():
                shutil.copyfile(data / "NO_PUBLISH.json", subset / "NO_PUBLISH.json")
            data = subset
        (work / "content" / "conferences").symlink_to(data)
        command = [pelican, str(work / "content"), "-o", str(work / "output")]
        command += ["-s", str(site / "pelicanconf.py"), "-q"]
        if shutil.which("taskset"):
            command = ["taskset", "-c", str(cpu), *command]
        run = run_tree(command, cwd=site)
        if run.rc != 0:
            sys.stderr.write(run.stderr[-4000:])
        apparent, disk, pages = tree_size(work / "output")
    return Pelican(run, apparent, disk, pages)


def _conferences(directory: str, names: list[str]) -> list[str]:
    return ["conferences"] if Path(directory).name == "content" else []


# -- the table ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    figure: str
    measured: str
    goal: str
    load: str
    verdict: str


def verdict(ok: bool | None) -> str:
    return "-" if ok is None else ("pass" if ok else "FAIL")


def written(step: Step) -> str:
    """``wrote N pages``, and the exit code and warning count of a failed build."""
    note = f"wrote {step.written} pages"
    if step.run.rc:
        lines = step.run.stderr.splitlines()
        warnings = sum(1 for line in lines if "WARNING" in line or "ERROR" in line)
        note += f"; exit {step.run.rc}, {warnings} warnings"
    return note


def timed_row(name: str, step: Step, limit: float) -> Row:
    return Row(
        name,
        f"{step.run.seconds:.1f} s (CPU {step.run.cpu_seconds:.0f} s, {written(step)})",
        f"<= {limit:g} s",
        step.run.load,
        verdict(step.run.rc == 0 and step.run.seconds <= limit),
    )


def table(f: Figures) -> list[Row]:
    full, pelican = f.full.run, f.pelican
    full_goal, full_ok = "<= 60 s", full.rc == 0 and full.seconds <= 60
    if pelican:
        full_goal += f" and <= {pelican.run.seconds / 2:.0f} s (half Pelican's)"
        full_ok = full_ok and full.seconds <= pelican.run.seconds / 2
    peak = full.peak_pss_mb * 2**20
    rows = [
        Row(
            "full strict build (make html)",
            f"{full.seconds:.1f} s (CPU {full.cpu_seconds:.0f} s, {written(f.full)})",
            full_goal,
            full.load,
            verdict(full_ok),
        ),
        Row(
            "peak memory, summed over processes",
            f"{peak / GB:.2f} GB proportional (PSS); {full.peak_mb * 2**20 / GB:.2f} GB resident"
            f" (RSS, {full.peak_processes} processes at its peak, forks' shared pages counted"
            " in each)",
            "<= 1 GB",
            full.load,
            verdict(peak <= GB),
        ),
        timed_row("no-op rebuild", f.noop, 2),
        timed_row("one talk edited, search included", f.talk, 3),
        timed_row("one recap edited, search included", f.recap, 3),
        Row(
            "output size (du of _build/html)",
            f"{f.disk / MB:.0f} MB on disk, {f.apparent / MB:.0f} MB apparent, {f.pages} pages",
            "<= 700 MB on disk",
            "",
            verdict(f.disk <= 700 * MB),
        ),
    ]
    for name, step in (
        ("one talk edited, as make serve", f.talk_serve),
        ("one recap edited, as make serve", f.recap_serve),
    ):
        index = step.index_after or 0.0
        rows.append(
            Row(
                name,
                f"pages after {step.run.seconds:.1f} s ({written(step)}), "
                f"search after {step.run.seconds + index:.1f} s",
                "",
                step.run.load,
                verdict(None),
            )
        )
    if pelican:
        p = pelican.run
        errors = f"; {pelican.errors} errors" if pelican.errors else ""
        rows += [
            Row(
                "Pelican (pyvideo.org), one core",
                f"{p.seconds:.1f} s (CPU {p.cpu_seconds:.0f} s), peak"
                f" {p.peak_pss_mb * 2**20 / MB:.0f} MB PSS, {pelican.disk / MB:.0f} MB on disk,"
                f" {pelican.pages} pages" + (f"; exit {p.rc}" if p.rc else "") + errors,
                "",
                p.load,
                "",
            ),
            Row(
                "ours / Pelican's",
                f"time {full.seconds / p.seconds:.2f}x,"
                f" memory {full.peak_pss_mb / p.peak_pss_mb:.1f}x,"
                f" output {f.disk / max(pelican.disk, 1):.1f}x",
                "time <= 0.5x",
                "",
                verdict(full.seconds / p.seconds <= 0.5),
            ),
        ]
    return rows


def print_table(rows: list[Row]) -> None:
    fields = list(Row.__annotations__)
    headers = Row("figure", "measured", "goal", "load 1-min", "verdict")
    widths = [max(len(getattr(r, name)) for r in [headers, *rows]) for name in fields]
    for row in [headers, None, *rows]:
        if row is None:
            print("  ".join("-" * w for w in widths))
            continue
        cells = [getattr(row, name) for name in fields]
        print("  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip())


def measure(options: argparse.Namespace) -> int:
    folders = event_folders(options.data.resolve(), options.events) if options.data else []
    root = Path(tempfile.mkdtemp(prefix="recaps-bench-pyvideo-"))
    try:
        recap, talk = make_site(root, options, folders)
        figures = measure_builds(root, recap, talk)
    finally:
        if options.keep:
            print(f"site kept in {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)
    if options.site and options.data:
        figures.pelican = run_pelican(
            options.site.resolve(), options.pelican, options.data.resolve(), folders, options.cpu
        )
    elif options.site:
        print("Pelican: not run (it needs PYVIDEO_DATA)")
    print(
        "\nload 1-min: the load average before>after each build; 2 cores. Builds as make html:"
        " -W --keep-going -j auto -b dirhtml; as make serve: RECAPS_SEARCH_INDEX=background."
    )
    rows = table(figures)
    print_table(rows)
    return 0 if all(r.verdict != "FAIL" for r in rows) else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, help="a checkout of pyvideo/data (PYVIDEO_DATA)")
    parser.add_argument("--events", type=int, help="import only the first N event folders")
    parser.add_argument("--talks", type=int, default=22_000, help="synthetic talks, without data")
    parser.add_argument("--recap-every", type=int, default=20, help="one recap per N talks")
    parser.add_argument(
        "--cache", type=Path, default=REPOSITORY / "_build" / "bench-pyvideo", help="import cache"
    )
    parser.add_argument("--site", type=Path, help="a checkout of pyvideo/pyvideo (PYVIDEO_SITE)")
    parser.add_argument("--pelican", default="pelican", help="the Pelican to run it with")
    parser.add_argument("--cpu", type=int, default=0, help="the core Pelican is pinned to")
    parser.add_argument("--keep", action="store_true", help="keep the site's folder")
    parser.add_argument(
        "--single-file",
        dest="split",
        action="store_false",
        help="keep the imported catalogue in one talks.yaml (by default it is split into "
        "talks/<conference-id>.yaml and talks/speakers.yaml, as a large catalogue is kept)",
    )
    options = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[attr-defined]  # progress in logs
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    commit = git(REPOSITORY, "log", "-1", "--format=%h %s") or "unknown"
    dirty = " (with local changes)" if git(REPOSITORY, "status", "--porcelain") else ""
    print(f"{now}; {os.cpu_count()} cores, load average {load}; Python {platform.python_version()}")
    print(f"conference-recaps at {commit[:72]}{dirty}")
    start = time.perf_counter()
    code = measure(options)
    load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    print(f"whole run: {time.perf_counter() - start:.0f} s; load average now {load}")
    return code


if __name__ == "__main__":
    sys.exit(main())
