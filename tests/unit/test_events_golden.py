"""The quality gate: extraction over the golden set must not fall below the pinned floors.

Floors live in tests/golden/floors.json (measured figures minus a small margin); raise them when
the extractor gets better, never lower them to make a change pass.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from flows.pipeline.evaluate import format_report, run_eval

DEFAULT_GOLDEN_DIR = Path(__file__).parents[1] / "golden" / "cases"
FLOORS = Path(__file__).parents[1] / "golden" / "floors.json"


@pytest.fixture(scope="module")
def report():  # type: ignore[no-untyped-def]
    return run_eval(DEFAULT_GOLDEN_DIR)


def test_golden_metrics_stay_above_their_floors(report) -> None:  # type: ignore[no-untyped-def]
    floors = json.loads(FLOORS.read_text(encoding="utf-8"))["floors"]
    metrics = report.metrics()
    missing = sorted(set(floors) - set(metrics))
    assert not missing, f"metrics pinned in floors.json but not measured: {missing}"
    below = {
        name: (metrics[name], floor) for name, floor in floors.items() if metrics[name] < floor
    }
    assert not below, (
        "below floor (measured, floor): "
        + json.dumps(below)
        + "\n"
        + format_report(report, "table")
    )


def test_every_event_kind_and_field_has_a_floor(report) -> None:  # type: ignore[no-untyped-def]
    floors = json.loads(FLOORS.read_text(encoding="utf-8"))["floors"]
    for name in report.metrics():
        assert name in floors, f"{name} has no floor in floors.json"


def test_report_formats(report) -> None:  # type: ignore[no-untyped-def]
    table = format_report(report, "table")
    assert "missile_test" in table and "diplomacy" in table
    data = json.loads(format_report(report, "json"))
    assert data["cases"] == report.cases >= 60
    assert set(data["kinds"]) == {"missile_test", "diplomacy"}
    with pytest.raises(ValueError, match="unknown format"):
        format_report(report, "xml")
