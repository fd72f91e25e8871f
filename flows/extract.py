"""The extract flow: stored articles -> event mentions -> consolidated events.

    with wh.writer("extract"):                      # the caller holds the writer lock
        summary = run_extract(wh, since=date(2024, 10, 1))

``extract_flow`` is the same as a Prefect flow that takes the lock itself. Prefect is imported
only when ``extract_flow`` is first used, so importing ``run_extract`` stays light.
"""

from __future__ import annotations

import functools
import time
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any

from extractors.events import EXTRACTOR_VERSION, Mention, default_extractor
from extractors.events.consolidate import consolidate_events
from extractors.quality import QualityVerdict, assess_article
from warehouse import Warehouse
from warehouse.events import (
    count_events,
    load_article_meta,
    load_articles,
    load_mentions,
    previous_assignments,
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
    """Re-extract the relevant articles in range (Korea dates) and re-consolidate every event.

    Replaces this extractor version's mentions of those articles, then rebuilds the events from
    all of this version's mentions, keeping the id of every event that shares mentions with an
    earlier one. One transaction: a run that fails leaves the warehouse as it was. The caller
    holds the writer lock.
    """
    started = time.perf_counter()
    extractor = default_extractor()
    with wh.transaction() as con:
        articles = load_articles(con, since=since, until=until, article_ids=article_ids)
        mentions: list[Mention] = []
        verdicts: dict[str, QualityVerdict] = {}
        for article in articles:
            mentions.extend(extractor.extract(article))
            verdicts[article.article_id] = assess_article(article)
        replace_mentions(
            con, [a.article_id for a in articles], extractor.version, mentions, verdicts
        )
        current = load_mentions(con, extractor.version)
        metas = load_article_meta(con, sorted({m.article_id for m in current}))
        result = consolidate_events(current, metas, previous_assignments(con))
        store_events(con, result, extractor.version)
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


def _parse_day(value: str | None, name: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{name} must be a date like 2024-10-31, not {value!r}") from None


@functools.cache
def _build_flow() -> Any:
    from prefect import flow

    @flow(name="extract", log_prints=True)
    def extract_flow(
        db: str, since: str | None = None, until: str | None = None, lock_wait_s: float = 300.0
    ) -> dict[str, Any]:
        """Re-extract missile-test and diplomacy events from the stored articles published between
        `since` and `until` (Korea dates, inclusive; both empty = every article), then rebuild the
        consolidated events. Waits for any other run writing the warehouse, and changes nothing if
        run twice."""
        start, end = _parse_day(since, "since"), _parse_day(until, "until")
        from flows.ingest import begin_run, end_run_counts
        from flows.serve import warehouse_slot

        wh = Warehouse(Path(db), wait_s=lock_wait_s)
        with (
            warehouse_slot("extract", lock_wait_s, on_wait=print),
            wh.writer("extract", on_wait=print),
        ):
            run_id = begin_run(wh, "extract", {"since": since, "until": until})
            try:
                summary = run_extract(wh, since=start, until=end)
            except BaseException as exc:
                end_run_counts(
                    wh, run_id, {}, status="failed", errors=[f"{type(exc).__name__}: {exc}"]
                )
                raise
            end_run_counts(wh, run_id, asdict(summary))
        print(
            f"extract ({EXTRACTOR_VERSION}): {summary.articles} articles, {summary.mentions}"
            f" mentions, {summary.missile_tests} missile tests, {summary.diplomacy_events}"
            f" diplomacy events in {summary.seconds:.1f} s"
        )
        return asdict(summary)

    return extract_flow


def __getattr__(name: str) -> Any:
    if name == "extract_flow":
        return _build_flow()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
