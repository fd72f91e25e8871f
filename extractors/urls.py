"""URL cleaning: the canonical form that is an article's key.

The tracking parameters are our own list, not courlan's (which trafilatura brings): courlan's
strict mode keeps only the query parameters it knows, so ``articleView.html?idxno=123``, the
article id of a CMS common among Korean papers, loses the id and every article of the site gets
one key; its lenient mode keeps ``from=rss`` and ``share``, sorts the parameters and keeps the
fragment, which would change the key of every stored article with two parameters or more.
"""

from __future__ import annotations

import hashlib
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Parameters that say where a click came from, never what the page is.
_TRACKING_PREFIXES = ("utm_", "mc_", "pk_", "piwik_", "hsa_", "_hs", "oly_", "vero_", "at_")
_TRACKING_NAMES = frozenset(
    {
        "fbclid", "gclid", "dclid", "gclsrc", "msclkid", "yclid", "twclid", "igshid", "mkt_tok",
        "ref", "ref_src", "ref_url", "referrer", "cmpid", "cmp", "ito", "ocid", "ns_mchannel",
        "ns_source", "ns_campaign", "ns_linkname", "ns_fee", "sr_share", "spm", "share", "rss",
        "from", "feed", "taid", "wt.mc_id", "wt_mc_id", "s_cid", "smid", "_ga", "_gl",
    }
)  # fmt: skip


def is_tracking_param(name: str) -> bool:
    lowered = name.lower()
    return lowered in _TRACKING_NAMES or lowered.startswith(_TRACKING_PREFIXES)


def clean_url(url: str) -> str:
    """Lower-case scheme and host, drop default ports, fragments and tracking parameters.

    >>> clean_url("HTTPS://Example.com:443/a?utm_source=rss&id=3#top")
    'https://example.com/a?id=3'
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    port = parts.port
    if (scheme, port) in {("http", 80), ("https", 443)}:
        port = None
    netloc = host if port is None else f"{host}:{port}"
    if ":" in host and not host.startswith("["):
        netloc = f"[{host}]" if port is None else f"[{host}]:{port}"
    query = urlencode(
        [
            (k, v)
            for k, v in parse_qsl(parts.query, keep_blank_values=True)
            if not is_tracking_param(k)
        ]
    )
    path = parts.path or "/"
    return urlunsplit((scheme, netloc, path, query, ""))


def host_of(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


def choose_canonical(final_url: str, declared: str | None) -> str:
    """The article's key: the page's rel=canonical when it stays on the same site.

    A canonical pointing at another host (a syndicated copy naming the original) is ignored:
    trusting it would file one outlet's page under another outlet's name.
    """
    fallback = clean_url(final_url)
    if not declared:
        return fallback
    candidate = declared.strip()
    if candidate.startswith("//"):
        candidate = f"{urlsplit(final_url).scheme}:{candidate}"
    if candidate.startswith("/"):
        base = urlsplit(final_url)
        candidate = urlunsplit((base.scheme, base.netloc, candidate, "", ""))
    if urlsplit(candidate).scheme not in {"http", "https"}:
        return fallback
    if host_of(candidate) != host_of(final_url):
        return fallback
    return clean_url(candidate)


def short_hash(text: str, length: int = 16) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:length]


_AGGREGATOR_REDIRECTS = (("news.google.com", ("/rss/articles/", "/articles/")),)


def is_aggregator_redirect(url: str) -> bool:
    """An aggregator's link that leads to the article only through a page that needs
    JavaScript (Google News' ``/rss/articles/...``): not worth fetching."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    return any(
        host == name and parts.path.startswith(paths) for name, paths in _AGGREGATOR_REDIRECTS
    )
