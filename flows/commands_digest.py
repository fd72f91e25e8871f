"""``koreawatch digest``: write one day's digest and, with ``--send``, email it.

flows/cli.py calls ``register(app)``; the shared options come from ``flows.cli_support``. Nothing here imports
Prefect or matplotlib at import time, so ``koreawatch --help`` stays instant.

This module deliberately has no ``from __future__ import annotations``: the command is defined
inside ``register`` with the CLI's shared option types imported there, and typer must see the
annotations as objects, which string annotations would hide from it.
"""

from pathlib import Path
from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    """Add the ``digest`` command to ``app`` (the koreawatch CLI)."""
    from flows.cli_support import (
        DEFAULT_CONFIG,
        DEFAULT_DB,
        ConfigOption,
        DbOption,
        LockWaitOption,
        err,
        fail,
        out,
        quiet_prefect,
    )

    @app.command("digest")
    def digest_command(
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
        db: DbOption = DEFAULT_DB,
        config: ConfigOption = DEFAULT_CONFIG,
        retry_failed: Annotated[
            bool,
            typer.Option(
                "--retry-failed",
                help="With --send: also retry recipients whose address was refused (5xx) before.",
            ),
        ] = False,
        prefect: Annotated[
            bool,
            typer.Option(
                "--prefect/--no-prefect",
                help="Run as the Prefect flow 'digest' (shows in the UI, adds a Markdown artifact).",
            ),
        ] = False,
        lock_wait: LockWaitOption = 120.0,
    ) -> None:
        """Write the daily digest (HTML, text, Markdown, chart, Atom feed); --send emails it."""
        from flows.config import ConfigError, load_config
        from flows.digest import DigestError, describe, parse_day, run_digest
        from flows.mail import MailError
        from warehouse import WarehouseError

        try:
            when = parse_day(day) if day else None
            if retry_failed and not send:
                raise DigestError("--retry-failed only makes sense with --send")
            if prefect:
                quiet_prefect(False)
                from flows.digest import digest as digest_flow

                summary = digest_flow(
                    date=when.isoformat() if when else None,
                    send=send,
                    db_path=str(db),
                    config_path=str(config),
                    out_dir=str(out_dir) if out_dir else None,
                    retry_failed=retry_failed,
                )
                out.print(
                    f"digest for {summary['day']}: {', '.join(summary['files'])}", highlight=False
                )
                return
            result = run_digest(
                db_path=db,
                config=load_config(config),
                day=when,
                out_dir=out_dir,
                send=send,
                retry_failed=retry_failed,
                lock_wait_s=lock_wait,
            )
        except (ConfigError, WarehouseError, MailError, DigestError) as exc:
            fail(str(exc))
            return
        for line in describe(result):
            out.print(line, highlight=False, soft_wrap=True)
        if result.delivery is not None and result.delivery.failed:
            err.print(
                f"[red]error:[/red] digest not delivered to {len(result.delivery.failed)} recipient(s)",
                highlight=False,
            )
            raise typer.Exit(1)
