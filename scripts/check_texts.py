#!/usr/bin/env python3
"""Run text files through the real extraction and consolidation, as articles published when you
say, and print the events (a hand check on texts that are not in the repository).

    python3 scripts/check_texts.py op-ed.txt@2024-11-20T09:00+09:00 \\
        analysis.txt@2024-09-20T16:56+09:00 kcna.txt@2024-09-19T07:00+09:00

Each argument is PATH@ISO-TIME (with its UTC offset). Quality flags (opinion, machine-written)
are assessed as ingest assesses them; an event marked low confidence says why.
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a file: the project's packages sit one level up
    sys.path.insert(0, str(ROOT))

from extractors.events import extract_mentions  # noqa: E402
from extractors.events.consolidate import (  # noqa: E402
    ArticleMeta,
    DiplomacyEvent,
    MissileTestEvent,
    consolidate_events,
)
from extractors.quality import assess_article  # noqa: E402
from extractors.records import ArticleText  # noqa: E402


def main(argv: list[str]) -> int:
    if not argv or any("@" not in a for a in argv):
        print(__doc__, file=sys.stderr)
        return 2
    articles = []
    for n, arg in enumerate(argv):
        path, _, stamp = arg.rpartition("@")
        published = datetime.fromisoformat(stamp)
        if published.tzinfo is None:
            print(f"check-texts: {stamp}: give the UTC offset", file=sys.stderr)
            return 2
        text = Path(path).read_text(encoding="utf-8")
        articles.append(
            ArticleText(f"t{n}", f"file://{path}", Path(path).name, "", text, published)
        )
    mentions = [m for a in articles for m in extract_mentions(a)]
    metas = {}
    for a in articles:
        flags = assess_article(a).flags
        metas[a.article_id] = ArticleMeta(a.article_id, a.source, a.published_at, None, flags)
        print(f"{a.source}: published {a.published_at:%Y-%m-%d %H:%M %z}, flags {list(flags)}")
    for e in consolidate_events(mentions, metas).events:
        low = e.support.low_confidence_reason or "-"
        if isinstance(e, MissileTestEvent):
            print(
                f"missile  {e.event_date} ({e.date_precision}) {e.missile_class} {e.designation}"
                f" n={e.num_missiles} site={e.launch_site} dist={e.distance_km}"
                f" apogee={e.apogee_km} {e.outcome} overseen={e.overseen_by}"
                f" by={list(e.reported_by)} articles={e.support.num_articles}"
                f" conf={e.support.confidence} low={low}"
            )
        elif isinstance(e, DiplomacyEvent):
            print(
                f"diplomacy {e.event_date} ({e.date_precision}) {e.event_type} {list(e.actors)}"
                f" conf={e.support.confidence} low={low}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
