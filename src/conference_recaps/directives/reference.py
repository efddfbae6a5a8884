"""``recaps-options``: the reference of a directive, rendered from its class.

Used in ``docs/directives.md``::

    :::{recaps-options} talk-grid
    :::

It lists the directive's argument, body and every option with the help text the class
declares, so the reference cannot drift from the code.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes

from conference_recaps.diagnostics import Subtype
from conference_recaps.directives.base import RecapsDirective, inline_nodes
from conference_recaps.directives.photos import Photo, PhotoCreditsPage
from conference_recaps.directives.talks import TalkCard, TalkGrid

if TYPE_CHECKING:
    from docutils.nodes import Node
    from sphinx.application import Sphinx

DOCUMENTED: dict[str, type[RecapsDirective]] = {
    "talk-card": TalkCard,
    "talk-grid": TalkGrid,
    "photo": Photo,
    "photo-credits": PhotoCreditsPage,
}


def _row(*cells: list[Node]) -> nodes.row:
    row = nodes.row()
    for cell in cells:
        row += nodes.entry("", nodes.paragraph("", "", *cell))
    return row


class DirectiveOptions(RecapsDirective):
    """The argument, body and options of one of the site's directives, as a table."""

    required_arguments = 1

    def run(self) -> list[Node]:
        name = self.arguments[0].strip()
        directive = DOCUMENTED.get(name)
        if directive is None:
            self.warn(
                f"recaps-options: unknown directive {name!r}; use one of " + ", ".join(DOCUMENTED),
                Subtype.option,
            )
            return []
        rows = []
        if directive.argument_help:
            rows.append(
                _row([nodes.emphasis("", "argument")], inline_nodes(directive.argument_help))
            )
        if directive.content_help:
            rows.append(_row([nodes.emphasis("", "body")], inline_nodes(directive.content_help)))
        for option in directive.option_spec or {}:
            help_text = directive.option_help.get(option)
            if help_text is None:
                self.warn(
                    f"recaps-options: {name}'s :{option}: option has no help text; add it "
                    f"to {directive.__name__}.option_help",
                    Subtype.option,
                )
                help_text = ""
            rows.append(_row([nodes.literal("", f":{option}:")], inline_nodes(help_text)))
        if not rows:
            return [nodes.paragraph("", "No argument, body or options.")]
        table = nodes.table(classes=["recaps-options"])
        group = nodes.tgroup(cols=2)
        group += nodes.colspec(colwidth=1)
        group += nodes.colspec(colwidth=3)
        head = nodes.thead()
        head += _row([nodes.Text("Option")], [nodes.Text("Meaning")])
        group += head
        body = nodes.tbody()
        body.extend(rows)
        group += body
        table += group
        self.set_source_info(table)
        return [table]


def setup_reference(app: Sphinx) -> None:
    app.add_directive("recaps-options", DirectiveOptions)
