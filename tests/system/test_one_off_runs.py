"""One-off commands on a real Prefect server: `koreawatch ingest` goes there as a flow run when
PREFECT_API_URL names it or a running `koreawatch serve` left its state file, and stays in its
own process with --no-prefect; --prefect with no server uses Prefect's temporary server."""

from __future__ import annotations

import json
import os
import subprocess
import uuid
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from flows.route import SERVE_STATE
from tests.support.cli import ROOT, console_script
from tests.support.pages import PARAGRAPHS, article_html, rss, write_config
from tests.support.prefect_api import flow_runs
from tests.support.warehouse import rows

pytestmark = pytest.mark.slow


def _ingest(config: Path, db: Path, env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [*console_script(), "ingest", "--config", str(config), "--db", str(db), *args],
        capture_output=True, text=True, timeout=300, cwd=ROOT, env=env,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result.stderr


@pytest.mark.parametrize("found_in", ["PREFECT_API_URL", "koreawatch serve"])
def test_ingest_goes_to_a_reachable_server_as_a_flow_run(
    prefect_server: tuple[str, dict[str, str]], site: HTTPServer, tmp_path: Path, found_in: str
) -> None:
    api, server_env = prefect_server
    site.expect_request("/a.html").respond_with_data(
        article_html("North Korea fires long-range missile", PARAGRAPHS["icbm"]),
        content_type="text/html",
    )
    site.expect_request("/f.rss").respond_with_data(
        rss([{"title": "North Korea fires long-range missile", "link": site.url_for("/a.html")}]),
        content_type="application/rss+xml",
    )
    config = write_config(tmp_path / "feeds.toml", [("One", site.url_for("/f.rss"))])
    db = tmp_path / "koreawatch.duckdb"
    env = {**server_env, "PREFECT_HOME": str(tmp_path / "home")}
    if found_in == "koreawatch serve":  # as a running serve leaves it (this test is its pid)
        env.pop("PREFECT_API_URL")
        (tmp_path / "home").mkdir()
        (tmp_path / "home" / SERVE_STATE).write_text(
            json.dumps({"api_url": api, "pid": os.getpid()})
        )
    said = _ingest(config, db, env)
    assert said.splitlines()[0] == (
        f"running as a Prefect flow run on {api} (from {found_in});"
        f" see it in the UI at {api.removesuffix('/api')}"
    )
    [(run_id, status)] = rows(db, "SELECT run_id, status FROM runs")
    assert status == "ok"
    [run] = flow_runs(api, {"flow_runs": {"id": {"any_": [run_id]}}})  # the row is the flow run
    assert run["state"]["type"] == "COMPLETED"

    said = _ingest(config, db, {**server_env, "PREFECT_HOME": str(tmp_path / "home")},
                   "--no-prefect")  # fmt: skip
    assert "Prefect" not in said
    [(second, status)] = rows(db, "SELECT run_id, status FROM runs WHERE run_id != ?", [run_id])
    assert status == "ok"
    assert flow_runs(api, {"flow_runs": {"id": {"any_": [second]}}}) == []


def test_prefect_with_no_server_runs_the_flow_on_prefects_temporary_server(
    site: HTTPServer, tmp_path: Path
) -> None:
    site.expect_request("/f.rss").respond_with_data(rss([]), content_type="application/rss+xml")
    config = write_config(tmp_path / "feeds.toml", [("One", site.url_for("/f.rss"))])
    db = tmp_path / "koreawatch.duckdb"
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env["PREFECT_HOME"] = str(tmp_path / "home")
    said = _ingest(config, db, env, "--prefect")
    assert said.splitlines()[0] == "starting Prefect's temporary server"
    [(run_id, status)] = rows(db, "SELECT run_id, status FROM runs")
    assert status == "ok"
    assert str(uuid.UUID(run_id)) == run_id  # a flow run's id, not a plain run's hex
