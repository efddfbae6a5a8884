"""The attack corpus, the places a value can land ("sinks"), and the harmlessness checks.

Every attack carries the marker ``XSS`` in its payload, so a checker can tell our own
scripts and handlers (the theme's) from injected ones. A *sink* turns an attack into
source files of a test site (a Markdown body, a heading, front matter, a catalogue
field...) and names the page to inspect; a *checker* inspects the built output.
``build_corpus`` builds every (sink, attack) pair in one Sphinx build; later parts
(JSON-LD, feeds, search metadata, generated pages) add sinks and checkers here and
get the whole corpus for free.
"""

from __future__ import annotations

import importlib.util
import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from io import StringIO
from typing import TYPE_CHECKING

from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp
from sphinx.util.console import strip_colors

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from pathlib import Path

MARKER = "XSS"


@dataclass(frozen=True)
class Attack:
    """One hostile value. ``forbidden`` strings must never appear in the output
    (the result of evaluating a template, say)."""

    name: str
    payload: str
    forbidden: tuple[str, ...] = ()


ATTACKS: tuple[Attack, ...] = (
    Attack("script-tag", "<script>alert('XSS')</script>"),
    Attack("script-upper", "<SCRIPT SRC=https://evil.example/XSS.js></SCRIPT>"),
    Attack("img-onerror", "<img src=x onerror=\"alert('XSS')\">"),
    Attack("svg-onload", "\"><svg onload=alert('XSS')>"),
    Attack("attr-breakout-single", "' onmouseover='alert(\"XSS\")' x='"),
    Attack("attr-breakout-double", '" autofocus onfocus="alert(\'XSS\')" x="'),
    Attack("script-breakout", "</script><script>alert('XSS')</script>"),
    Attack("title-breakout", "</title><script>alert('XSS')</script>"),
    Attack("textarea-breakout", "</textarea><img src=x onerror=alert('XSS')>"),
    Attack("javascript-url", "javascript:alert('XSS')"),
    Attack("javascript-mixed-case", "JaVaScRiPt:alert('XSS')"),
    Attack("javascript-leading-space", " \tjavascript:alert('XSS')"),
    Attack("javascript-embedded-tab", "jav\tascript:alert('XSS')"),
    Attack("javascript-embedded-newline", "java\nscript:alert('XSS')"),
    Attack("javascript-entity", "&#106;avascript:alert('XSS')"),
    Attack("javascript-hex-entity", "&#x6A;&#x61;vascript:alert('XSS')"),
    Attack(
        "javascript-fullwidth",
        "\uff4a\uff41\uff56\uff41\uff53\uff43\uff52\uff49\uff50\uff54:alert('XSS')",
    ),
    Attack("javascript-comment-slashes", "javascript://%0aalert('XSS')"),
    Attack("vbscript-url", 'vbscript:msgbox("XSS")'),
    Attack("data-html", "data:text/html;base64,PHNjcmlwdD5hbGVydCgnWFNTJyk8L3NjcmlwdD4=#XSS"),
    Attack("data-svg", "data:image/svg+xml,<svg onload=alert('XSS')>"),
    Attack("iframe", "<iframe src=\"javascript:alert('XSS')\"></iframe>"),
    Attack("object-embed", '<object data="https://evil.example/XSS.swf"></object>'),
    Attack("meta-refresh", '<meta http-equiv="refresh" content="0;url=https://evil.example/XSS">'),
    Attack("base-href", '<base href="https://evil.example/XSS/">'),
    Attack("css-expression", "<div style=\"width: expression(alert('XSS'))\">x</div>"),
    Attack("style-tag", "<style>body{background:url('javascript:alert(\"XSS\")')}</style>"),
    Attack("jinja-expression", "{{ 7*191 }} XSS", forbidden=("1337",)),
    Attack(
        "jinja-statement",
        "{% for x in range(3) %}XSS-LOOP{% endfor %}",
        forbidden=("XSS-LOOPXSS",),
    ),
    Attack(
        "jinja-sandbox-escape",
        "{{ ''.__class__.__mro__[1].__subclasses__() }} XSS",
        forbidden=("<class ",),
    ),
    Attack("entity-lt", "&lt;script&gt;alert('XSS')&lt;/script&gt;"),
    Attack("null-byte", "java\x00script:alert('XSS')<scr\x00ipt>"),
    Attack("rtl-override", "\u202egnp.XSS\u202c<script>alert('XSS')</script>"),
    Attack("zero-width", "java\u200bscript:alert('XSS')"),
    Attack("homoglyph-tag", "\uff1cscript\uff1ealert('XSS')\uff1c/script\uff1e"),
    Attack("markdown-link", "[click XSS](javascript:alert('XSS'))"),
    Attack("rest-link", "`click XSS <javascript:alert('XSS')>`_"),
    Attack("myst-role-raw", "{raw}`<script>alert('XSS')</script>`"),
    Attack("very-long", "XSS" + "A" * 100_000 + "<script>alert('XSS')</script>"),
)


# --- Checking built HTML ----------------------------------------------------------------

URL_ATTRIBUTES = frozenset(
    {
        "href",
        "src",
        "action",
        "formaction",
        "data",
        "poster",
        "xlink:href",
        "background",
        "srcset",
        "cite",
        "longdesc",
        "lowsrc",
        "dynsrc",
        "ping",
    }
)
DANGEROUS_TAGS = (
    "script",
    "iframe",
    "object",
    "embed",
    "base",
    "form",
    "svg",
    "style",
    "frame",
    "frameset",
    "applet",
    "textarea",
    "math",
)
"""Tags an attack would add; ``<link>`` and ``<meta>`` vary per page and are checked
by their attributes instead."""
_DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:")


def dangerous_scheme(value: str) -> bool:
    """A browser-like reading of ``value``: does it start a script or data URL?

    Deliberately independent of ``conference_recaps.security`` (a test that reused the
    code under test could not fail).
    """
    text = unicodedata.normalize("NFKC", value)
    text = re.sub(r"[\x00-\x20\u200b-\u200f\u2028-\u202e\ufeff]", "", text).lower()
    return text.startswith(_DANGEROUS_SCHEMES)


@dataclass(frozen=True)
class Baseline:
    """What the theme itself puts on a page: its handlers and its script-like tags."""

    handlers: frozenset[tuple[str, str, str]]
    tags: Counter[str]

    @classmethod
    def of(cls, soup: BeautifulSoup) -> Baseline:
        return cls(
            handlers=frozenset(
                (el.name, name, str(value))
                for el in soup.find_all(True)
                for name, value in el.attrs.items()
                if name.lower().startswith("on")
            ),
            tags=Counter(el.name for el in soup.find_all(DANGEROUS_TAGS)),
        )


def html_problems(soup: BeautifulSoup, attack: Attack, baseline: Baseline) -> list[str]:
    """Everything in ``soup`` that an attack could have put there (empty: harmless)."""
    problems = []
    for el in soup.find_all(True):
        for name, value in el.attrs.items():
            text = " ".join(value) if isinstance(value, list) else str(value)
            lower = name.lower()
            if lower.startswith("on") and (el.name, name, text) not in baseline.handlers:
                problems.append(f"<{el.name} {name}={text[:80]!r}>")
            if lower in URL_ATTRIBUTES and dangerous_scheme(text):
                problems.append(f"<{el.name} {name}={text[:80]!r}>")
            if lower == "style" and MARKER in text:
                problems.append(f"<{el.name} style={text[:80]!r}>")
            if el.name == "link" and MARKER in text:
                problems.append(f"<{el.name} {name}={text[:80]!r}>")
            if el.name == "meta" and lower == "http-equiv":
                problems.append(f"<meta http-equiv={text!r}>")
        if (
            el.name == "script"
            and el.get("type") != "application/ld+json"
            and (MARKER in el.get_text() or MARKER in str(el.get("src", "")))
        ):
            problems.append(f"<script> with {el.get_text()[:80]!r} {el.get('src')}")
    tags = Counter(el.name for el in soup.find_all(DANGEROUS_TAGS))
    for tag, count in tags.items():
        if count > baseline.tags[tag]:
            problems.append(f"{count - baseline.tags[tag]} extra <{tag}> element(s)")
    html = str(soup)
    problems += [f"output contains {bad!r}" for bad in attack.forbidden if bad in html]
    return problems


# --- Sinks and the corpus build ---------------------------------------------------------


@dataclass(frozen=True)
class Sink:
    """A place a contributor's value can land.

    ``files`` maps a page stem to the files to write for one attack (paths relative to
    the site root, as text); ``page`` is the built page to check; ``shows_marker``
    says whether the value should be visible on that page (shown escaped, not dropped).
    ``requires`` names modules that must exist for the sink to apply (a part not yet
    built is skipped rather than failed).
    """

    name: str
    files: Callable[[str, str], dict[str, str]]
    page: Callable[[str], str]
    shows_marker: bool = True
    requires: tuple[str, ...] = ()
    checkers: tuple[Callable[[Path, str, Attack, Baseline], list[str]], ...] = ()

    def available(self) -> bool:
        return all(importlib.util.find_spec(module) is not None for module in self.requires)


def yaml_string(value: str) -> str:
    """``value`` as a YAML scalar (JSON strings are YAML double-quoted strings)."""
    return json.dumps(value)


def _md_page(stem: str, body: str, front: str = "") -> dict[str, str]:
    head = "---\norphan: true\n" + front + "---\n"
    return {f"{stem}.md": f"{head}\n# Page {stem}\n\n{body}\n"}


def _html(stem: str) -> str:
    return f"{stem}.html"


def _fence(payload: str) -> str:
    """A backtick fence longer than any run of backticks in ``payload``."""
    longest = max((len(run) for run in re.findall(r"`+", payload)), default=0)
    return "`" * max(3, longest + 1)


SINKS: tuple[Sink, ...] = (
    Sink("md-paragraph", _md_page, _html),
    Sink("md-heading", lambda stem, p: {f"{stem}.md": f"---\norphan: true\n---\n# {p}\n"}, _html),
    Sink(
        "md-heading-code",
        lambda stem, p: {
            f"{stem}.md": "---\norphan: true\n---\n# Code ``" + p.replace("\n", " ") + " ``\n"
        },
        _html,
    ),
    Sink(
        "md-link-destination",
        lambda stem, p: _md_page(stem, f"[link {MARKER}](<{p.replace(chr(10), ' ')}>)"),
        _html,
    ),
    Sink(
        "md-link-reference",
        lambda stem, p: _md_page(stem, f"[link {MARKER}][ref]\n\n[ref]: <{p}>"),
        _html,
    ),
    Sink("md-autolink", lambda stem, p: _md_page(stem, f"<{p}>"), _html),
    # An image's text is its alt attribute: escaped, never shown as page text.
    Sink(
        "md-image",
        lambda stem, p: _md_page(stem, f"![alt {MARKER}](<{p}>)"),
        _html,
        shows_marker=False,
    ),
    Sink(
        "md-image-alt",
        lambda stem, p: _md_page(stem, f"![{p}](logo.png)"),
        _html,
        shows_marker=False,
    ),
    Sink(
        "md-code-fence", lambda stem, p: _md_page(stem, f"{_fence(p)}html\n{p}\n{_fence(p)}"), _html
    ),
    Sink(
        "rst-paragraph",
        lambda stem, p: _md_page(stem, "```{eval-rst}\n" + p.replace("`" * 3, "") + "\n```"),
        _html,
    ),
    Sink(
        "rst-link",
        lambda stem, p: _md_page(
            stem,
            "```{eval-rst}\n`link "
            + MARKER
            + " <"
            + p.replace("\n", " ").replace("`", "")
            + ">`__\n```",
        ),
        _html,
    ),
    Sink(
        "rst-image-target",
        lambda stem, p: _md_page(
            stem,
            "```{eval-rst}\n.. image:: logo.png\n   :alt: XSS\n   :target: "
            + p.replace("\n", " ")
            + "\n```",
        ),
        _html,
        shows_marker=False,
    ),
    Sink(
        "rst-page-title",
        lambda stem, p: {
            f"{stem}.rst": ":orphan:\n\n"
            + p.replace("\n", " ").strip()
            + "\n"
            + "=" * (len(p) + 4)
            + "\n\nBody.\n"
        },
        _html,
    ),
    Sink(
        "front-matter-title",
        lambda stem, p: _md_page(stem, "Body.", f"title: {yaml_string(p)}\n"),
        _html,
        shows_marker=False,
    ),
    Sink(
        "front-matter-field",
        lambda stem, p: _md_page(stem, "Body.", f"description: {yaml_string(p)}\n"),
        _html,
        shows_marker=False,
    ),
    Sink(
        "front-matter-html-meta",
        lambda stem, p: _md_page(
            stem,
            "Body.",
            f"myst:\n  html_meta:\n    description: {yaml_string(p)}\n"
            f"    {yaml_string('property=og:title')}: {yaml_string(p)}\n",
        ),
        _html,
        shows_marker=False,
    ),
    Sink(
        "front-matter-html-meta-key",
        lambda stem, p: _md_page(
            stem,
            "Body.",
            f"myst:\n  html_meta:\n    {yaml_string('name=' + p.replace(' ', '_'))}: x\n",
        ),
        _html,
        shows_marker=False,
    ),
)


@dataclass
class CorpusBuild:
    """The output of one build of every (sink, attack) pair."""

    outdir: Path
    warnings: str
    baseline: Baseline
    stems: dict[tuple[str, str], str] = field(default_factory=dict)

    def soup(self, page: str) -> BeautifulSoup:
        return BeautifulSoup((self.outdir / page).read_text(encoding="utf-8"), "html.parser")


def stem_for(sink: Sink, attack: Attack) -> str:
    return f"{sink.name}--{attack.name}"


def build_corpus(
    srcdir: Path,
    sinks: Iterable[Sink],
    attacks: Iterable[Attack],
    *,
    static_files: dict[str, bytes] | None = None,
) -> CorpusBuild:
    """Write one page per (sink, attack) into ``srcdir`` and build the site once."""
    srcdir.mkdir(parents=True, exist_ok=True)
    (srcdir / "conf.py").write_text(
        'extensions = ["conference_recaps"]\n'
        'html_theme = "sphinx_book_theme"\n'
        'source_suffix = {".rst": "restructuredtext", ".md": "markdown"}\n'
        'exclude_patterns = ["_build"]\n',
        encoding="utf-8",
    )
    # The control page: its theme handlers and tags are the baseline. (A root page
    # without a toctree currently crashes the generated catalogue pages.)
    (srcdir / "index.md").write_text(
        "# Control page\n\nNothing hostile here.\n\n```{toctree}\nabout\n```\n", "utf-8"
    )
    (srcdir / "about.md").write_text("# About\n\nA harmless page.\n", "utf-8")
    for name, data in (static_files or {}).items():
        (srcdir / name).write_bytes(data)
    stems = {}
    attacks = list(attacks)
    for sink in sinks:
        for attack in attacks:
            stem = stem_for(sink, attack)
            stems[sink.name, attack.name] = stem
            for name, text in sink.files(stem, attack.payload).items():
                path = srcdir / name
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
    warnings = StringIO()
    app = SphinxTestApp("html", srcdir=srcdir, status=StringIO(), warning=warnings)
    try:
        app.build()
    finally:
        app.cleanup()
    outdir = srcdir / "_build" / "html"
    control = BeautifulSoup((outdir / "index.html").read_text("utf-8"), "html.parser")
    return CorpusBuild(outdir, strip_colors(warnings.getvalue()), Baseline.of(control), stems)
