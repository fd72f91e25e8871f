"""What every koreawatch command shares: consoles, option types, errors, Prefect's environment
and the progress bar. The command modules (``flows.cli``, ``flows.commands_*``) import it;
it imports none of them.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from flows import progress

out = Console()
err = Console(stderr=True)

DbOption = Annotated[
    Path,
    typer.Option(
        "--db", envvar="KOREAWATCH_DB", help="Warehouse file (DuckDB).", show_default=True
    ),
]
ConfigOption = Annotated[
    Path,
    typer.Option(
        "--config",
        envvar="KOREAWATCH_CONFIG",
        help="Feed list and fetch policy (TOML).",
        show_default=True,
    ),
]
DEFAULT_DB = Path("data/koreawatch.duckdb")
DEFAULT_CONFIG = Path("deploy/feeds.toml")
LockWaitOption = Annotated[
    float,
    typer.Option(
        "--lock-wait",
        envvar="KOREAWATCH_LOCK_WAIT_S",
        help="Seconds to wait for another run holding the warehouse.",
    ),
]


class UserError(Exception):
    """Something the user can fix; printed as one line, exit code 1."""


def fail(message: str, code: int = 1) -> NoReturn:
    err.print(f"[red]error:[/red] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def quiet_prefect(verbose: bool) -> None:
    """Prefect's environment for a command that runs a flow; call before importing Prefect."""
    # The ephemeral server needs longer than Prefect's default on a busy 2-core machine.
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    # No network but the feeds': a telemetry attempt only logs an error.
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    if not verbose:
        os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")


@contextmanager
def progress_bar(enabled: bool = True) -> Iterator[None]:
    if not enabled or not err.is_terminal:
        last: dict[str, float] = {}

        def plain(stage: str, completed: int, total: int, detail: str) -> None:
            now = time.monotonic()
            if completed == total or now - last.get(stage, 0.0) > 5:
                last[stage] = now
                err.print(f"{stage}: {completed}/{total}", highlight=False)

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

    def update(stage: str, completed: int, total: int, detail: str) -> None:
        if stage not in tasks:
            tasks[stage] = bar.add_task(stage, total=total)
        bar.update(tasks[stage], completed=completed, total=total)

    with bar, progress.reporting(update):
        yield
