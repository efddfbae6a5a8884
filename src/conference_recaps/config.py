"""Typed configuration: every ``recaps_*`` value of ``conf.py`` in one dataclass.

Each field carries its help text and validator; the reference in ``docs/`` is rendered
from these fields. An invalid value is reported as ``[recaps.config]`` and replaced by
its default, so a typo never stops the build with a traceback.
"""

from __future__ import annotations

import dataclasses
import os
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from conference_recaps.diagnostics import Subtype, warn
from conference_recaps.urls import is_http_url

if TYPE_CHECKING:
    from collections.abc import Callable

    from sphinx.application import Sphinx
    from sphinx.config import Config

PREFIX = "recaps_"


def _is_str(value: Any) -> str | None:
    return None if isinstance(value, str) else "must be a string"


def _is_relative_path(value: Any) -> str | None:
    if not isinstance(value, str) or not value:
        return "must be a non-empty path"
    if PurePosixPath(value).is_absolute() or ".." in value.replace("\\", "/").split("/"):
        return "must be a path inside the site, without '..'"
    return None


def _is_http_url(value: Any) -> str | None:
    if not isinstance(value, str):
        return "must be a string"
    if value and not is_http_url(value):
        return "must be an http:// or https:// URL, or empty"
    return None


def _is_branch(value: Any) -> str | None:
    if not isinstance(value, str) or not re.fullmatch(r"[\w./-]+", value):
        return "must be a branch name"
    return None


def _is_bool(value: Any) -> str | None:
    return None if isinstance(value, bool) else "must be True or False"


def _meta(help_text: str, validator: Callable[[Any], str | None]) -> dict[str, Any]:
    return {"help": help_text, "validator": validator}


@dataclass(frozen=True)
class RecapsConfig:
    """The site's settings, read from ``recaps_<field>`` in ``conf.py``."""

    catalogue: str = field(
        default="talks.yaml",
        metadata=_meta("The catalogue file, relative to the site root.", _is_relative_path),
    )
    catalogue_dir: str = field(
        default="talks",
        metadata=_meta(
            "A folder of further catalogue files (``*.yaml``), merged with the catalogue.",
            _is_relative_path,
        ),
    )
    recaps_dir: str = field(
        default="recaps",
        metadata=_meta("The folder holding the recap posts.", _is_relative_path),
    )
    base_url: str = field(
        default="",
        metadata=_meta(
            "The site's public address, for canonical URLs, feeds and the sitemap. "
            "``READTHEDOCS_CANONICAL_URL`` takes precedence when set.",
            _is_http_url,
        ),
    )
    repository_url: str = field(
        default="",
        metadata=_meta(
            "The GitHub repository behind the site, for the repository, edit and issue "
            "buttons. Empty: found from Read the Docs, GitHub Actions or ``git remote``.",
            _is_http_url,
        ),
    )
    repository_branch: str = field(
        default="main",
        metadata=_meta("The branch that edit-this-page links point at.", _is_branch),
    )
    guide: str = field(
        default="docs/index",
        metadata=_meta(
            "The contributor guide's first page: it and the pages under its toctree get "
            "the guide's own navigation, and the reader's pages only link to it.",
            _is_relative_path,
        ),
    )
    video_thumbnails: bool = field(
        default=True,
        metadata=_meta(
            "Show video thumbnails (loaded from the video host, e.g. ``i.ytimg.com``) on "
            "talk pages and cards. ``False``: no request goes to a video host until a "
            "reader plays a video.",
            _is_bool,
        ),
    )


def config_fields() -> list[dataclasses.Field[Any]]:
    """The fields of :class:`RecapsConfig`, in declaration order (for the docs)."""
    return list(dataclasses.fields(RecapsConfig))


def get_config(config: Config) -> RecapsConfig:
    """The ``recaps_*`` values as one typed object (validated at ``config-inited``)."""
    return RecapsConfig(**{f.name: getattr(config, PREFIX + f.name) for f in config_fields()})


def validate_config(config: Config) -> None:
    """Report each invalid ``recaps_*`` value and put its default in its place."""
    for f in config_fields():
        value = getattr(config, PREFIX + f.name)
        problem = f.metadata["validator"](value)
        if problem is not None:
            warn(
                f"invalid conf.py value {PREFIX}{f.name}={value!r}: {problem}; "
                f"using the default {f.default!r}",
                Subtype.config,
                location=None,
            )
            setattr(config, PREFIX + f.name, f.default)


def _github_url(url: str) -> str:
    """Normalise a clone URL (https or ssh) to the repository's web address."""
    url = url.strip()
    match = re.match(r"^(?:git@|ssh://git@)github\.com[:/](.+?)(?:\.git)?/?$", url)
    if match:
        return f"https://github.com/{match.group(1)}"
    match = re.match(r"^https://github\.com/(.+?)(?:\.git)?/?$", url)
    return f"https://github.com/{match.group(1)}" if match else ""


def discover_repository_url(srcdir: str) -> str:
    """Find the GitHub repository from Read the Docs, GitHub Actions or the git remote."""
    if clone := os.environ.get("READTHEDOCS_GIT_CLONE_URL"):
        return _github_url(clone)
    if (repo := os.environ.get("GITHUB_REPOSITORY")) and os.environ.get("GITHUB_SERVER_URL"):
        return f"{os.environ['GITHUB_SERVER_URL']}/{repo}"
    try:
        remote = subprocess.run(
            ["git", "remote", "get-url", "origin"],
            cwd=srcdir,
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return ""
    return _github_url(remote)


def _validate_config(app: Sphinx, config: Config) -> None:
    validate_config(config)


def setup_config(app: Sphinx) -> None:
    """Register every ``recaps_*`` value; a change to one rebuilds the whole site."""
    for f in config_fields():
        app.add_config_value(PREFIX + f.name, f.default, "env", types=frozenset({type(f.default)}))
    app.connect("config-inited", _validate_config, priority=400)
