"""Shared fixtures: a real HTTP server on 127.0.0.1, real DuckDB files, pages we wrote."""

from __future__ import annotations

import html
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from flows.config import Config, load_config
from warehouse import Warehouse


@pytest.fixture
def site() -> Iterator[HTTPServer]:
    """A threaded HTTP server on 127.0.0.1 (threaded, so a slow handler cannot block others)."""
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    # pytest-httpserver answers unknown paths with 500, which robots.txt rules read as "do not
    # crawl for now"; tests that care about robots.txt register their own first.
    server.expect_request("/robots.txt").respond_with_data("User-agent: *\nDisallow: /private/\n")
    yield server
    server.clear()
    if server.is_running():
        server.stop()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "warehouse" / "koreawatch.duckdb"


def write_config(
    path: Path,
    feeds: list[tuple[str, str]],
    *,
    allow: str = '["127.0.0.1"]',
    extra: str = "",
    all_relevant: bool = False,
) -> Path:
    lines = []
    for name, url in feeds:
        lines += ["[[feeds]]", f'name = "{name}"', f'url = "{url}"']
        if all_relevant:
            lines.append("all_relevant = true")
        lines.append("")
    fetch = {
        "allow_private_addresses": allow,
        "per_host_delay_s": "0.0",
        "per_host_concurrency": "4",
        "timeout_s": "3",
        "retries": "1",
    }
    for line in extra.splitlines():
        if "=" in line:
            key, value = (part.strip() for part in line.split("=", 1))
            fetch[key] = value
    lines += ["[fetch]"] + [f"{k} = {v}" for k, v in fetch.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def config_for(tmp_path: Path, feeds: list[tuple[str, str]], **kwargs: object) -> Config:
    return load_config(write_config(tmp_path / "feeds.toml", feeds, **kwargs))  # type: ignore[arg-type]


# Original text written for these tests; the facts are public (dates, names, places).
PARAGRAPHS = {
    "icbm": [
        "North Korea fired a long-range ballistic missile toward the sea off its east coast on Thursday morning, according to the South Korean military.",
        "The Joint Chiefs of Staff in Seoul said the missile was launched from the Pyongyang area shortly after seven in the morning and was tracked for more than an hour.",
        "Japanese officials said the missile came down outside Japan's exclusive economic zone and that no damage to ships or aircraft had been reported.",
        "Analysts noted that the flight was lofted, sending the missile far higher than it travelled across the water, a pattern used to avoid overflying neighbours.",
    ],
    "summit": [
        "Russian President Vladimir Putin arrived in Pyongyang for his first visit to North Korea in twenty-four years, and was greeted by Kim Jong Un at the airport.",
        "The two leaders signed a treaty on a comprehensive strategic partnership that includes a pledge of mutual assistance if either side is attacked.",
        "Officials in Seoul and Washington said they were studying the text of the agreement and its implications for security on the Korean Peninsula.",
    ],
}


def article_html(
    title: str,
    paragraphs: list[str],
    *,
    published: str = "2024-10-31T09:10:00+09:00",
    canonical: str | None = None,
    site_name: str = "Test Ledger",
    lang: str = "en",
    extra_body: str = "",
) -> str:
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    canonical_tag = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    return textwrap.dedent(
        f"""\
        <!doctype html>
        <html lang="{lang}"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
        <meta property="og:site_name" content="{site_name}">
        <meta property="article:published_time" content="{published}">
        <meta name="author" content="Test Writer">{canonical_tag}</head>
        <body><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/politics">Politics</a></nav>
        <div class="cookie-banner">We use cookies to improve your experience. Accept all cookies.</div>
        <article><h1>{html.escape(title)}</h1>{body}</article>
        <section class="comments"><h3>Reader comments</h3><div class="comment"><p>Reader comment that must never reach the article text, however long it grows.</p></div></section>
        {extra_body}
        <footer>Copyright Test Ledger. All rights reserved.</footer></body></html>
        """
    )


def rss(items: list[dict[str, str]], *, encoding: str = "utf-8", title: str = "Test feed") -> str:
    parts = [
        f'<?xml version="1.0" encoding="{encoding}"?>',
        '<rss version="2.0"><channel>',
        f"<title>{title}</title><link>http://example.invalid/</link><description>t</description>",
    ]
    for item in items:
        parts.append(
            "<item>"
            f"<title>{html.escape(item['title'])}</title>"
            f"<link>{html.escape(item['link'])}</link>"
            f"<description>{html.escape(item.get('summary', ''))}</description>"
            f"<pubDate>{item.get('date', 'Thu, 31 Oct 2024 00:30:00 GMT')}</pubDate>"
            f"<guid>{html.escape(item.get('guid', item['link']))}</guid>"
            "</item>"
        )
    parts.append("</channel></rss>")
    return "\n".join(parts)


def open_reader(db: Path) -> Warehouse:
    return Warehouse(db, wait_s=10)


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    """Prefect's own test harness: a temporary database and server for this session (~9 s)."""
    import os

    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield
