"""Text from feeds, files and errors is printed as written, never read as Rich markup: on
stdout and stderr, in lines, warnings, errors and tables."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from pytest_httpserver import HTTPServer

from tests.support.cli import invoke, said
from tests.support.pages import rss, write_config
from warehouse import Warehouse

NAME = "[red]Gone[/red] [digest]"


def test_an_error_naming_a_bracketed_path_keeps_its_brackets(tmp_path: Path) -> None:
    db = tmp_path / "[digest]" / "[bold]x.duckdb"
    result = invoke("sql", "SELECT 1", "--db", str(db))
    assert said(result) == [
        f"error: no warehouse at {db}: run `koreawatch demo` or `koreawatch ingest` first"
    ]


def test_a_feed_named_with_markup_prints_as_written_everywhere(
    site: HTTPServer, tmp_path: Path, db_path: Path
) -> None:
    site.expect_request("/gone.rss").respond_with_data("gone", status=404)
    site.expect_request("/f.rss").respond_with_data(rss([]), content_type="application/rss+xml")
    config = write_config(
        tmp_path / "feeds.toml",
        [(NAME, site.url_for("/gone.rss")), ("Fine", site.url_for("/f.rss"))],
    )
    ingest = invoke("ingest", "--config", str(config), "--db", str(db_path))
    assert ingest.exit_code == 0, ingest.stderr
    assert f"feed problem: {NAME}: soft_error: HTTP 404" in ingest.stderr  # warn()

    feeds = invoke("feeds", "--db", str(db_path))
    assert NAME in feeds.stdout  # a table cell

    wh = Warehouse(db_path)
    with wh.writer("test"), wh.transaction() as con:
        con.execute("UPDATE feed_state SET last_ok_at = ? WHERE name = ?",
                    [datetime.now(UTC) - timedelta(hours=30), NAME])  # fmt: skip
    status = invoke("status", "--db", str(db_path))
    assert f"  {NAME}: soft_error ×1 (HTTP 404)" in status.stdout.splitlines()  # show()
    check = invoke("status", "--check", "--db", str(db_path), "--config", str(config))
    assert check.exit_code == 1
    assert f"unhealthy: feed {NAME!r} has failed for over 24 h" in check.stderr  # note()
