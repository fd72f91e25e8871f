"""Progress reporting from inside flows to whoever started them (the CLI's progress bar).

Prefect flow parameters must be serialisable, so a callback cannot be passed in; the CLI
installs a reporter here for the life of the command instead.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

# (stage, completed, total, detail) -> None
Reporter = Callable[[str, int, int, str], None]
_reporter: Reporter | None = None


def report(stage: str, completed: int, total: int, detail: str = "") -> None:
    if _reporter is not None:
        _reporter(stage, completed, total, detail)


@contextmanager
def reporting(reporter: Reporter) -> Iterator[None]:
    global _reporter
    previous, _reporter = _reporter, reporter
    try:
        yield
    finally:
        _reporter = previous


def format_eta(seconds: float | None) -> str:
    """Time left as people say it: "40 s", "12 min", "1.5 h"."""
    if seconds is None:
        return "?"
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"
