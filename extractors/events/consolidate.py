"""Mentions from many articles become events: one row per launch or diplomatic event.

    result = consolidate_events(mentions, articles)      # pure: no I/O
    result.events, result.assignments                     # events, mention_id -> event_id|None

Rules (docs/events.md explains them for analysts):

1. Dated mentions (day precision, not a past launch mentioned in passing) are grouped when they
   agree on kind, designation (same or unknown), class (compatible) or, for diplomacy, event type
   and at least one actor, and their Korea-time dates are within one day of every other member's.
   Two mentions of one article are never one event: the extractor already merged what it could.
2. A report whose text gives no date (precision ``reported``, dated by its publication day D:
   the launch was on D or shortly before) joins the compatible event of the latest day in
   D-2..D, so a day-dated report refines it into that day's event. Failing that it joins a
   compatible ``reported`` event of another article published the same day, or makes an event
   of its own, dated ``reported`` D.
3. A mention with no resolved date (or only a month) joins an event when exactly one compatible
   event lies in its window (the two days before publication up to publication, or that month).
   Otherwise it stays unattached (event_id NULL): with no date it cannot be told apart from
   another launch, so it never makes an event of its own. A diplomacy report whose text gives no
   date (``date_precision = 'reported'``, dated by publication) joins the one event that fits it
   (a day-dated one in the two days before, or a visit's leg within a week, or another such
   report of the same day), makes one dated 'reported' when none fits, and stays unattached
   when several do.
4. A past launch mentioned in passing (``background``) joins exactly one compatible event and
   never creates one, unless it names a designation and a day and no event fits.
5. Diplomacy: the legs of one visit (arrival, talks, receptions, on days up to a week apart, with
   a visitor in common) are one event, dated to its first day.

An event's date is the day its day-dated reports give (official sources weigh more; a visit's
first day); with none, a day a launch told in passing gives inside its window, else the earliest
publication day of its undated reports (``reported``), else a month.

Where sources disagree on a number (distance, apogee, count) the event shows the value claimed by
an official military source (JCS, then Japan MoD, then INDOPACOM/USFK) when one did, else the
lower median; the field is listed in ``disputed_fields``.
"""

from __future__ import annotations

import bisect
import dataclasses
import hashlib
import statistics
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Literal, TypeVar

from extractors.events.dates import publication_day
from extractors.events.diplomacy.merging import (
    VISIT_DAYS,
    event_type_of,
    first_day,
    joins_visit,
    one_event,
)
from extractors.events.domain import load_domain
from extractors.events.missiles.classes import classes_compatible, event_class, stronger_class
from extractors.events.records import (
    MEETING_FAMILY,
    MILITARY_ORDER,
    DiplomacyMention,
    Mention,
    MissileTestMention,
    stronger_type,
)
from extractors.quality import QUALITY_FLAGS

__all__ = ["MILITARY_ORDER", "ArticleMeta", "Consolidation", "consolidate_events"]
FLAGGED_WEIGHT = 0.2
SOURCE_P = 0.35
AGENCY_P = {"military": 0.4, "state_media": 0.3, "official": 0.2, "media": 0.1}
UNKNOWN_DATE_FACTOR = 0.8
LOW_CONFIDENCE = 0.3


@dataclass(frozen=True, slots=True)
class ArticleMeta:
    """What consolidation needs to know of an article besides its mentions."""

    article_id: str
    source: str
    published_at: datetime | None
    story_id: str | None = None
    flags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class EventSupport:
    num_articles: int
    num_sources: int
    first_reported_at: datetime | None
    confidence: float
    flags: tuple[str, ...]  # quality flags shared by every supporting article
    low_confidence: bool
    low_confidence_reason: str | None


@dataclass(frozen=True, slots=True)
class MissileTestEvent:
    event_id: str
    event_date: date | None
    date_precision: str
    missile_class: str
    designation: str | None
    names_reported: tuple[str, ...]
    num_missiles: int | None
    launch_site: str | None
    distance_km: float | None
    apogee_km: float | None
    landing_area: str | None
    outcome: str
    overseen_by: str | None
    reported_by: tuple[str, ...]
    support: EventSupport
    disputed_fields: tuple[str, ...]
    mention_ids: tuple[str, ...]
    kind: Literal["missile_test"] = "missile_test"


@dataclass(frozen=True, slots=True)
class DiplomacyEvent:
    event_id: str
    event_date: date | None
    date_precision: str
    event_type: str
    actors: tuple[str, ...]
    persons: tuple[str, ...]
    location: str | None
    summary: str
    reported_by: tuple[str, ...]
    support: EventSupport
    disputed_fields: tuple[str, ...]
    mention_ids: tuple[str, ...]
    kind: Literal["diplomacy"] = "diplomacy"


Event = MissileTestEvent | DiplomacyEvent


@dataclass(frozen=True, slots=True)
class Consolidation:
    events: list[Event]
    assignments: dict[str, str | None]  # mention_id -> event_id (None: unattached)


def mention_anchor(m: Mention) -> str:
    """A mention's identity across extractor versions: article, kind, sentence, what it names."""
    what = (m.designation or m.missile_class) if isinstance(m, MissileTestMention) else m.event_type
    return f"{m.article_id}|{m.kind}|{m.char_start}|{what}"


@dataclass(eq=False)  # a group is itself: identity, so "g in groups" stays cheap
class _Group:
    members: list[Mention] = field(default_factory=list)
    articles: set[str] = field(default_factory=set)
    dates: list[date] = field(default_factory=list)
    # The same days, distinct, and the first and last: a group of a busy day has hundreds of
    # reports, and every placement asks of its days (``date_fits``) and figures.
    days: set[date] = field(default_factory=set)
    first: date = date.max
    last: date = date.min
    reported: list[date] = field(default_factory=list)  # publication days of undated reports
    designation: str | None = None
    missile_class: str = "unknown"
    event_type: str = ""
    actors: set[str] = field(default_factory=set)
    persons: set[str] = field(default_factory=set)  # of diplomacy: who took part
    locations: set[str] = field(default_factory=set)
    outcomes: set[str] = field(default_factory=set)  # of the launch reports, for pairing
    figures: list[float] = field(default_factory=list)  # their distances and apogees, sorted
    # what tells launches of nearby days apart: distances, counts and sites reported
    distances: set[float] = field(default_factory=set)
    counts: set[int] = field(default_factory=set)
    sites: set[str] = field(default_factory=set)

    def add(self, m: Mention) -> None:
        self.members.append(m)
        self.articles.add(m.article_id)
        if m.event_date is not None and m.date_precision == "day":
            self.dates.append(m.event_date)
            self.days.add(m.event_date)
            self.first, self.last = min(self.first, m.event_date), max(self.last, m.event_date)
        elif m.event_date is not None and m.date_precision == "reported" and not m.background:
            self.reported.append(m.event_date)
        if isinstance(m, MissileTestMention):
            self.outcomes.add(m.outcome)
            for v in (m.distance_km, m.apogee_km):
                if v is not None:
                    at = bisect.bisect_left(self.figures, v)
                    if at == len(self.figures) or self.figures[at] != v:
                        self.figures.insert(at, v)
            if m.distance_km is not None:
                self.distances.add(m.distance_km)
            if m.num_missiles is not None:
                self.counts.add(m.num_missiles)
            if m.launch_site is not None:
                self.sites.add(m.launch_site)
            if self.designation is None and m.designation is not None:
                self.designation = m.designation
            self.missile_class = stronger_class(self.missile_class, m.missile_class)
            if m.designation is not None and not classes_compatible(
                self.missile_class, m.missile_class
            ):
                self.missile_class = m.missile_class
        else:
            self.event_type = stronger_type(self.event_type, m.event_type)
            self.actors.update(m.actors)
            self.persons.update(m.persons)
            if m.location is not None:
                self.locations.add(m.location)

    def compatible(self, m: Mention) -> bool:
        if isinstance(m, MissileTestMention):
            if m.designation and self.designation and m.designation != self.designation:
                return False
            return classes_compatible(m.missile_class, self.missile_class)
        assert isinstance(m, DiplomacyMention)
        return one_event((self.event_type, m.event_type), (self.actors, m.actors))

    def date_fits(self, d: date) -> bool:
        """Within a day of every day-dated member."""
        return not self.dates or ((d - self.first).days <= 1 and (self.last - d).days <= 1)

    def figure_near(self, value: float) -> bool:
        """Whether one of the group's figures is ``_close`` to ``value``: only those between
        95 % of it and it / 0.95 can be (a little wider, against rounding; each is checked)."""
        if value <= 0:
            return any(_close(value, f) for f in self.figures)
        figures = self.figures
        at = bisect.bisect_left(figures, value * 0.95 * (1 - 1e-9))
        highest = value / 0.95 * (1 + 1e-9)
        while at < len(figures) and figures[at] <= highest:
            if _close(value, figures[at]):
                return True
            at += 1
        return False

    def window(self) -> tuple[date, date] | None:
        """The days the event may be on: its day-dated reports' days, else the two days before
        its earliest undated report up to that report."""
        if self.dates:
            return self.first, self.last
        if self.reported:
            first = min(self.reported)
            return first - timedelta(days=2), first
        return None

    def visit_fits(self, m: Mention, day: date | None) -> bool:
        """A diplomacy report that is another leg of this group's visit (a visitor in common,
        days at most ``VISIT_DAYS`` apart)."""
        if not isinstance(m, DiplomacyMention) or not self.dates:
            return False
        return joins_visit(
            (self.event_type, m.event_type),
            (self.actors, m.actors),
            (self.persons, m.persons),
            [*self.locations, m.location],
            [self.first, self.last, *([day] if day is not None else [])],
            load_domain(),
        )


def _day_dated(m: Mention) -> bool:
    return m.event_date is not None and m.date_precision == "day"


def _sort_key(m: Mention, pubs: Mapping[str, date | None]) -> tuple[object, ...]:
    """Named launches first, then those that give figures (so that the missiles of a salvo told
    apart pair up by their figures), then by publication."""
    named = m.designation is None if isinstance(m, MissileTestMention) else False
    figures = (
        -sum(v is not None for v in (m.distance_km, m.apogee_km))
        if isinstance(m, MissileTestMention)
        else 0
    )
    return (
        m.event_date or date.min,
        named,
        figures,
        str(pubs.get(m.article_id) or ""),
        m.mention_id,
    )


class _DayIndex:
    """Groups by the Korea days and months of their members, so a mention is compared only with
    the groups near its date (consolidation stays fast on a large warehouse)."""

    def __init__(self) -> None:
        self.groups: list[_Group] = []
        self._days: dict[date, list[_Group]] = {}
        self._months: dict[tuple[int, int], list[_Group]] = {}
        self._reported: dict[date, list[_Group]] = {}  # by publication day, groups of no day

    def add(self, g: _Group, m: Mention) -> None:
        if not g.members:
            self.groups.append(g)
        g.add(m)
        if m.event_date is not None and m.date_precision == "day":
            day = self._days.setdefault(m.event_date, [])
            if g not in day:
                day.append(g)
            month = self._months.setdefault((m.event_date.year, m.event_date.month), [])
            if g not in month:
                month.append(g)
        elif m.event_date is not None and m.date_precision == "reported" and not m.background:
            for back in range(3):
                found = self._reported.setdefault(m.event_date - timedelta(days=back), [])
                if g not in found:
                    found.append(g)

    def near(self, first: date, last: date) -> list[_Group]:
        """Groups with a day-dated member on a day of first..last."""
        return _on_days(self._days, first, last)

    def in_month(self, day: date) -> list[_Group]:
        return list(self._months.get((day.year, day.month), ()))

    def reported_near(self, first: date, last: date) -> list[_Group]:
        """Groups of undated reports whose window (the report's day and the two before) meets
        first..last."""
        return _on_days(self._reported, first, last)


def _on_days(by_day: Mapping[date, list[_Group]], first: date, last: date) -> list[_Group]:
    found: list[_Group] = []
    day = first
    while day <= last:
        for g in by_day.get(day, ()):
            if g not in found:
                found.append(g)
        day += timedelta(days=1)
    return found


def _group_dated(mentions: Sequence[Mention], pubs: Mapping[str, date | None]) -> _DayIndex:
    index = _DayIndex()
    for m in sorted(mentions, key=lambda m: _sort_key(m, pubs)):
        assert m.event_date is not None
        day = m.event_date
        visit = _of_a_visit(m)
        span = timedelta(days=VISIT_DAYS if visit else 1)
        candidates = [
            g
            for g in index.near(day - span, day + span)
            if m.article_id not in g.articles
            and (
                (g.date_fits(day) and g.compatible(m))
                or (visit and g.compatible(m) and g.visit_fits(m, day))
            )
        ]
        if candidates:
            best = (
                candidates[0]
                if len(candidates) == 1
                else max(candidates, key=lambda g: (_specific_match(g, m), len(g.members)))
            )
            index.add(best, m)
        else:
            index.add(_Group(), m)
    return index


def _of_a_visit(m: Mention) -> bool:
    return isinstance(m, DiplomacyMention) and m.event_type in MEETING_FAMILY


def _reported(m: Mention) -> bool:
    """A report whose text gives no date, dated by its publication ('reported')."""
    return m.event_date is not None and m.date_precision == "reported"


def _place_reported(index: _DayIndex, m: Mention) -> None:
    """An undated report of a launch (rule 2): into the event of the latest compatible day in its
    window (of an earlier day, only if the report's distance, count and site do not rule it
    out), else into a compatible undated report of the same day, else an event of its own."""
    assert m.event_date is not None
    day = m.event_date
    dated = [
        g
        for g in index.near(day - timedelta(days=2), day)
        if m.article_id not in g.articles
        and g.compatible(m)
        # a launch of an earlier day that the report's own facts contradict is another one
        and (g.last >= day or not _contradicts(g, m))
    ]
    if dated:
        index.add(max(dated, key=lambda g: (g.last, _specific_match(g, m))), m)
        return
    same_day = [
        g
        for g in index.reported_near(day, day)
        if not g.dates and day in g.reported and m.article_id not in g.articles and g.compatible(m)
    ]
    if same_day:
        index.add(max(same_day, key=lambda g: _specific_match(g, m)), m)
        return
    index.add(_Group(), m)


def _candidates(index: _DayIndex, m: Mention, pub: date | None) -> list[_Group]:
    """Groups an undated or background mention might join, by its date or publication."""
    if m.event_date is not None and m.date_precision == "month":
        return index.in_month(m.event_date)
    if _reported(m):
        assert m.event_date is not None
        day = m.event_date
        back = VISIT_DAYS if _of_a_visit(m) else 2
        return index.near(day - timedelta(days=back), day) + [
            g for g in index.reported_near(day, day) if not g.dates
        ]
    if m.event_date is not None:
        day = m.event_date
        return index.near(day - timedelta(days=1), day + timedelta(days=1)) + [
            g for g in index.reported_near(day, day) if not g.dates
        ]
    if pub is not None:
        return index.near(pub - timedelta(days=2), pub) + [
            g for g in index.reported_near(pub - timedelta(days=2), pub) if not g.dates
        ]
    return []


def _specific_match(g: _Group, m: Mention) -> int:
    if isinstance(m, MissileTestMention):
        # Two missiles of one salvo told apart (one failed, one flew): pair like with like.
        same_outcome = m.outcome != "unknown" and m.outcome in g.outcomes
        same_figure = any(
            g.figure_near(mine) for mine in (m.distance_km, m.apogee_km) if mine is not None
        )
        return (
            2 * int(m.designation is not None and m.designation == g.designation)
            + 2 * int(m.missile_class == g.missile_class)
            + int(same_outcome)
            + int(same_figure)
        )
    return len(g.actors & set(m.actors)) + int(
        isinstance(m, DiplomacyMention) and m.event_type == g.event_type
    )


def _contradicts(g: _Group, m: Mention) -> bool:
    """Whether a launch report's facts rule out the group's launch: another distance (by more
    than a quarter), another number of missiles, another site."""
    if not isinstance(m, MissileTestMention):
        return False
    distance = m.distance_km
    if (
        distance is not None
        and g.distances
        and all(abs(distance - d) > 0.25 * max(distance, d) for d in g.distances)
    ):
        return True
    if m.num_missiles is not None and g.counts and m.num_missiles not in g.counts:
        return True
    return m.launch_site is not None and bool(g.sites) and m.launch_site not in g.sites


def _close(a: float | None, b: float | None) -> bool:
    return a is not None and b is not None and abs(a - b) <= 0.05 * max(a, b)


def _window_fits(g: _Group, m: Mention, pub: date | None) -> bool:
    """Whether an undated (or month-dated) mention's window holds this group's date."""
    if m.event_date is not None and m.date_precision == "month":
        return any((d.year, d.month) == (m.event_date.year, m.event_date.month) for d in g.days)
    if _reported(m):
        # a diplomacy report with no date (missile ones are placed by _place_reported): it
        # happened on or shortly before the day it was reported (a visit's legs, a week)
        assert m.event_date is not None
        reported_on = m.event_date
        if not g.dates:
            return reported_on in g.reported
        if any(reported_on - timedelta(days=2) <= d <= reported_on for d in g.days):
            return True
        return g.visit_fits(m, None) and g.last <= reported_on
    window = g.window()
    if window is None:
        return False
    if m.event_date is not None and not g.dates:
        return window[0] <= m.event_date <= window[1]
    if m.event_date is not None:
        return g.date_fits(m.event_date)
    if pub is None:
        return False
    if not g.dates:  # two undated reports: within two days of each other
        return abs((pub - window[1]).days) <= 2
    return any(pub - timedelta(days=2) <= d <= pub for d in g.days)


def _identifies_launch(m: Mention) -> bool:
    """A launch told in passing that still names one real launch: a designation and a day
    ("The Pulhwasal-3-31 was first tested on January 24"). It makes an event when no report of
    that launch is stored; one with only a class ("an SRBM fired on Sunday") does not."""
    return isinstance(m, MissileTestMention) and m.designation is not None and _day_dated(m)


def _background_fits(g: _Group, m: Mention) -> bool:
    if (
        isinstance(m, MissileTestMention)
        and m.designation is None
        and (
            m.missile_class == "unknown" or not classes_compatible(m.missile_class, g.missile_class)
        )
    ):
        return False
    if m.event_date is None:
        return False
    if m.date_precision == "month":
        return bool(g.dates) and any(
            (d.year, d.month) == (m.event_date.year, m.event_date.month) for d in g.days
        )
    if not g.dates:
        # "the Hwasong-11Da-4.5 it tested on September 18": a day inside an undated report's window
        window = g.window()
        return (
            window is not None
            and m.date_precision == "day"
            and window[0] <= m.event_date <= window[1]
        )
    return g.date_fits(m.event_date)


def consolidate_events(
    mentions: Iterable[Mention],
    articles: Mapping[str, ArticleMeta],
    previous: Mapping[str, str] | None = None,
) -> Consolidation:
    """Group mentions into events; ``previous`` maps :func:`mention_anchor` to old event ids."""
    all_mentions = list(mentions)
    pubs = {a.article_id: publication_day(a.published_at) for a in articles.values()}
    assignments: dict[str, str | None] = {m.mention_id: None for m in all_mentions}
    groups: list[_Group] = []
    for kind in ("missile_test", "diplomacy"):
        of_kind = [m for m in all_mentions if m.kind == kind]
        dated = [m for m in of_kind if not m.background and _day_dated(m)]
        # Undated launch reports are placed by rule 2; undated diplomacy reports, which cannot
        # be told apart by designation or class, join only the one event that fits (rule 3).
        reported = [
            m for m in of_kind if not m.background and kind == "missile_test" and _reported(m)
        ]
        undated = [
            m
            for m in of_kind
            if not m.background
            and not _day_dated(m)
            and not (kind == "missile_test" and _reported(m))
        ]
        background = [m for m in of_kind if m.background]
        index = _group_dated(dated, pubs)
        for m in sorted(reported, key=lambda m: _sort_key(m, pubs)):
            _place_reported(index, m)
        for m in sorted(undated, key=lambda m: _sort_key(m, pubs)):
            pub = pubs.get(m.article_id)
            fits = [
                g for g in _candidates(index, m, pub) if g.compatible(m) and _window_fits(g, m, pub)
            ]
            if len(fits) == 1:  # else it stays unattached (rule 2)
                fits[0].add(m)
            elif not fits and kind == "diplomacy" and _reported(m):
                index.add(_Group(), m)  # a diplomacy report with no date: an event 'reported'
        kind_groups = index.groups
        for m in sorted(background, key=lambda m: _sort_key(m, pubs)):
            fits = [
                g
                for g in _candidates(index, m, None)
                if (g.dates or g.reported) and g.compatible(m) and _background_fits(g, m)
            ]
            if len(fits) == 1:
                fits[0].add(m)
            elif not fits and _identifies_launch(m):
                index.add(_Group(), m)  # a named launch on a known day: an event of its own
        groups.extend(kind_groups)
    events = _name_events(groups, articles, previous or {})
    for event in events:
        for mid in event.mention_ids:
            assignments[mid] = event.event_id
    return Consolidation(events=events, assignments=assignments)


# -- naming events and resolving their fields ------------------------------------------------


def _content_id(kind: str, event_date: date | None, key: str, members: Sequence[Mention]) -> str:
    parts = [kind, event_date.isoformat() if event_date else "unknown", key]
    if event_date is None:
        parts.append(min(m.mention_id for m in members))
    prefix = "mt" if kind == "missile_test" else "dp"
    return f"{prefix}-" + hashlib.sha256("|".join(parts).encode()).hexdigest()[:14]


def _name_events(
    groups: list[_Group], articles: Mapping[str, ArticleMeta], previous: Mapping[str, str]
) -> list[Event]:
    # Keep an old id for the group that shares most mentions with it.
    votes: list[tuple[int, int, str]] = []
    for n, g in enumerate(groups):
        counts = Counter(
            previous[a] for a in (mention_anchor(m) for m in g.members) if a in previous
        )
        votes.extend((count, n, old) for old, count in counts.items())
    chosen: dict[int, str] = {}
    used: set[str] = set()
    for _count, n, old in sorted(votes, key=lambda v: (-v[0], v[1], v[2])):
        if n not in chosen and old not in used:
            chosen[n] = old
            used.add(old)
    events: list[Event] = []
    for n, g in enumerate(groups):
        event = _build(g, articles)
        event_id = chosen.get(n)
        if event_id is None:
            key = (
                (event.designation or event.missile_class)
                if isinstance(event, MissileTestEvent)
                else f"{event.event_type}|{'+'.join(sorted(event.actors))}"
            )
            event_id = _content_id(event.kind, event.event_date, key, g.members)
            if event_id in used:
                event_id += "-" + min(m.mention_id for m in g.members)[:6]
            used.add(event_id)
        events.append(_with_id(event, event_id))
    events.sort(key=lambda e: (e.kind, e.event_date or date.max, e.event_id))
    return events


def _with_id(event: Event, event_id: str) -> Event:
    return dataclasses.replace(event, event_id=event_id)


def _article_weight(meta: ArticleMeta | None) -> float:
    if meta is None:
        return 1.0
    return FLAGGED_WEIGHT if set(meta.flags) & set(QUALITY_FLAGS) else 1.0


def support_of(members: Sequence[Mention], articles: Mapping[str, ArticleMeta]) -> EventSupport:
    """Counts and confidence: 1 - prod(1 - p) over distinct sources and the agencies they cite."""
    agencies = load_domain().agencies
    article_ids = sorted({m.article_id for m in members})
    metas = [articles.get(a) for a in article_ids]
    source_weight: dict[str, float] = {}
    for aid, meta in zip(article_ids, metas, strict=True):
        source = meta.source if meta is not None and meta.source else aid
        source_weight[source] = max(source_weight.get(source, 0.0), _article_weight(meta))
    agency_weight: dict[str, float] = {}
    for m in members:
        w = _article_weight(articles.get(m.article_id))
        for name in m.reported_by:
            kind = agencies[name].kind if name in agencies else "media"
            agency_weight[kind] = max(agency_weight.get(kind, 0.0), w)
    miss = 1.0
    for w in source_weight.values():
        miss *= 1.0 - SOURCE_P * w
    for kind, w in agency_weight.items():
        miss *= 1.0 - AGENCY_P[kind] * w
    confidence = 1.0 - miss
    # a day, or the day of an undated report: the event has a place in time (months do not)
    dated = any(
        m.event_date is not None and m.date_precision in ("day", "reported") for m in members
    )
    if not dated:
        confidence *= UNKNOWN_DATE_FACTOR
    confidence = round(min(confidence, 0.99), 3)
    shared: set[str] | None = None
    for meta in metas:
        own = set(meta.flags) & set(QUALITY_FLAGS) if meta is not None else set()
        shared = own if shared is None else shared & own
    flags = tuple(sorted(shared or ()))
    reason = None
    if flags:
        reason = "only flagged articles support it: " + ", ".join(flags)
    elif members and all(m.background for m in members):
        reason = "only mentioned in passing (no article reports it as news)"
    elif confidence < LOW_CONFIDENCE:
        reason = (
            "weak support: "
            + ("no date, " if not dated else "")
            + f"{len(source_weight)} source(s)"
        )
    published = [meta.published_at for meta in metas if meta is not None and meta.published_at]
    return EventSupport(
        num_articles=len(article_ids),
        num_sources=len(source_weight),
        first_reported_at=min(published) if published else None,
        confidence=confidence,
        flags=flags,
        low_confidence=reason is not None,
        low_confidence_reason=reason,
    )


def _event_date(
    members: Sequence[Mention], articles: Mapping[str, ArticleMeta]
) -> tuple[date | None, str]:
    agencies = load_domain().agencies
    days: Counter[date] = Counter()
    # Reports of the event date it; only when there are none, the launch told in passing does.
    reports = [m for m in members if not m.background] or list(members)
    for m in reports:
        if m.event_date is not None and m.date_precision == "day":
            official = any(
                agencies[a].kind in ("military", "state_media")
                for a in m.reported_by
                if a in agencies
            )
            days[m.event_date] += 2 if official else 1
            days[m.event_date] += 0 if _article_weight(articles.get(m.article_id)) == 1.0 else -0.5  # type: ignore[assignment]
    if days:
        if isinstance(members[0], DiplomacyMention):
            return first_day(list(days), days), "day"  # a visit: its first day
        best = max(days.items(), key=lambda kv: (kv[1], -kv[0].toordinal()))
        return best[0], "day"
    reported = [
        m.event_date
        for m in members
        if m.event_date is not None and m.date_precision == "reported" and not m.background
    ]
    if reported:
        first = min(reported)
        # "... the Hwasong-11Da-4.5 tested on September 18": a day told in passing, inside the
        # window of the undated reports, dates the event better than their publication
        told = Counter(
            m.event_date
            for m in members
            if m.background
            and m.event_date is not None
            and m.date_precision == "day"
            and first - timedelta(days=2) <= m.event_date <= first
        )
        if told:
            return told.most_common(1)[0][0], "day"
        return first, "reported"
    months = [
        m.event_date for m in members if m.event_date is not None and m.date_precision == "month"
    ]
    if months:
        return Counter(months).most_common(1)[0][0], "month"
    return None, "unknown"


_M = TypeVar("_M", MissileTestMention, DiplomacyMention)


def _ranked(members: Sequence[_M]) -> list[_M]:
    """Non-background mentions first; within them those citing official military sources."""

    def rank(m: _M) -> tuple[int, int]:
        military = min(
            (MILITARY_ORDER.index(a) for a in m.reported_by if a in MILITARY_ORDER), default=9
        )
        return (int(m.background), military)

    return sorted(members, key=rank)


def _claims(m: MissileTestMention, name: str) -> list[tuple[tuple[str, ...], float]]:
    """A mention's figures for one field, each with the agencies it is attributed to: the
    agency-attributed claims of its field spans, else its own value and all its agencies."""
    value = getattr(m, name)
    own: list[tuple[tuple[str, ...], float]] = [
        ((span.agency,) if span.agency else (), span.value)
        for span in m.field_spans
        if span.field == name and span.value is not None
    ]
    if own:
        # the figure the mention shows first: of one source's figures per missile ("one flew
        # 250 km and the other 350 km") it is the longest
        return sorted(own, key=lambda claim: claim[1] != value)
    return [] if value is None else [(m.reported_by, float(value))]


def _resolve_number(members: Sequence[MissileTestMention], name: str) -> tuple[float | None, bool]:
    """An official military source's figure (JCS, then Japan MoD, ...) when one gave it, within
    an article or across articles; otherwise the lower median of the mentions' own values."""
    ranked = _ranked(members)
    claims = [claim for m in ranked for claim in _claims(m, name)]
    if not claims:
        return None, False
    disputed = len({v for _, v in claims}) > 1
    for agency in MILITARY_ORDER:
        for agencies, v in claims:
            if agency in agencies:
                return v, disputed
    values = [float(getattr(m, name)) for m in ranked if getattr(m, name) is not None]
    return (statistics.median_low(values) if values else claims[0][1]), disputed


def _resolve_label(members: Sequence[_M], name: str) -> tuple[str | None, bool]:
    claims = [getattr(m, name) for m in _ranked(members) if getattr(m, name) is not None]
    if not claims:
        return None, False
    counts = Counter(claims)
    top = max(counts.values())
    for value in claims:  # ties go to the best-ranked mention
        if counts[value] == top:
            return value, len(counts) > 1
    return claims[0], len(counts) > 1


def _union(values: Iterable[Iterable[str]]) -> tuple[str, ...]:
    out: list[str] = []
    for group in values:
        for v in group:
            if v not in out:
                out.append(v)
    return tuple(out)


def _build(g: _Group, articles: Mapping[str, ArticleMeta]) -> Event:
    members = g.members
    event_date, precision = _event_date(members, articles)
    support = support_of(members, articles)
    ids = tuple(sorted(m.mention_id for m in members))
    if isinstance(members[0], MissileTestMention):
        ms = [m for m in members if isinstance(m, MissileTestMention)]
        disputed: list[str] = []
        numbers: dict[str, float | None] = {}
        for name in ("num_missiles", "distance_km", "apogee_km"):
            number, differ = _resolve_number(ms, name)
            numbers[name] = number
            if differ:
                disputed.append(name)
        labels: dict[str, str | None] = {}
        for name in ("designation", "launch_site", "landing_area", "overseen_by"):
            label, differ = _resolve_label(ms, name)
            labels[name] = label
            if differ and name != "overseen_by":
                disputed.append(name)
        designation = labels["designation"]
        missile_class = event_class(
            [m.missile_class for m in _ranked(ms)],
            load_domain().designation_class.get(designation) if designation else None,
        )
        outcomes = {m.outcome for m in ms if m.outcome != "unknown"}
        outcome = "failure" if "failure" in outcomes else ("success" if outcomes else "unknown")
        if len(outcomes) > 1:
            disputed.append("outcome")
        return MissileTestEvent(
            event_id="",
            event_date=event_date,
            date_precision=precision,
            missile_class=missile_class,
            designation=designation,
            names_reported=_union(m.names_reported for m in ms),
            num_missiles=None if numbers["num_missiles"] is None else int(numbers["num_missiles"]),
            launch_site=labels["launch_site"],
            distance_km=numbers["distance_km"],
            apogee_km=numbers["apogee_km"],
            landing_area=labels["landing_area"],
            outcome=outcome,
            overseen_by=labels["overseen_by"],
            reported_by=_union(m.reported_by for m in ms),
            support=support,
            disputed_fields=tuple(disputed),
            mention_ids=ids,
        )
    ds = [m for m in members if isinstance(m, DiplomacyMention)]
    location, loc_disputed = _resolve_label(ds, "location")
    first = min(ds, key=lambda m: (m.background, -len(m.persons), m.mention_id))
    return DiplomacyEvent(
        event_id="",
        event_date=event_date,
        date_precision=precision,
        event_type=event_type_of([m.event_type for m in _ranked(ds)]),
        actors=_union(m.actors for m in ds),
        persons=_union(m.persons for m in ds),
        location=location,
        summary=first.summary,
        reported_by=_union(m.reported_by for m in ds),
        support=support,
        disputed_fields=("location",) if loc_disputed else (),
        mention_ids=ids,
    )
