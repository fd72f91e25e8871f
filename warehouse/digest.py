"""Reads for the daily digest and writes to its delivery ledger. All of the digest's SQL is here.

    with wh.reader() as con:
        data = load_digest_data(con, date(2024, 11, 5), ZoneInfo("Asia/Seoul"), now)
    with wh.transaction() as con:
        record_delivery(con, Delivery(day, "a@example.org", "sent", "<id@host>", None, now), now)

The digest's day is a calendar day in the digest's time zone. An event belongs to that day's
digest when at least one article reporting it was *reported* that day (published, or fetched
when the page gave no date); it is *new* when no article reported it before the day began, else
it is an update on an earlier event. Sources reported after the day are left out, so a digest
rebuilt later for a past day lists the sources its readers could have seen.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import duckdb

from extractors.vocabulary import DeliveryStatus, FeedStatus
from warehouse.connection import WarehouseError

# Events of these precisions have an event_date a count by month can trust ('reported': on or
# shortly before that day, a later dated report moves it to its day).
_DATED = "date_precision IN ('day', 'reported', 'month')"
# Events that can be counted on a day: told on that day, or first reported that day with no day
# stated (the digest shows those as "day not stated; reported ...").
_ON_A_DAY = "date_precision IN ('day', 'reported')"
# When an article was reported: its publication time, else when we fetched it.
_REPORTED_AT = "coalesce(a.published_at, a.fetched_at)"
# A past event mentioned in passing ("the Hwasong-15 of 2017") is no news about it: an opinion
# column must not make an old launch reappear in today's digest.
_NOT_BACKGROUND = "NOT coalesce(m.background, FALSE)"
EVENT_VIEWS = ("missile_tests", "diplomacy_events", "event_mentions")
DELIVERY_STATUSES = ("sent", "failed_transient", "failed_permanent")


# -- records ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SourceReport:
    """One article's report of an event, with the figures that article claimed."""

    article_id: str
    source: str
    title: str | None
    url: str
    reported_at: datetime
    reported_by: tuple[str, ...]
    num_missiles: int | None = None
    distance_km: float | None = None
    apogee_km: float | None = None
    is_new: bool = False  # reported on the digest's day


@dataclass(frozen=True, slots=True)
class MissileTest:
    event_id: str
    event_date: date | None
    date_precision: str
    missile_class: str
    designation: str | None
    names_reported: tuple[str, ...]
    num_missiles: int | None
    launch_site: str | None
    distance_km: float | None
    apogee_km: float | None
    landing_area: str | None
    outcome: str
    overseen_by: str | None
    reported_by: tuple[str, ...]
    num_articles: int
    num_sources: int
    first_reported_at: datetime | None
    confidence: float | None
    is_new: bool
    disputed_fields: tuple[str, ...] = ()
    low_confidence: bool = False
    reports: tuple[SourceReport, ...] = ()


@dataclass(frozen=True, slots=True)
class DiplomacyEvent:
    event_id: str
    event_date: date | None
    date_precision: str
    event_type: str
    actors: tuple[str, ...]
    persons: tuple[str, ...]
    location: str | None
    summary: str
    num_articles: int
    num_sources: int
    first_reported_at: datetime | None
    confidence: float | None
    is_new: bool
    low_confidence: bool = False
    reports: tuple[SourceReport, ...] = ()


@dataclass(frozen=True, slots=True)
class Story:
    """A story (articles sharing a story_id) reported on the day."""

    story_id: str
    title: str | None
    url: str
    source: str
    num_articles: int
    num_sources: int
    sources: tuple[str, ...]
    first_reported_at: datetime


@dataclass(frozen=True, slots=True)
class LaunchRef:
    event_date: date
    designation: str | None
    missile_class: str


@dataclass(frozen=True, slots=True)
class Headline:
    launches_on_day: int
    missiles_on_day: int | None  # None when no launch of the day gave a count
    launches_ytd: int
    launches_prior_ytd: int  # the same period of the year before
    previous_launch: LaunchRef | None  # the last launch before the day


@dataclass(frozen=True, slots=True)
class MonthClassCount:
    month: date  # first day of the month
    missile_class: str
    launches: int


@dataclass(frozen=True, slots=True)
class FeedProblem:
    name: str
    url: str
    last_status: FeedStatus | None
    last_ok_at: datetime | None
    consecutive_failures: int
    last_error: str | None


@dataclass(frozen=True, slots=True)
class RunFigures:
    """The runs of one flow that started on the digest's day."""

    flow: str
    runs: int
    ok: int
    failed: int
    new_articles: int
    events: int
    feeds_failed: int


@dataclass(frozen=True, slots=True)
class DigestData:
    day: date
    timezone: str
    window_start: datetime
    window_end: datetime
    generated_at: datetime
    headline: Headline
    missile_tests: tuple[MissileTest, ...]
    diplomacy: tuple[DiplomacyEvent, ...]
    stories: tuple[Story, ...]
    monthly: tuple[MonthClassCount, ...]
    chart_months: tuple[date, ...]  # the 24 months the chart covers, oldest first
    feed_problems: tuple[FeedProblem, ...]
    runs: tuple[RunFigures, ...]
    articles_on_day: int = 0

    @property
    def quiet(self) -> bool:
        return not self.missile_tests and not self.diplomacy


@dataclass(frozen=True, slots=True)
class Delivery:
    """One row of the delivery ledger."""

    digest_date: date
    recipient: str
    status: DeliveryStatus
    message_id: str | None
    last_error: str | None
    sent_at: datetime | None
    attempts: int = 0


# -- helpers ----------------------------------------------------------------------------------


def day_window(day: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """[start, end) of a calendar day in ``tz``, in UTC (23 or 25 h long across DST).

    UTC because Python subtracts and compares two datetimes of one zone by wall clock.
    """
    start = datetime.combine(day, time(0), tzinfo=tz)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz)
    return start.astimezone(UTC), end.astimezone(UTC)


def require_event_views(con: duckdb.DuckDBPyConnection) -> None:
    """Fail with a clear message when the warehouse predates the events views."""
    present = {
        r[0]
        for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_name IN (?, ?, ?)",
            list(EVENT_VIEWS),
        ).fetchall()
    }
    missing = [v for v in EVENT_VIEWS if v not in present]
    if missing:
        raise WarehouseError(
            f"the warehouse has no {', '.join(missing)} yet: run `koreawatch ingest` (or `koreawatch extract`) first"
        )


def _tuple(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,) if value else ()
    return tuple(str(v) for v in value if v is not None)


def _int(value: Any) -> int | None:
    return None if value is None else round(float(value))


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def _aware(value: datetime | None) -> datetime | None:
    # The connection's TimeZone is UTC (warehouse.connection), so TIMESTAMPTZ values arrive
    # aware; a plain TIMESTAMP column would not, and is read as UTC.
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


# -- the day's events -------------------------------------------------------------------------


def _day_event_ids(
    con: duckdb.DuckDBPyConnection, kind: str, start: datetime, end: datetime
) -> dict[str, bool]:
    """event_id -> is_new, for events of ``kind`` with a report on the day."""
    rows = con.execute(
        f"""
        SELECT m.event_id,
               min({_REPORTED_AT}) >= ? AS is_new
        FROM event_mentions m JOIN articles a USING (article_id)
        WHERE m.kind = ? AND m.event_id IS NOT NULL AND {_REPORTED_AT} < ? AND {_NOT_BACKGROUND}
        GROUP BY m.event_id
        HAVING max({_REPORTED_AT}) >= ?
        """,
        [start, kind, end, start],
    ).fetchall()
    return {r[0]: bool(r[1]) for r in rows}


def _reports(
    con: duckdb.DuckDBPyConnection, event_ids: Sequence[str], start: datetime, end: datetime
) -> dict[str, list[SourceReport]]:
    """Each event's reports up to the end of the day, oldest first, one per article."""
    if not event_ids:
        return {}
    rows = con.execute(
        f"""
        SELECT m.event_id, a.article_id, coalesce(a.source, a.host, '') AS source, a.title, a.url,
               {_REPORTED_AT} AS reported_at, m.reported_by, m.num_missiles, m.distance_km, m.apogee_km
        FROM event_mentions m JOIN articles a USING (article_id)
        WHERE m.event_id IN (SELECT unnest(?::VARCHAR[])) AND {_REPORTED_AT} < ?
          AND {_NOT_BACKGROUND}
        ORDER BY m.event_id, reported_at, a.article_id, m.char_start
        """,
        [list(event_ids), end],
    ).fetchall()
    out: dict[str, list[SourceReport]] = {}
    seen: set[tuple[str, str]] = set()
    for event_id, article_id, source, title, url, reported_at, by, n, dist, apo in rows:
        # The consolidation never joins two mentions of one article into one event; if an
        # older extractor version left two, the first (earliest in the text) speaks for it.
        if (event_id, article_id) in seen:
            continue
        seen.add((event_id, article_id))
        when = _aware(reported_at)
        assert when is not None
        out.setdefault(event_id, []).append(
            SourceReport(
                article_id=article_id,
                source=source,
                title=title,
                url=url,
                reported_at=when,
                reported_by=_tuple(by),
                num_missiles=_int(n),
                distance_km=_float(dist),
                apogee_km=_float(apo),
                is_new=when >= start,
            )
        )
    return out


def _missile_tests(
    con: duckdb.DuckDBPyConnection, start: datetime, end: datetime
) -> list[MissileTest]:
    ids = _day_event_ids(con, "missile_test", start, end)
    if not ids:
        return []
    rows = con.execute(
        """
        SELECT event_id, event_date, date_precision, missile_class, designation, names_reported,
               num_missiles, launch_site, distance_km, apogee_km, landing_area, outcome,
               overseen_by, reported_by, num_articles, num_sources, first_reported_at, confidence,
               disputed_fields, low_confidence
        FROM missile_tests WHERE event_id IN (SELECT unnest(?::VARCHAR[]))
        ORDER BY event_date NULLS LAST, first_reported_at, event_id
        """,
        [list(ids)],
    ).fetchall()
    reports = _reports(con, [r[0] for r in rows], start, end)
    return [
        MissileTest(
            event_id=r[0],
            event_date=r[1],
            date_precision=r[2],
            missile_class=r[3] or "unknown",
            designation=r[4],
            names_reported=_tuple(r[5]),
            num_missiles=_int(r[6]),
            launch_site=r[7],
            distance_km=_float(r[8]),
            apogee_km=_float(r[9]),
            landing_area=r[10],
            outcome=r[11] or "unknown",
            overseen_by=r[12],
            reported_by=_tuple(r[13]),
            num_articles=int(r[14] or 0),
            num_sources=int(r[15] or 0),
            first_reported_at=_aware(r[16]),
            confidence=None if r[17] is None else float(r[17]),
            is_new=ids[r[0]],
            disputed_fields=_tuple(r[18]),
            low_confidence=bool(r[19]),
            reports=tuple(reports.get(r[0], ())),
        )
        for r in rows
    ]


def _diplomacy(
    con: duckdb.DuckDBPyConnection, start: datetime, end: datetime
) -> list[DiplomacyEvent]:
    ids = _day_event_ids(con, "diplomacy", start, end)
    if not ids:
        return []
    rows = con.execute(
        """
        SELECT event_id, event_date, date_precision, event_type, actors, persons, location,
               summary, num_articles, num_sources, first_reported_at, confidence, low_confidence
        FROM diplomacy_events WHERE event_id IN (SELECT unnest(?::VARCHAR[]))
        ORDER BY event_date NULLS LAST, first_reported_at, event_id
        """,
        [list(ids)],
    ).fetchall()
    reports = _reports(con, [r[0] for r in rows], start, end)
    return [
        DiplomacyEvent(
            event_id=r[0],
            event_date=r[1],
            date_precision=r[2],
            event_type=r[3] or "other",
            actors=_tuple(r[4]),
            persons=_tuple(r[5]),
            location=r[6],
            summary=r[7] or "",
            num_articles=int(r[8] or 0),
            num_sources=int(r[9] or 0),
            first_reported_at=_aware(r[10]),
            confidence=None if r[11] is None else float(r[11]),
            is_new=ids[r[0]],
            low_confidence=bool(r[12]),
            reports=tuple(reports.get(r[0], ())),
        )
        for r in rows
    ]


# -- figures ----------------------------------------------------------------------------------


# Low-confidence events are shown in the digest with a warning but kept out of the counts, so one
# doubtful report does not move the year's tally.
_CONFIDENT = "NOT low_confidence"


def _same_day_last_year(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def _headline(con: duckdb.DuckDBPyConnection, day: date) -> Headline:
    on_day = con.execute(
        f"SELECT count(*), sum(num_missiles) FROM missile_tests"
        f" WHERE event_date = ? AND {_ON_A_DAY} AND {_CONFIDENT}",
        [day],
    ).fetchone()
    assert on_day is not None
    year_start = date(day.year, 1, 1)
    prior_end = _same_day_last_year(day)
    ytd = con.execute(
        f"""
        SELECT count(*) FILTER (WHERE event_date BETWEEN ? AND ?),
               count(*) FILTER (WHERE event_date BETWEEN ? AND ?)
        FROM missile_tests WHERE {_DATED} AND {_CONFIDENT}
        """,
        [year_start, day, year_start.replace(year=day.year - 1), prior_end],
    ).fetchone()
    assert ytd is not None
    prev = con.execute(
        f"""
        SELECT event_date, designation, missile_class FROM missile_tests
        WHERE event_date < ? AND {_ON_A_DAY} AND {_CONFIDENT}
        ORDER BY event_date DESC, num_sources DESC, event_id LIMIT 1
        """,
        [day],
    ).fetchone()
    return Headline(
        launches_on_day=int(on_day[0]),
        missiles_on_day=None if on_day[1] is None else int(on_day[1]),
        launches_ytd=int(ytd[0]),
        launches_prior_ytd=int(ytd[1]),
        previous_launch=None if prev is None else LaunchRef(prev[0], prev[1], prev[2] or "unknown"),
    )


def chart_months(day: date, months: int = 24) -> tuple[date, ...]:
    """The ``months`` calendar months ending with the day's month, oldest first."""
    index = day.year * 12 + day.month - 1
    return tuple(date(i // 12, i % 12 + 1, 1) for i in range(index - months + 1, index + 1))


def _monthly(
    con: duckdb.DuckDBPyConnection, day: date, months: tuple[date, ...]
) -> list[MonthClassCount]:
    rows = con.execute(
        f"""
        SELECT date_trunc('month', event_date)::DATE AS month, coalesce(missile_class, 'unknown'),
               count(*)
        FROM missile_tests
        WHERE {_DATED} AND {_CONFIDENT} AND event_date BETWEEN ? AND ?
        GROUP BY ALL ORDER BY 1, 2
        """,
        [months[0], day],
    ).fetchall()
    return [MonthClassCount(r[0], r[1], int(r[2])) for r in rows]


def _stories(
    con: duckdb.DuckDBPyConnection, start: datetime, end: datetime, limit: int
) -> list[Story]:
    rows = con.execute(
        f"""
        SELECT a.story_id,
               arg_min(a.title, {_REPORTED_AT}) AS title,
               arg_min(a.url, {_REPORTED_AT}) AS url,
               arg_min(coalesce(a.source, a.host, ''), {_REPORTED_AT}) AS source,
               count(*) AS n_articles,
               count(DISTINCT coalesce(a.source, a.host)) AS n_sources,
               list(DISTINCT coalesce(a.source, a.host) ORDER BY coalesce(a.source, a.host)) AS sources,
               min({_REPORTED_AT}) AS first_at
        FROM articles a
        WHERE a.is_relevant AND {_REPORTED_AT} >= ? AND {_REPORTED_AT} < ?
        GROUP BY a.story_id
        ORDER BY n_sources DESC, n_articles DESC, first_at, a.story_id
        LIMIT ?
        """,
        [start, end, limit],
    ).fetchall()
    return [
        Story(r[0], r[1], r[2], r[3], int(r[4]), int(r[5]), _tuple(r[6]), _aware(r[7]) or start)
        for r in rows
    ]


def _articles_on_day(con: duckdb.DuckDBPyConnection, start: datetime, end: datetime) -> int:
    row = con.execute(
        f"SELECT count(*) FROM articles a WHERE a.is_relevant AND {_REPORTED_AT} >= ? AND {_REPORTED_AT} < ?",
        [start, end],
    ).fetchone()
    return int(row[0]) if row else 0


def _feed_problems(con: duckdb.DuckDBPyConnection, now: datetime) -> list[FeedProblem]:
    rows = con.execute(
        """
        SELECT name, url, last_status, last_ok_at, consecutive_failures, last_error
        FROM feeds
        WHERE in_config AND consecutive_failures > 0 AND (last_ok_at IS NULL OR last_ok_at < ?)
        ORDER BY consecutive_failures DESC, name
        """,
        [now - timedelta(hours=24)],
    ).fetchall()
    return [FeedProblem(r[0], r[1], r[2], _aware(r[3]), int(r[4]), r[5]) for r in rows]


def _runs(con: duckdb.DuckDBPyConnection, start: datetime, end: datetime) -> list[RunFigures]:
    rows = con.execute(
        """
        SELECT flow, count(*),
               count(*) FILTER (WHERE status = 'ok'),
               count(*) FILTER (WHERE status IN ('failed', 'killed')),
               coalesce(sum(TRY_CAST(counts ->> 'new_articles' AS BIGINT)), 0),
               coalesce(sum(TRY_CAST(counts ->> 'events' AS BIGINT)), 0),
               coalesce(sum(TRY_CAST(counts ->> 'feeds_failed' AS BIGINT)), 0)
        FROM runs WHERE started_at >= ? AND started_at < ?
        GROUP BY flow ORDER BY flow
        """,
        [start, end],
    ).fetchall()
    return [RunFigures(r[0], *(int(v) for v in r[1:])) for r in rows]


def load_digest_data(
    con: duckdb.DuckDBPyConnection,
    day: date,
    tz: ZoneInfo,
    now: datetime,
    *,
    max_stories: int = 8,
) -> DigestData:
    """Everything one day's digest shows, read in one read-only connection."""
    require_event_views(con)
    start, end = day_window(day, tz)
    months = chart_months(day)
    return DigestData(
        day=day,
        timezone=tz.key,
        window_start=start,
        window_end=end,
        generated_at=now,
        headline=_headline(con, day),
        missile_tests=tuple(_missile_tests(con, start, end)),
        diplomacy=tuple(_diplomacy(con, start, end)),
        stories=tuple(_stories(con, start, end, max_stories)),
        monthly=tuple(_monthly(con, day, months)),
        chart_months=months,
        feed_problems=tuple(_feed_problems(con, now)),
        runs=tuple(_runs(con, start, end)),
        articles_on_day=_articles_on_day(con, start, end),
    )


def latest_event_day(con: duckdb.DuckDBPyConnection) -> date | None:
    """The latest day-precise event date in the warehouse (the demo digests that day)."""
    require_event_views(con)
    row = con.execute(
        """
        SELECT max(event_date) FROM (
            SELECT event_date FROM missile_tests WHERE date_precision = 'day'
            UNION ALL
            SELECT event_date FROM diplomacy_events WHERE date_precision = 'day')
        """
    ).fetchone()
    return None if row is None else row[0]


# -- the delivery ledger ----------------------------------------------------------------------


def deliveries(con: duckdb.DuckDBPyConnection, day: date) -> dict[str, Delivery]:
    """The ledger rows of one digest day, by recipient (lower-cased)."""
    rows = con.execute(
        "SELECT digest_date, recipient, status, message_id, last_error, sent_at, attempts"
        " FROM digest_delivery_state WHERE digest_date = ?",
        [day],
    ).fetchall()
    return {r[1]: Delivery(r[0], r[1], r[2], r[3], r[4], _aware(r[5]), int(r[6])) for r in rows}


def record_delivery(
    con: duckdb.DuckDBPyConnection, delivery: Delivery, attempts: int, now: datetime
) -> None:
    """Upsert one recipient's outcome, adding ``attempts`` to those of earlier runs."""
    if delivery.status not in DELIVERY_STATUSES:
        raise ValueError(f"unknown delivery status {delivery.status!r}")
    con.execute(
        """
        INSERT INTO digest_delivery_state
            (digest_date, recipient, status, message_id, attempts, last_error, sent_at, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (digest_date, recipient) DO UPDATE SET
            status = excluded.status,
            message_id = excluded.message_id,
            attempts = digest_delivery_state.attempts + excluded.attempts,
            last_error = excluded.last_error,
            sent_at = coalesce(excluded.sent_at, digest_delivery_state.sent_at),
            updated_at = excluded.updated_at
        """,
        [
            delivery.digest_date,
            delivery.recipient,
            delivery.status,
            delivery.message_id,
            attempts,
            delivery.last_error,
            delivery.sent_at,
            now,
        ],
    )
