"""The word lists the missile rules use, compiled once, and one article as the rules read it.

    terms = MissileTerms.compile(load_domain())     # once per process
    reading = Reading(terms, article, sentences, resolver)   # once per article

A :class:`Reading` keeps what is found in one article (the hits of each word list, the states
that may be a launch's subject) so that each is looked for once; nothing of one article is kept
in :class:`MissileTerms`, so one set of terms serves every article and thread.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from extractors.events.dates import DateResolver
from extractors.events.domain import Domain, PhraseMatch, PhraseMatcher
from extractors.events.missiles.patterns import (
    ACCORDING_TO_BEFORE,
    ALTERNATIVES,
    DATELINE,
    DEPICTED_BEFORE,
    DEVELOPMENT_BEFORE,
    ELLIPSIS,
    ELLIPSIS_HINT,
    INITIAL_BELIEF,
    NOT_A_MISSILE_AFTER,
    NOT_NEVER_BEFORE,
    NOUN_COMPOUND,
    SPEAKS,
)
from extractors.events.text import Sentence
from extractors.records import ArticleText


@dataclass(frozen=True)
class MissileTerms:
    """The domain data and the compiled word lists of ``event_terms.toml`` [missile]."""

    domain: Domain
    verbs: re.Pattern[str]  # "fired", "launched", "발사했"
    nouns: re.Pattern[str]  # "launch", "test-firing", "salvo"
    objects: re.Pattern[str]  # "missile", "rocket", "projectile", "미사일"
    hypothetical: re.Pattern[str]  # "could", "plans to", "preparations", "가능성"
    anniversary: re.Pattern[str]  # "anniversary", "commemorated", "주년"
    years_ago: re.Pattern[str]  # "years since", "years ago"
    failure: re.Pattern[str]  # "exploded", "broke up", "실패"
    success: re.Pattern[str]  # "successfully", "hit the target", "명중"
    oversight: re.Pattern[str]  # "oversaw", "guided", "참관"
    distance_cues: re.Pattern[str]  # "flew", "travelled", "비행거리"
    apogee_cues: re.Pattern[str]  # "apogee", "altitude", "정점고도"
    not_distance: re.Pattern[str]  # "range", "could reach", "사거리"
    aggregate: re.Pattern[str]  # "this year", "a total of", "올해"
    past: re.Pattern[str]  # "last year", "previously", "지난해"
    clause_split: re.Pattern[str]  # "after", "since", "following", "이후"
    comparison: re.Pattern[str]  # "unlike", "than", "set by", "보다"
    # words that open an aside about another launch ("another Hwasong-14, the type first flown")
    aside: re.Pattern[str]

    @classmethod
    def compile(cls, domain: Domain) -> MissileTerms:
        t = domain.terms
        comparison, past = t["missile.comparison"], t["missile.past"]
        # "a never-before-seen version of its Scud": "never before" describes a thing; it negates
        # no launch and turns to no other one
        clause_split = re.compile(
            rf"(?<!never )(?<!never-)(?:{t['missile.clause_split'].pattern})",
            t["missile.clause_split"].flags,
        )
        # ("May 31" is a month, not the modal)
        hypothetical = re.compile(
            rf"(?!(?-i:May)\s+\d)(?:{t['missile.hypothetical'].pattern}){NOT_NEVER_BEFORE}",
            t["missile.hypothetical"].flags,
        )
        aside = re.compile(
            "|".join(f"(?:{p.pattern})" for p in (comparison, past, clause_split)) + r"|\bfirst\b",
            re.I,
        )
        return cls(
            domain=domain,
            verbs=t["missile.launch_verbs"],
            nouns=t["missile.launch_nouns"],
            objects=t["missile.missile_objects"],
            hypothetical=hypothetical,
            anniversary=t["missile.anniversary"],
            years_ago=t["missile.years_ago"],
            failure=t["missile.failure"],
            success=t["missile.success"],
            oversight=t["missile.oversight"],
            distance_cues=t["missile.distance"],
            apogee_cues=t["missile.apogee"],
            not_distance=t["missile.not_distance"],
            aggregate=t["missile.aggregate"],
            past=past,
            clause_split=clause_split,
            comparison=comparison,
            aside=aside,
        )


class Reading:
    """One article under the missile rules: its text, sentences and dates, and the hits of each
    word list (each text is scanned once per list)."""

    def __init__(
        self,
        terms: MissileTerms,
        article: ArticleText,
        sentences: Sequence[Sentence],
        resolver: DateResolver,
    ) -> None:
        self.t = terms
        self.d = terms.domain
        self.article = article
        self.text = article.text
        self.sentences = list(sentences)
        self.resolver = resolver
        self.pub: date | None = resolver.pub
        self._cache: dict[tuple[str, str], list[PhraseMatch]] = {}
        # where each sentence's text starts in the article's text
        self._sentence_at = {
            s.text: s.start for s in self.sentences if self.text[s.start : s.end] == s.text
        }
        self._launchers: dict[str, list[PhraseMatch]] = {}  # states that may launch, per text
        self._missile_word: dict[str, bool] = {}  # has_missile_word, per text
        # spans of names and class words offered as alternatives, per text
        self._unsure_spans: dict[str, tuple[set[tuple[int, int]], set[tuple[int, int]]]] = {}
        # the last sentence that told of an engine or ground test: "the test" after it is that one
        self.ground_test_at: int | None = None

    def found(
        self, matcher: PhraseMatcher, text: str, start: int = 0, end: int | None = None
    ) -> list[PhraseMatch]:
        """Hits of ``matcher`` in text[start:end]. A sentence of the article is not scanned
        again: its hits are those of the article's text that lie inside it (one scan of the
        whole text per word list instead of one per sentence)."""
        key = (matcher.name, text)
        found = self._cache.get(key)
        if found is None:
            at = self._sentence_at.get(text) if text is not self.text else None
            if at is None:
                found = matcher.find(text)
            else:
                stop = at + len(text)
                found = [
                    PhraseMatch(m.value, m.text, m.start - at, m.end - at)
                    for m in self.found(matcher, self.text)
                    if at <= m.start and m.end <= stop
                ]
            self._cache[key] = found
        if start == 0 and end is None:
            return found  # the whole text (callers only read the list)
        stop = len(text) if end is None else end
        return [m for m in found if m.start >= start and m.end <= stop]

    def names(self, text: str, start: int = 0, end: int | None = None) -> list[PhraseMatch]:
        """Designations named in text[start:end] ("KN-23" -> Hwasong-11A; "Hwasong-5 and -6"
        names two), leaving out those offered as alternatives ("thought to be KN-02s or 300mm
        rockets") those first believed and then corrected ("Initially believed to be a Scud
        variant, ...") and those of what a picture shows ("footage of the Hwasong-17")."""
        key = ("designations+", text)
        every = self._cache.get(key)
        if every is None:
            every = self._cache[key] = self._with_ellipses(text)
        stop = len(text) if end is None else end
        found = (
            every
            if start == 0 and end is None
            else [m for m in every if m.start >= start and m.end <= stop]
        )
        unsure = self._unsure(text)[0] if found else None
        return [m for m in found if (m.start, m.end) not in unsure] if unsure else found

    def _with_ellipses(self, text: str) -> list[PhraseMatch]:
        found = self.found(self.d.designations, text)
        if not ELLIPSIS_HINT.search(text) or not ELLIPSIS.search(text):
            return found
        extra: list[PhraseMatch] = []
        taken = {(m.start, m.end) for m in found}
        for m in ELLIPSIS.finditer(text):
            base = m.group("base")
            for k, n in enumerate(re.finditer(r"\d+[A-Za-z]?", m.group(0))):
                # the first number with the name before it ("Hwasongs-5"), the others alone
                start = m.start() if k == 0 else m.start() + n.start()
                end = m.start() + n.end()
                if any(a <= start < b for a, b in taken):
                    continue
                named = self.d.designations.find(f"{base}-{n.group(0)}")
                if named:
                    extra.append(PhraseMatch(named[0].value, text[start:end], start, end))
        return sorted([*found, *extra], key=lambda x: x.start) if extra else found

    def classes(self, text: str, start: int = 0, end: int | None = None) -> list[PhraseMatch]:
        """Class words in text[start:end] ("short-range ballistic missile" -> SRBM), leaving out
        those of alternatives that differ in class."""
        key = ("classes+", text)
        every = self._cache.get(key)
        if every is None:
            # "tests related to the development of a reconnaissance satellite": a goal
            every = self._cache[key] = [
                m
                for m in self.found(self.d.class_terms, text)
                if m.value != "SLV"
                or not DEVELOPMENT_BEFORE.search(text, max(0, m.start - 50), m.start)
            ]
        stop = len(text) if end is None else end
        found = (
            every
            if start == 0 and end is None
            else [m for m in every if m.start >= start and m.end <= stop]
        )
        unsure = self._unsure(text)[1] if found else None
        return [m for m in found if (m.start, m.end) not in unsure] if unsure else found

    def _unsure(self, text: str) -> tuple[set[tuple[int, int]], set[tuple[int, int]]]:
        """The spans of the names (and, when they differ in class, of the class words) offered
        as alternatives in ``text``."""
        if text in self._unsure_spans:
            return self._unsure_spans[text]
        names: set[tuple[int, int]] = set()
        classes: set[tuple[int, int]] = set()
        if "nitial" in text or "rigina" in text or "first" in text:
            for belief in INITIAL_BELIEF.finditer(text):
                a, b = belief.span()
                names.update(
                    (m.start, m.end)
                    for m in self.found(self.d.designations, text)
                    if a <= m.start < b
                )
        if " of " in text:
            names.update(
                (m.start, m.end)
                for m in self.found(self.d.designations, text)
                if DEPICTED_BEFORE.search(text, max(0, m.start - 30), m.start)
            )
        if " or " in text:
            for alt in ALTERNATIVES.finditer(text):
                a, b = alt.span()
                inside = [m for m in self.found(self.d.designations, text) if a <= m.start < b]
                words = [m for m in self.found(self.d.class_terms, text) if a <= m.start < b]
                names.update((m.start, m.end) for m in inside)
                kinds = {self.d.designation_class[m.value] for m in inside}
                kinds |= {m.value for m in words}
                if len(kinds - {"unknown"}) > 1:
                    classes.update((m.start, m.end) for m in words)
        self._unsure_spans[text] = (names, classes)
        return names, classes

    def states(self, text: str, start: int, end: int) -> list[PhraseMatch]:
        """States named in text[start:end], leaving out those inside an agency's name ("South
        Korea's Joint Chiefs of Staff said ... had fired": a source, not the launcher)."""
        if text not in self._launchers:
            # "South Korea's JCS said ...", "According to the South Korean JCS, ...": a source
            speakers = [
                a
                for a in self.found(self.d.agency_names, text)
                if SPEAKS.match(text, a.end)
                or ACCORDING_TO_BEFORE.search(text, max(0, a.start - 20), a.start)
            ]
            filed = [d.span() for d in DATELINE.finditer(text)] if "," in text else []
            self._launchers[text] = [
                m
                for m in self.found(self.d.countries, text)
                if not any(a.start < m.end and m.start < a.end for a in speakers)
                and not any(a <= m.start < b for a, b in filed)
            ]
        return [m for m in self._launchers[text] if m.start >= start and m.end <= end]

    def has_missile_word(self, text: str) -> bool:
        """A missile word that names a missile: not a part of a name ("the Missile
        Administration", "the Sohae Satellite Launching Ground")."""
        known = self._missile_word.get(text)
        if known is None:
            known = self._missile_word[text] = self._has_missile_word(text)
        return known

    def _has_missile_word(self, text: str) -> bool:
        if self.names(text):
            return True
        places: list[tuple[int, int]] | None = None  # site names, looked for only if needed
        spans = [(m.start(), m.end()) for m in self.t.objects.finditer(text)]
        spans += [(m.start, m.end) for m in self.classes(text)]
        for start, end in spans:
            if NOT_A_MISSILE_AFTER.match(text, end):
                continue
            if text[start].islower():
                return True  # the sites' names that hold a missile word are capitalised
            if places is None:
                places = [(m.start, m.end) for m in self.found(self.d.site_names, text)]
            if any(a <= start and end <= b for a, b in places):
                continue
            return True
        return False

    def tells_launch(self, text: str, start: int, end: int) -> bool:
        """Whether text[start:end] speaks of the launch itself (a launch verb, or a launch noun
        that is no compound such as "launch window")."""
        if self.t.verbs.search(text, start, end):
            return True
        return any(
            not NOUN_COMPOUND.match(text, m.end()) for m in self.t.nouns.finditer(text, start, end)
        )

    def whole(self, s: Sentence) -> tuple[str, int]:
        """The text to read dates of sentence ``s`` from, and the offset of ``s`` in it (dates
        are read from the article's text: one scan serves every sentence)."""
        if self.text[s.start : s.end] == s.text:
            return self.text, s.start
        return s.text, 0
