"""The daily digest end to end: articles in a real DuckDB file, the real extractor, the files it
writes, the Atom feed, the command line and the Prefect flow. Mail is in test_digest_mail.py."""

from __future__ import annotations

import re
import shutil
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import feedparser
import pytest
import typer
from typer.testing import CliRunner

from flows.commands_digest import register
from flows.config import Config, DigestConfig
from flows.digest import (
    DigestResult,
    build_atom,
    clean,
    demo_digest,
    md_escape,
    run_digest,
    safe_url,
)
from flows.extract import run_extract
from flows.settings import Settings
from warehouse import Warehouse
from warehouse.digest import day_window, latest_event_day, load_digest_data

KST = timezone(timedelta(hours=9))
DAY = date(2023, 7, 12)  # a Wednesday: the launch and the summit below
QUIET_DAY = date(2023, 7, 10)
XSS_TITLE = "<script>alert(1)</script> Japan tracks the missile"

# Texts written for these tests; the facts are public (2023-07-12 Hwasong-18 launch). The summit
# sentence is placed on the same day to give the day a diplomatic event.
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
    with wh.writer("test"):
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


@pytest.fixture(scope="session")
def scenario_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("digest-scenario") / "koreawatch.duckdb"
    build_scenario(db)
    return db


@pytest.fixture
def scenario(scenario_template: Path, tmp_path: Path) -> Path:
    """A private copy of the scenario warehouse (tests that send write to its ledger)."""
    db = tmp_path / "wh" / "koreawatch.duckdb"
    db.parent.mkdir()
    shutil.copy(scenario_template, db)
    return db


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


# -- what the day holds ------------------------------------------------------------------------


def test_day_window_is_a_korean_calendar_day() -> None:
    from zoneinfo import ZoneInfo

    start, end = day_window(DAY, ZoneInfo("Asia/Seoul"))
    assert start == datetime(2023, 7, 11, 15, tzinfo=UTC)
    assert end - start == timedelta(hours=24)
    # Across a DST change the day is 23 hours long, not 24.
    start, end = day_window(date(2024, 3, 10), ZoneInfo("America/New_York"))
    assert end - start == timedelta(hours=23)


def test_load_digest_data_reads_the_day(scenario: Path) -> None:
    from zoneinfo import ZoneInfo

    with Warehouse(scenario).reader() as con:
        data = load_digest_data(con, DAY, ZoneInfo("Asia/Seoul"), datetime.now(UTC))
        assert latest_event_day(con) == DAY
    (launch,) = data.missile_tests
    assert launch.is_new and launch.missile_class == "ICBM"
    # Only the reports of that day: KCNA's next-morning article is not among them yet.
    assert {r.article_id for r in launch.reports} == {"a-jcs", "a-tokyo"}
    assert {r.distance_km for r in launch.reports} == {1000.0, 950.0}
    assert [d.event_type for d in data.diplomacy] == ["summit"]
    h = data.headline
    assert (h.launches_on_day, h.launches_ytd, h.launches_prior_ytd) == (1, 2, 1)
    assert h.previous_launch is not None and h.previous_launch.event_date == date(2023, 6, 15)
    assert [p.name for p in data.feed_problems] == ["Broken Wire"]
    assert [(r.flow, r.runs, r.new_articles) for r in data.runs] == [("ingest", 1, 3)]
    assert len(data.chart_months) == 24 and data.chart_months[-1] == date(2023, 7, 1)


# -- the files ---------------------------------------------------------------------------------


def test_digest_files_show_the_day(scenario: Path, tmp_path: Path) -> None:
    result = digest_for(scenario, tmp_path)
    out = tmp_path / "digests"
    assert sorted(p.name for p in out.iterdir()) == [
        "2023-07-12.html", "2023-07-12.md", "2023-07-12.png", "2023-07-12.txt", "digests.atom",
    ]  # fmt: skip
    assert result.files.chart.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    text = result.files.text.read_text(encoding="utf-8")
    html = result.files.html.read_text(encoding="utf-8")
    md = result.files.markdown.read_text(encoding="utf-8")
    for body in (text, html, md):
        assert "Wednesday 12 July 2023" in body
        assert "ICBM" in body and "Pyongyang" in body
        assert "Seoul Ledger" in body and "Tokyo Courier" in body
        assert "Broken Wire" in body  # failing for over 24 hours
        assert "Summit" in body and "Russia" in body
    # Headline figures: 1 launch that day, 2 this year vs 1 by this date last year, 27 days
    # since the launch of 15 June.
    assert "1 launch on 12 Jul" in text
    assert "2 launches in 2023 so far (vs 1 by this date in 2022)" in text
    assert "27 days since the previous launch" in text and "Thu 15 Jun 2023" in text
    # Sources disagree on the distance: both figures side by side.
    assert "Where sources differ" in text
    assert "1,000 km" in text and "950 km" in text
    # HTML for mail: no remote assets, the chart beside the file, only http(s) links.
    assert 'src="2023-07-12.png"' in html
    assert not re.search(r'src="(https?:)?//', html)
    assert "<link" not in html and "@import" not in html
    assert 'href="https://ledger.example/2023/07/a-jcs"' in html
    assert "javascript:" not in html and "javascript:" not in md
    assert result.subject.startswith("koreawatch daily digest, Wed 12 Jul 2023: 1 missile launch")


def test_article_markup_is_escaped_everywhere(scenario: Path, tmp_path: Path) -> None:
    result = digest_for(scenario, tmp_path)
    html = result.files.html.read_text(encoding="utf-8")
    md = result.files.markdown.read_text(encoding="utf-8")
    assert "<script" not in html.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Japan tracks the missile" in html
    assert "<script" not in md.lower() and "&lt;script&gt;alert(1)&lt;/script&gt;" in md
    # The title with the bad link is shown as text, not as a link.
    assert "Japan tracks the missile</a>" not in html
    assert XSS_TITLE in result.files.text.read_text(encoding="utf-8")  # plain text is inert


def test_next_day_reports_new_facts_on_the_earlier_launch(scenario: Path, tmp_path: Path) -> None:
    result = digest_for(scenario, tmp_path, day=DAY + timedelta(days=1))
    text = result.files.text.read_text(encoding="utf-8")
    assert not result.quiet
    assert "[UPDATE]" in text and "Hwasong-18" in text
    assert "New reporting on 1 earlier launch." in text
    assert "North Korea says it tested a Hwasong-18" in text
    assert "0 launches on 13 Jul" in text


def test_quiet_day_says_so(scenario: Path, tmp_path: Path) -> None:
    result = digest_for(scenario, tmp_path, day=QUIET_DAY)
    assert result.quiet
    message = "No launches or diplomatic events were reported on 2023-07-10 (Korea time)."
    for path in (result.files.text, result.files.html, result.files.markdown):
        body = path.read_text(encoding="utf-8")
        assert message in body
        assert "MISSILE TESTS" not in body and "Missile tests" not in body


def test_digest_is_idempotent(scenario: Path, tmp_path: Path) -> None:
    now = datetime(2023, 7, 13, 7, tzinfo=UTC)
    first = digest_for(scenario, tmp_path, now=now)
    snapshot = {p.name: p.read_bytes() for p in first.files.html.parent.iterdir()}
    digest_for(scenario, tmp_path, now=now)
    again = {p.name: p.read_bytes() for p in first.files.html.parent.iterdir()}
    assert snapshot.keys() == again.keys()
    for name in snapshot:
        if name != "digests.atom":  # its <updated> follows the files' modification times
            assert snapshot[name] == again[name], name


def test_atom_feed_is_valid_with_stable_ids(scenario: Path, tmp_path: Path) -> None:
    digest_for(scenario, tmp_path)
    digest_for(scenario, tmp_path, day=QUIET_DAY)
    out = tmp_path / "digests"
    (out / "notes.html").write_text("<p>not a digest</p>", encoding="utf-8")
    atom = (out / "digests.atom").read_text(encoding="utf-8")
    parsed = feedparser.parse(atom)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert [e.link for e in parsed.entries] == ["2023-07-12.html", "2023-07-10.html"]
    assert "Wednesday 12 July 2023" in parsed.entries[0].title
    assert "&lt;script" in parsed.entries[0].content[0].value  # still escaped inside the feed
    ids = [e.id for e in parsed.entries]
    assert all(i.startswith("urn:uuid:") for i in ids) and len(set(ids)) == 2
    # Rebuilt from the files: the same ids, however often and in whatever order.
    settings = DigestConfig(title="koreawatch daily digest")
    again = feedparser.parse(build_atom(out, settings))
    assert [e.id for e in again.entries] == ids
    with_site = feedparser.parse(
        build_atom(out, DigestConfig(site_url="https://digests.example/kw"))
    )
    assert with_site.entries[0].link == "https://digests.example/kw/2023-07-12.html"


def test_helpers_keep_untrusted_text_inert() -> None:
    assert safe_url("https://a.example/x?q=(1)") == "https://a.example/x?q=%281%29"
    for bad in ("javascript:alert(1)", "data:text/html,x", "//a.example", "http://", "ftp://a.example/",
                "https://a.example/\nx", None, ""):  # fmt: skip
        assert safe_url(bad) is None, bad
    assert clean("a\u202eb\r\nc\x1b[31m") == "a b c [31m"
    assert md_escape("[x](javascript:1) <b>") == "\\[x\\](javascript:1) &lt;b&gt;"
    assert md_escape("1. not a list") == "1\\. not a list"
    assert md_escape("# not a heading") == "\\# not a heading"


# -- the command line --------------------------------------------------------------------------


@pytest.fixture
def cli() -> typer.Typer:
    app = typer.Typer()
    register(app)

    @app.command()
    def _other() -> None:  # a second command keeps typer in multi-command mode, as in the CLI
        pass

    return app


def test_cli_writes_the_digest(cli: typer.Typer, scenario: Path, tmp_path: Path) -> None:
    config = tmp_path / "feeds.toml"
    config.write_text('[digest]\ntimezone = "Asia/Seoul"\n', encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli,
        ["digest", "--date", "2023-07-12", "--out", str(out), "--db", str(scenario),
         "--config", str(config)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert (out / "2023-07-12.html").exists() and (out / "digests.atom").exists()
    assert "digest for 2023-07-12" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--date", "12/07/2023"], "--date must be a day as YYYY-MM-DD"),
        (["--date", "2023-07-12", "--send"], "--send needs recipients"),
        (["--date", "2023-07-12", "--retry-failed"], "--retry-failed only makes sense with --send"),
    ],
)
def test_cli_errors_are_one_line(
    cli: typer.Typer, scenario: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    config = tmp_path / "feeds.toml"
    config.write_text("[digest]\n", encoding="utf-8")
    result = CliRunner().invoke(
        cli,
        ["digest", *args, "--db", str(scenario), "--config", str(config), "--out", str(tmp_path)],
    )
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output


def test_cli_without_events_views_fails_clearly(cli: typer.Typer, tmp_path: Path) -> None:
    db = tmp_path / "empty.duckdb"
    import duckdb

    duckdb.connect(str(db)).close()
    config = tmp_path / "feeds.toml"
    config.write_text("", encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["digest", "--date", "2023-07-12", "--db", str(db), "--config", str(config)]
    )
    assert result.exit_code == 1
    assert "run `koreawatch ingest`" in result.output


def test_demo_digest_picks_the_latest_event_day(scenario: Path, tmp_path: Path) -> None:
    result = demo_digest(scenario, tmp_path / "demo-digests")
    assert result is not None and result.day == DAY
    assert (tmp_path / "demo-digests" / "2023-07-12.html").exists()


# -- the Prefect flow --------------------------------------------------------------------------


@pytest.mark.slow
def test_flow_writes_files_and_a_markdown_artifact(
    prefect_harness: None, scenario: Path, tmp_path: Path
) -> None:
    from prefect.artifacts import Artifact

    from flows.digest import digest

    config = tmp_path / "feeds.toml"
    config.write_text("[digest]\n", encoding="utf-8")
    summary = digest(
        date="2023-07-12",
        db_path=str(scenario),
        config_path=str(config),
        out_dir=str(tmp_path / "flow-out"),
    )
    assert summary["day"] == "2023-07-12" and summary["quiet"] is False
    assert (tmp_path / "flow-out" / "2023-07-12.md").exists()
    artifact: Any = Artifact.get("daily-digest")  # sync here; typed as maybe-awaitable
    assert artifact is not None and artifact.type == "markdown"
    assert "Wednesday 12 July 2023" in str(artifact.data)
    assert "](2023-07-12.png)" not in str(artifact.data)  # no picture the UI cannot load
