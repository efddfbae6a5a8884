"""Incremental and parallel builds of the generated pages.

An edit rewrites exactly the pages that show what changed (checked with output mtimes);
a parallel build writes the same bytes as a serial one.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

from conference_recaps.pages import generate
from conftest import TESTS

if TYPE_CHECKING:
    from pathlib import Path

#: Warnings of other parts that these tests do not judge.
KNOWN = ("WARNING: search index couldn't be loaded",)


def build(
    srcdir: Path,
    outdir: Path,
    parallel: int = 0,
    *,
    threshold: int | None = None,
    forbid: str = "",
) -> None:
    """Build as ``sphinx-build`` does, in a process of its own.

    Each build of a real site is a fresh process (``sphinx-autobuild`` too); two builds in
    one process share module state that extensions mutate and see a changed configuration.
    """
    code = "\n".join(
        [
            "import sys",
            "from conference_recaps.pages import generate",
            f"generate.PARALLEL_THRESHOLD = {threshold or generate.PARALLEL_THRESHOLD}",
            forbid,
            "from sphinx.cmd.build import main",
            "sys.exit(main(sys.argv[1:]))",
        ]
    )
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(TESTS), os.environ.get("PYTHONPATH", "")]),
    }
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            code,
            "-q",
            "-b",
            "dirhtml",
            "-d",
            str(outdir / "doctrees"),
            *(["-j", str(parallel)] if parallel else []),
            str(srcdir),
            str(outdir / "dirhtml"),
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    problems = [line for line in result.stderr.splitlines() if not line.startswith(KNOWN)]
    assert problems == []


def mtimes(outdir: Path) -> dict[Path, int]:
    """The output's modification times (Sphinx compares sources with outputs: keep them)."""
    return {path: path.stat().st_mtime_ns for path in outdir.rglob("index.html")}


#: Pages of other parts (written on every build by design) are not under test here.
OTHERS = {"404", "search", "genindex"}


def rewritten(outdir: Path, before: dict[Path, int]) -> set[str]:
    return {
        name
        for path in outdir.rglob("index.html")
        if path.stat().st_mtime_ns != before.get(path)
        and (name := path.parent.relative_to(outdir).as_posix()) not in OTHERS
    }


def before_names(outdir: Path, before: dict[Path, int]) -> set[str]:
    """The names of the pages ``before`` has a time for."""
    return {path.parent.relative_to(outdir).as_posix() for path in before}


def assert_pages_as_fresh(site: Path, outdir: Path, fresh: Path) -> None:
    """Every HTML page in ``outdir`` has the bytes a fresh build of ``site`` writes."""
    build(site, fresh)
    for path in sorted((fresh / "dirhtml").rglob("*.html")):
        if "pagefind" not in path.parts and path.parent.name not in OTHERS:
            relpath = path.relative_to(fresh / "dirhtml")
            assert (outdir / relpath).read_bytes() == path.read_bytes(), relpath


@pytest.fixture
def site(tmp_path: Path) -> Path:
    srcdir = tmp_path / "src"
    shutil.copytree(TESTS / "roots" / "test-pages", srcdir)
    return srcdir


def test_noop_rebuild_writes_nothing(site: Path, tmp_path: Path) -> None:
    build(site, tmp_path / "out")
    outdir = tmp_path / "out" / "dirhtml"
    before = mtimes(outdir)
    build(site, tmp_path / "out")
    assert rewritten(outdir, before) == set()


#: Run in the build's process: the whole-site steps that a build with unchanged inputs
#: must not take fail the build if they are taken.
FORBID_WHOLE_SITE_WORK = """
from conference_recaps import pages
from conference_recaps.discovery import api, calendar, feeds, sitemap
def forbidden(*args, **kwargs):
    raise AssertionError("whole-site work in a build whose inputs did not change")
pages.all_pages = api.public_talks = calendar.conference_calendar = forbidden
feeds.Site = sitemap.sitemap_entries = forbidden
"""


def test_noop_rebuild_makes_no_page_feed_or_api_file(site: Path, tmp_path: Path) -> None:
    """Nothing the site is made from changed: no page context, API file, feed, calendar
    or sitemap is made again only to be found equal (inputs.py)."""
    out = tmp_path / "out"
    build(site, out)
    outdir = out / "dirhtml"
    files = {
        p: p.read_bytes() for p in outdir.rglob("*") if p.is_file() and "pagefind" not in p.parts
    }
    build(site, out, forbid=FORBID_WHOLE_SITE_WORK)
    after = {
        p: p.read_bytes() for p in outdir.rglob("*") if p.is_file() and "pagefind" not in p.parts
    }
    assert after == files
    # A missing output is made again, as before.
    (outdir / "api/talks/pycon-2019/zen-of-testing.json").unlink()
    build(site, out)
    assert (outdir / "api/talks/pycon-2019/zen-of-testing.json").read_bytes() == files[
        outdir / "api/talks/pycon-2019/zen-of-testing.json"
    ]
    # An edit is seen: the same guard now fails the build.
    catalogue = site / "talks.yaml"
    catalogue.write_text(catalogue.read_text().replace("Zen of testing", "Zen of tests"))
    with pytest.raises(AssertionError, match="whole-site work"):
        build(site, out, forbid=FORBID_WHOLE_SITE_WORK)


#: The outputs made from the catalogue alone fail the build if they are made again.
FORBID_CATALOGUE_WORK = """
from conference_recaps.discovery import api, calendar
def forbidden(*args, **kwargs):
    raise AssertionError("catalogue work in a build whose catalogue did not change")
api.public_talks = calendar.conference_calendar = forbidden
"""


def test_editing_a_recap_makes_no_api_file_or_calendar(site: Path, tmp_path: Path) -> None:
    """The API and the calendars are made from the catalogue alone (inputs.py): a recap's
    text edit does not serialise 35,000 API files again at pyvideo.org's scale."""
    out = tmp_path / "out"
    build(site, out)
    recap = site / "recaps" / "other.md"
    recap.write_text(recap.read_text() + "\nOne more sentence.\n")
    build(site, out, forbid=FORBID_CATALOGUE_WORK)
    assert "One more sentence." in (out / "dirhtml/recaps/other/index.html").read_text()
    # The catalogue changed: the same guard fails the build.
    catalogue = site / "talks.yaml"
    catalogue.write_text(catalogue.read_text().replace("Zen of testing", "Zen of tests"))
    with pytest.raises(AssertionError, match="catalogue work"):
        build(site, out, forbid=FORBID_CATALOGUE_WORK)


#: Made only when what pages show changed: a guard that fails the build if they are made.
FORBID_PAGE_WORK = """
from conference_recaps import pages
from conference_recaps.discovery import sitemap
def forbidden(*args, **kwargs):
    raise AssertionError("page work in a build whose pages' inputs did not change")
pages.all_pages = sitemap.sitemap_entries = forbidden
"""


def test_editing_a_recaps_sentences_makes_no_generated_page(site: Path, tmp_path: Path) -> None:
    """No generated page shows a recap's text beyond its excerpt (Site.digest): editing a
    sentence makes none of the pages' contexts again (38,000 at pyvideo.org's scale), nor
    the sitemap; the recap's own page and the feeds that carry its text are remade."""
    out = tmp_path / "out"
    build(site, out)
    outdir = out / "dirhtml"
    before = mtimes(outdir)
    recap = site / "recaps" / "other.md"
    recap.write_text(recap.read_text() + "\nOne more sentence.\n")
    build(site, out, forbid=FORBID_PAGE_WORK)
    # The recap, and the home page: Sphinx rewrites the document whose toctree lists it.
    assert rewritten(outdir, before) == {"recaps/other", "."}
    assert "One more sentence." in (outdir / "recaps/other/index.html").read_text()
    assert "One more sentence." in (outdir / "feeds/atom.xml").read_text()
    # A fresh build writes the same pages.
    assert_pages_as_fresh(site, outdir, tmp_path / "fresh")
    # What pages show does change with the title: the same guard now fails the build.
    recap.write_text(recap.read_text().replace("title: Another recap", "title: A recap"))
    with pytest.raises(AssertionError, match="page work"):
        build(site, out, forbid=FORBID_PAGE_WORK)


#: A talk of pycon-2019 by ada-lovelace, tagged async and python: no feed that carries
#: recaps/other (djangocon-2019's, bob-tables', django's, the site's) lists it.
FORBID_OTHER_FEEDS = """
from conference_recaps.discovery import feeds
real = feeds.FeedInputs.talk
def guarded(self, catalogue, talk):
    if talk.id == "pycon-2019/async-all-the-way":
        raise AssertionError("a feed that does not carry the edited recap was made again")
    return real(self, catalogue, talk)
feeds.FeedInputs.talk = guarded
def no_headlines(*args, **kwargs):
    raise AssertionError("a speaker's or tag's feed was made again")
feeds._subject_feed = no_headlines
"""


def test_editing_a_recaps_sentences_makes_only_the_feeds_that_carry_it(
    site: Path, tmp_path: Path
) -> None:
    """The feeds that do not carry the edited recap's text keep their fingerprints
    without being made again (16,000 feeds at pyvideo.org's scale): its speakers' and
    tags' feeds carry it as a headline. Every feed is still what a fresh build writes."""
    out = tmp_path / "out"
    build(site, out)
    recap = site / "recaps" / "other.md"
    recap.write_text(recap.read_text() + "\nOne more sentence.\n")
    build(site, out, forbid=FORBID_OTHER_FEEDS)
    feeds = out / "dirhtml" / "feeds"
    for carrier in ("atom.xml", "djangocon-2019/rss.xml"):
        assert "One more sentence." in (feeds / carrier).read_text(), carrier
    for headlines in ("speakers/bob-tables/atom.xml", "tags/django/atom.xml"):
        assert "One more sentence." not in (feeds / headlines).read_text(), headlines
        assert "recaps/other/" in (feeds / headlines).read_text(), headlines
    fresh = tmp_path / "fresh"
    build(site, fresh)
    made = sorted(
        p.relative_to(fresh / "dirhtml/feeds") for p in (fresh / "dirhtml/feeds").rglob("*.xml")
    )
    assert made == sorted(p.relative_to(feeds) for p in feeds.rglob("*.xml"))
    for relpath in made:
        assert (feeds / relpath).read_bytes() == (fresh / "dirhtml/feeds" / relpath).read_bytes()
    # A description is in every feed that carries the recap, and is not a page: the
    # feeds are made again and compared, and the guard fails the build.
    recap.write_text(recap.read_text().replace("kind: notes", "kind: notes\ndescription: Notes."))
    with pytest.raises(AssertionError, match="does not carry the edited recap"):
        build(site, out, forbid=FORBID_OTHER_FEEDS)


def test_a_new_recap_rewrites_the_pages_whose_sidebar_lists_it(site: Path, tmp_path: Path) -> None:
    """The latest recaps are in the full sidebar only: a recap that mentions nothing
    rewrites the pages that show the full sidebar (documents, conference, year and
    index pages), not the talk, speaker and tag pages (35,000 at pyvideo.org's scale)."""
    out = tmp_path / "out"
    build(site, out)
    outdir = out / "dirhtml"
    before = mtimes(outdir)
    (site / "recaps" / "newest.md").write_text(
        "---\ntitle: The newest recap\ndate: 2024-05-01\nauthors: [Ann Writer]\n"
        "kind: notes\n---\n\n# The newest recap\n\nA day of talks.\n"
    )
    build(site, out)
    written = rewritten(outdir, before)
    assert "recaps/newest" in written
    assert {"conferences/pycon-2019", "years/2019", "talks", "speakers", "tags", "."} <= written
    leaves = {
        n for n in before_names(outdir, before) if n.startswith(("talks/", "speakers/", "tags/"))
    }
    assert leaves, "the site has talk, speaker and tag pages"
    assert not written & leaves
    assert "The newest recap" in (outdir / "conferences/pycon-2019/index.html").read_text()
    assert (
        "The newest recap"
        not in (outdir / "talks/pycon-2019/zen-of-testing/index.html").read_text()
    )
    assert_pages_as_fresh(site, outdir, tmp_path / "fresh")


def test_editing_a_talk_rewrites_the_pages_that_show_it(site: Path, tmp_path: Path) -> None:
    build(site, tmp_path / "out")
    outdir = tmp_path / "out" / "dirhtml"
    before = mtimes(outdir)
    catalogue = site / "talks.yaml"
    catalogue.write_text(catalogue.read_text().replace("Zen of testing", "Zen of tests"))
    build(site, tmp_path / "out")
    assert rewritten(outdir, before) == {
        "talks/pycon-2019/zen-of-testing",  # its page
        "talks/pycon-2019/async-all-the-way",  # its previous talk shows its title
        "talks/pycon-2019/opening-keynote",  # related talks: the same speaker
        "talks/djangocon-2019/orm-tricks",
        "conferences/pycon-2019",
        "speakers/ada-lovelace",
        "speakers/bob-tables",
        "tags/testing",
        "talks",  # the talks index lists every title
    }
    page = (outdir / "talks/pycon-2019/async-all-the-way/index.html").read_text()
    assert "Zen of tests" in page


def test_removed_talk_page_is_deleted(site: Path, tmp_path: Path) -> None:
    build(site, tmp_path / "out")
    outdir = tmp_path / "out" / "dirhtml"
    catalogue = site / "talks.yaml"
    text = catalogue.read_text()
    start = text.index("  - id: djangocon-2019/orm-tricks")
    catalogue.write_text(text[:start])
    (site / "recaps" / "other.md").unlink()
    build(site, tmp_path / "out")
    assert not (outdir / "talks/djangocon-2019/orm-tricks").exists()
    assert not (outdir / "tags/django").exists()


def test_deleted_output_is_rewritten(site: Path, tmp_path: Path) -> None:
    build(site, tmp_path / "out")
    outdir = tmp_path / "out" / "dirhtml"
    (outdir / "speakers/ada-lovelace/index.html").unlink()
    before = mtimes(outdir)
    build(site, tmp_path / "out")
    assert rewritten(outdir, before) == {"speakers/ada-lovelace"}


def test_parallel_equals_serial(site: Path, tmp_path: Path) -> None:
    build(site, tmp_path / "serial")
    build(site, tmp_path / "parallel", parallel=2, threshold=1)  # fork even for a few pages
    serial = tmp_path / "serial" / "dirhtml"
    parallel = tmp_path / "parallel" / "dirhtml"
    files = sorted(p.relative_to(serial) for p in serial.rglob("index.html"))
    assert files == sorted(p.relative_to(parallel) for p in parallel.rglob("index.html"))
    assert len(files) > 20
    for name in files:
        assert (serial / name).read_bytes() == (parallel / name).read_bytes(), name


#: The parent process makes no page when the workers do.
FORBID_SERIAL_PAGES = """
from conference_recaps import pages
def forbidden(*args, **kwargs):
    raise AssertionError("pages made in the parent process")
pages.PageBuild.make_pages = forbidden
"""


def test_a_parallel_rebuild_finds_and_writes_what_a_serial_one_does(
    site: Path, tmp_path: Path
) -> None:
    """With -j 2, two forked workers make the pages' contexts and stamps, a share of
    the families each (PageBuild.outdated): an edit rewrites the same pages as a serial
    build, with the same bytes as a fresh build's."""
    out = tmp_path / "out"
    build(site, out, parallel=2, threshold=1)
    outdir = out / "dirhtml"
    before = mtimes(outdir)
    catalogue = site / "talks.yaml"
    catalogue.write_text(catalogue.read_text().replace("Zen of testing", "Zen of tests"))
    build(site, out, parallel=2, threshold=1, forbid=FORBID_SERIAL_PAGES)
    assert rewritten(outdir, before) == {
        "talks/pycon-2019/zen-of-testing",
        "talks/pycon-2019/async-all-the-way",
        "talks/pycon-2019/opening-keynote",
        "talks/djangocon-2019/orm-tricks",
        "conferences/pycon-2019",
        "speakers/ada-lovelace",
        "speakers/bob-tables",
        "tags/testing",
        "talks",
    }
    assert_pages_as_fresh(site, outdir, tmp_path / "fresh")
    # A no-op parallel rebuild writes nothing.
    before = mtimes(outdir)
    build(site, out, parallel=2, threshold=1)
    assert rewritten(outdir, before) == set()
