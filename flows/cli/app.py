"""The ``koreawatch`` Typer app, and the one place where errors become exit codes.

Commands raise; ``KoreawatchGroup.invoke`` turns what they raise into one line on stderr and an
exit code, inside the command's own invocation, so ``CliRunner`` tests see the same codes as
a user: 0 success, 1 a problem the user can fix (``USER_ERRORS``), 2 anything else (with the
traceback under ``KOREAWATCH_DEBUG=1``), 130 Ctrl-C.
"""

from __future__ import annotations

import os
from typing import Any

import typer
from typer.core import TyperGroup

from flows.cli.console import UserError, error_line, note


def _user_errors() -> tuple[type[BaseException], ...]:
    # Imported when a command fails, so `--help` stays light.
    from flows.adapters.errors import FetchError
    from flows.adapters.mail import MailError
    from flows.config import ConfigError
    from flows.days import DayError
    from flows.digest import DigestError
    from flows.pipeline.backfill import BackfillError, BackfillIncomplete
    from flows.pipeline.evaluate import GoldenSetError
    from flows.runs import RunFailed
    from flows.serve import DeploymentFileError, ServerStartError
    from warehouse import WarehouseError

    return (
        UserError, ConfigError, WarehouseError, FetchError, MailError, DigestError, DayError,
        BackfillError, BackfillIncomplete, GoldenSetError, DeploymentFileError, ServerStartError,
        RunFailed,
    )  # fmt: skip


# The order ``--help`` lists the commands in: a newcomer's path through them.
ORDER = ("demo", "ingest", "extract", "eval", "digest", "backfill", "sql", "export", "serve",
         "feeds", "status")  # fmt: skip


class KoreawatchGroup(TyperGroup):
    def list_commands(self, ctx: Any) -> list[str]:
        names = super().list_commands(ctx)
        return sorted(names, key=lambda n: (ORDER.index(n) if n in ORDER else len(ORDER), n))

    # ``Any``: the supertype's Context is typer's vendored click one, which it does not export.
    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, typer.TyperException):  # typer's own: usage, --help
            raise
        except KeyboardInterrupt:
            note("interrupted; the next run finishes what this one started")
            raise typer.Exit(130) from None
        except Exception as exc:
            if os.environ.get("KOREAWATCH_DEBUG"):
                raise
            if isinstance(exc, _user_errors()):
                error_line(str(exc))
                raise typer.Exit(1) from None
            error_line(f"{type(exc).__name__}: {exc} (set KOREAWATCH_DEBUG=1 for the traceback)")
            raise typer.Exit(2) from None


app = typer.Typer(
    name="koreawatch",
    cls=KoreawatchGroup,
    help="News monitoring for the Korean peninsula: feeds to a DuckDB warehouse of missile-test and diplomacy events.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"koreawatch {version('koreawatch')}")
        raise typer.Exit()


@app.callback()
def _root(
    show_version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """News monitoring for the Korean peninsula: feeds to a DuckDB warehouse of missile-test
    and diplomacy events."""
