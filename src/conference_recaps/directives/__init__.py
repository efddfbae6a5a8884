"""The directives and roles contributors write in recaps, one module per family.

- :mod:`.talks`: ``talk-card``, ``talk-grid``, ``{talk}`` and ``{speaker}``;
- :mod:`.photos`: ``photo``, each page's photo credits, ``photo-credits`` (the site page);
- :mod:`.links`: links to the generated talk, speaker and conference pages;
- :mod:`.reference`: ``recaps-options``, which renders this reference in ``docs/``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from conference_recaps.directives.links import setup_links
from conference_recaps.directives.photos import setup_photos
from conference_recaps.directives.reference import setup_reference
from conference_recaps.directives.talks import setup_talks

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup_directives(app: Sphinx) -> None:
    setup_links(app)
    setup_talks(app)
    setup_photos(app)
    setup_reference(app)
