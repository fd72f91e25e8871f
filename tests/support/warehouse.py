"""Reading a test warehouse, and another process holding it (as a long run does)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from warehouse import Warehouse

ROOT = Path(__file__).resolve().parents[2]


def rows(db: Path, query: str, params: list[object] | None = None) -> list[tuple[object, ...]]:
    with Warehouse(db, wait_s=30).reader() as con:
        return con.execute(query, params or []).fetchall()


def scalar(db: Path, query: str, params: list[object] | None = None) -> int:
    [(value,)] = rows(db, query, params)
    assert isinstance(value, int)
    return value


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
                time.sleep(60)
        print("ready", flush=True)
        time.sleep(60)
    """
)


def hold_writer_lock(db: Path, *, file_open: bool = False) -> subprocess.Popen[str]:
    """Another process holding the warehouse writer lock (as a long run does); with
    ``file_open``, in the middle of a write, with the DuckDB file open."""
    what = "file" if file_open else "lock"
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(db), what], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready"
    return proc


def held_by(pid: int) -> str:
    """A pattern for what a busy message says of a process from ``hold_writer_lock``."""
    return rf"another koreawatch run \(holder, pid {pid}, started \d{{4}}-\d\d-\d\d \d\d:\d\d UTC\)"
