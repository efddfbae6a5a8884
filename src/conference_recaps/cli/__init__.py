"""The ``recaps`` command: what contributors and CI run from the site's root.

The commands and their arguments are described as data in
:mod:`conference_recaps.commands` (the docs render the same description); each command
names its implementation, a ``run(args)`` function in one module of this package that
returns the exit code and is imported only when the command runs. Problems are printed
as ``path:line:col: message`` and, under GitHub Actions, as annotations too.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from typing import TYPE_CHECKING

from conference_recaps import commands

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every command."""
    return commands.build_parser()


def resolve(target: str) -> Callable[[argparse.Namespace], int]:
    """The function a command's ``module:function`` names."""
    module, _, function = target.partition(":")
    run: Callable[[argparse.Namespace], int] = getattr(importlib.import_module(module), function)
    return run


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``recaps`` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = resolve(args.run)(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    return code


if __name__ == "__main__":
    sys.exit(main())
