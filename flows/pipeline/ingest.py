"""The ingest: poll feeds, keep Korea-related items, fetch pages, store articles, extract events.

    with writing(wh, "ingest"):
        summary = run_ingest(load_config(path), wh)

``run_ingest`` runs four steps (poll, plan, fetch in chunks, extract); ``LocalSteps`` runs them
as plain calls, and ``flows.definitions.ingest_flow`` passes Prefect tasks that do the same.

Every step is idempotent: items are keyed by feed and guid, articles by canonical URL, and an
item stays ``pending`` until its page is stored, so a run killed halfway is finished by the next.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from extractors.events import EXTRACTOR_VERSION, Mention
from extractors.neardup import StoryCandidates, StoryIndex
from extractors.pages import TRAFILATURA_VERSION
from extractors.quality import QualityVerdict
from extractors.relevance import score_item
from extractors.urls import host_of, short_hash
from extractors.vocabulary import ItemStatus
from flows import progress
from flows.adapters.client import HostThrottle, RobotsCache, make_client
from flows.adapters.coroutines import run_coroutine
from flows.adapters.feeds import PollOutcome, backoff_until, poll_feeds
from flows.adapters.guard import AddressGuard
from flows.adapters.pages import PageResult, fetch_pages
from flows.adapters.workers import extraction_pool, extraction_workers
from flows.config import Config
from flows.runs import RunFailed, recorded_run
from warehouse import Warehouse
from warehouse.events import pending_days, replace_mentions
from warehouse.ingest import (
    ArticleRow,
    FeedRow,
    FetchJob,
    ItemOutcome,
    ItemRow,
    RawPage,
    count_waiting,
    fetch_jobs,
    insert_new_items,
    limit_memory,
    poll_states,
    record_outcomes,
    record_polls,
    save_raw_pages,
    story_candidates,
    sync_feeds,
    upsert_articles,
)

STORY_WINDOW = timedelta(days=3)


class AllFeedsFailed(RunFailed):
    """Every feed polled failed: the run did what it could and is recorded as failed."""

    def __init__(self, message: str, summary: IngestSummary) -> None:
        super().__init__(message)
        self.summary = summary  # the figures of the run, as a successful run returns them


@dataclass
class IngestSummary:
    feeds_polled: int = 0
    feeds_ok: int = 0
    not_modified: int = 0
    feeds_failed: int = 0
    backed_off: int = 0
    new_items: int = 0
    relevant: int = 0
    irrelevant: int = 0
    fetched: int = 0
    new_articles: int = 0
    feed_summary_fallbacks: int = 0
    not_korea_news: int = 0  # fetched, but the text showed another subject
    skipped: dict[str, int] = field(default_factory=dict)
    failed: dict[str, int] = field(default_factory=dict)
    mentions: int = 0
    events: int = 0
    seconds: float = 0.0
    feed_errors: list[str] = field(default_factory=list)
    new_article_ids: list[str] = field(default_factory=list)
    # Days a killed run left to consolidate: the extract step runs even with nothing new.
    days_left: bool = False
    # Items waiting to be fetched after the poll (new, or due for a retry): none, no plan step.
    waiting: int = 0

    def counts(self) -> dict[str, Any]:
        data = asdict(self)
        for internal in ("new_article_ids", "feed_errors", "days_left", "waiting"):
            data.pop(internal)
        return data

    def merge_pages(self, other: IngestSummary) -> None:
        self.fetched += other.fetched
        self.new_articles += other.new_articles
        self.feed_summary_fallbacks += other.feed_summary_fallbacks
        self.not_korea_news += other.not_korea_news
        self.mentions += other.mentions
        self.new_article_ids += other.new_article_ids
        for name in ("skipped", "failed"):
            mine: dict[str, int] = getattr(self, name)
            for reason, n in getattr(other, name).items():
                mine[reason] = mine.get(reason, 0) + n


def feed_id_for(url: str) -> str:
    return short_hash(url)


def _now() -> datetime:
    return datetime.now(UTC)


# -- stage 1: feeds ---------------------------------------------------------------------------


def poll_and_store(config: Config, wh: Warehouse, *, ignore_backoff: bool = False) -> IngestSummary:
    """Poll every due feed, record its health, insert new items with their relevance verdict."""
    summary = IngestSummary()
    now = _now()
    with wh.transaction() as con:
        sync_feeds(
            con, [FeedRow(feed_id_for(f.url), f.name, f.url, f.all_relevant) for f in config.feeds]
        )
        states = poll_states(con)
    due = [
        s for s in states if ignore_backoff or s.next_poll_after is None or s.next_poll_after <= now
    ]
    summary.backed_off = len(states) - len(due)
    done = 0
    all_relevant = {s.feed_id: s.all_relevant for s in states}
    names = {s.feed_id: s.name for s in states}
    items: list[ItemRow] = []

    def tick(outcome: PollOutcome) -> None:
        """Each feed's items become rows as it arrives; its parsed entries go at once."""
        nonlocal done
        done += 1
        progress.report("feeds", done, len(due), outcome.record.status)
        items.extend(_item_rows(outcome, all_relevant[outcome.record.feed_id], now))
        outcome.entries = []

    async def poll() -> list[PollOutcome]:
        guard = AddressGuard(config.fetch.allow_private_addresses)
        throttle = HostThrottle(config.fetch.per_host_concurrency, 0.0)
        async with make_client(config.fetch, guard) as client:
            return await poll_feeds(client, due, config.fetch, throttle, now, tick)

    outcomes = run_coroutine(poll) if due else []
    for outcome in outcomes:
        record = outcome.record
        summary.feeds_polled += 1
        if record.status == "ok":
            summary.feeds_ok += 1
        elif record.status == "not_modified":
            summary.not_modified += 1
        else:
            summary.feeds_failed += 1
            summary.feed_errors.append(f"{names[record.feed_id]}: {record.status}: {record.error}")
    with wh.transaction() as con:
        limit_memory(con)
        record_polls(con, [o.record for o in outcomes])
        fresh = insert_new_items(con, items)
        summary.days_left = bool(pending_days(con))
        summary.waiting = count_waiting(con, now)
    summary.new_items = len(fresh)
    summary.relevant = sum(1 for i in fresh if i.status in ("pending", "skipped"))
    summary.irrelevant = sum(1 for i in fresh if i.status == "irrelevant")
    return summary


def _item_rows(outcome: PollOutcome, all_relevant: bool, now: datetime) -> list[ItemRow]:
    """A polled feed's items with their relevance verdicts, from the title and summary."""
    rows = []
    for entry in outcome.entries:
        verdict = score_item(entry.title, entry.summary, all_relevant=all_relevant)
        status: ItemStatus = "pending" if verdict.relevant else "irrelevant"
        reason = verdict.reason
        if verdict.relevant and entry.url is None:
            status, reason = "skipped", "no fetchable http(s) link in the item"
        rows.append(
            ItemRow(outcome.record.feed_id, entry.item_key, entry.url, entry.original_url,
                    entry.title, entry.summary, entry.published_at, now, status, reason,
                    verdict.score, list(verdict.terms), entry.source_name)
        )  # fmt: skip
    return rows


# -- stage 2: pages ---------------------------------------------------------------------------


def pending_jobs(wh: Warehouse) -> list[FetchJob]:
    with wh.transaction() as con:
        return fetch_jobs(con, _now())


def _assign_stories(rows: list[ArticleRow], candidates: StoryCandidates) -> list[ArticleRow]:
    """Give each new article the story of its nearest near-duplicate, if any; an article known
    only from a feed's title and summary (an aggregator's item) is matched on its headline."""
    index = StoryIndex(candidates)
    out: list[ArticleRow] = []
    for row in rows:
        from_feed = row.text_source == "feed_summary"
        story = index.match(row.minhash, row.published_at, STORY_WINDOW)
        if story is None:
            story = index.match_title(row.title, row.published_at, STORY_WINDOW, from_feed)
        if story is not None:
            row = dataclasses.replace(row, story_id=story)
        out.append(row)
        index.add(row.story_id, row.minhash, row.published_at)
        index.add_title(row.story_id, row.title, row.published_at, from_feed)
    return out


def build_article(result: PageResult, fetched_at: datetime) -> tuple[ArticleRow, RawPage | None]:
    """The article row (story not yet assigned) and the raw page to keep for a fetched result."""
    assert result.analysed is not None
    analysed, job, fetched = result.analysed, result.job, result.fetched
    final_url = fetched.final_url if fetched is not None else job.url
    raw = None
    if fetched is not None and analysed.raw_sha256 is not None and analysed.html_zlib is not None:
        raw = RawPage(
            sha256=analysed.raw_sha256, url=job.url, final_url=fetched.final_url,
            fetched_at=fetched_at, http_status=fetched.status,
            content_type=fetched.content_type, size_bytes=fetched.size_bytes,
            html_zlib=analysed.html_zlib,
        )  # fmt: skip
    row = ArticleRow(
        article_id=analysed.article_id,
        url=analysed.canonical_url,
        final_url=final_url,
        source=analysed.source,
        host=host_of(final_url),
        title=analysed.title,
        author=analysed.page.author,
        published_at=analysed.published_at,
        published_at_source=analysed.published_at_source,
        fetched_at=fetched_at,
        language=analysed.page.language,
        text=analysed.text,
        text_source=analysed.text_source,
        is_relevant=analysed.is_relevant,
        relevance_score=analysed.relevance_score,
        story_id=analysed.article_id,
        minhash=analysed.minhash,
        raw_sha256=analysed.raw_sha256 if raw is not None else None,
        feed_id=job.feed_id,
        extracted_with=TRAFILATURA_VERSION if fetched is not None else "feed",
        relevance_reason=analysed.relevance_reason,
    )
    return row, raw


def _reason_key(reason: str) -> str:
    """The summary's bucket for a failure: its kind, without the URL or the figures."""
    if reason.startswith("deadline"):
        return "deadline"
    key = reason.split(" (", 1)[0] if reason.startswith(("not HTML", "too large")) else reason
    return key if len(key) < 80 else key[:77] + "..."


def store_page_results(
    wh: Warehouse, results: Sequence[PageResult], max_attempts: int
) -> IngestSummary:
    """Articles, raw pages, mentions and item outcomes of one chunk, in one transaction. The
    days the new mentions reach are queued for ``extract_events`` to consolidate."""
    summary = IngestSummary()
    now = _now()
    articles, raws, outcomes = [], [], []
    mentions: dict[str, list[Mention]] = {}
    verdicts: dict[str, QualityVerdict] = {}
    for result in results:
        job = result.job
        if result.status == "fetched" and result.analysed is not None:
            row, raw = build_article(result, now)
            articles.append(row)
            if raw is not None:
                raws.append(raw)
            mentions[row.article_id] = result.analysed.mentions
            if result.analysed.quality is not None:
                verdicts[row.article_id] = result.analysed.quality
            outcomes.append(ItemOutcome(job.url, "fetched", "fetched", row.article_id, now, None))
            summary.fetched += 1
            summary.feed_summary_fallbacks += row.text_source == "feed_summary"
            summary.not_korea_news += not row.is_relevant
            continue
        if result.status == "failed" and result.soft and job.attempts + 1 < max_attempts:
            retry_at = backoff_until(job.attempts + 1, now)
            reason = f"{result.reason} (attempt {job.attempts + 1} of {max_attempts}; retry after {retry_at:%Y-%m-%d %H:%M} UTC)"
            outcomes.append(ItemOutcome(job.url, "failed", reason, None, now, retry_at))
        elif result.status == "failed":
            reason = f"{result.reason} (gave up after {job.attempts + 1} attempt(s))"
            outcomes.append(ItemOutcome(job.url, "failed", reason, None, now, None))
        else:
            outcomes.append(ItemOutcome(job.url, "skipped", result.reason, None, now, None))
        bucket = summary.failed if result.status == "failed" else summary.skipped
        key = _reason_key(result.reason)
        bucket[key] = bucket.get(key, 0) + 1
    with wh.transaction() as con:
        limit_memory(con)
        if articles:
            articles = _assign_stories(
                articles,
                story_candidates(
                    con, [a.published_at for a in articles if a.published_at], STORY_WINDOW
                ),
            )
        save_raw_pages(con, raws)
        summary.new_article_ids = upsert_articles(con, articles)
        summary.new_articles = len(summary.new_article_ids)
        found = [m for ms in mentions.values() for m in ms]
        replace_mentions(con, list(mentions), EXTRACTOR_VERSION, found, verdicts)
        summary.mentions = sum(len(ms) for ms in mentions.values())
        record_outcomes(con, outcomes)
    return summary


def fetch_and_store(
    config: Config,
    wh: Warehouse,
    jobs: Sequence[FetchJob],
    *,
    done_before: int = 0,
    total: int | None = None,
) -> IngestSummary:
    """Fetch one chunk of pages, extract their text and store it in one transaction."""
    total = total if total is not None else len(jobs)
    done = done_before

    def tick(result: PageResult) -> None:
        nonlocal done
        done += 1
        progress.report("pages", done, total, result.status)

    async def run() -> list[PageResult]:
        guard = AddressGuard(config.fetch.allow_private_addresses)
        throttle = HostThrottle(config.fetch.per_host_concurrency, config.fetch.per_host_delay_s)
        pool = extraction_pool(len(jobs))
        async with make_client(config.fetch, guard) as client:
            robots = RobotsCache(client, config.fetch, throttle)
            return await fetch_pages(client, jobs, config.fetch, throttle, robots, pool, tick)

    results = run_coroutine(run)
    return store_page_results(wh, results, config.fetch.max_attempts)


def chunked(jobs: Sequence[FetchJob], size: int) -> list[list[FetchJob]]:
    return [list(jobs[i : i + size]) for i in range(0, len(jobs), size)]


# -- the whole run ----------------------------------------------------------------------------


def event_count(wh: Warehouse) -> int:
    from warehouse.events import count_events

    with wh.transaction() as con:
        counts = count_events(con)
    return counts["missile_test"] + counts["diplomacy"]


def extract_events(wh: Warehouse, article_ids: list[str]) -> tuple[int, int]:
    """Consolidate the events of the days whose mentions changed; (mentions, events).

    The mentions themselves were extracted in the workers and stored with their articles
    (``store_page_results``); this rebuilds only the events of the days they reach, and those
    a killed run left queued.
    """
    from flows.pipeline.extract import consolidate_pending
    from warehouse.events import count_events, count_mentions, pending_days

    with wh.transaction() as con:
        limit_memory(con)
        if not article_ids and not pending_days(con):
            return 0, 0
        consolidate_pending(con, EXTRACTOR_VERSION)
        counts = count_events(con)
        return count_mentions(con, article_ids), counts["missile_test"] + counts["diplomacy"]


class IngestSteps(Protocol):
    """The four steps of an ingest, as plain calls (``LocalSteps``) or as Prefect tasks."""

    def poll(self) -> IngestSummary: ...

    def plan(self) -> list[FetchJob]: ...

    def fetch(self, jobs: list[FetchJob], done_before: int, total: int) -> IngestSummary: ...

    def extract(self, article_ids: list[str]) -> tuple[int, int]: ...


@dataclass(frozen=True)
class LocalSteps:
    config: Config
    wh: Warehouse
    ignore_backoff: bool = False

    def poll(self) -> IngestSummary:
        return poll_and_store(self.config, self.wh, ignore_backoff=self.ignore_backoff)

    def plan(self) -> list[FetchJob]:
        return pending_jobs(self.wh)

    def fetch(self, jobs: list[FetchJob], done_before: int, total: int) -> IngestSummary:
        return fetch_and_store(self.config, self.wh, jobs, done_before=done_before, total=total)

    def extract(self, article_ids: list[str]) -> tuple[int, int]:
        return extract_events(self.wh, article_ids)


def run_ingest(
    config: Config,
    wh: Warehouse,
    *,
    ignore_backoff: bool = False,
    run_id: str | None = None,
    steps: IngestSteps | None = None,
) -> IngestSummary:
    """The whole ingest, recorded in ``runs``. The caller holds the warehouse (``writing``)."""
    steps = steps or LocalSteps(config, wh, ignore_backoff)
    parameters = {"config": str(config.source_path), "ignore_backoff": ignore_backoff}
    summary = IngestSummary()
    with recorded_run(wh, "ingest", parameters, run_id=run_id) as run, extraction_workers():
        try:
            summary = steps.poll()
            jobs = steps.plan() if summary.waiting else []
            done = 0
            for chunk in chunked(jobs, config.fetch.batch_size):
                summary.merge_pages(steps.fetch(chunk, done, len(jobs)))
                done += len(chunk)
            if summary.new_article_ids or summary.days_left:
                _, summary.events = steps.extract(summary.new_article_ids)
            else:  # nothing new: no step, no task run (a 304 re-run is the common case)
                summary.events = event_count(wh)
        finally:  # the figures so far, whether the run ends well or not
            summary.seconds = run.seconds
            run.counts = summary.counts()
            run.errors[:0] = summary.feed_errors
        if summary.feeds_polled and summary.feeds_failed == summary.feeds_polled:
            raise AllFeedsFailed(
                f"all {summary.feeds_polled} feed(s) polled failed: {summary.feed_errors[0]}"
                + (f" (and {len(summary.feed_errors) - 1} more; see `koreawatch feeds`)"
                   if len(summary.feed_errors) > 1 else ""),
                summary,
            )  # fmt: skip
    return summary


def summary_markdown(summary: IngestSummary) -> str:
    lines = [
        "# koreawatch ingest",
        "",
        "| step | count |",
        "|---|---:|",
        f"| feeds polled | {summary.feeds_polled} |",
        f"| not modified (304) | {summary.not_modified} |",
        f"| feeds failed | {summary.feeds_failed} |",
        f"| feeds backed off | {summary.backed_off} |",
        f"| new items | {summary.new_items} |",
        f"| relevant | {summary.relevant} |",
        f"| irrelevant | {summary.irrelevant} |",
        f"| pages fetched | {summary.fetched} |",
        f"| new articles | {summary.new_articles} |",
        f"| feed-summary fallbacks | {summary.feed_summary_fallbacks} |",
        f"| not Korea news on the text | {summary.not_korea_news} |",
        f"| event mentions | {summary.mentions} |",
        f"| events | {summary.events} |",
        f"| seconds | {summary.seconds:.1f} |",
    ]
    for title, reasons in (("Skipped", summary.skipped), ("Failed", summary.failed)):
        if reasons:
            lines += ["", f"## {title}", ""] + [f"- {n} × {r}" for r, n in sorted(reasons.items())]
    if summary.feed_errors:
        lines += ["", "## Feed errors", ""] + [f"- {e}" for e in summary.feed_errors]
    return "\n".join(lines) + "\n"
