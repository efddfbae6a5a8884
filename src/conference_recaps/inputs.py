"""What the site's generated outputs are made of, as one digest per build.

Every generated page, API file, feed, calendar and the sitemap is a function of the
same inputs: the extension's own files (code, templates, scripts), the theme and Sphinx
versions, the builder and its configuration, the catalogue's files and the documents as
Sphinx read them. When none of those changed since the last build that wrote an
output, the output cannot have changed either, and its step keeps what is there.

Each step still has its own finer fingerprints for the builds where something did
change (a page's context, a feed's entries, a calendar's talks); this digest is what
lets a no-op rebuild skip the whole-site work entirely. Without it, a no-op rebuild of
pyvideo.org's archive spent over a minute making 38,000 page contexts, 35,000 API files
and 26,000 feeds again only to find them equal (docs/architecture.md).

How each input is seen cheaply:

- the documents by the time Sphinx read each (``env.all_docs``): a document read again
  gets a new time, one that is not read keeps its time;
- the catalogue by its files' size and modification time, the same stamps that decide
  whether it is parsed again (:mod:`.catalogue.extension`);
- the extension by a checksum of every file in the package;
- the configuration by the hash Sphinx keeps for it (``build_info``).

The generated pages and the sitemap look finer at the documents (:func:`pages_inputs`):
they are made from :func:`catalogue_inputs` and what
:class:`~conference_recaps.pages.site.Site` reads of the documents
(:meth:`~conference_recaps.pages.site.Site.digest`): a recap's front
matter, excerpt, mentions and credits, not its sentences. Editing a recap's text then
makes none of the 38,000 page contexts again.
"""

from __future__ import annotations

import importlib.metadata
import weakref
import zlib
from typing import TYPE_CHECKING

import sphinx

from conference_recaps.domain import get_domain
from conference_recaps.fingerprint import PACKAGE, data_digest

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from conference_recaps.pages.site import Site

#: The packages whose code shapes the written pages besides ours.
THEME_PACKAGES = ("sphinx-book-theme", "pydata-sphinx-theme", "myst-parser", "feedgen")

_cache: weakref.WeakKeyDictionary[Sphinx, dict[str, str]] = weakref.WeakKeyDictionary()


def package_checksum() -> int:
    """A CRC of every file of the extension (code, templates, scripts, styles, schema)."""
    checksum = 0
    for path in sorted(PACKAGE.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            checksum = zlib.crc32(path.relative_to(PACKAGE).as_posix().encode(), checksum)
            checksum = zlib.crc32(path.read_bytes(), checksum)
    return checksum


def _versions() -> tuple[str, ...]:
    found = [sphinx.__version__]
    for name in THEME_PACKAGES:
        try:
            found.append(f"{name}=={importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            found.append(f"{name} missing")
    return tuple(found)


def site_inputs(app: Sphinx) -> str:
    """The digest of this build's inputs (made once per build, after reading)."""
    return _inputs(app, documents=True)


def catalogue_inputs(app: Sphinx) -> str:
    """The digest of the inputs of the outputs made from the catalogue alone (the API,
    the calendars): :func:`site_inputs` without the documents, so editing a recap does
    not make them again."""
    return _inputs(app, documents=False)


def pages_inputs(app: Sphinx, site: Site) -> str:
    """The digest of what the generated pages and the sitemap are made from: the
    catalogue's inputs and what ``site`` read of the documents (a recap's front matter,
    excerpt, mentions and credits, not its sentences).

    Made once a build, like the other inputs: the pages, the sitemap and the feeds ask
    for it, each with a ``Site`` of its own made from the same environment.
    """
    cache = _cache.setdefault(app, {})
    cached = cache.get("pages")
    if cached is None:
        cached = cache["pages"] = data_digest(catalogue_inputs(app), site.digest())
    return cached


def _inputs(app: Sphinx, *, documents: bool) -> str:
    cache = _cache.setdefault(app, {})
    key = "site" if documents else "catalogue"
    cached = cache.get(key)
    if cached is not None:
        return cached
    env = app.env
    builder = app.builder
    build_info = getattr(builder, "build_info", None)
    loaded = get_domain(env).data.get("catalogue")
    if "package" not in cache:
        cache["package"] = str(package_checksum())
    parts = (
        key,
        cache["package"],
        _versions(),
        builder.name,
        getattr(build_info, "config_hash", ""),
        str(app.srcdir),
        str(app.outdir),
        getattr(loaded, "stamps", None),
        sorted(env.all_docs.items()) if documents else None,
    )
    value = data_digest(*parts)
    cache[key] = value
    return value


def _forget(app: Sphinx, *_args: object) -> None:
    """A new build of the same application: its inputs are read again."""
    _cache.pop(app, None)


def setup_inputs(app: Sphinx) -> None:
    app.connect("env-before-read-docs", _forget)
