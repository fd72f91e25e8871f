"""The bundled demo corpus end to end: every real launch and diplomatic event it reports appears
exactly once in missile_tests / diplomacy_events, with the fields its pages support, and nothing
appears that the corpus does not report.

The warehouse is built through the real path (in-process HTTP server, feed polling, page fetching,
text extraction, event extraction, consolidation). The expected lists below were written by hand
from flows/sample_corpus/README.md and the pages themselves; each entry says which page(s) report
it. Judgement calls are explained next to the entry they concern.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from extractors.events import EXTRACTOR_VERSION
from warehouse import Warehouse

Row = dict[str, Any]


@dataclass(frozen=True)
class Launch:
    """A launch the corpus reports: how to find it, and the fields its pages support."""

    day: str
    designation: str | None  # None: the pages give no name, and the event must have none
    missile_class: str
    fields: tuple[tuple[str, Any], ...] = ()  # (column, value) that must hold
    pages: str = ""

    @property
    def key(self) -> str:
        return f"{self.day} {self.designation or self.missile_class}"


@dataclass(frozen=True)
class Diplomatic:
    day: str
    event_type: str
    actors: tuple[str, ...]
    fields: tuple[tuple[str, Any], ...] = ()
    pages: str = ""

    @property
    def key(self) -> str:
        return f"{self.day} {self.event_type} {'+'.join(self.actors)}"


# rules-2.2: an outcome only from words about the result. A test the leader watched and a missile
# that hit its target claim none: a launch whose pages say neither "success" nor "failure" is
# "unknown".
LAUNCHES = [
    Launch("2023-04-13", "Hwasong-18", "ICBM",
           (("launch_site", "Pyongyang"), ("distance_km", 1000.0), ("outcome", "unknown"),
            ("overseen_by", "Kim Jong Un")),
           "peninsula-ledger first-hwasong-18"),
    Launch("2023-05-31", "Chollima-1", "SLV",
           (("launch_site", "Sohae"), ("outcome", "failure")),
           "pacific-wire chollima-1-satellite-launch-fails"),
    # Japan MoD's 'above 6,000 km' (an official military source) wins over KCNA's 6,648.4 km.
    Launch("2023-07-12", "Hwasong-18", "ICBM",
           (("distance_km", 1000.0), ("apogee_km", 6000.0), ("outcome", "unknown"),
            ("overseen_by", "Kim Jong Un")),
           "peninsula-ledger hwasong-18-second-launch, pacific-wire kcna-hwasong-18-flight-data"),
    Launch("2023-07-19", None, "SRBM",
           (("num_missiles", 2), ("launch_site", "Sunan"), ("distance_km", 550.0)),
           "seoul-dispatch uss-kentucky-busan-port-call"),
    Launch("2023-08-24", "Chollima-1", "SLV",
           (("launch_site", "Sohae"), ("outcome", "failure")),
           "pacific-wire second-satellite-launch-fails"),
    # "Hours before the meeting" (the Vostochny summit of Wednesday): dated by that meeting.
    Launch("2023-09-13", None, "SRBM",
           (("num_missiles", 2), ("launch_site", "Pyongyang"), ("landing_area", "East Sea")),
           "pacific-wire kim-putin-vostochny-cosmodrome"),
    Launch("2023-11-21", "Chollima-1", "SLV",
           (("launch_site", "Sohae"), ("outcome", "success"), ("overseen_by", "Kim Jong Un")),
           "hanbando-ilbo + pacific-wire malligyong-1-orbit-claim"),
    Launch("2023-12-18", "Hwasong-18", "ICBM",
           (("distance_km", 1000.0), ("apogee_km", 6000.0)),
           "peninsula-ledger hwasong-18-icbm-launch-december"),
    # Launched on Sunday, reported by KCNA on Monday; 'a hypersonic manoeuvrable warhead' makes
    # the intermediate-range missile hypersonic.
    Launch("2024-01-14", None, "hypersonic",
           (("distance_km", 1000.0), ("launch_site", "Pyongyang"), ("outcome", "success")),
           "pacific-wire solid-fuel-hypersonic-irbm-first-launch-2024"),
    # Told in passing ("was first tested on January 24"), but named and dated: an event of its own.
    Launch("2024-01-24", "Pulhwasal-3-31", "cruise", (("landing_area", "Yellow Sea"),),
           "pacific-wire pulhwasal-3-31-submarine-cruise-missiles"),
    Launch("2024-01-28", "Pulhwasal-3-31", "cruise",
           (("num_missiles", 2), ("launch_site", "Sinpo"), ("outcome", "unknown"),
            ("overseen_by", "Kim Jong Un")),
           "pacific-wire pulhwasal-3-31-submarine-cruise-missiles"),
    # "several cruise missiles" on Tuesday: no name, no count, not the Pulhwasal of Sunday.
    Launch("2024-01-30", None, "cruise",
           (("num_missiles", None), ("landing_area", "Yellow Sea"), ("overseen_by", None)),
           "pacific-wire pulhwasal-3-31-submarine-cruise-missiles"),
    # JCS ~600 km wins over KCNA's 1,000 km (official military source, within one article).
    Launch("2024-04-02", "Hwasong-16B", "hypersonic",
           (("distance_km", 600.0), ("apogee_km", 101.1), ("outcome", "unknown"),
            ("overseen_by", "Kim Jong Un")),
           "peninsula-ledger hwasong-16b-hypersonic-irbm"),
    Launch("2024-05-27", None, "SLV",
           (("launch_site", "Sohae"), ("outcome", "failure")),
           "pacific-wire satellite-rocket-explodes-first-stage"),
    # The failed satellite launch three days earlier must not make this barrage a failure.
    Launch("2024-05-30", "KN-25", "SRBM",
           (("num_missiles", 18), ("launch_site", "Sunan"), ("distance_km", 350.0),
            ("outcome", "unknown")),
           "peninsula-ledger srbm-barrage-sunan-18-missiles, pacific-wire north-korea-fires-"
           "short-range-barrage"),
    # rules-2.0: KCNA's report names no result and no one watched: no outcome is claimed.
    # rules-2.1: one system on one day is one launch: the two missiles (one 'may have failed')
    # are one event of 2, a failure, with the longer flight.
    Launch("2024-07-01", "Hwasong-11C-4.5", "SRBM",
           (("num_missiles", 2), ("distance_km", 600.0), ("launch_site", "Jangyon"),
            ("outcome", "failure")),
           "pacific-wire two-ballistic-missiles, peninsula-ledger feed summary"),
    # KCNA reported on Thursday what happened on Wednesday.
    Launch("2024-09-18", "Hwasong-11C-4.5", "SRBM",
           (("launch_site", "Kaechon"), ("distance_km", 400.0), ("outcome", "unknown"),
            ("overseen_by", "Kim Jong Un")),
           "peninsula-ledger hwasong-11da-4-5-cruise-missile-test"),
    Launch("2024-09-18", None, "cruise",
           (("outcome", "unknown"), ("overseen_by", "Kim Jong Un"), ("distance_km", None)),
           "peninsula-ledger hwasong-11da-4-5-cruise-missile-test"),
    # The Hwasong-18 'record set ... in July 2023' is a comparison, not this launch's name;
    # Japan MoD's figures win over KCNA's 1,001.2 / 7,687.5 km.
    Launch("2024-10-31", "Hwasong-19", "ICBM",
           (("launch_site", "Pyongyang"), ("distance_km", 1000.0), ("apogee_km", 7000.0),
            ("outcome", "unknown"), ("overseen_by", "Kim Jong Un")),
           "peninsula-ledger icbm-launch-record-flight-time, pacific-wire north-korea-icbm-record-"
           "altitude, hanbando-ilbo hwasong-19-icbm-kcna-claim"),
    # JCS 'several', Japan 'at least seven'; 'the Hwasong-11 family' names no designation.
    Launch("2024-11-05", None, "SRBM",
           (("num_missiles", 7), ("launch_site", "Sariwon"), ("distance_km", 400.0)),
           "hanbando-ilbo, peninsula-ledger, global-affairs (US election day)"),
    # KCNA gave no designation ('unlike the Hwasong-16B' is a comparison); JCS 1,100 km wins.
    Launch("2025-01-06", None, "hypersonic",
           (("launch_site", "Pyongyang"), ("distance_km", 1100.0), ("apogee_km", 100.0),
            ("outcome", "unknown"), ("overseen_by", "Kim Jong Un")),
           "pacific-wire, hanbando-ilbo, peninsula-ledger (Blinken in Seoul)"),
]  # fmt: skip

DIPLOMATIC = [
    # A US ballistic-missile submarine's port call: a military visit, hosted by South Korea.
    Diplomatic("2023-07-18", "visit", ("KOR", "USA"), (("location", "Busan"),),
               "seoul-dispatch uss-kentucky-busan-port-call"),
    Diplomatic("2023-08-18", "summit", ("JPN", "KOR", "USA"),
               (("persons", ["Fumio Kishida", "Joe Biden", "Yoon Suk Yeol"]),
                ("location", "Camp David")),
               "global-affairs camp-david-trilateral-summit"),
    Diplomatic("2023-08-21", "military_exercise", ("KOR", "USA"), (),
               "seoul-dispatch ulchi-freedom-shield-2023-begins"),
    Diplomatic("2023-09-13", "summit", ("PRK", "RUS"),
               (("persons", ["Kim Jong Un", "Vladimir Putin"]), ("location", "Vostochny")),
               "pacific-wire kim-putin-vostochny-cosmodrome"),
    # The speech of Monday, reported on Tuesday; the speaker's state and the state addressed.
    Diplomatic("2024-01-15", "statement", ("KOR", "PRK"), (("persons", ["Kim Jong Un"]),),
               "hanbando-ilbo kim-primary-foe, security-monitor kim-declares-south-korea"),
    Diplomatic("2024-03-26", "dialogue_rejection", ("JPN", "PRK"),
               (("persons", ["Kim Yo Jong"]),),
               "tokyo-morning-post kim-yo-jong-rejects-kishida-summit"),
    Diplomatic("2024-03-28", "un_action", ("PRK", "RUS", "UN"), (("location", "New York"),),
               "peninsula-ledger russia-veto-un-panel-of-experts"),
    # The visit and talks are the summit; the treaty signed that day is a second event. Putin's
    # meeting with Kim Jong Il in 2000 is history: no Kim Jong Il.
    Diplomatic("2024-06-19", "summit", ("PRK", "RUS"),
               (("persons", ["Kim Jong Un", "Vladimir Putin"]), ("location", "Pyongyang")),
               "peninsula-ledger, pacific-wire (+2 wire copies), hanbando-ilbo"),
    Diplomatic("2024-06-19", "agreement", ("PRK", "RUS"),
               (("persons", ["Kim Jong Un", "Vladimir Putin"]),),
               "peninsula-ledger, pacific-wire (+2 wire copies), hanbando-ilbo"),
    # "The three-day drill, which began on Thursday": dated to its first day; "officials in
    # Tokyo said" names no venue.
    Diplomatic("2024-06-27", "military_exercise", ("JPN", "KOR", "USA"), (("location", None),),
               "tokyo-morning-post freedom-edge-trilateral-exercise-ends"),
    Diplomatic("2024-11-09", "agreement", ("PRK", "RUS"), (("persons", ["Vladimir Putin"]),),
               "pacific-wire putin-ratifies-north-korea-treaty"),
    # Blinken's trip: talks with Cho Tae-yul in Seoul (one outlet says he 'met senior officials',
    # another calls it a visit: one event). North Korea's launch that day makes it no party.
    Diplomatic("2025-01-06", "talks", ("KOR", "USA"),
               (("persons", ["Antony Blinken", "Cho Tae-yul"]), ("location", "Seoul")),
               "pacific-wire, hanbando-ilbo, peninsula-ledger (Blinken in Seoul)"),
]  # fmt: skip

# Real events the pages report that the extractor does not reach yet (kept, not dropped).
NOT_YET = [
    pytest.param(
        Diplomatic("2023-07-18", "talks", ("KOR", "USA"), (("location", "Seoul"),)),
        marks=pytest.mark.xfail(
            strict=True,
            reason="the first Nuclear Consultative Group meeting shares its sentence with the "
            "USS Kentucky port call; one sentence yields one meeting-family mention",
        ),
        id="2023-07-18 NCG meeting",
    ),
    pytest.param(
        Diplomatic("2024-05-27", "summit", ("CHN", "JPN", "KOR"), (("location", "Seoul"),)),
        marks=pytest.mark.xfail(
            strict=True,
            reason="the Seoul trilateral summit is told only as the context of the satellite "
            "launch ('The launch came hours after the leaders ... held'), which the rules treat "
            "as told in passing",
        ),
        id="2024-05-27 Seoul trilateral summit",
    ),
]


@pytest.fixture(scope="module")
def demo(demo_template: Path) -> Iterator[dict[str, list[Row]]]:
    yield _read(demo_template)  # the session's demo warehouse (tests/conftest.py), read only


def _read(path: Path) -> dict[str, list[Row]]:
    wh = Warehouse(path)
    out: dict[str, list[Row]] = {}
    with wh.reader() as con:
        for view in ("missile_tests", "diplomacy_events", "event_mentions"):
            cursor = con.execute(f"SELECT * FROM {view}")
            names = [d[0] for d in cursor.description]
            out[view] = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    return out


def _launch_matches(row: Row, want: Launch) -> bool:
    return (
        row["event_date"] == date.fromisoformat(want.day)
        and row["designation"] == want.designation
        and row["missile_class"] == want.missile_class
    )


def _diplomatic_matches(row: Row, want: Diplomatic) -> bool:
    return (
        row["event_date"] == date.fromisoformat(want.day)
        and row["event_type"] == want.event_type
        and tuple(sorted(row["actors"])) == want.actors
    )


def _check_fields(row: Row, fields: tuple[tuple[str, Any], ...]) -> list[str]:
    wrong = []
    for name, value in fields:
        got = row[name]
        if isinstance(value, list):
            got = sorted(got or [])
        if got != value:
            wrong.append(f"{name}={got!r} (want {value!r})")
    return wrong


def _launch_rows(demo: dict[str, list[Row]], want: Launch) -> list[Row]:
    return [r for r in demo["missile_tests"] if _launch_matches(r, want)]


@pytest.mark.parametrize("want", LAUNCHES, ids=lambda w: w.key)
def test_each_launch_appears_once_with_its_fields(demo: dict[str, list[Row]], want: Launch) -> None:
    rows = _launch_rows(demo, want)
    assert len(rows) == 1, f"{want.key}: {len(rows)} rows ({want.pages})"
    assert not _check_fields(rows[0], want.fields), _check_fields(rows[0], want.fields)


@pytest.mark.parametrize("want", DIPLOMATIC, ids=lambda w: w.key)
def test_each_diplomatic_event_appears_once_with_its_fields(
    demo: dict[str, list[Row]], want: Diplomatic
) -> None:
    rows = [r for r in demo["diplomacy_events"] if _diplomatic_matches(r, want)]
    assert len(rows) == 1, f"{want.key}: {len(rows)} rows ({want.pages})"
    assert not _check_fields(rows[0], want.fields), _check_fields(rows[0], want.fields)


@pytest.mark.parametrize("want", NOT_YET)
def test_events_not_reached_yet(demo: dict[str, list[Row]], want: Diplomatic) -> None:
    rows = [r for r in demo["diplomacy_events"] if _diplomatic_matches(r, want)]
    assert len(rows) == 1 and not _check_fields(rows[0], want.fields)


def test_no_event_the_corpus_does_not_report(demo: dict[str, list[Row]]) -> None:
    extra_launches = [
        (r["event_date"], r["designation"], r["missile_class"])
        for r in demo["missile_tests"]
        if not any(_launch_matches(r, w) for w in LAUNCHES)
    ]
    reported = DIPLOMATIC + [p.values[0] for p in NOT_YET]  # real, even if not reached yet
    extra_diplomacy = [
        (r["event_date"], r["event_type"], r["actors"])
        for r in demo["diplomacy_events"]
        if not any(_diplomatic_matches(r, w) for w in reported)
    ]
    assert extra_launches == [] and extra_diplomacy == []
    assert len(demo["missile_tests"]) == len(LAUNCHES)
    assert len(DIPLOMATIC) <= len(demo["diplomacy_events"]) <= len(reported)


def test_launches_told_only_in_passing(demo: dict[str, list[Row]]) -> None:
    """The short-range missile of 2023-12-17 is named only as what the ICBM launch 'followed'
    (class, no name): no event. The Pulhwasal-3-31 test of 2024-01-24 is named and dated: an
    event, flagged as resting on a passing mention."""
    assert not [r for r in demo["missile_tests"] if r["event_date"] == date(2023, 12, 17)]
    [first_test] = _launch_rows(demo, LAUNCHES[9])
    assert first_test["low_confidence"] is True
    assert "in passing" in first_test["low_confidence_reason"]


def test_mentions_keep_each_source_figure(demo: dict[str, list[Row]]) -> None:
    """The Hwasong-16B article gives JCS ~600 km and KCNA 1,000 km: the mention shows the JCS
    figure and keeps both claims, with their agencies, in field_spans."""
    [event] = _launch_rows(demo, LAUNCHES[12])
    [mention] = [m for m in demo["event_mentions"] if m["event_id"] == event["event_id"]]
    assert mention["distance_km"] == 600.0 and mention["extractor_version"] == EXTRACTOR_VERSION
    claims = {
        (span["agency"], span["value"])
        for span in json.loads(mention["field_spans"])
        if span["field"] == "distance_km"
    }
    assert claims == {("JCS", 600.0), ("KCNA", 1000.0)}
    assert "distance_km" in event["disputed_fields"]
