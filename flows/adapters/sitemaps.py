"""Fetching sitemaps for a backfill: through the one guarded client, robots.txt and the per-host
throttle, exactly as pages are fetched.

    scan = scan_sitemaps(config, ["https://example.com/sitemap.xml"], since, until, zone)
    scan.by_day[date(2024, 5, 1)]   # the pages published that day (in ``zone``)

A sitemap index is followed to its children (at most ``max_depth`` levels and ``max_sitemaps``
documents), skipping children whose ``<lastmod>`` is before the range: a file last changed
before the first day cannot list a page published later.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, tzinfo
from urllib.parse import urlsplit

import httpx

from extractors.sitemaps import (
    GZIP_MAGIC,
    NotASitemap,
    SitemapTooLarge,
    SitemapUrl,
    parse_sitemap,
)
from flows.adapters.client import HostThrottle, RobotsCache, fetch_with_retries, make_client
from flows.adapters.coroutines import run_coroutine
from flows.adapters.errors import FetchError
from flows.adapters.guard import AddressGuard
from flows.config import Config, FetchConfig

SITEMAP_MAX_BYTES = 50_000_000  # the protocol's own limit for one uncompressed file


class NotSitemapContent(FetchError):
    """The response is an HTML page or another non-XML document."""

    soft = False


def require_xml(content_type: str | None, first_bytes: bytes) -> None:
    """Sitemaps are XML, possibly gzipped; an HTML page (a soft 404, a login wall) is refused."""
    if first_bytes.startswith(GZIP_MAGIC):
        return
    head = first_bytes[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"<!doctype html") or head.startswith(b"<html"):
        raise NotSitemapContent("not a sitemap (an HTML page)")
    if head and not head.startswith(b"<"):
        mime = (content_type or "no content type").split(";", 1)[0].strip()
        raise NotSitemapContent(f"not a sitemap ({mime})")


@dataclass
class SitemapScan:
    """What the sitemaps list for the range, by day, and what went wrong on the way."""

    by_day: dict[date, list[SitemapUrl]] = field(default_factory=dict)
    sitemaps_fetched: int = 0
    sitemaps_skipped_by_lastmod: int = 0
    urls_seen: int = 0
    undated: int = 0
    out_of_range: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def in_range(self) -> int:
        return sum(len(v) for v in self.by_day.values())


async def _scan(
    client: httpx.AsyncClient,
    roots: list[str],
    since: date,
    until: date,
    zone: tzinfo,
    fetch: FetchConfig,
    max_depth: int,
    max_sitemaps: int,
) -> SitemapScan:
    throttle = HostThrottle(fetch.per_host_concurrency, fetch.per_host_delay_s)
    robots = RobotsCache(client, fetch, throttle)
    scan = SitemapScan()
    found: dict[str, tuple[date, SitemapUrl]] = {}
    seen: set[str] = set()
    range_start = datetime.combine(since, time.min, zone)
    level = [(url, 0) for url in dict.fromkeys(roots)]
    while level:
        batch = list({u: d for u, d in level if u not in seen}.items())
        room = max(0, max_sitemaps - len(seen))
        if len(batch) > room:
            scan.errors.append(f"stopped after {max_sitemaps} sitemaps (max_sitemaps)")
            batch = batch[:room]
        seen.update(u for u, _ in batch)

        async def one(url: str) -> bytes | str:
            try:
                await robots.check(url)
                async with throttle.slot(urlsplit(url).hostname or ""):
                    response = await fetch_with_retries(
                        client, url, retries=fetch.retries, max_bytes=SITEMAP_MAX_BYTES,
                        max_redirects=fetch.max_redirects, check_type=require_xml,
                        # a sitemap may be 50 MB where a page is 5: four page deadlines, so a
                        # server that drips its bytes cannot hold a backfill for ever
                        deadline_s=4 * fetch.deadline_s,
                        headers={"Accept": "application/xml, text/xml;q=0.9, */*;q=0.5"},
                    )  # fmt: skip
            except FetchError as exc:
                return f"{url}: {exc.reason}"
            return response.body

        bodies = await asyncio.gather(*(one(u) for u, _ in batch))
        level = []
        for (url, depth), body in zip(batch, bodies, strict=True):
            if isinstance(body, str):
                scan.errors.append(body)
                continue
            scan.sitemaps_fetched += 1
            try:
                parsed = parse_sitemap(body, max_bytes=SITEMAP_MAX_BYTES)
            except (NotASitemap, SitemapTooLarge) as exc:
                scan.errors.append(f"{url}: {exc}")
                continue
            if parsed.kind == "index":
                if depth + 1 > max_depth:
                    scan.errors.append(
                        f"{url}: nested deeper than {max_depth} levels; not followed"
                    )
                    continue
                for link in parsed.sitemaps:
                    if link.lastmod is not None and link.lastmod.at < range_start:
                        scan.sitemaps_skipped_by_lastmod += 1
                        continue
                    level.append((link.url, depth + 1))
                continue
            for entry in parsed.urls:
                scan.urls_seen += 1
                day = entry.day_in(zone)
                if day is None:
                    scan.undated += 1
                elif not since <= day <= until:
                    scan.out_of_range += 1
                elif entry.url not in found or (
                    entry.published and not found[entry.url][1].published
                ):
                    found[entry.url] = (day, entry)
    by_day: defaultdict[date, list[SitemapUrl]] = defaultdict(list)
    for day, entry in found.values():
        by_day[day].append(entry)
    scan.by_day = {day: sorted(v, key=lambda e: e.url) for day, v in sorted(by_day.items())}
    return scan


def scan_sitemaps(
    config: Config,
    roots: list[str],
    since: date,
    until: date,
    zone: tzinfo,
    *,
    max_depth: int = 3,
    max_sitemaps: int = 2000,
) -> SitemapScan:
    """Fetch the sitemaps at ``roots`` (and the children of indexes) and keep the pages dated
    ``since``..``until`` in ``zone``. Errors are collected, never raised: one dead sitemap does
    not stop the others."""

    async def run() -> SitemapScan:
        guard = AddressGuard(config.fetch.allow_private_addresses)
        async with make_client(config.fetch, guard) as client:
            return await _scan(
                client, roots, since, until, zone, config.fetch, max_depth, max_sitemaps
            )

    return run_coroutine(run)
