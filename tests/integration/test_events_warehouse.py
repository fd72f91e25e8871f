"""Extraction into a real DuckDB file: mentions, events, stable ids, idempotence."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from extractors.events import EXTRACTOR_VERSION
from flows.pipeline.extract import ExtractSummary, run_extract
from warehouse import Warehouse, WarehouseError

# Texts written for these tests; the facts are public (2023-07-12 Hwasong-18 launch).
JCS_REPORT = (
    "North Korea fired a long-range ballistic missile into the East Sea on Wednesday morning, "
    "South Korea's Joint Chiefs of Staff said. The missile was launched from the Pyongyang area "
    "at around 10 a.m. and flew about 1,000 km, the JCS said.\n\n"
    "Japan's Defense Ministry said the missile reached an altitude of more than 6,000 km."
)
TOKYO_REPORT = (
    "A North Korean intercontinental ballistic missile launched on Wednesday flew about 950 km "
    "and landed outside Japan's exclusive economic zone, Japan's Defense Ministry said."
)
KCNA_REPORT = (
    "North Korea said on Thursday it had test-fired a Hwasong-18 solid-fuel intercontinental "
    "ballistic missile the previous day, and that Kim Jong Un oversaw the launch, according to "
    "the Korean Central News Agency. The agency said the test was successful."
)
SUMMIT = (
    "Russian President Vladimir Putin arrived in Pyongyang on Wednesday for a summit with "
    "Kim Jong Un, his first visit to North Korea in 24 years."
)
# rules-2.0: an undated report that tells its launch apart (a count, a class, a source...) is
# dated 'reported'; one that says nothing of it ("its latest missile test") still has no date
UNDATED = "Analysts said North Korea's latest missile test was meant to be heard in Washington."


def _insert(wh: Warehouse, rows: list[tuple[str, str, str, datetime]]) -> None:
    with wh.transaction() as con:
        for article_id, source, text, published in rows:
            con.execute(
                "INSERT INTO article_store (article_id, url, source, title, published_at,"
                " fetched_at, language, text, text_source, is_relevant, story_id)"
                " VALUES (?, ?, ?, ?, ?, ?, 'en', ?, 'page', TRUE, ?)",
                [
                    article_id,
                    f"https://{source.lower()}.example/{article_id}",
                    source,
                    "North Korea",
                    published,
                    published,
                    text,
                    f"story-{article_id}",
                ],
            )


def _kst(day: int, hour: int) -> datetime:
    return datetime(2023, 7, day, hour, 0, tzinfo=ZoneInfo("Asia/Seoul"))


@pytest.fixture
def wh(db_path: Path) -> Warehouse:
    warehouse = Warehouse(db_path, wait_s=5)
    with warehouse.writer("test"):
        _insert(
            warehouse,
            [
                ("a-jcs", "Seoul Ledger", JCS_REPORT, _kst(12, 14)),
                ("a-tokyo", "Tokyo Courier", TOKYO_REPORT, _kst(12, 16)),
                ("a-kcna", "Pacific Wire", KCNA_REPORT, _kst(13, 8)),
                ("a-summit", "Pacific Wire", SUMMIT, datetime(2024, 6, 19, 12, tzinfo=UTC)),
                ("a-undated", "Han River Times", UNDATED, datetime(2024, 6, 1, 3, tzinfo=UTC)),
            ],
        )
    return warehouse


def _rows(wh: Warehouse, sql: str) -> list[tuple[object, ...]]:
    with wh.reader() as con:
        return con.execute(sql).fetchall()


def test_run_extract_consolidates_three_reports_into_one_launch(wh: Warehouse) -> None:
    with wh.writer("extract"):
        summary = run_extract(wh)
    assert isinstance(summary, ExtractSummary)
    assert summary.articles == 5
    rows = _rows(
        wh,
        "SELECT event_date, missile_class, designation, num_articles, num_sources, distance_km,"
        " apogee_km, outcome, overseen_by, disputed_fields, reported_by, confidence,"
        " launch_site FROM missile_tests",
    )
    assert len(rows) == 1
    (day, cls, designation, n_articles, n_sources, distance, apogee, outcome, kim, disputed,
     reported, confidence, site) = rows[0]  # fmt: skip
    assert day == date(2023, 7, 12)
    assert (cls, designation) == ("ICBM", "Hwasong-18")
    assert (n_articles, n_sources) == (3, 3)
    assert distance == 1000  # the JCS figure wins over Japan's 950 km ...
    assert "distance_km" in disputed  # ... and the disagreement is flagged
    assert apogee == 6000
    assert outcome == "success" and kim == "Kim Jong Un" and site == "Pyongyang"
    assert set(reported) >= {"JCS", "Japan MoD", "KCNA"}
    assert 0.8 < confidence <= 0.99
    # every source's own claim stays in event_mentions
    claims = _rows(
        wh,
        "SELECT article_id, distance_km FROM event_mentions"
        " WHERE kind = 'missile_test' AND distance_km IS NOT NULL ORDER BY article_id",
    )
    assert claims == [("a-jcs", 1000.0), ("a-tokyo", 950.0)]
    diplomacy = _rows(wh, "SELECT event_type, actors, persons, location FROM diplomacy_events")
    assert diplomacy and diplomacy[0][0] == "summit" and set(diplomacy[0][1]) == {"PRK", "RUS"}


def test_undated_mention_with_no_event_stays_unattached(wh: Warehouse) -> None:
    with wh.writer("extract"):
        run_extract(wh)
    rows = _rows(
        wh, "SELECT event_id, date_precision FROM event_mentions WHERE article_id = 'a-undated'"
    )
    assert rows == [(None, "unknown")]


def test_evidence_is_the_text_at_its_offsets(wh: Warehouse) -> None:
    with wh.writer("extract"):
        run_extract(wh)
    rows = _rows(
        wh,
        "SELECT m.evidence, substr(a.text, m.char_start + 1, m.char_end - m.char_start),"
        " m.extractor_version FROM event_mentions m JOIN articles a USING (article_id)",
    )
    assert rows
    for evidence, at_offsets, version in rows:
        assert evidence == at_offsets
        assert version == EXTRACTOR_VERSION


def test_rerun_is_idempotent_and_keeps_event_ids(wh: Warehouse) -> None:
    snapshot_sql = (
        "SELECT event_id, kind, event_date, designation, event_type, num_articles, confidence"
        " FROM event_store ORDER BY event_id"
    )
    mentions_sql = "SELECT mention_id, event_id FROM mention_store ORDER BY mention_id"
    with wh.writer("extract"):
        run_extract(wh)
    first_events, first_mentions = _rows(wh, snapshot_sql), _rows(wh, mentions_sql)
    with wh.writer("extract"):
        run_extract(wh)
        run_extract(wh, article_ids=["a-kcna"])
        run_extract(wh, since=date(2023, 7, 12), until=date(2023, 7, 12))
    assert _rows(wh, snapshot_sql) == first_events
    assert _rows(wh, mentions_sql) == first_mentions


def test_event_keeps_its_id_when_a_new_report_renames_it(wh: Warehouse) -> None:
    """The JCS and Tokyo reports make an ICBM event; KCNA's later name must not change its id."""
    with wh.writer("extract"):
        run_extract(wh, article_ids=["a-jcs", "a-tokyo"])
    before = _rows(wh, "SELECT event_id, designation FROM missile_tests")
    assert len(before) == 1 and before[0][1] is None
    with wh.writer("extract"):
        run_extract(wh, article_ids=["a-kcna"])
    after = _rows(wh, "SELECT event_id, designation, num_articles FROM missile_tests")
    assert after == [(before[0][0], "Hwasong-18", 3)]


def test_date_range_selects_articles_by_korea_date(wh: Warehouse) -> None:
    with wh.writer("extract"):
        summary = run_extract(wh, since=date(2023, 7, 13), until=date(2023, 7, 13))
    assert summary.articles == 1  # a-kcna: 2023-07-12 23:00 UTC is the 13th in Seoul


def test_run_extract_needs_the_writer_lock(wh: Warehouse) -> None:
    with pytest.raises(WarehouseError, match="writer lock"):
        run_extract(wh)


def test_migration_views_have_the_design_columns(wh: Warehouse) -> None:
    with wh.writer("extract"):
        run_extract(wh)
    with wh.reader() as con:
        missile = [d[0] for d in con.execute("SELECT * FROM missile_tests LIMIT 0").description]
        diplomacy = [
            d[0] for d in con.execute("SELECT * FROM diplomacy_events LIMIT 0").description
        ]
        mentions = [d[0] for d in con.execute("SELECT * FROM event_mentions LIMIT 0").description]
    assert missile[:18] == [
        "event_id", "event_date", "date_precision", "missile_class", "designation",
        "names_reported", "num_missiles", "launch_site", "distance_km", "apogee_km",
        "landing_area", "outcome", "overseen_by", "reported_by", "num_articles", "num_sources",
        "first_reported_at", "confidence",
    ]  # fmt: skip
    assert diplomacy[:12] == [
        "event_id", "event_date", "date_precision", "event_type", "actors", "persons", "location",
        "summary", "num_articles", "num_sources", "first_reported_at", "confidence",
    ]  # fmt: skip
    assert mentions[:8] == [
        "event_id", "article_id", "kind", "evidence", "char_start", "char_end", "reported_by",
        "extractor_version",
    ]  # fmt: skip
