"""Real Prefect servers: ``koreawatch serve`` with a schedule that fires and runs, and flow runs
stopped when serve stops (the server-and-worker route: test_worker_route.py)."""

from __future__ import annotations

import json
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from flows.route import SERVE_STATE, api_healthy
from flows.serve import child_pids
from tests.support.cli import ROOT, console_script
from tests.support.pages import PARAGRAPHS, article_html, rss, write_config
from tests.support.prefect_api import run_logs, wait_for_run
from tests.support.warehouse import rows, scalar


def _lines(stream: Any, sink: queue.Queue[str]) -> None:
    for line in iter(stream.readline, ""):
        sink.put(line.rstrip("\n"))


@pytest.mark.slow
def test_koreawatch_serve_starts_a_server_and_a_schedule_fires_and_runs_ingest(
    site: HTTPServer, tmp_path: Path, db_path: Path
) -> None:
    site.expect_request("/a.html").respond_with_data(
        article_html("North Korea fires long-range missile", PARAGRAPHS["icbm"]),
        content_type="text/html",
    )
    feed = rss([{"title": "North Korea fires long-range missile", "link": site.url_for("/a.html")}])
    polls = 0
    stuck = threading.Event()  # a later run is in progress, held in its feed poll
    release = threading.Event()

    def feed_handler(request: Request) -> Response:
        nonlocal polls
        polls += 1
        if polls > 1:  # every run after the first hangs until the test ends
            stuck.set()
            release.wait(60)
        return Response(feed, content_type="application/rss+xml")

    site.expect_request("/f.rss").respond_with_handler(feed_handler)
    config = write_config(
        tmp_path / "feeds.toml", [("Scheduled", site.url_for("/f.rss"))], extra="timeout_s = 90"
    )
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / "prefect-home")}
    env.pop("PREFECT_API_URL", None)
    proc = subprocess.Popen(
        [*console_script(), "serve", "--only", "ingest", "--every", "10", "--port", "0",
         "--config", str(config), "--db", str(db_path)],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    said: queue.Queue[str] = queue.Queue()
    threading.Thread(target=_lines, args=(proc.stderr, said), daemon=True).start()
    api = ""
    runs_in_progress: list[int] = []
    try:
        deadline = time.monotonic() + 150
        while not api and time.monotonic() < deadline and proc.poll() is None:
            try:
                line = said.get(timeout=1)
            except queue.Empty:
                continue
            found = re.search(r"Prefect server ready: UI at (http://127\.0\.0\.1:\d+)", line)
            if found:
                api = found.group(1) + "/api"
        assert api, f"serve did not start its server (exit {proc.poll()})"

        run = wait_for_run(api, "ingest", 120)
        assert run["state"]["type"] == "COMPLETED", run_logs(api, run)
        assert run["auto_scheduled"] is True  # created by the schedule, not by hand
        # One-off commands find it by the state file it leaves while it runs.
        state = json.loads((tmp_path / "prefect-home" / SERVE_STATE).read_text())
        assert (state["api_url"], state["pid"]) == (api, proc.pid)
        deployment = httpx.get(f"{api}/deployments/name/ingest/ingest", timeout=10).json()
        assert deployment["schedules"][0]["schedule"]["interval"] == 10.0
        limit = httpx.get(f"{api}/v2/concurrency_limits/koreawatch-warehouse", timeout=10).json()
        assert limit["limit"] == 1
        assert scalar(db_path, "SELECT count(*) FROM articles") == 1
        assert ("ingest", "ok") in rows(db_path, "SELECT flow, status FROM runs")

        # Stop while a later run is in progress: nothing may outlive `serve`.
        assert stuck.wait(60), "no second scheduled run started"
        server_pid = {
            p for p in child_pids(proc.pid) if b"server" in Path(f"/proc/{p}/cmdline").read_bytes()
        }
        runs_in_progress = [p for p in child_pids(proc.pid) if p not in server_pid]
        assert runs_in_progress
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            code = proc.wait(timeout=90)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise
        finally:
            release.set()
    assert code == 0
    assert api
    assert not api_healthy(api)  # the server it started is gone too
    assert not (tmp_path / "prefect-home" / SERVE_STATE).exists()
    assert not [p for p in runs_in_progress if Path(f"/proc/{p}").exists()]
    lines: list[str] = []
    while not said.empty():
        lines.append(said.get())
    assert "stopped" in lines, lines
    assert not any("Traceback" in line for line in lines), lines


STOPPER = """
import signal, subprocess, sys, time
from flows.serve import stop_flow_runs
from warehouse.runs import pid_alive
keep = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
quits = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
stubborn = subprocess.Popen([sys.executable, "-c",
    "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); print('ready', flush=True); time.sleep(60)"],
    stdout=subprocess.PIPE, text=True)
stubborn.stdout.readline()
started = time.monotonic()
found = stop_flow_runs({keep.pid}, grace_s=0.5, term_s=1.0)
print(sorted(found) == sorted([quits.pid, stubborn.pid]), pid_alive(keep.pid),
      pid_alive(quits.pid), pid_alive(stubborn.pid), round(time.monotonic() - started))
keep.kill()
"""


def test_flow_runs_left_behind_are_stopped_and_other_children_kept() -> None:
    result = subprocess.run(
        [sys.executable, "-c", STOPPER], capture_output=True, text=True, timeout=60, cwd=ROOT
    )
    assert result.returncode == 0, result.stderr
    found, keep_alive, quits_alive, stubborn_alive, seconds = result.stdout.split()
    assert (found, keep_alive, quits_alive, stubborn_alive) == ("True", "True", "False", "False")
    assert 1 <= int(seconds) <= 5  # grace, then a SIGTERM that one ignores, then SIGKILL
