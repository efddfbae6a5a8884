"""MathJax in its own safe mode.

Math is typeset in the reader's browser by MathJax, which understands macros that make
links (``\\href``), set styles and attributes (``\\style``, ``\\bbox``, ``\\mmlToken``)
or load extensions (``\\require``). The doctree check refuses the macros known to do
that; MathJax's ``safe`` extension filters whatever else its TeX input could produce:
only http and https links, safe CSS properties, no ``file:``, ``javascript:`` or
``data:`` URLs. It is configured here, for MathJax 3 and 4 alike, whatever ``conf.py``
sets.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

SAFE_PROTOCOLS = {"http": True, "https": True, "file": False, "javascript": False, "data": False}


def safe_mathjax_config(config: dict[str, Any] | None) -> dict[str, Any]:
    """``config`` (a MathJax 3/4 configuration) with the ``safe`` extension loaded."""
    result = dict(config or {})
    loader = dict(result.get("loader", {}))
    loads = list(loader.get("load", []))
    if "ui/safe" not in loads:
        loads.append("ui/safe")
    loader["load"] = loads
    result["loader"] = loader
    options = dict(result.get("options", {}))
    safe = dict(options.get("safeOptions", {}))
    safe["allow"] = {"URLs": "safe", "classes": "safe", "cssIDs": "safe", "styles": "safe"}
    safe["safeProtocols"] = SAFE_PROTOCOLS
    options["safeOptions"] = safe
    result["options"] = options
    return result


def _configure(app: Sphinx, config: Config) -> None:
    if "mathjax4_config" in config:
        config.mathjax4_config = safe_mathjax_config(config.mathjax4_config)
    if "mathjax3_config" in config and config.mathjax3_config:
        config.mathjax3_config = safe_mathjax_config(config.mathjax3_config)


def setup_math(app: Sphinx) -> None:
    """Load MathJax's safe extension on every page that has math."""
    app.connect("config-inited", _configure, priority=800)
