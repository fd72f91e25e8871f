"""Mistakes refused in one line before anything is written: a --db that does not exist for the
commands that work on stored articles, and days that are empty or out of range."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.cli import invoke, said


@pytest.mark.parametrize(
    "args",
    [["extract"], ["extract", "--since", "2024-06-01"], ["backfill", "--mode", "extract",
     "--since", "2024-06-01", "--until", "2024-06-02"], ["backfill", "--mode", "digests",
     "--since", "2024-06-01", "--until", "2024-06-02"]],
    ids=["extract", "extract-since", "backfill-extract", "backfill-digests"],
)  # fmt: skip
def test_a_typo_in_db_makes_no_warehouse(tmp_path: Path, args: list[str]) -> None:
    typo = tmp_path / "data" / "koreawatch.duckbd"
    result = invoke(*args, "--db", str(typo), *_extras(args[0], tmp_path))
    assert result.exit_code == 1
    assert said(result) == [
        f"error: no warehouse at {typo}: run `koreawatch demo` or `koreawatch ingest` first"
    ]
    assert not typo.parent.exists()  # no file, no lock file, no folder


def _extras(command: str, tmp_path: Path) -> list[str]:
    """The options a command needs besides --db: an empty config, a folder for files."""
    config = tmp_path / "feeds.toml"
    config.write_text("", encoding="utf-8")
    return {"extract": [], "backfill": ["--config", str(config)],
            "digest": ["--config", str(config), "--out", str(tmp_path)]}[command]  # fmt: skip


DAY_OPTIONS = [
    ["digest", "--date", "{day}"],
    ["extract", "--since", "{day}"],
    ["extract", "--until", "{day}"],
    ["backfill", "--since", "{day}", "--until", "2024-06-01"],
    ["backfill", "--since", "2024-06-01", "--until", "{day}"],
]


@pytest.mark.parametrize("args", DAY_OPTIONS, ids=lambda a: f"{a[0]}{a[1]}{a.index('{day}')}")
@pytest.mark.parametrize(
    ("day", "reason"),
    [("9999-12-31", "{option} 9999-12-31 is out of range (1900-01-01 to 2199-12-31)"),
     ("", "{option} must be a day as YYYY-MM-DD, not ''"),
     ("  ", "{option} must be a day as YYYY-MM-DD, not '  '"),
     ("0001-01-01", "{option} 0001-01-01 is out of range (1900-01-01 to 2199-12-31)")],
)  # fmt: skip
def test_every_day_option_refuses_empty_and_impossible_days(
    demo_db: Path, tmp_path: Path, args: list[str], day: str, reason: str
) -> None:
    option = args[args.index("{day}") - 1]
    filled = [day if a == "{day}" else a for a in args]
    before = demo_db.stat().st_mtime_ns
    result = invoke(*filled, "--db", str(demo_db), *_extras(args[0], tmp_path))
    assert result.exit_code == 1, result.stderr
    assert said(result) == [f"error: {reason.format(option=option)}"]
    assert demo_db.stat().st_mtime_ns == before


def test_backfill_extract_needs_no_feed_list_but_a_named_one_must_exist(
    demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Away from a checkout there is no deploy/feeds.toml; re-extraction reads only the stored
    # articles, so it runs with the default config (Korea-time days).
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("KOREAWATCH_CONFIG", raising=False)
    days = ["--since", "2025-01-06", "--until", "2025-01-06", "--db", str(demo_db)]
    result = invoke("backfill", "--mode", "extract", *days, "--no-prefect")
    assert result.exit_code == 0, result.stderr
    assert "2025-01-06 done" in result.stdout + result.stderr
    missing = tmp_path / "my-feeds.toml"
    named = invoke("backfill", "--mode", "extract", *days, "--config", str(missing), "--no-prefect")
    assert named.exit_code == 1
    assert said(named) == [f"error: {missing}: config file not found"]
    other = invoke("backfill", "--mode", "digests", *days, "--no-prefect")
    assert other.exit_code == 1
    assert said(other) == ["error: deploy/feeds.toml: config file not found"]


def test_plain_status_reads_the_warehouse_alone_and_check_names_a_broken_config(
    demo_db: Path, tmp_path: Path
) -> None:
    broken = tmp_path / "feeds.toml"
    broken.write_text("[[feeds]\n", encoding="utf-8")
    report = invoke("status", "--db", str(demo_db), "--config", str(broken), "--format", "json")
    assert report.exit_code == 0, report.stderr
    assert '"last_runs"' in report.stdout
    check = invoke("status", "--check", "--db", str(demo_db), "--config", str(broken))
    assert check.exit_code == 1
    assert said(check)[-1].startswith(f"error: {broken}: not valid TOML")
