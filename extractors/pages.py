"""HTML page to clean text and metadata, with trafilatura tuned for news precision.

page = extract_page(html_bytes, url="https://example.com/a", content_type="text/html")
page.text, page.published_at, page.canonical_url
"""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, time
from typing import Any
from urllib.parse import urlsplit

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
# The page's own publication stamp, read directly: trafilatura's date keeps no sign of whether
# the page gave a time of day, and turns a bare date into midnight.
_PUBLISHED_META = re.compile(
    r"""<meta\s[^>]*?(?:property|name|itemprop)\s*=\s*["'](?:article:published_time|og:published_time|datePublished|pubdate|publishdate|sailthru\.date|parsely-pub-date)["'][^>]*>""",
    re.IGNORECASE,
)
_CONTENT_ATTR = re.compile(r"""\bcontent\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
_LD_PUBLISHED = re.compile(r'"datePublished"\s*:\s*"([^"]+)"')
_TITLE_TAG = re.compile(r"<title[^>]*>([^<]{1,400})</title>", re.IGNORECASE)
_TITLE_SEPARATORS = (" | ", " — ", " – ", " :: ", " - ")
_DOMAIN_LIKE = re.compile(
    r"^(?:[\w-]+\.)+[a-z]{2,}(?::\d+)?$|^\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?$", re.I
)

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
    if value.endswith("T00:00:00"):  # htmldate's form of a bare date
        value = value[:10]
    for fmt in ("%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d"):
        try:
            moment = datetime.strptime(value, fmt)
        except ValueError:
            continue
        if fmt == "%Y-%m-%d":
            return datetime.combine(moment.date(), time(12), tzinfo=UTC)
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
    return None


def page_stamp(markup_head: str) -> datetime | None:
    """The publication time the page states in its head (meta tags or JSON-LD), when it gives a
    time of day; None for a bare date or no stamp."""
    values = [
        m.group(1)
        for tag in _PUBLISHED_META.finditer(markup_head)
        if (m := _CONTENT_ATTR.search(tag.group(0)))
    ]
    values += _LD_PUBLISHED.findall(markup_head)
    for value in values:
        text = value.strip().replace("Z", "+00:00").replace(" ", "T", 1)
        if "T" not in text:
            continue
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            continue
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
    return None


def real_site_name(name: str | None, url: str) -> str | None:
    """The site name, unless it is only the host (trafilatura falls back to the host, port
    and all, when a page declares no ``og:site_name``)."""
    if not name:
        return None
    name = name.strip()
    netloc = urlsplit(url).netloc.lower()
    if name.lower() in {netloc, netloc.removeprefix("www.")} or _DOMAIN_LIKE.match(name):
        return None
    return name


def title_site_name(markup_head: str, headline: str | None) -> str | None:
    """The publisher named at the end of the page's <title>: "Launch reported | The Daily
    Ledger" gives "The Daily Ledger". Only a short, capitalised name after a separator counts."""
    found = _TITLE_TAG.search(markup_head)
    if found is None:
        return None
    title = html.unescape(found.group(1)).strip()
    for separator in _TITLE_SEPARATORS:
        head, sep, tail = title.rpartition(separator)
        tail = tail.strip()
        if not sep or not head.strip() or not tail:
            continue
        words = tail.split()
        if len(words) > 5 or len(tail) > 40 or not tail[0].isupper() or len(head) < len(tail):
            continue
        if headline and tail.casefold() in headline.casefold():
            continue  # the headline's own words, not a suffix
        return tail
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
    head = (
        markup[: markup.find("</head>") + 7] if "</head>" in markup[:200_000] else markup[:20_000]
    )
    if doc is None:
        return PageContent(
            "", None, None, None, None, None, guess_language(markup[:2000], ""), None,
            title_site_name=title_site_name(head, None),
        )  # fmt: skip
    raw: dict[str, Any] = doc if isinstance(doc, dict) else doc.as_dict()
    title = (raw.get("title") or "").strip() or None
    text = _tidy_text(raw.get("text") or "", title)
    stamped = page_stamp(head)
    dated = parse_page_date(raw.get("date"))
    return PageContent(
        text=text,
        title=title,
        author=(raw.get("author") or "").strip() or None,
        sitename=real_site_name(raw.get("sitename"), url),
        canonical_url=(raw.get("url") or "").strip() or None,
        published_at=stamped or dated,
        language=guess_language(markup[:2000], text),
        description=(raw.get("description") or "").strip() or None,
        published_has_time=stamped is not None,
        title_site_name=title_site_name(head, title),
    )
