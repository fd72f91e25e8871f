"""Operations: ``koreawatch serve`` (the deployments on their schedules, from one process) and
``koreawatch backfill`` (going back in time, resumable). Prefect is imported inside them."""

from __future__ import annotations

import os
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
    progress_bar,
    table,
)
from flows.settings import DEFAULT_PREFECT_FILE
from warehouse import Warehouse


@app.command()
def serve(
    prefect_file: Annotated[
        Path | None,
        typer.Option(
            "--prefect-file",
            help=f"The deployments and their schedules. Default: $KOREAWATCH_PREFECT_FILE, else {DEFAULT_PREFECT_FILE}.",
            show_default=False,
        ),
    ] = None,
    only: Annotated[
        list[str] | None,
        typer.Option("--only", help="Serve only this deployment (repeat for more)."),
    ] = None,
    db: Annotated[
        Path | None,
        typer.Option(
            "--db",
            help="Warehouse for every flow (default: $KOREAWATCH_DB, else the file's parameters).",
            show_default=False,
        ),
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config",
            help="Config for every flow (default: $KOREAWATCH_CONFIG, else the file's parameters).",
            show_default=False,
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
    from flows.serve import serve_forever
    from flows.settings import load_settings

    settings = load_settings()
    # Prefect's own INFO logs stay on here: they are what the UI shows of each served run.
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    overrides: dict[str, Any] = {}
    db = db or (settings.db if "KOREAWATCH_DB" in os.environ else None)
    config = config or (settings.config if "KOREAWATCH_CONFIG" in os.environ else None)
    if db is not None:
        overrides["db_path"] = str(db.resolve())
    if config is not None:
        overrides["config_path"] = str(config.resolve())
    serve_forever(
        prefect_file or settings.prefect_file,
        only=only, overrides=overrides, every_s=every, port=port, on_status=note,
    )  # fmt: skip


def _print_backfill(summary: dict[str, Any]) -> None:
    shown = Table(title=f"backfill ({summary['mode']})", show_header=False, title_justify="left")
    shown.add_column("what")
    shown.add_column("count", justify="right")
    shown.add_row("chunks planned", str(summary["chunks_planned"]))
    shown.add_row("already done (skipped)", str(summary["chunks_already_done"]))
    shown.add_row("done now", str(summary["chunks_run"]))
    shown.add_row("failed", str(summary["chunks_failed"]))
    for key, value in sorted(summary["counts"].items()):
        shown.add_row(cell(key), str(value))
    shown.add_row("seconds", f"{summary['seconds']:.1f}")
    table(shown)
    for line in summary["notes"]:
        note(line)


@app.command()
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
    config: ConfigOption = None,
    db: DbOption = None,
    prefect: RouteOption = None,
    lock_wait: LockWaitOption = 120.0,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Show Prefect's own logs.")
    ] = False,
) -> None:
    """Go back in time day by day: re-extract events, fetch past articles from sitemaps or a
    URL list, or rebuild digests. Resumable: run it again and it goes on where it stopped."""
    from flows.days import optional_day
    from flows.pipeline.backfill import (
        BackfillRequest,
        backfill_config,
        backfill_mode,
        run_backfill,
        validate,
    )

    request = BackfillRequest(
        mode=backfill_mode(mode), since=optional_day(since, "--since"),
        until=optional_day(until, "--until"), sitemaps=tuple(sitemap or ()), urls_file=urls,
        force=force,
    )  # fmt: skip
    validate(request)
    config_file, db_file = config_path(config), db_path(db)
    given = config is not None or "KOREAWATCH_CONFIG" in os.environ
    loaded = backfill_config(config_file, request.mode, given=given)
    as_flow_run = choose_where(prefect, verbose)
    with progress_bar():
        if as_flow_run:
            from flows.definitions import backfill_flow

            result: dict[str, Any] = backfill_flow(
                mode=request.mode,
                since=request.since.isoformat() if request.since else None,
                until=request.until.isoformat() if request.until else None,
                sitemaps=list(request.sitemaps), urls_file=str(urls.resolve()) if urls else None,
                force=force, config_path=str(config_file) if loaded.source_path else None,
                db_path=str(db_file), lock_wait_s=lock_wait,
            )  # fmt: skip
        else:
            wh = Warehouse(db_file, wait_s=lock_wait)
            result = run_backfill(loaded, wh, request, on_wait=note).as_dict()
    _print_backfill(result)
