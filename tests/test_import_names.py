"""Slugs, matching keys and kinds the importers derive from source text."""

from __future__ import annotations

import pytest

from conference_recaps.catalogue.model import TalkKind
from conference_recaps.importers.names import (
    loose_name_key,
    name_key,
    normalise_text,
    split_names,
    title_key,
    unique_slug,
    url_key,
)
from conference_recaps.importers.records import clean_tags, guess_kind
from conference_recaps.text import slugify
from conference_recaps.urls import is_http_url


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        (
            "Just Add Await: Retrofitting Async Into Django",
            "just-add-await-retrofitting-async-into-django",
        ),
        ("Sigurd Ljødal", "sigurd-ljodal"),
        ("Žan Anderle", "zan-anderle"),
        ("Érico Andrei", "erico-andrei"),
        ("Straße & Œuvre", "strasse-oeuvre"),
        ("  --Lots   of -- punctuation!!  ", "lots-of-punctuation"),
        ('"State of Django" Panel', "state-of-django-panel"),
        ("3.10", "3-10"),
    ],
)
def test_slugify(text: str, slug: str) -> None:
    assert slugify(text) == slug


def test_slugify_cuts_long_titles_at_a_hyphen() -> None:
    title = "When your wetware has too many threads - Tips from an ADHDer on how to improve"
    slug = slugify(title)
    assert slug == "when-your-wetware-has-too-many-threads-tips-from-an-adhder"
    assert len(slug) <= 60


def test_slugify_cuts_one_long_word() -> None:
    assert slugify("a" * 80) == "a" * 60


def test_slugify_transliterates_every_script() -> None:
    assert slugify("日本語", fallback="talk") == "ri-ben-yu"
    assert slugify("정다운") == "jeongdaun"
    assert slugify("Алексей Шипилёв") == "aleksey-shipilev"
    assert slugify("파이썬 웹 API Schema 제작기") == "paisseon-web-api-schema-jejaggi"


def test_slugify_without_any_letter_is_stable() -> None:
    assert slugify("・・・", fallback="talk") == slugify("・・・", fallback="talk")
    assert slugify("・・・", fallback="talk").startswith("talk-")


def test_unique_slug() -> None:
    assert unique_slug("talk", set()) == "talk"
    assert unique_slug("talk", {"talk", "talk-2"}) == "talk-3"


def test_name_key_ignores_case_accents_and_spacing() -> None:
    assert name_key("José  García") == name_key("jose garcia") == "jose garcia"
    assert name_key("Andrew G.") != name_key("Andrew G")


def test_title_key_ignores_punctuation() -> None:
    assert title_key("Keynote: Burnout & Balance!") == title_key("keynote  burnout balance")


@pytest.mark.parametrize(
    "url",
    [
        "https://www.youtube.com/watch?v=d9BAUBEyFgM",
        "http://youtube.com/watch?v=d9BAUBEyFgM&t=30",
        "https://youtu.be/d9BAUBEyFgM",
        "https://www.youtube.com/embed/d9BAUBEyFgM",
    ],
)
def test_url_key_unifies_youtube_links(url: str) -> None:
    assert url_key(url) == "youtube:d9BAUBEyFgM"


def test_url_key_other_sites() -> None:
    assert url_key("https://www.Vimeo.com/123/") == url_key("http://vimeo.com/123")
    assert url_key("https://vimeo.com/123") != url_key("https://vimeo.com/124")


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("https://example.org/a b", False),
        ("javascript:alert(1)", False),
        ("data:text/html,hi", False),
        ("https://user@example.org/", False),
        ("ftp://example.org/", False),
        ("https://example.org/x?y#z", True),
        ("http://example.org", True),
    ],
)
def test_is_http_url(value: str, ok: bool) -> None:
    assert is_http_url(value) is ok


def test_normalise_text_touches_only_whitespace() -> None:
    text = "  First line.   \r\n\r\n\r\n\r\nSecond  line, kept as is.\t\n\n"
    assert normalise_text(text) == "First line.\n\nSecond  line, kept as is."


@pytest.mark.parametrize(
    ("title", "tags", "hint", "kind"),
    [
        ("Keynote: Burnout and Balance", (), None, TalkKind.keynote),
        ("A very, very serious keynote", (), None, TalkKind.keynote),
        ("My Journey With Code", ("keynote",), None, TalkKind.keynote),
        ("Lightning Talks Day 1", (), None, TalkKind.lightning),
        ("DjangoCon 2019 - Day 2 Lightning Talks", (), None, TalkKind.lightning),
        ("Predict Lightning Strikes using Django and AWS", (), None, TalkKind.talk),
        ('"State of Django" Panel', (), None, TalkKind.panel),
        ("Panel Discussion: The State of Django", (), None, TalkKind.panel),
        ("Adding Custom Control Panels to Your Plone Add-On", (), None, TalkKind.talk),
        ("Django REST Framework: Moving Past the Tutorial to Production", (), None, TalkKind.talk),
        ("Tutorial: Django from Scratch", (), None, TalkKind.tutorial),
        ("Debugging Python", (), "tutorials", TalkKind.tutorial),
        ("Opening", (), "Keynote", TalkKind.keynote),
        ("Hands-on Async", (), "Workshop (3 hours)", TalkKind.workshop),
        ("Keynote-ish Title", (), "Talk", TalkKind.talk),
        ("Weekend Sprints", (), None, TalkKind.sprint),
    ],
)
def test_guess_kind(title: str, tags: tuple[str, ...], hint: str | None, kind: TalkKind) -> None:
    assert guess_kind(title, tags, hint) is kind


def test_clean_tags_are_unique_slugs_without_kinds() -> None:
    assert clean_tags(
        ["Django REST Framework", "keynote", "django-rest-framework", " ", "ORM"]
    ) == (
        "django-rest-framework",
        "orm",
    )


@pytest.mark.parametrize(
    ("name", "people", "clear"),
    [
        ("Anna Spysz and Chase Douglas", ("Anna Spysz", "Chase Douglas"), True),
        ("Ben Doherty, Ishaan Varshney", ("Ben Doherty", "Ishaan Varshney"), True),
        ("Seo Min-kyo & Kang Jin-oh", ("Seo Min-kyo", "Kang Jin-oh"), True),
        ("강민철, 세르게이", ("강민철", "세르게이"), True),
        ("Carina C. Zona", ("Carina C. Zona",), True),
        ("Dino E Viehland", ("Dino E Viehland",), True),
        # Not split, reported: a person decides.
        ("Smith, John", ("Smith, John",), False),
        ("Jane and John Doe", ("Jane and John Doe",), False),
        ("Keira and Sky", ("Keira and Sky",), False),
        ("Guido van Rossum, et al", ("Guido van Rossum, et al",), False),
        ("Takahiro Ikeuchi / 池内 孝啓", ("Takahiro Ikeuchi / 池内 孝啓",), False),
        ("Lightning Talks, DAY 1 - PyTexas 202", ("Lightning Talks, DAY 1 - PyTexas 202",), False),
    ],
)
def test_split_names(name: str, people: tuple[str, ...], clear: bool) -> None:
    assert split_names(name) == (people, clear)


def test_loose_name_key_ignores_hyphens_punctuation_and_titles() -> None:
    assert loose_name_key("Dr. Jun-ki Kim") == loose_name_key("Junki Kim")
    assert loose_name_key("Cameron Davidson-Pilon") == loose_name_key("Cameron Davidson Pilon")
    assert loose_name_key("Carina C. Zona") != loose_name_key("C Zona")
