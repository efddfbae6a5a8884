"""``recaps links``: find talks whose video or slides address no longer works.

Run on a schedule by ``.github/workflows/links.yml`` (never on pull requests: a video
taken down is a reason to look for its new address, not to block someone's recap)::

    recaps links                  # every video and slides address in the catalogue
    recaps links --conference djangocon-us-2019

Each address is fetched once (a ``HEAD`` request, then a one-byte ``GET`` if the server
refuses ``HEAD``). YouTube and Vimeo answer 200 even for removed videos, so those are
asked through their oEmbed endpoints, which answer 404 for a video that is gone. A dead
link is printed as ``path:line:col: message`` at the talk's entry (and as a GitHub
warning annotation under Actions); the exit code is 1 if any link is dead. Addresses
that could not be confirmed either way (a timeout, a 429 or 5xx answer, a login wall)
are listed apart and do not change the exit code.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import enum
import http.client
import os
import socket
import sys
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from conference_recaps.cli.new import NewError, Site
from conference_recaps.diagnostics import Problem, Subtype
from conference_recaps.version import __version__

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from conference_recaps.catalogue.model import Catalogue, Talk

USER_AGENT = f"conference-recaps-linkcheck/{__version__} (+https://github.com/)"

#: Answers that mean the page is gone for good.
DEAD_STATUSES = frozenset({404, 410})


class Verdict(enum.Enum):
    ok = "ok"
    dead = "dead"
    unknown = "unknown"


@dataclass(frozen=True, slots=True)
class LinkResult:
    url: str
    verdict: Verdict
    detail: str


@dataclass(frozen=True, slots=True)
class TalkLink:
    """One address of one talk: which field it is in and where the talk is written."""

    talk: Talk
    field: str  # "video" or "slides"
    url: str


def talk_links(catalogue: Catalogue, conference: str | None = None) -> list[TalkLink]:
    """Every video and slides address of the catalogue's talks (or one conference's)."""
    talks: Iterable[Talk] = (
        catalogue.talks_of_conference(conference)
        if conference is not None
        else sorted(catalogue.talks.values(), key=lambda t: t.id)
    )
    return [
        TalkLink(talk, name, url)
        for talk in talks
        for name in ("video", "slides")
        if (url := getattr(talk, name))
    ]


def probe_url(url: str) -> str:
    """The address that tells whether ``url`` is alive (an oEmbed query for video hosts)."""
    parts = urllib.parse.urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.").removeprefix("m.")
    quoted = urllib.parse.quote(url, safe="")
    if host in {"youtube.com", "youtu.be", "youtube-nocookie.com"}:
        return f"https://www.youtube.com/oembed?format=json&url={quoted}"
    if host in {"vimeo.com", "player.vimeo.com"}:
        return f"https://vimeo.com/api/oembed.json?url={quoted}"
    return url


def _request(url: str, method: str, timeout: float) -> int:
    headers = {"User-Agent": USER_AGENT, "Accept": "*/*"}
    if method == "GET":
        headers["Range"] = "bytes=0-0"
    request = urllib.request.Request(url, method=method, headers=headers)
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return int(response.status)


def check_link(url: str, timeout: float = 20.0) -> LinkResult:
    """Fetch ``url`` (or its oEmbed probe) and say whether it is alive."""
    probe = probe_url(url)
    try:
        try:
            status = _request(probe, "HEAD", timeout)
        except urllib.error.HTTPError as exc:
            if exc.code in DEAD_STATUSES and probe == url:
                raise
            # Many servers (and the oEmbed endpoints) answer HEAD with 403, 405 or 404
            # but GET properly.
            status = _request(probe, "GET", timeout)
    except urllib.error.HTTPError as exc:
        if exc.code in DEAD_STATUSES or (probe != url and exc.code in {400, 404}):
            return LinkResult(url, Verdict.dead, f"HTTP {exc.code}")
        return LinkResult(url, Verdict.unknown, f"HTTP {exc.code}")
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, socket.gaierror):
            return LinkResult(url, Verdict.dead, "host not found")
        return LinkResult(url, Verdict.unknown, str(exc.reason))
    except (TimeoutError, OSError, http.client.HTTPException, ValueError) as exc:
        return LinkResult(url, Verdict.unknown, str(exc) or type(exc).__name__)
    return LinkResult(url, Verdict.ok, f"HTTP {status}")


def check_links(
    urls: Iterable[str],
    *,
    timeout: float,
    workers: int,
    checker: Callable[[str, float], LinkResult] = check_link,
) -> dict[str, LinkResult]:
    """Each distinct address checked once, ``workers`` at a time."""
    unique = list(dict.fromkeys(urls))
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        results = pool.map(lambda u: checker(u, timeout), unique)
        return {result.url: result for result in results}


def dead_link_problems(links: Iterable[TalkLink], results: dict[str, LinkResult]) -> list[Problem]:
    """A warning at each talk whose video or slides link is dead."""
    problems = []
    for link in links:
        result = results[link.url]
        if result.verdict is not Verdict.dead:
            continue
        position = link.talk.position
        problems.append(
            Problem(
                path=position.path if position else "talks.yaml",
                line=position.line if position else 0,
                column=position.column if position else 0,
                message=(
                    f"talk {link.talk.id!r}: its {link.field} {link.url} is gone "
                    f"({result.detail}); find its new address, or remove the {link.field} "
                    "field"
                ),
                subtype=Subtype.catalogue_lint,
                is_error=False,
            )
        )
    return problems


def summary_markdown(problems: list[Problem], unknown: list[LinkResult], checked: int) -> str:
    """The report for the workflow run's summary page."""
    lines = ["## Video and slides links", ""]
    lines.append(f"{checked} addresses checked: {len(problems)} dead, {len(unknown)} unconfirmed.")
    if problems:
        lines += ["", "| where | problem |", "| --- | --- |"]
        lines += [f"| `{p.path}:{p.line}` | {_cell(p.message)} |" for p in problems]
    if unknown:
        lines += ["", "Could not confirm (retried next run):", ""]
        lines += [f"- {_cell(r.url)}: {_cell(r.detail)}" for r in unknown]
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def run(args: argparse.Namespace) -> int:
    """Check the links; 0 if none is dead, 1 otherwise."""
    try:
        site = Site.load(args.root)
    except NewError as exc:
        print(f"recaps links: error: {exc}", file=sys.stderr)
        return 2
    if args.conference is not None and args.conference not in site.catalogue.conferences:
        print(f"recaps links: error: unknown conference {args.conference!r}", file=sys.stderr)
        return 2
    links = talk_links(site.catalogue, args.conference)
    results = check_links((link.url for link in links), timeout=args.timeout, workers=args.workers)
    problems = dead_link_problems(links, results)
    unknown = [r for r in results.values() if r.verdict is Verdict.unknown]
    annotate = bool(os.environ.get("GITHUB_ACTIONS"))
    for problem in problems:
        print(problem)
        if annotate:
            print(problem.github_annotation())
    for result in unknown:
        print(f"could not confirm {result.url}: {result.detail}", file=sys.stderr)
    print(
        f"{len(results)} addresses checked: {len(problems)} dead, {len(unknown)} unconfirmed",
        file=sys.stderr,
    )
    if summary := os.environ.get("GITHUB_STEP_SUMMARY"):
        with Path(summary).open("a", encoding="utf-8") as stream:
            stream.write(summary_markdown(problems, unknown, len(results)))
    return 1 if problems else 0
