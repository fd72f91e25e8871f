"""Fetching article pages politely and analysing them (text, relevance, signature).

    results = await fetch_pages(client, jobs, config.fetch, throttle, robots, pool, on_done)

Text extraction is CPU work: it runs in the extraction workers (``flows.adapters.workers``), in
batches, while the event loop keeps fetching, so a run's throughput is close to trafilatura's
own (scripts/bench_ingest.py).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from extractors.articles import AnalysedPage, PageInput, analyse_pages
from extractors.vocabulary import PageStatus
from flows.adapters.client import (
    HostThrottle,
    Response,
    RobotsCache,
    fetch_with_retries,
    require_html,
)
from flows.adapters.errors import FetchError, HttpStatusError
from flows.adapters.workers import ExtractionWorkersDied, pool_broken
from flows.config import FetchConfig
from warehouse.ingest import FetchJob

_BATCH = 8  # pages per worker round trip: fewer, larger messages keep the event loop free


@dataclass(frozen=True)
class PageResult:
    job: FetchJob
    status: PageStatus
    reason: str
    soft: bool  # for failures: worth trying again on a later run
    response: Response | None = None
    analysed: AnalysedPage | None = None


class _Batcher:
    """Collects pages and sends them to the pool in batches of ``_BATCH``."""

    def __init__(self, pool: Executor | None) -> None:
        self._pool = pool
        self._waiting: list[tuple[PageInput, asyncio.Future[AnalysedPage | str]]] = []
        self._timer: asyncio.TimerHandle | None = None

    async def analyse(self, item: PageInput) -> AnalysedPage | str:
        if self._pool is None:
            return analyse_pages([item])[0]
        future: asyncio.Future[AnalysedPage | str] = asyncio.get_running_loop().create_future()
        self._waiting.append((item, future))
        if len(self._waiting) >= _BATCH:
            self._flush()
        elif self._timer is None:
            self._timer = asyncio.get_running_loop().call_later(0.05, self._flush)
        return await future

    def _flush(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        batch, self._waiting = self._waiting, []
        if not batch or self._pool is None:
            return
        loop = asyncio.get_running_loop()
        try:
            done = loop.run_in_executor(self._pool, analyse_pages, [item for item, _ in batch])
        except Exception as exc:  # a dead pool refuses work: every waiting page must hear it
            dead = ExtractionWorkersDied.from_error(exc) if pool_broken(exc) else exc
            for _, future in batch:
                if not future.done():
                    future.set_exception(dead)
            return

        def deliver(task: asyncio.Future[list[AnalysedPage | str]]) -> None:
            error = task.exception()
            for index, (_, future) in enumerate(batch):
                if future.done():
                    continue
                if pool_broken(error):  # the run fails; not one page's fault
                    assert error is not None
                    future.set_exception(ExtractionWorkersDied.from_error(error))
                elif error is not None:
                    future.set_result(f"extraction failed: {type(error).__name__}: {error}")
                else:
                    future.set_result(task.result()[index])

        done.add_done_callback(deliver)


async def fetch_pages(
    client: httpx.AsyncClient,
    jobs: Sequence[FetchJob],
    fetch_config: FetchConfig,
    throttle: HostThrottle,
    robots: RobotsCache,
    pool: Executor | None,
    on_done: Callable[[PageResult], None] | None = None,
) -> list[PageResult]:
    limit = asyncio.Semaphore(fetch_config.concurrency)
    batcher = _Batcher(pool)

    async def one(job: FetchJob) -> PageResult:
        result = await _fetch_one(client, job, fetch_config, throttle, robots, limit, batcher)
        if on_done is not None:
            on_done(result)
        return result

    return list(await asyncio.gather(*(one(j) for j in jobs)))


async def _fetch_one(
    client: httpx.AsyncClient,
    job: FetchJob,
    fetch_config: FetchConfig,
    throttle: HostThrottle,
    robots: RobotsCache,
    limit: asyncio.Semaphore,
    batcher: _Batcher,
) -> PageResult:
    host = urlsplit(job.url).hostname or ""
    try:
        async with limit:
            await robots.check(job.url)
            async with throttle.slot(host):
                response = await fetch_with_retries(
                    client,
                    job.url,
                    retries=fetch_config.retries,
                    max_bytes=fetch_config.max_bytes,
                    max_redirects=fetch_config.max_redirects,
                    headers={"Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"},
                    check_type=require_html,
                )
    except HttpStatusError as exc:
        return PageResult(job, "failed", f"HTTP {exc.status}", exc.soft)
    except FetchError as exc:
        return PageResult(job, "failed" if exc.soft else "skipped", exc.reason, exc.soft)
    analysed = await batcher.analyse(
        PageInput(
            response.body,
            response.final_url,
            response.content_type,
            job.title,
            job.summary,
            job.all_relevant,
        )
    )
    if isinstance(analysed, str):
        return PageResult(job, "failed", analysed, False, response)
    return PageResult(job, "fetched", "fetched", False, response, analysed)
