"""Backfills against a real HTTP server on 127.0.0.1 and real DuckDB files: sitemaps and URL
lists through the ingest path, re-extraction and digests day by day, a kill halfway and a
resume, and a second writer held off."""

from __future__ import annotations

import re
import time
from datetime import date
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from flows.config import load_config
from flows.pipeline.backfill import (
    BackfillError,
    BackfillRequest,
    ChunkResult,
    describe_chunk,
    read_url_file,
    run_backfill,
)
from tests.support.cli import invoke
from tests.support.pages import (
    DAYS,
    PARAGRAPHS,
    PER_DAY,
    article_html,
    serve_news_site,
    write_config,
)
from tests.support.warehouse import held_by, hold_writer_lock, rows, scalar
from warehouse import Warehouse, WarehouseBusy


def sitemap_request(sitemap: str) -> BackfillRequest:
    return BackfillRequest("sitemap", DAYS[0], DAYS[-1], sitemaps=(sitemap,))


def test_sitemap_backfill_fetches_each_day_once_and_keeps_the_warehouse_coherent(
    site: HTTPServer, tmp_path: Path, db_path: Path
) -> None:
    sitemap = serve_news_site(site)
    config = load_config(write_config(tmp_path / "feeds.toml", []))
    wh = Warehouse(db_path, wait_s=10)
    seen: list[ChunkResult] = []
    first = run_backfill(config, wh, sitemap_request(sitemap), on_chunk=seen.append)
    assert (first.chunks_planned, first.chunks_run, first.chunks_failed) == (6, 6, 0)
    assert first.counts["fetched"] == len(DAYS) * PER_DAY
    assert [r.chunk for r in seen] == [d.isoformat() for d in DAYS]
    assert seen[0].eta_s is not None
    assert seen[-1].eta_s == 0
    assert "about" in describe_chunk(seen[0])
    assert "left" in describe_chunk(seen[0])
    assert any("1 out of range, 1 undated" in n for n in first.notes)

    n = len(DAYS) * PER_DAY
    assert scalar(db_path, "SELECT count(*) FROM articles") == n
    # Every article is joined to its item and to a (backfill) source row.
    assert scalar(
        db_path,
        "SELECT count(*) FROM articles a JOIN feed_items i USING (article_id)"
        " JOIN backfill_sources s ON s.feed_id = i.feed_id",
    ) == n  # fmt: skip
    assert rows(db_path, "SELECT feed_id, items_total, fetched, failed FROM backfill_sources") == [
        ("backfill:127.0.0.1", n + 1, n, 0)
    ]
    # The off-topic title is kept as an item but never fetched, as ingest does.
    [(status, reason)] = rows(
        db_path, "SELECT status, reason FROM feed_items WHERE title LIKE 'Central bank%'"
    )
    assert status == "irrelevant"
    assert str(reason).startswith("backfill (sitemap): irrelevant")
    assert not any("rates" in request.path for request, _ in site.log)
    # Backfill sources are not configured feeds: `feeds` does not list them as failing or at all.
    assert scalar(db_path, "SELECT count(*) FROM feeds") == 0
    assert rows(db_path, "SELECT DISTINCT published_at_source FROM articles") == [("page",)]

    # Again: nothing to do, nothing fetched, nothing doubled.
    fetched_before = len(site.log)
    again = run_backfill(config, wh, sitemap_request(sitemap))
    assert (again.chunks_already_done, again.chunks_run) == (6, 0)
    assert len(site.log) - fetched_before == 2  # robots.txt and the sitemap, no page
    assert scalar(db_path, "SELECT count(*) FROM articles") == n
    assert scalar(db_path, "SELECT count(*) FROM backfill_chunks WHERE mode = 'sitemap'") == 6
    assert rows(db_path, "SELECT flow, status FROM runs ORDER BY started_at") == [
        ("backfill", "ok"),
        ("backfill", "ok"),
    ]

    # Forced: the days run again, the pages are already stored, still nothing doubles.
    forced = run_backfill(
        config, wh, BackfillRequest("sitemap", DAYS[0], DAYS[1], (sitemap,), force=True)
    )
    assert forced.chunks_run == 2
    assert forced.counts.get("fetched", 0) == 0
    assert scalar(db_path, "SELECT count(*) FROM articles") == n


def test_url_list_backfill_reads_dates_and_skips_what_is_stored(
    site: HTTPServer, tmp_path: Path, db_path: Path
) -> None:
    for name in ("a", "b", "c"):
        site.expect_request(f"/u/{name}.html").respond_with_data(
            article_html(f"North Korea report {name}", PARAGRAPHS["summit"]),
            content_type="text/html",
        )
    urls = tmp_path / "urls.txt"
    urls.write_text(
        "# past coverage\n"
        f"{site.url_for('/u/a.html')}\n"
        f"{site.url_for('/u/b.html')}?utm_source=rss 2024-06-19\n"
        f"{site.url_for('/u/c.html')} 2023-01-01\n"  # outside --since/--until: left out
        f"{site.url_for('/u/a.html')}\n",  # twice: once
        encoding="utf-8",
    )
    config = load_config(write_config(tmp_path / "feeds.toml", []))
    wh = Warehouse(db_path, wait_s=10)
    request = BackfillRequest("urls", date(2024, 6, 1), date(2024, 6, 30), urls_file=urls)
    summary = run_backfill(config, wh, request)
    assert (summary.chunks_planned, summary.chunks_run, summary.counts["fetched"]) == (1, 1, 2)
    assert sorted(str(r[0]).rsplit("/", 1)[-1] for r in rows(db_path, "SELECT url FROM articles")) == [
        "a.html", "b.html",
    ]  # fmt: skip
    assert run_backfill(config, wh, request).chunks_run == 0

    bad = tmp_path / "bad.txt"
    bad.write_text("https://example.com/ok\nftp://example.com/x\n", encoding="utf-8")
    with pytest.raises(BackfillError, match=r"bad.txt:2: not an http\(s\) URL"):
        read_url_file(bad, None, None)


def test_extract_backfill_runs_per_day_records_chunks_and_runs_and_is_idempotent(
    demo_db: Path, tmp_path: Path
) -> None:
    db = demo_db
    events = (
        "SELECT event_id, event_date, missile_class, num_sources FROM missile_tests ORDER BY ALL"
    )
    before = rows(db, events)
    config = load_config(write_config(tmp_path / "feeds.toml", []))
    wh = Warehouse(db, wait_s=10)
    request = BackfillRequest("extract", date(2024, 6, 18), date(2024, 6, 20))
    first = run_backfill(config, wh, request)
    assert (first.chunks_run, first.chunks_failed) == (3, 0)
    assert first.counts["articles"] >= 3  # the Putin-Kim treaty coverage of 19 June
    assert rows(db, events) == before  # the same extractor over the same text: the same events
    assert run_backfill(config, wh, request).chunks_run == 0
    assert run_backfill(config, wh, BackfillRequest("extract", date(2024, 6, 18), date(2024, 6, 21))).chunks_run == 1  # fmt: skip
    assert rows(
        db,
        "SELECT chunk, day FROM backfill_chunks WHERE mode = 'extract' ORDER BY chunk",
    ) == [(f"2024-06-{d}", date(2024, 6, d)) for d in (18, 19, 20, 21)]
    assert scalar(db, "SELECT count(*) FROM runs WHERE flow = 'backfill' AND status = 'ok'") == 3


def test_digest_backfill_writes_each_day_and_sends_nothing(
    demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = demo_db
    out = tmp_path / "digests"
    monkeypatch.setenv("KOREAWATCH_DIGEST_DIR", str(out))
    # An SMTP host that would refuse: a digest that tried to send would fail the chunk.
    monkeypatch.setenv("KOREAWATCH_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("KOREAWATCH_SMTP_PORT", "9")
    config_path = write_config(tmp_path / "feeds.toml", [])
    config_path.write_text(
        config_path.read_text() + '\n[digest]\nrecipients = ["analyst@example.com"]\n'
    )
    summary = run_backfill(
        load_config(config_path), Warehouse(db, wait_s=10),
        BackfillRequest("digests", date(2024, 6, 19), date(2024, 6, 20)),
    )  # fmt: skip
    assert (summary.chunks_run, summary.counts["digests"]) == (2, 2)
    assert {p.name for p in out.glob("2024-06-*.html")} == {"2024-06-19.html", "2024-06-20.html"}
    assert scalar(db, "SELECT count(*) FROM digest_deliveries") == 0


def test_bad_requests_fail_with_one_line(tmp_path: Path, db_path: Path) -> None:
    config = write_config(tmp_path / "feeds.toml", [])
    cases = [
        (["--since", "2024-05-02", "--until", "2024-05-01"], "--since 2024-05-02 is after --until 2024-05-01"),
        (["--since", "2024-13-01", "--until", "2024-05-01"], "--since must be a day as YYYY-MM-DD, not '2024-13-01'"),
        (["--mode", "sitemap", "--since", "2024-05-01", "--until", "2024-05-01"], "mode sitemap needs at least one --sitemap URL"),
        (["--mode", "nope", "--since", "2024-05-01", "--until", "2024-05-01"], "unknown mode 'nope'; choose one of extract, sitemap, urls, digests"),
        (["--mode", "urls", "--urls", str(tmp_path / "none.txt")], f"{tmp_path / 'none.txt'}: file not found"),
    ]  # fmt: skip
    for args, message in cases:
        result = invoke(
            "backfill", *args, "--config", str(config), "--db", str(db_path), "--no-prefect"
        )
        assert result.exit_code == 1, result.stderr
        assert result.stderr.strip().splitlines() == [f"error: {message}"]


def test_a_second_writer_is_held_off_then_fails_with_one_line(
    tmp_path: Path, db_path: Path
) -> None:
    config = write_config(tmp_path / "feeds.toml", [])
    holder = hold_writer_lock(db_path)
    try:
        started = time.monotonic()
        result = invoke(
            "backfill", "--since", "2024-05-01", "--until", "2024-05-01", "--config", str(config),
            "--db", str(db_path), "--no-prefect", "--lock-wait", "2",
        )  # fmt: skip
        assert time.monotonic() - started >= 2
    finally:
        holder.kill()
        holder.wait()
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert lines[0].startswith("waiting for the warehouse: another koreawatch run (holder, pid ")
    assert re.fullmatch(
        rf"error: warehouse busy: {held_by(holder.pid)} is writing {db_path}", lines[-1]
    )


def test_the_flow_waits_for_the_lock_and_for_the_prefect_slot(
    prefect_harness: None, tmp_path: Path, db_path: Path
) -> None:
    from prefect.concurrency.sync import concurrency

    from flows.definitions import backfill_flow
    from flows.runs import WAREHOUSE_LIMIT, ensure_warehouse_limit

    config = str(write_config(tmp_path / "feeds.toml", []))
    params = {"mode": "extract", "since": "2024-05-01", "until": "2024-05-02",
              "config_path": config, "db_path": str(db_path), "lock_wait_s": 1.5}  # fmt: skip
    holder = hold_writer_lock(db_path)
    try:
        with pytest.raises(WarehouseBusy, match=rf"{held_by(holder.pid)} is writing"):
            backfill_flow(**params)
    finally:
        holder.kill()
        holder.wait()

    # Another flow run holds the warehouse's Prefect concurrency slot: this one waits, then
    # gives up with one line naming the limit.
    ensure_warehouse_limit()
    started = time.monotonic()
    with concurrency(WAREHOUSE_LIMIT, occupy=1, lease_duration=60), pytest.raises(
        WarehouseBusy, match=f"another koreawatch flow run holds the Prefect concurrency limit '{WAREHOUSE_LIMIT}'"
    ):  # fmt: skip
        backfill_flow(**params)
    assert time.monotonic() - started >= 1.5

    # Free again: the same flow runs and records its run.
    result = backfill_flow(**params)
    assert result["chunks_run"] == 2
    assert (
        scalar(db_path, "SELECT count(*) FROM runs WHERE flow = 'backfill' AND status = 'ok'") == 1
    )
