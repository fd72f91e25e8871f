"""``koreawatch extract`` and ``koreawatch eval``: the event extractor over stored articles, and
its score on the golden set."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from flows.cli.app import app
from flows.cli.console import (
    DbOption,
    LockWaitOption,
    RouteOption,
    UserError,
    choose_where,
    db_path,
    note,
    show,
)
from warehouse import Warehouse


@app.command()
def extract(
    db: DbOption = None,
    since: Annotated[
        str | None, typer.Option(help="First publication day (Korea date), e.g. 2024-10-01.")
    ] = None,
    until: Annotated[
        str | None, typer.Option(help="Last publication day (Korea date), inclusive.")
    ] = None,
    lock_wait: LockWaitOption = 120.0,
    prefect: RouteOption = None,
) -> None:
    """Re-run event extraction over stored articles and rebuild the consolidated events."""
    from flows.days import optional_day
    from flows.pipeline.extract import ExtractSummary, describe, run_reextract
    from flows.runs import writing

    start, end = optional_day(since, "--since"), optional_day(until, "--until")
    path = db_path(db)
    Warehouse(path).require()  # work on stored articles: a typo must not make a warehouse
    if choose_where(prefect):
        from flows.definitions import extract_flow

        figures = extract_flow(db_path=str(path), since=since, until=until, lock_wait_s=lock_wait)
        show(describe(ExtractSummary(**figures)))
        return
    wh = Warehouse(path, wait_s=lock_wait)
    with writing(wh, "extract", on_wait=note):
        summary = run_reextract(wh, since=start, until=end)
    show(describe(summary))


@app.command(name="eval")
def evaluate(
    golden: Annotated[
        Path | None,
        typer.Option(
            help="Directory of golden cases (*.json); a koreawatch checkout has them in tests/golden/cases.",
            show_default=False,
        ),
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="table or json")] = "table",
) -> None:
    """Score the event extractor on a golden set: precision, recall and F1 per kind and field."""
    from flows.pipeline.evaluate import format_report, run_eval

    if golden is None:
        raise UserError(
            "koreawatch eval needs --golden DIR, a directory of golden cases (*.json);"
            " a koreawatch checkout has them in tests/golden/cases"
        )
    if fmt not in ("table", "json"):
        raise UserError(f"unknown format {fmt!r}; choose table or json")
    text = format_report(run_eval(golden), fmt)
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
