"""Fetching article pages politely and turning them into article rows.

Text extraction is CPU work: it runs in a small process pool, in batches, while the event loop
keeps fetching, so a run's throughput is close to trafilatura's own (scripts/bench_ingest.py).
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import httpx

from extractors.articles import AnalysedPage, PageInput, analyse_pages
from extractors.pages import TRAFILATURA_VERSION
from extractors.urls import choose_canonical, host_of, short_hash
from flows.config import FetchConfig
from flows.http import (
    FetchError,
    HostThrottle,
    HttpStatusError,
    Response,
    RobotsCache,
    fetch_with_retries,
    require_html,
)
from warehouse.ingest import ArticleRow, FetchJob, RawPage

_EARLIEST_PLAUSIBLE = datetime(1990, 1, 1, tzinfo=UTC)
_BATCH = 8  # pages per worker round trip: fewer, larger messages keep the event loop free


@dataclass(frozen=True)
class PageResult:
    job: FetchJob
    status: str  # fetched | skipped | failed
    reason: str
    soft: bool  # for failures: worth trying again on a later run
    response: Response | None = None
    analysed: AnalysedPage | None = None


_POOL: ProcessPoolExecutor | None = None


def extractor_pool(jobs: int) -> Executor | None:
    """The run's process pool for text extraction, started on first need and kept for the
    following batches (starting one costs about a second); None when the work is too small to
    pay for it or the machine has one core."""
    global _POOL
    workers = min(os.cpu_count() or 1, 4)
    if _POOL is None and (jobs < 40 or workers < 2):
        return None
    if _POOL is None:
        # spawn, not fork: forking a process that runs Prefect's threads can deadlock.
        _POOL = ProcessPoolExecutor(
            max_workers=workers, mp_context=multiprocessing.get_context("spawn")
        )
    return _POOL


def shutdown_extractor_pool() -> None:
    global _POOL
    if _POOL is not None:
        _POOL.shutdown(wait=True, cancel_futures=True)
        _POOL = None


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
        done = loop.run_in_executor(self._pool, analyse_pages, [item for item, _ in batch])

        def deliver(task: asyncio.Future[list[AnalysedPage | str]]) -> None:
            error = task.exception()
            for index, (_, future) in enumerate(batch):
                if future.done():
                    continue
                if error is not None:
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


def _plausible(moment: datetime | None, fetched_at: datetime) -> datetime | None:
    if moment is None or moment < _EARLIEST_PLAUSIBLE or moment > fetched_at + timedelta(days=1):
        return None
    return moment


def build_article(result: PageResult, fetched_at: datetime) -> tuple[ArticleRow, RawPage]:
    """The article row (story not yet assigned) and the raw page to keep for a fetched result."""
    assert result.response is not None and result.analysed is not None
    response, analysed, job = result.response, result.analysed, result.job
    page = analysed.page
    canonical = choose_canonical(response.final_url, page.canonical_url)
    raw = RawPage(
        sha256=analysed.raw_sha256,
        url=job.url,
        final_url=response.final_url,
        fetched_at=fetched_at,
        http_status=response.status,
        content_type=response.content_type,
        size_bytes=len(response.body),
        html_zlib=analysed.html_zlib,
    )
    page_date = _plausible(page.published_at, fetched_at)
    feed_date = _plausible(job.published_at, fetched_at)
    published, published_source = (
        (page_date, "page")
        if page_date
        else (feed_date, "feed")
        if feed_date
        else (fetched_at, "fetched")
    )
    article_id = short_hash(canonical)
    host = host_of(response.final_url)
    row = ArticleRow(
        article_id=article_id,
        url=canonical,
        final_url=response.final_url,
        source=page.sitename or host,
        host=host,
        title=analysed.title,
        author=page.author,
        published_at=published,
        published_at_source=published_source,
        fetched_at=fetched_at,
        language=page.language,
        text=analysed.text,
        text_source=analysed.text_source,
        is_relevant=analysed.is_relevant,
        relevance_score=analysed.relevance_score,
        story_id=article_id,
        minhash=analysed.minhash,
        raw_sha256=analysed.raw_sha256,
        feed_id=job.feed_id,
        extracted_with=TRAFILATURA_VERSION,
    )
    return row, raw
