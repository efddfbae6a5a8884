"""A 404 page that works at any depth, from `sphinx-notfound-page`_.

The page is served for any missing URL, so its links and assets must be absolute paths.
They start with the path of the site's base URL (``/`` locally, ``/en/latest/`` or a
pull-request preview's prefix on Read the Docs), unless ``conf.py`` sets
``notfound_urls_prefix``. It offers the search and the home page.

.. _sphinx-notfound-page: https://sphinx-notfound-page.readthedocs.io/
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from conference_recaps.discovery.site import base_url

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

BODY = """\
<h1>Page not found</h1>
<p>There is no page at this address; it may have moved.
Try the <a href="{search}">search</a>, or start from the <a href="{home}">home page</a>.</p>
"""


def _prefix(app: Sphinx, config: Config) -> None:
    if "notfound_urls_prefix" not in config._raw_config:
        config.notfound_urls_prefix = urlsplit(base_url(config)).path or "/"


def _context(app: Sphinx) -> None:
    """The page's body, once the builder knows the search page's URL."""
    config = app.config
    if "notfound_context" in config._raw_config or app.builder.format != "html":
        return
    prefix = config.notfound_urls_prefix or "/"
    config.notfound_context = {
        "title": "Page not found",
        "body": BODY.format(
            search=html.escape(prefix + app.builder.get_target_uri("search")),
            home=html.escape(prefix),
        ),
    }


def setup_notfound(app: Sphinx) -> None:
    app.setup_extension("notfound.extension")
    app.connect("config-inited", _prefix, priority=600)
    app.connect("builder-inited", _context)
