"""Running an ingest against a test warehouse, and serving its feeds and pages."""

from __future__ import annotations

from pathlib import Path

from pytest_httpserver import HTTPServer

from flows.config import Config
from flows.pipeline.ingest import AllFeedsFailed, IngestSummary, run_ingest
from flows.runs import writing
from tests.support.pages import PARAGRAPHS, article_html, rss
from warehouse import Warehouse


def ingest(config: Config, db: Path, **kwargs: bool) -> IngestSummary:
    """The run's figures, also when every feed failed (the run is then recorded failed)."""
    wh = Warehouse(db, wait_s=10)
    with writing(wh, "test"):
        try:
            return run_ingest(config, wh, **kwargs)
        except AllFeedsFailed as failed:
            return failed.summary


def serve_feed(site: HTTPServer, path: str, items: list[dict[str, str]], **kwargs: str) -> str:
    site.expect_request(path).respond_with_data(
        rss(items, **kwargs), content_type="application/rss+xml; charset=utf-8"
    )
    return site.url_for(path)


def serve_page(site: HTTPServer, path: str, title: str, key: str = "icbm", **kwargs: str) -> str:
    site.expect_request(path).respond_with_data(
        article_html(title, PARAGRAPHS[key], **kwargs), content_type="text/html; charset=utf-8"
    )
    return site.url_for(path)
