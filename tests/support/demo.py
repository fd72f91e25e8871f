"""The demo warehouse: the real ingest and extraction over the bundled corpus, served on a port
of its own (the corpus's ids do not depend on the port)."""

from __future__ import annotations

from pathlib import Path

from flows.adapters.corpus import demo_config_text, serve_corpus
from flows.config import load_config
from flows.pipeline.ingest import run_ingest
from flows.runs import writing
from warehouse import Warehouse


def build_demo_warehouse(root: Path) -> Path:
    db = root / "koreawatch.duckdb"
    with serve_corpus(port=0) as corpus:
        config_path = root / "feeds.toml"
        config_path.write_text(demo_config_text(corpus), encoding="utf-8")
        wh = Warehouse(db, wait_s=30)
        with writing(wh, "demo"):
            run_ingest(load_config(config_path), wh, ignore_backoff=True)
    return db
