"""Backfills: go back in time after adding a feed or improving the extractors.

    request = BackfillRequest("sitemap", date(2024, 5, 1), date(2024, 5, 31),
                              sitemaps=("https://example.com/sitemap.xml",))
    summary = run_backfill(config, wh, request)       # takes the writer lock chunk by chunk

Modes:
- ``extract``: re-extract events from the stored articles of each day (``run_extract``).
- ``sitemap``: read sitemaps (indexes and news sitemaps), keep the pages dated in the range, and
  fetch them day by day through the ingest path (``fetch_and_store``: the same guard, robots.txt,
  politeness and extraction), filed under a synthetic source ``backfill:<host>``.
- ``urls``: the same for a file of URLs (one a line, optionally followed by its date).
- ``digests``: rebuild each day's digest files, never sending mail (``run_digest(send=False)``).

Work goes in chunks (a day, or a slice of a URL list). A finished chunk is recorded with a hash of
the parameters that change its work, so a backfill killed halfway goes on where it stopped, and
running it again does nothing. The writer lock is held per chunk (per batch of pages when
fetching), so scheduled ingests slip in between.

``flows.definitions.backfill_flow`` is the same as a Prefect flow; this module never imports
Prefect.
"""

from __future__ import annotations

import hashlib
import json
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from extractors.records import RelevanceVerdict
from extractors.relevance import score_item
from extractors.sitemaps import SitemapUrl, parse_stamp
from extractors.urls import clean_url, host_of
from extractors.vocabulary import BACKFILL_MODES, BackfillMode
from flows import progress
from flows.adapters.workers import extraction_workers
from flows.config import Config, load_config
from flows.progress import format_eta
from flows.runs import Hold, recorded_run, writing
from warehouse import Warehouse, WarehouseError
from warehouse.backfill import (
    ChunkRecord,
    article_ids_for,
    backfill_jobs,
    completed_chunks,
    ensure_backfill_sources,
    item_outcomes,
    record_chunk,
    source_id,
)
from warehouse.ingest import ItemRow, insert_new_items

MODES = BACKFILL_MODES
URLS_PER_CHUNK = 50
PAGES_PER_LOCK = 50  # pages fetched and stored per hold of the writer lock
YIELD_S = 0.5  # pause between holds, longer than a waiting writer's poll (0.2 s)
MAX_DAYS = 3660


class BackfillError(ValueError):
    """A backfill request a user can fix (dates, mode, missing file); the message is one line."""


class BackfillIncomplete(RuntimeError):
    """Some chunks failed; the others are done and a rerun retries only the failed ones."""


@dataclass(frozen=True)
class BackfillRequest:
    mode: BackfillMode
    since: date | None = None
    until: date | None = None
    sitemaps: tuple[str, ...] = ()
    urls_file: Path | None = None
    force: bool = False  # redo chunks already recorded as done


@dataclass(frozen=True)
class Chunk:
    key: str  # "2024-05-01", or "urls-0003"
    day: date | None
    entries: tuple[SitemapUrl, ...] = ()  # sitemap and urls modes


@dataclass
class BackfillPlan:
    request: BackfillRequest
    params: dict[str, Any]
    params_hash: str
    chunks: list[Chunk]
    done: set[str]
    notes: list[str] = field(default_factory=list)  # what the sitemap scan found or skipped

    @property
    def todo(self) -> list[Chunk]:
        if self.request.force:
            return list(self.chunks)
        return [c for c in self.chunks if c.key not in self.done]


@dataclass(frozen=True)
class ChunkResult:
    chunk: str
    done: int  # chunks finished so far in this run, this one included
    total: int  # chunks this run has to do
    seconds: float
    counts: dict[str, Any]
    error: str | None = None
    eta_s: float | None = None


@dataclass
class BackfillSummary:
    mode: str
    run_id: str
    chunks_planned: int = 0
    chunks_already_done: int = 0
    chunks_run: int = 0
    chunks_failed: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


# -- requests and plans -----------------------------------------------------------------------


def backfill_mode(value: str) -> BackfillMode:
    for mode in MODES:
        if value == mode:
            return mode
    raise BackfillError(f"unknown mode {value!r}; choose one of {', '.join(MODES)}")


def days(since: date, until: date) -> list[date]:
    return [since + timedelta(days=i) for i in range((until - since).days + 1)]


def validate(request: BackfillRequest) -> None:
    backfill_mode(request.mode)
    if request.mode != "urls" and (request.since is None or request.until is None):
        raise BackfillError(f"--since and --until are required for mode {request.mode}")
    if request.since and request.until:
        if request.since > request.until:
            raise BackfillError(f"--since {request.since} is after --until {request.until}")
        if (request.until - request.since).days >= MAX_DAYS:
            raise BackfillError(f"at most {MAX_DAYS} days per backfill; split the range")
    if request.mode == "sitemap" and not request.sitemaps:
        raise BackfillError("mode sitemap needs at least one --sitemap URL")
    for url in request.sitemaps:
        if not url.lower().startswith(("http://", "https://")):
            raise BackfillError(f"--sitemap must be an http(s) URL, not {url!r}")
    if request.mode == "urls" and request.urls_file is None:
        raise BackfillError("mode urls needs --urls FILE (one URL a line)")


def read_url_file(
    path: Path, since: date | None, until: date | None, zone: tzinfo = UTC
) -> list[SitemapUrl]:
    """``URL`` or ``URL DATE`` a line; blank lines and ``#`` comments skipped. A URL dated
    outside ``since``..``until`` (days in ``zone``) is left out; undated ones are kept."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise BackfillError(f"{path}: file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BackfillError(f"{path}: cannot read ({exc})") from None
    found: dict[str, SitemapUrl] = {}
    for number, line in enumerate(lines, 1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        url, _, rest = text.partition(" ")
        if urlsplit(url).scheme.lower() not in ("http", "https") or not urlsplit(url).hostname:
            raise BackfillError(f"{path}:{number}: not an http(s) URL: {url!r}")
        stamp = parse_stamp(rest.strip()) if rest.strip() else None
        if rest.strip() and stamp is None:
            raise BackfillError(f"{path}:{number}: unreadable date {rest.strip()!r}")
        if stamp is not None:
            day = stamp.day_in(zone)
            if (since and day < since) or (until and day > until):
                continue
        entry = SitemapUrl(clean_url(url), url, None, stamp, "", None)
        found.setdefault(entry.url, entry)
    return list(found.values())


def _hash(params: dict[str, Any]) -> str:
    text = json.dumps(params, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _digest_out_dir() -> Path:
    from flows.settings import load_settings

    return load_settings().digest_dir


def backfill_config(path: Path, mode: BackfillMode, *, given: bool) -> Config:
    """The config a backfill runs with. Re-extraction reads only the stored articles and the
    digest's time zone for its days, so where no config file was named and the default one is
    missing (run away from a checkout), it runs with the defaults (Korea time)
    rather than refusing; every other mode needs the file."""
    if mode == "extract" and not given and not path.exists():
        return Config()
    return load_config(path)


def mode_params(
    config: Config, request: BackfillRequest, urls: Sequence[str] = ()
) -> dict[str, Any]:
    """What changes the work of a chunk, besides its day: hashed into the chunk's key."""
    if request.mode == "extract":
        from extractors.events import EXTRACTOR_VERSION

        return {"extractor_version": EXTRACTOR_VERSION}
    if request.mode == "digests":
        return {
            "timezone": config.digest.timezone,
            "title": config.digest.title,
            "out_dir": str(_digest_out_dir().resolve()),
        }
    if request.mode == "sitemap":
        return {"sitemaps": sorted(set(request.sitemaps)), "timezone": config.digest.timezone}
    return {"urls_sha256": hashlib.sha256("\n".join(urls).encode()).hexdigest()}


def plan_backfill(config: Config, request: BackfillRequest) -> BackfillPlan:
    """The chunks of a backfill (sitemaps are fetched here, without touching the warehouse);
    ``run_backfill`` fills in which are done already."""
    validate(request)
    zone = ZoneInfo(config.digest.timezone)
    notes: list[str] = []
    chunks: list[Chunk] = []
    urls: list[str] = []
    if request.mode in ("extract", "digests"):
        assert request.since and request.until
        chunks = [Chunk(d.isoformat(), d) for d in days(request.since, request.until)]
    elif request.mode == "sitemap":
        from flows.adapters.sitemaps import scan_sitemaps

        assert request.since and request.until
        scan = scan_sitemaps(config, list(request.sitemaps), request.since, request.until, zone)
        notes.append(
            f"sitemaps: {scan.sitemaps_fetched} read, {scan.sitemaps_skipped_by_lastmod} skipped"
            f" (last changed before {request.since}); {scan.urls_seen} pages listed,"
            f" {scan.in_range} in range, {scan.out_of_range} out of range,"
            f" {scan.undated} undated (left out)"
        )
        notes += [f"sitemap problem: {e}" for e in scan.errors]
        chunks = [Chunk(d.isoformat(), d) for d in days(request.since, request.until)]
        chunks = [Chunk(c.key, c.day, tuple(scan.by_day.get(c.day, ()))) for c in chunks if c.day]
    else:
        assert request.urls_file is not None
        entries = read_url_file(request.urls_file, request.since, request.until, zone)
        urls = [e.url for e in entries]
        notes.append(f"{request.urls_file}: {len(entries)} distinct URLs")
        chunks = [
            Chunk(
                f"urls-{i // URLS_PER_CHUNK + 1:04d}", None, tuple(entries[i : i + URLS_PER_CHUNK])
            )
            for i in range(0, len(entries), URLS_PER_CHUNK)
        ]
    params = mode_params(config, request, urls)
    params_hash = _hash({"mode": request.mode, **params})
    return BackfillPlan(request, params, params_hash, chunks, set(), notes)


# -- one chunk --------------------------------------------------------------------------------


def _items(chunk: Chunk, mode: str, now: datetime) -> list[ItemRow]:
    rows = []
    for entry in chunk.entries:
        stamp = entry.stamp
        if mode == "sitemap" and entry.title:
            verdict = score_item(entry.title, "")
        else:
            why = "no title in the sitemap" if mode == "sitemap" else "listed in a URL file"
            verdict = RelevanceVerdict(
                True, 0.0, (), f"kept: {why}; relevance is decided from the page text"
            )
        rows.append(
            ItemRow(
                feed_id=source_id(host_of(entry.url)), item_key=entry.url, url=entry.url,
                original_url=entry.original_url, title=entry.title, summary="",
                published_at=stamp.at if stamp else None, first_seen_at=now,
                status="pending" if verdict.relevant else "irrelevant",
                reason=f"backfill ({mode}): {verdict.reason}",
                relevance_score=verdict.score, relevance_terms=list(verdict.terms),
            )
        )  # fmt: skip
    return rows


def _pages_chunk(
    config: Config, wh: Warehouse, chunk: Chunk, mode: str, hold: Hold
) -> dict[str, Any]:
    """Store the chunk's pages as items, fetch those still to fetch, extract their events."""
    from flows.pipeline.ingest import extract_events, fetch_and_store

    now = datetime.now(UTC)
    items = _items(chunk, mode, now)
    urls = [i.url for i in items if i.url]
    counts: dict[str, Any] = {"pages": len(urls)}
    if not urls:
        return counts
    with hold(), wh.transaction() as con:
        ensure_backfill_sources(con, sorted({host_of(u) for u in urls}))
        counts["new_items"] = len(insert_new_items(con, items))
        jobs = backfill_jobs(con, urls, now)
    fetched = new_articles = 0
    failed: dict[str, int] = {}
    for start in range(0, len(jobs), PAGES_PER_LOCK):
        batch = jobs[start : start + PAGES_PER_LOCK]
        if start:
            time.sleep(YIELD_S)
        with hold():
            summary = fetch_and_store(config, wh, batch, done_before=start, total=len(jobs))
        fetched += summary.fetched
        new_articles += summary.new_articles
        for reason, n in {**summary.failed, **summary.skipped}.items():
            failed[reason] = failed.get(reason, 0) + n
    with hold():
        with wh.transaction() as con:
            ids = article_ids_for(con, urls)
        mentions, events = extract_events(wh, ids)
        with wh.transaction() as con:
            counts["items"] = item_outcomes(con, urls)
    counts.update(
        fetched=fetched, new_articles=new_articles, mentions=mentions, events_total=events
    )
    if failed:
        counts["not_fetched"] = failed
    return counts


def _extract_chunk(wh: Warehouse, day: date, hold: Hold) -> dict[str, Any]:
    from flows.pipeline.extract import run_extract

    with hold():
        summary = run_extract(wh, since=day, until=day)
    return {
        "articles": summary.articles,
        "mentions": summary.mentions,
        "events_total": summary.events,
    }


def _digest_chunk(config: Config, wh: Warehouse, day: date) -> dict[str, Any]:
    from flows.digest import run_digest

    # Without send the digest only reads the warehouse (no writer lock), and sends nothing.
    result = run_digest(
        db_path=wh.path, config=config, day=day, out_dir=_digest_out_dir(), send=False,
        lock_wait_s=wh.wait_s,
    )  # fmt: skip
    return {"digests": 1, "quiet_days": int(result.quiet), "file": str(result.files.html)}


def run_chunk(config: Config, wh: Warehouse, mode: str, chunk: Chunk, hold: Hold) -> dict[str, Any]:
    if mode in ("sitemap", "urls"):
        return _pages_chunk(config, wh, chunk, mode, hold)
    assert chunk.day is not None
    if mode == "extract":
        return _extract_chunk(wh, chunk.day, hold)
    return _digest_chunk(config, wh, chunk.day)


# -- the whole backfill -----------------------------------------------------------------------


def _add(total: dict[str, int], counts: dict[str, Any]) -> None:
    """Sum the figures of a chunk into the run's; ``*_total`` figures are gauges (the last wins)."""
    for key, value in counts.items():
        if key.endswith("_total") and isinstance(value, int):
            total[key] = value
            continue
        if isinstance(value, bool) or not isinstance(value, int):
            if isinstance(value, dict):
                for sub, n in value.items():
                    if isinstance(n, int):
                        total[f"{key}.{sub}"] = total.get(f"{key}.{sub}", 0) + n
            continue
        total[key] = total.get(key, 0) + value


def run_backfill(
    config: Config,
    wh: Warehouse,
    request: BackfillRequest,
    *,
    run_id: str | None = None,
    on_chunk: Callable[[ChunkResult], None] | None = None,
    on_wait: Callable[[str], None] | None = None,
) -> BackfillSummary:
    """Plan, then run each chunk not yet done; record each as it finishes.

    Holds the warehouse (``writing``: the Prefect slot in a flow run, then the file lock) once
    per write, so the caller must not hold it. A failed chunk is reported and left for a rerun
    while the others go on; ``BackfillIncomplete`` is raised at the end if any failed.
    """
    if request.mode in ("extract", "digests"):  # work on stored articles: a typo must not
        wh.require()  # make an empty warehouse and record its days as done
    run_id = run_id or uuid.uuid4().hex  # known before the first hold, which may give up
    hold: Hold = lambda: writing(wh, "backfill", on_wait=on_wait, run_id=run_id)  # noqa: E731
    plan = plan_backfill(config, request)
    parameters = {
        "mode": request.mode, "since": request.since, "until": request.until,
        "sitemaps": list(request.sitemaps), "urls_file": str(request.urls_file or ""),
        "force": request.force, "params_hash": plan.params_hash,
    }  # fmt: skip
    with hold(), wh.transaction() as con:
        plan.done = completed_chunks(con, request.mode, plan.params_hash)
    todo = plan.todo
    with (
        recorded_run(wh, "backfill", parameters, run_id=run_id, hold=hold) as run,
        extraction_workers(),
    ):
        summary = BackfillSummary(request.mode, run.run_id)
        summary.chunks_planned = len(plan.chunks)
        summary.chunks_already_done = len(plan.chunks) - len(todo)
        summary.notes = list(plan.notes)
        try:
            _run_chunks(config, wh, plan, todo, summary, hold, on_chunk)
        finally:
            summary.seconds = run.seconds
            run.counts = {
                **summary.counts, "chunks_planned": summary.chunks_planned,
                "chunks_already_done": summary.chunks_already_done,
                "chunks_run": summary.chunks_run, "chunks_failed": summary.chunks_failed,
                "seconds": summary.seconds,
            }  # fmt: skip
            run.errors = list(summary.errors)
            run.failed = summary.chunks_failed > 0
    if summary.chunks_failed:
        raise BackfillIncomplete(
            f"{summary.chunks_failed} of {len(todo)} chunk(s) failed (the rest are done; run the"
            f" same backfill again to retry them): {summary.errors[0]}"
        )
    return summary


def _run_chunks(
    config: Config,
    wh: Warehouse,
    plan: BackfillPlan,
    todo: list[Chunk],
    summary: BackfillSummary,
    hold: Hold,
    on_chunk: Callable[[ChunkResult], None] | None,
) -> None:
    request = plan.request
    progress.report("chunks", 0, len(todo), "")
    spent = 0.0
    for index, chunk in enumerate(todo, 1):
        chunk_started = time.perf_counter()
        error: str | None = None
        counts: dict[str, Any] = {}
        try:
            counts = run_chunk(config, wh, request.mode, chunk, hold)
            seconds = round(time.perf_counter() - chunk_started, 3)
            record = ChunkRecord(
                request.mode, chunk.key, plan.params_hash, chunk.day, plan.params, summary.run_id,
                datetime.now(UTC), seconds, counts,
            )  # fmt: skip
            with hold(), wh.transaction() as con:
                record_chunk(con, record)
            summary.chunks_run += 1
            _add(summary.counts, counts)
        except WarehouseError:
            raise
        except Exception as exc:  # one bad day must not stop the others
            error = f"{chunk.key}: {type(exc).__name__}: {exc}"
            summary.chunks_failed += 1
            summary.errors.append(error)
        seconds = time.perf_counter() - chunk_started
        spent += seconds
        left = len(todo) - index
        progress.report("chunks", index, len(todo), chunk.key)
        if on_chunk is not None:
            eta = spent / index * left
            on_chunk(ChunkResult(chunk.key, index, len(todo), seconds, counts, error, eta))
        if left and seconds > 1.0:
            time.sleep(YIELD_S)  # after a long hold, let a waiting writer (an ingest) in


def describe_chunk(result: ChunkResult) -> str:
    """One line per finished chunk, with the estimate of time left."""
    shown = {k: v for k, v in result.counts.items() if k not in ("items", "not_fetched", "file")}
    figures = ", ".join(f"{k} {v}" for k, v in shown.items())
    state = f"FAILED: {result.error}" if result.error else (figures or "done")
    left = "" if result.done == result.total else f"; about {format_eta(result.eta_s)} left"
    return f"[{result.done}/{result.total}] {result.chunk}: {state} ({result.seconds:.1f} s{left})"
