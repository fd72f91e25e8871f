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
        """The koreawatch run holding the writer lock, as 'ingest, pid N, started 21:03 UTC'
        (best effort, from the lock file; empty when unknown)."""
        pid, purpose, started = _lock_file_fields(self.lock_path)
        if pid is None:
            return ""
        parts = [purpose] if purpose else []
        parts.append(f"pid {pid}")
        if started is not None:
            parts.append(f"started {started:%Y-%m-%d %H:%M} UTC")
        return ", ".join(parts)

    def _busy(self) -> WarehouseBusy:
        who = self.holder() or "pid unknown"
        return WarehouseBusy(
            f"warehouse busy: another koreawatch run ({who}) is writing {self.path}"
        )

    def _file_busy(self, error: str) -> WarehouseBusy:
        """What holds the DuckDB file open, from DuckDB's own message: one of our runs in a
        write, a read-only client (a reader still blocks writers), or another program."""
        return WarehouseBusy(f"warehouse busy: {describe_file_holder(self, error)}")

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
                        f"waiting for the warehouse: another koreawatch run"
                        f" ({self.holder() or 'pid unknown'}) is writing; giving up after"
                        f" {self.wait_s:.0f} s"
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
                    raise self._file_busy(str(exc)) from None
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

    def require(self) -> None:
        """Refuse a warehouse that does not exist yet (a typo in --db must not make one)."""
        if not self.path.exists():
            raise WarehouseMissing(
                f"no warehouse at {self.path}: run `koreawatch demo` or `koreawatch ingest` first"
            )

    @contextlib.contextmanager
    def reader(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A read-only connection; waits while a writer has the file open."""
        self.require()
        con = self._connect(read_only=True)
        try:
            yield con
        finally:
            con.close()


def _lock_file_fields(lock_path: Path) -> tuple[int | None, str, datetime | None]:
    """(pid, purpose, started) as the holder of the writer lock wrote them."""
    try:
        lines = lock_path.read_text().splitlines()
    except OSError:
        return None, "", None
    if not lines or not lines[0].strip().isdigit():
        return None, "", None
    started = None
    if len(lines) > 2:
        with contextlib.suppress(ValueError):
            started = datetime.fromisoformat(lines[2].strip())
    return int(lines[0]), lines[1].strip() if len(lines) > 1 else "", started


def _command_line(pid: int) -> str:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return ""
    words = [w for w in raw.decode(errors="replace").split("\0") if w]
    shown = " ".join(" ".join([Path(words[0]).name, *words[1:]]).split()) if words else ""
    return shown if len(shown) <= 80 else shown[:77] + "..."


def describe_file_holder(wh: Warehouse, error: str) -> str:
    """Who holds the DuckDB file, from the text of DuckDB's lock error."""
    match = _PID_IN_ERROR.search(error)
    if match is None:
        return f"another process has {wh.path} open"
    pid = int(match.group(1))
    lock_pid, _, _ = _lock_file_fields(wh.lock_path)
    if lock_pid == pid:
        return f"another koreawatch run ({wh.holder()}) is writing {wh.path}"
    program = _command_line(pid)
    who = f"pid {pid}: {program}" if program else f"pid {pid}"
    if "read-only mode" in error:  # DuckDB: the holder has it open read-only
        return (
            f"a read-only DuckDB client ({who}) has {wh.path} open, which keeps writers out"
            " until it closes the file"
        )
    return f"another program ({who}) has {wh.path} open for writing"


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
        if done and version < max(done):  # it would run after later ones on this warehouse
            raise WarehouseError(
                f"migration {name} is older than this warehouse's schema ({max(done):03d});"
                " number new migrations after the last one"
            )
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
