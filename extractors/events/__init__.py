"""Text to events: source-grounded missile-test and diplomacy mentions, and their consolidation.

    from extractors.events import extract_mentions, EXTRACTOR_VERSION
    mentions = extract_mentions(article)          # ArticleText -> [MissileTestMention | ...]

Pure functions: no I/O beyond reading the packaged data files once, no Prefect, no warehouse.
"""

from __future__ import annotations

import functools

from extractors.events.records import (
    DiplomacyMention,
    Extractor,
    FieldSpan,
    Mention,
    MissileTestMention,
)
from extractors.events.rules import RULES_VERSION, RuleExtractor
from extractors.records import ArticleText

EXTRACTOR_VERSION = RULES_VERSION

__all__ = [
    "EXTRACTOR_VERSION",
    "DiplomacyMention",
    "Extractor",
    "FieldSpan",
    "Mention",
    "MissileTestMention",
    "RuleExtractor",
    "default_extractor",
    "extract_mentions",
]


@functools.cache
def default_extractor() -> Extractor:
    """The extractor whose mentions the warehouse stores (built once per process)."""
    return RuleExtractor()


def extract_mentions(article: ArticleText) -> list[Mention]:
    """Every missile-test and diplomacy mention in one article, in text order per kind."""
    return default_extractor().extract(article)
