"""What the tests serve and configure: pages, feeds and sitemaps we wrote, and config files.

Original text written for these tests; the facts are public (dates, names, places).
"""

from __future__ import annotations

import html
import textwrap
import time
from datetime import date
from pathlib import Path

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from flows.config import Config, load_config


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


def urlset(entries: list[dict[str, str]]) -> str:
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
        ' xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">',
    ]
    for e in entries:
        news = ""
        if "published" in e or "title" in e:
            news = (
                "<news:news><news:publication><news:name>Test</news:name>"
                f"<news:language>{e.get('lang', 'en')}</news:language></news:publication>"
                + (
                    f"<news:publication_date>{e['published']}</news:publication_date>"
                    if "published" in e
                    else ""
                )
                + (f"<news:title>{e['title']}</news:title>" if "title" in e else "")
                + "</news:news>"
            )
        lastmod = f"<lastmod>{e['lastmod']}</lastmod>" if "lastmod" in e else ""
        parts.append(f"<url><loc>{html.escape(e['loc'])}</loc>{lastmod}{news}</url>")
    parts.append("</urlset>")
    return "\n".join(parts)


def sitemap_index(children: list[tuple[str, str | None]]) -> str:
    items = "".join(
        f"<sitemap><loc>{loc}</loc>{f'<lastmod>{mod}</lastmod>' if mod else ''}</sitemap>"
        for loc, mod in children
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{items}</sitemapindex>'
    )


DAYS = [date(2024, 5, d) for d in range(1, 7)]
PER_DAY = 2


def serve_news_site(site: HTTPServer, delay_s: float = 0.0) -> str:
    """A publisher whose news sitemap lists two articles a day for six days in May 2024, an
    off-topic one, one outside the range and one undated; returns the sitemap URL."""

    def page(request: Request) -> Response:
        time.sleep(delay_s)
        name = request.path.rsplit("/", 1)[-1].removesuffix(".html")
        day = name.split("-")[1]
        paragraphs = [f"Report {name}: " + p for p in PARAGRAPHS["icbm"]]
        return Response(
            article_html(
                f"North Korea missile report {name}", paragraphs,
                published=f"2024-05-{day}T09:00:00+09:00", site_name="Backfill Times",
            ),
            content_type="text/html; charset=utf-8",
        )  # fmt: skip

    entries = []
    for d in DAYS:
        for i in range(PER_DAY):
            path = f"/news/r-{d.day:02d}-{i}.html"
            site.expect_request(path).respond_with_handler(page)
            entries.append(
                {"loc": site.url_for(path), "published": f"{d.isoformat()}T10:0{i}:00+09:00",
                 "title": f"North Korea missile report {d.day}-{i}"}
            )  # fmt: skip
    entries += [
        {"loc": site.url_for("/news/rates.html"), "published": "2024-05-02T10:00:00+09:00",
         "title": "Central bank holds rates steady"},
        {"loc": site.url_for("/news/r-30-0.html"), "published": "2024-04-30T10:00:00+09:00",
         "title": "North Korea missile report 30"},
        {"loc": site.url_for("/news/undated.html"), "title": "North Korea undated report"},
    ]  # fmt: skip
    site.expect_request("/sitemap-news.xml").respond_with_data(
        urlset(entries), content_type="application/xml"
    )
    return site.url_for("/sitemap-news.xml")
