"""Sitemaps parsed: W3C dates, news sitemaps, indexes, gzip, and refusals (no network)."""

from __future__ import annotations

import gzip
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from extractors.sitemaps import (
    NotASitemap,
    SitemapTooLarge,
    inflate,
    parse_sitemap,
    parse_stamp,
)
from tests.support.pages import sitemap_index, urlset

SEOUL = ZoneInfo("Asia/Seoul")


def test_w3c_dates_keep_a_bare_day_as_that_day_and_convert_moments_to_the_zone() -> None:
    day = parse_stamp("2024-05-01")
    assert day is not None
    assert day.day_only
    assert day.day_in(SEOUL) == date(2024, 5, 1)
    late = parse_stamp("2024-05-01T20:30:00Z")  # 05:30 the next morning in Seoul
    assert late is not None
    assert late.day_in(SEOUL) == date(2024, 5, 2)
    assert late.day_in(UTC) == date(2024, 5, 1)
    with_offset = parse_stamp("2024-05-01T09:10:00+09:00")
    assert with_offset is not None
    assert with_offset.at == datetime(2024, 5, 1, 0, 10, tzinfo=UTC)
    assert parse_stamp("yesterday") is None
    assert parse_stamp("  ") is None
    assert parse_stamp(None) is None


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
    assert parsed.kind == "urlset"
    assert parsed.rejected == 2
    first, second = parsed.urls
    assert first.url == "https://example.com/a?id=1"
    assert first.original_url == "https://example.com/a?utm_source=x&id=1"
    assert first.title == "North Korea fires missile"
    assert first.language == "ko"
    assert first.day_in(SEOUL) == date(2024, 5, 1)  # the publication date wins over lastmod
    assert second.published is None
    assert second.day_in(SEOUL) == date(2024, 5, 3)


def test_index_gzip_and_refusals() -> None:
    parsed = parse_sitemap(
        gzip.compress(sitemap_index([("https://example.com/s1.xml", "2024-05-01"), ("https://example.com/s2.xml", None)]).encode())
    )  # fmt: skip
    assert parsed.kind == "index"
    assert [s.url for s in parsed.sitemaps] == [
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
