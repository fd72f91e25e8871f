"""Diplomacy from real phrasing: who is a party, one visit one event, types that match the
wording, which statements are events, and dates of the event's own clause.

Sentences written for these tests; outlets and datelines are fictional, the facts public.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from extractors.events import DiplomacyMention, extract_mentions
from extractors.events.consolidate import ArticleMeta, DiplomacyEvent, consolidate_events
from extractors.events.diplomacy.lexicon import load_lexicon
from extractors.events.domain import DomainDataError
from extractors.records import ArticleText

KST = ZoneInfo("Asia/Seoul")


def article(text: str, published: datetime, article_id: str = "t1") -> ArticleText:
    return ArticleText(article_id, "https://example.test/x", "Test Wire", "", text, published)


def reports(text: str, published: datetime) -> list[DiplomacyMention]:
    return [
        m
        for m in extract_mentions(article(text, published))
        if isinstance(m, DiplomacyMention) and not m.background
    ]


def events(*texts: str, published: datetime) -> list[DiplomacyEvent]:
    mentions = []
    metas = {}
    for n, text in enumerate(texts):
        a = article(text, published, f"a{n}")
        mentions.extend(m for m in extract_mentions(a) if isinstance(m, DiplomacyMention))
        metas[a.article_id] = ArticleMeta(a.article_id, f"Outlet {n}", published)
    return [e for e in consolidate_events(mentions, metas).events if isinstance(e, DiplomacyEvent)]


MARCH_3_2016 = datetime(2016, 3, 3, 8, 0, tzinfo=KST)
JULY_9_2016 = datetime(2016, 7, 9, 8, 0, tzinfo=KST)
NOV_6_2024 = datetime(2024, 11, 6, 9, 0, tzinfo=KST)


# -- types that match the wording ---------------------------------------------------------------


def test_a_security_council_resolution_that_imposes_sanctions_is_sanctions() -> None:
    [m] = reports(
        "The UN Security Council unanimously adopted a resolution on Wednesday that expands "
        "sanctions on North Korea's coal and iron exports.",
        MARCH_3_2016,
    )
    assert (m.event_type, m.actors, m.event_date) == ("sanctions", ("PRK", "UN"), date(2016, 3, 2))


def test_a_vetoed_resolution_stays_un_action() -> None:
    [m] = reports(
        "Russia on Thursday vetoed a Security Council resolution that would have renewed the "
        "panel monitoring sanctions on North Korea.",
        datetime(2024, 3, 29, 8, 0, tzinfo=KST),
    )
    assert m.event_type == "un_action"


def test_a_leaders_joint_warning_is_a_statement_not_their_summit() -> None:
    [m] = reports(
        "The leaders of the United States, South Korea and Japan jointly warned North Korea on "
        "Thursday against further provocations. Barack Obama, Park Geun-hye and Shinzo Abe met "
        "on the sidelines of a nuclear security summit in Washington.",
        datetime(2016, 4, 1, 8, 0, tzinfo=KST),
    )
    assert (m.event_type, m.actors, m.location) == (
        "statement",
        ("JPN", "KOR", "PRK", "USA"),
        "Washington",
    )
    assert m.persons == ("Barack Obama", "Park Geun-hye", "Shinzo Abe")


@pytest.mark.parametrize(
    "text",
    [
        "The US Treasury on Wednesday named North Korea a primary money laundering concern.",
        "The Treasury on Wednesday added Kim Jong Un to its list of sanctioned individuals.",
        "The United States on Wednesday put Kim Jong Un on its sanctions blacklist.",
        "The Treasury's Office of Foreign Assets Control on Wednesday designated Kim Jong Un and "
        "ten officials for human rights abuses.",
    ],
)
def test_treasury_designations_are_sanctions(text: str) -> None:
    [m] = reports(text, JULY_9_2016)
    assert m.event_type == "sanctions" and {"USA", "PRK"} <= set(m.actors)


def test_a_deployment_two_governments_announce_is_an_agreement_between_them() -> None:
    [m] = reports(
        "South Korea and the United States said on Friday they had decided to deploy a THAAD "
        "missile defence battery to counter North Korea's missile threat.",
        JULY_9_2016,
    )
    assert (m.event_type, m.actors, m.event_date) == ("agreement", ("KOR", "USA"), date(2016, 7, 8))


def test_one_government_deploying_is_no_agreement() -> None:
    found = reports(
        "The United States will deploy a THAAD battery to Guam, the Pentagon said on Friday, "
        "citing North Korea's missiles.",
        JULY_9_2016,
    )
    assert [m for m in found if m.event_type == "agreement"] == []


# -- parties ------------------------------------------------------------------------------------


def test_what_happened_during_a_meeting_makes_no_party() -> None:
    [m] = reports(
        "Choe Son Hui held talks with Sergei Lavrov in Moscow on Friday, as the United States "
        "said North Korean troops had reached Russia's Kursk region.",
        datetime(2024, 11, 2, 7, 0, tzinfo=KST),
    )
    assert (m.event_type, m.actors) == ("talks", ("PRK", "RUS"))


def test_what_a_meeting_was_about_is_no_party() -> None:
    [m] = reports(
        "Kerry pressed China on Wednesday to back tough measures against North Korea in talks with "
        "Wang Yi in Beijing.",
        datetime(2016, 1, 27, 22, 0, tzinfo=KST),
    )
    assert set(m.actors) == {"CHN", "USA"}


def test_a_threat_drawn_by_an_exercise_makes_no_party_to_it() -> None:
    [m] = reports(
        "South Korea and the United States began their largest joint military exercises on Monday, "
        "drawing a threat from North Korea.",
        datetime(2016, 3, 7, 19, 0, tzinfo=KST),
    )
    assert (m.event_type, m.actors) == ("military_exercise", ("KOR", "USA"))


def test_a_state_whose_greetings_were_conveyed_is_no_participant() -> None:
    [e] = events(
        "Vladimir Putin received Choe Son Hui at the Kremlin on Monday. Choe conveyed the "
        "greetings of Kim Jong Un to Putin.",
        published=NOV_6_2024,
    )
    assert e.persons == ("Choe Son Hui", "Vladimir Putin") and e.location == "Moscow"


def test_a_state_security_council_is_not_the_un() -> None:
    [m] = reports(
        "Kim Jong Un met Sergei Shoigu, secretary of Russia's Security Council, in Pyongyang on "
        "Friday.",
        datetime(2024, 9, 14, 7, 0, tzinfo=KST),
    )
    assert m.actors == ("PRK", "RUS")


# -- one visit, one event -----------------------------------------------------------------------


def test_the_legs_of_a_visit_in_one_article_are_one_event() -> None:
    [e] = events(
        "Russian Defence Minister Andrei Belousov arrived in Pyongyang on Friday. He held talks "
        "with No Kwang Chol on Saturday, and Kim Jong Un received him on Sunday.",
        published=datetime(2024, 12, 2, 9, 0, tzinfo=KST),
    )
    assert (e.event_type, e.event_date) == ("talks", date(2024, 11, 29))
    assert {"Andrei Belousov", "No Kwang Chol"} <= set(e.persons)


def test_the_legs_of_a_visit_across_articles_are_one_event() -> None:
    found = events(
        "Choe Son Hui held talks with Sergei Lavrov in Moscow on Friday.",
        "Vladimir Putin received Choe Son Hui at the Kremlin on Monday.",
        published=NOV_6_2024,
    )
    [e] = found
    assert (e.event_type, e.event_date, e.support.num_articles) == ("talks", date(2024, 11, 1), 2)


def test_a_head_of_state_visit_with_the_host_leader_is_a_summit() -> None:
    [visit, treaty] = events(
        "On June 19, 2024, Vladimir Putin made his first visit to Pyongyang since 2000. He and "
        "Kim Jong Un signed a treaty on comprehensive strategic partnership.",
        published=datetime(2024, 6, 21, 9, 0, tzinfo=KST),
    )
    assert (visit.event_type, treaty.event_type) == ("summit", "agreement")
    assert visit.persons == treaty.persons == ("Kim Jong Un", "Vladimir Putin")


# -- statements ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "KCNA said in a commentary on Monday that the United States was pushing the peninsula "
        "to the brink of war.",
        "A spokesman for the Korean Association of Social Scientists issued a statement on "
        "Monday denouncing South Korea.",
        "In a speech at a factory's completion ceremony on Monday, Kim Jong Un said the country "
        "had prospered in spite of US sanctions.",
        "At a party plenum on Monday, Kim Jong Un called for the hardest line against the "
        "United States.",
        "A spokesperson for the Ministry of Public Health said in a statement on Monday that "
        "quarantine would be tightened.",
    ],
)
def test_statements_that_are_no_diplomatic_event(text: str) -> None:
    assert [m for m in reports(text, NOV_6_2024) if m.event_type == "statement"] == []


def test_a_reaction_to_the_news_is_not_news() -> None:
    found = reports(
        "The UN Security Council adopted a resolution on Wednesday that tightens sanctions on "
        "North Korea. South Korea's foreign ministry welcomed the measures in a statement, "
        "calling them a warning to the North.",
        MARCH_3_2016,
    )
    assert [m.event_type for m in found] == ["sanctions"]


def test_a_warning_to_another_state_is_a_statement_dated_by_its_issue() -> None:
    [m] = reports(
        "The DPRK Foreign Ministry issued an important statement on Friday, saying that the ROK "
        "had sent drones over Pyongyang on the nights of October 3, 9 and 10.",
        datetime(2024, 10, 12, 6, 0, tzinfo=KST),
    )
    assert (m.event_type, m.actors, m.event_date) == (
        "statement",
        ("KOR", "PRK"),
        date(2024, 10, 11),
    )


# -- dates --------------------------------------------------------------------------------------


def test_a_date_in_a_clause_about_another_event_does_not_date_this_one() -> None:
    [m] = reports(
        "The Security Council on Wednesday voted to impose new sanctions on North Korea, "
        "punishing it for the nuclear test it conducted on Jan. 6.",
        MARCH_3_2016,
    )
    assert m.event_date == date(2016, 3, 2)
    [m] = reports(
        "Responding to North Korea's nuclear test of January 6, the Security Council on March 2, "
        "2016 adopted a resolution imposing sanctions.",
        MARCH_3_2016,
    )
    assert m.event_date == date(2016, 3, 2)


def test_a_statement_about_a_resolution_is_dated_by_the_statement() -> None:
    [m] = reports(
        "A spokesman for the DPRK government issued a statement on Friday rejecting the sanctions "
        "resolution that the UN Security Council adopted on March 2.",
        datetime(2016, 3, 5, 8, 0, tzinfo=KST),
    )
    assert (m.event_type, m.event_date, m.actors) == ("statement", date(2016, 3, 4), ("PRK", "UN"))


def test_an_undated_report_in_the_lede_is_dated_reported() -> None:
    [e] = events(
        "Kim Jong Un received a Russian military delegation led by Andrei Belousov in Pyongyang.",
        published=NOV_6_2024,
    )
    assert (e.event_date, e.date_precision) == (date(2024, 11, 6), "reported")
    # a 'reported' day places the event in time: it is weighed as a dated report, not an undated one
    assert not e.support.low_confidence


def test_an_undated_event_told_later_in_the_article_makes_none() -> None:
    assert (
        events(
            "Seoul's defence ministry said on Tuesday it would buy more interceptors. Analysts "
            "noted the talks Choe Son Hui held with Sergei Lavrov in Moscow.",
            published=NOV_6_2024,
        )
        == []
    )


def test_plans_anniversaries_and_records_make_no_event() -> None:
    assert (
        events(
            "President Vladimir Putin will travel to North Korea on Tuesday, the Kremlin said.",
            "A year after Donald Trump and Kim Jong Un shook hands in Singapore, talks have stalled.",
            "Pyongyang has rejected every US offer of talks since 2019.",
            "Japan's prime minister is expected to discuss North Korea with Yoon at a summit in "
            "Seoul later this month.",
            published=datetime(2019, 6, 12, 12, 0, tzinfo=KST),
        )
        == []
    )


# -- data ---------------------------------------------------------------------------------------


def test_the_context_lists_load_once_and_match_their_words() -> None:
    lex = load_lexicon()
    assert lex is load_lexicon()
    assert lex.protocol.search("sent a message of greeting to Putin")
    assert lex.internal_meetings.search("The Enlarged Plenary Meeting of the WPK")
    assert not lex.protocol.search("held talks with Lavrov")


def test_a_missing_context_list_fails_loudly(tmp_path: Path) -> None:
    broken = tmp_path / "event_terms.toml"
    broken.write_text("[diplomacy_context]\nprotocol = []\n", encoding="utf-8")
    with pytest.raises(DomainDataError, match=r"diplomacy_context\.protocol"):
        load_lexicon(broken)
    with pytest.raises(DomainDataError, match=r"missing\.toml"):
        load_lexicon(tmp_path / "missing.toml")
    empty = tmp_path / "empty.toml"
    empty.write_text("[missile]\n", encoding="utf-8")
    with pytest.raises(DomainDataError, match=r"\[diplomacy_context\] is missing"):
        load_lexicon(empty)


# -- events told as the time of the news (rules-2.1.0) ------------------------------------------


@pytest.mark.parametrize(
    ("text", "trigger", "days", "later"),
    [
        ("fired two missiles four days before Xi Jinping's visit to Seoul.", "visit", 4, True),
        ("The test came the day before Harris arrived in Seoul.", "arrived", 1, True),
        (
            "fired missiles on Tuesday, a day after Putin received Choe in Moscow.",
            "received",
            -1,
            False,
        ),
        ("The launch came hours after the leaders met.", "met", 0, False),
        ("The launch came the same day as the summit in Tokyo.", "summit", 0, False),
        ("fired a missile on the eve of the summit in Lima.", "summit", 1, True),
        ("fired a missile ahead of Blinken's trip to Seoul.", "trip", None, True),
        ("fired a missile shortly after the talks ended.", "talks", None, False),
    ],
)
def test_an_event_told_as_the_time_of_the_news_is_counted_from_it(
    text: str, trigger: str, days: int | None, later: bool
) -> None:
    from extractors.events.diplomacy.relations import relation_of

    relation = relation_of(text, text.index(trigger))
    assert relation is not None
    assert (relation.days_from_anchor, relation.later) == (days, later)


def test_an_event_after_the_relation_words_ends_at_their_clause() -> None:
    from extractors.events.diplomacy.relations import relation_of

    text = "On October 12, a day after Pyongyang accused Seoul, Kim Yo Jong issued a statement."
    assert relation_of(text, text.index("accused")) is not None
    assert relation_of(text, text.index("statement")) is None
