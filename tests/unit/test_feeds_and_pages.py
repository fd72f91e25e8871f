"""Pure ingest extractors: feed formats and character sets, relevance, URLs, pages, near-dups."""

from __future__ import annotations

import ipaddress
import json
from pathlib import Path

import pytest

from extractors.feeds import FeedNotAFeed, parse_feed
from extractors.neardup import SAME_STORY_JACCARD, signature, similarity
from extractors.pages import extract_page
from extractors.relevance import score_item
from extractors.urls import choose_canonical, clean_url
from flows.adapters.client import parse_retry_after, require_html
from flows.adapters.errors import AddressNotAllowed, NotHTML
from flows.adapters.guard import AddressGuard, is_public
from flows.config import ConfigError, load_config
from tests.support.pages import PARAGRAPHS, article_html, rss

HANGUL_TITLE = "북한, 동해상으로 탄도미사일 발사"


def test_rss_091_rss_10_atom_and_json_feed_all_give_entries() -> None:
    rss091 = b'<?xml version="1.0"?><rss version="0.91"><channel><title>t</title><item><title>North Korea fires</title><link>http://a.example/1</link><description>x</description></item></channel></rss>'
    rdf = b"""<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
      <channel rdf:about="http://a.example/"><title>t</title><link>http://a.example/</link><description>d</description></channel>
      <item rdf:about="http://a.example/2"><title>Kim Jong Un visits</title><link>http://a.example/2</link><dc:date>2024-06-19T10:00:00+09:00</dc:date></item></rdf:RDF>"""
    atom = b"""<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><id>urn:t</id><updated>2024-06-19T00:00:00Z</updated>
      <entry><title>Putin in Pyongyang</title><id>urn:e1</id><link href="http://a.example/3?utm_source=atom"/><updated>2024-06-19T01:00:00Z</updated><summary type="html">&lt;p&gt;Treaty &amp;amp; talks&lt;/p&gt;</summary></entry></feed>"""
    jsonfeed = json.dumps(
        {
            "version": "https://jsonfeed.org/version/1.1",
            "title": "j",
            "items": [
                {
                    "id": "j1",
                    "url": "http://a.example/4",
                    "title": "UN veto",
                    "content_text": "Russia vetoed.",
                    "date_published": "2024-03-28T15:00:00-04:00",
                }
            ],
        }
    ).encode()
    formats = {}
    for body in (rss091, rdf, atom, jsonfeed):
        feed = parse_feed(body)
        assert len(feed.entries) == 1
        assert feed.defect is None
        formats[feed.format] = feed.entries[0]
    assert set(formats) == {"rss091u", "rss10", "atom10", "json11"}
    assert formats["rss10"].published_at is not None
    assert formats["rss10"].published_at.isoformat() == "2024-06-19T01:00:00+00:00"
    assert formats["atom10"].url == "http://a.example/3"
    assert formats["atom10"].original_url == "http://a.example/3?utm_source=atom"
    assert formats["atom10"].summary == "Treaty & talks"
    assert formats["json11"].published_at is not None
    assert formats["json11"].published_at.isoformat() == "2024-03-28T19:00:00+00:00"


@pytest.mark.parametrize(
    ("codec", "declared", "header"),
    [
        ("euc-kr", "EUC-KR", "application/rss+xml; charset=EUC-KR"),  # labelled right
        ("euc-kr", "UTF-8", "application/rss+xml; charset=utf-8"),  # mislabelled as UTF-8
        ("cp949", None, "application/rss+xml"),  # CP949 with no declaration at all
        ("utf-8", "UTF-8", None),
    ],
)
def test_korean_feeds_decode_to_correct_hangul(
    codec: str, declared: str | None, header: str | None
) -> None:
    text = rss(
        [
            {
                "title": HANGUL_TITLE,
                "link": "http://a.example/k",
                "summary": "합참은 오늘 발사를 포착했다. 똠방각하 펲",
            }
        ],
        encoding=declared or "x",
    )
    if declared is None:
        text = text.replace(' encoding="x"', "")
    body = (
        text.encode(codec, errors="strict")
        if codec != "euc-kr"
        else text.replace(" 똠방각하 펲", "").encode("euc-kr")
    )
    feed = parse_feed(body, header)
    assert feed.entries[0].title == HANGUL_TITLE


def test_one_bad_byte_does_not_garble_a_utf8_feed() -> None:
    body = (
        rss([{"title": HANGUL_TITLE, "link": "http://a.example/k", "summary": "요약"}])
        .encode()
        .replace("요약".encode(), b"\xff" + "요약".encode())
    )
    feed = parse_feed(body, "application/rss+xml; charset=utf-8")
    assert feed.entries[0].title == HANGUL_TITLE
    assert feed.defect is not None
    assert "invalid byte" in feed.defect


def test_not_a_feed_is_a_clear_error() -> None:
    for body in (b"", b"<html><body><h1>Welcome</h1></body></html>", b'{"hello": 1}', b"{not json"):
        with pytest.raises(FeedNotAFeed, match="not a feed"):
            parse_feed(body, "text/html")


def test_relevance_keeps_korea_items_with_the_reason_and_drops_others() -> None:
    kept = score_item("North Korea fires ICBM into East Sea", "Seoul's military said")
    assert kept.relevant
    assert "north korea" in kept.terms
    assert kept.reason.startswith("kept: score")
    korean = score_item("북한, 동해상으로 탄도미사일 발사", "")
    assert korean.relevant
    iran = score_item("Iran tests new ballistic missile", "Tehran said the missile flew 1,400 km")
    assert not iran.relevant
    assert "ballistic missile" in iran.reason
    assert (
        score_item("Fed cuts rates", "Markets rally").reason
        == "irrelevant: no Korea terms in title or summary"
    )
    assert score_item("Fed cuts rates", "", all_relevant=True).relevant


def test_clean_url_strips_tracking_and_canonical_must_stay_on_site() -> None:
    assert (
        clean_url("HTTPS://News.Example.com:443/a/b?utm_source=rss&id=7&fbclid=x&gclid=y#c")
        == "https://news.example.com/a/b?id=7"
    )
    assert choose_canonical("https://a.example/x?utm_medium=feed", "/x") == "https://a.example/x"
    assert (
        choose_canonical("https://a.example/x", "https://other.example/original")
        == "https://a.example/x"
    )
    assert (
        choose_canonical("https://www.a.example/x", "https://a.example/x?ref=home")
        == "https://a.example/x"
    )


def test_clean_url_keeps_identity_parameters_in_their_order() -> None:
    """Why not courlan's cleaner (extractors/urls.py): its strict mode dropped ``idxno``, and its
    lenient mode kept ``from=rss`` and sorted the parameters."""
    url = "https://news.example.kr/news/articleView.html?idxno=123&from=rss&share=x&utm_medium=y"
    assert clean_url(url) == "https://news.example.kr/news/articleView.html?idxno=123"
    assert clean_url("https://a.example/list?page=2&cat=7&mc_cid=1") == (
        "https://a.example/list?page=2&cat=7"
    )


def test_page_extraction_drops_clutter_and_reads_metadata() -> None:
    html = article_html(
        "Kim and Putin sign treaty",
        PARAGRAPHS["summit"],
        published="2024-06-19T15:30:00+09:00",
        canonical="https://t.example/s",
    )
    page = extract_page(
        html.encode(), url="https://t.example/s?utm_source=x", content_type="text/html"
    )
    assert page.title == "Kim and Putin sign treaty"
    assert page.sitename == "Test Ledger"
    assert page.author == "Test Writer"
    assert page.canonical_url == "https://t.example/s"
    assert page.language == "en"
    assert page.published_at is not None
    assert page.published_at.isoformat() == "2024-06-19T15:30:00+09:00"
    assert "mutual assistance" in page.text
    for clutter in ("Reader comment", "cookies", "Copyright", "Home"):
        assert clutter not in page.text


def test_euc_kr_page_is_decoded_from_its_meta_charset() -> None:
    html = article_html(
        HANGUL_TITLE,
        ["합동참모본부는 북한이 오늘 오전 동해상으로 탄도미사일을 발사했다고 밝혔다. " * 4],
        lang="ko",
    ).replace('charset="utf-8"', 'charset="euc-kr"')
    page = extract_page(html.encode("euc-kr"), url="https://k.example/a", content_type="text/html")
    assert page.title == HANGUL_TITLE
    assert "합동참모본부" in page.text
    assert page.language == "ko"


def test_near_duplicates_score_above_the_threshold_and_different_reports_below() -> None:
    wire = " ".join(PARAGRAPHS["summit"])
    edited = (
        wire.replace("arrived in Pyongyang", "landed in Pyongyang")
        + " Both sides called it a turning point."
    )
    other = " ".join(PARAGRAPHS["icbm"])
    assert similarity(signature(wire), signature(edited)) >= SAME_STORY_JACCARD
    assert similarity(signature(wire), signature(other)) < 0.1
    assert signature("too short to judge") is None


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1", "10.1.2.3", "172.16.0.9", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "224.0.0.251",
     "240.0.0.1", "::1", "fe80::1", "fc00::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "ff02::1", "::"],
)  # fmt: skip
def test_the_guard_refuses_every_kind_of_non_public_address(address: str) -> None:
    assert not is_public(ipaddress.ip_address(address))
    with pytest.raises(AddressNotAllowed, match="address not allowed"):
        AddressGuard(False).check("host.example", address)


def test_the_guard_allows_public_addresses_and_only_listed_private_ones() -> None:
    AddressGuard(False).check("example.com", "93.184.216.34")
    AddressGuard(False).check("example.com", "2606:2800:220:1:248:1893:25c8:1946")
    only_local = AddressGuard(["127.0.0.1", "intranet.example"])
    only_local.check("127.0.0.1", "127.0.0.1")
    only_local.check("intranet.example", "10.9.9.9")
    with pytest.raises(AddressNotAllowed):
        only_local.check("127.0.0.2", "127.0.0.2")
    with pytest.raises(AddressNotAllowed):
        only_local.check("metadata.example", "169.254.169.254")
    AddressGuard(True).check("anything", "10.0.0.1")


def test_retry_after_in_seconds_or_as_a_date_and_html_sniffing() -> None:
    assert parse_retry_after("120") == 120.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0
    assert parse_retry_after("soon") is None
    require_html("text/html; charset=utf-8", b"")
    require_html(None, b"<!DOCTYPE html><html>")
    with pytest.raises(NotHTML, match=r"not HTML \(application/pdf\)"):
        require_html("application/pdf", b"%PDF")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[[feeds]]\nname = "A"\n', "feeds[0].url: required key is missing"),
        (
            '[[feeds]]\nname = "A"\nurl = "ftp://x/y"\n',
            "feeds[0].url: must be an http or https URL",
        ),
        ("[fetch]\ntimeot_s = 3\n", "fetch.timeot_s: unknown key"),
        ("[fetch]\ntimeout_s = -1\n", "fetch.timeout_s: Input should be greater than 0"),
        ('[fetch]\nallow_private_addresses = "yes"\n', "fetch.allow_private_addresses"),
        ('[digest]\ntimezone = "Mars/Olympus"\n', "digest.timezone: unknown time zone"),
        (
            '[[feeds]]\nname = "A"\nurl = "http://x/f"\n[[feeds]]\nname = "B"\nurl = "http://x/f"\n',
            "feed URL listed twice",
        ),
        ("[feeds\n", "not valid TOML"),
    ],
)
def test_config_errors_name_the_file_and_the_key(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "feeds.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value).startswith(f"{path}: ")
    assert message in str(caught.value)


def test_the_shipped_feed_list_is_valid_and_big_enough() -> None:
    config = load_config(Path(__file__).resolve().parents[2] / "deploy" / "feeds.toml")
    assert len(config.feeds) >= 12
    assert config.fetch.allow_private_addresses is False
    assert any("news.google.com" in f.url for f in config.feeds)
