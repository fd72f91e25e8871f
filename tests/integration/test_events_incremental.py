"""Consolidating only the days whose mentions changed gives exactly the events a consolidation of
the whole warehouse gives: on the demo corpus, as ingest built it, and built up again from
nothing in batches of articles in a shuffled order."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from extractors.events import EXTRACTOR_VERSION
from flows.pipeline.extract import consolidate_all, run_extract
from warehouse import Warehouse

FIELDS = (
    "kind, event_date, date_precision, missile_class, designation, names_reported, num_missiles,"
    " launch_site, distance_km, apogee_km, landing_area, outcome, overseen_by, event_type,"
    " actors, persons, location, summary, reported_by, num_articles, num_sources,"
    " first_reported_at, confidence, disputed_fields, flags, low_confidence"
)


def events(wh: Warehouse) -> tuple[list[tuple[Any, ...]], set[frozenset[str]]]:
    """Every event's fields (ids aside) and the partition of mentions into events."""
    with wh.reader() as con:
        fields = sorted(con.execute(f"SELECT {FIELDS} FROM event_store").fetchall(), key=repr)
        groups = con.execute(
            "SELECT list(mention_id) FROM mention_store WHERE event_id IS NOT NULL GROUP BY event_id"
        ).fetchall()
        dangling = con.execute(
            "SELECT count(*) FROM mention_store m WHERE event_id IS NOT NULL"
            " AND NOT EXISTS (SELECT 1 FROM event_store e WHERE e.event_id = m.event_id)"
        ).fetchone()
    assert dangling == (0,)
    return fields, {frozenset(g[0]) for g in groups}


def test_ingest_built_the_same_events_a_full_consolidation_does(demo_db: Path) -> None:
    wh = Warehouse(demo_db, wait_s=10)
    built = events(wh)
    assert built[0], "the demo corpus has events"
    with wh.writer("test"), wh.transaction() as con:
        consolidate_all(con, EXTRACTOR_VERSION)
    assert events(wh) == built


def test_batches_of_articles_in_any_order_give_the_same_events(demo_db: Path) -> None:
    wh = Warehouse(demo_db, wait_s=10)
    with wh.writer("test"):
        run_extract(wh)  # everything, consolidated at once
        full = events(wh)
        with wh.transaction() as con:
            ids = [
                r[0]
                for r in con.execute("SELECT article_id FROM articles WHERE is_relevant").fetchall()
            ]
            con.execute("DELETE FROM mention_store")
            con.execute("DELETE FROM event_store")
        random.Random(11).shuffle(ids)
        for start in range(0, len(ids), 7):
            run_extract(wh, article_ids=ids[start : start + 7])
        assert events(wh) == full
        run_extract(wh, article_ids=ids[:5])  # again: nothing changes
        assert events(wh) == full


def test_days_a_killed_run_left_queued_are_consolidated_by_the_next(demo_db: Path) -> None:
    from flows.pipeline.ingest import extract_events
    from warehouse.events import load_mentions, pending_days, replace_mentions

    wh = Warehouse(demo_db, wait_s=10)
    full = events(wh)
    with wh.writer("test"):
        with wh.transaction() as con:  # what a run killed after storing its pages leaves
            mentions = load_mentions(con, EXTRACTOR_VERSION)
            con.execute("DELETE FROM event_store")
            con.execute("UPDATE mention_store SET event_id = NULL")
            replace_mentions(
                con, sorted({m.article_id for m in mentions}), EXTRACTOR_VERSION, mentions, {}
            )
            assert pending_days(con)
        extract_events(wh, [])  # the next run: no new article, but days left
        with wh.transaction() as con:
            assert pending_days(con) == []
    assert events(wh) == full


def test_days_are_queued_and_rebuilt_for_the_kind_of_mention_that_changed(demo_db: Path) -> None:
    """A launch report re-extracted queues days for launches only: the diplomacy events of those
    days are neither widened over nor rebuilt (their consolidation is the same, untouched)."""
    from flows.pipeline.extract import consolidate_pending
    from warehouse.events import load_mentions, pending_days, replace_mentions

    wh = Warehouse(demo_db, wait_s=10)
    full = events(wh)
    with wh.writer("test"), wh.transaction() as con:
        mentions = load_mentions(con, EXTRACTOR_VERSION, kind="missile_test")
        assert mentions and {m.kind for m in mentions} == {"missile_test"}
        launch_only = sorted(
            {m.article_id for m in mentions}
            - {m.article_id for m in load_mentions(con, EXTRACTOR_VERSION, kind="diplomacy")}
        )
        assert launch_only, "the demo corpus has articles that report only launches"
        again = [m for m in mentions if m.article_id in launch_only]
        replace_mentions(con, launch_only, EXTRACTOR_VERSION, again, {})
        assert pending_days(con, "missile_test")
        assert pending_days(con, "diplomacy") == []
        diplomacy = con.execute(
            "SELECT event_id, consolidated_at FROM event_store WHERE kind = 'diplomacy' ORDER BY 1"
        ).fetchall()
        consolidate_pending(con, EXTRACTOR_VERSION)
        assert pending_days(con) == []
        assert (
            con.execute(
                "SELECT event_id, consolidated_at FROM event_store WHERE kind = 'diplomacy' ORDER BY 1"
            ).fetchall()
            == diplomacy
        )
    assert events(wh) == full


def test_an_article_whose_publication_time_moved_leaves_no_event_behind(demo_db: Path) -> None:
    # A re-fetched page that now gives another date: its undated mentions move with it, and the
    # event they made on the old day must go (the old day is queued from the event, not from the
    # mentions' reach, which already reads the new date).
    wh = Warehouse(demo_db, wait_s=10)
    with wh.writer("test"):
        with wh.transaction() as con:
            [(article_id,)] = con.execute(
                "SELECT article_id FROM mention_store WHERE date_precision = 'reported'"
                " AND kind = 'missile_test' ORDER BY article_id LIMIT 1"
            ).fetchall()
            con.execute(
                "UPDATE article_store SET published_at = published_at + INTERVAL 40 DAY"
                " WHERE article_id = ?",
                [article_id],
            )
        run_extract(wh, article_ids=[article_id])
        incremental = events(wh)
        with wh.transaction() as con:
            consolidate_all(con, EXTRACTOR_VERSION)
    assert incremental == events(wh)
