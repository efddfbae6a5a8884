"""``recaps audit``: Lighthouse and pa11y on one page of each type of the built site.

``make audit`` builds the site and runs this::

    recaps audit                       # _build/html, report in _build/audit
    recaps audit --runs 3              # the median of three Lighthouse runs per page

The site is served on 127.0.0.1 with gzip, as Read the Docs serves it. For each page
type (home, conference, talk, speaker, recap, search) the heaviest page by
:mod:`conference_recaps.weight` is opened by Lighthouse (mobile, simulated throttling,
Chromium from ``CHROME_PATH`` or Debian's ``/usr/bin/chromium``) and by pa11y
(WCAG 2 AA). A table gives the four Lighthouse scores, LCP, CLS, the bytes transferred
and the requests; the exit code is 1 when a page is over the weight budget, below the
scores (performance 95, the others 100), over LCP 2.5 s or CLS 0.05, or has a pa11y
error. The search page is ``noindex`` on purpose (a results page is no landing page),
which Lighthouse's SEO score counts against it: its SEO score is reported, not required.

The tools are the npm packages pinned in ``package-lock.json`` (``npm ci
--ignore-scripts`` installs them; puppeteer's own browser download stays off).
Lighthouse is 12.8.2, the newest release for Node 20 (13.x needs Node 22.19): 12.2.3
fails six audits with Chromium 156 ("Cannot read properties of undefined (reading
'frame_sequence')", render-blocking-resources and the LCP element among them), which
12.8.2 runs. A report with a failed audit stops the audit with the audit's error
rather than scoring what is left. Reports (JSON and HTML per page, and
``summary.json``) are written to ``--report-dir``.

Offline (no name resolution for the video thumbnail hosts, as in a sandbox), those
hosts are blocked in Lighthouse, which does not count a blocked request as a console
error; the table says so. Thumbnails are outside the budget either way.
"""

from __future__ import annotations

import argparse
import contextlib
import email.utils
import functools
import gzip
import http.server
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import threading
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from conference_recaps.weight import (
    COMPRESSIBLE,
    MAX_BYTES,
    MAX_REQUESTS,
    VIDEO_THUMBNAIL_HOSTS,
    heaviest_pages,
    is_video_thumbnail,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

#: Lowest scores accepted, per Lighthouse category.
MIN_SCORES = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
#: Page types whose SEO score is reported but not required (see the module docstring).
NOINDEX_TYPES = frozenset({"search"})
MAX_LCP_MS = 2500
MAX_CLS = 0.05
#: Requests the budget leaves out: the search index, fetched once the reader types
#: (the video thumbnails are :data:`~conference_recaps.weight.VIDEO_THUMBNAIL_HOSTS`).
SEARCH_INDEX = (
    "/pagefind/fragment/",
    "/pagefind/index/",
    "/pagefind/filter/",
    "pagefind-entry.json",
    "pagefind.js",
    ".pagefind",
    ".pf_meta",
)
DEFAULT_CHROME = "/usr/bin/chromium"
#: Lighthouse's mobile CPU slowdown, and the host benchmark index under which it warns
#: that the host is slower than it expects (the slowdown then emulates a slower phone
#: than its target; ``--cpu-slowdown`` calibrates it, as Lighthouse's docs describe).
DEFAULT_CPU_SLOWDOWN = 4.0
SLOW_HOST_INDEX = 1000
#: How long one Lighthouse or pa11y run may take on a busy machine.
TOOL_TIMEOUT = 300


class _GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, gzip-compressed for clients that accept it, cacheable for a day."""

    protocol_version = "HTTP/1.1"

    def send_head(self) -> Any:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?", 1)[0].endswith("/"):
                return super().send_head()
            path = path / "index.html"
        if not path.is_file():
            self.send_error(404)
            return None
        data = path.read_bytes()
        headers = {"Content-Type": self.guess_type(str(path))}
        if path.suffix in COMPRESSIBLE and "gzip" in self.headers.get("Accept-Encoding", ""):
            data = gzip.compress(data, compresslevel=6, mtime=0)
            headers["Content-Encoding"] = "gzip"
            headers["Vary"] = "Accept-Encoding"
        self.send_response(200)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Last-Modified", email.utils.formatdate(path.stat().st_mtime, usegmt=True))
        self.send_header("Cache-Control", "public, max-age=86400")
        self.end_headers()
        return _Body(data)

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _Body:
    """What ``copyfile`` reads the response body from."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def read(self, size: int = -1) -> bytes:
        data, self.data = self.data, b""
        return data

    def close(self) -> None:
        pass


@contextlib.contextmanager
def serve(site: Path) -> Iterator[str]:
    """``site`` on http://127.0.0.1:<free port>/ for the length of the block."""
    handler = functools.partial(_GzipHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@dataclass(frozen=True, slots=True)
class Result:
    """One page type's figures; ``problems`` says why it fails, empty when it passes."""

    page_type: str
    url: str
    scores: dict[str, int]
    lcp_ms: float
    cls: float
    transfer_bytes: int
    requests: int
    static_bytes: int
    static_requests: int
    pa11y_errors: list[str]
    problems: list[str]


def _tool(node_modules: Path, name: str) -> Path:
    path = node_modules / ".bin" / name
    if not path.exists():
        raise SystemExit(
            f"recaps audit: {path} is missing: run `npm ci --ignore-scripts` in the site's root"
        )
    return path


def _chrome() -> str:
    chrome = os.environ.get("CHROME_PATH", DEFAULT_CHROME)
    if not Path(chrome).is_file():
        raise SystemExit(
            f"recaps audit: no Chromium at {chrome}: install Debian's chromium or set CHROME_PATH"
        )
    return chrome


def unreachable_video_hosts() -> list[str]:
    """The video thumbnail hosts this machine cannot resolve (all of them offline).

    Lighthouse blocks them then: it does not count a blocked request as a console
    error, as it would a failed one.
    """
    unreachable = []
    for host in VIDEO_THUMBNAIL_HOSTS:
        try:
            socket.getaddrinfo(host, 443)
        except OSError:
            unreachable.append(host)
    return unreachable


def _lighthouse(
    tool: Path,
    chrome: str,
    url: str,
    output: Path,
    blocked: list[str],
    *,
    cpu_slowdown: float | None = None,
) -> dict[str, Any]:
    """One Lighthouse run (mobile, as the CLI defaults); its JSON report."""
    command = [
        str(tool),
        url,
        "--quiet",
        "--output=json",
        "--output=html",
        f"--output-path={output}",
        "--only-categories=performance,accessibility,best-practices,seo",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage",
        "--max-wait-for-load=60000",
        *(f"--blocked-url-patterns=*://{host}/*" for host in blocked),
        *([f"--throttling.cpuSlowdownMultiplier={cpu_slowdown:g}"] if cpu_slowdown else []),
    ]
    env = {**os.environ, "CHROME_PATH": chrome}
    result = subprocess.run(
        command, capture_output=True, text=True, env=env, timeout=TOOL_TIMEOUT, check=False
    )
    report = output.with_suffix(".report.json")
    if result.returncode != 0 or not report.is_file():
        raise SystemExit(f"recaps audit: Lighthouse failed on {url}:\n{result.stderr[-3000:]}")
    data: dict[str, Any] = json.loads(report.read_text(encoding="utf-8"))
    # A Lighthouse too old for the browser still exits 0 but leaves audits unscored
    # (12.2.3 with Chromium 156: six "frame_sequence" errors); scores would be wrong.
    failed = [
        f"{name}: {audit['errorMessage'][:160]}"
        for name, audit in data["audits"].items()
        if audit.get("errorMessage")
    ]
    if data.get("runtimeError") or failed:
        problems = "\n  ".join([str(data.get("runtimeError") or ""), *failed]).strip()
        raise SystemExit(
            f"recaps audit: Lighthouse {data.get('lighthouseVersion')} could not run every "
            f"audit on {url} with {data.get('environment', {}).get('hostUserAgent', chrome)}:"
            f"\n  {problems}\nUse a Lighthouse release that supports this browser."
        )
    return data


def _pa11y(tool: Path, chrome: str, url: str, output: Path) -> list[str]:
    """pa11y's WCAG 2 AA errors on ``url`` (warnings and notices are not failures)."""
    config = output.with_suffix(".config.json")
    config.write_text(
        json.dumps(
            {
                "chromeLaunchConfig": {
                    "executablePath": chrome,
                    "args": ["--no-sandbox", "--disable-dev-shm-usage"],
                },
                "timeout": 120000,
            }
        ),
        encoding="utf-8",
    )
    command = [str(tool), "--reporter", "json", "--standard", "WCAG2AA"]
    command += ["--config", str(config), url]
    env = {**os.environ, "PUPPETEER_SKIP_DOWNLOAD": "1"}
    result = subprocess.run(
        command, capture_output=True, text=True, env=env, timeout=TOOL_TIMEOUT, check=False
    )
    # pa11y exits 2 when it found errors; anything else but 0 is a failure to run.
    if result.returncode not in (0, 2):
        raise SystemExit(f"recaps audit: pa11y failed on {url}:\n{result.stderr[-3000:]}")
    output.write_text(result.stdout, encoding="utf-8")
    issues = json.loads(result.stdout or "[]")
    return [
        f"{issue['code']}: {issue['message']} at {issue['selector']}"
        for issue in issues
        if issue.get("type") == "error"
    ]


def _counted(item: dict[str, Any]) -> bool:
    url = str(item.get("url", ""))
    if url.startswith("data:") or is_video_thumbnail(url):
        return False
    return not any(part in url for part in SEARCH_INDEX)


def _figures(report: dict[str, Any]) -> tuple[dict[str, int], float, float, int, int]:
    """Scores, LCP (ms), CLS, bytes transferred and requests, from one report."""
    categories = report["categories"]
    scores = {name: round((categories[name]["score"] or 0) * 100) for name in MIN_SCORES}
    audits = report["audits"]
    lcp = float(audits["largest-contentful-paint"]["numericValue"])
    cls = float(audits["cumulative-layout-shift"]["numericValue"])
    items = [item for item in audits["network-requests"]["details"]["items"] if _counted(item)]
    transferred = sum(int(item.get("transferSize") or 0) for item in items)
    return scores, lcp, cls, transferred, len(items)


def audit_page(
    page_type: str, url: str, args: argparse.Namespace, chrome: str
) -> tuple[dict[str, int], float, float, int, int, list[str]]:
    """The median figures of ``--runs`` Lighthouse runs, and pa11y's errors."""
    lighthouse = _tool(args.node_modules, "lighthouse")
    runs = []
    for number in range(1, args.runs + 1):
        output = args.report_dir / f"{page_type}-{number}"
        report = _lighthouse(
            lighthouse, chrome, url, output, args.blocked_hosts, cpu_slowdown=args.cpu_slowdown
        )
        args.benchmarks.append(float(report["environment"].get("benchmarkIndex") or 0))
        runs.append(_figures(report))
    # The run of median performance stands for the page, as Lighthouse's docs advise.
    runs.sort(key=lambda run: run[0]["performance"])
    scores, lcp, cls, transferred, requests = runs[len(runs) // 2]
    lcp = statistics.median(run[1] for run in runs)
    errors = _pa11y(
        _tool(args.node_modules, "pa11y"), chrome, url, args.report_dir / f"{page_type}.pa11y.json"
    )
    return scores, lcp, cls, transferred, requests, errors


def _problems(result: Result) -> list[str]:
    found = []
    for name, minimum in MIN_SCORES.items():
        if name == "seo" and result.page_type in NOINDEX_TYPES:
            continue
        if result.scores[name] < minimum:
            found.append(f"{name} {result.scores[name]} < {minimum}")
    if result.lcp_ms > MAX_LCP_MS:
        found.append(f"LCP {result.lcp_ms / 1000:.2f} s > {MAX_LCP_MS / 1000} s")
    if result.cls > MAX_CLS:
        found.append(f"CLS {result.cls:.3f} > {MAX_CLS}")
    if result.transfer_bytes > MAX_BYTES or result.static_bytes > MAX_BYTES:
        found.append(f"{max(result.transfer_bytes, result.static_bytes):,} B > {MAX_BYTES:,} B")
    if result.requests > MAX_REQUESTS or result.static_requests > MAX_REQUESTS:
        found.append(f"{max(result.requests, result.static_requests)} requests > {MAX_REQUESTS}")
    found.extend(f"pa11y: {error}" for error in result.pa11y_errors)
    return found


def table(
    results: list[Result],
    blocked: list[str] | None = None,
    benchmarks: list[float] | None = None,
    cpu_slowdown: float | None = None,
) -> str:
    """The results as a fixed-width table, one row per page type."""
    header = (
        f"{'page':<11}{'perf':>5}{'a11y':>5}{'bp':>5}{'seo':>5}{'LCP s':>7}{'CLS':>7}"
        f"{'KB gz':>8}{'req':>5}{'pa11y':>6}  verdict"
    )
    lines = [header, "-" * len(header)]
    for result in results:
        scores = result.scores
        seo = f"{scores['seo']}{'*' if result.page_type in NOINDEX_TYPES else ''}"
        lines.append(
            f"{result.page_type:<11}{scores['performance']:>5}{scores['accessibility']:>5}"
            f"{scores['best-practices']:>5}{seo:>5}{result.lcp_ms / 1000:>7.2f}"
            f"{result.cls:>7.3f}{result.transfer_bytes / 1000:>8.1f}{result.requests:>5}"
            f"{len(result.pa11y_errors):>6}  {'ok' if not result.problems else 'FAIL'}"
        )
    lines.append(
        f"budget: {MAX_BYTES / 1000:.0f} KB gz and {MAX_REQUESTS} requests per page; "
        "scores: perf >= 95, the rest 100; LCP <= 2.5 s, CLS <= 0.05; no pa11y error."
    )
    if any(result.page_type in NOINDEX_TYPES for result in results):
        lines.append("* the search page is noindex on purpose: its SEO score is not required.")
    if benchmarks:
        lines.append(
            f"host CPU benchmark index {min(benchmarks):.0f}-{max(benchmarks):.0f} "
            f"(Lighthouse expects over {SLOW_HOST_INDEX}); CPU slowdown "
            f"{cpu_slowdown or DEFAULT_CPU_SLOWDOWN:g}x."
        )
    if blocked:
        lines.append(
            f"offline: {', '.join(blocked)} unreachable, so video thumbnails were blocked "
            "(uncounted anyway; LCP may be lower than online)."
        )
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    site: Path = args.site
    if not (site / "index.html").is_file():
        print(f"recaps audit: {site} holds no built site: run `make html` first", file=sys.stderr)
        return 2
    chrome = _chrome()
    _tool(args.node_modules, "lighthouse")
    _tool(args.node_modules, "pa11y")
    args.blocked_hosts = unreachable_video_hosts()
    args.benchmarks = []
    shutil.rmtree(args.report_dir, ignore_errors=True)
    args.report_dir.mkdir(parents=True)
    pages = heaviest_pages(site)
    results = []
    with serve(site) as root:
        for page_type, weight in pages.items():
            url = root + weight.page.removesuffix("index.html")
            print(f"auditing {page_type}: {url}", file=sys.stderr, flush=True)
            scores, lcp, cls, transferred, requests, errors = audit_page(
                page_type, url, args, chrome
            )
            result = Result(
                page_type,
                url,
                scores,
                lcp,
                cls,
                transferred,
                requests,
                weight.gzip_bytes,
                weight.requests,
                errors,
                [],
            )
            results.append(Result(**{**asdict(result), "problems": _problems(result)}))
    summary_table = table(results, args.blocked_hosts, args.benchmarks, args.cpu_slowdown)
    print(summary_table)
    for result in results:
        for problem in result.problems:
            print(f"{result.page_type} ({result.url}): {problem}")
    summary = [asdict(result) for result in results]
    (args.report_dir / "summary.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")
    (args.report_dir / "summary.txt").write_text(summary_table + "\n", encoding="utf-8")
    return 1 if any(result.problems for result in results) else 0
