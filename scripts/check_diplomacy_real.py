#!/usr/bin/env python3
"""Diplomacy on real text that is about something else: every diplomacy event the extractor makes
from real paragraphs about launches and provocations, with the sentences behind it (a development
loop, not a test: the CSVs are not in the repository).

    python3 scripts/check_diplomacy_real.py PATH/TO/csis_provocations_dev.csv
    python3 scripts/check_diplomacy_real.py PATH/TO/csis_provocations_dev.csv \\
        PATH/TO/cns_missile_test_database.csv --mentions

The paragraphs are the ones ``eval-real`` reads (the CSIS provocations paragraphs, each published
at noon Korea time on its row's date; the CNS launch-day texts, dated by their labels). They are
about missiles, shelling, drones and incursions, and only a few of them also tell a diplomatic
event: each event printed is to be read by hand. ``--mentions`` also prints the mentions that made
no event (told in passing, or undated), so a rule that marks an event as planned can be checked.
Exit status 0; the count of events is the figure to drive down.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a file: the project's packages sit one level up
    sys.path.insert(0, str(ROOT))
SCRIPTS = ROOT / "scripts"
if str(SCRIPTS) not in sys.path:
    sys.path.insert(0, str(SCRIPTS))

from eval_real import (  # noqa: E402
    CNS_LABELS,
    Row,
    article_of,
    is_cns,
    load_cns_rows,
    load_labels,
    load_rows,
    row_of,
)

from extractors.events import DiplomacyMention, extract_mentions  # noqa: E402
from extractors.events.consolidate import (  # noqa: E402
    ArticleMeta,
    DiplomacyEvent,
    consolidate_events,
)
from extractors.quality import assess_article  # noqa: E402


def rows_of(path: Path) -> list[Row]:
    if is_cns(path):
        return load_cns_rows(path, load_labels(CNS_LABELS))
    return load_rows(path)


def check(paths: Sequence[Path], show_mentions: bool) -> int:
    total = 0
    for path in paths:
        rows = rows_of(path)
        articles = [article_of(r) for r in rows]
        by_row = {r.index: r for r in rows}
        mentions: list[DiplomacyMention] = []
        metas: dict[str, ArticleMeta] = {}
        for article in articles:
            mentions.extend(m for m in extract_mentions(article) if isinstance(m, DiplomacyMention))
            metas[article.article_id] = ArticleMeta(
                article.article_id,
                article.source,
                article.published_at,
                None,
                assess_article(article).flags,
            )
        events = [
            e for e in consolidate_events(mentions, metas).events if isinstance(e, DiplomacyEvent)
        ]
        by_id = {m.mention_id: m for m in mentions}
        print(f"{path.name}: {len(rows)} paragraphs, {len(mentions)} diplomacy mentions,")
        print(f"  {len(events)} diplomacy events")
        used: set[str] = set()
        for e in events:
            total += 1
            print(
                f"- {e.event_date} ({e.date_precision}) {e.event_type} {list(e.actors)}"
                f" {list(e.persons)} at {e.location}"
            )
            for mid in e.mention_ids:
                used.add(mid)
                m = by_id[mid]
                row = row_of(m.article_id)
                print(f"    row {row} ({by_row[row].day}): {m.evidence}")
        if show_mentions:
            for m in mentions:
                if m.mention_id in used:
                    continue
                row = row_of(m.article_id)
                how = (
                    "background " if m.background else ""
                ) + f"{m.event_date} ({m.date_precision})"
                print(
                    f"  mention, no event [{how}] {m.event_type} {list(m.actors)}"
                    f" row {row} ({by_row[row].day}): {m.evidence}"
                )
    print(f"diplomacy events in all: {total}")
    return 0


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("paths", nargs="+", type=Path, help="CSIS or CNS CSV files")
    parser.add_argument(
        "--mentions", action="store_true", help="also the mentions that made no event"
    )
    args = parser.parse_args(list(argv) if argv is not None else None)
    return check(args.paths, args.mentions)


if __name__ == "__main__":
    raise SystemExit(main())
