"""The ``runs`` table: one row per run of a flow or command, from start to end.

    with wh.transaction() as con:
        start_run(con, run_id, "ingest", now, {"config": "deploy/feeds.toml"})
    ...
    with wh.transaction() as con:
        finish_run(con, run_id, later, "ok", {"new_articles": 3}, [])

A row is 'running' while its process lives. A run whose process ended without finishing it
(killed, machine restarted) is closed as 'killed' by the next run to start.

A run that could not write the warehouse at all (it stayed busy) cannot write its row either: it
notes its end in a file beside the warehouse, ``<db>.unrecorded-runs.jsonl``, which
``koreawatch status`` reads too, and the next run that writes moves those notes into ``runs``:

    note_unrecorded_run(db, run_id, "ingest", started, ended, "warehouse busy: ...")
    with wh.transaction() as con:
        fold_unrecorded_runs(con, unrecorded_runs(db))     # then forget_unrecorded_runs(db, ids)
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
from collections.abc import Iterator, Sequence
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


# -- runs that could not write their row --------------------------------------------------------


def unrecorded_path(db: Path) -> Path:
    return db.with_name(db.name + ".unrecorded-runs.jsonl")


@contextlib.contextmanager
def _notes(db: Path, mode: str) -> Iterator[Any]:
    """The notes file, locked: appends from runs that are not writers, a rewrite by one that is."""
    path = unrecorded_path(db)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open(mode, encoding="utf-8") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield handle
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def note_unrecorded_run(
    db: Path,
    run_id: str,
    flow: str,
    started_at: datetime,
    ended_at: datetime,
    error: str,
    parameters: dict[str, Any] | None = None,
) -> None:
    """Note a failed run whose row could not be written; best effort, never raises."""
    note = {
        "run_id": run_id, "flow": flow, "started_at": started_at.isoformat(),
        "ended_at": ended_at.isoformat(), "status": "failed", "pid": os.getpid(),
        "errors": [error], "parameters": parameters or {},
    }  # fmt: skip
    with contextlib.suppress(OSError), _notes(db, "a") as handle:
        handle.write(json.dumps(note, default=str) + "\n")


def unrecorded_runs(db: Path) -> list[dict[str, Any]]:
    """The notes not yet moved into ``runs``, oldest first."""
    try:
        text = unrecorded_path(db).read_text(encoding="utf-8")
    except OSError:
        return []
    notes = []
    for line in text.splitlines():
        with contextlib.suppress(ValueError, KeyError, TypeError):  # a torn or foreign line
            note = json.loads(line)
            note["started_at"] = datetime.fromisoformat(note["started_at"])
            note["ended_at"] = datetime.fromisoformat(note["ended_at"])
            notes.append(note)
    return notes


def fold_unrecorded_runs(con: duckdb.DuckDBPyConnection, notes: Sequence[dict[str, Any]]) -> None:
    """Write the notes into ``runs``: a new row, or the end of a row left 'running'."""
    for note in notes:
        con.execute(
            """
            INSERT INTO runs (run_id, flow, started_at, ended_at, status, pid, counts, errors,
                              parameters)
            VALUES (?, ?, ?, ?, 'failed', ?, '{}', ?, ?)
            ON CONFLICT (run_id) DO UPDATE SET ended_at = excluded.ended_at,
                status = 'failed',
                -- a note folded twice (a run killed before it dropped the notes) adds nothing
                errors = list_concat(coalesce(runs.errors, []),
                                     list_filter(excluded.errors, lambda e: NOT list_contains(
                                         coalesce(runs.errors, []), e)))
            """,
            [note["run_id"], note["flow"], note["started_at"], note["ended_at"], note["pid"],
             note["errors"], json.dumps(note.get("parameters") or {}, default=str)],
        )  # fmt: skip


def forget_unrecorded_runs(db: Path, run_ids: set[str]) -> None:
    """Drop the notes of ``run_ids`` (folded into ``runs``), keeping any noted since."""
    if not run_ids:
        return
    with contextlib.suppress(OSError), _notes(db, "r+") as handle:
        keep = [
            line for line in handle.read().splitlines()
            if line.strip() and _run_id_of(line) not in run_ids
        ]  # fmt: skip
        handle.seek(0)
        handle.truncate()
        handle.write("".join(line + "\n" for line in keep))


def _run_id_of(line: str) -> str | None:
    try:
        return str(json.loads(line)["run_id"])
    except (ValueError, KeyError, TypeError):
        return None
