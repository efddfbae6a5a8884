"""The site's own list: what only the site itself may put into its output.

The output check (``security/output.py``) fails the build on any script, handler,
frame, form, ``http-equiv`` or active file that is not listed here. When a part of
the site adds one of these on purpose, this is the one place to say so:

- a script file a template loads: add its site path to :data:`SCRIPT_FILES`
  (scripts added with ``app.add_js_file`` are the site's own without being listed,
  and so is ``mathjax_path``);
- an inline script a template writes: add its shape to :data:`INLINE_SCRIPTS` (the
  text with every string literal emptied, so a page name may vary but code may not);
- a data block (JSON-LD): its ``type`` goes in :data:`DATA_SCRIPT_TYPES`; its JSON is
  checked;
- an event-handler attribute: add the (attribute, value) pair to :data:`HANDLERS`;
- a file of an active type (HTML that is not a page, say): :data:`NOT_PAGES`.

Things made by script after a reader's click (the click-to-load video facade makes
its ``<iframe>`` then) are not in the written files and need no entry; its custom
element and its script file do (the script file by ``add_js_file``).
"""

from __future__ import annotations

SCRIPT_FILES = frozenset(
    {
        # Sphinx's own, loaded by its layout template.
        "_static/documentation_options.js",
        "_static/doctools.js",
        "_static/sphinx_highlight.js",
        "_static/searchtools.js",
        "_static/language_data.js",
        # pydata-sphinx-theme and sphinx-book-theme, loaded by their templates.
        "_static/scripts/bootstrap.js",
        "_static/scripts/pydata-sphinx-theme.js",
        "_static/scripts/fontawesome.js",
        "_static/scripts/sphinx-book-theme.js",
        # Added per page by pages/video.py (talk pages) and pages/__init__.py (conference
        # pages), so the build-wide list does not hold them at check time.
        "_static/vendor/lite-youtube-embed/lite-yt-embed.js",
        "_static/recaps-video.js",
        "_static/recaps-filter.js",
        # Pagefind's interface on the search page (discovery/search.py).
        "pagefind/pagefind-ui.js",
        "pagefind/pagefind.js",
        "pagefind/pagefind-component-ui.js",
        "pagefind/pagefind-modular-ui.js",
        "pagefind/pagefind-highlight.js",
    }
)
"""Site paths of the script files pages may load besides those added with ``add_js_file``."""

SCRIPT_FOLDERS = ("_static/", "pagefind/")
"""Where script files may be in the output; a ``.js`` file anywhere else is an error."""

INLINE_SCRIPTS = frozenset(
    {
        # pydata-sphinx-theme: the light/dark mode before the page is painted.
        'document.documentElement.dataset.mode = localStorage.getItem("") || ""; '
        'document.documentElement.dataset.theme = localStorage.getItem("") || "";',
        # The same, resolving "auto" before the first paint (templates/theme/layout.html,
        # conference_recaps.assets: the theme's own script that does it is deferred).
        '(function (root) { var mode = localStorage.getItem("") || ""; '
        'var system = matchMedia("").matches ? "" : ""; root.dataset.mode = mode; '
        'root.dataset.theme = localStorage.getItem("") || (mode === "" ? system : mode); '
        "})(document.documentElement);",
        # Sphinx's layout: the page's name and a search option.
        "DOCUMENTATION_OPTIONS.pagename = '';",
        "DOCUMENTATION_OPTIONS.search_as_you_type = false;",
        # Sphinx's basic search box (sidebars that use searchbox.html).
        "document.getElementById('').style.display = \"\"",
    }
)
"""The shapes of inline scripts the templates write (string literals emptied, spaces
collapsed); the bodies of scripts added with ``add_js_file`` and the MathJax
configuration are the site's own without being listed."""

DATA_SCRIPT_TYPES = frozenset({"application/ld+json"})
"""``<script type=...>`` blocks that hold data, never code: their content must be JSON."""

HANDLERS = frozenset(
    {
        # sphinx-book-theme's header buttons: full screen, print (the download button).
        ("onclick", "toggleFullScreen()"),
        ("onclick", "window.print()"),
    }
)
"""Event-handler attributes the theme writes."""

FORM_ACTIONS = ("#", "search/", "search.html")
"""Where a form may send the reader: the search page (the theme's search box)."""

HTTP_EQUIV = frozenset({"refresh", "content-type", "x-ua-compatible"})
"""``<meta http-equiv>`` values the site may write. A ``refresh`` (the redirect page of
an id that changed) must point inside the site: a relative URL."""

NOT_PAGES = frozenset({"_static/webpack-macros.html", "_static/sbt-webpack-macros.html"})
"""HTML files in the output that are not pages: the themes' Jinja macro files, copied
with their static folders and never linked. They are not checked as pages."""

IMAGE_FOLDER = "_images/"
DOWNLOAD_FOLDER = "_downloads/"
