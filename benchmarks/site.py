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
memory of the full build (summed over every process of the build's tree, sampled from
``/proc``: see ``harness.py``). ``--full-only`` times the full build alone
(``--talks 22000 --full-only`` for a synthetic site at the pyvideo.org scale;
``pyvideo.py`` builds pyvideo.org's own data). Targets on a 2-core machine
(issue 5): time(8000)/time(2000) <= 4.4, a 2,000-talk full build <= 60 s, a one-recap
edit rebuild <= 3 s, ``-j 2`` faster than ``-j 1``, 22,000 talks in under 10 minutes
and 4 GB.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

from harness import (
    edit_recap,
    edit_talk_title,
    generate,
    output_mtimes,
    run_build,
    wait_for_index,
    written_since,
)


def measure(talks: int, compare_jobs: bool, full_only: bool = False) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix=f"recaps-bench-{talks}-") as tmp:
        root = Path(tmp)
        ids = generate(root, talks)
        row: dict[str, float] = {"talks": talks, "load": os.getloadavg()[0]}
        if compare_jobs:
            row["full_j1"] = run_build(root, "1").seconds
            shutil.rmtree(root / "_build")
        full = run_build(root, "auto")
        row["full"] = full.seconds
        row["peak_mb"] = full.peak_pss_mb
        row["pages"] = len(output_mtimes(root))
        if full_only:
            return row
        before = output_mtimes(root)
        row["noop"] = run_build(root, "auto").seconds
        row["noop_written"] = written_since(root, before)
        # Edits as under `make serve`: the search index follows in the background.
        edit_recap(root, ids["recap"], "One more sentence.")
        before = output_mtimes(root)
        row["recap"] = run_build(root, "auto", background_index=True).seconds
        row["recap_written"] = written_since(root, before)
        row["recap_index"] = wait_for_index(root)
        # The same edit as `make html` (and Read the Docs) runs it: the index included.
        edit_recap(root, ids["recap"], "And another.")
        row["recap_fg"] = run_build(root, "auto").seconds
        edit_talk_title(root, ids["talk"], "An edited title")
        before = output_mtimes(root)
        row["talk"] = run_build(root, "auto", background_index=True).seconds
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
        f"{'PSS MB':>8}"
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
