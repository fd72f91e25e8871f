"""The situations of the seeds the project started from, in our own words (golden cases 106, 107
and 127), through a real DuckDB warehouse and then a re-extraction with a new extractor version:

- a later analysis (published 20 Sep 2024) of the 18 Sep Hwasong-11Da-4.5 and cruise missile
  test gives no date: one Hwasong-11C-4.5 event dated 'reported' 2024-09-20, overseen by Kim Jong
  Un, and the cruise missile as an event of its own (one missile type per event);
- with the day-dated KCNA-style report (published 19 Sep) also stored, they merge: both events
  dated 2024-09-18;
- the machine-written op-ed makes nothing above low confidence;
- ``koreawatch backfill --mode extract`` moves a warehouse made by an older extractor version to
  the current one, keeping the event ids.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from extractors.events import EXTRACTOR_VERSION
from flows.config import DigestConfig
from flows.digest.render import render_text
from flows.digest.view import build_view
from flows.pipeline.extract import run_extract
from warehouse import Warehouse
from warehouse.digest import load_digest_data

ROOT = Path(__file__).resolve().parents[2]
CASES = ROOT / "tests" / "golden" / "cases"
KCNA_DATED = "106_kcna_seed_hwasong11da_cruise_sep2024"
ANALYSIS_UNDATED = "107_analysis_seed_undated_hwasong11da_sep2024"
MACHINE_OPED = "127_machine_oped_seed_situation"
OLD_VERSION = "rules-1.1.0"
LAUNCHES = (
    "SELECT event_date, date_precision, missile_class, designation, overseen_by, num_articles,"
    " confidence, event_id FROM missile_tests ORDER BY missile_class, event_id"
)


def case(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((CASES / f"{name}.json").read_text(encoding="utf-8"))
    return data


def store(wh: Warehouse, *names: str) -> None:
    with wh.writer("test"), wh.transaction() as con:
        for name in names:
            data = case(name)
            published = datetime.fromisoformat(data["published_at"])
            con.execute(
                "INSERT INTO article_store (article_id, url, source, title, published_at,"
                " fetched_at, language, text, text_source, is_relevant, story_id)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'page', TRUE, ?)",
                [
                    data["id"], data["url"], data["source"], data["title"], published, published,
                    data["language"], data["text"], data["id"],
                ],
            )  # fmt: skip


def rows(wh: Warehouse, sql: str) -> list[tuple[Any, ...]]:
    with wh.reader() as con:
        return con.execute(sql).fetchall()


def extract(wh: Warehouse, *names: str) -> None:
    """Extract these articles (all with none), as ingest does for the articles it has just
    stored, and rebuild the events."""
    with wh.writer("extract"):
        run_extract(wh, article_ids=list(names) or None)


@pytest.fixture
def wh(tmp_path: Path) -> Warehouse:
    return Warehouse(tmp_path / "seeds.duckdb", wait_s=10)


def test_the_undated_analysis_alone_makes_reported_events(wh: Warehouse) -> None:
    store(wh, ANALYSIS_UNDATED)
    extract(wh)
    launches = rows(wh, LAUNCHES)
    assert [r[:5] for r in launches] == [
        (date(2024, 9, 20), "reported", "SRBM", "Hwasong-11C-4.5", "Kim Jong Un"),
        (date(2024, 9, 20), "reported", "cruise", None, None),
    ]


def test_the_digest_never_shows_a_reported_date_as_a_day(wh: Warehouse) -> None:
    store(wh, ANALYSIS_UNDATED)
    extract(wh)
    tz = ZoneInfo("Asia/Seoul")
    with wh.reader() as con:
        data = load_digest_data(con, date(2024, 9, 20), tz, datetime(2024, 9, 21, 7, 0, tzinfo=tz))
    # counted on the day it was reported (both systems), though never shown as that day
    assert data.headline.launches_on_day == 2
    text = render_text(build_view(data, DigestConfig(), chart_src=None))
    assert "day not stated; reported Fri 20 Sep 2024" in text
    assert "Friday 20 September 2024" not in text.split("Hwasong-11C-4.5", 1)[1][:200]


def test_the_day_dated_report_refines_the_undated_analysis(wh: Warehouse) -> None:
    store(wh, ANALYSIS_UNDATED)
    extract(wh)
    reported = {r[3] or r[2]: r[7] for r in rows(wh, LAUNCHES)}
    store(wh, KCNA_DATED)
    extract(wh, KCNA_DATED)
    launches = rows(wh, LAUNCHES)
    assert [r[:6] for r in launches] == [
        (date(2024, 9, 18), "day", "SRBM", "Hwasong-11C-4.5", "Kim Jong Un", 2),
        (date(2024, 9, 18), "day", "cruise", None, "Kim Jong Un", 2),
    ]
    # the events keep the ids they had when they were only reported
    assert {r[3] or r[2]: r[7] for r in launches} == reported


def test_the_machine_written_op_ed_makes_nothing_above_low_confidence(wh: Warehouse) -> None:
    store(wh, MACHINE_OPED)
    extract(wh)
    assert rows(wh, "SELECT count(*) FROM missile_tests WHERE NOT low_confidence") == [(0,)]
    flags = rows(wh, "SELECT flags FROM article_quality")
    assert flags and "machine_written" in flags[0][0]


def test_backfill_moves_a_warehouse_of_an_older_version_to_this_one(
    wh: Warehouse, tmp_path: Path
) -> None:
    store(wh, KCNA_DATED, ANALYSIS_UNDATED)
    extract(wh)
    before = rows(wh, LAUNCHES)
    # What an older extractor left: its own mention ids and version on every row.
    with wh.writer("test"), wh.transaction() as con:
        con.execute(
            "UPDATE mention_store SET mention_id = 'old-' || mention_id, extractor_version = ?",
            [OLD_VERSION],
        )
        con.execute("UPDATE event_store SET extractor_version = ?", [OLD_VERSION])
        con.execute("UPDATE article_quality SET extractor_version = ?", [OLD_VERSION])
    config = tmp_path / "feeds.toml"
    config.write_text("[fetch]\nallow_private_addresses = false\n", encoding="utf-8")
    result = subprocess.run(
        [
            sys.executable, "-c", "from flows.cli import main; main()", "backfill",
            "--mode", "extract", "--since", "2024-09-18", "--until", "2024-09-21",
            "--db", str(wh.path), "--config", str(config), "--no-prefect",
        ],
        capture_output=True, text=True, timeout=300, cwd=ROOT,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert rows(wh, "SELECT DISTINCT extractor_version FROM event_store") == [(EXTRACTOR_VERSION,)]
    # the old version's mentions stay as history, attached to nothing
    with wh.reader() as con:
        attached_old = con.execute(
            "SELECT count(*) FROM mention_store WHERE extractor_version = ?"
            " AND event_id IS NOT NULL",
            [OLD_VERSION],
        ).fetchone()
        current = con.execute(
            "SELECT count(*) FROM mention_store WHERE extractor_version = ?", [EXTRACTOR_VERSION]
        ).fetchone()
    assert attached_old == (0,)
    assert current is not None and current[0] > 0
    # the same launches, under the same ids
    assert rows(wh, LAUNCHES) == before
