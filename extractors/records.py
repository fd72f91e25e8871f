"""Typed records at the borders between our code and third-party libraries.

feedparser, trafilatura and friends return loosely typed dicts; these records are what the rest
of koreawatch sees instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One item of a feed, as the feed described it."""

    item_key: str  # guid/id, else the link, else a hash of title and date
    url: str | None  # the link with tracking parameters stripped
    original_url: str | None  # the link exactly as the feed gave it
    title: str
    summary: str  # plain text (markup removed)
    published_at: datetime | None  # timezone-aware (UTC when the feed gave no zone)
    source_name: str | None = None  # an aggregator's <source>: the publisher of the item


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    """A parsed feed: its entries and anything that was wrong with it."""

    title: str
    format: str  # "rss20", "atom10", "rss10", "json11", ...
    encoding: str  # the character set the bytes were decoded with
    entries: list[FeedEntry]
    defect: str | None = None  # set when entries were salvaged from an ill-formed feed


@dataclass(frozen=True, slots=True)
class PageContent:
    """What trafilatura and our metadata rules made of one HTML page."""

    text: str
    title: str | None
    author: str | None
    sitename: str | None
    canonical_url: str | None  # rel=canonical / og:url, when the page declares one
    published_at: datetime | None  # timezone-aware, from the page's own metadata
    language: str | None  # BCP 47 primary tag: "en", "ko", ...
    description: str | None
    published_has_time: bool = False  # the page gave a time of day, not only a date
    title_site_name: str | None = None  # "... | The Daily Ledger" in the page's <title>


@dataclass(frozen=True, slots=True)
class RelevanceVerdict:
    """Whether an item is about Korea, and why (recorded as the item's reason)."""

    relevant: bool
    score: float
    terms: tuple[str, ...]
    reason: str


@dataclass(frozen=True, slots=True)
class ArticleText:
    """A stored article as the event extractors see it."""

    article_id: str
    url: str
    source: str  # publisher name
    title: str
    text: str
    published_at: datetime | None  # timezone-aware
    language: str | None = None
    story_id: str | None = None
    flags: tuple[str, ...] = field(default_factory=tuple)
