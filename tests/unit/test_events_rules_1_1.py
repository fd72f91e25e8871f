"""rules-1.1.0: one test per failure class fixed in the quality pass, on sentences written for
these tests (not taken from the demo corpus, the golden set or any news site). Outlets, datelines
and agencies in brackets are fictional; where a launch or meeting is named, only the public fact
is used.

Failure classes: background vs current event, report day vs event day, several dated events in
one article, figures attributed to agencies, persons named only as history, event-type keyword
precedence, clause-level parties and places.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from extractors.events import DiplomacyMention, MissileTestMention, extract_mentions
from extractors.events.consolidate import (
    ArticleMeta,
    DiplomacyEvent,
    MissileTestEvent,
    consolidate_events,
)
from extractors.records import ArticleText

KST = ZoneInfo("Asia/Seoul")
# Friday 2024-03-15, 09:00 in Seoul
FRIDAY = datetime(2024, 3, 15, 9, 0, tzinfo=KST)


def article(text: str, published: datetime = FRIDAY, article_id: str = "t1") -> ArticleText:
    return ArticleText(article_id, "https://example.test/x", "Test Wire", "t", text, published)


def launches(text: str, published: datetime = FRIDAY) -> list[MissileTestMention]:
    return [
        m
        for m in extract_mentions(article(text, published))
        if isinstance(m, MissileTestMention) and not m.background
    ]


def passing(text: str, published: datetime = FRIDAY) -> list[MissileTestMention]:
    return [
        m
        for m in extract_mentions(article(text, published))
        if isinstance(m, MissileTestMention) and m.background
    ]


def one(text: str, published: datetime = FRIDAY) -> MissileTestMention:
    found = launches(text, published)
    assert len(found) == 1, found
    return found[0]


def diplomacy(text: str, published: datetime = FRIDAY) -> list[DiplomacyMention]:
    return [
        m
        for m in extract_mentions(article(text, published))
        if isinstance(m, DiplomacyMention) and not m.background
    ]


def events(*texts: str, published: datetime = FRIDAY) -> list[MissileTestEvent | DiplomacyEvent]:
    mentions = []
    metas = {}
    for n, text in enumerate(texts):
        a = article(text, published, f"a{n}")
        mentions.extend(extract_mentions(a))
        metas[a.article_id] = ArticleMeta(a.article_id, f"Outlet {n}", published)
    return list(consolidate_events(mentions, metas).events)


# -- report day vs event day -------------------------------------------------------------------


def test_a_dateline_dates_the_report_not_the_launch() -> None:
    m = one(
        "BUSAN, March 14 (KPW) — North Korea said on Thursday it had test-fired a new cruise "
        "missile, in a launch that South Korea's military had tracked on Wednesday afternoon."
    )
    assert m.event_date == date(2024, 3, 13)


def test_a_day_put_before_the_verb_of_saying_is_the_report_day() -> None:
    m = one(
        "KCNA on Thursday reported that the satellite carrier launched a day earlier had put a "
        "second spy satellite into orbit."
    )
    assert m.event_date == date(2024, 3, 13)
    m = one("On Friday, state media said Kim Jong Un had watched an artillery unit fire two "
            "short-range ballistic missiles on Wednesday.")  # fmt: skip
    assert m.event_date == date(2024, 3, 13)


def test_the_day_before_counts_back_from_the_day_it_was_said() -> None:
    # published Friday; KCNA spoke on Wednesday about 'the day before' -> Tuesday
    m = one(
        "KCNA said on Wednesday that an artillery unit had fired a tactical ballistic missile "
        "the day before to check a new guidance system."
    )
    assert m.event_date == date(2024, 3, 12)


def test_a_possessive_day_dates_the_launch_even_after_said() -> None:
    m = one(
        "The agency said Tuesday's test of the Hwasong-11Ra checked a new solid-fuel motor, "
        "KCNA reported."
    )
    assert (m.event_date, m.designation) == (date(2024, 3, 12), "Hwasong-11D")


def test_with_only_report_days_the_earliest_one_dates_the_launch() -> None:
    m = one(
        "North Korea said on Thursday it had fired a new ballistic missile with a heavier "
        "warhead. The military in Seoul had said on Wednesday that the missile flew 300 km."
    )
    assert m.event_date == date(2024, 3, 13)


def test_a_month_in_a_detail_sentence_dates_nothing() -> None:
    m = one(
        "North Korea said on Thursday it had launched a solid-fuel ICBM. It was the third flight "
        "of the type since its first test in December."
    )
    # rules-2.0: only the report's day is given, so the launch is 'reported' on it
    assert (m.event_date, m.date_precision) == (date(2024, 3, 14), "reported")


def test_a_launch_timed_against_a_dated_meeting_takes_its_day() -> None:
    text = (
        "Kim Yo Jong received a Chinese delegation in Pyongyang on Tuesday. "
        "The visitors toured a fertiliser plant. Minutes before the talks, the North fired a "
        "short-range ballistic missile into the Yellow Sea, the JCS said."
    )
    assert one(text).event_date == date(2024, 3, 12)


def test_a_wire_item_ending_later_in_the_week_gives_no_date() -> None:
    [d] = diplomacy(
        "South Korea and the United States began joint military drills on Monday that run "
        "through Saturday off the west coast."
    )
    assert d.event_date == date(2024, 3, 11)


# -- background vs current event ----------------------------------------------------------------


def test_a_launch_the_reported_one_followed_is_told_in_passing() -> None:
    text = (
        "North Korea fired an intermediate-range ballistic missile on Thursday morning, the JCS "
        "said. The test followed a pair of cruise missiles the North sent over the Yellow Sea "
        "late on Wednesday."
    )
    [current] = launches(text)
    assert current.missile_class == "IRBM"
    assert [m.missile_class for m in passing(text)] == ["cruise"]


def test_a_missile_named_for_comparison_does_not_name_the_launch() -> None:
    m = one(
        "North Korea launched an intercontinental ballistic missile on Thursday, the JCS said. "
        "Tokyo's defence ministry said it stayed aloft for 80 minutes, longer than the 2022 "
        "flight of a Hwasong-17."
    )
    assert (m.designation, m.missile_class) == (None, "ICBM")
    m = one(
        "State media said on Thursday the new hypersonic missile fired a day earlier flew 800 km. "
        "Unlike the Hwasong-16B shown last year, it was not given a name."
    )
    assert m.designation is None


def test_a_failure_of_another_launch_does_not_make_this_one_fail() -> None:
    text = (
        "North Korea fired six short-range ballistic missiles on Thursday, four days after its "
        "satellite rocket failed. Last Sunday night, that rocket broke up seconds into its "
        "flight over the sea."
    )
    m = one(text.replace("Last Sunday night", "On Sunday night"))
    assert (m.num_missiles, m.outcome) == (6, "unknown")


def test_shortly_after_being_launched_is_the_same_launch() -> None:
    m = one(
        "A rocket with a spy satellite aboard blew up over the Yellow Sea on Thursday, shortly "
        "after being launched from Sohae, the JCS said."
    )
    assert (m.outcome, m.launch_site, m.event_date) == ("failure", "Sohae", date(2024, 3, 14))


@pytest.mark.parametrize(
    "text",
    [
        "Unlike cruise missile tests, ballistic missile launches by the North are banned by UN "
        "resolutions, the minister said on Thursday.",
        "The launch facility near Sinpo was expanded on Thursday, satellite images showed.",
        "Thursday saw the launch of South Korea's new missile defence command.",
        "Officials said on Thursday that any launch using ballistic missile technology, even a "
        "satellite launch, would breach UN resolutions.",
    ],
)
def test_generic_and_non_launch_uses_are_not_launches(text: str) -> None:
    assert launches(text) == []


def test_a_named_launch_on_a_known_day_told_in_passing_makes_an_event() -> None:
    """An article about another launch mentions the first test of a named missile with its
    day: no report of that test is stored, so it becomes a (low-confidence) event; a passing
    mention with only a class ('an SRBM fired on Monday') does not."""
    text = (
        "North Korea fired two Hwasal-2 cruise missiles on Thursday, the JCS said. "
        "North Korea had test-fired the Padasuri-6 anti-ship missile for the first time on "
        "March 6. The Thursday launch also followed an SRBM fired on Monday."
    )
    found = events(text)
    launches_found = {
        (e.event_date, e.designation or e.missile_class) for e in found if e.kind == "missile_test"
    }
    assert launches_found == {(date(2024, 3, 14), "Hwasal-2"), (date(2024, 3, 6), "Padasuri-6")}
    past = next(
        e for e in found if isinstance(e, MissileTestEvent) and e.designation == "Padasuri-6"
    )
    assert past.support.low_confidence and "in passing" in (
        past.support.low_confidence_reason or ""
    )


# -- several dated launches in one article -----------------------------------------------------


def test_launches_on_different_days_in_one_article_stay_apart() -> None:
    text = (
        "SEOUL, March 15 (KPW) — North Korea fired several artillery rockets into the Yellow "
        "Sea on Friday, the JCS said. On Thursday, state media said Kim Jong Un had watched a "
        "destroyer fire three Hwasal-1 cruise missiles on Tuesday. They hit their targets, "
        "and the test was a success, KCNA said."  # rules-2.2: a hit alone claims no success
    )
    found = {m.event_date: m for m in launches(text)}
    assert set(found) == {date(2024, 3, 15), date(2024, 3, 12)}
    tuesday = found[date(2024, 3, 12)]
    assert (tuesday.designation, tuesday.num_missiles, tuesday.outcome) == (
        "Hwasal-1",
        3,
        "success",
    )
    assert tuesday.overseen_by == "Kim Jong Un"
    friday = found[date(2024, 3, 15)]
    assert (friday.designation, friday.overseen_by, friday.num_missiles) == (None, None, None)


def test_a_test_of_two_kinds_of_missile_is_two_mentions_on_one_day() -> None:
    text = (
        "Kim Jong Un oversaw the test-firing of a ballistic missile and of a new anti-ship "
        "cruise missile, North Korean state media said on Thursday. KCNA said Wednesday's "
        "test of the Hwasong-11Ra checked its new warhead."
    )
    found = launches(text)
    assert {(m.designation, m.missile_class) for m in found} == {
        ("Hwasong-11D", "SRBM"),
        (None, "cruise"),
    }
    assert {m.event_date for m in found} == {date(2024, 3, 13)}
    # rules-2.2: the North's report of a test its leader watched claims no result
    assert all(m.outcome == "unknown" for m in found)


# -- figures attributed to agencies ------------------------------------------------------------


def test_the_military_figure_wins_within_an_article_and_both_are_kept() -> None:
    m = one(
        "North Korea said on Thursday it had test-fired a new IRBM that flew 1,200 km before "
        "hitting a target. South Korea's Joint Chiefs of Staff gave a lower figure. It said the "
        "missile travelled about 750 km after being fired from near Pyongyang on Wednesday."
    )
    assert m.distance_km == 750
    claims = {(s.agency, s.value) for s in m.field_spans if s.field == "distance_km"}
    assert (("JCS", 750.0) in claims) and any(v == 1200.0 for _, v in claims)
    assert "JCS" in m.reported_by


def test_consolidation_takes_the_military_claim_across_and_within_articles() -> None:
    kcna_first = (
        "KCNA said on Thursday the new missile launched a day earlier flew 1,100 km. The JCS "
        "said the missile flew about 700 km after its launch on Wednesday."
    )
    [event] = [e for e in events(kcna_first) if isinstance(e, MissileTestEvent)]
    assert event.distance_km == 700 and "distance_km" in event.disputed_fields


def test_british_spelling_of_japan_defence_ministry_is_japan_mod() -> None:
    m = one(
        "North Korea fired a ballistic missile on Thursday that climbed above 900 km, Japan's "
        "defence ministry said."
    )
    assert m.reported_by == ("Japan MoD",) and m.apogee_km == 900


def test_a_count_with_its_noun_left_out() -> None:
    m = one(
        "North Korea fired a salvo of short-range ballistic missiles on Thursday. Japan's "
        "defence minister said his staff had counted at least six."
    )
    assert m.num_missiles == 6


def test_capabilities_are_not_flight_distances() -> None:
    m = one(
        "North Korea fired a solid-fuel ICBM on Thursday that flew 1,000 km on a lofted path. "
        "Analysts said on a normal path it could fly more than 13,000 km."
    )
    assert m.distance_km == 1000


def test_a_landing_denied_is_no_landing() -> None:
    m = one(
        "North Korea fired three ballistic missiles on Thursday; none of them landed inside "
        "Japan's EEZ, Tokyo said."
    )
    assert m.landing_area != "Japan EEZ"


def test_where_debris_fell_is_not_the_launch_site() -> None:
    found = launches(
        "North Korea fired two missiles from Sukchon on Thursday, the JCS said. The first flew "
        "about 350 km. The second exploded early in flight and debris fell near Anju."
    )
    assert {m.launch_site for m in found} == {"Sukchon"}


def test_a_salvo_with_one_missile_failed_is_one_launch() -> None:
    # rules-2.1: one entry per system per day (it was one mention per missile); a missile that
    # failed makes the launch a failure, and the figure is the longest one missile flew
    [m] = launches(
        "North Korea said on Thursday it had successfully tested two new tactical missiles. "
        "Seoul's military said one of the two missiles appeared to have failed. The JCS said "
        "the first missile flew about 400 km. The second may have exploded over land."
    )
    assert (m.outcome, m.num_missiles, m.distance_km) == ("failure", 2, 400)


def test_hwasong_11_family_is_not_a_designation() -> None:
    m = one(
        "North Korea fired four short-range ballistic missiles on Thursday; the JCS said they "
        "were probably from the Hwasong-11 family."
    )
    assert (m.designation, m.missile_class) == (None, "SRBM")


def test_a_hypersonic_manoeuvrable_warhead_makes_the_class_hypersonic() -> None:
    m = one(
        "North Korea test-fired an intermediate-range ballistic missile with a hypersonic "
        "manoeuvrable warhead on Thursday, the JCS said."
    )
    assert m.missile_class == "hypersonic"


def test_korean_subject_particle_names_the_launcher() -> None:
    m = one(
        "북한이 14일 미국 국방장관의 방한 일정에 맞춰 동해상으로 단거리탄도미사일 2발을 발사했다."
    )
    assert (m.event_date, m.num_missiles, m.missile_class) == (date(2024, 3, 14), 2, "SRBM")


def test_a_salvo_told_apart_is_one_event_across_articles() -> None:
    # rules-2.1: the missiles of one salvo are one launch, which the state-media report joins
    seoul = (
        "North Korea fired two short-range ballistic missiles on Thursday, the JCS said. The "
        "first flew about 500 km. The second exploded shortly after lift-off."
    )
    pyongyang = (
        "KCNA said on Friday that the Hwasong-11Ra fired on Thursday hit its target 500 km "
        "away. The agency did not mention a second missile."
    )
    [event] = [e for e in events(seoul, pyongyang) if isinstance(e, MissileTestEvent)]
    assert (event.outcome, event.distance_km, event.num_missiles) == ("failure", 500, 2)
    assert event.support.num_articles == 2


# -- diplomacy: keyword precedence ---------------------------------------------------------------


def test_criticising_sanctions_is_no_sanction() -> None:
    found = diplomacy(
        "Xi Jinping met Kim Jong Un in Beijing on Thursday and criticised Western sanctions on "
        "Pyongyang."
    )
    assert [d.event_type for d in found] == ["summit"]


def test_blocking_a_un_panel_is_un_action_not_sanctions() -> None:
    [d] = diplomacy(
        "China on Thursday blocked the renewal of a United Nations expert panel that checks "
        "how sanctions on North Korea are enforced."
    )
    assert (d.event_type, d.actors) == ("un_action", ("CHN", "PRK", "UN"))


def test_refusing_talks_is_a_rejection_not_a_statement() -> None:
    [d] = diplomacy(
        "Pyongyang will not hold any talks with Seoul, Kim Yo Jong said in a statement on Thursday."
    )
    assert (d.event_type, d.persons) == ("dialogue_rejection", ("Kim Yo Jong",))


def test_a_summit_and_the_treaty_signed_in_the_same_sentence_are_two_events() -> None:
    found = diplomacy(
        "김정은 국무위원장과 시진핑 주석이 14일 베이징에서 정상회담을 하고 우호조약에 서명했다."
    )
    assert {d.event_type for d in found} == {"summit", "agreement"}


def test_without_an_agreement_is_no_agreement() -> None:
    found = diplomacy(
        "Talks between Kim Jong Un and Vladimir Putin in Vladivostok ended on Thursday without "
        "an agreement, and a signing ceremony was dropped."
    )
    assert "agreement" not in {d.event_type for d in found}


def test_a_port_call_is_a_visit_hosted_where_the_ship_docks() -> None:
    text = (
        "A US aircraft carrier has arrived in the southern port of Busan for a rare port call. "
        "The USS Ronald Reagan docked at the naval base in Busan on Wednesday."
    )
    [d] = diplomacy(text)
    assert (d.event_type, d.actors, d.location, d.event_date) == (
        "visit", ("KOR", "USA"), "Busan", date(2024, 3, 13),
    )  # fmt: skip


def test_a_statement_by_the_military_about_a_launch_is_no_statement() -> None:
    found = diplomacy(
        "The missiles flew about 300 km before falling into the sea off North Korea's east "
        "coast, the Joint Chiefs of Staff said in a statement."
    )
    assert found == []


# -- diplomacy: parties and places of the right clause --------------------------------------------


def test_a_launch_during_a_visit_makes_the_launcher_no_party() -> None:
    [d] = diplomacy(
        "North Korea fired a cruise missile on Thursday, South Korea's military said, as the "
        "Japanese foreign minister held talks with his counterpart in Seoul."
    )
    assert (d.event_type, d.actors, d.location) == ("talks", ("JPN", "KOR"), "Seoul")
    [d] = diplomacy("북한이 14일 일본 외무상의 방한에 맞춰 동해상으로 탄도미사일을 발사했다.")
    assert d.actors == ("JPN", "KOR")


def test_where_officials_speak_is_not_the_place_of_the_event() -> None:
    [d] = diplomacy(
        "South Korea and the United States began a combined naval exercise on Monday, officials "
        "in Washington said."
    )
    assert (d.actors, d.location) == (("KOR", "USA"), None)


def test_a_relative_clause_keeps_its_own_time() -> None:
    found = diplomacy(
        "The allies' warships, which made a port call in Busan last weekend, joined the combined "
        "exercise that South Korea and the United States began on Thursday."
    )
    assert [(d.event_type, d.event_date) for d in found] == [
        ("military_exercise", date(2024, 3, 14))
    ]


def test_a_multi_day_exercise_is_dated_to_its_first_day() -> None:
    [d] = diplomacy(
        "South Korea, the United States and Japan on Friday ended a trilateral naval exercise, "
        "the defence ministry said. The two-day drill, which began on Thursday south of Jeju "
        "Island, involved nine warships."
    )
    assert (d.event_date, d.location) == (date(2024, 3, 14), "Jeju")


def test_the_leaders_named_right_after_a_summit_are_its_persons() -> None:
    [d] = diplomacy(
        "Joe Biden welcomed the leaders of South Korea and Japan to the White House on "
        "Thursday for a three-way summit. Biden, Yoon Suk Yeol and Fumio Kishida then issued a "
        "joint statement on North Korea's missile programme."
    )
    assert d.event_type == "summit"
    assert set(d.persons) == {"Joe Biden", "Fumio Kishida", "Yoon Suk Yeol"}


def test_the_place_of_a_un_vote_named_in_the_next_sentence() -> None:
    [d] = diplomacy(
        "The Security Council on Thursday adopted a resolution condemning North Korea's latest "
        "satellite launch. In the vote at UN headquarters, all fifteen members agreed."
    )
    assert (d.event_type, d.location) == ("un_action", "New York")


# -- diplomacy: persons and history ----------------------------------------------------------------


def test_the_dead_are_history_not_participants() -> None:
    text = (
        "Xi Jinping arrived in Pyongyang on Thursday for talks with Kim Jong Un. It was the first "
        "visit by a Chinese leader since 2019; Kim Jong Il had hosted Hu Jintao in 2005."
    )
    found = diplomacy(text)
    assert found and all("Kim Jong Il" not in d.persons for d in found)
    [summit] = [d for d in found if d.event_type == "summit"]
    assert set(summit.persons) == {"Kim Jong Un", "Xi Jinping"}


def test_a_sentence_of_history_lends_no_persons() -> None:
    text = (
        "Vladimir Putin arrived in Pyongyang on Thursday. His last trip was in July 2000, when he "
        "met Kim Il Sung's son. Both leaders later watched a parade."
    )
    for d in diplomacy(text):
        assert set(d.persons) <= {"Vladimir Putin", "Kim Jong Un"}


def test_backstory_in_the_past_perfect_is_told_in_passing() -> None:
    found = diplomacy(
        "Pyongyang's foreign ministry had condemned last week's meeting of US and South Korean "
        "envoys in Seoul, and a US destroyer arrived in Busan on Wednesday."
    )
    assert found == []


def test_korean_title_alone_names_the_person_last_named() -> None:
    text = (
        "김정은 국무위원장이 최고인민회의에 참석했다고 조선중앙통신이 15일 보도했다. "
        "통신에 따르면 김 위원장은 14일 시정연설에서 남측과의 대화는 없다고 말했다."
    )
    [d] = [x for x in diplomacy(text) if x.event_type in ("statement", "dialogue_rejection")]
    assert d.persons == ("Kim Jong Un",) and set(d.actors) >= {"KOR", "PRK"}


# -- consolidation ------------------------------------------------------------------------------


def test_a_visit_reported_as_talks_and_as_a_meeting_is_one_event() -> None:
    found = events(
        "US Secretary of State Antony Blinken held talks with Foreign Minister Cho Tae-yul in "
        "Seoul on Thursday.",
        "블링컨 미국 국무장관이 14일 방한해 조태열 외교부 장관을 만났다.",
    )
    [d] = [e for e in found if isinstance(e, DiplomacyEvent)]
    assert (d.event_type, d.actors, d.support.num_articles) == ("talks", ("KOR", "USA"), 2)


def test_claims_without_agency_spans_still_resolve() -> None:
    """Mentions stored before rules-1.1.0 have no agency-attributed figures: their own value and
    agencies are used, as before."""
    base = one("North Korea fired a ballistic missile on Thursday, the JCS said.")
    old = replace(base, distance_km=800.0, field_spans=(), reported_by=("JCS",))
    other = replace(base, article_id="t2", distance_km=900.0, field_spans=(), reported_by=())
    metas = {
        "t1": ArticleMeta("t1", "A", datetime(2024, 3, 15, tzinfo=UTC)),
        "t2": ArticleMeta("t2", "B", datetime(2024, 3, 15, tzinfo=UTC)),
    }
    [event] = [
        e for e in consolidate_events([old, other], metas).events if isinstance(e, MissileTestEvent)
    ]
    assert event.distance_km == 800.0


# -- found while probing with new wire-style sentences ------------------------------------------


def test_an_engine_fired_on_a_test_stand_is_no_launch() -> None:
    assert (
        launches(
            "Kim Jong Un watched a ground test of a new solid-fuel engine for an intermediate-range "
            "missile at the Sohae site on Thursday, KCNA said."
        )
        == []
    )


def test_a_launch_told_in_passing_keeps_the_date_of_its_own_clause() -> None:
    text = (
        "China's foreign minister met Choe Son Hui in Beijing on Thursday, the ministry said, "
        "days after Pyongyang fired two cruise missiles."
    )
    assert launches(text) == []
    [past] = passing(text)
    assert (past.missile_class, past.event_date) == ("cruise", None)


def test_the_day_of_a_meeting_is_not_the_day_it_was_said() -> None:
    [d] = diplomacy(
        "Cho Tae-yul met his Japanese counterpart in Tokyo on Wednesday, the foreign ministry said."
    )
    # rules-2.1: ministers who meet hold talks (a meeting is an informal encounter)
    assert (d.event_type, d.event_date, d.location) == ("talks", date(2024, 3, 13), "Tokyo")


def test_an_event_set_as_the_time_of_the_news_is_told_in_passing() -> None:
    found = diplomacy(
        "North Korea fired an ICBM on Friday, days after South Korea and the United States "
        "wrapped up their joint military drills."
    )
    assert found == []


def test_talks_and_the_agreement_signed_at_them_are_two_events() -> None:
    found = diplomacy(
        "Kim Jong Un and Vladimir Putin held talks in Moscow on Wednesday and signed an agreement "
        "on visa-free travel."
    )
    assert {d.event_type for d in found} == {"summit", "agreement"}
    assert all(d.event_date == date(2024, 3, 13) for d in found)


def test_the_speaker_at_the_end_of_a_sentence_speaks_for_all_of_it() -> None:
    m = one(
        "North Korea fired three cruise missiles on Thursday, a week after it tested a "
        "Hwasong-11Ra on March 7, the JCS said."
    )
    assert (m.missile_class, m.num_missiles, m.reported_by) == ("cruise", 3, ("JCS",))


def test_referring_back_borrows_the_parties_of_the_event_not_its_topic() -> None:
    found = diplomacy(
        "Japanese and South Korean envoys held talks in Tokyo on Wednesday on how to answer "
        "North Korea's missile launches. Both sides met again on Thursday in Seoul."
    )
    assert {d.actors for d in found} == {("JPN", "KOR")}


def test_a_distance_from_the_launch_site_is_a_flight_distance() -> None:
    m = one(
        "North Korea fired a missile on Thursday that came down about 560 miles (900 km) from "
        "its launch site, Japan's defence ministry said."
    )
    assert m.distance_km == 900


def test_a_missile_named_only_to_classify_it_is_no_count() -> None:
    m = one(
        "North Korea fired a volley of rockets on Thursday, the JCS said. Officials said the "
        "rockets matched a system that the US classes as a ballistic missile."
    )
    assert m.num_missiles is None


def test_a_launch_a_body_reacts_to_is_told_in_passing() -> None:
    text = (
        "The Security Council on Thursday condemned North Korea's latest satellite launch in a "
        "statement backed by all fifteen members."
    )
    assert launches(text) == []
