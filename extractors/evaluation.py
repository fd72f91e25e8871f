"""Scoring extracted events against a golden set (pure: no file access).

For each case the article's mentions are consolidated on their own (as if it were the only
article) and the resulting events are matched to the expected ones:

- an event matches when the kind agrees, the dates agree within one day (an unknown date matches
  only an unknown date) and, for missile tests, the designations are equal when both are known
  (else the classes agree, 'unknown' agreeing with anything); for diplomacy the event type is
  equal and the actor lists overlap. Pairs are taken best first (more agreeing fields).
- event precision/recall/F1 per kind count matched (tp), extra (fp) and missing (fn) events.
- field scores are computed over matched pairs: a value is predicted when not null (not
  'unknown' for class, outcome and precision); it is right when equal to the expected value
  (numbers within 5%). List fields (reported_by, actors, persons) score element by element.
Past references (background mentions) are not scored: the golden set does not expect them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from extractors.events.consolidate import (
    ArticleMeta,
    DiplomacyEvent,
    Event,
    MissileTestEvent,
    consolidate_events,
)
from extractors.events.records import Mention
from extractors.records import ArticleText

MISSILE_FIELDS = (
    "event_date", "date_precision", "missile_class", "designation", "num_missiles",
    "launch_site", "distance_km", "apogee_km", "outcome", "overseen_by", "reported_by",
)  # fmt: skip
DIPLOMACY_FIELDS = ("event_date", "date_precision", "event_type", "actors", "persons", "location")
_NULLISH = {"missile_class": "unknown", "outcome": "unknown", "date_precision": "unknown"}
NUMBER_TOLERANCE = 0.05


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Score) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    def as_dict(self) -> dict[str, float | int]:
        return {
            "tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": round(self.precision, 4),
            "recall": round(self.recall, 4), "f1": round(self.f1, 4),
        }  # fmt: skip


@dataclass(frozen=True, slots=True)
class GoldenCase:
    case_id: str
    article: ArticleText
    expected_missiles: tuple[Mapping[str, Any], ...]
    expected_diplomacy: tuple[Mapping[str, Any], ...]
    tags: tuple[str, ...]

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> GoldenCase:
        published = (
            datetime.fromisoformat(data["published_at"]) if data.get("published_at") else None
        )
        article = ArticleText(
            article_id=data["id"],
            url=data.get("url", ""),
            source=data.get("source", ""),
            title=data.get("title", ""),
            text=data["text"],
            published_at=published,
            language=data.get("language"),
        )
        expected = data.get("expected", {})
        return cls(
            case_id=data["id"],
            article=article,
            expected_missiles=tuple(expected.get("missile_tests", [])),
            expected_diplomacy=tuple(expected.get("diplomacy_events", [])),
            tags=tuple(data.get("tags", [])),
        )


@dataclass
class CaseResult:
    case_id: str
    kinds: dict[str, Score]
    fields: dict[str, Score]
    misses: list[str] = field(default_factory=list)  # one line per fp/fn/wrong field


def _as_date(value: object) -> date | None:
    if value is None or isinstance(value, date):
        return value
    text = str(value)
    if len(text) == 7:
        text += "-01"
    return date.fromisoformat(text)


def _value(obj: object, name: str) -> object:
    if isinstance(obj, Mapping):
        value = obj.get(name)
        if name == "event_date":
            return _as_date(value)
        if isinstance(value, list):
            return tuple(value)
        return value
    return getattr(obj, name)


def _present(name: str, value: object) -> bool:
    if value is None or value == () or value == []:
        return False
    return _NULLISH.get(name) != value


def _equal(a: object, b: object) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return abs(a - b) <= NUMBER_TOLERANCE * max(abs(a), abs(b))
    return a == b


def _dates_match(predicted: object, expected: object) -> bool:
    p, e = _as_date(predicted), _as_date(expected)
    if p is None or e is None:
        return p is None and e is None
    return abs((p - e).days) <= 1


def _match_score(event: Event, expected: Mapping[str, Any]) -> int | None:
    if not _dates_match(event.event_date, expected.get("event_date")):
        return None
    if isinstance(event, MissileTestEvent):
        want_d, want_c = expected.get("designation"), expected.get("missile_class", "unknown")
        if event.designation and want_d:
            if event.designation != want_d:
                return None
        elif "unknown" not in (event.missile_class, want_c) and event.missile_class != want_c:
            return None
        # Among launches of one day (a salvo told apart), pair the ones whose figures agree.
        agree = sum(
            _present(name, _value(event, name)) and _equal(_value(event, name), expected.get(name))
            for name in ("outcome", "distance_km", "apogee_km", "num_missiles")
        )
        return (
            10 * (1 + int(event.designation == want_d) + int(event.missile_class == want_c)) + agree
        )
    assert isinstance(event, DiplomacyEvent)
    if event.event_type != expected.get("event_type"):
        return None
    overlap = set(event.actors) & set(expected.get("actors") or ())
    if not overlap:
        return None
    return 1 + len(overlap)


def _pair(events: Sequence[Event], expected: Sequence[Mapping[str, Any]]) -> list[tuple[int, int]]:
    options = []
    for i, event in enumerate(events):
        for j, exp in enumerate(expected):
            score = _match_score(event, exp)
            if score is not None:
                options.append((score, i, j))
    pairs: list[tuple[int, int]] = []
    used_i: set[int] = set()
    used_j: set[int] = set()
    for _score, i, j in sorted(options, key=lambda o: (-o[0], o[1], o[2])):
        if i not in used_i and j not in used_j:
            pairs.append((i, j))
            used_i.add(i)
            used_j.add(j)
    return pairs


def _score_field(name: str, predicted: object, expected: object) -> Score:
    if name in ("reported_by", "actors", "persons"):
        p = (
            set(predicted)
            if isinstance(predicted, Iterable) and not isinstance(predicted, str)
            else set()
        )
        e = (
            set(expected)
            if isinstance(expected, Iterable) and not isinstance(expected, str)
            else set()
        )
        return Score(tp=len(p & e), fp=len(p - e), fn=len(e - p))
    has_p, has_e = _present(name, predicted), _present(name, expected)
    if has_p and has_e and _equal(predicted, expected):
        return Score(tp=1)
    return Score(fp=int(has_p), fn=int(has_e))


def evaluate_case(case: GoldenCase, mentions: Sequence[Mention]) -> CaseResult:
    """Score one article's mentions against its expected events."""
    article = case.article
    meta = {
        article.article_id: ArticleMeta(
            article.article_id,
            article.source,
            article.published_at,
            article.story_id,
            article.flags,
        )
    }
    result = consolidate_events([m for m in mentions if not m.background], meta)
    kinds: dict[str, Score] = {}
    fields: dict[str, Score] = {}
    misses: list[str] = []
    for kind, expected, names in (
        ("missile_test", case.expected_missiles, MISSILE_FIELDS),
        ("diplomacy", case.expected_diplomacy, DIPLOMACY_FIELDS),
    ):
        events = [e for e in result.events if e.kind == kind]
        pairs = _pair(events, expected)
        score = Score(tp=len(pairs), fp=len(events) - len(pairs), fn=len(expected) - len(pairs))
        kinds[kind] = score
        matched_i = {i for i, _ in pairs}
        matched_j = {j for _, j in pairs}
        for i, event in enumerate(events):
            if i not in matched_i:
                misses.append(f"{case.case_id}: extra {kind} {_describe(event)}")
        for j, exp in enumerate(expected):
            if j not in matched_j:
                misses.append(f"{case.case_id}: missed {kind} {_describe(exp)}")
        for i, j in pairs:
            for name in names:
                predicted, wanted = _value(events[i], name), _value(expected[j], name)
                s = _score_field(name, predicted, wanted)
                fields.setdefault(f"{kind}.{name}", Score()).add(s)
                if s.fp or s.fn:
                    misses.append(
                        f"{case.case_id}: {kind}.{name} = {predicted!r}, expected {wanted!r}"
                    )
    return CaseResult(case.case_id, kinds, fields, misses)


def _describe(obj: object) -> str:
    keys = ("event_date", "designation", "missile_class", "event_type", "actors")
    parts = []
    for k in keys:
        if isinstance(obj, Mapping):
            if k in obj:
                parts.append(f"{k}={obj[k]!r}")
        elif hasattr(obj, k):
            parts.append(f"{k}={getattr(obj, k)!r}")
    return " ".join(parts)


def summarise(results: Iterable[CaseResult]) -> tuple[dict[str, Score], dict[str, Score]]:
    kinds: dict[str, Score] = {}
    fields: dict[str, Score] = {}
    for r in results:
        for k, s in r.kinds.items():
            kinds.setdefault(k, Score()).add(s)
        for k, s in r.fields.items():
            fields.setdefault(k, Score()).add(s)
    return kinds, dict(sorted(fields.items()))
