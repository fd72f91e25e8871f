"""Runs killed from outside, as a user or a supervisor kills them: the next run finishes the
work with nothing lost or doubled, and the extraction workers end with the run."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from flows.pipeline.ingest import run_ingest
from flows.runs import writing
from tests.support.cli import ROOT, console_script, invoke
from tests.support.pages import (
    DAYS,
    PARAGRAPHS,
    PER_DAY,
    article_html,
    config_for,
    rss,
    serve_news_site,
    write_config,
)
from tests.support.processes import command_line, descendants, extraction_workers, left_alive
from tests.support.warehouse import rows, scalar
from warehouse import Warehouse

pytestmark = pytest.mark.slow


def serve_slow_feed(site: HTTPServer, n: int, delay_s: float) -> str:
    def slow_page(request: Request) -> Response:
        time.sleep(delay_s)
        i = request.path.rsplit("/", 1)[-1].split(".")[0]
        paragraphs = [f"Report number {i}: " + p for p in PARAGRAPHS["icbm"]]
        return Response(
            article_html(f"North Korea report {i}", paragraphs, site_name=f"Outlet {i}"),
            content_type="text/html",
        )

    for i in range(n):
        site.expect_request(f"/p/{i}.html").respond_with_handler(slow_page)
    site.expect_request("/f.rss").respond_with_data(
        rss(
            [
                {"title": f"North Korea report {i}", "link": site.url_for(f"/p/{i}.html")}
                for i in range(n)
            ]
        ),
        content_type="application/rss+xml",
    )
    return site.url_for("/f.rss")


def stored(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        return scalar(db, "SELECT count(*) FROM articles")
    except Exception:  # the run holds the file for a moment
        return 0


def test_a_run_killed_halfway_is_finished_by_the_next_with_nothing_lost_or_doubled(
    site: HTTPServer, tmp_path: Path, db_path: Path
) -> None:
    n = 24
    feed = serve_slow_feed(site, n, 0.3)
    config = write_config(
        tmp_path / "feeds.toml", [("Slow", feed)], extra="per_host_concurrency = 1\nbatch_size = 3"
    )
    proc = subprocess.Popen(
        [*console_script(), "ingest", "--no-prefect", "--config", str(config), "--db", str(db_path)],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and stored(db_path) < 6:
        time.sleep(0.2)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    halfway = stored(db_path)
    assert 6 <= halfway < n, "the kill must land halfway"
    assert scalar(db_path, "SELECT count(*) FROM feed_items WHERE status = 'pending'") > 0

    wh = Warehouse(db_path, wait_s=10)
    with writing(wh, "test"):
        second = run_ingest(config_for(tmp_path, [("Slow", feed)]), wh)
    assert second.new_items == 0
    assert scalar(db_path, "SELECT count(*) FROM articles") == n
    assert scalar(db_path, "SELECT count(DISTINCT url) FROM articles") == n
    assert scalar(db_path, "SELECT count(*) FROM feed_items WHERE status = 'fetched'") == n
    assert scalar(db_path, "SELECT count(*) FROM runs WHERE status = 'killed'") == 1


def _start_extracting(
    site: HTTPServer, tmp_path: Path, db_path: Path, *args: str, delay_s: float = 0.2
) -> tuple[subprocess.Popen[str], list[int]]:
    """``koreawatch ingest ARGS`` on 60 slow pages, once its extraction workers run; the
    process and every process below it at that moment."""
    if (os.cpu_count() or 1) < 2:
        pytest.skip("one core: the ingest extracts in its own process, with no workers")
    feed = serve_slow_feed(site, 80, delay_s)  # over 40 pages: the run starts its workers
    # A generous timeout: on a busy machine a 3 s one can fail the feed, and the run with it.
    config = write_config(tmp_path / "feeds.toml", [("Slow", feed)], extra="timeout_s = 30")
    proc = subprocess.Popen(
        [*console_script(), "ingest", *args, "--config", str(config), "--db", str(db_path)],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    below: list[int] = []
    while time.monotonic() < deadline and not extraction_workers(below):
        if proc.poll() is not None:
            raise AssertionError(f"the run ended (exit {proc.returncode}): {proc.communicate()[1]}")
        below = descendants(proc.pid)
        time.sleep(0.2)
    # One is enough: the pool starts another only when every one it has is busy.
    assert extraction_workers(below), "the run never started its extraction workers"
    return proc, below


def _gone(pids: list[int], within_s: float = 15) -> list[str]:
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline and left_alive(pids):
        time.sleep(0.2)
    return left_alive(pids)


def test_sigterm_ends_the_extraction_workers_with_the_run(
    site: HTTPServer, tmp_path: Path, db_path: Path
) -> None:
    proc, below = _start_extracting(site, tmp_path, db_path, "--no-prefect")
    assert any("resource_tracker" in command_line(p) for p in below)
    below = sorted(set(below) | set(descendants(proc.pid)))  # all of them, just before the signal
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=30) != 0
    assert _gone(below) == []  # no worker, no resource tracker, nothing under PID 1
    assert scalar(db_path, "SELECT count(*) FROM runs WHERE status = 'failed'") == 1


def test_a_worker_killed_with_sigkill_fails_the_run_within_seconds(
    site: HTTPServer, tmp_path: Path, db_path: Path
) -> None:
    proc, below = _start_extracting(site, tmp_path, db_path, "--no-prefect", delay_s=0.5)
    os.kill(extraction_workers(below)[0], signal.SIGKILL)
    killed = time.monotonic()
    _, stderr = proc.communicate(timeout=60)
    assert time.monotonic() - killed < 10
    assert proc.returncode == 2  # not the user's doing
    [line] = stderr.strip().splitlines()[-1:]
    assert line.startswith("error: ExtractionWorkersDied: the extraction workers died")
    assert _gone(below) == []
    assert rows(db_path, "SELECT status FROM runs") == [("failed",)]
    with Warehouse(db_path, wait_s=0).writer("test"):  # the writer lock is free
        pass
    # The pages not stored stay pending for the next run; none is marked failed.
    assert scalar(db_path, "SELECT count(*) FROM feed_items WHERE status = 'failed'") == 0


def test_a_backfill_killed_halfway_goes_on_where_it_stopped_with_nothing_doubled(
    site: HTTPServer, tmp_path: Path, db_path: Path
) -> None:
    sitemap = serve_news_site(site, delay_s=0.4)
    config = write_config(tmp_path / "feeds.toml", [], extra="per_host_concurrency = 1")
    args = ["backfill", "--mode", "sitemap", "--sitemap", sitemap, "--since", "2024-05-01",
            "--until", "2024-05-06", "--config", str(config), "--db", str(db_path), "--no-prefect"]  # fmt: skip
    proc = subprocess.Popen(
        [*console_script(), *args], cwd=ROOT,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    done = 0
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            done = scalar(db_path, "SELECT count(*) FROM backfill_chunks")
        except Exception:  # not created yet, or the writer has the file open
            done = 0
        if done >= 2:
            break
        time.sleep(0.1)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert 2 <= done < len(DAYS), "the kill must land halfway"
    stored = scalar(db_path, "SELECT count(*) FROM articles")
    assert stored < len(DAYS) * PER_DAY

    requests_before = len(site.log)
    result = invoke(*args)
    assert result.exit_code == 0, result.stderr
    n = len(DAYS) * PER_DAY
    assert scalar(db_path, "SELECT count(*) FROM articles") == n
    assert scalar(db_path, "SELECT count(DISTINCT url) FROM articles") == n
    assert scalar(db_path, "SELECT count(*) FROM feed_items") == scalar(
        db_path, "SELECT count(DISTINCT (feed_id, item_key)) FROM feed_items"
    )
    assert rows(db_path, "SELECT chunk FROM backfill_chunks ORDER BY chunk") == [
        (d.isoformat(),) for d in DAYS
    ]
    # The resumed run fetched only what the killed one had not stored.
    pages = [r for r, _ in site.log[requests_before:] if r.path.startswith("/news/r-")]
    assert len(pages) == n - stored
    assert rows(db_path, "SELECT status FROM runs ORDER BY started_at") == [("killed",), ("ok",)]


@pytest.mark.parametrize("how", ["SIGTERM", "Ctrl-C"])
def test_stopping_serve_while_pages_are_extracted_leaves_no_process_behind(
    site: HTTPServer, tmp_path: Path, db_path: Path, how: str
) -> None:
    if (os.cpu_count() or 1) < 2:
        pytest.skip("one core: the ingest extracts in its own process, with no workers")
    feed = serve_slow_feed(site, 60, 0.5)
    config = write_config(tmp_path / "feeds.toml", [("Slow", feed)], extra="timeout_s = 30")
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / "prefect-home")}
    env.pop("PREFECT_API_URL", None)
    log = tmp_path / "serve.log"
    # A session of its own, as a terminal gives a command: Ctrl-C reaches its whole group.
    proc = subprocess.Popen(
        [*console_script(), "serve", "--only", "ingest", "--every", "10", "--port", "0",
         "--config", str(config), "--db", str(db_path)],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log.open("w"), text=True,
        start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 180
    below: list[int] = []
    while time.monotonic() < deadline and not extraction_workers(below):
        assert proc.poll() is None, log.read_text()
        below = descendants(proc.pid)
        time.sleep(0.2)
    assert extraction_workers(below), "the served run never started its workers"
    below = sorted(set(below) | set(descendants(proc.pid)))  # all of them, just before the signal
    if how == "SIGTERM":
        proc.send_signal(signal.SIGTERM)
    else:
        os.killpg(proc.pid, signal.SIGINT)
    assert proc.wait(timeout=90) == 0, log.read_text()
    assert _gone(below) == []  # server, flow run, workers, resource tracker: all gone
    said = log.read_text()
    assert said.rstrip().endswith("stopped"), said
    if how == "SIGTERM":  # Ctrl-C reaches the flow runs too, and Prefect logs their crash
        assert "Traceback" not in said
