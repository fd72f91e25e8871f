"""A kill halfway, competing writers and readers, and the Prefect flow under its test harness."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from flows.ingest import run_ingest
from tests.conftest import PARAGRAPHS, article_html, config_for, rss, write_config
from warehouse import Warehouse, WarehouseBusy

ROOT = Path(__file__).resolve().parent.parent


def cli(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from flows.cli import main; main()", *args],
        capture_output=True, text=True, timeout=timeout, cwd=ROOT,
    )  # fmt: skip


def count(db: Path, query: str) -> int:
    with Warehouse(db, wait_s=30).reader() as con:
        row = con.execute(query).fetchone()
    assert row is not None
    return int(row[0])


@pytest.mark.slow
def test_a_run_killed_halfway_is_finished_by_the_next_with_nothing_lost_or_doubled(
    site: HTTPServer, tmp_path: Path, db_path: Path
) -> None:
    n = 24

    def slow_page(request: Request) -> Response:
        time.sleep(0.3)
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
    config = write_config(
        tmp_path / "feeds.toml",
        [("Slow", site.url_for("/f.rss"))],
        extra="per_host_concurrency = 1\nbatch_size = 3",
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", "from flows.cli import main; main()", "ingest", "--no-prefect", "--config", str(config), "--db", str(db_path)],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    stored = 0
    while time.monotonic() < deadline:
        if db_path.exists():
            try:
                stored = count(db_path, "SELECT count(*) FROM articles")
            except Exception:
                stored = 0
        if stored >= 6:
            break
        time.sleep(0.2)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert 6 <= stored < n, "the kill must land halfway"
    pending = count(db_path, "SELECT count(*) FROM feed_items WHERE status = 'pending'")
    assert pending > 0

    wh = Warehouse(db_path, wait_s=10)
    with wh.writer("test"):
        second = run_ingest(config_for(tmp_path, [("Slow", site.url_for("/f.rss"))]), wh)
    assert second.new_items == 0
    assert count(db_path, "SELECT count(*) FROM articles") == n
    assert count(db_path, "SELECT count(DISTINCT url) FROM articles") == n
    assert count(db_path, "SELECT count(*) FROM feed_items WHERE status = 'fetched'") == n
    assert count(db_path, "SELECT count(*) FROM runs WHERE status = 'killed'") == 1


HOLDER = textwrap.dedent(
    """
    import sys, time
    from warehouse import Warehouse
    wh = Warehouse(sys.argv[1])
    with wh.writer("holder"):
        with wh.transaction() as con:
            con.execute("SELECT 1")
            if sys.argv[2] == "file":
                print("ready", flush=True)
                time.sleep(30)
        print("ready", flush=True)
        time.sleep(30)
    """
)


def hold(db: Path, what: str) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(db), what], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    return proc


def test_a_second_writer_waits_then_says_who_holds_the_warehouse(db_path: Path) -> None:
    proc = hold(db_path, "lock")
    try:
        started = time.monotonic()
        with (
            pytest.raises(
                WarehouseBusy, match=rf"warehouse busy: another run \(pid {proc.pid}\) is writing"
            ),
            Warehouse(db_path, wait_s=1.0).writer("second"),
        ):
            pass
        assert time.monotonic() - started >= 1.0
        # Between writes the file is free: readers are not held up by a run that is fetching.
        assert count(db_path, "SELECT count(*) FROM schema_migrations") >= 1
    finally:
        proc.kill()
        proc.wait()


def test_a_reader_during_a_write_waits_then_exits_with_one_line(db_path: Path) -> None:
    proc = hold(db_path, "file")
    try:
        result = cli("sql", "SELECT 1", "--db", str(db_path), "--lock-wait", "1")
        assert result.returncode == 1
        assert result.stderr.strip().splitlines() == [
            f"error: warehouse busy: another run (pid {proc.pid}) is writing {db_path}"
        ]
    finally:
        proc.kill()
        proc.wait()
    ok = cli(
        "sql",
        "SELECT count(*) AS n FROM schema_migrations",
        "--db",
        str(db_path),
        "--format",
        "json",
    )
    assert ok.returncode == 0 and '"n"' in ok.stdout


def test_sql_and_feeds_do_not_import_prefect(db_path: Path) -> None:
    with Warehouse(db_path).writer("t"), Warehouse(db_path).transaction():
        pass
    probe = "import sys; from flows.cli import main; sys.argv=['koreawatch','sql','SELECT 1','--db',sys.argv[1]]\ntry:\n    main()\nexcept SystemExit:\n    pass\nassert 'prefect' not in sys.modules, 'prefect imported'"
    result = subprocess.run(
        [sys.executable, "-c", probe, str(db_path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


def test_the_prefect_flow_runs_under_the_harness_and_leaves_an_artifact(
    prefect_harness: None, site: HTTPServer, tmp_path: Path, db_path: Path
) -> None:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    from flows.pipeline import ingest_flow

    site.expect_request("/a.html").respond_with_data(
        article_html("North Korea fires long-range missile", PARAGRAPHS["icbm"]),
        content_type="text/html",
    )
    site.expect_request("/f.rss").respond_with_data(
        rss([{"title": "North Korea fires long-range missile", "link": site.url_for("/a.html")}]),
        content_type="application/rss+xml",
    )
    config = write_config(tmp_path / "feeds.toml", [("P", site.url_for("/f.rss"))])
    counts = ingest_flow(str(config), str(db_path))
    assert counts["new_articles"] == 1 and counts["feeds_ok"] == 1
    assert count(db_path, "SELECT count(*) FROM runs WHERE flow = 'ingest' AND status = 'ok'") == 1

    import asyncio

    async def artifacts() -> list[str]:
        async with get_client() as client:
            found = await client.read_artifacts(
                artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["ingest-summary"]))
            )
            return [str(a.data) for a in found]

    markdown = asyncio.run(artifacts())
    assert markdown and "| new articles | 1 |" in markdown[0]
