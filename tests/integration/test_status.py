"""The read side of ``koreawatch status`` (the command itself: tests/cli): last runs, feed health,
articles and events this week, backfills."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from warehouse import Warehouse
from warehouse.status import status_report

# The day after the 2024 US election: the demo corpus has launches on 31 October and 5 November.
AFTER_ELECTION = datetime(2024, 11, 6, 3, 0, tzinfo=UTC)


def test_status_report_counts_this_week_runs_and_feeds(demo_db: Path) -> None:
    with Warehouse(demo_db).reader() as con:
        report = status_report(con, demo_db, now=AFTER_ELECTION)
    assert str(report.week_start) == "2024-10-31"
    assert report.last_runs["ingest"].status == "ok"
    assert report.last_runs["ingest"].counts["new_articles"] > 0
    assert report.feed_health == {"ok": 5}
    assert report.failing_feeds == []
    assert report.articles_total >= report.articles_relevant > 0
    assert report.articles_week > 0
    assert report.events_week["missile_test"] >= 2
    assert ("missile_test", "ICBM") in {(k, w) for k, w, _ in report.events_week_by_type}
    assert report.size_bytes == demo_db.stat().st_size
    assert report.running == []
    assert report.failures_week == []


def test_a_run_whose_process_died_shows_as_stale(demo_db: Path) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)  # fmt: skip
    wh = Warehouse(demo_db)
    with wh.writer("test"), wh.transaction() as con:
        con.execute(
            "INSERT INTO runs (run_id, flow, started_at, status, pid) VALUES ('r1', 'backfill', ?, 'running', ?)",
            [AFTER_ELECTION, int(dead.stdout)],
        )
    with wh.reader() as con:
        report = status_report(con, demo_db, now=AFTER_ELECTION)
    assert [(r.flow, r.status) for r in report.running] == [("backfill", "stale")]
