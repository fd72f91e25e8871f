"""Consolidation of mentions into events (pure functions, no warehouse)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

from extractors.events import DiplomacyMention, MissileTestMention
from extractors.events.consolidate import (
    ArticleMeta,
    DiplomacyEvent,
    MissileTestEvent,
    consolidate_events,
    mention_anchor,
)
from extractors.quality import MACHINE_WRITTEN, OPINION

BASE = MissileTestMention(
    article_id="a",
    evidence="North Korea fired a missile.",
    char_start=0,
    char_end=28,
    reported_by=(),
    extractor_version="test",
    event_date=date(2024, 10, 31),
    date_precision="day",
    missile_class="ICBM",
    designation=None,
    names_reported=(),
    num_missiles=None,
    launch_site=None,
    distance_km=None,
    apogee_km=None,
    landing_area=None,
    outcome="unknown",
    overseen_by=None,
)
PUB = datetime(2024, 10, 31, 3, 0, tzinfo=UTC)


def meta(article_id: str, source: str | None = None, flags: tuple[str, ...] = ()) -> ArticleMeta:
    return ArticleMeta(article_id, source or f"Outlet {article_id}", PUB, None, flags)


def metas(*ids: str) -> dict[str, ArticleMeta]:
    return {i: meta(i) for i in ids}


def missile_events(result: object) -> list[MissileTestEvent]:
    return [e for e in result.events if isinstance(e, MissileTestEvent)]  # type: ignore[attr-defined]


def test_reports_within_a_day_become_one_event() -> None:
    seoul = replace(BASE, article_id="a", reported_by=("JCS",), distance_km=1000.0)
    tokyo = replace(
        BASE,
        article_id="b",
        event_date=date(2024, 10, 30),
        reported_by=("Japan MoD",),
        distance_km=950.0,
    )
    kcna = replace(
        BASE, article_id="c", designation="Hwasong-19", reported_by=("KCNA",), outcome="success"
    )
    result = consolidate_events([seoul, tokyo, kcna], metas("a", "b", "c"))
    [event] = missile_events(result)
    assert event.designation == "Hwasong-19" and event.missile_class == "ICBM"
    assert event.event_date == date(2024, 10, 31)  # the date claimed by most (official) sources
    assert event.distance_km == 1000.0  # JCS first among official military sources
    assert event.disputed_fields == ("distance_km",)
    assert event.outcome == "success"
    assert (event.support.num_articles, event.support.num_sources) == (3, 3)
    assert set(result.assignments.values()) == {event.event_id}


def test_median_when_no_military_source_gives_the_number() -> None:
    claims = [
        replace(BASE, article_id=a, apogee_km=km)
        for a, km in (("a", 50.0), ("b", 60.0), ("c", 70.0))
    ]
    [event] = missile_events(consolidate_events(claims, metas("a", "b", "c")))
    assert event.apogee_km == 60.0 and "apogee_km" in event.disputed_fields


def test_different_designations_or_dates_stay_apart() -> None:
    a = replace(BASE, article_id="a", designation="Hwasong-18")
    b = replace(BASE, article_id="b", designation="Hwasong-19")
    c = replace(BASE, article_id="c", event_date=date(2024, 10, 27))
    d = replace(BASE, article_id="d", missile_class="cruise")
    assert len(missile_events(consolidate_events([a, b, c, d], metas("a", "b", "c", "d")))) == 4


def test_one_article_never_makes_one_event_of_two_mentions() -> None:
    first = replace(BASE, char_start=0, missile_class="SRBM")
    second = replace(
        BASE, char_start=100, char_end=120, missile_class="SRBM", event_date=date(2024, 10, 30)
    )
    assert len(missile_events(consolidate_events([first, second], metas("a")))) == 2


def test_undated_mention_joins_the_only_event_in_its_window() -> None:
    dated = replace(BASE, article_id="a")
    undated = replace(
        BASE, article_id="b", event_date=None, date_precision="unknown", missile_class="unknown"
    )
    result = consolidate_events([dated, undated], metas("a", "b"))
    [event] = missile_events(result)
    assert result.assignments[undated.mention_id] == event.event_id
    assert event.support.num_articles == 2


def test_undated_mention_stays_unattached_when_ambiguous_or_alone() -> None:
    icbm = replace(BASE, article_id="a")
    srbm = replace(BASE, article_id="b", missile_class="SRBM")
    undated = replace(
        BASE, article_id="c", event_date=None, date_precision="unknown", missile_class="unknown"
    )
    result = consolidate_events([icbm, srbm, undated], metas("a", "b", "c"))
    assert result.assignments[undated.mention_id] is None
    alone = consolidate_events([replace(undated, article_id="d")], metas("d"))
    assert alone.events == [] and list(alone.assignments.values()) == [None]


def test_past_reference_joins_an_event_but_never_creates_one() -> None:
    past = replace(
        BASE, article_id="b", background=True, designation="Hwasong-15",
        event_date=date(2017, 11, 1), date_precision="month",
    )  # fmt: skip
    assert missile_events(consolidate_events([past], metas("b"))) == []
    original = replace(
        BASE, article_id="a", designation="Hwasong-15", event_date=date(2017, 11, 29)
    )
    result = consolidate_events([original, past], metas("a", "b"))
    [event] = missile_events(result)
    assert (
        event.event_date == date(2017, 11, 29)
        and result.assignments[past.mention_id] == event.event_id
    )


def test_flagged_articles_weigh_little_and_mark_the_event() -> None:
    solo = consolidate_events(
        [replace(BASE, reported_by=("KCNA",))], {"a": meta("a", flags=(MACHINE_WRITTEN,))}
    )
    [weak] = missile_events(solo)
    assert weak.support.low_confidence and weak.support.flags == (MACHINE_WRITTEN,)
    assert weak.support.confidence < 0.3
    assert "flagged" in (weak.support.low_confidence_reason or "")
    news = consolidate_events([replace(BASE, reported_by=("KCNA",))], {"a": meta("a")})
    [strong] = missile_events(news)
    assert strong.support.confidence > weak.support.confidence and not strong.support.low_confidence


def test_confidence_grows_with_independent_sources_and_official_agencies() -> None:
    def confidence(n: int, agencies: tuple[str, ...] = ()) -> float:
        claims = [replace(BASE, article_id=str(i), reported_by=agencies) for i in range(n)]
        [event] = missile_events(consolidate_events(claims, metas(*[str(i) for i in range(n)])))
        return event.support.confidence

    assert confidence(1) < confidence(2) < confidence(3) < 1
    assert confidence(1) < confidence(1, ("JCS",)) < confidence(1, ("JCS", "KCNA"))
    # the same outlet twice is still one source
    same = [replace(BASE, article_id=i) for i in ("x", "y")]
    [event] = missile_events(
        consolidate_events(same, {i: meta(i, source="Same Wire") for i in ("x", "y")})
    )
    assert event.support.num_sources == 1 and event.support.num_articles == 2


def test_event_ids_are_deterministic_and_kept_through_previous_assignments() -> None:
    a = replace(BASE, article_id="a")
    first = consolidate_events([a], metas("a"))
    again = consolidate_events([a], metas("a"))
    assert [e.event_id for e in first.events] == [e.event_id for e in again.events]
    previous = {mention_anchor(a): first.events[0].event_id}
    renamed = consolidate_events(
        [a, replace(BASE, article_id="b", designation="Hwasong-19")], metas("a", "b"), previous
    )
    assert [e.event_id for e in renamed.events] == [first.events[0].event_id]


def test_diplomacy_needs_same_type_and_shared_actors() -> None:
    base = DiplomacyMention(
        article_id="a", evidence="e", char_start=0, char_end=1, reported_by=(),
        extractor_version="test", event_type="summit", actors=("PRK", "RUS"),
        persons=("Kim Jong Un", "Vladimir Putin"), location="Pyongyang", summary="Summit",
        event_date=date(2024, 6, 19), date_precision="day",
    )  # fmt: skip
    other = replace(base, article_id="b", actors=("RUS", "PRK"), location=None)
    signed = replace(base, article_id="c", event_type="agreement")
    elsewhere = replace(base, article_id="d", actors=("KOR", "USA"), persons=())
    events = consolidate_events([base, other, signed, elsewhere], metas("a", "b", "c", "d")).events
    summits = [e for e in events if isinstance(e, DiplomacyEvent) and e.event_type == "summit"]
    assert len(summits) == 2
    merged = next(e for e in summits if "RUS" in e.actors)
    assert merged.support.num_articles == 2 and merged.location == "Pyongyang"
    assert [e.event_type for e in events if isinstance(e, DiplomacyEvent)].count("agreement") == 1


def test_a_visit_and_the_talks_held_during_it_are_one_event() -> None:
    """Three outlets call one ministerial trip a visit, talks and a meeting: one event, typed by
    the strongest report (talks), with the parties all share."""
    visit = DiplomacyMention(
        article_id="a", evidence="e", char_start=0, char_end=1, reported_by=(),
        extractor_version="test", event_type="visit", actors=("KOR", "USA"),
        persons=("Antony Blinken",), location=None, summary="Visit",
        event_date=date(2024, 2, 7), date_precision="day",
    )  # fmt: skip
    talks = replace(visit, article_id="b", event_type="talks", location="Seoul")
    meeting = replace(visit, article_id="c", event_type="meeting", persons=("Cho Tae-yul",))
    other_pair = replace(visit, article_id="d", event_type="talks", actors=("JPN", "USA"))
    events = consolidate_events([visit, talks, meeting, other_pair], metas(*"abcd")).events
    trips = [e for e in events if isinstance(e, DiplomacyEvent)]
    assert len(trips) == 2
    trip = next(e for e in trips if "KOR" in e.actors)
    assert (trip.event_type, trip.location, trip.support.num_articles) == ("talks", "Seoul", 3)
    assert set(trip.persons) == {"Antony Blinken", "Cho Tae-yul"}


def test_opinion_only_support_is_flagged_opinion() -> None:
    result = consolidate_events([BASE], {"a": meta("a", flags=(OPINION,))})
    assert missile_events(result)[0].support.flags == (OPINION,)
