"""The codec for pages that are not UTF-8: reported with their line, built with U+FFFD."""

from __future__ import annotations

import codecs
import encodings.utf_8_sig
from typing import TYPE_CHECKING

from conference_recaps.diagnostics import Subtype, warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

SOURCE_CODEC = "recaps-utf-8"
"""UTF-8 (a BOM allowed) that decodes bad bytes as U+FFFD instead of raising: Sphinx
reads pages with strict errors and stops with a traceback on the first Latin-1 file."""


class _ReplacingDecoder(encodings.utf_8_sig.IncrementalDecoder):
    def __init__(self, errors: str = "strict") -> None:
        super().__init__("replace")


def _find_codec(name: str) -> codecs.CodecInfo | None:
    if name.replace("-", "_") != SOURCE_CODEC.replace("-", "_"):
        return None
    return codecs.CodecInfo(
        name=SOURCE_CODEC,
        encode=encodings.utf_8_sig.encode,
        decode=lambda data, errors="strict": encodings.utf_8_sig.decode(data, "replace"),
        incrementalencoder=encodings.utf_8_sig.IncrementalEncoder,
        incrementaldecoder=_ReplacingDecoder,
    )


def encoding_problem(data: bytes) -> tuple[int, str] | None:
    """The line and description of the first byte sequence that is not UTF-8."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        return line, f"byte 0x{data[error.start]:02x} at column {column}"
    return None


def _check_encodings(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """Report pages that are not UTF-8, and let them build with the bad bytes replaced."""
    if str(env.settings.get("input_encoding", "")).lower() not in {"utf-8", "utf-8-sig"}:
        return  # conf.py chose another encoding on purpose
    env.settings["input_encoding"] = SOURCE_CODEC
    for docname in docnames:
        try:
            data = env.doc2path(docname).read_bytes()
        except OSError:
            continue
        problem = encoding_problem(data)
        if problem is not None:
            line, what = problem
            warn(
                f"this file is not UTF-8 ({what}); it is built with the undecodable "
                "bytes shown as \ufffd: save it as UTF-8 in your editor",
                Subtype.encoding,
                location=(docname, line),
            )


def setup_codec(app: Sphinx) -> None:
    """Register the codec (once per process) and switch pages over to it."""
    try:
        codecs.lookup(SOURCE_CODEC)
    except LookupError:
        codecs.register(_find_codec)
    app.connect("env-before-read-docs", _check_encodings)
