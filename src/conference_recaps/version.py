"""The package's version, in a module of its own: the command line need not load the extension."""

from __future__ import annotations

__version__ = "0.1.0"
