#!/usr/bin/env python3
"""Event-extraction speed on one core: the golden articles, repeated, through extract_mentions.

python scripts/bench_extract.py            # prints articles/s (target: >= 300)
python scripts/bench_extract.py --copies 50
python scripts/bench_extract.py --cases 74     # the first 74 cases (the set of rules-1.x)
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import time
from pathlib import Path

from extractors.evaluation import GoldenCase
from extractors.events import extract_mentions
from extractors.events.domain import load_domain
from extractors.quality import assess_article

GOLDEN = Path(__file__).resolve().parents[1] / "tests" / "golden" / "cases"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--copies", type=int, default=20, help="times each golden article is repeated"
    )
    parser.add_argument(
        "--cases", type=int, default=None, help="only the first N golden cases (by file name)"
    )
    args = parser.parse_args()
    cases = [
        GoldenCase.from_json(json.loads(p.read_text("utf-8")))
        for p in sorted(GOLDEN.glob("*.json"))[: args.cases]
    ]
    articles = [
        dataclasses.replace(c.article, article_id=f"{c.article.article_id}-{n}")
        for n in range(args.copies)
        for c in cases
    ]
    started = time.perf_counter()
    load_domain()
    extract_mentions(articles[0])
    warmup = time.perf_counter() - started
    chars = sum(len(a.text) for a in articles)
    started, cpu_started = time.perf_counter(), time.process_time()
    mentions = 0
    for article in articles:
        mentions += len(extract_mentions(article))
        assess_article(article)
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu_started  # one core's work, whatever else the machine runs
    print(
        f"{len(articles)} articles ({chars / len(articles):.0f} chars each), {mentions} mentions"
        f" in {seconds:.2f} s ({cpu:.2f} s CPU): {len(articles) / cpu:.0f} articles/s per core"
        f" (data files loaded and compiled once in {warmup:.2f} s)"
    )


if __name__ == "__main__":
    main()
