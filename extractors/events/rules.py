"""The default extractor: rules over sentences, driven by the data files. No network, no model."""

from __future__ import annotations

from extractors.events.dates import DateResolver
from extractors.events.diplomacy import DiplomacyRules
from extractors.events.domain import Domain, load_domain
from extractors.events.missiles import MissileRules
from extractors.events.records import Mention
from extractors.events.text import split_sentences
from extractors.records import ArticleText

RULES_VERSION = "rules-2.2.0"


class RuleExtractor:
    """``RuleExtractor().extract(article)`` -> missile-test and diplomacy mentions."""

    name = "rules"
    version = RULES_VERSION

    def __init__(self, domain: Domain | None = None) -> None:
        self.domain = domain or load_domain()
        # compiled once; it keeps nothing of one article, so one extractor serves many threads
        self._missiles = MissileRules(self.domain, self.version)

    def extract(self, article: ArticleText) -> list[Mention]:
        if not article.text.strip():
            return []
        sentences = split_sentences(article.text)
        # The resolver and the diplomacy rules hold per-article caches: one each per article.
        resolver = DateResolver(article.published_at, self.domain)
        mentions: list[Mention] = []
        mentions.extend(self._missiles.extract(article, sentences, resolver))
        mentions.extend(
            DiplomacyRules(self.domain, self.version).extract(article, sentences, resolver)
        )
        return mentions
