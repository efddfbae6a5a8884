"""Related talks: the tiers in order, deterministic, and bounded work per talk."""

from __future__ import annotations

import datetime
import pickle
import random

from conference_recaps.catalogue.model import Catalogue, Conference, Speaker, Talk
from conference_recaps.catalogue.related import (
    RELATED_COUNT,
    WINDOW,
    RelatedTalks,
    related_talks,
)


def conference(ident: str, series: str | None, year: int) -> Conference:
    start = datetime.date(year, 5, 1)
    return Conference(ident, ident.upper(), start, start + datetime.timedelta(days=2), series)


def talk(
    ident: str, speakers: tuple[str, ...] = (), tags: tuple[str, ...] = (), day: int = 1
) -> Talk:
    conf = ident.partition("/")[0]
    year = int(conf.rsplit("-", 1)[1])
    return Talk(ident, conf, ident.title(), speakers, date=datetime.date(year, 5, day), tags=tags)


def catalogue(talks: list[Talk]) -> Catalogue:
    conferences = [
        conference("dj-2018", "DjangoCon", 2018),
        conference("dj-2019", "DjangoCon", 2019),
        conference("py-2019", "PyCon", 2019),
        conference("py-2020", None, 2020),
    ]
    speakers = {s for t in talks for s in t.speakers}
    return Catalogue(conferences, [Speaker(s, s.title()) for s in sorted(speakers)], talks)


def ids(talks: tuple[Talk, ...]) -> list[str]:
    return [t.id for t in talks]


def test_speakers_then_series_then_tags_then_conference() -> None:
    subject = talk("dj-2019/subject", ("ann",), ("async",), day=2)
    talks = [
        subject,
        talk("dj-2019/same-conference", ("zed",), (), day=1),
        talk("py-2019/shared-tag", ("bob",), ("async",), day=1),
        talk("dj-2018/same-series", ("cat",), (), day=1),
        talk("py-2020/same-speaker", ("ann",), (), day=3),
        talk("py-2019/unrelated", ("dan",), ("orm",), day=1),
    ]
    related = RelatedTalks(catalogue(talks)).related(subject)
    assert ids(related) == [
        "py-2020/same-speaker",
        "dj-2018/same-series",
        "py-2019/shared-tag",
        "dj-2019/same-conference",
    ]


def test_within_a_tier_more_shared_tags_then_nearer_in_time() -> None:
    subject = talk("py-2019/subject", (), ("async", "orm"), day=2)
    talks = [
        subject,
        talk("py-2019/one-tag-near", (), ("async",), day=2),
        talk("py-2019/two-tags-far", (), ("async", "orm"), day=1),
        talk("py-2020/one-tag-later", (), ("orm",), day=1),
    ]
    related = RelatedTalks(catalogue(talks)).related(subject)
    assert ids(related) == [
        "py-2019/two-tags-far",
        "py-2019/one-tag-near",
        "py-2020/one-tag-later",
    ]


def test_at_most_six_and_never_itself() -> None:
    subject = talk("py-2019/subject", ("ann",), ("async",), day=10)
    talks = [subject] + [talk(f"py-2019/t{i}", ("ann",), ("async",), day=i + 1) for i in range(20)]
    related = RelatedTalks(catalogue(talks)).related(subject)
    assert len(related) == RELATED_COUNT
    assert subject not in related
    # The nearest in time first (t9 is on its day), then the earlier among equals.
    assert ids(related)[:3] == ["py-2019/t9", "py-2019/t8", "py-2019/t10"]


def test_the_same_series_in_the_same_year_is_not_another_year() -> None:
    subject = talk("dj-2019/subject", (), (), day=1)
    talks = [subject, talk("dj-2019/other", (), (), day=2)]
    (only,) = RelatedTalks(catalogue(talks)).related(subject)
    assert only.id == "dj-2019/other"  # found as the same conference, the last tier


def random_catalogue(size: int, seed: int) -> Catalogue:
    rnd = random.Random(seed)
    years = range(2000, 2000 + max(1, size // 400))
    conferences = [
        Conference(
            f"c{s}-{y}", f"C{s} {y}", datetime.date(y, 3, 1), datetime.date(y, 3, 3), f"S{s}"
        )
        for s in range(10)
        for y in years
    ]
    tags = [f"tag{i}" for i in range(30)]
    speakers = [Speaker(f"s{i}", f"S{i}") for i in range(size // 3)]
    talks = []
    for i in range(size):
        conf = rnd.choice(conferences)
        talks.append(
            Talk(
                f"{conf.id}/t{i}",
                conf.id,
                f"Talk {i}",
                (rnd.choice(speakers).id,),
                date=conf.start + datetime.timedelta(days=rnd.randrange(3)),
                tags=tuple(sorted(set(rnd.sample(tags, 2)))),
            )
        )
    return Catalogue(conferences, speakers, talks)


def test_deterministic_whatever_the_input_order() -> None:
    forward = random_catalogue(600, seed=1)
    shuffled = list(forward.talks.values())
    random.Random(2).shuffle(shuffled)
    backward = Catalogue(forward.conferences.values(), forward.speakers.values(), shuffled)
    a = {k: ids(v) for k, v in RelatedTalks(forward).all().items()}
    b = {k: ids(v) for k, v in RelatedTalks(backward).all().items()}
    assert a == b
    assert all(len(v) == RELATED_COUNT for v in a.values())


def test_candidates_per_talk_do_not_grow_with_the_catalogue() -> None:
    """No all-pairs: each talk looks at a bounded number of others, at any size."""

    def most(size: int) -> int:
        related = RelatedTalks(random_catalogue(size, seed=3))
        return max(len(related.candidates(t)) for t in related.catalogue.talks.values())

    bound = (2 * WINDOW + 1) * (1 + 2 + 4 + 2 + 1)  # speakers, tags, editions, series, own
    small, large = most(1_000), most(8_000)
    assert small <= bound
    assert large <= bound


def test_the_catalogue_computes_them_once_and_keeps_them_when_pickled() -> None:
    cat = random_catalogue(400, seed=4)
    some = next(iter(cat.talks.values()))
    expected = RelatedTalks(cat).related(some)
    assert related_talks(cat, some.id) == expected
    restored = pickle.loads(pickle.dumps(cat))
    assert restored.related_cache is not None  # no second computation after unpickling
    assert related_talks(restored, some.id) == expected
