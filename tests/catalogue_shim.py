"""Retired: test roots now load talks.yaml with the real catalogue loader.

Kept only because ``tests/roots/test-discovery/conf.py`` still names it; remove it from
that list, then delete this file.
"""

from __future__ import annotations

from typing import Any


def setup(app: Any) -> dict[str, Any]:
    return {"parallel_read_safe": True, "parallel_write_safe": True}
