"""The header each recap opens with, made from its front matter.

A recap is a page under ``recaps/`` (the ``recaps_recaps_dir`` setting). While it is
read, its front matter is validated by :func:`conference_recaps.frontmatter.read_front_matter`
(each problem is a warning at the file's line, ``[recaps.front_matter]`` and the like)
and the result is kept in the domain, where the conference, feed and search pages find
it. Right after the page's title comes a header: the conference (linked to its page),
the date, the authors, the kind of recap, and the original sources, credited and linked.
"""

from __future__ import annotations

import posixpath
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.transforms import SphinxTransform

from conference_recaps.catalogue.lifecycle import REASON_TEXT
from conference_recaps.config import get_config
from conference_recaps.diagnostics import warn
from conference_recaps.directives.base import date_node
from conference_recaps.directives.links import make_link
from conference_recaps.domain import (
    get_catalogue,
    get_domain,
    note_missing,
    note_use,
    recap_meta,
    set_recap_meta,
)
from conference_recaps.frontmatter import filed_year, read_front_matter
from conference_recaps.page_parts import page_part
from conference_recaps.pages.generate import NOINDEX
from conference_recaps.text import RECAP_KIND_LABELS, long_date
from conference_recaps.urls import safe_url

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

    from conference_recaps.frontmatter import RecapMeta


def is_recap(env: BuildEnvironment, docname: str) -> bool:
    folder = posixpath.normpath(get_config(env.config).recaps_dir)
    return docname.startswith(folder + "/")


def _read_front_matter(app: Sphinx, docname: str, source: list[str]) -> None:
    """Validate a recap's front matter from its raw text and keep it in the domain."""
    env = app.env
    if not is_recap(env, docname):
        return
    path = env.doc2path(docname).relative_to(env.srcdir).as_posix()
    catalogue = get_catalogue(env)
    meta, problems = read_front_matter(path, source[0], catalogue)
    for problem in problems:
        message = problem.message
        if problem.column:
            message += f" (column {problem.column})"
        warn(message, problem.subtype, location=(docname, problem.line or None))
    if meta is None:
        return
    set_recap_meta(env, docname, meta)
    if meta.conference is not None and meta.withdrawn is None:
        conference = catalogue.conferences.get(meta.conference)
        if conference is None:
            note_missing(env, docname, f"conference:{meta.conference}")
        else:
            note_use(env, docname, [conference])


def _join(parent: nodes.Element, items: list[list[nodes.Node]], separator: str) -> None:
    for index, item in enumerate(items):
        if index:
            parent += nodes.Text(separator)
        parent.extend(item)


def build_header(env: BuildEnvironment, meta: RecapMeta) -> nodes.container:
    """Conference, date, authors and kind on one line; the sources credited below."""
    catalogue = get_catalogue(env)
    header = nodes.container(classes=["recaps-header"])
    line: list[list[nodes.Node]] = []
    conference = catalogue.conferences.get(meta.conference) if meta.conference else None
    if conference is not None:
        line.append(
            [
                make_link(
                    "conference",
                    conference.id,
                    nodes.Text(conference.name),
                    classes=["recaps-conference"],
                )
            ]
        )
    year = filed_year(meta, catalogue)
    if year is not None and year != meta.date.year:
        # Filed under the year of what it recaps; the reader sees both dates.
        filed = nodes.inline("", "", classes=["recaps-filed"])
        filed += nodes.Text(f"From {year}")
        line.append([filed])
        added = nodes.inline("", "", classes=["recaps-added"])
        added += nodes.Text("added ")
        added += date_node(meta.date)
        line.append([added])
    else:
        line.append([date_node(meta.date)])
    if meta.authors:
        authors = nodes.inline("", "", classes=["recaps-authors"])
        authors += nodes.Text("by ")
        _join(authors, [[nodes.Text(name)] for name in meta.authors], ", ")
        line.append([authors])
    kind = meta.kind.value
    line.append(
        [nodes.inline("", RECAP_KIND_LABELS[kind], classes=["recaps-kind", f"recaps-{kind}"])]
    )
    meta_line = nodes.paragraph("", "", classes=["recaps-header-meta"])
    _join(meta_line, line, " · ")
    header += meta_line

    if meta.sources:
        sources = nodes.paragraph("", "", classes=["recaps-header-sources"])
        sources += nodes.Text("Based on ")
        items: list[list[nodes.Node]] = []
        for source in meta.sources:
            url = safe_url(source.url)
            item: list[nodes.Node] = [
                nodes.reference("", source.title, refuri=url, classes=["recaps-source"])
                if url
                else nodes.inline("", source.title, classes=["recaps-source"])
            ]
            if source.author:
                item.append(nodes.Text(f" by {source.author}"))
            items.append(item)
        _join(sources, items, "; ")
        sources += nodes.Text(".")
        header += sources
    return header


class RecapHeader(SphinxTransform):
    """Inserts the header after the title of each recap with valid front matter."""

    # Before DoctreeReadEvent (880): collectors see the finished page.
    default_priority = 845

    def apply(self, **kwargs: object) -> None:
        meta = recap_meta(self.env, self.env.current_document.docname)
        if meta is None or meta.withdrawn is not None:
            return
        header = build_header(self.env, meta)
        for section in self.document.findall(nodes.section):
            if section.children and isinstance(section[0], nodes.title):
                section.insert(1, header)
                return
        self.document.insert(0, header)


class WithdrawnRecap(SphinxTransform):
    """Replaces a withdrawn recap's whole text by a short notice.

    Before the header (845) and the collectors (880): its title, images and downloads
    never reach the environment, and the talks and photos it showed are dropped from
    the domain, so no talk page lists it and no credit names its photos.
    """

    default_priority = 840

    def apply(self, **kwargs: object) -> None:
        docname = self.env.current_document.docname
        meta = recap_meta(self.env, docname)
        if meta is None or meta.withdrawn is None:
            return
        withdrawal = meta.withdrawn
        section = nodes.section(ids=["withdrawn-recap"], names=["withdrawn recap"])
        section += nodes.title("", "Withdrawn recap")
        section += nodes.paragraph(
            "",
            f"This recap was withdrawn {REASON_TEXT[withdrawal.reason]} on "
            f"{long_date(withdrawal.date)}. It is no longer part of the archive.",
            classes=["recaps-withdrawn-notice"],
        )
        self.document.children = []
        self.document += section
        domain = get_domain(self.env)
        for table in ("mentions", "photos"):
            domain.table(table).pop(docname, None)


@page_part("sourcename", "metatags")
def _noindex(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Keep the notice of a withdrawn recap out of search engines, and its source unpublished.

    Without a ``sourcename``, Sphinx neither copies the Markdown (the withdrawn text) to
    ``_sources/`` when ``html_copy_source`` is on, nor links to it.
    """
    meta = recap_meta(app.env, pagename)
    if meta is None or meta.withdrawn is None:
        return
    if context.get("sourcename"):  # a copy an earlier build made goes too
        Path(app.outdir, "_sources", context["sourcename"]).unlink(missing_ok=True)
    context["sourcename"] = ""
    if "metatags" in context:
        context["metatags"] = NOINDEX + context["metatags"]


def setup_recap_header(app: Sphinx) -> None:
    app.connect("source-read", _read_front_matter)
    app.add_transform(RecapHeader)
    app.add_transform(WithdrawnRecap)
    app.connect("html-page-context", _noindex)
