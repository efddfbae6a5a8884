"""File access: which files of the build machine a page may make the build read or copy."""

from __future__ import annotations

import os
from pathlib import Path


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
