"""One launch of an article as a :class:`MissileTestMention`: its fields read from the pieces
of text that speak of it, each figure kept with the source it is attributed to, and its date.

A launch whose missiles the text tells apart ("The first broke up in flight, but the second
flew 400 km") becomes one mention per missile when their outcomes differ.
"""

from __future__ import annotations

import dataclasses
import re
from datetime import timedelta

from extractors.events.dates import DateRef, event_dates
from extractors.events.missiles import fields
from extractors.events.missiles.clusters import Cluster
from extractors.events.missiles.dating import (
    best_date,
    clause_start,
    context_date,
    is_background,
)
from extractors.events.missiles.patterns import (
    CAME_DOWN,
    CLAUSE_TAIL,
    CLOCK_TIME,
    CONTEXT_DAY,
    EEZ,
    INITIAL_CLAIM,
    MISSILE_SUBJECT_BEFORE,
    NAME_JOINT,
    OF_TOTAL,
    ORDINAL,
    ORDINAL_NUMBER,
    OTHER_EVENT_BEFORE,
    PLAN_SENTENCE,
    PLURAL_LAUNCHES,
    PLURAL_MISSILES,
    SAID,
    SINGLE_MISSILE_FLEW,
    UTC_TIME,
    VERB_MISSILE_OBJECT,
)
from extractors.events.missiles.reading import Reading
from extractors.events.records import MILITARY_ORDER, FieldSpan, MissileTestMention
from extractors.events.text import Sentence
from extractors.vocabulary import DatePrecision

Piece = tuple[Sentence, tuple[int, int], tuple[int, int]]  # sentence, its part, agency region
# a figure someone who is no agency is said to give ("The North said it flew 1,000 km")
OTHER_SPEAKER = ""
Claim = tuple[str, float, str | None, Sentence]  # field, value, agency, where
DIGIT = re.compile(r"\d")


def launch_mentions(r: Reading, cluster: Cluster, version: str) -> list[MissileTestMention]:
    """The launch as one mention: one system on one day, however many missiles the text tells
    apart ("The first broke up in flight, but the second flew 400 km": one mention, a failure,
    400 km). Only a first missile of another system than the rest ("three missile launches.
    The first was a failed ICBM test") is a mention of its own, beside the rest."""
    text = r.text
    pieces: list[Piece] = [
        (s, _region_for(r, cluster, ra, rb), (ra, rb)) for s, (ra, rb) in cluster.sentences()
    ]
    anchor = cluster.anchors[0].sentence
    whole = _mention(r, cluster, version, pieces, anchor)
    added = [_stated_count(r, c) for c in cluster.merged]
    if whole.num_missiles is not None and added and None not in added:
        # "fired a missile at 7 a.m. ... two more hours later": three
        whole = dataclasses.replace(whole, num_missiles=whole.num_missiles + sum(added))  # type: ignore[arg-type]
    shared, parts = _ordinal_parts(text, pieces)
    if set(parts) == {1}:
        apart = _first_apart(r, cluster, version, shared, parts[1])
        if apart:
            return apart
    if len(parts) < 2:
        return [whole]
    # one missile's figures each: the largest (each part prefers an official military source)
    each = [_mention(r, cluster, version, shared + own, anchor) for own in parts.values()]
    distances = [m.distance_km for m in each if m.distance_km is not None]
    apogees = [m.apogee_km for m in each if m.apogee_km is not None]
    shown = {(sp.field, sp.value, sp.agency) for sp in whole.field_spans}
    figures = [
        sp
        for m in each
        for sp in m.field_spans
        if sp.field in ("distance_km", "apogee_km")
        and sp.value is not None
        and (sp.field, sp.value, sp.agency) not in shown
    ]
    return [
        dataclasses.replace(
            whole,
            field_spans=(*whole.field_spans, *dict.fromkeys(figures)),
            num_missiles=whole.num_missiles or max(parts),  # "the first ... the second": two
            distance_km=max(distances) if distances else whole.distance_km,
            apogee_km=max(apogees) if apogees else whole.apogee_km,
            reported_by=tuple(sorted({a for m in [whole, *each] for a in m.reported_by})),
        )
    ]


def _stated_count(r: Reading, cluster: Cluster) -> int | None:
    """The count said where a launch is first told ("two further missiles were launched")."""
    item = cluster.anchors[0]
    a, b = item.region
    return fields.count(r.text, a, b) or fields.named_count(r, cluster.designation, r.text, a, b)


def _first_apart(
    r: Reading, cluster: Cluster, version: str, shared: list[Piece], first: list[Piece]
) -> list[MissileTestMention]:
    """ "North Korea conducted three missile launches. The first ... was a failed ICBM test,
    possibly a Hwasong-17": the first missile, named as a system the total is not, is a launch
    of its own; the others (less those told as fired after it) are another."""
    text = r.text
    total = next(
        (n for s, (a, b), _ in shared if (n := fields.count(text, a, b, weak=False)) is not None),
        None,
    )
    if total is None or total < 2:
        return []

    def named(ps: list[Piece]) -> bool:
        return any(
            r.names(text, a, b) or any(c.value != "unknown" for c in r.classes(text, a, b))
            for _, (a, b), _ in ps
        )

    if named(shared) or not named(first):
        return []
    evidence = _clause(text, next((p for p in first if ORDINAL.match(text, p[1][0])), first[0]))
    one = _mention(r, cluster, version, shared + first, evidence)
    mentions = [
        dataclasses.replace(
            one,
            num_missiles=1,
            field_spans=tuple(sp for sp in one.field_spans if sp.field != "num_missiles"),
        )
    ]
    later = [_stated_count(r, c) for c in cluster.followers]
    rest = total - 1 - sum(n or 0 for n in later)
    if rest > 0:
        own = {s.index for s, _, _ in shared}
        items = [i for i in cluster.anchors if i.sentence.index in own]
        others = dataclasses.replace(
            cluster,
            designation=None,
            missile_class=items[0].missile_class if items else "unknown",
            anchors=items or cluster.anchors[:1],
            details=[],
            siblings=[],
            followers=[],
            merged=[],
        )
        m = _mention(r, others, version, shared, shared[0][0])
        mentions.append(
            dataclasses.replace(
                m,
                num_missiles=rest,
                field_spans=tuple(sp for sp in m.field_spans if sp.field != "num_missiles"),
            )
        )
    return mentions


def _region_for(r: Reading, cluster: Cluster, a: int, b: int) -> tuple[int, int]:
    """Where several missiles are named in one sentence, the part that speaks of this one."""
    if cluster.designation is None:
        return a, b
    names = r.names(r.text, a, b)
    if len({m.value for m in names}) < 2:
        return a, b
    own = [m for m in names if m.value == cluster.designation]
    if not own:
        return a, b
    first = own[0]
    # "a power test of the Hwasal-1 Ra-3 ... and a test-launch of the new-type anti-aircraft
    # missile Pyoljji-1-2": each name's part starts at the joint before the words that lead to it
    before = [m for m in names if m.end <= first.start and m.value != cluster.designation]
    later = [m for m in names if m.start > first.start and m.value != cluster.designation]
    begin = a if not before else _joint(r.text, before[-1].end, first.start)
    return begin, (_joint(r.text, first.end, later[0].start) if later else b)


def _joint(text: str, after: int, before: int) -> int:
    """Where the words about one name end and those about the next begin: the last comma or
    "and" between them, else the next name itself."""
    joints = list(NAME_JOINT.finditer(text, after, before))
    return joints[-1].start() if joints else before


def _clause(text: str, piece: Piece) -> Sentence:
    """The part of a sentence a piece covers, as the evidence of one missile of a salvo."""
    sentence, (a, b), _ = piece
    while a < b and (text[a].isspace() or text[a] in ",;:"):
        a += 1
    while b > a and (text[b - 1].isspace() or text[b - 1] in ",;:"):
        b -= 1
    tail = CLAUSE_TAIL.search(text, a, b)
    if tail is not None:
        b = tail.start()
    return Sentence(sentence.index, a, b, text[a:b])


def _ordinal_parts(text: str, pieces: list[Piece]) -> tuple[list[Piece], dict[int, list[Piece]]]:
    """Split pieces at ordinal markers: (shared pieces before any marker, pieces per missile)."""
    shared: list[Piece] = []
    parts: dict[int, list[Piece]] = {}
    current: int | None = None
    for s, (a, b), agency in pieces:
        cuts = []
        for m in ORDINAL.finditer(text, a, b):
            word = re.sub(r"\s+", "", (m.group("en") or m.group("ko"))).lower()
            cuts.append((m.start(), ORDINAL_NUMBER[word]))
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


def _mention(
    r: Reading,
    cluster: Cluster,
    version: str,
    pieces: list[Piece],
    anchor: Sentence,
) -> MissileTestMention:
    """One mention from the pieces of text that speak of one launch (or one missile of it)."""
    text = r.text
    anchor_ids = {i.sentence.index for i in cluster.anchors}
    named_counts: set[int] = set()  # sentences that count this system by its name
    entry_totals: set[int] = set()  # sentences with "(1 of 3)"
    first_claims: set[int] = set()  # sentences that tell what was first reported
    # "There is conflicting information about these tests. ... This missile disappeared from
    # radar": launches told in the plural; "this missile" is one of them, not their number
    several = any(PLURAL_LAUNCHES.search(text, ra, rb) for _, (ra, rb) in cluster.sentences())
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
    claims: list[Claim] = []
    outcome = "unknown"
    running: str | None = None  # the source the text last named: it speaks until another is
    unattributed: set[int] = set()  # sentences whose speaker is no agency
    site_rank = -1
    for piece in pieces:
        s, (a, b), (ra, rb) = piece
        found: dict[str, object] = {}
        named = fields.agencies(r, s, ra, rb)
        if named:
            running = named[-1][1]
        elif SAID.search(text, ra, rb):
            running = None  # "Experts said ...", "North Korea said ...": someone else
            unattributed.add(s.index)
        agencies = named or ([(ra, running)] if running is not None else [])
        count = fields.named_count(r, cluster.designation, text, ra, rb, weak=False)
        if count is not None and len({m.value for m in r.names(text, ra, rb)}) > 1:
            named_counts.add(s.index)  # "Two Scuds and a Rodong": a count per system
        own = next((i.own for i in cluster.anchors if i.sentence.index == s.index and i.own), None)
        if own is not None:
            # "two missiles and rocket artillery": each kind's own number, if it has one
            count = fields.count_before(text, a, own[0], weak=True)
        elif count is None and (not cluster.background or s.index in anchor_ids):
            count = fields.count(
                text,
                a,
                b,
                weak=s.index in anchor_ids and not several,
                names=[(m.start, m.end) for m in r.names(text, a, b)]
                if DIGIT.search(text, a, b)
                else (),
            )
            if count is None and s.index in anchor_ids:
                count = fields.named_count(r, cluster.designation, text, ra, rb)
        if count is not None:
            claims.append(("num_missiles", float(count), fields.agency_at(agencies, a), s))
            if OF_TOTAL.search(text, a, b):
                entry_totals.add(s.index)  # "(1 of 3)": the analyst's own tally of the launch
            elif INITIAL_CLAIM.search(text, ra, rb):
                first_claims.add(s.index)  # "Initial reports spoke of a salvo of 3 or 4"
        quantities = fields.quantity_claims(r, text, a, b)
        # (a part cut at "the first" / "the second" is one missile's: it borrows nothing)
        own_part = ORDINAL.match(text, b) is not None
        if not quantities and b < rb and s.index in anchor_ids and not own_part:
            # "two Scud missiles and a Rodong missile ..., each flying about 600 km": figures
            # after every name of the sentence are each one's
            quantities = fields.quantity_claims(
                r, text, max(a, _last_name_end(r, text, ra, rb)), rb
            )
        for kind, km, pos in quantities:
            # "The North said it flew 1,000 km, while the JCS said ... 600 km": a figure after
            # someone else's word of saying is not the agency's named after it
            said_first = SAID.search(text, ra, pos) is not None
            agency = fields.agency_at(agencies, pos, after=not said_first)
            claims.append((kind, km, OTHER_SPEAKER if agency is None and said_first else agency, s))
        found["num_missiles"] = count
        site, rank = fields.site(r, text, a, b)
        if site is None and (a, b) != (ra, rb) and s.index in anchor_ids and not own_part:
            # "5 Scud missiles and 2 Nodong missiles from Kittaeryong": a place after every name
            # of the sentence is each one's
            site, rank = fields.site(r, text, max(a, _last_name_end(r, text, ra, rb)), rb)
        if site is not None and rank > site_rank:
            # a place named later that is more specific ("from South Hamgyong province", then
            # "from near Hamhung") replaces the broader one
            if site_rank >= 0:
                values.pop("launch_site", None)
                spans = [sp for sp in spans if sp.field != "launch_site"]
            site_rank = rank
        else:
            site = None
        found["launch_site"] = site
        found["landing_area"] = fields.landing(r, text, a, b)
        found["overseen_by"] = fields.overseer(r, text, a, b)
        # "the previous four all failed": the outcome of other launches
        verdict = None if r.t.past.search(text, a, b) else fields.outcome(r, text, a, b)
        contributed = (
            s.index in anchor_ids
            or any(v is not None for v in found.values())
            or any(c[3] is s for c in claims)
            or verdict
            or (
                cluster.designation is not None
                and any(m.value == cluster.designation for m in r.names(text, ra, rb))
            )
            or (
                cluster.designation is None
                and cluster.missile_class not in ("unknown", "MLRS")
                and any(m.value == cluster.missile_class for m in r.classes(text, ra, rb))
            )
            # "Japan's Defense Ministry said it did not reach Japan's EEZ", "... said the missile
            # fell into the sea west of Oga": a source of the flight
            or bool(r.found(r.d.landing_areas, text, ra, rb))
            or bool(EEZ.search(text, ra, rb))
            or bool(CAME_DOWN.search(text, ra, rb))
        )
        if (
            date_ref is None
            and s.index not in anchor_ids
            and not PLAN_SENTENCE.search(text, a, b)
            and r.tells_launch(text, a, b)
        ):
            # A detail sentence dates the launch only to the day: a month or year there is
            # another launch's ("the second flight after its debut in April").
            # ... and only to a recent day that no aside gives ("As with the March 16 launches,
            # ..." speaks of another launch)
            dates = event_dates(r.resolver, text, a, b, events=r.t.verbs)
            best = best_date(
                [
                    d
                    for d in dates
                    if d.precision == "day"
                    and not is_background(d, r.pub, False, False, False, False)
                    # "the decision announced the previous day": another event's day
                    and not OTHER_EVENT_BEFORE.search(text, max(a, d.start - 48), d.start)
                    and not r.t.aside.search(text, clause_start(text, a, d.start), d.start)
                ]
            )
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
    counted = {c[3].index for c in claims if c[0] == "num_missiles"}
    # the entry's own tally beats the agencies' counts; a count corrected later ("Initial reports
    # spoke of 3 to 4 missiles. However, it appears only one missile was tested") is dropped
    keep = entry_totals or (counted - first_claims if counted - first_claims else counted)
    claims = [c for c in claims if c[0] != "num_missiles" or c[3].index in keep]
    if named_counts and len({c[3].index for c in claims if c[0] == "num_missiles"}) > 1:
        # "fired three ballistic missiles ... Two Scuds and a Rodong were launched": the number
        # written before this system's name beats a total over several systems
        claims = [c for c in claims if c[0] != "num_missiles" or c[3].index in named_counts]
    if not any(c[0] == "num_missiles" for c in claims) and not several:
        # "This test marks the first SLBM success. The missile landed in ...": with no number told,
        # the missile whose flight is told in the singular is one, unless the launch is told of
        # missiles in the plural
        one = _one_missile_flew(r, cluster)
        if one is not None:
            claims.append(("num_missiles", 1.0, None, one))
    if len(reported) == 1:  # one source for the whole report: every figure is its own
        claims = [
            (f, v, agency if agency is not None or w.index in unattributed else reported[0], w)
            for f, v, agency, w in claims
        ]
    spans.extend(_figures(claims, values))
    said_day = False
    if date_ref is None and not cluster.background:
        date_ref, date_sentence, said_day = _date_from_context(r, cluster)
    event_date = date_ref.value if date_ref is not None else None
    precision: DatePrecision = (
        date_ref.precision if date_ref is not None and event_date else "unknown"
    )
    if (
        said_day
        and precision == "day"
        and not any(CLOCK_TIME.search(r.text, ra, rb) for _, (ra, rb) in cluster.sentences())
    ):
        # "KCNA said on Thursday it had tested ...": on or before then. (A launch the report
        # times to the minute, "fired at 9:40 a.m.", with no other day named, is that day's.)
        precision = "reported"
    if event_date is not None and precision == "month":
        event_date = event_date.replace(day=1)
    if (
        event_date is not None
        and precision == "day"
        and date_ref is not None
        and date_ref.kind == "explicit"
        and _utc_evening(r, cluster)
    ):
        # "On March 24, ... launched at 10:04 PM UTC": a day told with a UTC time is UTC's;
        # from 15:00 UTC it is the next day in Korea
        event_date += timedelta(days=1)
    if (
        event_date is None
        and not cluster.background
        and r.pub is not None
        and _specific(r, cluster, pieces, values, outcome, reported)
    ):
        # "North Korea fired two short-range ballistic missiles from near Wonsan": a report of
        # the launch that gives no date. It happened on or shortly before publication.
        event_date, precision = r.pub, "reported"
    if event_date is not None and date_sentence is not None:
        spans.append(FieldSpan("event_date", date_sentence.start, date_sentence.end))
    if cluster.designation is not None:
        spans.append(FieldSpan("designation", anchor.start, anchor.end))
    return MissileTestMention(
        article_id=r.article.article_id,
        evidence=anchor.text,
        char_start=anchor.start,
        char_end=anchor.end,
        reported_by=tuple(sorted(reported)),
        extractor_version=version,
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
        background=cluster.background,
        field_spans=tuple(spans),
    )


def _one_missile_flew(r: Reading, cluster: Cluster) -> Sentence | None:
    """The sentence that tells the flight of "the missile" (singular) of a launch whose
    sentences name no missiles in the plural, or None."""
    found: Sentence | None = None
    for s, (ra, rb) in cluster.sentences():
        if PLURAL_MISSILES.search(r.text, ra, rb):
            return None
        if found is None and SINGLE_MISSILE_FLEW.search(r.text, ra, rb):
            found = s
    return found


def _utc_evening(r: Reading, cluster: Cluster) -> bool:
    """Whether the launch is timed in UTC at 15:00 or later (the next day in Korea)."""
    if "UTC" not in r.text and "GMT" not in r.text:
        return False
    for _, (ra, rb) in cluster.sentences():
        m = UTC_TIME.search(r.text, ra, rb)
        if m is None:
            continue
        hour = int(m.group("h"))
        meridiem = (m.group("ap") or m.group("ap2") or "").lower()[:1]
        if meridiem == "p" and hour < 12:
            hour += 12
        elif meridiem == "a" and hour == 12:
            hour = 0
        return 15 <= hour < 24
    return False


def _last_name_end(r: Reading, text: str, a: int, b: int) -> int:
    names = r.names(text, a, b)
    return names[-1].end if names else a


def _specific(
    r: Reading,
    cluster: Cluster,
    pieces: list[Piece],
    values: dict[str, object],
    outcome: str,
    reported: list[str],
) -> bool:
    """Whether an undated report says something that tells this launch apart: a name, a class,
    a count, a figure, a place, an outcome, an overseer or a source. "North Korea has conducted
    a ballistic missile test" in a commentary says none of these: it dates no event."""
    if cluster.designation is not None or cluster.missile_class != "unknown":
        return True
    if any(i.accompanying for i in cluster.anchors):
        return True  # "The tests also involved the launching of much shorter range missiles"
    if outcome != "unknown" or reported:
        return True
    # "North Korea fired surface-to-ship missiles": a launch verb whose object is missiles, or
    # "two missiles were fired" with them as its subject
    for item in cluster.anchors:
        a, b = item.region
        if any(
            VERB_MISSILE_OBJECT.match(r.text, m.end())
            # "The missiles were launched within minutes of each other": the passive
            or MISSILE_SUBJECT_BEFORE.search(r.text, max(a, m.start() - 40), m.start())
            for m in r.t.verbs.finditer(r.text, a, b)
        ):
            return True
    if any(values.get(k) is not None for k in ("launch_site", "landing_area", "overseen_by")):
        return True
    if values.get("distance_km") is not None or values.get("apogee_km") is not None:
        return True
    return values.get("num_missiles") is not None


def _figures(claims: list[Claim], values: dict[str, object]) -> list[FieldSpan]:
    """Each number claimed, kept with the agency it is attributed to; the mention shows the one
    an official military source gave (JCS first), else the first in the text."""
    spans: list[FieldSpan] = []
    for name in ("num_missiles", "distance_km", "apogee_km"):
        mine: list[Claim] = []
        for claim in claims:  # each source's first figure ("a first peak of 99.8 km")
            if claim[0] != name:
                continue
            same = next((c for c in mine if c[2] == claim[2]), None)
            if same is None:
                mine.append(claim)
            elif same[3] is claim[3] and claim[1] > same[1]:
                # "flew 430 km and 690 km", "apogees of 100 and 50 km": one figure per missile;
                # the largest shows
                mine[mine.index(same)] = claim
                spans.append(FieldSpan(name, same[3].start, same[3].end, same[2] or None, same[1]))
        if not mine:
            continue
        chosen = min(
            mine, key=lambda c: MILITARY_ORDER.index(c[2]) if c[2] in MILITARY_ORDER else 99
        )
        values[name] = int(chosen[1]) if name == "num_missiles" else chosen[1]
        for field_name, value, agency, where in mine:
            spans.append(
                FieldSpan(field_name, where.start, where.end, agency=agency or None, value=value)
            )
    return spans


def _date_from_context(
    r: Reading, cluster: Cluster
) -> tuple[DateRef | None, Sentence | None, bool]:
    """A date for a launch its own sentences do not date: the day of what it is timed against,
    else the earliest day it was reported on (and whether it is that)."""
    # "Hours before the meeting, ... had fired two missiles": the day the article has just
    # told of (the meeting's), when the launch is timed against it.
    for item in cluster.anchors:
        if CONTEXT_DAY.search(item.sentence.text):
            found = context_date(r, item.sentence)
            if found is not None:
                return found[0], found[1], False
    # Only the days it was reported on: the launch happened on or before the earliest ("KCNA
    # said on Thursday ..."; "The JCS said on Wednesday it had flown 1,000 km").
    said = [
        (d, s)
        for s, (ra, rb) in cluster.sentences()
        for d in event_dates(r.resolver, r.text, ra, rb, reports=True, events=r.t.verbs)
        if d.value is not None
        and d.precision == "day"
        and not OTHER_EVENT_BEFORE.search(r.text, max(ra, d.start - 48), d.start)
    ]
    if said:
        day, sentence = min(said, key=lambda ds: (ds[0].value, ds[0].start))
        return day, sentence, True
    return None, None, False


def _int(value: object) -> int | None:
    return value if isinstance(value, int) else None


def _float(value: object) -> float | None:
    return float(value) if isinstance(value, (int, float)) else None


def _str(value: object) -> str | None:
    return value if isinstance(value, str) else None
