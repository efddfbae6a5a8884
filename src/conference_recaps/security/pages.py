"""What a page's name, front matter and title may be.

- **Front-matter keys** come from an allowlist (:data:`PAGE_KEYS`): a recap's own
  fields and the few that Sphinx and MyST read. Anything else is dropped with a
  warning at its line, because page metadata reaches the page's ``<head>``:
  sphinxext-opengraph writes any ``og:...`` key there as it is, which made a
  ``<meta http-equiv=refresh>`` and a ``<script>`` out of a front-matter key.
- **Document names** (the file's path without ``.md``) match :data:`DOCNAME`:
  lowercase letters, digits, ``-``, ``_`` and ``/``. A name is printed into the
  theme's inline script, links and ``<link rel=prev>``; a quote, an angle bracket or a
  ``javascript:`` there would break out of them. A page with another name is not
  built, with an error naming the file.
- **Lengths**: a name longer than :data:`MAX_DOCNAME` characters and a title longer
  than :data:`MAX_TITLE` are errors; the title is cut to that length, because it is
  repeated in every page's sidebar and in feeds (a 1 MB title grew the site 27 times).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from docutils import nodes

from conference_recaps.diagnostics import Subtype, warn
from conference_recaps.frontmatter import FIELDS

if TYPE_CHECKING:
    from collections.abc import Mapping

    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

SPHINX_KEYS = frozenset({"myst", "html_meta", "orphan", "tocdepth", "nocomments", "nosearch"})
"""Front-matter keys that MyST-Parser and Sphinx read themselves."""

PAGE_KEYS = frozenset(FIELDS) | SPHINX_KEYS
"""Every front-matter key a page may use: a recap's fields and :data:`SPHINX_KEYS`."""

DOCNAME = re.compile(r"[a-z0-9_-]+(?:/[a-z0-9_-]+)*")
"""The shape of a page's name: lowercase words of letters, digits, ``-`` and ``_``."""

MAX_DOCNAME = 150
"""The longest page name, folders included."""

MAX_TITLE = 300
"""The longest page title, in characters (the longest real talk title has 116)."""


def docname_problem(docname: str) -> str | None:
    """Why ``docname`` may not be a page's name, or ``None``."""
    if len(docname) > MAX_DOCNAME:
        return f"its name is {len(docname)} characters long, more than {MAX_DOCNAME}"
    if not DOCNAME.fullmatch(docname):
        return (
            "its name has characters other than lowercase letters, digits, '-', '_' and "
            "'/' (which are safe in every link and script the name is written into)"
        )
    return None


def _check_names(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """Leave out pages whose names are not safe, with an error naming each file."""
    for docname in list(docnames):
        problem = docname_problem(docname)
        if problem is None:
            continue
        warn(
            f"this page is not built: {problem}; rename the file, e.g. {_suggest(docname)!r}",
            Subtype.unsafe,
            location=(docname, None),
        )
        docnames.remove(docname)
        env.project.docnames.discard(docname)


def _suggest(docname: str) -> str:
    words = [re.sub(r"[^a-z0-9_]+", "-", part.lower()).strip("-") for part in docname.split("/")]
    return "/".join(word[:60] or "page" for word in words)[:MAX_DOCNAME] + ".md"


def front_matter_line(source: str, key: str, parent: str | None = None) -> int:
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


def unknown_keys(topmatter: Mapping[Any, object]) -> list[str]:
    """The front-matter keys not in :data:`PAGE_KEYS`, in their order."""
    return [str(key) for key in topmatter if key not in PAGE_KEYS]


def warn_unknown_keys(topmatter: Mapping[Any, object], source: str, docname: str) -> None:
    """Report each front-matter key outside the allowlist at its line."""
    for key in unknown_keys(topmatter):
        warn(
            f"front matter key {key[:60]!r} ignored: a page may only use "
            f"{', '.join(sorted(PAGE_KEYS))}",
            Subtype.unsafe,
            location=(docname, front_matter_line(source, key)),
        )


def _check_metadata(app: Sphinx, doctree: nodes.document) -> None:
    """Take fields outside the allowlist out of the page's docinfo, before Sphinx reads it.

    The docinfo (front matter, or a reST field list at the top) is what becomes
    ``env.metadata`` and so reaches the page's ``<head>``. The parser has warned about
    front-matter keys at their lines; this is the root check, whatever made the field.
    MyST's own entries (``myst_slugs``) are not fields and stay.
    """
    metadata = app.env.metadata.get(app.env.docname, {})
    for docinfo in list(doctree.findall(nodes.docinfo)):
        for item in list(docinfo.children):
            field = isinstance(item, nodes.field)
            name = item[0].astext() if field else item.__class__.__name__
            if name not in PAGE_KEYS:
                docinfo.remove(item)
                metadata.pop(name, None)  # MyST also adds front matter eagerly


def _check_collected_metadata(app: Sphinx, doctree: nodes.document) -> None:
    """Drop any text-valued metadata key outside the allowlist, however it got there.

    MyST adds front matter to ``env.metadata`` while parsing, also when its field list
    does not become a docinfo. Values an extension sets itself (MyST's ``myst_slugs``)
    are not text and stay.
    """
    metadata = app.env.metadata.get(app.env.docname, {})
    for key in [k for k, v in metadata.items() if k not in PAGE_KEYS and isinstance(v, str)]:
        del metadata[key]


def _bound_titles(app: Sphinx, doctree: nodes.document) -> None:
    """Cut every heading longer than :data:`MAX_TITLE`, before Sphinx collects titles."""
    docname = app.env.docname
    for title in doctree.findall(nodes.title):
        text = title.astext()
        if len(text) <= MAX_TITLE:
            continue
        warn(
            f"the title is {len(text)} characters long, more than {MAX_TITLE}; it is cut "
            "there: shorten it (a page's title is shown in every page's sidebar and in feeds)",
            Subtype.unsafe,
            location=title if title.line else (docname, None),
        )
        short = text[: MAX_TITLE - 1] + "\u2026"
        title[:] = [nodes.Text(short)]
        section = title.parent
        if isinstance(section, nodes.section):
            # The anchor made from the heading would still carry the whole text, twice.
            section["ids"] = [ident[:MAX_TITLE] for ident in section["ids"]]


def setup_page_rules(app: Sphinx) -> None:
    """Check page names before reading, and metadata and titles once collected."""
    app.connect("env-before-read-docs", _check_names, priority=390)
    # Before Sphinx's title and table-of-contents collectors (500), which copy titles.
    app.connect("doctree-read", _bound_titles, priority=450)
    # Before Sphinx's metadata collector (500) reads the docinfo.
    app.connect("doctree-read", _check_metadata, priority=450)
    app.connect("doctree-read", _check_collected_metadata, priority=600)
