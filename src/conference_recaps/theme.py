"""The look: sphinx-book-theme wired to the repository, and the site's stylesheet.

The theme's repository, edit-this-page and issue buttons need the repository's address.
Rather than hard-coding it in ``conf.py``, it comes from ``recaps_repository_url`` or is
discovered (Read the Docs, GitHub Actions, ``git remote``), so a fork gets buttons that
point at the fork.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from conference_recaps.config import discover_repository_url, get_config

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

STATIC_DIR = Path(__file__).parent / "static"


def _theme_defaults(config: Config, defaults: dict[str, Any]) -> None:
    """Give the theme these options, each unless ``conf.py`` set it."""
    options = dict(config.html_theme_options or {})
    for name, value in defaults.items():
        options.setdefault(name, value)
    config.html_theme_options = options


def _one_menu_button(app: Sphinx, config: Config) -> None:
    """Keep pydata-sphinx-theme's hidden header from rendering a second menu button.

    Below 992 px the book theme's ☰ button opens the navigation, but pydata-sphinx-theme
    also renders a hidden header holding its own ``.primary-toggle``, first in the page;
    both themes' scripts bind ``document.querySelector(".primary-toggle")``, the hidden
    one, so the visible button did nothing (pydata-sphinx-theme#2451). With no header
    items the header renders no buttons; the book theme puts the search field in the
    sidebar and the article header anyway.
    """
    if config.html_theme != "sphinx_book_theme":
        return
    _theme_defaults(
        config,
        {
            "navbar_persistent": [],
            # Breadcrumbs beside the menu button (discovery/breadcrumbs.py).
            "article_header_start": ["toggle-primary-sidebar.html", "recaps-breadcrumbs.html"],
        },
    )


def _no_fullscreen_button(app: Sphinx, config: Config) -> None:
    """Drop the book theme's full-screen button unless ``conf.py`` asks for it.

    It makes a page fill the screen, which a reader of a talk page has no use for (the
    video player has its own), and it was 400 bytes of each of 38,000 pages (issue 17).
    """
    if config.html_theme == "sphinx_book_theme":
        _theme_defaults(config, {"use_fullscreen_button": False})


def _no_general_index(app: Sphinx, config: Config) -> None:
    """No ``genindex/`` page unless ``conf.py`` (or ``-D``) asks for one.

    Sphinx's general index lists the ``index`` directive's entries, and no recap or
    catalogue page has any: it was an empty page headed "Index", linked from every
    page's head, and written again on every build, no-op rebuilds included, with every
    page part (0.27 s of a no-op at pyvideo.org's scale).
    """
    # conf.py's own names (Sphinx keeps no public record of what conf.py set).
    set_in_conf = "html_use_index" in getattr(config, "_raw_config", {})
    if not set_in_conf and "html_use_index" not in config.overrides:
        config.html_use_index = False


def _repository_buttons(app: Sphinx, config: Config) -> None:
    """Fill in the book theme's repository options unless ``conf.py`` set them."""
    settings = get_config(config)
    url = settings.repository_url or discover_repository_url(str(app.srcdir))
    if not url:
        return
    _theme_defaults(
        config,
        {
            "repository_url": url,
            "repository_branch": settings.repository_branch,
            "path_to_docs": "",
            "use_repository_button": True,
            "use_edit_page_button": True,
            "use_issues_button": True,
        },
    )


def _add_static(app: Sphinx) -> None:
    if app.builder.format == "html":
        config = app.config
        if str(STATIC_DIR) not in config.html_static_path:
            # A new list: the default one is shared by every Sphinx app in the process.
            config.html_static_path = [*config.html_static_path, str(STATIC_DIR)]
        app.add_css_file("recaps.css")


def _templates_read_once(app: Sphinx) -> None:
    """Stop Jinja from checking every template file's time on every page.

    Jinja's ``auto_reload`` stats a template's file each time it is used, to reload it if
    it changed; a build renders each template tens of thousands of times and no template
    changes during a build (``make serve`` starts a new build process). At pyvideo.org's
    scale those checks were 8 % of the build's time (the profile in
    docs/architecture.md).
    """
    templates = getattr(app.builder, "templates", None)
    environment = getattr(templates, "environment", None)
    if environment is not None:
        environment.auto_reload = False


def setup_theme(app: Sphinx) -> None:
    """Connect the theme wiring; runs after ``setup_config`` registered the values."""
    app.connect("config-inited", _one_menu_button)
    app.connect("config-inited", _no_fullscreen_button)
    app.connect("config-inited", _no_general_index)
    app.connect("config-inited", _repository_buttons)
    app.connect("builder-inited", _add_static)
    app.connect("builder-inited", _templates_read_once)
