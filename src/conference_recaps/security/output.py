"""The output check: defence in depth after everything is written.

Every rule before this one works on what a contributor wrote. This one reads what
the build wrote: every HTML page, feed and sitemap (XML), JSON file, generated script,
SVG, copied image and download, and fails the build on anything only the site itself
may put there that is not on the site's own list (``security/own.py``):

- ``<script>`` elements whose source or inline code is not the site's own, and data
  blocks (JSON-LD) that are not JSON;
- event-handler attributes (``onclick=``...) not on the list;
- ``javascript:``, ``vbscript:`` and ``data:`` (other than raster images) URLs in any
  URL attribute, and in the URL fields of feeds, sitemaps and JSON;
- ``<iframe>``, ``<object>``, ``<embed>``, ``<base>``, frames, forms that do not go to
  the search page, ``<meta http-equiv>`` other than the listed ones;
- ``url(`` and ``expression(`` in ``style`` attributes;
- HTML carried by feeds (Atom ``type="html"``, RSS ``<description>``) is checked as
  HTML with no script at all;
- active file types: script files outside the script folders, images that are not
  raster images (by name and by their first bytes), downloads of a type not in
  :data:`~conference_recaps.paths.DOWNLOAD_TYPES`, SVG with script, XHTML, XSLT, Flash.

Each problem is reported with the output file and, for a page built from a source
file, that file and the line where the offending text is; then the build stops with
an error, so a hole anywhere upstream fails loudly instead of being published.

HTML is parsed with lxml (libxml2's HTML parser): fast enough for every page of every
build, and it reads markup the way a browser does for everything that matters here.
Files that passed are remembered by size and modification time (next to the
doctrees), so a rebuild checks only what it rewrote.
"""

from __future__ import annotations

import json
import pickle
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import lxml.etree
from sphinx.errors import SphinxError

from conference_recaps.diagnostics import Subtype, warn
from conference_recaps.discovery.outputs import walk_files
from conference_recaps.forks import can_fork, chunked, collector_paused, run_chunks
from conference_recaps.paths import DOWNLOAD_TYPES, IMAGE_TYPES
from conference_recaps.security import own
from conference_recaps.security.urls import url_scheme

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from sphinx.application import Sphinx

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
        "cite",
        "longdesc",
        "lowsrc",
        "dynsrc",
        "ping",
        "srcset",
        "imagesrcset",
        "manifest",
        "codebase",
        "archive",
        "icon",
        "profile",
        "usemap",
    }
)
FORBIDDEN_ELEMENTS = frozenset(
    {"iframe", "object", "embed", "base", "frame", "frameset", "applet", "portal"}
)
ACTIVE_TYPES = frozenset(
    {".htm", ".xhtml", ".shtml", ".xht", ".xsl", ".xslt", ".swf", ".mjs", ".svgz", ".wasm"}
)
"""File types that can run script and are never written by the site (outside Pagefind)."""
JS_TYPES = frozenset({"", "text/javascript", "application/javascript", "module"})
_DATA_IMAGE = re.compile(r"^\s*data:image/(?:png|jpeg|gif|webp|avif)[;,]", re.IGNORECASE)
_STRING = re.compile(r""""(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`""", re.DOTALL)
_URL_KEY = re.compile(r"(?:url|href|src|@id|image|sameas|link|logo)$", re.IGNORECASE)
_HTML_START = re.compile(r"<\s*[a-zA-Z!/?]")
_OPTIONS_JS = re.compile(r"const DOCUMENTATION_OPTIONS = \{[\w\s:,.''\[\]-]*\};?")
_SEARCH_INDEX = re.compile(r"^Search\.setIndex\((.*)\);?\s*$", re.DOTALL)
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", 0),
    (b"\xff\xd8\xff", 0),
    (b"GIF87a", 0),
    (b"GIF89a", 0),
    (b"WEBP", 8),
    (b"ftypavif", 4),
    (b"ftypavis", 4),
)

_HTML_PARSER = lxml.etree.HTMLParser(no_network=True, huge_tree=True)


@dataclass(frozen=True)
class Hit:
    """One thing in the output that only the site may put there, and is not its own."""

    what: str
    evidence: str = ""
    """Text of the offending markup, used to find its line in the source file."""


@dataclass(frozen=True)
class SiteOwn:
    """The site's own list, completed with what this build registered."""

    script_files: frozenset[str]
    script_urls: frozenset[str]
    inline_scripts: frozenset[str]

    @classmethod
    def of(cls, app: Sphinx) -> SiteOwn:
        builder: Any = app.builder
        files = set(own.SCRIPT_FILES)
        urls = set()
        bodies = set(own.INLINE_SCRIPTS)
        registered = [*getattr(builder, "_js_files", []), *getattr(builder, "script_files", [])]
        for js in registered:
            filename = getattr(js, "filename", js)
            body = getattr(js, "attributes", {}).get("body") if hasattr(js, "attributes") else None
            if body:
                bodies.add(script_shape(body))
            if isinstance(filename, str) and filename:
                if "://" in filename or filename.startswith("//"):
                    urls.add(filename)
                else:
                    files.add(posixpath.normpath("_static/" + filename.split("?")[0]))
        for name, value in app.registry.js_files:
            if name and "://" not in name:
                files.add(posixpath.normpath("_static/" + name.split("?")[0]))
            elif name:
                urls.add(name)
            if value.get("body"):
                bodies.add(script_shape(value["body"]))
        config = app.config
        if config.mathjax_path:
            urls.add(config.mathjax_path.split("?")[0])
        for key in ("mathjax3_config", "mathjax4_config"):
            mathjax = getattr(config, key, None) if key in config else None
            if mathjax:
                bodies.add(script_shape(f"window.MathJax = {json.dumps(mathjax)}"))
        return cls(frozenset(files), frozenset(urls), frozenset(bodies))


def script_shape(code: str) -> str:
    """``code`` with string literals emptied and whitespace collapsed."""

    def empty(match: re.Match[str]) -> str:
        return match.group(0)[0] * 2

    return " ".join(_STRING.sub(empty, code).split())


def dangerous_url(value: str) -> bool:
    """Whether a browser would run ``value`` as script or a document: not an address."""
    scheme = url_scheme(value)
    if scheme in {"javascript", "vbscript", "livescript", "mocha"}:
        return True
    return scheme == "data" and not _DATA_IMAGE.match(value)


# --- HTML ----------------------------------------------------------------------------------


def html_hits(text: str, page: str, site: SiteOwn | None) -> list[Hit]:
    """What in the HTML ``text`` (the page at site path ``page``) is not the site's own.

    ``site`` is ``None`` for HTML carried inside a feed: no script at all is allowed.
    """
    if not text.strip():
        return []
    # lxml.etree's HTML parser, without lxml.html's element classes: twice as fast.
    root = lxml.etree.fromstring(text, _HTML_PARSER)
    if root is None:
        return []
    return list(_element_hits(root, page, site))


def _plainly_relative(text: str) -> bool:
    """A URL that plainly has no scheme (so no need to read it as a browser would)."""
    head = text.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    return text.isascii() and ":" not in head and "&" not in head and head.strip() == head


def _element_hits(root: Any, page: str, site: SiteOwn | None) -> Iterator[Hit]:
    for element in root.iter():
        tag = element.tag
        if not isinstance(tag, str):
            continue  # comments and processing instructions
        name = tag.lower()
        if name in FORBIDDEN_ELEMENTS:
            yield Hit(f"an <{name}> element", _markup(element))
        elif name == "script":
            yield from _script_hits(element, page, site)
        elif name == "form" and not _is_search_form(element.get("action", "")):
            yield Hit(f"a <form> sending to {element.get('action', '')[:80]!r}", _markup(element))
        elif name == "meta" and element.get("http-equiv") is not None:
            yield from _meta_hits(element)
        if element.attrib:
            yield from _attribute_hits(name, element.attrib)


def _attribute_hits(name: str, attributes: Any) -> Iterator[Hit]:
    for key, text in attributes.items():
        if key in URL_ATTRIBUTES or "href" in key:
            if text.startswith(("https://", "http://")) or _plainly_relative(text):
                continue
            urls = [text]
            if "srcset" in key:
                urls = [part.strip().split(" ")[0] for part in text.split(",")]
            if any(dangerous_url(url) for url in urls):
                yield Hit(f"a script or document URL <{name} {key}={text[:80]!r}>", text)
        elif key.startswith("on"):
            if (key, text) not in own.HANDLERS:
                yield Hit(f"an event handler <{name} {key}={text[:80]!r}>", text)
        elif key == "style" and _BAD_STYLE.search(text):
            yield Hit(f"url( or expression( in a style attribute: {text[:80]!r}", text)


_BAD_STYLE = re.compile(r"url\s*\(|expression\s*\(|javascript:", re.IGNORECASE)


def _markup(element: Any) -> str:
    attributes = " ".join(f'{k}="{v}"' for k, v in element.attrib.items())
    return f"<{element.tag} {attributes}".strip()[:200]


def _script_hits(element: Any, page: str, site: SiteOwn | None) -> Iterator[Hit]:
    kind = (element.get("type") or "").strip().lower()
    code = element.text or ""
    if kind in own.DATA_SCRIPT_TYPES:
        try:
            data = json.loads(code)
        except ValueError:
            yield Hit(f"a <script type={kind!r}> block that is not JSON", code[:200])
            return
        yield from json_hits(data)
        return
    if kind not in JS_TYPES:
        yield Hit(f"a <script type={kind!r}> that is not on the site's list", code[:200])
        return
    src = element.get("src")
    if site is None:
        yield Hit("a <script> element", src or code[:200])
    elif src is not None:
        if not _is_own_script(src, page, site):
            yield Hit(f"a <script> loading {src[:120]!r}, which is not one of the site's", src)
    elif script_shape(code) not in site.inline_scripts:
        yield Hit(f"an inline <script> that is not one of the site's: {code.strip()[:80]!r}", code)


def _is_own_script(src: str, page: str, site: SiteOwn) -> bool:
    address = re.split(r"[?#]", src.strip(), maxsplit=1)[0]
    if address in site.script_urls:
        return True
    if url_scheme(address) is not None or address.startswith("//"):
        return False
    if address.startswith("/"):
        # Absolute paths (the 404 page) start with the site's prefix, e.g. /en/latest/.
        return any(address.endswith("/" + path) for path in site.script_files)
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(page), address))
    return resolved in site.script_files


def _is_search_form(action: str) -> bool:
    action = action.strip()
    return action in own.FORM_ACTIONS or (
        url_scheme(action) is None
        and not action.startswith("//")
        and action.split("?")[0].endswith(own.FORM_ACTIONS[1:])
    )


def _meta_hits(element: Any) -> Iterator[Hit]:
    equiv = element.get("http-equiv", "").strip().lower()
    content = element.get("content", "")
    if equiv not in own.HTTP_EQUIV:
        yield Hit(f"a <meta http-equiv={equiv[:40]!r}>", content)
    elif equiv == "refresh":
        target = content.partition("=")[2].strip().strip("'\"") if "=" in content else ""
        if target and (url_scheme(target) is not None or target.startswith(("//", "\\"))):
            yield Hit(f"a <meta http-equiv=refresh> to {target[:80]!r}, outside the site", target)


# --- JSON, XML, scripts, files ---------------------------------------------------------------


def json_hits(data: Any, key: str = "") -> Iterator[Hit]:
    """Script or document URLs in the URL fields of JSON data."""
    if isinstance(data, dict):
        for name, value in data.items():
            yield from json_hits(value, str(name))
    elif isinstance(data, list):
        for value in data:
            yield from json_hits(value, key)
    elif isinstance(data, str) and _URL_KEY.search(key):
        yield from _url_hits(key, data)


def _url_hits(key: str, value: str) -> Iterator[Hit]:
    if dangerous_url(value):
        yield Hit(f"a script or document URL in the JSON field {key!r}: {value[:80]!r}", value)


def json_text_hits(text: str | bytes) -> list[Hit]:
    """:func:`json_hits` of a JSON document, checked while it is parsed: only the values
    of URL fields are looked at, and no object is built (``api/catalogue.json`` is 29 MB
    at pyvideo.org's scale, and walking its parsed data took twice as long).

    Raises ``ValueError`` when the text is not JSON.
    """
    hits: list[Hit] = []
    url_key: dict[str, bool] = {}

    def under(key: str, value: Any) -> None:
        # A string, or strings in lists, under a URL field; an object has its own pairs.
        if isinstance(value, str):
            hits.extend(_url_hits(key, value))
        elif isinstance(value, list):
            for item in value:
                under(key, item)

    def pairs(items: list[tuple[str, Any]]) -> None:
        for key, value in items:
            is_url = url_key.get(key)
            if is_url is None:
                is_url = url_key[key] = bool(_URL_KEY.search(key))
            if is_url:
                under(key, value)

    json.loads(text, object_pairs_hook=pairs)
    return hits


_HTML_FIELDS = frozenset({"content", "summary", "title", "subtitle", "rights"})
_RSS_HTML = frozenset({"description", "{http://purl.org/rss/1.0/modules/content/}encoded"})
_URL_TEXT = frozenset({"link", "loc", "guid", "id", "url", "uri", "icon", "logo", "comments"})
_XML_PARSER = lxml.etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True
)


def xml_hits(data: bytes, *, svg: bool = False) -> list[Hit]:
    """What in a feed, sitemap or SVG could run script when a reader opens it."""
    try:
        root = lxml.etree.fromstring(data, _XML_PARSER)
    except lxml.etree.XMLSyntaxError as error:
        return [Hit(f"the file is not well-formed XML ({error})")]
    hits = []
    if root.getroottree().docinfo.internalDTD is not None:
        hits.append(Hit("a DOCTYPE with an internal subset (entities)"))
    for node in (*root.itersiblings(preceding=True), *root.itersiblings(), *root.iter()):
        if isinstance(node, lxml.etree._ProcessingInstruction):
            hits.append(Hit(f"a processing instruction <?{node.target}>", str(node)))
        elif isinstance(node.tag, str):
            hits += _xml_element_hits(node, svg=svg)
    return hits


def _xml_element_hits(element: Any, *, svg: bool) -> list[Hit]:
    hits = []
    local = element.tag.rsplit("}", 1)[-1]
    if local.lower() in {"script", "foreignobject", *FORBIDDEN_ELEMENTS}:
        hits.append(Hit(f"a <{local}> element", _markup(element)))
    for attribute, value in element.attrib.items():
        name = str(attribute).rsplit("}", 1)[-1].lower()
        if name.startswith("on"):
            hits.append(Hit(f"an event handler <{local} {name}=...>", str(value)))
        elif name in URL_ATTRIBUTES and dangerous_url(str(value)):
            hits.append(Hit(f"a script or document URL <{local} {name}=...>", str(value)))
    text = element.text or ""
    if svg:
        return hits
    if local in _URL_TEXT and dangerous_url(text):
        hits.append(Hit(f"a script or document URL in <{local}>: {text[:80]!r}", text))
    carries_html = (local in _HTML_FIELDS and element.get("type") == "html") or (
        element.tag in _RSS_HTML
    )
    if carries_html and _HTML_START.search(text):
        hits += html_hits(f"<body>{text}</body>", "", None)
    return hits


def js_hits(relpath: str, text: str) -> list[Hit]:
    """What in a script the build generated is not the shape Sphinx writes."""
    name = posixpath.basename(relpath)
    if name == "documentation_options.js":
        if not _OPTIONS_JS.fullmatch(" ".join(script_shape(text).split())):
            return [Hit("documentation_options.js holds more than the options object", text[:200])]
    elif name == "searchindex.js":
        match = _SEARCH_INDEX.match(text)
        if match is None:
            return [Hit("searchindex.js is not one Search.setIndex(...) call", text[:200])]
        try:
            return json_text_hits(match.group(1))
        except ValueError:
            return [Hit("searchindex.js does not hold JSON")]
    return []


def image_hits(data: bytes) -> list[Hit]:
    """Whether ``data`` is a raster image by its first bytes (not HTML or SVG renamed)."""
    if any(data[offset : offset + len(magic)] == magic for magic, offset in _MAGIC):
        return []
    return [
        Hit("a file that is not a PNG, JPEG, GIF, WebP or AVIF image", data[:80].decode("latin-1"))
    ]


def file_hits(path: Path, relpath: str, site: SiteOwn) -> list[Hit]:
    """Everything in the written file at ``relpath`` that only the site may put there."""
    suffix = posixpath.splitext(relpath)[1].lower()
    if relpath.startswith((own.IMAGE_FOLDER, own.DOWNLOAD_FOLDER)):
        return _copied_file_hits(path, relpath, suffix)
    if suffix == ".html":
        if relpath in own.NOT_PAGES:
            return []
        return html_hits(path.read_text(encoding="utf-8", errors="replace"), relpath, site)
    if suffix in {".xml", ".rss", ".atom", ".svg"}:
        return xml_hits(path.read_bytes(), svg=suffix == ".svg")
    if suffix == ".json":
        try:
            return json_text_hits(path.read_bytes())
        except ValueError:
            return [Hit("the file is not JSON")]
    if suffix == ".js":
        if not relpath.startswith(own.SCRIPT_FOLDERS) and relpath != "searchindex.js":
            return [Hit("a script file outside the site's script folders")]
        return js_hits(relpath, path.read_text(encoding="utf-8", errors="replace"))
    if suffix in ACTIVE_TYPES and not (relpath.startswith("pagefind/") and suffix == ".wasm"):
        return [Hit(f"a file of type {suffix!r}, which browsers may run")]
    return []


def _copied_file_hits(path: Path, relpath: str, suffix: str) -> list[Hit]:
    """An image or download Sphinx copied: a passive type, and an image by its bytes."""
    if relpath.startswith(own.IMAGE_FOLDER):
        if suffix not in IMAGE_TYPES:
            return [Hit(f"an image of type {suffix!r}, which browsers may run as a document")]
        return image_hits(path.read_bytes()[:64])
    if suffix not in DOWNLOAD_TYPES:
        return [Hit(f"a download of type {suffix!r}, which browsers may run as a document")]
    return image_hits(path.read_bytes()[:64]) if suffix in IMAGE_TYPES else []


# --- The build step --------------------------------------------------------------------------


class OutputCheckError(SphinxError):
    """The written site holds something only the site itself may put there."""

    category = "Output check failed"


def _sources(app: Sphinx) -> dict[str, str]:
    """Output file (site path) -> the docname it was built from."""
    builder: Any = app.builder
    outdir = Path(app.outdir)
    found = {}
    if hasattr(builder, "get_outfilename"):
        for docname in app.env.found_docs:
            out = Path(builder.get_outfilename(docname))
            found[out.relative_to(outdir).as_posix() if out.is_absolute() else out.as_posix()] = (
                docname
            )
    return found


def _line_of(app: Sphinx, docname: str, evidence: str) -> int | None:
    """The line of the source file where a piece of the offending text is, if any."""
    if not evidence.strip():
        return None
    try:
        text = app.env.doc2path(docname).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    for probe in (evidence.strip()[:40], evidence.strip()[:12]):
        index = text.find(probe) if probe else -1
        if index >= 0:
            return text.count("\n", 0, index) + 1
    return None


def _cache_path(app: Sphinx) -> Path:
    return Path(app.doctreedir) / f"recaps-output-check.{app.builder.name}.pickle"


#: Below this many files, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 2000


def _all_hits(
    files: list[tuple[Path, str, tuple[int, int]]], site: SiteOwn, workers: int
) -> list[list[Hit]]:
    """The hits of each file, in order; a full build's files are shared among forked workers.

    Parsing every page of a 37,000-page site is minutes of CPU (the profile in
    docs/architecture.md); with ``-j N`` it is split with Sphinx's ``ParallelTasks``, as
    ``pages/generate.py`` splits writing.
    """
    pairs = [(path, relpath) for path, relpath, _ in files]

    def check(chunk: Sequence[tuple[Path, str]]) -> list[list[Hit]]:
        return [file_hits(path, relpath, site) for path, relpath in chunk]

    if not can_fork(workers, len(pairs), PARALLEL_THRESHOLD):
        return check(pairs)
    parts = chunked(pairs, workers * 8)
    # Results come back in the order workers finish; each chunk is known by its first file.
    position = {part[0][1]: index for index, part in enumerate(parts)}
    results: dict[int, list[list[Hit]]] = {}

    def collect(chunk: Sequence[tuple[Path, str]], hits: list[list[Hit]]) -> None:
        results[position[chunk[0][1]]] = hits

    run_chunks(check, parts, workers, collect)
    return [hits for index in range(len(parts)) for hits in results[index]]


def check_output(app: Sphinx, exception: BaseException | None) -> None:
    """Check every file the build wrote; report each problem and stop the build."""
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    site = SiteOwn.of(app)
    cache_file = _cache_path(app)
    try:
        with collector_paused():
            passed: dict[str, tuple[int, int]] = pickle.loads(cache_file.read_bytes())
    except (OSError, ValueError, pickle.UnpicklingError, EOFError):
        passed = {}
    now_passed = {}
    failures: list[tuple[str, Hit]] = []
    unchecked: list[tuple[Path, str, tuple[int, int]]] = []
    for relpath, path, size, mtime in walk_files(outdir, hidden=False, follow_file_links=True):
        stamp = (size, mtime)
        if passed.get(relpath) == stamp:
            now_passed[relpath] = stamp
        else:
            unchecked.append((Path(path), relpath, stamp))
    for (_, relpath, stamp), hits in zip(
        unchecked, _all_hits(unchecked, site, app.parallel), strict=True
    ):
        if hits:
            failures += [(relpath, hit) for hit in hits]
        else:
            now_passed[relpath] = stamp
    if failures:
        sources = _sources(app)
        for relpath, hit in failures:
            docname = sources.get(relpath)
            location: tuple[str, int | None] | None = None
            if docname is not None:
                location = (docname, _line_of(app, docname, hit.evidence))
            warn(
                f"the output check refused {relpath}: it holds {hit.what}, which only the "
                "site itself may put there; remove it from the source (see docs/security.md)",
                Subtype.output,
                location=location,
            )
        cache_file.unlink(missing_ok=True)
        files = sorted({relpath for relpath, _ in failures})
        first = "; ".join(f"{relpath}: {hit.what}" for relpath, hit in failures[:3])
        raise OutputCheckError(
            f"{len(failures)} problem(s) in {len(files)} written file(s), each reported "
            f"above, the first: {first}. The site must not be published"
        )
    cache_file.parent.mkdir(parents=True, exist_ok=True)
    cache_file.write_bytes(pickle.dumps(now_passed))


def setup_output_check(app: Sphinx) -> None:
    """Check the written site once everything else has written its files."""
    # Last of all build-finished handlers: feeds, sitemap, the search index and the
    # reproducibility pass (priorities up to 900) have written by then.
    app.connect("build-finished", check_output, priority=990)
