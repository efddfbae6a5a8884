"""What each page loads: the theme's assets trimmed to what the site uses.

Out of the box, sphinx-book-theme made every page download 2.26 MB in 20 requests for
3 KB of article (issue 15). The budget is in :mod:`conference_recaps.weight`; this
module is how pages keep to it, with sphinx-book-theme (other themes are left alone):

- **No icon script, no icon fonts.** pydata-sphinx-theme loads FontAwesome's SVG-with-JS
  (1.5 MB) and its stylesheet names three webfonts (225 KB) for a dozen icons. The
  ``<i class="fa-solid fa-…">`` elements the templates write stay; ``recaps-theme.css``
  draws each with the icon's SVG path as a CSS mask (no request at all), made from
  FontAwesome's own icon packages by ``make theme-css``.
- **One pruned theme stylesheet.** ``recaps-theme.css`` replaces Sphinx's ``basic.css``
  (an ``@import`` chained behind the theme's), ``pydata-sphinx-theme.css`` and
  ``sphinx-book-theme.css``: the three, with every rule whose selectors name a class no
  writer, template or theme script can produce pruned by PurgeCSS, and FontAwesome's
  rules dropped (``tools/theme-css.mjs``; 64 KB gzip-compressed before, see
  ``docs/performance.md`` after). It is generated and committed, not made during the
  build, so building needs no Node; its header records the theme versions it was made
  from, and a build with other versions warns (``recaps.assets``).
- **Only the scripts a page runs.** Sphinx's search scripts (``searchtools.js``,
  ``language_data.js``: Pagefind is the site's search), ``doctools.js`` (keyboard
  navigation is off) and ``sphinx_highlight.js`` (it highlights Sphinx search results)
  are not loaded; ``pygments.css`` is loaded only on pages with highlighted code. The
  theme's scripts are deferred and no longer preloaded ahead of the stylesheet.
- **No console error on a first visit.** pydata-sphinx-theme's ``default_mode`` is empty
  unless set, and its script then logs "Got invalid theme mode"; it is ``auto`` here.

- **Minified.** The package's own stylesheets and scripts (``recaps.css``, the search
  and video scripts, vendored ones) are minified in the output after the build
  (rcssmin, rjsmin); the sources stay readable.

Every asset keeps a cache-busting query: Sphinx's ``?v=<checksum>`` on the files added
with ``add_css_file``/``add_js_file``, the theme's ``?digest=`` on its scripts.
"""

from __future__ import annotations

import importlib.metadata
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import rcssmin  # type: ignore[import-untyped]
import rjsmin  # type: ignore[import-untyped]
from docutils import nodes

from conference_recaps.diagnostics import Subtype, warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

STATIC_DIR = Path(__file__).parent / "static"
#: The pruned theme stylesheet (see the module docstring); generated, committed.
THEME_CSS = "recaps-theme.css"
#: The themes whose assets this module replaces.
THEMES = frozenset({"sphinx_book_theme"})
#: Scripts no page of this site runs.
UNUSED_SCRIPTS = frozenset(
    {"doctools.js", "sphinx_highlight.js", "searchtools.js", "language_data.js"}
)
#: Scripts that must run where they stand (see :func:`_deferred`).
KEEP_BLOCKING = frozenset({"documentation_options.js"})
#: Stylesheets ``recaps-theme.css`` contains.
BUNDLED_STYLESHEETS = frozenset({"styles/sphinx-book-theme.css"})
PYGMENTS_CSS = "pygments.css"
#: The theme packages whose CSS ``recaps-theme.css`` is made from: a header line per
#: package, ``/* made from <package> <version> */``.
SOURCE_PACKAGES = ("pydata-sphinx-theme", "sphinx-book-theme")
_MADE_FROM = re.compile(r"/\* made from ([\w.-]+) ([\w.+-]+) \*/")


def uses_theme_assets(app: Sphinx) -> bool:
    """Whether this build's pages get the trimmed assets (sphinx-book-theme, HTML)."""
    return app.builder.format == "html" and app.config.html_theme in THEMES


def _default_mode(app: Sphinx, config: Config) -> None:
    """``default_mode: auto`` unless ``conf.py`` chose one (see the module docstring).

    pydata-sphinx-theme reads it from ``html_context``, not from the theme options.
    """
    if config.html_theme in THEMES:
        config.html_context = {"default_mode": "auto", **(config.html_context or {})}


def stale_sources(css: str) -> list[str]:
    """The theme packages whose installed version is not the one ``css`` was made from."""
    made_from = dict(_MADE_FROM.findall(css[:2000]))
    stale = []
    for package in SOURCE_PACKAGES:
        installed = importlib.metadata.version(package)
        if made_from.get(package) != installed:
            stale.append(f"{package} {installed} (made from {made_from.get(package, 'none')})")
    return stale


def _add_theme_css(app: Sphinx) -> None:
    if not uses_theme_assets(app):
        return
    # Before every other stylesheet: pygments.css and the site's own override it.
    app.add_css_file(THEME_CSS, priority=100)
    stale = stale_sources((STATIC_DIR / THEME_CSS).read_text(encoding="utf-8"))
    if stale:
        warn(
            f"{THEME_CSS} was made from other theme versions than the installed "
            f"{', '.join(stale)}: regenerate it with `make theme-css`",
            Subtype.assets,
            location=str(STATIC_DIR / THEME_CSS),
        )


def has_highlighted_code(doctree: nodes.document | None) -> bool:
    """Whether the page shows code that Pygments colours."""
    if doctree is None:
        return False
    return any(True for _ in doctree.findall(nodes.literal_block))


def _filename(asset: Any) -> str:
    """An asset's file name under ``_static/``, as ``add_css_file`` was given it."""
    name = str(getattr(asset, "filename", asset)).split("?", 1)[0]
    return name.removeprefix("_static/")


def _deferred(script: Any) -> Any:
    """``script`` with ``defer``, so that it does not hold up the first paint.

    Not ``documentation_options.js``: the inline scripts after it set its values at
    once. Deferred scripts still run in document order, before ``DOMContentLoaded``.
    """
    attributes = getattr(script, "attributes", None)
    name = _filename(script)
    if (
        attributes is None
        or not name
        or name in KEEP_BLOCKING
        or attributes.get("body")
        or {"defer", "async"} & attributes.keys()
    ):
        return script
    return type(script)(
        script.filename, priority=script.priority, **{**attributes, "defer": "defer"}
    )


def _trim_page_assets(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: dict[str, Any],
    doctree: nodes.document | None,
) -> None:
    """Leave out of the page the scripts and stylesheets it does not use."""
    if not uses_theme_assets(app):
        return
    context["recaps_lean_assets"] = True
    # New lists: the context's are the builder's own, reset for every page.
    context["script_files"] = [
        _deferred(script)
        for script in context.get("script_files", [])
        if _filename(script) not in UNUSED_SCRIPTS
    ]
    code = has_highlighted_code(doctree)
    context["css_files"] = [
        sheet
        for sheet in context.get("css_files", [])
        if _filename(sheet) not in BUNDLED_STYLESHEETS
        and (code or _filename(sheet) != PYGMENTS_CSS)
    ]
    # The book theme's print-only heading is {{ pagetitle }}, which it sets for
    # documents only: generated pages and the search page got an empty <h1>.
    if not context.get("pagetitle") and context.get("title"):
        context["pagetitle"] = re.sub(r"<[^>]*>", "", str(context["title"]))


def minify(path: Path) -> None:
    """Minify a copied stylesheet or script in place (unchanged bytes are not rewritten).

    rcssmin and rjsmin are the minifiers webassets and django-compressor use; they only
    drop comments and whitespace, so the result behaves exactly as the source.
    """
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".css":
        smaller = rcssmin.cssmin(text, keep_bang_comments=True)
    else:
        smaller = rjsmin.jsmin(text, keep_bang_comments=True)
    if smaller != text:
        path.write_text(smaller, encoding="utf-8")


def _minify_own_assets(app: Sphinx, exception: BaseException | None) -> None:
    """Minify the package's stylesheets and scripts in the output's ``_static``.

    After the build, not as they are copied: Sphinx copies static files (and takes the
    checksum of each for its ``?v=`` query) before writing pages, and copies them again
    on every build, so the query follows the source and the output is always minified.
    ``recaps-theme.css`` and files named ``*.min.*`` are minified already.
    """
    if exception is not None or app.builder.format != "html":
        return
    static = Path(app.outdir) / "_static"
    for source in sorted(STATIC_DIR.rglob("*")):
        if source.suffix not in {".css", ".js"} or ".min." in source.name:
            continue
        if source.name == THEME_CSS:
            continue
        copied = static / source.relative_to(STATIC_DIR)
        if copied.is_file():
            minify(copied)


def setup_assets(app: Sphinx) -> None:
    """Trim what pages load; runs after ``setup_theme``."""
    app.connect("config-inited", _default_mode)
    app.connect("builder-inited", _add_theme_css)
    # Late: other handlers add page-specific scripts (the search page's) first.
    app.connect("html-page-context", _trim_page_assets, priority=950)
    app.connect("build-finished", _minify_own_assets)
