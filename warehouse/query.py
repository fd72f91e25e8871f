"""Users' own SQL (``koreawatch sql``): it reads the warehouse and reaches nothing else.

A DuckDB connection opened read-only still writes files (``COPY ... TO``), reads any file
(``read_csv('/etc/passwd')``, ``glob``), attaches and writes other databases and downloads
extensions: read-only protects the opened file from SQL writes, nothing more. So a user query runs
on a read-only connection with external access switched off and the configuration locked (no
``SET`` can switch it back), and only queries get that far: each statement must be a ``SELECT``
(``WITH``, ``FROM``, ``VALUES``, ``SHOW``, ``DESCRIBE``, ``SUMMARIZE`` are SELECTs to DuckDB) or an
``EXPLAIN`` of one. The statement check gives a clear one-line refusal; the configuration is what
holds if the check ever misses a way in.

    result = run_query(Warehouse(path), "SELECT source, count(*) FROM articles GROUP BY 1")
    result.columns, result.rows
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import duckdb

from warehouse.connection import Warehouse, WarehouseError

_EXPLAIN = re.compile(r"^\s*EXPLAIN(?:\s+ANALY[SZ]E)?\s+", re.I)
# What each refused statement type would have done, for the one-line refusal.
_REFUSED = {
    "COPY": "COPY writes or reads files; use `koreawatch export` for Parquet files",
    "EXPORT": "EXPORT DATABASE writes files; use `koreawatch export`",
    "ATTACH": "ATTACH opens other databases; `sql` reads this warehouse only",
    "DETACH": "DETACH changes the attached databases",
    "LOAD": "INSTALL and LOAD fetch or load extensions",
    "SET": "SET, RESET and USE change the connection's configuration",
    "PRAGMA": "PRAGMA changes or reports configuration; use SHOW or DESCRIBE",
    "CALL": "CALL runs procedures such as CHECKPOINT",
}


class QueryRefused(WarehouseError):
    """The SQL is not a query: ``koreawatch sql`` only reads."""


class QueryFailed(WarehouseError):
    """DuckDB rejected the query (syntax, unknown column, permission); the message is its own."""


@dataclass(frozen=True, slots=True)
class QueryResult:
    columns: list[str]
    rows: list[tuple[Any, ...]]


def _statement_types(con: duckdb.DuckDBPyConnection, sql: str) -> list[str]:
    try:
        statements = con.extract_statements(sql)
    except duckdb.Error as exc:
        raise QueryFailed(_first_line(exc)) from None
    if not statements:
        raise QueryRefused("no SQL statement given")
    types = []
    for statement in statements:
        kind = statement.type.name
        if kind == "EXPLAIN":
            inner = _EXPLAIN.sub("", statement.query, count=1)
            kinds = _statement_types(con, inner) if inner != statement.query else ["EXPLAIN?"]
            kind = "SELECT" if kinds == ["SELECT"] else kinds[0]
        types.append(kind)
    return types


def check_query(con: duckdb.DuckDBPyConnection, sql: str) -> None:
    """Raise ``QueryRefused`` unless every statement in ``sql`` only reads."""
    for kind in _statement_types(con, sql):
        if kind != "SELECT":
            reason = _REFUSED.get(kind, f"{kind} statements change data or settings")
            raise QueryRefused(
                f"refused: `koreawatch sql` is read-only and runs queries only ({reason})"
            )


def lock_down(con: duckdb.DuckDBPyConnection) -> None:
    """No file, network or extension access from here on, and no way to turn it back on."""
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


def run_query(wh: Warehouse, sql: str, params: Sequence[Any] | None = None) -> QueryResult:
    """Run a user's query on a locked-down read-only connection and fetch every row."""
    with wh.reader() as con:
        lock_down(con)
        check_query(con, sql)
        try:
            cursor = con.execute(sql, params) if params else con.execute(sql)
            columns = [d[0] for d in cursor.description] if cursor.description else []
            rows = cursor.fetchall() if columns else []
        except duckdb.Error as exc:
            raise QueryFailed(_first_line(exc)) from None
    return QueryResult(columns, rows)
