"""``koreawatch status``: last runs, feed health, articles and events this week, backfills."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.test_ops_support import ROOT, copy_demo
from warehouse import Warehouse
from warehouse.status import status_report

# The day after the 2024 US election: the demo corpus has launches on 31 October and 5 November.
AFTER_ELECTION = datetime(2024, 11, 6, 3, 0, tzinfo=UTC)


@pytest.fixture
def demo_db(tmp_path_factory: pytest.TempPathFactory, tmp_path: Path) -> Path:
    return copy_demo(tmp_path_factory, tmp_path / "w" / "koreawatch.duckdb")


def test_status_report_counts_this_week_runs_and_feeds(demo_db: Path) -> None:
    with Warehouse(demo_db).reader() as con:
        report = status_report(con, demo_db, now=AFTER_ELECTION)
    assert str(report.week_start) == "2024-10-31"
    assert report.last_runs["ingest"].status == "ok"
    assert report.last_runs["ingest"].counts["new_articles"] > 0
    assert report.feed_health == {"ok": 5} and report.failing_feeds == []
    assert report.articles_total >= report.articles_relevant > 0
    assert report.articles_week > 0
    assert report.events_week["missile_test"] >= 2
    assert ("missile_test", "ICBM") in {(k, w) for k, w, _ in report.events_week_by_type}
    assert report.size_bytes == demo_db.stat().st_size
    assert report.running == [] and report.failures_week == []


PROBE = """
import sys
from pathlib import Path
import typer
from flows.commands_ops import status_command
try:
    status_command(Path(sys.argv[1]), sys.argv[2])
except typer.Exit as exc:
    sys.exit(exc.exit_code)
assert "prefect" not in sys.modules, "status imported prefect"
"""


def test_status_command_prints_table_and_json_without_importing_prefect(demo_db: Path) -> None:
    def status(fmt: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-c", PROBE, str(demo_db), fmt],
            capture_output=True, text=True, timeout=60, cwd=ROOT,
        )  # fmt: skip

    table = status("table")
    assert table.returncode == 0, table.stderr
    assert "last run of each flow" in table.stdout and "feeds: 5 ok" in table.stdout
    assert "articles: " in table.stdout and "warehouse " in table.stdout
    as_json = status("json")
    assert as_json.returncode == 0, as_json.stderr
    data = json.loads(as_json.stdout)
    assert data["last_runs"]["ingest"]["status"] == "ok" and data["feed_health"] == {"ok": 5}


def test_status_of_a_missing_warehouse_is_one_line(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, str(tmp_path / "none.duckdb"), "table"],
        capture_output=True, text=True, timeout=60, cwd=ROOT,
    )  # fmt: skip
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"error: no warehouse at {tmp_path / 'none.duckdb'}: run `koreawatch demo` or"
        " `koreawatch ingest` first"
    ]


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
