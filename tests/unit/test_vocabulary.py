"""The vocabularies in extractors.vocabulary are the ones the warehouse accepts and the digest shows."""

from __future__ import annotations

import re

import duckdb
import pytest

from extractors import vocabulary as v
from warehouse.connection import apply_migrations


def _check_values(con: duckdb.DuckDBPyConnection, table: str, column: str) -> set[str]:
    (sql,) = con.execute(
        "SELECT sql FROM duckdb_tables() WHERE table_name = ?", [table]
    ).fetchone() or ("",)
    match = re.search(rf'CHECK\(\("?{column}"? IN \(([^)]*)\)\)\)', sql)
    assert match is not None, f"{table}.{column} has no IN (...) check: {sql}"
    return set(re.findall(r"'([^']*)'", match.group(1)))


@pytest.fixture(scope="module")
def con() -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect(":memory:")
    apply_migrations(connection)
    return connection


@pytest.mark.parametrize(
    ("table", "column", "values"),
    [
        ("event_store", "missile_class", v.MISSILE_CLASSES),
        ("event_store", "event_type", v.DIPLOMACY_TYPES),
        ("event_store", "outcome", v.OUTCOMES),
        ("event_store", "date_precision", v.DATE_PRECISIONS),
        ("event_store", "kind", v.MENTION_KINDS),
        ("mention_store", "date_precision", v.DATE_PRECISIONS),
        ("mention_store", "outcome", v.OUTCOMES),
        ("mention_store", "kind", v.MENTION_KINDS),
        ("feed_state", "last_status", v.FEED_STATUSES),
        ("item_state", "status", v.ITEM_STATUSES),
        ("article_store", "text_source", v.TEXT_SOURCES),
        ("article_store", "published_at_source", v.PUBLISHED_AT_SOURCES),
        ("runs", "status", v.RUN_STATUSES),
        ("digest_delivery_state", "status", v.DELIVERY_STATUSES),
        ("backfill_chunk_state", "mode", v.BACKFILL_MODES),
    ],
)
def test_warehouse_checks_accept_exactly_the_vocabulary(
    con: duckdb.DuckDBPyConnection, table: str, column: str, values: tuple[str, ...]
) -> None:
    assert _check_values(con, table, column) == set(values)


def test_every_value_has_a_label_and_colour() -> None:
    assert set(v.MISSILE_CLASS_LABELS) == set(v.MISSILE_CLASSES)
    assert set(v.MISSILE_CLASS_COLOURS) == set(v.MISSILE_CLASSES)
    assert set(v.DIPLOMACY_TYPE_LABELS) == set(v.DIPLOMACY_TYPES)
    assert set(v.OUTCOME_LABELS) == set(v.OUTCOMES)
    assert set(v.FEED_STATUS_COLOURS) == set(v.FEED_STATUSES)
    assert set(v.RUN_STATUS_COLOURS) == {*v.RUN_STATUSES, "stale"}


def test_a_page_status_is_an_item_status() -> None:
    assert set(v.PAGE_STATUSES) <= set(v.ITEM_STATUSES)


def test_extractor_summary_starts_with_the_label_the_digest_strips() -> None:
    from extractors.events.diplomacy import summarise
    from flows.digest.view import _diplomacy_summary

    summary = summarise("dialogue_offer", ["KOR", "PRK"], [], None, "Seoul offered talks.")
    label = v.DIPLOMACY_TYPE_LABELS["dialogue_offer"]
    assert summary.startswith(label + ":")
    assert not _diplomacy_summary(summary, label).startswith(label)
