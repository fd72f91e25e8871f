"""``koreawatch demo``: the bundled sample corpus through the real ingest path, offline.

    result = run_demo(Path("data/demo/koreawatch.duckdb"), ingest=ingest_config_at)
    result.counts["new_articles"], result.digest

``ingest`` runs one ingest of the config file it is given: the command line passes the plain
path or the Prefect flow.

The corpus is served on 127.0.0.1 (``flows.adapters.corpus``) and always appears at the same
address, so a second demo finds every feed unchanged (304) and adds nothing.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flows.adapters.corpus import DEMO_PORT, demo_config_text, serve_corpus
from flows.digest import DigestResult, demo_digest


@dataclass(frozen=True)
class DemoResult:
    counts: dict[str, Any]
    digest: DigestResult | None


def run_demo(
    db: Path,
    ingest: Callable[[Path], dict[str, Any]],
    *,
    port: int = DEMO_PORT,
    on_status: Callable[[str], None] | None = None,
) -> DemoResult:
    """Serve the corpus, run ``ingest(config_path)`` on it (plain or as a flow: the caller
    chooses), then write the digest of the latest day with events next to the warehouse. The
    corpus is served on ``port`` when it is free, else on any free port."""
    with (
        serve_corpus(port) as corpus,
        tempfile.TemporaryDirectory() as tmp,
    ):
        config_path = Path(tmp) / "demo-feeds.toml"
        config_path.write_text(demo_config_text(corpus), encoding="utf-8")
        if on_status is not None:
            on_status(f"serving the sample corpus at {corpus.address}")
        counts = ingest(config_path)
    digest = demo_digest(db, db.parent / "digests")
    return DemoResult(counts, digest)
