"""A checksum of the extension's own code, for everything that must be redone when it changes.

Sphinx discards a saved environment whose extensions report another ``env_version``;
without this, live reload would keep pages built by old code. Generated pages and feeds
put it in their fingerprints for the same reason.
"""

from __future__ import annotations

import zlib
from pathlib import Path

PACKAGE = Path(__file__).parent


def code_fingerprint() -> int:
    """A CRC of every Python file of the package, in a fixed order."""
    checksum = 0
    for path in sorted(PACKAGE.rglob("*.py")):
        checksum = zlib.crc32(path.read_bytes(), checksum)
    return checksum
