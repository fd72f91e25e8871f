"""Which event a sentence reports, and by which words.

    triggers = Triggers(load_domain(), load_lexicon())
    extras = triggers.extras_of(article.text)          # the other-words patterns the article holds
    triggers.candidates(sentence.text, extras, first_only=True)
    # [('talks', <match 'held talks'>)]

A trigger of ``event_terms.toml`` reports its event unless it is a plan ("will visit", "is
expected to discuss ... at a summit", "later this month"), protocol ("received a message of
greeting"), a reception of no one ("welcomed the measures"), a state's own meeting ("the plenary
meeting discussed"), talks that nobody holds ("in negotiations with the U.S."), or a resident
ambassador's outing. Some events are told in other words than the lists' (``patterns``): Treasury
designations, a deployment two governments decide, talks "held" in the passive, leaders who warn
a state together.
"""

from __future__ import annotations

import re

from extractors.events.diplomacy.clauses import clause, in_relative
from extractors.events.diplomacy.discourse import (
    is_internal_meeting,
    is_protocol,
    reception_without_guest,
    talks_without_holding,
)
from extractors.events.diplomacy.lexicon import Lexicon
from extractors.events.diplomacy.patterns import (
    ALLIANCE_DECISION,
    BETWEEN_STATES,
    HELD_MEETING,
    KOREAN_PLAN_AFTER,
    PLAN_AFTER,
    PLAN_BEFORE,
    PLAN_TIME,
    RESIDENT_DIPLOMAT,
    SANCTIONS_OTHERWISE,
    SELF_REPORT,
    WARNED,
)
from extractors.events.diplomacy.statements import SPEECH_TYPES
from extractors.events.domain import Domain
from extractors.events.records import MEETING_FAMILY

Candidate = tuple[str, re.Match[str]]  # (event type, its trigger)

# "vowed to swiftly adopt", "is expected to deploy": a plan before a trigger told in other words
MODAL_BEFORE = re.compile(
    r"\b(?:will|would|could|may|might|plans?\s+to|planning\s+to|expected\s+to|considering|if|"
    r"(?:vowed|vowing|pledged|pledging|promised|promising|agreed|threatened|threatening)\s+to|"
    r"seeking\s+to|sought\s+to)\b"
    r"[^.;]{0,40}$",
    re.I,
)
# Events told in other words than the triggers of event_terms.toml
EXTRAS = (SANCTIONS_OTHERWISE, ALLIANCE_DECISION, HELD_MEETING, WARNED)
# A word each match of the pattern holds (lower case): an article without one skips the pattern
EXTRAS_WORDS: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = (
    (SANCTIONS_OTHERWISE, ("launder", "list", "designated", "bann", "bans", "sanction")),
    (ALLIANCE_DECISION, ("deploy", "station", "host", "base", "place", "install")),
    (HELD_MEETING, (" held",)),
    (WARNED, ("warned", "cautioned")),
)


class Triggers:
    """Finds the triggers of a sentence (compiled once per process, no per-article state)."""

    def __init__(self, domain: Domain, lex: Lexicon) -> None:
        self.d = domain
        self.lex = lex
        self.hypothetical = domain.terms["diplomacy.hypothetical"]

    def extras_of(self, text: str) -> tuple[re.Pattern[str], ...]:
        """The patterns of events told in other words that the article holds (looked for in its
        sentences only then)."""
        lower = text.lower()
        return tuple(
            p
            for p, words in ((self.lex.joint_warnings, ("joint", "공동")), *EXTRAS_WORDS)
            if any(w in lower for w in words) and p.search(text)
        )

    def any(self, text: str, extras: tuple[re.Pattern[str], ...]) -> bool:
        """A quick first test: a trigger of any type, or a phrase of ``extras``."""
        if self.d.diplomacy_any.search(text):
            return True
        return any(pattern.search(text) for pattern in extras)

    def candidates(
        self,
        text: str,
        extras: tuple[re.Pattern[str], ...] | None = None,
        *,
        first_only: bool = False,
    ) -> list[Candidate]:
        """Every event type whose trigger occurs in text (and is not a plan), a joint warning
        first, then in the order of ``event_terms.toml``, each with its trigger. With
        ``first_only``, the first one (or a speech act told before it) and, when it is a summit,
        talks, visit or meeting, an agreement signed in the same sentence. ``extras``: the
        patterns of events told in other words to look for (all when None)."""
        found: list[Candidate] = []
        if extras is None:
            extras = (self.lex.joint_warnings, *EXTRAS)
        joint = self.lex.joint_warnings.search(text) if self.lex.joint_warnings in extras else None
        if joint is None and WARNED in extras:
            joint = self._warned_by_several(text)
        if joint is not None and not MODAL_BEFORE.search(text, 0, joint.start()):
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
                if trigger is None or MODAL_BEFORE.search(text, 0, trigger.start()):
                    continue
                if not self._reports_event(text, name, trigger):
                    continue
            found.append((name, trigger))
        if not first_only or not found:
            return found
        primary = meeting_of(text, speech_first(text, found), found)
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
            cs = clause(text, m.start())[0]
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
        cs, ce = clause(text, trigger.start())
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
        cs, ce = clause(text, trigger.start())
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


def speech_first(text: str, found: list[Candidate]) -> Candidate:
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


def meeting_of(text: str, primary: Candidate, found: list[Candidate]) -> Candidate:
    """A sentence that tells a visit, talks and a meeting of one event ("arrived in Wonsan for a
    three-day visit and held talks with Choe") is typed by the strongest (summit > talks > visit
    > meeting) and read from the trigger of its main clause, not of a relative clause ("Choe,
    who is on an official visit to Russia, held talks with Lavrov")."""
    if primary[0] not in MEETING_FAMILY:
        return primary
    family = [f for f in found if f[0] in MEETING_FAMILY]
    strongest = min((f[0] for f in family), key=MEETING_FAMILY.index)
    main = [f for f in family if not in_relative(text, f[1].start())]
    trigger = min(main or family, key=lambda f: f[1].start())[1]
    return strongest, trigger
