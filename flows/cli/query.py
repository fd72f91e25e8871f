"""Commands that read the warehouse and never run a flow: ``sql``, ``feeds``, ``status`` and
``export``. None imports Prefect."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from extractors.vocabulary import FEED_STATUS_COLOURS, RUN_STATUS_COLOURS
from flows.cli.app import app
from flows.cli.console import (
    DbOption,
    FormatOption,
    LockWaitOption,
    UserError,
    cell,
    db_path,
    note,
    show,
    table,
)
from flows.cli.formats import FORMATS, jsonable, render_rows
from warehouse import Warehouse


def _check_format(fmt: str, allowed: tuple[str, ...] = FORMATS) -> None:
    if fmt not in allowed:
        raise UserError(f"unknown format {fmt!r}; choose one of {', '.join(allowed)}")


@app.command()
def feeds(db: DbOption = None, fmt: FormatOption = "table") -> None:
    """Show each feed's health: last poll, status, failures in a row, items, last error."""
    from warehouse.ingest import feed_health

    _check_format(fmt)
    path = db_path(db)
    with Warehouse(path).reader() as con:
        rows = feed_health(con)
    if fmt != "table":
        columns = list(rows[0]) if rows else ["name"]
        sys.stdout.write(render_rows(columns, [list(r.values()) for r in rows], fmt))
        return
    shown = Table(title=cell(f"feeds in {path}"), title_justify="left")
    for column in ("feed", "status", "last polled (UTC)", "fails", "items", "fetched", "failed",
                   "problem"):  # fmt: skip
        shown.add_column(column, overflow="fold")
    for row in rows:
        status = row["last_status"] or "never polled"
        colour = FEED_STATUS_COLOURS.get(status, "white")
        problem = row["last_error"] or row["last_defect"] or ""
        if row["next_poll_after"] and row["consecutive_failures"]:
            problem += f" (next try {row['next_poll_after']:%Y-%m-%d %H:%M})"
        name = row["name"] if row["in_config"] else f"{row['name']} (not in config)"
        polled = f"{row['last_polled_at']:%Y-%m-%d %H:%M}" if row["last_polled_at"] else "-"
        shown.add_row(cell(name), f"[{colour}]{cell(status)}[/{colour}]", polled,
                      str(row["consecutive_failures"]), str(row["items_total"]),
                      str(row["fetched"]), str(row["failed"]), cell(problem))  # fmt: skip
    table(shown)


@app.command()
def sql(
    query: Annotated[str, typer.Argument(help="SQL to run on a read-only connection.")],
    db: DbOption = None,
    fmt: FormatOption = "table",
    lock_wait: LockWaitOption = 30.0,
) -> None:
    """Run a query against the warehouse and print the rows.

    Only queries run (SELECT, WITH, FROM, SHOW, DESCRIBE, SUMMARIZE, EXPLAIN): the connection is
    read-only and reaches no other file, database, extension or network address."""
    from warehouse.query import run_query

    _check_format(fmt)
    result = run_query(Warehouse(db_path(db), wait_s=lock_wait), query)
    columns, rows = result.columns, result.rows
    if fmt != "table":
        sys.stdout.write(render_rows(columns, rows, fmt))
        return
    shown = Table(show_lines=False)
    for column in columns:
        shown.add_column(cell(column), overflow="fold")
    for row in rows:
        shown.add_row(*(cell(v) for v in row))
    table(shown)
    note(f"{len(rows)} row(s)")


def _age(moment: datetime | None, now: datetime) -> str:
    if moment is None:
        return "-"
    seconds = (now - moment).total_seconds()
    if seconds < 120:
        return f"{seconds:.0f} s ago"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min ago"
    if seconds < 172800:
        return f"{seconds / 3600:.0f} h ago"
    return f"{seconds / 86400:.0f} days ago"


@app.command()
def status(
    db: DbOption = None,
    fmt: Annotated[str, typer.Option("--format", help="table or json")] = "table",
) -> None:
    """Last runs per flow, feed health, warehouse size, articles and events this week."""
    from warehouse.status import status_report

    _check_format(fmt, ("table", "json"))
    path = db_path(db)
    with Warehouse(path, wait_s=30).reader() as con:
        report = status_report(con, path)
    if fmt == "json":
        sys.stdout.write(json.dumps(jsonable(asdict(report)), ensure_ascii=False, indent=2) + "\n")
        return
    now = report.generated_at
    runs = Table(title="last run of each flow", title_justify="left")
    for column in ("flow", "started", "seconds", "status", "errors", "figures"):
        runs.add_column(column, overflow="fold")
    for run in report.last_runs.values():
        colour = RUN_STATUS_COLOURS.get(run.status, "white")
        figures = ", ".join(
            [f"{k} {v}" for k, v in run.counts.items() if isinstance(v, int) and v and k != "seconds"][:4]
        )  # fmt: skip
        runs.add_row(
            cell(run.flow), _age(run.started_at, now), f"{run.seconds:.1f}" if run.seconds else "-",
            f"[{colour}]{cell(run.status)}[/{colour}]", str(len(run.errors)), cell(figures[:120]),
        )  # fmt: skip
    table(runs)
    for run in report.running:
        state = "running" if run.status == "running" else "stale (its process is gone)"
        show(f"{state}: {run.flow} since {_age(run.started_at, now)}")
    for run in report.failures_week:
        first = run.errors[0] if run.errors else "no message"
        show(f"{run.status} {run.flow} {_age(run.started_at, now)}: {first}")
    health = ", ".join(f"{n} {s}" for s, n in report.feed_health.items()) or "none configured"
    show(f"feeds: {health}")
    for feed in report.failing_feeds:
        show(
            f"  {feed.name}: {feed.status} ×{feed.consecutive_failures}"
            f" ({feed.last_error or 'no message'})"
        )
    show(
        f"articles: {report.articles_total} ({report.articles_relevant} relevant);"
        f" {report.articles_week} published and {report.fetched_week} stored in the last 7 days"
    )
    kinds = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in report.events_week.items())
    detail = ", ".join(f"{n} {what}" for _, what, n in report.events_week_by_type)
    show(
        f"events since {report.week_start} (Korea): {kinds or 'none'}"
        + (f" ({detail})" if detail else "")
    )
    for mode, chunks, last in report.backfills:
        show(f"backfill {mode}: {chunks} chunks done, last {_age(last, now)}")
    show(f"warehouse {path}: {report.size_bytes / 1e6:.1f} MB")


@app.command()
def export(
    out_dir: Annotated[Path, typer.Option("--out", help="Directory for the Parquet files.")],
    db: DbOption = None,
    view: Annotated[
        list[str] | None, typer.Option("--view", help="Export only this view (repeat for more).")
    ] = None,
    lock_wait: LockWaitOption = 60.0,
) -> None:
    """Write each public view to Parquet under --out, partitioned by year and month of its date.

    Idempotent: each view's directory is replaced whole."""
    from warehouse.export import export_warehouse, read_back_sql

    path = db_path(db)
    report = export_warehouse(path, out_dir, views=view, wait_s=lock_wait)
    shown = Table(title=cell(f"exported {path} to {out_dir}"), title_justify="left")
    for column in ("view", "rows", "files", "partitioned by"):
        shown.add_column(column, justify="right" if column in ("rows", "files") else "left")
    for item in report.views:
        by = f"year, month of {item.partitioned_by}" if item.partitioned_by else "-"
        shown.add_row(cell(item.view), str(item.rows), str(item.files), cell(by))
    table(shown)
    for missing in report.missing:
        note(f"not in this warehouse (skipped): {missing}")
    note(
        f"warehouse held {report.snapshot_s:.2f} s; {report.seconds:.1f} s in all."
        f" Read back with: {read_back_sql(out_dir, 'articles')}"
    )
