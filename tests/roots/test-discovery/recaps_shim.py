"""TEMPORARY: files each recap's front matter in the Domain until the reader is wired.

When the extension's own front-matter reader filed the recap already, it does nothing.
"""

from __future__ import annotations

import types
from pathlib import Path
from typing import Any

import yaml

from conference_recaps.domain import recap_meta, set_recap_meta

FIELDS = ("title", "date", "authors", "conference", "kind", "sources", "tags", "description")


def _record(app: Any, doctree: Any) -> None:
    docname = app.env.docname
    if not docname.startswith("recaps/") or recap_meta(app.env, docname) is not None:
        return
    text = Path(app.env.doc2path(docname)).read_text(encoding="utf-8")
    raw = yaml.safe_load(text.split("---", 2)[1]) or {}
    raw["sources"] = [types.SimpleNamespace(**s) for s in raw.get("sources") or ()]
    set_recap_meta(app.env, docname, types.SimpleNamespace(**{f: raw.get(f) for f in FIELDS}))


def setup(app: Any) -> dict[str, Any]:
    app.connect("doctree-read", _record)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
