"""File access: which files of the build machine a page may make the build read or copy.

Every file the build reads or copies because of what a contributor wrote is checked
by its resolved real path at the moment it is opened or copied, whatever chose it (a
directive's argument or option, an image glob ``x.*``, the language-specific name
``figure_language_filename`` picks, a download, a page or a catalogue file that is a
symlink): it must be inside the repository, outside hidden folders, a regular file
(not ``/dev/zero``, a fifo or a folder) and under :data:`MAX_FILE_BYTES`. Images and
downloads must also be of a passive type: nothing a browser would run as script when
it is served from the site's own origin (HTML, SVG, XML, JavaScript...).

Sphinx decides which image file it copies after the page is read (globs and language
substitution), and copies images and downloads when it writes; so the candidates are
checked once Sphinx has chosen them (``doctree-read``), and every copy is checked
again just before it is made.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes

from conference_recaps.diagnostics import Subtype, warn
from conference_recaps.paths import (
    DOWNLOAD_TYPES,
    IMAGE_TYPES,
    MAX_FILE_BYTES,
    access_problem,
    confinement_problem,
    download_problem,
    image_problem,
)
from conference_recaps.security.urls import shorten, url_scheme

__all__ = [
    "DOWNLOAD_TYPES",
    "IMAGE_TYPES",
    "MAX_FILE_BYTES",
    "access_problem",
    "confinement_problem",
    "setup_file_access",
]

if TYPE_CHECKING:
    from collections.abc import Callable

    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

# --- Pages -------------------------------------------------------------------------------


def _check_sources(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """Leave out pages whose file is a link out of the repository, a device or too big."""
    for docname in list(docnames):
        problem = access_problem(env.doc2path(docname), env.srcdir)
        if problem is None:
            continue
        warn(
            f"this page is not built: its file {problem}; a page must be a text file of "
            "the repository",
            Subtype.unsafe,
            location=(docname, None),
        )
        docnames.remove(docname)
        env.project.docnames.discard(docname)


# --- Images and downloads, as Sphinx chose them ------------------------------------------


def _location(node: nodes.Node, docname: str) -> nodes.Node | tuple[str, int | None]:
    return node if node.line else (docname, None)


def _forget(registry: Any, filename: str, docname: str) -> None:
    """Take ``docname``'s use of ``filename`` out of ``env.images`` or ``env.dlfiles``."""
    entry = registry.get(filename)
    if entry is None:
        return
    entry[0].discard(docname)
    if not entry[0]:
        del registry[filename]


def _check_chosen_files(app: Sphinx, doctree: nodes.document) -> None:
    """Check every file an image or download of the page may copy, as Sphinx chose it."""
    env = app.env
    docname = env.docname
    srcdir = env.srcdir
    for image in list(doctree.findall(nodes.image)):
        candidates = image.get("candidates", {})
        paths = [p for p in candidates.values() if url_scheme(p) is None]
        problems = [(p, image_problem(srcdir / p, srcdir)) for p in paths]
        bad = [(p, problem) for p, problem in problems if problem is not None]
        if not bad:
            continue
        first, reason = bad[0]
        warn(
            f"image {shorten(first)} removed: the file {reason}; use a PNG, JPEG, GIF, "
            "WebP or AVIF file of the repository",
            Subtype.unsafe,
            location=_location(image, docname),
        )
        for p in paths:
            _forget(env.images, p, docname)
        alt = image.get("alt", "")
        inline = isinstance(image.parent, nodes.TextElement)
        image.replace_self(nodes.inline(alt, alt) if inline else [])
    for download in list(doctree.findall(addnodes.download_reference)):
        target = download.get("reftarget", "")
        if "filename" not in download or url_scheme(target) is not None:
            continue
        relpath, path = env.relfn2path(target, docname)
        problem = download_problem(path, srcdir)
        if problem is None:
            continue
        warn(
            f"download of {shorten(target)} removed: the file {problem}",
            Subtype.unsafe,
            location=_location(download, docname),
        )
        _forget(env.dlfiles, relpath, docname)
        download.replace_self(nodes.inline("", "", *download.children))


# --- The copies themselves -----------------------------------------------------------------


def _guard_copies(app: Sphinx) -> None:
    """Check each image and download again just before the HTML builder copies it.

    Sphinx offers no event between choosing a file and copying it, so the builder's two
    copy methods are wrapped on this builder instance: the files refused are dropped
    from what it copies, with a warning naming the pages that used them.
    """
    builder: Any = app.builder
    if not hasattr(builder, "copy_image_files"):
        return
    env = app.env
    srcdir = env.srcdir

    def copy_images(original: Callable[[], None] = builder.copy_image_files) -> None:
        for src in list(builder.images):
            problem = image_problem(srcdir / src, srcdir)
            if problem is not None:
                _refuse_copy("image", src, problem, env.images)
                del builder.images[src]
        original()

    def copy_downloads(original: Callable[[], None] = builder.copy_download_files) -> None:
        for src in list(env.dlfiles):
            problem = download_problem(srcdir / src, srcdir)
            if problem is not None:
                _refuse_copy("download", src, problem, env.dlfiles)
                del env.dlfiles[src]
        original()

    builder.copy_image_files = copy_images
    builder.copy_download_files = copy_downloads


def _refuse_copy(what: str, src: Any, problem: str, registry: Any) -> None:
    docnames = sorted(registry[src][0]) if src in registry else []
    warn(
        f"{what} {shorten(src)} not copied into the site: the file {problem}",
        Subtype.unsafe,
        location=(docnames[0], None) if docnames else None,
    )


def setup_file_access(app: Sphinx) -> None:
    """Check pages before they are read, images and downloads as chosen and as copied."""
    # Before the codec's check (500), which reads every page's bytes.
    app.connect("env-before-read-docs", _check_sources, priority=400)
    # After Sphinx's image and download collectors (500) have chosen the files.
    app.connect("doctree-read", _check_chosen_files, priority=600)
    app.connect("builder-inited", _guard_copies)
