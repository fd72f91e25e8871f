"""The Prefect flows, and the only module that defines any: thin wrappers over the plain
``run_*`` functions of ``flows.pipeline`` and ``flows.digest``.

    koreawatch ingest        # runs ingest_flow in this process
    prefect deploy ...       # deploy/prefect.yaml points here: flows/definitions.py:ingest_flow

Every flow takes the same parameter names for the same things: ``db_path`` (the warehouse,
default ``KOREAWATCH_DB`` or data/koreawatch.duckdb), ``config_path`` (the TOML config, default
``KOREAWATCH_CONFIG`` or deploy/feeds.toml) and ``lock_wait_s`` (how long to wait for another
run writing the warehouse). Each holds the warehouse with ``flows.runs.writing`` (the Prefect
slot, then the file lock) and records itself in ``runs`` with the flow run's id.

Importing this module imports Prefect (seconds): the CLI does so only for commands that run a
flow. The ingest's work goes in tasks of many items each, since Prefect's per-task cost is real
(tens of milliseconds recorded on the server per task).
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from prefect import flow, task
from prefect.artifacts import acreate_markdown_artifact, create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run

from flows.adapters.workers import ExtractionWorkersDied
from flows.config import Config, load_config, require_feeds
from flows.days import optional_day
from flows.pipeline.ingest import (
    IngestSummary,
    extract_events,
    fetch_and_store,
    pending_jobs,
    poll_and_store,
    run_ingest,
    summary_markdown,
)
from flows.runs import writing
from flows.settings import DEFAULT_LOCK_WAIT_S, load_settings
from warehouse import Warehouse
from warehouse.ingest import FetchJob


def _paths(db_path: str | None, config_path: str | None) -> tuple[Path, Path]:
    settings = load_settings()
    return Path(db_path or settings.db), Path(config_path or settings.config)


def _run_id() -> str:
    return str(flow_run.get_id() or uuid.uuid4().hex)


# -- ingest -----------------------------------------------------------------------------------


@task(name="poll-feeds", cache_policy=NO_CACHE, retries=1, retry_delay_seconds=5)
def poll_task(config_path: str, db_path: str, ignore_backoff: bool) -> IngestSummary:
    return poll_and_store(
        load_config(Path(config_path)), Warehouse(db_path), ignore_backoff=ignore_backoff
    )


@task(name="plan-fetches", cache_policy=NO_CACHE)
def plan_task(db_path: str) -> list[FetchJob]:
    return pending_jobs(Warehouse(db_path))


def _worth_retrying(task: Any, task_run: Any, state: Any) -> bool:
    """A dead extraction pool stays dead: fail the run now (its pages stay pending)."""
    return not isinstance(state.data, ExtractionWorkersDied)


@task(
    name="fetch-pages", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=10,
    retry_condition_fn=_worth_retrying,
)  # fmt: skip
def fetch_task(
    config_path: str, db_path: str, jobs: list[FetchJob], done_before: int, total: int
) -> IngestSummary:
    config = load_config(Path(config_path))
    return fetch_and_store(config, Warehouse(db_path), jobs, done_before=done_before, total=total)


@task(name="extract-events", cache_policy=NO_CACHE, retries=1)
def extract_task(db_path: str, article_ids: list[str]) -> tuple[int, int]:
    return extract_events(Warehouse(db_path), article_ids)


@dataclass(frozen=True)
class TaskSteps:
    """The ingest's steps as Prefect tasks: they take paths, not connections or clients."""

    config_path: str
    db_path: str
    ignore_backoff: bool

    def poll(self) -> IngestSummary:
        return poll_task(self.config_path, self.db_path, self.ignore_backoff)

    def plan(self) -> list[FetchJob]:
        return plan_task(self.db_path)

    def fetch(self, jobs: list[FetchJob], done_before: int, total: int) -> IngestSummary:
        return fetch_task(self.config_path, self.db_path, jobs, done_before, total)

    def extract(self, article_ids: list[str]) -> tuple[int, int]:
        return extract_task(self.db_path, article_ids)


@flow(name="ingest", log_prints=True)
async def ingest_flow(
    config_path: str | None = None,
    db_path: str | None = None,
    ignore_backoff: bool = False,
    lock_wait_s: float = DEFAULT_LOCK_WAIT_S,
) -> dict[str, Any]:
    """Poll the configured feeds, fetch new Korea-related articles, store their clean text and
    extract missile-test and diplomacy events. Safe to re-run at any time: it adds only what is
    new, and finishes the work of a run that was killed."""
    # An async flow whose body is plain blocking code, as a sync flow's would be: Prefect's
    # engine for sync flows waits up to a second for its heartbeat thread when a run ends,
    # most of a re-run that every feed answers with 304; the async engine does not wait.
    summary = _ingest(config_path, db_path, ignore_backoff, lock_wait_s)
    await acreate_markdown_artifact(
        summary_markdown(summary), key="ingest-summary", description="koreawatch ingest run"
    )
    counts = summary.counts()
    counts["feed_errors"] = summary.feed_errors
    return counts


def _ingest(
    config_path: str | None, db_path: str | None, ignore_backoff: bool, lock_wait_s: float
) -> IngestSummary:
    db, config_file = _paths(db_path, config_path)
    config = load_config(config_file)
    require_feeds(config)
    wh = Warehouse(db, wait_s=lock_wait_s)
    steps = TaskSteps(str(config_file), str(db), ignore_backoff)
    run_id = _run_id()
    with writing(wh, "ingest", on_wait=print, run_id=run_id):
        return run_ingest(config, wh, ignore_backoff=ignore_backoff, run_id=run_id, steps=steps)


# -- extract ----------------------------------------------------------------------------------


@flow(name="extract", log_prints=True)
def extract_flow(
    db_path: str | None = None,
    since: str | None = None,
    until: str | None = None,
    lock_wait_s: float = 300.0,
) -> dict[str, Any]:
    """Re-extract missile-test and diplomacy events from the stored articles published between
    `since` and `until` (Korea dates, inclusive; both empty = every article), then rebuild the
    consolidated events. Waits for any other run writing the warehouse, and changes nothing if
    run twice."""
    from extractors.events import EXTRACTOR_VERSION
    from flows.pipeline.extract import describe, run_reextract

    start, end = optional_day(since, "since"), optional_day(until, "until")
    db, _ = _paths(db_path, None)
    wh = Warehouse(db, wait_s=lock_wait_s)
    wh.require()  # work on stored articles: a typo must not make a warehouse
    run_id = _run_id()
    with writing(wh, "extract", on_wait=print, run_id=run_id):
        summary = run_reextract(wh, since=start, until=end, run_id=run_id)
    print(f"extract ({EXTRACTOR_VERSION}): {describe(summary)}")
    return asdict(summary)


# -- digest -----------------------------------------------------------------------------------


@flow(name="digest", log_prints=True)
def digest_flow(
    date: str | None = None,
    send: bool = False,
    db_path: str | None = None,
    config_path: str | None = None,
    out_dir: str | None = None,
    retry_failed: bool = False,
    lock_wait_s: float = DEFAULT_LOCK_WAIT_S,
) -> dict[str, Any]:
    """Write the daily digest for one day (default: yesterday, Korea time) as HTML, text,
    Markdown and a chart, refresh the Atom feed of digests and, with send=True, email it to
    each configured recipient once. Re-running is safe: the delivery ledger skips everyone
    who already received that day's digest, and recipients whose address was refused (5xx)
    are retried only with retry_failed=True."""
    from flows.digest import DigestDeliveryFailed, describe, run_digest

    db, config_file = _paths(db_path, config_path)
    result = run_digest(
        db_path=db,
        config=load_config(config_file),
        day=optional_day(date, "date"),
        out_dir=Path(out_dir) if out_dir else None,
        send=send,
        retry_failed=retry_failed,
        lock_wait_s=lock_wait_s,
    )
    create_markdown_artifact(
        result.markdown, key="daily-digest", description=f"koreawatch digest for {result.day}"
    )
    for line in describe(result):
        print(line)
    if result.delivery is not None and result.delivery.failed:
        raise DigestDeliveryFailed(
            f"digest not delivered to {len(result.delivery.failed)} recipient(s): "
            + "; ".join(f"{a} ({e})" for a, e in result.delivery.failed)
        )
    return result.summary()


# -- backfill ---------------------------------------------------------------------------------


@flow(name="backfill", log_prints=True)
def backfill_flow(
    mode: str = "extract",
    since: str | None = None,
    until: str | None = None,
    sitemaps: list[str] | None = None,
    urls_file: str | None = None,
    force: bool = False,
    config_path: str | None = None,
    db_path: str | None = None,
    lock_wait_s: float = DEFAULT_LOCK_WAIT_S,
) -> dict[str, Any]:
    """Go back in time, day by day: re-extract events from stored articles (mode extract),
    fetch past articles listed in sitemaps (mode sitemap) or in a file of URLs (mode urls)
    through the ingest path, or rebuild the daily digests without sending them (mode
    digests). Resumable and idempotent: finished days are recorded and skipped, so a killed
    backfill goes on where it stopped. Writes one day (or one batch of pages) at a time, so
    scheduled ingests get the warehouse in between."""
    from flows.pipeline.backfill import (
        BackfillRequest,
        backfill_config,
        backfill_mode,
        describe_chunk,
        run_backfill,
        validate,
    )

    request = BackfillRequest(
        mode=backfill_mode(mode), since=optional_day(since, "since"),
        until=optional_day(until, "until"), sitemaps=tuple(sitemaps or ()),
        urls_file=Path(urls_file) if urls_file else None, force=force,
    )  # fmt: skip
    validate(request)
    db, config_file = _paths(db_path, config_path)
    config: Config = backfill_config(config_file, request.mode, given=config_path is not None)
    summary = run_backfill(
        config, Warehouse(db, wait_s=lock_wait_s), request, run_id=_run_id(),
        on_chunk=lambda result: print(describe_chunk(result)), on_wait=print,
    )  # fmt: skip
    for note in summary.notes:
        print(note)
    return summary.as_dict()
