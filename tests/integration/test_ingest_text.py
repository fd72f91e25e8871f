"""What the text decides once a page is fetched: Korea news or not, the publication time and
the publisher; and aggregator items stored from their feed. Real HTTP server, real DuckDB."""

from __future__ import annotations

import html
from pathlib import Path

from pytest_httpserver import HTTPServer

from tests.support.ingest import ingest, serve_feed, serve_page
from tests.support.pages import PARAGRAPHS, article_html, config_for
from tests.support.warehouse import rows

# Original text; the facts are public (Iran's Kheibar Shekan, shown on 9 February 2022; the
# LockBit charges of 20 February 2024; the 2021 charges against three North Korean officers).
IRAN = [
    "Iran's Revolutionary Guards unveiled a solid-fuel ballistic missile called Kheibar Shekan on Wednesday and said it could strike targets 1,450 km away.",
    "Television pictures from Tehran showed the missile on a road-mobile launcher, and commanders said it needed far less time to prepare than older Iranian designs.",
    "The display coincided with talks in Vienna on restoring the 2015 nuclear accord between Iran and world powers.",
    "Analysts said Iran still holds its declared missile ranges to 2,000 km, unlike North Korea, whose largest rockets are meant to reach the United States.",
]
CYBER = [
    "Federal prosecutors unsealed charges on Tuesday against two Russian men accused of spreading LockBit ransomware.",
    "Police in Britain and the United States said they had seized the servers the gang used to publish stolen files.",
    "Prosecutors said the group had collected more than $120 million from over 2,000 victims since 2019.",
    "The two men were charged in New Jersey with conspiracy to commit fraud and to damage protected computers.",
    "Britain's National Crime Agency said it had obtained keys that would let victims unlock their files.",
    "LockBit rented its malware to affiliates, who paid the developers a share of every ransom.",
    "Hospitals and schools were among its victims, according to court papers.",
    "The Treasury also sanctioned the two men.",
    "Officials said the case had nothing to do with the 2021 charges against three North Korean intelligence officers.",
]


def test_the_text_decides_korea_news_and_the_item_keeps_its_reason(
    site: HTTPServer, tmp_path: Path, db_path: Path
) -> None:
    korea = serve_page(site, "/a/icbm.html", "North Korea fires long-range missile")
    iran = site.url_for("/a/iran.html")
    site.expect_request("/a/iran.html").respond_with_data(
        article_html("Iran unveils a new ballistic missile", IRAN), content_type="text/html"
    )
    cyber = site.url_for("/a/cyber.html")
    site.expect_request("/a/cyber.html").respond_with_data(
        article_html("US charges two Russians over ransomware", CYBER), content_type="text/html"
    )
    feed = serve_feed(site, "/feed.rss", [
        {"title": "North Korea fires long-range missile", "link": korea, "summary": "Seoul says so."},
        {"title": "US charges two Russians over ransomware", "link": cyber,
         "summary": "Officials set the case apart from charges against North Korean hackers."},
    ])  # fmt: skip
    wire = serve_feed(
        site, "/wire.rss", [{"title": "Iran unveils a new ballistic missile", "link": iran}]
    )
    config = config_for(tmp_path, [("Test", feed)])
    (tmp_path / "w").mkdir()
    wire_config = config_for(tmp_path / "w", [("Wire", wire)], all_relevant=True)

    summary = ingest(config, db_path)
    ingest(wire_config, db_path)

    assert summary.fetched == 2 and summary.not_korea_news == 1
    stored = dict(
        (url, (relevant, reason))
        for url, relevant, reason in rows(db_path, "SELECT url, is_relevant, relevance_reason FROM articles")
    )  # fmt: skip
    assert stored[korea][0] is True
    for url in (iran, cyber):
        relevant, reason = stored[url]
        assert relevant is False
        assert str(reason).startswith("not Korea news on the text")
    assert "first in paragraph 9" in str(stored[cyber][1])
    assert rows(
        db_path,
        "SELECT count(*) FROM event_mentions m JOIN articles a USING (article_id) WHERE NOT a.is_relevant",
    ) == [(0,)]
    reasons = dict(rows(db_path, "SELECT url, reason FROM feed_items"))
    assert str(reasons[cyber]).startswith("kept: score")  # the verdict that had it fetched
    assert str(reasons[iran]).startswith("kept: the feed is marked all_relevant")


def test_times_of_day_and_publisher_names_come_from_the_page_or_the_feed(
    site: HTTPServer, tmp_path: Path, db_path: Path
) -> None:
    """Issue 10, items 12 and 13."""
    timed = serve_page(site, "/a/timed.html", "North Korea fires missile at dawn",
                       published="2024-10-31T07:12:00+09:00")  # fmt: skip
    dated = site.url_for("/a/dated.html")
    page = article_html(
        "North Korea fires missile at noon", PARAGRAPHS["icbm"], published="2024-10-31"
    )
    site.expect_request("/a/dated.html").respond_with_data(page, content_type="text/html")
    suffixed = site.url_for("/a/suffixed.html")
    page = article_html("Pyongyang test draws protest", PARAGRAPHS["icbm"], site_name="")
    page = page.replace('<meta property="og:site_name" content="">', "").replace(
        "<title>Pyongyang test draws protest</title>",
        "<title>Pyongyang test draws protest | The Daily Ledger</title>",
    )
    site.expect_request("/a/suffixed.html").respond_with_data(page, content_type="text/html")
    bare = site.url_for("/a/bare.html")
    page = article_html("Seoul tracks North Korean launch", PARAGRAPHS["icbm"], site_name="")
    page = page.replace('<meta property="og:site_name" content="">', "")
    site.expect_request("/a/bare.html").respond_with_data(page, content_type="text/html")
    feed = serve_feed(site, "/feed.rss", [
        {"title": "North Korea fires missile at dawn", "link": timed, "date": "Thu, 31 Oct 2024 00:00:00 GMT"},
        {"title": "North Korea fires missile at noon", "link": dated, "date": "Thu, 31 Oct 2024 03:25:00 GMT"},
        {"title": "Pyongyang test draws protest", "link": suffixed},
        {"title": "Seoul tracks North Korean launch", "link": bare},
    ], title="Peninsula Wire: Asia")  # fmt: skip
    ingest(config_for(tmp_path, [("Test", feed)]), db_path)

    got = {
        url: (str(published), source_of_time, source)
        for url, published, source_of_time, source in rows(
            db_path, "SELECT url, published_at, published_at_source, source FROM articles"
        )
    }
    assert got[timed][:2] == ("2024-10-30 22:12:00+00:00", "page")  # 07:12 in Seoul
    assert got[dated][:2] == ("2024-10-31 03:25:00+00:00", "feed")  # the page gave only the day
    assert got[suffixed][2] == "The Daily Ledger"
    assert got[bare][2] == "Peninsula Wire: Asia"


def google_news_rss(items: list[dict[str, str]]) -> str:
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/">',
        "<channel><title>North Korea - Google News</title><link>https://news.google.com/</link>",
        "<description>Google News</description>",
    ]
    for item in items:
        summary = (
            f'<a href="{item["link"]}" target="_blank">{html.escape(item["title"])}</a>'
            f'&nbsp;&nbsp;<font color="#6f6f6f">{html.escape(item["source"])}</font>'
        )
        parts.append(
            f"<item><title>{html.escape(item['title'])} - {html.escape(item['source'])}</title>"
            f'<link>{item["link"]}</link><guid isPermaLink="false">{item["guid"]}</guid>'
            f"<pubDate>{item['date']}</pubDate><description>{html.escape(summary)}</description>"
            f'<source url="https://www.example-ledger.com">{html.escape(item["source"])}</source></item>'
        )
    parts.append("</channel></rss>")
    return "".join(parts)


def test_google_news_items_are_stored_from_the_feed_and_join_the_direct_story(
    site: HTTPServer, tmp_path: Path, db_path: Path
) -> None:
    headline = "North Korea fires ballistic missile toward the East Sea, Seoul says"
    direct = serve_page(site, "/a/direct.html", headline)
    direct_feed = serve_feed(site, "/direct.rss", [{"title": headline, "link": direct}])
    link = "https://news.google.com/rss/articles/CBMiWmh0dHBzOi8vZXhhbXBsZS5pbnZhbGlkL2E?oc=5"
    site.expect_request("/gn.rss").respond_with_data(
        google_news_rss([{"title": headline, "link": link, "guid": "CBMiWmh0",
                          "source": "The Example Ledger", "date": "Thu, 31 Oct 2024 01:05:00 GMT"}]),
        content_type="application/rss+xml; charset=utf-8",
    )  # fmt: skip
    config = config_for(
        tmp_path, [("Direct", direct_feed), ("Google News", site.url_for("/gn.rss"))]
    )

    summary = ingest(config, db_path)

    assert summary.new_articles == 2
    got = {
        url: (title, source, text_source, story)
        for url, title, source, text_source, story in rows(
            db_path, "SELECT url, title, source, text_source, story_id FROM articles"
        )
    }
    assert got[link][:3] == (headline, "The Example Ledger", "feed_summary")
    assert got[direct][2] == "page"
    assert got[link][3] == got[direct][3]  # one story
    assert rows(db_path, f"SELECT status FROM feed_items WHERE url = '{link}'") == [("fetched",)]
    assert rows(db_path, "SELECT count(*) FROM raw_pages") == [(1,)]  # nothing was fetched for it


def test_the_demo_corpus_hard_negatives_are_stored_as_not_korea_news(demo_db: Path) -> None:
    got = rows(
        demo_db,
        "SELECT regexp_extract(url, '[^/]+$'), is_relevant, relevance_reason,"
        " (SELECT count(*) FROM event_mentions m WHERE m.article_id = a.article_id)"
        " FROM articles a WHERE url LIKE '%kheibar%' OR url LIKE '%lockbit%' OR url LIKE '%oreshnik%'",
    )
    assert sorted(r[0] for r in got) == [
        "iran-kheibar-shekan-missile-unveiled.html",
        "russia-oreshnik-missile-dnipro.html",
        "us-charges-lockbit-ransomware-affiliates.html",
    ]
    for name, relevant, reason, mentions in got:
        assert relevant is False, name
        assert str(reason).startswith("not Korea news on the text"), name
        assert mentions == 0, name
    kept = rows(demo_db, "SELECT count(*) FROM articles WHERE is_relevant")
    assert kept[0][0] >= 40  # the Korea stories are all still kept
