"""Who takes part and where: the states and persons of a clause, and the place of an event.

    parties = Parties(load_domain(), load_lexicon())
    parties.named("Choe Son Hui held talks with Sergei Lavrov in Moscow", known={})
    # (['PRK', 'RUS'], ['Choe Son Hui', 'Sergei Lavrov'])
    parties.location("talks in Moscow on Friday")   # 'Moscow'

A state is a party unless the text names it otherwise: as a venue ("a summit in Hanoi"), as where
the speakers are ("officials in Tokyo said"), as a source ("South Korea's Joint Chiefs of Staff
said"), in a dateline or a clock, as a body's attribute ("the new UN sanctions"), as a state's own
council ("Russia's Security Council"), as what a meeting was about ("talks on Ukraine"), or as a
party to another event told in the same sentence.
"""

from __future__ import annotations

import re

from extractors.events.diplomacy.lexicon import Lexicon
from extractors.events.diplomacy.patterns import (
    ATTRIBUTIVE_AFTER,
    CLAIM_AFTER,
    CLAIMANT_BEFORE,
    DATELINE,
    LOCATION_BEFORE,
    PLACE_OF_SPEAKERS,
    POSSESSIVE_AFTER,
    SAID_AFTER,
    STATE_COUNCIL_AFTER,
    STATE_COUNCIL_BEFORE,
    TARGET_BEFORE,
    TIME_ZONE_AFTER,
    WATERS_AFTER,
    WATERS_BEFORE,
)
from extractors.events.domain import Domain, PhraseMatch

_TOPIC_BEFORE: dict[int, re.Pattern[str]] = {}


class Parties:
    """Reads parties and places; keeps, for one article, the states found in each sentence."""

    def __init__(self, domain: Domain, lex: Lexicon) -> None:
        self.d = domain
        self._states: dict[str, list[PhraseMatch]] = {}  # states named in each sentence
        self._topic_before = _topic_before(id(lex), lex.topic_markers)

    def named(
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
            if speakers_place(text, m.start, m.end):
                continue  # "officials in Tokyo said": where the speakers are, not a party
            if CLAIMANT_BEFORE.search(text, max(0, m.start - 30), m.start) and CLAIM_AFTER.match(
                text, m.end
            ):
                continue  # "a treaty that Seoul and Washington say ...": claimants, no parties
            if in_waters(text, m.start, m.end) or (topics and targeted(text, m.start)):
                continue  # "into the sea between Korea and Japan"; a meeting's "strike on Seoul"
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

    def location(self, text: str, start: int = 0, end: int | None = None) -> str | None:
        for m in self.d.locations.finditer(text, start, end):
            before = text[max(0, m.start - 40) : m.start]
            after = text[m.end : m.end + 12]
            if speakers_place(text, m.start, m.end):
                continue  # "officials in Tokyo said": where the speakers are
            if POSSESSIVE_AFTER.match(text, m.end):
                continue  # "in response to Pyongyang's nuclear test": the state, not a place
            if in_waters(text, m.start, m.end) or targeted(text, m.start):
                continue  # "a preemptive strike on Seoul": a target, not a venue
            if LOCATION_BEFORE.search(before) or re.match(
                r"\s*(?:에서|을 방문|를 방문|방문|에 도착)", after
            ):
                return m.value
        return None


def _topic_before(key: int, markers: re.Pattern[str]) -> re.Pattern[str]:
    """A topic word just before a name, up to two words between: "talks on the situation in "."""
    if key not in _TOPIC_BEFORE:
        _TOPIC_BEFORE[key] = re.compile(f"(?:{markers.pattern})\\s+(?:[\\w'’-]+\\s+){{0,2}}$")
    return _TOPIC_BEFORE[key]


def speakers_place(text: str, start: int, end: int) -> bool:
    """ "Officials in Tokyo said", "diplomats in Seoul and Tokyo say": a place that only says
    where the speakers are."""
    return bool(
        SAID_AFTER.match(text, end) and PLACE_OF_SPEAKERS.search(text, max(0, start - 40), start)
    )


def in_waters(text: str, start: int, end: int) -> bool:
    """A place where a missile flew or fell: "into the sea between Korea and Japan", "Japan's
    exclusive economic zone", "flew over Japan"."""
    return bool(
        WATERS_BEFORE.search(text, max(0, start - 60), start) or WATERS_AFTER.match(text, end)
    )


def targeted(text: str, start: int) -> bool:
    """A target: "can strike anywhere in South Korea", "a preemptive strike on Seoul" (no venue,
    and no party to a meeting; the state a threat is aimed at is the one a statement warns)."""
    return TARGET_BEFORE.search(text, max(0, start - 60), start) is not None


def _state_council(text: str, start: int, end: int) -> bool:
    """ "Russia's Security Council", "the Security Council of the Russian Federation"."""
    if not text[start:end].startswith("Security Council"):
        return False
    return bool(
        STATE_COUNCIL_BEFORE.search(text, max(0, start - 20), start)
        or STATE_COUNCIL_AFTER.match(text, end)
    )
