"""``recaps links``: dead video and slides links are reported at their talk, never fatal to PRs."""

from __future__ import annotations

import http.server
import shutil
import threading
from typing import TYPE_CHECKING

import pytest

from conference_recaps.cli import main
from conference_recaps.cli.links import LinkResult, Verdict, check_link, probe_url

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path


class _Handler(http.server.BaseHTTPRequestHandler):
    """``/ok`` is alive, ``/gone`` is 404, ``/no-head`` refuses HEAD, ``/busy`` is 503."""

    def _answer(self, *, head: bool) -> None:
        if self.path == "/no-head" and head:
            self.send_response(405)
        elif self.path in {"/ok", "/no-head"}:
            self.send_response(200)
        elif self.path == "/busy":
            self.send_response(503)
        else:
            self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_HEAD(self) -> None:
        self._answer(head=True)

    def do_GET(self) -> None:
        self._answer(head=False)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.mark.parametrize(
    ("path", "verdict", "detail"),
    [
        ("/ok", Verdict.ok, "HTTP 200"),
        ("/no-head", Verdict.ok, "HTTP 200"),
        ("/gone", Verdict.dead, "HTTP 404"),
        ("/busy", Verdict.unknown, "HTTP 503"),
    ],
)
def test_check_link(server: str, path: str, verdict: Verdict, detail: str) -> None:
    assert check_link(server + path, timeout=5) == LinkResult(server + path, verdict, detail)


def test_video_hosts_are_asked_through_oembed() -> None:
    assert probe_url("https://www.youtube.com/watch?v=d9BAUBEyFgM") == (
        "https://www.youtube.com/oembed?format=json&url="
        "https%3A%2F%2Fwww.youtube.com%2Fwatch%3Fv%3Dd9BAUBEyFgM"
    )
    assert probe_url("https://youtu.be/abc").startswith("https://www.youtube.com/oembed?")
    assert probe_url("https://vimeo.com/123").startswith("https://vimeo.com/api/oembed.json?")
    assert probe_url("https://speakerdeck.com/x/y") == "https://speakerdeck.com/x/y"


def test_dead_links_are_reported_at_their_talk(
    rootdir: Path,
    tmp_path: Path,
    server: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    site = tmp_path / "site"
    shutil.copytree(rootdir / "test-new", site)
    catalogue = site / "talks.yaml"
    text = catalogue.read_text()
    text = text.replace("https://www.youtube.com/watch?v=d9BAUBEyFgM", f"{server}/ok")
    text = text.replace(
        "    kind: keynote\n",
        f"    kind: keynote\n    video: {server}/gone\n    slides: {server}/busy\n",
    )
    catalogue.write_text(text)
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))

    code = main(["links", "--root", str(site), "--timeout", "5"])
    out, err = capsys.readouterr()
    assert code == 1
    line = (
        text.splitlines().index("  - id: djangocon-us-2019/keynote-the-natural-state-of-computers")
        + 1
    )
    message = (
        "talk 'djangocon-us-2019/keynote-the-natural-state-of-computers': its video "
        f"{server}/gone is gone (HTTP 404); find its new address, or remove the video field"
    )
    assert out.splitlines()[0] == f"talks.yaml:{line}:5: {message}"
    assert out.splitlines()[1].startswith(f"::warning file=talks.yaml,line={line},col=5,")
    assert f"could not confirm {server}/busy: HTTP 503" in err
    assert "3 addresses checked: 1 dead, 1 unconfirmed" in err
    report = summary.read_text()
    assert "| `talks.yaml:" in report
    assert f"- {server}/busy: HTTP 503" in report

    # One conference with only live links: exit 0.
    assert main(["links", "--root", str(site), "--conference", "djangocon-europe-2019"]) == 0


def test_unknown_conference(rootdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["links", "--root", str(rootdir / "test-new"), "--conference", "nope"]) == 2
    assert "unknown conference 'nope'" in capsys.readouterr().err
