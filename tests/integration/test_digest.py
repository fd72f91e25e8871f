"""The daily digest end to end: articles in a real DuckDB file, the real extractor, the files it
writes, the Atom feed and the Prefect flow. Mail is in test_digest_mail.py, the command in
tests/cli/test_digest_command.py."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import feedparser
import pytest

from flows.config import DigestConfig
from flows.digest import demo_digest
from flows.digest.atom import build_atom
from tests.support.scenario import DAY, QUIET_DAY, XSS_TITLE, digest_for
from warehouse import Warehouse
from warehouse.digest import latest_event_day, load_digest_data

# -- what the day holds ------------------------------------------------------------------------


def test_load_digest_data_reads_the_day(scenario: Path) -> None:
    from zoneinfo import ZoneInfo

    with Warehouse(scenario).reader() as con:
        data = load_digest_data(con, DAY, ZoneInfo("Asia/Seoul"), datetime.now(UTC))
        assert latest_event_day(con) == DAY
    (launch,) = data.missile_tests
    assert launch.is_new
    assert launch.missile_class == "ICBM"
    # Only the reports of that day: KCNA's next-morning article is not among them yet.
    assert {r.article_id for r in launch.reports} == {"a-jcs", "a-tokyo"}
    assert {r.distance_km for r in launch.reports} == {1000.0, 950.0}
    assert [d.event_type for d in data.diplomacy] == ["summit"]
    h = data.headline
    assert (h.launches_on_day, h.launches_ytd, h.launches_prior_ytd) == (1, 2, 1)
    assert h.previous_launch is not None
    assert h.previous_launch.event_date == date(2023, 6, 15)
    assert [p.name for p in data.feed_problems] == ["Broken Wire"]
    assert [(r.flow, r.runs, r.new_articles) for r in data.runs] == [("ingest", 1, 3)]
    assert len(data.chart_months) == 24
    assert data.chart_months[-1] == date(2023, 7, 1)


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
        assert "ICBM" in body
        assert "Pyongyang" in body
        assert "Seoul Ledger" in body
        assert "Tokyo Courier" in body
        assert "Broken Wire" in body  # failing for over 24 hours
        assert "Summit" in body
        assert "Russia" in body
    # Headline figures: 1 launch that day, 2 this year vs 1 by this date last year, 27 days
    # since the launch of 15 June.
    assert "1 launch on 12 Jul" in text
    assert "2 launches in 2023 so far (vs 1 by this date in 2022)" in text
    assert "27 days since the previous launch" in text
    assert "Thu 15 Jun 2023" in text
    # Sources disagree on the distance: both figures side by side.
    assert "Where sources differ" in text
    assert "1,000 km" in text
    assert "950 km" in text
    # HTML for mail: no remote assets, the chart beside the file, only http(s) links.
    assert 'src="2023-07-12.png"' in html
    assert not re.search(r'src="(https?:)?//', html)
    assert "<link" not in html
    assert "@import" not in html
    assert 'href="https://ledger.example/2023/07/a-jcs"' in html
    assert "javascript:" not in html
    assert "javascript:" not in md
    assert result.subject.startswith("koreawatch daily digest, Wed 12 Jul 2023: 1 missile launch")


def test_article_markup_is_escaped_everywhere(scenario: Path, tmp_path: Path) -> None:
    result = digest_for(scenario, tmp_path)
    html = result.files.html.read_text(encoding="utf-8")
    md = result.files.markdown.read_text(encoding="utf-8")
    assert "<script" not in html.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Japan tracks the missile" in html
    assert "<script" not in md.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in md
    # The title with the bad link is shown as text, not as a link.
    assert "Japan tracks the missile</a>" not in html
    assert XSS_TITLE in result.files.text.read_text(encoding="utf-8")  # plain text is inert


def test_next_day_reports_new_facts_on_the_earlier_launch(scenario: Path, tmp_path: Path) -> None:
    result = digest_for(scenario, tmp_path, day=DAY + timedelta(days=1))
    text = result.files.text.read_text(encoding="utf-8")
    assert not result.quiet
    assert "[UPDATE]" in text
    assert "Hwasong-18" in text
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
        assert "MISSILE TESTS" not in body
        assert "Missile tests" not in body


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
    assert all(i.startswith("urn:uuid:") for i in ids)
    assert len(set(ids)) == 2
    # Rebuilt from the files: the same ids, however often and in whatever order.
    settings = DigestConfig(title="koreawatch daily digest")
    again = feedparser.parse(build_atom(out, settings))
    assert [e.id for e in again.entries] == ids
    with_site = feedparser.parse(
        build_atom(out, DigestConfig(site_url="https://digests.example/kw"))
    )
    assert with_site.entries[0].link == "https://digests.example/kw/2023-07-12.html"


# -- the command line --------------------------------------------------------------------------


def test_demo_digest_picks_the_latest_event_day(scenario: Path, tmp_path: Path) -> None:
    result = demo_digest(scenario, tmp_path / "demo-digests")
    assert result is not None
    assert result.day == DAY
    assert (tmp_path / "demo-digests" / "2023-07-12.html").exists()


# -- the Prefect flow --------------------------------------------------------------------------


@pytest.mark.slow
def test_flow_writes_files_and_a_markdown_artifact(
    prefect_harness: None, scenario: Path, tmp_path: Path
) -> None:
    from prefect.artifacts import Artifact

    from flows.definitions import digest_flow

    config = tmp_path / "feeds.toml"
    config.write_text("[digest]\n", encoding="utf-8")
    summary = digest_flow(
        date="2023-07-12",
        db_path=str(scenario),
        config_path=str(config),
        out_dir=str(tmp_path / "flow-out"),
    )
    assert summary["day"] == "2023-07-12"
    assert summary["quiet"] is False
    assert (tmp_path / "flow-out" / "2023-07-12.md").exists()
    artifact: Any = Artifact.get("daily-digest")  # sync here; typed as maybe-awaitable
    assert artifact is not None
    assert artifact.type == "markdown"
    assert "Wednesday 12 July 2023" in str(artifact.data)
    assert "](2023-07-12.png)" not in str(artifact.data)  # no picture the UI cannot load
