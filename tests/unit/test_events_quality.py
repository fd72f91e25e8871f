"""Article quality flags, on texts written for these tests."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from extractors.events import MissileTestMention, extract_mentions
from extractors.quality import MACHINE_WRITTEN, OPINION, assess_article, assess_text
from extractors.records import ArticleText

# An aggregator's rewrite of a real state-media report (KCNA, 2024-09-19: the Hwasongpho-11-Da-4.5
# and an upgraded strategic cruise missile, tested under Kim Jong Un's eye). Written for this test.
AGGREGATOR_REWRITE = """North Korea Tests New Tactical Missile With Heavy Warhead

Pyongyang's official Korean Central News Agency reported on Thursday that the country test-fired
a new tactical ballistic missile, the Hwasongpho-11-Da-4.5, together with an upgraded strategic
cruise missile on Wednesday. The agency said the test of the missile, built to carry a 4.5-tonne
warhead, was successful and that leader Kim Jong-un oversaw it in person.

Observers in Seoul described the launches as a show of force ahead of the US election. Officials
said the North appears determined to expand its arsenal whatever the diplomatic climate.

The views expressed in this article do not reflect the opinion of the publisher."""

MACHINE_WRITTEN_PIECE = """Why North Korea's Latest Test Matters

"The missile test is a signal with many possible meanings," says Dr. [Insert Name], a professor of
international relations at [Insert University]. North Korea's recent test shows its resolve, and
a more comprehensive analysis requires delving deeper into the regime's calculus. The original
Global Times article rightly stresses the risks. {{author_bio}}"""

OPINION_COLUMN = """Opinion: We keep missing the point on Pyongyang

I think Washington has misread North Korea for a decade. In my view the missile launches are
messages we refuse to read, and our allies share the blame."""

NEWS = """North Korea fired a short-range ballistic missile into the sea on Wednesday, South Korea's
Joint Chiefs of Staff said. The missile flew about 600 km."""

PUBLISHED = datetime(2024, 9, 19, 15, 0, tzinfo=ZoneInfo("Asia/Seoul"))


def _article(text: str, url: str = "https://news.example/a") -> ArticleText:
    title, _, body = text.partition("\n\n")
    return ArticleText("q1", url, "Example", title, body, PUBLISHED)


def test_aggregator_rewrite_of_a_real_report_is_not_flagged_and_yields_the_launch() -> None:
    article = _article(AGGREGATOR_REWRITE)
    verdict = assess_article(article)
    assert verdict.flags == ()  # one disclaimer alone does not make an opinion piece
    found = [m for m in extract_mentions(article) if isinstance(m, MissileTestMention)]
    ballistic = [m for m in found if m.designation == "Hwasong-11C-4.5"]
    cruise = [m for m in found if m.missile_class == "cruise"]
    assert len(ballistic) == 1 and len(cruise) == 1
    m = ballistic[0]
    assert (m.event_date, m.outcome, m.overseen_by, m.reported_by) == (
        PUBLISHED.date().replace(day=18), "success", "Kim Jong Un", ("KCNA",),
    )  # fmt: skip
    assert m.distance_km is None  # "4.5-tonne warhead" is a weight, not a distance
    assert "Hwasongpho-11-Da-4.5" in m.names_reported


def test_machine_written_piece_is_flagged() -> None:
    verdict = assess_article(_article(MACHINE_WRITTEN_PIECE))
    assert MACHINE_WRITTEN in verdict.flags
    assert OPINION in verdict.flags  # essay wording about "the original ... article"
    assert any("[Insert Name]" in r for r in verdict.reasons)


def test_opinion_column_is_flagged() -> None:
    verdict = assess_article(_article(OPINION_COLUMN))
    assert verdict.flags == (OPINION,)


def test_opinion_section_in_the_url() -> None:
    verdict = assess_text(
        "Missiles and us", "We must talk. " * 3, "https://x.example/opinion/2024/a"
    )
    assert OPINION in verdict.flags


def test_plain_news_is_not_flagged() -> None:
    assert assess_article(_article("Launch\n\n" + NEWS)).flags == ()


def test_template_residue_variants() -> None:
    for residue in (
        "Lorem ipsum dolor sit amet.",
        "As an AI language model, I cannot say.",
        "In {{city}} today.",
    ):
        assert assess_text("t", residue).flags == (MACHINE_WRITTEN,)


def test_ingest_flags_are_kept() -> None:
    article = ArticleText("q2", "u", "s", "t", NEWS, PUBLISHED, flags=(OPINION, "other"))
    assert assess_article(article).flags == (OPINION,)
