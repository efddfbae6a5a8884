"""Which files of the build machine the build may read or serve: one home for the rule.

The catalogue loader, the security checks (``security/files.py``) and the output check
all ask these functions; they are pure and import nothing of the extension, so any
module may use them.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path, PurePath

MAX_FILE_BYTES = 20 * 1024 * 1024
"""The largest page, image, download or included file: a photo is a few MB at most."""

IMAGE_TYPES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif"})
"""Image files a page may show: raster formats only. An SVG carries script, and served
from the site's own origin it runs with the site's rights when opened."""

DOWNLOAD_TYPES = IMAGE_TYPES | frozenset(
    {
        ".pdf",
        ".txt",
        ".csv",
        ".tsv",
        ".json",
        ".md",
        ".rst",
        ".py",
        ".yaml",
        ".yml",
        ".toml",
        ".ipynb",
        ".zip",
        ".gz",
        ".tgz",
        ".bz2",
        ".xz",
        ".tar",
        ".odp",
        ".pptx",
        ".key",
        ".epub",
        ".mp3",
        ".ogg",
        ".opus",
        ".m4a",
        ".mp4",
        ".webm",
        ".ics",
    }
)
"""File types a page may offer as a download: documents, data, archives, media and
source code, which browsers show as text or save. Never HTML, SVG, XML, XSLT,
JavaScript or Flash: those would run from the site's origin when the link is followed."""


def confinement_problem(path: str | os.PathLike[str], root: str | os.PathLike[str]) -> str | None:
    """Why ``path`` may not be read, or ``None`` when it is inside ``root``.

    Symlinks are resolved first, so a link inside the repository that points out of
    it is refused; hidden folders (``.git``, ``.venv``) are refused too, since they
    hold credentials and machine state rather than content.
    """
    if "\x00" in os.fspath(path):
        return "contains a null byte"
    real_root = Path(os.path.realpath(root))
    real = Path(os.path.realpath(path))
    if not real.is_relative_to(real_root):
        return "is outside the repository"
    if any(part.startswith(".") for part in real.relative_to(real_root).parts):
        return "is inside a hidden folder"
    return None


def access_problem(
    path: str | os.PathLike[str],
    root: str | os.PathLike[str],
    *,
    max_bytes: int = MAX_FILE_BYTES,
) -> str | None:
    """Why the build may not read ``path``, or ``None``: confinement, file kind and size.

    A file that does not exist is no problem here: nothing is read, and Sphinx reports
    it in its own words.
    """
    problem = confinement_problem(path, root)
    if problem is not None:
        return problem
    try:
        status = Path(path).stat()  # follows symlinks, as open() and copy do
    except OSError:
        return None
    if not stat.S_ISREG(status.st_mode):
        return "is not a regular file"
    if status.st_size > max_bytes:
        return (
            f"is {status.st_size / 1024 / 1024:.1f} MB, more than the "
            f"{max_bytes // 1024 // 1024} MB a file may have"
        )
    return None


def type_problem(path: str | os.PathLike[str], allowed: frozenset[str]) -> str | None:
    """Why a file of this name may not be served from the site, or ``None``."""
    suffix = PurePath(os.fspath(path)).suffix.lower()
    if suffix in allowed:
        return None
    return f"is of type {suffix or '(none)'!r}, which is not one of {', '.join(sorted(allowed))}"


def image_problem(path: str | os.PathLike[str], root: str | os.PathLike[str]) -> str | None:
    """Why the image at ``path`` may not be copied into the site, or ``None``."""
    return access_problem(path, root) or type_problem(path, IMAGE_TYPES)


def download_problem(path: str | os.PathLike[str], root: str | os.PathLike[str]) -> str | None:
    """Why the file at ``path`` may not be offered as a download, or ``None``."""
    return access_problem(path, root) or type_problem(path, DOWNLOAD_TYPES)
