"""Typed mention records: one article's claim about one event, with the sentence that made it.

A mention keeps every field value the article claimed and where it claimed it:
``evidence`` is the anchor sentence, ``char_start``/``char_end`` its offsets in ``ArticleText.text``
(``text[char_start:char_end] == evidence``), and ``field_spans`` the offsets of the sentence each
other field value came from, so every value can be traced back to its text.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from typing import Literal, Protocol

from extractors.records import ArticleText
from extractors.vocabulary import DatePrecision

# Official military sources, in the order in which their figures win when sources disagree.
MILITARY_ORDER = ("JCS", "Japan MoD", "INDOPACOM", "USFK")
# A summit, talks, a visit and a meeting of the same parties on the same day are one diplomatic
# event (arrivals, talks and meetings are legs of the visit or summit); its type is the one that
# tells most, in this order.
MEETING_FAMILY = ("summit", "talks", "visit", "meeting")


def stronger_type(a: str, b: str) -> str:
    """Of two event types reported for one event, the one that tells most; outside the meeting
    family the first stays."""
    if not a:
        return b
    if a in MEETING_FAMILY and b in MEETING_FAMILY:
        return min(a, b, key=MEETING_FAMILY.index)
    return a


def types_compatible(type_a: str, actors_a: set[str], type_b: str, actors_b: set[str]) -> bool:
    """Whether two diplomacy reports can be one event: the same type and a shared actor, or
    both of the meeting family and sharing every actor of the smaller side (at least two)."""
    if type_a == type_b:
        return bool(actors_a & actors_b)
    if type_a in MEETING_FAMILY and type_b in MEETING_FAMILY:
        shared = actors_a & actors_b
        return len(shared) >= 2 and len(shared) >= min(len(actors_a), len(actors_b))
    return False


@dataclass(frozen=True, slots=True)
class FieldSpan:
    """Where in the article text the value of ``field`` was read.

    For numbers (``num_missiles``, ``distance_km``, ``apogee_km``) there is one span per figure
    the article gives, each with the ``value`` and the ``agency`` the text attributes it to (None
    when it names none), so that "JCS: about 600 km; KCNA: 1,000 km" in one article keeps both
    claims and consolidation can let the official military source win.
    """

    field: str
    char_start: int
    char_end: int
    agency: str | None = None
    value: float | None = None


@dataclass(frozen=True, slots=True)
class MissileTestMention:
    """An article's report of one North Korean launch.

    ``background`` is True for a past launch mentioned in passing ("the Hwasong-15 tested in
    November 2017"): such a mention may join an existing event but never creates one.
    """

    article_id: str
    evidence: str
    char_start: int
    char_end: int
    reported_by: tuple[str, ...]
    extractor_version: str
    event_date: date | None
    date_precision: DatePrecision
    missile_class: str
    designation: str | None
    names_reported: tuple[str, ...]
    num_missiles: int | None
    launch_site: str | None
    distance_km: float | None  # as stated ("1,001.2 km" -> 1001.2); miles x1.609 to the nearest 10
    apogee_km: float | None
    landing_area: str | None
    outcome: str
    overseen_by: str | None
    background: bool = False
    field_spans: tuple[FieldSpan, ...] = ()
    kind: Literal["missile_test"] = "missile_test"

    @property
    def mention_id(self) -> str:
        return mention_id(self)


@dataclass(frozen=True, slots=True)
class DiplomacyMention:
    """An article's report of one diplomatic event involving the Korean peninsula."""

    article_id: str
    evidence: str
    char_start: int
    char_end: int
    reported_by: tuple[str, ...]
    extractor_version: str
    event_type: str
    actors: tuple[str, ...]
    persons: tuple[str, ...]
    location: str | None
    summary: str
    event_date: date | None
    date_precision: DatePrecision
    background: bool = False
    field_spans: tuple[FieldSpan, ...] = ()
    kind: Literal["diplomacy"] = "diplomacy"

    @property
    def mention_id(self) -> str:
        return mention_id(self)


Mention = MissileTestMention | DiplomacyMention


def mention_id(mention: Mention) -> str:
    """Deterministic id: article, extractor version, kind and evidence offsets."""
    key = "|".join(
        (
            mention.article_id,
            mention.extractor_version,
            mention.kind,
            str(mention.char_start),
            str(mention.char_end),
            mention.designation or mention.missile_class
            if isinstance(mention, MissileTestMention)
            else mention.event_type,
        )
    )
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


class Extractor(Protocol):
    """What every extractor offers: a name, a version (stored with each mention) and extract().

    The rule-based extractor is the default; a model-based one can implement the same protocol.
    """

    name: str
    version: str

    def extract(self, article: ArticleText) -> list[Mention]: ...
