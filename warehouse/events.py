"""Reading articles for the event extractors, and writing mentions and events.

All SQL about events lives here. Every function takes an open connection inside the caller's
transaction (``with wh.transaction() as con``); writes are batched through DuckDB's appender.

    with wh.writer("extract"), wh.transaction() as con:
        articles = load_articles(con, since=date(2024, 10, 1))
        replace_mentions(con, [a.article_id for a in articles], EXTRACTOR_VERSION, mentions, verdicts)
        store_events(con, consolidate_events(...), EXTRACTOR_VERSION)
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

import duckdb

from extractors.events.consolidate import (
    ArticleMeta,
    Consolidation,
    DiplomacyEvent,
    MissileTestEvent,
)
from extractors.events.records import (
    MEETING_FAMILY,
    DiplomacyMention,
    FieldSpan,
    Mention,
    MissileTestMention,
)
from extractors.quality import QualityVerdict
from extractors.records import ArticleText
from extractors.vocabulary import MENTION_KINDS, MentionKind

_KOREA_DATE = "CAST(timezone('Asia/Seoul', published_at) AS DATE)"

_MENTION_COLUMNS = (
    "mention_id", "article_id", "kind", "extractor_version", "evidence", "char_start", "char_end",
    "reported_by", "event_date", "date_precision", "background", "missile_class", "designation",
    "names_reported", "num_missiles", "launch_site", "distance_km", "apogee_km", "landing_area",
    "outcome", "overseen_by", "event_type", "actors", "persons", "location", "summary",
    "field_spans", "event_id", "extracted_at",
)  # fmt: skip
_EVENT_COLUMNS = (
    "event_id", "kind", "event_date", "date_precision", "missile_class", "designation",
    "names_reported", "num_missiles", "launch_site", "distance_km", "apogee_km", "landing_area",
    "outcome", "overseen_by", "event_type", "actors", "persons", "location", "summary",
    "reported_by", "num_articles", "num_sources", "first_reported_at", "confidence",
    "disputed_fields", "flags", "low_confidence", "low_confidence_reason", "extractor_version",
    "consolidated_at",
)  # fmt: skip


def load_articles(
    con: duckdb.DuckDBPyConnection,
    *,
    since: date | None = None,
    until: date | None = None,
    article_ids: Sequence[str] | None = None,
) -> list[ArticleText]:
    """Relevant articles published in [since, until] (Korea dates), or exactly ``article_ids``."""
    where = ["is_relevant"]
    params: list[Any] = []
    if article_ids is not None:
        where.append("article_id IN (SELECT unnest(?::VARCHAR[]))")
        params.append(list(article_ids))
    if since is not None:
        where.append(f"{_KOREA_DATE} >= ?")
        params.append(since)
    if until is not None:
        where.append(f"{_KOREA_DATE} <= ?")
        params.append(until)
    rows = con.execute(
        "SELECT article_id, url, coalesce(source, host, ''), coalesce(title, ''), text,"
        " published_at, language, story_id"
        f" FROM article_store WHERE {' AND '.join(where)} ORDER BY published_at, article_id",
        params,
    ).fetchall()
    return [
        ArticleText(
            article_id=r[0],
            url=r[1],
            source=r[2],
            title=r[3],
            text=r[4],
            published_at=r[5],
            language=r[6],
            story_id=r[7],
        )
        for r in rows
    ]


def _spans_json(spans: Sequence[FieldSpan]) -> str:
    """field_spans as JSON: field and offsets, and for a figure the value and the agency the
    article attributes it to ({"field": "distance_km", ..., "value": 600.0, "agency": "JCS"})."""
    out = []
    for s in spans:
        row: dict[str, Any] = {"field": s.field, "char_start": s.char_start, "char_end": s.char_end}
        if s.value is not None:
            row["value"] = s.value
            row["agency"] = s.agency
        out.append(row)
    return json.dumps(out)


def _mention_row(m: Mention, now: datetime) -> list[Any]:
    common = {
        "mention_id": m.mention_id, "article_id": m.article_id, "kind": m.kind,
        "extractor_version": m.extractor_version, "evidence": m.evidence,
        "char_start": m.char_start, "char_end": m.char_end, "reported_by": list(m.reported_by),
        "event_date": m.event_date, "date_precision": m.date_precision,
        "background": m.background, "field_spans": _spans_json(m.field_spans),
        "event_id": None, "extracted_at": now,
    }  # fmt: skip
    if isinstance(m, MissileTestMention):
        common.update(
            missile_class=m.missile_class, designation=m.designation,
            names_reported=list(m.names_reported), num_missiles=m.num_missiles,
            launch_site=m.launch_site, distance_km=m.distance_km, apogee_km=m.apogee_km,
            landing_area=m.landing_area, outcome=m.outcome, overseen_by=m.overseen_by,
        )  # fmt: skip
    else:
        common.update(
            event_type=m.event_type, actors=list(m.actors), persons=list(m.persons),
            location=m.location, summary=m.summary,
        )  # fmt: skip
    return [common.get(c) for c in _MENTION_COLUMNS]


def replace_mentions(
    con: duckdb.DuckDBPyConnection,
    article_ids: Sequence[str],
    extractor_version: str,
    mentions: Sequence[Mention],
    verdicts: Mapping[str, QualityVerdict],
    *,
    now: datetime | None = None,
) -> int:
    """Replace this extractor version's mentions of these articles (and their quality flags).

    The Korea days the old and the new mentions reach are queued in ``event_days_pending``, for
    ``consolidate_pending`` to rebuild their events.
    """
    now = now or datetime.now(UTC)
    ids = list(dict.fromkeys(article_ids))
    if not ids:
        return 0
    _queue_reach(con, ids, extractor_version)
    con.execute(
        "DELETE FROM mention_store WHERE extractor_version = ?"
        " AND article_id IN (SELECT unnest(?::VARCHAR[]))",
        [extractor_version, ids],
    )
    rows = {m.mention_id: _mention_row(m, now) for m in mentions}  # one row per key
    if rows:
        appender = con.appender("mention_store", columns=list(_MENTION_COLUMNS))
        appender.append_rows(list(rows.values()))
        appender.flush()
        _queue_reach(con, ids, extractor_version)
    if verdicts:
        appender = con.appender("article_quality", action="upsert")
        appender.append_rows(
            [
                [aid, list(v.flags), list(v.reasons), extractor_version, now]
                for aid, v in verdicts.items()
            ]
        )
        appender.flush()
    return len(rows)


def _spans(raw: str | None) -> tuple[FieldSpan, ...]:
    if not raw or raw == "[]":
        return ()
    return tuple(
        FieldSpan(
            s["field"],
            s["char_start"],
            s["char_end"],
            s.get("agency"),
            None if s.get("value") is None else float(s["value"]),
        )
        for s in json.loads(raw)
    )


# What a Mention is built from: the stored columns but its event and when it was written (a
# TIMESTAMPTZ costs a time-zone lookup per row to fetch, and a mention does not keep it).
_READ_COLUMNS = tuple(c for c in _MENTION_COLUMNS if c not in ("event_id", "extracted_at"))
_AT = {c: i for i, c in enumerate(_READ_COLUMNS)}


def load_mentions(
    con: duckdb.DuckDBPyConnection,
    extractor_version: str,
    days: Sequence[tuple[date, date]] | None = None,
    kind: MentionKind | None = None,
) -> list[Mention]:
    """Every stored mention of this extractor version (of one ``kind``, if given), or those
    whose reach meets ``days``."""
    cols = ", ".join(f"m.{c}" for c in _READ_COLUMNS)
    if days is None:
        rows = con.execute(
            f"SELECT {cols} FROM mention_store m WHERE extractor_version = ? AND {_of_kind(kind)}"
            " ORDER BY mention_id",
            [extractor_version],
        ).fetchall()
    else:
        rows = con.execute(
            f"WITH reach AS ({_reach(kind)}) SELECT {cols} FROM mention_store m"
            f" JOIN reach r USING (mention_id) WHERE {_MEETS} ORDER BY m.mention_id",
            [extractor_version, _ranges_json(days)],
        ).fetchall()
    return _mentions(rows)


def _mentions(rows: list[tuple[Any, ...]]) -> list[Mention]:
    """Rows of ``_READ_COLUMNS`` as mentions (by position: tens of thousands at a time)."""
    at = _AT
    article, evidence, start, end = (
        at["article_id"],
        at["evidence"],
        at["char_start"],
        at["char_end"],
    )
    reported, version, day, precision = (
        at["reported_by"], at["extractor_version"], at["event_date"], at["date_precision"],
    )  # fmt: skip
    background, spans, kind = at["background"], at["field_spans"], at["kind"]
    out: list[Mention] = []
    for r in rows:
        if r[kind] == "missile_test":
            out.append(
                MissileTestMention(
                    article_id=r[article], evidence=r[evidence], char_start=r[start],
                    char_end=r[end], reported_by=tuple(r[reported]), extractor_version=r[version],
                    event_date=r[day], date_precision=r[precision], background=r[background],
                    field_spans=_spans(r[spans]),
                    missile_class=r[at["missile_class"]],
                    designation=r[at["designation"]],
                    names_reported=tuple(r[at["names_reported"]] or ()),
                    num_missiles=r[at["num_missiles"]],
                    launch_site=r[at["launch_site"]],
                    distance_km=r[at["distance_km"]],
                    apogee_km=r[at["apogee_km"]],
                    landing_area=r[at["landing_area"]],
                    outcome=r[at["outcome"]],
                    overseen_by=r[at["overseen_by"]],
                )
            )  # fmt: skip
        else:
            out.append(
                DiplomacyMention(
                    article_id=r[article], evidence=r[evidence], char_start=r[start],
                    char_end=r[end], reported_by=tuple(r[reported]), extractor_version=r[version],
                    event_date=r[day], date_precision=r[precision], background=r[background],
                    field_spans=_spans(r[spans]),
                    event_type=r[at["event_type"]],
                    actors=tuple(r[at["actors"]] or ()),
                    persons=tuple(r[at["persons"]] or ()),
                    location=r[at["location"]],
                    summary=r[at["summary"]] or "",
                )
            )  # fmt: skip
    return out


def load_article_meta(
    con: duckdb.DuckDBPyConnection, article_ids: Sequence[str]
) -> dict[str, ArticleMeta]:
    """Publisher, publication time, story and quality flags of these articles."""
    rows = con.execute(
        "SELECT a.article_id, coalesce(a.source, a.host, a.article_id), a.published_at, a.story_id,"
        " coalesce(q.flags, []::VARCHAR[])"
        " FROM article_store a LEFT JOIN article_quality q USING (article_id)"
        " WHERE a.article_id IN (SELECT unnest(?::VARCHAR[]))",
        [list(dict.fromkeys(article_ids))],
    ).fetchall()
    return {r[0]: ArticleMeta(r[0], r[1], r[2], r[3], tuple(r[4])) for r in rows}


def previous_assignments(
    con: duckdb.DuckDBPyConnection, event_ids: Sequence[str] | None = None
) -> dict[str, str]:
    """mention_anchor -> event id, from the mentions attached to events now (any version); only
    those attached to ``event_ids`` when given."""
    where = "event_id IS NOT NULL"
    params: list[Any] = []
    if event_ids is not None:
        where += " AND event_id IN (SELECT unnest(?::VARCHAR[]))"
        params.append(list(event_ids))
    rows = con.execute(
        "SELECT article_id, kind, char_start,"
        " CASE WHEN kind = 'missile_test' THEN coalesce(designation, missile_class) ELSE event_type END,"
        f" event_id FROM mention_store WHERE {where} ORDER BY extracted_at, mention_id",
        params,
    ).fetchall()
    return {f"{r[0]}|{r[1]}|{r[2]}|{r[3]}": r[4] for r in rows}


def _event_row(e: MissileTestEvent | DiplomacyEvent, version: str, now: datetime) -> list[Any]:
    s = e.support
    row: dict[str, Any] = {
        "event_id": e.event_id, "kind": e.kind, "event_date": e.event_date,
        "date_precision": e.date_precision, "reported_by": list(e.reported_by),
        "num_articles": s.num_articles, "num_sources": s.num_sources,
        "first_reported_at": s.first_reported_at, "confidence": s.confidence,
        "disputed_fields": list(e.disputed_fields), "flags": list(s.flags),
        "low_confidence": s.low_confidence, "low_confidence_reason": s.low_confidence_reason,
        "extractor_version": version, "consolidated_at": now,
    }  # fmt: skip
    if isinstance(e, MissileTestEvent):
        row.update(
            missile_class=e.missile_class, designation=e.designation,
            names_reported=list(e.names_reported), num_missiles=e.num_missiles,
            launch_site=e.launch_site, distance_km=e.distance_km, apogee_km=e.apogee_km,
            landing_area=e.landing_area, outcome=e.outcome, overseen_by=e.overseen_by,
        )  # fmt: skip
    else:
        row.update(
            event_type=e.event_type, actors=list(e.actors), persons=list(e.persons),
            location=e.location, summary=e.summary,
        )  # fmt: skip
    return [row.get(c) for c in _EVENT_COLUMNS]


def store_events(
    con: duckdb.DuckDBPyConnection,
    result: Consolidation,
    extractor_version: str,
    *,
    now: datetime | None = None,
) -> None:
    """Replace all events with ``result`` and point every mention at its event (or NULL)."""
    now = now or datetime.now(UTC)
    con.execute("DELETE FROM event_store")
    if result.events:
        appender = con.appender("event_store", columns=list(_EVENT_COLUMNS))
        appender.append_rows([_event_row(e, extractor_version, now) for e in result.events])
        appender.flush()
    con.execute("CREATE OR REPLACE TEMP TABLE _assignment (mention_id VARCHAR, event_id VARCHAR)")
    pairs = [[mid, eid] for mid, eid in result.assignments.items() if eid is not None]
    if pairs:
        appender = con.appender("_assignment")
        appender.append_rows(pairs)
        appender.flush()
    con.execute(
        "UPDATE mention_store SET event_id = a.event_id FROM _assignment a"
        " WHERE mention_store.mention_id = a.mention_id"
        " AND mention_store.event_id IS DISTINCT FROM a.event_id"
    )
    con.execute(
        "UPDATE mention_store SET event_id = NULL WHERE event_id IS NOT NULL"
        " AND mention_id NOT IN (SELECT mention_id FROM _assignment)"
    )
    con.execute("DROP TABLE _assignment")


# -- consolidating only the days that changed --------------------------------------------------
#
# Consolidation joins a mention only to events near its date: a dated mention to events of the
# day before to the day after (the legs of one visit: up to a week apart); one dated by its
# report, to events of the two days before up to that day; one with no date, to events of the two
# days before its publication up to it; a month-dated one, to events of its month. That window
# is a mention's *reach*. Writing mentions queues the days their reach covers; to rebuild
# them, the days are widened while mentions reach across their edges, by at most
# ``MAX_WIDENING_DAYS`` on each side, and the events of those days are rebuilt from the mentions
# that reach them, together with every other mention of the events they replace. Where reports
# are sparse the widening stops by itself and the result is exactly what a consolidation of the
# whole warehouse gives (tests/integration/test_events_incremental.py); where every day has
# reports it stops at the limit, so a day's rebuild costs a week of mentions, not the warehouse
# (a chain of reports longer than that could come out differently at the window's edge).

MAX_WIDENING_DAYS = 2
VISIT_REACH_DAYS = 7  # a visit's legs (arrival, talks, reception) are one event up to a week apart

_REACH = f"""
    SELECT m.mention_id, m.event_id, m.kind,
           CASE WHEN m.event_date IS NOT NULL AND m.date_precision = 'month'
                    THEN make_date(year(m.event_date), month(m.event_date), 1)
                WHEN m.event_date IS NOT NULL THEN m.event_date - greatest(2, span)
                ELSE CAST(timezone('Asia/Seoul', a.published_at) AS DATE) - 2 END AS first_day,
           CASE WHEN m.event_date IS NOT NULL AND m.date_precision = 'month'
                    THEN last_day(m.event_date)
                WHEN m.event_date IS NOT NULL THEN m.event_date + span
                ELSE CAST(timezone('Asia/Seoul', a.published_at) AS DATE) END AS last_day
    FROM (SELECT *, CASE WHEN kind = 'diplomacy'
                          AND event_type IN ({", ".join(f"'{t}'" for t in MEETING_FAMILY)})
                         THEN {VISIT_REACH_DAYS} ELSE 1 END AS span
          FROM mention_store) m
    LEFT JOIN article_store a USING (article_id)
    WHERE m.extractor_version = ?
"""


def _of_kind(kind: MentionKind | None, column: str = "kind") -> str:
    """A condition on the kind of mention or event (a literal of the vocabulary, or none)."""
    if kind is None:
        return "true"
    if kind not in MENTION_KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    return f"{column} = '{kind}'"


def _reach(kind: MentionKind | None) -> str:
    return f"SELECT * FROM ({_REACH}) WHERE {_of_kind(kind)}"


# The reach of a mention meets one of the ranges given as [[first, last], ...].
_MEETS = """
    EXISTS (SELECT 1 FROM (SELECT unnest(CAST(? AS DATE[][])) AS d) x
            WHERE r.first_day <= x.d[2] AND r.last_day >= x.d[1])
"""


def _ranges_json(days: Sequence[tuple[date, date]]) -> list[list[date]]:
    return [[lo, hi] for lo, hi in days]


def _queue_reach(
    con: duckdb.DuckDBPyConnection, article_ids: Sequence[str], extractor_version: str
) -> None:
    con.execute(
        "INSERT INTO event_days_pending (first_day, last_day, kind)"
        f" WITH reach AS ({_REACH}) SELECT DISTINCT first_day, last_day, r.kind FROM reach r"
        " JOIN mention_store m USING (mention_id)"
        " WHERE m.article_id IN (SELECT unnest(?::VARCHAR[])) AND first_day IS NOT NULL",
        [extractor_version, list(article_ids)],
    )


def merge_ranges(days: Sequence[tuple[date, date]]) -> list[tuple[date, date]]:
    """Overlapping or touching day ranges merged, in order."""
    out: list[tuple[date, date]] = []
    for lo, hi in sorted(days):
        if out and lo <= out[-1][1] + timedelta(days=1):
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return out


def pending_days(
    con: duckdb.DuckDBPyConnection, kind: MentionKind | None = None
) -> list[tuple[date, date]]:
    """The queued days (of one kind's events, if given; days queued for no kind count for
    both)."""
    where = "true" if kind is None else f"kind IS NULL OR {_of_kind(kind)}"
    rows = con.execute(f"SELECT first_day, last_day FROM event_days_pending WHERE {where}")
    return merge_ranges([(r[0], r[1]) for r in rows.fetchall()])


def clear_pending_days(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("DELETE FROM event_days_pending")


def _clip(
    days: Sequence[tuple[date, date]], limits: Sequence[tuple[date, date]]
) -> list[tuple[date, date]]:
    out = []
    for lo, hi in days:
        for first, last in limits:
            if lo <= last and hi >= first:
                out.append((max(lo, first), min(hi, last)))
    return merge_ranges(out)


def close_days(
    con: duckdb.DuckDBPyConnection,
    days: Sequence[tuple[date, date]],
    extractor_version: str,
    kind: MentionKind | None = None,
) -> list[tuple[date, date]]:
    """``days`` widened while mentions of this version (of one ``kind``, if given) reach across
    their edges, by at most ``MAX_WIDENING_DAYS`` on each side."""
    current = merge_ranges(days)
    slack = timedelta(days=MAX_WIDENING_DAYS)
    limits = merge_ranges([(lo - slack, hi + slack) for lo, hi in current])
    while current:
        rows = con.execute(
            f"WITH reach AS ({_reach(kind)}) SELECT first_day, last_day FROM reach r"
            f" WHERE first_day IS NOT NULL AND {_MEETS}"
            " GROUP BY ALL",
            [extractor_version, _ranges_json(current)],
        ).fetchall()
        widened = _clip([*current, *((r[0], r[1]) for r in rows)], limits)
        if widened == current:
            break
        current = widened
    return current


def mentions_of_events(
    con: duckdb.DuckDBPyConnection,
    extractor_version: str,
    event_ids: Sequence[str],
    besides: Sequence[str],
) -> list[Mention]:
    """The mentions of these events other than ``besides``: an event is rebuilt whole."""
    cols = ", ".join(f"m.{c}" for c in _READ_COLUMNS)
    rows = con.execute(
        f"SELECT {cols} FROM mention_store m WHERE extractor_version = ?"
        " AND event_id IN (SELECT unnest(?::VARCHAR[]))"
        " AND mention_id NOT IN (SELECT unnest(?::VARCHAR[])) ORDER BY mention_id",
        [extractor_version, list(event_ids), list(besides)],
    ).fetchall()
    return _mentions(rows)


def events_on(
    con: duckdb.DuckDBPyConnection,
    days: Sequence[tuple[date, date]],
    mention_ids: Sequence[str],
    kind: MentionKind | None = None,
) -> list[str]:
    """The events (of one ``kind``, if given) dated within ``days``, and those any of
    ``mention_ids`` is attached to."""
    rows = con.execute(
        f"SELECT event_id FROM event_store e WHERE {_of_kind(kind, 'e.kind')} AND EXISTS ("
        " SELECT 1 FROM (SELECT unnest(CAST(? AS DATE[][])) AS d) x"
        " WHERE e.event_date BETWEEN x.d[1] AND x.d[2])"
        " UNION SELECT event_id FROM mention_store"
        " WHERE event_id IS NOT NULL AND mention_id IN (SELECT unnest(?::VARCHAR[]))",
        [_ranges_json(days), list(mention_ids)],
    ).fetchall()
    return sorted(r[0] for r in rows)


def replace_events(
    con: duckdb.DuckDBPyConnection,
    result: Consolidation,
    extractor_version: str,
    replaced: Sequence[str],
    *,
    now: datetime | None = None,
) -> None:
    """Put ``result`` in place of the events ``replaced``: the rest of the warehouse's events
    stay as they are. Mentions left attached to a replaced event are detached."""
    now = now or datetime.now(UTC)
    con.execute(
        "DELETE FROM event_store WHERE event_id IN (SELECT unnest(?::VARCHAR[]))", [list(replaced)]
    )
    if result.events:
        appender = con.appender("event_store", columns=list(_EVENT_COLUMNS))
        appender.append_rows([_event_row(e, extractor_version, now) for e in result.events])
        appender.flush()
    con.execute("CREATE OR REPLACE TEMP TABLE _assignment (mention_id VARCHAR, event_id VARCHAR)")
    pairs = [[mid, eid] for mid, eid in result.assignments.items()]
    if pairs:
        appender = con.appender("_assignment")
        appender.append_rows(pairs)
        appender.flush()
    con.execute(
        "UPDATE mention_store SET event_id = a.event_id FROM _assignment a"
        " WHERE mention_store.mention_id = a.mention_id"
        " AND mention_store.event_id IS DISTINCT FROM a.event_id"
    )
    con.execute(
        "UPDATE mention_store SET event_id = NULL"
        " WHERE event_id IN (SELECT unnest(?::VARCHAR[]))"
        " AND mention_id NOT IN (SELECT mention_id FROM _assignment)",
        [list(replaced)],
    )
    con.execute("DROP TABLE _assignment")


def count_mentions(con: duckdb.DuckDBPyConnection, article_ids: Sequence[str]) -> int:
    """Mentions stored for these articles (every version)."""
    row = con.execute(
        "SELECT count(*) FROM mention_store WHERE article_id IN (SELECT unnest(?::VARCHAR[]))",
        [list(article_ids)],
    ).fetchone()
    return int(row[0]) if row else 0


def count_events(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Events by kind: {'missile_test': n, 'diplomacy': m}."""
    rows = con.execute("SELECT kind, count(*) FROM event_store GROUP BY kind").fetchall()
    counts = {"missile_test": 0, "diplomacy": 0}
    counts.update({str(k): int(n) for k, n in rows})
    return counts
