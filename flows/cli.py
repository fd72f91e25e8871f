"""The ``koreawatch`` command line. It calls flows and the warehouse; nothing imports it.

Commands that do not run a flow (``sql``, ``feeds``, ``status``, ``--help``) never import Prefect,
so they answer at once.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from flows.cli_support import (
    DEFAULT_CONFIG,
    DEFAULT_DB,
    ConfigOption,
    DbOption,
    LockWaitOption,
    UserError,
    err,
    fail,
    out,
    progress_bar,
    quiet_prefect,
)
from flows.config import ConfigError, load_config
from flows.output import FORMATS, render_rows
from warehouse import Warehouse, WarehouseError

app = typer.Typer(
    name="koreawatch",
    help="News monitoring for the Korean peninsula: feeds to a DuckDB warehouse of missile-test and diplomacy events.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def print_ingest_summary(counts: dict[str, Any], errors: list[str] | None = None) -> None:
    table = Table(title="ingest summary", show_header=False, title_justify="left")
    table.add_column("step")
    table.add_column("count", justify="right")
    rows = [
        ("feeds polled", counts["feeds_polled"]),
        ("not modified (304)", counts["not_modified"]),
        ("feeds failed", counts["feeds_failed"]),
        ("feeds backed off", counts["backed_off"]),
        ("new items", counts["new_items"]),
        ("relevant", counts["relevant"]),
        ("irrelevant", counts["irrelevant"]),
        ("pages fetched", counts["fetched"]),
        ("new articles", counts["new_articles"]),
        ("feed-summary fallbacks", counts["feed_summary_fallbacks"]),
        ("event mentions", counts["mentions"]),
        ("events", counts["events"]),
    ]
    for name, value in rows:
        table.add_row(name, str(value))
    for label, key in (("skipped", "skipped"), ("failed", "failed")):
        for reason, n in sorted(counts[key].items()):
            table.add_row(f"{label}: {reason}", str(n))
    table.add_row("seconds", f"{counts['seconds']:.1f}")
    out.print(table)
    for line in errors or []:
        err.print(f"[yellow]feed problem:[/yellow] {line}", highlight=False, soft_wrap=True)


def run_ingest_command(
    config_path: Path,
    db: Path,
    *,
    use_prefect: bool,
    ignore_backoff: bool,
    lock_wait: float,
    verbose: bool,
) -> dict[str, Any]:
    config = load_config(config_path)
    if use_prefect:
        quiet_prefect(verbose)
        from flows.pipeline import ingest_flow

        with progress_bar():
            counts: dict[str, Any] = ingest_flow(
                str(config_path), str(db), ignore_backoff, lock_wait
            )
        return counts
    from flows.ingest import run_ingest

    wh = Warehouse(db, wait_s=lock_wait)
    with wh.writer("ingest", on_wait=lambda m: err.print(m, highlight=False)), progress_bar():
        summary = run_ingest(config, wh, ignore_backoff=ignore_backoff)
    counts = summary.counts()
    counts["feed_errors"] = summary.feed_errors
    return counts


@app.command()
def ingest(
    config: ConfigOption = DEFAULT_CONFIG,
    db: DbOption = DEFAULT_DB,
    prefect: Annotated[
        bool,
        typer.Option(
            "--prefect/--no-prefect",
            help="Run as a Prefect flow (shows in the Prefect UI) or as plain Python.",
        ),
    ] = True,
    ignore_backoff: Annotated[
        bool, typer.Option(help="Poll feeds that are backing off after failures too.")
    ] = False,
    lock_wait: LockWaitOption = 120.0,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Show Prefect's own logs.")
    ] = False,
) -> None:
    """Poll the feeds, fetch new Korea-related articles, store them and extract events."""
    counts = run_ingest_command(
        config,
        db,
        use_prefect=prefect,
        ignore_backoff=ignore_backoff,
        lock_wait=lock_wait,
        verbose=verbose,
    )
    print_ingest_summary(counts, counts.get("feed_errors"))


@app.command()
def feeds(
    db: DbOption = DEFAULT_DB,
    fmt: Annotated[str, typer.Option("--format", help="table, csv, json or ndjson")] = "table",
) -> None:
    """Show each feed's health: last poll, status, failures in a row, items, last error."""
    from warehouse.ingest import feed_health

    with Warehouse(db).reader() as con:
        rows = feed_health(con)
    if fmt != "table":
        columns = list(rows[0]) if rows else ["name"]
        sys.stdout.write(render_rows(columns, [list(r.values()) for r in rows], fmt))
        return
    table = Table(title=f"feeds in {db}", title_justify="left")
    for column in (
        "feed",
        "status",
        "last polled (UTC)",
        "fails",
        "items",
        "fetched",
        "failed",
        "problem",
    ):
        table.add_column(column, overflow="fold")
    colours = {"ok": "green", "not_modified": "green", "soft_error": "yellow", "hard_error": "red"}
    for row in rows:
        status = row["last_status"] or "never polled"
        colour = colours.get(status, "white")
        problem = row["last_error"] or row["last_defect"] or ""
        if row["next_poll_after"] and row["consecutive_failures"]:
            problem += f" (next try {row['next_poll_after']:%Y-%m-%d %H:%M})"
        name = row["name"] if row["in_config"] else f"{row['name']} (not in config)"
        polled = f"{row['last_polled_at']:%Y-%m-%d %H:%M}" if row["last_polled_at"] else "-"
        table.add_row(name, f"[{colour}]{status}[/{colour}]", polled, str(row["consecutive_failures"]),
                      str(row["items_total"]), str(row["fetched"]), str(row["failed"]), problem)  # fmt: skip
    out.print(table)


@app.command()
def sql(
    query: Annotated[str, typer.Argument(help="SQL to run on a read-only connection.")],
    db: DbOption = DEFAULT_DB,
    fmt: Annotated[str, typer.Option("--format", help="table, csv, json or ndjson")] = "table",
    lock_wait: LockWaitOption = 30.0,
) -> None:
    """Run a query against the warehouse (read-only) and print the rows."""
    import duckdb

    if fmt not in FORMATS:
        fail(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    with Warehouse(db, wait_s=lock_wait).reader() as con:
        try:
            cursor = con.execute(query)
        except duckdb.Error as exc:
            fail(str(exc).splitlines()[0])
        columns = [d[0] for d in cursor.description] if cursor.description else []
        rows = cursor.fetchall() if columns else []
    if fmt == "table":
        table = Table(show_lines=False)
        for column in columns:
            table.add_column(column, overflow="fold")
        for row in rows:
            table.add_row(*("" if v is None else str(v) for v in row))
        out.print(table)
        err.print(f"{len(rows)} row(s)", highlight=False)
        return
    sys.stdout.write(render_rows(columns, rows, fmt))


@app.command()
def status(
    db: DbOption = DEFAULT_DB,
    fmt: Annotated[str, typer.Option("--format", help="table or json")] = "table",
) -> None:
    """Last runs per flow, feed health, warehouse size, articles and events this week."""
    from flows.commands_ops import status_command

    status_command(db, fmt)


@app.command()
def extract(
    db: DbOption = DEFAULT_DB,
    since: Annotated[
        str | None, typer.Option(help="First publication day (Korea date), e.g. 2024-10-01.")
    ] = None,
    until: Annotated[
        str | None, typer.Option(help="Last publication day (Korea date), inclusive.")
    ] = None,
    lock_wait: LockWaitOption = 120.0,
) -> None:
    """Re-run event extraction over stored articles and rebuild the consolidated events."""
    from datetime import date

    from flows.extract import run_extract

    try:
        start = date.fromisoformat(since) if since else None
        end = date.fromisoformat(until) if until else None
    except ValueError as exc:
        raise UserError(f"--since/--until must be dates like 2024-10-31 ({exc})") from None
    wh = Warehouse(db, wait_s=lock_wait)
    with wh.writer("extract", on_wait=lambda m: err.print(m, highlight=False)):
        from flows.ingest import begin_run, end_run_counts

        run_id = begin_run(wh, "extract", {"since": since, "until": until})
        try:
            summary = run_extract(wh, since=start, until=end)
        except BaseException as exc:
            end_run_counts(wh, run_id, {}, status="failed", errors=[f"{type(exc).__name__}: {exc}"])
            raise
        end_run_counts(wh, run_id, {k: getattr(summary, k) for k in summary.__dataclass_fields__})
    out.print(
        f"{summary.articles} articles: {summary.mentions} mentions "
        f"({summary.missile_mentions} missile, {summary.diplomacy_mentions} diplomacy); "
        f"{summary.missile_tests} missile tests and {summary.diplomacy_events} diplomacy events "
        f"in the warehouse ({summary.seconds:.1f} s)",
        highlight=False,
    )


@app.command(name="eval")
def evaluate(
    fmt: Annotated[str, typer.Option("--format", help="table or json")] = "table",
    golden: Annotated[
        Path | None, typer.Option(help="Directory of golden cases (default: tests/golden/cases).")
    ] = None,
) -> None:
    """Score the event extractor on the golden set: precision, recall and F1 per kind and field."""
    from flows.evaluate import DEFAULT_GOLDEN_DIR, GoldenSetError, format_report, run_eval

    if fmt not in ("table", "json"):
        raise UserError(f"unknown format {fmt!r}; choose table or json")
    try:
        report = run_eval(golden or DEFAULT_GOLDEN_DIR)
    except GoldenSetError as exc:
        raise UserError(str(exc)) from None
    text = format_report(report, fmt)
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


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
    from flows.demo import demo_config_text, serve_corpus

    with serve_corpus() as base_url, tempfile.TemporaryDirectory() as tmp:
        config_path = Path(tmp) / "demo-feeds.toml"
        config_path.write_text(demo_config_text(base_url), encoding="utf-8")
        err.print(f"serving the sample corpus at {base_url}", highlight=False)
        counts = run_ingest_command(
            config_path, db, use_prefect=prefect, ignore_backoff=True, lock_wait=60.0, verbose=False
        )
    print_ingest_summary(counts, counts.get("feed_errors"))
    from flows.digest import demo_digest, describe

    digest = demo_digest(db, db.parent / "digests")
    if digest is not None:
        for line in describe(digest):
            out.print(line, highlight=False)
    out.print(
        "\n[bold]Try next[/bold]\n"
        f"  koreawatch feeds --db {db}\n"
        f'  koreawatch sql --db {db} "SELECT source, title, published_at FROM articles ORDER BY published_at DESC LIMIT 10"\n'
        f'  koreawatch sql --db {db} "SELECT event_date, designation, missile_class, num_missiles, distance_km FROM missile_tests ORDER BY event_date"\n'
        f"  koreawatch demo   # again: every feed answers 304 and nothing is added\n",
        highlight=False,
    )


from flows.commands_digest import register as register_digest  # noqa: E402 - commands after the core ones
from flows.commands_ops import register as register_ops  # noqa: E402

register_digest(app)
register_ops(app)


def main() -> None:
    """Console-script entry: user errors become one line on stderr and a non-zero exit."""
    from flows.http import FetchError

    debug = bool(os.environ.get("KOREAWATCH_DEBUG"))
    try:
        app()
    except (ConfigError, WarehouseError, FetchError, UserError) as exc:
        if debug:
            raise
        err.print(f"[red]error:[/red] {exc}", highlight=False, soft_wrap=True)
        sys.exit(1)
    except KeyboardInterrupt:
        err.print("interrupted; the next run finishes what this one started", highlight=False)
        sys.exit(130)
    except Exception as exc:
        if debug:
            raise
        err.print(
            f"[red]error:[/red] {type(exc).__name__}: {exc} (set KOREAWATCH_DEBUG=1 for the traceback)",
            highlight=False,
            soft_wrap=True,
        )
        sys.exit(2)
