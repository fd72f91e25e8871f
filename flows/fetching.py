"""Fetching article pages politely and turning them into article rows.

Text extraction is CPU work; it runs in a small process pool while the event loop keeps
fetching, so a run's throughput is close to trafilatura's own (see scripts/bench_ingest.py).
"""

from __future__ import annotations

import asyncio
import hashlib
import multiprocessing
import os
import zlib
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import httpx

from extractors.neardup import signature
from extractors.pages import MIN_TEXT_CHARS, TRAFILATURA_VERSION, extract_page
from extractors.records import PageContent
from extractors.relevance import is_relevant_text
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

# Pages below this many characters of feed summary are not worth a fallback either.
MIN_SUMMARY_CHARS = 60
_EARLIEST_PLAUSIBLE = datetime(1990, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class PageResult:
    job: FetchJob
    status: str  # fetched | skipped | failed
    reason: str
    soft: bool  # for failures: worth trying again on a later run
    response: Response | None = None
    page: PageContent | None = None


def extract_in_worker(body: bytes, url: str, content_type: str | None) -> PageContent:
    return extract_page(body, url=url, content_type=content_type)


def make_extractor_pool(jobs: int) -> Executor | None:
    """A process pool when there is enough work to pay for starting it (about a second)."""
    workers = min(os.cpu_count() or 1, 4)
    if jobs < 40 or workers < 2:
        return None
    # spawn, not fork: forking a process that runs Prefect's threads can deadlock.
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))


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
    loop = asyncio.get_running_loop()

    async def extract(body: bytes, url: str, content_type: str | None) -> PageContent:
        if pool is None:
            return extract_page(body, url=url, content_type=content_type)
        return await loop.run_in_executor(pool, extract_in_worker, body, url, content_type)

    async def one(job: FetchJob) -> PageResult:
        result = await _fetch_one(client, job, fetch_config, throttle, robots, limit, extract)
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
    extract: Callable[[bytes, str, str | None], Awaitable[PageContent]],
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
    try:
        page = await extract(response.body, response.final_url, response.content_type)
    except Exception as exc:
        return PageResult(
            job, "failed", f"extraction failed: {type(exc).__name__}: {exc}", False, response
        )
    return PageResult(job, "fetched", "fetched", False, response, page)


def _plausible(moment: datetime | None, fetched_at: datetime) -> datetime | None:
    if moment is None or moment < _EARLIEST_PLAUSIBLE or moment > fetched_at + timedelta(days=1):
        return None
    return moment


def build_article(result: PageResult, fetched_at: datetime) -> tuple[ArticleRow, RawPage]:
    """The article row (story not yet assigned) and the raw page to keep for a fetched result."""
    assert result.response is not None and result.page is not None
    response, page, job = result.response, result.page, result.job
    canonical = choose_canonical(response.final_url, page.canonical_url)
    raw_hash = hashlib.sha256(response.body).hexdigest()
    raw = RawPage(
        sha256=raw_hash,
        url=job.url,
        final_url=response.final_url,
        fetched_at=fetched_at,
        http_status=response.status,
        content_type=response.content_type,
        size_bytes=len(response.body),
        html_zlib=zlib.compress(response.body, 6),
    )
    text, text_source = page.text, "page"
    if len(text) < MIN_TEXT_CHARS and len(job.summary) >= max(MIN_SUMMARY_CHARS, len(text)):
        text, text_source = job.summary, "feed_summary"  # paywall or script-only page
    title = page.title or job.title or None
    page_date = _plausible(page.published_at, fetched_at)
    feed_date = _plausible(job.published_at, fetched_at)
    published, published_source = (
        (page_date, "page")
        if page_date
        else (feed_date, "feed")
        if feed_date
        else (fetched_at, "fetched")
    )
    relevant, score = (True, 0.0) if job.all_relevant else is_relevant_text(title or "", text)
    article_id = short_hash(canonical)
    host = host_of(response.final_url)
    row = ArticleRow(
        article_id=article_id,
        url=canonical,
        final_url=response.final_url,
        source=page.sitename or host,
        host=host,
        title=title,
        author=page.author,
        published_at=published,
        published_at_source=published_source,
        fetched_at=fetched_at,
        language=page.language,
        text=text,
        text_source=text_source,
        is_relevant=relevant,
        relevance_score=score,
        story_id=article_id,
        minhash=signature(text),
        raw_sha256=raw_hash,
        feed_id=job.feed_id,
        extracted_with=TRAFILATURA_VERSION,
    )
    return row, raw
