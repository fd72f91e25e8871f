"""The public views as Parquet, partitioned by date, for tools that do not speak DuckDB's file.

    report = export_warehouse(Path("data/koreawatch.duckdb"), Path("export"))
    # export/articles/year=2024/month=11/data_0.parquet, ..., export/feeds/data.parquet,
    # export/export.json (what was written, when, from which warehouse)

The warehouse is read once, into memory, and released before any Parquet is written: a writer
waits only for that copy (milliseconds for the demo warehouse; docs/scaling.md has figures), not
for the compression. All views come from that one snapshot, so they agree with each other.

Each view's directory is replaced whole (written beside it, then swapped in), so running the
export again gives the same files and never leaves a half-written view behind.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from warehouse.connection import (
    Warehouse,
    WarehouseBusy,
    WarehouseError,
    WarehouseMissing,
    _is_lock_conflict,
    describe_file_holder,
)

# view -> the date it is partitioned by (year, month), or None for one file
EXPORTS: dict[str, str | None] = {
    "feeds": None,
    "feed_items": "coalesce(published_at, first_seen_at)",
    "articles": "published_at",
    "missile_tests": "event_date",
    "diplomacy_events": "event_date",
    "event_mentions": "event_date",
    "runs": "started_at",
    "digest_deliveries": "digest_date",
    "backfill_chunks": "completed_at",
    "backfill_sources": None,
}
MANIFEST = "export.json"


@dataclass(frozen=True)
class ViewExport:
    view: str
    rows: int
    files: int
    partitioned_by: str | None  # the date expression behind year=/month=, if any
    path: str


@dataclass(frozen=True)
class ExportReport:
    out_dir: str
    warehouse: str
    exported_at: str
    views: list[ViewExport]
    missing: list[str]  # asked for, but not in this warehouse
    snapshot_s: float  # how long the warehouse file was held
    seconds: float


def _quote_path(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _attach(con: duckdb.DuckDBPyConnection, db: Path, wait_s: float, poll_s: float) -> None:
    deadline = time.monotonic() + wait_s
    while True:
        try:
            con.execute(f"ATTACH {_quote_path(db)} AS wh (READ_ONLY)")
            return
        except duckdb.Error as exc:
            if not _is_lock_conflict(exc):
                raise WarehouseError(f"cannot open warehouse {db}: {exc}") from exc
            if time.monotonic() >= deadline:
                raise WarehouseBusy(
                    f"warehouse busy: {describe_file_holder(Warehouse(db), str(exc))}"
                ) from None
            time.sleep(poll_s)


def _snapshot(
    con: duckdb.DuckDBPyConnection, db: Path, views: Sequence[str], wait_s: float, poll_s: float
) -> tuple[list[str], list[str]]:
    """Copy ``views`` into memory tables ``snap_<view>``; return (copied, missing)."""
    _attach(con, db, wait_s, poll_s)
    try:
        present = {
            row[0]
            for row in con.execute(
                "SELECT view_name FROM duckdb_views() WHERE database_name = 'wh'"
                " UNION SELECT table_name FROM duckdb_tables() WHERE database_name = 'wh'"
            ).fetchall()
        }
        copied = [v for v in views if v in present]
        for view in copied:
            con.execute(f"CREATE TABLE snap_{view} AS SELECT * FROM wh.main.{view}")
    finally:
        con.execute("DETACH wh")
    return copied, [v for v in views if v not in present]


def _write_view(con: duckdb.DuckDBPyConnection, view: str, target: Path) -> ViewExport:
    """Write ``snap_<view>`` under ``target`` (replaced whole)."""
    staging = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    row = con.execute(f"SELECT count(*) FROM snap_{view}").fetchone()
    rows = int(row[0]) if row else 0
    date_expr = EXPORTS.get(view)
    if date_expr is not None and rows:
        con.execute(
            f"COPY (SELECT *, year({date_expr}) AS year, month({date_expr}) AS month"
            f" FROM snap_{view}) TO {_quote_path(staging)}"
            " (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (year, month), OVERWRITE)"
        )
    else:  # no date, or no rows: one file, so readers still find the columns
        con.execute(
            f"COPY snap_{view} TO {_quote_path(staging / 'data.parquet')}"
            " (FORMAT parquet, COMPRESSION zstd)"
        )
    files = sum(1 for _ in staging.rglob("*.parquet"))
    retired = target.with_name(f".{target.name}.old-{os.getpid()}")
    if target.exists():
        target.rename(retired)
    staging.rename(target)
    shutil.rmtree(retired, ignore_errors=True)
    return ViewExport(view, rows, files, date_expr if rows else None, str(target))


def export_warehouse(
    db: Path,
    out_dir: Path,
    *,
    views: Sequence[str] | None = None,
    wait_s: float = 60.0,
    poll_s: float = 0.2,
) -> ExportReport:
    """Export the public views of the warehouse at ``db`` to Parquet under ``out_dir``."""
    started = time.perf_counter()
    if not db.exists():
        raise WarehouseMissing(
            f"no warehouse at {db}: run `koreawatch demo` or `koreawatch ingest` first"
        )
    wanted = list(views or EXPORTS)
    unknown = [v for v in wanted if v not in EXPORTS]
    if unknown:
        raise WarehouseError(
            f"not a public view: {', '.join(unknown)} (choose from {', '.join(EXPORTS)})"
        )
    out_dir.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()  # in memory: the snapshot lives here while Parquet is written
    try:
        con.execute("SET TimeZone = 'UTC'")
        held = time.perf_counter()
        copied, missing = _snapshot(con, db, wanted, wait_s, poll_s)
        snapshot_s = time.perf_counter() - held
        exported = [_write_view(con, view, out_dir / view) for view in copied]
    finally:
        con.close()
    report = ExportReport(
        out_dir=str(out_dir),
        warehouse=str(db),
        exported_at=datetime.now(UTC).isoformat(timespec="seconds"),
        views=exported,
        missing=missing,
        snapshot_s=round(snapshot_s, 3),
        seconds=round(time.perf_counter() - started, 3),
    )
    manifest = out_dir / MANIFEST
    staging = manifest.with_name(f".{MANIFEST}.tmp-{os.getpid()}")
    staging.write_text(json.dumps(asdict(report), indent=2) + "\n", encoding="utf-8")
    staging.replace(manifest)
    return report


def read_back_sql(out_dir: Path, view: str) -> str:
    """A query that reads an exported view back (DuckDB), as shown in docs/sql.md."""
    pattern = str(out_dir / view / "**" / "*.parquet").replace("'", "''")
    return f"SELECT * FROM read_parquet('{pattern}', hive_partitioning = true)"
