"""``recaps new``: scaffold a recap post for a conference.

Run from the site's root (or pass ``--root``). It asks for what it needs when run in a
terminal, or takes it all as flags, so scripts and CI never wait on input::

    recaps new --conference djangocon-us-2019 --title "My DjangoCon" --author "Jane Doe"

It writes ``recaps/<year>/<slug>.md`` (the conference's year; the slug comes from the
title unless ``--slug`` is given) with valid front matter and a skeleton: a talk card
for one of the conference's talks and a photo example to uncomment. It never overwrites
a file. With ``--new-conference`` it first appends the conference to the catalogue,
leaving the rest of the file exactly as it was.
"""

from __future__ import annotations

import argparse
import datetime
import difflib
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from conference_recaps.catalogue.loader import catalogue_files, load_catalogue
from conference_recaps.catalogue.model import Catalogue
from conference_recaps.catalogue.schema import SLUG_PATTERN
from conference_recaps.commands import RECAP_KINDS
from conference_recaps.config import PREFIX, RecapsConfig, config_fields
from conference_recaps.importers.merge import add_entry
from conference_recaps.importers.sources import SourceError
from conference_recaps.text import slugify
from conference_recaps.urls import is_http_url

if TYPE_CHECKING:
    from collections.abc import Callable

    from conference_recaps.catalogue.model import Conference
    from conference_recaps.diagnostics import Problem


#: How many matching conferences the interactive chooser lists.
MAX_CHOICES = 15

#: Where ``make serve`` serves the site.
PREVIEW_URL = "http://127.0.0.1:8000"


class NewError(Exception):
    """A problem with what was asked for; the message says what to do instead."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


# -- values -----------------------------------------------------------------------------


def _slug(text: str) -> str:
    """``DjangoCon US 2019: in review`` -> ``djangocon-us-2019-in-review`` (or empty)."""
    return slugify(text, max_length=80, fallback=None)


def parse_date(value: str, what: str) -> datetime.date:
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
            raise ValueError
        return datetime.date.fromisoformat(value.strip())
    except ValueError:
        raise NewError(
            f"{what} {value!r} is not a date: write it as YYYY-MM-DD, e.g. 2019-09-22"
        ) from None


def check_slug(value: str, what: str) -> str:
    if not re.match(SLUG_PATTERN, value):
        raise NewError(
            f"{what} {value!r} is not a slug: use lowercase letters, digits and single "
            f"hyphens, e.g. {_slug(value) or 'djangocon-us-2019'}"
        )
    return value


def check_url(value: str) -> str:
    if not is_http_url(value):
        raise NewError(f"--url {value!r} is not an http:// or https:// address")
    return value.strip()


def check_text(value: str | None, what: str) -> str:
    text = " ".join((value or "").split())
    if not text:
        raise NewError(f"{what} is empty")
    return text


# -- the site ---------------------------------------------------------------------------


def read_settings(root: Path) -> RecapsConfig:
    """The ``recaps_*`` values of the site's ``conf.py`` (invalid ones fall back to defaults)."""
    from sphinx.config import Config  # noqa: PLC0415 (only this command needs Sphinx's config)
    from sphinx.errors import ConfigError  # noqa: PLC0415
    from sphinx.util.tags import Tags  # noqa: PLC0415

    if not (root / "conf.py").is_file():
        raise NewError(
            f"{root / 'conf.py'} not found: run recaps new from the site's root, or pass "
            "--root with the folder that holds conf.py"
        )
    try:
        config = Config.read(root, overrides={}, tags=Tags())
    except ConfigError as exc:
        raise NewError(f"{root / 'conf.py'} cannot be read: {exc}") from None
    values: dict[str, Any] = {}
    for f in config_fields():
        config.add(PREFIX + f.name, f.default, "env", frozenset({str}))
        value = getattr(config, PREFIX + f.name)
        if f.metadata["validator"](value) is None:
            values[f.name] = value
    return RecapsConfig(**values)


@dataclass
class Site:
    root: Path
    settings: RecapsConfig
    catalogue: Catalogue
    problems: list[Problem] = field(default_factory=list)

    @classmethod
    def load(cls, root: Path) -> Site:
        site = cls(root, read_settings(root), Catalogue())
        site.reload()
        return site

    def reload(self) -> None:
        self.catalogue, problems = load_catalogue(
            self.root, catalogue_files(self.root, self.settings)
        )
        self.problems = list(problems)


def conference_matches(catalogue: Catalogue, query: str) -> list[Conference]:
    """Conferences whose id, name, series or location hold every word of ``query``."""
    words = query.casefold().split()
    found = []
    for conference in catalogue.conferences.values():
        haystack = " ".join(
            filter(None, (conference.id, conference.name, conference.series, conference.location))
        ).casefold()
        if all(word in haystack for word in words):
            found.append(conference)
    return sorted(found, key=lambda c: (c.start, c.id), reverse=True)


def describe(conference: Conference) -> str:
    where = f", {conference.location}" if conference.location else ""
    return f"{conference.id}  {conference.name} ({conference.start.isoformat()}{where})"


def unknown_conference(catalogue: Catalogue, ident: str) -> NewError:
    close = difflib.get_close_matches(ident, list(catalogue.conferences), n=5, cutoff=0.6)
    words = conference_matches(catalogue, ident.replace("-", " "))[:5]
    suggestions = list(dict.fromkeys([*close, *(c.id for c in words)]))
    hint = f" Did you mean: {', '.join(suggestions)}?" if suggestions else ""
    return NewError(
        f"unknown conference {ident!r}: it is not in the catalogue "
        f"({', '.join(catalogue.files) or 'no catalogue file'}).{hint} To add it, pass "
        "--new-conference with --name and --start."
    )


# -- adding a conference to the catalogue -----------------------------------------------


def conference_entry(
    ident: str,
    *,
    name: str,
    start: datetime.date,
    end: datetime.date,
    location: str | None,
    url: str | None,
) -> dict[str, Any]:
    entry: dict[str, Any] = {"id": ident, "name": name, "start": start, "end": end}
    if location:
        entry["location"] = location
    if url:
        entry["url"] = url
    return entry


def _dump(data: Any, *, flow: bool | None = None) -> str:
    """YAML for ``data``, quoted only where needed; lists of scalars inline unless ``flow``."""
    return yaml.safe_dump(
        data, sort_keys=False, allow_unicode=True, default_flow_style=flow, width=10_000
    )


def add_conference(site: Site, entry: dict[str, Any]) -> Path:
    """Add the conference to the main catalogue file; undo it if the catalogue breaks.

    The importers' round-trip merger writes it, so the file keeps its comments, quoting
    and layout, and the conference goes at its place by start date.
    """
    path = site.root / site.settings.catalogue
    before = path.read_text(encoding="utf-8") if path.exists() else ""
    old_errors = {str(p) for p in site.problems if p.is_error}
    try:
        add_entry(path, "conferences", entry)
    except SourceError as exc:
        raise NewError("; ".join(str(p) for p in exc.problems)) from None
    site.reload()
    new_errors = [p for p in site.problems if p.is_error and str(p) not in old_errors]
    if entry["id"] not in site.catalogue.conferences or new_errors:
        if before or path.exists():
            path.write_text(before, encoding="utf-8")
        if not before:
            path.unlink()
        site.reload()
        details = "; ".join(str(p) for p in new_errors) or "the entry was not loaded"
        raise NewError(f"adding the conference would break {site.settings.catalogue}: {details}")
    return path


# -- the recap file ---------------------------------------------------------------------


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>{}|~&#])")


def markdown_text(text: str) -> str:
    """Text that MyST shows as written: markup characters are backslash-escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


@dataclass(frozen=True)
class RecapPlan:
    conference: Conference
    title: str
    authors: tuple[str, ...]
    kind: str
    date: datetime.date
    slug: str


def recap_path(site: Site, plan: RecapPlan) -> Path:
    return site.root / site.settings.recaps_dir / str(plan.conference.year) / f"{plan.slug}.md"


def render_recap(site: Site, plan: RecapPlan, image_dir: str) -> str:
    """The new recap: front matter, then a skeleton that builds without a warning."""
    meta = {
        "title": plan.title,
        "date": plan.date,
        "authors": list(plan.authors),
        "conference": plan.conference.id,
        "kind": plan.kind,
    }
    talks = site.catalogue.talks_of_conference(plan.conference.id)
    talk = next((t for t in talks if t.kind.value == "keynote"), talks[0] if talks else None)
    parts = [
        "---\n",
        _dump(meta),
        "# tags: [django, community]       # topics, as lowercase slugs\n",
        "# sources:                          # originals this recap draws on, if any\n",
        "#   - title: The original post\n",
        "#     url: https://example.org/original-post\n",
        "---\n\n",
        f"# {markdown_text(plan.title)}\n\n",
        "% Lines starting with % are comments: they do not appear on the site. Replace the\n",
        "% paragraphs below with your recap, then preview it with `make serve`.\n\n",
        f"Write your recap of {markdown_text(plan.conference.name)} here: what the "
        "conference was like, what you learned, who you met.\n\n",
        "## Talks that stood out\n\n",
    ]
    if talk is not None:
        parts += [
            "% A talk card shows a talk from the catalogue, with its speakers, video and\n",
            "% slides. Put your notes on the talk inside it. The card takes the talk's id\n",
            f"% from {site.settings.catalogue}; the conference's page lists them all:\n",
            f"% {PREVIEW_URL}/conferences/{plan.conference.id}/\n\n",
            f":::{{talk-card}} {talk.id}\n",
            "What you took away from this talk, in your own words.\n",
            ":::\n\n",
            f"You can also mention a talk inline: {{talk}}`{talk.id}`",
        ]
        if talk.speakers and talk.speakers[0] in site.catalogue.speakers:
            parts.append(f", or a speaker: {{speaker}}`{talk.speakers[0]}`")
        parts.append(".\n\n")
    else:
        parts += [
            f"% {plan.conference.name} has no talks in the catalogue yet. Add them to\n",
            f"% {site.settings.catalogue} (see docs/catalogue.md, or import them: see\n",
            "% docs/importing.md), then show one with a card:\n",
            "%\n",
            f"% :::{{talk-card}} {plan.conference.id}/the-talks-slug\n",
            "% What you took away from this talk.\n",
            "% :::\n\n",
            "Write about the talks that stood out here.\n\n",
        ]
    parts += [
        "% A photo: put the image file (JPEG, PNG or WebP, yours or licensed for reuse)\n",
        f"% in {image_dir}/ next to this page, then remove the % and the space at the start\n",
        "% of the five lines below. :alt: describes the photo for people who cannot see\n",
        "% it; :credit: names the photographer; both are required.\n",
        "%\n",
        "% :::{photo} images/opening-reception.jpg\n",
        "% :alt: Attendees at the opening reception\n",
        f"% :credit: {plan.authors[0]}\n",
        "% :license: CC BY-SA 4.0\n",
        "% :::\n",
    ]
    return "".join(parts)


# -- asking -----------------------------------------------------------------------------


class Prompter:
    """Asks on the terminal; :meth:`ask` repeats the question until ``check`` accepts."""

    def __init__(self, interactive: bool) -> None:
        self.interactive = interactive

    def ask(
        self,
        question: str,
        check: Callable[[str], Any],
        default: str | None = None,
    ) -> Any:
        shown = f"{question} [{default}]: " if default else f"{question}: "
        while True:
            try:
                answer = input(shown).strip()
            except EOFError:
                raise NewError("no answer (input ended); nothing was written") from None
            if not answer and default is not None:
                answer = default
            try:
                return check(answer)
            except NewError as exc:
                print(f"  {exc}", file=sys.stderr)


def choose_conference(site: Site, prompter: Prompter) -> Conference | None:
    """Ask for a conference by words of its name; None means "add a new one"."""
    print("Which conference is the recap about?")
    while True:
        query = prompter.ask(
            "Conference (its id or words of its name; 'new' to add one)",
            lambda text: check_text(text, "the answer"),
        )
        if query.casefold() == "new":
            return None
        if query in site.catalogue.conferences:
            return site.catalogue.conferences[query]
        matches = conference_matches(site.catalogue, query)
        if not matches:
            print(f"  No conference matches {query!r}; try fewer words, or 'new'.")
            continue
        if len(matches) == 1:
            print(f"  Found {describe(matches[0])}")
            return matches[0]
        for number, conference in enumerate(matches[:MAX_CHOICES], 1):
            print(f"  {number:2}. {describe(conference)}")
        if len(matches) > MAX_CHOICES:
            print(f"  ... and {len(matches) - MAX_CHOICES} more: type more words to narrow")
        shown = matches[:MAX_CHOICES]

        def pick(text: str, shown: list[Conference] = shown) -> Conference | None:
            if not text:
                return None
            if text.isdigit() and 1 <= int(text) <= len(shown):
                return shown[int(text) - 1]
            raise NewError(f"type a number from 1 to {len(shown)}, or nothing to search again")

        chosen: Conference | None = prompter.ask("Number (empty: search again)", pick, "")
        if chosen is not None:
            return chosen


# -- the command ------------------------------------------------------------------------


def _missing(args: argparse.Namespace) -> list[str]:
    missing = []
    if args.new_conference:
        if not args.name:
            missing.append("--name")
        if not args.start:
            missing.append("--start")
    elif not args.conference:
        missing.append("--conference")
    if not args.title:
        missing.append("--title")
    if not args.authors:
        missing.append("--author")
    return missing


def new_conference(site: Site, args: argparse.Namespace, prompter: Prompter) -> dict[str, Any]:
    """The new conference's entry, from the flags or the answers; checked, not yet written."""
    ask = prompter.interactive
    if args.name:
        name = check_text(args.name, "--name")
    else:
        name = prompter.ask(
            "Conference name (e.g. DjangoCon US 2019)", lambda t: check_text(t, "the name")
        )

    def free_id(text: str) -> str:
        check_slug(text, "the conference id")
        if text in site.catalogue.conferences:
            raise NewError(
                f"conference {text!r} is already in the catalogue: use --conference {text} "
                "without --new-conference"
            )
        return text

    if args.conference:
        ident = free_id(args.conference)
    elif ask:
        ident = prompter.ask("Conference id", free_id, _slug(name))
    else:
        ident = free_id(_slug(name))
    start, end = _conference_dates(args, prompter)
    location, url = _conference_place(args, prompter)
    return conference_entry(
        ident,
        name=name,
        start=start,
        end=end,
        location=location,
        url=url,
    )


def _conference_dates(
    args: argparse.Namespace, prompter: Prompter
) -> tuple[datetime.date, datetime.date]:
    """The new conference's first and last day (the last defaults to the first)."""
    if args.start:
        start = parse_date(args.start, "--start")
    else:
        start = prompter.ask("First day (YYYY-MM-DD)", lambda t: parse_date(t, "the first day"))

    def check_end(text: str) -> datetime.date:
        end = parse_date(text, "the last day")
        if end < start:
            raise NewError(f"the last day {end} is before the first day {start}")
        return end

    if args.end:
        return start, check_end(args.end)
    if prompter.interactive:
        return start, prompter.ask("Last day (YYYY-MM-DD)", check_end, start.isoformat())
    return start, start


def _conference_place(args: argparse.Namespace, prompter: Prompter) -> tuple[str, str | None]:
    """The new conference's location (spaces tidied) and own site, both optional."""
    location = args.location
    if location is None and prompter.interactive:
        location = prompter.ask("Location (city, country, or Online; optional)", str, "")
    url = args.url
    if url is not None:
        url = check_url(url)
    elif prompter.interactive:
        url = prompter.ask(
            "The conference's site (http or https; optional)",
            lambda t: check_url(t) if t else "",
            "",
        )
    return " ".join((location or "").split()), url


def _ask_kind(prompter: Prompter) -> str:
    """The recap's kind: asked in a terminal, else the default."""
    if not prompter.interactive:
        return RECAP_KINDS[0]

    def check_kind(text: str) -> str:
        if text not in RECAP_KINDS:
            raise NewError(f"use one of {', '.join(RECAP_KINDS)}")
        return text

    kind: str = prompter.ask(f"Kind ({', '.join(RECAP_KINDS)})", check_kind, RECAP_KINDS[0])
    return kind


def plan_recap(site: Site, args: argparse.Namespace, prompter: Prompter) -> RecapPlan:
    """Everything the recap needs, from the flags, then the answers."""
    missing = _missing(args)
    if missing and not prompter.interactive:
        raise NewError(
            f"missing {', '.join(missing)}: recaps new asks only in a terminal; pass "
            "them as flags (see recaps new --help)",
            code=2,
        )
    pending: dict[str, Any] | None = None
    conference: Conference | None = None
    if args.new_conference:
        pending = new_conference(site, args, prompter)
    elif args.conference:
        conference = site.catalogue.conferences.get(args.conference)
        if conference is None:
            raise unknown_conference(site.catalogue, args.conference)
    else:
        conference = choose_conference(site, prompter)
        if conference is None:
            pending = new_conference(site, args, prompter)

    if args.title:
        title = check_text(args.title, "--title")
    else:
        title = prompter.ask("Title of your recap", lambda t: check_text(t, "the title"))
    if args.authors:
        authors = tuple(check_text(a, "--author") for a in args.authors)
    else:
        authors = prompter.ask(
            "Authors (comma-separated names)",
            lambda t: tuple(check_text(a, "an author") for a in t.split(",")),
        )
    kind = args.kind if args.kind is not None else _ask_kind(prompter)
    date = parse_date(args.date, "--date") if args.date else datetime.date.today()
    slug = check_slug(args.slug, "--slug") if args.slug else _slug(title)
    if not slug:
        raise NewError(f"cannot make a file name from the title {title!r}: pass --slug")

    if pending is not None:
        # Written only now, once every other answer is known to be good.
        path = add_conference(site, pending)
        print(f"Added conference {pending['id']} to {path.relative_to(site.root).as_posix()}")
        conference = site.catalogue.conferences[pending["id"]]
    assert conference is not None
    return RecapPlan(conference, title, authors, kind, date, slug)


def run(args: argparse.Namespace) -> int:
    """Scaffold the recap; 0 on success, 1 on a problem, 2 on missing flags."""
    prompter = Prompter(interactive=sys.stdin is not None and sys.stdin.isatty())
    try:
        site = Site.load(args.root)
        if any(p.is_error for p in site.problems):
            print(
                f"note: the catalogue has {sum(p.is_error for p in site.problems)} problem(s); "
                "run recaps check to see them",
                file=sys.stderr,
            )
        plan = plan_recap(site, args, prompter)
        path = recap_path(site, plan)
        if path.exists():
            raise NewError(
                f"{path.relative_to(site.root).as_posix()} already exists; nothing was "
                "written. Edit that file, or choose another name with --slug"
            )
        path.parent.mkdir(parents=True, exist_ok=True)
        image_dir = (path.parent / "images").relative_to(site.root).as_posix()
        text = render_recap(site, plan, image_dir)
        with path.open("x", encoding="utf-8") as stream:  # "x": never overwrite
            stream.write(text)
    except NewError as exc:
        print(f"recaps new: error: {exc}", file=sys.stderr)
        return exc.code
    except FileExistsError as exc:
        print(
            f"recaps new: error: {exc.filename} already exists; nothing was written",
            file=sys.stderr,
        )
        return 1
    relative = path.relative_to(site.root).with_suffix("").as_posix()
    print(f"Wrote {relative}.md")
    print()
    print("Next steps:")
    print(f"  1. Write your recap in {relative}.md (the % lines are hints; delete them).")
    print(f"  2. make serve, then open {PREVIEW_URL}/{relative}/")
    print("  3. recaps check, then open a pull request: Read the Docs builds a preview of it.")
    return 0
