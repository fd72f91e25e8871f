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
from datetime import date, timedelta
from typing import Generic, TypeVar

from extractors.events.dates import DateRef, DateResolver, event_dates
from extractors.events.diplomacy.anchoring import (
    backstory,
    first_date,
    habitual,
    is_background,
    own_dates,
    past_year,
    reported_day,
)
from extractors.events.diplomacy.clauses import clause, in_other_event, in_relative
from extractors.events.diplomacy.discourse import (
    Discourse,
    read_discourse,
    said_content_from,
)
from extractors.events.diplomacy.lexicon import load_lexicon
from extractors.events.diplomacy.merging import absorb_signatories, merge, one_event, same_event
from extractors.events.diplomacy.parties import Parties
from extractors.events.diplomacy.patterns import (
    ALLIANCE_DECISION,
    ATTRIBUTION_AFTER,
    BEGAN,
    DATELINE,
    EARLIER_CLAUSE,
    GOES_ON,
    GREETINGS,
    KOREA,
    LAUNCH_CONTEXT,
    MET,
    OTHER_EVENT_PHRASE,
    OTHER_OFFICE,
    PAST_TIME,
    PLAN_BEFORE,
    REFERS_BACK,
    RELATIVE_CLAUSE,
    SAID_CONTENT,
    SEPARATE_CLAUSE,
    SPEECH_VENUE,
    THE_EVENT_BEFORE,
    VISIT_OBJECT,
    WHEN_CLAUSE,
)
from extractors.events.diplomacy.relations import Relation, event_day, relation_of
from extractors.events.diplomacy.statements import (
    SPEECH_TYPES,
    Speech,
    bare_statement,
    domestic_speech,
    read_speech,
    speaker_is_state_voice,
    speaker_states,
)
from extractors.events.diplomacy.summary import summarise
from extractors.events.diplomacy.triggers import MODAL_BEFORE, Triggers
from extractors.events.domain import Domain
from extractors.events.records import MEETING_FAMILY, DiplomacyMention, FieldSpan
from extractors.events.text import Sentence
from extractors.records import ArticleText
from extractors.vocabulary import DatePrecision

CONTEXT_SENTENCES = 2
CONTINUATION_SENTENCES = 2
ADDRESSEE_SENTENCES = 2  # a statement's addressee may be named in the first sentences of its text
LEDE_SENTENCES = 2  # the sentences that report the article's news
SAID_WHERE_CHARS = 30  # "said in a statement in Tokyo": a statement's place follows its words
_VETO = re.compile(r"\b(?:veto|vetoed|vetoes|blocked|voted\s+against|failed)\b|거부권", re.I)


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
        self.parties = Parties(domain, self.lex)
        self.triggers = Triggers(domain, self.lex)
        self._text = ""  # the article's text, set by extract()
        self._discourse = Discourse(False, None)
        self._sentences: list[Sentence] = []
        # what happens, as opposed to what is said: a date before these is the event's
        self._event_words = _event_words(id(domain), self.launch_verbs, domain.diplomacy_any)
        self._extras: tuple[re.Pattern[str], ...] = ()  # other-words patterns the article holds
        self._bare: dict[int, re.Match[str]] = {}  # lede sentences' statements told with "said"
        # the spans of dates that are only the day something was said, and the mentions (by
        # sentence start) dated by one: a later sentence's own day of the event is better
        self._said_days: set[tuple[int, int]] = set()
        self._said_only: set[int] = set()

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
            if found is not None:
                self._said_days.add((found.start, found.end))
        return found

    def extract(
        self, article: ArticleText, sentences: list[Sentence], resolver: DateResolver
    ) -> list[DiplomacyMention]:
        self._text = article.text
        self._extras = self.triggers.extras_of(article.text)
        self._said_days, self._said_only = set(), set()
        # a statement told with only a verb of saying is looked for in the lede
        self._bare = {}
        for lede in sentences[:LEDE_SENTENCES]:
            verb = bare_statement(lede.text, self.lex, self.d)
            if verb is not None and not self._launch_sentence(lede.text):
                self._bare[lede.index] = verb
        if not self._extras and not self._bare and not self.d.diplomacy_any.search(article.text):
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
            named = _Lazy(functools.partial(self.parties.named, text, dict(known)))
            for m in self.d.persons.find(text):
                for form, _ in self.d.short_names.get(m.value, ()):
                    known[form] = m.value  # "Kim" now means the Kim last named in full
            refers_back = _Lazy(functools.partial(_refers_back, text))
            location = _Lazy(functools.partial(self.parties.location, text))
            # A sentence that refers back carries the date of the one it refers to.
            carried = _Lazy(
                functools.partial(self._carried_date, resolver, s, refers_back, tuple(context))
            )
            triggered = s.index in self._bare or self.triggers.any(text, self._extras)
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
        return [_dated_by_passing(m, out, self.d) for m in out]

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
        # "Choe ... and Lavrov ... exchanged views on ...", "It was greeted at the airport by Yun
        # Jong Ho": those of the event's states who take part (not one whose greetings are
        # conveyed)
        takers = [
            p
            for p in persons
            if p not in mention.persons and self.d.person_country[p] in mention.actors
        ]
        goes_on = GOES_ON.get(mention.event_type)
        about_it = (
            refers_back
            or bool(goes_on is not None and goes_on.search(text))
            or mention.event_type
            in {name for name, _ in self.triggers.candidates(text, self._extras)}
        )
        if not (leaders or about_it):
            return
        said_only = mention.char_start in self._said_only
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
        elif (
            about_it
            and said_only
            and mention.event_date is not None
            and own_day is not None
            and own_day.value is not None
            and own_day.precision == "day"
            and (own_day.start, own_day.end) not in self._said_days
            and timedelta(0) < mention.event_date - own_day.value <= timedelta(days=3)
        ):
            # "has ratified the pact, state media said on Tuesday. Kim signed the decree on
            # Monday": the event's own day, not the report's
            event_date, precision = own_day.value, "day"
        same_time = own_day is None or own_day.value in (None, mention.event_date, event_date)
        persons_added: tuple[str, ...] = ()
        if (
            mention.event_type == "summit"
            and same_time
            and leaders
            and {self.d.person_country[p] for p in persons} <= set(mention.actors)
        ):
            persons_added = tuple(leaders)
        elif (
            mention.event_type in (*MEETING_FAMILY, "agreement")
            and about_it
            and same_time
            and takers
            and {self.d.person_country[p] for p in persons} <= set(mention.actors)
            and not GREETINGS.search(text)
            and not any(f.background for f in found)  # "Kim Jong Il had hosted Hu in 2005"
            and not backstory(text)
            and not past_year(resolver, self._text, s.start, s.end)
        ):
            persons_added = tuple(takers)
        location = mention.location
        if location is None and about_it and same_time and not set(actors) - set(mention.actors):
            location = self.parties.location(text)
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
            not MODAL_BEFORE.search(adopted, max(0, m.start() - 45), m.start())
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
        found = self.triggers.candidates(text, self._extras, first_only=True)
        bare = self._bare.get(s.index)
        if (
            bare is not None
            and not self._discourse.commentary
            and not any(t in SPEECH_TYPES and m.start() <= bare.start() for t, m in found)
            and (not found or bare.start() < found[0][1].start())
        ):
            found = [("statement", bare)]  # "North Korea on Monday said it would cut off ..."
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
        cs, ce = clause(text, trigger.start())
        # "fired two missiles four days before Xi's visit to Seoul": the visit is the time of
        # the news, its parties those of the words after "before"
        relation = relation_of(text, trigger.start())
        if relation is not None and relation.start > cs:
            cs = relation.start
        own = (cs, ce)  # the trigger's own clause: its time and whether it is told in passing
        meeting = event_type in MEETING_FAMILY
        attributes = event_type == "un_action"  # "vetoed a UN Security Council resolution"
        if meeting and in_relative(text, trigger.start()):
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
            actors, persons = self.parties.named(
                text, known, cs, ce, topics=meeting, attributes=attributes, elsewhere=elsewhere
            )
        if cs > 0 and not actors:
            # "the carrier USS Theodore Roosevelt, which made a port call in Busan": the parties
            # are named in the clause the relative clause hangs on
            cs = clause(text, max(0, cs - 3))[0]
            actors, persons = self.parties.named(
                text, known, cs, ce, topics=meeting, attributes=attributes
            )
        if event_type == "visit":
            visited = self.d.countries.search(text, trigger.end(), trigger.end() + 30)
            if visited is not None and VISIT_OBJECT.fullmatch(text, trigger.end(), visited.start):
                actors.extend(
                    c for c in visited.value.split("+") if c not in actors
                )  # "arrived in Russia"
        if event_type == "agreement" and trigger.re is ALLIANCE_DECISION:
            deciders, _ = self.parties.named(text, known, cs, trigger.start())
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
        location = (
            location_of() if whole else (self.parties.location(text, cs, ce) or location_of())
        )
        if speech is not None and location is not None:
            # a statement is placed where it was made ("said in Tokyo"), not where what it is
            # about happened ("the drone intrusion into Pyongyang", "the statement issued in Lima")
            words_from = speech.content[0] if speech.content[0] > trigger.end() else len(text)
            location = self.parties.location(
                text, cs, min(words_from, trigger.end() + SAID_WHERE_CHARS)
            )
            venue = SPEECH_VENUE.search(text)
            if location is None and venue is not None:
                location = self.parties.location(text, *venue.span())  # "in a speech ... in X"
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
            # "The Council ... strongly condemned the launch": the Korea of the sentence before
            before = {a for c in context[-1:] for a in c.actors} & {"PRK", "KOR"}
            if not (before and THE_EVENT_BEFORE.search(text)):
                return None
            actors.extend(sorted(before - set(actors)))
        if event_type == "statement" and not persons and self._agency_statement(text, trigger):
            return None  # "..., the Joint Chiefs of Staff said in a statement": a source
        if date_ref is not None and (date_ref.start, date_ref.end) in self._said_days:
            self._said_only.add(s.start)
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
        leader_states = {self.d.person_country[p] for p in persons if self._acts_as_leader(text, p)}
        if meeting and len(leader_states) >= 2:
            event_type = "summit"
        elif event_type == "meeting" and not leader_states and MET.search(trigger.group(0)):
            event_type = "talks"  # ministers or envoys who met: talks ("held their meeting")
        background = self._told_in_passing(
            s, resolver, date_ref, event_type, trigger, own, relative, earlier, told
        )
        if relation is not None:
            # told as the time of the news: counted from the news's day, and not yet happened
            # when that day falls after the report ("the day before Harris arrived")
            background = True
            event_date, precision = self._related_day(resolver, s, relation, context)
        if event_date is None and not background and s.index < LEDE_SENTENCES:
            # the lede's report of the event, with no date of its own: it happened on or shortly
            # before the day it was published (elsewhere an undated event may be anything)
            event_date, precision = reported_day(resolver), "reported"
            if event_date is None:
                precision = "unknown"
        reported = self._sources(text, trigger, cs, ce)
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

    def _related_day(
        self,
        resolver: DateResolver,
        s: Sentence,
        relation: Relation,
        context: list[_Context],
    ) -> tuple[date | None, DatePrecision]:
        """The day of an event told as the time of the news: the anchor is the day of the words
        before the relation, else of the sentence before, else the day of the report."""
        anchor = self._date(resolver, s, 0, relation.start)
        if anchor is None or anchor.precision != "day":
            anchor = next((c.date for c in reversed(context) if c.date is not None), None)
        day = anchor.value if anchor is not None and anchor.precision == "day" else resolver.pub
        found = event_day(relation, day)
        if found is None or (resolver.pub is not None and found > resolver.pub):
            return None, "unknown"  # a plan, or a day the text does not fix
        return found, "day"

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
                named, _ = self.parties.named(later.text, known)
                actors.extend(a for a in named if a not in actors and a not in speakers)
                if set(actors) - speakers:
                    break
        if not set(actors) - speakers:
            return None  # addressed to no other state: a statement on a domestic matter
        spoken = self.parties.named(text, known, *speech.speaker)[1]  # "김 위원장은" too
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
            or in_other_event(text, trigger)
        ):
            # "The launches came right after the allies met ...", "Pyongyang had denounced last
            # week's meeting ...": context told in passing
            return True
        if self._discourse.commentary:
            return True  # a state medium's argument: its events are its content
        speech = event_type in SPEECH_TYPES
        if event_type not in ("dialogue_offer", "dialogue_rejection") and self._discourse.in_body(
            s.start
        ):
            # inside the text of a statement: what it says, not news ("the U.S. State Department
            # said in a statement ..." is quoted); only its own offer or refusal of talks counts
            return True
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

    def _sources(self, text: str, trigger: re.Match[str], cs: int, ce: int) -> list[str]:
        """The agencies cited for this event: those of the trigger's clause, and the attribution
        that closes the sentence ("..., KCNA said") when the trigger's clause is its first. In a
        sentence that reports a launch first ("fired a missile on Monday as Blinken held talks in
        Seoul, the JCS said"), the agencies are the launch's."""
        found = list(self.d.agency_names.finditer(text))
        if not found:
            return []
        launch = self.launch_verbs.search(text, 0, trigger.start())
        if launch is not None and self.missile_objects.search(text):
            return []
        first = (
            cs == 0 or not text[:cs].strip(" ,;\u2014\u2013-") or DATELINE.fullmatch(text, 0, cs)
        )
        return sorted(
            {
                m.value
                for m in found
                if cs <= m.start < ce
                or (first and m.start >= ce and ATTRIBUTION_AFTER.match(text, m.end) is not None)
            }
        )

    def _acts_as_leader(self, text: str, person: str) -> bool:
        """A head of state or government, unless the sentence gives him another office
        ("Japanese Foreign Minister Fumio Kishida" in 2016)."""
        if person not in self.d.leaders:
            return False
        return not any(
            m.value == person and OTHER_OFFICE.search(text, max(0, m.start - 30), m.start)
            for m in self.d.persons.find(text)
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


def _dated_by_passing(
    mention: DiplomacyMention, told: list[DiplomacyMention], domain: Domain
) -> DiplomacyMention:
    """An event told undated as news that the article also told, dated, as the time of its news
    ("fired a missile ... hours before the ministers met in Tokyo. ... held their meeting as
    planned"): its day and place are those of that mention."""
    if mention.background or mention.event_date is not None:
        return mention
    for other in told:
        if (
            other.background
            and other.date_precision == "day"
            and other.event_date is not None
            and one_event((mention.event_type, other.event_type), (mention.actors, other.actors))
            and len(set(mention.actors) & set(other.actors)) >= 2
        ):
            return dataclasses.replace(
                mention,
                event_date=other.event_date,
                date_precision="day",
                location=mention.location or other.location,
                field_spans=(
                    *mention.field_spans,
                    FieldSpan("event_date", other.char_start, other.char_end),
                ),
            )
    return mention


def _refers_back(text: str) -> bool:
    return REFERS_BACK.search(text) is not None


def _parties_of(mention: DiplomacyMention) -> tuple[list[str], list[str]]:
    return list(mention.actors), list(mention.persons)
