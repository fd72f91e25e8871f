"""The Prefect flows. Importing this module imports Prefect (seconds), so the CLI does so only
for commands that run a flow; deployments in ``deploy/prefect.yaml`` point here.

Flows are thin: each takes paths and plain values, holds the warehouse writer lock for the run,
and calls the plain functions of ``flows.ingest`` and friends as tasks of many items each
(Prefect's per-task cost is real; see NOTES.md).
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from prefect import flow, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run

from flows.config import load_config
from flows.ingest import (
    IngestSummary,
    chunked,
    extract_events,
    fetch_and_store,
    pending_jobs,
    poll_and_store,
    recorded_ingest,
    summary_markdown,
)
from flows.serve import warehouse_slot
from warehouse import Warehouse
from warehouse.ingest import FetchJob


@task(name="poll-feeds", cache_policy=NO_CACHE, retries=1, retry_delay_seconds=5)
def poll_task(config_path: str, db_path: str, ignore_backoff: bool) -> IngestSummary:
    return poll_and_store(
        load_config(Path(config_path)), Warehouse(db_path), ignore_backoff=ignore_backoff
    )


@task(name="plan-fetches", cache_policy=NO_CACHE)
def plan_task(db_path: str) -> list[FetchJob]:
    return pending_jobs(Warehouse(db_path))


@task(name="fetch-pages", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=10)
def fetch_task(
    config_path: str, db_path: str, jobs: list[FetchJob], done_before: int, total: int
) -> IngestSummary:
    config = load_config(Path(config_path))
    return fetch_and_store(config, Warehouse(db_path), jobs, done_before=done_before, total=total)


@task(name="extract-events", cache_policy=NO_CACHE, retries=1)
def extract_task(db_path: str, article_ids: list[str]) -> tuple[int, int]:
    return extract_events(Warehouse(db_path), article_ids)


@flow(name="ingest", log_prints=True)
def ingest_flow(
    config_path: str = "deploy/feeds.toml",
    db_path: str = "data/koreawatch.duckdb",
    ignore_backoff: bool = False,
    lock_wait_s: float = 120.0,
) -> dict[str, Any]:
    """Poll the configured feeds, fetch new Korea-related articles, store their clean text and
    extract missile-test and diplomacy events. Safe to re-run at any time: it adds only what is
    new, and finishes the work of a run that was killed."""
    wh = Warehouse(db_path, wait_s=lock_wait_s)
    run_id = str(flow_run.get_id() or uuid.uuid4().hex)
    parameters = {"config": config_path, "ignore_backoff": ignore_backoff}
    with (
        warehouse_slot("ingest", lock_wait_s, on_wait=print),
        wh.writer("ingest", on_wait=print),
        recorded_ingest(wh, parameters, run_id) as run,
    ):
        run.summary = poll_task(config_path, db_path, ignore_backoff)
        jobs = plan_task(db_path)
        batch = load_config(Path(config_path)).fetch.batch_size
        done = 0
        for chunk in chunked(jobs, batch):
            run.summary.merge_pages(fetch_task(config_path, db_path, chunk, done, len(jobs)))
            done += len(chunk)
        run.summary.mentions, run.summary.events = extract_task(
            db_path, run.summary.new_article_ids
        )
    summary = run.summary
    create_markdown_artifact(
        summary_markdown(summary), key="ingest-summary", description="koreawatch ingest run"
    )
    return summary.counts()
