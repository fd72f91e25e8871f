"""``koreawatch digest`` in-process: files written, one-line errors, markup printed as written."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from tests.support.cli import invoke, said


def test_digest_command_writes_the_digest(scenario: Path, tmp_path: Path) -> None:
    config = tmp_path / "feeds.toml"
    config.write_text('[digest]\ntimezone = "Asia/Seoul"\n', encoding="utf-8")
    out = tmp_path / "out"
    result = invoke(
        "digest", "--date", "2023-07-12", "--out", str(out), "--db", str(scenario),
        "--config", str(config),
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert (out / "2023-07-12.html").exists()
    assert (out / "digests.atom").exists()
    assert result.stdout.startswith(f"digest for 2023-07-12: {out / '2023-07-12.html'}")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--date", "12/07/2023"], "--date must be a day as YYYY-MM-DD, not '12/07/2023'"),
        # Rich markup must not eat "[digest]": the message is printed as written.
        (["--date", "2023-07-12", "--send"],
         "--send needs recipients: add recipients = [...] under [digest] in {config}"),
        (["--date", "2023-07-12", "--retry-failed"], "--retry-failed only makes sense with --send"),
    ],
)  # fmt: skip
def test_digest_command_errors_are_one_line(
    scenario: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    config = tmp_path / "feeds.toml"
    config.write_text("[digest]\n", encoding="utf-8")
    result = invoke(
        "digest", *args, "--db", str(scenario), "--config", str(config), "--out", str(tmp_path)
    )
    assert result.exit_code == 1
    assert said(result) == [f"error: {message.format(config=config)}"]


def test_digest_command_without_events_views_fails_clearly(tmp_path: Path) -> None:
    db = tmp_path / "empty.duckdb"
    duckdb.connect(str(db)).close()
    config = tmp_path / "feeds.toml"
    config.write_text("", encoding="utf-8")
    result = invoke("digest", "--date", "2023-07-12", "--db", str(db), "--config", str(config))
    assert result.exit_code == 1
    assert len(said(result)) == 1
    assert "run `koreawatch ingest`" in result.stderr
