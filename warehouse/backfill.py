"""Writes and reads for backfills: finished chunks, synthetic sources, and the fetch queue of
the pages a backfill found.

    with wh.transaction() as con:
        done = completed_chunks(con, "sitemap", params_hash)
        ensure_backfill_source(con, "example.com")
        insert_new_items(con, items)                    # warehouse.ingest, as ingest does
        jobs = backfill_jobs(con, [i.url for i in items], now)
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import duckdb

from warehouse.ingest import FETCH_JOB_COLUMNS, WAITING, FetchJob, mark_already_stored

BACKFILL_PREFIX = "backfill:"


@dataclass(frozen=True)
class ChunkRecord:
    mode: str
    chunk: str
    params_hash: str
    day: date | None
    params: dict[str, Any]
    run_id: str
    completed_at: datetime
    seconds: float
    counts: dict[str, Any]


def source_id(host: str) -> str:
    """The synthetic feed id under which a backfill files the pages of one host."""
    return BACKFILL_PREFIX + host


def completed_chunks(con: duckdb.DuckDBPyConnection, mode: str, params_hash: str) -> set[str]:
    rows = con.execute(
        "SELECT chunk FROM backfill_chunk_state WHERE mode = ? AND params_hash = ?",
        [mode, params_hash],
    ).fetchall()
    return {row[0] for row in rows}


def record_chunk(con: duckdb.DuckDBPyConnection, record: ChunkRecord) -> None:
    """Mark a chunk done (again, with a rerun's figures, when forced)."""
    con.execute(
        """
        INSERT INTO backfill_chunk_state
            (mode, chunk, params_hash, day, params, run_id, completed_at, seconds, counts)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (mode, chunk, params_hash) DO UPDATE SET
            run_id = excluded.run_id, completed_at = excluded.completed_at,
            seconds = excluded.seconds, counts = excluded.counts, params = excluded.params
        """,
        [
            record.mode, record.chunk, record.params_hash, record.day,
            json.dumps(record.params, default=str), record.run_id, record.completed_at,
            record.seconds, json.dumps(record.counts, default=str),
        ],
    )  # fmt: skip


def ensure_backfill_sources(con: duckdb.DuckDBPyConnection, hosts: Sequence[str]) -> None:
    """A feed_state row per host, kind 'backfill': never polled, not in the ``feeds`` view, but
    there for joins from feed_items and articles, and for ingest to retry soft failures."""
    for host in sorted(set(hosts)):
        con.execute(
            """
            INSERT INTO feed_state (feed_id, name, url, all_relevant, in_config, kind)
            VALUES (?, ?, ?, FALSE, FALSE, 'backfill')
            ON CONFLICT (feed_id) DO NOTHING
            """,
            [source_id(host), f"backfill: {host}", f"{BACKFILL_PREFIX}{host}"],
        )


def backfill_jobs(
    con: duckdb.DuckDBPyConnection, urls: Sequence[str], now: datetime
) -> list[FetchJob]:
    """The pages among ``urls`` still to fetch: items pending, or failed and due again.

    A URL already stored as an article (a feed brought it first, or an earlier backfill) is
    marked fetched and not fetched again.
    """
    wanted = sorted(set(urls))
    if not wanted:
        return []
    mark_already_stored(con, "list_contains(?, i.url)", [wanted])
    rows = con.execute(
        f"""
        SELECT {FETCH_JOB_COLUMNS}
        FROM item_state i JOIN feed_state f USING (feed_id)
        WHERE list_contains(?, i.url) AND {WAITING}
        GROUP BY i.url
        ORDER BY i.url
        """,
        [wanted, now],
    ).fetchall()
    return [FetchJob(*row) for row in rows]


def item_outcomes(con: duckdb.DuckDBPyConnection, urls: Sequence[str]) -> dict[str, int]:
    """How the items for ``urls`` stand: status -> count (one per URL, its best status)."""
    wanted = sorted(set(urls))
    if not wanted:
        return {}
    rows = con.execute(
        """
        SELECT status, count(*) FROM (
            SELECT url, CASE WHEN bool_or(status = 'fetched') THEN 'fetched'
                             WHEN bool_or(status = 'pending') THEN 'pending'
                             WHEN bool_or(status = 'failed') THEN 'failed'
                             WHEN bool_or(status = 'skipped') THEN 'skipped'
                             ELSE 'irrelevant' END AS status
            FROM item_state WHERE list_contains(?, url) GROUP BY url
        ) GROUP BY status
        """,
        [wanted],
    ).fetchall()
    return {row[0]: int(row[1]) for row in rows}


def article_ids_for(con: duckdb.DuckDBPyConnection, urls: Sequence[str]) -> list[str]:
    """The articles stored for ``urls`` (by the items that point at them)."""
    wanted = sorted(set(urls))
    if not wanted:
        return []
    rows = con.execute(
        """
        SELECT DISTINCT article_id FROM item_state
        WHERE list_contains(?, url) AND article_id IS NOT NULL ORDER BY 1
        """,
        [wanted],
    ).fetchall()
    return [row[0] for row in rows]
