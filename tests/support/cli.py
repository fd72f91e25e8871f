"""Running ``koreawatch``: in-process with typer's ``CliRunner`` (most tests), or as the
installed console script (one smoke test, and tests that kill or time a real process)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from typer.testing import CliRunner, Result

from flows.cli import app

ROOT = Path(__file__).resolve().parents[2]


def invoke(*args: str) -> Result:
    """``koreawatch ARGS`` in this process; stdout and stderr apart, exit code as a user sees it."""
    return CliRunner().invoke(app, list(args))


# The line a one-off command starts with when it chose where to run (flows.route).
ROUTE_LINES = ("no Prefect server reachable: ", "no Prefect server answers at ",
               "running as a Prefect flow run on ")  # fmt: skip


def said(result: Result | subprocess.CompletedProcess[str]) -> list[str]:
    """The lines on stderr, less the one that says where the command ran."""
    lines = result.stderr.strip().splitlines()
    return lines[1:] if lines and lines[0].startswith(ROUTE_LINES) else lines


def invoke_json(*args: str) -> Any:
    """``koreawatch ARGS --format json``, parsed; fails the test on a non-zero exit."""
    result = invoke(*args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def console_script() -> list[str]:
    """The installed ``koreawatch`` (beside this interpreter), else ``python -c`` its entry."""
    script = Path(sys.executable).parent / "koreawatch"
    if script.exists():
        return [str(script)]
    found = shutil.which("koreawatch")
    return [found] if found else [sys.executable, "-c", "from flows.cli import main; main()"]


def koreawatch(
    *args: str, timeout: float = 300, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``koreawatch ARGS`` as a user runs it: a process of its own, stdout not a terminal."""
    return subprocess.run(
        [*console_script(), *args],
        capture_output=True, text=True, timeout=timeout, cwd=ROOT,
        env={**os.environ, "COLUMNS": "200", **(env or {})},
    )  # fmt: skip
