"""Writes and reads for ingest: feed state, items, raw pages and articles."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import UTC, datetime, timedelta
from typing import Any

import duckdb
import numpy as np
import numpy.typing as npt

from extractors.neardup import NUM_HASHES, StoryCandidates
from extractors.vocabulary import FeedStatus, ItemStatus, PublishedAtSource, TextSource


@dataclass(frozen=True)
class FeedRow:
    feed_id: str
    name: str
    url: str
    all_relevant: bool


@dataclass(frozen=True)
class FeedPollState:
    feed_id: str
    name: str
    url: str
    all_relevant: bool
    etag: str | None
    last_modified: str | None
    next_poll_after: datetime | None
    consecutive_failures: int


@dataclass(frozen=True)
class PollRecord:
    feed_id: str
    polled_at: datetime
    status: FeedStatus
    http_status: int | None
    error: str | None
    defect: str | None
    etag: str | None
    last_modified: str | None
    next_poll_after: datetime | None
    feed_format: str | None
    encoding: str | None
    feed_title: str | None = None


@dataclass(frozen=True)
class ItemRow:
    feed_id: str
    item_key: str
    url: str | None
    original_url: str | None
    title: str
    summary: str
    published_at: datetime | None
    first_seen_at: datetime
    status: ItemStatus
    reason: str
    relevance_score: float
    relevance_terms: list[str]
    source_name: str | None = None


@dataclass(frozen=True)
class FetchJob:
    """One URL to fetch; several items (from several feeds) may share it."""

    url: str
    feed_id: str
    title: str
    summary: str
    published_at: datetime | None
    all_relevant: bool
    attempts: int
    reason: str = ""  # the item's relevance verdict
    relevance_score: float = 0.0
    source_name: str | None = None  # an aggregator's <source>
    feed_title: str | None = None  # the feed's own title


@dataclass(frozen=True)
class RawPage:
    sha256: str
    url: str
    final_url: str
    fetched_at: datetime
    http_status: int
    content_type: str | None
    size_bytes: int
    html_zlib: bytes


@dataclass(frozen=True)
class ArticleRow:
    article_id: str
    url: str
    final_url: str
    source: str
    host: str
    title: str | None
    author: str | None
    published_at: datetime | None
    published_at_source: PublishedAtSource
    fetched_at: datetime
    language: str | None
    text: str
    text_source: TextSource
    is_relevant: bool
    relevance_score: float
    story_id: str
    minhash: list[int] | None
    raw_sha256: str | None
    feed_id: str | None
    extracted_with: str
    relevance_reason: str | None = None


@dataclass(frozen=True)
class ItemOutcome:
    """What happened to a fetched URL; applied to every pending item with that URL."""

    url: str
    status: ItemStatus
    reason: str
    article_id: str | None
    attempted_at: datetime
    next_attempt_after: datetime | None


def _staging(
    con: duckdb.DuckDBPyConnection,
    name: str,
    like: type[Any],
    rows: Sequence[Any],
    types: dict[str, str],
) -> None:
    """Load ``rows`` (dataclasses) into a temporary table with the appender: fast and typed."""
    names = [f.name for f in fields(like)]
    columns = ", ".join(f"{n} {types[n]}" for n in names)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name} ({columns})")
    if rows:
        appender = con.appender(name)
        # Shallow tuples: dataclasses.astuple deep-copies every list (a signature is 64 ints).
        appender.append_rows([tuple(getattr(row, n) for n in names) for row in rows])
        appender.flush()


# -- feeds ------------------------------------------------------------------------------------


def sync_feeds(con: duckdb.DuckDBPyConnection, feeds: Sequence[FeedRow]) -> None:
    """Make feed_state match the config: new feeds added, names updated, removed ones flagged."""
    _staging(con, "cfg_feeds", FeedRow, feeds,
             {"feed_id": "VARCHAR", "name": "VARCHAR", "url": "VARCHAR", "all_relevant": "BOOLEAN"})  # fmt: skip
    con.execute(
        """
        INSERT INTO feed_state (feed_id, name, url, all_relevant, in_config)
        SELECT feed_id, name, url, all_relevant, TRUE FROM cfg_feeds
        ON CONFLICT (feed_id) DO UPDATE SET
            name = excluded.name, url = excluded.url,
            all_relevant = excluded.all_relevant, in_config = TRUE
        """
    )
    con.execute(
        "UPDATE feed_state SET in_config = FALSE WHERE feed_id NOT IN (SELECT feed_id FROM cfg_feeds)"
    )


def poll_states(con: duckdb.DuckDBPyConnection) -> list[FeedPollState]:
    rows = con.execute(
        """
        SELECT feed_id, name, url, all_relevant, etag, last_modified, next_poll_after,
               consecutive_failures
        FROM feed_state WHERE in_config ORDER BY name
        """
    ).fetchall()
    return [FeedPollState(*row) for row in rows]


def record_polls(con: duckdb.DuckDBPyConnection, polls: Sequence[PollRecord]) -> None:
    _staging(con, "polls", PollRecord, polls, {
        "feed_id": "VARCHAR", "polled_at": "TIMESTAMPTZ", "status": "VARCHAR",
        "http_status": "INTEGER", "error": "VARCHAR", "defect": "VARCHAR", "etag": "VARCHAR",
        "last_modified": "VARCHAR", "next_poll_after": "TIMESTAMPTZ", "feed_format": "VARCHAR",
        "encoding": "VARCHAR", "feed_title": "VARCHAR",
    })  # fmt: skip
    con.execute(
        """
        UPDATE feed_state f SET
            last_polled_at = p.polled_at,
            last_status = p.status,
            last_http_status = p.http_status,
            last_error = p.error,
            last_defect = CASE WHEN p.status = 'ok' THEN p.defect ELSE f.last_defect END,
            last_ok_at = CASE WHEN p.status IN ('ok', 'not_modified') THEN p.polled_at
                              ELSE f.last_ok_at END,
            consecutive_failures = CASE WHEN p.status IN ('ok', 'not_modified') THEN 0
                                        ELSE f.consecutive_failures + 1 END,
            next_poll_after = p.next_poll_after,
            etag = CASE WHEN p.status = 'ok' THEN p.etag ELSE f.etag END,
            last_modified = CASE WHEN p.status = 'ok' THEN p.last_modified ELSE f.last_modified END,
            feed_format = coalesce(p.feed_format, f.feed_format),
            encoding = coalesce(p.encoding, f.encoding),
            feed_title = coalesce(p.feed_title, f.feed_title)
        FROM polls p
        WHERE f.feed_id = p.feed_id
        """
    )


# -- items ------------------------------------------------------------------------------------

_ITEM_TYPES = {
    "feed_id": "VARCHAR", "item_key": "VARCHAR", "url": "VARCHAR", "original_url": "VARCHAR",
    "title": "VARCHAR", "summary": "VARCHAR", "published_at": "TIMESTAMPTZ",
    "first_seen_at": "TIMESTAMPTZ", "status": "VARCHAR", "reason": "VARCHAR",
    "relevance_score": "DOUBLE", "relevance_terms": "VARCHAR[]", "source_name": "VARCHAR",
}  # fmt: skip


def insert_new_items(con: duckdb.DuckDBPyConnection, items: Sequence[ItemRow]) -> list[ItemRow]:
    """Insert the items not seen before (per feed and key); return those that were new."""
    unique = list({(i.feed_id, i.item_key): i for i in items}.values())
    _staging(con, "new_items", ItemRow, unique, _ITEM_TYPES)
    fresh = con.execute(
        """
        SELECT n.feed_id, n.item_key FROM new_items n
        ANTI JOIN item_state s ON s.feed_id = n.feed_id AND s.item_key = n.item_key
        """
    ).fetchall()
    con.execute(
        """
        INSERT INTO item_state (feed_id, item_key, url, original_url, title, summary, published_at,
                                first_seen_at, status, reason, relevance_score, relevance_terms,
                                source_name, verdict)
        SELECT *, reason FROM new_items ON CONFLICT DO NOTHING
        """
    )
    wanted = set(fresh)
    return [i for i in unique if (i.feed_id, i.item_key) in wanted]


# Items waiting to be fetched: pending, or failed with their backoff passed (``?``: now).
WAITING = """
    i.url IS NOT NULL AND (i.status = 'pending'
        OR (i.status = 'failed' AND i.next_attempt_after IS NOT NULL
            AND i.next_attempt_after <= ?))
"""

FETCH_JOB_COLUMNS = """
    i.url, arg_min(i.feed_id, i.first_seen_at), arg_min(i.title, i.first_seen_at),
    arg_min(i.summary, i.first_seen_at), min(i.published_at), bool_or(f.all_relevant),
    max(i.attempts), arg_min(coalesce(i.verdict, i.reason), i.first_seen_at),
    arg_min(coalesce(i.relevance_score, 0), i.first_seen_at),
    arg_min(i.source_name, i.first_seen_at), arg_min(f.feed_title, i.first_seen_at)
"""


def mark_already_stored(con: duckdb.DuckDBPyConnection, where: str, params: list[Any]) -> None:
    """Items waiting for a URL that is already an article (another feed brought it) are marked
    fetched. Only the waiting items' URLs are looked up, so the check does not grow with the
    warehouse."""
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE _waiting AS
        SELECT DISTINCT url FROM item_state i
        WHERE i.status IN ('pending', 'failed') AND i.url IS NOT NULL AND {where}
        """,
        params,
    )
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE _stored AS
        SELECT w.url, a.article_id FROM _waiting w JOIN article_store a ON a.url = w.url
        UNION ALL
        SELECT w.url, a.article_id FROM _waiting w JOIN article_store a ON a.final_url = w.url
        """
    )
    con.execute(
        """
        UPDATE item_state i SET status = 'fetched', article_id = s.article_id,
               reason = 'already stored (same URL from another item)'
        FROM (SELECT url, min(article_id) AS article_id FROM _stored GROUP BY url) s
        WHERE i.url = s.url AND i.status IN ('pending', 'failed')
        """
    )
    con.execute("DROP TABLE _waiting")
    con.execute("DROP TABLE _stored")


def count_waiting(con: duckdb.DuckDBPyConnection, now: datetime) -> int:
    """Items with a URL waiting to be fetched: pending, or failed and due again."""
    row = con.execute(f"SELECT count(*) FROM item_state i WHERE {WAITING}", [now]).fetchone()
    return int(row[0]) if row else 0


def fetch_jobs(
    con: duckdb.DuckDBPyConnection, now: datetime, limit: int | None = None
) -> list[FetchJob]:
    """URLs waiting to be fetched: pending items, and failed ones whose backoff has passed.

    An item whose URL is already an article (another feed brought it) is not fetched again.
    """
    mark_already_stored(con, "TRUE", [])
    rows = con.execute(
        f"""
        SELECT {FETCH_JOB_COLUMNS}
        FROM item_state i JOIN feed_state f USING (feed_id)
        WHERE {WAITING}
        GROUP BY i.url
        ORDER BY min(i.published_at) DESC NULLS LAST, i.url
        {"LIMIT " + str(int(limit)) if limit else ""}
        """,
        [now],
    ).fetchall()
    return [FetchJob(*row) for row in rows]


def record_outcomes(con: duckdb.DuckDBPyConnection, outcomes: Sequence[ItemOutcome]) -> None:
    unique = list({o.url: o for o in outcomes}.values())
    _staging(con, "outcomes", ItemOutcome, unique, {
        "url": "VARCHAR", "status": "VARCHAR", "reason": "VARCHAR", "article_id": "VARCHAR",
        "attempted_at": "TIMESTAMPTZ", "next_attempt_after": "TIMESTAMPTZ",
    })  # fmt: skip
    con.execute(
        """
        UPDATE item_state i SET
            status = o.status, article_id = o.article_id,
            -- a fetched item shows the verdict that had it fetched (not an earlier attempt's
            -- error); a failure says what failed
            reason = CASE WHEN o.status = 'fetched' THEN coalesce(i.verdict, i.reason, o.reason)
                          ELSE o.reason END,
            attempts = i.attempts + 1, last_attempt_at = o.attempted_at,
            next_attempt_after = o.next_attempt_after
        FROM outcomes o
        WHERE i.url = o.url AND i.status IN ('pending', 'failed')
        """
    )


# -- pages and articles -----------------------------------------------------------------------


def save_raw_pages(con: duckdb.DuckDBPyConnection, pages: Sequence[RawPage]) -> None:
    unique = list({p.sha256: p for p in pages}.values())
    _staging(con, "new_pages", RawPage, unique, {
        "sha256": "VARCHAR", "url": "VARCHAR", "final_url": "VARCHAR", "fetched_at": "TIMESTAMPTZ",
        "http_status": "INTEGER", "content_type": "VARCHAR", "size_bytes": "BIGINT",
        "html_zlib": "BLOB",
    })  # fmt: skip
    con.execute("INSERT INTO raw_pages SELECT * FROM new_pages ON CONFLICT DO NOTHING")


_ARTICLE_TYPES = {
    "article_id": "VARCHAR", "url": "VARCHAR", "final_url": "VARCHAR", "source": "VARCHAR",
    "host": "VARCHAR", "title": "VARCHAR", "author": "VARCHAR", "published_at": "TIMESTAMPTZ",
    "published_at_source": "VARCHAR", "fetched_at": "TIMESTAMPTZ", "language": "VARCHAR",
    "text": "VARCHAR", "text_source": "VARCHAR", "is_relevant": "BOOLEAN",
    "relevance_score": "DOUBLE", "story_id": "VARCHAR", "minhash": "UBIGINT[]",
    "raw_sha256": "VARCHAR", "feed_id": "VARCHAR", "extracted_with": "VARCHAR",
    "relevance_reason": "VARCHAR",
}  # fmt: skip


def upsert_articles(con: duckdb.DuckDBPyConnection, articles: Sequence[ArticleRow]) -> list[str]:
    """Insert or refresh articles by canonical URL; return the ids that were new.

    A re-fetched article gets its new text, but keeps its story and the feed that first brought it.
    """
    unique = list({a.article_id: a for a in articles}.values())
    _staging(con, "new_articles", ArticleRow, unique, _ARTICLE_TYPES)
    fresh = [
        row[0]
        for row in con.execute(
            "SELECT article_id FROM new_articles ANTI JOIN article_store USING (article_id)"
        ).fetchall()
    ]
    cols = ", ".join(_ARTICLE_TYPES)
    keep = {"article_id", "url", "story_id", "feed_id"}
    updates = ", ".join(f"{c} = excluded.{c}" for c in _ARTICLE_TYPES if c not in keep)
    con.execute(
        f"INSERT INTO article_store ({cols}) SELECT {cols} FROM new_articles "
        f"ON CONFLICT (article_id) DO UPDATE SET {updates}"
    )
    return fresh


_CANDIDATE_SLICE = 2000


def story_candidates(
    con: duckdb.DuckDBPyConnection, moments: Sequence[datetime], window: timedelta
) -> StoryCandidates:
    """The articles published within ``window`` of any of ``moments``: only the days the new
    articles need, however wide their dates spread; signatures read straight into numpy."""
    days = sorted({m.astimezone(UTC).date() for m in moments})
    ranges: list[list[datetime]] = []
    for day in days:
        midnight = datetime.combine(day, datetime.min.time(), tzinfo=UTC)
        start, end = midnight - window, midnight + window + timedelta(days=1)
        if ranges and start <= ranges[-1][1]:
            ranges[-1][1] = end
        else:
            ranges.append([start, end])
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE _candidates AS
        SELECT row_number() OVER () AS n, story_id, title, text_source = 'feed_summary' AS from_feed,
               epoch(published_at) AS seconds, len(minhash) IS NOT DISTINCT FROM ? AS signed, minhash
        FROM article_store a
        WHERE EXISTS (SELECT 1 FROM (SELECT unnest(CAST(? AS TIMESTAMPTZ[][])) AS r) x
                      WHERE a.published_at BETWEEN x.r[1] AND x.r[2])
        """,
        [NUM_HASHES, ranges or [[datetime.now(UTC), datetime.now(UTC)]]],
    )
    meta = con.execute(
        "SELECT story_id, title, from_feed, seconds, signed FROM _candidates ORDER BY n"
    ).fetchnumpy()
    signed: npt.NDArray[np.bool_] = np.ma.filled(np.ma.asarray(meta["signed"], dtype=bool), False)
    matrix = np.zeros((len(signed), NUM_HASHES), dtype=np.uint64)
    # The signatures as flat columns, a slice at a time: no Python or numpy object per article,
    # and DuckDB's result buffers stay the size of a slice, not of the window.
    for first in range(0, len(signed), _CANDIDATE_SLICE):
        rows = np.flatnonzero(signed[first : first + _CANDIDATE_SLICE]) + first
        if not len(rows):
            continue
        flat = con.execute(
            "SELECT unnest(minhash) AS v FROM _candidates WHERE signed AND n BETWEEN ? AND ?"
            " ORDER BY n",
            [first + 1, first + _CANDIDATE_SLICE],
        ).fetchnumpy()["v"]
        matrix[rows] = np.asarray(flat, dtype=np.uint64).reshape(-1, NUM_HASHES)
    con.execute("DROP TABLE _candidates")
    return StoryCandidates(
        stories=[str(s) for s in meta["story_id"]],
        titles=[None if t is None or t is np.ma.masked else str(t) for t in meta["title"]],
        from_feed=[bool(f) for f in np.ma.filled(np.ma.asarray(meta["from_feed"]), False)],
        times=np.ma.filled(np.ma.asarray(meta["seconds"], dtype=np.float64), np.nan),
        signatures=matrix,
        signed=signed,
    )


# The writer's share of memory in a chunk's transaction: DuckDB spills beyond it, so the run's
# memory does not grow with the size of the warehouse it writes to.
WRITE_MEMORY_LIMIT = "48MB"


def limit_memory(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"SET memory_limit = '{WRITE_MEMORY_LIMIT}'")
    # One thread: each DuckDB thread keeps a malloc arena of its own, which the process keeps.
    con.execute("SET threads = 1")


# -- feed health (read side) ------------------------------------------------------------------


def feed_health(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    cursor = con.execute(
        """
        SELECT f.name, f.url, f.last_status, f.last_polled_at, f.last_ok_at,
               f.consecutive_failures, f.next_poll_after, f.last_error, f.last_defect,
               f.items_total,
               (SELECT count(*) FROM item_state i WHERE i.feed_id = f.feed_id AND i.status = 'fetched') AS fetched,
               (SELECT count(*) FROM item_state i WHERE i.feed_id = f.feed_id AND i.status = 'failed') AS failed,
               f.in_config
        FROM feeds f ORDER BY f.in_config DESC, f.name
        """
    )
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
