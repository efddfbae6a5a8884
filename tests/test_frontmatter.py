"""A recap's front matter: the model it becomes, and each mistake at its line."""

from __future__ import annotations

import datetime

import pytest

from conference_recaps.catalogue.model import Catalogue, Conference
from conference_recaps.frontmatter import RecapKind, RecapMeta, Source, read_front_matter

CATALOGUE = Catalogue(
    conferences=[
        Conference(
            "djangocon-us-2019",
            "DjangoCon US 2019",
            datetime.date(2019, 9, 22),
            datetime.date(2019, 9, 27),
        )
    ]
)

GOOD = """\
---
title: DjangoCon US 2019 in review
date: 2019-10-28
authors: [Jane Contributor]
conference: djangocon-us-2019
kind: podcast
sources:
  - title: DjangoCon US 2019 Recap
    url: https://example.org/original-post
    author: Katherine Michel
  - title: Notes on paper
tags: [async, community]
description: One sentence.
myst:
  enable_extensions: [colon_fence]
orphan: true
---

# DjangoCon US 2019 in review
"""


def test_good_front_matter() -> None:
    meta, problems = read_front_matter("recaps/2019/x.md", GOOD, CATALOGUE)
    assert problems == []
    assert meta == RecapMeta(
        title="DjangoCon US 2019 in review",
        date=datetime.date(2019, 10, 28),
        authors=("Jane Contributor",),
        conference="djangocon-us-2019",
        kind=RecapKind.podcast,
        sources=(
            Source(
                "DjangoCon US 2019 Recap", "https://example.org/original-post", "Katherine Michel"
            ),
            Source("Notes on paper"),
        ),
        tags=("async", "community"),
        description="One sentence.",
    )


def test_minimal_front_matter_defaults() -> None:
    text = "---\ntitle: NO\ndate: 2019-10-28\nauthors: [3.10]\n---\n# x\n"
    meta, problems = read_front_matter("recaps/x.md", text, Catalogue())
    assert problems == []
    assert meta is not None
    assert (meta.title, meta.authors, meta.kind, meta.conference) == ("NO", ("3.10",), "blog", None)


def _problems(body: str) -> list[str]:
    _, problems = read_front_matter("recaps/x.md", body, CATALOGUE)
    return [f"{p}" for p in problems]


BASE = "---\ntitle: T\ndate: 2019-10-28\nauthors: [A]\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "# no front matter\n",
            "recaps/x.md:1:1: a recap starts with front matter between '---' "
            "lines giving at least title, date and authors (run `recaps new` for a scaffold)",
        ),
        (
            "---\ntitle: T\n",
            "recaps/x.md:1:1: the front matter is not closed; end it with a line '---'",
        ),
        (
            BASE + "conference: djangocon-us-2091\n---\n",
            "recaps/x.md:5:13: unknown conference 'djangocon-us-2091' (did you mean "
            "'djangocon-us-2019'?); use the id of a conference in the catalogue (talks.yaml), "
            "or remove the key",
        ),
        (
            "---\ntitle: T\ndate: 28/10/2019\nauthors: [A]\n---\n",
            "recaps/x.md:3:7: 'date' must be an ISO date like 2019-09-22, not '28/10/2019'",
        ),
        (
            "---\ntitle: T\nauthors: [A]\n---\n",
            "recaps/x.md:2:1: the front matter lacks the required key 'date'",
        ),
        (
            BASE + "kind: vlog\n---\n",
            "recaps/x.md:5:7: unknown kind 'vlog'; use one of blog, podcast, notes "
            "(did you mean 'blog'?)",
        ),
        (
            BASE + "sources:\n  - title: S\n    url: javascript:alert(1)\n---\n",
            "recaps/x.md:7:10: 'url' must be an http:// or https:// URL with a host, not "
            "'javascript:alert(1)'",
        ),
        (
            BASE + "author: Jane\n---\n",
            "recaps/x.md:5:1: unknown key 'author' in the front matter (did you mean 'authors'?)",
        ),
        (
            BASE + "title: Again\n---\n",
            "recaps/x.md:5:1: duplicate key 'title' (first at line 2); keep only one",
        ),
        (
            BASE + "tags: [Async IO]\n---\n",
            "recaps/x.md:5:8: 'tags' 'Async IO' is not a valid tag: use lowercase letters, digits "
            "and single hyphens, e.g. 'async-io'",
        ),
        (
            "---\ntitle: T\ndate: 2019-10-28\nauthors: []\n---\n",
            "recaps/x.md:4:10: 'authors' is empty; name at least one author",
        ),
        (
            "---\ntitle: [T\n---\n",
            "recaps/x.md:2:8: YAML syntax error: did not find expected ',' or ']' (while parsing a "
            "flow sequence); close the list with ']' (and separate its items with ', ')",
        ),
        (
            BASE + "sources:\n  - url: https://example.org/\n---\n",
            "recaps/x.md:6:5: a source lacks the required key 'title'",
        ),
    ],
)
def test_front_matter_problem(text: str, expected: str) -> None:
    assert _problems(text) == [expected]


def test_unknown_conference_is_a_conference_ref_but_meta_is_kept() -> None:
    meta, problems = read_front_matter("recaps/x.md", BASE + "conference: nope\n---\n", CATALOGUE)
    assert meta is not None and meta.conference == "nope"
    assert [p.subtype.value for p in problems] == ["conference_ref"]
