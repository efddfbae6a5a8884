"""Untrusted pull requests, second round (issue 13): one vector per class, one build.

Each vector is a file layout a pull request can make (symlinks, a fifo, a huge file,
file names, front-matter keys); the build must refuse each with a located warning,
copy or show nothing from outside the repository, and still pass its output check.
"""

from __future__ import annotations

import os
from io import StringIO
from typing import TYPE_CHECKING

import pytest
from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp
from sphinx.util.console import strip_colors

if TYPE_CHECKING:
    from pathlib import Path

SECRET = "SECRET-TOKEN-4f1d"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
    b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)
LONG_TITLE = "A title " + "very " * 80 + "long"

PAGES = {
    # Class 3: the language-specific file and a glob are chosen after the page is read.
    "lang.md": "# Language\n\n![lang](images/lang.png)\n",
    "glob.md": "# Glob\n\n```{eval-rst}\n.. image:: images/glob.*\n```\n",
    "fifo.md": "# Fifo\n\n![fifo](images/fifo.png)\n",
    # Class 4: literalinclude's :diff: reads a second file.
    "diff.md": "# Diff\n\n```{literalinclude} snippet.py\n:diff: {secret_py}\n```\n",
    # Class 5: active content served from the site's origin.
    "active.md": (
        "# Active\n\n{download}`page <files/page.html>`\n\n![svg](files/pic.svg)\n\n"
        "[implicit](files/page.html)\n\n{download}`big <files/big.zip>`\n\n"
        "{download}`notes <files/notes.txt>`\n"
    ),
    # Class 1: front-matter keys that reach the page's <head>.
    "keys.md": (
        "---\nog:title: fine\n'og:description\" http-equiv=\"refresh': x\n"
        "description: A fine page\n---\n# Keys\n\nBody.\n"
    ),
    # Class 6: MathJax macros that make links and styles.
    "math.md": (
        "# Math\n\n```{math}\n\\mmlToken{mi}[href='javascript:alert(1)']{x}\n```\n\n"
        "```{math}\n\\bbox[background:url(javascript:alert(1))]{y}\n```\n\n"
        "```{math}\ne^{i\\pi} + 1 = 0\n```\n"
    ),
    # Class 7: a title repeated in every sidebar.
    "long.md": f"# {LONG_TITLE}\n\nBody.\n",
}


def _build(srcdir: Path) -> tuple[SphinxTestApp, list[str]]:
    outside = srcdir.parent / "outside"
    outside.mkdir()
    secret = outside / "secret.txt"
    secret.write_text(f"token={SECRET}\n", encoding="utf-8")
    (outside / "secret.py").write_text(f"TOKEN = '{SECRET}'\n", encoding="utf-8")
    (outside / "leak.md").write_text(f"# {SECRET}\n", encoding="utf-8")
    (outside / "leak.yaml").write_text(
        f"conferences:\n  - id: leak\n    name: {SECRET}\n    start: 2020-01-01\n"
        "    end: 2020-01-02\n",
        encoding="utf-8",
    )
    srcdir.mkdir()
    (srcdir / "conf.py").write_text(
        'extensions = ["conference_recaps"]\nhtml_theme = "sphinx_book_theme"\n'
        'language = "en"\nexclude_patterns = ["_build"]\n',
        encoding="utf-8",
    )
    toctree = "\n".join(name.removesuffix(".md") for name in PAGES)
    (srcdir / "index.md").write_text(f"# Home\n\n```{{toctree}}\n{toctree}\n```\n", "utf-8")
    for name, text in PAGES.items():
        (srcdir / name).write_text(text.replace("{secret_py}", str(outside / "secret.py")), "utf-8")
    (srcdir / "snippet.py").write_text("TOKEN = 'public'\n", encoding="utf-8")
    images, files, talks = srcdir / "images", srcdir / "files", srcdir / "talks"
    for folder in (images, files, talks):
        folder.mkdir()
    (images / "lang.png").write_bytes(PNG)
    (images / "lang.en.png").symlink_to(secret)
    (images / "glob.png").symlink_to(secret)
    os.mkfifo(images / "fifo.png")
    (files / "page.html").write_text("<script>alert('XSS')</script>", encoding="utf-8")
    (files / "pic.svg").write_text("<svg onload=alert('XSS')></svg>", encoding="utf-8")
    (files / "notes.txt").write_text("Plain notes.\n", encoding="utf-8")
    with (files / "big.zip").open("wb") as big:
        big.truncate(21 * 1024 * 1024)
    (talks / "leak.yaml").symlink_to(outside / "leak.yaml")
    (srcdir / "leak.md").symlink_to(outside / "leak.md")
    (srcdir / "bad'name.md").write_text("# Bad name\n", encoding="utf-8")
    (srcdir / "javascript:x.md").write_text("# Script name\n", encoding="utf-8")
    warnings = StringIO()
    app = SphinxTestApp("html", srcdir=srcdir, status=StringIO(), warning=warnings)
    try:
        app.build()  # the output check raises if anything got through
    finally:
        app.cleanup()
    text = strip_colors(warnings.getvalue()).replace(f"{srcdir}{os.sep}", "")
    return app, text.splitlines()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[SphinxTestApp, list[str]]:
    return _build(tmp_path_factory.mktemp("files") / "site")


UNSAFE_OR_CATALOGUE = ("[recaps.unsafe]", "[recaps.catalogue]")


@pytest.mark.parametrize(
    ("where", "message"),
    [
        ("lang.md:3", "removed: the file is outside the repository"),
        ("glob.md:4", "removed: the file is outside the repository"),
        ("fifo.md:3", "image 'images/fifo.png' removed: the file is not a regular file"),
        ("diff.md:3", "refused: the file is outside the repository"),
        ("active.md:3", "download of 'files/page.html' removed: the file is of type '.html'"),
        ("active.md:5", "image 'files/pic.svg' removed: the file is of type '.svg'"),
        ("active.md:9", "download of 'files/big.zip' removed: the file is 21.0 MB, more than"),
        ("keys.md:2", "front matter key 'og:title' ignored: a page may only use"),
        ("keys.md:3", "front matter key 'og:description\" http-equiv=\"refresh' ignored"),
        ("math.md:3", "math with \\href"),
        ("math.md:7", "math with \\href"),
        ("long.md:1", f"the title is {len(LONG_TITLE)} characters long, more than 300"),
        ("leak.md", "this page is not built: its file is outside the repository"),
        ("bad'name.md", "this page is not built: its name has characters other than"),
        ("javascript:x.md", "this page is not built: its name has characters other than"),
        ("talks/leak.yaml:1", "the file is outside the repository; a catalogue file must be"),
    ],
)
def test_each_vector_is_a_located_warning(
    built: tuple[SphinxTestApp, list[str]], where: str, message: str
) -> None:
    _, warnings = built
    assert any(
        w.startswith(f"{where}: WARNING: ") and message in w and w.endswith(UNSAFE_OR_CATALOGUE)
        for w in warnings
    ), "\n".join(w for w in warnings if w.startswith(where.split(":", maxsplit=1)[0]))


def test_nothing_from_outside_reaches_the_site(built: tuple[SphinxTestApp, list[str]]) -> None:
    app, _ = built
    for path in app.outdir.rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path


def test_only_passive_files_are_copied(built: tuple[SphinxTestApp, list[str]]) -> None:
    app, _ = built
    copied = [
        p.relative_to(app.outdir).as_posix()
        for folder in ("_images", "_downloads")
        for p in (app.outdir / folder).rglob("*")
        # _images/cards/ holds the link-preview cards the site draws itself.
        if p.is_file() and p.parent != app.outdir / "_images" / "cards"
    ]
    # lang.png goes too: the page's image is removed when any file it may show is refused.
    assert sorted(p.rsplit("/", 1)[-1] for p in copied) == ["notes.txt"]


def test_refused_pages_are_not_written(built: tuple[SphinxTestApp, list[str]]) -> None:
    app, _ = built
    names = {p.name for p in app.outdir.iterdir()}
    assert "leak.html" not in names
    assert not any("name" in n and n != "genindex.html" and "'" in n for n in names)
    assert "javascript:x.html" not in names


def test_front_matter_keys_never_reach_the_head(built: tuple[SphinxTestApp, list[str]]) -> None:
    app, _ = built
    soup = BeautifulSoup((app.outdir / "keys.html").read_text("utf-8"), "html.parser")
    assert not soup.find("meta", attrs={"http-equiv": True})
    assert not soup.find("meta", attrs={"property": "og:title", "content": "fine"})
    assert not any("key 'description'" in w for w in built[1])  # an allowed key


def test_math_uses_mathjax_safe_mode(built: tuple[SphinxTestApp, list[str]]) -> None:
    app, _ = built
    html = (app.outdir / "math.html").read_text("utf-8")
    assert '"ui/safe"' in html
    assert "mmlToken" in BeautifulSoup(html, "html.parser").get_text()  # shown as text
    assert "e^{i\\pi} + 1 = 0" in html


def test_long_titles_are_cut(built: tuple[SphinxTestApp, list[str]]) -> None:
    app, _ = built
    soup = BeautifulSoup((app.outdir / "index.html").read_text("utf-8"), "html.parser")
    titles = [a.get_text() for a in soup.find_all("a") if a.get_text().startswith("A title")]
    assert titles
    assert all(len(title) <= 300 for title in titles)
