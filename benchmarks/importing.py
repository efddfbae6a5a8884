"""Benchmark: import a pyvideo folder into a catalogue of 25,000 talks, then again.

Run with ``python benchmarks/importing.py [--talks N] [--videos M]``. It writes a
catalogue of N talks and a pyvideo folder of M videos (half of them already in the
catalogue, so the merge both fills and adds) into a temporary folder, then times the
first import (which writes the file) and the second (which must change nothing), each in
a fresh process so that the figures include start-up, and reports their peak memory.
"""

from __future__ import annotations

import argparse
import json
import random
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
]

RUN = """
import resource, sys
from conference_recaps.cli import build_parser, resolve
args = build_parser().parse_args(sys.argv[1:])
code = resolve(args.run)(args)
usage = resource.getrusage(resource.RUSAGE_SELF)
print(usage.ru_utime + usage.ru_stime, usage.ru_maxrss, file=sys.stderr)
sys.exit(code)
"""


def catalogue(talks: int, rnd: random.Random) -> tuple[str, list[tuple[str, str]]]:
    """A catalogue text, and the (title, video) of the talks of its ``bench-2024``."""
    conferences = max(1, talks // 60)
    out = ["conferences:"]
    for c in range(conferences):
        out += [
            f"  - id: conf-{c}",
            f"    name: Conference {c}",
            f"    start: 2010-06-0{1 + c % 3}",
            "    end: 2010-06-12",
        ]
    out += ["  - id: bench-2024", "    name: Bench 2024", "    start: 2024-05-01"]
    out += ["    end: 2024-05-03", "speakers:"]
    speakers = max(1, talks // 2)
    for s in range(speakers):
        out += [f"  - id: speaker-{s:05d}", f"    name: Speaker Number {s}"]
    out.append("talks:")
    bench: list[tuple[str, str]] = []
    for t in range(talks):
        title = " ".join(rnd.choice(WORDS) for _ in range(6)).capitalize() + f" {t}"
        conference = "bench-2024" if t % 100 == 0 else f"conf-{t % conferences}"
        video = f"https://www.youtube.com/watch?v=v{t:010d}"
        out += [
            f"  - id: {conference}/talk-{t}",
            f"    conference: {conference}",
            f"    title: {title}",
            "    speakers:",
            f"      - speaker-{t % speakers:05d}",
            "    abstract: |-",
            "      " + " ".join(rnd.choice(WORDS) for _ in range(50)),
            "",
            "      " + " ".join(rnd.choice(WORDS) for _ in range(30)),
            f"    video: {video}",
        ]
        if conference == "bench-2024":
            bench.append((title, video))
    return "\n".join(out) + "\n", bench


def pyvideo(folder: Path, videos: int, known: list[tuple[str, str]], rnd: random.Random) -> None:
    (folder / "videos").mkdir(parents=True)
    (folder / "category.json").write_text('{"title": "Bench 2024"}', encoding="utf-8")
    for v in range(videos):
        if v < len(known) and v % 2 == 0:
            title, video = known[v]
        else:
            title = " ".join(rnd.choice(WORDS) for _ in range(5)).capitalize() + f" new {v}"
            video = f"https://youtu.be/n{v:010d}"
        record = {
            "title": title,
            "speakers": [f"Speaker Number {v * 7}", f"New Person {v}"],
            "recorded": f"2024-05-0{1 + v % 3}",
            "description": "\n\n".join(
                " ".join(rnd.choice(WORDS) for _ in range(40)) for _ in "ab"
            ),
            "videos": [{"type": "youtube", "url": video}],
            "tags": ["django", rnd.choice(WORDS)],
        }
        (folder / "videos" / f"{v:04d}.json").write_text(json.dumps(record), encoding="utf-8")


def timed(args: list[str], cwd: Path) -> tuple[float, float, int, str]:
    """Wall time, CPU time, peak memory (MB) and first output line of one import."""
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", RUN, *args], cwd=cwd, capture_output=True, text=True, check=False
    )
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"import failed:\n{result.stdout}\n{result.stderr}")
    cpu, peak_kb = result.stderr.strip().splitlines()[-1].split()
    return elapsed, float(cpu), int(peak_kb) // 1024, result.stdout.strip().splitlines()[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--talks", type=int, default=25_000)
    parser.add_argument("--videos", type=int, default=300)
    options = parser.parse_args()
    rnd = random.Random(2024)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        text, known = catalogue(options.talks, rnd)
        (root / "talks.yaml").write_text(text, encoding="utf-8")
        pyvideo(root / "bench-2024", options.videos, known, rnd)
        first, first_cpu, first_mb, summary = timed(["import", "pyvideo", "bench-2024"], root)
        written = (root / "talks.yaml").read_bytes()
        second, second_cpu, second_mb, _ = timed(["import", "pyvideo", "bench-2024"], root)
        unchanged = (root / "talks.yaml").read_bytes() == written
    print(f"catalogue: {options.talks} talks; source: {options.videos} pyvideo videos")
    print(f"  {summary}")
    print(f"first import:  {first:.2f} s ({first_cpu:.2f} s CPU), peak {first_mb} MB")
    print(
        f"second import: {second:.2f} s ({second_cpu:.2f} s CPU), peak {second_mb} MB, "
        f"file unchanged: {unchanged}"
    )
    return 0 if unchanged else 1


if __name__ == "__main__":
    sys.exit(main())
