"""Sitemaps fetched for a backfill through the guarded client, robots.txt and the throttle."""

from __future__ import annotations

import gzip
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from flows.adapters.sitemaps import scan_sitemaps
from tests.support.pages import config_for, sitemap_index, urlset

SEOUL = ZoneInfo("Asia/Seoul")


def test_scan_follows_an_index_skips_old_children_and_filters_by_day(
    site: HTTPServer, tmp_path: Path
) -> None:
    site.expect_request("/sitemap.xml").respond_with_data(
        sitemap_index(
            [
                (site.url_for("/news.xml.gz"), "2024-05-03T10:00:00+09:00"),
                (site.url_for("/old.xml"), "2019-01-01"),  # last changed before the range
                (site.url_for("/missing.xml"), None),
                (site.url_for("/page.html"), None),
            ]
        ),
        content_type="application/xml",
    )
    site.expect_request("/news.xml.gz").respond_with_data(
        gzip.compress(
            urlset(
                [
                    {"loc": site.url_for("/p/1"), "published": "2024-05-01T23:30:00+09:00", "title": "One"},
                    {"loc": site.url_for("/p/2"), "published": "2024-05-01T15:00:00Z", "title": "Two"},
                    {"loc": site.url_for("/p/3"), "lastmod": "2024-05-03"},
                    {"loc": site.url_for("/p/4"), "published": "2024-04-30T12:00:00+09:00"},
                    {"loc": site.url_for("/p/5")},
                ]
            ).encode()
        ),
        content_type="application/x-gzip",
    )  # fmt: skip
    site.expect_request("/missing.xml").respond_with_data("gone", status=404)
    site.expect_request("/page.html").respond_with_data(
        "<!doctype html><html><body>Soft 404</body></html>", content_type="text/html"
    )
    config = config_for(tmp_path, [])
    scan = scan_sitemaps(
        config, [site.url_for("/sitemap.xml")], date(2024, 5, 1), date(2024, 5, 3), SEOUL
    )
    assert {d: [e.url.rsplit("/", 1)[-1] for e in v] for d, v in scan.by_day.items()} == {
        date(2024, 5, 1): ["1"],
        date(2024, 5, 2): ["2"],  # 15:00 UTC is past midnight in Seoul
        date(2024, 5, 3): ["3"],
    }
    assert (scan.sitemaps_fetched, scan.sitemaps_skipped_by_lastmod) == (2, 1)
    assert not any("old.xml" in request.path for request, _ in site.log)
    assert (scan.urls_seen, scan.out_of_range, scan.undated) == (5, 1, 1)
    assert any("missing.xml: HTTP 404" in e for e in scan.errors)
    assert any("page.html: not a sitemap (an HTML page)" in e for e in scan.errors)


def test_scan_honours_robots_txt_and_the_address_guard(site: HTTPServer, tmp_path: Path) -> None:
    site.expect_request("/private/sitemap.xml").respond_with_data(urlset([]))
    config = config_for(tmp_path, [])
    scan = scan_sitemaps(
        config, [site.url_for("/private/sitemap.xml")], date(2024, 5, 1), date(2024, 5, 1), SEOUL
    )
    assert scan.sitemaps_fetched == 0
    assert "disallowed by robots.txt" in scan.errors[0]
    guarded = config_for(tmp_path, [], allow="false")
    scan = scan_sitemaps(
        guarded, [site.url_for("/sitemap.xml")], date(2024, 5, 1), date(2024, 5, 1), SEOUL
    )
    assert "address not allowed" in scan.errors[0]


def test_a_sitemap_that_drips_is_cut_off_at_its_deadline(site: HTTPServer, tmp_path: Path) -> None:
    def drip(request: Request) -> Response:
        def body() -> Iterator[bytes]:
            yield b'<?xml version="1.0"?><urlset>'
            for _ in range(300):  # five minutes, if nobody stops it
                time.sleep(1.0)
                yield b" "

        return Response(body(), content_type="application/xml")

    site.expect_request("/sitemap.xml").respond_with_handler(drip)
    config = config_for(tmp_path, [], extra="deadline_s = 0.5")
    started = time.monotonic()
    scan = scan_sitemaps(
        config, [site.url_for("/sitemap.xml")], date(2024, 5, 1), date(2024, 5, 1), SEOUL
    )
    assert time.monotonic() - started < 60  # four page deadlines each try, not five minutes
    assert scan.sitemaps_fetched == 0
    assert "deadline" in scan.errors[0]
