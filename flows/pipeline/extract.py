"""The events stage: stored articles -> event mentions -> consolidated events.

    with writing(wh, "extract"):                     # the caller holds the warehouse
        summary = run_reextract(wh, since=date(2024, 10, 1))   # recorded in runs

``run_extract`` is the stage itself (the extract backfill calls it for each day, inside its own
run; the ingest extracts in its workers and calls ``consolidate_pending``); ``run_reextract`` is
``koreawatch extract``, a run of its own.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from datetime import date

import duckdb

from extractors.articles import extract_articles
from extractors.events import Mention, default_extractor
from extractors.events.consolidate import consolidate_events
from extractors.quality import QualityVerdict
from extractors.records import ArticleText
from extractors.vocabulary import MENTION_KINDS
from flows.adapters.workers import extraction_pool, extraction_workers
from flows.runs import recorded_run
from warehouse import Warehouse
from warehouse.events import (
    clear_pending_days,
    close_days,
    count_events,
    events_on,
    load_article_meta,
    load_articles,
    load_mentions,
    mentions_of_events,
    pending_days,
    previous_assignments,
    replace_events,
    replace_mentions,
    store_events,
)


@dataclass(frozen=True, slots=True)
class ExtractSummary:
    articles: int
    mentions: int
    missile_mentions: int
    diplomacy_mentions: int
    events: int
    missile_tests: int
    diplomacy_events: int
    seconds: float


def run_extract(
    wh: Warehouse,
    *,
    since: date | None = None,
    until: date | None = None,
    article_ids: list[str] | None = None,
) -> ExtractSummary:
    """Re-extract the relevant articles in range (Korea dates), or exactly ``article_ids``, and
    rebuild the events of the days whose mentions changed.

    Replaces this extractor version's mentions of those articles, then rebuilds the events of
    the days their old and new mentions reach (``consolidate_pending``), keeping the id of every
    event that shares mentions with an earlier one. With no range and no ids, every article is
    re-extracted and every event rebuilt. One transaction: a run that fails leaves the warehouse
    as it was. The caller holds the writer lock.
    """
    started = time.perf_counter()
    extractor = default_extractor()
    everything = since is None and until is None and article_ids is None
    with wh.transaction() as con:
        articles = load_articles(con, since=since, until=until, article_ids=article_ids)
        mentions: list[Mention] = []
        verdicts: dict[str, QualityVerdict] = {}
        for article, (found, verdict) in zip(articles, _extract(articles), strict=True):
            mentions.extend(found)
            verdicts[article.article_id] = verdict
        replace_mentions(
            con, [a.article_id for a in articles], extractor.version, mentions, verdicts
        )
        if everything:
            consolidate_all(con, extractor.version)
        else:
            consolidate_pending(con, extractor.version)
        counts = count_events(con)
    return ExtractSummary(
        articles=len(articles),
        mentions=len(mentions),
        missile_mentions=sum(m.kind == "missile_test" for m in mentions),
        diplomacy_mentions=sum(m.kind == "diplomacy" for m in mentions),
        events=counts["missile_test"] + counts["diplomacy"],
        missile_tests=counts["missile_test"],
        diplomacy_events=counts["diplomacy"],
        seconds=round(time.perf_counter() - started, 3),
    )


_PER_WORKER_CALL = 100  # articles per round trip to an extraction worker
# Starting the workers costs a second or more (each imports trafilatura and compiles the rules):
# below this many articles, extraction here is as quick. Workers already running are used.
_START_WORKERS_AT = 2000


def _extract(articles: list[ArticleText]) -> list[tuple[list[Mention], QualityVerdict]]:
    """In the run's extraction workers when they are running or the work pays for starting
    them, else here."""
    pool = extraction_pool(len(articles) if len(articles) >= _START_WORKERS_AT else 0)
    if len(articles) < _PER_WORKER_CALL:
        pool = None
    if pool is None:
        return extract_articles(articles)
    batches = [
        articles[i : i + _PER_WORKER_CALL] for i in range(0, len(articles), _PER_WORKER_CALL)
    ]
    return [pair for batch in pool.map(extract_articles, batches) for pair in batch]


def consolidate_all(con: duckdb.DuckDBPyConnection, version: str) -> None:
    """Rebuild every event from all of this version's mentions."""
    current = load_mentions(con, version)
    metas = load_article_meta(con, sorted({m.article_id for m in current}))
    store_events(con, consolidate_events(current, metas, previous_assignments(con)), version)
    clear_pending_days(con)


def consolidate_pending(con: duckdb.DuckDBPyConnection, version: str) -> int:
    """Rebuild the events of the days queued in ``event_days_pending`` (and of the days their
    mentions reach, within limits: ``warehouse.events.close_days``), leaving every other event
    as it is; returns the mentions consolidated. Launches and diplomacy never share an event,
    so each kind's days are widened, and its events rebuilt, from its own mentions alone."""
    consolidated = 0
    for kind in MENTION_KINDS:
        days = close_days(con, pending_days(con, kind), version, kind)
        if not days:
            continue
        mentions = load_mentions(con, version, days, kind)
        while True:  # an event that reaches past the days is rebuilt whole, with all its mentions
            replaced = events_on(con, days, [m.mention_id for m in mentions], kind)
            more = mentions_of_events(con, version, replaced, [m.mention_id for m in mentions])
            if not more:
                break
            mentions += more
        metas = load_article_meta(con, sorted({m.article_id for m in mentions}))
        result = consolidate_events(mentions, metas, previous_assignments(con, replaced))
        replace_events(con, result, version, replaced)
        consolidated += len(mentions)
    clear_pending_days(con)
    return consolidated


def run_reextract(
    wh: Warehouse,
    *,
    since: date | None = None,
    until: date | None = None,
    run_id: str | None = None,
) -> ExtractSummary:
    """``koreawatch extract``: ``run_extract`` over a range, recorded in ``runs`` as 'extract'.
    The caller holds the warehouse (``writing``)."""
    parameters = {"since": since, "until": until}
    # workers of its own, started only for a re-extraction big enough to pay for them
    with recorded_run(wh, "extract", parameters, run_id=run_id) as run, extraction_workers():
        summary = run_extract(wh, since=since, until=until)
        run.counts = asdict(summary)
    return summary


def describe(summary: ExtractSummary) -> str:
    """One line for a terminal or a log."""
    return (
        f"{summary.articles} articles: {summary.mentions} mentions"
        f" ({summary.missile_mentions} missile, {summary.diplomacy_mentions} diplomacy);"
        f" {summary.missile_tests} missile tests and {summary.diplomacy_events} diplomacy events"
        f" in the warehouse ({summary.seconds:.1f} s)"
    )
