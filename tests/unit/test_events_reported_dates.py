"""rules-2.0: a report of a launch whose text gives no date is dated 'reported' (its Korea-time
publication day), never 'day'; a later report that states the day refines that event instead of
adding a second one. Texts written for these tests; the facts are public."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from extractors.events import MissileTestMention, extract_mentions
from extractors.events.consolidate import (
    ArticleMeta,
    Consolidation,
    MissileTestEvent,
    consolidate_events,
    mention_anchor,
)
from extractors.quality import assess_article
from extractors.records import ArticleText

KST = ZoneInfo("Asia/Seoul")

UNDATED = (
    "North Korea fired two short-range ballistic missiles from the Pyongyang area toward the "
    "East Sea, South Korea's Joint Chiefs of Staff said. They flew about 360 km."
)
DATED = (
    "North Korea fired several short-range ballistic missiles from the Pyongyang area at about "
    "7:10 a.m. on Thursday, South Korea's Joint Chiefs of Staff said on Thursday."
)
FOLLOW_UP = (
    "North Korean state media said on Friday that Kim Jong Un had watched a firing of "
    "short-range ballistic missiles on Thursday, which flew about 360 km."
)


def article(article_id: str, text: str, published: datetime, source: str = "") -> ArticleText:
    return ArticleText(
        article_id, f"https://{article_id}.example/a", source or article_id, "", text, published
    )


def run(*articles: ArticleText, previous: dict[str, str] | None = None) -> Consolidation:
    mentions = [m for a in articles for m in extract_mentions(a)]
    metas = {
        a.article_id: ArticleMeta(
            a.article_id, a.source, a.published_at, None, assess_article(a).flags
        )
        for a in articles
    }
    return consolidate_events(mentions, metas, previous)


def launches(result: Consolidation) -> list[MissileTestEvent]:
    return [e for e in result.events if isinstance(e, MissileTestEvent)]


def test_an_undated_report_is_dated_by_publication_and_never_as_a_day() -> None:
    # 23:30 UTC on 11 September is 08:30 on 12 September in Korea: the Korea day counts
    published = datetime(2024, 9, 11, 23, 30, tzinfo=ZoneInfo("UTC"))
    [mention] = [
        m for m in extract_mentions(article("a", UNDATED, published)) if m.kind == "missile_test"
    ]
    assert isinstance(mention, MissileTestMention)
    assert (mention.event_date, mention.date_precision) == (date(2024, 9, 12), "reported")
    [event] = launches(run(article("a", UNDATED, published)))
    assert (event.event_date, event.date_precision) == (date(2024, 9, 12), "reported")
    assert (event.num_missiles, event.distance_km, event.launch_site) == (2, 360.0, "Pyongyang")
    assert not event.support.low_confidence  # a reported date is a date, not a missing one


def test_a_later_day_dated_report_refines_the_reported_event() -> None:
    undated = article("a", UNDATED, datetime(2024, 9, 12, 9, 0, tzinfo=KST), "Seoul Ledger")
    first = run(undated)
    [early] = launches(first)
    assert early.date_precision == "reported"
    previous = {
        mention_anchor(m): first.assignments[m.mention_id]
        for m in extract_mentions(undated)
        if first.assignments[m.mention_id] is not None
    }
    # A report of the next day names the day: one event, now dated to it, under the same id.
    later = article("b", FOLLOW_UP, datetime(2024, 9, 13, 8, 0, tzinfo=KST), "Pacific Wire")
    [event] = launches(run(undated, later, previous=previous))
    assert (event.event_date, event.date_precision) == (date(2024, 9, 12), "day")
    assert event.event_id == early.event_id
    assert event.support.num_articles == 2
    assert event.overseen_by == "Kim Jong Un"


def test_a_dated_report_published_first_takes_in_the_undated_one() -> None:
    dated = article("a", DATED, datetime(2024, 9, 12, 11, 0, tzinfo=KST), "Seoul Ledger")
    undated = article("b", UNDATED, datetime(2024, 9, 12, 15, 0, tzinfo=KST), "Han River Times")
    [event] = launches(run(dated, undated))
    assert (event.event_date, event.date_precision, event.support.num_articles) == (
        date(2024, 9, 12),
        "day",
        2,
    )


def test_undated_reports_of_different_days_stay_apart_and_of_one_day_merge() -> None:
    # Analysts' one-line summaries, each published on its launch day: two launches.
    monday = article("a", UNDATED, datetime(2024, 9, 9, 12, 0, tzinfo=KST), "Ledger")
    tuesday = article("b", UNDATED, datetime(2024, 9, 10, 12, 0, tzinfo=KST), "Ledger")
    days = sorted(e.event_date for e in launches(run(monday, tuesday)) if e.event_date)
    assert days == [date(2024, 9, 9), date(2024, 9, 10)]
    # Two outlets' undated reports of one day: one launch.
    other = article("c", UNDATED, datetime(2024, 9, 9, 18, 0, tzinfo=KST), "Wire")
    [event] = launches(run(monday, other))
    assert event.support.num_sources == 2


def test_an_undated_report_never_joins_a_launch_outside_its_window() -> None:
    old = article("a", DATED, datetime(2024, 9, 5, 11, 0, tzinfo=KST))  # Thursday 5 September
    undated = article("b", UNDATED, datetime(2024, 9, 12, 9, 0, tzinfo=KST))
    dates = sorted((e.event_date, e.date_precision) for e in launches(run(old, undated)))
    assert dates == [(date(2024, 9, 5), "day"), (date(2024, 9, 12), "reported")]


def test_an_undated_remark_that_tells_no_launch_apart_makes_no_event() -> None:
    remark = article(
        "a",
        "North Korea's latest missile test is a reminder that its weapons work goes on.",
        datetime(2024, 11, 7, 9, 0, tzinfo=KST),
    )
    mentions = [m for m in extract_mentions(remark) if m.kind == "missile_test"]
    assert all(m.event_date is None and m.date_precision == "unknown" for m in mentions)
    assert launches(run(remark)) == []


def test_a_report_day_alone_dates_the_launch_as_reported() -> None:
    text = "North Korea said on Monday that it had test-fired a new cruise missile."
    [m] = [
        m
        for m in extract_mentions(article("a", text, datetime(2024, 1, 30, 9, 0, tzinfo=KST)))
        if m.kind == "missile_test"
    ]
    assert (m.event_date, m.date_precision, m.missile_class) == (
        date(2024, 1, 29),
        "reported",
        "cruise",
    )


def test_an_undated_report_whose_facts_rule_out_the_day_before_is_its_own_launch() -> None:
    # rules-2.1: in a dense week (28 and 29 September 2022) the launch reported on the 29th is
    # not the one of the 28th when its distance and site say otherwise
    dated = article(
        "a",
        "North Korea fired two short-range ballistic missiles from the Sunan area on September "
        "28, 2022, South Korea's Joint Chiefs of Staff said. They flew about 360 km.",
        datetime(2022, 9, 28, 12, tzinfo=KST),
    )
    undated = article(
        "b",
        "North Korea fired two missiles from near Sunchon, South Korea's Joint Chiefs of Staff "
        "said. They flew about 350 km at an altitude of 50 km.",
        datetime(2022, 9, 29, 22, tzinfo=KST),
    )
    found = launches(run(dated, undated))
    assert sorted((e.event_date, e.date_precision, e.launch_site) for e in found) == [
        (date(2022, 9, 28), "day", "Sunan"),
        (date(2022, 9, 29), "reported", "Sunchon"),
    ]


def test_an_undated_report_that_agrees_still_refines_the_day_before() -> None:
    dated = article(
        "a",
        "North Korea fired two short-range ballistic missiles from the Sunan area on September "
        "28, 2022, South Korea's Joint Chiefs of Staff said. They flew about 360 km.",
        datetime(2022, 9, 28, 12, tzinfo=KST),
    )
    undated = article(
        "b",
        "North Korea fired two short-range ballistic missiles from the Sunan area, Japan's "
        "Defense Ministry said. They flew about 350 km.",
        datetime(2022, 9, 29, 8, tzinfo=KST),
    )
    [event] = launches(run(dated, undated))
    assert (event.event_date, event.date_precision, event.support.num_articles) == (
        date(2022, 9, 28),
        "day",
        2,
    )
