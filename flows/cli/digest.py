"""``koreawatch digest``: write one day's digest and, with ``--send``, email it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from flows.cli.app import app
from flows.cli.console import (
    ConfigOption,
    DbOption,
    LockWaitOption,
    RouteOption,
    UserError,
    choose_where,
    config_path,
    db_path,
    error_line,
    show,
)


@app.command()
def digest(
    day: Annotated[
        str | None,
        typer.Option(
            "--date",
            help="Day to digest, YYYY-MM-DD, a calendar day in the config's digest.timezone (default: yesterday there).",
            show_default=False,
        ),
    ] = None,
    send: Annotated[
        bool,
        typer.Option(
            "--send",
            help="Email it to the config's digest.recipients via KOREAWATCH_SMTP_*; each gets a day's digest once.",
        ),
    ] = False,
    out_dir: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Directory for YYYY-MM-DD.{html,txt,md,png} and digests.atom (default: KOREAWATCH_DIGEST_DIR or data/digests).",
            show_default=False,
        ),
    ] = None,
    db: DbOption = None,
    config: ConfigOption = None,
    retry_failed: Annotated[
        bool,
        typer.Option(
            "--retry-failed",
            help="With --send: also retry recipients whose address was refused (5xx) before.",
        ),
    ] = False,
    prefect: RouteOption = None,
    lock_wait: LockWaitOption = 120.0,
) -> None:
    """Write the daily digest (HTML, text, Markdown, chart, Atom feed); --send emails it."""
    from flows.config import load_config
    from flows.days import optional_day
    from flows.digest import describe, run_digest

    when = optional_day(day, "--date")
    if retry_failed and not send:
        raise UserError("--retry-failed only makes sense with --send")
    config_file, db_file = config_path(config), db_path(db)
    if choose_where(prefect):
        from flows.definitions import digest_flow

        summary = digest_flow(
            date=when.isoformat() if when else None, send=send, db_path=str(db_file),
            config_path=str(config_file), out_dir=str(out_dir) if out_dir else None,
            retry_failed=retry_failed, lock_wait_s=lock_wait,
        )  # fmt: skip
        show(f"digest for {summary['day']}: {', '.join(summary['files'])}")
        return
    result = run_digest(
        db_path=db_file, config=load_config(config_file), day=when, out_dir=out_dir, send=send,
        retry_failed=retry_failed, lock_wait_s=lock_wait,
    )  # fmt: skip
    for line in describe(result):
        show(line)
    if result.delivery is not None and result.delivery.failed:
        error_line(f"digest not delivered to {len(result.delivery.failed)} recipient(s)")
        raise typer.Exit(1)
