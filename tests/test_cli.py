"""The command line as a user runs it: subprocesses, exit codes, one-line errors, formats."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from flows.cli import app

ROOT = Path(__file__).resolve().parent.parent


def koreawatch(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from flows.cli import main; main()", *args],
        capture_output=True, text=True, timeout=timeout, cwd=ROOT,
        env={**os.environ, "COLUMNS": "200"},
    )  # fmt: skip


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    first = koreawatch("demo", "--db", str(db))
    assert first.returncode == 0, first.stderr
    assert "Try next" in first.stdout and "new articles" in first.stdout
    return db


def test_every_command_has_help_text() -> None:
    import typer.main

    command = typer.main.get_command(app)
    assert isinstance(command, typer.main.TyperGroup)
    for name, sub in command.commands.items():
        assert sub.help and len(sub.help) > 20, f"{name} lacks --help text"
        result = koreawatch(name, "--help", timeout=60)
        assert result.returncode == 0 and "Usage" in result.stdout


def test_demo_stores_the_corpus_and_a_second_run_adds_nothing(demo_db: Path) -> None:
    counts = json.loads(
        koreawatch(
            "sql",
            "SELECT count(*) AS articles, count(DISTINCT source) AS sources FROM articles",
            "--db",
            str(demo_db),
            "--format",
            "json",
        ).stdout
    )
    assert counts[0]["articles"] >= 45 and counts[0]["sources"] >= 8
    again = koreawatch("demo", "--db", str(demo_db))
    assert again.returncode == 0, again.stderr
    assert "│ not modified (304)     │   5 │" in again.stdout
    assert "│ new articles           │   0 │" in again.stdout
    after = json.loads(
        koreawatch(
            "sql",
            "SELECT count(*) AS articles FROM articles",
            "--db",
            str(demo_db),
            "--format",
            "json",
        ).stdout
    )
    assert after[0]["articles"] == counts[0]["articles"]


def test_demo_corpus_covers_korean_fallback_and_wire_copies(demo_db: Path) -> None:
    rows = json.loads(koreawatch("sql", """
        SELECT count(*) FILTER (WHERE language = 'ko') AS korean,
               count(*) FILTER (WHERE text_source = 'feed_summary') AS fallbacks,
               count(*) - count(DISTINCT story_id) AS wire_copies,
               count(*) FILTER (WHERE text LIKE '%cookie%' OR text LIKE '%Sign up%') AS clutter
        FROM articles""", "--db", str(demo_db), "--format", "json").stdout)[0]  # fmt: skip
    assert (
        rows["korean"] >= 5
        and rows["fallbacks"] == 1
        and rows["wire_copies"] >= 2
        and rows["clutter"] == 0
    )


def test_sql_formats(demo_db: Path) -> None:
    query = "SELECT name, last_status FROM feeds ORDER BY name"
    as_json = json.loads(koreawatch("sql", query, "--db", str(demo_db), "--format", "json").stdout)
    assert len(as_json) == 5 and set(as_json[0]) == {"name", "last_status"}
    as_nd = [
        json.loads(line)
        for line in koreawatch(
            "sql", query, "--db", str(demo_db), "--format", "ndjson"
        ).stdout.splitlines()
    ]
    assert as_nd == as_json
    as_csv = list(
        csv.DictReader(
            io.StringIO(koreawatch("sql", query, "--db", str(demo_db), "--format", "csv").stdout)
        )
    )
    assert [dict(r) for r in as_csv] == as_json
    table = koreawatch("sql", query, "--db", str(demo_db))
    assert "last_status" in table.stdout and "5 row(s)" in table.stderr


def test_sql_is_read_only_and_errors_are_one_line(demo_db: Path, tmp_path: Path) -> None:
    write = koreawatch("sql", "DELETE FROM article_store", "--db", str(demo_db))
    assert (
        write.returncode == 1
        and len(write.stderr.strip().splitlines()) == 1
        and "read-only" in write.stderr
    )
    bad = koreawatch("sql", "SELEC nonsense", "--db", str(demo_db))
    assert (
        bad.returncode == 1
        and len(bad.stderr.strip().splitlines()) == 1
        and "Traceback" not in bad.stderr
    )
    missing = koreawatch("sql", "SELECT 1", "--db", str(tmp_path / "nope.duckdb"))
    assert missing.returncode == 1 and "no warehouse at" in missing.stderr


def test_feeds_shows_health(demo_db: Path) -> None:
    result = koreawatch("feeds", "--db", str(demo_db))
    assert (
        result.returncode == 0
        and "Peninsula Ledger" in result.stdout
        and "not_modified" in result.stdout
    )


def test_a_bad_config_stops_ingest_with_the_file_and_key(tmp_path: Path) -> None:
    config = tmp_path / "feeds.toml"
    config.write_text('[[feeds]]\nname = "x"\n', encoding="utf-8")
    result = koreawatch(
        "ingest", "--no-prefect", "--config", str(config), "--db", str(tmp_path / "w.duckdb")
    )
    assert result.returncode == 1
    assert result.stderr.strip() == f"error: {config}: feeds[0].url: required key is missing"
