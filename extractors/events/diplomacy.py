"""Rule-based diplomacy mentions: summits, visits, talks, statements, sanctions, UN action,
exercises, agreements, and offers or refusals of dialogue that involve the Korean peninsula.

One sentence gives at most one mention: the first event type (in the order of
``event_terms.toml``) whose trigger phrase occurs, with the states and persons named in it.
A sentence that refers back ("the two leaders signed ...", "Moon greeted him") borrows the
persons, place and date of the two sentences before it. A meeting, talks or visit between two
heads of state or government is a summit.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Generic, TypeVar

from extractors.events.dates import DateRef, DateResolver, event_dates
from extractors.events.domain import Domain, PhraseMatch
from extractors.events.records import (
    MEETING_FAMILY,
    DiplomacyMention,
    FieldSpan,
    stronger_type,
    types_compatible,
)
from extractors.events.text import Sentence
from extractors.records import ArticleText
from extractors.vocabulary import DIPLOMACY_TYPE_LABELS

_KOREA = re.compile(r"Korea|peninsula|Pyongyang|DPRK|Seoul|북한|한반도|남북|북측|조선", re.I)
_NO_HYPOTHETICAL_CHECK = ("dialogue_offer", "dialogue_rejection", "statement")
_MEETING_TYPES = MEETING_FAMILY
_REFERS_BACK = re.compile(
    r"\b(?:the two|both|him|her|his counterpart|her counterpart|they|them|the leaders|each other|"
    r"together|the pair|the two sides|both sides|the two men|the two leaders|the three|"
    r"the three countries|the three leaders)\b|양측|두 정상|양국|양 정상|세 정상",
    re.I,
)
_LOCATION_BEFORE = re.compile(
    r"(?:\b(?:in|at|to|from|into|near|on|inside|off)|\b(?:south|north|east|west)\s+of)\s+(?:the\s+)?"
    r"(?:(?:[A-Z]\w+|southern|northern|eastern|western|port|city|capital|naval|base|of)\s+){0,4}$"
)
# "officials in Tokyo said", "diplomats in Seoul": where the speakers are, not where it happened
_PLACE_OF_SPEAKERS = re.compile(
    r"\b(?:officials?|diplomats?|sources?|analysts?|experts?|observers?|residents?|reporters?|"
    r"media|people|governments?|lawmakers?|officers?)\s+(?:in|from)\s+(?:the\s+)?$",
    re.I,
)
_SAID_AFTER = re.compile(
    r"(?:\s+(?:and|or)\s+[A-Z][\w.]+(?:\s+[A-Z][\w.]+)?)?\s*,?\s*(?:have\s+|had\s+)?"
    r"(?:said|say|says|told|reported|were|are|believe)\b"
)
_CLAUSE_CUT = re.compile(
    r";|\s[\u2014\u2013]\s|,\s+(?:as|while|when|whereas|after|before|since|even\s+as|just\s+as|which|who)\s"
    r"|,\s+(?:hours|days|minutes|weeks|shortly|just)\s+(?:after|before)\s|\s(?:while|whereas)\s",
    re.I,
)
_RELATIVE_CLAUSE = re.compile(r".*,\s+(?:which|who)\s$", re.I | re.S)
# ", days after Seoul and Washington wrapped up their exercise": an earlier event, the time
# reference of the news, told in passing
_EARLIER_CLAUSE = re.compile(
    r".*,\s+(?:(?:hours|days|weeks|months|shortly|just|soon)\s+)?(?:after|since)\s$", re.I | re.S
)
_PLUPERFECT = re.compile(
    r"\bhad\s+(?:already\s+|earlier\s+|previously\s+|also\s+|repeatedly\s+)?(?:been\s+)?"
    r"[a-z]+(?:ed|en|wn|ne|ld|id|ht|ung|ut|et|ept|ade|ame|ook|ent)\b",
    re.I,
)
_VERB_OR_CLAUSE = re.compile(
    r"\b(?:said|says|say|was|is|were|are|that|when|after|since|before|first|time|who|which|where|"
    r"as|if|while)\b|,",
    re.I,
)
# "began on Thursday", "opened on Wednesday evening": the first day of a multi-day event
_BEGAN = re.compile(
    r"\b(?:began|begun|begins|started|starts|opened|kicked\s+off|got\s+under\s*way)\b|시작|개막|돌입",
    re.I,
)
# Words by which a sentence goes on about an event of this type without naming its parties
_GOES_ON = {
    "military_exercise": re.compile(
        r"\b(?:drills?|exercises?|training|manoeuvres|maneuvers)\b|훈련|연습", re.I
    ),
    "un_action": re.compile(
        r"\b(?:vote|voting|ballot|council|resolution|members)\b|표결|결의", re.I
    ),
    "summit": re.compile(r"\b(?:summit|talks|meeting|leaders)\b|정상회담|회담", re.I),
}
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
CONTINUATION_SENTENCES = 2
_MAX_SUMMARY = 160


@dataclass(frozen=True, slots=True)
class _Context:
    sentence: Sentence
    named_of: Callable[[], tuple[list[str], list[str]]]  # (actors, persons), found when asked
    location_of: Callable[[], str | None]
    date_of: Callable[[], DateRef | None]  # found only when a later sentence asks

    @property
    def actors(self) -> list[str]:
        return self.named_of()[0]

    @property
    def persons(self) -> list[str]:
        return self.named_of()[1]

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
        self.launch_verbs = domain.terms["missile.launch_verbs"]
        self.missile_objects = domain.terms["missile.missile_objects"]
        self._states: dict[str, list[PhraseMatch]] = {}  # states named in each sentence
        self._text = ""  # the article's text, set by extract()
        # what happens, as opposed to what is said: a date before these is the event's
        self._event_words = _event_words(id(domain), self.launch_verbs, domain.diplomacy_any)

    def _actors(
        self, text: str, known: dict[str, str], start: int = 0, end: int | None = None
    ) -> tuple[list[str], list[str]]:
        """States and persons named in text[start:end]; ``known`` maps a name or title used
        alone ("Kim", "김 위원장") to the person last named in full."""
        stop = len(text) if end is None else end
        if text not in self._states:
            self._states[text] = self.d.countries.find(text)
        states = [m for m in self._states[text] if start <= m.start and m.end <= stop]
        agencies = [(m.start, m.end) for m in self.d.agency_names.find(text)] if states else []
        actors: list[str] = []
        persons: list[str] = []
        for m in states:
            if any(a <= m.start and m.end <= b for a, b in agencies):
                continue  # "South Korea's Joint Chiefs of Staff said": a source, not a party
            if m.value not in ("PRK", "KOR") and _LOCATION_BEFORE.search(
                text, max(0, m.start - 40), m.start
            ):
                continue  # "a summit in Hanoi", "on Singapore's Sentosa island": the venue
            if _speakers_place(text, m.start, m.end):
                continue  # "officials in Tokyo said": where the speakers are, not a party
            for code in m.value.split("+"):
                if code not in actors:
                    actors.append(code)
        spans = []
        for m in self.d.persons.find(text, start, stop):
            spans.append((m.start, m.end))
            if m.value not in persons:
                persons.append(m.value)
        for form, person in known.items():
            if person in persons:
                continue
            pattern = next(p for f, p in self.d.short_names[person] if f == form)
            for hit in pattern.finditer(text, start, stop):
                if not any(a <= hit.start() < b for a, b in spans):
                    persons.append(person)
                    break
        for person in persons:
            country = self.d.person_country[person]
            if country not in actors:
                actors.append(country)
        return actors, persons

    def _location(self, text: str, start: int = 0, end: int | None = None) -> str | None:
        for m in self.d.locations.finditer(text, start, end):
            before = text[max(0, m.start - 40) : m.start]
            after = text[m.end : m.end + 12]
            if _speakers_place(text, m.start, m.end):
                continue  # "officials in Tokyo said": where the speakers are
            if _LOCATION_BEFORE.search(before) or re.match(
                r"\s*(?:에서|을 방문|를 방문|방문|에 도착)", after
            ):
                return m.value
        return None

    def candidates(self, text: str, *, first_only: bool = False) -> list[tuple[str, re.Match[str]]]:
        """Every event type whose trigger occurs in text (and is not a plan), in the order of
        ``event_terms.toml``, each with its trigger. With ``first_only``, the first one and, when
        it is a summit, talks, visit or meeting, an agreement signed in the same sentence."""
        if self.d.diplomacy_any.search(text) is None:
            return []
        found: list[tuple[str, re.Match[str]]] = []
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
            found.append((name, trigger))
            if first_only and (
                found[0][0] not in (*MEETING_FAMILY, "agreement")
                or (len(found) > 1 and {found[0][0], name} & {"agreement"})
            ):
                break
        return found

    def classify(self, s: Sentence) -> str | None:
        found = self.candidates(s.text)
        return found[0][0] if found else None

    def _date(
        self,
        resolver: DateResolver,
        s: Sentence,
        start: int = 0,
        end: int | None = None,
    ) -> DateRef | None:
        """The date of s.text[start:end], read from the article's text (scanned once for dates
        by both rule sets), an event's day before a day it was said."""
        stop = len(s.text) if end is None else end
        text, a, b = self._text, s.start + start, s.start + stop
        found = _first_date(event_dates(resolver, text, a, b, events=self._event_words))
        if found is None:  # only days it was said: the earliest
            said = [
                d
                for d in event_dates(resolver, text, a, b, reports=True, events=self._event_words)
                if d.value is not None
            ]
            found = min(said, key=lambda d: (d.value, d.start)) if said else None
        return found

    def extract(
        self, article: ArticleText, sentences: list[Sentence], resolver: DateResolver
    ) -> list[DiplomacyMention]:
        self._text = article.text
        if self.d.diplomacy_any.search(article.text) is None:
            return []  # no trigger of any event type anywhere
        out: list[DiplomacyMention] = []
        known: dict[str, str] = {}  # a name or title used alone -> the person last named in full
        context: list[_Context] = []
        last: tuple[int, int] | None = None  # (index in out, sentence index) of the last mention
        for s in sentences:
            text = s.text
            # Parties are looked for only where they can matter: in a sentence with a trigger,
            # right after a mention, or when a later sentence refers back to this one.
            named = _Lazy(functools.partial(self._actors, text, dict(known)))
            for m in self.d.persons.find(text):
                for form, _ in self.d.short_names.get(m.value, ()):
                    known[form] = m.value  # "Kim" now means the Kim last named in full
            refers_back = _Lazy(functools.partial(_refers_back, text))
            location = _Lazy(functools.partial(self._location, text))
            # A sentence that refers back carries the date of the one it refers to.
            carried = _Lazy(
                functools.partial(self._carried_date, resolver, s, refers_back, tuple(context))
            )
            triggered = self.d.diplomacy_any.search(text) is not None
            found = (
                self._mentions(article, s, resolver, known, location, context, named())
                if triggered and (named()[0] or refers_back())
                else []
            )
            # a later sentence that refers back borrows the parties of this one's event if it
            # reports one ("to respond to North Korea's launches" names no party)
            parties = _Lazy(functools.partial(_parties_of, found[0])) if found else named
            here = _Context(s, parties, location, carried)
            if last is not None and s.index - last[1] <= CONTINUATION_SENTENCES:
                actors, persons = named()
                self._continue(out, last[0], s, resolver, refers_back(), found, actors, persons)
            context = [*context, here][-CONTEXT_SENTENCES:]
            for mention in found:
                for n, earlier in enumerate(out):
                    if _same_event(earlier, mention):
                        out[n] = _merge(earlier, mention)
                        if not mention.background:
                            last = (n, s.index)
                        break
                else:
                    out.append(mention)
                    if not mention.background:
                        last = (len(out) - 1, s.index)
        return out

    def _continue(
        self,
        out: list[DiplomacyMention],
        n: int,
        s: Sentence,
        resolver: DateResolver,
        refers_back: bool,
        found: list[DiplomacyMention],
        actors: list[str],
        persons: list[str],
    ) -> None:
        """A sentence right after a mention that goes on about the same event adds what the
        mention lacks: the leaders a summit's states sent ("Biden, Yoon and Kishida signed ..."),
        the place ("In the vote in New York, ..."), and an earlier first day of a multi-day event
        ("The three-day drill, which began on Thursday ...")."""
        mention = out[n]
        if any(not f.background for f in found):
            return  # a report of its own
        text = s.text
        leaders = [p for p in persons if p in self.d.leaders and p not in mention.persons]
        goes_on = _GOES_ON.get(mention.event_type)
        about_it = (
            refers_back
            or bool(goes_on is not None and goes_on.search(text))
            or mention.event_type in {name for name, _ in self.candidates(text)}
        )
        if not (leaders or about_it):
            return
        own_day = self._date(resolver, s)
        event_date, precision = mention.event_date, mention.date_precision
        if (
            about_it
            and _BEGAN.search(text)
            and mention.event_date is not None
            and own_day is not None
            and own_day.value is not None
            and own_day.precision == "day"
            and timedelta(0) < mention.event_date - own_day.value <= timedelta(days=7)
        ):
            event_date, precision = own_day.value, "day"  # a multi-day event: its first day
        same_time = own_day is None or own_day.value in (None, mention.event_date, event_date)
        persons_added: tuple[str, ...] = ()
        if (
            mention.event_type == "summit"
            and same_time
            and leaders
            and {self.d.person_country[p] for p in persons} <= set(mention.actors)
        ):
            persons_added = tuple(leaders)
        location = mention.location
        if location is None and about_it and same_time and not set(actors) - set(mention.actors):
            location = self._location(text)
        if (persons_added, location, event_date) == ((), mention.location, mention.event_date):
            return
        spans = (*mention.field_spans, FieldSpan("continuation", s.start, s.end))
        persons_all = tuple(sorted({*mention.persons, *persons_added}))
        out[n] = dataclasses.replace(
            mention,
            persons=persons_all,
            location=location,
            event_date=event_date,
            date_precision=precision,
            summary=summarise(
                mention.event_type,
                list(mention.actors),
                list(persons_all),
                location,
                mention.evidence,
            ),
            field_spans=spans,
        )

    def _carried_date(
        self,
        resolver: DateResolver,
        s: Sentence,
        refers_back: Callable[[], bool],
        context: tuple[_Context, ...],
    ) -> DateRef | None:
        found = self._date(resolver, s)
        if found is None and refers_back():
            found = next((c.date for c in reversed(context) if c.date is not None), None)
        return found

    def _mentions(
        self,
        article: ArticleText,
        s: Sentence,
        resolver: DateResolver,
        known: dict[str, str],
        location_of: Callable[[], str | None],
        context: list[_Context],
        named: tuple[list[str], list[str]],
    ) -> list[DiplomacyMention]:
        """The sentence's mention; with a summit (or talks) whose treaty or declaration the
        same sentence says was signed, the agreement too."""
        text = s.text
        found = self.candidates(text, first_only=True)
        if not found or self.anniversary.search(text):
            return []
        out = []
        first = self._mention(article, s, resolver, known, location_of, context, named, *found[0])
        if first is not None:
            out.append(first)
            # "held talks ... and signed an agreement": the meeting and the signing
            if found[0][0] == "agreement":
                other = next((f for f in found if f[0] in MEETING_FAMILY), None)
            elif first.event_type in MEETING_FAMILY:
                other = next((f for f in found if f[0] == "agreement"), None)
            else:
                other = None
            if other is not None:
                second = self._mention(
                    article, s, resolver, known, location_of, context, named, *other
                )
                if second is not None:
                    out.append(second)
        return out

    def _mention(
        self,
        article: ArticleText,
        s: Sentence,
        resolver: DateResolver,
        known: dict[str, str],
        location_of: Callable[[], str | None],
        context: list[_Context],
        named: tuple[list[str], list[str]],
        event_type: str,
        trigger: re.Match[str],
    ) -> DiplomacyMention | None:
        text = s.text
        # The clause of the trigger: "North Korea fired a missile on Monday, as Blinken met
        # officials in Seoul" -> the meeting's parties are those of "as Blinken met ...".
        cs, ce = _clause(text, trigger.start())
        own = (cs, ce)  # the trigger's own clause: its time and whether it is told in passing
        if (cs, ce) == (0, len(text)):
            actors, persons = list(named[0]), list(named[1])
        else:
            actors, persons = self._actors(text, known, cs, ce)
        if cs > 0 and not actors:
            # "the carrier USS Theodore Roosevelt, which made a port call in Busan": the parties
            # are named in the clause the relative clause hangs on
            cs = _clause(text, max(0, cs - 3))[0]
            actors, persons = self._actors(text, known, cs, ce)
        whole = (cs, ce) == (0, len(text))
        if not whole and not actors:
            actors, persons = list(named[0]), list(named[1])
            cs, ce, whole = 0, len(text), True
        if not (actors or _REFERS_BACK.search(text)):
            return None
        kind = self.d.diplomacy_types[event_type]
        earlier = own[0] > 0 and _EARLIER_CLAUSE.match(text, 0, own[0]) is not None
        relative = earlier or (own[0] > 0 and _RELATIVE_CLAUSE.match(text, 0, own[0]) is not None)
        date_ref = self._date(resolver, s, *own) if relative else self._date(resolver, s, cs, ce)
        if date_ref is None and not whole and not relative:
            date_ref = self._date(resolver, s)  # "on Monday, as Blinken met ...": same time
        location = location_of() if whole else (self._location(text, cs, ce) or location_of())
        spans = [FieldSpan("event_type", s.start, s.end)]
        if (
            context
            and _REFERS_BACK.search(text)
            and (
                len(actors) < max(kind.min_actors, 2)
                or event_type in (*MEETING_FAMILY, "agreement")
            )
        ):
            for c in reversed(context):
                if c.date is not None and _is_background(c.date, resolver, False):
                    continue  # "since July 2000, when he met Kim's father": not this event
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
        if event_type == "visit" and location is not None:
            host = self.d.location_country.get(location)
            if host is not None and host not in actors:
                actors.append(host)  # "docked in Busan": South Korea is the host
        # "North Korea fired a missile during Blinken's visit to Seoul": the launcher is no party
        # to the visit, unless a North Korean takes part or it is the host.
        if (
            "PRK" in actors
            and event_type in MEETING_FAMILY
            and self._launch_sentence(text)
            and not any(self.d.person_country[p] == "PRK" for p in persons)
            and not (location is not None and self.d.location_country.get(location) == "PRK")
        ):
            actors.remove("PRK")
        if len(actors) < kind.min_actors:
            return None
        if kind.requires_actor and not set(kind.requires_actor) & set(actors):
            return None
        if not ({"PRK", "KOR"} & set(actors) or _KOREA.search(text)):
            return None
        if event_type == "statement" and not persons and self._agency_statement(text, trigger):
            return None  # "..., the Joint Chiefs of Staff said in a statement": a source
        event_date = date_ref.value if date_ref is not None else None
        precision = date_ref.precision if date_ref is not None and event_date else "unknown"
        if event_date is not None and precision == "month":
            event_date = event_date.replace(day=1)
        alive_on = event_date or resolver.pub
        if alive_on is not None:
            persons = [
                p
                for p in persons
                if p not in self.d.person_died or self.d.person_died[p] >= alive_on
            ]
        leader_states = {self.d.person_country[p] for p in persons if p in self.d.leaders}
        if event_type in _MEETING_TYPES and len(leader_states) >= 2:
            event_type = "summit"
        past_word = self.past.search(text, *own) if relative else self.past.search(text)
        background = _is_background(date_ref, resolver, past_word is not None)
        if earlier or _LAUNCH_CONTEXT.search(text) or _backstory(text):
            # "The launches came right after the allies met ...", "Pyongyang had denounced last
            # week's meeting ...": context told in passing
            background = True
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

    def _launch_sentence(self, text: str) -> bool:
        return bool(self.launch_verbs.search(text) and self.missile_objects.search(text))

    def _agency_statement(self, text: str, trigger: re.Match[str]) -> bool:
        return any(
            m.end <= trigger.start() and trigger.start() - m.end <= 40
            for m in self.d.agency_names.finditer(text)
        )


_EVENT_WORDS: dict[int, re.Pattern[str]] = {}


def _event_words(key: int, *patterns: re.Pattern[str]) -> re.Pattern[str]:
    if key not in _EVENT_WORDS:
        _EVENT_WORDS[key] = re.compile("|".join(f"(?:{p.pattern})" for p in patterns))
    return _EVENT_WORDS[key]


def _refers_back(text: str) -> bool:
    return _REFERS_BACK.search(text) is not None


def _parties_of(mention: DiplomacyMention) -> tuple[list[str], list[str]]:
    return list(mention.actors), list(mention.persons)


def _speakers_place(text: str, start: int, end: int) -> bool:
    """ "Officials in Tokyo said", "diplomats in Seoul and Tokyo say": a place that only says
    where the speakers are."""
    return bool(
        _SAID_AFTER.match(text, end) and _PLACE_OF_SPEAKERS.search(text, max(0, start - 40), start)
    )


def _clause(text: str, pos: int) -> tuple[int, int]:
    """The clause of text around ``pos``: cut at ";", dashes and ", as / while / when / after
    ..." (a clause that sets another event beside the one reported)."""
    start, end = 0, len(text)
    for m in _CLAUSE_CUT.finditer(text):
        if m.end() <= pos:
            start = m.end()
        elif m.start() >= pos:
            end = m.start()
            break
    return start, end


def _backstory(text: str) -> bool:
    """A sentence whose first verb is in the past perfect tells what had happened before the
    news ("Pyongyang's defence ministry had denounced last week's meeting ...")."""
    m = _PLUPERFECT.search(text, 0, 90)
    return m is not None and _VERB_OR_CLAUSE.search(text, 0, m.start()) is None


def _same_event(a: DiplomacyMention, b: DiplomacyMention) -> bool:
    """Two sentences of one article about one event: compatible types (a visit and the talks
    held during it are one), shared actors, same day."""
    if a.background != b.background:
        return False
    if not types_compatible(a.event_type, set(a.actors), b.event_type, set(b.actors)):
        return False
    return a.event_date is None or b.event_date is None or a.event_date == b.event_date


def _merge(a: DiplomacyMention, b: DiplomacyMention) -> DiplomacyMention:
    """The first sentence stays the evidence; the later one adds what the first lacked."""
    actors = tuple(sorted(set(a.actors) | set(b.actors)))
    persons = tuple(sorted(set(a.persons) | set(b.persons)))
    location = a.location or b.location
    dated = a if a.event_date is not None else b
    event_type = stronger_type(a.event_type, b.event_type)
    return DiplomacyMention(
        article_id=a.article_id,
        evidence=a.evidence,
        char_start=a.char_start,
        char_end=a.char_end,
        reported_by=tuple(sorted(set(a.reported_by) | set(b.reported_by))),
        extractor_version=a.extractor_version,
        event_type=event_type,
        actors=actors,
        persons=persons,
        location=location,
        summary=summarise(event_type, list(actors), list(persons), location, a.evidence),
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
        f"{DIPLOMACY_TYPE_LABELS[event_type]}: {who} ({codes})"
        if who
        else f"{DIPLOMACY_TYPE_LABELS[event_type]}: {codes}"
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
