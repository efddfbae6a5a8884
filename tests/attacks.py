"""The attack corpus, the places a value can land ("sinks"), and the harmlessness checks.

Every attack carries the marker ``XSS`` in its payload, so a checker can tell our own
scripts and handlers (the theme's) from injected ones. A *sink* turns an attack into
source files of a test site (a Markdown body, a heading, front matter, a catalogue
field...) and names the page to inspect; a *checker* inspects the built output.
``build_corpus`` builds every (sink, attack) pair in one Sphinx build; later parts
(JSON-LD, feeds, search metadata, generated pages) add sinks and checkers here and
get the whole corpus for free.

``CATALOGUE_SINKS`` put the attacks into the catalogue (``talks/*.yaml``), recap front
matter and photo options, and their checkers follow each value to every output it
reaches (generated pages, cards and roles, JSON-LD, meta tags, feeds read as XML,
search facets); ``tests/test_security_catalogue.py`` builds them with ``CONTROL``.
"""

from __future__ import annotations

import importlib.util
import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from io import StringIO
from typing import TYPE_CHECKING, Any

from bs4 import BeautifulSoup
from lxml import etree
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
    # Issue 13, the second round: one vector per class, through every sink.
    Attack(
        "meta-attribute-breakout",
        '0" http-equiv="refresh" content="0;url=https://evil.example/XSS',
    ),
    Attack("js-string-breakout", "x';alert('XSS');//"),
    Attack("js-template-breakout", "${alert('XSS')}`;alert('XSS');//"),
    Attack("mathjax-bbox", "\\bbox[background:url(javascript:alert('XSS'))]{XSS}"),
    Attack("mathjax-mmltoken", "\\mmlToken{mi}[href=\"javascript:alert('XSS')\"]{XSS}"),
    Attack("mathjax-href", "\\href{javascript:alert('XSS')}{XSS}"),
    Attack("svg-data-image", "data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+#XSS"),
    Attack("rss-description", "]]></description><script>alert('XSS')</script><description>"),
    Attack("megabyte-title", "XSS" + "T" * 1_000_000),
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


def is_mathjax(element: Any) -> bool:
    """Sphinx's MathJax loader and configuration, which pages with math carry."""
    if element.name != "script":
        return False
    src, text = str(element.get("src", "")), element.get_text().strip()
    return "mathjax" in src.lower() or (
        text.startswith("window.MathJax = {") and MARKER not in text
    )


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
            tags=Counter(
                el.name
                for el in soup.find_all(DANGEROUS_TAGS)
                if not is_mathjax(el) and not _per_page_asset(el)
            ),
        )


#: The site's own files that only some pages load: the video facade on talk pages, the
#: talk filter on conference pages (pages/video.py, pages/__init__.py). The home page,
#: the baseline, has none of them.
PER_PAGE_ASSETS = ("lite-yt-embed.js", "lite-yt-embed.css", "recaps-video.js", "recaps-filter.js")


def _per_page_asset(el: Any) -> bool:
    source = str(el.get("src") or el.get("href") or "").split("?")[0]
    return source.endswith(PER_PAGE_ASSETS) and "_static/" in source


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
            # A link's title is text (a feed named after a conference); its other
            # attributes load or point at something.
            if el.name == "link" and lower != "title" and MARKER in text:
                problems.append(f"<{el.name} {name}={text[:80]!r}>")
            if el.name == "meta" and lower == "http-equiv":
                problems.append(f"<meta http-equiv={text!r}>")
        if (
            el.name == "script"
            and el.get("type") != "application/ld+json"
            and (MARKER in el.get_text() or MARKER in str(el.get("src", "")))
        ):
            problems.append(f"<script> with {el.get_text()[:80]!r} {el.get('src')}")
    tags = Counter(
        el.name
        for el in soup.find_all(DANGEROUS_TAGS)
        if not is_mathjax(el) and not _per_page_asset(el)
    )
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


# --- Issue 13: front-matter keys, document names and math ------------------------------

MATH_MACROS = re.compile(
    r"\\(?:href|class|cssId|style|data|html|bbox|mmlToken|require)(?![A-Za-z])"
)
"""MathJax macros that make links, styles or attributes (written independently of the
extension's list): none may reach an element MathJax typesets."""


def _head_problems(outdir: Path, stem: str, attack: Attack, _baseline: Baseline) -> list[str]:
    """A dropped front-matter key leaves no trace in the page's ``<head>``."""
    soup = page_soup(outdir, f"{stem}.html")
    head = soup.find("head") if soup is not None else None
    if head is None:
        return [f"{stem}.html: not written"]
    return [
        f"{stem}.html: <head> holds {tag!s:.120}"
        for tag in head.find_all(True)
        if MARKER in str(tag)
    ]


def _math_problems(outdir: Path, stem: str, attack: Attack, _baseline: Baseline) -> list[str]:
    """No link- or style-making macro in typeset math; MathJax runs in its safe mode."""
    soup = page_soup(outdir, f"{stem}.html")
    if soup is None:
        return [f"{stem}.html: not written"]
    problems = [
        f"{stem}.html: math {el.get_text()[:80]!r}"
        for el in soup.select(".math")
        if MATH_MACROS.search(el.get_text())
    ]
    if soup.select(".math") and "ui/safe" not in str(soup):
        problems.append(f"{stem}.html: MathJax is not in its safe mode")
    return problems


def file_name_of(stem: str, payload: str) -> str:
    """A file name holding the payload, as a file system allows (no ``/``, no NUL)."""
    name = payload.replace("/", "-").replace("\x00", "")
    return f"{stem}-{name.encode()[:150].decode(errors='ignore')}"


def _named_files(stem: str, payload: str) -> dict[str, str]:
    return {
        f"{stem}.md": f"---\norphan: true\n---\n# Page {stem}\n\nBody.\n",
        f"{file_name_of(stem, payload)}.md": "---\norphan: true\n---\n# Named page\n\nBody.\n",
    }


def _name_problems(outdir: Path, stem: str, attack: Attack, _baseline: Baseline) -> list[str]:
    """A page whose file name is not a safe name is not built, and the build says so."""
    name = file_name_of(stem, attack.payload)
    written = [p.name for p in outdir.iterdir() if p.name.startswith(f"{stem}-")]
    problems = [f"page written for the file name {name!r}: {w!r}" for w in written]
    warnings = _WARNINGS.get(outdir, "")
    # Sphinx's file patterns never match a name with a line break: no page, no message.
    found = "\n" not in name and "\r" not in name
    if found and ("this page is not built" not in warnings or stem not in warnings):
        problems.append(f"no error names the file {name[:80]!r}")
    return problems


ROUND_TWO_SINKS: tuple[Sink, ...] = (
    Sink(
        "front-matter-og-key",
        lambda stem, p: _md_page(
            stem, "Body.", f"og:description: {yaml_string(p)}\nog:image: {yaml_string(p)}\n"
        ),
        _html,
        shows_marker=False,
        checkers=(_head_problems,),
    ),
    Sink(
        "front-matter-key",
        lambda stem, p: _md_page(stem, "Body.", f"{yaml_string(p[:1000])}: x\n"),
        _html,
        shows_marker=False,
        checkers=(_head_problems,),
    ),
    Sink("document-name", _named_files, _html, shows_marker=False, checkers=(_name_problems,)),
    Sink(
        "md-math-role",
        lambda stem, p: _md_page(
            stem, "Math {math}`" + p.replace("`", "").replace("\n", " ") + "`"
        ),
        _html,
        shows_marker=False,
        checkers=(_math_problems,),
    ),
    Sink(
        "md-math-block",
        lambda stem, p: _md_page(stem, "```{math}\n" + p.replace("`", "") + "\n```"),
        _html,
        shows_marker=False,
        checkers=(_math_problems,),
    ),
)
"""Where the second round's classes land: keys, names and math (issue 13)."""

SINKS = (*SINKS, *ROUND_TWO_SINKS)


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


# --- The catalogue, front matter and photos, through every page and file they reach -----
#
# The sinks below write a catalogue file (``talks/<stem>.yaml``) and recap posts
# (``recaps/<stem>.md``) per attack, so one attack's entries get their own conference,
# talk, speaker, year, tag and feed pages. Their checkers follow each value to every place
# it lands: the generated pages, the cards and roles of a recap, the recap header, the
# photo credits, JSON-LD, Open Graph and description meta tags, the Atom and RSS feeds and
# the Pagefind filters. Build them with ``CONTROL`` among the attacks: a harmless value
# through the same sinks, whose pages show what a clean page holds.

CONTROL = Attack("control", "Harmless control value XSS")
"""A value with nothing hostile in it; its pages are the per-family baselines."""

_ATTACK_INDEX = {attack.name: index for index, attack in enumerate((*ATTACKS, CONTROL))}
QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})
_NON_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def attack_name(stem: str) -> str:
    return stem.partition("--")[2]


def entry_id(stem: str) -> str:
    """A catalogue id (a slug) for a stem: ``catalogue--script-tag`` -> ``catalogue-script-tag``."""
    return re.sub(r"-+", "-", stem)


def entry_year(stem: str) -> int:
    """One year per attack, so a year's pages and the sidebar hold one attack's entries.

    The first attacks are the newest: they fill the sidebar's and home page's "latest
    recaps" (the 100 kB value is the oldest, so it is not on every page).
    """
    return 1990 - _ATTACK_INDEX[attack_name(stem)]


_NOT_IN_URL = re.compile(r"[\s\x00-\x1f\x7f]")


def url_form(payload: str) -> str:
    """The attack inside an http(s) URL the catalogue accepts (no whitespace or controls)."""
    return "https://evil.example/" + _NOT_IN_URL.sub("", payload)


def plain(text: str) -> str:
    """Text as a reader sees it: quotes straightened (smart quotes), whitespace collapsed,
    characters no HTML or XML page can carry dropped."""
    text = _NON_XML.sub("", text.replace("\ufffd", "")).translate(QUOTES)
    return " ".join(text.split())


MAX_TEXT = 300
"""The longest title or name the catalogue and front matter accept (docs/security.md):
a longer one is reported and cut there, ending with an ellipsis."""


MAX_LONG_TEXT = 50_000
"""The longest abstract or description."""


def displayed(payload: str, limit: int = MAX_TEXT) -> str:
    """How a title, name or other catalogue value is shown: cut at ``limit``."""
    return payload if len(payload) <= limit else payload[: limit - 1] + "\u2026"


def shown(payload: str, text: str) -> bool:
    """Whether ``payload`` is in ``text`` as text (escaped on the way in, not mangled)."""
    return plain(payload) in plain(text)


def self_baseline(soup: BeautifulSoup) -> Baseline:
    """What a page holds that no attack put there: handlers and tags without the marker.

    Every attack carries ``MARKER``, so an injected element or handler has it in its
    markup; JSON-LD blocks hold values as data and are checked by :func:`jsonld_problems`.
    """
    return Baseline(
        handlers=frozenset(
            (el.name, name, str(value))
            for el in soup.find_all(True)
            for name, value in el.attrs.items()
            if name.lower().startswith("on") and MARKER not in str(value)
        ),
        tags=Counter(
            el.name
            for el in soup.find_all(DANGEROUS_TAGS)
            if MARKER not in str(el) or el.get("type") == "application/ld+json"
        ),
    )


_SOUPS: dict[Path, BeautifulSoup] = {}


def page_soup(outdir: Path, page: str) -> BeautifulSoup | None:
    """A built page, parsed once per test session (``None`` if it was not written)."""
    path = outdir / page
    if path not in _SOUPS:
        if not path.is_file():
            return None
        _SOUPS[path] = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    return _SOUPS[path]


def main_text(soup: BeautifulSoup) -> str:
    main = soup.find("main") or soup
    return main.get_text()


def harmless_page(outdir: Path, page: str, attack: Attack) -> list[str]:
    """The problems of one page: injected markup, or a page that should exist but does not."""
    soup = page_soup(outdir, page)
    if soup is None:
        return [f"{page}: not written"]
    problems = html_problems(soup, attack, self_baseline(soup))
    problems += meta_problems(soup)
    problems += jsonld_problems(soup)[0]
    return [f"{page}: {problem}" for problem in problems]


META_ATTRIBUTES = frozenset({"name", "property", "content", "charset", "itemprop"})


def meta_problems(soup: BeautifulSoup) -> list[str]:
    """A ``<meta>`` with an attribute no page sets (an attribute broke out of its quotes)."""
    problems = []
    for meta in soup.find_all("meta"):
        extra = {name for name in meta.attrs if name.lower() not in META_ATTRIBUTES}
        if extra - {"http-equiv", "lang"} or (
            "http-equiv" in meta.attrs and MARKER in str(meta.get("content", ""))
        ):
            problems.append(f"<meta> with attributes {sorted(meta.attrs)}")
    return problems


def meta_content(soup: BeautifulSoup, key: str) -> list[str]:
    """The content of every ``<meta property=key>`` or ``<meta name=key>``."""
    return [
        str(meta.get("content", ""))
        for meta in soup.find_all("meta")
        if key in (meta.get("property"), meta.get("name"))
    ]


def jsonld_blocks(soup: BeautifulSoup) -> list[Any]:
    return jsonld_problems(soup)[1]


def jsonld_problems(soup: BeautifulSoup) -> tuple[list[str], list[Any]]:
    """Every JSON-LD block must parse, and hold nothing that ends or comments the script."""
    problems: list[str] = []
    found: list[Any] = []
    for script in soup.find_all("script", attrs={"type": "application/ld+json"}):
        text = script.string or ""
        lowered = text.lower()
        for bad in ("</script", "<!--", "<script"):
            if bad in lowered:
                problems.append(f"JSON-LD holds a raw {bad!r}")
        try:
            found.append(json.loads(text))
        except ValueError as error:
            problems.append(f"JSON-LD does not parse ({error}): {text[:120]!r}")
    return problems, found


def same_or_shortened(value: str, found: str) -> bool:
    """``found`` is ``value``, or its start cut at a word and ended with an ellipsis."""
    value, found = plain(value), plain(found)
    if found == value:
        return True
    head = found.removesuffix("…").rstrip(",;:. ")
    return found.endswith("…") and len(head) >= 20 and value.startswith(head)


def jsonld_values(soup: BeautifulSoup, key: str) -> list[str]:
    """The values of ``key`` anywhere in the page's JSON-LD."""

    def walk(data: Any) -> Iterable[str]:
        if isinstance(data, dict):
            for name, value in data.items():
                if name == key and isinstance(value, str):
                    yield value
                else:
                    yield from walk(value)
        elif isinstance(data, list):
            for value in data:
                yield from walk(value)

    return [value for block in jsonld_blocks(soup) for value in walk(block)]


def facets(soup: BeautifulSoup) -> dict[str, list[str]]:
    """Pagefind's filters and metadata of a page: ``{"filter:speaker": [...], "meta:by": ...}``."""
    found: dict[str, list[str]] = {}
    for span in soup.select(".recaps-search-facets [data-pagefind-filter]"):
        found.setdefault(f"filter:{span['data-pagefind-filter']}", []).append(span.get_text())
    for span in soup.select(".recaps-search-facets [data-pagefind-meta]"):
        found.setdefault(f"meta:{span['data-pagefind-meta']}", []).append(span.get_text())
    return found


FACET_NAMES = frozenset(
    {
        "filter:type",
        "filter:conference",
        "filter:year",
        "filter:speaker",
        "filter:tag",
        "filter:kind",
        "meta:speakers",
        "meta:conference",
        "meta:date",
        "meta:talks",
        "meta:location",
        "meta:by",
    }
)


def facet_problems(soup: BeautifulSoup) -> list[str]:
    """Facet markup an attack could add: a name of its own, or a facet outside the list."""
    problems = [
        f"unknown search facet {name!r}" for name in facets(soup) if name not in FACET_NAMES
    ]
    for el in soup.find_all(True, attrs={"data-pagefind-filter": True}):
        if not el.find_parent(class_="recaps-search-facets"):
            problems.append(f"search filter outside the facets: {str(el)[:80]!r}")
    for el in soup.find_all(True, attrs={"data-pagefind-meta": True}):
        if not el.find_parent(class_="recaps-search-facets"):
            problems.append(f"search metadata outside the facets: {str(el)[:80]!r}")
    return problems


# --- Feeds: parsed as XML with no DTD and no entity expansion -----------------------------

ATOM = "{http://www.w3.org/2005/Atom}"


def parse_xml(path: Path) -> Any:
    """Parse a feed or sitemap: a DTD is refused, entities never expanded, nothing fetched."""
    data = path.read_bytes()
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        msg = f"{path.name} declares a DTD or entities"
        raise ValueError(msg)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.fromstring(data, parser)


def entry_html_problems(fragment: str, attack: Attack, where: str) -> list[str]:
    """A feed entry's HTML content must hold no script, handler or script URL."""
    soup = BeautifulSoup(fragment, "html.parser")
    empty = Baseline(frozenset(), Counter())
    return [f"{where}: {problem}" for problem in html_problems(soup, attack, empty)]


@dataclass(frozen=True)
class FeedEntry:
    title: str
    link: str
    authors: tuple[str, ...]
    summary: str
    #: RSS descriptions are HTML (readers render them); an Atom summary is text unless
    #: its ``type`` says otherwise.
    summary_is_html: bool
    content: str
    categories: tuple[str, ...]


def feed_entries(path: Path) -> tuple[list[FeedEntry], list[str]]:
    """The entries of an Atom or RSS feed, and the problems met reading it."""
    try:
        root = parse_xml(path)
    except (OSError, ValueError, etree.XMLSyntaxError) as error:
        return [], [f"{path.name}: {error}"]
    entries = []
    if root.tag == f"{ATOM}feed":
        for entry in root.iter(f"{ATOM}entry"):
            entries.append(
                FeedEntry(
                    title=entry.findtext(f"{ATOM}title") or "",
                    link=next((li.get("href", "") for li in entry.iter(f"{ATOM}link")), ""),
                    authors=tuple(
                        a.findtext(f"{ATOM}name") or "" for a in entry.iter(f"{ATOM}author")
                    ),
                    summary=entry.findtext(f"{ATOM}summary") or "",
                    summary_is_html=any(
                        s.get("type") in {"html", "xhtml"} for s in entry.iter(f"{ATOM}summary")
                    ),
                    content=entry.findtext(f"{ATOM}content") or "",
                    categories=tuple(c.get("term", "") for c in entry.iter(f"{ATOM}category")),
                )
            )
    else:
        dc = "{http://purl.org/dc/elements/1.1/}"
        for item in root.iter("item"):
            entries.append(
                FeedEntry(
                    title=item.findtext("title") or "",
                    link=item.findtext("link") or "",
                    authors=tuple(c.text or "" for c in item.iter(f"{dc}creator")),
                    summary=item.findtext("description") or "",
                    summary_is_html=True,
                    content=item.findtext("{http://purl.org/rss/1.0/modules/content/}encoded")
                    or "",
                    categories=tuple(c.text or "" for c in item.iter("category")),
                )
            )
    return entries, []


def feed_problems(outdir: Path, feed: str, attack: Attack, title: str) -> list[str]:
    """Read both formats of a feed: the entry titled ``title`` is there, and harmless."""
    problems = []
    for kind in ("atom", "rss"):
        path = outdir / feed / f"{kind}.xml"
        where = f"{feed}/{kind}.xml"
        if not path.is_file():
            problems.append(f"{where}: not written")
            continue
        entries, errors = feed_entries(path)
        problems += errors
        matching = [e for e in entries if plain(e.title) == plain(title)]
        if not errors and not matching:
            problems.append(f"{where}: no entry titled {title[:60]!r}")
        if kind == "rss":
            # RSS readers render the channel's <description> as HTML too (issue 13).
            channel = parse_xml(path).find("channel")
            description = channel.findtext("description") if channel is not None else ""
            problems += entry_html_problems(description or "", attack, f"{where} description")
        for entry in entries:
            problems += entry_html_problems(entry.content, attack, f"{where} content")
            if entry.summary_is_html:
                problems += entry_html_problems(entry.summary, attack, f"{where} summary")
    return problems


def feed_text(entry: FeedEntry, field: str) -> str:
    """What a feed reader shows of an entry's field (HTML read as a reader renders it)."""
    value = getattr(entry, field)
    if field == "content" or (field == "summary" and entry.summary_is_html):
        return BeautifulSoup(value, "html.parser").get_text()
    return str(value)


# --- The catalogue sinks ------------------------------------------------------------------


def _catalogue_files(stem: str, payload: str) -> dict[str, str]:
    """A conference, a speaker and a talk with the attack in every text and URL field,
    and a recap showing the talk through a card, a grid and both roles."""
    ident, year, p, url = entry_id(stem), entry_year(stem), yaml_string(payload), url_form(payload)
    catalogue = f"""\
conferences:
  - id: {ident}
    name: {p}
    series: {p}
    start: {year}-06-01
    end: {year}-06-03
    location: {p}
    url: {yaml_string(url)}
    description: {p}
speakers:
  - id: {ident}
    name: {p}
    aliases: [{p}]
    url: {yaml_string(url)}
talks:
  - id: {ident}/talk
    conference: {ident}
    title: {p}
    speakers: [{ident}]
    kind: keynote
    date: {year}-06-02
    abstract: {p}
    video: {yaml_string(url + "#video")}
    slides: {yaml_string(url + "#slides")}
    tags: [{ident}]
"""
    recap = f"""\
---
title: Recap of {ident}
date: {year}-07-01
authors: [Control Author]
conference: {ident}
---

# Recap of {ident}

```{{talk-card}} {ident}/talk
```

```{{talk-grid}}
:conference: {ident}
```

The talk {{talk}}`{ident}/talk` by {{speaker}}`{ident}`.
"""
    return {f"talks/{stem}.yaml": catalogue, f"recaps/{stem}.md": recap}


def _catalogue_page(kind: str) -> Callable[[str], str]:
    def page(stem: str) -> str:
        ident = entry_id(stem)
        return {
            "talk": f"talks/{ident}/talk.html",
            "conference": f"conferences/{ident}.html",
            "speaker": f"speakers/{ident}.html",
            "year": f"years/{entry_year(stem)}.html",
            "tag": f"tags/{ident}.html",
            "recap": f"recaps/{stem}.html",
        }[kind]

    return page


def _check_catalogue(outdir: Path, stem: str, attack: Attack, _baseline: Baseline) -> list[str]:
    """Every page of the entries: harmless, and showing each value as text."""
    p = displayed(attack.payload)
    ident = entry_id(stem)
    problems = []
    expect = {
        # page: values it must show as text
        "talk": (p,),  # title, abstract, speaker, conference
        "conference": (p,),
        "speaker": (p,),
        "year": (p,),
        "tag": (p,),
        "recap": (p,),
    }
    for kind, values in expect.items():
        page = _catalogue_page(kind)(stem)
        problems += harmless_page(outdir, page, attack)
        soup = page_soup(outdir, page)
        if soup is None:
            continue
        problems += [f"{page}: {problem}" for problem in facet_problems(soup)]
        problems += [
            f"{page}: {v[:40]!r} not shown as text" for v in values if not shown(v, main_text(soup))
        ]
    # The recap shows the talk four times (card, grid card, role) and the speaker by role.
    recap = page_soup(outdir, _catalogue_page("recap")(stem))
    if recap is not None:
        links = [
            a
            for a in recap.select("main a")
            if str(a.get("href", "")).endswith((f"{ident}/talk.html", f"speakers/{ident}.html"))
        ]
        texts = [a.get_text() for a in links if shown(p, a.get_text())]
        if len(texts) < 4:
            problems.append(f"recap: {len(texts)} links titled with the value, expected >= 4")
        video = recap.select("a.recaps-video-link")
        if [a["href"] for a in video] != [url_form(attack.payload) + "#video"] * len(
            video
        ) or not video:
            problems.append(f"recap: video links {[a.get('href') for a in video]!r}")
    problems += _check_structured(outdir, stem, attack)
    problems += _check_meta(outdir, stem, attack)
    problems += _check_search(outdir, stem, attack)
    problems += feed_problems(outdir, f"feeds/{ident}", attack, p)
    return problems


def _check_structured(outdir: Path, stem: str, attack: Attack) -> list[str]:
    """JSON-LD of the conference, talk and speaker pages holds each value as data."""
    p, problems = displayed(attack.payload), []
    long = displayed(attack.payload, MAX_LONG_TEXT)
    wanted = {
        "talk": {"name": [p], "description": [long]},
        "conference": {"name": [p], "description": [long], "address": [p]},
        "speaker": {"name": [p]},
    }
    for kind, fields in wanted.items():
        page = _catalogue_page(kind)(stem)
        soup = page_soup(outdir, page)
        if soup is None:
            continue
        if not jsonld_blocks(soup):
            problems.append(f"{page}: no JSON-LD")
            continue
        for key, values in fields.items():
            found = jsonld_values(soup, key)
            for value in values:
                if not any(same_or_shortened(value, f) for f in found):
                    problems.append(f"{page}: JSON-LD {key} {found[:3]!r} lacks the value")
    speaker = page_soup(outdir, _catalogue_page("speaker")(stem))
    if speaker is not None:
        aliases = [
            block["mainEntity"].get("alternateName")
            for block in jsonld_blocks(speaker)
            if isinstance(block, dict) and isinstance(block.get("mainEntity"), dict)
        ]
        if [[plain(a) for a in found] for found in aliases] != [[plain(p)]]:
            problems.append(f"speaker JSON-LD alternateName {str(aliases)[:80]!r}")
    return problems


def _check_meta(outdir: Path, stem: str, attack: Attack) -> list[str]:
    """Open Graph, Twitter and description tags hold the value as an attribute's text."""
    p, problems = displayed(attack.payload), []
    for kind, key in (("talk", "og:title"), ("conference", "og:title"), ("speaker", "og:title")):
        page = _catalogue_page(kind)(stem)
        soup = page_soup(outdir, page)
        if soup is None:
            continue
        titles = meta_content(soup, key)
        if [plain(t) for t in titles] != [plain(p)]:
            problems.append(f"{page}: {key} {[t[:60] for t in titles]!r}")
        for description in meta_content(soup, "description") + meta_content(soup, "og:description"):
            if kind != "speaker" and not same_or_shortened(p, description):
                problems.append(f"{page}: description {description[:60]!r} lacks the value")
    return problems


def _check_search(outdir: Path, stem: str, attack: Attack) -> list[str]:
    """Pagefind's filters name the speaker and conference by their text."""
    p, problems = displayed(attack.payload), []
    expected = {
        "talk": {"filter:speaker": [p], "filter:conference": [p], "meta:speakers": [p]},
        "conference": {"filter:conference": [p], "meta:location": [p]},
        "speaker": {"filter:speaker": [p], "filter:conference": [p]},
        "recap": {"filter:speaker": [p], "filter:conference": [p]},
    }
    for kind, wanted in expected.items():
        page = _catalogue_page(kind)(stem)
        soup = page_soup(outdir, page)
        if soup is None:
            continue
        found = facets(soup)
        for name, values in wanted.items():
            if [plain(v) for v in found.get(name, [])] != [plain(v) for v in values]:
                problems.append(f"{page}: search {name} {str(found.get(name))[:80]!r}")
    return problems


def located_warnings(warnings: str, path: str) -> set[int]:
    """The lines of ``path`` that the build's warnings name."""
    return {int(line) for line in re.findall(rf"{re.escape(path)}:(\d+): WARNING", warnings)}


def _refused_files(stem: str, payload: str) -> dict[str, str]:
    """The attack where the catalogue wants a URL, a slug or a kind: each entry is refused."""
    ident, year, p = entry_id(stem), entry_year(stem), yaml_string(payload)
    dates = f"start: {year}-03-01\n    end: {year}-03-02"
    ok = f"{ident}-ok"
    talks = "".join(
        f"  - id: {ok}/{slug}\n    conference: {ok}\n    title: Refused {slug}\n    {field}\n"
        for slug, field in (
            ("video", f"video: {p}"),
            ("slides", f"slides: {p}"),
            ("tags", f"tags: [{p}]"),
            ("kind", f"kind: {p}"),
            ("speakers", f"speakers: [{p}]"),
        )
    )
    catalogue = f"""\
conferences:
  - id: {ident}
    name: Refused conference
    {dates}
    url: {p}
  - id: {ok}
    name: Accepted conference
    {dates}
speakers:
  - id: {ident}
    name: Refused speaker
    url: {p}
talks:
{talks}  - id: {p}
    conference: {ok}
    title: Refused id
  - id: {ok}/embedded
    conference: {ok}
    title: Embedded URL
    video: {yaml_string("https://evil.example/" + payload)}
"""
    recap = f"""\
---
title: Refused front matter
date: 1900-01-01
authors: [Control Author]
sources:
  - title: Refused source
    url: {p}
tags: [{p}]
---

# Refused front matter of {ident}

Nothing hostile is left here.
"""
    return {f"talks/{stem}.yaml": catalogue, f"recaps/{stem}.md": recap}


def _check_refused(outdir: Path, stem: str, attack: Attack, baseline: Baseline) -> list[str]:
    """Every refusal is a warning at its line, and nothing refused reaches the site."""
    ident, problems = entry_id(stem), []
    warnings = _WARNINGS.get(outdir, "")
    # conference url, speaker url, video, slides, tags, kind, speakers, id
    lines = located_warnings(warnings, f"talks/{stem}.yaml")
    if len(lines) < 8:
        problems.append(f"talks/{stem}.yaml: {len(lines)} located refusals, expected 8")
    lines = located_warnings(warnings, f"recaps/{stem}.md")
    if len(lines) < 2:
        problems.append(f"recaps/{stem}.md: {len(lines)} located refusals, expected 2")
    refused = [
        f"conferences/{ident}.html",
        f"speakers/{ident}.html",
        *(f"talks/{ident}-ok/{slug}.html" for slug in ("video", "slides", "tags", "kind")),
        f"talks/{ident}-ok/speakers.html",
    ]
    problems += [
        f"{page}: written for a refused entry" for page in refused if (outdir / page).exists()
    ]
    embedded = outdir / f"talks/{ident}-ok/embedded.html"
    if _NOT_IN_URL.search(attack.payload) and embedded.exists():
        problems.append(f"{embedded.name}: a URL with whitespace or a control was accepted")
    pages = [f"conferences/{ident}-ok.html", f"recaps/{stem}.html"]
    if embedded.exists():
        pages.append(f"talks/{ident}-ok/embedded.html")
    for page in pages:
        problems += harmless_page(outdir, page, attack)
        soup = page_soup(outdir, page)
        if soup is not None and page != pages[-1] and MARKER in main_text(soup):
            problems.append(f"{page}: shows part of a refused value")
    for kind in ("atom", "rss"):
        feed = outdir / f"feeds/{ident}-ok/{kind}.xml"
        entries, errors = feed_entries(feed)
        problems += errors
        for entry in entries:
            problems += entry_html_problems(entry.content, attack, feed.name)
    return problems


_WARNINGS: dict[Path, str] = {}


def _front_matter_files(stem: str, payload: str) -> dict[str, str]:
    """A recap whose title, authors, sources and description are the attack."""
    p, url = yaml_string(payload), yaml_string(url_form(payload))
    return {
        f"recaps/{stem}.md": f"""\
---
title: {p}
date: {front_matter_year(stem)}-08-01
authors: [{p}, Second Author]
sources:
  - title: {p}
    url: {url}
    author: {p}
description: {p}
---

# Front matter of {stem}

The opening paragraph of the recap.
"""
    }


def front_matter_year(stem: str) -> int:
    """Newer than every other recap: these fill the site feed, the sidebar and the home page."""
    return 2040 - _ATTACK_INDEX[attack_name(stem)]


def _check_front_matter(outdir: Path, stem: str, attack: Attack, baseline: Baseline) -> list[str]:
    p, page = displayed(attack.payload), f"recaps/{stem}.html"
    problems = harmless_page(outdir, page, attack)
    soup = page_soup(outdir, page)
    if soup is None:
        return problems
    problems += [f"{page}: {problem}" for problem in facet_problems(soup)]
    header = soup.select_one(".recaps-header")
    if header is None:
        problems.append(f"{page}: no recap header")
    else:
        text = header.get_text()
        if plain(text).count(plain(p)) < 3:  # author, source title, source author
            problems.append(f"{page}: header {text[:120]!r} lacks the values")
        hrefs = [a.get("href") for a in header.select("a.recaps-source")]
        if hrefs != [url_form(attack.payload)]:
            problems.append(f"{page}: source links {hrefs!r}")
    checks = {
        "JSON-LD headline": jsonld_values(soup, "headline"),
        "JSON-LD description": jsonld_values(soup, "description"),
        "JSON-LD author": jsonld_values(soup, "name")[:1],
        "meta description": meta_content(soup, "description"),
        "og:description": meta_content(soup, "og:description"),
        "article:author": meta_content(soup, "article:author")[:1],
        "search by": [facets(soup).get("meta:by", [""])[0].rpartition(", ")[0]],
    }
    long = displayed(attack.payload, MAX_LONG_TEXT)
    for what, values in checks.items():
        expected = long if "description" in what else p
        if [plain(v) for v in values] != [plain(expected)]:
            problems.append(f"{page}: {what} {[v[:60] for v in values]!r}")
    based_on = [
        b["isBasedOn"] for b in jsonld_blocks(soup) if isinstance(b, dict) and "isBasedOn" in b
    ]
    if based_on != [[url_form(attack.payload)]]:
        problems.append(f"{page}: JSON-LD isBasedOn {str(based_on)[:80]!r}")
    year = f"years/{front_matter_year(stem)}.html"
    problems += harmless_page(outdir, year, attack)
    year_soup = page_soup(outdir, year)
    if year_soup is not None and not shown(p, main_text(year_soup)):
        problems.append(f"{year}: does not list the recap's title")
    for kind in ("atom", "rss"):
        problems += _recap_feed_problems(outdir, kind, stem, attack)
    return problems


def _recap_feed_problems(outdir: Path, kind: str, stem: str, attack: Attack) -> list[str]:
    """The recap's entry in the site feed carries the attack as text only."""
    p, long = displayed(attack.payload), displayed(attack.payload, MAX_LONG_TEXT)
    feed = outdir / "feeds" / f"{kind}.xml"
    entries, problems = feed_entries(feed)
    mine = [e for e in entries if e.link.endswith(f"/recaps/{stem}.html")]
    if len(mine) != 1:
        return [*problems, f"feeds/{kind}.xml: {len(mine)} entries for the recap"]
    entry = mine[0]
    if plain(entry.title) != plain(p):
        problems.append(f"feeds/{kind}.xml: title {entry.title[:80]!r}")
    if [plain(a) for a in entry.authors[:1]] != [plain(p)]:
        problems.append(f"feeds/{kind}.xml: authors {entry.authors!r}")
    if plain(feed_text(entry, "summary")) != plain(long):
        problems.append(f"feeds/{kind}.xml: summary {entry.summary[:80]!r}")
    problems += entry_html_problems(entry.content, attack, f"feeds/{kind}.xml content")
    if entry.summary_is_html:
        problems += entry_html_problems(entry.summary, attack, f"feeds/{kind}.xml summary")
    return problems


def _photo_files(stem: str, payload: str) -> dict[str, str]:
    """A recap with a photo whose alt, credit, credit URL, license and caption are the attack."""
    p, fence = yaml_string(payload), _fence(payload)
    return {
        f"recaps/{stem}.md": f"""\
---
title: Photos of {entry_id(stem)}
date: {entry_year(stem)}-09-01
authors: [Control Author]
---

# Photos of {stem}

The opening paragraph of the recap.

{fence}{{photo}} /logo.png
---
alt: {p}
credit: {p}
credit-url: {yaml_string(url_form(payload))}
license: {p}
---
{payload}
{fence}

{fence}{{photo}} /logo.png
---
alt: Second photo
credit: Second photographer
credit-url: {p}
---
{fence}
"""
    }


def _check_photo(outdir: Path, stem: str, attack: Attack, baseline: Baseline) -> list[str]:
    p, page = attack.payload, f"recaps/{stem}.html"
    problems: list[str] = []
    soup = page_soup(outdir, page)
    if soup is None:
        return [f"{page}: not written"]
    problems += [f"{page}: {problem}" for problem in facet_problems(soup)]
    figures = soup.select("figure.recaps-photo")
    if len(figures) != 2:
        return [*problems, f"{page}: {len(figures)} photos, expected 2"]
    image = figures[0].find("img")
    if image is None or plain(str(image.get("alt"))) != plain(p):
        problems.append(f"{page}: img alt {image and str(image.get('alt'))[:60]!r}")
    credit = figures[0].select_one(".recaps-photo-credit")
    if credit is None or plain(credit.get_text()).count(plain(p)) < 2:  # name and license
        problems.append(f"{page}: credit line {credit and credit.get_text()[:80]!r}")
    links = [a.get("href") for a in figures[0].select("a.recaps-credit-name")]
    if links != [url_form(p)]:
        problems.append(f"{page}: credit links {links!r}")
    if figures[1].select("a.recaps-credit-name"):
        problems.append(f"{page}: a credit linked to a refused URL")
    section = soup.select_one("section.recaps-credits")
    if section is None or plain(section.get_text()).count(plain(p)) < 3:  # alt, name, license
        problems.append(f"{page}: the credits section lacks the values")
    alts = meta_content(soup, "og:image:alt")
    if [plain(a) for a in alts] != [plain(p)]:
        problems.append(f"{page}: og:image:alt {[a[:60] for a in alts]!r}")
    credits = page_soup(outdir, "credits.html")
    if credits is None or plain(main_text(credits)).count(plain(p)) < 2:  # name and alt
        problems.append("credits.html: does not list the credit and the alt text")
    return problems


CATALOGUE_SINKS: tuple[Sink, ...] = (
    Sink(
        "catalogue",
        _catalogue_files,
        _catalogue_page("talk"),
        checkers=(_check_catalogue,),
    ),
    # Refused with a warning that names the file and line: no value to show.
    Sink(
        "catalogue-refused",
        _refused_files,
        lambda stem: f"conferences/{entry_id(stem)}-ok.html",
        shows_marker=False,
        checkers=(_check_refused,),
    ),
    Sink(
        "front-matter",
        _front_matter_files,
        lambda stem: f"recaps/{stem}.html",
        checkers=(_check_front_matter,),
    ),
    Sink("photo", _photo_files, lambda stem: f"recaps/{stem}.html", checkers=(_check_photo,)),
)
"""Sinks of catalogue and front-matter values; build them with ``CONTROL`` among the attacks."""


def note_warnings(build: CorpusBuild) -> CorpusBuild:
    """Let checkers read the build's warnings (they get the output folder only)."""
    _WARNINGS[build.outdir] = build.warnings
    return build
