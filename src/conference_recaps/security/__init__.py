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

from typing import TYPE_CHECKING

from conference_recaps.security.codec import setup_codec
from conference_recaps.security.context import setup_context_escaping
from conference_recaps.security.directives import setup_directive_overrides
from conference_recaps.security.doctree import setup_doctree_check
from conference_recaps.security.files import confinement_problem, setup_file_access
from conference_recaps.security.math import setup_math
from conference_recaps.security.output import setup_output_check
from conference_recaps.security.pages import setup_page_rules
from conference_recaps.security.parser import setup_parsers
from conference_recaps.security.urls import is_safe_url, url_scheme

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__all__ = ["confinement_problem", "is_safe_url", "setup_security", "url_scheme"]


def setup_security(app: Sphinx) -> None:
    """Register the guards, one concern per module; must run after ``myst_parser``."""
    setup_parsers(app)
    setup_directive_overrides(app)
    setup_doctree_check(app)
    setup_file_access(app)
    setup_page_rules(app)
    setup_math(app)
    setup_output_check(app)
    setup_codec(app)
    setup_context_escaping(app)
