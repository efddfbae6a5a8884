"""Conference recaps: a Sphinx extension for a conference archive.

It reads a YAML talk catalogue and Markdown recap posts and gives them talk cards,
grids, photo credits and a page for every talk, speaker and conference. Each concern
lives in its own module with its own ``setup_<concern>(app)``; :func:`setup` wires them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from conference_recaps.assets import setup_assets
from conference_recaps.catalogue.extension import setup_catalogue
from conference_recaps.config import setup_config
from conference_recaps.directives import setup_directives
from conference_recaps.discovery import setup_discovery
from conference_recaps.docs_reference import setup_docs_reference
from conference_recaps.domain import setup_domain
from conference_recaps.excerpts import setup_excerpts
from conference_recaps.fingerprint import code_fingerprint
from conference_recaps.forks import freeze_at_exit, pause_for_environment
from conference_recaps.inputs import setup_inputs
from conference_recaps.pages import setup_pages
from conference_recaps.recap_header import setup_recap_header
from conference_recaps.security import setup_security
from conference_recaps.theme import setup_theme
from conference_recaps.version import __version__

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup(app: Sphinx) -> dict[str, Any]:
    """Register every part of the extension with Sphinx."""
    app.setup_extension("myst_parser")
    setup_config(app)
    setup_domain(app)
    setup_catalogue(app)
    setup_inputs(app)
    setup_theme(app)
    setup_assets(app)
    setup_security(app)
    setup_directives(app)
    setup_recap_header(app)
    setup_excerpts(app)
    setup_pages(app)
    setup_discovery(app)
    setup_docs_reference(app)
    freeze_at_exit()
    pause_for_environment(app)
    return {
        "version": __version__,
        "env_version": code_fingerprint(),
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
