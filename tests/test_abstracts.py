"""The abstract renderer every talk page uses: formatting kept, links safe, boilerplate hidden."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from conference_recaps.abstracts import LINK_REL, render_abstract, strip_boilerplate


def html(text: str, **kwargs: object) -> BeautifulSoup:
    return BeautifulSoup(str(render_abstract(text, **kwargs)), "html.parser")  # type: ignore[arg-type]


def test_paragraphs_lists_emphasis_and_code() -> None:
    page = html(
        "First *one*\nline two.\n\nSecond **bold** and `code`.\n\n"
        "- a\n- b\n\n3. three\n4. four\n\n## Outline\n\n```\nx = 1 < 2\n```"
    )
    assert [" ".join(p.get_text().split()) for p in page.find_all("p")] == [
        "First one line two.",
        "Second bold and code.",
    ]
    assert page.em is not None and page.em.get_text() == "one"
    assert page.strong is not None and page.code is not None
    assert [li.get_text() for li in page.select("ul > li")] == ["a", "b"]
    assert page.ol is not None and page.ol["start"] == "3"
    assert page.h3 is not None and page.h3.get_text() == "Outline"
    assert page.pre is not None and page.pre.get_text() == "x = 1 < 2\n"


def test_every_url_is_a_link_marked_as_user_content() -> None:
    page = html(
        "See https://example.org/a_b_c, [the docs](https://docs.example.org) or www.pyphilly.org."
    )
    links = page.find_all("a")
    assert [a["href"] for a in links] == [
        "https://example.org/a_b_c",
        "https://docs.example.org",
        "http://www.pyphilly.org",
    ]
    assert all(a["rel"] == LINK_REL.split() for a in links)


@pytest.mark.parametrize(
    "text",
    [
        '<script>alert("x")</script>',
        "<a href='javascript:alert(1)'>x</a>",
        "[x](javascript:alert(1))",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        '![x" onerror="alert(1)](https://example.org/i.png)',
        "<img src=x onerror=alert(1)>",
        '[x](https://example.org/" onmouseover="alert(1))',
    ],
)
def test_no_markup_or_active_link_gets_through(text: str) -> None:
    page = html(text)
    assert page.find_all(["script", "img", "iframe"]) == []
    for tag in page.find_all(True):
        assert not any(name.startswith("on") for name in tag.attrs)
        if tag.name == "a":
            assert str(tag["href"]).startswith(("http://", "https://"))


def test_channel_boilerplate_is_hidden() -> None:
    text = (
        "DjangoCon 2019 - Awesome APIs by Timothy Allen\n\n"
        "We run an API service.\n\n"
        "LINKS:\nFollow Timothy Allen 👇\nOn Twitter: https://twitter.com/x\n"
        "Official homepage: https://example.org\n\n"
        "Follow DEFNA 👇\nhttps://twitter.com/defnado\n\n"
        'Intro music: "This Is How We Quirk It" by Avocado Junkie.\n'
        "Video production by Confreaks TV.\nCaptions by White Coat Captioning."
    )
    shown = strip_boilerplate(text, title="Awesome APIs", speakers=["Timothy Allen"])
    assert shown == "We run an API service."


def test_the_first_line_is_kept_when_it_says_more_than_the_title() -> None:
    text = (
        "Awesome APIs are what this talk is about, and how we built ours at a big school.\n\nMore."
    )
    assert strip_boilerplate(text, title="Awesome APIs").startswith("Awesome APIs are")


def test_nothing_to_show() -> None:
    assert render_abstract(None) == ""
    assert render_abstract("  \n") == ""
    assert render_abstract("Captions by White Coat Captioning.") == ""
