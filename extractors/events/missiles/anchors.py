"""Anchor sentences: the sentences that report a North Korean launch, and the launch claims in
each (one per missile named, each with its date and whether it is told in passing).

A sentence is an anchor when it holds a launch verb or noun and a missile word, no other state
is the launch's subject, and no modal, plan or condition stands before the verb ("may launch",
"plans to fire", "If North Korea launches").
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from extractors.events.dates import DateRef, event_dates
from extractors.events.domain import PhraseMatch
from extractors.events.missiles.classes import missile_groups
from extractors.events.missiles.dating import best_date, is_background
from extractors.events.missiles.fields import count
from extractors.events.missiles.patterns import (
    ACCOMPANIED,
    AFTER_MISSILE_WORD,
    ANAPHORIC_TEST_BEFORE,
    BARE_LAUNCH_NOUN,
    BEING_BEFORE,
    BELIEF_CLAUSE,
    BUT_CLAUSE,
    BY_NK,
    CLAUSE_BREAK,
    CLAUSE_START,
    CONDITIONAL_BEFORE,
    DEPICTION_BEFORE,
    FLIGHT_OF_MISSILE,
    FURTHER,
    FURTHER_WORD,
    GROUND_TEST,
    IMMEDIATELY_BEFORE,
    KOREAN_FUTURE,
    KOREAN_SINCE,
    KOREAN_SUBJECT,
    LAUNCHES_TOLD_AFTER,
    MEANS,
    MISSILES_AND_BEFORE,
    NOT_A_LAUNCH_BEFORE,
    NOT_A_MISSILE_AFTER,
    NOUN_ANY_BEFORE,
    NOUN_COMPOUND,
    NOUN_MODAL_AFTER,
    NOUN_OF,
    NUMBER_BEFORE_MORE,
    OF_AFTER,
    ORBIT_LAUNCH,
    ORDINAL_SCOPE_BEFORE,
    OTHER_EVENT_BEFORE,
    OWN_PHASE_AFTER,
    PARTICIPLE_AFTER_NAME,
    PERFECT_BEFORE,
    REACTION_BEFORE,
    SAME_LAUNCH_AFTER,
    THIS_BEFORE,
    TIME_CUE_AFTER,
    TIME_CUE_BEFORE,
    TO_BEFORE,
)
from extractors.events.missiles.reading import Reading
from extractors.events.text import Sentence


@dataclass
class Item:
    """One launch claim inside one anchor sentence."""

    sentence: Sentence
    designation: str | None
    names: list[str]
    missile_class: str
    date: DateRef | None
    background: bool
    aggregate: bool
    region: tuple[int, int]  # the part of the sentence this claim covers (text offsets)
    further: bool = False  # "two further missiles were launched": after those told before
    # "The test was accompanied by smaller MLRS launches": another system fired at the same test
    accompanying: bool = False
    # where a clause names two kinds of missile ("two missiles and rocket artillery"), the words
    # of this one (text offsets): its count is the number right before them
    own: tuple[int, int] | None = None


_DETERMINERS = frozenset(
    [
        "the", "these", "those", "its", "their", "his", "her", "our", "this", "that", "both",
        "all", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "several",
        "multiple", "recent", "latest", "last", "previous", "new", "first", "second", "such",
    ]
)  # fmt: skip


def generic_plural(text: str, m: re.Match[str]) -> bool:
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


def _missile_word_follows(r: Reading, s: Sentence) -> bool:
    """Whether one of the two sentences after ``s`` names a missile."""
    return any(r.has_missile_word(n.text) for n in r.sentences[s.index + 1 : s.index + 3])


def _north_subject(r: Reading, text: str, m: re.Match[str]) -> bool:
    """Whether the North is named as the subject of the clause of ``m`` ("North Korea conducted
    an attempted launch", "Pyongyang's launch")."""
    start = 0
    for c in CLAUSE_START.finditer(text, 0, m.start()):
        start = c.end()
    found = r.states(text, start, m.start())
    return bool(found) and "PRK" in found[-1].value.split("+")


def trigger_ok(r: Reading, text: str, m: re.Match[str], is_noun: bool) -> bool:
    """Whether a launch verb or noun in sentence ``text`` reports a North Korean launch that
    happened."""
    t = r.t
    local_start = 0
    for c in CLAUSE_START.finditer(text, 0, m.start()):
        local_start = c.end()
    subject: PhraseMatch | None = None
    for actor in r.states(text, local_start, m.start()):
        subject = actor
    if subject is not None and "PRK" not in subject.value.split("+"):
        # "Seoul believes these launches were ...": Seoul speaks; the launches are not its own
        for c in BELIEF_CLAUSE.finditer(text, local_start, m.start()):
            local_start = c.end()
        subject = None
        for actor in r.states(text, local_start, m.start()):
            subject = actor
    korean_subject = (
        None
        if text.isascii()
        else next(
            (
                actor
                for actor in r.states(text, 0, m.start())
                if KOREAN_SUBJECT.match(text, actor.end)
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
        subject = next(iter(r.states(text, 0, m.start())), None)
    if (
        subject is not None
        and "PRK" not in subject.value.split("+")
        and BY_NK.match(text, m.end()) is None
    ):
        return False  # another state's launch ("Iran launched", "South Korea test-fired")
    # A modal or plan between the subject and the verb: not a launch that happened.
    # ("the possibility of a hypersonic missile test being conducted soon": a participle reaches
    # further back, to the noun phrase it belongs to)
    reach = 80 if BEING_BEFORE.search(text, max(0, m.start() - 7), m.start()) else 40
    window_start = max(subject.end if subject else local_start, m.start() - reach)
    if t.hypothetical.search(text, window_start, m.start()):
        return False
    if subject is not None and CONDITIONAL_BEFORE.search(
        text, max(0, subject.start - 12), subject.start
    ):
        return False  # "If North Korea launches ..."
    if is_noun:
        if NOT_A_LAUNCH_BEFORE.search(text, max(0, m.start() - 12), m.start()):
            return False  # "a nuclear test", "an engine test"
        # "experts warn that North Korea may be preparing for a new ICBM launch", "it would be
        # the North's first satellite launch": a modal or plan anywhere in the clause before
        # the noun (a possessive subject is part of the noun phrase)
        clause_from = max(local_start, m.start() - 80)
        if t.hypothetical.search(text, max(0, min(clause_from, m.start() - 30)), m.start()):
            return False
        if NOUN_MODAL_AFTER.match(text, m.end()):
            return False
        if NOUN_ANY_BEFORE.search(text, max(0, m.start() - 25), m.start()):
            return False
        if " of a" in text[max(0, m.start() - 60) : m.start()] and DEPICTION_BEFORE.search(
            text, max(0, m.start() - 60), m.start()
        ):
            return False  # "a photograph of a Hwasong-15 launch"
        of = NOUN_OF.match(text, m.end())
        if of is not None and not (
            any(
                not NOT_A_MISSILE_AFTER.match(of.group(1), o.end())
                for o in t.objects.finditer(of.group(1))
            )
            or any(m.end() <= n.start < of.end() for n in r.names(text))
            or r.classes(text, m.end(), of.end())
        ):
            return False  # "the launch of South Korea's Strategic Command"
    if KOREAN_FUTURE.match(text, m.end()):
        return False
    if TO_BEFORE.search(text, max(0, m.start() - 4), m.start()):
        return False  # "a window to launch a satellite"
    # A foreign missile named beside the verb: another country's test.
    near = (max(0, m.start() - 30), min(len(text), m.end() + 60))
    foreign = next(iter(r.found(r.d.foreign_missiles, text, *near)), None)
    if foreign is not None:
        own = next(iter(r.names(text, *near)), None)
        if own is None or own.start > foreign.start:
            return False
    return True


def _clause_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause (between commas, semicolons or dashes) that holds text[start:end]."""
    before = [b.end() for b in CLAUSE_BREAK.finditer(text, 0, start)]
    after = CLAUSE_BREAK.search(text, end)
    return (before[-1] if before else 0), (after.start() if after else len(text))


def _commemorated(r: Reading, text: str, m: re.Match[str]) -> bool:
    """ "marked the fifth anniversary of its first ICBM launch": the launch is what is remembered
    (an anniversary word before it in the same clause; in Korean, anywhere in the sentence).
    "fired a Scud on the eve of the armistice anniversary" is a launch on a remembered day."""
    if not text.isascii():
        return r.t.anniversary.search(text) is not None
    for a in r.t.anniversary.finditer(text, 0, m.start()):
        between = text[a.end() : m.start()]
        if CLAUSE_BREAK.search(between) or MEANS.search(between):
            continue  # "On the anniversary, ... fired"; "marked the day by firing"
        if a.group(0).lower().startswith("anniversar") and not OF_AFTER.match(between):
            continue  # "the armistice anniversary launch" is timed, not remembered
        return True
    return False


def anchor_items(r: Reading, s: Sentence, *, first_report: bool = False) -> list[Item] | None:
    """The launch claims of an anchor sentence, or None when it is no anchor. In a
    ``first_report`` (no launch told before it in the article), a missile that flew or failed
    ("The missile exploded shortly after") is launched, and a launch noun whose subject is the
    North needs no missile word when the next sentences have one."""
    t = r.t
    text = s.text
    verbs = list(t.verbs.finditer(text))
    if "orbit" in text or "space" in text:
        verbs += ORBIT_LAUNCH.finditer(text)
    if first_report and ("missile" in text or "rocket" in text or "projectile" in text):
        verbs += FLIGHT_OF_MISSILE.finditer(text)
    nouns = list(t.nouns.finditer(text))
    if not (verbs or nouns):
        return None
    # "a solid-fuel engine ground test": an engine fired on a stand, no launch; a launch told in
    # another clause of the sentence still is one ("the launch followed an engine test in March")
    ground = [_clause_around(text, g.start(), g.end()) for g in GROUND_TEST.finditer(text)]
    if ground:
        r.ground_test_at = s.index
    missile_here = r.has_missile_word(text)
    if not missile_here and not (first_report and _missile_word_follows(r, s)):
        return None
    if t.years_ago.search(text):
        return None  # a launch years ago
    triggers: list[tuple[re.Match[str], bool]] = [
        (m, False)
        for m in verbs
        # "cruise missile tests", "ballistic missile launches": nouns, not verbs
        if not (
            m.group(0).lower().endswith("s")
            and AFTER_MISSILE_WORD.search(text, max(0, m.start() - 14), m.start())
        )
    ]
    after_ground_test = r.ground_test_at is not None and s.index - r.ground_test_at <= 3
    triggers += [
        (m, True)
        for m in nouns
        if not NOUN_COMPOUND.match(text, m.end())
        and not generic_plural(text, m)
        # "North Korea tested a solid-fuel engine. The test was overseen by ...": that test
        and not (
            after_ground_test
            and m.group(0).lower().startswith("test")
            and ANAPHORIC_TEST_BEFORE.search(text, max(0, m.start() - 30), m.start())
        )
    ]
    good = [
        (m, noun)
        for m, noun in triggers
        if not any(a <= m.start() < b for a, b in ground)
        and trigger_ok(r, text, m, noun)
        and not _commemorated(r, text, m)
    ]
    if not missile_here:
        # "North Korea conducted an attempted launch on March 16 which failed": the North's
        # launch, by name (a test or a verb could be anything)
        # "the next three launches were detected at 8:51 AM from the Wonsan area": launches
        # counted or detected are launches told, whoever the subject is
        good = [
            (m, noun)
            for m, noun in good
            if noun
            and BARE_LAUNCH_NOUN.fullmatch(m.group(0))
            and (
                _north_subject(r, text, m)
                or LAUNCHES_TOLD_AFTER.match(text, m.end())
                or NUMBER_BEFORE_MORE.search(text, max(0, m.start() - 12), m.start()) is not None
            )
        ]
    if not good:
        return None
    # "Less than two weeks after the rail-mobile missile launch, North Korea tested a new
    # missile": a fronted adverbial sets a past launch beside the one the main clause reports
    fronted = _fronted_adverbial(r, text)
    if fronted is not None and not (
        any(m.start() >= fronted for m, _ in good) and any(m.start() < fronted for m, _ in good)
    ):
        fronted = None
    if fronted is not None:
        good = [g for g in good if g[0].start() >= fronted]
    first_trigger = min(m.start() for m, _ in good)
    # "The Security Council condemned North Korea's latest satellite launch": the launch is
    # what the sentence reacts to, told in passing
    reaction = all(
        noun and REACTION_BEFORE.search(text, max(0, m.start() - 60), m.start()) for m, noun in good
    )
    perfect = any(
        not noun and PERFECT_BEFORE.search(text, max(0, m.start() - 30), m.start())
        for m, noun in good
    )
    # "This test marked the busiest month of testing in its history": the launch the article
    # reports, whatever past word its sentence holds
    this_launch = any(
        noun and THIS_BEFORE.search(text, max(0, m.start() - 20), m.start()) for m, noun in good
    )
    items = _items(r, s, first_trigger, perfect, fronted, this_launch=this_launch)
    # "a drill meant as a show of force after North Korea fired ...": the launch is the reason
    # for what the sentence reports, so it is told in passing.
    first = min(good, key=lambda g: g[0].start())[0]
    lead = t.clause_split.search(text, max(0, first.start() - 60), first.start())
    if (
        reaction
        or (
            lead is not None
            and lead.start() > 0
            and not TIME_CUE_AFTER.match(text, lead.end())
            # "exploded shortly after being launched": the same launch, told in order
            and not TIME_CUE_BEFORE.search(text, max(0, lead.start() - 12), lead.start())
            and not SAME_LAUNCH_AFTER.match(text, lead.end())
            and "," not in text[lead.end() : first.start()]  # "Shortly before X, North Korea fired"
        )
    ):
        # The launch is told in passing; its date is the one of its own clause ("met on
        # Thursday, days after Pyongyang fired cruise missiles": not Thursday).
        own = lead.start() if lead is not None and not reaction else 0
        whole, base = r.whole(s)
        own_date = best_date(
            event_dates(r.resolver, whole, base + own, base + len(text), events=t.verbs)
        )
        for item in items:
            if own and item.region[1] <= s.start + own and not item.names:
                continue  # "The missile flew 590 km, a lower path than the KN-23 tested in ..."
            item.background = True
            if item.date is not None and item.date.start < base + own:
                item.date = own_date
    return items


def _missiles_and(r: Reading, text: str, a: int, b: int) -> bool:
    """ "tested two missiles and rocket artillery": missiles of no class coordinated with a class
    of their own ("fired rockets from multiple rocket launchers" is one kind)."""
    if " and " not in text[a:b]:
        return False
    classes = r.classes(text, a, b)
    if not any(m.value in ("MLRS", "cruise", "SLV") for m in classes):
        return False
    spans = [(m.start, m.end) for m in classes] + [(m.start, m.end) for m in r.names(text, a, b)]
    for o in r.t.objects.finditer(text, a, b):
        if any(x <= o.start() < y for x, y in spans):
            continue
        for x, _ in spans:
            if x > o.end() and MISSILES_AND_BEFORE.fullmatch(text, o.end(), x):
                return True
    return False


def _own_words(
    r: Reading,
    text: str,
    a: int,
    b: int,
    groups: list[tuple[str | None, str, list[str]]],
    classes: list[PhraseMatch],
    names: list[PhraseMatch],
) -> dict[str, tuple[int, int]]:
    """For a clause that names several kinds of missile, the words of each unnamed kind by its
    class ("a short-range missile and rounds from multiple rocket launchers": "missile" for the
    missiles of no class, "multiple rocket launchers" for the MLRS)."""
    if len(groups) < 2:
        return {}
    out: dict[str, tuple[int, int]] = {}
    taken = [(m.start, m.end) for m in [*classes, *names]]
    for _, cls, _ in groups:
        if cls in out:
            continue
        if cls != "unknown":
            found = next((m for m in classes if m.value == cls), None)
            if found is not None:
                out[cls] = (found.start, found.end)
            continue
        ballistic = next((m for m in classes if m.value == "unknown"), None)
        if ballistic is not None:
            out[cls] = (ballistic.start, ballistic.end)
            continue
        for o in r.t.objects.finditer(text, a, b):
            if not any(x <= o.start() < y for x, y in taken):
                out[cls] = (o.start(), o.end())
                break
    return out


def _fronted_adverbial(r: Reading, text: str) -> int | None:
    """Where the main clause starts after a fronted adverbial that turns to another event ("Days
    after the Hwasong-15 test, ..."), or None."""
    comma = CLAUSE_BREAK.search(text)
    if comma is None or comma.start() > 160:
        return None
    turn = r.t.clause_split.search(text, 0, comma.start())
    if turn is None or turn.start() > 40 or TIME_CUE_AFTER.match(text, turn.end()):
        return None
    return comma.end()


def _items(
    r: Reading,
    s: Sentence,
    first_trigger: int,
    perfect: bool,
    fronted: int | None = None,
    *,
    this_launch: bool = False,
) -> list[Item]:
    t = r.t
    text = s.text
    # Split where the sentence turns to another launch ("..., months after it fired a Hwasong-15
    # on July 12"): a part after a turn is a claim of its own only if it names a missile. A
    # fronted adverbial ("Days after the Hwasong-15 test, ...") is a part of its own, told in
    # passing, before the main clause.
    cuts = [0] if fronted is None else [0, fronted]
    main = 0 if fronted is None else 1
    whole, base = r.whole(s)
    dates = r.resolver.find(whole, base, base + len(text))
    for m in t.clause_split.finditer(text):
        if any(d.start < base + m.start() < d.end for d in dates):
            continue  # "the day before", "a day after": a date, not a turn to another launch
        # ("exploded seconds after lift-off", "crashed minutes after being launched": the same
        # launch; "hours after new measures over its nuclear test": another event)
        if (
            m.start() > first_trigger
            and not TIME_CUE_AFTER.match(text, m.end())
            and not OWN_PHASE_AFTER.match(text, m.end())
            # "exploded shortly after leaving the submarine": the same launch, told in order
            and not IMMEDIATELY_BEFORE.search(text, max(0, m.start() - 12), m.start())
        ):
            cuts.append(m.start())
    # "The North claimed the missile was the Hwasong-17, but analysts suspect the footage was
    # from the failed March 16 launch": a clause after "but" that dates a launch of its own
    for m in BUT_CLAUSE.finditer(text, first_trigger):
        end = CLAUSE_BREAK.search(text, m.end())
        stop = end.start() if end else len(text)
        if any(
            base + m.end() <= d.start < base + stop
            and d.precision == "day"
            and d.kind == "explicit"
            for d in dates
        ) and r.tells_launch(text, m.end(), stop):
            cuts.append(m.start())
    # "The missile flew 600 km, a performance like that of the KN-23 tested in October 2021":
    # the name and its own past launch are a part of their own, from the clause they open
    for name in r.names(text):
        if PARTICIPLE_AFTER_NAME.match(text, name.end):
            breaks = [b.start() for b in CLAUSE_BREAK.finditer(text, cuts[-1] + 1, name.start)]
            if breaks:
                cuts.append(breaks[-1])
    # "The test was accompanied by smaller MLRS launches, some of ...": the clause after the
    # words is another system's launch at the same test
    beside: set[int] = set()
    if "ccompanied" in text or "involved" in text:
        for m in ACCOMPANIED.finditer(text, cuts[-1] + 1):
            # the clause that names the other missiles ("of multiple, much shorter range missiles")
            what = t.objects.search(text, m.end())
            end = CLAUSE_BREAK.search(text, what.end() if what else m.end())
            cuts.append(m.start())
            beside.add(m.start())
            if end is not None:
                cuts.append(end.start())
    cuts = sorted(set(cuts))
    cuts.append(len(text))
    items: list[Item] = []
    for n, (a, b) in enumerate(itertools.pairwise(cuts)):
        names = r.names(text, a, b)
        classes = r.classes(text, a, b)
        # ("The launch was accompanied by a statement": no missiles, no launch of its own)
        accompanying = a in beside and bool(names or classes or t.objects.search(text, a, b))
        if n != main and not names and not classes and not accompanying:
            if t.objects.search(text, a, b) or n < main:
                # "The launch followed last week's test of a new long-range missile":
                # another missile, told in passing (not a fact of the launch reported)
                items.append(
                    Item(s, None, [], "unknown", None, True, False, (s.start + a, s.start + b))
                )
            elif items and n > main:  # no missile of its own: it belongs to the claim before
                prev = items[-1]
                prev.region = (prev.region[0], s.start + b)
            continue
        date_ref = best_date(
            [
                d
                for d in event_dates(r.resolver, whole, base + a, base + b, events=t.verbs)
                # "its nuclear test in January and a rocket launch last month": January is
                # the nuclear test's
                if not OTHER_EVENT_BEFORE.search(whole, max(base + a, d.start - 48), d.start)
                # "its first missile test of 2022" (published in 2022): a count, not a date
                and not (
                    d.kind == "year"
                    and r.pub is not None
                    and d.year == r.pub.year
                    and ORDINAL_SCOPE_BEFORE.search(whole, max(base + a, d.start - 60), d.start)
                )
            ]
        )
        groups = missile_groups(
            names, classes, r.d.designation_class, other_missiles=_missiles_and(r, text, a, b)
        )
        aggregate = t.aggregate.search(text, a, b) is not None
        past_word = not (this_launch and n == main) and (
            t.past.search(text, a, b) is not None or bool(KOREAN_SINCE.search(text, a, b))
        )
        further = FURTHER_WORD.search(text, a, b) is not None and any(
            f.group("word").lower() != "more"
            or NUMBER_BEFORE_MORE.search(text, max(0, f.start() - 12), f.start())
            for f in FURTHER.finditer(text, a, b)
        )
        owns = _own_words(r, text, a, b, groups, classes, names)
        for designation, cls, surfaces in groups or [(None, "unknown", [])]:
            own = owns.get(cls) if designation is None else None
            background = is_background(
                date_ref, r.pub, n != main and not accompanying, past_word, aggregate, perfect
            )
            items.append(
                Item(
                    sentence=s,
                    designation=designation,
                    names=surfaces,
                    missile_class=cls,
                    date=date_ref,
                    background=background,
                    aggregate=aggregate,
                    region=(s.start + a, s.start + b),
                    further=further,
                    accompanying=accompanying,
                    own=(s.start + own[0], s.start + own[1]) if own else None,
                )
            )
    # "has fired dozens of missiles": a history, not a launch
    if items and perfect and not any(i.date for i in items) and count(text) is None:
        for item in items:
            item.background = True
    return items
