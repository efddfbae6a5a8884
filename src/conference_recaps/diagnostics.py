"""The warning taxonomy: every problem the site reports, one subtype each.

A problem is one line, ``path:line: WARNING: what is wrong and how to fix it
[recaps.<subtype>]``. The build goes on after it (it is fatal only under ``-W``), and
any subtype can be silenced in ``conf.py``::

    suppress_warnings = ["recaps.grid_empty"]

The same :class:`Problem` objects are printed by ``recaps check`` as
``path:line:col: message``, so the build and the checker never disagree.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sphinx.util import logging

if TYPE_CHECKING:
    from collections.abc import Iterable

    from docutils import nodes

logger = logging.getLogger(__name__)

WARNING_TYPE = "recaps"


class Subtype(enum.Enum):
    """Warning subtypes, each documented: the docs render this list from the code."""

    config = "config"
    """A ``recaps_*`` setting in ``conf.py`` is invalid; the default is used instead."""
    catalogue = "catalogue"
    """The catalogue (``talks.yaml``, ``talks/*.yaml``) breaks a rule of its format."""
    catalogue_ref = "catalogue_ref"
    """A catalogue entry names a conference or speaker that does not exist."""
    catalogue_lint = "catalogue_lint"
    """A catalogue entry is valid but suspicious (an unreferenced speaker, a talk dated
    outside its conference)."""
    tag = "tag"
    """A talk's tag is an alias of a tag of the vocabulary (``tags.yaml``; an error), or is
    not in it (a warning): ``recaps check`` only."""
    front_matter = "front_matter"
    """A recap's front matter is missing a field or has a wrong value."""
    talk_ref = "talk_ref"
    """A ``talk-card``, ``{talk}`` role or grid filter names an unknown talk."""
    speaker_ref = "speaker_ref"
    """A ``{speaker}`` role or grid filter names an unknown speaker."""
    conference_ref = "conference_ref"
    """A grid filter or front matter names an unknown conference."""
    former_id = "former_id"
    """A recap names a talk, speaker or conference by a former id: it links to the entry
    that holds the id now; write the new id."""
    duplicate_speaker = "duplicate_speaker"
    """Two speakers' names differ only by case, accents, punctuation, initials or a title:
    perhaps one person (``recaps speakers duplicates`` says how to merge or keep apart)."""
    removed = "removed"
    """``recaps check --base``: an id that exists at the base is gone, and no
    ``former_ids`` or ``withdrawn`` record says where it went."""
    grid_empty = "grid_empty"
    """A ``talk-grid`` matches no talk."""
    photo = "photo"
    """A ``photo`` lacks its ``alt`` text or ``credit``, or its image file is missing."""
    unsafe = "unsafe"
    """Content that could run script or read files outside the repository was removed."""
    output = "output"
    """The output check found, in a written file, a script, handler, frame or active file
    that only the site itself may put there; the build stops."""
    encoding = "encoding"
    """A page's file is not UTF-8; it is built with the undecodable bytes replaced."""
    option = "option"
    """A directive option has a value it does not accept (e.g. ``talk-grid``'s ``:year:``)."""
    reference = "reference"
    """A generated reference table in ``docs/`` names something unknown, or something in the
    code (an option, a subtype, a setting) has no help text to show."""
    search = "search"
    """The search index (Pagefind) could not be built after the HTML build."""
    assets = "assets"
    """The pruned theme stylesheet was made from other theme versions than the installed
    ones: run ``make theme-css``."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem in a source file, with a 1-based line and column (0 when unknown)."""

    path: str
    line: int
    column: int
    message: str
    subtype: Subtype = Subtype.catalogue
    is_error: bool = True

    def __str__(self) -> str:
        where = self.path
        if self.line:
            where += f":{self.line}"
            if self.column:
                where += f":{self.column}"
        return f"{where}: {self.message}"

    def github_annotation(self) -> str:
        """Format as a GitHub Actions workflow command, shown on the pull request's line."""
        level = "error" if self.is_error else "warning"
        props = [f"file={_escape_property(self.path)}"]
        if self.line:
            props.append(f"line={self.line}")
        if self.column:
            props.append(f"col={self.column}")
        props.append(f"title={_escape_property('recaps.' + self.subtype.value)}")
        return f"::{level} {','.join(props)}::{_escape_data(self.message)}"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def warn(
    message: str,
    subtype: Subtype,
    *,
    location: nodes.Node | str | tuple[str | None, int | None] | None,
) -> None:
    """Log one problem as a Sphinx warning of type ``recaps`` at ``location``."""
    logger.warning(message, type=WARNING_TYPE, subtype=subtype.value, location=location)


def report(problems: Iterable[Problem]) -> None:
    """Log problems found outside a document (in the catalogue) as Sphinx warnings.

    Sphinx locations carry a line only, so the column goes into the message.
    """
    for problem in problems:
        location = f"{problem.path}:{problem.line}" if problem.line else problem.path
        message = problem.message
        if problem.column:
            message += f" (column {problem.column})"
        warn(message, problem.subtype, location=location)
