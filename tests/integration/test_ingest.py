"""Ingest against a real HTTP server on 127.0.0.1 and a real DuckDB file."""

from __future__ import annotations

import gzip
import time
from pathlib import Path

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from tests.support.ingest import ingest, serve_feed, serve_page
from tests.support.pages import PARAGRAPHS, article_html, config_for, rss
from tests.support.warehouse import rows
from warehouse import Warehouse


def test_first_run_stores_articles_then_second_run_gets_304_and_adds_nothing(
    site: HTTPServer, tmp_path: Path, db_path: Path
) -> None:
    page = serve_page(site, "/a/icbm.html", "North Korea fires long-range missile")
    feed = rss([
        {"title": "North Korea fires long-range missile", "link": page, "summary": "Seoul says the launch came from Pyongyang."},
        {"title": "Central bank holds rates steady", "link": site.url_for("/a/rates.html"), "summary": "Markets shrugged."},
    ])  # fmt: skip
    etag = '"v1"'

    def feed_handler(request: Request) -> Response:
        if request.headers.get("If-None-Match") == etag:
            return Response(status=304, headers={"ETag": etag})
        return Response(
            feed, status=200, content_type="application/rss+xml", headers={"ETag": etag}
        )

    site.expect_request("/feed.rss").respond_with_handler(feed_handler)
    config = config_for(tmp_path, [("Test", site.url_for("/feed.rss"))])

    first = ingest(config, db_path)
    assert (first.feeds_ok, first.new_items, first.relevant, first.irrelevant) == (1, 2, 1, 1)
    assert first.fetched == 1
    assert first.new_articles == 1
    [(title, text, source, published, published_source, text_source)] = rows(
        db_path,
        "SELECT title, text, source, published_at, published_at_source, text_source FROM articles",
    )
    assert title == "North Korea fires long-range missile"
    assert "Joint Chiefs of Staff" in str(text)
    assert "Reader comment" not in str(text)
    assert "cookies" not in str(text)
    assert source == "Test Ledger"
    assert published_source == "page"
    assert text_source == "page"
    assert str(published).startswith("2024-10-31 00:10:00")  # 09:10 in Seoul is 00:10 UTC
    [(status, reason)] = rows(
        db_path, "SELECT status, reason FROM feed_items WHERE title LIKE 'Central bank%'"
    )
    assert status == "irrelevant"
    assert str(reason).startswith("irrelevant:")

    second = ingest(config, db_path)
    assert (second.not_modified, second.new_items, second.fetched, second.new_articles) == (
        1,
        0,
        0,
        0,
    )
    assert rows(db_path, "SELECT count(*) FROM articles") == [(1,)]
    assert rows(db_path, "SELECT last_status, consecutive_failures FROM feeds") == [
        ("not_modified", 0)
    ]


def test_gzip_feed_and_page_are_decompressed(
    site: HTTPServer, tmp_path: Path, db_path: Path
) -> None:
    page_html = article_html(
        "Kim and Putin sign treaty in Pyongyang", PARAGRAPHS["summit"]
    ).encode()
    site.expect_request("/p.html").respond_with_data(
        gzip.compress(page_html), headers={"Content-Encoding": "gzip"}, content_type="text/html"
    )
    feed = rss(
        [{"title": "Kim and Putin sign treaty in Pyongyang", "link": site.url_for("/p.html")}]
    ).encode()
    site.expect_request("/f.rss").respond_with_data(
        gzip.compress(feed),
        headers={"Content-Encoding": "gzip"},
        content_type="application/rss+xml",
    )
    summary = ingest(config_for(tmp_path, [("Gz", site.url_for("/f.rss"))]), db_path)
    assert summary.new_articles == 1
    [(text,)] = rows(db_path, "SELECT text FROM articles")
    assert "comprehensive strategic partnership" in str(text)


def test_redirects_are_followed_and_the_canonical_url_is_the_key(
    site: HTTPServer, tmp_path: Path, db_path: Path
) -> None:
    final = site.url_for("/story/final.html")
    serve_page(site, "/story/final.html", "North Korea fires long-range missile", canonical=final)
    site.expect_request("/r1").respond_with_data("", status=301, headers={"Location": "/r2"})
    site.expect_request("/r2").respond_with_data(
        "", status=302, headers={"Location": final + "?utm_source=x"}
    )
    site.expect_request("/story/final.html", query_string="utm_source=x").respond_with_data(
        article_html("North Korea fires long-range missile", PARAGRAPHS["icbm"], canonical=final),
        content_type="text/html",
    )
    feed = serve_feed(
        site,
        "/f.rss",
        [{"title": "North Korea fires long-range missile", "link": site.url_for("/r1")}],
    )
    ingest(config_for(tmp_path, [("R", feed)]), db_path)
    assert rows(db_path, "SELECT url FROM articles") == [(final,)]


def test_too_many_redirects_is_recorded(site: HTTPServer, tmp_path: Path, db_path: Path) -> None:
    for i in range(8):
        site.expect_request(f"/loop{i}").respond_with_data(
            "", status=302, headers={"Location": f"/loop{i + 1}"}
        )
    feed = serve_feed(
        site, "/f.rss", [{"title": "North Korea missile loop", "link": site.url_for("/loop0")}]
    )
    ingest(config_for(tmp_path, [("R", feed)], extra="max_redirects = 3"), db_path)
    [(status, reason)] = rows(db_path, "SELECT status, reason FROM feed_items")
    assert status == "skipped"
    assert "too many redirects" in str(reason)


def test_address_guard_refuses_redirect_to_another_loopback_address(
    site: HTTPServer, tmp_path: Path, db_path: Path
) -> None:
    port = site.port
    site.expect_request("/evil").respond_with_data(
        "", status=302, headers={"Location": f"http://127.0.0.2:{port}/secret"}
    )
    feed = serve_feed(
        site, "/f.rss", [{"title": "North Korea news", "link": site.url_for("/evil")}]
    )
    ingest(config_for(tmp_path, [("G", feed)]), db_path)
    [(status, reason)] = rows(db_path, "SELECT status, reason FROM feed_items")
    assert status == "skipped"
    assert "address not allowed" in str(reason)
    assert "127.0.0.2" in str(reason)


def test_connect_to_moves_the_connection_not_past_the_guard(
    site: HTTPServer, tmp_path: Path, db_path: Path
) -> None:
    serve_feed(site, "/f.rss", [{"title": "North Korea news", "link": "http://feeds.test/x"}])
    redirect = f'connect_to = {{ "feeds.test:80" = "127.0.0.1:{site.port}" }}'
    feeds = [("Aliased", "http://feeds.test/f.rss")]
    refused = ingest(config_for(tmp_path, feeds, allow="false", extra=redirect), db_path)
    assert refused.feeds_failed == 1
    [(error,)] = rows(db_path, "SELECT last_error FROM feeds")
    assert "address not allowed: 127.0.0.1 resolves to non-public address 127.0.0.1" in str(error)
    allowed = ingest(config_for(tmp_path, feeds, extra=redirect), db_path, ignore_backoff=True)
    assert allowed.feeds_ok == 1
    [(url,)] = rows(db_path, "SELECT url FROM feed_items")
    assert url == "http://feeds.test/x"  # the URL, and so the id, keep the name


def test_address_guard_refuses_private_feeds_unless_allowed(
    site: HTTPServer, tmp_path: Path, db_path: Path
) -> None:
    feed = serve_feed(site, "/f.rss", [{"title": "North Korea news", "link": site.url_for("/x")}])
    summary = ingest(config_for(tmp_path, [("Private", feed)], allow="false"), db_path)
    assert summary.feeds_failed == 1
    [(status, error)] = rows(db_path, "SELECT last_status, last_error FROM feeds")
    assert status == "hard_error"
    assert "address not allowed" in str(error)
    assert site.log == []  # refused before any connection was made


def test_server_error_then_success_within_one_run(
    site: HTTPServer, tmp_path: Path, db_path: Path
) -> None:
    calls = {"n": 0}
    good = article_html("North Korea fires long-range missile", PARAGRAPHS["icbm"])

    def flaky(request: Request) -> Response:
        calls["n"] += 1
        return (
            Response("oops", status=500)
            if calls["n"] == 1
            else Response(good, content_type="text/html")
        )

    site.expect_request("/flaky.html").respond_with_handler(flaky)
    feed = serve_feed(
        site,
        "/f.rss",
        [{"title": "North Korea fires long-range missile", "link": site.url_for("/flaky.html")}],
    )
    summary = ingest(config_for(tmp_path, [("F", feed)]), db_path)
    assert calls["n"] == 2
    assert summary.new_articles == 1


def test_persistent_500_is_failed_with_a_retry_time_and_retried_next_run(
    site: HTTPServer, tmp_path: Path, db_path: Path
) -> None:
    site.expect_request("/down.html").respond_with_data("down", status=503)
    feed = serve_feed(
        site,
        "/f.rss",
        [{"title": "North Korea fires long-range missile", "link": site.url_for("/down.html")}],
    )
    config = config_for(tmp_path, [("F", feed)])
    ingest(config, db_path)
    [(status, reason, attempts, retry)] = rows(
        db_path, "SELECT status, reason, attempts, next_attempt_after FROM feed_items"
    )
    assert status == "failed"
    assert "HTTP 503" in str(reason)
    assert attempts == 1
    assert retry is not None

    # The page is back and the retry is due: the item shows the verdict that had it fetched,
    # not the error of its first attempt.
    site.clear()
    site.expect_request("/robots.txt").respond_with_data("User-agent: *\nAllow: /\n")
    serve_page(site, "/down.html", "North Korea fires long-range missile")
    serve_feed(
        site,
        "/f.rss",
        [{"title": "North Korea fires long-range missile", "link": site.url_for("/down.html")}],
    )
    wh = Warehouse(db_path)
    with wh.writer("test"), wh.transaction() as con:
        con.execute("UPDATE item_state SET next_attempt_after = now() - INTERVAL 1 MINUTE")
    ingest(config, db_path, ignore_backoff=True)
    [(status, reason, attempts)] = rows(db_path, "SELECT status, reason, attempts FROM feed_items")
    assert (status, attempts) == ("fetched", 2)
    assert str(reason).startswith("kept: score"), reason


def test_timeout_is_a_soft_failure(site: HTTPServer, tmp_path: Path, db_path: Path) -> None:
    def slow(request: Request) -> Response:
        time.sleep(2.5)
        return Response("late", content_type="text/html")

    site.expect_request("/slow.html").respond_with_handler(slow)
    feed = serve_feed(
        site, "/f.rss", [{"title": "North Korea slow page", "link": site.url_for("/slow.html")}]
    )
    ingest(config_for(tmp_path, [("T", feed)], extra="timeout_s = 1\nretries = 0"), db_path)
    [(status, reason)] = rows(db_path, "SELECT status, reason FROM feed_items")
    assert status == "failed"
    assert "timeout" in str(reason)


def test_pages_over_the_byte_limit_are_skipped_declared_or_streamed_or_compressed(
    site: HTTPServer, tmp_path: Path, db_path: Path
) -> None:
    big = article_html("North Korea big page", PARAGRAPHS["icbm"] * 400)
    site.expect_request("/big.html").respond_with_data(big, content_type="text/html")

    def chunked(request: Request) -> Response:
        return Response(
            (big[i : i + 5000].encode() for i in range(0, len(big), 5000)), content_type="text/html"
        )

    site.expect_request("/chunked.html").respond_with_handler(chunked)
    bomb = gzip.compress(b"<html><body>" + b"A" * 50_000_000 + b"</body></html>")
    site.expect_request("/bomb.html").respond_with_data(
        bomb, headers={"Content-Encoding": "gzip"}, content_type="text/html"
    )
    feed = serve_feed(site, "/f.rss", [
        {"title": "North Korea big page", "link": site.url_for("/big.html")},
        {"title": "North Korea chunked page", "link": site.url_for("/chunked.html")},
        {"title": "North Korea compressed page", "link": site.url_for("/bomb.html")},
    ])  # fmt: skip
    assert len(bomb) < 200_000
    ingest(config_for(tmp_path, [("B", feed)], extra="max_bytes = 200000"), db_path)
    got = rows(db_path, "SELECT status, reason FROM feed_items ORDER BY title")
    assert [s for s, _ in got] == ["skipped"] * 3
    assert all("too large" in str(r) for _, r in got)


def test_non_html_pages_are_skipped_with_their_type(
    site: HTTPServer, tmp_path: Path, db_path: Path
) -> None:
    site.expect_request("/report.pdf").respond_with_data(
        b"%PDF-1.7 fake", content_type="application/pdf"
    )
    site.expect_request("/photo.jpg").respond_with_data(b"\xff\xd8\xff", content_type="image/jpeg")
    feed = serve_feed(site, "/f.rss", [
        {"title": "North Korea report (PDF)", "link": site.url_for("/report.pdf")},
        {"title": "North Korea photo", "link": site.url_for("/photo.jpg")},
    ])  # fmt: skip
    ingest(config_for(tmp_path, [("N", feed)]), db_path)
    got = dict(rows(db_path, "SELECT url, reason FROM feed_items"))
    assert got[site.url_for("/report.pdf")] == "not HTML (application/pdf)"
    assert got[site.url_for("/photo.jpg")] == "not HTML (image/jpeg)"


def test_broken_xml_feed_is_salvaged_and_the_defect_recorded(
    site: HTTPServer, tmp_path: Path, db_path: Path
) -> None:
    page = serve_page(site, "/ok.html", "North Korea fires long-range missile")
    broken = rss([{"title": "North Korea fires long-range missile", "link": page}]).replace(
        "</channel></rss>", "<item><title>Unclosed & broken"
    )
    site.expect_request("/broken.rss").respond_with_data(broken, content_type="application/rss+xml")
    site.expect_request("/html.rss").respond_with_data(
        "<html><body><p>Not a feed at all</p></body></html>", content_type="text/html"
    )
    summary = ingest(
        config_for(
            tmp_path, [("Broken", site.url_for("/broken.rss")), ("Html", site.url_for("/html.rss"))]
        ),
        db_path,
    )
    assert summary.new_articles == 1
    health = dict(
        (n, (s, e, d))
        for n, s, e, d in rows(
            db_path, "SELECT name, last_status, last_error, last_defect FROM feeds"
        )
    )
    assert health["Broken"][0] == "ok"
    assert "ill-formed feed" in str(health["Broken"][2])
    assert health["Html"][0] == "hard_error"
    assert "not a feed" in str(health["Html"][1])


def test_euc_kr_feed_gives_correct_hangul_with_or_without_the_header(
    site: HTTPServer, tmp_path: Path, db_path: Path
) -> None:
    page = serve_page(site, "/ko.html", "북한, 동해상으로 탄도미사일 발사", lang="ko")
    items = [
        {
            "title": "북한, 동해상으로 탄도미사일 발사",
            "link": page,
            "summary": "합동참모본부는 오늘 오전 발사를 포착했다고 밝혔다.",
        }
    ]
    body = rss(items, encoding="EUC-KR").encode("euc-kr")
    site.expect_request("/ko-header.rss").respond_with_data(
        body, content_type="application/rss+xml; charset=EUC-KR"
    )
    site.expect_request("/ko-mislabelled.rss").respond_with_data(
        body.replace(b"EUC-KR", b"UTF-8"), content_type="application/rss+xml; charset=utf-8"
    )
    site.expect_request("/ko-undeclared.rss").respond_with_data(
        body.replace(b' encoding="EUC-KR"', b""), content_type="application/rss+xml"
    )
    feeds = [
        ("hdr", site.url_for("/ko-header.rss")),
        ("mis", site.url_for("/ko-mislabelled.rss")),
        ("none", site.url_for("/ko-undeclared.rss")),
    ]
    ingest(config_for(tmp_path, feeds), db_path)
    titles = rows(db_path, "SELECT DISTINCT title, summary FROM feed_items")
    assert titles == [
        ("북한, 동해상으로 탄도미사일 발사", "합동참모본부는 오늘 오전 발사를 포착했다고 밝혔다.")
    ]
    assert rows(db_path, "SELECT count(*), any_value(language) FROM articles") == [(1, "ko")]


def test_the_same_article_from_two_feeds_and_with_tracking_parameters_is_stored_once(
    site: HTTPServer, tmp_path: Path, db_path: Path
) -> None:
    page = serve_page(site, "/dup.html", "North Korea fires long-range missile")
    site.expect_request(
        "/dup.html", query_string="utm_source=rss&utm_medium=feed"
    ).respond_with_data(
        article_html("North Korea fires long-range missile", PARAGRAPHS["icbm"]),
        content_type="text/html",
    )
    a = serve_feed(
        site, "/a.rss", [{"title": "North Korea fires long-range missile", "link": page}]
    )
    b = serve_feed(
        site,
        "/b.rss",
        [
            {
                "title": "North Korea fires long-range missile",
                "link": page + "?utm_source=rss&utm_medium=feed",
                "guid": "b-1",
            }
        ],
    )
    summary = ingest(config_for(tmp_path, [("A", a), ("B", b)]), db_path)
    assert summary.new_items == 2
    assert summary.new_articles == 1
    assert rows(db_path, "SELECT count(*) FROM articles") == [(1,)]
    assert rows(
        db_path,
        "SELECT count(*), count(DISTINCT article_id) FROM feed_items WHERE status = 'fetched'",
    ) == [(2, 1)]


def test_wire_copies_under_different_urls_share_a_story(
    site: HTTPServer, tmp_path: Path, db_path: Path
) -> None:
    wire = PARAGRAPHS["summit"] + [
        "Both governments described the visit as a turning point in relations between the two countries."
    ]
    site.expect_request("/one.html").respond_with_data(
        article_html("Putin and Kim Jong Un sign pact in Pyongyang", wire, site_name="Outlet One"),
        content_type="text/html",
    )
    site.expect_request("/two.html").respond_with_data(
        article_html(
            "Russia and North Korea agree defence treaty", wire[:-1], site_name="Outlet Two"
        ),
        content_type="text/html",
    )
    serve_page(site, "/other.html", "North Korea fires long-range missile")
    feed = serve_feed(site, "/f.rss", [
        {"title": "Putin and Kim Jong Un sign pact in Pyongyang", "link": site.url_for("/one.html")},
        {"title": "Russia and North Korea agree defence treaty", "link": site.url_for("/two.html")},
        {"title": "North Korea fires long-range missile", "link": site.url_for("/other.html")},
    ])  # fmt: skip
    ingest(config_for(tmp_path, [("W", feed)]), db_path)
    stories = dict(rows(db_path, "SELECT source, story_id FROM articles"))
    assert stories["Outlet One"] == stories["Outlet Two"] != stories["Test Ledger"]


def test_paywalled_page_falls_back_to_the_feed_summary(
    site: HTTPServer, tmp_path: Path, db_path: Path
) -> None:
    stub = article_html("North Korea fires missile", ["Subscribe to read the rest of this story."])
    site.expect_request("/pay.html").respond_with_data(stub, content_type="text/html")
    summary_text = "North Korea fired a ballistic missile into the sea off its east coast early on Thursday, South Korea's Joint Chiefs of Staff said, the first such launch in weeks."
    feed = serve_feed(
        site,
        "/f.rss",
        [
            {
                "title": "North Korea fires missile",
                "link": site.url_for("/pay.html"),
                "summary": summary_text,
            }
        ],
    )
    ingest(config_for(tmp_path, [("P", feed)]), db_path)
    assert rows(db_path, "SELECT text, text_source FROM articles") == [
        (summary_text, "feed_summary")
    ]


def test_feed_date_then_fetch_time_when_the_page_has_no_date(
    site: HTTPServer, tmp_path: Path, db_path: Path
) -> None:
    page = article_html("North Korea fires missile", PARAGRAPHS["icbm"]).replace(
        '<meta property="article:published_time" content="2024-10-31T09:10:00+09:00">', ""
    )
    site.expect_request("/nodate.html").respond_with_data(page, content_type="text/html")
    feed = serve_feed(
        site,
        "/f.rss",
        [
            {
                "title": "North Korea fires missile",
                "link": site.url_for("/nodate.html"),
                "date": "Wed, 30 Oct 2024 22:40:00 GMT",
            }
        ],
    )
    ingest(config_for(tmp_path, [("D", feed)]), db_path)
    [(published, source)] = rows(db_path, "SELECT published_at, published_at_source FROM articles")
    assert source == "feed"
    assert str(published).startswith("2024-10-30 22:40:00")


def test_a_429_feed_backs_off_honouring_retry_after(
    site: HTTPServer, tmp_path: Path, db_path: Path
) -> None:
    site.expect_request("/busy.rss").respond_with_data(
        "slow down", status=429, headers={"Retry-After": "7200"}
    )
    config = config_for(tmp_path, [("Busy", site.url_for("/busy.rss"))], extra="retries = 0")
    first = ingest(config, db_path)
    assert first.feeds_failed == 1
    [(status, fails, wait_s)] = rows(
        db_path,
        "SELECT last_status, consecutive_failures, epoch(next_poll_after - last_polled_at) FROM feeds",
    )
    assert status == "soft_error"
    assert fails == 1
    assert float(str(wait_s)) >= 7200
    second = ingest(config, db_path)
    assert second.backed_off == 1
    assert second.feeds_polled == 0


def test_robots_txt_disallow_is_honoured(site: HTTPServer, tmp_path: Path, db_path: Path) -> None:
    serve_page(site, "/private/icbm.html", "North Korea fires long-range missile")
    feed = serve_feed(
        site,
        "/f.rss",
        [
            {
                "title": "North Korea fires long-range missile",
                "link": site.url_for("/private/icbm.html"),
            }
        ],
    )
    ingest(config_for(tmp_path, [("R", feed)]), db_path)
    [(status, reason)] = rows(db_path, "SELECT status, reason FROM feed_items")
    assert status == "skipped"
    assert "robots.txt" in str(reason)
    assert all(not entry[0].path.startswith("/private/") for entry in site.log)
