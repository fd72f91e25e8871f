"""The read side of ``koreawatch status``: how the runs, the feeds and the warehouse stand.

    with wh.reader() as con:
        report = status_report(con, wh.path)
    report.last_runs["ingest"].status, report.events_week

Every query tolerates a warehouse made before a migration that added a view (the figure is then
absent, not an error).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import duckdb

from warehouse.runs import pid_alive

KOREA = ZoneInfo("Asia/Seoul")


@dataclass(frozen=True)
class RunRow:
    flow: str
    run_id: str
    started_at: datetime
    ended_at: datetime | None
    status: str  # 'running' whose process is gone on this machine shows as 'stale'
    seconds: float | None
    counts: dict[str, Any]
    errors: list[str]


@dataclass(frozen=True)
class FailingFeed:
    name: str
    status: str
    consecutive_failures: int
    last_error: str | None
    next_poll_after: datetime | None


@dataclass
class StatusReport:
    db_path: str
    size_bytes: int
    generated_at: datetime
    week_start: date  # first day of "this week": the last seven days, Korea time
    last_runs: dict[str, RunRow] = field(default_factory=dict)  # latest run of each flow
    running: list[RunRow] = field(default_factory=list)
    failures_week: list[RunRow] = field(default_factory=list)
    feed_health: dict[str, int] = field(default_factory=dict)  # last_status -> feeds
    failing_feeds: list[FailingFeed] = field(default_factory=list)
    articles_total: int = 0
    articles_relevant: int = 0
    articles_week: int = 0  # published in the last seven days
    fetched_week: int = 0  # stored in the last seven days, whenever published
    events_week: dict[str, int] = field(default_factory=dict)  # kind -> events dated this week
    events_week_by_type: list[tuple[str, str, int]] = field(default_factory=list)
    backfills: list[tuple[str, int, datetime | None]] = field(default_factory=list)


def _relations(con: duckdb.DuckDBPyConnection) -> set[str]:
    rows = con.execute(
        "SELECT view_name FROM duckdb_views() WHERE NOT internal"
        " UNION SELECT table_name FROM duckdb_tables()"
    ).fetchall()
    return {r[0] for r in rows}


def _run(row: tuple[Any, ...]) -> RunRow:
    flow, run_id, started, ended, status, counts, errors, pid = row
    if status == "running" and not pid_alive(pid):
        status = "stale"  # killed; the next run of the flow records it as 'killed'
    seconds = (ended - started).total_seconds() if ended and started else None
    try:
        parsed = json.loads(counts) if isinstance(counts, str) else dict(counts or {})
    except (ValueError, TypeError):
        parsed = {}
    return RunRow(flow, run_id, started, ended, status, seconds, parsed, list(errors or []))


_RUN_COLUMNS = "flow, run_id, started_at, ended_at, status, counts, errors, pid"


def status_report(
    con: duckdb.DuckDBPyConnection, db_path: Path, now: datetime | None = None
) -> StatusReport:
    now = now or datetime.now(UTC)
    today = now.astimezone(KOREA).date()
    week_start = today - timedelta(days=6)
    since = now - timedelta(days=7)
    report = StatusReport(
        db_path=str(db_path),
        size_bytes=db_path.stat().st_size if db_path.exists() else 0,
        generated_at=now,
        week_start=week_start,
    )
    have = _relations(con)
    if "runs" in have:
        for row in con.execute(
            f"SELECT {_RUN_COLUMNS} FROM runs"
            " QUALIFY row_number() OVER (PARTITION BY flow ORDER BY started_at DESC) = 1"
            " ORDER BY flow"
        ).fetchall():
            run = _run(row)
            report.last_runs[run.flow] = run
        report.running = [
            _run(r)
            for r in con.execute(
                f"SELECT {_RUN_COLUMNS} FROM runs WHERE status = 'running' ORDER BY started_at"
            ).fetchall()
        ]
        report.failures_week = [
            _run(r)
            for r in con.execute(
                f"SELECT {_RUN_COLUMNS} FROM runs WHERE status IN ('failed', 'killed')"
                " AND started_at >= ? ORDER BY started_at DESC LIMIT 10",
                [since],
            ).fetchall()
        ]
    if "feeds" in have:
        report.feed_health = {
            status or "never polled": int(n)
            for status, n in con.execute(
                "SELECT last_status, count(*) FROM feeds WHERE in_config GROUP BY ALL ORDER BY 1"
            ).fetchall()
        }
        report.failing_feeds = [
            FailingFeed(name, status, int(fails), error, next_poll)
            for name, status, fails, error, next_poll in con.execute(
                """
                SELECT name, last_status, consecutive_failures, last_error, next_poll_after
                FROM feeds
                WHERE in_config AND last_status IN ('soft_error', 'hard_error')
                ORDER BY consecutive_failures DESC, name LIMIT 10
                """
            ).fetchall()
        ]
    if "articles" in have:
        counted = con.execute(
            """
            SELECT count(*), count(*) FILTER (WHERE is_relevant),
                   count(*) FILTER (WHERE published_at >= ?),
                   count(*) FILTER (WHERE fetched_at >= ?)
            FROM articles
            """,
            [since, since],
        ).fetchone()
        if counted is not None:
            report.articles_total, report.articles_relevant = int(counted[0]), int(counted[1])
            report.articles_week, report.fetched_week = int(counted[2]), int(counted[3])
    parts = []
    if "missile_tests" in have:
        parts.append(
            "SELECT 'missile_test' AS kind, coalesce(missile_class, 'unknown') AS what"
            " FROM missile_tests WHERE event_date BETWEEN ? AND ?"
        )
    if "diplomacy_events" in have:
        parts.append(
            "SELECT 'diplomacy' AS kind, coalesce(event_type, 'other') AS what"
            " FROM diplomacy_events WHERE event_date BETWEEN ? AND ?"
        )
    if parts:
        rows = con.execute(
            f"SELECT kind, what, count(*) FROM ({' UNION ALL '.join(parts)})"
            " GROUP BY ALL ORDER BY kind, count(*) DESC, what",
            [week_start, today] * len(parts),
        ).fetchall()
        report.events_week_by_type = [(k, w, int(n)) for k, w, n in rows]
        for kind, _, n in report.events_week_by_type:
            report.events_week[kind] = report.events_week.get(kind, 0) + n
    if "backfill_chunks" in have:
        report.backfills = [
            (mode, int(n), last)
            for mode, n, last in con.execute(
                "SELECT mode, count(*), max(completed_at) FROM backfill_chunks"
                " GROUP BY mode ORDER BY mode"
            ).fetchall()
        ]
    return report
