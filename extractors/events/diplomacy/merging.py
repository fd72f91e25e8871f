"""One event from several reports: the legs of a visit, a statement and the talks it refuses, a
joint statement and the meeting it came out of.

- **A visit is one event.** Its arrival, talks, meetings, receptions and banquets, on any of its
  days, are mentions of it: reports of the meeting family with the same states, at most
  ``VISIT_DAYS`` apart, that share a visitor (a person of another state than the host's). The
  event is dated to its first day and typed by the report that tells most (summit > talks >
  visit > meeting).
- **A statement and the offer or refusal of talks in it are one event**, typed by the offer or
  refusal.
- **A joint statement made at a meeting is part of it**, and the other way round: the event keeps
  the type and the parties of the report told first ("The leaders jointly warned North Korea ...
  after meeting in Washington" is a statement; "The leaders met in Lima ... and issued a joint
  statement" is a summit).

    same_event(a, b, domain), merge(a, b, domain)   # two mentions of one article
    joins_visit(...)                                 # consolidation across articles
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from datetime import date

from extractors.events.diplomacy.patterns import WARNED
from extractors.events.diplomacy.statements import SPEECH_TYPES
from extractors.events.diplomacy.summary import summarise
from extractors.events.domain import Domain
from extractors.events.records import (
    MEETING_FAMILY,
    DiplomacyMention,
    stronger_type,
    types_compatible,
)

VISIT_DAYS = 7


def day_of(m: DiplomacyMention) -> date | None:
    """The mention's day, when the text gives one ('reported' and month dates give none)."""
    return m.event_date if m.date_precision == "day" else None


def visitors(
    persons: Collection[str],
    locations: Collection[str | None],
    domain: Domain,
) -> set[str]:
    """Of ``persons``, those who came from another state than the host's (the state of the
    places). With no known place, those who are not heads of state or government (the host
    leader who receives one delegation after another is not one visit)."""
    hosts = {domain.location_country.get(loc) for loc in locations if loc} - {None}
    if hosts:
        return {p for p in persons if domain.person_country[p] not in hosts}
    return {p for p in persons if p not in domain.leaders}


def joins_visit(
    types: tuple[str, str],
    actors: tuple[Collection[str], Collection[str]],
    persons: tuple[Collection[str], Collection[str]],
    locations: Collection[str | None],
    days: Collection[date],
    domain: Domain,
) -> bool:
    """Whether two reports of the meeting family are legs of one visit: compatible states, days
    at most ``VISIT_DAYS`` apart, and a visitor in common."""
    if types[0] not in MEETING_FAMILY or types[1] not in MEETING_FAMILY:
        return False
    if not types_compatible(types[0], set(actors[0]), types[1], set(actors[1])):
        return False
    if days and (max(days) - min(days)).days > VISIT_DAYS:
        return False
    shared = set(persons[0]) & set(persons[1])
    return bool(visitors(shared, locations, domain))


def _speech_family(types: tuple[str, str], actors: tuple[Collection[str], Collection[str]]) -> bool:
    """A statement and the offer or refusal of talks it makes, by the same states."""
    if set(types) - set(SPEECH_TYPES) or "statement" not in types:
        return False
    small, large = sorted((set(actors[0]), set(actors[1])), key=len)
    return len(small) >= 2 and small <= large


def _statement_at_meeting(
    types: tuple[str, str], actors: tuple[Collection[str], Collection[str]]
) -> bool:
    """A joint statement by the parties of a meeting (every state that met speaks or is warned)."""
    if "statement" not in types or not set(types) & set(MEETING_FAMILY):
        return False
    meeting, speech = actors if types[0] in MEETING_FAMILY else actors[::-1]
    return len(meeting) >= 2 and set(meeting) <= set(speech)


def one_event(types: tuple[str, str], actors: tuple[Collection[str], Collection[str]]) -> bool:
    """Whether two reports of the same day can be one event: compatible types with a shared
    state, a statement and its offer or refusal, or a joint statement and its meeting."""
    return (
        types_compatible(types[0], set(actors[0]), types[1], set(actors[1]))
        or _speech_family(types, actors)
        or _statement_at_meeting(types, actors)
    )


def event_type_of(types: Sequence[str]) -> str:
    """The type of an event from its reports' types: the most reported of a statement and a
    meeting told together (the first of them on a tie), the strongest of the meeting family, an
    offer or refusal over the statement that makes it."""
    counts = Counter(types)
    said = counts["statement"] + counts["dialogue_offer"] + counts["dialogue_rejection"]
    met = sum(counts[t] for t in MEETING_FAMILY)
    if said and met:
        if said > met or (said == met and types[0] in SPEECH_TYPES):
            return event_type_of([t for t in types if t in SPEECH_TYPES])
        return event_type_of([t for t in types if t in MEETING_FAMILY])
    kind = types[0]
    for t in types[1:]:
        kind = merged_type(kind, t)
    return kind


def same_event(a: DiplomacyMention, b: DiplomacyMention, domain: Domain) -> bool:
    """Two sentences of one article about one event."""
    if a.background != b.background:
        return False
    da, db = day_of(a), day_of(b)
    same_day = da is None or db is None or da == db
    if a.date_precision == "month" or b.date_precision == "month":
        same_day = a.event_date == b.event_date or da is not None or db is not None
    if same_day and one_event((a.event_type, b.event_type), (a.actors, b.actors)):
        return True
    days = [d for d in (da, db) if d is not None]
    if (
        "visit" in (a.event_type, b.event_type)
        and {a.event_type, b.event_type} <= set(MEETING_FAMILY)
        and set(a.actors) == set(b.actors)
        and len(a.actors) >= 2
        and (not days or (max(days) - min(days)).days <= VISIT_DAYS)
    ):
        return True  # an arrival and a meeting of the same states in one article: one visit
    return joins_visit(
        (a.event_type, b.event_type),
        (a.actors, b.actors),
        (a.persons, b.persons),
        (a.location, b.location),
        days,
        domain,
    )


def _leader_states(persons: Collection[str], domain: Domain) -> int:
    return len({domain.person_country[p] for p in persons if p in domain.leaders})


def absorb_signatories(
    meeting: DiplomacyMention, agreement: DiplomacyMention, domain: Domain
) -> DiplomacyMention:
    """The leaders who signed at a visit took part in it, on the day they signed: "Putin made his
    first visit to Pyongyang. He and Kim Jong Un signed the treaty" is a summit of the two."""
    if meeting.event_type not in MEETING_FAMILY or meeting.background:
        return meeting
    if not set(meeting.actors) <= set(agreement.actors) or len(meeting.actors) < 2:
        return meeting
    day_m, day_a = day_of(meeting), day_of(agreement)
    if day_m is not None and day_a is not None and day_m != day_a:
        return meeting
    leaders = [p for p in agreement.persons if p in domain.leaders and p not in meeting.persons]
    dated = day_m is None and day_a is not None  # the visit's leg undated: the signing day
    if not leaders and not dated:
        return meeting
    persons = tuple(sorted({*meeting.persons, *leaders}))
    event_type = "summit" if _leader_states(persons, domain) >= 2 else meeting.event_type
    return dataclasses.replace(
        meeting,
        persons=persons,
        event_type=event_type,
        event_date=agreement.event_date if dated else meeting.event_date,
        date_precision=agreement.date_precision if dated else meeting.date_precision,
        summary=summarise(
            event_type, list(meeting.actors), list(persons), meeting.location, meeting.evidence
        ),
    )


def merged_type(first: str, then: str) -> str:
    """The type of one event told as two: the stronger of the meeting family; an offer or
    refusal over the statement that makes it; otherwise the type told first."""
    if first in MEETING_FAMILY and then in MEETING_FAMILY:
        return stronger_type(first, then)
    if first == "statement" and then in SPEECH_TYPES:
        return then
    return first


def _warning_at_meeting(a: DiplomacyMention, b: DiplomacyMention) -> DiplomacyMention | None:
    """Of a meeting and a statement of one article, the statement when it warns a state that did
    not take part ("The three leaders met ... They jointly warned Pyongyang ...")."""
    types = {a.event_type, b.event_type}
    if "statement" not in types or not types & set(MEETING_FAMILY):
        return None
    said, met = (a, b) if a.event_type == "statement" else (b, a)
    if not WARNED.search(said.evidence) or not set(met.actors) < set(said.actors):
        return None
    return said


def merge(a: DiplomacyMention, b: DiplomacyMention, domain: Domain) -> DiplomacyMention:
    """The first sentence stays the evidence; the later one adds what the first lacked. A visit is
    dated to its first day; a joint statement and its meeting keep the parties of the first."""
    event_type = merged_type(a.event_type, b.event_type)
    warning = _warning_at_meeting(a, b)
    if warning is not None:
        event_type = "statement"  # a leaders' joint warning is the statement, told first or not
    both_meet = a.event_type in MEETING_FAMILY and b.event_type in MEETING_FAMILY
    both_speak = a.event_type in SPEECH_TYPES and b.event_type in SPEECH_TYPES
    # The parties of a meeting are all who took part; those of a sanction or statement are the
    # first report's (a later sentence about it names others only as its background).
    keep = not (both_meet or both_speak) and len(a.actors) >= 2
    actors = a.actors if keep else tuple(sorted(set(a.actors) | set(b.actors)))
    if warning is not None:
        actors = warning.actors
    persons = tuple(sorted(set(a.persons) | set(b.persons)))
    if event_type in MEETING_FAMILY and _leader_states(persons, domain) >= 2:
        event_type = "summit"  # the host leader named in one sentence, the guest in another
    location = a.location or b.location
    days = [m for m in (a, b) if day_of(m) is not None]
    dated = (
        min(days, key=lambda m: m.event_date or date.max)
        if days
        else (a if a.event_date is not None else b)
    )
    return dataclasses.replace(
        a,
        reported_by=tuple(sorted(set(a.reported_by) | set(b.reported_by))),
        event_type=event_type,
        actors=actors,
        persons=persons,
        location=location,
        summary=summarise(event_type, list(actors), list(persons), location, a.evidence),
        event_date=dated.event_date,
        date_precision=dated.date_precision,
        field_spans=a.field_spans + b.field_spans,
    )


def first_day(days: Collection[date], votes: Mapping[date, float]) -> date:
    """The day of an event reported on several days: a visit's first day when its days lie more
    than a day apart, else the day most reports give."""
    if (max(days) - min(days)).days > 1:
        return min(days)
    return max(votes.items(), key=lambda kv: (kv[1], -kv[0].toordinal()))[0]
