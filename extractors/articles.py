"""One fetched page (or one feed item that cannot be fetched) to everything the warehouse keeps
of it: the article's key, text (or the feed summary when the page has too little), publisher,
publication time, relevance judged on the text, near-duplicate signature, compressed raw page,
and the event mentions and quality flags of a relevant article.

Pure and picklable, so it runs in the extraction worker processes: all per-page CPU work happens
there, and the process that fetches only fetches and writes.

    analysed = analyse_page(PageInput(body, final_url, content_type, item_title, item_summary,
                                      all_relevant, feed_published_at, fetched_at))
    analysed.article_id, analysed.published_at, analysed.mentions
"""

from __future__ import annotations

import hashlib
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta

from extractors.events import EXTRACTOR_VERSION, Mention, extract_mentions
from extractors.neardup import signature
from extractors.pages import MIN_TEXT_CHARS, extract_page
from extractors.quality import QualityVerdict, assess_article
from extractors.records import ArticleText, PageContent, RelevanceVerdict
from extractors.relevance import judge_text
from extractors.urls import choose_canonical, clean_url, host_of, short_hash
from extractors.vocabulary import PublishedAtSource, TextSource

# A feed summary shorter than this is no better than a paywall stub.
MIN_SUMMARY_CHARS = 60
# Korean packs a sentence into far fewer characters than English.
MIN_TEXT_CHARS_HANGUL = 150
_EARLIEST_PLAUSIBLE = datetime(1990, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class PageInput:
    body: bytes
    url: str  # the final URL, after redirects
    content_type: str | None
    feed_title: str  # the item's title
    feed_summary: str
    all_relevant: bool
    feed_published_at: datetime | None
    fetched_at: datetime  # given by the fetcher: the last resort for the publication time
    channel_title: str | None = (
        None  # the feed's own title: a publisher name when the page has none
    )
    source_name: str | None = None  # an aggregator item's <source>


@dataclass(frozen=True, slots=True)
class AnalysedPage:
    page: PageContent
    article_id: str
    canonical_url: str
    source: str  # the publisher's name
    title: str | None
    text: str
    text_source: TextSource
    published_at: datetime
    published_at_source: PublishedAtSource
    is_relevant: bool
    relevance_score: float
    relevance_reason: str
    minhash: list[int] | None
    raw_sha256: str | None
    html_zlib: bytes | None
    mentions: list[Mention] = field(default_factory=list)
    quality: QualityVerdict | None = None
    extractor_version: str = EXTRACTOR_VERSION


def _plausible(moment: datetime | None, fetched_at: datetime) -> datetime | None:
    if moment is None or moment < _EARLIEST_PLAUSIBLE or moment > fetched_at + timedelta(days=1):
        return None
    return moment


def _has_time(moment: datetime) -> bool:
    """A feed stamp at exactly midnight UTC is a bare date written as a time."""
    return moment.astimezone(UTC).time() != time(0)


def choose_published(
    page_at: datetime | None,
    page_has_time: bool,
    feed_at: datetime | None,
    fetched_at: datetime,
) -> tuple[datetime, PublishedAtSource]:
    """The publication time: the more precise of the page's and the feed's. A page that gives a
    time wins; a page that gives only the day takes the feed's time when the feed's stamp falls
    on that day (a day-only date is held at 12:00 UTC, the same day in Seoul and Washington)."""
    page_at = _plausible(page_at, fetched_at)
    feed_at = _plausible(feed_at, fetched_at)
    if page_at is not None and page_has_time:
        return page_at, "page"
    if page_at is not None:
        if (
            feed_at is not None
            and _has_time(feed_at)
            and abs(feed_at - page_at) <= timedelta(hours=14)
        ):
            return feed_at, "feed"
        return page_at, "page"
    if feed_at is not None:
        return feed_at, "feed"
    return fetched_at, "fetched"


def choose_publisher(page: PageContent, item: PageInput, host: str) -> str:
    """The publisher's name: an aggregator's <source>, the page's og:site_name, the name at the
    end of its <title>, the feed's own title, and only then the host."""
    for name in (item.source_name, page.sitename, page.title_site_name, item.channel_title):
        if name and name.strip():
            return name.strip()
    return host


def _quality_and_mentions(
    article: ArticleText, relevant: bool
) -> tuple[list[Mention], QualityVerdict | None]:
    if not relevant:
        return [], None
    return extract_mentions(article), assess_article(article)


def analyse_page(item: PageInput) -> AnalysedPage:
    fetched_at = item.fetched_at
    raw_sha256 = hashlib.sha256(item.body).hexdigest()
    html_zlib = zlib.compress(item.body, 6)
    page = extract_page(item.body, url=item.url, content_type=item.content_type)
    text: str = page.text
    text_source: TextSource = "page"
    floor = MIN_TEXT_CHARS_HANGUL if page.language == "ko" else MIN_TEXT_CHARS
    if len(text) < floor and len(item.feed_summary) >= max(MIN_SUMMARY_CHARS, len(text)):
        text, text_source = item.feed_summary, "feed_summary"  # paywall or script-only page
    title = page.title or item.feed_title or None
    canonical = choose_canonical(item.url, page.canonical_url)
    host = host_of(item.url)
    published, published_source = choose_published(
        page.published_at, page.published_has_time, item.feed_published_at, fetched_at
    )
    verdict = judge_text(title or "", text)
    article_id = short_hash(canonical)
    source = choose_publisher(page, item, host)
    article = ArticleText(
        article_id, canonical, source, title or "", text, published, page.language
    )
    mentions, quality = _quality_and_mentions(article, verdict.relevant)
    return AnalysedPage(
        page, article_id, canonical, source, title, text, text_source, published,
        published_source, verdict.relevant, verdict.score, verdict.reason, signature(text),
        raw_sha256, html_zlib, mentions, quality,
    )  # fmt: skip


def analyse_feed_item(item: PageInput, verdict: RelevanceVerdict) -> AnalysedPage:
    """An item whose link cannot be fetched (an aggregator's redirect page): its title and
    summary are the article, with the publisher from the item's <source>."""
    fetched_at = item.fetched_at
    title = strip_source_suffix(item.feed_title, item.source_name)
    summary = strip_source_suffix(item.feed_summary, item.source_name)
    text = summary if len(summary) > len(title) else title
    canonical = clean_url(item.url)
    published, published_source = choose_published(None, False, item.feed_published_at, fetched_at)
    article_id = short_hash(canonical)
    source = (item.source_name or "").strip() or item.channel_title or host_of(item.url)
    page = PageContent(text, title, None, source, None, None, None, None)
    article = ArticleText(article_id, canonical, source, title, text, published)
    mentions, quality = _quality_and_mentions(article, verdict.relevant)
    return AnalysedPage(
        page, article_id, canonical, source, title or None, text, "feed_summary", published,
        published_source, verdict.relevant, verdict.score,
        f"{verdict.reason}; the link is an aggregator's redirect, so the feed's text is kept",
        signature(text), None, None, mentions, quality,
    )  # fmt: skip


def strip_source_suffix(text: str, source: str | None) -> str:
    """Google News writes "Headline - Publisher": drop the publisher it names elsewhere."""
    text = text.strip()
    if source:
        for separator in (" - ", " | ", " — "):
            suffix = f"{separator}{source.strip()}"
            if text.endswith(suffix):
                return text[: -len(suffix)].strip()
    return text


def extract_articles(
    articles: list[ArticleText],
) -> list[tuple[list[Mention], QualityVerdict]]:
    """Mentions and quality flags of stored articles (a re-extraction), a batch per worker."""
    return [(extract_mentions(a), assess_article(a)) for a in articles]


def analyse_pages(items: list[PageInput]) -> list[AnalysedPage | str]:
    """A batch for one worker round trip; a page whose extraction crashes becomes its error
    message and does not take the rest of the batch with it."""
    out: list[AnalysedPage | str] = []
    for item in items:
        try:
            out.append(analyse_page(item))
        except Exception as exc:
            out.append(f"extraction failed: {type(exc).__name__}: {exc}")
    return out
