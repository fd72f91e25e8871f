"""``koreawatch export``: every public view to Parquet, partitioned by date, idempotent, and a
writer is held up only while the warehouse is copied into memory."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from tests.support.cli import invoke
from tests.support.warehouse import held_by, hold_writer_lock, rows, scalar
from warehouse import Warehouse, WarehouseBusy, WarehouseMissing
from warehouse.export import EXPORTS, export_warehouse, read_back_sql

VIEWS = ["feeds", "feed_items", "articles", "missile_tests", "diplomacy_events", "event_mentions",
         "runs", "digest_deliveries", "backfill_chunks", "backfill_sources"]  # fmt: skip


def test_every_public_view_is_exported_partitioned_and_reads_back_the_same(
    demo_db: Path, tmp_path: Path
) -> None:
    wh = Warehouse(demo_db)
    with wh.writer("test"), wh.transaction() as con:  # a row in each view the demo leaves empty
        con.execute(
            "INSERT INTO digest_delivery_state (digest_date, recipient, status, updated_at)"
            " VALUES ('2024-11-05', 'ana@example.org', 'sent', now())"
        )
        con.execute(
            "INSERT INTO backfill_chunk_state (mode, chunk, params_hash, day, completed_at)"
            " VALUES ('extract', '2024-11-05', 'h', '2024-11-05', now())"
        )
        con.execute(
            "INSERT INTO feed_state (feed_id, name, url, kind)"
            " VALUES ('b1', 'backfill:example.org', 'https://example.org/', 'backfill')"
        )
    out = tmp_path / "export"
    report = export_warehouse(demo_db, out)
    assert [v.view for v in report.views] == VIEWS == list(EXPORTS)
    assert report.missing == []
    # Every public view, and the runs table: a view a migration adds must be exported too.
    public = rows(demo_db, "SELECT view_name FROM duckdb_views() WHERE NOT internal")
    assert {name for (name,) in public} | {"runs"} == set(VIEWS)
    assert (out / "feeds" / "data.parquet").is_file()
    assert sorted(p.name for p in (out / "articles").iterdir())[0].startswith("year=")
    assert (out / "missile_tests" / "year=2024" / "month=10").is_dir()
    reader = duckdb.connect()
    reader.execute("SET TimeZone = 'UTC'")
    for item in report.views:
        assert item.rows == scalar(demo_db, f"SELECT count(*) FROM {item.view}")
        assert item.rows > 0 or item.view in (
            "digest_deliveries",
            "backfill_chunks",
            "backfill_sources",
        )
        back = reader.execute(f"SELECT count(*) FROM ({read_back_sql(out, item.view)})").fetchone()
        assert back is not None
        assert back[0] == item.rows
    # Partitions are by the view's own date: every article of year=2024/month=6 is from June 2024.
    [(bad,)] = reader.execute(
        f"SELECT count(*) FROM ({read_back_sql(out, 'articles')})"
        " WHERE year <> year(published_at) OR month <> month(published_at)"
    ).fetchall()
    assert bad == 0
    # Lists, dates and time zones survive the trip.
    [(names, day)] = reader.execute(
        f"SELECT names_reported, event_date FROM ({read_back_sql(out, 'missile_tests')})"
        " WHERE designation = 'Hwasong-19'"
    ).fetchall()
    assert isinstance(names, list)
    assert str(day) == "2024-10-31"
    manifest = json.loads((out / "export.json").read_text(encoding="utf-8"))
    assert {v["view"]: v["rows"] for v in manifest["views"]} == {
        v.view: v.rows for v in report.views
    }


def test_exporting_again_replaces_each_view_whole(demo_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "export"
    first = export_warehouse(demo_db, out)
    stray = out / "articles" / "year=1999"
    stray.mkdir()
    (stray / "old.parquet").write_bytes(b"left over from an older export")
    second = export_warehouse(demo_db, out)
    assert [(v.view, v.rows, v.files) for v in second.views] == [
        (v.view, v.rows, v.files) for v in first.views
    ]
    assert not stray.exists()
    assert sorted(p.name for p in out.iterdir()) == sorted([*VIEWS, "export.json"])  # no leftovers


def test_the_warehouse_is_released_before_parquet_is_written(demo_db: Path, tmp_path: Path) -> None:
    report = export_warehouse(demo_db, tmp_path / "export")
    assert report.snapshot_s < report.seconds
    # Nothing holds the file afterwards: a writer opens it at once.
    wh = Warehouse(demo_db, wait_s=0.5)
    with wh.writer("after export"), wh.transaction() as con:
        con.execute("SELECT 1")


def test_export_command_prints_views_and_fails_in_one_line(demo_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "export"
    ok = invoke("export", "--out", str(out), "--db", str(demo_db), "--view", "missile_tests")
    assert ok.exit_code == 0, ok.stderr
    assert "year, month of event_date" in ok.stdout
    assert {p.name for p in out.iterdir()} == {"missile_tests", "export.json"}
    manifest = json.loads((out / "export.json").read_text(encoding="utf-8"))
    assert [v["view"] for v in manifest["views"]] == ["missile_tests"]

    missing = invoke("export", "--out", str(out), "--db", str(tmp_path / "none.duckdb"))
    assert missing.exit_code == 1
    assert missing.stderr.strip().splitlines() == [
        f"error: no warehouse at {tmp_path / 'none.duckdb'}: run `koreawatch demo` or"
        " `koreawatch ingest` first"
    ]
    with pytest.raises(WarehouseMissing):
        export_warehouse(tmp_path / "none.duckdb", out)


def test_export_waits_for_a_writer_that_has_the_file_open(demo_db: Path, tmp_path: Path) -> None:
    proc = hold_writer_lock(demo_db, file_open=True)
    try:
        busy = rf"^warehouse busy: {held_by(proc.pid)} is writing {demo_db}$"
        with pytest.raises(WarehouseBusy, match=busy):
            export_warehouse(demo_db, tmp_path / "export", wait_s=1.0)
    finally:
        proc.kill()
        proc.wait()
    # Holding only the writer lock (between writes) does not stop an export.
    holder = hold_writer_lock(demo_db)
    try:
        assert export_warehouse(demo_db, tmp_path / "export", wait_s=5.0).views
    finally:
        holder.kill()
        holder.wait()
