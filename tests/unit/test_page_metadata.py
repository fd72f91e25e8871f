"""Publication times and publisher names from a page's head (issue 10, items 12 and 13)."""

from __future__ import annotations

from datetime import UTC, datetime

from extractors.articles import choose_published
from extractors.pages import page_stamp, real_site_name, title_site_name

FETCHED = datetime(2024, 11, 1, tzinfo=UTC)


def test_a_page_stamp_with_a_time_of_day_is_read_in_any_common_form() -> None:
    for head in (
        '<meta property="article:published_time" content="2024-10-31T09:10:00+09:00">',
        "<meta content='2024-10-31T00:10:00.000Z' property='article:published_time'>",
        '<script type="application/ld+json">{"datePublished": "2024-10-31T09:10:00+09:00"}</script>',
    ):
        assert page_stamp(head) == datetime(2024, 10, 31, 0, 10, tzinfo=UTC), head
    assert page_stamp('<meta property="article:published_time" content="2024-10-31">') is None


def test_the_more_precise_of_page_and_feed_wins() -> None:
    day_only = datetime(2024, 10, 31, 12, tzinfo=UTC)
    feed = datetime(2024, 10, 31, 3, 25, tzinfo=UTC)
    timed = datetime(2024, 10, 30, 22, 12, tzinfo=UTC)
    assert choose_published(timed, True, feed, FETCHED) == (timed, "page")
    assert choose_published(day_only, False, feed, FETCHED) == (feed, "feed")
    midnight = datetime(2024, 10, 31, tzinfo=UTC)  # a feed's bare date
    assert choose_published(day_only, False, midnight, FETCHED) == (day_only, "page")
    other_day = datetime(2024, 10, 20, 3, 25, tzinfo=UTC)
    assert choose_published(day_only, False, other_day, FETCHED) == (day_only, "page")
    assert choose_published(None, False, None, FETCHED) == (FETCHED, "fetched")


def test_site_names_from_the_title_but_never_the_host() -> None:
    assert (
        title_site_name("<title>Missile flies far | The Daily Ledger</title>", "Missile flies far")
        == "The Daily Ledger"
    )
    assert (
        title_site_name("<title>Kim Jong Un visits the Sohae station - report</title>", None)
        is None
    )
    assert title_site_name("<title>North Korea fires a missile</title>", None) is None
    assert real_site_name("127.0.0.1:8765", "http://127.0.0.1:8765/a.html") is None
    assert real_site_name("www.example.com", "https://www.example.com/a") is None
    assert real_site_name("The Daily Ledger", "https://example.com/a") == "The Daily Ledger"
