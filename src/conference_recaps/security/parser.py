"""The MyST parser subclass: front matter may not change how a page is parsed, site settings
may not enable what evaluates pages, and deep nesting is a located warning."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any

from myst_parser.config.main import TopmatterReadError, merge_file_level, read_topmatter
from myst_parser.mdit_to_docutils.sphinx_ import SphinxRenderer
from myst_parser.parsers.mdit import create_md_parser
from myst_parser.parsers.sphinx_ import MystParser
from myst_parser.warnings_ import create_warning
from sphinx.parsers import RSTParser

from conference_recaps.diagnostics import Subtype, warn
from conference_recaps.security.pages import front_matter_line, warn_unknown_keys
from conference_recaps.security.urls import SAFE_SCHEMES

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from docutils import nodes
    from docutils.statemachine import StringList
    from sphinx.application import Sphinx
    from sphinx.config import Config

FORBIDDEN_MYST_EXTENSIONS = {
    "substitution": "it evaluates Jinja2 templates written in pages, with the Sphinx "
    "environment in reach, so a pull request could run code on the build machine",
}

FILE_LEVEL_MYST_OPTIONS = frozenset(
    {
        "heading_anchors",
        "heading_anchors_html_ids",
        "footnote_sort",
        "footnote_transition",
        "number_code_blocks",
        "words_per_minute",
        "html_meta",
    }
)
"""The ``myst:`` front-matter keys a page may set: none of them changes what is parsed."""


def restrict_myst_config(config: Any) -> Any:
    """The MyST config with forbidden extensions and URL schemes taken out."""
    extensions = set(config.enable_extensions) - set(FORBIDDEN_MYST_EXTENSIONS)
    schemes = {k: v for k, v in config.url_schemes.items() if k in SAFE_SCHEMES}
    if extensions == set(config.enable_extensions) and schemes == config.url_schemes:
        return config
    return config.copy(enable_extensions=extensions, url_schemes=schemes)


def _safe_topmatter(topmatter: dict[str, Any], source: str, docname: str) -> dict[str, Any]:
    """Drop the front-matter settings that would change the parser under the page."""
    cleaned = dict(topmatter)
    if "substitutions" in cleaned:
        del cleaned["substitutions"]
        warn(
            "front matter 'substitutions' ignored: substitutions are not available in this site",
            Subtype.unsafe,
            location=(docname, front_matter_line(source, "substitutions")),
        )
    myst = cleaned.get("myst")
    if isinstance(myst, dict):
        kept = {}
        for key, value in myst.items():
            if key in FILE_LEVEL_MYST_OPTIONS:
                kept[key] = value
                continue
            warn(
                f"front matter 'myst: {key}' ignored: a page may not change how it is "
                f"parsed; allowed keys: {', '.join(sorted(FILE_LEVEL_MYST_OPTIONS))}",
                Subtype.unsafe,
                location=(docname, front_matter_line(source, str(key), "myst")),
            )
        cleaned["myst"] = kept
    return cleaned


MAX_LINK = 2000
"""The longest link address, in characters (browsers and servers refuse longer ones)."""


class GuardedMystParser(MystParser):
    """MyST's parser, with the front matter's ``myst:`` settings held to the allowlist."""

    def parse(self, inputstring: str, document: nodes.document) -> None:
        # The same steps as MystParser.parse, with the topmatter filtered before it is
        # merged and the forbidden settings taken out of the result.
        env = document.settings.env
        config = env.myst_config
        try:
            topmatter = read_topmatter(inputstring)
        except TopmatterReadError:
            pass  # reported while rendering
        else:
            if topmatter:
                # substitutions has its own warning in _safe_topmatter.
                others = {k: v for k, v in topmatter.items() if k != "substitutions"}
                warn_unknown_keys(others, inputstring, env.docname)
                topmatter = _safe_topmatter(topmatter, inputstring, env.docname)

                def warning(wtype: Any, msg: str) -> None:
                    create_warning(document, msg, wtype, line=1, append_to=document)

                config = merge_file_level(config, topmatter, warning)
        parser = create_md_parser(restrict_myst_config(config), SphinxRenderer)
        # markdown-it silently turns javascript:/data: links into text; let them through
        # to the doctree check instead, which removes them with a file:line warning.
        docname = env.docname

        def validate_link(url: str) -> bool:
            # MyST looks a link's address up as a file; a name longer than the file
            # system allows stops the whole build with a traceback.
            if len(url) <= MAX_LINK:
                return True
            warn(
                f"a link address of {len(url)} characters is shown as text: an address "
                f"may have at most {MAX_LINK}",
                Subtype.unsafe,
                location=(docname, None),
            )
            return False

        parser.validateLink = validate_link  # type: ignore[method-assign]
        parser.options["document"] = document
        # After a RecursionError, rendering nothing lets MyST set the document settings
        # its own transforms read.
        with _nesting_guard(document, env.docname, recover=lambda: parser.render("")):
            parser.render(inputstring)


class GuardedRSTParser(RSTParser):
    """Sphinx's reStructuredText parser, with the same nesting guard."""

    def parse(self, inputstring: str | StringList, document: nodes.document) -> None:
        with _nesting_guard(document, document.settings.env.docname):
            super().parse(inputstring, document)


@contextlib.contextmanager
def _nesting_guard(
    document: nodes.document, docname: str, recover: Callable[[], object] | None = None
) -> Iterator[None]:
    """Turn a ``RecursionError`` from a deeply nested page into a located warning.

    Without it Sphinx stops the whole build with "Recursion error!" and no file name.
    """
    try:
        yield
    except RecursionError:
        del document[:]
        if recover is not None:
            recover()
        warn(
            "this page is nested too deeply to be read (thousands of levels of quotes, "
            "lists or indentation); it is left empty: flatten its structure",
            Subtype.unsafe,
            location=(docname, 1),
        )


def _restrict_site_config(app: Sphinx, config: Config) -> None:
    """Take the forbidden MyST settings out of ``conf.py``, saying why."""
    enabled = list(config.myst_enable_extensions or [])
    for name in enabled:
        if name in FORBIDDEN_MYST_EXTENSIONS:
            warn(
                f"conf.py: myst_enable_extensions {name!r} switched off: "
                f"{FORBIDDEN_MYST_EXTENSIONS[name]}",
                Subtype.unsafe,
                location=None,
            )
    config.myst_enable_extensions = [e for e in enabled if e not in FORBIDDEN_MYST_EXTENSIONS]
    schemes = config.myst_url_schemes
    if isinstance(schemes, dict):
        restricted: Any = {k: v for k, v in schemes.items() if k in SAFE_SCHEMES}
        dropped = set(schemes) - SAFE_SCHEMES
    else:
        restricted = [s for s in (schemes or []) if s in SAFE_SCHEMES]
        dropped = set(schemes or []) - SAFE_SCHEMES
    # ftp is in MyST's default; dropping it is policy, not the site's mistake.
    if dropped - {"ftp"}:
        warn(
            f"conf.py: myst_url_schemes {sorted(dropped)} removed: links may only use "
            "http, https or mailto",
            Subtype.unsafe,
            location=None,
        )
    config.myst_url_schemes = restricted or sorted(SAFE_SCHEMES)


def setup_parsers(app: Sphinx) -> None:
    """Put the guarded parsers in place and restrict the site's MyST settings."""
    app.connect("config-inited", _restrict_site_config, priority=450)
    app.add_source_parser(GuardedMystParser, override=True)
    app.add_source_parser(GuardedRSTParser, override=True)
