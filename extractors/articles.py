"""One fetched page to everything an article row needs: text (or the feed summary when the page
has too little), relevance, near-duplicate signature and the compressed raw page.

Pure and picklable, so it runs in the extraction worker processes: all per-page CPU work happens
there, and the process that fetches only fetches and writes.
"""

from __future__ import annotations

import hashlib
import zlib
from dataclasses import dataclass

from extractors.neardup import signature
from extractors.pages import MIN_TEXT_CHARS, extract_page
from extractors.records import PageContent
from extractors.relevance import is_relevant_text
from extractors.vocabulary import TextSource

# A feed summary shorter than this is no better than a paywall stub.
MIN_SUMMARY_CHARS = 60
# Korean packs a sentence into far fewer characters than English.
MIN_TEXT_CHARS_HANGUL = 150


@dataclass(frozen=True, slots=True)
class PageInput:
    body: bytes
    url: str  # the final URL, after redirects
    content_type: str | None
    feed_title: str
    feed_summary: str
    all_relevant: bool


@dataclass(frozen=True, slots=True)
class AnalysedPage:
    page: PageContent
    title: str | None
    text: str
    text_source: TextSource
    is_relevant: bool
    relevance_score: float
    minhash: list[int] | None
    raw_sha256: str
    html_zlib: bytes
    error: str | None = None  # set when extraction itself failed


def analyse_page(item: PageInput) -> AnalysedPage:
    raw_sha256 = hashlib.sha256(item.body).hexdigest()
    html_zlib = zlib.compress(item.body, 6)
    page = extract_page(item.body, url=item.url, content_type=item.content_type)
    text: str = page.text
    text_source: TextSource = "page"
    floor = MIN_TEXT_CHARS_HANGUL if page.language == "ko" else MIN_TEXT_CHARS
    if len(text) < floor and len(item.feed_summary) >= max(MIN_SUMMARY_CHARS, len(text)):
        text, text_source = item.feed_summary, "feed_summary"  # paywall or script-only page
    title = page.title or item.feed_title or None
    relevant, score = (True, 0.0) if item.all_relevant else is_relevant_text(title or "", text)
    return AnalysedPage(
        page, title, text, text_source, relevant, score, signature(text), raw_sha256, html_zlib
    )


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
