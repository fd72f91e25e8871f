"""The command line in-process (typer's ``CliRunner``): exit codes, one-line errors, formats,
read from ``--format json``; and the installed console script, as a user runs it."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main

from flows.cli import app
from tests.support.cli import ROOT, invoke, invoke_json, koreawatch
from tests.support.warehouse import scalar

ARTICLES = "SELECT count(*) AS articles, count(DISTINCT source) AS sources FROM articles"


def test_every_command_has_help_text() -> None:
    command = typer.main.get_command(app)
    assert isinstance(command, typer.main.TyperGroup)
    for name, sub in command.commands.items():
        assert sub.help, f"{name} lacks --help text"
        assert len(sub.help) > 20, f"{name} lacks --help text"
        result = invoke(name, "--help")
        assert result.exit_code == 0, result.stderr
        assert "Usage" in result.stdout


def test_the_console_script_runs_and_exits_like_the_app(demo_db: Path, tmp_path: Path) -> None:
    """The one subprocess test of the installed ``koreawatch``: version, output, exit codes."""
    version = koreawatch("--version")
    assert version.returncode == 0, version.stderr
    assert version.stdout.startswith("koreawatch ")
    rows = koreawatch("sql", "SELECT 1 AS one", "--db", str(demo_db), "--format", "ndjson")
    assert rows.returncode == 0, rows.stderr
    assert rows.stdout == '{"one": 1}\n'
    missing = koreawatch("sql", "SELECT 1", "--db", str(tmp_path / "nope.duckdb"))
    assert missing.returncode == 1
    assert missing.stderr.startswith(f"error: no warehouse at {tmp_path / 'nope.duckdb'}")


def test_demo_again_on_the_demo_warehouse_adds_nothing(demo_db: Path) -> None:
    before = invoke_json("sql", ARTICLES, "--db", str(demo_db))[0]
    assert before["articles"] >= 45
    assert before["sources"] >= 8
    again = invoke("demo", "--db", str(demo_db))
    assert again.exit_code == 0, again.stderr
    assert invoke_json("sql", ARTICLES, "--db", str(demo_db))[0] == before
    assert scalar(demo_db, "SELECT count(*) FROM feeds") == 5
    feeds = invoke_json("feeds", "--db", str(demo_db))
    assert {f["last_status"] for f in feeds} == {"not_modified"}
    runs = invoke_json("sql", "SELECT counts FROM runs ORDER BY started_at", "--db", str(demo_db))
    assert len(runs) == 2
    assert '"new_articles": 0' in runs[-1]["counts"]


def test_demo_corpus_covers_korean_fallback_and_wire_copies(demo_db: Path) -> None:
    [found] = invoke_json("sql", """
        SELECT count(*) FILTER (WHERE language = 'ko') AS korean,
               count(*) FILTER (WHERE text_source = 'feed_summary') AS fallbacks,
               count(*) - count(DISTINCT story_id) AS wire_copies,
               count(*) FILTER (WHERE text LIKE '%cookie%' OR text LIKE '%Sign up%') AS clutter
        FROM articles""", "--db", str(demo_db))  # fmt: skip
    assert found["korean"] >= 5
    assert found["fallbacks"] == 1
    assert found["wire_copies"] >= 2
    assert found["clutter"] == 0


def test_sql_formats_agree(demo_db: Path) -> None:
    query = "SELECT name, last_status FROM feeds ORDER BY name"
    as_json = invoke_json("sql", query, "--db", str(demo_db))
    assert len(as_json) == 5
    assert set(as_json[0]) == {"name", "last_status"}
    as_nd = invoke("sql", query, "--db", str(demo_db), "--format", "ndjson")
    assert [json.loads(line) for line in as_nd.stdout.splitlines()] == as_json
    as_csv = invoke("sql", query, "--db", str(demo_db), "--format", "csv")
    assert [dict(r) for r in csv.DictReader(io.StringIO(as_csv.stdout))] == as_json
    as_table = invoke("sql", query, "--db", str(demo_db))
    assert as_table.exit_code == 0
    assert as_table.stderr == "5 row(s)\n"
    assert invoke("sql", query, "--db", str(demo_db), "--format", "table").stdout == as_table.stdout
    lines = as_table.stdout.splitlines()
    assert any("name" in line and "last_status" in line for line in lines)  # the header
    assert "Peninsula Ledger (demo)" in as_table.stdout
    for row in as_json:  # one line per row, with its own values
        assert any(
            str(row["name"]) in line and str(row["last_status"]) in line for line in lines
        ), as_table.stdout


def test_sql_is_read_only_and_errors_are_one_line(demo_db: Path, tmp_path: Path) -> None:
    write = invoke("sql", "DELETE FROM article_store", "--db", str(demo_db))
    assert write.exit_code == 1
    assert len(write.stderr.strip().splitlines()) == 1
    assert "read-only" in write.stderr
    bad = invoke("sql", "SELEC nonsense", "--db", str(demo_db))
    assert bad.exit_code == 1
    assert len(bad.stderr.strip().splitlines()) == 1
    assert bad.stderr.startswith("error: Parser Error")
    fmt = invoke("sql", "SELECT 1", "--db", str(demo_db), "--format", "xml")
    assert fmt.exit_code == 1
    assert fmt.stderr == "error: unknown format 'xml'; choose one of table, csv, json, ndjson\n"


@pytest.mark.parametrize(
    "hostile",
    [
        "COPY (SELECT 'x') TO '{db}' (FORMAT csv)",
        "SELECT * FROM read_csv('/etc/passwd')",
        "SELECT * FROM read_text('/etc/passwd')",
        "SELECT * FROM glob('/root/*')",
        "ATTACH '{other}' AS o (READ_ONLY false); DELETE FROM o.article_store",
        "INSTALL httpfs",
    ],
)
def test_sql_reaches_nothing_but_the_warehouse(demo_db: Path, tmp_path: Path, hostile: str) -> None:
    """Issue 10: COPY over the warehouse, other files, other databases and extensions."""
    other = tmp_path / "other.duckdb"
    shutil.copy(demo_db, other)
    before = {path: hashlib.sha256(path.read_bytes()).hexdigest() for path in (demo_db, other)}
    result = invoke("sql", hostile.format(db=demo_db, other=other), "--db", str(demo_db))
    assert result.exit_code == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith("error: ")
    assert {
        path: hashlib.sha256(path.read_bytes()).hexdigest() for path in (demo_db, other)
    } == before
    assert invoke_json("sql", ARTICLES, "--db", str(demo_db))[0]["articles"] > 0


def test_a_bad_config_stops_ingest_with_the_file_and_key(tmp_path: Path) -> None:
    config = tmp_path / "feeds.toml"
    config.write_text('[[feeds]]\nname = "x"\n', encoding="utf-8")
    result = invoke(
        "ingest", "--no-prefect", "--config", str(config), "--db", str(tmp_path / "w.duckdb")
    )
    assert result.exit_code == 1
    assert result.stderr.strip() == f"error: {config}: feeds[0].url: required key is missing"


def test_db_defaults_to_the_settings(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KOREAWATCH_DB", str(demo_db))
    [row] = invoke_json("sql", "SELECT count(*) AS feeds FROM feeds")
    assert row["feeds"] == 5


def test_eval_needs_a_golden_set(tmp_path: Path) -> None:
    result = invoke("eval")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: koreawatch eval needs --golden DIR")
    empty = invoke("eval", "--golden", str(tmp_path))
    assert empty.exit_code == 1
    assert empty.stderr == f"error: no golden cases (*.json) in {tmp_path}\n"


def test_status_reads_as_json(demo_db: Path) -> None:
    report = invoke_json("status", "--db", str(demo_db))
    assert report["last_runs"]["ingest"]["status"] == "ok"
    assert report["feed_health"] == {"ok": 5}
    missing = invoke("status", "--db", str(demo_db.parent / "none.duckdb"))
    assert missing.exit_code == 1
    assert missing.stderr.strip().splitlines() == [
        f"error: no warehouse at {demo_db.parent / 'none.duckdb'}: run `koreawatch demo` or"
        " `koreawatch ingest` first"
    ]


def test_feeds_and_status_piped_to_a_file_keep_whole_names(demo_db: Path, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}  # a pipe: no terminal width
    for command in ("feeds", "status"):
        target = tmp_path / f"{command}.txt"
        with target.open("w") as out:
            result = subprocess.run(
                [sys.executable, "-c", "from flows.cli import main; main()", command, "--db",
                 str(demo_db)],
                stdout=out, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env, timeout=60,
            )  # fmt: skip
        assert result.returncode == 0, result.stderr
        text = target.read_text(encoding="utf-8")
        if command == "feeds":
            [line] = [
                x for x in text.splitlines() if "Asia Security Monitor (demo, JSON Feed)" in x
            ]
            assert " ok " in line  # the whole row on one line
        else:
            assert "feeds: 5 ok" in text
            assert f"warehouse {demo_db}:" in text


def test_commands_that_run_no_flow_do_not_import_prefect(demo_db: Path) -> None:
    probe = (
        "import sys\nfrom flows.cli import main\n"
        "for args in (['sql', 'SELECT 1', '--db', sys.argv[1]], ['feeds', '--db', sys.argv[1]],"
        " ['status', '--db', sys.argv[1]], ['--help'], ['--version']):\n"
        "    sys.argv = ['koreawatch', *args]\n"
        "    try:\n        main()\n    except SystemExit as exc:\n        assert not exc.code, args\n"
        "assert 'prefect' not in sys.modules, 'prefect imported'\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, str(demo_db)],
        capture_output=True, text=True, cwd=ROOT, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
