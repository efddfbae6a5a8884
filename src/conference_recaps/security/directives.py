"""Directive overrides: ``raw`` and ``include`` disabled, ``literalinclude`` and
``csv-table`` held to the files of the page and the repository."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.directives.code import LiteralInclude
from sphinx.directives.patches import CSVTable
from sphinx.util.docutils import SphinxDirective

from conference_recaps.diagnostics import Subtype, warn
from conference_recaps.paths import access_problem
from conference_recaps.security.urls import shorten

if TYPE_CHECKING:
    from sphinx.application import Sphinx

DISABLED_DIRECTIVES = {
    "raw": "it passes HTML straight into the page; use Markdown or a directive",
    "include": "it inserts other files into the page; copy the text into the page, "
    "or use literalinclude for a file inside the repository",
}


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
    """``literalinclude`` that reads only files inside the repository.

    Both files it may open are checked: the argument, resolved against the page, and
    ``:diff:``, which Sphinx opens as written (relative to the working folder).
    """

    def run(self) -> list[nodes.Node]:
        files: list[tuple[str, str | Path]] = []
        if self.arguments:
            files.append((self.arguments[0], self.env.relfn2path(self.arguments[0])[1]))
        if self.options.get("diff"):
            files.append((self.options["diff"], Path(self.options["diff"]).absolute()))
        for written, path in files:
            problem = access_problem(path, self.env.srcdir)
            if problem is not None:
                warn(
                    f"literalinclude of {shorten(written)} refused: the file "
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


def setup_directive_overrides(app: Sphinx) -> None:
    """Put the guarded directives in place of Sphinx's and docutils' own."""
    for name in DISABLED_DIRECTIVES:
        app.add_directive(name, DisabledDirective, override=True)
    app.add_directive("literalinclude", ConfinedLiteralInclude, override=True)
    app.add_directive("csv-table", NoFileCSVTable, override=True)
