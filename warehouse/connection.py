"""Opening the warehouse: one writer at a time, readers that wait politely, migrations on open.

DuckDB lets only one process open a file for writing, and while it does, every other process
fails to open it, readers included. So a run takes a *writer lock* (a ``.lock`` file beside the
database, held with ``flock`` for the whole run) and opens the DuckDB file only for the short
transactions that write. Readers open the file read-only and retry while a write is in progress.

    wh = Warehouse(Path("data/koreawatch.duckdb"))
    with wh.writer("ingest"):              # other writers wait here
        with wh.transaction() as con:      # the file is open only inside this block
            con.execute("INSERT ...")
    with wh.reader() as con:               # read-only; waits while a write is in progress
        con.sql("SELECT count(*) FROM articles").fetchone()
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

import duckdb

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
_MIGRATION_NAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")
_PID_IN_ERROR = re.compile(r"PID (\d+)")
# Writer locks this process holds, by resolved database path: any Warehouse object for that file
# may then write (Prefect tasks build their own from a path).
_HELD: set[Path] = set()


class WarehouseError(Exception):
    """A warehouse problem a user can act on; the message is one line."""


class WarehouseBusy(WarehouseError):
    """Another process is writing and did not finish within the wait."""


class WarehouseMissing(WarehouseError):
    """A reader asked for a warehouse file that does not exist yet."""


def _is_lock_conflict(exc: Exception) -> bool:
    text = str(exc)
    return "lock" in text.lower() and ("Conflicting" in text or "Could not set lock" in text)


class Warehouse:
    """The DuckDB file at ``path`` and the lock file beside it."""

    def __init__(self, path: Path | str, *, wait_s: float = 60.0, poll_s: float = 0.2) -> None:
        self.path = Path(path)
        self.lock_path = self.path.with_name(self.path.name + ".lock")
        self.wait_s = wait_s
        self.poll_s = poll_s
        self._lock_file: IO[str] | None = None
        self._migrated = False

    # -- the writer lock --------------------------------------------------------------------

    def holder(self) -> str:
        """Who holds the writer lock, as 'pid N' (best effort; empty when unknown)."""
        try:
            first = self.lock_path.read_text().split("\n", 1)[0].strip()
        except OSError:
            return ""
        return f"pid {first}" if first.isdigit() else ""

    def _busy(self, pid_hint: str = "") -> WarehouseBusy:
        who = pid_hint or self.holder() or "pid unknown"
        return WarehouseBusy(f"warehouse busy: another run ({who}) is writing {self.path}")

    @contextlib.contextmanager
    def writer(self, purpose: str, on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
        """Hold the writer lock for a whole run; wait up to ``wait_s`` for another writer."""
        if self.path.resolve() in _HELD:
            raise WarehouseError(f"this process already writes {self.path} ({purpose})")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = self.lock_path.open("a+")
        deadline = time.monotonic() + self.wait_s
        told = False
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    handle.close()
                    raise self._busy() from None
                if on_wait is not None and not told:
                    on_wait(
                        f"waiting for the warehouse: another run ({self.holder() or 'pid unknown'})"
                        f" is writing; giving up after {self.wait_s:.0f} s"
                    )
                    told = True
                time.sleep(self.poll_s)
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n{purpose}\n{datetime.now(UTC).isoformat()}\n")
        handle.flush()
        self._lock_file = handle
        key = self.path.resolve()
        _HELD.add(key)
        try:
            yield
        finally:
            _HELD.discard(key)
            self._lock_file = None
            handle.seek(0)
            handle.truncate()
            handle.flush()
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
            handle.close()

    @property
    def holds_writer_lock(self) -> bool:
        return self.path.resolve() in _HELD

    # -- connections ------------------------------------------------------------------------

    def _connect(self, *, read_only: bool) -> duckdb.DuckDBPyConnection:
        deadline = time.monotonic() + self.wait_s
        while True:
            try:
                con = duckdb.connect(str(self.path), read_only=read_only)
                con.execute("SET TimeZone = 'UTC'")
                return con
            except duckdb.Error as exc:
                if not _is_lock_conflict(exc):
                    raise WarehouseError(f"cannot open warehouse {self.path}: {exc}") from exc
                if time.monotonic() >= deadline:
                    match = _PID_IN_ERROR.search(str(exc))
                    raise self._busy(f"pid {match.group(1)}" if match else "") from None
                time.sleep(self.poll_s)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """Open the file, run one transaction, close the file. Needs the writer lock."""
        if not self.holds_writer_lock:
            raise WarehouseError("write attempted without the writer lock (use Warehouse.writer)")
        con = self._connect(read_only=False)
        try:
            if not self._migrated:
                apply_migrations(con)
                self._migrated = True
            con.execute("BEGIN TRANSACTION")
            try:
                yield con
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")
        finally:
            con.close()

    @contextlib.contextmanager
    def reader(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A read-only connection; waits while a writer has the file open."""
        if not self.path.exists():
            raise WarehouseMissing(
                f"no warehouse at {self.path}: run `koreawatch demo` or `koreawatch ingest` first"
            )
        con = self._connect(read_only=True)
        try:
            yield con
        finally:
            con.close()


def migration_files() -> list[tuple[int, str, Path]]:
    found = []
    for path in sorted(MIGRATIONS_DIR.glob("*.sql")):
        match = _MIGRATION_NAME.match(path.name)
        if match is None:
            raise WarehouseError(f"badly named migration {path.name} (want NNN_name.sql)")
        found.append((int(match.group(1)), path.stem, path))
    versions = [v for v, _, _ in found]
    if len(set(versions)) != len(versions):
        raise WarehouseError(f"two migrations share a number in {MIGRATIONS_DIR}")
    return found


def apply_migrations(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply every migration not yet recorded, each in one transaction with its record."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMPTZ NOT NULL)"
    )
    done = {row[0] for row in con.execute("SELECT version FROM schema_migrations").fetchall()}
    applied = []
    for version, name, path in migration_files():
        if version in done:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(path.read_text(encoding="utf-8"))
            con.execute(
                "INSERT INTO schema_migrations VALUES (?, ?, ?)",
                [version, name, datetime.now(UTC)],
            )
        except BaseException:
            con.execute("ROLLBACK")
            raise
        con.execute("COMMIT")
        applied.append(name)
    return applied
