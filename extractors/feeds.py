"""Feed bytes to typed entries: character sets first, then RSS/Atom (feedparser) or JSON Feed.

feedparser guesses character sets badly (one bad byte in a feed declared UTF-8 made it decode
everything as ISO-8859-2; EUC-KR labelled UTF-8 came out garbled). So we decode the bytes
ourselves, trying the HTTP charset, the XML declaration, UTF-8 and a detector in that order,
and hand feedparser clean UTF-8.

    feed = parse_feed(body, content_type="application/rss+xml; charset=EUC-KR")
    feed.entries[0].title   # correct Hangul
"""

from __future__ import annotations

import calendar
import codecs
import hashlib
import html
import json
import re
from datetime import UTC, datetime
from typing import Any

import charset_normalizer
import feedparser

from extractors.records import FeedEntry, ParsedFeed
from extractors.urls import clean_url


class FeedNotAFeed(ValueError):
    """The document is not RSS, Atom or JSON Feed (an HTML page, say, or an empty body)."""


_XML_DECL_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
_CHARSET_PARAM = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Windows code page 949 is a superset of EUC-KR that Korean sites emit while saying "EUC-KR".
_SUPERSETS = {"euc_kr": "cp949", "ks_c_5601_1987": "cp949", "iso8859_1": "cp1252", "ascii": "utf-8"}
_MAX_REPLACEMENTS = 3


def _normalise_codec(label: str | None) -> str | None:
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip()).name.replace("-", "_")
    except LookupError:
        return None
    return _SUPERSETS.get(name, name)


def charset_from_content_type(content_type: str | None) -> str | None:
    if not content_type:
        return None
    match = _CHARSET_PARAM.search(content_type)
    return match.group(1) if match else None


def decode_document(body: bytes, content_type: str | None = None) -> tuple[str, str, str | None]:
    """Decode feed bytes. Returns (text, codec used, defect or None)."""
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return body.decode(codec, errors="replace"), codec, None
    declared_http = charset_from_content_type(content_type)
    decl = _XML_DECL_ENCODING.match(body[:512])
    declared_xml = decl.group(1).decode("ascii") if decl else None
    declared = _normalise_codec(declared_http) or _normalise_codec(declared_xml)
    label = declared_http or declared_xml
    candidates = [c for c in (declared, "utf-8") if c]
    for codec in dict.fromkeys(candidates):
        try:
            text = body.decode(codec)
        except UnicodeDecodeError:
            continue
        defect = None
        if declared and codec != declared:
            defect = f"declared charset {label} does not match the bytes; decoded as {codec}"
        return text, codec, defect
    # A stray bad byte in otherwise valid UTF-8: keep UTF-8, do not let one byte garble the rest.
    relaxed = body.decode("utf-8", errors="replace")
    bad = relaxed.count("\ufffd")
    if 0 < bad <= _MAX_REPLACEMENTS and len(relaxed) > 40 * bad:
        return (
            relaxed,
            "utf-8",
            f"{bad} invalid byte sequence(s) replaced (declared {label or 'none'})",
        )
    best = charset_normalizer.from_bytes(body).best()
    if best is not None:
        codec = _normalise_codec(best.encoding) or best.encoding
        text = body.decode(codec, errors="replace")
        return text, codec, f"declared charset {label or 'none'} is wrong; detected {codec}"
    return relaxed, "utf-8", f"undecodable bytes replaced (declared {label or 'none'})"


def _plain_text(markup: str) -> str:
    return _SPACE.sub(" ", html.unescape(_TAG.sub(" ", markup))).strip()


def _aware(parsed: Any) -> datetime | None:
    if not parsed:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC)
    except (OverflowError, ValueError, TypeError):
        return None


def _iso(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _entry_key(guid: str | None, link: str | None, title: str, published: datetime | None) -> str:
    if guid and guid.strip():
        return guid.strip()
    if link:
        return clean_url(link)
    stamp = published.isoformat() if published else ""
    return "sha256:" + hashlib.sha256(f"{title}\n{stamp}".encode()).hexdigest()[:24]


def _make_entry(
    guid: str | None,
    link: str | None,
    title: str,
    summary: str,
    published: datetime | None,
    source_name: str | None = None,
) -> FeedEntry:
    link = link.strip() if link else None
    if link and not re.match(r"^https?://", link, re.IGNORECASE):
        link = None  # relative or javascript: links cannot be fetched safely
    return FeedEntry(
        item_key=_entry_key(guid, link, title, published),
        url=clean_url(link) if link else None,
        original_url=link,
        title=_plain_text(title),
        summary=_plain_text(summary),
        published_at=published,
        source_name=_plain_text(source_name).strip() or None if source_name else None,
    )


def _parse_json_feed(text: str, codec: str, defect: str | None) -> ParsedFeed:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FeedNotAFeed(f"not a feed: invalid JSON ({exc.msg} at line {exc.lineno})") from exc
    if not isinstance(doc, dict) or "jsonfeed.org/version/" not in str(doc.get("version", "")):
        raise FeedNotAFeed("not a feed: JSON without a jsonfeed.org version")
    entries = []
    for item in doc.get("items") or []:
        if not isinstance(item, dict):
            continue
        summary = item.get("summary") or item.get("content_text") or item.get("content_html") or ""
        entries.append(
            _make_entry(
                str(item.get("id")) if item.get("id") is not None else None,
                item.get("url") or item.get("external_url"),
                str(item.get("title") or ""),
                str(summary),
                _iso(item.get("date_published")) or _iso(item.get("date_modified")),
            )
        )
    version = str(doc["version"]).rstrip("/").rsplit("/", 1)[-1].replace(".", "")
    return ParsedFeed(str(doc.get("title") or ""), f"json{version}", codec, entries, defect)


def parse_feed(body: bytes, content_type: str | None = None) -> ParsedFeed:
    """Parse RSS 0.9x/1.0/2.0, Atom or JSON Feed bytes; salvage what an ill-formed feed holds."""
    if not body.strip():
        raise FeedNotAFeed("not a feed: empty body")
    text, codec, defect = decode_document(body, content_type)
    if text.lstrip("\ufeff \t\r\n").startswith("{"):
        return _parse_json_feed(text, codec, defect)
    # Hand feedparser UTF-8 and say so in both places it looks.
    utf8 = re.sub(
        r"""^(\s*<\?xml[^>]*encoding\s*=\s*["'])[A-Za-z0-9._:-]+""", r"\1utf-8", text, count=1
    ).encode("utf-8")
    parsed = feedparser.parse(
        utf8,
        response_headers={"content-type": "application/xml; charset=utf-8"},
        sanitize_html=False,
        resolve_relative_uris=False,
    )
    version = str(parsed.get("version") or "")
    problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if not parsed.entries and (not version or problem is not None):
        reason = f"{type(problem).__name__}: {problem}" if problem else "no RSS, Atom or JSON root"
        raise FeedNotAFeed(f"not a feed: {reason}")
    if problem is not None and not isinstance(problem, feedparser.CharacterEncodingOverride):
        line = getattr(problem, "getLineNumber", lambda: None)()
        where = f" at line {line}" if line else ""
        note = f"ill-formed feed{where}: {problem}; {len(parsed.entries)} item(s) salvaged"
        defect = f"{defect}; {note}" if defect else note
    entries = []
    for entry in parsed.entries:
        summary = entry.get("summary") or ""
        if not summary and entry.get("content"):
            summary = entry["content"][0].get("value", "")
        entries.append(
            _make_entry(
                entry.get("id") or entry.get("guid"),
                entry.get("link"),
                entry.get("title") or "",
                summary,
                _aware(entry.get("published_parsed")) or _aware(entry.get("updated_parsed")),
                (entry.get("source") or {}).get("title"),
            )
        )
    return ParsedFeed(
        str(parsed.feed.get("title") or ""), version or "unknown", codec, entries, defect
    )
