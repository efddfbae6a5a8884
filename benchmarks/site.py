"""Benchmark: build a synthetic site of N talks and print how the build scales.

Run with ``make bench`` (or ``python benchmarks/site.py --talks 500 2000 8000``). For each
N it writes, in a temporary folder, a catalogue of N talks over N/40 conferences and N/3
speakers, and N/20 recaps of realistic length (about 1,500 words, headings, five talk
cards and a speaker link each), then runs ``sphinx-build -b dirhtml`` as a subprocess:

- a full build (``-j auto``, and ``-j 1`` with ``--compare-jobs``),
- a no-op rebuild,
- a rebuild after editing one recap's text, as ``make serve`` runs it (the search index
  follows in a background process: ``+index`` is how much later it is in place), and
  the same edit again as ``make html`` runs it (``recap-fg``: the index in the build),
- a rebuild after editing one talk's title (as ``make serve`` runs it),

and prints the load average, the time of each, the pages each one wrote, and the peak
memory (the largest resident set of any process of the build's tree, read from
``ru_maxrss`` of the waited-for children). ``--full-only`` times the full build alone
(``--talks 22000 --full-only`` for the pyvideo.org scale). Targets on a 2-core machine
(issue 5): time(8000)/time(2000) <= 4.4, a 2,000-talk full build <= 60 s, a one-recap
edit rebuild <= 3 s, ``-j 2`` faster than ``-j 1``, 22,000 talks in under 10 minutes
and 4 GB.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

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


def sentence(rnd: random.Random, words: int) -> str:
    return " ".join(rnd.choice(WORDS) for _ in range(words)).capitalize() + "."


def generate(root: Path, talks: int, seed: int = 2019) -> dict[str, str]:
    """Write the site; return the ids the edits use."""
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
    (root / "conf.py").write_text(CONF, encoding="utf-8")
    (root / "index.md").write_text(INDEX, encoding="utf-8")
    first_recap = ""
    for r in range(max(1, talks // 20)):
        cid, year = conferences[r % n_conferences]
        path = root / "recaps" / str(year) / f"{cid}-{r}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        first_recap = first_recap or str(path.relative_to(root))
        cards = rnd.sample(talks_of[cid], min(5, len(talks_of[cid])))
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
            if section < len(cards):
                body += [f":::{{talk-card}} {cards[section]}", sentence(rnd, 10), ":::", ""]
        body += [f"Thanks to {{speaker}}`speaker-{r % n_speakers}` for the help.", ""]
        path.write_text("\n".join(body), encoding="utf-8")
    return {"recap": first_recap, "talk": f"{conferences[0][0]}/talk-0"}


def run_build(root: Path, jobs: str, *, background_index: bool = False) -> dict[str, float]:
    """One ``sphinx-build`` in a fresh process; its wall time and its tree's peak memory.

    With ``background_index``, the search index is written after the build by a
    process of its own, as under ``make serve`` (``RECAPS_SEARCH_INDEX=background``).
    """
    code = (
        "import resource, subprocess, sys, time, json; t = time.perf_counter(); "
        "r = subprocess.run(sys.argv[1:]); "
        "print(json.dumps({'rc': r.returncode, 'seconds': time.perf_counter() - t, "
        "'peak_mb': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))"
    )
    sphinx = [sys.executable, "-m", "sphinx", "-q", "-b", "dirhtml", "-j", jobs]
    sphinx += ["-d", str(root / "_build" / "doctrees"), str(root), str(root / "_build" / "html")]
    env = dict(os.environ)
    env.pop("RECAPS_SEARCH_INDEX", None)
    if background_index:
        env["RECAPS_SEARCH_INDEX"] = "background"
    result = subprocess.run(
        [sys.executable, "-c", code, *sphinx], capture_output=True, text=True, check=False, env=env
    )
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    if figures["rc"] != 0:
        sys.stderr.write(result.stderr)
        msg = f"sphinx-build failed in {root}"
        raise RuntimeError(msg)
    return figures


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


def edit_talk_title(root: Path, talk_id: str, title: str) -> None:
    catalogue = root / "talks.yaml"
    text = catalogue.read_text()
    start = text.index(f"  - id: {talk_id}\n")
    line = text.index("    title: ", start)
    catalogue.write_text(
        text[:line] + f"    title: {json.dumps(title)}\n" + text[text.index("\n", line) + 1 :]
    )


def measure(talks: int, compare_jobs: bool, full_only: bool = False) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix=f"recaps-bench-{talks}-") as tmp:
        root = Path(tmp)
        ids = generate(root, talks)
        row: dict[str, float] = {"talks": talks, "load": os.getloadavg()[0]}
        if compare_jobs:
            row["full_j1"] = run_build(root, "1")["seconds"]
            shutil.rmtree(root / "_build")
        full = run_build(root, "auto")
        row["full"] = full["seconds"]
        row["peak_mb"] = full["peak_mb"]
        row["pages"] = len(output_mtimes(root))
        if full_only:
            return row
        before = output_mtimes(root)
        row["noop"] = run_build(root, "auto")["seconds"]
        row["noop_written"] = written_since(root, before)
        # Edits as under `make serve`: the search index follows in the background.
        recap = root / ids["recap"]
        recap.write_text(recap.read_text() + "\nOne more sentence.\n", encoding="utf-8")
        before = output_mtimes(root)
        row["recap"] = run_build(root, "auto", background_index=True)["seconds"]
        row["recap_written"] = written_since(root, before)
        row["recap_index"] = wait_for_index(root)
        # The same edit as `make html` (and Read the Docs) runs it: the index included.
        recap.write_text(recap.read_text() + "\nAnd another.\n", encoding="utf-8")
        row["recap_fg"] = run_build(root, "auto")["seconds"]
        edit_talk_title(root, ids["talk"], "An edited title")
        before = output_mtimes(root)
        row["talk"] = run_build(root, "auto", background_index=True)["seconds"]
        row["talk_written"] = written_since(root, before)
        row["talk_index"] = wait_for_index(root)
        return row


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--talks", type=int, nargs="+", default=[500, 2000, 8000])
    parser.add_argument("--compare-jobs", action="store_true", help="also time a -j 1 build")
    parser.add_argument(
        "--full-only", action="store_true", help="only the full build (e.g. --talks 22000)"
    )
    args = parser.parse_args()
    load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    print(f"{os.cpu_count()} cores, load average {load}; sphinx-build -b dirhtml -j auto")
    print(
        "times in seconds; edits run as under make serve (the search index follows in the "
        "background: '+index' is when it is in place); 'recap-fg' is the same edit with "
        "the index built in the build (make html)"
    )
    header = (
        f"{'talks':>6} {'load':>5} {'full':>7} {'full-j1':>7} {'pages':>6} {'no-op':>6} (wrote) "
        f"{'recap':>6} (wrote) {'+index':>6} {'recap-fg':>8} {'talk':>6} (wrote) {'+index':>6} "
        f"{'peak MB':>8}"
    )
    print(header, flush=True)
    rows = []
    for n in args.talks:
        row = measure(n, args.compare_jobs, args.full_only)
        rows.append(row)
        j1 = f"{row['full_j1']:7.1f}" if "full_j1" in row else f"{'-':>7}"

        def cell(key: str, width: int = 6, row: dict[str, float] = row) -> str:
            return f"{row[key]:{width}.1f}" if key in row else f"{'-':>{width}}"

        def count(key: str, row: dict[str, float] = row) -> str:
            return f"({int(row[key]):>4})" if key in row else f"({'-':>4})"

        print(
            f"{n:>6} {row['load']:5.2f} {row['full']:7.1f} {j1} {int(row['pages']):>6} "
            f"{cell('noop')} {count('noop_written')} {cell('recap')} {count('recap_written')} "
            f"{cell('recap_index')} {cell('recap_fg', 8)} {cell('talk')} "
            f"{count('talk_written')} {cell('talk_index')} {row['peak_mb']:8.0f}",
            flush=True,
        )
    by_n = {int(r["talks"]): r for r in rows}
    if 2000 in by_n and 8000 in by_n:
        ratio = by_n[8000]["full"] / by_n[2000]["full"]
        print(f"time(8000)/time(2000) = {ratio:.2f} (target <= 4.4; linear is 4.0)")
    for row in rows:
        if "full_j1" in row:
            speedup = row["full_j1"] / row["full"]
            print(f"{int(row['talks'])} talks: -j auto is {speedup:.2f}x as fast as -j 1")
    if len(rows) >= 2:
        a, b = rows[-2], rows[-1]
        per_talk = (b["full"] - a["full"]) / (b["talks"] - a["talks"])
        mem_per_talk = (b["peak_mb"] - a["peak_mb"]) / (b["talks"] - a["talks"])
        est = b["full"] + per_talk * (22_000 - b["talks"])
        est_mb = b["peak_mb"] + mem_per_talk * (22_000 - b["talks"])
        print(f"estimate for 22,000 talks: {est:.0f} s, {est_mb:.0f} MB (linear from the last two)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
