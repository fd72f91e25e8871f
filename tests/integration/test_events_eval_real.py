"""scripts/eval_real.py on a tiny labelled set of our own: the figures it prints, one row, and its
refusal of a CSV that is not the one the labels were made from. (The real dev set stays outside
the repository; this checks the loop, not the extractor.)"""

from __future__ import annotations

import csv
import hashlib
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "eval_real.py"

ROWS = [
    ("2017-05-21", "North Korea fired a Pukguksong-2 from near Pukchang; it flew about 500 km."),
    ("2019-05-09", "North Korea fired two short-range ballistic missiles from near Kusong."),
    ("2020-06-16", "North Korea blew up the liaison office in Kaesong."),
    ("2021-01-05", "A North Korean drone crossed the border and flew back."),
]


def launch(day: str, **fields: object) -> dict[str, object]:
    base: dict[str, object] = {
        "primary": True, "date": day, "date_precision": "day", "class": None,
        "class_stated": False, "range_stated": None, "designation": None, "names": [],
        "count": None, "distance_km": None, "apogee_km": None, "outcome": None, "site": None,
    }  # fmt: skip
    base.update(fields)
    return base


LABELS = [
    [
        launch(
            "2017-05-21",
            **{
                "class": "MRBM",
                "designation": "Pukguksong-2",
                "names": ["Pukguksong-2"],
                "count": 1,
                "distance_km": 500,
                "site": "Pukchang",
            },
        )
    ],
    # the site is labelled Sukchon on purpose, so that one field is wrong
    [launch("2019-05-09", **{"class": "SRBM", "count": 2, "site": "Sukchon"})],
    [],
    [],
]


def write_set(tmp_path: Path, rows: list[tuple[str, str]]) -> tuple[Path, Path]:
    data = tmp_path / "dev.csv"
    with data.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["date", "type", "event", "description"])
        for day, text in rows:
            writer.writerow([day, "Provocation", "title", text])
    labels = tmp_path / "labels.jsonl"
    lines = []
    for n, ((day, text), launches) in enumerate(zip(ROWS, LABELS, strict=True)):
        digest = hashlib.sha1(text.encode("utf-8"), usedforsecurity=False).hexdigest()[:12]
        lines.append(
            json.dumps(
                {
                    "row": n,
                    "csv_date": day,
                    "sha1": digest,
                    "is_launch": bool(launches),
                    "what": "launch" if launches else "other",
                    "launches": launches,
                }
            )
        )
    labels.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return data, labels


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *map(str, args)],
        capture_output=True, text=True, timeout=120, cwd=ROOT,
    )  # fmt: skip


def test_figures_of_a_small_labelled_set(tmp_path: Path) -> None:
    data, labels = write_set(tmp_path, ROWS)
    result = run(data, "--labels", labels, "--json")
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    assert (figures["launch_recall"], figures["precision"]) == (1.0, 1.0)
    assert figures["fields"]["count"] == {"right": 2, "labelled": 2, "accuracy": 1.0}
    assert figures["fields"]["distance_km"]["accuracy"] == 1.0
    assert figures["fields"]["site"] == {"right": 1, "labelled": 2, "accuracy": 0.5}
    assert figures["events_from_non_launch_rows"] == []
    worst = figures["worst_rows"][0]
    assert worst["row"] == 1 and any("site" in p for p in worst["problems"])


def test_one_row_shows_labels_mentions_and_events(tmp_path: Path) -> None:
    data, labels = write_set(tmp_path, ROWS)
    result = run(data, "--labels", labels, "--row", "0")
    assert result.returncode == 0, result.stderr
    assert "Pukguksong-2" in result.stdout and "reported" in result.stdout
    assert "events holding them" in result.stdout


def test_a_csv_that_does_not_match_the_labels_is_refused(tmp_path: Path) -> None:
    changed = [*ROWS[:2], ("2020-06-16", "A different paragraph."), ROWS[3]]
    data, labels = write_set(tmp_path, changed)
    result = run(data, "--labels", labels)
    assert result.returncode == 2
    assert (
        "eval-real: 1 row(s) do not match their label's sha1 (first: 2):"
        " this is not the CSV the labels were made from"
    ) in result.stderr.splitlines()
    short = tmp_path / "short.csv"
    short.write_text("date,type,event,description\n", encoding="utf-8")
    result = run(short, "--labels", labels)
    assert result.returncode == 2 and "0 rows" in result.stderr
