"""The sentence loop: one diplomacy mention per sentence, with the parties, place and date of the
trigger's own clause.

One sentence gives at most one mention: the first event type (a joint warning first, then the
order of ``event_terms.toml``) whose trigger occurs, unless a speech act comes before it in the
sentence ("said in a statement that Washington's sanctions ..." is the statement). A sentence that
refers back ("the two leaders signed ...", "Moon greeted him") borrows the persons, place and date
of the two sentences before it. A meeting, talks or visit between two heads of state or government
is a summit. What the article only argues or quotes (a commentary, a statement's text, "He said
that ...") and what it tells in passing makes no event of its own (``background``).
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Generic, TypeVar

from extractors.events.dates import DateRef, DateResolver
from extractors.events.diplomacy.anchoring import (
    backstory,
    first_date,
    habitual,
    is_background,
    own_dates,
    past_year,
    reported_day,
)
from extractors.events.diplomacy.discourse import (
    Discourse,
    is_internal_meeting,
    is_protocol,
    read_discourse,
    reception_without_guest,
    said_content_from,
    talks_without_holding,
)
from extractors.events.diplomacy.lexicon import load_lexicon
from extractors.events.diplomacy.merging import absorb_signatories, merge, same_event
from extractors.events.diplomacy.patterns import (
    ALLIANCE_DECISION,
    ATTRIBUTIVE_AFTER,
    BEGAN,
    BETWEEN_STATES,
    CLAUSE_CUT,
    CLOSED_RELATIVE,
    DATELINE,
    EARLIER_CLAUSE,
    GOES_ON,
    HELD_MEETING,
    KOREA,
    KOREAN_PLAN_AFTER,
    LAUNCH_CONTEXT,
    LOCATION_BEFORE,
    OTHER_EVENT_PHRASE,
    PAST_TIME,
    PLACE_OF_SPEAKERS,
    PLAN_AFTER,
    PLAN_BEFORE,
    PLAN_TIME,
    POSSESSIVE_AFTER,
    REFERS_BACK,
    RELATIVE_CLAUSE,
    RESIDENT_DIPLOMAT,
    SAID_AFTER,
    SAID_CONTENT,
    SANCTIONS_OTHERWISE,
    SELF_REPORT,
    SEPARATE_CLAUSE,
    SPAN_BEFORE,
    STATE_COUNCIL_AFTER,
    STATE_COUNCIL_BEFORE,
    TIME_ZONE_AFTER,
    VISIT_OBJECT,
    WARNED,
    WHEN_CLAUSE,
)
from extractors.events.diplomacy.statements import (
    SPEECH_TYPES,
    Speech,
    domestic_speech,
    read_speech,
    speaker_is_state_voice,
    speaker_states,
)
from extractors.events.diplomacy.summary import summarise
from extractors.events.domain import Domain, PhraseMatch
from extractors.events.missiles import event_dates
from extractors.events.records import MEETING_FAMILY, DiplomacyMention, FieldSpan
from extractors.events.text import Sentence
from extractors.records import ArticleText
from extractors.vocabulary import DatePrecision

CONTEXT_SENTENCES = 2
CONTINUATION_SENTENCES = 2
ADDRESSEE_SENTENCES = 2  # a statement's addressee may be named in the first sentences of its text
LEDE_SENTENCES = 2  # the sentences that report the article's news
_VETO = re.compile(r"\b(?:veto|vetoed|vetoes|blocked|voted\s+against|failed)\b|거부권", re.I)
_MODAL_BEFORE = re.compile(
    r"\b(?:will|would|could|may|might|plans?\s+to|expected\s+to|considering|if|vowed\s+to|"
    r"pledged\s+to|promised\s+to|agreed\s+to|threatened\s+to|seeking\s+to|sought\s+to)\b"
    r"[^.;]{0,40}$",
    re.I,
)


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
        self.lex = load_lexicon()
        self.version = version
        self.hypothetical = domain.terms["diplomacy.hypothetical"]
        self.anniversary = domain.terms["missile.anniversary"]
        self.past = domain.terms["missile.past"]
        self.launch_verbs = domain.terms["missile.launch_verbs"]
        self.missile_objects = domain.terms["missile.missile_objects"]
        self._states: dict[str, list[PhraseMatch]] = {}  # states named in each sentence
        self._text = ""  # the article's text, set by extract()
        self._discourse = Discourse(False, None)
        self._sentences: list[Sentence] = []
        # what happens, as opposed to what is said: a date before these is the event's
        self._event_words = _event_words(id(domain), self.launch_verbs, domain.diplomacy_any)
        self._topic_before = _topic_before(id(self.lex), self.lex.topic_markers)
        self._extras: tuple[re.Pattern[str], ...] | None = None  # those the article holds

    def _actors(
        self,
        text: str,
        known: dict[str, str],
        start: int = 0,
        end: int | None = None,
        *,
        topics: bool = False,
        attributes: bool = False,
        elsewhere: tuple[tuple[int, int], ...] = (),
    ) -> tuple[list[str], list[str]]:
        """States and persons named in text[start:end]; ``known`` maps a name or title used
        alone ("Kim", "김 위원장") to the person last named in full. With ``topics``, a state
        named as what a meeting was about ("talks on Ukraine") is no party; without
        ``attributes``, neither is a body named as an attribute ("the new UN sanctions"); states
        named within the ``elsewhere`` spans take part in another event."""
        stop = len(text) if end is None else end
        if text not in self._states:
            self._states[text] = self.d.countries.find(text)
        states = [m for m in self._states[text] if start <= m.start and m.end <= stop]
        agencies = [(m.start, m.end) for m in self.d.agency_names.find(text)] if states else []
        lead = DATELINE.match(text) if states else None
        dateline = lead.end() if lead is not None else 0
        actors: list[str] = []
        persons: list[str] = []
        for m in states:
            if any(a <= m.start and m.end <= b for a, b in agencies):
                continue  # "South Korea's Joint Chiefs of Staff said": a source, not a party
            if m.value not in ("PRK", "KOR") and LOCATION_BEFORE.search(
                text, max(0, m.start - 40), m.start
            ):
                continue  # "a summit in Hanoi", "on Singapore's Sentosa island": the venue
            if _speakers_place(text, m.start, m.end):
                continue  # "officials in Tokyo said": where the speakers are, not a party
            if m.end <= dateline or TIME_ZONE_AFTER.match(text, m.end):
                continue  # "SEOUL, March 3 (HRT) --", "(Seoul time)": no party
            if m.value == "UN" and _state_council(text, m.start, m.end):
                continue  # "secretary of Russia's Security Council": not the UN's council
            if (
                not attributes
                and m.value in ("UN", "EU", "NATO")
                and ATTRIBUTIVE_AFTER.match(text, m.end)
            ):
                continue  # "pledged to enforce the new UN sanctions": not a party
            if topics and self._topic_before.search(text, max(0, m.start - 40), m.start):
                continue  # "talks on the situation in Ukraine": what was discussed
            if any(a <= m.start < b for a, b in elsewhere):
                continue  # "three weeks after the North's nuclear test": another event's
            for code in m.value.split("+"):
                if code not in actors:
                    actors.append(code)
        spans = []
        for p in self.d.persons.find(text, start, stop):
            spans.append((p.start, p.end))
            if p.value not in persons:
                persons.append(p.value)
        for form, person in known.items():
            if person in persons:
                continue
            pattern = next(pat for f, pat in self.d.short_names[person] if f == form)
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
            if POSSESSIVE_AFTER.match(text, m.end):
                continue  # "in response to Pyongyang's nuclear test": the state, not a place
            if LOCATION_BEFORE.search(before) or re.match(
                r"\s*(?:에서|을 방문|를 방문|방문|에 도착)", after
            ):
                return m.value
        return None

    def any_trigger(self, text: str) -> bool:
        """A quick first test: a trigger of any type, or a phrase that reports one otherwise
        (looked for in a sentence only when the article has one)."""
        if self.d.diplomacy_any.search(text):
            return True
        extras = self._extras if self._extras is not None else _EXTRAS
        return any(pattern.search(text) for pattern in extras)

    def candidates(self, text: str, *, first_only: bool = False) -> list[tuple[str, re.Match[str]]]:
        """Every event type whose trigger occurs in text (and is not a plan), a joint warning
        first, then in the order of ``event_terms.toml``, each with its trigger. With
        ``first_only``, the first one (or a speech act told before it) and, when it is a summit,
        talks, visit or meeting, an agreement signed in the same sentence."""
        found: list[tuple[str, re.Match[str]]] = []
        extras = self._extras if self._extras is not None else (self.lex.joint_warnings, *_EXTRAS)
        joint = self.lex.joint_warnings.search(text) if self.lex.joint_warnings in extras else None
        if joint is None and WARNED in extras:
            joint = self._warned_by_several(text)
        if joint is not None and not _MODAL_BEFORE.search(text, 0, joint.start()):
            found.append(("statement", joint))
        for name in self.d.diplomacy_order:
            kind = self.d.diplomacy_types[name]
            trigger = kind.triggers.search(text)
            if trigger is not None and kind.verbs is not None and not kind.verbs.search(text):
                trigger = None
            if trigger is not None and name not in SPEECH_TYPES and self._planned(text, trigger):
                trigger = None
            if trigger is not None and not self._reports_event(text, name, trigger):
                trigger = None
            if trigger is None:
                # told in other words: "labelled North Korea a primary money laundering concern",
                # "announced their joint decision to deploy a THAAD battery"
                other = {
                    "sanctions": SANCTIONS_OTHERWISE,
                    "agreement": ALLIANCE_DECISION,
                    "talks": HELD_MEETING,
                }.get(name)
                trigger = other.search(text) if other is not None and other in extras else None
                if trigger is None or _MODAL_BEFORE.search(text, 0, trigger.start()):
                    continue
                if not self._reports_event(text, name, trigger):
                    continue
            found.append((name, trigger))
        if not first_only or not found:
            return found
        primary = _meeting_of(text, _speech_first(text, found), found)
        out = [primary]
        if primary[0] == "agreement":
            pair = next((f for f in found if f[0] in MEETING_FAMILY), None)
        elif primary[0] in MEETING_FAMILY:
            pair = next((f for f in found if f[0] == "agreement"), None)
        else:
            pair = None
        if pair is not None:
            out.append(pair)
        return out

    def _warned_by_several(self, text: str) -> re.Match[str] | None:
        """ "Barack Obama, Park Geun-hye and Shinzo Abe warned North Korea ...": a warning whose
        subject names two states or more (their leaders or their names) is a joint warning."""
        for m in WARNED.finditer(text):
            cs = _clause(text, m.start())[0]
            states = {
                self.d.person_country[p.value] for p in self.d.persons.find(text, cs, m.start())
            }
            for c in self.d.countries.find(text, cs, m.start()):
                states.update(c.value.split("+"))
            if len(states) >= 2 and self.d.countries.search(text, m.end(), m.end() + 30):
                return m
        return None

    def _planned(self, text: str, trigger: re.Match[str]) -> bool:
        """A plan: a word of the future or of intention just before the trigger, a plan that
        governs its clause ("is expected to discuss ... at a summit"), or a time to come."""
        window = text[max(0, trigger.start() - 45) : trigger.start()]
        after = text[trigger.end() : trigger.end() + 25]
        cs, ce = _clause(text, trigger.start())
        return bool(
            self.hypothetical.search(window)
            or PLAN_AFTER.match(after)
            or KOREAN_PLAN_AFTER.match(after)
            or PLAN_BEFORE.search(text, cs, trigger.start())
            or PLAN_TIME.search(text, cs, ce)
        )

    def _reports_event(self, text: str, event_type: str, trigger: re.Match[str]) -> bool:
        """Whether the trigger tells an event of its type at all: not protocol ("received a
        message of greeting"), not a reception of no one ("welcomed the measures"), not a state's
        own meeting ("the plenary meeting discussed"), not talks that nobody holds ("in
        negotiations with the U.S.")."""
        cs, ce = _clause(text, trigger.start())
        lex = self.lex
        if is_protocol(text[cs:ce], lex):
            return False
        if event_type in MEETING_FAMILY and (
            reception_without_guest(text, trigger, lex, self.d)
            or is_internal_meeting(text[cs:ce], lex)
        ):
            return False
        if trigger.re is HELD_MEETING and not BETWEEN_STATES.search(trigger.group(0)):
            return False  # "a national meeting was held to denounce the U.S.": not between states
        if event_type == "visit" and RESIDENT_DIPLOMAT.search(text, cs, trigger.start()):
            return False  # "the Russian ambassador visited a school": a resident, not a visit
        return not (event_type == "talks" and talks_without_holding(text, trigger, lex))

    def classify(self, s: Sentence) -> str | None:
        found = self.candidates(s.text)
        return found[0][0] if found else None

    def _date(
        self,
        resolver: DateResolver,
        s: Sentence,
        start: int = 0,
        end: int | None = None,
        trigger: tuple[int, int] | None = None,
        content: tuple[int, int] | None = None,
    ) -> DateRef | None:
        """The date of s.text[start:end], read from the article's text (scanned once for dates
        by both rule sets), an event's day before a day it was said. With a trigger, only dates
        of its own event (not of another event told in the same clause, nor in what was said)."""
        stop = len(s.text) if end is None else end
        text, a, b = self._text, s.start + start, s.start + stop
        dates = event_dates(resolver, text, a, b, events=self._event_words)
        if trigger is not None:
            dates = own_dates(dates, s.text, s.start, trigger, content)
        found = first_date(dates)
        if found is None:  # only days it was said: the earliest
            said = [
                d
                for d in event_dates(resolver, text, a, b, reports=True, events=self._event_words)
                if d.value is not None
            ]
            if trigger is not None:
                said = own_dates(said, s.text, s.start, trigger, content)
            found = min(said, key=lambda d: (d.value, d.start)) if said else None
        return found

    def extract(
        self, article: ArticleText, sentences: list[Sentence], resolver: DateResolver
    ) -> list[DiplomacyMention]:
        self._text = article.text
        lower = article.text.lower()
        self._extras = tuple(
            p
            for p, words in ((self.lex.joint_warnings, ("joint", "공동")), *_EXTRAS_WORDS)
            if any(w in lower for w in words) and p.search(article.text)
        )
        if not self._extras and not self.d.diplomacy_any.search(article.text):
            return []  # no trigger of any event type anywhere
        self._discourse = read_discourse(article.title, article.text, sentences)
        self._sentences = sentences
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
            triggered = self.any_trigger(text)
            found = (
                self._mentions(article, s, resolver, known, location, context, named(), out)
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
                if mention.event_type == "agreement" and not mention.background:
                    out = [absorb_signatories(m, mention, self.d) for m in out]
                for n, earlier in enumerate(out):
                    if same_event(earlier, mention, self.d):
                        out[n] = merge(earlier, mention, self.d)
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
        the place ("In the vote in New York, ..."), an earlier first day of a multi-day event
        ("The three-day drill, which began on Thursday ..."), and what a UN resolution does ("It
        made cargo inspections mandatory": a resolution that imposes sanctions is sanctions)."""
        mention = out[n]
        if any(not f.background for f in found):
            return  # a report of its own
        text = s.text
        leaders = [p for p in persons if p in self.d.leaders and p not in mention.persons]
        goes_on = GOES_ON.get(mention.event_type)
        about_it = (
            refers_back
            or bool(goes_on is not None and goes_on.search(text))
            or mention.event_type in {name for name, _ in self.candidates(text)}
        )
        if not (leaders or about_it):
            return
        event_type = mention.event_type
        if (
            event_type == "un_action"
            and about_it
            and self._imposes_sanctions(text, mention.evidence)
        ):
            event_type = "sanctions"
        own_day = self._date(resolver, s)
        event_date, precision = mention.event_date, mention.date_precision
        if (
            about_it
            and BEGAN.search(text)
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
        if (persons_added, location, event_date, event_type) == (
            (),
            mention.location,
            mention.event_date,
            mention.event_type,
        ):
            return
        spans = (*mention.field_spans, FieldSpan("continuation", s.start, s.end))
        persons_all = tuple(sorted({*mention.persons, *persons_added}))
        out[n] = dataclasses.replace(
            mention,
            event_type=event_type,
            persons=persons_all,
            location=location,
            event_date=event_date,
            date_precision=precision,
            summary=summarise(
                event_type,
                list(mention.actors),
                list(persons_all),
                location,
                mention.evidence,
            ),
            field_spans=spans,
        )

    def _imposes_sanctions(self, text: str, adopted: str) -> bool:
        """A UN resolution adopted (``adopted`` tells it) that imposes sanctions (``text`` tells
        it): "adopted a resolution ... that tightens sanctions"; not one vetoed or blocked."""
        adoption = any(
            not _MODAL_BEFORE.search(adopted, max(0, m.start() - 45), m.start())
            for m in self.lex.un_adoption_verbs.finditer(adopted)
        )  # "vowed to swiftly adopt a new resolution": not yet
        return bool(
            adoption
            and self.lex.sanction_content.search(text)
            and not _VETO.search(text)
            and not _VETO.search(adopted)
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
        told: list[DiplomacyMention],
    ) -> list[DiplomacyMention]:
        """The sentence's mention; with a summit (or talks) whose treaty or declaration the
        same sentence says was signed, the agreement too."""
        text = s.text
        found = self.candidates(text, first_only=True)
        if not found or self.anniversary.search(text):
            return []
        out: list[DiplomacyMention] = []
        for event_type, trigger in found:
            mention = self._mention(
                article, s, resolver, known, location_of, context, named, told, event_type, trigger
            )
            if mention is None:
                if not out:
                    return []  # "held talks ... and signed": no pair without the first
                continue
            out.append(mention)
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
        told: list[DiplomacyMention],
        event_type: str,
        trigger: re.Match[str],
    ) -> DiplomacyMention | None:
        text = s.text
        # The clause of the trigger: "North Korea fired a missile on Monday, as Blinken met
        # officials in Seoul" -> the meeting's parties are those of "as Blinken met ...".
        cs, ce = _clause(text, trigger.start())
        own = (cs, ce)  # the trigger's own clause: its time and whether it is told in passing
        meeting = event_type in MEETING_FAMILY
        attributes = event_type == "un_action"  # "vetoed a UN Security Council resolution"
        if meeting and _in_relative(text, trigger.start()):
            # "Kim Jong Un had a talk with Shoigu, who is paying a visit to the DPRK": the visit is
            # of the persons the relative clause hangs on
            cs, ce = 0, len(text)
        if (cs, ce) == (0, len(text)) and not meeting and not attributes:
            actors, persons = list(named[0]), list(named[1])
        else:
            elsewhere = (
                tuple(
                    m.span()
                    for m in OTHER_EVENT_PHRASE.finditer(text)
                    if not m.start() <= trigger.start() < m.end()
                )
                if meeting
                else ()
            )
            actors, persons = self._actors(
                text, known, cs, ce, topics=meeting, attributes=attributes, elsewhere=elsewhere
            )
        if cs > 0 and not actors:
            # "the carrier USS Theodore Roosevelt, which made a port call in Busan": the parties
            # are named in the clause the relative clause hangs on
            cs = _clause(text, max(0, cs - 3))[0]
            actors, persons = self._actors(
                text, known, cs, ce, topics=meeting, attributes=attributes
            )
        if event_type == "visit":
            visited = self.d.countries.search(text, trigger.end(), trigger.end() + 30)
            if visited is not None and VISIT_OBJECT.fullmatch(text, trigger.end(), visited.start):
                actors.extend(
                    c for c in visited.value.split("+") if c not in actors
                )  # "arrived in Russia"
        if event_type == "agreement" and trigger.re is ALLIANCE_DECISION:
            deciders, _ = self._actors(text, known, cs, trigger.start())
            if len(deciders) < 2:
                return None  # one government's deployment is no agreement
            actors = deciders  # "Seoul and Washington announced their decision to deploy"
        whole = (cs, ce) == (0, len(text))
        if not whole and not actors:
            actors, persons = list(named[0]), list(named[1])
            cs, ce, whole = 0, len(text), True
        if not (actors or REFERS_BACK.search(text)):
            return None
        speech = read_speech(text, trigger, cs) if event_type in SPEECH_TYPES else None
        content = speech.content if speech is not None else None
        kind = self.d.diplomacy_types[event_type]
        earlier = own[0] > 0 and EARLIER_CLAUSE.match(text, 0, own[0]) is not None
        relative = earlier or (own[0] > 0 and RELATIVE_CLAUSE.match(text, 0, own[0]) is not None)
        span = (trigger.start(), trigger.end())
        date_ref = (
            self._date(resolver, s, *own, trigger=span, content=content)
            if relative
            else self._date(resolver, s, cs, ce, trigger=span, content=content)
        )
        if date_ref is None and own[0] > 0 and WHEN_CLAUSE.search(text, 0, own[0]):
            # "Kim's trip to Russia last September, when the two leaders met": its time is the
            # one named just before
            date_ref = self._date(resolver, s, max(0, own[0] - 45), own[0])
        if (
            date_ref is None
            and not whole
            and not relative
            and not SEPARATE_CLAUSE.search(text, 0, own[0])
            and not (own[1] < len(text) and SEPARATE_CLAUSE.match(text, own[1]))
        ):
            # "on Monday, as Blinken met ...": same time ("; he then toured ... on September 15"
            # is another event)
            date_ref = self._date(resolver, s, trigger=span, content=content)
        if date_ref is None and s.index < LEDE_SENTENCES and context:
            # the lede goes on without repeating its day ("... vowed on Thursday to work together.
            # Obama met Park and Abe on the sidelines ...")
            lede = context[-1]
            if lede.date is not None and len(set(lede.actors) & set(actors)) >= 2:
                date_ref = lede.date
        location = location_of() if whole else (self._location(text, cs, ce) or location_of())
        spans = [FieldSpan("event_type", s.start, s.end)]
        if (
            context
            and REFERS_BACK.search(text)
            and (
                len(actors) < max(kind.min_actors, 2)
                or event_type in (*MEETING_FAMILY, "agreement")
            )
        ):
            for c in reversed(context):
                if c.date is not None and is_background(c.date, resolver, False):
                    continue  # "since July 2000, when he met Kim's father": not this event
                if PLAN_BEFORE.search(c.sentence.text):
                    continue  # "Putin will travel to North Korea on Tuesday": not yet
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
            and meeting
            and self._launch_sentence(text)
            and not any(self.d.person_country[p] == "PRK" for p in persons)
            and not (location is not None and self.d.location_country.get(location) == "PRK")
        ):
            actors.remove("PRK")
        if event_type == "un_action" and self._imposes_sanctions(text, text):
            event_type = "sanctions"  # "adopted a resolution ... that tightens sanctions"
        if speech is not None:
            spoken = self._speech(s, speech, trigger, event_type, actors, persons, known)
            if spoken is None:
                return None
            actors, persons = spoken
        if len(actors) < kind.min_actors:
            return None
        if kind.requires_actor and not set(kind.requires_actor) & set(actors):
            return None
        if not ({"PRK", "KOR"} & set(actors) or KOREA.search(text)):
            return None
        if event_type == "statement" and not persons and self._agency_statement(text, trigger):
            return None  # "..., the Joint Chiefs of Staff said in a statement": a source
        event_date = date_ref.value if date_ref is not None else None
        precision: DatePrecision = (
            date_ref.precision if date_ref is not None and event_date else "unknown"
        )
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
        if meeting and len(leader_states) >= 2:
            event_type = "summit"
        background = self._told_in_passing(
            s, resolver, date_ref, event_type, trigger, own, relative, earlier, told
        )
        if event_date is None and not background and s.index < LEDE_SENTENCES:
            # the lede's report of the event, with no date of its own: it happened on or shortly
            # before the day it was published (elsewhere an undated event may be anything)
            event_date, precision = reported_day(resolver), "reported"
            if event_date is None:
                precision = "unknown"
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
            persons=tuple(sorted(persons)),
            location=location,
            summary=summarise(event_type, actors, persons, location, text),
            event_date=event_date,
            date_precision=precision,
            background=background,
            field_spans=tuple(spans),
        )

    def _speech(
        self,
        s: Sentence,
        speech: Speech,
        trigger: re.Match[str],
        event_type: str,
        actors: list[str],
        persons: list[str],
        known: dict[str, str],
    ) -> tuple[list[str], list[str]] | None:
        """A statement, offer or refusal by a state's voice, to another state: its parties are the
        speaker's state and the states addressed (named in the sentence or, when the sentence names
        none, in the first sentences of what was said); its persons the speaker (every speaker
        of a joint statement). None when it is no such speech act."""
        text, lex = s.text, self.lex
        if not speaker_is_state_voice(text, speech, lex):
            return None  # "says KCNA in a commentary", "a spokesman for an association"
        if event_type == "statement" and domestic_speech(text, lex):
            return None  # a speech at a plenum or a ceremony, on no diplomatic matter
        speakers = speaker_states(text, speech, self.d, persons, actors)
        if not set(actors) - speakers:
            for later in self._words_of(s):
                named, _ = self._actors(later.text, known)
                actors.extend(a for a in named if a not in actors and a not in speakers)
                if set(actors) - speakers:
                    break
        if not set(actors) - speakers:
            return None  # addressed to no other state: a statement on a domestic matter
        spoken = self._actors(text, known, *speech.speaker)[1]  # "김 위원장은" too
        joint = (
            self.lex.joint_warnings.fullmatch(trigger.group(0)) is not None or len(speakers) >= 2
        )
        persons = sorted(set(spoken)) if joint else spoken[:1]
        return actors, persons

    def _words_of(self, s: Sentence) -> list[Sentence]:
        """The sentences that give what was said in s: the first ones of a statement given in
        full after it, or the next ones that go on with it ("The statement said ...")."""
        later = self._sentences[s.index + 1 : s.index + 1 + ADDRESSEE_SENTENCES]
        if self._discourse.body_from is not None and s.end <= self._discourse.body_from:
            return [x for x in later if x.start >= self._discourse.body_from]
        return [
            x for x in later if SAID_CONTENT.match(x.text) or SAID_CONTENT.search(x.text, 0, 40)
        ]

    def _told_in_passing(
        self,
        s: Sentence,
        resolver: DateResolver,
        date_ref: DateRef | None,
        event_type: str,
        trigger: re.Match[str],
        own: tuple[int, int],
        relative: bool,
        earlier: bool,
        told: list[DiplomacyMention],
    ) -> bool:
        """Background: an event told in passing (an old date, a clause set beside the news,
        backstory), what a speaker argues or quotes (a commentary, a statement's text, "He said
        that ..."), a record over time, or a reaction to the news already told."""
        text, lex = s.text, self.lex
        where = own if relative else (0, len(text))
        past_word = self.past.search(text, *where) or PAST_TIME.search(text, *where)
        if is_background(date_ref, resolver, past_word is not None):
            return True
        if (
            earlier
            or LAUNCH_CONTEXT.search(text)
            or backstory(text)
            or _in_other_event(text, trigger)
        ):
            # "The launches came right after the allies met ...", "Pyongyang had denounced last
            # week's meeting ...": context told in passing
            return True
        if self._discourse.commentary:
            return True  # a state medium's argument: its events are its content
        speech = event_type in SPEECH_TYPES
        if not speech and self._discourse.in_body(s.start):
            return True  # inside the text of a statement: what it says, not news
        said = said_content_from(text)
        if not speech and said is not None and said <= trigger.start():
            return True  # "He said that the U.S. staged drills": what was said
        if habitual(text, *own, trigger.start(), lex) or past_year(
            resolver, self._text, s.start + own[0], s.start + own[1]
        ):
            return True  # "has rejected every US offer", "adopted in 2006"
        return (
            event_type == "statement"
            and lex.reaction_verbs.search(text, *own) is not None
            and any(not m.background for m in told)
        )  # "welcomed the measures in a statement": a reaction to the news already told

    def _launch_sentence(self, text: str) -> bool:
        return bool(self.launch_verbs.search(text) and self.missile_objects.search(text))

    def _agency_statement(self, text: str, trigger: re.Match[str]) -> bool:
        return any(
            m.end <= trigger.start() and trigger.start() - m.end <= 40
            for m in self.d.agency_names.finditer(text)
        )


_IN_SPAN = re.compile(r"\b(?:in|for|over)\s+$")
# Events told in other words than the triggers of event_terms.toml
_EXTRAS = (SANCTIONS_OTHERWISE, ALLIANCE_DECISION, HELD_MEETING, WARNED)
# A word each match of the pattern holds (lower case): an article without one skips the pattern
_EXTRAS_WORDS: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = (
    (SANCTIONS_OTHERWISE, ("launder", "list", "designated", "bann", "bans", "sanction")),
    (ALLIANCE_DECISION, ("deploy", "station", "host", "base", "place", "install")),
    (HELD_MEETING, (" held",)),
    (WARNED, ("warned", "cautioned")),
)
_EVENT_WORDS: dict[int, re.Pattern[str]] = {}
_TOPIC_BEFORE: dict[int, re.Pattern[str]] = {}


def _event_words(key: int, *patterns: re.Pattern[str]) -> re.Pattern[str]:
    if key not in _EVENT_WORDS:
        _EVENT_WORDS[key] = re.compile("|".join(f"(?:{p.pattern})" for p in patterns))
    return _EVENT_WORDS[key]


def _topic_before(key: int, markers: re.Pattern[str]) -> re.Pattern[str]:
    """A topic word just before a name, up to two words between: "talks on the situation in "."""
    if key not in _TOPIC_BEFORE:
        _TOPIC_BEFORE[key] = re.compile(f"(?:{markers.pattern})\\s+(?:[\\w'’-]+\\s+){{0,2}}$")
    return _TOPIC_BEFORE[key]


def _speech_first(text: str, found: list[tuple[str, re.Match[str]]]) -> tuple[str, re.Match[str]]:
    """The sentence's event: the first type found, unless a speech act comes before its trigger
    ("said in a statement on Thursday that Washington's decision to blacklist Kim ..." is the
    statement) and the speaker does not tell its own act ("said it had imposed sanctions")."""
    primary = found[0]
    if primary[0] in SPEECH_TYPES:
        return primary
    speech = next(
        (f for f in found if f[0] in SPEECH_TYPES and f[1].start() < primary[1].start()), None
    )
    if speech is None or SELF_REPORT.search(text, speech[1].end(), primary[1].start()) is not None:
        return primary
    return speech


def _meeting_of(
    text: str, primary: tuple[str, re.Match[str]], found: list[tuple[str, re.Match[str]]]
) -> tuple[str, re.Match[str]]:
    """A sentence that tells a visit, talks and a meeting of one event ("arrived in Wonsan for a
    three-day visit and held talks with Choe") is typed by the strongest (summit > talks > visit
    > meeting) and read from the trigger of its main clause, not of a relative clause ("Choe,
    who is on an official visit to Russia, held talks with Lavrov")."""
    if primary[0] not in MEETING_FAMILY:
        return primary
    family = [f for f in found if f[0] in MEETING_FAMILY]
    strongest = min((f[0] for f in family), key=MEETING_FAMILY.index)
    main = [f for f in family if not _in_relative(text, f[1].start())]
    trigger = min(main or family, key=lambda f: f[1].start())[1]
    return strongest, trigger


def _in_other_event(text: str, trigger: re.Match[str]) -> bool:
    """ "A year after Trump and Kim shook hands in Singapore, ...", "comes three days after the
    leaders met", "since the summit": the trigger names an earlier event the news is timed by. A
    plain "after" ("faces the harshest sanctions after the Council voted Wednesday to adopt ...")
    may tell the news itself."""
    for m in OTHER_EVENT_PHRASE.finditer(text):
        if not m.start() < trigger.start() < m.end():
            continue
        word = m.group(0).split(None, 1)[0].lower()
        if word != "after":
            return True
        span = SPAN_BEFORE.search(text, max(0, m.start() - 30), m.start())
        if span is not None and not _IN_SPAN.search(text, max(0, span.start() - 8), span.start()):
            return True  # "three days after", not "the harshest sanctions in two decades after"
    return False


def _in_relative(text: str, pos: int) -> bool:
    """Whether pos lies in a relative clause (", who is visiting the DPRK,")."""
    for m in re.finditer(r",\s+(?:who|which)\s[^,;]*(?:,|$)", text):
        if m.start() < pos < m.end():
            return True
    return False


def _refers_back(text: str) -> bool:
    return REFERS_BACK.search(text) is not None


def _parties_of(mention: DiplomacyMention) -> tuple[list[str], list[str]]:
    return list(mention.actors), list(mention.persons)


def _speakers_place(text: str, start: int, end: int) -> bool:
    """ "Officials in Tokyo said", "diplomats in Seoul and Tokyo say": a place that only says
    where the speakers are."""
    return bool(
        SAID_AFTER.match(text, end) and PLACE_OF_SPEAKERS.search(text, max(0, start - 40), start)
    )


def _state_council(text: str, start: int, end: int) -> bool:
    """ "Russia's Security Council", "the Security Council of the Russian Federation"."""
    if not text[start:end].startswith("Security Council"):
        return False
    return bool(
        STATE_COUNCIL_BEFORE.search(text, max(0, start - 20), start)
        or STATE_COUNCIL_AFTER.match(text, end)
    )


def _clause(text: str, pos: int) -> tuple[int, int]:
    """The clause of text around ``pos``: cut at ";", dashes and ", as / while / when / after
    ..." (a clause that sets another event beside the one reported)."""
    start, end = 0, len(text)
    closed = {r.start() for r in CLOSED_RELATIVE.finditer(text) if not r.start() < pos < r.end()}
    for m in CLAUSE_CUT.finditer(text):
        if m.start() in closed:
            continue  # ", who is on a visit to Russia, held talks": an insertion, not a cut
        if m.end() <= pos:
            start = m.end()
        elif m.start() >= pos:
            end = m.start()
            break
    return start, end
