"""Rule-based diplomacy mentions: summits, visits, talks, statements, sanctions, UN action,
exercises, agreements, and offers or refusals of dialogue that involve the Korean peninsula.

    rules = DiplomacyRules(load_domain(), EXTRACTOR_VERSION)
    rules.extract(article, split_sentences(article.text), DateResolver(article.published_at, domain))

What is where:

- ``rules``: the sentence loop (one mention per sentence, its date, whether it is told in passing);
- ``triggers``: which event a sentence reports and by which words (plans, protocol and a state's
  own meetings left out; events told in other words than the lists');
- ``parties``: who takes part and where;
- ``statements``: who speaks to whom about what (a statement is an event only when a state's voice
  addresses another state);
- ``discourse``: what an article and a sentence are (a commentary, a statement's text, what
  somebody said, protocol, a state's own meeting);
- ``clauses``: where a sentence's clauses begin and which tell another event;
- ``anchoring``: the event's own date and whether it is told in passing;
- ``relations``: events told as the time of the news ("four days before Xi's visit"), dated from
  the news's day or planned;
- ``merging``: one event from several sentences (the legs of a visit, a statement and its refusal
  of talks, a joint statement and its meeting), also used by consolidation;
- ``patterns`` (the fixed regular expressions, each with an example) and ``lexicon`` (the word
  lists of ``event_terms.toml``'s ``[diplomacy_context]``).
"""

from __future__ import annotations

from extractors.events.diplomacy.rules import DiplomacyRules
from extractors.events.diplomacy.summary import summarise

__all__ = ["DiplomacyRules", "summarise"]
