"""The date of a diplomatic event, and whether a sentence tells it as news or in passing.

A date is the event's own only when it belongs to the trigger's clause and to no other event in
it: in "the Council on Wednesday voted to impose sanctions, punishing Pyongyang for the nuclear
test it conducted on Jan. 6" the sanctions are of Wednesday. Dates in what a speaker said ("said
in a statement on Friday that the drones flew on October 3") are not the statement's.

    own = own_dates(dates, sentence.text, sentence.start, trigger_span, speech.content)
"""

from __future__ import annotations

from datetime import date, timedelta

from extractors.events.dates import DateRef, DateResolver
from extractors.events.diplomacy.lexicon import Lexicon
from extractors.events.diplomacy.patterns import (
    EVENT_NOUN_AFTER_DATE,
    OF_BEFORE_DATE,
    OTHER_EVENT_PHRASE,
    PARTICIPLE_BEFORE_DATE,
    PLUPERFECT,
    PRESENT_PERFECT,
    VERB_OR_CLAUSE,
)

RECENT_DAYS = 7  # an event dated more than a week before publication is told in passing
_DATE_RANK = {"explicit": 0, "weekday": 1, "relative": 2, "month": 3, "year": 4}


def own_dates(
    dates: list[DateRef],
    text: str,
    offset: int,
    trigger: tuple[int, int],
    content: tuple[int, int] | None = None,
) -> list[DateRef]:
    """The dates of ``dates`` (article offsets; the sentence ``text`` starts at ``offset``) that
    belong to the event of the trigger (sentence offsets), not to another event of its clause nor
    to what a speaker said (``content``, sentence offsets)."""
    return [
        d
        for d in dates
        if not (content is not None and content[0] <= d.start - offset < content[1])
        and not foreign_date(text, d.start - offset, d.end - offset, trigger)
    ]


def foreign_date(text: str, start: int, end: int, trigger: tuple[int, int]) -> bool:
    """Whether the date at text[start:end] dates another event than the trigger's: inside "after
    / since / in response to / punishing ..." (unless the trigger is too), after another verb
    ("that the Council adopted on March 2"), or naming an event ("the nuclear test of January 6",
    "the Jan. 6 test")."""
    for m in OTHER_EVENT_PHRASE.finditer(text):
        if m.start() <= start < m.end() and not m.start() <= trigger[0] < m.end():
            return True
    verb = PARTICIPLE_BEFORE_DATE.search(text, max(0, start - 90), start)
    if (
        verb is not None
        and verb.end() == start
        and not trigger[0] - 5 <= verb.start() <= trigger[1]
    ):
        return True
    if (
        OF_BEFORE_DATE.search(text, max(0, start - 6), start)
        and not start - 25 <= trigger[1] <= start
    ):
        return True  # "the nuclear test of January 6", unless it is "the talks of June 19"
    noun = EVENT_NOUN_AFTER_DATE.match(text, end)
    return noun is not None and not end <= trigger[0] <= noun.end()


def first_date(dates: list[DateRef]) -> DateRef | None:
    usable = [d for d in dates if d.value is not None]
    return min(usable, key=lambda d: (_DATE_RANK[d.kind], d.start)) if usable else None


def is_background(ref: DateRef | None, resolver: DateResolver, past_word: bool) -> bool:
    """Told in passing by its date: a day more than a week before publication, another month, or
    no date and a word of the past ("last year", "previously")."""
    pub = resolver.pub
    if ref is None or ref.value is None:
        return past_word
    if ref.precision == "month":
        return pub is None or (ref.value.year, ref.value.month) != (pub.year, pub.month)
    return pub is not None and ref.value < pub - timedelta(days=RECENT_DAYS)


def backstory(text: str) -> bool:
    """A sentence whose first verb is in the past perfect tells what had happened before the news
    ("Pyongyang had denounced last week's meeting ...")."""
    m = PLUPERFECT.search(text, 0, 90)
    return m is not None and VERB_OR_CLAUSE.search(text, 0, m.start()) is None


def habitual(text: str, start: int, end: int, trigger_start: int, lex: Lexicon) -> bool:
    """A record over time, not one event: "has rejected every US offer of talks", "has adopted
    nine sanctions resolutions since 2006", "issued dozens of press statements"."""
    if lex.habitual.search(text, start, end) is None:
        return False
    verb = PRESENT_PERFECT.search(text, start, end)
    if (
        verb is not None
        and verb.start() <= trigger_start
        and lex.habitual.search(text, verb.start(), min(end, trigger_start + 60))
    ):
        return True  # the record's own verb, its habitual word near it ("has rejected every")
    return any(
        0 <= trigger_start - w.end() <= 25
        for w in lex.habitual.finditer(text, start, trigger_start)
    )  # "issued dozens of press statements"


def past_year(resolver: DateResolver, text: str, start: int, end: int) -> bool:
    """ "adopted in 2006": a year before the year of publication dates an earlier event.
    ``text`` is the article's (its dates are read once), start and end offsets in it."""
    pub = resolver.pub
    if pub is None:
        return False
    return any(
        d.kind == "year"
        and d.year is not None
        and d.year < pub.year
        and not text[d.start : d.start + 5].lower().startswith("since")
        for d in resolver.find(text, start, end)
    )


def reported_day(resolver: DateResolver) -> date | None:
    """The day a report with no date of its own was published: its event happened on or shortly
    before it (date_precision 'reported')."""
    return resolver.pub
