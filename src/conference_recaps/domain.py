"""Cross-document state, kept in one Sphinx Domain so incremental and parallel builds agree.

Every record is filed under the document that produced it: ``clear_doc`` drops a
document's records before it is read again, and ``merge_domaindata`` folds in what
parallel readers found. The loaded catalogue is stored here too (it is pickled with the
environment, so an unchanged catalogue is not parsed again on the next build).

Which catalogue entries a page shows is recorded with :func:`note_use`; when the
catalogue changes, :func:`_outdated_by_catalogue` re-reads exactly the pages whose
entries' fingerprints changed, instead of every page that read ``talks.yaml``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, cast

from sphinx.domains import Domain

from conference_recaps.catalogue.model import Catalogue, Entry, entry_key, fingerprint

if TYPE_CHECKING:
    from collections.abc import Iterable, Set

    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

#: Per-document tables: ``{table: {docname: records}}``.
PER_DOC_TABLES = ("uses", "mentions", "photos", "recaps")


class RecapsDomain(Domain):
    """Holds the catalogue and what each document took from it or added to the site."""

    name = "recaps"
    label = "Conference recaps"
    data_version = 1
    initial_data: ClassVar[dict[str, Any]] = {
        # The parsed catalogue and the stamps of the files it came from; set before reading.
        "catalogue": None,
        # docname -> {entry key: fingerprint}: catalogue entries the page shows.
        "uses": {},
        # docname -> list of records of talks and speakers the page links (see directives).
        "mentions": {},
        # docname -> list of photo credits on the page.
        "photos": {},
        # docname -> the recap's validated front matter.
        "recaps": {},
    }

    def clear_doc(self, docname: str) -> None:
        for table in PER_DOC_TABLES:
            self.data[table].pop(docname, None)

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        for table in PER_DOC_TABLES:
            for docname in docnames:
                if docname in otherdata[table]:
                    self.data[table][docname] = otherdata[table][docname]

    def table(self, name: str) -> dict[str, Any]:
        """One per-document table, ``{docname: records}``."""
        return cast("dict[str, Any]", self.data[name])


def get_domain(env: BuildEnvironment) -> RecapsDomain:
    return cast("RecapsDomain", env.domains["recaps"])


def get_catalogue(env: BuildEnvironment) -> Catalogue:
    """The catalogue loaded for this build (an empty one before loading)."""
    loaded = get_domain(env).data["catalogue"]
    return loaded.catalogue if loaded is not None else Catalogue()


def note_use(env: BuildEnvironment, docname: str, entries: Iterable[Entry]) -> None:
    """Record that ``docname`` shows these entries, so their edits re-read it."""
    uses = get_domain(env).table("uses").setdefault(docname, {})
    for entry in entries:
        uses[entry_key(entry)] = fingerprint(entry)


def _outdated_by_catalogue(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """Documents whose catalogue entries changed, vanished or appeared since they were read."""
    catalogue = get_catalogue(env)
    outdated = []
    for docname, uses in get_domain(env).table("uses").items():
        if docname in changed or docname in removed:
            continue
        for key, stamp in uses.items():
            entry = catalogue.get(key)
            if entry is None or fingerprint(entry) != stamp:
                outdated.append(docname)
                break
    return outdated


def setup_domain(app: Sphinx) -> None:
    app.add_domain(RecapsDomain)
    app.connect("env-get-outdated", _outdated_by_catalogue)
