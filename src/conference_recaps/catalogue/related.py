"""Related talks: up to :data:`RELATED_COUNT` talks a reader of one talk may want next.

The order of preference (issue 19):

1. talks that share a speaker with it (a lightning talk's chapter speakers count);
2. talks of the same conference series in other years (DjangoCon US 2018 for a
   DjangoCon US 2019 talk);
3. talks that share a tag with it;
4. other talks of the same conference.

Within a tier, talks sharing more tags come first, then the nearest in time, then the
earlier (by day, title and id), so the result depends on the catalogue alone, never on
dictionary or file order.
A later tier is looked at only when the earlier ones found fewer than six talks.

Comparing every talk with every other would take 440 million comparisons at the
pyvideo.org scale (21,000 talks). Instead each talk looks at a bounded number of
candidates drawn from indexes built once: its speakers' talks nearest in time, the
talks nearest in time that share one of its tags (in its series, then anywhere), the
nearest editions of its series, and its neighbours in its own conference. Each window
holds at most :data:`WINDOW` talks on each side of the talk, so the work per talk is
bounded and the whole catalogue takes time linear in its size. The windows are what a
reader would look at anyway: among 3,000 talks tagged ``django``, the ones given the
same years.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from conference_recaps.catalogue.model import talk_speakers

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from conference_recaps.catalogue.model import Catalogue, Talk

#: How many related talks a talk page shows.
RELATED_COUNT = 6
#: How many talks each side of a talk a window holds (per speaker, tag or conference).
WINDOW = 4
#: How many editions of its series, before and after its own, a talk draws from.
EDITIONS = 1
#: The bits of a packed ranking key that hold the talk's number (up to 2 million talks).
_LOW = (1 << 21) - 1


class RelatedTalks:
    """The indexes related talks are drawn from, built once per catalogue.

    Talks are numbered in time order (day, then title, then id) and the indexes hold
    those numbers: ranking a candidate is then integer arithmetic, which keeps the
    21,000-talk catalogue to a few seconds on a slow machine.
    """

    def __init__(self, catalogue: Catalogue, talks: Iterable[Talk] | None = None) -> None:
        """Index ``talks`` (default: every talk of the catalogue); only they are suggested."""
        self.catalogue = catalogue
        starts = {c.id: c.start.toordinal() for c in catalogue.conferences.values()}

        def day_of(talk: Talk) -> int:
            return talk.date.toordinal() if talk.date else starts.get(talk.conference, 0)

        pool = sorted(
            catalogue.talks.values() if talks is None else talks,
            key=lambda t: (day_of(t), t.title.casefold(), t.id),
        )
        self.talks: list[Talk] = pool
        self.number: dict[str, int] = {t.id: i for i, t in enumerate(pool)}
        self.day: list[int] = [day_of(t) for t in pool]
        self.tags: list[frozenset[str]] = [frozenset(t.tags) for t in pool]
        year = {c.id: c.year for c in catalogue.conferences.values()}
        self.year: list[int | None] = [year.get(t.conference) for t in pool]
        self.series: dict[str, str] = {
            c.id: c.series for c in catalogue.conferences.values() if c.series
        }
        pools: defaultdict[object, list[int]] = defaultdict(list)
        for i, talk in enumerate(pool):
            pools["conference", talk.conference].append(i)
            for speaker in talk_speakers(talk):
                pools["speaker", speaker].append(i)
            series = self.series.get(talk.conference)
            for tag in talk.tags:
                pools["tag", tag].append(i)
                if series:
                    pools["series-tag", series, tag].append(i)
        self._pools = dict(pools)
        #: (pool key, talk number) -> the talk's position in that pool.
        self._position: dict[tuple[object, int], int] = {
            (key, i): position
            for key, members in self._pools.items()
            for position, i in enumerate(members)
        }
        # Each series' editions in time order, for "the same series in other years".
        editions: defaultdict[str, list[str]] = defaultdict(list)
        for conference in sorted(catalogue.conferences.values(), key=lambda c: (c.start, c.id)):
            if conference.series:
                editions[conference.series].append(conference.id)
        self.editions = dict(editions)

    def _window(self, key: object, i: int) -> list[int]:
        """At most :data:`WINDOW` talks each side of talk ``i`` in a pool it belongs to."""
        members = self._pools.get(key)
        if members is None:
            return []
        at = self._position[key, i]
        return members[max(0, at - WINDOW) : at + WINDOW + 1]

    def _tiers(self, i: int) -> Iterator[list[list[int]]]:
        """The windows of each tier, in order; made only when a tier is reached."""
        talk = self.talks[i]
        yield [self._window(("speaker", s), i) for s in talk_speakers(talk)]
        series = self.series.get(talk.conference)
        windows: list[list[int]] = []
        if series is not None:
            windows += [self._window(("series-tag", series, tag), i) for tag in talk.tags]
            editions = self.editions.get(series, [])
            if talk.conference in editions:
                here = editions.index(talk.conference)
                for conference_id in editions[max(0, here - EDITIONS) : here + EDITIONS + 1]:
                    members = self._pools.get(("conference", conference_id))
                    if conference_id != talk.conference and members is not None:
                        windows.append(members[: 2 * WINDOW + 1])
        yield windows
        yield [self._window(("tag", tag), i) for tag in talk.tags]
        yield [self._window(("conference", talk.conference), i)]

    def candidates(self, talk: Talk) -> set[str]:
        """Every talk that may be looked at for ``talk``: bounded, whatever the catalogue's size."""
        i = self.number[talk.id]
        found = {j for windows in self._tiers(i) for window in windows for j in window}
        return {self.talks[j].id for j in found - {i}}

    def related(self, talk: Talk) -> tuple[Talk, ...]:
        """Up to :data:`RELATED_COUNT` talks, best first (see the module's docstring).

        Tier by tier, each from its own windows; a later tier is looked at only when the
        earlier ones found fewer than :data:`RELATED_COUNT` talks. An unindexed talk
        (one left out of ``talks``) has none.
        """
        i = self.number.get(talk.id)
        if i is None:
            return ()
        day, tags, year = self.day[i], self.tags[i], self.year[i]
        chosen: list[int] = []
        seen = {i}
        for tier, windows in enumerate(self._tiers(i)):
            ranked = []
            for window in windows:
                for j in window:
                    if j in seen:
                        continue
                    # The series' windows hold its talks of this year too: not "other years".
                    if tier == 1 and self.year[j] == year:
                        continue
                    seen.add(j)
                    shared = len(tags & self.tags[j]) if tags else 0
                    # More shared tags, then nearer in time, then earlier in time order,
                    # as one integer: (shared, distance, number) packed into bit fields.
                    ranked.append((-shared << 42) | (abs(self.day[j] - day) << 21) | j)
            ranked.sort()
            chosen += [key & _LOW for key in ranked[: RELATED_COUNT - len(chosen)]]
            if len(chosen) >= RELATED_COUNT:
                break
        return tuple(self.talks[j] for j in chosen)

    def all(self) -> dict[str, tuple[Talk, ...]]:
        """Every indexed talk's related talks, by talk id."""
        return {talk.id: self.related(talk) for talk in self.talks}


def related_talks(catalogue: Catalogue, talk_id: str) -> tuple[Talk, ...]:
    """Up to six talks to read next, computed for every talk at once and kept with the
    catalogue (a rebuild that reuses the pickled catalogue does not compute it again)."""
    if catalogue.related_cache is None:
        everything = RelatedTalks(catalogue).all()
        catalogue.related_cache = {k: tuple(t.id for t in v) for k, v in everything.items()}
    return tuple(catalogue.talks[i] for i in catalogue.related_cache.get(talk_id, ()))
