"""Anchoring a launch to a date: which date of a clause is the launch's, whether a launch is told
in passing (a past launch) or reported as news, and which sentences date another day."""

from __future__ import annotations

from datetime import date, timedelta

from extractors.events.dates import DateRef, event_dates
from extractors.events.missiles.reading import Reading
from extractors.events.text import Sentence

# A launch dated more than this many days before publication is a past launch mentioned in passing.
RECENT_DAYS = 3

_RANK = {"explicit": 0, "weekday": 1, "relative": 2, "month": 3, "year": 4}


def best_date(dates: list[DateRef]) -> DateRef | None:
    """The most precise date of a clause: explicit day, weekday or relative day, then a month."""
    resolved = [d for d in dates if d.value is not None or d.kind == "year"]
    if not resolved:
        return None
    return min(resolved, key=lambda d: (_RANK[d.kind], d.start))


def is_background(
    ref: DateRef | None,
    pub: date | None,
    secondary: bool,
    past_word: bool,
    aggregate: bool,
    perfect: bool,
) -> bool:
    """Whether a launch claim is told in passing: a clause after a turn to another launch, a
    date long before publication (or a bare year or month), or, undated, a word of the past."""
    if secondary:
        return True  # "..., after it fired a Hwasong-15 on Sunday": told in passing
    if ref is not None and ref.kind == "year":
        return pub is None or ref.year is None or ref.year <= pub.year
    if ref is not None and ref.value is not None:
        if ref.precision == "month":
            return True
        if pub is not None and ref.value < pub - timedelta(days=RECENT_DAYS):
            return True
        return bool(pub is not None and ref.value > pub + timedelta(days=1))
    return past_word or aggregate


def dates_compatible(a: DateRef | None, b: DateRef | None) -> bool:
    """Whether two claims' dates can be one launch: the same day give or take one, or month."""
    if a is None or b is None or a.value is None or b.value is None:
        return True
    if a.precision == "month" or b.precision == "month":
        return (a.value.year, a.value.month) == (b.value.year, b.value.month)
    return abs((a.value - b.value).days) <= 1


def clause_start(text: str, start: int, pos: int) -> int:
    """Where the clause holding ``pos`` starts (after the last , ; : ( or dash from ``start``)."""
    return max(start, *(text.rfind(c, start, pos) + 1 for c in ",;:(\u2014"))


def context_date(r: Reading, s: Sentence) -> tuple[DateRef, Sentence] | None:
    """The day of the nearest sentence before ``s`` that dates an event ("Hours before the
    meeting, ... had fired two missiles": the meeting's day)."""
    for back in range(s.index - 1, -1, -1):
        before = r.sentences[back]
        days = [
            d
            for d in event_dates(r.resolver, r.text, before.start, before.end, events=r.t.verbs)
            if d.value is not None and d.precision == "day"
        ]
        if days:
            best = best_date(days)
            if best is not None:
                return best, before
    return None


def dated_elsewhere(r: Reading, s: Sentence, launch: DateRef | None) -> bool:
    """Whether a would-be detail sentence is dated to a day other than the launch's."""
    if launch is None or launch.value is None or launch.precision != "day":
        return False
    text = r.text
    if not r.resolver.find(text, s.start, s.end):
        return False
    days = []
    for d in event_dates(r.resolver, text, s.start, s.end, events=r.t.verbs):
        if d.value is None or d.precision != "day":
            continue
        if r.t.aside.search(text, clause_start(text, s.start, d.start), d.start):
            continue  # "another Hwasong-14, the type first flown on July 4": an aside
        days.append(d.value)
    return bool(days) and all(abs((d - launch.value).days) > 1 for d in days)
