"""The ``koreawatch`` command line. It calls the pipelines and the warehouse; nothing imports it.

Every command is registered the same way, ``@app.command()`` in its module, which this package
imports; ``flows.cli.app.ORDER`` is the order ``--help`` lists them in. Commands that do not
run a flow (``sql``, ``feeds``, ``status``, ``export``, ``--help``, ``--version``) never import
Prefect, so they answer at once.
"""

from __future__ import annotations

from flows.cli import digest, events, ingest, ops, query  # noqa: F401 - registers the commands
from flows.cli.app import app

__all__ = ["app", "main"]


def main() -> None:
    """The console script ``koreawatch``."""
    app()
