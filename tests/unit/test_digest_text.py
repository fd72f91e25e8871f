"""The digest's pure parts: the day's window, and untrusted text made inert."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from flows.digest.safety import clean, md_escape, safe_url
from tests.support.scenario import DAY
from warehouse.digest import day_window


def test_day_window_is_a_korean_calendar_day() -> None:
    start, end = day_window(DAY, ZoneInfo("Asia/Seoul"))
    assert start == datetime(2023, 7, 11, 15, tzinfo=UTC)
    assert end - start == timedelta(hours=24)
    # Across a DST change the day is 23 hours long, not 24.
    start, end = day_window(date(2024, 3, 10), ZoneInfo("America/New_York"))
    assert end - start == timedelta(hours=23)


def test_helpers_keep_untrusted_text_inert() -> None:
    assert safe_url("https://a.example/x?q=(1)") == "https://a.example/x?q=%281%29"
    for bad in ("javascript:alert(1)", "data:text/html,x", "//a.example", "http://", "ftp://a.example/",
                "https://a.example/\nx", None, ""):  # fmt: skip
        assert safe_url(bad) is None, bad
    assert clean("a\u202eb\r\nc\x1b[31m") == "a b c [31m"
    assert md_escape("[x](javascript:1) <b>") == "\\[x\\](javascript:1) &lt;b&gt;"
    assert md_escape("1. not a list") == "1\\. not a list"
    assert md_escape("# not a heading") == "\\# not a heading"


def test_a_diplomacy_event_told_without_its_day_shows_the_day_it_was_reported() -> None:
    from flows.digest.view import _diplomacy_view
    from warehouse.digest import DiplomacyEvent

    event = DiplomacyEvent(
        "e1", date(2024, 6, 19), "reported", "summit", ("PRK", "RUS"), (), None, "", 2, 2,
        None, 0.8, True,
    )  # fmt: skip
    view = _diplomacy_view(event, ZoneInfo("Asia/Seoul"))
    assert view.day == "reported Wed 19 Jun 2024"
