"""A recap's front matter: the YAML block between ``---`` lines at the top of the post.

::

    ---
    title: DjangoCon US 2019 in review
    date: 2019-10-28
    authors: [Jane Contributor]
    conference: djangocon-us-2019
    kind: blog
    sources:
      - title: DjangoCon US 2019 Recap
        url: https://example.org/original-post
        author: Katherine Michel
    tags: [async, community]
    description: One sentence for feeds and link previews.
    ---

It is read by the same positioned YAML reader as the catalogue, with the same rules
(values are the text they look like; dates are ``YYYY-MM-DD``; URLs are http or https),
and every problem names the line of the file. Keys that MyST or Sphinx read themselves
(``myst``, ``html_meta``, ``orphan``, ``tocdepth`` ...) are left to them.
"""

from __future__ import annotations

import datetime  # at runtime: typing.get_type_hints(RecapMeta) resolves it (docs)
import enum
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from conference_recaps.catalogue.model import Withdrawal  # at runtime: docs resolve it
from conference_recaps.catalogue.reader import INVALID, Reader, suggest
from conference_recaps.catalogue.schema import FieldType
from conference_recaps.catalogue.yamltree import MapNode, ScalarNode, SeqNode, parse_yaml
from conference_recaps.diagnostics import Problem, Subtype

if TYPE_CHECKING:
    from conference_recaps.catalogue.model import Catalogue


class RecapKind(enum.StrEnum):
    """What a recap is."""

    blog = "blog"
    podcast = "podcast"
    notes = "notes"


@dataclass(frozen=True, slots=True)
class Source:
    """An original a recap draws on: a post, an episode, a set of notes."""

    title: str
    url: str | None = None
    author: str | None = None
    #: When the original came out, as precisely as it says: ``2016``, ``2016-11`` or
    #: ``2016-11-18``. A recap without a conference is filed under this year.
    published: str | None = None

    @property
    def year(self) -> int | None:
        return int(self.published[:4]) if self.published else None


@dataclass(frozen=True, slots=True)
class RecapMeta:
    """A recap's validated front matter."""

    title: str
    """The recap's title (also its page title in feeds and link previews)."""
    date: datetime.date
    """The day it was published, ``YYYY-MM-DD``."""
    authors: tuple[str, ...]
    """Who wrote the recap, e.g. ``[Jane Contributor]``."""
    conference: str | None = None
    """The catalogue id of the conference it covers; none for a recap tied to no conference."""
    kind: RecapKind = RecapKind.blog
    """``blog``, ``podcast`` or ``notes`` (default ``blog``)."""
    sources: tuple[Source, ...] = ()
    """The originals it draws on, each with ``title`` and optional ``url``, ``author`` and
    ``published`` (``2016``, ``2016-11`` or ``2016-11-18``)."""
    tags: tuple[str, ...] = field(default=())
    """Topics, as slugs, e.g. ``[async, community]``."""
    description: str | None = None
    """A one or two sentence summary for feeds and link previews."""
    withdrawn: Withdrawal | None = field(default=None, metadata={"type": "reason and date"})
    """Taken down: ``{reason: speaker-request, date: 2026-12-01}`` (reason
    ``speaker-request``, ``legal`` or ``duplicate``). The post leaves every listing, feed
    and index, and its URL shows a short notice instead of its text."""


def filed_year(meta: Any, catalogue: Catalogue) -> int | None:
    """The year a recap is filed under: of what it recaps, not of the day it was added.

    Its conference's year; for a recap with no conference, the year its first dated
    source came out; failing both, the year of its own date.
    """
    conference = catalogue.conferences.get(getattr(meta, "conference", None) or "")
    if conference is not None:
        return conference.year
    for source in getattr(meta, "sources", None) or ():
        if year := getattr(source, "year", None):
            return int(year)
    date = getattr(meta, "date", None)
    return date.year if isinstance(date, datetime.date) else None


FIELDS = (
    "title",
    "date",
    "authors",
    "conference",
    "kind",
    "sources",
    "tags",
    "description",
    "withdrawn",
)
REQUIRED = ("title", "date", "authors")
SOURCE_FIELDS = ("title", "url", "author", "published")
_PUBLISHED = re.compile(r"^[12][0-9]{3}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12][0-9]|3[01]))?)?$")
#: Keys MyST-Parser and Sphinx read from front matter themselves.
FOREIGN_KEYS = frozenset(
    {
        "myst",
        "html_meta",
        "orphan",
        "tocdepth",
        "nocomments",
        "nosearch",
        "substitutions",
        "jupytext",
        "kernelspec",
    }
)
_FOREIGN_PREFIXES = ("html_theme.", "og:", "sphinx_")
_FENCE = re.compile(r"^---[ \t]*$")
_END = re.compile(r"^(?:---|\.\.\.)[ \t]*$")


def _is_foreign(key: str) -> bool:
    return key in FOREIGN_KEYS or key.startswith(_FOREIGN_PREFIXES)


def split_front_matter(text: str) -> tuple[str, int] | None:
    """The YAML between the opening and closing ``---`` and the number of lines it spans.

    ``None`` if the text does not open with ``---``; raises :class:`ValueError` if the
    block is never closed.
    """
    lines = text.removeprefix("\ufeff").splitlines()
    if not lines or not _FENCE.match(lines[0]):
        return None
    for index in range(1, len(lines)):
        if _END.match(lines[index]):
            return "\n".join(lines[1:index]) + "\n", index - 1
    raise ValueError


def read_front_matter(
    path: str, text: str, catalogue: Catalogue
) -> tuple[RecapMeta | None, list[Problem]]:
    """Validate the front matter of the recap at ``path`` (site-relative) whose text is given.

    Returns ``None`` for the metadata when a required field is missing or wrong; a wrong
    optional field is reported and left out.
    """
    reader = Reader(path, Subtype.front_matter)
    try:
        block = split_front_matter(text)
    except ValueError:
        reader.error((1, 1), "the front matter is not closed; end it with a line '---'")
        return None, reader.problems
    if block is None:
        reader.error(
            (1, 1),
            "a recap starts with front matter between '---' lines giving at least "
            "title, date and authors (run `recaps new` for a scaffold)",
        )
        return None, reader.problems
    yaml_text, _ = block
    node, problems = parse_yaml(yaml_text, path, line_offset=1, subtype=Subtype.front_matter)
    reader.problems.extend(problems)
    if problems:
        return None, reader.problems
    if not isinstance(node, MapNode):
        where = (node.line, node.column) if node is not None else (1, 1)
        reader.error(where, "the front matter must be a mapping of keys, e.g. 'title: ...'")
        return None, reader.problems
    own = MapNode(node.line, node.column)
    for key, value in node.pairs():
        if isinstance(key, ScalarNode) and _is_foreign(key.value):
            continue
        own.items += (key, value)
    found = reader.fields(own, FIELDS, "the front matter")
    values: dict[str, Any] = {}
    for name, (key, value_node) in found.items():
        value = _value(reader, name, value_node, catalogue)
        if value is not INVALID and value is not None:
            values[name] = value
        elif name in REQUIRED and value is None:
            reader.error(key, f"'{name}' is required; give it a value")
    missing = [name for name in REQUIRED if name not in found]
    for name in missing:
        reader.error((node.line, node.column), f"the front matter lacks the required key '{name}'")
    if any(name not in values for name in REQUIRED):
        return None, reader.problems
    if not values["authors"]:
        reader.error(found["authors"][1], "'authors' is empty; name at least one author")
        return None, reader.problems
    return RecapMeta(**values), reader.problems


def _value(reader: Reader, name: str, node: Any, catalogue: Catalogue) -> Any:
    if name in ("title", "description"):
        return reader.text(node, name)
    if name == "date":
        return reader.date(node, name)
    if name == "authors":
        return reader.list_of(node, name, FieldType.text, "Jane Contributor")
    if name == "tags":
        return reader.list_of(node, name, FieldType.slug, "async, community")
    if name == "kind":
        value = reader.choice(node, name, [kind.value for kind in RecapKind])
        return RecapKind(value) if isinstance(value, str) else value
    if name == "withdrawn":
        return reader.withdrawal(node, name)
    if name == "conference":
        value = reader.slug(node, name)
        if not isinstance(value, str) or value in catalogue.conferences:
            return value
        lookup = catalogue.lookup("conference", value)
        if lookup.renamed_to is not None:
            reader.error(
                node,
                f"conference '{value}' was renamed to '{lookup.renamed_to}' (it is a former "
                f"id); write '{lookup.renamed_to}'",
                Subtype.former_id,
                is_error=False,
            )
            return lookup.renamed_to
        if lookup.withdrawn is None:
            hint = suggest(value, catalogue.conferences)
            reader.error(
                node,
                f"unknown conference '{value}'{hint}; use the id of a conference in the "
                "catalogue (talks.yaml), or remove the key",
                Subtype.conference_ref,
            )
        return value
    return _sources(reader, node)


def _sources(reader: Reader, node: Any) -> Any:
    if isinstance(node, ScalarNode) and node.is_null:
        return None
    if not isinstance(node, SeqNode):
        reader.error(node, "'sources' must be a list of '- title: ...' entries")
        return INVALID
    sources = []
    for item in node.items:
        if not isinstance(item, MapNode):
            reader.error(item, "each source must be a mapping with 'title' and optional 'url'")
            continue
        found = reader.fields(item, SOURCE_FIELDS, "a source")
        values = {}
        for name, (_key, value_node) in found.items():
            value = reader.url(value_node, name) if name == "url" else reader.text(value_node, name)
            if name == "published" and isinstance(value, str) and not _PUBLISHED.match(value):
                reader.error(
                    value_node,
                    f"'published' {value!r} is not a date: write the year (2016), the "
                    "month (2016-11) or the day (2016-11-18) the original came out",
                )
                value = INVALID
            if value is not INVALID and value is not None:
                values[name] = value
        if "title" not in found:
            reader.error(item, "a source lacks the required key 'title'")
        elif "title" in values:
            sources.append(Source(**values))
    return tuple(sources)
