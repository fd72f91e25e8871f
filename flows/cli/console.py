"""What every koreawatch command shares: the consoles and how to print on them, the option
types, the one user error, Prefect's environment and the one progress bar.

Everything printed goes through ``show``/``note``/``warn``/``table`` (or ``escape`` for a
message with markup of our own), so text from feeds, files and errors is never read as Rich
markup: "add recipients = [...] under [digest]" prints as written.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from flows import progress
from flows.progress import format_eta
from flows.settings import DEFAULT_CONFIG, DEFAULT_DB, load_settings

out = Console()
err = Console(stderr=True)

__all__ = ["escape"]


class UserError(Exception):
    """Something the user can fix; printed as one line on stderr, exit code 1."""


# -- printing ---------------------------------------------------------------------------------


def show(message: str) -> None:
    """A line of output (stdout), printed as written."""
    out.print(escape(message), highlight=False, soft_wrap=True)


def note(message: str) -> None:
    """A line about the run (stderr), printed as written."""
    err.print(escape(message), highlight=False, soft_wrap=True)


def warn(label: str, message: str) -> None:
    err.print(
        f"[yellow]{escape(label)}:[/yellow] {escape(message)}", highlight=False, soft_wrap=True
    )


def error_line(message: str) -> None:
    err.print(f"[red]error:[/red] {escape(message)}", highlight=False, soft_wrap=True)


def table(rich_table: Table) -> None:
    """A table on stdout; piped or redirected, as wide as its content (names are not wrapped)."""
    if out.is_terminal:
        out.print(rich_table)
        return
    Console(width=100_000, no_color=out.no_color).print(rich_table)


def cell(value: object) -> str:
    """A table cell from any value, printed as written."""
    return "" if value is None else escape(str(value))


# -- options ----------------------------------------------------------------------------------

DbOption = Annotated[
    Path | None,
    typer.Option(
        "--db",
        help=f"Warehouse file (DuckDB). Default: $KOREAWATCH_DB, else {DEFAULT_DB}.",
        show_default=False,
    ),
]
ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config",
        help=f"Feed list and fetch policy (TOML). Default: $KOREAWATCH_CONFIG, else {DEFAULT_CONFIG}.",
        show_default=False,
    ),
]
LockWaitOption = Annotated[
    float,
    typer.Option(
        "--lock-wait",
        envvar="KOREAWATCH_LOCK_WAIT_S",
        help="Seconds to wait for another run holding the warehouse.",
    ),
]
FormatOption = Annotated[str, typer.Option("--format", help="table, csv, json or ndjson")]
RouteOption = Annotated[
    bool | None,
    typer.Option(
        "--prefect/--no-prefect",
        help="Run as a Prefect flow run (shown in the UI; Prefect's temporary server if none"
        " answers) or in this process. Default: a flow run when a Prefect server answers"
        " (PREFECT_API_URL, a running `koreawatch serve`, the Prefect profile), else in this"
        " process.",
        show_default=False,
    ),
]


def db_path(db: Path | None) -> Path:
    """``--db``, else the settings (``KOREAWATCH_DB``, else the default)."""
    return db if db is not None else load_settings().db


def config_path(config: Path | None) -> Path:
    """``--config``, else the settings (``KOREAWATCH_CONFIG``, else the default)."""
    return config if config is not None else load_settings().config


def choose_where(prefect: bool | None, verbose: bool = False) -> bool:
    """Where a one-off command runs (``flows.route``), said in one line; True for a flow run,
    with Prefect's environment set (call before importing Prefect)."""
    from flows.route import choose_route, enter_route

    route = choose_route(prefect)
    if route.why:
        note(route.why)
    if route.as_flow_run:
        enter_route(route)
        quiet_prefect(verbose)
    return route.as_flow_run


def quiet_prefect(verbose: bool) -> None:
    """Prefect's environment for a command that runs a flow; call before importing Prefect."""
    # The ephemeral server needs longer than Prefect's default on a busy 2-core machine.
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    # No network but the feeds': a telemetry attempt only logs an error.
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    if not verbose:
        os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")


# -- progress ---------------------------------------------------------------------------------


@contextmanager
def progress_bar() -> Iterator[None]:
    """Show what ``flows.progress.report`` says: a bar per stage with the time left on a
    terminal, otherwise a line every few seconds; a finished chunk (``chunks`` stage) gets a
    line of its own with the time left."""
    started: dict[str, float] = {}

    def eta(stage: str, done: int, total: int) -> str:
        elapsed = time.monotonic() - started.get(stage, time.monotonic())
        if not done or done >= total or elapsed < 2.0:
            return ""  # too early to tell
        left = elapsed / done * (total - done)
        return f"; about {format_eta(left)} left"

    def chunk_line(stage: str, done: int, total: int, detail: str) -> str | None:
        if stage != "chunks" or not done:
            return None
        return f"[{done}/{total}] {detail} done{eta(stage, done, total)}"

    if not err.is_terminal:
        last: dict[str, float] = {}

        def plain(stage: str, done: int, total: int, detail: str) -> None:
            now = time.monotonic()
            started.setdefault(stage, now)
            line = chunk_line(stage, done, total, detail)
            if line is not None:
                note(line)
            elif done == total or now - last.get(stage, 0.0) > 5:
                last[stage] = now
                note(f"{stage}: {done}/{total}{eta(stage, done, total)}")

        with progress.reporting(plain):
            yield
        return
    bar = Progress(
        TextColumn("[bold]{task.description:>6}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err,
        transient=True,
    )
    tasks: dict[str, Any] = {}

    def update(stage: str, done: int, total: int, detail: str) -> None:
        started.setdefault(stage, time.monotonic())
        if stage not in tasks:
            tasks[stage] = bar.add_task(stage, total=total)
        bar.update(tasks[stage], completed=done, total=total)
        line = chunk_line(stage, done, total, detail)
        if line is not None:
            bar.console.print(escape(line), highlight=False)

    with bar, progress.reporting(update):
        yield
