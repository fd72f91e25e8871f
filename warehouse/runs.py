"""The ``runs`` table: one row per run of a flow or command, from start to end.

    with wh.transaction() as con:
        start_run(con, run_id, "ingest", now, {"config": "deploy/feeds.toml"})
    ...
    with wh.transaction() as con:
        finish_run(con, run_id, later, "ok", {"new_articles": 3}, [])

A row is 'running' while its process lives. A run whose process ended without finishing it
(killed, machine restarted) is closed as 'killed' by the next run to start.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb

from extractors.vocabulary import RunStatus

KILLED_NOTE = "the process ended before the run finished; the next run completed its work"


def pid_alive(pid: int | None) -> bool:
    """Whether process ``pid`` runs on this machine; a zombie (ended, not yet reaped) does not."""
    if pid is None:
        return False
    proc = Path("/proc")
    if proc.is_dir():  # Linux: the process state tells a zombie apart
        try:
            state = (proc / str(int(pid)) / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError, ValueError):
            return False
        return state != "Z"
    try:
        os.kill(int(pid), 0)
    except (ProcessLookupError, ValueError, OverflowError):
        return False
    except PermissionError:  # another user's process
        return True
    return True


def start_run(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    flow: str,
    started_at: datetime,
    parameters: dict[str, Any],
) -> None:
    """Insert the 'running' row, closing as 'killed' any run whose process is gone."""
    for stale_id, pid in con.execute(
        "SELECT run_id, pid FROM runs WHERE status = 'running'"
    ).fetchall():
        if not pid_alive(pid) or int(pid) == os.getpid():
            con.execute(
                "UPDATE runs SET status = 'killed', errors = list_append(coalesce(errors, []), ?)"
                " WHERE run_id = ?",
                [KILLED_NOTE, stale_id],
            )
    con.execute(
        "INSERT INTO runs (run_id, flow, started_at, status, pid, parameters)"
        " VALUES (?, ?, ?, 'running', ?, ?)",
        [run_id, flow, started_at, os.getpid(), json.dumps(parameters, default=str)],
    )


def finish_run(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    ended_at: datetime,
    status: RunStatus,
    counts: dict[str, Any],
    errors: Sequence[str],
) -> None:
    """Record the end of a run: its status, figures and (at most 200) error lines."""
    con.execute(
        "UPDATE runs SET ended_at = ?, status = ?, counts = ?, errors = ? WHERE run_id = ?",
        [ended_at, status, json.dumps(counts, default=str), list(errors)[:200], run_id],
    )
