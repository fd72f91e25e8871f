"""Migrations run in their numbered order on every warehouse: one numbered below what a
warehouse has already applied is refused, not run after the later ones."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

import warehouse.connection
from warehouse import WarehouseError
from warehouse.connection import apply_migrations


def test_a_migration_numbered_below_the_applied_ones_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "migrations"
    folder.mkdir()
    (folder / "001_a.sql").write_text("CREATE TABLE a (x INTEGER);")
    (folder / "010_b.sql").write_text("CREATE TABLE b (x INTEGER);")
    monkeypatch.setattr(warehouse.connection, "MIGRATIONS_DIR", folder)
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    assert apply_migrations(con) == ["001_a", "010_b"]
    (folder / "005_late.sql").write_text("CREATE TABLE late (x INTEGER);")
    with pytest.raises(WarehouseError, match="older than this warehouse's schema"):
        apply_migrations(con)
    assert con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'late'"
    ).fetchone() == (0,)
    (folder / "005_late.sql").unlink()
    (folder / "011_c.sql").write_text("CREATE TABLE c (x INTEGER);")
    assert apply_migrations(con) == ["011_c"]
