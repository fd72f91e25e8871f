"""Fetching article pages politely and analysing them (text, relevance, events, signature).

    results = await fetch_pages(client, jobs, config.fetch, throttle, robots, pool, on_done)

The analysis is CPU work: it runs in the extraction workers (``flows.adapters.workers``), in
batches, while the event loop keeps fetching. A result keeps what the warehouse stores (the
compressed page, the article, its mentions), never the page's bytes, so memory stays flat
however many pages a chunk holds. An item whose link is an aggregator's redirect page (Google
News) is not fetched: its title and summary are the article.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

import httpx

from extractors.articles import AnalysedPage, PageInput, analyse_feed_item, analyse_pages
from extractors.records import RelevanceVerdict
from extractors.urls import is_aggregator_redirect
from extractors.vocabulary import PageStatus
from flows.adapters.client import (
    HostThrottle,
    RobotsCache,
    fetch_with_retries,
    require_html,
)
from flows.adapters.errors import FetchError, HttpStatusError
from flows.adapters.workers import ExtractionWorkersDied, pool_broken
from flows.config import FetchConfig
from warehouse.ingest import FetchJob

# Pages per worker round trip: fewer, larger messages keep the event loop free, and two
# workers each with a batch in hand and one queued stay busy while the loop fetches.
_BATCH = 24
_FLUSH_S = 0.05  # a batch not yet full goes after this long


@dataclass(frozen=True, slots=True)
class Fetched:
    """What is kept of the HTTP response once the page is analysed."""

    final_url: str
    status: int
    content_type: str | None
    size_bytes: int


@dataclass(frozen=True)
class PageResult:
    job: FetchJob
    status: PageStatus
    reason: str
    soft: bool  # for failures: worth trying again on a later run
    fetched: Fetched | None = None  # None for an item stored from its feed alone
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
            self._timer = asyncio.get_running_loop().call_later(_FLUSH_S, self._flush)
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
    if is_aggregator_redirect(job.url):
        verdict = RelevanceVerdict(True, job.relevance_score, (), job.reason or "kept")
        from_feed = analyse_feed_item(_input(job, b"", job.url, None), verdict)
        return PageResult(job, "fetched", "fetched", False, None, from_feed)
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
                    deadline_s=fetch_config.deadline_s,
                )
    except HttpStatusError as exc:
        return PageResult(job, "failed", f"HTTP {exc.status}", exc.soft)
    except FetchError as exc:
        return PageResult(job, "failed" if exc.soft else "skipped", exc.reason, exc.soft)
    fetched = Fetched(
        response.final_url, response.status, response.content_type, len(response.body)
    )
    analysed = await batcher.analyse(
        _input(job, response.body, response.final_url, response.content_type)
    )
    del response  # the page's bytes go now; the analysis kept them compressed
    if isinstance(analysed, str):
        return PageResult(job, "failed", analysed, False, fetched)
    return PageResult(job, "fetched", "fetched", False, fetched, analysed)


def _input(job: FetchJob, body: bytes, url: str, content_type: str | None) -> PageInput:
    return PageInput(
        body, url, content_type, job.title, job.summary, job.all_relevant, job.published_at,
        datetime.now(UTC), job.feed_title, job.source_name,
    )  # fmt: skip
