"""Benchmark: build a synthetic site of N talks and print how the build scales.

Run with ``make bench`` (or ``python benchmarks/site.py --talks 500 2000 8000``). For each
N it writes, in a temporary folder, a catalogue of N talks over N/40 conferences and N/3
speakers, and N/20 recaps of realistic length (about 1,500 words, headings, five talk
cards and a speaker link each), then runs ``sphinx-build -b dirhtml`` as a subprocess:

- a full build (``-j auto``, and ``-j 1`` with ``--compare-jobs``),
- a no-op rebuild,
- a rebuild after editing one recap's text,
- a rebuild after editing one talk's title,

and prints the time of each, the pages each one wrote, and the peak memory (the largest
resident set of any process of the build's tree, read from ``ru_maxrss`` of the waited-for
children). Targets on a 2-core machine (issue 5): time(8000)/time(2000) <= 4.4, a
2,000-talk full build <= 60 s, a one-recap edit rebuild <= 3 s, ``-j 2`` faster than
``-j 1``.
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


def run_build(root: Path, jobs: str) -> dict[str, float]:
    """One ``sphinx-build`` in a fresh process; its wall time and its tree's peak memory."""
    code = (
        "import resource, subprocess, sys, time, json; t = time.perf_counter(); "
        "r = subprocess.run(sys.argv[1:]); "
        "print(json.dumps({'rc': r.returncode, 'seconds': time.perf_counter() - t, "
        "'peak_mb': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))"
    )
    sphinx = [sys.executable, "-m", "sphinx", "-q", "-b", "dirhtml", "-j", jobs]
    sphinx += ["-d", str(root / "_build" / "doctrees"), str(root), str(root / "_build" / "html")]
    result = subprocess.run(
        [sys.executable, "-c", code, *sphinx], capture_output=True, text=True, check=False
    )
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    if figures["rc"] != 0:
        sys.stderr.write(result.stderr)
        msg = f"sphinx-build failed in {root}"
        raise RuntimeError(msg)
    return figures


def output_mtimes(root: Path) -> dict[Path, int]:
    return {p: p.stat().st_mtime_ns for p in (root / "_build" / "html").rglob("*.html")}


def written_since(root: Path, before: dict[Path, int]) -> int:
    after = output_mtimes(root)
    return sum(1 for path, mtime in after.items() if before.get(path) != mtime)


def measure(talks: int, compare_jobs: bool) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix=f"recaps-bench-{talks}-") as tmp:
        root = Path(tmp)
        ids = generate(root, talks)
        row: dict[str, float] = {"talks": talks}
        if compare_jobs:
            row["full_j1"] = run_build(root, "1")["seconds"]
            shutil.rmtree(root / "_build")
        full = run_build(root, "auto")
        row["full"] = full["seconds"]
        row["peak_mb"] = full["peak_mb"]
        row["pages"] = len(output_mtimes(root))
        before = output_mtimes(root)
        row["noop"] = run_build(root, "auto")["seconds"]
        row["noop_written"] = written_since(root, before)
        recap = root / ids["recap"]
        recap.write_text(recap.read_text() + "\nOne more sentence.\n", encoding="utf-8")
        before = output_mtimes(root)
        row["recap"] = run_build(root, "auto")["seconds"]
        row["recap_written"] = written_since(root, before)
        catalogue = root / "talks.yaml"
        text = catalogue.read_text()
        start = text.index(f"  - id: {ids['talk']}\n")
        title = text.index("    title: ", start)
        catalogue.write_text(
            text[:title] + '    title: "An edited title"\n' + text[text.index("\n", title) + 1 :]
        )
        before = output_mtimes(root)
        row["talk"] = run_build(root, "auto")["seconds"]
        row["talk_written"] = written_since(root, before)
        return row


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--talks", type=int, nargs="+", default=[500, 2000, 8000])
    parser.add_argument("--compare-jobs", action="store_true", help="also time a -j 1 build")
    args = parser.parse_args()
    print(f"{os.cpu_count()} cores; sphinx-build -b dirhtml -j auto; times in seconds")
    header = (
        f"{'talks':>6} {'full':>7} {'full-j1':>7} {'pages':>6} {'no-op':>6} (wrote) "
        f"{'recap':>6} (wrote) {'talk':>6} (wrote) {'peak MB':>8}"
    )
    print(header)
    rows = []
    for n in args.talks:
        row = measure(n, args.compare_jobs)
        rows.append(row)
        j1 = f"{row['full_j1']:7.1f}" if "full_j1" in row else f"{'-':>7}"
        print(
            f"{n:>6} {row['full']:7.1f} {j1} {int(row['pages']):>6} {row['noop']:6.1f} "
            f"({int(row['noop_written']):>4}) {row['recap']:6.1f} ({int(row['recap_written']):>4}) "
            f"{row['talk']:6.1f} ({int(row['talk_written']):>4}) {row['peak_mb']:8.0f}",
            flush=True,
        )
    by_n = {int(r["talks"]): r for r in rows}
    if 2000 in by_n and 8000 in by_n:
        ratio = by_n[8000]["full"] / by_n[2000]["full"]
        print(f"time(8000)/time(2000) = {ratio:.2f} (target <= 4.4; linear is 4.0)")
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
