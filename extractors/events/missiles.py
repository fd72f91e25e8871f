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
from extractors.events.records import MILITARY_ORDER, FieldSpan, MissileTestMention
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
_QUANTITY = re.compile(r"(?=\d)" + _NUM + r"\s*(?:여\s*)?(?:-\s*)?" + _UNIT)
_COUNT = re.compile(
    r"(?=[\daostpcfendAOSTPCFEND])(?<![\w-])(?P<n>\d{1,2}|"
    + WORD_NUMBER_PATTERN
    + r")(?:\s+(?:more|other|new|different))?"
    r"(?P<adj>(?:\s+[\w-]+){0,6}?)\s+(?P<noun>missiles|rockets|projectiles|ICBMs|SRBMs|IRBMs|SLBMs"
    r"|missile|rocket|projectile|ICBM|SRBM|IRBM|SLBM|MRBM)\b"
    # "a missile regiment", "a rocket launcher": a unit or a thing, not a count of missiles
    r"(?!\s+(?:regiment|regiments|unit|units|launcher|launchers|forces|force|programme|program|"
    r"base|bases|site|sites|technology|defence|defense|system|systems|test|tests|launch|launches|"
    r"administration|bureau|industry|factory|engine|engines|brigade|brigades|division|corps)\b)",
    re.IGNORECASE,
)
_BARRAGE = re.compile(
    r"(?=[bsvtBSVT])\b(?:barrage|salvo|volley|total)\s+of\s+(?:about\s+|some\s+|around\s+|at\s+least\s+)?"
    r"(?P<n>\d{1,2}|" + WORD_NUMBER_PATTERN + r")\b",
    re.IGNORECASE,
)
_KOREAN_COUNT = re.compile(
    r"(?=[\d한두세네다여일아열])(?:(?P<n>\d{1,2}|한|두|세|네|다섯|여섯|일곱|여덟|아홉|열)\s*발(?![가-힣])|(?P<n2>\d{1,2}|한|두|세|네|다섯|여섯|일곱|여덟|아홉|열)\s*발[을이은도의])"
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
# "the launch of ...": what was launched
# "missile defence command", "missile programme": the missile word names something else
_NOT_A_MISSILE_AFTER = re.compile(
    r"\s+(?:defen[cs]es?|command|programmes?|programs?|units?|forces|bases?|industry|technology|"
    r"launchers?|regiments?|brigades?|administration|shield|systems?|agency)\b",
    re.I,
)
_REACTION_BEFORE = re.compile(
    r"\b(?:condemn\w*|denounc\w*|criticis\w*|criticiz\w*|protest\w*|discuss\w*|deplor\w*|"
    r"sanctions\s+over|in\s+response\s+to|responded\s+to|respond\s+to)\s+(?:[\w'’-]+\s+){0,5}$",
    re.I,
)
# An engine or motor fired on a test stand is no launch
_GROUND_TEST = re.compile(
    r"(?=[EeMmGgSsTt엔지])(?:\b(?:engine|motor)s?\s+(?:ground\s+|static\s+|jet\s+)?(?:tests?|test-fire|firing)\b|"
    r"\bground\s+(?:jet\s+)?tests?\b|\bstatic\s+(?:fire|firing|test)|\btested\s+on\s+the\s+ground\b|"
    r"엔진\s*(?:지상\s*)?(?:분출\s*)?시험|지상\s*분출\s*시험)",
    re.I,
)
_KOREAN_SUBJECT = re.compile(r"(?:[이가은는]|측은|측이)(?![가-힣])")
_NOUN_OF = re.compile(r"\s+of\s+((?:[\w'’-]+\s+){0,4}[\w'’-]+)")
# "any launch using ballistic missile technology": no launch in particular
_NOUN_ANY_BEFORE = re.compile(
    r"\b(?:any|every|a\s+future|future|no|another\s+possible)\s+(?:\w+\s+)?$", re.I
)
_NOUN_MODAL_AFTER = re.compile(
    r"[\s,]*(?:\w+\s+){0,2}?(?:could|may|might|would|will|is\s+expected|was\s+expected|is\s+likely|appears\s+imminent|is\s+imminent|was\s+planned|is\s+planned)\b",
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
# "It said the missile flew ...", "the agency said": the agency named in the sentence before
_AGENCY_ANAPHOR = re.compile(
    r"(?=[ItTa])(?:\b(?:[Ii]t|[Tt]he\s+(?:news\s+)?agency|[Tt]he\s+ministry|[Tt]hey)\s+(?:also\s+|later\s+)?"
    r"(?:said|says|added|reported|estimated|put|gave|told)\b|according\s+to\s+the\s+(?:agency|report)\b)"
)
# "North Korean state media said": the North reported it (no agency named, so none is cited)
_STATE_MEDIA_SAID = re.compile(
    r"(?=[SsAa북관])(?:\bstate\s+(?:media|television|TV|news\s+agency)\s+(?:said|says|reported|reports|claimed|"
    r"announced|showed|carried|described)\b|\baccording\s+to\s+(?:North\s+Korean\s+)?state\s+media\b"
    r"|북한\s*매체[는가들]?\s*(?:보도|밝혔|전했)|관영\s*매체)",
    re.I,
)
# A launch timed against something the article has just told of
_CONTEXT_DAY = re.compile(
    r"(?=[hmsjtHMSJT같당])(?:\b(?:hours|minutes|shortly|just|moments|soon)\s+(?:before|after)\s+(?:the|his|her|their|its|that)\b"
    r"|\b(?:that|the\s+same)\s+(?:day|morning|afternoon|evening|night)\b|같은\s*날|당일\s*(?:오전|오후))",
    re.I,
)
# "800 km (500 miles)": the same figure converted
_CONVERSION = re.compile(
    r"\s*\(\s*(?:about\s+)?[\d,.]+\s*(?:miles|mi|km|kilometers|kilometres)\s*\)"
)
_SAID = re.compile(
    r"(?=[satbeSATBE])\b(?:said|says|according\s+to|told|estimated|believe|believed)\b", re.I
)
# "could fly more than 8,000 miles": what the missile can do, not what it did
_CAPABILITY_BEFORE = re.compile(
    r"\b(?:could|can|would|might|may|able\s+to|capable\s+of)\s+(?:\w+\s+){0,2}$", re.I
)
_NOT_LANDED = re.compile(r"\b(?:none|not|no|never|neither|nor)\b[^.;,]*$", re.I)
_OVERFLIGHT = re.compile(r"\b(?:over|across)\s+(?:the\s+)?$", re.I)
# "Japan said it had counted at least seven": a count with the noun left out
_COUNT_VERB = re.compile(
    r"(?=[cdtsCDTS])\b(?:counted|detected|tracked|spotted)\s+(?:at\s+least\s+|about\s+|around\s+|some\s+|up\s+to\s+)?"
    r"(?P<n>\d{1,2}|"
    + WORD_NUMBER_PATTERN
    + r")\b(?!\s*(?:km|kilomet|miles?\b|minutes|seconds|hours|a\.m|p\.m|%|times))",
    re.I,
)
_WHERE_IT_FELL = re.compile(
    r"\b(?:fell|fallen|falling|landed|landing|crashed|debris|impact|struck|hit|toward|towards)\b[^,.;]*$",
    re.I,
)
# an agency that speaks: "South Korea's Joint Chiefs of Staff (JCS) said on Wednesday that ..."
_SPEAKS = re.compile(
    r"(?:\s*\([^)]{1,20}\))?\s*(?:(?:also|later|earlier|had|has|on\s+\w+)\s+)*(?:said|says|reported|"
    r"reports|announced|told|confirmed|detected|estimated|added)\b",
    re.I,
)
_FROM_LAUNCH_SITE = re.compile(
    r"\s*(?:\([^)]{1,25}\)\s*)?(?:away\s+)?from\s+(?:its|the|their)\s+launch\s+(?:site|point|pad|area)",
    re.I,
)
_PARTIAL = re.compile(
    r"\b(?:one|some|two|several)\s+of\s+(?:the|them|its|those)\b|\bthe\s+(?:second|other|latter)\b"
    r"|중\s*(?:한|1)\s*발",
    re.I,
)
_SAME_LAUNCH_AFTER = re.compile(r"\s+(?:being|it\s+was|its|their)\b", re.I)
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
# "the launch facility", "a launch window", "launch preparations": a place, time or plan, no launch
_NOUN_COMPOUND = re.compile(
    r"\s*(?:window|windows|facility|facilities|site|sites|pad|pads|complex|vehicle|vehicles|station|"
    r"ground|base|bases|platform|platforms|tube|tubes|preparations?|period|notice|schedule|plans?|"
    r"area|areas|zone|capability|capabilities|system|systems|technology|programme|program|"
    r"pattern|patterns|timing|point|points|detection|data|readiness|angle|location|locations|"
    r"position|positions|mode|sequence|ceremony|campaign)\b",
    re.I,
)
_PLAN_SENTENCE = re.compile(
    r"\b(?:will|would|is\s+to|are\s+to|was\s+to|plans?\s+to|planned|expected\s+to)\s+(?:\w+\s+){0,2}?"
    r"(?:be|carry|hold|launch|fire|conduct|test|attempt)\b|예정|계획"
    r"|\bno\s+(?:\w+\s+)?(?:had|has|have|was|were)\s+(?:yet\s+)?been\b|\b(?:has|have|had|did)\s+not\b"
    r"|\bnever\b|\bnot\s+yet\b",
    re.I,
)
_TARGET_AWAY = re.compile(r"\s*(?:away|떨어진\s*(?:표적|목표|섬))", re.I)
_NUMBER_BEFORE = re.compile(
    r"(?<![\w-])(\d{1,2}|" + WORD_NUMBER_PATTERN + r")\s+(?:more\s+|new\s+|of\s+the\s+)?$", re.I
)


# "SEOUL, Jan. 15 (PWS) —": a dateline dates the report, not the event.
_DATELINE_PREFIX = re.compile(r"\s*[A-Z][A-Za-z .'’-]{1,30},\s*")
_DATELINE_AFTER = re.compile(r"\s*(?:\([^)\n]{1,40}\)\s*)?[—–-]")
# "North Korea on Tuesday described the missile ...", "On Monday, state media said ...": a date
# put before the verb of saying dates the report (unless the event's own verb comes before it).
_REPORT_AFTER = re.compile(
    r"(?:\s*,)?\s+(?:[\w'’.-]+\s+){0,3}?(?:said|says|reported|reports|announced|announces|"
    r"described|describes|claimed|claims|confirmed|disclosed|revealed|released|published|stated|"
    r"told)\b",
    re.I,
)
_SUBJECT_WORDS = 5  # "North Korean state media on", "South Korea's military on"
_POSSESSIVE = re.compile(r"['’]s?(?![\w])")  # "Wednesday's test": the day of the test


def is_report_date(
    resolver: DateResolver, text: str, ref: DateRef, start: int, events: re.Pattern[str] | None
) -> bool:
    """Whether a date in text dates the report of an event rather than the event itself."""
    if _POSSESSIVE.match(text, ref.end):
        return False
    if _REPORT_BEFORE.search(text, max(0, ref.start - 30), ref.start) or _KOREAN_REPORT_AFTER.match(
        text, ref.end
    ):
        return True
    line_start = text.rfind("\n", 0, ref.start) + 1
    if _DATELINE_PREFIX.fullmatch(text, line_start, ref.start) and _DATELINE_AFTER.match(
        text, ref.end
    ):
        return True
    # "North Korea on Thursday described ...", "On Monday, state media said ...": the day comes
    # right after the subject (a few words in), with no event told before it
    return bool(
        _REPORT_AFTER.match(text, ref.end)
        and len(text[start : ref.start].split()) <= _SUBJECT_WORDS
        and not (events is not None and events.search(text, start, ref.start))
    )


# "run through Saturday", "until Friday": the end of something still under way, not its day
_UNTIL_BEFORE = re.compile(r"\b(?:through|until|till|next|coming)\s+$", re.I)


def event_dates(
    resolver: DateResolver,
    text: str,
    start: int,
    end: int,
    *,
    reports: bool = False,
    events: re.Pattern[str] | None = None,
) -> list[DateRef]:
    """Dates in text[start:end] that may date an event; with ``reports``, only the dates on which
    something was said ("its state media said on Monday"), a last resort for the event's date.

    ``events`` is the pattern of the event's own verbs: a date before the verb of saying is the
    report's ("North Korea on Tuesday described ...") only when no such verb comes before it.
    Anaphoric relative dates ("the day before", "a day earlier", 전날) count back from the day
    the sentence says the report was made, when it names one.
    """
    key = (text, start, end, reports, events is not None)
    memo = resolver.memo
    if key in memo:
        return memo[key]
    memo[key] = out = _event_dates(resolver, text, start, end, reports, events)
    return out


def _event_dates(
    resolver: DateResolver,
    text: str,
    start: int,
    end: int,
    reports: bool,
    events: re.Pattern[str] | None,
) -> list[DateRef]:
    found = [
        d
        for d in resolver.find(text, start, end)
        if not _UNTIL_BEFORE.search(text, max(0, d.start - 10), d.start)
    ]
    if not found:
        return []
    flags = [is_report_date(resolver, text, d, start, events) for d in found]
    if reports:
        return [d for d, said in zip(found, flags, strict=True) if said]
    out = [d for d, said in zip(found, flags, strict=True) if not said]
    said_day = next(
        (
            d.value
            for d, said in zip(found, flags, strict=True)
            if said and d.value is not None and d.precision == "day"
        ),
        None,
    )
    if said_day is not None and resolver.pub is not None and any(d.anaphoric for d in out):
        out = [
            dataclasses.replace(d, value=said_day - (resolver.pub - d.value))
            if d.anaphoric and d.value is not None
            else d
            for d in out
        ]
    return out


# "The first broke up in flight, but the second soared ...", "One flew 1,000 km. The other ...",
# "첫 번째 미사일은 ..., 두 번째는": which missile of a salvo a clause speaks of.
_ORDINAL = re.compile(
    r"(?=[TtfsoOl첫두세다나한])(?:^|(?<=[.!?]\s)|(?<=\n)|(?<=[,;:]\s)|(?<=\bbut\s)|(?<=\bwhile\s)|(?<=\band\s)|(?<=\bsaid\s)|(?<=\bthat\s))"
    r"(?:[Tt]he\s+)?(?P<en>first|second|third|other|latter|former|One|one)"
    r"(?:\s+(?:missile|rocket|projectile|one|launch|of\s+(?:them|the\s+missiles)))?"
    r"(?=,|\s+(?:was|were|had|has|flew|broke|soared|lifted|travel+ed|exploded|appeared|came|fell|"
    r"landed|reached|crashed|blew|disintegrated|showed|is|flying|may|might|could|apparently|"
    r"seemed|possibly|probably|about|only|some|roughly|around|then|later|also|,))"
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
    tail = _CLAUSE_TAIL.search(text, a, b)
    if tail is not None:
        b = tail.start()
    return Sentence(sentence.index, a, b, text[a:b])


_CLAUSE_TAIL = re.compile(r"(?:,?\s+(?:but|and|while)(?:\s+(?:said|added|says))?)$")


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
    # launches named together in one anchor sentence ("the test-firing of a ballistic missile and
    # of a cruise missile"): one occasion, so an undated one takes the date of a dated one
    siblings: list[_Cluster] = field(default_factory=list)

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
        self.comparison = t["missile.comparison"]
        self._aside = _aside_pattern(id(domain), self.comparison, self.past, self.clause_split)
        # "a third launch would be carried out in October": a plan, no date of this launch
        self.hypothetical_sentence = _PLAN_SENTENCE
        self._cache: dict[tuple[str, str], list[PhraseMatch]] = {}
        self._launchers: dict[str, list[PhraseMatch]] = {}  # states that may launch, per text
        self._text = ""  # the article's text and sentences, set by extract()
        self._sentences: list[Sentence] = []

    # -- cached lookups (one cache per article: see extract) --------------------------------

    def _found(
        self, matcher: PhraseMatcher, text: str, start: int = 0, end: int | None = None
    ) -> list[PhraseMatch]:
        """Hits of ``matcher`` in text[start:end]; each text is scanned once per matcher."""
        key = (matcher.name, text)
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = matcher.find(text)
        if start == 0 and end is None:
            return found  # the whole text (callers only read the list)
        stop = len(text) if end is None else end
        return [m for m in found if m.start >= start and m.end <= stop]

    def _names(self, text: str, start: int = 0, end: int | None = None) -> list[PhraseMatch]:
        return self._found(self.d.designations, text, start, end)

    def _states(self, text: str, start: int, end: int) -> list[PhraseMatch]:
        """States named in text[start:end], leaving out those inside an agency's name ("South
        Korea's Joint Chiefs of Staff said ... had fired": a source, not the launcher)."""
        if text not in self._launchers:
            speakers = [
                a for a in self._found(self.d.agency_names, text) if _SPEAKS.match(text, a.end)
            ]
            self._launchers[text] = [
                m
                for m in self._found(self.d.countries, text)
                if not any(a.start <= m.start and m.end <= a.end for a in speakers)
            ]
        return [m for m in self._launchers[text] if m.start >= start and m.end <= end]

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
        korean_subject = (
            None
            if text.isascii()
            else next(
                (
                    actor
                    for actor in self._states(text, 0, m.start())
                    if _KOREAN_SUBJECT.match(text, actor.end)
                ),
                None,
            )
        )
        if korean_subject is not None:
            subject = (
                korean_subject  # "북한이 ... 블링컨 국무장관의 방한에 맞춰 ... 발사했다": 북한 acts
            )
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
            if _NOUN_ANY_BEFORE.search(text, max(0, m.start() - 25), m.start()):
                return False
            of = _NOUN_OF.match(text, m.end())
            if of is not None and not (
                any(
                    not _NOT_A_MISSILE_AFTER.match(of.group(1), o.end())
                    for o in self.objects.finditer(of.group(1))
                )
                or any(m.end() <= n.start < of.end() for n in self._names(text))
                or self._found(self.d.class_terms, text, m.end(), of.end())
            ):
                return False  # "the launch of South Korea's Strategic Command"
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
        verbs = list(self.verbs.finditer(text))
        nouns = list(self.nouns.finditer(text))
        if not (verbs or nouns) or not self._has_missile_word(text):
            return None
        if self.anniversary.search(text) or _GROUND_TEST.search(text):
            return None  # a commemoration; an engine fired on a test stand
        triggers: list[tuple[re.Match[str], bool]] = [
            (m, False)
            for m in verbs
            # "cruise missile tests", "ballistic missile launches": nouns, not verbs
            if not (
                m.group(0).lower().endswith("s")
                and _AFTER_MISSILE_WORD.search(text, max(0, m.start() - 14), m.start())
            )
        ]
        triggers += [
            (m, True)
            for m in nouns
            if not _NOUN_COMPOUND.match(text, m.end()) and not _generic_plural(text, m)
        ]
        good = [(m, noun) for m, noun in triggers if self._trigger_ok(s, text, m, noun)]
        if not good:
            return None
        first_trigger = min(m.start() for m, _ in good)
        # "The Security Council condemned North Korea's latest satellite launch": the launch is
        # what the sentence reacts to, told in passing
        reaction = all(
            noun and _REACTION_BEFORE.search(text, max(0, m.start() - 60), m.start())
            for m, noun in good
        )
        perfect = any(
            not noun and _PERFECT.search(text, max(0, m.start() - 30), m.start())
            for m, noun in good
        )
        items = self._items(s, text, resolver, pub, first_trigger, perfect)
        # "a drill meant as a show of force after North Korea fired ...": the launch is the reason
        # for what the sentence reports, so it is told in passing.
        first = min(good, key=lambda g: g[0].start())[0]
        lead = self.clause_split.search(text, max(0, first.start() - 60), first.start())
        if (
            reaction
            or (
                lead is not None
                and lead.start() > 0
                and not _TIME_CUE_AFTER.match(text, lead.end())
                # "exploded shortly after being launched": the same launch, told in order
                and not _TIME_CUE_BEFORE.search(text, max(0, lead.start() - 12), lead.start())
                and not _SAME_LAUNCH_AFTER.match(text, lead.end())
                and ","
                not in text[lead.end() : first.start()]  # "Shortly before X, North Korea fired"
            )
        ):
            # The launch is told in passing; its date is the one of its own clause ("met on
            # Thursday, days after Pyongyang fired cruise missiles": not Thursday).
            own = lead.start() if lead is not None and not reaction else 0
            whole, base = (
                (self._text, s.start) if self._text[s.start : s.end] == text else (text, 0)
            )
            own_date = _best_date(
                event_dates(resolver, whole, base + own, base + len(text), events=self.verbs)
            )
            for item in items:
                item.background = True
                if item.date is not None and item.date.start < base + own:
                    item.date = own_date
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
        # Dates are read from the article's text (one scan serves every sentence).
        whole, base = (self._text, s.start) if self._text[s.start : s.end] == text else (text, 0)
        dates = resolver.find(whole, base, base + len(text))
        for m in self.clause_split.finditer(text):
            if any(d.start < base + m.start() < d.end for d in dates):
                continue  # "the day before", "a day after": a date, not a turn to another launch
            if (
                m.start() > first_trigger
                and not _TIME_CUE_BEFORE.search(text, max(0, m.start() - 12), m.start())
                and not _TIME_CUE_AFTER.match(text, m.end())
            ):
                cuts.append(m.start())
        cuts.append(len(text))
        items: list[_Item] = []
        for n, (a, b) in enumerate(itertools.pairwise(cuts)):
            names = self._names(text, a, b)
            classes = self._found(self.d.class_terms, text, a, b)
            if n > 0 and not names and not classes:
                if self.objects.search(text, a, b):
                    # "The launch followed last week's test of a new long-range missile":
                    # another missile, told in passing (not a fact of the launch reported)
                    items.append(
                        _Item(s, None, [], "unknown", None, True, False, (s.start + a, s.start + b))
                    )
                elif items:  # no missile of its own: the part still belongs to the claim before
                    prev = items[-1]
                    prev.region = (prev.region[0], s.start + b)
                continue
            date_ref = _best_date(
                event_dates(resolver, whole, base + a, base + b, events=self.verbs)
            )
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

    def count(
        self, text: str, start: int = 0, end: int | None = None, *, weak: bool = True
    ) -> int | None:
        """Missiles counted in text[start:end]; with ``weak``, "a missile" counts as one (only
        where the launch itself is told: "which analysts class as a ballistic missile" is no
        count)."""
        stop = len(text) if end is None else end
        region = text[start:stop]
        if _VAGUE_COUNT.search(region) and not _BARRAGE.search(region):
            explicit = [
                m for m in _COUNT.finditer(region) if m.group("n").lower() not in ("a", "an")
            ]
            if not explicit:
                return None
        for regex in (_BARRAGE, _KOREAN_COUNT, _COUNT_VERB):
            m = regex.search(region)
            if m is not None:
                raw = m.group("n") if m.group("n") else m.groupdict().get("n2")
                value = parse_number(raw or "")
                if value is not None:
                    return int(value)
        weak_count: int | None = None
        for m in _COUNT.finditer(region):
            token = m.group("n").lower()
            noun = m.group("noun").lower()
            plural = noun.endswith("s")
            if token in ("a", "an", "single", "one"):
                if not plural and weak_count is None:
                    weak_count = 1
                continue
            value = WORD_NUMBERS.get(token) if not token.isdigit() else int(token)
            if value is not None and plural:
                return int(value)
        return weak_count if weak else None

    def quantities(self, text: str, start: int, end: int) -> tuple[float | None, float | None]:
        """(distance_km, apogee_km) claimed first in text[start:end]."""
        distance: float | None = None
        apogee: float | None = None
        for kind, km, _ in self.quantity_claims(text, start, end):
            if kind == "distance_km" and distance is None:
                distance = km
            elif kind == "apogee_km" and apogee is None:
                apogee = km
        return distance, apogee

    def quantity_claims(self, text: str, start: int, end: int) -> list[tuple[str, float, int]]:
        """Every distance and apogee claimed in text[start:end]: (field, km, position)."""
        out: list[tuple[str, float, int]] = []
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
            tail = _CONVERSION.match(text, m.end(), end)
            last_end = tail.end() if tail else m.end()
            kind = self._quantity_kind(text, m.start(), m.end(), start, end)
            if kind == "distance":
                out.append(("distance_km", km, m.start()))
            elif kind == "apogee":
                out.append(("apogee_km", km, m.start()))
        return out

    def _quantity_kind(self, text: str, qs: int, qe: int, start: int, end: int) -> str | None:
        left_from = max(start, qs - 60)
        after = text[qe : min(end, qe + 25)]
        if _TARGET_AWAY.match(after) and re.search(
            r"target|표적|목표", text[max(start, qs - 30) : qe + 25], re.I
        ):
            return "distance"  # "hit a target 800 km away"
        if _FROM_LAUNCH_SITE.match(text, qe, min(end, qe + 45)):
            return "distance"  # "some 620 miles (1,000 km) from its launch site"
        if self.not_distance.match(after.lstrip(" ,")) or re.match(
            r"\s*(?:\w+\s+)?(?:off|east|west|north|south|northeast|southeast|from|away|short|inside|outside|within)\b",
            after,
            re.I,
        ):
            return None
        cues: list[tuple[int, str, int]] = []  # (end, kind, start) of each cue word
        for regex, kind in (
            (self.distance_cues, "distance"),
            (self.apogee_cues, "apogee"),
            (self.not_distance, "none"),
        ):
            for c in regex.finditer(text, left_from, qs):
                cues.append((c.end(), kind, c.start()))
        # Korean puts the verb after the number: "800km를 비행했다", "800여㎞를 날아가".
        if re.match(r"\s*[를을이가]\s", text[qe : qe + 3]):
            for c in self.distance_cues.finditer(text, qe, min(end, qe + 12)):
                cues.append((qs - (c.start() - qe) - 1, "distance", qs))
        if not cues:
            return None
        _, kind, cue_start = max(cues)
        if kind == "none":
            return None
        # "could fly more than 8,000 miles": a capability, not a flight
        if _CAPABILITY_BEFORE.search(text, max(start, cue_start - 30), cue_start):
            return None
        return kind

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
            if _WHERE_IT_FELL.search(before):
                continue  # "debris may have fallen on land near Pyongyang": not where it left
            broad = self.d.sites[m.value].broad
            rank = 0 if broad else 1
            if rank > best[1]:
                best = (m.value, rank)
        return best[0], best[1]

    def landing(self, text: str, start: int, end: int) -> str | None:
        found = [
            m
            for m in self._found(self.d.landing_areas, text, start, end)
            # "none had landed inside Japan's EEZ"; "the rocket passed over the Pacific"
            if not _NOT_LANDED.search(text, max(start, m.start - 30), m.start)
            and not (
                m.value == "Pacific Ocean"
                and _OVERFLIGHT.search(text, max(start, m.start - 16), m.start)
            )
        ]
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
        self._sentences = sentences
        self._text = article.text
        if not (self.verbs.search(article.text) or self.nouns.search(article.text)):
            return []  # no launch word anywhere: nothing to report
        clusters: list[_Cluster] = []
        current: _Cluster | None = None
        for s in sentences:
            items = self.anchor_items(s, resolver, pub)
            if items:
                first_cluster: _Cluster | None = None
                taken: list[_Cluster] = []  # two claims of one sentence are two missiles
                for item in items:
                    target = _find_cluster(clusters, current, item, taken)
                    if target is None:
                        target = _Cluster(
                            item.designation, item.missile_class, item.date, item.background
                        )
                        clusters.append(target)
                    else:
                        _merge_item(target, item)
                    target.anchors.append(item)
                    target.last_index = s.index
                    if target not in taken:
                        taken.append(target)
                    if first_cluster is None:
                        first_cluster = target
                for cluster in taken:
                    cluster.siblings.extend(c for c in taken if c is not cluster)
                if current is None or current.background or any(not c.background for c in taken):
                    current = first_cluster
                # else: a launch told in passing; the sentences after it still speak of the one
                # the article reports
            elif (
                current is not None
                and s.index - current.last_index <= DETAIL_WINDOW
                and self._is_detail(s.text)
            ):
                if self._dated_elsewhere(s, resolver, current):
                    # "On Monday night, a rocket ... blew up": another launch, on another day
                    current = None
                    continue
                named = {m.value for m in self._names(s.text)}
                classes = {m.value for m in self._found(self.d.class_terms, s.text)} - {"unknown"}
                if classes and not any(
                    _classes_compatible(c, current.missile_class) for c in classes
                ):
                    if _PLAN_SENTENCE.search(s.text):
                        continue  # "The JCS did not mention a cruise missile"
                    # "several short-range ballistic missiles" after a cruise missile's anchor:
                    # the detail belongs to the ballistic missile told beside it
                    other = next(
                        (
                            c
                            for c in current.siblings
                            if not c.background
                            and any(_classes_compatible(k, c.missile_class) for k in classes)
                        ),
                        None,
                    )
                    if other is not None:
                        current = other
                # "The Hwasal-1s flew 1,500 km, while the Hwasal-2s covered 1,800 km"; "It gave
                # few details about the cruise missile": the other missile of the same launch
                for other in clusters:
                    if other is current or other.background:
                        continue
                    if other.designation in named or (
                        other.designation is None
                        and other.missile_class in classes
                        and other.missile_class != current.missile_class
                        and other in current.siblings
                        and not _PLAN_SENTENCE.search(s.text)  # "did not mention a cruise missile"
                    ):
                        other.details.append(s)
                        other.last_index = s.index
                current.details.append(s)
                current.last_index = s.index
                own = self._own_names(s.text)
                if current.designation is None and len(own) == 1:
                    designation = own.pop()
                    cls = self.d.designation_class[designation]
                    if _classes_compatible(cls, current.missile_class):
                        current.designation = designation
                        current.missile_class = cls
        for cluster in clusters:
            if cluster.date is None and not cluster.background:
                cluster.date = next(
                    (c.date for c in cluster.siblings if c.date is not None and not c.background),
                    None,
                )
        return [
            mention
            for cluster in clusters
            if not all(i.aggregate and i.background for i in cluster.anchors)
            for mention in self._mentions(article, cluster, resolver)
        ]

    def _context_date(self, s: Sentence, resolver: DateResolver) -> tuple[DateRef, Sentence] | None:
        """The day of the nearest sentence before ``s`` that dates an event."""
        for back in range(s.index - 1, -1, -1):
            before = self._sentences[back]
            days = [
                d
                for d in event_dates(
                    resolver, self._text, before.start, before.end, events=self.verbs
                )
                if d.value is not None and d.precision == "day"
            ]
            if days:
                best = _best_date(days)
                if best is not None:
                    return best, before
        return None

    def _dated_elsewhere(self, s: Sentence, resolver: DateResolver, cluster: _Cluster) -> bool:
        """Whether a would-be detail sentence is dated to a day other than the launch's."""
        if cluster.date is None or cluster.date.value is None or cluster.date.precision != "day":
            return False
        text = self._text
        if not resolver.find(text, s.start, s.end):
            return False
        days = []
        for d in event_dates(resolver, text, s.start, s.end, events=self.verbs):
            if d.value is None or d.precision != "day":
                continue
            clause = max(s.start, *(text.rfind(c, s.start, d.start) + 1 for c in ",;:(\u2014"))
            if self._aside.search(text, clause, d.start):
                continue  # "another Hwasong-14, the type first flown on July 4": an aside
            days.append(d.value)
        return bool(days) and all(abs((d - cluster.date.value).days) > 1 for d in days)

    def _own_names(self, text: str) -> set[str]:
        """Designations a detail sentence gives the launch itself, leaving out those it names
        for comparison ("beating the record set by a Hwasong-18", "unlike the Hwasong-16B")."""
        return {
            m.value
            for m in self._names(text)
            if not self.comparison.search(text, max(0, m.start - 45), m.start)
        }

    def _agencies(self, text: str, s: Sentence, start: int, end: int) -> list[tuple[int, str]]:
        """Agencies named in text[start:end] as (position, name); for "It said ..." or "the
        agency said" with none named, the agency named last in the sentence before."""
        found = [(m.start, m.value) for m in self._found(self.d.agency_names, text, start, end)]
        if not found and end < s.end:
            # "..., a week after it tested a Hwasong-11D on May 6, the JCS said.": the speaker at
            # the end of the sentence speaks for all of it
            found = [
                (m.start, m.value)
                for m in self._found(self.d.agency_names, text, end, s.end)
                if _SPEAKS.match(text, m.end)
            ]
        if found or not _AGENCY_ANAPHOR.search(text, start, end) or s.index == 0:
            return found
        before = self._sentences[s.index - 1]
        earlier = self._found(self.d.agency_names, text, before.start, before.end)
        return [(start, earlier[-1].value)] if earlier else []

    def _tells_launch(self, text: str, start: int, end: int) -> bool:
        """Whether text[start:end] speaks of the launch itself (a launch verb, or a launch noun
        that is no compound such as "launch window")."""
        if self.verbs.search(text, start, end):
            return True
        return any(
            not _NOUN_COMPOUND.match(text, m.end()) for m in self.nouns.finditer(text, start, end)
        )

    def _is_detail(self, text: str) -> bool:
        if self.anniversary.search(text):
            return False
        if self._has_missile_word(text) or _QUANTITY.search(text) or _COUNT_VERB.search(text):
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
        # "one of the two missiles appeared to have failed", told before the text says which:
        # no verdict on the salvo as a whole
        partial = {id(p) for p in shared if _PARTIAL.search(text, *p[1])}
        each = [
            self._mention(
                article,
                cluster,
                resolver,
                shared + own,
                _clause(text, next((p for p in own if _ORDINAL.match(text, p[1][0])), own[0])),
                partial,
            )
            for own in parts.values()
        ]
        if len({m.outcome for m in each}) < 2:
            return [whole]  # told apart, but nothing differs that an analyst would count apart
        return [
            dataclasses.replace(
                m,
                num_missiles=1,
                field_spans=tuple(sp for sp in m.field_spans if sp.field != "num_missiles"),
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
        no_verdict: set[int] | None = None,
    ) -> MissileTestMention:
        """One mention from the pieces of text that speak of one launch (or one missile of it).
        The pieces in ``no_verdict`` (by id) say nothing of the outcome of this missile."""
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
        claims: list[tuple[str, float, str | None, Sentence]] = []  # field, value, agency, where
        outcome = "unknown"
        said_by_state_media = False
        running: str | None = None  # the source the text last named: it speaks until another is
        unattributed: set[int] = set()  # sentences whose speaker is no agency
        for piece in pieces:
            s, (a, b), (ra, rb) = piece
            found: dict[str, object] = {}
            named = self._agencies(text, s, ra, rb)
            if named:
                running = named[-1][1]
            elif _SAID.search(text, ra, rb):
                running = None  # "Experts said ...", "North Korea said ...": someone else
                unattributed.add(s.index)
            agencies = named or ([(ra, running)] if running is not None else [])
            count = self._named_count(cluster, text, ra, rb)
            if count is None and (not cluster.background or s.index in anchor_ids):
                count = self.count(text, a, b, weak=s.index in anchor_ids)
            if count is not None:
                claims.append(("num_missiles", float(count), _agency_at(agencies, a), s))
            for kind, km, pos in self.quantity_claims(text, a, b):
                claims.append((kind, km, _agency_at(agencies, pos), s))
            found["num_missiles"] = count
            found["launch_site"] = self.site(text, a, b)[0]
            found["landing_area"] = self.landing(text, a, b)
            found["overseen_by"] = self.overseer(text, a, b)
            # "the previous four all failed": the outcome of other launches
            verdict = (
                None
                if self.past.search(text, a, b) or (no_verdict and id(piece) in no_verdict)
                else self.outcome(text, a, b)
            )
            contributed = (
                s.index in anchor_ids
                or any(v is not None for v in found.values())
                or any(c[3] is s for c in claims)
                or verdict
                or (
                    cluster.designation is not None
                    and any(m.value == cluster.designation for m in self._names(text, ra, rb))
                )
                or (
                    cluster.designation is None
                    and cluster.missile_class not in ("unknown", "MLRS")
                    and any(
                        m.value == cluster.missile_class
                        for m in self._found(self.d.class_terms, text, ra, rb)
                    )
                )
            )
            if (
                date_ref is None
                and s.index not in anchor_ids
                and not self.hypothetical_sentence.search(text, a, b)
                and self._tells_launch(text, a, b)
            ):
                # A detail sentence dates the launch only to the day: a month or year there is
                # another launch's ("the second flight after its debut in April").
                dates = event_dates(resolver, text, a, b, events=self.verbs)
                best = _best_date([d for d in dates if d.precision == "day"])
                if best is not None:
                    date_ref, date_sentence, contributed = best, s, True
            for name, value in found.items():
                if value is not None and name not in values and name != "num_missiles":
                    values[name] = value
                    spans.append(FieldSpan(name, s.start, s.end))
            if verdict == "failure" or (verdict == "success" and outcome == "unknown"):
                outcome = verdict
                spans = [sp for sp in spans if sp.field != "outcome"]
                spans.append(FieldSpan("outcome", s.start, s.end))
            if contributed:
                for _, name in named:
                    if name not in reported:
                        reported.append(name)
                if not said_by_state_media and _STATE_MEDIA_SAID.search(text, ra, rb):
                    said_by_state_media = True
        # Numbers: each claim is kept with the agency it is attributed to; the mention shows the
        # one an official military source gave (JCS first), else the first in the text.
        if len(reported) == 1:  # one source for the whole report: every figure is its own
            claims = [
                (f, v, agency or (None if w.index in unattributed else reported[0]), w)
                for f, v, agency, w in claims
            ]
        for name in ("num_missiles", "distance_km", "apogee_km"):
            mine: list[tuple[str, float, str | None, Sentence]] = []
            for claim in claims:  # each source's first figure ("a first peak of 99.8 km")
                if claim[0] == name and not any(c[2] == claim[2] for c in mine):
                    mine.append(claim)
            if not mine:
                continue
            chosen = min(
                mine,
                key=lambda c: MILITARY_ORDER.index(c[2]) if c[2] in MILITARY_ORDER else 99,
            )
            values[name] = int(chosen[1]) if name == "num_missiles" else chosen[1]
            for field_name, value, agency, where in mine:
                spans.append(
                    FieldSpan(field_name, where.start, where.end, agency=agency, value=value)
                )
        if outcome == "unknown" and (
            said_by_state_media or any(self.d.agencies[a].kind == "state_media" for a in reported)
        ):
            outcome = "success"  # the North reports its tests only as successes
        if date_ref is None and not cluster.background:
            # "Hours before the meeting, ... had fired two missiles": the day the article has just
            # told of (the meeting's), when the launch is timed against it.
            for item in cluster.anchors:
                if _CONTEXT_DAY.search(item.sentence.text):
                    found_context = self._context_date(item.sentence, resolver)
                    if found_context is not None:
                        date_ref, date_sentence = found_context
                        break
        if date_ref is None and not cluster.background:
            # Only the days it was reported on: the launch happened on or before the earliest
            # ("KCNA said on Thursday ..."; "The JCS said on Wednesday it had flown 1,000 km").
            said = [
                (d, s)
                for s, (ra, rb) in cluster.sentences()
                for d in event_dates(resolver, text, ra, rb, reports=True, events=self.verbs)
                if d.value is not None and d.precision == "day"
            ]
            if said:
                date_ref, date_sentence = min(said, key=lambda ds: (ds[0].value, ds[0].start))
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


_AFTER_MISSILE_WORD = re.compile(
    r"\b(?:missile|missiles|rocket|rockets|weapons?|satellite|ICBM|SRBM|IRBM|SLBM|ballistic|cruise|"
    r"flight|nuclear|Korean|its|their|the|these|those|of|on|about|for|against|new|recent|such)\s+$",
    re.I,
)
_DETERMINERS = frozenset(
    [
        "the", "these", "those", "its", "their", "his", "her", "our", "this", "that", "both",
        "all", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "several",
        "multiple", "recent", "latest", "last", "previous", "new", "first", "second", "such",
    ]
)  # fmt: skip


def _generic_plural(text: str, m: re.Match[str]) -> bool:
    """ "Unlike ballistic missile launches, cruise missile tests are not banned": a plural launch
    noun with no determiner, number or possessive before it speaks of launches in general."""
    word = m.group(0).lower()
    if not word.endswith("s") or not word.isascii():
        return False
    before = text[max(0, m.start() - 40) : m.start()].split()[-3:]
    for token in reversed(before):
        bare = token.lower().strip(",;:(\"'‘“")
        if bare in _DETERMINERS or bare.endswith(("'s", "’s")) or bare[:1].isdigit():
            return False
        if token.endswith((",", ";", ":")) or bare in ("of", "in", "and", "or", "by", "for"):
            break
    return True


_ASIDES: dict[int, re.Pattern[str]] = {}


def _aside_pattern(key: int, *patterns: re.Pattern[str]) -> re.Pattern[str]:
    """Words that open an aside about another launch (compiled once per domain)."""
    if key not in _ASIDES:
        _ASIDES[key] = re.compile(
            "|".join(f"(?:{p.pattern})" for p in patterns) + r"|\bfirst\b", re.I
        )
    return _ASIDES[key]


def _agency_at(agencies: list[tuple[int, str]], pos: int) -> str | None:
    """The agency a figure at ``pos`` is attributed to: the one named last before it in the
    sentence, else the first named after it."""
    before = [name for start, name in agencies if start <= pos]
    if before:
        return before[-1]
    return agencies[0][1] if agencies else None


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
    ballistic = "unknown" in found  # "a ballistic missile" (no range class)
    found = [c for c in found if c != "unknown"]
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
    if ballistic and groups and covered <= {"cruise", "SLV"}:
        # "the test-firing of a ballistic missile and of a cruise missile": two missiles
        groups["ballistic"] = (None, "unknown", [])
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
    if secondary:
        return True  # "..., after it fired a Hwasong-15 on Sunday": told in passing
    if ref is not None and ref.kind == "year":
        return pub is None or ref.year is None or ref.year <= pub.year
    if ref is not None and ref.value is not None:
        if ref.precision == "month":
            return True
        if pub is not None and ref.value < pub - timedelta(days=RECENT_DAYS):
            return True
        return bool(pub is not None and ref.value > pub + timedelta(days=1))
    return past_word or aggregate


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
    if item.background and not cluster.background:
        return False  # a launch told in passing never lends its date or name to the one reported
    return _dates_compatible(cluster.date, item.date)


def _find_cluster(
    clusters: list[_Cluster],
    current: _Cluster | None,
    item: _Item,
    taken: list[_Cluster] | None = None,
) -> _Cluster | None:
    taken = taken or []
    if current is not None and current not in taken and _item_fits(current, item):
        return current
    if item.date is None and item.designation is None and item.missile_class == "unknown":
        # An unspecific claim ("the launch") with no date belongs to the launch being told.
        return (
            current
            if current is not None
            and current not in taken
            and not (item.background and not current.background)
            else None
        )
    for cluster in clusters:
        if cluster is not current and cluster not in taken and _item_fits(cluster, item):
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
