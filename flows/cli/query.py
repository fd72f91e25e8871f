"""Commands that read the warehouse and never run a flow: ``sql``, ``feeds``, ``status`` and
``export``. None imports Prefect."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from extractors.vocabulary import FEED_STATUS_COLOURS, RUN_STATUS_COLOURS
from flows.cli.app import app
from flows.cli.console import (
    ConfigOption,
    DbOption,
    FormatOption,
    LockWaitOption,
    UserError,
    cell,
    config_path,
    db_path,
    note,
    show,
    table,
)
from flows.cli.formats import FORMATS, jsonable, render_rows
from flows.config import load_config
from flows.settings import DEFAULT_PREFECT_FILE, load_settings
from warehouse import Warehouse

if TYPE_CHECKING:
    from flows.health import NextRun
    from warehouse.status import StatusReport


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
    check: Annotated[
        bool,
        typer.Option(
            "--check",
            help="Health check: exit 1 with each reason when the last good ingest is older than"
            " twice its schedule, a run is stale or was killed, a feed has failed for over 24 h,"
            " or the last digest did not reach every recipient; else print 'healthy', exit 0.",
        ),
    ] = False,
    config: ConfigOption = None,
    prefect_file: Annotated[
        Path | None,
        typer.Option(
            "--prefect-file",
            help=f"The deployments and their schedules. Default: $KOREAWATCH_PREFECT_FILE, else {DEFAULT_PREFECT_FILE}.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Last runs per flow, feed health, warehouse size, articles and events this week; the
    next scheduled runs when a Prefect server answers; --check for a health check."""
    from flows.health import expectations, health_problems, next_runs
    from flows.route import find_server
    from warehouse.status import deliveries_of, last_ok_run, status_report

    _check_format(fmt, ("table", "json"))
    path = db_path(db)
    settings = load_settings()
    problems: list[str] = []
    with Warehouse(path, wait_s=30).reader() as con:
        report = status_report(con, path)
        if check:  # the config only says when a digest is due: plain `status` never reads it
            config_file = config_path(config)
            loaded = load_config(config_file) if config_file.exists() else None
            now = report.generated_at
            expected = expectations(prefect_file or settings.prefect_file, loaded, now)
            problems = health_problems(
                report, expected, now, last_ok_run(con, "ingest") if report.last_runs else None,
                lambda day: deliveries_of(con, day),
            )  # fmt: skip
    # A health check answers from the warehouse alone; the schedule is for people to read.
    server = find_server()[0] if not check or fmt == "json" else None
    upcoming = next_runs(server.api_url) if server is not None else []
    if fmt == "json":
        data = jsonable(asdict(report))
        data["next_runs"] = jsonable([asdict(n) for n in upcoming])
        if check:
            data["problems"] = problems
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    elif check:
        for problem in problems:
            note(f"unhealthy: {problem}")
        if not problems:
            show(f"healthy: {path}")
    else:
        _print_status(report, path, upcoming, server.api_url if server else None)
    if problems:
        raise typer.Exit(1)


def _print_status(
    report: StatusReport, path: Path, upcoming: list[NextRun], api_url: str | None
) -> None:
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
        first = run.errors[-1] if run.errors else "no message"
        show(f"{run.status} {run.flow} {_age(run.started_at, now)}: {first}")
    health = ", ".join(f"{n} {s}" for s, n in report.feed_health.items()) or "none configured"
    show(f"feeds: {health}")
    for feed in report.failing_feeds[:10]:
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
    if api_url is not None:
        for upcoming_run in upcoming:
            when = upcoming_run.expected_at
            show(
                f"next {upcoming_run.deployment}: "
                + (
                    f"{when:%Y-%m-%d %H:%M} UTC, in {_until(when, now)}"
                    if when
                    else "not scheduled"
                )
                + f" ({api_url.removesuffix('/api')})"
            )


def _until(moment: datetime, now: datetime) -> str:
    seconds = max(0.0, (moment - now).total_seconds())
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.0f} h"


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
