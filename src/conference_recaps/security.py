"""Untrusted contributions stay harmless: what a recap or docs page may not do.

Recaps come from strangers' pull requests, and Read the Docs builds those pull
requests. Out of the box MyST passes raw HTML into pages, ``{literalinclude}`` reads
any file on the build machine and ``{raw}`` passes anything. This module closes that,
in the extension itself, so a site's ``conf.py`` cannot forget it:

- **Raw HTML** (Markdown blocks and inline tags, ``raw`` roles) is shown as text, with
  a ``[recaps.unsafe]`` warning naming the file and line.
- **Directives that read files or pass markup through**: ``raw`` and ``include`` are
  disabled (they warn and output nothing); ``literalinclude`` only reads files inside
  the repository; ``csv-table`` refuses ``:file:`` and ``:url:``. ``{eval-rst}`` stays,
  because the reStructuredText it parses goes through these same directives and checks.
- **Links and images**: every ``reference`` node's ``refuri`` (Markdown links and
  autolinks, reST links, toctree entries, image targets, whatever a directive makes)
  must be relative or use ``http``, ``https`` or ``mailto``; ``javascript:``, ``data:``,
  ``vbscript:`` and every other scheme are removed, however they are spelled (case,
  whitespace, control characters, entities, full-width letters). Images and
  ``{download}`` files must resolve (symlinks followed) inside the repository, outside
  hidden folders such as ``.git``.
- **Front matter**: a page may not change the MyST parser under it (``myst:`` keys
  other than a few harmless ones are dropped); ``html_meta`` may name metadata but not
  ``http-equiv`` (no ``refresh`` redirects) nor invent attributes.
- **Site settings**: ``myst_url_schemes`` is limited to ``http``, ``https`` and
  ``mailto``; MyST's ``substitution`` extension is switched off, because it evaluates
  unsandboxed Jinja2 written in the page, with the Sphinx environment in reach.

The checks run twice: as a transform while each page is read (before Sphinx copies
images or records titles), and again on every resolved doctree just before it is
written, so nodes that other extensions add late are held to the same rules.
"""

from __future__ import annotations

import codecs
import contextlib
import encodings.utf_8_sig
import html
import os
import re
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from markupsafe import Markup, escape
from myst_parser.config.main import TopmatterReadError, merge_file_level, read_topmatter
from myst_parser.mdit_to_docutils.sphinx_ import SphinxRenderer
from myst_parser.parsers.mdit import create_md_parser
from myst_parser.parsers.sphinx_ import MystParser
from myst_parser.warnings_ import create_warning
from sphinx import addnodes
from sphinx.directives.code import LiteralInclude
from sphinx.directives.patches import CSVTable
from sphinx.parsers import RSTParser
from sphinx.transforms import SphinxTransform
from sphinx.util.docutils import SphinxDirective

from conference_recaps.diagnostics import Subtype, warn

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from docutils.statemachine import StringList
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
"""The only URL schemes a link may use; relative links have no scheme and are fine."""

SCRIPT_SCHEMES = frozenset({"javascript", "vbscript", "data", "file"})
"""Schemes refused even where a value is not a URL yet (a cross-reference target)."""

IMAGE_SCHEMES = frozenset({"http", "https"})
"""The only schemes a remote image may use (never ``data:``)."""

FORBIDDEN_MYST_EXTENSIONS = {
    "substitution": "it evaluates Jinja2 templates written in pages, with the Sphinx "
    "environment in reach, so a pull request could run code on the build machine",
}

FILE_LEVEL_MYST_OPTIONS = frozenset(
    {
        "heading_anchors",
        "heading_anchors_html_ids",
        "footnote_sort",
        "footnote_transition",
        "number_code_blocks",
        "words_per_minute",
        "html_meta",
    }
)
"""The ``myst:`` front-matter keys a page may set: none of them changes what is parsed."""

META_ATTRIBUTES = frozenset({"name", "content", "property", "lang", "scheme", "media", "dir"})
"""Attributes a ``<meta>`` tag from a page may carry (not ``http-equiv`` nor ``charset``)."""

DISABLED_DIRECTIVES = {
    "raw": "it passes HTML straight into the page; use Markdown or a directive",
    "include": "it inserts other files into the page; copy the text into the page, "
    "or use literalinclude for a file inside the repository",
}

_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
_TAB_OR_NEWLINE = re.compile(r"[\t\n\r]")
_MATH_HTML = re.compile(r"\\(?:href|class|cssId|style|data|html)\b")


# --- URLs and paths -------------------------------------------------------------------


def url_scheme(url: str) -> str | None:
    """The scheme a browser would see in ``url``, lowercased; ``None`` for a relative URL.

    Entities are decoded, full-width letters folded, and the characters browsers drop
    (leading/trailing controls and spaces, tabs and newlines anywhere) removed, so
    ``" JaVa&#x09;Script:"`` is ``javascript``.
    """
    text = unicodedata.normalize("NFKC", html.unescape(url))
    # Invisible format characters (zero-width space, bidi overrides) are dropped too:
    # browsers would not, but a scheme hidden by them is never an honest link.
    text = "".join(c for c in text if unicodedata.category(c) != "Cf")
    text = _TAB_OR_NEWLINE.sub("", text).strip("".join(map(chr, range(33))))
    text = text.replace("\x00", "").lower()
    match = _SCHEME.match(text)
    return match.group(1) if match else None


def is_safe_url(url: str, schemes: frozenset[str] = SAFE_SCHEMES) -> bool:
    """Whether a link to ``url`` is relative or uses one of ``schemes``."""
    if "\x00" in url:
        return False
    scheme = url_scheme(url)
    return scheme is None or scheme in schemes


def confinement_problem(path: str | os.PathLike[str], root: str | os.PathLike[str]) -> str | None:
    """Why ``path`` may not be read, or ``None`` when it is inside ``root``.

    Symlinks are resolved first, so a link inside the repository that points out of
    it is refused; hidden folders (``.git``, ``.venv``) are refused too, since they
    hold credentials and machine state rather than content.
    """
    if "\x00" in os.fspath(path):
        return "contains a null byte"
    real_root = Path(os.path.realpath(root))
    real = Path(os.path.realpath(path))
    if not real.is_relative_to(real_root):
        return "is outside the repository"
    if any(part.startswith(".") for part in real.relative_to(real_root).parts):
        return "is inside a hidden folder"
    return None


def _shorten(text: str, limit: int = 60) -> str:
    text = repr(text)
    return text if len(text) <= limit else text[: limit - 4] + "...'"


# --- Directives -----------------------------------------------------------------------


class _AnyOptions(dict[str, Any]):
    """An option spec that accepts every option, so a disabled directive never errors."""

    def __contains__(self, key: object) -> bool:
        return True

    def __getitem__(self, key: str) -> Any:
        return directives.unchanged

    def get(self, key: str, default: Any = None) -> Any:
        return directives.unchanged


class DisabledDirective(SphinxDirective):
    """Stands in for a directive that untrusted pages may not use: warns, outputs nothing."""

    has_content = True
    optional_arguments = 1
    final_argument_whitespace = True
    option_spec: ClassVar[dict[str, Any]] = _AnyOptions()

    def run(self) -> list[nodes.Node]:
        reason = DISABLED_DIRECTIVES.get(self.name, "it is not allowed in this site")
        warn(
            f"the {self.name!r} directive is disabled: {reason}",
            Subtype.unsafe,
            location=self.get_location(),
        )
        return []


class ConfinedLiteralInclude(LiteralInclude):
    """``literalinclude`` that reads only files inside the repository."""

    def run(self) -> list[nodes.Node]:
        if self.arguments:
            _, path = self.env.relfn2path(self.arguments[0])
            problem = confinement_problem(path, self.env.srcdir)
            if problem is not None:
                warn(
                    f"literalinclude of {_shorten(self.arguments[0])} refused: the file "
                    f"{problem}; include only files of the repository",
                    Subtype.unsafe,
                    location=self.get_location(),
                )
                return []
        return super().run()


class NoFileCSVTable(CSVTable):
    """``csv-table`` without ``:file:`` and ``:url:``: the data must be in the page."""

    def run(self) -> list[nodes.Node]:
        for option in ("file", "url"):
            if option in self.options:
                env = self.state.document.settings.env
                warn(
                    f"csv-table :{option}: is not allowed: it reads data from outside "
                    "the page; put the rows in the directive's content",
                    Subtype.unsafe,
                    location=(env.docname, self.lineno),
                )
                return []
        return list(super().run())


# --- Doctree checks -------------------------------------------------------------------


def _unwrap(node: nodes.Element) -> None:
    """Replace ``node`` by a plain ``inline`` with its children: the text stays, the link goes."""
    node.replace_self(nodes.inline("", "", *node.children))


def _raw_as_text(node: nodes.raw) -> None:
    text = node.astext()
    if isinstance(node.parent, nodes.TextElement):
        node.replace_self(nodes.inline(text, text))
    else:
        block = nodes.literal_block(text, text)
        block["language"] = "text"
        block.source, block.line = node.source, node.line
        node.replace_self(block)


def _location(node: nodes.Node, docname: str) -> nodes.Node | tuple[str, int | None]:
    if node.line:
        return node
    parent = node.parent
    while parent is not None and not parent.line:
        parent = parent.parent
    return (docname, parent.line if parent is not None else None)


def check_doctree(
    doctree: nodes.Node, env: BuildEnvironment, docname: str, *, read_stage: bool
) -> None:
    """Remove or defuse whatever in ``doctree`` could run script or read outside files.

    At the read stage local image and download paths are still as written, so they are
    checked against the repository; later they have been rewritten by Sphinx, and only
    schemes are checked.
    """
    srcdir = env.srcdir
    for node in list(doctree.findall(nodes.Element)):
        if isinstance(node, nodes.raw):
            warn(
                f"raw {node.get('format', 'html')} is not allowed and is shown as text: "
                "use Markdown syntax or a directive instead",
                Subtype.unsafe,
                location=_location(node, docname),
            )
            _raw_as_text(node)
        elif isinstance(node, nodes.target) and not is_safe_url(node.get("refuri", "")):
            # Never rendered as a link itself; the references to it are warned about.
            del node["refuri"]
        elif isinstance(node, nodes.reference) and "refuri" in node:
            uri = node["refuri"]
            if not is_safe_url(uri):
                warn(
                    f"link to {_shorten(uri)} removed: links may only be relative or use "
                    "http, https or mailto",
                    Subtype.unsafe,
                    location=_location(node, docname),
                )
                _unwrap(node)
        elif isinstance(node, nodes.image):
            _check_image(node, env, docname, srcdir, read_stage=read_stage)
        elif (
            isinstance(node, addnodes.pending_xref)
            and url_scheme(node.get("reftarget", "")) in SCRIPT_SCHEMES
        ):
            # A Markdown link whose scheme MyST does not know becomes a cross-reference.
            warn(
                f"link to {_shorten(node['reftarget'])} removed: links may only be "
                "relative or use http, https or mailto",
                Subtype.unsafe,
                location=_location(node, docname),
            )
            _unwrap(node)
        elif isinstance(node, addnodes.download_reference) and read_stage:
            target = node.get("reftarget", "")
            if url_scheme(target) is not None:
                problem = None if is_safe_url(target, IMAGE_SCHEMES) else "is not http(s)"
            else:
                problem = confinement_problem(env.relfn2path(target, docname)[1], srcdir)
            if problem is not None:
                warn(
                    f"download of {_shorten(target)} removed: the file {problem}; offer "
                    "only files of the repository",
                    Subtype.unsafe,
                    location=_location(node, docname),
                )
                _unwrap(node)
        elif isinstance(node, nodes.meta):
            _check_meta(node, docname)
        elif isinstance(node, addnodes.toctree):
            _check_toctree(node, docname)
        elif isinstance(node, (nodes.math, nodes.math_block)) and _MATH_HTML.search(node.astext()):
            warn(
                "math with \\href, \\class, \\cssId, \\style or \\data is not allowed: "
                "MathJax would turn it into links and markup; it is shown as text",
                Subtype.unsafe,
                location=_location(node, docname),
            )
            text = node.astext()
            node.replace_self(
                nodes.literal(text, text)
                if isinstance(node, nodes.math)
                else nodes.literal_block(text, text)
            )


def _check_image(
    node: nodes.image, env: BuildEnvironment, docname: str, srcdir: Any, *, read_stage: bool
) -> None:
    uri = node.get("uri", "")
    if url_scheme(uri) is not None or "\x00" in uri:
        problem = None if is_safe_url(uri, IMAGE_SCHEMES) else "is not an http(s) address"
    elif read_stage:
        problem = confinement_problem(env.relfn2path(uri, docname)[1], srcdir)
    else:
        return
    if problem is None:
        return
    warn(
        f"image {_shorten(uri)} removed: it {problem}; use an image file of the "
        "repository or an https address",
        Subtype.unsafe,
        location=_location(node, docname),
    )
    alt = node.get("alt", "")
    node.replace_self(nodes.inline(alt, alt) if isinstance(node.parent, nodes.TextElement) else [])


def _check_meta(node: nodes.meta, docname: str) -> None:
    extra = {
        key
        for key in node.attributes
        if key not in META_ATTRIBUTES and key not in nodes.Element.basic_attributes
    }
    if not extra:
        return
    warn(
        f"<meta> with {', '.join(sorted(extra))} removed: page metadata may only set "
        "name/property and content (no http-equiv redirects)",
        Subtype.unsafe,
        location=_location(node, docname) if node.line else (docname, 1),
    )
    node.parent.remove(node)


def _check_toctree(node: addnodes.toctree, docname: str) -> None:
    entries = node.get("entries", [])
    kept = [(title, ref) for title, ref in entries if ref is None or is_safe_url(ref)]
    if len(kept) == len(entries):
        return
    for _title, ref in entries:
        if ref is not None and not is_safe_url(ref):
            warn(
                f"toctree entry {_shorten(ref)} removed: links may only be relative or "
                "use http, https or mailto",
                Subtype.unsafe,
                location=_location(node, docname),
            )
    node["entries"] = kept


class SanitizeDoctree(SphinxTransform):
    """Run the checks on each page as it is read, before ``doctree-read`` collectors."""

    # Before DoctreeReadEvent (880): the image, download and title collectors must
    # only ever see checked nodes.
    default_priority = 870

    def apply(self, **kwargs: Any) -> None:
        check_doctree(self.document, self.env, self.env.docname, read_stage=True)


def _check_resolved(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    check_doctree(doctree, app.env, docname, read_stage=False)


PLAIN_TEXT_CONTEXT = ("pagetitle", "root_title", "page_description")
"""Template values the theme fills with plain text (``title.astext()``) and prints
unescaped: a heading written as ``# `<script>` `` would otherwise become markup."""


def _escape_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    for key in PLAIN_TEXT_CONTEXT:
        value = context.get(key)
        if isinstance(value, str) and not isinstance(value, Markup):
            context[key] = escape(value)


# --- Files that are not UTF-8 -------------------------------------------------------

SOURCE_CODEC = "recaps-utf-8"
"""UTF-8 (a BOM allowed) that decodes bad bytes as U+FFFD instead of raising: Sphinx
reads pages with strict errors and stops with a traceback on the first Latin-1 file."""


class _ReplacingDecoder(encodings.utf_8_sig.IncrementalDecoder):
    def __init__(self, errors: str = "strict") -> None:
        super().__init__("replace")


def _find_codec(name: str) -> codecs.CodecInfo | None:
    if name.replace("-", "_") != SOURCE_CODEC.replace("-", "_"):
        return None
    return codecs.CodecInfo(
        name=SOURCE_CODEC,
        encode=encodings.utf_8_sig.encode,
        decode=lambda data, errors="strict": encodings.utf_8_sig.decode(data, "replace"),
        incrementalencoder=encodings.utf_8_sig.IncrementalEncoder,
        incrementaldecoder=_ReplacingDecoder,
    )


codecs.register(_find_codec)


def encoding_problem(data: bytes) -> tuple[int, str] | None:
    """The line and description of the first byte sequence that is not UTF-8."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        return line, f"byte 0x{data[error.start]:02x} at column {column}"
    return None


def _check_encodings(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """Report pages that are not UTF-8, and let them build with the bad bytes replaced."""
    if str(env.settings.get("input_encoding", "")).lower() not in {"utf-8", "utf-8-sig"}:
        return  # conf.py chose another encoding on purpose
    env.settings["input_encoding"] = SOURCE_CODEC
    for docname in docnames:
        try:
            data = env.doc2path(docname).read_bytes()
        except OSError:
            continue
        problem = encoding_problem(data)
        if problem is not None:
            line, what = problem
            warn(
                f"this file is not UTF-8 ({what}); it is built with the undecodable "
                "bytes shown as \ufffd: save it as UTF-8 in your editor",
                Subtype.encoding,
                location=(docname, line),
            )


# --- MyST front matter and configuration -----------------------------------------------


def _front_matter_line(source: str, key: str, parent: str | None = None) -> int:
    """The 1-based line of ``key`` in the front matter (under ``parent`` if given)."""
    lines = source.splitlines()
    inside = parent is None
    for number, line in enumerate(lines[1:], start=2):
        if line.startswith(("---", "...")):
            break
        if parent is not None and re.match(rf"^{re.escape(parent)}\s*:", line):
            inside = True
            continue
        indent = r"\s+" if parent is not None else ""
        if inside and re.match(rf"^{indent}['\"]?{re.escape(key)}['\"]?\s*:", line):
            return number
    return 1


def restrict_myst_config(config: Any) -> Any:
    """The MyST config with forbidden extensions and URL schemes taken out."""
    extensions = set(config.enable_extensions) - set(FORBIDDEN_MYST_EXTENSIONS)
    schemes = {k: v for k, v in config.url_schemes.items() if k in SAFE_SCHEMES}
    if extensions == set(config.enable_extensions) and schemes == config.url_schemes:
        return config
    return config.copy(enable_extensions=extensions, url_schemes=schemes)


def _safe_topmatter(topmatter: dict[str, Any], source: str, docname: str) -> dict[str, Any]:
    """Drop the front-matter settings that would change the parser under the page."""
    cleaned = dict(topmatter)
    if "substitutions" in cleaned:
        del cleaned["substitutions"]
        warn(
            "front matter 'substitutions' ignored: substitutions are not available in this site",
            Subtype.unsafe,
            location=(docname, _front_matter_line(source, "substitutions")),
        )
    myst = cleaned.get("myst")
    if isinstance(myst, dict):
        kept = {}
        for key, value in myst.items():
            if key in FILE_LEVEL_MYST_OPTIONS:
                kept[key] = value
                continue
            warn(
                f"front matter 'myst: {key}' ignored: a page may not change how it is "
                f"parsed; allowed keys: {', '.join(sorted(FILE_LEVEL_MYST_OPTIONS))}",
                Subtype.unsafe,
                location=(docname, _front_matter_line(source, str(key), "myst")),
            )
        cleaned["myst"] = kept
    return cleaned


class GuardedMystParser(MystParser):
    """MyST's parser, with the front matter's ``myst:`` settings held to the allowlist."""

    def parse(self, inputstring: str, document: nodes.document) -> None:
        # The same steps as MystParser.parse, with the topmatter filtered before it is
        # merged and the forbidden settings taken out of the result.
        env = document.settings.env
        config = env.myst_config
        try:
            topmatter = read_topmatter(inputstring)
        except TopmatterReadError:
            pass  # reported while rendering
        else:
            if topmatter:
                topmatter = _safe_topmatter(topmatter, inputstring, env.docname)

                def warning(wtype: Any, msg: str) -> None:
                    create_warning(document, msg, wtype, line=1, append_to=document)

                config = merge_file_level(config, topmatter, warning)
        parser = create_md_parser(restrict_myst_config(config), SphinxRenderer)
        # markdown-it silently turns javascript:/data: links into text; let them through
        # to the doctree check instead, which removes them with a file:line warning.
        parser.validateLink = lambda url: True  # type: ignore[method-assign]
        parser.options["document"] = document
        # After a RecursionError, rendering nothing lets MyST set the document settings
        # its own transforms read.
        with _nesting_guard(document, env.docname, recover=lambda: parser.render("")):
            parser.render(inputstring)


class GuardedRSTParser(RSTParser):
    """Sphinx's reStructuredText parser, with the same nesting guard."""

    def parse(self, inputstring: str | StringList, document: nodes.document) -> None:
        with _nesting_guard(document, document.settings.env.docname):
            super().parse(inputstring, document)


@contextlib.contextmanager
def _nesting_guard(
    document: nodes.document, docname: str, recover: Callable[[], object] | None = None
) -> Iterator[None]:
    """Turn a ``RecursionError`` from a deeply nested page into a located warning.

    Without it Sphinx stops the whole build with "Recursion error!" and no file name.
    """
    try:
        yield
    except RecursionError:
        del document[:]
        if recover is not None:
            recover()
        warn(
            "this page is nested too deeply to be read (thousands of levels of quotes, "
            "lists or indentation); it is left empty: flatten its structure",
            Subtype.unsafe,
            location=(docname, 1),
        )


def _restrict_site_config(app: Sphinx, config: Config) -> None:
    """Take the forbidden MyST settings out of ``conf.py``, saying why."""
    enabled = list(config.myst_enable_extensions or [])
    for name in enabled:
        if name in FORBIDDEN_MYST_EXTENSIONS:
            warn(
                f"conf.py: myst_enable_extensions {name!r} switched off: "
                f"{FORBIDDEN_MYST_EXTENSIONS[name]}",
                Subtype.unsafe,
                location=None,
            )
    config.myst_enable_extensions = [e for e in enabled if e not in FORBIDDEN_MYST_EXTENSIONS]
    schemes = config.myst_url_schemes
    if isinstance(schemes, dict):
        restricted: Any = {k: v for k, v in schemes.items() if k in SAFE_SCHEMES}
        dropped = set(schemes) - SAFE_SCHEMES
    else:
        restricted = [s for s in (schemes or []) if s in SAFE_SCHEMES]
        dropped = set(schemes or []) - SAFE_SCHEMES
    # ftp is in MyST's default; dropping it is policy, not the site's mistake.
    if dropped - {"ftp"}:
        warn(
            f"conf.py: myst_url_schemes {sorted(dropped)} removed: links may only use "
            "http, https or mailto",
            Subtype.unsafe,
            location=None,
        )
    config.myst_url_schemes = restricted or sorted(SAFE_SCHEMES)


def setup_security(app: Sphinx) -> None:
    """Register the guards; must run after ``myst_parser`` is set up."""
    app.connect("config-inited", _restrict_site_config, priority=450)
    app.add_source_parser(GuardedMystParser, override=True)
    app.add_source_parser(GuardedRSTParser, override=True)
    for name in DISABLED_DIRECTIVES:
        app.add_directive(name, DisabledDirective, override=True)
    app.add_directive("literalinclude", ConfinedLiteralInclude, override=True)
    app.add_directive("csv-table", NoFileCSVTable, override=True)
    app.add_transform(SanitizeDoctree)
    app.connect("env-before-read-docs", _check_encodings)
    # Late, after other extensions fill placeholders on doctree-resolved.
    app.connect("doctree-resolved", _check_resolved, priority=900)
    # After sphinx-book-theme (500) has put its plain-text titles in the context.
    app.connect("html-page-context", _escape_context, priority=900)
