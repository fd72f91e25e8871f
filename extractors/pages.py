"""HTML page to clean text and metadata, with trafilatura tuned for news precision.

page = extract_page(html_bytes, url="https://example.com/a", content_type="text/html")
page.text, page.published_at, page.canonical_url
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, time
from typing import Any

import trafilatura
from trafilatura.settings import use_config

from extractors.feeds import charset_from_content_type, decode_document
from extractors.records import PageContent

TRAFILATURA_VERSION = f"trafilatura-{trafilatura.__version__}"
# Below this much text a page is a paywall stub, a cookie wall or a script shell.
MIN_TEXT_CHARS = 280

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_HTML_LANG = re.compile(r"""<html[^>]*\blang\s*=\s*["']?([A-Za-z]{2,3})""", re.IGNORECASE)
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_LATIN = re.compile(r"[A-Za-z]")
_ENGLISH_WORDS = re.compile(r"\b(?:the|and|of|to|in|said|was|is|on|for)\b", re.IGNORECASE)
_BYLINE = re.compile(r"^(?:by|posted by|written by)\s+[^\n]{2,80}$", re.IGNORECASE)

_CONFIG = use_config()
# A timeout is a signal handler; it does not work off the main thread and we run in workers.
_CONFIG.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")

# Boxes trafilatura sometimes keeps inside an article: newsletter sign-ups, paywall gates,
# promos, share bars and related-story lists. Never the article or page container itself.
_BOILERPLATE_WORDS = (
    "newsletter",
    "signup",
    "sign-up",
    "subscribe",
    "paywall",
    "promo",
    "related",
    "share-",
    "social",
    "advert",
    "cookie",
    "consent",
    "recirc",
    "outbrain",
    "taboola",
)
_PRUNE_XPATH = [
    "//*[not(self::article) and not(self::main) and not(self::body) and not(self::html) and ("
    + " or ".join(f"contains(@class, '{w}') or contains(@id, '{w}')" for w in _BOILERPLATE_WORDS)
    + ")]"
]

_DATE_PARAMS: dict[str, Any] = {
    "original_date": True,
    "extensive_search": False,  # guessing from URLs and body text picks wrong dates on non-news
    "outputformat": "%Y-%m-%dT%H:%M:%S%z",
}


def decode_html(body: bytes, content_type: str | None) -> str:
    """The HTTP charset, else the page's <meta charset>, else UTF-8, else a detector's guess."""
    if charset_from_content_type(content_type) is None:
        meta = _META_CHARSET.search(body[:4096])
        if meta is not None:
            content_type = f"text/html; charset={meta.group(1).decode('ascii')}"
    text, _, _ = decode_document(body, content_type)
    return text


def guess_language(markup_head: str, text: str) -> str | None:
    declared = _HTML_LANG.search(markup_head)
    if declared is not None:
        return declared.group(1).lower()
    sample = text[:4000]
    hangul = len(_HANGUL.findall(sample))
    latin = len(_LATIN.findall(sample))
    if hangul and hangul >= 0.3 * (hangul + latin):
        return "ko"
    words = max(1, len(sample.split()))
    if latin and len(_ENGLISH_WORDS.findall(sample)) / words > 0.08:
        return "en"
    return None


def parse_page_date(value: str | None) -> datetime | None:
    """trafilatura's date string to an aware datetime.

    A day without a time becomes 12:00 UTC, the moment that falls on the same calendar day in
    Seoul (21:00) and Washington (07:00), so a day-only date never shifts a day either way.
    """
    if not value:
        return None
    for fmt in ("%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d"):
        try:
            moment = datetime.strptime(value, fmt)
        except ValueError:
            continue
        if fmt == "%Y-%m-%d":
            return datetime.combine(moment.date(), time(12), tzinfo=UTC)
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
    return None


def _tidy_text(text: str, title: str | None) -> str:
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line]
    # trafilatura keeps the headline and byline at the top of the body; they are metadata.
    while lines and (
        (title and lines[0].casefold() == title.strip().casefold()) or _BYLINE.match(lines[0])
    ):
        lines.pop(0)
    return "\n\n".join(lines)


def extract_page(body: bytes | str, *, url: str, content_type: str | None = None) -> PageContent:
    """Extract article text (comments, navigation and boilerplate removed) and metadata."""
    markup = body if isinstance(body, str) else decode_html(body, content_type)
    doc = trafilatura.bare_extraction(
        markup,
        url=url,
        include_comments=False,
        include_tables=False,
        favor_precision=True,
        with_metadata=True,
        date_extraction_params=_DATE_PARAMS,
        prune_xpath=_PRUNE_XPATH,
        config=_CONFIG,
    )
    if doc is None:
        return PageContent(
            "", None, None, None, None, None, guess_language(markup[:2000], ""), None
        )
    raw: dict[str, Any] = doc if isinstance(doc, dict) else doc.as_dict()
    title = (raw.get("title") or "").strip() or None
    text = _tidy_text(raw.get("text") or "", title)
    return PageContent(
        text=text,
        title=title,
        author=(raw.get("author") or "").strip() or None,
        sitename=(raw.get("sitename") or "").strip() or None,
        canonical_url=(raw.get("url") or "").strip() or None,
        published_at=parse_page_date(raw.get("date")),
        language=guess_language(markup[:2000], text),
        description=(raw.get("description") or "").strip() or None,
    )
