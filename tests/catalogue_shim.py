"""TEMPORARY: puts a test root's talks.yaml into the domain until the real loader lands."""

from __future__ import annotations

import datetime
import types
from pathlib import Path
from typing import Any

import yaml

from conference_recaps.catalogue.model import Catalogue, Conference, Speaker, Talk, TalkKind
from conference_recaps.domain import get_domain


def _load(app: Any, env: Any, *args: Any) -> list[str]:
    path = Path(app.srcdir) / "talks.yaml"
    data = yaml.safe_load(path.read_text()) if path.exists() else {}
    data = data or {}
    conferences = [Conference(**c) for c in data.get("conferences", [])]
    speakers = [
        Speaker(**{**s, "aliases": tuple(s.get("aliases", ()))}) for s in data.get("speakers", [])
    ]
    talks = []
    for raw in data.get("talks", []):
        t = dict(raw)
        t["speakers"] = tuple(t.get("speakers", ()))
        t["tags"] = tuple(t.get("tags", ()))
        if "kind" in t:
            t["kind"] = TalkKind(t["kind"])
        if isinstance(t.get("date"), str):
            t["date"] = datetime.date.fromisoformat(t["date"])
        talks.append(Talk(**t))
    get_domain(env).data["catalogue"] = types.SimpleNamespace(
        catalogue=Catalogue(conferences, speakers, talks, ["talks.yaml"])
    )
    return []


def setup(app: Any) -> dict[str, Any]:
    app.connect("env-get-outdated", _load, priority=100)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
