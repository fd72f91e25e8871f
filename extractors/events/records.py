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

DatePrecision = Literal["day", "month", "unknown"]
MISSILE_CLASSES = (
    "ICBM", "IRBM", "MRBM", "SRBM", "SLBM", "cruise", "hypersonic", "MLRS", "SLV", "unknown",
)  # fmt: skip
DIPLOMACY_TYPES = (
    "summit", "meeting", "talks", "visit", "statement", "sanctions", "un_action",
    "military_exercise", "agreement", "dialogue_offer", "dialogue_rejection", "other",
)  # fmt: skip
OUTCOMES = ("success", "failure", "unknown")


@dataclass(frozen=True, slots=True)
class FieldSpan:
    """Where in the article text the value of ``field`` was read."""

    field: str
    char_start: int
    char_end: int


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
