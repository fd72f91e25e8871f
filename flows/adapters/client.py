"""HTTP for feeds and pages: one client factory, an address guard on every connection,
manual redirects, byte limits enforced while streaming, per-host politeness and robots.txt.

    guard = AddressGuard(config.fetch.allow_private_addresses)
    async with make_client(config.fetch, guard) as client:
        response = await fetch(client, url, max_bytes=5_000_000, max_redirects=5)
"""

from __future__ import annotations

import asyncio
import contextlib
import email.utils
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx
from protego import Protego

from flows.adapters.errors import (
    RETRYABLE_STATUS,
    DeadlinePassed,
    FetchConnectError,
    FetchError,
    FetchTimeout,
    HttpStatusError,
    NotHTML,
    PageTooLarge,
    RobotsDisallowed,
    SchemeNotAllowed,
    TooManyRedirects,
)
from flows.adapters.guard import AddressGuard, guarded_transport
from flows.config import FetchConfig


def make_client(fetch: FetchConfig, guard: AddressGuard) -> httpx.AsyncClient:
    """The one HTTP client: timeouts on the client (not the task), no proxies from the
    environment (a proxy would bypass the guard), our User-Agent, redirects handled by us."""
    transport = guarded_transport(
        guard,
        # No more connections than requests in flight: httpcore's pool scans every connection
        # for each request it places, which was a tenth of a large run's time.
        max_connections=fetch.concurrency,
        max_keepalive_connections=fetch.concurrency,
        connect_to=fetch.connect_to,
    )
    return httpx.AsyncClient(
        transport=transport,
        timeout=httpx.Timeout(fetch.timeout_s, connect=min(10.0, fetch.timeout_s)),
        headers={
            "User-Agent": fetch.user_agent,
            "Accept-Encoding": "gzip, deflate, br",
        },
        follow_redirects=False,
        trust_env=False,
    )


# -- fetching ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Response:
    url: str  # asked for
    final_url: str  # after redirects
    status: int  # 200 or 304
    headers: dict[str, str]
    body: bytes
    redirects: tuple[str, ...] = ()

    @property
    def content_type(self) -> str | None:
        return self.headers.get("content-type")


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, (moment - (now or datetime.now(UTC))).total_seconds())


HTML_TYPES = ("text/html", "application/xhtml+xml")


def require_html(content_type: str | None, first_bytes: bytes) -> None:
    """Pages must be HTML; a PDF or an image is skipped, not parsed."""
    mime = (content_type or "").split(";", 1)[0].strip().lower()
    if mime in HTML_TYPES:
        return
    head = first_bytes[:512].lstrip().lower()
    looks_like_html = head.startswith((b"<!doctype html", b"<html")) or b"<body" in head
    if mime in {"", "text/plain", "application/octet-stream"} and looks_like_html:
        return
    raise NotHTML(f"not HTML ({mime or 'no content type'})")


async def fetch(
    client: httpx.AsyncClient,
    url: str,
    *,
    max_bytes: int,
    max_redirects: int,
    headers: dict[str, str] | None = None,
    check_type: Callable[[str | None, bytes], None] | None = None,
    deadline_s: float | None = None,
) -> Response:
    """GET ``url``, following at most ``max_redirects`` redirects, each hop through the guard,
    all within ``deadline_s`` (the connect and read timeouts bound each step, not the whole)."""
    if deadline_s is None:
        return await _fetch(client, url, max_bytes, max_redirects, headers, check_type)
    try:
        async with asyncio.timeout(deadline_s):
            return await _fetch(client, url, max_bytes, max_redirects, headers, check_type)
    except TimeoutError:
        raise DeadlinePassed(
            f"deadline: not done after {deadline_s:g} s (fetch.deadline_s) for {url}"
        ) from None


async def _fetch(
    client: httpx.AsyncClient,
    url: str,
    max_bytes: int,
    max_redirects: int,
    headers: dict[str, str] | None,
    check_type: Callable[[str | None, bytes], None] | None,
) -> Response:
    current = url
    hops: list[str] = []
    for _ in range(max_redirects + 1):
        scheme = urlsplit(current).scheme.lower()
        if scheme not in {"http", "https"}:
            raise SchemeNotAllowed(f"scheme not allowed: {scheme or 'none'} ({current})")
        try:
            async with client.stream("GET", current, headers=headers) as response:
                status = response.status_code
                if status in {301, 302, 303, 307, 308}:
                    location = response.headers.get("location")
                    if not location:
                        raise FetchConnectError(f"HTTP {status} redirect without a Location")
                    hops.append(current)
                    current = urljoin(current, location.strip())
                    continue
                response_headers = {k.lower(): v for k, v in response.headers.items()}
                if status == 304:
                    return Response(url, current, 304, response_headers, b"", tuple(hops))
                if not 200 <= status < 300:
                    raise HttpStatusError(
                        status, parse_retry_after(response.headers.get("retry-after"))
                    )
                declared = response.headers.get("content-length")
                if declared and declared.isdigit() and int(declared) > max_bytes:
                    raise PageTooLarge(
                        f"too large: {int(declared)} bytes declared, limit {max_bytes}"
                    )
                chunks: list[bytes] = []
                size = 0
                async for chunk in response.aiter_bytes():
                    if not chunks and check_type is not None:
                        check_type(response.headers.get("content-type"), chunk)
                    size += len(chunk)
                    if size > max_bytes:
                        raise PageTooLarge(f"too large: over {max_bytes} bytes (decompressed)")
                    chunks.append(chunk)
                body = b"".join(chunks)
                if not chunks and check_type is not None:
                    check_type(response.headers.get("content-type"), body)
                return Response(url, current, status, response_headers, body, tuple(hops))
        except httpx.TimeoutException as exc:
            raise FetchTimeout(f"timeout ({type(exc).__name__}) fetching {current}") from None
        except httpx.TooManyRedirects:
            raise TooManyRedirects(f"too many redirects from {url}") from None
        except httpx.DecodingError as exc:
            raise FetchConnectError(f"bad content encoding from {current}: {exc}") from None
        except httpx.TransportError as exc:
            raise FetchConnectError(
                f"connection failed ({type(exc).__name__}: {exc}) for {current}"
            ) from None
    raise TooManyRedirects(f"too many redirects (more than {max_redirects}) from {url}")


async def fetch_with_retries(
    client: httpx.AsyncClient,
    url: str,
    *,
    retries: int,
    max_retry_wait_s: float = 30.0,
    **kwargs: Any,
) -> Response:
    """``fetch`` with in-run retries for timeouts, connection errors, 429 and 5xx."""
    attempt = 0
    while True:
        try:
            return await fetch(client, url, **kwargs)
        except (FetchTimeout, FetchConnectError, HttpStatusError) as exc:
            retryable = not isinstance(exc, HttpStatusError) or exc.status in RETRYABLE_STATUS
            if not retryable or attempt >= retries:
                raise
            wait = 0.5 * 2**attempt
            if isinstance(exc, HttpStatusError) and exc.retry_after_s is not None:
                if exc.retry_after_s > max_retry_wait_s:
                    raise  # a later run will come back; do not hold this one up
                wait = exc.retry_after_s
            attempt += 1
            await asyncio.sleep(wait)


# -- politeness -------------------------------------------------------------------------------


@dataclass
class HostThrottle:
    """At most ``per_host`` requests at a time to one host, starting ``delay_s`` apart."""

    per_host: int
    delay_s: float
    _semaphores: dict[str, asyncio.Semaphore] = field(default_factory=dict)
    _next_start: dict[str, float] = field(default_factory=dict)
    _delays: dict[str, float] = field(default_factory=dict)

    def set_delay(self, host: str, delay_s: float) -> None:
        self._delays[host] = max(self.delay_s, min(delay_s, 30.0))  # a huge Crawl-delay is capped

    @contextlib.asynccontextmanager
    async def slot(self, host: str) -> AsyncIterator[None]:
        semaphore = self._semaphores.setdefault(host, asyncio.Semaphore(self.per_host))
        async with semaphore:
            delay = self._delays.get(host, self.delay_s)
            now = time.monotonic()
            start = max(now, self._next_start.get(host, now))
            self._next_start[host] = start + delay
            if start > now:
                await asyncio.sleep(start - now)
            yield


class RobotsCache:
    """robots.txt per host, fetched once per run through the same guarded client.

    RFC 9309: a 4xx robots.txt means no rules; a 5xx or an unreachable one means "do not crawl
    for now", which we record as a soft failure so a later run tries again.
    """

    def __init__(
        self, client: httpx.AsyncClient, fetch_config: FetchConfig, throttle: HostThrottle
    ) -> None:
        self._client = client
        self._config = fetch_config
        self._throttle = throttle
        self._rules: dict[str, Protego | FetchError | None] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def _load(self, origin: str, host: str) -> Protego | FetchError | None:
        try:
            async with self._throttle.slot(host):
                response = await fetch(
                    self._client,
                    f"{origin}/robots.txt",
                    max_bytes=500_000,
                    max_redirects=5,
                    deadline_s=self._config.deadline_s,
                )
        except HttpStatusError as exc:
            if 400 <= exc.status < 500:
                return None
            return FetchConnectError(f"robots.txt unavailable (HTTP {exc.status}); will retry")
        except (FetchTimeout, FetchConnectError) as exc:
            return FetchConnectError(f"robots.txt unavailable ({exc.reason}); will retry")
        except (PageTooLarge, TooManyRedirects, SchemeNotAllowed):
            return None
        except DeadlinePassed as exc:
            return FetchConnectError(f"robots.txt unavailable ({exc.reason}); will retry")
        text = response.body.decode("utf-8", errors="replace")
        rules = Protego.parse(text)
        delay = rules.crawl_delay(self._config.user_agent)
        if delay:
            self._throttle.set_delay(host, float(delay))
        return rules

    async def check(self, url: str) -> None:
        if not self._config.respect_robots:
            return
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        lock = self._locks.setdefault(origin, asyncio.Lock())
        async with lock:
            if origin not in self._rules:
                self._rules[origin] = await self._load(origin, parts.hostname or "")
        rules = self._rules[origin]
        if isinstance(rules, FetchError):
            raise FetchConnectError(rules.reason)
        if rules is not None and not rules.can_fetch(url, self._config.user_agent):
            raise RobotsDisallowed(f"disallowed by robots.txt ({origin}/robots.txt)")
