"""Reproducible builds: the same sources always give the same bytes.

- Two clean builds of the real site, from two copies at different paths, with other
  hash seeds (set order) and other parallelism, write byte-identical files, and no file
  names the folders they were built in.
- On a small site (``tests/roots/test-reproducible``), an incremental build after each
  kind of edit writes exactly what a clean build of the edited sources writes: every
  file, Pagefind's index, feeds and sitemap included.
- Pagefind's index, whose filter files Pagefind writes in a random order, is put in one
  order by :mod:`conference_recaps.discovery.pagefind.reproducible`; its codec and its
  refusal of a format it does not know are tested on their own.
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
from io import StringIO
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sphinx.testing.util import SphinxTestApp
from sphinx.util.console import strip_colors

from conference_recaps.discovery.pagefind.reproducible import (
    SIGNATURE,
    FormatError,
    _encode,
    read_pagefind_file,
    stabilise_bundle,
)
from conftest import TESTS
from quality.fixtures import build_site, copy_sources

if TYPE_CHECKING:
    from collections.abc import Callable

    from quality.fixtures import BuiltSite

ROOT = TESTS / "roots" / "test-reproducible"


def files(outdir: Path) -> dict[str, bytes]:
    """Every file of a build, by its path in the output."""
    return {
        path.relative_to(outdir).as_posix(): path.read_bytes()
        for path in sorted(outdir.rglob("*"))
        if path.is_file()
    }


def differences(left: dict[str, bytes], right: dict[str, bytes]) -> list[str]:
    found = [f"only in the first: {name}" for name in sorted(left.keys() - right.keys())]
    found += [f"only in the second: {name}" for name in sorted(right.keys() - left.keys())]
    found += [
        f"differs: {name}"
        for name in sorted(left.keys() & right.keys())
        if left[name] != right[name]
    ]
    return found


# Pagefind's index, put in one order.


def write_pagefind_file(path: Path, value: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(SIGNATURE + _encode(value)))


def fake_bundle(bundle: Path, *, reverse: bool) -> None:
    """A Pagefind bundle with two filters, written in one order or the other."""
    filters = {
        "tag": ["en_aaaaaaa", [["django", [0, 2]], ["async", [1]], ["é", [300]]]],
        "year": ["en_bbbbbbb", [["2019", [0, 1]], ["2022", [2]]]],
    }
    order = sorted(filters, reverse=reverse)
    listed = []
    for name in order:
        old_hash, values = filters[name]
        if reverse:
            old_hash = old_hash.replace("en_", "en_1")
        listed.append([name, old_hash])
        write_pagefind_file(
            bundle / "filter" / f"{old_hash}.pf_filter",
            [name, list(reversed(values)) if reverse else values],
        )
    meta_hash = "en_9999999999" if reverse else "en_0000000000"
    write_pagefind_file(
        bundle / f"pagefind.{meta_hash}.pf_meta",
        ["1.5.2", [["en_f1", 56]], [["a", "z", "en_c1"]], listed, [], ["title"]],
    )
    entry = {"version": "1.5.2", "languages": {"en": {"hash": meta_hash, "page_count": 3}}}
    (bundle / "pagefind-entry.json").write_text(json.dumps(entry), encoding="utf-8")


def test_a_pagefind_bundle_in_any_order_comes_out_the_same(tmp_path: Path) -> None:
    fake_bundle(tmp_path / "one", reverse=False)
    fake_bundle(tmp_path / "two", reverse=True)
    assert differences(files(tmp_path / "one"), files(tmp_path / "two"))
    stabilise_bundle(tmp_path / "one")
    stabilise_bundle(tmp_path / "two")
    assert differences(files(tmp_path / "one"), files(tmp_path / "two")) == []

    # What the browser reads: the entry names the metadata, which names sorted filters.
    written = files(tmp_path / "one")
    metas = [name for name in written if name.endswith(".pf_meta")]
    assert len(metas) == 1
    meta = read_pagefind_file(tmp_path / "one" / metas[0])
    assert metas[0].removeprefix("pagefind.").removesuffix(".pf_meta") in written[
        "pagefind-entry.json"
    ].decode("utf-8")
    assert [name for name, _ in meta[3]] == ["tag", "year"]
    tag = read_pagefind_file(tmp_path / "one" / "filter" / f"{meta[3][0][1]}.pf_filter")
    assert tag == ["tag", [["async", [1]], ["django", [0, 2]], ["é", [300]]]]
    assert len(list((tmp_path / "one" / "filter").iterdir())) == 2  # the old files are gone


def test_a_pagefind_format_it_does_not_know_is_left_alone(tmp_path: Path) -> None:
    fake_bundle(tmp_path, reverse=False)
    meta = next(tmp_path.glob("*.pf_meta"))
    # A float (CBOR major type 7), which Pagefind 1.5 never writes.
    meta.write_bytes(gzip.compress(SIGNATURE + b"\xfb" + bytes(8)))
    before = files(tmp_path)
    with pytest.raises(FormatError, match="unsupported CBOR major type 7"):
        stabilise_bundle(tmp_path)
    assert files(tmp_path) == before


# Two clean builds of the real site.


@pytest.mark.slow
def test_two_clean_builds_of_the_real_site_are_byte_identical(
    real_site: BuiltSite, tmp_path: Path
) -> None:
    source = copy_sources(tmp_path / "elsewhere" / "checkout")
    second = build_site(source, tmp_path / "second", jobs="1", hash_seed="2")
    first_files, second_files = files(real_site.outdir), files(second.outdir)
    assert len(first_files) > 500
    assert any(re.match(r"pagefind/[\w-]+/filter/", name) for name in first_files)
    assert differences(first_files, second_files) == []
    for name, content in first_files.items():
        for folder in (real_site.outdir, second.outdir, source):
            assert str(folder).encode() not in content, f"{name} names {folder}"


# Incremental builds after each kind of edit.


def build(srcdir: Path, builddir: Path) -> dict[str, bytes]:
    warnings = StringIO()
    app = SphinxTestApp(
        "dirhtml", srcdir=srcdir, builddir=builddir, status=StringIO(), warning=warnings
    )
    try:
        app.build()
    finally:
        app.cleanup()
    assert strip_colors(warnings.getvalue()) == ""
    return files(builddir / "dirhtml")


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


WEBASSEMBLY = """\
  - id: djangocon-us-2019/webassembly
    conference: djangocon-us-2019
    title: "Down to Machine Code: WebAssembly"
    speakers: [carlton-gibson]
    date: 2019-09-24
    tags: [webassembly]
"""


def recap_edited(site: Path) -> None:
    replace(site / "recaps" / "djangocon.md", "Notes on the talk.", "Better notes on the talk.")


def recap_added(site: Path) -> None:
    (site / "recaps" / "later.md").write_text(
        "---\ntitle: Looking back at PyCon US 2019\ndate: 2019-12-01\n"
        "authors: [Ada Writer]\nconference: pycon-us-2019\ntags: [retrospective]\n---\n\n"
        "# Looking back at PyCon US 2019\n\nWith {talk}`pycon-us-2019/other`.\n",
        encoding="utf-8",
    )


def recap_removed(site: Path) -> None:
    (site / "recaps" / "podcast.md").unlink()


def recap_renamed(site: Path) -> None:
    (site / "recaps" / "pycon.md").rename(site / "recaps" / "pycon-2019.md")


def talk_edited(site: Path) -> None:
    replace(site / "talks.yaml", 'title: "Just Add Await"', 'title: "Just Add Await, Again"')


def talk_added(site: Path) -> None:
    replace(
        site / "talks.yaml",
        "  - id: pycon-us-2019/other\n",
        WEBASSEMBLY + "  - id: pycon-us-2019/other\n",
    )


def talk_removed(site: Path) -> None:
    replace(site / "talks.yaml", WEBASSEMBLY, "")


def speaker_renamed(site: Path) -> None:
    replace(site / "talks.yaml", "name: Amber Brown", "name: Amber Hawkie Brown")


#: Each edit, and what the site holds before it (talk_removed removes a talk it adds).
EDITS: dict[str, tuple[Callable[[Path], None], Callable[[Path], None] | None]] = {
    "recap edited": (recap_edited, None),
    "recap added": (recap_added, None),
    "recap removed": (recap_removed, None),
    "recap renamed": (recap_renamed, None),
    "talk edited": (talk_edited, None),
    "talk added": (talk_added, None),
    "talk removed": (talk_removed, talk_added),
    "speaker renamed": (speaker_renamed, None),
}


@pytest.mark.parametrize("edit", list(EDITS))
def test_an_incremental_build_equals_a_clean_build(edit: str, tmp_path: Path) -> None:
    change, setup = EDITS[edit]
    site = tmp_path / "site"
    shutil.copytree(ROOT, site)
    if setup is not None:
        setup(site)
    before = build(site, tmp_path / "incremental")
    change(site)
    after = build(site, tmp_path / "incremental")
    assert after != before, "the edit changed nothing in the output"

    clean_site = tmp_path / "clean-site"
    shutil.copytree(site, clean_site)
    clean = build(clean_site, tmp_path / "clean")
    assert differences(after, clean) == [], "\n".join(differences(after, clean))
