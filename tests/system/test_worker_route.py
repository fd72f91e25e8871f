"""The server-and-worker route as docs/scheduled-runs.md tells a user to run it: `prefect server
start`, a process work pool, `prefect deploy` of deploy/prefect.yaml, `prefect worker start`,
then deployment runs on a 72-page corpus. And what a dead extraction pool does to a flow run on a
real server: the run fails within seconds, gives back the writer lock and the Prefect slot, and
the next run finishes the work."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from pytest_httpserver import HTTPServer

from tests.support.cli import ROOT, console_script
from tests.support.corpus import LAUNCHES, OUTLETS, serve_launch_corpus
from tests.support.pages import write_config
from tests.support.prefect_api import (
    created_run_id,
    flow_run,
    pause_deployment,
    run_logs,
    wait_for_run_id,
)
from tests.support.warehouse import rows, scalar
from warehouse import Warehouse

pytestmark = pytest.mark.slow

PAGES = len(LAUNCHES) * len(OUTLETS)


def _prefect(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "prefect", *args],
        capture_output=True, text=True, timeout=180, cwd=ROOT, env=env,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def _next_runs(env: dict[str, str], db: Path) -> dict[str, str]:
    """``koreawatch status``'s next-run lines, by deployment; waits for the server's scheduler."""
    deadline = time.monotonic() + 90
    shown: dict[str, str] = {}
    while time.monotonic() < deadline:
        result = subprocess.run(
            [*console_script(), "status", "--db", str(db)],
            capture_output=True, text=True, timeout=60, cwd=ROOT, env=env,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        shown = {}
        for line in result.stdout.splitlines():
            if line.startswith("next "):
                name, _, when = line.removeprefix("next ").partition(": ")
                shown[name] = when.rsplit(" (", 1)[0].split(", in ")[0]
        scheduled = ("ingest/ingest", "digest/digest")  # the server's scheduler takes a moment
        if all(shown.get(name, "not scheduled") != "not scheduled" for name in scheduled):
            break
        time.sleep(3)
    return shown


def _slot(api: str) -> dict[str, Any]:
    response = httpx.get(f"{api}/v2/concurrency_limits/koreawatch-warehouse", timeout=10)
    response.raise_for_status()
    limit: dict[str, Any] = response.json()
    return limit


def test_the_documented_server_and_worker_route_ingests_a_corpus_end_to_end(
    prefect_server: tuple[str, dict[str, str]], site: HTTPServer, tmp_path: Path, demo_db: Path
) -> None:
    api, env = prefect_server
    started = time.monotonic()
    _prefect(env, "work-pool", "create", "koreawatch", "--type", "process")
    _prefect(env, "--no-prompt", "deploy", "--prefect-file", "deploy/prefect.yaml", "--all")
    deployments = {
        d["name"]: d for d in httpx.post(f"{api}/deployments/filter", json={}, timeout=10).json()
    }
    assert set(deployments) == {"ingest", "digest", "extract", "backfill"}
    assert deployments["digest"]["schedules"][0]["schedule"] == {
        "cron": "0 7 * * *", "timezone": "Asia/Seoul", "day_or": True
    }  # fmt: skip
    assert deployments["ingest"]["schedules"][0]["schedule"]["cron"] == "*/15 * * * *"
    assert {d["work_pool_name"] for d in deployments.values()} == {"koreawatch"}
    assert deployments["ingest"]["pull_steps"] == [
        {"prefect.deployments.steps.set_working_directory": {"directory": str(ROOT)}}
    ]

    # `koreawatch status` finds the server (PREFECT_API_URL) and shows each next scheduled run.
    shown = _next_runs(env, demo_db)
    assert shown["ingest/ingest"] != "not scheduled"
    assert shown["digest/digest"].endswith(" UTC")
    assert shown["extract/extract"] == "not scheduled"
    for name in ("ingest", "digest"):  # no scheduled run may reach the real feeds or data/
        pause_deployment(api, deployments[name]["id"])
    config = write_config(tmp_path / "feeds.toml", serve_launch_corpus(site))
    db = tmp_path / "wh" / "koreawatch.duckdb"
    # The worker runs in a directory of its own, as a service would: the deployment's pull step
    # takes each run to the checkout.
    worker = subprocess.Popen(
        [sys.executable, "-m", "prefect", "worker", "start", "--pool", "koreawatch"],
        cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    try:
        # The session's server holds finished ingest runs of earlier tests: wait on this one.
        out = _prefect(env, "deployment", "run", "ingest/ingest",
                       "-p", f"config_path={config}", "-p", f"db_path={db}")  # fmt: skip
        run = wait_for_run_id(api, created_run_id(out), 240)
        assert run["state"]["type"] == "COMPLETED", run_logs(api, run)
        ingest_s = run["total_run_time"]

        out = _prefect(env, "deployment", "run", "extract/extract", "-p", f"db_path={demo_db}",
                       "-p", "since=2024-06-19", "-p", "until=2024-06-19")  # fmt: skip
        run = wait_for_run_id(api, created_run_id(out), 120)
        assert run["state"]["type"] == "COMPLETED", run_logs(api, run)
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()
    assert worker.returncode is not None
    assert scalar(db, "SELECT count(*) FROM articles") == PAGES
    assert scalar(db, "SELECT count(*) FROM feed_items WHERE status = 'fetched'") == PAGES
    assert scalar(db, "SELECT count(*) FROM missile_tests") == len(LAUNCHES)
    assert scalar(db, "SELECT min(num_articles) FROM missile_tests") == len(OUTLETS)
    assert rows(db, "SELECT flow, status FROM runs") == [("ingest", "ok")]
    assert _slot(api)["active_slots"] == 0
    assert scalar(demo_db, "SELECT count(*) FROM missile_tests") > 0
    print(f"server+worker route: ingest of {PAGES} pages {ingest_s:.1f} s in the flow run,"
          f" {time.monotonic() - started:.0f} s in all")  # fmt: skip


# A flow run whose extraction workers cannot start: a folder first on sys.path shadows the
# standard library's `http` in every spawned worker, as flows/http.py once did on the worker
# route. This process imported what it needs before the folder went first.
DEAD_WORKERS = textwrap.dedent(
    """
    import asyncio, sys
    import extractors.articles, flows.pipeline.extract
    from flows.definitions import ingest_flow
    sys.path.insert(0 if sys.argv[4] == "first" else len(sys.path), sys.argv[1])
    asyncio.run(ingest_flow(config_path=sys.argv[2], db_path=sys.argv[3], lock_wait_s=5))
    """
)


def test_a_flow_run_whose_workers_die_fails_at_once_and_gives_back_lock_and_slot(
    prefect_server: tuple[str, dict[str, str]], site: HTTPServer, tmp_path: Path
) -> None:
    if (os.cpu_count() or 1) < 2:
        pytest.skip("one core: the ingest extracts in its own process, with no workers")
    api, env = prefect_server
    shadow = tmp_path / "shadow"
    shadow.mkdir()
    (shadow / "http.py").write_text("# not the standard library's http\n")
    config = write_config(tmp_path / "feeds.toml", serve_launch_corpus(site))
    db = tmp_path / "wh" / "koreawatch.duckdb"

    failed = subprocess.run(
        [sys.executable, "-c", DEAD_WORKERS, str(shadow), str(config), str(db), "first"],
        capture_output=True, text=True, timeout=300, cwd=ROOT, env=env,
    )  # fmt: skip
    assert failed.returncode != 0
    assert "No module named 'http.client'" in failed.stderr  # the workers' own traceback
    run = flow_run(api, "ingest")
    assert run["state"]["type"] == "FAILED", run_logs(api, run)
    assert "extraction workers died" in run["state"]["message"]
    assert run["total_run_time"] < 30  # seconds, not forever
    print(f"dead workers: the flow run failed after {run['total_run_time']:.1f} s")
    assert _slot(api)["active_slots"] == 0
    with Warehouse(db, wait_s=0).writer("test"):  # the writer lock is free
        pass
    [(status, errors)] = rows(db, "SELECT status, errors FROM runs")
    assert status == "failed"
    assert isinstance(errors, list)
    assert "ExtractionWorkersDied" in errors[-1]
    # Nothing was lost: every page is still pending, and the next run stores them all.
    assert scalar(db, "SELECT count(*) FROM feed_items WHERE status = 'pending'") == PAGES
    again = subprocess.run(
        [sys.executable, "-c", DEAD_WORKERS, str(shadow), str(config), str(db), "last"],
        capture_output=True, text=True, timeout=300, cwd=ROOT, env=env,
    )  # fmt: skip
    assert again.returncode == 0, again.stderr
    assert scalar(db, "SELECT count(*) FROM articles") == PAGES
    assert rows(db, "SELECT status FROM runs ORDER BY started_at") == [("failed",), ("ok",)]
