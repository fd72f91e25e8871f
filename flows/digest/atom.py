"""The Atom feed of the digests in a directory, rebuilt from the files each time."""

from __future__ import annotations

import html
import re
import uuid
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path

from flows.config import DigestConfig
from flows.digest.safety import clean, safe_url

ATOM_NS = "http://www.w3.org/2005/Atom"
ATOM_ENTRIES = 60  # about two months of digests: enough for a reader to catch up
CONTENT_START = "<!--koreawatch:content-start-->"
CONTENT_END = "<!--koreawatch:content-end-->"
_DAY_FILE = re.compile(r"^(\d{4}-\d{2}-\d{2})\.html$")


def _stable_id(*parts: str) -> str:
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, "koreawatch-digest:" + "|".join(parts)))


def _rfc3339(ts: datetime) -> str:
    return ts.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


_META_DESCRIPTION = re.compile(r'<meta name="description" content="([^"]*)">')
_TITLE = re.compile(r"<title>([^<]*)</title>")


def build_atom(out_dir: Path, settings: DigestConfig) -> str:
    """An Atom feed of the digests in ``out_dir``, newest first, rebuilt from the files.

    Ids are UUIDs derived from the site URL (else the title) and the day: the same digest keeps
    its id however often it is rewritten, so feed readers show an update, not a new entry.
    """
    days = sorted(
        (m.group(1) for p in out_dir.glob("*.html") if (m := _DAY_FILE.match(p.name))),
        reverse=True,
    )[:ATOM_ENTRIES]
    base = safe_url(settings.site_url.rstrip("/") + "/") if settings.site_url else None
    feed_key = base or clean(settings.title)
    ET.register_namespace("", ATOM_NS)

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", attrs)
        if text is not None:
            element.text = text
        return element

    feed = ET.Element(f"{{{ATOM_NS}}}feed")
    if base:
        feed.set("{http://www.w3.org/XML/1998/namespace}base", base)
    sub(feed, "id", _stable_id(feed_key))
    sub(feed, "title", clean(settings.title))
    sub(
        feed,
        "subtitle",
        "Daily digest of North Korean missile launches and the diplomacy around them",
    )
    author = sub(feed, "author")
    sub(author, "name", "koreawatch")
    sub(feed, "generator", "koreawatch")
    if base:
        sub(feed, "link", rel="self", href=base + "digests.atom", type="application/atom+xml")
        sub(feed, "link", rel="alternate", href=base, type="text/html")
    updated_at = []
    entries = []
    for day in days:
        path = out_dir / f"{day}.html"
        try:
            page = path.read_text(encoding="utf-8")
            mtime = datetime.fromtimestamp(path.stat().st_mtime, UTC)
        except OSError:
            continue  # removed while we read: the next run's feed will not list it either
        start, end = page.find(CONTENT_START), page.find(CONTENT_END)
        content = page[start + len(CONTENT_START) : end] if 0 <= start < end else page
        title = _TITLE.search(page)
        summary = _META_DESCRIPTION.search(page)
        updated_at.append(mtime)
        entries.append((day, mtime, content, title, summary))
    sub(feed, "updated", _rfc3339(max(updated_at, default=datetime(1970, 1, 1, tzinfo=UTC))))
    for day, mtime, content, title, summary in entries:
        entry = sub(feed, "entry")
        sub(entry, "id", _stable_id(feed_key, day))
        sub(
            entry,
            "title",
            html.unescape(title.group(1)) if title else f"{clean(settings.title)}, {day}",
        )
        sub(entry, "updated", _rfc3339(mtime))
        sub(entry, "link", rel="alternate", type="text/html", href=f"{day}.html")
        if summary:
            sub(entry, "summary", html.unescape(summary.group(1)))
        # type="html": the markup goes in escaped, which ElementTree does for us.
        sub(entry, "content", content.strip(), type="html")
    ET.indent(feed, space="  ")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"
