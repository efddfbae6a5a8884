"""The pages' share of the environment: which documents hold a home placeholder.

A Domain of its own, so incremental builds drop a document's records (``clear_doc``)
and parallel reads merge them (``merge_domaindata``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, cast

from sphinx.domains import Domain

if TYPE_CHECKING:
    from collections.abc import Set

    from sphinx.environment import BuildEnvironment


class PagesDomain(Domain):
    """Per-document records of the page generator."""

    name = "recaps_pages"
    label = "Conference recaps: generated pages"
    data_version = 2
    initial_data: ClassVar[dict[str, Any]] = {
        # docname -> True: the document has a recaps-home placeholder.
        "home": {},
    }

    def clear_doc(self, docname: str) -> None:
        self.data["home"].pop(docname, None)

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        for docname in docnames:
            if docname in otherdata["home"]:
                self.data["home"][docname] = otherdata["home"][docname]

    def note_home(self, docname: str) -> None:
        self.data["home"][docname] = True

    def home_docs(self) -> list[str]:
        return sorted(self.data["home"])


def get_pages_domain(env: BuildEnvironment) -> PagesDomain:
    return cast("PagesDomain", env.domains["recaps_pages"])
