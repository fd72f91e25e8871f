"""A busy warehouse says what holds it: one of our runs (its flow, pid and start), a read-only
DuckDB client (which keeps writers out too), or another program writing the file."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.support.cli import invoke, said
from tests.support.warehouse import held_by, hold_writer_lock
from warehouse import Warehouse, WarehouseBusy

CLIENT = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1], read_only=sys.argv[2] == "read-only")
print("ready", flush=True)
time.sleep(60)
"""


@contextmanager
def duckdb_client(db: Path, mode: str) -> Iterator[int]:
    """Another program with the DuckDB file open, as a notebook or the duckdb shell has it."""
    proc = subprocess.Popen([sys.executable, "-c", CLIENT, str(db), mode],
                            stdout=subprocess.PIPE, text=True)  # fmt: skip
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready"
    try:
        yield proc.pid
    finally:
        proc.kill()
        proc.wait()


@pytest.fixture
def db(db_path: Path) -> Path:
    wh = Warehouse(db_path)
    with wh.writer("test"), wh.transaction() as con:  # migrated, then closed
        con.execute("SELECT 1")
    return db_path


def test_a_writer_blocked_by_a_read_only_client_says_so(db: Path) -> None:
    wh = Warehouse(db, wait_s=1)
    with (
        duckdb_client(db, "read-only") as pid,
        pytest.raises(WarehouseBusy) as caught,
        wh.writer("ingest"),
        wh.transaction(),
    ):
        pass
    message = str(caught.value)
    assert message.startswith(f"warehouse busy: a read-only DuckDB client (pid {pid}: python -c ")
    assert message.endswith(f") has {db} open, which keeps writers out until it closes the file")


def test_a_reader_blocked_by_another_program_writing_says_which(db: Path) -> None:
    with duckdb_client(db, "read-write") as pid:
        result = invoke("sql", "SELECT 1", "--db", str(db), "--lock-wait", "1")
    assert result.exit_code == 1
    [line] = said(result)
    assert line.startswith(f"error: warehouse busy: another program (pid {pid}: python -c ")
    assert line.endswith(f") has {db} open for writing")


def test_a_reader_blocked_by_one_of_our_runs_names_its_flow(db: Path) -> None:
    proc = hold_writer_lock(db, file_open=True)
    try:
        result = invoke("sql", "SELECT 1", "--db", str(db), "--lock-wait", "1")
    finally:
        proc.kill()
        proc.wait()
    assert result.exit_code == 1
    [line] = said(result)
    assert re.fullmatch(rf"error: warehouse busy: {held_by(proc.pid)} is writing {db}", line)
