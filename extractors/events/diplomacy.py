"""Rule-based diplomacy mentions: summits, visits, talks, statements, sanctions, UN action,
exercises, agreements, and offers or refusals of dialogue that involve the Korean peninsula.

One sentence gives at most one mention: the first event type (in the order of
``event_terms.toml``) whose trigger phrase occurs, with the states and persons named in it.
A sentence that refers back ("the two leaders signed ...", "Moon greeted him") borrows the
persons, place and date of the two sentences before it. A meeting, talks or visit between two
heads of state or government is a summit.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Generic, TypeVar

from extractors.events.dates import DateRef, DateResolver
from extractors.events.domain import Domain
from extractors.events.missiles import event_dates
from extractors.events.records import DiplomacyMention, FieldSpan
from extractors.events.text import Sentence
from extractors.records import ArticleText

_KOREA = re.compile(r"Korea|peninsula|Pyongyang|DPRK|Seoul|북한|한반도|남북|북측|조선", re.I)
_NO_HYPOTHETICAL_CHECK = ("dialogue_offer", "dialogue_rejection", "statement")
_MEETING_TYPES = ("meeting", "talks", "visit", "summit")
_REFERS_BACK = re.compile(
    r"\b(?:the two|both|him|her|his counterpart|her counterpart|they|them|the leaders|each other|"
    r"together|the pair|the two sides|both sides|the two men|the two leaders)\b|양측|두 정상|양국|양 정상",
    re.I,
)
_LOCATION_BEFORE = re.compile(
    r"\b(?:in|at|to|from|into|near|on|inside)\s+(?:the\s+)?(?:[A-Z]\w+\s+){0,2}$"
)
_TYPE_LABEL = {
    "summit": "Summit", "meeting": "Meeting", "talks": "Talks", "visit": "Visit",
    "statement": "Statement", "sanctions": "Sanctions", "un_action": "UN action",
    "military_exercise": "Military exercise", "agreement": "Agreement",
    "dialogue_offer": "Dialogue offer", "dialogue_rejection": "Dialogue rejected", "other": "Event",
}  # fmt: skip
_SPEAKER_TYPES = ("statement", "dialogue_offer", "dialogue_rejection")
_LAUNCH_CONTEXT = re.compile(
    r"\b(?:launch|launches|missile|missiles|test)\b[^.]{0,40}\b(?:came|comes|followed)\b|"
    r"(?:발사|도발)[^.]{0,60}(?:직후|이후|만에|앞두고)|(?:직후|이후)[^.]{0,20}(?:이뤄졌|단행)",
    re.I,
)
# "정상회담을 하기 위해 ... 출국": a summit still to come
_KOREAN_PLAN_AFTER = re.compile(
    r"\s*[을를]?\s*(?:하기|위해|할|예정|계획|추진|검토|가능|앞두|열릴|개최할)"
)
RECENT_DAYS = 7
CONTEXT_SENTENCES = 2
_MAX_SUMMARY = 160


@dataclass(frozen=True, slots=True)
class _Context:
    sentence: Sentence
    actors: tuple[str, ...]
    persons: tuple[str, ...]
    location_of: Callable[[], str | None]
    date_of: Callable[[], DateRef | None]  # found only when a later sentence asks

    @property
    def location(self) -> str | None:
        return self.location_of()

    @property
    def date(self) -> DateRef | None:
        return self.date_of()


_T = TypeVar("_T")


class _Lazy(Generic[_T]):
    """A value computed on first use (most sentences never need their date or place)."""

    __slots__ = ("_done", "_make", "_value")

    def __init__(self, make: Callable[[], _T]) -> None:
        self._make = make
        self._done = False

    def __call__(self) -> _T:
        if not self._done:
            self._value = self._make()
            self._done = True
        return self._value


class DiplomacyRules:
    def __init__(self, domain: Domain, version: str) -> None:
        self.d = domain
        self.version = version
        self.hypothetical = domain.terms["diplomacy.hypothetical"]
        self.anniversary = domain.terms["missile.anniversary"]
        self.past = domain.terms["missile.past"]

    def _actors(self, text: str, known: dict[str, str]) -> tuple[list[str], list[str]]:
        """States and persons named in text; ``known`` maps a surname seen alone to its person."""
        states = self.d.countries.find(text)
        agencies = [(m.start, m.end) for m in self.d.agency_names.finditer(text)] if states else []
        actors: list[str] = []
        persons: list[str] = []
        for m in states:
            if any(a <= m.start and m.end <= b for a, b in agencies):
                continue  # "South Korea's Joint Chiefs of Staff said": a source, not a party
            if m.value not in ("PRK", "KOR") and _LOCATION_BEFORE.search(
                text, max(0, m.start - 25), m.start
            ):
                continue  # "a summit in Hanoi", "on Singapore's Sentosa island": the venue
            for code in m.value.split("+"):
                if code not in actors:
                    actors.append(code)
        spans = []
        for m in self.d.persons.finditer(text):
            spans.append((m.start, m.end))
            if m.value not in persons:
                persons.append(m.value)
        for person in set(known.values()):
            if person in persons:
                continue
            for hit in self.d.short_names[person].finditer(text):
                if not any(a <= hit.start() < b for a, b in spans):
                    persons.append(person)
                    break
        for person in persons:
            country = self.d.person_country[person]
            if country not in actors:
                actors.append(country)
        return actors, persons

    def _location(self, text: str) -> str | None:
        for m in self.d.locations.finditer(text):
            before = text[max(0, m.start - 25) : m.start]
            after = text[m.end : m.end + 6]
            if _LOCATION_BEFORE.search(before) or re.match(
                r"\s*(?:에서|을 방문|를 방문|방문|에 도착)", after
            ):
                return m.value
        return None

    def classify(self, s: Sentence) -> str | None:
        text = s.text
        if self.d.diplomacy_any.search(text) is None:
            return None
        for name in self.d.diplomacy_order:
            kind = self.d.diplomacy_types[name]
            trigger = kind.triggers.search(text)
            if trigger is None:
                continue
            if kind.verbs is not None and not kind.verbs.search(text):
                continue
            if name not in _NO_HYPOTHETICAL_CHECK:
                window = text[max(0, trigger.start() - 45) : trigger.start()]
                after = text[trigger.end() : trigger.end() + 25]
                if self.hypothetical.search(window) or re.match(
                    r"\s*(?:\w+\s+){0,2}?(?:will|would|could|may|might|is\s+expected|are\s+expected|planned|scheduled)\b",
                    after,
                    re.I,
                ):
                    continue
                if _KOREAN_PLAN_AFTER.match(after):
                    continue
            return name
        return None

    def _date(self, resolver: DateResolver, text: str) -> DateRef | None:
        found = _first_date(event_dates(resolver, text, 0, len(text)))
        if found is None:
            found = _first_date(event_dates(resolver, text, 0, len(text), reports=True))
        return found

    def extract(
        self, article: ArticleText, sentences: list[Sentence], resolver: DateResolver
    ) -> list[DiplomacyMention]:
        out: list[DiplomacyMention] = []
        known: dict[str, str] = {}  # surname -> the person last named in full
        context: list[_Context] = []
        for s in sentences:
            text = s.text
            actors, persons = self._actors(text, known)
            for person in persons:
                short = self.d.short_names.get(person)
                if short is not None:  # "Kim" now means the Kim last named in full
                    known[short.pattern] = person
            refers_back = _REFERS_BACK.search(text) is not None
            location = _Lazy(functools.partial(self._location, text))
            # A sentence that refers back carries the date of the one it refers to.
            carried = _Lazy(
                functools.partial(self._carried_date, resolver, text, refers_back, tuple(context))
            )
            here = _Context(s, tuple(actors), tuple(persons), location, carried)
            mention = self._mention(article, s, resolver, actors, persons, location, context)
            context = [*context, here][-CONTEXT_SENTENCES:]
            if mention is None:
                continue
            for n, earlier in enumerate(out):
                if _same_event(earlier, mention):
                    out[n] = _merge(earlier, mention)
                    break
            else:
                out.append(mention)
        return out

    def _carried_date(
        self, resolver: DateResolver, text: str, refers_back: bool, context: tuple[_Context, ...]
    ) -> DateRef | None:
        found = self._date(resolver, text)
        if found is None and refers_back:
            found = next((c.date for c in reversed(context) if c.date is not None), None)
        return found

    def _mention(
        self,
        article: ArticleText,
        s: Sentence,
        resolver: DateResolver,
        actors: list[str],
        persons: list[str],
        location_of: Callable[[], str | None],
        context: list[_Context],
    ) -> DiplomacyMention | None:
        text = s.text
        if not (actors or _REFERS_BACK.search(text)) or self.anniversary.search(text):
            return None
        event_type = self.classify(s)
        if event_type is None:
            return None
        kind = self.d.diplomacy_types[event_type]
        date_ref = self._date(resolver, text)
        location = location_of()
        spans = [FieldSpan("event_type", s.start, s.end)]
        if (
            context
            and _REFERS_BACK.search(text)
            and (
                len(actors) < max(kind.min_actors, 2)
                or event_type in (*_MEETING_TYPES, "agreement")
            )
        ):
            for c in reversed(context):
                borrowed = False
                for p in c.persons:
                    if p not in persons:
                        persons.append(p)
                        borrowed = True
                for a in c.actors:
                    if a not in actors:
                        actors.append(a)
                        borrowed = True
                if date_ref is None and c.date is not None:
                    date_ref = c.date
                    spans.append(FieldSpan("event_date", c.sentence.start, c.sentence.end))
                if location is None and c.location is not None:
                    location = c.location
                    spans.append(FieldSpan("location", c.sentence.start, c.sentence.end))
                if borrowed:
                    spans.append(FieldSpan("actors", c.sentence.start, c.sentence.end))
        if len(actors) < kind.min_actors:
            return None
        if kind.requires_actor and not set(kind.requires_actor) & set(actors):
            return None
        if not ({"PRK", "KOR"} & set(actors) or _KOREA.search(text)):
            return None
        leader_states = {self.d.person_country[p] for p in persons if p in self.d.leaders}
        if event_type in _MEETING_TYPES and len(leader_states) >= 2:
            event_type = "summit"
        event_date = date_ref.value if date_ref is not None else None
        precision = date_ref.precision if date_ref is not None and event_date else "unknown"
        if event_date is not None and precision == "month":
            event_date = event_date.replace(day=1)
        background = _is_background(date_ref, resolver, bool(self.past.search(text)))
        if _LAUNCH_CONTEXT.search(text):
            background = True  # "The launches came right after the allies met ...": context
        if event_type in _SPEAKER_TYPES and len(persons) > 1:
            persons = persons[:1]  # the speaker, named first
        reported = sorted({m.value for m in self.d.agency_names.finditer(text)})
        return DiplomacyMention(
            article_id=article.article_id,
            evidence=text,
            char_start=s.start,
            char_end=s.end,
            reported_by=tuple(reported),
            extractor_version=self.version,
            event_type=event_type,
            actors=tuple(sorted(actors)),
            persons=tuple(sorted(persons)),  # speaker first was used above; the row is sorted
            location=location,
            summary=summarise(event_type, actors, persons, location, text),
            event_date=event_date,
            date_precision=precision,
            background=background,
            field_spans=tuple(spans),
        )


def _same_event(a: DiplomacyMention, b: DiplomacyMention) -> bool:
    """Two sentences of one article about one event: same type, shared actors, same day."""
    if a.event_type != b.event_type or a.background != b.background:
        return False
    if a.event_date is not None and b.event_date is not None and a.event_date != b.event_date:
        return False
    return bool(set(a.actors) & set(b.actors))


def _merge(a: DiplomacyMention, b: DiplomacyMention) -> DiplomacyMention:
    """The first sentence stays the evidence; the later one adds what the first lacked."""
    actors = tuple(sorted(set(a.actors) | set(b.actors)))
    persons = tuple(sorted(set(a.persons) | set(b.persons)))
    location = a.location or b.location
    dated = a if a.event_date is not None else b
    return DiplomacyMention(
        article_id=a.article_id,
        evidence=a.evidence,
        char_start=a.char_start,
        char_end=a.char_end,
        reported_by=tuple(sorted(set(a.reported_by) | set(b.reported_by))),
        extractor_version=a.extractor_version,
        event_type=a.event_type,
        actors=actors,
        persons=persons,
        location=location,
        summary=summarise(a.event_type, list(actors), list(persons), location, a.evidence),
        event_date=dated.event_date,
        date_precision=dated.date_precision,
        background=a.background,
        field_spans=a.field_spans + b.field_spans,
    )


def summarise(
    event_type: str, actors: list[str], persons: list[str], location: str | None, evidence: str
) -> str:
    """'Summit: Kim Jong Un, Vladimir Putin (PRK, RUS) in Pyongyang'."""
    who = ", ".join(sorted(persons))
    codes = ", ".join(sorted(actors))
    head = (
        f"{_TYPE_LABEL[event_type]}: {who} ({codes})"
        if who
        else f"{_TYPE_LABEL[event_type]}: {codes}"
    )
    if location:
        head += f" in {location}"
    if len(head) < 40:
        trimmed = evidence
        if len(evidence) > _MAX_SUMMARY:
            trimmed = evidence[: _MAX_SUMMARY - 1].rsplit(" ", 1)[0] + "…"
        head += f" — {trimmed}"
    return head


def _first_date(dates: list[DateRef]) -> DateRef | None:
    rank = {"explicit": 0, "weekday": 1, "relative": 2, "month": 3, "year": 4}
    usable = [d for d in dates if d.value is not None]
    return min(usable, key=lambda d: (rank[d.kind], d.start)) if usable else None


def _is_background(ref: DateRef | None, resolver: DateResolver, past_word: bool) -> bool:
    pub = resolver.pub
    if ref is None or ref.value is None:
        return past_word
    if ref.precision == "month":
        return pub is None or (ref.value.year, ref.value.month) != (pub.year, pub.month)
    return pub is not None and ref.value < pub - timedelta(days=RECENT_DAYS)
