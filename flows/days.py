"""Days as users write them (``2024-10-31``), for every command and flow that takes one."""

from __future__ import annotations

from datetime import date


class DayError(ValueError):
    """A day that is not YYYY-MM-DD; the message names the option."""


def parse_day(value: str, name: str) -> date:
    """``parse_day("2024-10-31", "--since")``; DayError names ``name`` and the value."""
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise DayError(f"{name} must be a day as YYYY-MM-DD, not {value!r}") from None


def optional_day(value: str | None, name: str) -> date | None:
    return None if value is None or not value.strip() else parse_day(value, name)
