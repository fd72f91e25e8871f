#!/usr/bin/env python3
"""Score the missile-test extractor on real, labelled paragraphs (a development loop, not a test).

    python3 scripts/dev.py eval-real PATH/TO/csis_provocations_dev.csv
    python3 scripts/dev.py eval-real PATH.csv --row 89        # what the extractor did on one row
    python3 scripts/dev.py eval-real PATH.csv --worst 20 --json
    python3 scripts/dev.py eval-real PATH/TO/north_korea_missile_test_database.csv   # the CNS set

Two labelled sets are known, told apart by the CSV's header: the CSIS provocations paragraphs
(labels `csis_dev_labels.jsonl`) and the CNS missile-test database's launch-day descriptions
(labels `cns_dev_labels.jsonl`; the database's cp1252 CSV, one text per launch day from 2016 on:
the longest "Additional Information" of the day, when over 80 characters, published at noon on
the label's `korea_date`).

Each CSV row (columns date, type, event, description) becomes one article whose text is the
description, published at 12:00 Korea time on the row's date: the database dates a launch by its
Korea day, launches are mostly in the morning, and a noon publication keeps "on Tuesday" and an
undated lede (a `reported` date) on that same day. The articles go through the real extractor and
are consolidated all together, as a warehouse would consolidate them. The labels
(scripts/real_text/csis_dev_labels.jsonl, schema in scripts/real_text/README.md) are facts read
from each paragraph; a CSV whose rows do not hash to the labels' sha1 is refused.

Matching: an event matches a labelled launch when one of its mentions comes from the launch's row
and its date is the launch's (a day label: the same day, with precision `day` or `reported`; a
month label: the same month). Pairs are one to one, best first (primary launches, then equal
designations, then equal classes). Reported figures:

- launch recall: primary launches paired / primary launches;
- precision: paired events / all missile events (and among events not marked low confidence);
- field accuracy over the labelled non-null values of paired launches (class: SRBM is accepted for
  a null class with `range_stated: short`; outcome `partial`: success or failure; a [lo, hi]
  range: any value inside; distances and apogees within 5 % or 1 km; counts exact);
- invented values: predicted non-null where the label is null, over all labelled nulls;
- missile events from rows that are no launch, and the rows with most problems.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import re
import sys
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a file: the project's packages sit one level up
    sys.path.insert(0, str(ROOT))

from extractors.events import MissileTestMention, extract_mentions  # noqa: E402
from extractors.events.consolidate import (  # noqa: E402
    ArticleMeta,
    MissileTestEvent,
    consolidate_events,
)
from extractors.events.dates import KST  # noqa: E402
from extractors.events.domain import load_domain  # noqa: E402
from extractors.quality import assess_article  # noqa: E402
from extractors.records import ArticleText  # noqa: E402

LABELS_DIR = ROOT / "scripts" / "real_text"
DEFAULT_LABELS = LABELS_DIR / "csis_dev_labels.jsonl"
CNS_LABELS = LABELS_DIR / "cns_dev_labels.jsonl"
CNS_TEXT = "Additional Information"
CNS_FIRST_YEAR = 2016
CNS_MIN_CHARS = 80
FIELDS = ("class", "designation", "count", "distance_km", "apogee_km", "outcome", "site")
# label field -> event attribute
EVENT_FIELD = {
    "class": "missile_class", "designation": "designation", "count": "num_missiles",
    "distance_km": "distance_km", "apogee_km": "apogee_km", "outcome": "outcome",
    "site": "launch_site",
}  # fmt: skip
PUBLISHED_AT = time(12, 0)
SOURCE = "CSIS dev set"


class LabelMismatch(Exception):
    """The CSV is not the one the labels were made from (row count or a sha1 differs)."""


@dataclass(frozen=True)
class Row:
    index: int
    day: date
    description: str


@dataclass
class Launch:
    row: int
    n: int  # position among the row's launches
    label: Mapping[str, Any]

    @property
    def primary(self) -> bool:
        return bool(self.label.get("primary"))

    @property
    def day(self) -> date:
        return date.fromisoformat(self.label["date"])


@dataclass
class RowReport:
    row: int
    problems: list[str] = field(default_factory=list)


# -- loading ---------------------------------------------------------------------------------


def sha1_12(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8"), usedforsecurity=False).hexdigest()[:12]


def load_rows(path: Path) -> list[Row]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            Row(n, date.fromisoformat(r["date"]), r["description"])
            for n, r in enumerate(csv.DictReader(handle))
        ]


def is_cns(path: Path) -> bool:
    with path.open(encoding="cp1252", newline="") as handle:
        return CNS_TEXT in next(csv.reader(handle), [])


def load_cns_rows(path: Path, labels: Sequence[Mapping[str, Any]]) -> list[Row]:
    """One text per launch day of the CNS database (see the module's docstring), dated by the
    label's Korea day; the label check below still compares every text's sha1."""
    days: dict[str, list[str]] = {}
    with path.open(encoding="cp1252", newline="") as handle:
        for record in csv.DictReader(handle):
            days.setdefault(record["Date"], []).append(record[CNS_TEXT])
    texts = []
    for key, found in days.items():
        try:
            day = datetime.strptime(key, "%d-%b-%y").date()
        except ValueError:  # month-only dates of the 1980s and 1990s
            continue
        text = max(found, key=len).strip()
        if day.year >= CNS_FIRST_YEAR and len(text) > CNS_MIN_CHARS:
            texts.append(text)
    korea_days = [date.fromisoformat(label["korea_date"]) for label in labels]
    if len(texts) != len(korea_days):
        raise LabelMismatch(
            f"the CSV has {len(texts)} launch-day texts but there are {len(labels)} labels"
        )
    return [Row(n, day, text) for n, (day, text) in enumerate(zip(korea_days, texts, strict=True))]


def load_labels(path: Path) -> list[dict[str, Any]]:
    labels = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    for label in labels:
        label.setdefault("row", label.get("item"))
    return labels


def check_alignment(rows: Sequence[Row], labels: Sequence[Mapping[str, Any]]) -> None:
    if len(rows) != len(labels):
        raise LabelMismatch(f"the CSV has {len(rows)} rows but there are {len(labels)} labels")
    bad = [
        label["row"]
        for row, label in zip(rows, labels, strict=True)
        if label["row"] != row.index or label["sha1"] != sha1_12(row.description)
    ]
    if bad:
        shown = ", ".join(str(b) for b in bad[:10])
        raise LabelMismatch(
            f"{len(bad)} row(s) do not match their label's sha1 (first: {shown}):"
            " this is not the CSV the labels were made from"
        )


def article_of(row: Row) -> ArticleText:
    return ArticleText(
        article_id=f"row-{row.index:03d}",
        url=f"https://dev.invalid/real-text/{row.index}",
        source=SOURCE,
        title="",
        text=row.description,
        published_at=datetime.combine(row.day, PUBLISHED_AT, tzinfo=KST),
        language="en",
    )


def row_of(article_id: str) -> int:
    return int(article_id.rsplit("-", 1)[1])


# -- comparing values ------------------------------------------------------------------------


def _norm(text: str) -> str:
    text = re.sub(r"\b(?:province|area|county|city|the|its|of)\b", " ", text.lower())
    return re.sub(r"[\s\-'’.,()]+", "", text)


def canonical_designations(label: Mapping[str, Any]) -> set[str]:
    """The label's designation and names, as the gazetteer's canonical values where it knows them
    and normalised text where it does not."""
    domain = load_domain()
    out: set[str] = set()
    for name in [label.get("designation"), *(label.get("names") or [])]:
        if not name:
            continue
        found = domain.designations.find(name)
        out.add(found[0].value if found else _norm(name))
    return out


def canonical_sites(site: str) -> set[str]:
    domain = load_domain()
    out = set()
    for part in re.split(r",|\band\b", site):
        if not part.strip():
            continue
        found = domain.site_names.find(part.strip())
        out.add(_norm(found[0].value) if found else _norm(part))
    return out


def _number_ok(predicted: float, wanted: object, *, exact: bool) -> bool:
    if isinstance(wanted, list):
        lo, hi = wanted
        return bool(lo <= predicted <= hi)
    assert isinstance(wanted, (int, float))
    if exact:
        return predicted == wanted
    return abs(predicted - wanted) <= max(0.05 * abs(wanted), 1.0)


def predicted_value(event: MissileTestEvent, name: str) -> object:
    value = getattr(event, EVENT_FIELD[name])
    if name in ("class", "outcome") and value == "unknown":
        return None
    return value


def field_verdict(name: str, predicted: object, label: Mapping[str, Any]) -> str | None:
    """'right', 'wrong' (labelled, not matched), 'invented' (label null, predicted), or None."""
    wanted = label.get(name)
    if wanted is None:
        if predicted is None:
            return None
        if name == "class" and label.get("range_stated") == "short" and predicted == "SRBM":
            return None  # "two short-range missiles": SRBM is a fair reading
        return "invented"
    if predicted is None:
        return "wrong"
    ok: bool
    if name == "class":
        ok = predicted == wanted
    elif name == "designation":
        ok = str(predicted) in canonical_designations(label) or _norm(str(predicted)) in {
            _norm(n) for n in [wanted, *(label.get("names") or [])]
        }
    elif name in ("count", "distance_km", "apogee_km"):
        assert isinstance(predicted, (int, float))
        ok = _number_ok(float(predicted), wanted, exact=name == "count")
    elif name == "outcome":
        ok = predicted in (("success", "failure") if wanted == "partial" else (wanted,))
    else:  # site
        ok = _norm(str(predicted)) in canonical_sites(str(wanted))
    return "right" if ok else "wrong"


# -- matching --------------------------------------------------------------------------------


def date_matches(event: MissileTestEvent, launch: Launch) -> bool:
    if event.event_date is None:
        return False
    precision = launch.label.get("date_precision", "day")
    if precision == "month":
        return (event.event_date.year, event.event_date.month) == (
            launch.day.year,
            launch.day.month,
        )
    if precision == "year":
        return event.event_date.year == launch.day.year
    return event.event_date == launch.day and event.date_precision in ("day", "reported")


def pair_events(
    events: Sequence[MissileTestEvent],
    event_rows: Mapping[str, set[int]],
    launches: Mapping[int, list[Launch]],
) -> list[tuple[MissileTestEvent, Launch]]:
    options: list[tuple[tuple[int, ...], int, int, MissileTestEvent, Launch]] = []
    for i, event in enumerate(events):
        for row in sorted(event_rows[event.event_id]):
            for launch in launches.get(row, []):
                if not date_matches(event, launch):
                    continue
                designation = field_verdict("designation", event.designation, launch.label)
                cls = field_verdict("class", predicted_value(event, "class"), launch.label)
                score = (int(launch.primary), int(designation == "right"), int(cls == "right"))
                options.append((score, i, launch.row * 100 + launch.n, event, launch))
    options.sort(key=lambda o: (tuple(-s for s in o[0]), o[1], o[2]))
    used_events: set[int] = set()
    used_launches: set[int] = set()
    pairs = []
    for _score, i, key, event, launch in options:
        if i not in used_events and key not in used_launches:
            used_events.add(i)
            used_launches.add(key)
            pairs.append((event, launch))
    return pairs


# -- the run ---------------------------------------------------------------------------------


@dataclass
class Run:
    rows: list[Row]
    labels: list[dict[str, Any]]
    mentions: dict[int, list[MissileTestMention]]
    events: list[MissileTestEvent]
    event_rows: dict[str, set[int]]


def extract_all(rows: Sequence[Row], labels: list[dict[str, Any]]) -> Run:
    articles = [article_of(r) for r in rows]
    mentions: list[MissileTestMention] = []
    metas: dict[str, ArticleMeta] = {}
    for article in articles:
        found = [m for m in extract_mentions(article) if isinstance(m, MissileTestMention)]
        mentions.extend(found)
        flags = assess_article(article).flags
        metas[article.article_id] = ArticleMeta(
            article.article_id, article.source, article.published_at, None, flags
        )
    result = consolidate_events(mentions, metas)
    by_id = {m.mention_id: m for m in mentions}
    events = [e for e in result.events if isinstance(e, MissileTestEvent)]
    event_rows = {
        e.event_id: {row_of(by_id[mid].article_id) for mid in e.mention_ids} for e in events
    }
    per_row: dict[int, list[MissileTestMention]] = {}
    for m in mentions:
        per_row.setdefault(row_of(m.article_id), []).append(m)
    return Run(list(rows), labels, per_row, events, event_rows)


def restrict(run: Run, keep: set[int]) -> Run:
    """The run as if only the rows in ``keep`` existed (articles were consolidated together,
    so an event is kept when any of its rows is)."""
    events = [e for e in run.events if run.event_rows[e.event_id] & keep]
    return Run(
        [r for r in run.rows if r.index in keep],
        [label for label in run.labels if label["row"] in keep],
        {n: m for n, m in run.mentions.items() if n in keep},
        events,
        {e.event_id: run.event_rows[e.event_id] & keep for e in events},
    )


def score(run: Run) -> dict[str, Any]:
    launches: dict[int, list[Launch]] = {}
    for label in run.labels:
        for n, launch in enumerate(label["launches"]):
            launches.setdefault(label["row"], []).append(Launch(label["row"], n, launch))
    pairs = pair_events(run.events, run.event_rows, launches)
    paired_events = {e.event_id for e, _ in pairs}
    reports = {r.index: RowReport(r.index) for r in run.rows}
    primary = [launch for ls in launches.values() for launch in ls if launch.primary]
    found_primary = {(launch.row, launch.n) for _, launch in pairs if launch.primary}
    for launch in primary:
        if (launch.row, launch.n) not in found_primary:
            reports[launch.row].problems.append(
                f"missed launch {launch.label['date']} {launch.label.get('designation') or launch.label.get('class') or ''}".rstrip()
            )
    confident = [e for e in run.events if not e.support.low_confidence]
    right: Counter[str] = Counter()
    labelled: Counter[str] = Counter()
    invented: Counter[str] = Counter()
    nulls: Counter[str] = Counter()
    for event, launch in pairs:
        for name in FIELDS:
            verdict = field_verdict(name, predicted_value(event, name), launch.label)
            if launch.label.get(name) is None:
                nulls[name] += 1
            else:
                labelled[name] += 1
            if verdict == "right":
                right[name] += 1
            elif verdict == "wrong":
                reports[launch.row].problems.append(
                    f"{name}: {predicted_value(event, name)!r}, labelled {launch.label.get(name)!r}"
                )
            elif verdict == "invented":
                invented[name] += 1
                reports[launch.row].problems.append(
                    f"{name}: invented {predicted_value(event, name)!r}"
                )
    is_launch = {label["row"]: bool(label["is_launch"]) for label in run.labels}
    from_non_launch = []
    for event in run.events:
        if event.event_id in paired_events:
            continue
        rows = sorted(run.event_rows[event.event_id])
        for row in rows:
            reports[row].problems.append(
                f"extra event {event.event_date} ({event.date_precision}) "
                f"{event.designation or event.missile_class}"
            )
        if not any(is_launch[row] for row in rows):
            from_non_launch.append(
                {
                    "rows": rows,
                    "event_date": str(event.event_date),
                    "date_precision": event.date_precision,
                    "what": event.designation or event.missile_class,
                    "low_confidence": event.support.low_confidence,
                }
            )

    def ratio(a: int, b: int) -> float:
        return round(a / b, 4) if b else 1.0

    fields = {
        name: {
            "right": right[name],
            "labelled": labelled[name],
            "accuracy": ratio(right[name], labelled[name]),
        }
        for name in FIELDS
    }
    paired_confident = sum(1 for e in confident if e.event_id in paired_events)
    return {
        "rows": len(run.rows),
        "primary_launches": len(primary),
        "launch_recall": ratio(len(found_primary), len(primary)),
        "launches_found": len(found_primary),
        "missile_events": len(run.events),
        "precision": ratio(len(paired_events), len(run.events)),
        "confident_events": len(confident),
        "precision_confident": ratio(paired_confident, len(confident)),
        "fields": fields,
        "invented": {
            "count": sum(invented.values()),
            "of_nulls": sum(nulls.values()),
            "rate": ratio(sum(invented.values()), sum(nulls.values())),
            "by_field": dict(invented),
        },
        "events_from_non_launch_rows": from_non_launch,
        "worst_rows": sorted(
            ({"row": r.row, "problems": r.problems} for r in reports.values() if r.problems),
            key=lambda r: (-len(r["problems"]), r["row"]),
        ),
    }


# -- output ----------------------------------------------------------------------------------


def print_summary(result: Mapping[str, Any], rows: Sequence[Row], worst: int) -> None:
    print(
        f"{result['rows']} rows, {result['primary_launches']} primary launches, "
        f"{result['missile_events']} missile events ({result['confident_events']} not low confidence)"
    )
    print(f"launch recall     {result['launch_recall']:.3f}  ({result['launches_found']} found)")
    print(f"precision         {result['precision']:.3f}")
    print(f"precision (conf.) {result['precision_confident']:.3f}")
    for name, f in result["fields"].items():
        print(f"{name:<17} {f['accuracy']:.3f}  ({f['right']}/{f['labelled']})")
    inv = result["invented"]
    by_field = ", ".join(f"{k} {v}" for k, v in sorted(inv["by_field"].items()))
    print(
        f"invented          {inv['rate']:.3f}  ({inv['count']}/{inv['of_nulls']}: {by_field or '-'})"
    )
    non_launch = result["events_from_non_launch_rows"]
    print(f"events from non-launch rows: {len(non_launch)}")
    for e in non_launch:
        print(f"  rows {e['rows']}: {e['event_date']} ({e['date_precision']}) {e['what']}")
    if worst:
        print(f"\nworst rows (up to {worst}):")
        for r in result["worst_rows"][:worst]:
            print(f"- row {r['row']} ({rows[r['row']].day}): {rows[r['row']].description}")
            for p in r["problems"]:
                print(f"    {p}")


def print_row(run: Run, n: int) -> None:
    # by row index: a split keeps only some rows, so a position in run.rows is not the index
    row = next(r for r in run.rows if r.index == n)
    label = next(label for label in run.labels if label["row"] == n)
    print(f"row {n}, {row.day}: {row.description}\n")
    print("labels:", json.dumps({k: v for k, v in label.items() if k != "sha1"}, indent=1))
    print("\nmentions:")
    for m in run.mentions.get(n, []):
        shown = {
            k: getattr(m, k)
            for k in (
                "event_date", "date_precision", "missile_class", "designation", "num_missiles",
                "launch_site", "distance_km", "apogee_km", "outcome", "overseen_by",
                "reported_by", "background",
            )
        }  # fmt: skip
        print(f"- {m.mention_id} {shown}\n  evidence: {m.evidence!r}")
    ids = {m.mention_id for m in run.mentions.get(n, [])}
    print("\nevents holding them:")
    for e in run.events:
        if ids & set(e.mention_ids):
            print(
                f"- {e.event_id} {e.event_date} ({e.date_precision}) {e.missile_class} "
                f"{e.designation} n={e.num_missiles} site={e.launch_site} d={e.distance_km} "
                f"apogee={e.apogee_km} {e.outcome} rows={sorted(run.event_rows[e.event_id])} "
                f"low={e.support.low_confidence}"
            )


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("csv", type=Path, help="the real-text CSV (date,type,event,description)")
    parser.add_argument(
        "--labels", type=Path, help="labels (JSON lines); default: by the CSV's kind"
    )
    parser.add_argument("--row", type=int, help="show what the extractor did on this row")
    parser.add_argument("--worst", type=int, default=15, help="rows with most problems to show")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument(
        "--split",
        choices=("all", "dev", "holdout"),
        default="all",
        help="score the even rows (dev), or only the figures of the odd rows (holdout, no rows shown)",
    )
    args = parser.parse_args(list(argv) if argv is not None else None)
    try:
        cns = is_cns(args.csv)
        labels = load_labels(args.labels or (CNS_LABELS if cns else DEFAULT_LABELS))
        rows = load_cns_rows(args.csv, labels) if cns else load_rows(args.csv)
        check_alignment(rows, labels)
    except (OSError, ValueError, KeyError) as exc:
        print(f"eval-real: {exc}", file=sys.stderr)
        return 2
    except LabelMismatch as exc:
        print(f"eval-real: {exc}", file=sys.stderr)
        return 2
    run = extract_all(rows, labels)
    if args.split != "all":
        keep = 0 if args.split == "dev" else 1
        run = restrict(run, {r.index for r in rows if r.index % 2 == keep})
        if args.split == "holdout":
            # held out: figures to check that a change generalises, never rows to tune on
            args.worst, args.row = 0, None
    if args.row is not None:
        if args.row not in {r.index for r in run.rows}:
            print(f"eval-real: no row {args.row} in this split", file=sys.stderr)
            return 2
        print_row(run, args.row)
        return 0
    result = score(run)
    if args.split == "holdout":
        result.pop("worst_rows")  # figures only, with --json too
    if args.json:
        print(json.dumps(result, indent=1, default=str))
    else:
        print_summary(result, rows, args.worst)
    return 0


if __name__ == "__main__":
    sys.exit(main())
