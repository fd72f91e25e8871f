"""A larger corpus than the demo's, made from templates of our own text: twelve real, public
launches (dates, missiles, places and ranges as governments announced them), each reported by
six fictional outlets in their own words, served with one RSS feed per outlet.

    feeds = serve_launch_corpus(site)          # [(name, feed URL)] for write_config
    len(LAUNCHES) * len(OUTLETS)               # 72 pages

The sentences were written for these tests; no news organisation's text is copied.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date, timedelta

from pytest_httpserver import HTTPServer

from tests.support.pages import article_html


@dataclass(frozen=True)
class Launch:
    day: date
    what: str  # "an intercontinental ballistic missile"
    short: str  # "ICBM", for titles
    site: str
    distance_km: int
    note: str  # one more fact, in our words


LAUNCHES = (
    Launch(date(2022, 3, 24), "an intercontinental ballistic missile", "ICBM",
           "Sunan near Pyongyang", 1080, "It was the first full-range ICBM test since 2017."),
    Launch(date(2022, 9, 25), "a short-range ballistic missile", "short-range missile",
           "Taechon in North Pyongan province", 600, "The launch came as a US aircraft carrier was in Busan."),
    Launch(date(2022, 10, 4), "an intermediate-range ballistic missile", "IRBM over Japan",
           "Mupyong-ri in Chagang province", 4500, "Japan told residents in the north to take shelter."),
    Launch(date(2022, 11, 18), "an intercontinental ballistic missile", "ICBM",
           "Sunan near Pyongyang", 1000, "Japan said it fell inside its exclusive economic zone."),
    Launch(date(2023, 2, 18), "an intercontinental ballistic missile", "ICBM",
           "Sunan near Pyongyang", 900, "It came down west of Hokkaido, Tokyo said."),
    Launch(date(2023, 3, 16), "an intercontinental ballistic missile", "ICBM",
           "Sunan near Pyongyang", 1000, "Hours later the leaders of South Korea and Japan met in Tokyo."),
    Launch(date(2023, 4, 13), "an intercontinental ballistic missile", "solid-fuel ICBM",
           "near Pyongyang", 1000, "Japan briefly told residents of Hokkaido to take cover."),
    Launch(date(2023, 12, 18), "an intercontinental ballistic missile", "ICBM",
           "near Pyongyang", 1000, "It flew for more than an hour, officials said."),
    Launch(date(2024, 1, 14), "an intermediate-range ballistic missile", "hypersonic IRBM",
           "near Pyongyang", 1000, "It was the first ballistic launch of the year."),
    Launch(date(2024, 5, 30), "about 18 short-range ballistic missiles", "short-range barrage",
           "Sunan near Pyongyang", 350, "It followed a failed satellite launch three days earlier."),
    Launch(date(2024, 10, 31), "an intercontinental ballistic missile", "ICBM",
           "near Pyongyang", 1000, "The flight lasted about 86 minutes, a record."),
    Launch(date(2024, 11, 5), "several short-range ballistic missiles", "short-range missiles",
           "Sariwon in North Hwanghae province", 400, "Americans were voting for a president that day."),
)  # fmt: skip

OUTLETS = (
    "Harbour Gazette", "Inland Courier", "Northern Tribune", "Coastal Herald",
    "Valley Standard", "Island Observer",
)  # fmt: skip

_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _slug(name: str) -> str:
    return name.lower().replace(" ", "-")


def _paragraphs(launch: Launch, variant: int) -> list[str]:
    weekday = _WEEKDAYS[launch.day.weekday()]
    lead = (
        f"North Korea fired {launch.what} on {weekday}, South Korea's Joint Chiefs of Staff said.",
        f"South Korea's Joint Chiefs of Staff said North Korea fired {launch.what} on {weekday}.",
        f"North Korea launched {launch.what} toward the sea on {weekday}, according to the South"
        " Korean military.",
    )[variant % 3]
    detail = (
        f"The missile was fired from {launch.site} and flew about {launch.distance_km:,} km"
        " before landing in the sea, the JCS said."
    )
    reaction = (
        "Officials in Seoul condemned the launch as a clear violation of UN Security Council"
        " resolutions and said the military was on alert.",
        "The government in Tokyo lodged a protest through diplomatic channels in Beijing.",
        "Washington said the launch posed no immediate threat to US territory or its allies.",
    )[variant % 3]
    background = (
        f"{launch.note} Analysts at the {OUTLETS[variant]} desk said the test fitted a pattern of"
        " weapons development that Pyongyang has pursued for years."
    )
    ordered = [lead, detail, reaction, background]
    return ordered if variant < 3 else [lead, detail, background, reaction]


def _rss(outlet: str, items: list[tuple[str, str, date]]) -> str:
    entries = "".join(
        f"<item><title>{html.escape(title)}</title><link>{html.escape(link)}</link>"
        f"<description>{html.escape(title)}.</description>"
        f"<pubDate>{day + timedelta(days=1):%a, %d %b %Y} 01:00:00 GMT</pubDate>"
        f"<guid>{html.escape(link)}</guid></item>"
        for title, link, day in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{html.escape(outlet)}</title><link>http://example.invalid/</link>"
        f"<description>t</description>{entries}</channel></rss>"
    )


def serve_launch_corpus(site: HTTPServer) -> list[tuple[str, str]]:
    """Register every page and one feed per outlet on ``site``; the feeds as (name, URL)."""
    feeds = []
    for variant, outlet in enumerate(OUTLETS):
        items = []
        for launch in LAUNCHES:
            title = f"North Korea fires {launch.short} ({launch.day:%d %B %Y})"
            path = f"/{_slug(outlet)}/{launch.day.isoformat()}.html"
            page = article_html(
                title, _paragraphs(launch, variant), site_name=outlet,
                published=f"{launch.day.isoformat()}T15:00:00+09:00",
            )  # fmt: skip
            site.expect_request(path).respond_with_data(page, content_type="text/html")
            items.append((title, site.url_for(path), launch.day))
        feed_path = f"/{_slug(outlet)}/feed.rss"
        site.expect_request(feed_path).respond_with_data(
            _rss(outlet, items), content_type="application/rss+xml"
        )
        feeds.append((outlet, site.url_for(feed_path)))
    return feeds
