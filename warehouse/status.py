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

from warehouse.runs import pid_alive, unrecorded_runs

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
    last_ok_at: datetime | None = None  # None: it never answered


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
    first_ingest_at: datetime | None = None  # the warehouse's first ingest run
    killed_unrecovered: list[RunRow] = field(default_factory=list)  # no ok run of its flow since


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


def _add_unrecorded(report: StatusReport, notes: list[dict[str, Any]], since: datetime) -> None:
    """Runs that found the warehouse busy and could not write their row (or their end) yet."""
    for note in notes:
        run = RunRow(
            note["flow"], note["run_id"], note["started_at"], note["ended_at"], "failed",
            (note["ended_at"] - note["started_at"]).total_seconds(), {}, list(note["errors"]),
        )  # fmt: skip
        report.running = [r for r in report.running if r.run_id != run.run_id]
        last = report.last_runs.get(run.flow)
        if last is None or last.run_id == run.run_id or last.started_at <= run.started_at:
            report.last_runs[run.flow] = run
        if run.started_at >= since:
            report.failures_week = [r for r in report.failures_week if r.run_id != run.run_id]
            report.failures_week.insert(0, run)
    report.failures_week.sort(key=lambda r: r.started_at, reverse=True)


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
        report.killed_unrecovered = [
            _run(r)
            for r in con.execute(
                f"""
                SELECT {_RUN_COLUMNS} FROM runs k WHERE status = 'killed' AND NOT EXISTS (
                    SELECT 1 FROM runs o
                    WHERE o.flow = k.flow AND o.status = 'ok' AND o.started_at > k.started_at)
                ORDER BY started_at DESC
                """
            ).fetchall()
        ]
        first = con.execute("SELECT min(started_at) FROM runs WHERE flow = 'ingest'").fetchone()
        report.first_ingest_at = first[0] if first else None
    _add_unrecorded(report, unrecorded_runs(db_path), since)
    if "feeds" in have:
        report.feed_health = {
            status or "never polled": int(n)
            for status, n in con.execute(
                "SELECT last_status, count(*) FROM feeds WHERE in_config GROUP BY ALL ORDER BY 1"
            ).fetchall()
        }
        report.failing_feeds = [
            FailingFeed(name, status, int(fails), error, next_poll, last_ok)
            for name, status, fails, error, next_poll, last_ok in con.execute(
                """
                SELECT name, last_status, consecutive_failures, last_error, next_poll_after,
                       last_ok_at
                FROM feeds
                WHERE in_config AND last_status IN ('soft_error', 'hard_error')
                ORDER BY consecutive_failures DESC, name LIMIT 50
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


def last_ok_run(con: duckdb.DuckDBPyConnection, flow: str) -> datetime | None:
    """When the last run of ``flow`` that ended 'ok' started."""
    row = con.execute(
        "SELECT max(started_at) FROM runs WHERE flow = ? AND status = 'ok'", [flow]
    ).fetchone()
    return row[0] if row else None


def deliveries_of(con: duckdb.DuckDBPyConnection, day: date) -> dict[str, tuple[str, str | None]]:
    """Each recipient of the digest for ``day``: (status, last error)."""
    if "digest_deliveries" not in _relations(con):
        return {}
    return {
        recipient: (status, error)
        for recipient, status, error in con.execute(
            "SELECT recipient, status, last_error FROM digest_deliveries WHERE digest_date = ?",
            [day],
        ).fetchall()
    }
