"""Operations commands: ``serve``, ``backfill``, ``export``, and the fuller ``status``.

``flows/cli.py`` wires them in with ``register(app)`` and points its ``status`` command at
``status_command``. Nothing here imports Prefect at module import time: ``serve`` and
``backfill --prefect`` import it inside their bodies, ``export`` and ``status`` never do.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from flows import progress
from flows.cli_support import (
    DEFAULT_CONFIG,
    DEFAULT_DB,
    ConfigOption,
    DbOption,
    LockWaitOption,
    err,
    out,
    quiet_prefect,
)
from flows.cli_support import fail as _fail
from flows.config import ConfigError
from flows.output import jsonable
from warehouse import Warehouse, WarehouseError

# -- serve ------------------------------------------------------------------------------------


def serve(
    prefect_file: Annotated[
        Path, typer.Option("--prefect-file", help="The deployments and their schedules.")
    ] = Path("deploy/prefect.yaml"),
    only: Annotated[
        list[str] | None,
        typer.Option("--only", help="Serve only this deployment (repeat for more)."),
    ] = None,
    db: Annotated[
        Path | None,
        typer.Option(
            "--db",
            envvar="KOREAWATCH_DB",
            help="Warehouse for every flow (default: the file's parameters).",
        ),
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config",
            envvar="KOREAWATCH_CONFIG",
            help="Config for every flow (default: the file's parameters).",
        ),
    ] = None,
    port: Annotated[
        int,
        typer.Option(
            help="Port of the local Prefect server started when PREFECT_API_URL is unset (0: any free port)."
        ),
    ] = 4200,
    every: Annotated[
        float | None,
        typer.Option(
            "--every",
            min=5,
            help="Run the scheduled deployments every N seconds instead (to try things out).",
        ),
    ] = None,
) -> None:
    """Run the deployments of deploy/prefect.yaml on their schedules from this one process.

    Uses the Prefect server in PREFECT_API_URL, or starts one on 127.0.0.1 (UI included) and
    stops it on exit. Stop with Ctrl-C or SIGTERM."""
    from flows.serve import DeploymentFileError, ServerStartError, serve_forever

    # Prefect's own INFO logs stay on here: they are what the UI shows of each served run.
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    overrides: dict[str, Any] = {}
    if db is not None:
        overrides.update(db_path=str(db.resolve()), db=str(db.resolve()))
    if config is not None:
        overrides.update(config_path=str(config.resolve()), config=str(config.resolve()))

    def say(message: str) -> None:
        err.print(message, highlight=False, soft_wrap=True)

    try:
        serve_forever(
            prefect_file, only=only, overrides=overrides, every_s=every, port=port, on_status=say
        )
    except (DeploymentFileError, ServerStartError) as exc:
        _fail(str(exc))


# -- backfill ---------------------------------------------------------------------------------


@contextmanager
def _backfill_progress() -> Iterator[None]:
    """A bar with time left on a terminal; otherwise a line per chunk with time left."""
    started = time.monotonic()  # reset when the first chunk starts (after any Prefect start-up)

    def eta(done: int, total: int) -> str:
        from flows.backfill import format_eta

        if not done or done >= total:
            return ""
        return f"; about {format_eta((time.monotonic() - started) / done * (total - done))} left"

    if not err.is_terminal:
        last_pages = 0.0

        def plain(stage: str, done: int, total: int, detail: str) -> None:
            nonlocal last_pages, started
            if stage == "chunks" and not done:
                started = time.monotonic()
            elif stage == "chunks":
                err.print(f"[{done}/{total}] {detail} done{eta(done, total)}", highlight=False)
            elif stage == "pages" and (done == total or time.monotonic() - last_pages > 10):
                last_pages = time.monotonic()
                err.print(f"  pages {done}/{total}", highlight=False)

        with progress.reporting(plain):
            yield
        return
    bar = Progress(
        TextColumn("[bold]{task.description:>6}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[detail]}"),
        TimeRemainingColumn(),
        console=err,
        transient=True,
    )
    tasks: dict[str, Any] = {}

    def update(stage: str, done: int, total: int, detail: str) -> None:
        nonlocal started
        if stage == "chunks" and not done:
            started = time.monotonic()
        if stage not in tasks:
            tasks[stage] = bar.add_task(stage, total=total, detail="")
        bar.update(tasks[stage], completed=done, total=total, detail=detail)
        if stage == "chunks" and done:
            bar.console.print(f"{detail} done{eta(done, total)}", highlight=False)

    with bar, progress.reporting(update):
        yield


def _print_backfill(summary: dict[str, Any]) -> None:
    table = Table(title=f"backfill ({summary['mode']})", show_header=False, title_justify="left")
    table.add_column("what")
    table.add_column("count", justify="right")
    table.add_row("chunks planned", str(summary["chunks_planned"]))
    table.add_row("already done (skipped)", str(summary["chunks_already_done"]))
    table.add_row("done now", str(summary["chunks_run"]))
    table.add_row("failed", str(summary["chunks_failed"]))
    for key, value in sorted(summary["counts"].items()):
        table.add_row(key, str(value))
    table.add_row("seconds", f"{summary['seconds']:.1f}")
    out.print(table)
    for note in summary["notes"]:
        err.print(note, highlight=False, soft_wrap=True)


def backfill(
    since: Annotated[
        str | None,
        typer.Option(help="First day, YYYY-MM-DD (Korea time; optional for --mode urls)."),
    ] = None,
    until: Annotated[str | None, typer.Option(help="Last day, YYYY-MM-DD, included.")] = None,
    mode: Annotated[
        str,
        typer.Option(
            help="extract: re-extract events; sitemap or urls: fetch past articles; digests: rebuild digests (never sent)."
        ),
    ] = "extract",
    sitemap: Annotated[
        list[str] | None,
        typer.Option(
            "--sitemap", help="A sitemap or sitemap index URL (repeat for more); --mode sitemap."
        ),
    ] = None,
    urls: Annotated[
        Path | None,
        typer.Option(
            "--urls", help="File of URLs, one a line, optionally followed by a date; --mode urls."
        ),
    ] = None,
    force: Annotated[bool, typer.Option(help="Redo the days already recorded as done.")] = False,
    config: ConfigOption = DEFAULT_CONFIG,
    db: DbOption = DEFAULT_DB,
    prefect: Annotated[
        bool,
        typer.Option("--prefect/--no-prefect", help="Run as a Prefect flow or as plain Python."),
    ] = True,
    lock_wait: LockWaitOption = 120.0,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Show Prefect's own logs.")
    ] = False,
) -> None:
    """Go back in time day by day: re-extract events, fetch past articles from sitemaps or a
    URL list, or rebuild digests. Resumable: run it again and it goes on where it stopped."""
    from flows.backfill import (
        BackfillError,
        BackfillIncomplete,
        BackfillRequest,
        parse_day,
        run_backfill,
        validate,
    )
    from flows.config import load_config

    try:
        request = BackfillRequest(
            mode=mode,
            since=parse_day(since, "--since") if since else None,
            until=parse_day(until, "--until") if until else None,
            sitemaps=tuple(sitemap or ()),
            urls_file=urls,
            force=force,
        )
        validate(request)
        loaded = load_config(config)
        with _backfill_progress():
            if prefect:
                quiet_prefect(verbose)
                from flows.backfill import backfill_flow

                result: dict[str, Any] = backfill_flow(
                    mode=mode, since=request.since, until=request.until,
                    sitemaps=list(request.sitemaps),
                    urls_file=str(urls.resolve()) if urls else None, force=force,
                    config_path=str(config), db_path=str(db), lock_wait_s=lock_wait,
                )  # fmt: skip
            else:
                wh = Warehouse(db, wait_s=lock_wait)
                summary = run_backfill(
                    loaded, wh, request, on_wait=lambda m: err.print(m, highlight=False)
                )
                result = summary.as_dict()
    except (BackfillError, BackfillIncomplete, ConfigError, WarehouseError) as exc:
        _fail(str(exc))
    _print_backfill(result)


# -- export -----------------------------------------------------------------------------------


def export(
    out_dir: Annotated[Path, typer.Option("--out", help="Directory for the Parquet files.")],
    db: DbOption = DEFAULT_DB,
    view: Annotated[
        list[str] | None, typer.Option("--view", help="Export only this view (repeat for more).")
    ] = None,
    lock_wait: LockWaitOption = 60.0,
) -> None:
    """Write each public view to Parquet under --out, partitioned by year and month of its date.

    Idempotent: each view's directory is replaced whole."""
    from warehouse.export import export_warehouse, read_back_sql

    try:
        report = export_warehouse(db, out_dir, views=view, wait_s=lock_wait)
    except WarehouseError as exc:
        _fail(str(exc))
    table = Table(title=f"exported {db} to {out_dir}", title_justify="left")
    for column in ("view", "rows", "files", "partitioned by"):
        table.add_column(column, justify="right" if column in ("rows", "files") else "left")
    for item in report.views:
        by = f"year, month of {item.partitioned_by}" if item.partitioned_by else "-"
        table.add_row(item.view, str(item.rows), str(item.files), by)
    out.print(table)
    for missing in report.missing:
        err.print(f"not in this warehouse (skipped): {missing}", highlight=False)
    err.print(
        f"warehouse held {report.snapshot_s:.2f} s; {report.seconds:.1f} s in all."
        f" Read back with: {read_back_sql(out_dir, 'articles')}",
        highlight=False,
        soft_wrap=True,
    )


# -- status -----------------------------------------------------------------------------------


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


def status_command(db: Path, fmt: str = "table") -> None:
    """Print the fuller status (``koreawatch status``): last run of each flow, runs in progress
    and failures this week, feed health, articles and events this week, backfills, size."""
    from warehouse.status import status_report

    try:
        with Warehouse(db, wait_s=30).reader() as con:
            report = status_report(con, db)
    except WarehouseError as exc:
        _fail(str(exc))
    if fmt == "json":
        sys.stdout.write(json.dumps(jsonable(asdict(report)), ensure_ascii=False, indent=2) + "\n")
        return
    if fmt != "table":
        _fail(f"unknown format {fmt!r}; choose table or json")
    now = report.generated_at
    runs = Table(title="last run of each flow", title_justify="left")
    for column in ("flow", "started", "seconds", "status", "errors", "figures"):
        runs.add_column(column, overflow="fold")
    colours = {
        "ok": "green",
        "running": "cyan",
        "failed": "red",
        "killed": "yellow",
        "stale": "yellow",
    }
    for run in report.last_runs.values():
        colour = colours.get(run.status, "white")
        figures = ", ".join(
            [
                f"{k} {v}"
                for k, v in run.counts.items()
                if isinstance(v, int) and v and k != "seconds"
            ][:4]
        )
        runs.add_row(
            run.flow, _age(run.started_at, now), f"{run.seconds:.1f}" if run.seconds else "-",
            f"[{colour}]{run.status}[/{colour}]", str(len(run.errors)), figures[:120],
        )  # fmt: skip
    out.print(runs)
    for run in report.running:
        state = "running" if run.status == "running" else "stale (its process is gone)"
        out.print(f"[cyan]{state}:[/cyan] {run.flow} since {_age(run.started_at, now)}")
    for run in report.failures_week:
        first = run.errors[0] if run.errors else "no message"
        out.print(
            f"[red]{run.status}[/red] {run.flow} {_age(run.started_at, now)}: {first}",
            highlight=False,
            soft_wrap=True,
        )
    health = ", ".join(f"{n} {s}" for s, n in report.feed_health.items()) or "none configured"
    out.print(f"feeds: {health}", highlight=False)
    for feed in report.failing_feeds:
        out.print(
            f"  [yellow]{feed.name}[/yellow]: {feed.status} ×{feed.consecutive_failures}"
            f" ({feed.last_error or 'no message'})",
            highlight=False,
            soft_wrap=True,
        )
    out.print(
        f"articles: {report.articles_total} ({report.articles_relevant} relevant);"
        f" {report.articles_week} published and {report.fetched_week} stored in the last 7 days",
        highlight=False,
    )
    kinds = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in report.events_week.items())
    detail = ", ".join(f"{n} {what}" for _, what, n in report.events_week_by_type)
    out.print(
        f"events since {report.week_start} (Korea): {kinds or 'none'}"
        + (f" ({detail})" if detail else ""),
        highlight=False,
    )
    for mode, chunks, last in report.backfills:
        out.print(f"backfill {mode}: {chunks} chunks done, last {_age(last, now)}", highlight=False)
    out.print(f"warehouse {db}: {report.size_bytes / 1e6:.1f} MB", highlight=False)


# -- wiring -----------------------------------------------------------------------------------


def register(app: typer.Typer) -> None:
    """Add ``serve``, ``backfill`` and ``export`` to the ``koreawatch`` app."""
    app.command(name="serve")(serve)
    app.command(name="backfill")(backfill)
    app.command(name="export")(export)
