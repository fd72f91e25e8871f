"""`koreawatch status --check` on real warehouse files: healthy, then each reason it is not,
with the schedules read from a deployments file."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from typer.testing import Result

from tests.support.cli import ROOT, invoke
from warehouse import Warehouse

DEPLOYMENTS = """
deployments:
  - name: ingest
    entrypoint: flows/definitions.py:ingest_flow
    schedules: [{{cron: "{ingest}", timezone: Asia/Seoul}}]
  - name: digest
    entrypoint: flows/definitions.py:digest_flow
    schedules: [{{cron: "0 7 * * *", timezone: Asia/Seoul}}]
"""


@pytest.fixture
def wh(demo_db: Path) -> Warehouse:
    """The demo warehouse with its ingest run moved to a minute ago, three days after the
    warehouse's first ingest."""
    wh = Warehouse(demo_db)
    now = datetime.now(UTC)
    with wh.writer("test"), wh.transaction() as con:
        con.execute(
            "UPDATE runs SET started_at = ?, ended_at = ?", [now - timedelta(minutes=1), now]
        )
        con.execute(
            "INSERT INTO runs (run_id, flow, started_at, ended_at, status) VALUES (?, ?, ?, ?, ?)",
            ["first", "ingest", now - timedelta(days=3), now - timedelta(days=3), "ok"],
        )
    return wh


def check(
    tmp_path: Path, db: Path, *, ingest: str = "*/15 * * * *", recipients: str = ""
) -> Result:
    prefect_file = tmp_path / "prefect.yaml"
    prefect_file.write_text(DEPLOYMENTS.format(ingest=ingest), encoding="utf-8")
    config = tmp_path / "feeds.toml"
    config.write_text(f"[digest]\nrecipients = [{recipients}]\n", encoding="utf-8")
    return invoke("status", "--check", "--db", str(db), "--config", str(config),
                  "--prefect-file", str(prefect_file))  # fmt: skip


def write(wh: Warehouse, sql: str, params: list[object]) -> None:
    with wh.writer("test"), wh.transaction() as con:
        con.execute(sql, params)


def test_a_fresh_warehouse_is_healthy(wh: Warehouse, tmp_path: Path) -> None:
    result = check(tmp_path, wh.path)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == f"healthy: {wh.path}"


def test_an_ingest_older_than_twice_its_schedule_is_unhealthy(
    wh: Warehouse, tmp_path: Path
) -> None:
    write(wh, "UPDATE runs SET started_at = started_at - INTERVAL 40 MINUTE", [])
    result = check(tmp_path, wh.path)
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        f"unhealthy: last good ingest 41 min ago; the schedule is every 15 min in"
        f" {tmp_path / 'prefect.yaml'}"
    ]
    assert check(tmp_path, wh.path, ingest="0 * * * *").exit_code == 0  # hourly: not late


def test_a_stale_run_and_a_killed_one_not_yet_recovered_are_unhealthy(
    wh: Warehouse, tmp_path: Path
) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    now = datetime.now(UTC)
    write(wh, "INSERT INTO runs (run_id, flow, started_at, status, pid) VALUES (?, ?, ?, ?, ?)",
          ["b1", "backfill", now - timedelta(minutes=5), "running", int(dead.stdout)])  # fmt: skip
    write(wh, "INSERT INTO runs (run_id, flow, started_at, status) VALUES (?, ?, ?, ?)",
          ["e1", "extract", now - timedelta(minutes=9), "killed"])  # fmt: skip
    result = check(tmp_path, wh.path)
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        "unhealthy: backfill run b1 is stale: its process is gone but it is still 'running'"
        " (started 5 min ago)",
        "unhealthy: extract run e1 was killed 9 min ago and no extract run has ended well since",
    ]
    write(wh, "UPDATE runs SET status = 'killed' WHERE run_id = 'b1'", [])
    write(wh, "INSERT INTO runs (run_id, flow, started_at, status) VALUES (?, ?, ?, ?)",
          ["b2", "backfill", now, "ok"])  # fmt: skip
    write(wh, "INSERT INTO runs (run_id, flow, started_at, status) VALUES (?, ?, ?, ?)",
          ["e2", "extract", now, "ok"])  # fmt: skip
    assert check(tmp_path, wh.path).exit_code == 0  # each finished by a later good run


def test_a_feed_failing_for_over_a_day_is_unhealthy(wh: Warehouse, tmp_path: Path) -> None:
    now = datetime.now(UTC)
    [(first,), (second,)] = _feeds(wh)[:2]
    failing = ("UPDATE feed_state SET last_status = 'hard_error', last_error = 'HTTP 404',"
               " last_ok_at = ? WHERE name = ?")  # fmt: skip
    write(wh, failing, [now - timedelta(hours=2), first])  # failing, but not for a day
    assert check(tmp_path, wh.path).exit_code == 0
    write(wh, failing, [now - timedelta(hours=30), second])
    result = check(tmp_path, wh.path)
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        f"unhealthy: feed {second!r} has failed for over 24 h (last answered 30 h ago): HTTP 404"
    ]


def _feeds(wh: Warehouse) -> list[tuple[str]]:
    with wh.reader() as con:
        return con.execute("SELECT name FROM feeds ORDER BY name").fetchall()


def test_a_digest_that_did_not_reach_every_recipient_is_unhealthy(
    wh: Warehouse, tmp_path: Path
) -> None:
    seoul = datetime.now(UTC).astimezone(ZoneInfo("Asia/Seoul")) - timedelta(hours=1)
    due = seoul.date() if seoul.hour >= 7 else seoul.date() - timedelta(days=1)
    day = due - timedelta(days=1)  # the scheduled digest is for the day before
    recipients = '"ana@example.org", "Ben@example.org"'
    result = check(tmp_path, wh.path, recipients=recipients)
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        f"unhealthy: the digest for {day} was not sent to ana@example.org (not tried),"
        " ben@example.org (not tried)"
    ]
    delivery = ("INSERT INTO digest_delivery_state (digest_date, recipient, status, last_error,"
                " updated_at) VALUES (?, ?, ?, ?, now())")  # fmt: skip
    write(wh, delivery, [day, "ana@example.org", "sent", None])
    write(wh, delivery, [day, "ben@example.org", "failed_permanent", "550 no such user"])
    result = check(tmp_path, wh.path, recipients=recipients)
    assert result.stderr.strip().splitlines() == [
        f"unhealthy: the digest for {day} was not sent to ben@example.org (failed_permanent:"
        " 550 no such user)"
    ]
    assert check(tmp_path, wh.path).exit_code == 0  # no recipients configured: nothing to send


def test_the_check_reads_as_json_and_imports_no_prefect(wh: Warehouse, tmp_path: Path) -> None:
    write(wh, "UPDATE runs SET started_at = started_at - INTERVAL 40 MINUTE", [])
    probe = (
        "import sys\nfrom flows.cli import main\n"
        "sys.argv = ['koreawatch', 'status', '--check', '--format', 'json', '--db', sys.argv[1]]\n"
        "try:\n    main()\nexcept SystemExit as exc:\n    print('exit', exc.code)\n"
        "print('prefect' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", probe, str(wh.path)], capture_output=True,
                            text=True, cwd=ROOT, timeout=60)  # fmt: skip
    *_, code, imported = result.stdout.strip().splitlines()
    assert (code, imported) == ("exit 1", "False")
    assert '"problems": [\n    "last good ingest 41 min ago' in result.stdout


def test_a_deployments_file_that_cannot_be_read_is_said_not_ignored(
    wh: Warehouse, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("deployments: [ {name: ingest\n", encoding="utf-8")
    config = tmp_path / "feeds.toml"
    config.write_text('[digest]\nrecipients = ["desk@example.org"]\n', encoding="utf-8")
    result = invoke("status", "--check", "--db", str(wh.path), "--config", str(config),
                    "--prefect-file", str(broken))  # fmt: skip
    assert result.exit_code == 1
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("unhealthy: cannot read the schedules, so they are not checked: ")
    assert str(broken) in line
    missing = invoke("status", "--check", "--db", str(wh.path), "--config", str(config),
                     "--prefect-file", str(tmp_path / "none.yaml"))  # fmt: skip
    assert missing.exit_code == 0, missing.stderr  # no file: the defaults, as documented
