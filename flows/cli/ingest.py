"""``koreawatch ingest`` and ``koreawatch demo``: the ingest, as a flow or as plain Python."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from flows.cli.app import app
from flows.cli.console import (
    ConfigOption,
    DbOption,
    LockWaitOption,
    RouteOption,
    cell,
    choose_where,
    config_path,
    db_path,
    note,
    out,
    progress_bar,
    quiet_prefect,
    show,
    table,
    warn,
)
from flows.config import load_config, require_feeds
from warehouse import Warehouse

VerboseOption = Annotated[bool, typer.Option("--verbose", "-v", help="Show Prefect's own logs.")]

_SUMMARY_ROWS = (
    ("feeds polled", "feeds_polled"),
    ("not modified (304)", "not_modified"),
    ("feeds failed", "feeds_failed"),
    ("feeds backed off", "backed_off"),
    ("new items", "new_items"),
    ("relevant", "relevant"),
    ("irrelevant", "irrelevant"),
    ("pages fetched", "fetched"),
    ("new articles", "new_articles"),
    ("feed-summary fallbacks", "feed_summary_fallbacks"),
    ("event mentions", "mentions"),
    ("events", "events"),
)


def print_ingest_summary(counts: dict[str, Any]) -> None:
    summary = Table(title="ingest summary", show_header=False, title_justify="left")
    summary.add_column("step")
    summary.add_column("count", justify="right")
    for name, key in _SUMMARY_ROWS:
        summary.add_row(name, str(counts[key]))
    for label in ("skipped", "failed"):
        for reason, n in sorted(counts[label].items()):
            summary.add_row(cell(f"{label}: {reason}"), str(n))
    summary.add_row("seconds", f"{counts['seconds']:.1f}")
    table(summary)
    for line in counts.get("feed_errors") or []:
        warn("feed problem", line)


def ingest_once(
    config: Path,
    db: Path,
    *,
    use_prefect: bool,
    ignore_backoff: bool,
    lock_wait: float,
    verbose: bool = False,
) -> dict[str, Any]:
    """One ingest: as the Prefect flow, or plain Python holding the warehouse itself."""
    loaded = load_config(config)  # a bad config fails here, before Prefect starts
    if use_prefect:
        quiet_prefect(verbose)  # a no-op when choose_where has set it already
        from flows.definitions import ingest_flow

        with progress_bar():
            counts: dict[str, Any] = asyncio.run(
                ingest_flow(str(config), str(db), ignore_backoff, lock_wait)
            )
        return counts
    from flows.pipeline.ingest import run_ingest
    from flows.runs import writing

    wh = Warehouse(db, wait_s=lock_wait)
    with writing(wh, "ingest", on_wait=note), progress_bar():
        summary = run_ingest(loaded, wh, ignore_backoff=ignore_backoff)
    counts = summary.counts()
    counts["feed_errors"] = summary.feed_errors
    return counts


@app.command()
def ingest(
    config: ConfigOption = None,
    db: DbOption = None,
    prefect: RouteOption = None,
    ignore_backoff: Annotated[
        bool, typer.Option(help="Poll feeds that are backing off after failures too.")
    ] = False,
    lock_wait: LockWaitOption = 120.0,
    verbose: VerboseOption = False,
) -> None:
    """Poll the feeds, fetch new Korea-related articles, store them and extract events."""
    config_file = config_path(config)
    require_feeds(load_config(config_file))  # a bad config fails here, before anything starts
    counts = ingest_once(
        config_file,
        db_path(db),
        use_prefect=choose_where(prefect, verbose),
        ignore_backoff=ignore_backoff,
        lock_wait=lock_wait,
        verbose=verbose,
    )
    print_ingest_summary(counts)


@app.command()
def demo(
    db: Annotated[
        Path, typer.Option("--db", help="Warehouse for the demo (kept apart from your real one).")
    ] = Path("data/demo/koreawatch.duckdb"),
    prefect: Annotated[
        bool, typer.Option("--prefect/--no-prefect", help="Run the ingest as a Prefect flow.")
    ] = False,
) -> None:
    """Serve the bundled sample corpus on 127.0.0.1 and run the real ingest path on it, offline."""
    from flows.digest import describe
    from flows.pipeline.demo import run_demo

    def ingest_corpus(config: Path) -> dict[str, Any]:
        return ingest_once(config, db, use_prefect=prefect, ignore_backoff=True, lock_wait=60.0)

    result = run_demo(db, ingest_corpus, on_status=note)
    print_ingest_summary(result.counts)
    for line in describe(result.digest) if result.digest is not None else []:
        show(line)
    out.print("\n[bold]Try next[/bold]")
    show(
        f"  koreawatch feeds --db {db}\n"
        f'  koreawatch sql --db {db} "SELECT source, title, published_at FROM articles ORDER BY published_at DESC LIMIT 10"\n'
        f'  koreawatch sql --db {db} "SELECT event_date, designation, missile_class, num_missiles, distance_km FROM missile_tests ORDER BY event_date"\n'
        f"  koreawatch demo   # again: every feed answers 304 and nothing is added\n"
    )
