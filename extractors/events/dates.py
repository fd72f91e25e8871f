"""Dates in a sentence, resolved against the article's publication time in Korea time.

    resolver = DateResolver(published_at, load_domain())
    [d.value for d in resolver.find("North Korea fired a missile early Wednesday")]
    event_dates(resolver, text, start, end)   # the dates that may date an event, not its report

Explicit dates ("March 16, 2023", "Sept. 18", "on the 18th", "2024년 9월 18일", "18일"), weekdays ("early
Wednesday" = the latest Wednesday on or before publication, Korea time), relative words
("yesterday", "this morning", 어제, 오늘) and months ("in November 2017"). Anything that cannot be
resolved (no publication time for a relative word) gives no date: dates are never invented.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from extractors.events.domain import Domain

KST = ZoneInfo("Asia/Seoul")

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = (
    r"(?P<{name}>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_WEEKDAYS = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6, "월요일": 0, "화요일": 1, "수요일": 2, "목요일": 3, "금요일": 4, "토요일": 5,
    "일요일": 6,
}  # fmt: skip

_EXPLICIT = re.compile(
    # A cheap look at the first character lets the engine skip most positions quickly.
    r"(?=\d|(?<![A-Za-z])[JFMASONDTWiIeElLmsot]|[월화수목금토일지])"
    r"(?:(?P<iso>(?<!\d)(?P<iy>(?:19|20)\d\d)-(?P<im>[01]\d)-(?P<id>[0-3]\d)(?!\d))"
    r"|(?P<mdy>(?<![A-Za-z])" + _MONTH.format(name="m1") + r"\s+(?P<d1>[0-3]?\d)(?:st|nd|rd|th)?"
    r"(?![\d:])(?:,?\s+(?P<y1>(?:19|20)\d\d))?)"
    r"|(?P<dmy>(?<![\d.])(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?"
    + _MONTH.format(name="m2")
    + r"(?![A-Za-z])(?:,?\s+(?P<y2>(?:19|20)\d\d))?)"
    r"|(?P<my>(?<![A-Za-z])"
    + _MONTH.format(name="m3")
    + r"(?![A-Za-z])(?:\s+of)?,?\s+(?P<y3>(?:19|20)\d\d))"
    r"|(?P<inm>\b(?i:in|early|late|mid-?|since|the\s+month\s+of)\s+(?:"
    + _MONTH.format(name="m4")
    + r")(?![A-Za-z])"
    r"(?!,?\s+(?:of\s+)?(?:19|20)\d\d)(?!\s*\d))"
    r"|(?P<kymd>(?P<ky>(?:19|20)\d\d)\s*년\s*(?P<km>[01]?\d)\s*월\s*(?P<kd>[0-3]?\d)\s*일)"
    r"|(?P<kym>(?P<ky2>(?:19|20)\d\d)\s*년\s*(?P<km2>[01]?\d)\s*월)"
    r"|(?P<kmd>(?<!\d)(?P<km3>[01]?\d)\s*월\s*(?P<kd3>[0-3]?\d)\s*일)"
    # "on the 25th", "early on the 3rd": a day of the month (not "the 25th anniversary")
    r"|(?P<oday>\b(?i:on)\s+the\s+(?P<od>[0-3]?\d)(?:st|nd|rd|th)\b(?!\s+(?:of\b|"
    r"(?i:anniversary|century|time|times|round|test|tests|launch|launches|party|plenary|session"
    r"|congress|meeting|floor|day|generation|year|annual|attempt)\b)))"
    r"|(?P<kday>(?<![\d월])(?P<kd4>[0-3]?\d)\s*일(?!\s*(?:간|동안|이내|만에|째|요일)))"
    r"|(?P<year>\b(?i:in|since|of)\s+(?P<yy>(?:19|20)\d\d)(?![\d-]))"
    r"|(?P<kyear>(?P<kyy>(?:19|20)\d\d)\s*년(?!\s*\d))"
    r"|(?P<wd>(?P<last>\b(?i:last)\s+)?\b(?P<wdn>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)s?\b)"
    r"|(?P<kwd>(?P<klast>지난\s*)?(?P<kwdn>[월화수목금토일]요일)))"
)
# A cheap first test: no digit, weekday or relative word means no date at all.
_ANY_DATE_WORD = re.compile(
    r"\d|day|night|morning|evening|afternoon|month|week|year|overnight|earlier|previous|before|"
    r"tonight|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|[오어이전금당그간지]|요일",
    re.I,
)
_MAY_MODAL = re.compile(r"May\s+\d{1,2}\s+(?:be|have|not)\b")
# Relative words that count from today (the reader's day); the others ("the day before", "a day
# earlier", 전날) count from the day the sentence is about.
_DEICTIC = frozenset(
    [
        "yesterday",
        "last night",
        "overnight",
        "어제",
        "간밤",
        "지난밤",
        "그제",
        "그저께",
        "two days ago",
    ]
)

Kind = Literal["explicit", "weekday", "relative", "month", "year"]
Precision = Literal["day", "month", "unknown"]


@dataclass(frozen=True, slots=True)
class DateRef:
    value: date | None
    precision: Precision
    kind: Kind
    start: int
    end: int
    year: int | None = None
    # "the day before", "a day earlier", 전날: counted back from the day the report speaks of
    # (when the sentence names one), not from publication like "yesterday".
    anaphoric: bool = False


def publication_day(published_at: datetime | None) -> date | None:
    """The publication date in Korea time."""
    if published_at is None:
        return None
    if published_at.tzinfo is None:
        raise ValueError("published_at must be timezone-aware")
    return published_at.astimezone(KST).date()


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


class DateResolver:
    """Finds and resolves date expressions for one article."""

    def __init__(self, published_at: datetime | None, domain: Domain) -> None:
        self.pub = publication_day(published_at)
        self._today = domain.terms["dates.today"]
        self._yesterday = domain.terms["dates.yesterday"]
        self._before = domain.terms["dates.day_before_yesterday"]
        self._this_month = domain.terms["dates.this_month"]
        self._last_month = domain.terms["dates.last_month"]
        self._found: dict[str, list[DateRef]] = {}
        # event_dates() results for this article, keyed by text, range and what was asked
        self.memo: dict[tuple[str, int, int, bool, int | None], list[DateRef]] = {}

    def _month_day(self, month: int, day: int, year: int | None) -> date | None:
        if year is not None:
            return _safe_date(year, month, day)
        if self.pub is None:
            return None
        # The latest such date on or before publication (one day of slack for time zones).
        for y in (self.pub.year, self.pub.year - 1):
            found = _safe_date(y, month, day)
            if found is not None and found <= self.pub + timedelta(days=1):
                return found
        return None

    def _month(self, month: int, year: int | None) -> date | None:
        if year is not None:
            return date(year, month, 1)
        if self.pub is None:
            return None
        y = self.pub.year if month <= self.pub.month else self.pub.year - 1
        return date(y, month, 1)

    def _weekday(self, weekday: int, *, strictly_before: bool) -> date | None:
        if self.pub is None:
            return None
        back = (self.pub.weekday() - weekday) % 7
        if back == 0 and strictly_before:
            back = 7
        return self.pub - timedelta(days=back)

    def _day_of_month(self, day: int) -> date | None:
        if self.pub is None:
            return None
        if day <= self.pub.day + 1:
            return _safe_date(self.pub.year, self.pub.month, day)
        prev = self.pub.replace(day=1) - timedelta(days=1)
        return _safe_date(prev.year, prev.month, day)

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[DateRef]:
        """Date references in text[start:end], in text order (remembered per article)."""
        stop = len(text) if end is None else end
        if text not in self._found:
            self._found[text] = self._find(text, 0, len(text))
        return [r for r in self._found[text] if r.start >= start and r.end <= stop]

    def _find(self, text: str, start: int, stop: int) -> list[DateRef]:
        found: list[DateRef] = []
        if _ANY_DATE_WORD.search(text, start, stop) is None:
            return found
        for m in _EXPLICIT.finditer(text, start, stop):
            ref = self._explicit(m, text)
            if ref is not None:
                found.append(ref)
        for regex, offset in ((self._today, 0), (self._yesterday, 1), (self._before, 2)):
            for m in regex.finditer(text, start, stop):
                value = None if self.pub is None else self.pub - timedelta(days=offset)
                precision: Precision = "day" if value is not None else "unknown"
                anaphoric = offset > 0 and m.group(0).lower() not in _DEICTIC
                found.append(
                    DateRef(value, precision, "relative", m.start(), m.end(), anaphoric=anaphoric)
                )
        for regex, back in ((self._this_month, 0), (self._last_month, 1)):
            for m in regex.finditer(text, start, stop):
                value = None
                if self.pub is not None:
                    first = self.pub.replace(day=1)
                    value = first if back == 0 else (first - timedelta(days=1)).replace(day=1)
                month_precision: Precision = "month" if value is not None else "unknown"
                found.append(DateRef(value, month_precision, "month", m.start(), m.end()))
        found.sort(key=lambda r: r.start)
        # Drop a reference that lies inside another ("this month" inside "earlier this month").
        kept: list[DateRef] = []
        for ref in found:
            if kept and ref.start < kept[-1].end:
                if ref.end - ref.start > kept[-1].end - kept[-1].start:
                    kept[-1] = ref
                continue
            kept.append(ref)
        return kept

    def _explicit(self, m: re.Match[str], text: str) -> DateRef | None:
        s, e = m.start(), m.end()
        g = m.group
        if g("iso"):
            value = _safe_date(int(g("iy")), int(g("im")), int(g("id")))
            return DateRef(value, "day" if value else "unknown", "explicit", s, e)
        if g("mdy") or g("dmy"):
            if g("mdy") and _MAY_MODAL.match(text, s):
                return None
            month = _MONTHS[(g("m1") or g("m2"))[:3].lower()]
            day = int(g("d1") or g("d2"))
            year_text = g("y1") or g("y2")
            value = self._month_day(month, day, int(year_text) if year_text else None)
            return DateRef(value, "day" if value else "unknown", "explicit", s, e)
        if g("my"):
            value = self._month(_MONTHS[g("m3")[:3].lower()], int(g("y3")))
            return DateRef(value, "month", "month", s, e)
        if g("inm"):
            value = self._month(_MONTHS[g("m4")[:3].lower()], None)
            return DateRef(value, "month" if value else "unknown", "month", s, e)
        if g("kymd"):
            value = _safe_date(int(g("ky")), int(g("km")), int(g("kd")))
            return DateRef(value, "day" if value else "unknown", "explicit", s, e)
        if g("kym"):
            value = self._month(int(g("km2")), int(g("ky2"))) if 1 <= int(g("km2")) <= 12 else None
            return DateRef(value, "month" if value else "unknown", "month", s, e)
        if g("kmd"):
            month, day = int(g("km3")), int(g("kd3"))
            value = self._month_day(month, day, None) if 1 <= month <= 12 else None
            return DateRef(value, "day" if value else "unknown", "explicit", s, e)
        if g("oday"):
            value = self._day_of_month(int(g("od")))
            return DateRef(value, "day" if value else "unknown", "explicit", s, e)
        if g("kday"):
            value = self._day_of_month(int(g("kd4")))
            return DateRef(value, "day" if value else "unknown", "explicit", s, e)
        if g("year") or g("kyear"):
            year = int(g("yy") or g("kyy"))
            return DateRef(None, "unknown", "year", s, e, year=year)
        if g("wd"):
            value = self._weekday(_WEEKDAYS[g("wdn").lower()], strictly_before=bool(g("last")))
            return DateRef(value, "day" if value else "unknown", "weekday", s, e)
        if g("kwd"):
            value = self._weekday(_WEEKDAYS[g("kwdn")], strictly_before=bool(g("klast")))
            return DateRef(value, "day" if value else "unknown", "weekday", s, e)
        return None


# -- which dates date the event, and which date its report -------------------------------------

# "its state media said on Monday", "reported Thursday": the date of the report, not of the launch.
_REPORT_BEFORE = re.compile(
    r"\b(?:said|says|reported|reports|announced|announces|stated|confirmed|disclosed|added|claimed|"
    r"revealed|published|released|showed|aired|broadcast|told\s+\w+)\s+(?:late\s+|early\s+|on\s+)*$",
    re.I,
)
_REPORT_WORDS_BEFORE = re.compile(
    r"\b(?:said|reported|announced|stated|confirmed|disclosed|claimed|revealed)\s+"
    r"(?P<words>(?:(?!that\b)[\w'’-]+\s+){1,5}?)(?:late\s+|early\s+)?on\s+$",
    re.I,
)
# "...이라고 1일 밝혔다", "조선중앙통신이 6일 보도했다": the day it was said.
_KOREAN_REPORT_AFTER = re.compile(
    r"\s*(?:오전|오후|새벽|밤)?\s*(?:밝혔|보도했|발표했|전했|공개했|주장했|보도|발표)"
)
# "SEOUL, Jan. 15 (PWS) —": a dateline dates the report, not the event.
_DATELINE_PREFIX = re.compile(r"\s*[A-Z][A-Za-z .'’-]{1,30},\s*")
_DATELINE_AFTER = re.compile(r"\s*(?:\([^)\n]{1,40}\)\s*)?[—–-]")
# "North Korea on Tuesday described the missile ...", "On Monday, state media said ...": a date
# put before the verb of saying dates the report (unless the event's own verb comes before it).
_REPORT_AFTER = re.compile(
    r"(?:\s*,)?\s+(?:[\w'’.-]+\s+){0,3}?(?:said|says|reported|reports|announced|announces|"
    r"described|describes|claimed|claims|confirmed|disclosed|revealed|released|published|stated|"
    r"told)\b",
    re.I,
)
_SENTENCE_END = re.compile(r"\s*(?:[.!?]|$)")
_SUBJECT_WORDS = 5  # "North Korean state media on", "South Korea's military on"
_POSSESSIVE = re.compile(r"['’]s?(?![\w])")  # "Wednesday's test": the day of the test
# "run through Saturday", "until Friday": the end of something still under way, not its day
_UNTIL_BEFORE = re.compile(r"\b(?:through|until|till|next|coming)\s+$", re.I)
_SINCE = re.compile(r"since\b", re.I)
# "the day before US Vice President Kamala Harris arrived": the day before another event, not the
# day before the report ("..., the day before." and "the day before yesterday" are)
_BEFORE_EVENT_AFTER = re.compile(r"\s+(?:the|a|an|his|her|its|their|[A-Z\"“])")


def _is_report_date(text: str, ref: DateRef, start: int, events: re.Pattern[str] | None) -> bool:
    """Whether a date in text dates the report of an event rather than the event itself."""
    if _POSSESSIVE.match(text, ref.end):
        return False
    if _REPORT_BEFORE.search(text, max(0, ref.start - 30), ref.start) or _KOREAN_REPORT_AFTER.match(
        text, ref.end
    ):
        return True
    # "said for the first time on Thursday", "announced in a statement on Monday": a few words
    # between the verb of saying and the day, none of them the event's own verb
    loose = _REPORT_WORDS_BEFORE.search(text, max(0, ref.start - 60), ref.start)
    if loose is not None and not (events is not None and events.search(loose.group("words"))):
        return True
    line_start = text.rfind("\n", 0, ref.start) + 1
    if _DATELINE_PREFIX.fullmatch(text, line_start, ref.start) and _DATELINE_AFTER.match(
        text, ref.end
    ):
        return True
    # "North Korea on Thursday described ...", "On Monday, state media said ...": the day comes
    # right after the subject (a few words in), with no event told before it
    said = _REPORT_AFTER.match(text, ref.end)
    return bool(
        said
        # "The test took place on Wednesday, the agency said.": an attribution that closes the
        # sentence; the day is the content's
        and not _SENTENCE_END.match(text, said.end())
        and len(text[start : ref.start].split()) <= _SUBJECT_WORDS
        and not (events is not None and events.search(text, start, ref.start))
    )


def event_dates(
    resolver: DateResolver,
    text: str,
    start: int,
    end: int,
    *,
    reports: bool = False,
    events: re.Pattern[str] | None = None,
) -> list[DateRef]:
    """Dates in text[start:end] that may date an event; with ``reports``, only the dates on which
    something was said ("its state media said on Monday"), a last resort for the event's date.

    ``events`` is the pattern of the event's own verbs: a date before the verb of saying is the
    report's ("North Korea on Tuesday described ...") only when no such verb comes before it.
    Anaphoric relative dates ("the day before", "a day earlier", 전날) count back from the day
    the sentence says the report was made, when it names one.
    """
    # Each caller has its own pattern of event verbs, compiled once. Keyed by its id: a Pattern's
    # hash is computed over its whole compiled code on every call (tens of microseconds for
    # diplomacy's verbs, most of this function's time).
    key = (text, start, end, reports, None if events is None else id(events))
    memo = resolver.memo
    if key in memo:
        return memo[key]
    memo[key] = out = _event_dates(resolver, text, start, end, reports, events)
    return out


def _event_dates(
    resolver: DateResolver,
    text: str,
    start: int,
    end: int,
    reports: bool,
    events: re.Pattern[str] | None,
) -> list[DateRef]:
    found = [
        d
        for d in resolver.find(text, start, end)
        if not _UNTIL_BEFORE.search(text, max(0, d.start - 10), d.start)
        # "its first test since 2017": where a span starts, not the day of the event
        and not _SINCE.match(text, d.start)
        and not (
            d.anaphoric
            and text[d.start : d.end].lower().endswith("before")
            and _BEFORE_EVENT_AFTER.match(text, d.end)
        )
    ]
    if not found:
        return []
    flags = [_is_report_date(text, d, start, events) for d in found]
    if reports:
        return [d for d, said in zip(found, flags, strict=True) if said]
    out = [d for d, said in zip(found, flags, strict=True) if not said]
    said_day = next(
        (
            d.value
            for d, said in zip(found, flags, strict=True)
            if said and d.value is not None and d.precision == "day"
        ),
        None,
    )
    if said_day is not None and resolver.pub is not None and any(d.anaphoric for d in out):
        out = [
            dataclasses.replace(d, value=said_day - (resolver.pub - d.value))
            if d.anaphoric and d.value is not None
            else d
            for d in out
        ]
    return out
