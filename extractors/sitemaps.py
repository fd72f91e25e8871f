"""Sitemap bytes to typed records: sitemap indexes, URL sets and Google News sitemaps.

Pure parsing, no I/O. Publishers list their past articles in sitemaps, which is how a backfill
finds what their feeds no longer carry. A news sitemap dates each URL with
``<news:publication_date>``; a plain one may give ``<lastmod>``. Both are W3C datetimes, either
a bare day (``2024-05-01``) or a moment with an offset (``2024-05-01T09:10:00+09:00``).

    parsed = parse_sitemap(body)
    parsed.kind                 # "index" or "urlset"
    parsed.sitemaps[0].url      # children of an index, with their lastmod
    parsed.urls[0].day_in(ZoneInfo("Asia/Seoul"))   # the entry's date there, or None
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo

from lxml import etree  # type: ignore[import-untyped]  # no stubs; trafilatura brings lxml

from extractors.urls import clean_url

GZIP_MAGIC = b"\x1f\x8b"
_DAY_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_HTTP_URL = re.compile(r"^https?://[^\s/?#]+", re.IGNORECASE)


class NotASitemap(ValueError):
    """The document is neither a sitemap index nor a URL set (an HTML page, a feed, garbage)."""


class SitemapTooLarge(ValueError):
    """A compressed sitemap that inflates past the byte limit."""


@dataclass(frozen=True, slots=True)
class Stamp:
    """A W3C datetime from a sitemap; ``day_only`` when it named a day without a time."""

    at: datetime  # timezone-aware; a bare day is midnight UTC
    day_only: bool

    def day_in(self, zone: tzinfo) -> date:
        """The calendar day in ``zone``: a bare day stays the day it names."""
        return self.at.date() if self.day_only else self.at.astimezone(zone).date()


@dataclass(frozen=True, slots=True)
class SitemapLink:
    """A child sitemap listed by a sitemap index."""

    url: str
    lastmod: Stamp | None


@dataclass(frozen=True, slots=True)
class SitemapUrl:
    """One page listed by a URL set, with what a news sitemap says about it."""

    url: str  # tracking parameters stripped (extractors.urls.clean_url)
    original_url: str
    lastmod: Stamp | None
    published: Stamp | None  # <news:publication_date>
    title: str  # <news:title>, or "" for plain sitemaps
    language: str | None  # <news:language>

    @property
    def stamp(self) -> Stamp | None:
        """The best date for the page: its publication date, else its lastmod."""
        return self.published or self.lastmod

    def day_in(self, zone: tzinfo) -> date | None:
        stamp = self.stamp
        return stamp.day_in(zone) if stamp is not None else None


@dataclass(frozen=True, slots=True)
class ParsedSitemap:
    kind: str  # "index" | "urlset"
    sitemaps: list[SitemapLink]
    urls: list[SitemapUrl]
    rejected: int  # entries without a usable http(s) <loc>


def parse_stamp(text: str | None) -> Stamp | None:
    """A W3C datetime (the ISO 8601 subset sitemaps use); None when absent or unreadable.

    >>> parse_stamp("2024-05-01").day_only
    True
    >>> parse_stamp("2024-05-01T09:10:00+09:00").at.isoformat()
    '2024-05-01T00:10:00+00:00'
    """
    if text is None:
        return None
    value = text.strip()
    if not value:
        return None
    try:
        if _DAY_ONLY.match(value):
            return Stamp(datetime.fromisoformat(value).replace(tzinfo=UTC), True)
        moment = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)  # the protocol requires a zone; UTC when missing
    return Stamp(moment.astimezone(UTC), False)


def inflate(body: bytes, max_bytes: int) -> bytes:
    """Decompress a gzipped sitemap (``.xml.gz`` is served as a file, not a Content-Encoding),
    refusing to inflate past ``max_bytes``; other bodies are returned as they are."""
    if not body.startswith(GZIP_MAGIC):
        return body
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(body, max_bytes + 1)
    except zlib.error as exc:
        raise NotASitemap(f"broken gzip data: {exc}") from None
    if len(out) > max_bytes or inflater.unconsumed_tail:
        raise SitemapTooLarge(f"too large: inflates past {max_bytes} bytes")
    return out


def _local(element: etree._Element) -> str:
    tag = element.tag
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _child_text(element: etree._Element, name: str) -> str | None:
    for child in element:
        if _local(child) == name:
            return (child.text or "").strip()
    return None


def _find(element: etree._Element, name: str) -> etree._Element | None:
    for child in element:
        if _local(child) == name:
            return child
    return None


def _usable(loc: str | None) -> str | None:
    if not loc:
        return None
    loc = loc.strip()
    return loc if _HTTP_URL.match(loc) else None


def parse_sitemap(body: bytes, *, max_bytes: int = 50_000_000) -> ParsedSitemap:
    """Parse a sitemap index or URL set (gzipped or not). Entities are never resolved and
    nothing is fetched, so a hostile document cannot read files or reach the network."""
    data = inflate(body, max_bytes)
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head.startswith(b"<"):
        raise NotASitemap("not XML")
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, recover=True, remove_comments=True,
        remove_pis=True, huge_tree=False,
    )  # fmt: skip
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise NotASitemap(f"not XML: {exc}") from None
    if root is None:
        raise NotASitemap("not XML: empty document")
    kind = _local(root)
    rejected = 0
    if kind == "sitemapindex":
        links = []
        for entry in root:
            if _local(entry) != "sitemap":
                continue
            loc = _usable(_child_text(entry, "loc"))
            if loc is None:
                rejected += 1
                continue
            links.append(SitemapLink(loc, parse_stamp(_child_text(entry, "lastmod"))))
        return ParsedSitemap("index", links, [], rejected)
    if kind != "urlset":
        raise NotASitemap(f"not a sitemap: the root element is <{kind or '?'}>")
    urls = []
    for entry in root:
        if _local(entry) != "url":
            continue
        loc = _usable(_child_text(entry, "loc"))
        if loc is None:
            rejected += 1
            continue
        news = _find(entry, "news")
        published, title, language = None, "", None
        if news is not None:
            published = parse_stamp(_child_text(news, "publication_date"))
            title = " ".join((_child_text(news, "title") or "").split())
            publication = _find(news, "publication")
            if publication is not None:
                language = _child_text(publication, "language") or None
        urls.append(
            SitemapUrl(
                url=clean_url(loc),
                original_url=loc,
                lastmod=parse_stamp(_child_text(entry, "lastmod")),
                published=published,
                title=title,
                language=language,
            )
        )
    return ParsedSitemap("urlset", [], urls, rejected)
