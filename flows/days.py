"""Days as users write them (``2024-10-31``), for every command and flow that takes one."""

from __future__ import annotations

from datetime import date


class DayError(ValueError):
    """A day that is not YYYY-MM-DD; the message names the option."""


# Days a news warehouse can hold; outside them a day is a typo (and 9999-12-31 has no next day,
# which every range over it needs).
EARLIEST = date(1900, 1, 1)
LATEST = date(2199, 12, 31)


def parse_day(value: str, name: str) -> date:
    """``parse_day("2024-10-31", "--since")``; DayError names ``name`` and the value."""
    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        raise DayError(f"{name} must be a day as YYYY-MM-DD, not {value!r}") from None
    if not EARLIEST <= day <= LATEST:
        raise DayError(f"{name} {value.strip()} is out of range ({EARLIEST} to {LATEST})")
    return day


def optional_day(value: str | None, name: str) -> date | None:
    """None when the option was not given; an empty value is an error, not a default."""
    return None if value is None else parse_day(value, name)
