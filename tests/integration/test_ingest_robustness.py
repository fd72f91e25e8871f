"""Competing writers and readers, and the ingest flow under Prefect's test harness."""

from __future__ import annotations

import asyncio
import re
import time
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from tests.support.cli import invoke, invoke_json
from tests.support.pages import PARAGRAPHS, article_html, rss, write_config
from tests.support.warehouse import held_by, hold_writer_lock, scalar
from warehouse import Warehouse, WarehouseBusy


def test_a_second_writer_waits_then_says_who_holds_the_warehouse(db_path: Path) -> None:
    proc = hold_writer_lock(db_path)
    try:
        started = time.monotonic()
        with (
            pytest.raises(WarehouseBusy, match=rf"warehouse busy: {held_by(proc.pid)} is writing"),
            Warehouse(db_path, wait_s=1.0).writer("second"),
        ):
            pass
        assert time.monotonic() - started >= 1.0
        # Between writes the file is free: readers are not held up by a run that is fetching.
        assert scalar(db_path, "SELECT count(*) FROM schema_migrations") >= 1
    finally:
        proc.kill()
        proc.wait()


def test_a_reader_during_a_write_waits_then_exits_with_one_line(db_path: Path) -> None:
    proc = hold_writer_lock(db_path, file_open=True)
    try:
        result = invoke("sql", "SELECT 1", "--db", str(db_path), "--lock-wait", "1")
        assert result.exit_code == 1
        [line] = result.stderr.strip().splitlines()
        assert re.fullmatch(
            rf"error: warehouse busy: {held_by(proc.pid)} is writing {db_path}", line
        )
    finally:
        proc.kill()
        proc.wait()
    rows = invoke_json("sql", "SELECT count(*) AS n FROM schema_migrations", "--db", str(db_path))
    assert rows[0]["n"] >= 1


def test_the_prefect_flow_runs_under_the_harness_and_leaves_an_artifact(
    prefect_harness: None, site: HTTPServer, tmp_path: Path, db_path: Path
) -> None:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    from flows.definitions import ingest_flow

    site.expect_request("/a.html").respond_with_data(
        article_html("North Korea fires long-range missile", PARAGRAPHS["icbm"]),
        content_type="text/html",
    )
    site.expect_request("/f.rss").respond_with_data(
        rss([{"title": "North Korea fires long-range missile", "link": site.url_for("/a.html")}]),
        content_type="application/rss+xml",
    )
    config = write_config(tmp_path / "feeds.toml", [("P", site.url_for("/f.rss"))])
    counts = asyncio.run(ingest_flow(config_path=str(config), db_path=str(db_path)))
    assert counts["new_articles"] == 1
    assert counts["feeds_ok"] == 1
    assert scalar(db_path, "SELECT count(*) FROM runs WHERE flow = 'ingest' AND status = 'ok'") == 1

    async def artifacts() -> list[str]:
        async with get_client() as client:
            found = await client.read_artifacts(
                artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["ingest-summary"]))
            )
            return [str(a.data) for a in found]

    markdown = asyncio.run(artifacts())
    assert markdown
    assert "| new articles | 1 |" in markdown[0]
