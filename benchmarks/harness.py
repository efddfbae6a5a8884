"""What the build benchmarks share: the site files, recaps, edits and timed builds.

``site.py`` (synthetic catalogues) and ``pyvideo.py`` (pyvideo.org's data) both write a
site with this ``conf.py`` and these recaps, and time ``sphinx-build`` with
:func:`run_tree`: wall and CPU time, and the peak memory *summed over every process of
the build's tree*, sampled from ``/proc`` (a forked writer and the Pagefind indexer
count with the main process; ``ru_maxrss`` would give only the largest one).

Two sums are kept: resident memory (``VmRSS``), and proportional memory (``Pss``), which
counts a page shared by N processes as 1/N in each. Forked workers share most of the
main process's pages copy-on-write, so summed RSS counts those pages once per worker;
summed PSS is the memory the build really holds, and the figure the goals are judged by.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

WORDS = [
    "async",
    "django",
    "python",
    "web",
    "api",
    "database",
    "query",
    "cache",
    "test",
    "deploy",
    "scale",
    "type",
    "hint",
    "pattern",
    "model",
    "view",
    "template",
    "form",
    "admin",
    "security",
    "performance",
    "community",
    "data",
    "machine",
    "learning",
    "graph",
    "stream",
    "queue",
    "worker",
    "task",
    "orm",
    "migration",
    "schema",
]

KINDS = ("talk", "talk", "talk", "keynote", "tutorial", "workshop", "panel", "lightning")

CONF = """\
project = "Synthetic recaps"
extensions = ["conference_recaps"]
include_patterns = ["index.md", "recaps/**"]
exclude_patterns = ["_build"]
source_suffix = {".md": "markdown"}
myst_enable_extensions = ["colon_fence"]
html_theme = "sphinx_book_theme"
html_sidebars = {"**": ["navbar-logo.html", "search-button-field.html", "recaps-sidebar-nav.html"]}
html_theme_options = {"home_page_in_toc": True}
recaps_repository_url = "https://github.com/example/recaps"
"""

INDEX = """\
# Synthetic recaps

:::{recaps-home}
:::

```{toctree}
:caption: Recaps
:glob:
:reversed:
:maxdepth: 1

recaps/**
```
"""

# Sampling the process tree this often catches the peaks of a build's phases (reading,
# writing, Pagefind) without taking a noticeable share of a core.
SAMPLE_SECONDS = 0.075


def sentence(rnd: random.Random, words: int) -> str:
    return " ".join(rnd.choice(WORDS) for _ in range(words)).capitalize() + "."


def write_site_files(root: Path) -> None:
    """``conf.py`` and ``index.md``: everything a site needs besides its data."""
    (root / "conf.py").write_text(CONF, encoding="utf-8")
    (root / "index.md").write_text(INDEX, encoding="utf-8")


@dataclass(frozen=True)
class RecapPlan:
    """One recap to write: its conference, the year it is filed under and its cards."""

    conference: str
    year: int
    cards: Sequence[str]
    speaker: str


def write_recaps(root: Path, plans: Sequence[RecapPlan], rnd: random.Random) -> list[str]:
    """Recaps of realistic length (about 1,500 words, six parts, a talk card in five).

    Returns their paths, relative to ``root``.
    """
    paths = []
    for r, plan in enumerate(plans):
        cid, year = plan.conference, plan.year
        path = root / "recaps" / str(year) / f"{cid}-{r}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        body = [
            "---",
            f"title: Recap {r} of Conference {cid}",
            f"date: {year}-07-{1 + r % 28:02d}",
            f"authors: [Writer {r % 50}]",
            f"conference: {cid}",
            "kind: blog",
            f"tags: [{rnd.choice(WORDS)}]",
            "---",
            "",
            f"# Recap {r} of Conference {cid}",
            "",
        ]
        for section in range(6):
            body += [f"## Part {section}", ""]
            for _ in range(4):
                body += [" ".join(sentence(rnd, 12) for _ in range(5)), ""]
            if section < len(plan.cards):
                body += [f":::{{talk-card}} {plan.cards[section]}", sentence(rnd, 10), ":::", ""]
        body += [f"Thanks to {{speaker}}`{plan.speaker}` for the help.", ""]
        path.write_text("\n".join(body), encoding="utf-8")
        paths.append(str(path.relative_to(root)))
    return paths


def generate(root: Path, talks: int, seed: int = 2019, recap_every: int = 20) -> dict[str, str]:
    """Write a synthetic site; return the ids the edits use.

    ``talks`` talks over talks/40 conferences and talks/3 speakers, one recap per
    ``recap_every`` talks.
    """
    rnd = random.Random(seed)
    n_conferences = max(1, talks // 40)
    n_speakers = max(1, talks // 3)
    out = ["conferences:"]
    conferences = []
    for c in range(n_conferences):
        year = 2000 + c % 25
        cid = f"conf-{c}-{year}"
        conferences.append((cid, year))
        out += [
            f"  - id: {cid}",
            f"    name: Conference {c} {year}",
            f"    series: Conference {c}",
            f"    start: {year}-06-01",
            f"    end: {year}-06-05",
            "    location: San Diego, California, USA",
            f"    url: https://{year}.conf-{c}.example.org/",
        ]
    out.append("speakers:")
    for s in range(n_speakers):
        out += [f"  - id: speaker-{s}", f"    name: Speaker Number {s}"]
        if s % 5 == 0:
            out.append(f"    aliases: [S. Number {s}]")
    out.append("talks:")
    talks_of: dict[str, list[str]] = {cid: [] for cid, _ in conferences}
    for t in range(talks):
        cid, year = conferences[t % n_conferences]
        speakers = sorted({f"speaker-{(t + k * 7) % n_speakers}" for k in range(1 + t % 2)})
        tid = f"{cid}/talk-{t}"
        talks_of[cid].append(tid)
        out += [
            f"  - id: {tid}",
            f"    conference: {cid}",
            f"    title: {json.dumps(sentence(rnd, 6)[:-1])}",
            f"    speakers: [{', '.join(speakers)}]",
            f"    kind: {KINDS[t % len(KINDS)]}",
            f"    date: {year}-06-0{1 + t % 5}",
            "    abstract: |",
            f"      {sentence(rnd, 30)}",
            f"      {sentence(rnd, 30)}",
            "",
            f"      {sentence(rnd, 20)}",
            f"    video: https://www.youtube.com/watch?v=v{t:010d}",
            f"    tags: [{', '.join(rnd.sample(WORDS, 2))}]",
        ]
    (root / "talks.yaml").write_text("\n".join(out) + "\n", encoding="utf-8")
    write_site_files(root)
    plans = []
    for r in range(max(1, talks // recap_every)):
        cid, year = conferences[r % n_conferences]
        cards = rnd.sample(talks_of[cid], min(5, len(talks_of[cid])))
        plans.append(RecapPlan(cid, year, cards, f"speaker-{r % n_speakers}"))
    first_recap = write_recaps(root, plans, rnd)[0]
    return {"recap": first_recap, "talk": f"{conferences[0][0]}/talk-0"}


def split_catalogue(root: Path) -> int:
    """Split ``talks.yaml`` into ``talks/<conference-id>.yaml`` (each conference with its
    talks) and ``talks/speakers.yaml``, the layout the design gives a large catalogue;
    return the number of files. Block style as the importer writes it: top-level lists,
    items starting with ``  - id: ``; a talk's id starts with its conference's.
    """
    source = root / "talks.yaml"
    section = ""
    items: dict[str, list[tuple[str, list[str]]]] = {}
    for line in source.read_text(encoding="utf-8").splitlines(keepends=True):
        if line[:1].isalpha():
            section = line.split(":", 1)[0]
            items.setdefault(section, [])
        elif line.startswith("  - id: "):
            items[section].append((line[8:].strip().strip("\"'"), [line]))
        elif line.strip():
            items[section][-1][1].append(line)
    files: dict[str, dict[str, list[str]]] = {}
    for conference, lines in items.get("conferences", []):
        files.setdefault(conference, {}).setdefault("conferences", []).extend(lines)
    for talk, lines in items.get("talks", []):
        conference = talk.split("/", 1)[0]
        files.setdefault(conference, {}).setdefault("talks", []).extend(lines)
    files["speakers"] = {"speakers": [ln for _, lines in items.get("speakers", []) for ln in lines]}
    folder = root / "talks"
    folder.mkdir(exist_ok=True)
    for name, lists in files.items():
        text = "".join(f"{key}:\n" + "".join(lines) for key, lines in lists.items())
        (folder / f"{name}.yaml").write_text(text, encoding="utf-8")
    source.unlink()
    return len(files)


def edit_talk_title(root: Path, talk_id: str, title: str) -> None:
    """Change one talk's title in the catalogue (block style, as generated or imported):
    in ``talks/<conference-id>.yaml`` when the catalogue is split, else ``talks.yaml``."""
    catalogue = root / "talks" / f"{talk_id.split('/', 1)[0]}.yaml"
    if not catalogue.is_file():
        catalogue = root / "talks.yaml"
    text = catalogue.read_text(encoding="utf-8")
    start = text.index(f"  - id: {talk_id}\n")
    line = text.index("    title: ", start)
    catalogue.write_text(
        text[:line] + f"    title: {json.dumps(title)}\n" + text[text.index("\n", line) + 1 :],
        encoding="utf-8",
    )


def edit_recap(root: Path, recap: str, text: str) -> None:
    path = root / recap
    path.write_text(path.read_text(encoding="utf-8") + f"\n{text}\n", encoding="utf-8")


# -- measuring -------------------------------------------------------------------------


def _children() -> dict[int, list[int]]:
    """Every process's children, from ``/proc/<pid>/stat``."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as stat:  # noqa: PTH123 - hot loop
                fields = stat.read().rsplit(b")", 1)[1].split()
        except OSError:  # the process ended while we looked
            continue
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    return children


def _kb(pid: int, file: str, field: bytes) -> int:
    """A ``field:  N kB`` line of ``/proc/<pid>/<file>``, in kB (0 once the process ended,
    or for a zombie, which has no such line)."""
    try:
        with open(f"/proc/{pid}/{file}", "rb") as status:  # noqa: PTH123 - hot loop
            for line in status:
                if line.startswith(field):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_rss_kb(pid: int) -> tuple[int, int, int]:
    """The summed resident and proportional memory of ``pid`` and all its descendants,
    and their number."""
    children = _children()
    total, pss, count, stack = 0, 0, 0, [pid]
    while stack:
        current = stack.pop()
        total += _kb(current, "status", b"VmRSS:")
        pss += _kb(current, "smaps_rollup", b"Pss:")
        count += 1
        stack.extend(children.get(current, ()))
    return total, pss, count


@dataclass(frozen=True)
class Run:
    """One measured command: what it returned and what it cost."""

    rc: int
    seconds: float
    cpu_seconds: float  # user + system of the whole waited-for tree
    peak_mb: float  # summed VmRSS of the tree, at its largest sample
    peak_processes: int  # processes in the tree at that sample
    peak_pss_mb: float  # summed Pss of the tree, at its largest sample
    load_before: float  # 1-minute load average
    load_after: float
    stdout: str
    stderr: str

    @property
    def load(self) -> str:
        return f"{self.load_before:.1f}>{self.load_after:.1f}"


def run_tree(
    command: Sequence[str], *, cwd: Path | None = None, env: dict[str, str] | None = None
) -> Run:
    """Run ``command`` to its end, sampling its process tree's memory."""
    load_before = os.getloadavg()[0]
    with (
        tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace") as stdout,
        tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace") as stderr,
    ):
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=stdout, stderr=stderr)
        peak = [0, 0, 0]
        done = threading.Event()

        def sample() -> None:
            while not done.wait(SAMPLE_SECONDS):
                kb, pss, count = tree_rss_kb(process.pid)
                if kb > peak[0]:
                    peak[:2] = [kb, count]
                peak[2] = max(peak[2], pss)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        # wait4, not Popen.wait: its resource usage covers every descendant waited for.
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        done.set()
        sampler.join()
        stdout.seek(0)
        stderr.seek(0)
        output, errors = stdout.read(), stderr.read()
    return Run(
        rc=process.returncode,
        seconds=seconds,
        cpu_seconds=usage.ru_utime + usage.ru_stime,
        peak_mb=peak[0] / 1024,
        peak_processes=peak[1],
        peak_pss_mb=peak[2] / 1024,
        load_before=load_before,
        load_after=os.getloadavg()[0],
        stdout=output,
        stderr=errors,
    )


def run_build(
    root: Path,
    jobs: str = "auto",
    *,
    background_index: bool = False,
    strict: bool = False,
    check: bool = True,
) -> Run:
    """One ``sphinx-build -b dirhtml`` of ``root`` in a fresh process, measured.

    ``strict`` adds ``-W --keep-going`` (as ``make html``). With ``background_index``,
    the search index is written after the build by a process of its own, as under
    ``make serve`` (``RECAPS_SEARCH_INDEX=background``); that process is detached and
    not counted.
    """
    sphinx = [sys.executable, "-m", "sphinx", "-q", "-b", "dirhtml", "-j", jobs]
    if strict:
        sphinx += ["-W", "--keep-going"]
    sphinx += ["-d", str(root / "_build" / "doctrees"), str(root), str(root / "_build" / "html")]
    env = dict(os.environ)
    env.pop("RECAPS_SEARCH_INDEX", None)
    if background_index:
        env["RECAPS_SEARCH_INDEX"] = "background"
    run = run_tree(sphinx, env=env)
    if check and run.rc != 0:
        sys.stderr.write(run.stderr)
        msg = f"sphinx-build failed in {root}"
        raise RuntimeError(msg)
    return run


def wait_for_index(root: Path, timeout: float = 1800) -> float:
    """Seconds until the background search index is in place."""
    from conference_recaps.discovery.pagefind.indexer import IndexFiles  # noqa: PLC0415

    files = IndexFiles(root / "_build" / "html", root / "_build" / "doctrees", "dirhtml")
    start = time.perf_counter()
    while files.pending():
        if time.perf_counter() - start > timeout:
            msg = f"the background search index of {root} is not done after {timeout} s"
            raise RuntimeError(msg)
        time.sleep(0.1)
    return time.perf_counter() - start


def output_mtimes(root: Path) -> dict[Path, int]:
    return {p: p.stat().st_mtime_ns for p in (root / "_build" / "html").rglob("*.html")}


def written_since(root: Path, before: dict[Path, int]) -> int:
    after = output_mtimes(root)
    return sum(1 for path, mtime in after.items() if before.get(path) != mtime)


def tree_size(folder: Path) -> tuple[int, int, int]:
    """Apparent bytes, bytes on disk (as ``du``: hard links once) and HTML pages."""
    apparent = disk = pages = 0
    seen: set[tuple[int, int]] = set()
    for directory, _, files in os.walk(folder):
        for name in files:
            stat = Path(directory, name).lstat()
            if (stat.st_dev, stat.st_ino) in seen:
                continue
            seen.add((stat.st_dev, stat.st_ino))
            apparent += stat.st_size
            disk += stat.st_blocks * 512
            pages += name.endswith(".html")
    return apparent, disk, pages
