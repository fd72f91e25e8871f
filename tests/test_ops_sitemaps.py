"""Sitemaps: parsing (pure) and fetching through the guarded client (a real server on 127.0.0.1)."""

from __future__ import annotations

import gzip
import html
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pytest_httpserver import HTTPServer

from extractors.sitemaps import (
    NotASitemap,
    SitemapTooLarge,
    inflate,
    parse_sitemap,
    parse_stamp,
)
from flows.sitemaps import scan_sitemaps
from tests.conftest import config_for

SEOUL = ZoneInfo("Asia/Seoul")


def urlset(entries: list[dict[str, str]]) -> str:
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
        ' xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">',
    ]
    for e in entries:
        news = ""
        if "published" in e or "title" in e:
            news = (
                "<news:news><news:publication><news:name>Test</news:name>"
                f"<news:language>{e.get('lang', 'en')}</news:language></news:publication>"
                + (
                    f"<news:publication_date>{e['published']}</news:publication_date>"
                    if "published" in e
                    else ""
                )
                + (f"<news:title>{e['title']}</news:title>" if "title" in e else "")
                + "</news:news>"
            )
        lastmod = f"<lastmod>{e['lastmod']}</lastmod>" if "lastmod" in e else ""
        parts.append(f"<url><loc>{html.escape(e['loc'])}</loc>{lastmod}{news}</url>")
    parts.append("</urlset>")
    return "\n".join(parts)


def index(children: list[tuple[str, str | None]]) -> str:
    items = "".join(
        f"<sitemap><loc>{loc}</loc>{f'<lastmod>{mod}</lastmod>' if mod else ''}</sitemap>"
        for loc, mod in children
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{items}</sitemapindex>'
    )


def test_w3c_dates_keep_a_bare_day_as_that_day_and_convert_moments_to_the_zone() -> None:
    day = parse_stamp("2024-05-01")
    assert day is not None and day.day_only and day.day_in(SEOUL) == date(2024, 5, 1)
    late = parse_stamp("2024-05-01T20:30:00Z")  # 05:30 the next morning in Seoul
    assert late is not None and late.day_in(SEOUL) == date(2024, 5, 2)
    assert late.day_in(UTC) == date(2024, 5, 1)
    with_offset = parse_stamp("2024-05-01T09:10:00+09:00")
    assert with_offset is not None and with_offset.at == datetime(2024, 5, 1, 0, 10, tzinfo=UTC)
    assert (
        parse_stamp("yesterday") is None and parse_stamp("  ") is None and parse_stamp(None) is None
    )


def test_news_sitemap_entries_are_typed_and_cleaned() -> None:
    body = urlset(
        [
            {"loc": "https://example.com/a?utm_source=x&id=1", "published": "2024-05-01T09:00:00+09:00",
             "title": "North  Korea fires\n missile", "lang": "ko", "lastmod": "2024-05-02"},
            {"loc": "https://example.com/b", "lastmod": "2024-05-03"},
            {"loc": "javascript:alert(1)"},
            {"loc": "/relative"},
        ]
    ).encode()  # fmt: skip
    parsed = parse_sitemap(body)
    assert parsed.kind == "urlset" and parsed.rejected == 2
    first, second = parsed.urls
    assert first.url == "https://example.com/a?id=1"
    assert first.original_url == "https://example.com/a?utm_source=x&id=1"
    assert first.title == "North Korea fires missile" and first.language == "ko"
    assert first.day_in(SEOUL) == date(2024, 5, 1)  # the publication date wins over lastmod
    assert second.published is None and second.day_in(SEOUL) == date(2024, 5, 3)


def test_index_gzip_and_refusals() -> None:
    parsed = parse_sitemap(
        gzip.compress(index([("https://example.com/s1.xml", "2024-05-01"), ("https://example.com/s2.xml", None)]).encode())
    )  # fmt: skip
    assert parsed.kind == "index" and [s.url for s in parsed.sitemaps] == [
        "https://example.com/s1.xml",
        "https://example.com/s2.xml",
    ]
    assert parsed.sitemaps[1].lastmod is None
    with pytest.raises(NotASitemap, match="root element is <html>"):
        parse_sitemap(b"<html><body>Not found</body></html>")
    with pytest.raises(NotASitemap, match="not XML"):
        parse_sitemap(b"User-agent: *")
    with pytest.raises(SitemapTooLarge):
        inflate(gzip.compress(b"<urlset>" + b" " * 5000 + b"</urlset>"), max_bytes=1000)


def test_entities_are_not_expanded_and_files_are_not_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET", encoding="utf-8")
    hostile = (
        f'<?xml version="1.0"?><!DOCTYPE u [<!ENTITY x SYSTEM "file://{secret}">'
        '<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "<url><loc>https://example.com/&x;&b;</loc></url></urlset>"
    ).encode()
    parsed = parse_sitemap(hostile)
    assert all("TOPSECRET" not in u.url for u in parsed.urls)
    assert all("aaaaaaaaaa" * 10 not in u.url for u in parsed.urls)


def test_scan_follows_an_index_skips_old_children_and_filters_by_day(
    site: HTTPServer, tmp_path: Path
) -> None:
    site.expect_request("/sitemap.xml").respond_with_data(
        index(
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
    assert scan.sitemaps_fetched == 0 and "disallowed by robots.txt" in scan.errors[0]
    guarded = config_for(tmp_path, [], allow="false")
    scan = scan_sitemaps(
        guarded, [site.url_for("/sitemap.xml")], date(2024, 5, 1), date(2024, 5, 1), SEOUL
    )
    assert "address not allowed" in scan.errors[0]
