"""Events told as the time of another: "fired two missiles four days before Xi Jinping's visit to
Seoul", "the day before Kamala Harris arrived in South Korea", "a day after Putin received Choe".

The event after the relation word is told in passing (the news is the clause before it). Its day
is counted from the day of that clause (its anchor): four days *before* X puts X four days after
the anchor. An X that falls after the day of the report has not happened yet: a plan, no date.

    relation = relation_of(text, trigger_start)
    relation.days_from_anchor   # +4 for "four days before X", -1 for "a day after X", None unknown
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10,
}  # fmt: skip
_UNIT_DAYS = {"hour": 0, "minute": 0, "day": 1, "night": 1, "week": 7}

# Each with the event it times, which follows it:
# "four days before President Xi's visit", "2 days after the talks", "hours before the leaders
# met", "the day before Harris arrived", "a week after", "shortly before", "just after",
# "days ahead of Blinken's trip", "on the eve of the summit", "in the run-up to the talks",
# "the same day as the summit", "on the day the leaders met"
RELATION = re.compile(
    r"(?=[\dathfeswdjorsimnAOTHFESWDJRSIMN])\b(?:"
    r"(?:(?P<n>\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|a\s+few|few|several|"
    r"some|only\s+a\s+few)\s+)?(?P<unit>hours?|minutes?|days?|nights?|weeks?|months?)"
    r"|the\s+(?P<the>day|night|week)"
    r"|(?P<vague>shortly|soon|just|right|immediately|only\s+hours|only\s+days)"
    r")\s+(?P<rel>before|after|ahead\s+of|prior\s+to|earlier\s+than)\s"
    r"|\b(?P<eve>on\s+the\s+eve\s+of|in\s+the\s+run-up\s+to|(?<![Dd]ays\s)ahead\s+of)\s"
    r"|\b(?P<same>(?:on\s+)?the\s+same\s+day\s+as\s+|on\s+the\s+day\s+(?:that\s+|when\s+)?)(?=\S)",
    re.I,
)


@dataclass(frozen=True, slots=True)
class Relation:
    start: int  # where the relation words begin in the sentence
    end: int  # where the event they time begins
    days_from_anchor: int | None  # the event's day minus the anchor's, when the text fixes it
    later: bool  # the event comes after the anchor ("before X", "ahead of X", "on the eve of X")


def relation_of(text: str, pos: int) -> Relation | None:
    """The relation words whose event holds ``pos`` (a trigger's offset in the sentence), up to
    the end of the clause they open (the next ";" or dash, or ", " + a new clause)."""
    found = None
    for m in RELATION.finditer(text, 0, min(len(text), pos + 1)):
        if _clause_end(text, m.start(), m.end()) > pos:
            found = m
    if found is None:
        return None
    return Relation(found.start(), found.end(), _days(found), _later(found))


def event_day(relation: Relation, anchor: date | None) -> date | None:
    if anchor is None or relation.days_from_anchor is None:
        return None
    return anchor + timedelta(days=relation.days_from_anchor)


def _clause_end(text: str, start: int, end: int) -> int:
    """Where the event after the relation words ends: at the next comma when they open the
    sentence ("A day after Pyongyang accused Seoul ..., Kim Yo Jong issued a statement"), else at
    the next clause."""
    cut = _OPENING_CUT if _OPENING.match(text, 0, start) else _CLAUSE_CUT
    m = cut.search(text, end)
    return m.start() if m else len(text)


# Only a time or a place before the relation words: they open the sentence ("On October 12, a
# day after ..., ")
_OPENING = re.compile(r"\s*(?:(?:On|In|At|Early|Late|Then)\b[^,]{0,40}(?:,\s*\d{4})?,\s*)?$", re.I)
_OPENING_CUT = re.compile(r",|;|\.\s")
_CLAUSE_CUT = re.compile(r";|\s[\u2014\u2013]\s|,\s+(?:and|but|while|as|which|who)\s|\.\s")


def _later(m: re.Match[str]) -> bool:
    if m.group("same"):
        return False
    if m.group("eve"):
        return True
    return m.group("rel").lower().split()[0] in ("before", "ahead", "prior", "earlier")


def _days(m: re.Match[str]) -> int | None:
    if m.group("same"):
        return 0
    if m.group("eve"):
        return 1 if m.group("eve").lower().startswith("on") else None
    sign = 1 if _later(m) else -1
    if m.group("the"):
        return sign * _UNIT_DAYS[m.group("the").lower()]
    if m.group("vague"):
        return None  # "shortly after": no day
    unit = m.group("unit").lower().rstrip("s")
    if unit not in _UNIT_DAYS:
        return None  # "months after": no day
    count = (m.group("n") or "").lower()
    if _UNIT_DAYS[unit] == 0:
        return 0  # "hours before": the same day
    n = int(count) if count.isdigit() else _NUMBERS.get(count)
    return None if n is None else sign * n * _UNIT_DAYS[unit]
