"""Untrusted text made safe for every output: one clean line, http(s) links only, Markdown
that shows as written. Every string that came from an article passes ``clean`` and is escaped by
its output format (jinja2 autoescapes the HTML); links are kept only through ``safe_url``.

    clean("Kim\u202eJong  Un\n")     # 'Kim Jong Un'
    safe_url("javascript:alert(1)")    # None
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069]+")


def clean(value: object) -> str:
    """One line of text: control and bidi-override characters out, whitespace collapsed."""
    if value is None:
        return ""
    return " ".join(_CONTROL.sub(" ", str(value)).split())


def safe_url(value: str | None) -> str | None:
    """The URL if it is http(s) with a host, percent-encoded for any output; else None."""
    if not value:
        return None
    text = value.strip()
    if _CONTROL.search(text) or any(c.isspace() for c in text):
        return None
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
        return None
    # Parentheses, quotes and angle brackets are encoded so the URL is inert in Markdown and
    # in an HTML attribute alike (jinja2 escapes attributes too; this is the second belt).
    return quote(text, safe=":/?#[]@!$&*+,;=%~-._")


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]|~&])")
_MD_LINE_START = re.compile(r"^([#=+-])")
_MD_ORDERED = re.compile(r"^(\d+)([.)])")


def md_escape(value: object) -> str:
    """Text that Markdown shows as written: inline punctuation backslashed, < and > as
    entities, and a leading character that would start a heading, list or quote escaped.
    Parentheses stay bare: without an unescaped ``]`` before them they cannot form a link."""
    text = _MD_SPECIAL.sub(r"\\\1", clean(value))
    text = _MD_ORDERED.sub(r"\1\\\2", _MD_LINE_START.sub(r"\\\1", text))
    return text.replace("<", "&lt;").replace(">", "&gt;")
