"""Rule-based missile-test mentions: which sentences report a North Korean launch, and what
each article claims about it.

An *anchor* sentence reports a launch (a launch verb or noun, a missile word, North Korea or no
other state as the subject, no modal or plan before the verb). Anchors of one article are grouped
into launches by date and designation; the sentences right after an anchor (detail sentences:
"The missile flew about 800 km") add distance, apogee, count and the rest. Each group becomes one
:class:`MissileTestMention` whose evidence is its first anchor sentence.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from extractors.events.dates import DateRef, DateResolver
from extractors.events.domain import Domain, PhraseMatch, PhraseMatcher
from extractors.events.records import FieldSpan, MissileTestMention
from extractors.events.text import (
    WORD_NUMBER_PATTERN,
    WORD_NUMBERS,
    Sentence,
    miles_to_km,
    parse_number,
)
from extractors.records import ArticleText

# How far after an anchor a detail sentence may stand and still describe the same launch.
DETAIL_WINDOW = 3
# A launch dated more than this many days before publication is a past launch mentioned in passing.
RECENT_DAYS = 3

_NUM = (
    r"(?P<num>(?:\d+\s*만\s*)?(?:\d+\s*천\s*)?\d+(?:\.\d+)?(?!\s*[만천\d])|\d+\s*만(?:\s*\d+\s*천)?|\d+\s*천"
    r"|\d{1,3}(?:,\d{3})+(?:\.\d+)?)"
)
_UNIT = r"(?P<unit>kilometers|kilometres|km|㎞|킬로미터|miles|mile|mi)(?![A-Za-z])"
_QUANTITY = re.compile(_NUM + r"\s*(?:여\s*)?(?:-\s*)?" + _UNIT)
_COUNT = re.compile(
    r"(?=[\daostpcfendAOSTPCFEND])(?<![\w-])(?P<n>\d{1,2}|"
    + WORD_NUMBER_PATTERN
    + r")(?:\s+(?:more|other|new|different))?"
    r"(?P<adj>(?:\s+[\w-]+){0,6}?)\s+(?P<noun>missiles|rockets|projectiles|ICBMs|SRBMs|IRBMs|SLBMs"
    r"|missile|rocket|projectile|ICBM|SRBM|IRBM|SLBM|MRBM)\b",
    re.IGNORECASE,
)
_BARRAGE = re.compile(
    r"\b(?:barrage|salvo|volley|total)\s+of\s+(?:about\s+|some\s+|around\s+|at\s+least\s+)?"
    r"(?P<n>\d{1,2}|" + WORD_NUMBER_PATTERN + r")\b",
    re.IGNORECASE,
)
_KOREAN_COUNT = re.compile(
    r"(?P<n>\d{1,2}|한|두|세|네|다섯|여섯|일곱|여덟|아홉|열)\s*발(?![가-힣])|(?P<n2>\d{1,2}|한|두|세|네|다섯|여섯|일곱|여덟|아홉|열)\s*발[을이은도]"
)
_VAGUE_COUNT = re.compile(
    r"(?=[smandoSMANDO수여])(?:\b(?:several|multiple|a number of|some|numerous|dozens|more than|over)\s+(?:\w+\s+){0,3}missiles\b|수\s*발|여러\s*발)",
    re.I,
)
_CLAUSE_START = re.compile(
    r"[;:\u2014]|,\s*(?:and|but|while|as|when|whereas)\b|\bbut\b|\bwhile\b|\bwhereas\b"
)
_BY_NK = re.compile(
    r"\s*(?:\w+\s+){0,3}?by\s+(?:North\s+Korea|Pyongyang|the\s+North|N\.\s*Korea|the\s+DPRK)", re.I
)
_NOUN_MODAL_AFTER = re.compile(
    r"\s*(?:\w+\s+){0,2}?(?:could|may|might|would|will|is\s+expected|was\s+expected|is\s+likely|appears\s+imminent|is\s+imminent|was\s+planned|is\s+planned)\b",
    re.I,
)
_KOREAN_FUTURE = re.compile(r"\s*(?:할|하려|하기|될|예정|준비|가능|징후|계획|대비|위협)")
_PERFECT = re.compile(r"\b(?:has|have)\s+(?:now\s+|also\s+|already\s+)?(?:been\s+)?$", re.I)
_KIM = "Kim Jong Un"
_TO_BEFORE = re.compile(r"\bto\s+$", re.I)
_CONDITIONAL_BEFORE = re.compile(
    r"\b(?:if|unless|whether|should|once|in case)\s+(?:the\s+)?$", re.I
)
_TIME_CUE_BEFORE = re.compile(
    r"\b(?:shortly|just|soon|immediately|minutes|seconds|moments|hours|right)\s+$", re.I
)
_TIME_CUE_AFTER = re.compile(
    r"\s+(?:\d|launch|lift|take|dawn|noon|midnight|sunrise|sunset|separation|ignition)", re.I
)
# "its state media said on Monday", "reported Thursday": the date of the report, not of the launch.
_REPORT_BEFORE = re.compile(
    r"\b(?:said|says|reported|reports|announced|announces|stated|confirmed|disclosed|added|claimed|"
    r"revealed|published|released|showed|aired|broadcast|told\s+\w+)\s+(?:late\s+|early\s+|on\s+)*$",
    re.I,
)
# "...이라고 1일 밝혔다", "조선중앙통신이 6일 보도했다": the day it was said.
_KOREAN_REPORT_AFTER = re.compile(
    r"\s*(?:오전|오후|새벽|밤)?\s*(?:밝혔|보도했|발표했|전했|공개했|주장했|보도|발표)"
)
_TARGET_AWAY = re.compile(r"\s*(?:away|떨어진\s*(?:표적|목표|섬))", re.I)
_NUMBER_BEFORE = re.compile(
    r"(?<![\w-])(\d{1,2}|" + WORD_NUMBER_PATTERN + r")\s+(?:more\s+|new\s+|of\s+the\s+)?$", re.I
)


def event_dates(
    resolver: DateResolver, text: str, start: int, end: int, *, reports: bool = False
) -> list[DateRef]:
    """Dates in text[start:end] that may date an event; with ``reports``, only the dates on which
    something was said ("its state media said on Monday"), a last resort for the event's date."""
    return [
        d
        for d in resolver.find(text, start, end)
        if bool(
            _REPORT_BEFORE.search(text, max(0, d.start - 30), d.start)
            or _KOREAN_REPORT_AFTER.match(text, d.end)
        )
        == reports
    ]


# "The first broke up in flight, but the second soared ...", "One flew 1,000 km. The other ...",
# "첫 번째 미사일은 ..., 두 번째는": which missile of a salvo a clause speaks of.
_ORDINAL = re.compile(
    r"(?=[TtfsoOl첫두세다나한])(?:^|(?<=[.!?]\s)|(?<=\n)|(?<=[,;:]\s)|(?<=\bbut\s)|(?<=\bwhile\s)|(?<=\band\s)|(?<=\bsaid\s)|(?<=\bthat\s))"
    r"(?:[Tt]he\s+)?(?P<en>first|second|third|other|latter|former|One|one)"
    r"(?:\s+(?:missile|rocket|projectile|one|launch|of\s+(?:them|the\s+missiles)))?"
    r"(?=,|\s+(?:was|were|had|has|flew|broke|soared|lifted|travel+ed|exploded|appeared|came|fell|"
    r"landed|reached|crashed|blew|disintegrated|showed|is|flying|,))"
    r"|(?P<ko>첫\s*번째|두\s*번째|세\s*번째|다른\s*한\s*발|나머지\s*한\s*발|한\s*발은)"
)
_ORDINAL_NUMBER = {
    "first": 1, "one": 1, "former": 1, "second": 2, "other": 2, "latter": 2, "third": 3,
    "첫번째": 1, "한발은": 1, "두번째": 2, "다른한발": 2, "나머지한발": 2, "세번째": 3,
}  # fmt: skip

_Piece = tuple[Sentence, tuple[int, int], tuple[int, int]]  # sentence, its part, agency region


def _clause(text: str, piece: _Piece) -> Sentence:
    """The part of a sentence a piece covers, as the evidence of one missile of a salvo."""
    sentence, (a, b), _ = piece
    while a < b and (text[a].isspace() or text[a] in ",;:"):
        a += 1
    while b > a and (text[b - 1].isspace() or text[b - 1] in ",;:"):
        b -= 1
    for tail in (" but", " and", " while"):
        if text[a:b].endswith(tail):
            b -= len(tail)
    return Sentence(sentence.index, a, b, text[a:b])


def _ordinal_parts(text: str, pieces: list[_Piece]) -> tuple[list[_Piece], dict[int, list[_Piece]]]:
    """Split pieces at ordinal markers: (shared pieces before any marker, pieces per missile)."""
    shared: list[_Piece] = []
    parts: dict[int, list[_Piece]] = {}
    current: int | None = None
    for s, (a, b), agency in pieces:
        cuts = []
        for m in _ORDINAL.finditer(text, a, b):
            word = re.sub(r"\s+", "", (m.group("en") or m.group("ko"))).lower()
            cuts.append((m.start(), _ORDINAL_NUMBER[word]))
        start = a
        for n, (pos, number) in enumerate(cuts):
            # "The JCS said the first missile ...": the words before a marker lead into it
            owner = number if n == 0 and current is not None else current
            if pos > start:
                (shared if owner is None else parts.setdefault(owner, [])).append(
                    (s, (start, pos), agency)
                )
            current = number
            parts.setdefault(number, [])
            start = pos
        if b > start:
            (shared if current is None else parts[current]).append((s, (start, b), agency))
    return shared, {k: v for k, v in parts.items() if v}


@dataclass
class _Item:
    """One launch claim inside one anchor sentence."""

    sentence: Sentence
    designation: str | None
    names: list[str]
    missile_class: str
    date: DateRef | None
    background: bool
    aggregate: bool
    region: tuple[int, int]  # the part of the sentence this claim covers (text offsets)


@dataclass
class _Cluster:
    designation: str | None
    missile_class: str
    date: DateRef | None
    background: bool
    anchors: list[_Item] = field(default_factory=list)
    details: list[Sentence] = field(default_factory=list)
    last_index: int = 0

    def sentences(self) -> list[tuple[Sentence, tuple[int, int]]]:
        seen: dict[int, tuple[Sentence, tuple[int, int]]] = {}
        for item in self.anchors:
            if item.sentence.index not in seen:
                seen[item.sentence.index] = (item.sentence, item.region)
        for s in self.details:
            seen.setdefault(s.index, (s, (s.start, s.end)))
        return [seen[k] for k in sorted(seen)]


class MissileRules:
    """The rules, bound to the compiled domain data."""

    def __init__(self, domain: Domain, version: str) -> None:
        self.d = domain
        self.version = version
        t = domain.terms
        self.verbs = t["missile.launch_verbs"]
        self.nouns = t["missile.launch_nouns"]
        self.objects = t["missile.missile_objects"]
        self.hypothetical = t["missile.hypothetical"]
        self.anniversary = t["missile.anniversary"]
        self.failure = t["missile.failure"]
        self.success = t["missile.success"]
        self.oversight = t["missile.oversight"]
        self.distance_cues = t["missile.distance"]
        self.apogee_cues = t["missile.apogee"]
        self.not_distance = t["missile.not_distance"]
        self.aggregate = t["missile.aggregate"]
        self.past = t["missile.past"]
        self.clause_split = t["missile.clause_split"]
        self._cache: dict[tuple[str, str], list[PhraseMatch]] = {}

    # -- cached lookups (one cache per article: see extract) --------------------------------

    def _found(
        self, matcher: PhraseMatcher, text: str, start: int = 0, end: int | None = None
    ) -> list[PhraseMatch]:
        """Hits of ``matcher`` in text[start:end]; each text is scanned once per matcher."""
        key = (matcher.name, text)
        if key not in self._cache:
            self._cache[key] = matcher.find(text)
        stop = len(text) if end is None else end
        return [m for m in self._cache[key] if m.start >= start and m.end <= stop]

    def _names(self, text: str, start: int = 0, end: int | None = None) -> list[PhraseMatch]:
        return self._found(self.d.designations, text, start, end)

    def _states(self, text: str, start: int, end: int) -> list[PhraseMatch]:
        return self._found(self.d.countries, text, start, end)

    # -- one sentence ---------------------------------------------------------------------

    def _has_missile_word(self, text: str) -> bool:
        return (
            self.objects.search(text) is not None
            or bool(self._names(text))
            or bool(self._found(self.d.class_terms, text))
        )

    def _trigger_ok(self, s: Sentence, text: str, m: re.Match[str], is_noun: bool) -> bool:
        local_start = 0
        for c in _CLAUSE_START.finditer(text, 0, m.start()):
            local_start = c.end()
        subject: PhraseMatch | None = None
        for actor in self._states(text, local_start, m.start()):
            subject = actor
        if subject is None and is_noun:
            # "... footage of the launch": whose launch is the sentence's subject's.
            subject = next(iter(self._states(text, 0, m.start())), None)
        if (
            subject is not None
            and "PRK" not in subject.value.split("+")
            and _BY_NK.match(text, m.end()) is None
        ):
            return False  # another state's launch ("Iran launched", "South Korea test-fired")
        # A modal or plan between the subject and the verb: not a launch that happened.
        window_start = max(subject.end if subject else local_start, m.start() - 40)
        if self.hypothetical.search(text, window_start, m.start()):
            return False
        if subject is not None and _CONDITIONAL_BEFORE.search(
            text, max(0, subject.start - 12), subject.start
        ):
            return False  # "If North Korea launches ..."
        if is_noun:
            if self.hypothetical.search(text, max(0, m.start() - 30), m.start()):
                return False
            if _NOUN_MODAL_AFTER.match(text, m.end()):
                return False
        if _KOREAN_FUTURE.match(text, m.end()):
            return False
        if _TO_BEFORE.search(text, max(0, m.start() - 4), m.start()):
            return False  # "a window to launch a satellite"
        # A foreign missile named beside the verb: another country's test.
        near = (max(0, m.start() - 30), min(len(text), m.end() + 60))
        foreign = next(iter(self._found(self.d.foreign_missiles, text, *near)), None)
        if foreign is not None:
            own = next(iter(self._names(text, *near)), None)
            if own is None or own.start > foreign.start:
                return False
        return True

    def anchor_items(
        self, s: Sentence, resolver: DateResolver, pub: date | None
    ) -> list[_Item] | None:
        """The launch claims of an anchor sentence, or None when it is no anchor."""
        text = s.text
        if not self._has_missile_word(text):
            return None
        if self.anniversary.search(text):
            return None
        triggers: list[tuple[re.Match[str], bool]] = [(m, False) for m in self.verbs.finditer(text)]
        triggers += [(m, True) for m in self.nouns.finditer(text)]
        good = [(m, noun) for m, noun in triggers if self._trigger_ok(s, text, m, noun)]
        if not good:
            return None
        first_trigger = min(m.start() for m, _ in good)
        perfect = any(not noun and _PERFECT.search(text, 0, m.start()) for m, noun in good)
        items = self._items(s, text, resolver, pub, first_trigger, perfect)
        # "a drill meant as a show of force after North Korea fired ...": the launch is the reason
        # for what the sentence reports, so it is told in passing.
        first = min(good, key=lambda g: g[0].start())[0]
        lead = self.clause_split.search(text, max(0, first.start() - 60), first.start())
        if (
            lead is not None
            and lead.start() > 0
            and not _TIME_CUE_AFTER.match(text, lead.end())
            and "," not in text[lead.end() : first.start()]  # "Shortly before X, North Korea fired"
        ):
            for item in items:
                item.background = True
        return items

    def _items(
        self,
        s: Sentence,
        text: str,
        resolver: DateResolver,
        pub: date | None,
        first_trigger: int,
        perfect: bool,
    ) -> list[_Item]:
        # Split where the sentence turns to another launch ("..., months after it fired a Hwasong-15
        # on July 12"): a part after a turn is a claim of its own only if it names a missile.
        cuts = [0]
        for m in self.clause_split.finditer(text):
            if (
                m.start() > first_trigger
                and not _TIME_CUE_BEFORE.search(text, 0, m.start())
                and not _TIME_CUE_AFTER.match(text, m.end())
            ):
                cuts.append(m.start())
        cuts.append(len(text))
        items: list[_Item] = []
        for n, (a, b) in enumerate(itertools.pairwise(cuts)):
            names = self._names(text, a, b)
            classes = self._found(self.d.class_terms, text, a, b)
            if n > 0 and not names and not classes:
                if items:  # no missile of its own: the part still belongs to the claim before
                    prev = items[-1]
                    prev.region = (prev.region[0], s.start + b)
                continue
            date_ref = _best_date(event_dates(resolver, text, a, b))
            groups = _missile_groups(names, classes, self.d.designation_class)
            aggregate = self.aggregate.search(text, a, b) is not None
            past_word = self.past.search(text, a, b) is not None
            for designation, cls, surfaces in groups or [(None, "unknown", [])]:
                background = _is_background(date_ref, pub, n > 0, past_word, aggregate, perfect)
                items.append(
                    _Item(
                        sentence=s,
                        designation=designation,
                        names=surfaces,
                        missile_class=cls,
                        date=date_ref,
                        background=background,
                        aggregate=aggregate,
                        region=(s.start + a, s.start + b),
                    )
                )
        if items and perfect and not any(i.date for i in items):
            count = self.count(text)
            if count is None:  # "has fired dozens of missiles": a history, not a launch
                for item in items:
                    item.background = True
        return items

    # -- fields ----------------------------------------------------------------------------

    def count(self, text: str, start: int = 0, end: int | None = None) -> int | None:
        stop = len(text) if end is None else end
        region = text[start:stop]
        if _VAGUE_COUNT.search(region) and not _BARRAGE.search(region):
            explicit = [
                m for m in _COUNT.finditer(region) if m.group("n").lower() not in ("a", "an")
            ]
            if not explicit:
                return None
        for regex in (_BARRAGE, _KOREAN_COUNT):
            m = regex.search(region)
            if m is not None:
                raw = m.group("n") if m.group("n") else m.groupdict().get("n2")
                value = parse_number(raw or "")
                if value is not None:
                    return int(value)
        weak: int | None = None
        for m in _COUNT.finditer(region):
            token = m.group("n").lower()
            noun = m.group("noun").lower()
            plural = noun.endswith("s")
            if token in ("a", "an", "single", "one"):
                if not plural and weak is None:
                    weak = 1
                continue
            value = WORD_NUMBERS.get(token) if not token.isdigit() else int(token)
            if value is not None and plural:
                return int(value)
        return weak

    def quantities(self, text: str, start: int, end: int) -> tuple[float | None, float | None]:
        """(distance_km, apogee_km) claimed in text[start:end]."""
        distance: float | None = None
        apogee: float | None = None
        last_end = -1
        for m in _QUANTITY.finditer(text, start, end):
            if m.start() < last_end:
                continue
            value = parse_number(m.group("num"))
            if value is None or value <= 0:
                continue
            unit = m.group("unit").lower()
            km: float = miles_to_km(value) if unit.startswith("mi") else value
            # "800 km (500 miles)": the conversion in brackets is the same number.
            tail = re.match(
                r"\s*\(\s*[\d,.]+\s*(?:miles|mi|km|kilometers|kilometres)\s*\)", text[m.end() : end]
            )
            last_end = m.end() + (tail.end() if tail else 0)
            kind = self._quantity_kind(text, m.start(), m.end(), start, end)
            if kind == "distance" and distance is None:
                distance = km
            elif kind == "apogee" and apogee is None:
                apogee = km
        return distance, apogee

    def _quantity_kind(self, text: str, qs: int, qe: int, start: int, end: int) -> str | None:
        left_from = max(start, qs - 60)
        after = text[qe : min(end, qe + 25)]
        if _TARGET_AWAY.match(after) and re.search(
            r"target|표적|목표", text[max(start, qs - 30) : qe + 25], re.I
        ):
            return "distance"  # "hit a target 800 km away"
        if self.not_distance.match(after.lstrip(" ,")) or re.match(
            r"\s*(?:\w+\s+)?(?:off|east|west|north|south|northeast|southeast|from|away|short|inside|outside|within)\b",
            after,
            re.I,
        ):
            return None
        cues: list[tuple[int, str]] = []
        for regex, kind in (
            (self.distance_cues, "distance"),
            (self.apogee_cues, "apogee"),
            (self.not_distance, None),
        ):
            for c in regex.finditer(text, left_from, qs):
                cues.append((c.end(), kind or "none"))
        # Korean puts the verb after the number: "800km를 비행했다", "800여㎞를 날아가".
        if re.match(r"\s*[를을이가]\s", text[qe : qe + 3]):
            for c in self.distance_cues.finditer(text, qe, min(end, qe + 12)):
                cues.append((qs - (c.start() - qe) - 1, "distance"))
        if not cues:
            return None
        cues.sort()
        kind = cues[-1][1]
        return None if kind == "none" else kind

    def site(self, text: str, start: int, end: int) -> tuple[str | None, int]:
        best: tuple[str | None, int] = (None, -1)
        for m in self._found(self.d.site_names, text, start, end):
            before = text[max(start, m.start - 40) : m.start]
            after = text[m.end : min(end, m.end + 12)]
            ok = re.search(
                r"\b(?:from|near|in|at|around|off|over)\s+(?:the\s+)?(?:[A-Z][\w'-]*\s+){0,3}(?:area\s+of\s+|region\s+of\s+|vicinity\s+of\s+|city\s+of\s+)?$|\b(?:from|near)\s+(?:the\s+)?(?:[\w'-]+\s+){0,4}$",
                before,
            ) or re.match(
                r"(?:['’]s)?\s*(?:area|region|airport|airfield|county|province|coast|site|launch|base|shipyard)",
                after,
                re.I,
            )
            korean = re.match(r"\s*(?:일대|부근|인근|일원|지역|국제비행장|비행장|에서)", after)
            if not (ok or korean):
                continue
            broad = self.d.sites[m.value].broad
            rank = 0 if broad else 1
            if rank > best[1]:
                best = (m.value, rank)
        return best[0], best[1]

    def landing(self, text: str, start: int, end: int) -> str | None:
        found = self._found(self.d.landing_areas, text, start, end)
        if not found:
            return None
        names = [m.value for m in found]
        if "Japan EEZ" in names:
            return "Japan EEZ"
        # "outside Japan's EEZ" names no landing inside it; take the sea.
        return names[0]

    def outcome(self, text: str, start: int, end: int) -> str | None:
        if self.failure.search(text, start, end):
            return "failure"
        if self.success.search(text, start, end):
            return "success"
        return None

    def overseer(self, text: str, start: int, end: int) -> str | None:
        for m in self._found(self.d.persons, text, start, end):
            if m.value == _KIM and self.oversight.search(text, start, end):
                return _KIM
        return None

    # -- one article ----------------------------------------------------------------------

    def extract(
        self, article: ArticleText, sentences: list[Sentence], resolver: DateResolver
    ) -> list[MissileTestMention]:
        pub = resolver.pub
        clusters: list[_Cluster] = []
        current: _Cluster | None = None
        for s in sentences:
            items = self.anchor_items(s, resolver, pub)
            if items:
                first_cluster: _Cluster | None = None
                for item in items:
                    target = _find_cluster(clusters, current, item)
                    if target is None:
                        target = _Cluster(
                            item.designation, item.missile_class, item.date, item.background
                        )
                        clusters.append(target)
                    else:
                        _merge_item(target, item)
                    target.anchors.append(item)
                    target.last_index = s.index
                    if first_cluster is None:
                        first_cluster = target
                current = first_cluster
            elif (
                current is not None
                and s.index - current.last_index <= DETAIL_WINDOW
                and self._is_detail(s.text)
            ):
                named = {m.value for m in self._names(s.text)}
                # "The Hwasal-1s flew 1,500 km, while the Hwasal-2s covered 1,800 km"
                for other in clusters:
                    if other is not current and other.designation in named:
                        other.details.append(s)
                        other.last_index = s.index
                current.details.append(s)
                current.last_index = s.index
                if current.designation is None and len(named) == 1:
                    designation = named.pop()
                    cls = self.d.designation_class[designation]
                    if _classes_compatible(cls, current.missile_class):
                        current.designation = designation
                        current.missile_class = cls
        return [
            mention
            for cluster in clusters
            if not all(i.aggregate and i.background for i in cluster.anchors)
            for mention in self._mentions(article, cluster, resolver)
        ]

    def _is_detail(self, text: str) -> bool:
        if self.anniversary.search(text):
            return False
        if self._has_missile_word(text) or _QUANTITY.search(text):
            return True
        return bool(
            re.search(
                r"\b(?:missile|missiles|it|rocket|rockets|projectile|launch|launches|flight|tests?|first|second|other)\b",
                text,
                re.I,
            )
            or re.search(r"미사일|발사체|탄도|발사", text)
        )

    def _region_for(self, cluster: _Cluster, text: str, a: int, b: int) -> tuple[int, int]:
        """Where several missiles are named in one sentence, the part that speaks of this one."""
        if cluster.designation is None:
            return a, b
        names = self._names(text, a, b)
        if len({m.value for m in names}) < 2:
            return a, b
        own = [m for m in names if m.value == cluster.designation]
        if not own:
            return a, b
        first = own[0]
        later = [m.start for m in names if m.start > first.start and m.value != cluster.designation]
        begin = a if names[0] is first else first.start
        return begin, (later[0] if later else b)

    def _named_count(self, cluster: _Cluster, text: str, a: int, b: int) -> int | None:
        """'two Hwasal-1s and two Hwasal-2s': the number written right before the name."""
        if cluster.designation is None:
            return None
        for m in self._names(text, a, b):
            if m.value == cluster.designation:
                n = _NUMBER_BEFORE.search(text, max(a, m.start - 20), m.start)
                if n is not None and n.group(1).lower() not in ("a", "an"):
                    value = parse_number(n.group(1))
                    if value is not None:
                        return int(value)
        return None

    def _mentions(
        self, article: ArticleText, cluster: _Cluster, resolver: DateResolver
    ) -> list[MissileTestMention]:
        """The launch as one mention, or one per missile when the text tells them apart
        ("The first broke up in flight, but the second flew 400 km")."""
        text = article.text
        pieces: list[_Piece] = [
            (s, self._region_for(cluster, text, ra, rb), (ra, rb))
            for s, (ra, rb) in cluster.sentences()
        ]
        anchor = cluster.anchors[0].sentence
        whole = self._mention(article, cluster, resolver, pieces, anchor)
        shared, parts = _ordinal_parts(text, pieces)
        if len(parts) < 2:
            return [whole]
        each = [
            self._mention(article, cluster, resolver, shared + own, _clause(text, own[0]))
            for own in parts.values()
        ]
        if len({m.outcome for m in each}) < 2:
            return [whole]  # told apart, but nothing differs that an analyst would count apart
        return [
            dataclasses.replace(
                m,
                num_missiles=1,
                event_date=m.event_date or whole.event_date,
                date_precision=m.date_precision if m.event_date else whole.date_precision,
                launch_site=m.launch_site or whole.launch_site,
                landing_area=m.landing_area or whole.landing_area,
            )
            for m in each
        ]

    def _mention(
        self,
        article: ArticleText,
        cluster: _Cluster,
        resolver: DateResolver,
        pieces: list[_Piece],
        anchor: Sentence,
    ) -> MissileTestMention:
        """One mention from the pieces of text that speak of one launch (or one missile of it)."""
        text = article.text
        anchor_ids = {i.sentence.index for i in cluster.anchors}
        spans: list[FieldSpan] = []
        values: dict[str, object] = {}
        names: list[str] = []
        for item in cluster.anchors:
            for surface in item.names:
                if surface not in names:
                    names.append(surface)
        date_ref = cluster.date
        date_sentence: Sentence | None = next(
            (i.sentence for i in cluster.anchors if date_ref is not None and i.date is date_ref),
            None,
        )
        reported: list[str] = []
        outcome = "unknown"
        for s, (a, b), (ra, rb) in pieces:
            found: dict[str, object] = {}
            count = self._named_count(cluster, text, ra, rb)
            if count is None and (not cluster.background or s.index in anchor_ids):
                count = self.count(text, a, b)
            found["num_missiles"] = count
            found["distance_km"], found["apogee_km"] = self.quantities(text, a, b)
            found["launch_site"] = self.site(text, a, b)[0]
            found["landing_area"] = self.landing(text, a, b)
            found["overseen_by"] = self.overseer(text, a, b)
            # "the previous four all failed": the outcome of other launches
            verdict = None if self.past.search(text, a, b) else self.outcome(text, a, b)
            contributed = (
                s.index in anchor_ids or any(v is not None for v in found.values()) or verdict
            )
            if date_ref is None and s.index not in anchor_ids:
                dates = event_dates(resolver, text, a, b)
                best = _best_date([d for d in dates if d.kind != "year"])
                if best is not None:
                    date_ref, date_sentence, contributed = best, s, True
            for name, value in found.items():
                if value is not None and name not in values:
                    values[name] = value
                    spans.append(FieldSpan(name, s.start, s.end))
            if verdict == "failure" or (verdict == "success" and outcome == "unknown"):
                outcome = verdict
                spans = [sp for sp in spans if sp.field != "outcome"]
                spans.append(FieldSpan("outcome", s.start, s.end))
            if contributed:
                for m in self._found(self.d.agency_names, text, ra, rb):
                    if m.value not in reported:
                        reported.append(m.value)
        if outcome == "unknown" and any(self.d.agencies[a].kind == "state_media" for a in reported):
            outcome = "success"  # the North reports its tests only as successes
        if date_ref is None:
            for s, (ra, rb) in cluster.sentences():
                best = _best_date(event_dates(resolver, text, ra, rb, reports=True))
                if best is not None:
                    date_ref, date_sentence = best, s
                    break
        event_date = date_ref.value if date_ref is not None else None
        precision = date_ref.precision if date_ref is not None and event_date else "unknown"
        if event_date is not None and precision == "month":
            event_date = event_date.replace(day=1)
        if event_date is not None and date_sentence is not None:
            spans.append(FieldSpan("event_date", date_sentence.start, date_sentence.end))
        if cluster.designation is not None:
            spans.append(FieldSpan("designation", anchor.start, anchor.end))
        return MissileTestMention(
            article_id=article.article_id,
            evidence=anchor.text,
            char_start=anchor.start,
            char_end=anchor.end,
            reported_by=tuple(sorted(reported)),
            extractor_version=self.version,
            event_date=event_date,
            date_precision=precision,
            missile_class=cluster.missile_class,
            designation=cluster.designation,
            names_reported=tuple(names),
            num_missiles=_int(values.get("num_missiles")),
            launch_site=_str(values.get("launch_site")),
            distance_km=_float(values.get("distance_km")),
            apogee_km=_float(values.get("apogee_km")),
            landing_area=_str(values.get("landing_area")),
            outcome=outcome,
            overseen_by=_str(values.get("overseen_by")),
            background=cluster.background
            if event_date is not None or cluster.background
            else False,
            field_spans=tuple(spans),
        )


def _int(value: object) -> int | None:
    return value if isinstance(value, int) else None


def _float(value: object) -> float | None:
    return float(value) if isinstance(value, (int, float)) else None


def _str(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _best_date(dates: list[DateRef]) -> DateRef | None:
    """The most precise date of a clause: explicit day, weekday or relative day, then a month."""
    rank = {"explicit": 0, "weekday": 1, "relative": 2, "month": 3, "year": 4}
    resolved = [d for d in dates if d.value is not None or d.kind == "year"]
    if not resolved:
        return None
    return min(resolved, key=lambda d: (rank[d.kind], d.start))


_BALLISTIC = frozenset({"SRBM", "MRBM", "IRBM", "ICBM", "SLBM", "hypersonic"})


def _missile_groups(
    names: list[PhraseMatch], classes: list[PhraseMatch], designation_class: Mapping[str, str]
) -> list[tuple[str | None, str, list[str]]]:
    """Distinct missiles named in one clause: designations first, then classes not yet covered.

    A class word beside a designation of a compatible class ("the Hwasong-18 ICBM") adds nothing;
    a hypersonic warhead outranks a range class ("a hypersonic intermediate-range missile").
    """
    groups: dict[str, tuple[str | None, str, list[str]]] = {}
    for m in names:
        group = groups.setdefault(m.value, (m.value, designation_class.get(m.value, "unknown"), []))
        if m.text not in group[2]:
            group[2].append(m.text)
    found = list(dict.fromkeys(m.value for m in classes))
    if "hypersonic" in found:
        found = [c for c in found if c not in _BALLISTIC or c == "hypersonic"]
    covered = {g[1] for g in groups.values()}
    for cls in found:
        if cls in covered:
            continue
        if (
            groups
            and cls not in ("cruise", "SLV")
            and any(_classes_compatible(cls, c) for c in covered)
        ):
            continue
        groups[cls] = (None, cls, [])
        covered.add(cls)
    return list(groups.values())


def _classes_compatible(a: str, b: str) -> bool:
    if a == b or "unknown" in (a, b):
        return True
    ballistic = {"SRBM", "MRBM", "IRBM", "ICBM", "SLBM", "hypersonic"}
    # "a hypersonic intermediate-range missile", "the KN-25 ... rocket launcher": same launch.
    return ({a, b} <= ballistic and "hypersonic" in (a, b)) or {a, b} == {"SRBM", "MLRS"}


def _is_background(
    ref: DateRef | None,
    pub: date | None,
    secondary: bool,
    past_word: bool,
    aggregate: bool,
    perfect: bool,
) -> bool:
    if ref is not None and ref.kind == "year":
        return pub is None or ref.year is None or ref.year <= pub.year
    if ref is not None and ref.value is not None:
        if ref.precision == "month":
            return True
        if pub is not None and ref.value < pub - timedelta(days=RECENT_DAYS):
            return True
        return bool(pub is not None and ref.value > pub + timedelta(days=1))
    return secondary or past_word or aggregate


def _dates_compatible(a: DateRef | None, b: DateRef | None) -> bool:
    if a is None or b is None or a.value is None or b.value is None:
        return True
    if a.precision == "month" or b.precision == "month":
        return (a.value.year, a.value.month) == (b.value.year, b.value.month)
    return abs((a.value - b.value).days) <= 1


def _item_fits(cluster: _Cluster, item: _Item) -> bool:
    if cluster.background != item.background and item.date is not None and cluster.date is not None:
        return False
    if item.designation and cluster.designation and item.designation != cluster.designation:
        return False
    if not _classes_compatible(item.missile_class, cluster.missile_class):
        return False
    if item.background and not cluster.background and item.date is None:
        return False
    return _dates_compatible(cluster.date, item.date)


def _find_cluster(
    clusters: list[_Cluster], current: _Cluster | None, item: _Item
) -> _Cluster | None:
    if current is not None and _item_fits(current, item):
        return current
    if item.date is None and item.designation is None and item.missile_class == "unknown":
        # An unspecific claim ("the launch") with no date belongs to the launch being told.
        return (
            current
            if current is not None and not (item.background and not current.background)
            else None
        )
    for cluster in clusters:
        if cluster is not current and _item_fits(cluster, item):
            return cluster
    return None


def _merge_item(cluster: _Cluster, item: _Item) -> None:
    """Fold one more claim into a launch: a name, a more specific class, a better date."""
    if cluster.designation is None and item.designation is not None:
        cluster.designation = item.designation
    if item.missile_class != "unknown" and (
        cluster.missile_class == "unknown"
        or item.designation is not None
        or item.missile_class == "hypersonic"
    ):
        cluster.missile_class = item.missile_class
    better_date = item.date is not None and (
        cluster.date is None
        or cluster.date.value is None
        or (cluster.date.precision == "month" and item.date.precision == "day")
    )
    if better_date:
        cluster.date = item.date
        cluster.background = item.background
    elif not item.background and item.date is not None:
        cluster.background = False
