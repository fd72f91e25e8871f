"""Rule-based missile-test mentions: which sentences report a North Korean launch, and what
each article claims about it.

    rules = MissileRules(load_domain(), "rules-2.2.0")     # compiled once, shared by threads
    rules.extract(article, split_sentences(article.text), DateResolver(published_at, domain))

The steps, one module each:

- ``patterns``: the regular expressions, each beside an example of what it matches;
- ``reading``: the word lists compiled once (:class:`MissileTerms`), and one article as the
  rules read it (:class:`Reading`, the only place that holds anything of one article);
- ``anchors``: anchor sentences, which report a launch, and the launch claims in each;
- ``dating``: which date of a clause is the launch's, and whether a launch is told in passing;
- ``clusters``: the claims and detail sentences of an article grouped into launches;
- ``fields``: count, distance, apogee, site, landing area, outcome, overseer and sources;
- ``mentions``: each launch as a :class:`MissileTestMention`.
"""

from __future__ import annotations

from extractors.events.dates import DateResolver
from extractors.events.domain import Domain
from extractors.events.missiles.classes import classes_compatible
from extractors.events.missiles.clusters import cluster_launches
from extractors.events.missiles.mentions import launch_mentions
from extractors.events.missiles.patterns import FLIGHT_OF_MISSILE, ORBIT_LAUNCH
from extractors.events.missiles.reading import MissileTerms, Reading
from extractors.events.records import MissileTestMention
from extractors.events.text import Sentence
from extractors.records import ArticleText

__all__ = ["MissileRules", "classes_compatible"]


class MissileRules:
    """The missile rules, compiled once from the domain data; :meth:`extract` keeps nothing of
    one article, so one instance serves every article and thread."""

    def __init__(self, domain: Domain, version: str) -> None:
        self.terms = MissileTerms.compile(domain)
        self.version = version

    def extract(
        self, article: ArticleText, sentences: list[Sentence], resolver: DateResolver
    ) -> list[MissileTestMention]:
        """The launches ``article`` reports or mentions, one mention each (or one per missile
        when the text tells the missiles of a salvo apart)."""
        text = article.text
        if not (
            self.terms.verbs.search(text)
            or self.terms.nouns.search(text)
            or ORBIT_LAUNCH.search(text)
            or FLIGHT_OF_MISSILE.search(text)
        ):
            return []  # no launch word anywhere: nothing to report
        reading = Reading(self.terms, article, sentences, resolver)
        return [
            mention
            for cluster in cluster_launches(reading)
            for mention in launch_mentions(reading, cluster, self.version)
        ]
