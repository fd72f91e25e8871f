"""The rule-based extractor on sentences written for these tests (facts are public)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from extractors.events import (
    EXTRACTOR_VERSION,
    DiplomacyMention,
    MissileTestMention,
    RuleExtractor,
    extract_mentions,
)
from extractors.events.domain import load_domain
from extractors.events.text import miles_to_km, parse_number, split_sentences
from extractors.records import ArticleText

KST = ZoneInfo("Asia/Seoul")
# Thursday 2024-10-31, 10:00 in Seoul
PUBLISHED = datetime(2024, 10, 31, 10, 0, tzinfo=KST)


def article(
    text: str, published: datetime | None = PUBLISHED, article_id: str = "a1"
) -> ArticleText:
    return ArticleText(article_id, "https://example.test/a", "Test Ledger", "t", text, published)


def missiles(text: str, published: datetime | None = PUBLISHED) -> list[MissileTestMention]:
    return [
        m
        for m in extract_mentions(article(text, published))
        if isinstance(m, MissileTestMention) and not m.background
    ]


def one(text: str, published: datetime | None = PUBLISHED) -> MissileTestMention:
    found = missiles(text, published)
    assert len(found) == 1, found
    return found[0]


def diplomacy(text: str, published: datetime | None = PUBLISHED) -> list[DiplomacyMention]:
    return [
        m
        for m in extract_mentions(article(text, published))
        if isinstance(m, DiplomacyMention) and not m.background
    ]


# -- what is a launch ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "North Korea could launch an intercontinental ballistic missile in the coming days, officials warned.",
        "South Korea's spy agency said North Korea is preparing to launch a reconnaissance satellite.",
        "Officials warned that Pyongyang may fire a Hwasong-18 if the drills go ahead.",
        "If North Korea launches another ICBM, the allies will respond, the minister said.",
        "There are signs of preparations for a missile launch at the Sohae site, analysts said.",
        "North Korea marked the anniversary of its first Hwasong-15 launch with a rally on Wednesday.",
        "South Korea test-fired a Hyunmoo-5 ballistic missile on Wednesday, the defence ministry said.",
        "Iran launched a Khorramshahr-4 ballistic missile on Thursday, state television said.",
        "Russia test-launched a Sarmat intercontinental ballistic missile on Wednesday.",
        "The US Air Force launched an unarmed Minuteman III missile from California on Tuesday.",
        "A THAAD battery intercepted a target missile in a test over the Pacific on Wednesday.",
        "Japan said it would deploy Patriot interceptors in case North Korea fires a rocket.",
        "North Korea has not launched a missile since March, the JCS said.",
        "Japan's coast guard said North Korea had notified it of a window to launch a satellite.",
    ],
)
def test_hard_negatives_are_not_launches(text: str) -> None:
    assert missiles(text) == []


def test_a_report_of_a_launch_with_its_fields() -> None:
    m = one(
        "North Korea fired a short-range ballistic missile from the Sunan area of Pyongyang "
        "into the East Sea early Wednesday, South Korea's Joint Chiefs of Staff said. "
        "The missile flew about 800 km at an apogee of 50 km."
    )
    assert m.event_date == date(2024, 10, 30) and m.date_precision == "day"
    assert (m.missile_class, m.num_missiles, m.launch_site) == ("SRBM", 1, "Sunan")
    assert (m.distance_km, m.apogee_km, m.landing_area) == (800, 50, "East Sea")
    assert m.reported_by == ("JCS",) and m.outcome == "unknown"
    assert m.extractor_version == EXTRACTOR_VERSION


def test_evidence_offsets_point_into_the_text() -> None:
    text = "Seoul, Oct 31.\n\nNorth Korea fired two cruise missiles on Thursday, the JCS said."
    m = one(text)
    assert text[m.char_start : m.char_end] == m.evidence
    assert m.evidence.startswith("North Korea fired two cruise missiles")
    for span in m.field_spans:
        assert 0 <= span.char_start < span.char_end <= len(text)


# -- dates -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("early Wednesday", date(2024, 10, 30)),
        ("on Thursday", date(2024, 10, 31)),  # the day of publication
        ("on Monday", date(2024, 10, 28)),  # the latest Monday on or before publication
        ("yesterday", date(2024, 10, 30)),
        ("this morning", date(2024, 10, 31)),
        ("on Oct. 28", date(2024, 10, 28)),
        ("on 29 October", date(2024, 10, 29)),
    ],
)
def test_relative_and_explicit_dates(phrase: str, expected: date) -> None:
    assert (
        one(f"North Korea fired a ballistic missile {phrase}, the JCS said.").event_date == expected
    )


def test_weekday_is_resolved_in_korea_time() -> None:
    # 22:00 UTC on Wednesday is already Thursday in Seoul: "Thursday" is that same day.
    late = datetime(2024, 10, 30, 22, 0, tzinfo=ZoneInfo("UTC"))
    assert one("North Korea fired a ballistic missile on Thursday.", late).event_date == date(
        2024, 10, 31
    )


def test_korean_relative_dates() -> None:
    m = one("북한이 어제 동해상으로 탄도미사일 1발을 발사했다고 합동참모본부가 밝혔다.")
    assert m.event_date == date(2024, 10, 30)
    assert (m.num_missiles, m.reported_by, m.landing_area) == (1, ("JCS",), "East Sea")
    assert one("북한은 전날 발사한 ICBM이 '화성포-19형'이라고 31일 밝혔다.").event_date == date(
        2024, 10, 30
    )


def test_no_date_means_the_publication_day_as_reported_never_as_a_day() -> None:
    # rules-2.0: an undated report of the launch is dated by publication, precision 'reported'
    m = one("North Korea fired a ballistic missile toward the East Sea, Seoul's military said.")
    assert (m.event_date, m.date_precision) == (date(2024, 10, 31), "reported")
    m = one("North Korea fired a ballistic missile on Wednesday.", published=None)
    assert (m.event_date, m.date_precision) == (None, "unknown")


def test_the_day_it_was_said_dates_a_launch_only_as_a_last_resort() -> None:
    text = (
        "North Korea said on Thursday it had successfully tested a new cruise missile. "
        "The tests were held on Tuesday and Wednesday, the agency said."
    )
    assert one(text).event_date == date(2024, 10, 29)  # the first day of a two-day test
    assert one(
        "North Korea said on Thursday it had test-fired a cruise missile."
    ).event_date == date(2024, 10, 31)


# -- numbers, units and counts ---------------------------------------------------------------


def test_miles_are_converted_and_rounded() -> None:
    assert miles_to_km(310) == 500
    m = one("North Korea fired a missile on Wednesday that flew about 620 miles.")
    assert m.distance_km == 1000


def test_km_with_miles_in_brackets_and_a_warhead_weight() -> None:
    m = one(
        "North Korea test-fired a Hwasong-11Da-4.5 carrying a 4.5-tonne warhead on Wednesday; "
        "it flew some 320 km (200 miles), the JCS said."
    )
    assert (m.designation, m.distance_km, m.apogee_km) == ("Hwasong-11C-4.5", 320, None)


def test_ranges_and_locations_are_not_flight_distances() -> None:
    m = one(
        "North Korea fired a Hwasong-18 on Wednesday, a missile with a range of 15,000 km; "
        "it landed about 200 km west of Okushiri island."
    )
    assert m.distance_km is None


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("North Korea fired two short-range ballistic missiles on Wednesday.", 2),
        ("North Korea fired a barrage of eight missiles on Wednesday.", 8),
        ("North Korea fired about 18 short-range ballistic missiles on Wednesday.", 18),
        ("North Korea fired a ballistic missile on Wednesday.", 1),
        ("North Korea fired several cruise missiles on Wednesday.", None),
        ("북한이 31일 단거리탄도미사일 여러 발을 발사했다.", None),
        ("북한이 31일 단거리탄도미사일 두 발을 발사했다.", 2),
    ],
)
def test_counts(text: str, count: int | None) -> None:
    assert one(text).num_missiles == count


@pytest.mark.parametrize(
    ("text", "km"),
    [
        ("북한이 31일 발사한 미사일은 약 1천km를 비행했다.", 1000),
        ("북한이 31일 발사한 미사일은 1,000여km를 비행했다.", 1000),
        ("북한이 31일 발사한 미사일은 1천1.2km를 비행했다.", 1001.2),
    ],
)
def test_korean_distances(text: str, km: float) -> None:
    assert one(text).distance_km == km


def test_korean_apogee() -> None:
    m = one("북한이 31일 발사한 ICBM은 정점고도 약 6천km까지 상승했다.")
    assert m.apogee_km == 6000 and m.missile_class == "ICBM"


def test_parse_number() -> None:
    assert [parse_number(t) for t in ("1,000", "1천", "7천687.5", "1만5천", "two", "x")] == [
        1000, 1000, 7687.5, 15000, 2, None,
    ]  # fmt: skip


# -- designations, outcome, oversight --------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "designation", "cls"),
    [
        ("KN-23", "Hwasong-11A", "SRBM"),
        ("KN-24", "Hwasong-11B", "SRBM"),
        ("Hwasongpho-11-Da-4.5", "Hwasong-11C-4.5", "SRBM"),
        ("Hwasong-11Ra", "Hwasong-11D", "SRBM"),
        ("KN-22", "Hwasong-15", "ICBM"),
        ("Hwasongpho-19", "Hwasong-19", "ICBM"),
        ("화성포-19형", "Hwasong-19", "ICBM"),
        ("Hwasong-16B", "Hwasong-16B", "hypersonic"),
        ("Rodong", "Nodong", "MRBM"),
        ("Pukguksong-3", "Pukguksong-3", "SLBM"),
        ("Pulhwasal-3-31", "Pulhwasal-3-31", "cruise"),
        # rules-2.0: called by its multiple-rocket-launcher name alone, the KN-25 is MLRS
        ("super-large multiple rocket launcher", "KN-25", "MLRS"),
    ],
)
def test_designation_aliases(name: str, designation: str, cls: str) -> None:
    m = one(f"North Korea fired a {name} on Wednesday, state media reported.")
    assert (m.designation, m.missile_class) == (designation, cls)
    assert name in m.names_reported


def test_rodong_sinmun_is_a_newspaper_not_a_missile() -> None:
    assert load_domain().designations.find("the Rodong Sinmun said") == []


def test_failure_and_claimed_success() -> None:
    failed = one("North Korea fired a Musudan on Tuesday but it exploded shortly after launch.")
    assert failed.outcome == "failure"
    claimed = one(
        "North Korea successfully test-fired a Hwasong-18 on Wednesday, the Korean Central News "
        "Agency said, adding that Kim Jong-un watched the launch."
    )
    assert (claimed.outcome, claimed.overseen_by, claimed.reported_by) == (
        "success", "Kim Jong Un", ("KCNA",),
    )  # fmt: skip


def test_kim_named_without_overseeing_is_not_overseen_by() -> None:
    m = one("North Korea fired an ICBM on Wednesday, days after Kim Jong Un threatened the US.")
    assert m.overseen_by is None


def test_korean_oversight() -> None:
    m = one("김정은 국무위원장이 참관한 가운데 북한이 30일 신형 ICBM을 시험발사했다.")
    assert m.overseen_by == "Kim Jong Un"


# -- past launches mentioned in passing --------------------------------------------------------


def test_past_test_is_a_mention_of_that_past_event_never_a_new_one() -> None:
    text = (
        "North Korea fired an ICBM on Thursday, the first since it tested a Hwasong-15 in "
        "November 2017, the JCS said."
    )
    found = [m for m in extract_mentions(article(text)) if isinstance(m, MissileTestMention)]
    current = [m for m in found if not m.background]
    past = [m for m in found if m.background]
    assert len(current) == 1 and current[0].event_date == date(2024, 10, 31)
    assert len(past) == 1
    assert (past[0].designation, past[0].event_date, past[0].date_precision) == (
        "Hwasong-15", date(2017, 11, 1), "month",
    )  # fmt: skip


def test_a_history_of_launches_is_not_a_launch() -> None:
    assert missiles("North Korea has fired dozens of ballistic missiles this year.") == []


def test_two_missile_types_in_one_sentence_are_two_mentions() -> None:
    found = missiles(
        "North Korea fired four cruise missiles on Wednesday, two Hwasal-1s and two Hwasal-2s. "
        "The two Hwasal-1s flew 1,500 km, while the two Hwasal-2s covered 1,800 km."
    )
    by_name = {m.designation: m for m in found}
    assert set(by_name) == {"Hwasal-1", "Hwasal-2"}
    assert (by_name["Hwasal-1"].num_missiles, by_name["Hwasal-1"].distance_km) == (2, 1500)
    assert (by_name["Hwasal-2"].num_missiles, by_name["Hwasal-2"].distance_km) == (2, 1800)


# -- diplomacy ---------------------------------------------------------------------------------


def test_summit_between_two_leaders() -> None:
    found = diplomacy(
        "Vladimir Putin welcomed Kim Jong Un at the Vostochny Cosmodrome on Wednesday."
    )
    assert len(found) == 1
    d = found[0]
    assert (d.event_type, d.actors, d.persons, d.location, d.event_date) == (
        "summit", ("PRK", "RUS"), ("Kim Jong Un", "Vladimir Putin"), "Vostochny",
        date(2024, 10, 30),
    )  # fmt: skip
    assert "Summit" in d.summary


def test_agreement_borrows_the_leaders_of_the_sentence_before() -> None:
    found = diplomacy(
        "Vladimir Putin arrived in Pyongyang on Wednesday for talks with Kim Jong Un. "
        "The two leaders signed a comprehensive strategic partnership treaty."
    )
    types = {d.event_type: d for d in found}
    assert set(types) == {"summit", "agreement"}
    assert types["agreement"].actors == ("PRK", "RUS")
    assert types["agreement"].event_date == date(2024, 10, 30)


def test_capitals_stand_for_their_states() -> None:
    [d] = diplomacy("Pyongyang rejected Washington's offer of talks on Monday, KCNA said.")
    assert d.event_type == "dialogue_rejection" and set(d.actors) == {"PRK", "USA"}


def test_plans_and_reactions_are_not_diplomatic_events() -> None:
    assert diplomacy("Yoon is expected to visit Tokyo next week for a summit with Kishida.") == []
    assert diplomacy("South Korea and the US will hold joint drills next month.") == []


def test_exercise_needs_to_happen() -> None:
    [d] = diplomacy(
        "South Korea and the United States began their Freedom Shield exercise on Monday."
    )
    assert d.event_type == "military_exercise" and d.actors == ("KOR", "USA")


def test_events_off_the_peninsula_are_ignored() -> None:
    assert (
        diplomacy("Joe Biden met Xi Jinping in San Francisco on Wednesday to discuss trade.") == []
    )


# -- plumbing ----------------------------------------------------------------------------------


def test_sentences_keep_offsets_and_skip_abbreviations() -> None:
    text = "The U.S. military said Gen. Smith agreed. North Korea fired at 7 a.m. on Monday.\nNext."
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == [
        "The U.S. military said Gen. Smith agreed.", "North Korea fired at 7 a.m. on Monday.", "Next.",
    ]  # fmt: skip
    assert all(text[s.start : s.end] == s.text for s in sentences)


def test_rule_extractor_follows_the_protocol() -> None:
    extractor = RuleExtractor()
    assert extractor.name == "rules" and extractor.version == EXTRACTOR_VERSION
    assert extractor.extract(article("")) == []


def test_salvos_told_one_after_another_add_up_to_one_launch() -> None:
    # Each later salvo is told relative to the one before; the third must reach the first.
    text = (
        "North Korea launched a short-range ballistic missile off its east coast on Thursday"
        " morning, the Joint Chiefs of Staff in Seoul said. Roughly half an hour later it"
        " launched two more short-range ballistic missiles. An hour later it"
        " launched three further short-range ballistic missiles, which flew about 350 km."
    )
    launch = one(text)
    assert launch.num_missiles == 6
    assert launch.event_date == date(2024, 10, 31)
    assert launch.distance_km == 350
