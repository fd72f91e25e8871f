"""The diplomacy golden cases 130-189 and 240-279 are well formed: every key present, evidence quoted
exactly from the text, values from the vocabularies, lists sorted, tags from the README's table."""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from extractors.vocabulary import DATE_PRECISIONS, DIPLOMACY_TYPES

CASES = Path(__file__).parents[1] / "golden" / "cases"
README = Path(__file__).parents[1] / "golden" / "README.md"
DIPLOMACY_CASES = sorted(p for p in CASES.glob("*.json") if 130 <= int(p.name[:3]) <= 189)
# 240-279: wire copy of 2016 and KCNA's English of 2024 (a few also report a launch)
REAL_PHRASING_CASES = sorted(p for p in CASES.glob("*.json") if 240 <= int(p.name[:3]) <= 279)
KEYS = {"event_date", "date_precision", "event_type", "actors", "persons", "location", "evidence"}
STYLES = {"news", "opinion", "analysis"}


def _tags_in_readme() -> set[str]:
    """The tags of the README's table: "| news / opinion / analysis | genre ... |" gives three."""
    rows = re.findall(r"^\| ([a-z_]+(?: / [a-z_]+)*) \|", README.read_text("utf-8"), re.M)
    return {tag for row in rows for tag in row.split(" / ")}


def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return data


def test_sixty_cases_numbered_130_to_189() -> None:
    assert [int(p.name[:3]) for p in DIPLOMACY_CASES] == list(range(130, 190))


def test_forty_cases_numbered_240_to_279() -> None:
    assert [int(p.name[:3]) for p in REAL_PHRASING_CASES] == list(range(240, 280))


@pytest.mark.parametrize("path", REAL_PHRASING_CASES, ids=lambda p: p.stem)
def test_a_real_phrasing_case_is_well_formed(path: Path) -> None:
    case = _load(path)
    assert case["id"] == path.stem
    datetime.fromisoformat(case["published_at"])
    tags = set(case["tags"])
    assert tags & STYLES and tags <= _tags_in_readme()
    expected = case["expected"]
    events = [*expected["missile_tests"], *expected["diplomacy_events"]]
    assert ("hard_negative" in tags) == (events == [])
    assert ("multi_event" in tags) == (len(events) > 1)
    for event in expected["diplomacy_events"]:
        assert set(event) == KEYS
        assert event["evidence"] in case["text"]
        assert event["event_type"] in DIPLOMACY_TYPES
        assert event["actors"] == sorted(event["actors"])
        assert event["persons"] == sorted(event["persons"])
    for launch in expected["missile_tests"]:
        assert launch["evidence"] in case["text"]
    assert case.get("notes")


@pytest.mark.parametrize("path", DIPLOMACY_CASES, ids=lambda p: p.stem)
def test_a_case_is_well_formed(path: Path) -> None:
    case = _load(path)
    assert case["id"] == path.stem
    datetime.fromisoformat(case["published_at"])
    tags = set(case["tags"])
    assert tags & STYLES and tags <= _tags_in_readme()
    assert case["expected"]["missile_tests"] == []
    events = case["expected"]["diplomacy_events"]
    assert ("hard_negative" in tags) == (events == [])
    assert ("multi_event" in tags) == (len(events) > 1)
    for event in events:
        assert set(event) == KEYS
        assert event["evidence"] in case["text"]
        assert event["event_type"] in DIPLOMACY_TYPES
        assert event["date_precision"] in DATE_PRECISIONS
        date.fromisoformat(event["event_date"])
        assert event["actors"] == sorted(event["actors"]) and event["persons"] == sorted(
            event["persons"]
        )
    assert case.get("notes")
