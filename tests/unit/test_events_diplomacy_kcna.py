"""KCNA's own English reports: what the agency publishes every day (commentaries, newspaper
articles, domestic speeches, party meetings, greetings, anniversaries, plans, statements on home
affairs) makes no diplomacy event; its reports of visits, talks and statements to other states do.

The texts are written for these tests in the agency's manner ("Pyongyang, October 13 (KCNA) --");
they tell public facts and copy no sentence of the agency.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from extractors.events import DiplomacyMention, extract_mentions
from extractors.events.consolidate import ArticleMeta, DiplomacyEvent, consolidate_events
from extractors.records import ArticleText

# (title, published, text): none of these is a diplomatic event
NON_EVENTS = [
    (
        "KCNA Commentary on U.S.-ROK Joint Drills",
        "2024-08-20T07:00:00+09:00",
        "KCNA Commentary\n\nThe U.S. and the ROK puppet military kicked off the Ulchi Freedom Shield joint military exercises on Monday, mobilizing tens of thousands of troops.\n\nThe drills are an open rehearsal for a war of aggression against the DPRK. The U.S. and its stooges should not forget that the DPRK is watching every move they make.",
    ),
    (
        "KCNA Commentary Slams Japan",
        "2024-09-10T07:00:00+09:00",
        "Pyongyang, September 10 (KCNA) -- Japan is stepping up its military cooperation with the U.S. and the ROK, says KCNA in a commentary.\n\nThe commentary goes on:\n\nJapan held talks with the U.S. on the integration of their commands last month and joined the trilateral drills staged off Jeju Island. This shows that Japan is dreaming of becoming a military power again.",
    ),
    (
        "Rodong Sinmun on U.S. Sanctions",
        "2024-08-28T07:00:00+09:00",
        "Pyongyang, August 28 (KCNA) -- Rodong Sinmun Wednesday says in a signed article that the U.S. has imposed sanctions on the DPRK for decades in a vain attempt to stifle it.\n\nThe article says that the more sanctions the U.S. imposes, the stronger the DPRK becomes.",
    ),
    (
        "Minju Joson Article",
        "2024-10-02T07:00:00+09:00",
        "Pyongyang, October 2 (KCNA) -- Minju Joson Wednesday carries an article denouncing the ROK for holding the Armed Forces Day parade in Seoul. The paper says the ROK showed off its missiles in a bid to provoke the DPRK.",
    ),
    (
        "Rodong Sinmun Editorial",
        "2024-09-09T07:00:00+09:00",
        "Pyongyang, September 9 (KCNA) -- Rodong Sinmun Monday carries an editorial on the 76th founding anniversary of the DPRK.\n\nThe editorial says that the DPRK has become a powerful state that no hostile force, including the U.S., dares to provoke.",
    ),
    (
        "Kim Jong Un Makes Speech at Defence University",
        "2024-10-08T06:00:00+09:00",
        "Pyongyang, October 8 (KCNA) -- Respected Comrade Kim Jong Un made a speech at the Kim Jong Un University of National Defence on October 7.\n\nHe said that the DPRK would further strengthen its nuclear forces to cope with the military threats of the U.S. and the ROK, and stressed that the army must be ready for any situation.",
    ),
    (
        "Kim Jong Un Speaks at Defence Exhibition",
        "2024-11-22T06:00:00+09:00",
        "Pyongyang, November 22 (KCNA) -- Respected Comrade Kim Jong Un made a commemorative speech at the opening of the Defence Development-2024 exhibition on November 21.\n\nHe said that the DPRK had gone as far as possible in negotiations with the U.S. and had only confirmed its hostile policy. He stressed that the country would keep building up its defence capabilities.",
    ),
    (
        "Political Bureau Meeting Held",
        "2024-09-01T06:00:00+09:00",
        "Pyongyang, September 1 (KCNA) -- A meeting of the Political Bureau of the Central Committee of the Workers' Party of Korea was held on August 31.\n\nThe meeting discussed the recovery from flood damage and countermeasures against the hostile acts of the U.S. and the ROK, which held large-scale joint military drills last month.",
    ),
    (
        "SPA Session Held",
        "2024-10-09T06:00:00+09:00",
        "Pyongyang, October 9 (KCNA) -- The 11th Session of the 14th Supreme People's Assembly was held in Pyongyang on October 7 and 8.\n\nThe session discussed the amendment of the socialist constitution and laws on the general education system.",
    ),
    (
        "Kim Jong Un Receives Message of Greeting",
        "2024-10-08T07:00:00+09:00",
        "Pyongyang, October 8 (KCNA) -- Kim Jong Un received a message of greeting from Vladimir Putin on Monday on the occasion of his birthday, wishing him good health. Kim Jong Un sent a reply of thanks.",
    ),
    (
        "Kim Jong Un Sends Condolences",
        "2024-09-12T07:00:00+09:00",
        "Pyongyang, September 12 (KCNA) -- Kim Jong Un sent a message of sympathy to Xi Jinping over the damage caused by a typhoon in the south of China. He wished the Chinese people an early recovery.",
    ),
    (
        "Floral Basket to Statue",
        "2024-09-20T07:00:00+09:00",
        "Pyongyang, September 20 (KCNA) -- A floral basket was laid before the statues of President Kim Il Sung and Chairman Kim Jong Il on Mansu Hill in the name of the Russian ambassador to the DPRK on the occasion of the founding anniversary of the DPRK.",
    ),
    (
        "Anniversary of DPRK-Russia Treaty Marked",
        "2024-07-12T07:00:00+09:00",
        "Pyongyang, July 12 (KCNA) -- A reception was held in Pyongyang on July 11 to mark the 63rd anniversary of the DPRK-China Treaty of Friendship, Cooperation and Mutual Assistance, signed on July 11, 1961. The Chinese ambassador and officials of the DPRK Foreign Ministry attended the reception.",
    ),
    (
        "Anniversary of Summit Talks Recalled",
        "2024-09-13T07:00:00+09:00",
        "Pyongyang, September 13 (KCNA) -- One year has passed since Kim Jong Un and Vladimir Putin held historic talks at the Vostochny Cosmodrome on September 13 last year. The talks opened a new era in the relations between the DPRK and Russia.",
    ),
    (
        "Delegation to Visit Russia",
        "2024-10-28T07:00:00+09:00",
        "Pyongyang, October 28 (KCNA) -- A delegation of the DPRK Ministry of Culture will visit Russia to attend a festival of arts at the invitation of the Russian side, a spokesperson said on Monday.",
    ),
    (
        "Statement of Ministry of Public Health",
        "2024-08-25T07:00:00+09:00",
        "Pyongyang, August 25 (KCNA) -- A spokesperson for the Ministry of Public Health of the DPRK said in a statement on Saturday that anti-epidemic measures would be tightened across the country during the rainy season.",
    ),
    (
        "Statement on Flood Recovery",
        "2024-08-10T07:00:00+09:00",
        "Pyongyang, August 10 (KCNA) -- The Central Committee of the Workers' Party of Korea issued a statement on Friday calling on all party members to join the recovery from the flood damage in North Phyongan Province.",
    ),
    (
        "Kim Jong Un Inspects Factory",
        "2024-09-03T07:00:00+09:00",
        "Pyongyang, September 3 (KCNA) -- Respected Comrade Kim Jong Un inspected a munitions factory and set the task of sharply increasing the production of shells, the agency said. He visited the production lines and praised the workers.",
    ),
    (
        "Seminar on Juche Idea Held Abroad",
        "2024-09-25T07:00:00+09:00",
        "Pyongyang, September 25 (KCNA) -- A seminar on the Juche idea was held in Vientiane, Laos, on September 20. Speakers praised the achievements of the DPRK under the leadership of Kim Jong Un.",
    ),
    (
        "Letter from Foreign Party",
        "2024-10-15T07:00:00+09:00",
        "Pyongyang, October 15 (KCNA) -- Kim Jong Un received a congratulatory letter from the chairman of a political party of Nepal on the 79th founding anniversary of the Workers' Party of Korea.",
    ),
    (
        "KCNA Commentary on UN Human Rights Resolution",
        "2024-11-18T07:00:00+09:00",
        "Pyongyang, November 18 (KCNA) -- The U.S. and its followers pushed through a human rights resolution against the DPRK at the UN General Assembly committee last week, says KCNA in a commentary. This is a political provocation aimed at tarnishing the image of the DPRK, the commentary says.",
    ),
    (
        "Korean Association of Social Scientists Spokesman Statement",
        "2024-08-30T07:00:00+09:00",
        "Pyongyang, August 30 (KCNA) -- A spokesman for the Korean Association of Social Scientists issued a statement on Thursday denouncing the ROK for distorting the history of the Korean nation.",
    ),
    (
        "KCNA Commentary on Japan's Defence White Paper",
        "2024-07-15T07:00:00+09:00",
        "KCNA Commentary\n\nJapan adopted its defence white paper on Friday, again describing the DPRK as a grave threat. Japan should know that its militarist ambitions will bring it nothing but ruin.",
    ),
    (
        "Rodong Sinmun on DPRK-Russia Friendship",
        "2024-11-10T07:00:00+09:00",
        "Pyongyang, November 10 (KCNA) -- Rodong Sinmun Sunday carries an article calling the treaty signed between the DPRK and Russia in June a firm guarantee of peace. The paper says the treaty will be a legal basis for ever closer relations.",
    ),
    (
        "Kim Jong Un Speaks at Party Meeting",
        "2024-12-28T07:00:00+09:00",
        "Pyongyang, December 28 (KCNA) -- In his speech at the Enlarged Plenary Meeting of the WPK Central Committee, Kim Jong Un called for the toughest counteraction against the U.S. and set the tasks for the new year.",
    ),
    (
        "Reception for Foreign Guests",
        "2024-09-10T07:00:00+09:00",
        "Pyongyang, September 10 (KCNA) -- The Ministry of Foreign Affairs gave a reception on September 9 for diplomatic envoys and representatives of international organizations in Pyongyang on the 76th founding anniversary of the DPRK.",
    ),
    (
        "Cultural Troupe Leaves for Russia",
        "2024-08-05T07:00:00+09:00",
        "Pyongyang, August 5 (KCNA) -- An art troupe of the DPRK left Pyongyang on Sunday to take part in a cultural festival in Russia.",
    ),
    (
        "Kim Yo Jong Comments on Domestic Construction",
        "2024-11-20T07:00:00+09:00",
        "Pyongyang, November 20 (KCNA) -- Kim Yo Jong, vice department director of the WPK Central Committee, accompanied Kim Jong Un on an inspection of a regional hospital under construction, KCNA reported.",
    ),
    (
        "KCNA Report on U.S. Sanctions Against Third Countries",
        "2024-10-22T07:00:00+09:00",
        "Pyongyang, October 22 (KCNA) -- The U.S. announced new sanctions against dozens of Chinese firms last week, showing once again that it uses sanctions as a tool of domination, says KCNA in a commentary.",
    ),
    (
        "Message of Thanks from Laos",
        "2024-10-16T07:00:00+09:00",
        "Pyongyang, October 16 (KCNA) -- Kim Jong Un received a message of thanks from Thongloun Sisoulith, general secretary of the Lao People's Revolutionary Party, in reply to his congratulations.",
    ),
    (
        "National Meeting Denounces U.S.",
        "2024-06-26T06:00:00+09:00",
        "Pyongyang, June 26 (KCNA) -- A mass rally was held in Pyongyang on June 25 to denounce the U.S. imperialists. A national meeting was held in the capital to condemn the U.S.",
    ),
    (
        "Russian Ambassador Visits University",
        "2024-09-03T06:00:00+09:00",
        "Pyongyang, September 3 (KCNA) -- The Russian ambassador to the DPRK visited Kim Il Sung University on Monday and looked round its electronic library.",
    ),
]


def diplomacy_events(
    *items: tuple[str, str, str],
) -> list[DiplomacyEvent]:
    mentions = []
    metas = {}
    for n, (title, published, text) in enumerate(items):
        article = ArticleText(
            f"k{n}", "https://state-media.example/x", "KCNA", title, text,
            datetime.fromisoformat(published),
        )  # fmt: skip
        mentions.extend(m for m in extract_mentions(article) if isinstance(m, DiplomacyMention))
        metas[article.article_id] = ArticleMeta(article.article_id, "KCNA", article.published_at)
    return [e for e in consolidate_events(mentions, metas).events if isinstance(e, DiplomacyEvent)]


@pytest.mark.parametrize("item", NON_EVENTS, ids=[t for t, _, _ in NON_EVENTS])
def test_an_agency_item_that_is_no_diplomatic_event_makes_none(item: tuple[str, str, str]) -> None:
    assert diplomacy_events(item) == []


def test_the_whole_set_of_non_events_makes_no_event_together() -> None:
    """Consolidated as one agency's feed (background mentions may join events, never make one)."""
    assert diplomacy_events(*NON_EVENTS) == []


def test_a_visit_reported_over_several_days_is_one_event() -> None:
    """Choe Son Hui's trip to Russia as the agency told it: talks with Lavrov on 1 November, a
    reception by Putin on 4 November: one event, dated to its first day, typed talks."""
    talks = (
        "DPRK and Russian Foreign Ministers Hold Talks", "2024-11-02T07:00:00+09:00",
        "Pyongyang, November 2 (KCNA) -- Choe Son Hui, minister of Foreign Affairs of the DPRK, "
        "held talks with Sergei Lavrov, minister of Foreign Affairs of Russia, in Moscow on "
        "November 1.",
    )  # fmt: skip
    reception = (
        "Putin Receives DPRK Foreign Minister", "2024-11-05T06:30:00+09:00",
        "Pyongyang, November 5 (KCNA) -- Vladimir Putin, president of the Russian Federation, "
        "received Choe Son Hui, minister of Foreign Affairs of the DPRK, at the Kremlin on "
        "November 4.",
    )  # fmt: skip
    [event] = diplomacy_events(talks, reception)
    assert event.actors == ("PRK", "RUS")
    assert event.event_date == date(2024, 11, 1) and event.event_type == "talks"
    assert set(event.persons) == {"Choe Son Hui", "Sergei Lavrov", "Vladimir Putin"}
    assert event.location == "Moscow" and event.support.num_articles == 2


def test_two_delegations_received_by_one_host_in_one_week_are_two_events() -> None:
    """The host who receives one visitor after another is no visitor: two visits."""
    first = (
        "Kim Jong Un Receives Shoigu", "2024-09-14T06:30:00+09:00",
        "Pyongyang, September 14 (KCNA) -- Kim Jong Un received Sergei Shoigu, secretary of the "
        "Security Council of the Russian Federation, in Pyongyang on September 13.",
    )  # fmt: skip
    second = (
        "Kim Jong Un Receives Belousov", "2024-09-18T06:30:00+09:00",
        "Pyongyang, September 18 (KCNA) -- Kim Jong Un received Andrei Belousov, minister of "
        "Defence of the Russian Federation, in Pyongyang on September 17.",
    )  # fmt: skip
    assert len(diplomacy_events(first, second)) == 2


def test_a_press_statement_takes_its_addressee_from_its_text() -> None:
    statement = (
        "Press Statement of Kim Yo Jong", "2024-10-13T07:00:00+09:00",
        "Pyongyang, October 13 (KCNA) -- Kim Yo Jong, vice department director of the Central "
        "Committee of the Workers' Party of Korea, issued the following press statement on "
        "Saturday:\n\nThe military gangsters of the ROK have again violated our sovereignty.\n\n"
        "Last month the ROK and the U.S. held joint military drills against the DPRK.",
    )  # fmt: skip
    [event] = diplomacy_events(statement)
    assert (event.event_type, event.actors, event.persons, event.event_date) == (
        "statement",
        ("KOR", "PRK"),
        ("Kim Yo Jong",),
        date(2024, 10, 12),
    )


def test_a_statement_refusing_talks_is_a_rejection() -> None:
    statement = (
        "Press Statement of Kim Yo Jong", "2025-07-29T08:00:00+09:00",
        "Pyongyang, July 29 (KCNA) -- Kim Yo Jong, vice department director of the Central "
        "Committee of the WPK, released a press statement on Tuesday concerning remarks by the "
        "U.S. side about dialogue.\n\nThe DPRK has no interest in any talks with the U.S. that "
        "ignore its nuclear status, she said.",
    )  # fmt: skip
    [event] = diplomacy_events(statement)
    assert (event.event_type, set(event.actors)) == ("dialogue_rejection", {"PRK", "USA"})


def test_a_statement_quoted_inside_a_statement_is_no_event_of_its_own() -> None:
    statement = (
        "Press Statement of DPRK Foreign Ministry Spokesperson", "2024-10-20T07:00:00+09:00",
        "Pyongyang, October 20 (KCNA) -- A spokesperson for the DPRK Foreign Ministry issued the "
        "following press statement on Saturday:\n\nThe U.S. State Department said in a statement "
        "last week that Japan and the ROK would join a new sanctions monitoring team.\n\nThe DPRK "
        "will never recognize such a team and will answer the U.S. with stern action.",
    )  # fmt: skip
    [event] = diplomacy_events(statement)
    assert (event.event_type, event.event_date) == ("statement", date(2024, 10, 19))
    assert "PRK" in event.actors and event.persons == ()
