"""`koreawatch sql`'s engine reads the warehouse and nothing else (hostile SQL, real DuckDB files)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import pytest

from warehouse import Warehouse
from warehouse.query import QueryFailed, QueryRefused, run_query


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def warehouses(tmp_path: Path) -> tuple[Path, Path]:
    main, other = tmp_path / "main.duckdb", tmp_path / "other.duckdb"
    for path in (main, other):
        con = duckdb.connect(str(path))
        con.execute("CREATE TABLE article_store AS SELECT range AS id FROM range(5)")
        con.close()
    return main, other


def test_queries_run(warehouses: tuple[Path, Path]) -> None:
    main, _ = warehouses
    result = run_query(
        Warehouse(main), "WITH a AS (SELECT id FROM article_store) SELECT count(*) AS n FROM a"
    )
    assert result.columns == ["n"]
    assert result.rows == [(5,)]
    assert run_query(Warehouse(main), "SHOW TABLES").rows == [("article_store",)]
    assert run_query(Warehouse(main), "EXPLAIN SELECT 1").columns


@pytest.mark.parametrize(
    ("sql", "refusal"),
    [
        ("COPY (SELECT 'x') TO '{main}' (FORMAT csv)", "COPY"),
        ("ATTACH '{other}' AS o (READ_ONLY false); DELETE FROM o.article_store", "ATTACH"),
        ("INSTALL httpfs", "INSTALL"),
        ("LOAD parquet", "INSTALL"),
        ("SET enable_external_access = true", "SET"),
        ("EXPORT DATABASE '{tmp}/dump'", "EXPORT"),
        ("PRAGMA enable_profiling", "PRAGMA"),
        ("CHECKPOINT", "CALL"),
        ("SELECT 1; DELETE FROM article_store", "DELETE"),
        ("EXPLAIN ANALYZE COPY (SELECT 1) TO '{tmp}/x.csv'", "COPY"),
        ("CREATE TEMP TABLE t AS SELECT 1", "CREATE"),
    ],
)
def test_statements_that_are_not_queries_are_refused_and_change_nothing(
    warehouses: tuple[Path, Path], sql: str, refusal: str
) -> None:
    main, other = warehouses
    before = (_digest(main), _digest(other))
    query = sql.format(main=main, other=other, tmp=main.parent)
    with pytest.raises(QueryRefused) as caught:
        run_query(Warehouse(main), query)
    message = str(caught.value)
    assert "\n" not in message
    assert refusal in message
    assert (_digest(main), _digest(other)) == before
    assert not (main.parent / "dump").exists()
    assert not (main.parent / "x.csv").exists()


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT * FROM read_csv('/etc/passwd')",
        "SELECT * FROM read_text('/etc/passwd')",
        "SELECT * FROM glob('/root/*')",
        "SELECT * FROM '{other}'",
        "SELECT * FROM read_parquet('{tmp}/*.parquet')",
        "SELECT * FROM query('SELECT * FROM read_text(''/etc/passwd'')')",
    ],
)
def test_queries_cannot_reach_other_files(warehouses: tuple[Path, Path], sql: str) -> None:
    main, other = warehouses
    with pytest.raises(QueryFailed) as caught:
        run_query(Warehouse(main), sql.format(other=other, tmp=main.parent))
    assert "disabled by configuration" in str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_syntax_error_is_one_line(warehouses: tuple[Path, Path]) -> None:
    main, _ = warehouses
    with pytest.raises(QueryFailed) as caught:
        run_query(Warehouse(main), "SELEC 1")
    assert "syntax error" in str(caught.value).lower()
    assert "\n" not in str(caught.value)
