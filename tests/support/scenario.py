"""The digest scenario: a warehouse made the way production makes it (articles stored, the real
extractor run), with a launch, a summit, a later report and a markup-laden title.

Texts written for these tests; the facts are public (2023-07-12 Hwasong-18 launch). The summit
sentence is placed on the same day to give the day a diplomatic event.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

from flows.config import Config, DigestConfig
from flows.digest import DigestResult, run_digest
from flows.pipeline.extract import run_extract
from flows.runs import writing
from flows.settings import Settings
from warehouse import Warehouse

KST = timezone(timedelta(hours=9))
DAY = date(2023, 7, 12)  # a Wednesday: the launch and the summit below
QUIET_DAY = date(2023, 7, 10)
XSS_TITLE = "<script>alert(1)</script> Japan tracks the missile"

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
EARLIER = (
    "North Korea fired two short-range ballistic missiles into the East Sea on Thursday, "
    "South Korea's Joint Chiefs of Staff said."
)
LAST_YEAR = (
    "North Korea fired a submarine-launched ballistic missile off Sinpo on Saturday, "
    "South Korea's Joint Chiefs of Staff said."
)

ARTICLES = [
    # id, source, title, text, published (KST), url
    ("a-jcs", "Seoul Ledger", "North Korea fires long-range missile", JCS_REPORT,
     datetime(2023, 7, 12, 14, tzinfo=KST), "https://ledger.example/2023/07/a-jcs"),
    # An article-supplied title carrying markup, and a link that is not http(s).
    ("a-tokyo", "Tokyo Courier", XSS_TITLE, TOKYO_REPORT,
     datetime(2023, 7, 12, 16, tzinfo=KST), "javascript:alert(2)"),
    ("a-summit", "Pacific Wire", "Putin arrives in Pyongyang", SUMMIT,
     datetime(2023, 7, 12, 12, tzinfo=KST), "https://wire.example/2023/07/a-summit"),
    # The next morning: KCNA names the missile; new facts on the 12 July launch.
    ("a-kcna", "Pacific Wire", "North Korea says it tested a Hwasong-18", KCNA_REPORT,
     datetime(2023, 7, 13, 8, tzinfo=KST), "https://wire.example/2023/07/a-kcna"),
    ("a-early", "Seoul Ledger", "Two short-range missiles fired", EARLIER,
     datetime(2023, 6, 15, 10, tzinfo=KST), "https://ledger.example/2023/06/a-early"),
    ("a-2022", "Seoul Ledger", "SLBM fired off Sinpo", LAST_YEAR,
     datetime(2022, 5, 7, 11, tzinfo=KST), "https://ledger.example/2022/05/a-2022"),
]  # fmt: skip


def build_scenario(db: Path) -> None:
    """A warehouse made the way production makes it: articles stored, the real extractor run."""
    wh = Warehouse(db, wait_s=10)
    with writing(wh, "test"):
        with wh.transaction() as con:
            for article_id, source, title, text, published, url in ARTICLES:
                con.execute(
                    "INSERT INTO article_store (article_id, url, source, title, published_at,"
                    " fetched_at, language, text, text_source, is_relevant, story_id)"
                    " VALUES (?, ?, ?, ?, ?, ?, 'en', ?, 'page', TRUE, ?)",
                    [article_id, url, source, title, published, published, text, f"s-{article_id}"],
                )
            # One feed failing for days, one healthy feed, one run on the day.
            con.execute(
                "INSERT INTO feed_state (feed_id, name, url, last_polled_at, last_ok_at, last_status,"
                " last_error, consecutive_failures) VALUES"
                " ('f1', 'Broken Wire', 'https://broken.example/rss', ?, NULL, 'hard_error', 'HTTP 410 Gone', 6),"
                " ('f2', 'Seoul Ledger', 'https://ledger.example/rss', ?, ?, 'ok', NULL, 0)",
                [datetime.now(UTC), datetime.now(UTC), datetime.now(UTC)],
            )
            con.execute(
                "INSERT INTO runs (run_id, flow, started_at, ended_at, status, counts) VALUES"
                " ('r1', 'ingest', ?, ?, 'ok', '{\"new_articles\": 3, \"events\": 2, \"feeds_failed\": 1}')",
                [datetime(2023, 7, 12, 15, tzinfo=KST), datetime(2023, 7, 12, 15, 1, tzinfo=KST)],
            )
        run_extract(wh)


def settings_for(tmp_path: Path, **smtp: object) -> Settings:
    return Settings(digest_dir=tmp_path / "digests", lock_wait_s=10, **smtp)  # type: ignore[arg-type]


def digest_for(db: Path, tmp_path: Path, day: date = DAY, **kwargs: object) -> DigestResult:
    return run_digest(
        db_path=db,
        config=Config(digest=DigestConfig(title="koreawatch daily digest")),
        day=day,
        out_dir=tmp_path / "digests",
        settings=settings_for(tmp_path),
        **kwargs,  # type: ignore[arg-type]
    )
