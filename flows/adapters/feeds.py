"""Polling feeds: conditional GET, a status per poll, backoff that honours Retry-After.

outcomes = await poll_feeds(client, states, config.fetch, throttle, now, on_done)
outcomes[0].record.status      # 'ok', 'not_modified', 'soft_error' or 'hard_error'
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import httpx

from extractors.feeds import FeedNotAFeed, parse_feed
from extractors.records import FeedEntry
from extractors.vocabulary import FeedStatus
from flows.adapters.client import HostThrottle, fetch_with_retries
from flows.adapters.errors import FetchError, HttpStatusError
from flows.config import FetchConfig
from warehouse.ingest import FeedPollState, PollRecord

FEED_MAX_BYTES = 20_000_000


@dataclass
class PollOutcome:
    record: PollRecord
    entries: list[FeedEntry] = field(default_factory=list)


def backoff_until(failures: int, now: datetime, retry_after_s: float | None = None) -> datetime:
    """When to try again after ``failures`` failures in a row: 10 minutes, doubling, at most a
    day; never sooner than the server's Retry-After."""
    delay = min(600.0 * 2 ** max(0, failures - 1), 86_400.0)
    if retry_after_s is not None:
        delay = max(delay, min(retry_after_s, 86_400.0))
    return now + timedelta(seconds=delay)


def _conditional_headers(state: FeedPollState) -> dict[str, str]:
    headers = {"Accept": "application/rss+xml, application/atom+xml, application/feed+json, "
               "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"}  # fmt: skip
    if state.etag:
        headers["If-None-Match"] = state.etag
    if state.last_modified:
        headers["If-Modified-Since"] = state.last_modified
    return headers


async def poll_feed(
    client: httpx.AsyncClient,
    state: FeedPollState,
    fetch_config: FetchConfig,
    throttle: HostThrottle,
    now: datetime,
) -> PollOutcome:
    """Poll one feed. Never raises for the feed's own faults: they become the outcome."""

    def failed(
        status: FeedStatus, error: str, http: int | None = None, retry_after: float | None = None
    ) -> PollOutcome:
        failures = state.consecutive_failures + 1
        return PollOutcome(
            PollRecord(state.feed_id, now, status, http, error, None, None, None,
                       backoff_until(failures, now, retry_after), None, None)
        )  # fmt: skip

    host = urlsplit(state.url).hostname or ""
    try:
        async with throttle.slot(host):
            response = await fetch_with_retries(
                client,
                state.url,
                retries=fetch_config.retries,
                max_bytes=FEED_MAX_BYTES,
                max_redirects=fetch_config.max_redirects,
                headers=_conditional_headers(state),
                deadline_s=fetch_config.deadline_s,
            )
    except HttpStatusError as exc:
        kind: FeedStatus = "soft_error" if exc.soft else "hard_error"
        return failed(kind, f"HTTP {exc.status}", exc.status, exc.retry_after_s)
    except FetchError as exc:
        return failed("soft_error" if exc.soft else "hard_error", exc.reason)
    if response.status == 304:
        return PollOutcome(
            PollRecord(state.feed_id, now, "not_modified", 304, None, None, state.etag,
                       state.last_modified, None, None, None)
        )  # fmt: skip
    try:
        parsed = parse_feed(response.body, response.content_type)
    except FeedNotAFeed as exc:
        return failed("hard_error", str(exc), response.status)
    return PollOutcome(
        PollRecord(
            state.feed_id, now, "ok", response.status, None, parsed.defect,
            response.headers.get("etag"), response.headers.get("last-modified"), None,
            parsed.format, parsed.encoding, parsed.title.strip() or None,
        ),
        parsed.entries,
    )  # fmt: skip


async def poll_feeds(
    client: httpx.AsyncClient,
    states: Sequence[FeedPollState],
    fetch_config: FetchConfig,
    throttle: HostThrottle,
    now: datetime,
    on_done: Callable[[PollOutcome], None] | None = None,
) -> list[PollOutcome]:
    limit = asyncio.Semaphore(fetch_config.concurrency)

    async def one(state: FeedPollState) -> PollOutcome:
        async with limit:
            outcome = await poll_feed(client, state, fetch_config, throttle, now)
        if on_done is not None:
            on_done(outcome)
        return outcome

    return list(await asyncio.gather(*(one(s) for s in states)))
