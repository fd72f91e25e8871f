"""Attribution in the digest: an agency is cited for the event whose claim it made, not for every
event of the article. A wire report that tells a launch, attributed to the JCS, and talks held the
same day ("fired a missile ... as Blinken held talks in Seoul, the JCS said") lists the talks
without "citing JCS"; an agency named for the talks ("..., KCNA said") is the talks' alone.
Real DuckDB file, the real extractor, the real digest (its HTML shows whom each report cites)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from flows.pipeline.extract import run_extract
from flows.runs import writing
from tests.support.scenario import digest_for
from warehouse import Warehouse

KST = timezone(timedelta(hours=9))
DAY = date(2025, 1, 6)

LAUNCH_AND_TALKS = (
    "SEOUL, Jan. 6 (HRT) -- North Korea fired a ballistic missile into the sea off its east coast "
    "on Monday as U.S. Secretary of State Antony Blinken held talks with South Korean Foreign "
    "Minister Cho Tae-yul in Seoul, South Korea's Joint Chiefs of Staff said.\n\n"
    "The missile flew about 1,100 km, the JCS said."
)
LAUNCH_THEN_TALKS = (
    "SEOUL, Jan. 6 (PWS) -- North Korea fired a ballistic missile on Monday, South Korea's Joint "
    "Chiefs of Staff said. The missile flew about 1,100 km, the JCS said.\n\n"
    "North Korea's vice foreign minister held talks with a Russian delegation in Pyongyang on "
    "Monday, KCNA said."
)


def _warehouse(db: Path) -> None:
    wh = Warehouse(db, wait_s=10)
    with writing(wh, "test"):
        with wh.transaction() as con:
            for article_id, source, text in (
                ("a-both", "Han River Times", LAUNCH_AND_TALKS),
                ("a-then", "Pacific Wire", LAUNCH_THEN_TALKS),
            ):
                published = datetime(2025, 1, 6, 18, tzinfo=KST)
                con.execute(
                    "INSERT INTO article_store (article_id, url, source, title, published_at,"
                    " fetched_at, language, text, text_source, is_relevant, story_id)"
                    " VALUES (?, ?, ?, ?, ?, ?, 'en', ?, 'page', TRUE, ?)",
                    [
                        article_id,
                        f"https://news.example/{article_id}",
                        source,
                        f"Report {article_id}",
                        published,
                        published,
                        text,
                        f"s-{article_id}",
                    ],
                )
        run_extract(wh)


def _between(html: str, heading: str, following: tuple[str, ...]) -> str:
    """The HTML digest's section under ``heading``, up to the next of ``following``."""
    start = html.index(f">{heading}</td>")
    ends = [i for h in following if (i := html.find(f">{h}</td>", start + 1)) > 0]
    return html[start : min(ends, default=len(html))]


def test_talks_told_in_a_launch_report_do_not_cite_the_launchs_agency(tmp_path: Path) -> None:
    db = tmp_path / "koreawatch.duckdb"
    _warehouse(db)
    html = digest_for(db, tmp_path, DAY).files.html.read_text(encoding="utf-8")
    missiles = _between(html, "Missile tests", ("Diplomacy", "Top stories"))
    diplomacy = _between(html, "Diplomacy", ("Top stories",))
    assert "citing JCS" in missiles
    assert "Talks" in diplomacy and "Blinken" in diplomacy
    assert "JCS" not in diplomacy  # the JCS reported the launch, not the talks
    # The talks that KCNA reported cite KCNA, and the launch of that article does not.
    assert "citing KCNA" in diplomacy
    assert "KCNA" not in missiles
