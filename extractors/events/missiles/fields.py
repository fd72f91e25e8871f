"""The fields of a launch read from one piece of text: how many missiles, how far and how high
they flew, from where, where they came down, how it went, who watched, and who said so."""

from __future__ import annotations

from collections.abc import Sequence

from extractors.events.missiles.patterns import (
    AGENCY_ANAPHOR,
    APOGEE_AFTER,
    APOGEE_BESIDE_AFTER,
    APOGEE_BESIDE_BEFORE,
    AT_LEAST_BEFORE,
    BARRAGE,
    BROAD_SITE_BEFORE,
    CAPABILITY_BEFORE,
    CONVERSION,
    COUNT,
    COUNT_VERB,
    DASH,
    DOWNRANGE_AFTER,
    ELIDED_FLIGHT_BEFORE,
    FAILED_OTHER_LAUNCH_AFTER,
    FAILED_TO_OTHER,
    FLEW_FROM,
    FLOWN_RANGE_BEFORE,
    FROM_AFTER,
    FROM_LAUNCH_SITE,
    FURTHER,
    FURTHER_WORD,
    KOREAN_COUNT,
    KOREAN_OBJECT_AFTER,
    KOREAN_SITE_AFTER,
    LAUNCH_COUNT,
    LAUNCHER_NAME,
    MISSILE_LAUNCHES_COUNT,
    MONTH_BEFORE,
    NOT_A_MISSILE_NOUN_AFTER,
    NOT_LANDED,
    NUMBER_AND_BEFORE,
    NUMBER_BEFORE,
    NUMBER_BEFORE_MORE,
    NUMBER_WORD,
    OF_TOTAL,
    ORDINAL_WORD,
    OVERFLIGHT,
    OVERSIGHT_DENIED_AFTER,
    OVERSIGHT_DENIED_BEFORE,
    OWN_NUMBER_BEFORE,
    QUANTITY,
    RANGE_OF_BEFORE,
    SITE_AFTER,
    SITE_BEFORE,
    SPEAKS,
    TARGET_AWAY,
    TARGET_WORD,
    THE_OTHER,
    THING_OF_BEFORE,
    UNIT_OF_BEFORE,
    VAGUE_COUNT,
    VERDICT_DOUBTED_BEFORE,
    WHERE_AFTER,
    WHERE_IT_FELL,
)
from extractors.events.missiles.reading import Reading
from extractors.events.text import WORD_NUMBERS, Sentence, miles_to_km, parse_number

KIM = "Kim Jong Un"


def count(
    text: str,
    start: int = 0,
    end: int | None = None,
    *,
    weak: bool = True,
    names: Sequence[tuple[int, int]] = (),
) -> int | None:
    """Missiles counted in text[start:end]; with ``weak``, "a missile" or "the missile" counts
    as one (only where the launch itself is told: "which analysts class as a ballistic missile"
    is no count). A number inside a name (``names``: "Hwasong-5 and 6 missiles") is no count."""
    stop = len(text) if end is None else end
    region = text[start:stop]
    if VAGUE_COUNT.search(region) and not BARRAGE.search(region):
        explicit = [
            m
            for m in COUNT.finditer(region)
            if m.group("n").lower() not in ("a", "an", "the", "this")
        ]
        if not explicit:
            return None
    for regex in (
        BARRAGE,
        KOREAN_COUNT,
        COUNT_VERB,
        LAUNCH_COUNT,
        MISSILE_LAUNCHES_COUNT,
        OF_TOTAL,
    ):
        if regex is LAUNCH_COUNT and " of" not in region:
            continue  # a cheap first look: "two launches of ..."
        if regex is MISSILE_LAUNCHES_COUNT and "launches" not in region and "firings" not in region:
            continue
        if regex is OF_TOTAL and " of " not in region:
            continue
        m = regex.search(region)
        if m is not None:
            raw = m.group("n") if m.group("n") else m.groupdict().get("n2")
            value = parse_number(raw or "")
            if value is not None:
                return int(value)
    weak_count: int | None = None
    weak_end = 0
    pos = 0
    while (m := COUNT.search(region, pos)) is not None:
        pos = m.end()
        word = m.group("n").lower()
        if word in ("a", "an", "the", "this") and (inner := NUMBER_WORD.search(m.group("adj"))):
            pos = m.start("adj") + inner.start()  # "the North fired two more missiles": two
            continue
        if any(a <= start + m.start("n") < b for a, b in names):
            continue
        if word.isdigit() and (
            MONTH_BEFORE.search(region, max(0, m.start() - 12), m.start())
            or DASH.search(m.group("adj"))
        ):
            # "SEOUL, Sept. 12 (HRT) -- North Korea fired several missiles": a day, not a count
            pos = m.end("n")
            continue
        plural = m.group("noun").lower().endswith("s")
        if word == "one" and AT_LEAST_BEFORE.search(region, max(0, m.start() - 10), m.start()):
            continue  # "at least one missile was launched": how many is not said
        if word == "one" and THE_OTHER.search(region, m.end()):
            continue  # "one missile flying 250 km and the other 350 km": one of several
        if word == "the" and ORDINAL_WORD.search(m.group("adj")):
            continue  # "the first missile": one of several, not a count
        if word in ("the", "this") and THING_OF_BEFORE.search(
            region, max(0, m.start() - 30), m.start()
        ):
            # "ordered the mass production of the missile": no launch told ("the Missile
            # Administration of the DPRK test-fired the new-type missile": the next "the" may be)
            pos = m.end("n")
            continue
        if word in ("a", "an", "single", "one", "the", "this"):
            if not plural and weak_count is None:
                weak_count, weak_end = 1, m.end()
            continue
        value = WORD_NUMBERS.get(word) if not word.isdigit() else int(word)
        if value is not None and (plural or value == 1):  # "1 short-range ballistic missile"
            return int(value) + _more_after(region, m.end())
    if weak_count is not None and weak:
        return weak_count + _more_after(region, weak_end)
    return None


def _more_after(region: str, end: int) -> int:
    """ "fired a missile ..., and another ... minutes later", "two missiles and two more": the
    missiles told after a count in the same clause add to it."""
    extra = 0
    if not FURTHER_WORD.search(region, end):
        return 0
    for f in FURTHER.finditer(region, end):
        if f.group("word").lower() == "another":
            extra += 1
            continue
        n = NUMBER_BEFORE_MORE.search(region, max(end, f.start() - 12), f.start())
        value = parse_number(n.group("n")) if n is not None else None
        extra += int(value) if value is not None else 0
    return extra


def count_before(text: str, start: int, own: int, *, weak: bool = True) -> int | None:
    """The number right before the words of one kind of missile ("two missiles and rocket
    artillery": two missiles, and no number of the rocket artillery); with ``weak``, "a" is one."""
    n = OWN_NUMBER_BEFORE.search(text, max(start, own - 40), own)
    if n is None or MONTH_BEFORE.search(text, max(start, n.start() - 12), n.start()):
        return None
    if n.group(1).lower() in ("a", "an") and not weak:
        return None
    value = parse_number(n.group(1))
    return int(value) if value is not None else None


def named_count(
    r: Reading, designation: str | None, text: str, a: int, b: int, *, weak: bool = True
) -> int | None:
    """'two Hwasal-1s and two Hwasal-2s': the number written right before the name; with
    ``weak``, also 'a Rodong missile' (one)."""
    if designation is None:
        return None
    for m in r.names(text, a, b):
        if m.value == designation:
            n = NUMBER_BEFORE.search(text, max(a, m.start - 40), m.start)
            if n is None or MONTH_BEFORE.search(text, max(a, n.start() - 12), n.start()):
                continue
            if n.group(1).lower() in ("a", "an") and (
                not weak
                or NOT_A_MISSILE_NOUN_AFTER.match(text, m.end)
                or LAUNCHER_NAME.search(m.text)  # "an upgraded 240mm multiple rocket launcher"
            ):
                continue  # "a KN-25 launcher" counts no missile; "a Rodong missile" one
            value = parse_number(n.group(1))
            if value is not None:
                return int(value)
    return None


def quantity_claims(r: Reading, text: str, start: int, end: int) -> list[tuple[str, float, int]]:
    """Every distance and apogee claimed in text[start:end]: (field, km, position)."""
    out: list[tuple[str, float, int]] = []
    last_end = -1
    for m in QUANTITY.finditer(text, start, end):
        if m.start() < last_end:
            continue
        value = parse_number(m.group("num"))
        if value is None or value <= 0:
            continue
        unit = m.group("unit").lower()
        km: float = miles_to_km(value) if unit.startswith("mi") else value
        # "800 km (500 miles)": the conversion in brackets is the same number.
        tail = CONVERSION.match(text, m.end(), end)
        last_end = tail.end() if tail else m.end()
        kind = _quantity_kind(r, text, m.start(), m.end(), start, end)
        if kind is None:
            continue
        name = "distance_km" if kind == "distance" else "apogee_km"
        # "travelled 390 and 340 km", "apogees between 25 and 90 km": the unit said once for two
        # figures, one per missile
        bare = NUMBER_AND_BEFORE.search(text, max(start, m.start() - 24), m.start())
        if bare is not None and (first := parse_number(bare.group("num") or bare.group("num2"))):
            out.append((name, miles_to_km(first) if unit.startswith("mi") else first, bare.start()))
        out.append((name, km, m.start()))
    return out


def _quantity_kind(r: Reading, text: str, qs: int, qe: int, start: int, end: int) -> str | None:
    t = r.t
    left_from = max(start, qs - 60)
    after = text[qe : min(end, qe + 25)]
    if TARGET_AWAY.match(after) and TARGET_WORD.search(text[max(start, qs - 30) : qe + 25]):
        return "distance"  # "hit a target 800 km away"
    if APOGEE_AFTER.match(after):
        return "apogee"  # "reached more than 2,000 km in altitude", "190 km apogee"
    if DOWNRANGE_AFTER.match(after):
        return "distance"  # "60 km out", "350 km downrange"
    if FROM_AFTER.match(after) and FLEW_FROM.search(text, max(start, qs - 40), qs):
        return "distance"  # "flew about 150 km from the coastal town of Sondok"
    near = text[max(start, qs - 40) : qs]
    if ("other" in near or "second" in near or "third" in near or "latter" in near) and (
        ELIDED_FLIGHT_BEFORE.search(text, max(start, qs - 40), qs)
    ):
        return "distance"  # "one flew 350 km and the other about 800 km"
    if FROM_LAUNCH_SITE.match(text, qe, min(end, qe + 45)):
        return "distance"  # "some 620 miles (1,000 km) from its launch site"
    ranged = "range" in text[left_from:qs]
    flown = FLOWN_RANGE_BEFORE.search(text, left_from, qs) if ranged else None
    if flown is not None and not CAPABILITY_BEFORE.search(
        text, max(start, flown.start() - 30), flown.start()
    ):
        return "distance"  # "the missile had a range of about 140 km", "reaching a range of"
    range_of = RANGE_OF_BEFORE.search(text, left_from, qs) if ranged else None
    if range_of is not None and (
        APOGEE_BESIDE_AFTER.match(text, qe, min(end, qe + 60))
        or APOGEE_BESIDE_BEFORE.search(
            text, max(start, range_of.start() - 60), range_of.start() + 5
        )
    ):
        return "distance"  # "an apogee of 60 km and a range of 760 km"
    if t.not_distance.match(after.lstrip(" ,")) or WHERE_AFTER.match(after):
        return None
    cues: list[tuple[int, str, int]] = []  # (end, kind, start) of each cue word
    for regex, kind in (
        (t.distance_cues, "distance"),
        (t.apogee_cues, "apogee"),
        (t.not_distance, "none"),
    ):
        for c in regex.finditer(text, left_from, qs):
            cues.append((c.end(), kind, c.start()))
    # Korean puts the verb after the number: "800km를 비행했다", "800여㎞를 날아가".
    if KOREAN_OBJECT_AFTER.match(text[qe : qe + 3]):
        for c in t.distance_cues.finditer(text, qe, min(end, qe + 12)):
            cues.append((qs - (c.start() - qe) - 1, "distance", qs))
    if not cues:
        return None
    _, kind, cue_start = max(cues)
    if kind == "none":
        return None
    # "could fly more than 8,000 miles": a capability, not a flight
    if CAPABILITY_BEFORE.search(text, max(start, cue_start - 30), cue_start):
        return None
    if kind == "apogee" and t.failure.search(text, max(start, cue_start - 30), cue_start):
        return None  # "exploded at an altitude of less than 20 km": where it failed, no apogee
    return kind


def site(r: Reading, text: str, start: int, end: int) -> tuple[str | None, int]:
    """The launch site named in text[start:end] and its rank (a specific site outranks a city or
    a province, which outrank a coast)."""
    best: tuple[str | None, int] = (None, -1)
    for m in r.found(r.d.site_names, text, start, end):
        before = text[max(start, m.start - 40) : m.start]
        after = text[m.end : min(end, m.end + 12)]
        place = r.d.sites[m.value]
        ok = (BROAD_SITE_BEFORE if place.broad else SITE_BEFORE).search(before)
        if not (ok or SITE_AFTER.match(after) or KOREAN_SITE_AFTER.match(after)):
            continue
        if WHERE_IT_FELL.search(text, max(start, m.start - 80), m.start) or UNIT_OF_BEFORE.search(
            before
        ):
            continue  # "debris fell near Pyongyang", "the regiment of North Phyongan Province"
        rank = place.rank
        if rank > best[1]:
            best = (m.value, rank)
    return best


def landing(r: Reading, text: str, start: int, end: int) -> str | None:
    """Where the missiles came down ("into the East Sea", "inside Japan's EEZ")."""
    found = [
        m
        for m in r.found(r.d.landing_areas, text, start, end)
        # "none had landed inside Japan's EEZ"; "the rocket passed over the Pacific"
        if not NOT_LANDED.search(text, max(start, m.start - 30), m.start)
        and not (
            m.value == "Pacific Ocean"
            and OVERFLIGHT.search(text, max(start, m.start - 16), m.start)
        )
    ]
    if not found:
        return None
    names = [m.value for m in found]
    if "Japan EEZ" in names:
        return "Japan EEZ"
    # "outside Japan's EEZ" names no landing inside it; take the sea.
    return names[0]


def outcome(r: Reading, text: str, start: int, end: int) -> str | None:
    def doubted(pos: int) -> bool:  # "does not appear to have failed", "unclear if successful"
        return VERDICT_DOUBTED_BEFORE.search(text, max(start, pos - 60), pos) is not None

    if any(
        not FAILED_TO_OTHER.match(text, m.end())
        # "away from the failed October tests": the failure of other launches
        and not FAILED_OTHER_LAUNCH_AFTER.match(text, m.end())
        and not doubted(m.start())
        for m in r.t.failure.finditer(text, start, end)
    ):
        return "failure"  # ("failed to send a warning" is no failure of the launch)
    if any(not doubted(m.start()) for m in r.t.success.finditer(text, start, end)):
        return "success"
    return None


def overseer(r: Reading, text: str, start: int, end: int) -> str | None:
    """Kim Jong Un, when he and a word of oversight share the text and the oversight is not
    denied ("Kim was not reported to have attended", "김정은의 참관은 언급하지 않았다")."""
    if not any(m.value == KIM for m in r.found(r.d.persons, text, start, end)):
        return None
    for w in r.t.oversight.finditer(text, start, end):
        if not OVERSIGHT_DENIED_BEFORE.search(text, max(start, w.start() - 40), w.start()) and (
            not OVERSIGHT_DENIED_AFTER.match(text, w.end(), end)
        ):
            return KIM
    return None


def agencies(r: Reading, s: Sentence, start: int, end: int) -> list[tuple[int, str]]:
    """Agencies named in text[start:end] as (position, name); for "It said ..." or "the agency
    said" with none named, the agency named last in the sentence before."""
    text = r.text
    found = [(m.start, m.value) for m in r.found(r.d.agency_names, text, start, end)]
    if not found and end < s.end:
        # "..., a week after it tested a Hwasong-11D on May 6, the JCS said.": the speaker at
        # the end of the sentence speaks for all of it
        found = [
            (m.start, m.value)
            for m in r.found(r.d.agency_names, text, end, s.end)
            if SPEAKS.match(text, m.end)
        ]
    if found or not AGENCY_ANAPHOR.search(text, start, end) or s.index == 0:
        return found
    before = r.sentences[s.index - 1]
    earlier = r.found(r.d.agency_names, text, before.start, before.end)
    return [(start, earlier[-1].value)] if earlier else []


def agency_at(named: list[tuple[int, str]], pos: int, *, after: bool = True) -> str | None:
    """The agency a figure at ``pos`` is attributed to: the one named last before it in the
    sentence, else (with ``after``) the first named after it."""
    before = [name for start, name in named if start <= pos]
    if before:
        return before[-1]
    return named[0][1] if named and after else None
