"""Hostile servers end with a recorded reason, and a run with all of them stays short: a page that
drips a byte a second, a 100 MB page, a gzip bomb, a redirect loop and a redirect to a private
address. Real HTTP server on 127.0.0.1, real DuckDB file, the default ``fetch.deadline_s``."""

from __future__ import annotations

import gzip
import time
from collections.abc import Iterator
from pathlib import Path

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from flows.config import FetchConfig
from tests.support.ingest import ingest, serve_feed, serve_page
from tests.support.pages import config_for
from tests.support.warehouse import rows


def test_every_hostile_server_ends_with_a_reason_within_the_deadline(
    site: HTTPServer, tmp_path: Path, db_path: Path
) -> None:
    def drip(request: Request) -> Response:
        def body() -> Iterator[bytes]:
            yield b"<!doctype html><html><body><p>"
            for _ in range(600):  # ten minutes, if nobody stops it
                time.sleep(1.0)
                yield b"."

        return Response(body(), content_type="text/html")  # no length: it streams

    def huge(request: Request) -> Response:
        chunk = b"<p>" + b"x" * (1 << 20) + b"</p>"
        return Response((chunk for _ in range(100)), content_type="text/html")  # 100 MB

    bomb = gzip.compress(b"<html><body>" + b"\0" * 50_000_000)

    def gzip_bomb(request: Request) -> Response:
        return Response(bomb, content_type="text/html", headers={"Content-Encoding": "gzip"})

    site.expect_request("/drip.html").respond_with_handler(drip)
    site.expect_request("/huge.html").respond_with_handler(huge)
    site.expect_request("/bomb.html").respond_with_handler(gzip_bomb)
    site.expect_request("/loop.html").respond_with_data(
        "", status=302, headers={"Location": site.url_for("/loop.html")}
    )
    private = f"http://127.0.0.2:{site.port}/inside.html"  # refused by the guard before connecting
    site.expect_request("/private.html").respond_with_data(
        "", status=302, headers={"Location": private}
    )
    fine = serve_page(site, "/fine.html", "North Korea fires long-range missile")
    names = ["drip", "huge", "bomb", "loop", "private"]
    feed = serve_feed(site, "/feed.rss", [
        {"title": f"North Korea report: {name}", "link": site.url_for(f"/{name}.html")} for name in names
    ] + [{"title": "North Korea fires long-range missile", "link": fine}])  # fmt: skip
    config = config_for(tmp_path, [("Hostile", feed)], extra="timeout_s = 20")
    assert config.fetch.deadline_s == FetchConfig().deadline_s == 30.0

    started = time.monotonic()
    summary = ingest(config, db_path)
    seconds = time.monotonic() - started

    assert seconds < 90
    assert summary.new_articles == 1
    got = {
        str(url).rsplit("/", 1)[-1]: (status, str(reason))
        for url, status, reason in rows(db_path, "SELECT url, status, reason FROM feed_items")
    }
    assert got["drip.html"][0] == "skipped" and got["drip.html"][1].startswith("deadline")
    assert got["huge.html"][0] == "skipped" and got["huge.html"][1].startswith("too large")
    assert got["bomb.html"][0] == "skipped" and got["bomb.html"][1].startswith("too large")
    assert got["loop.html"][0] == "skipped" and "redirects" in got["loop.html"][1]
    assert got["private.html"][0] == "skipped" and "127.0.0.2" in got["private.html"][1]
    assert got["fine.html"][0] == "fetched"
    assert summary.skipped.get("deadline") == 1
    assert rows(db_path, "SELECT count(*) FROM articles WHERE url LIKE '%drip%'") == [(0,)]
