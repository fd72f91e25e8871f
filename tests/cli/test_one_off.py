"""A one-off command with no Prefect server reachable: the same ingest in this process, said in
one line, with no Prefect import and so no Prefect start-up."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from pytest_httpserver import HTTPServer

from tests.support.cli import ROOT, koreawatch
from tests.support.pages import PARAGRAPHS, article_html, write_config
from tests.support.warehouse import rows

NO_SERVER = (
    "no Prefect server reachable: running in this process (`koreawatch serve` or"
    " PREFECT_API_URL puts runs in the Prefect UI)"
)

# Both runs in one process, then: was Prefect ever imported?
PROBE = """
import sys
from flows.cli import main
config, db = sys.argv[1:3]
for _ in range(2):
    sys.argv = ["koreawatch", "ingest", "--config", config, "--db", db]
    try:
        main()
    except SystemExit as exc:
        assert not exc.code, exc.code
print("prefect imported" if "prefect" in sys.modules else "no prefect")
"""


def test_ingest_with_no_server_runs_here_and_a_304_rerun_answers_at_once(
    site: HTTPServer, tmp_path: Path
) -> None:
    site.expect_request("/a.html").respond_with_data(
        article_html("North Korea fires long-range missile", PARAGRAPHS["icbm"]),
        content_type="text/html",
    )
    feed = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
        "<item><title>North Korea fires long-range missile</title>"
        f"<link>{site.url_for('/a.html')}</link></item></channel></rss>"
    )
    etag = '"v1"'
    site.expect_request("/f.rss", headers={"If-None-Match": etag}).respond_with_data("", status=304)
    site.expect_request("/f.rss").respond_with_data(
        feed, content_type="application/rss+xml", headers={"ETag": etag}
    )
    config = write_config(tmp_path / "feeds.toml", [("One", site.url_for("/f.rss"))])
    db = tmp_path / "koreawatch.duckdb"
    probe = subprocess.run(
        [sys.executable, "-c", PROBE, str(config), str(db)],
        capture_output=True, text=True, timeout=120, cwd=ROOT,
    )  # fmt: skip
    assert probe.returncode == 0, probe.stderr
    assert probe.stdout.strip().splitlines()[-1] == "no prefect"
    assert probe.stderr.splitlines().count(NO_SERVER) == 2
    assert rows(db, "SELECT status FROM runs") == [("ok",), ("ok",)]

    started = time.monotonic()
    again = koreawatch("ingest", "--config", str(config), "--db", str(db))
    seconds = time.monotonic() - started
    assert again.returncode == 0, again.stderr
    assert "not modified (304)" in again.stdout
    # Target 3 s on an idle 2-core machine (measured 1.7-2.1 s); Prefect's temporary server
    # alone takes 7-18 s, so this bound still catches it, with room for a busy CI machine.
    assert seconds < 6.5, f"{seconds:.1f} s"
