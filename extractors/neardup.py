"""Near-duplicate text detection: copies of one story under different URLs share a story id.

MinHash over word 5-shingles estimates the Jaccard similarity of two texts' shingle sets. Two
articles are the same story when the estimate reaches ``SAME_STORY_JACCARD`` (0.5). A wire story
republished with a new headline, an added sentence or a dropped last paragraph scores 0.7-0.95;
two outlets' own reports of the same launch share facts, not phrasing, and score under 0.1.

    sig = signature(text)
    similarity(sig, signature(other_text)) >= SAME_STORY_JACCARD
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np
import numpy.typing as npt

NUM_HASHES = 64
SHINGLE_WORDS = 5
SAME_STORY_JACCARD = 0.5
MIN_SHINGLES = 8  # shorter texts (a paywall stub) are never matched: too little evidence

_WORD = re.compile(r"\w+", re.UNICODE)
_rng = np.random.default_rng(20240619)  # fixed seed: signatures must be stable across runs
# Multiply-shift hashing: h_i(x) = (a_i * x + b_i) mod 2^64, with odd a_i.
_A = _rng.integers(1, 2**63, size=NUM_HASHES, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
_B = _rng.integers(0, 2**63, size=NUM_HASHES, dtype=np.uint64)


# Odd 64-bit multipliers that combine the five word hashes of a shingle, position-dependent.
_POSITION = _rng.integers(1, 2**63, size=SHINGLE_WORDS, dtype=np.uint64) * np.uint64(2) + np.uint64(
    1
)


def _shingle_hashes(text: str) -> npt.NDArray[np.uint64]:
    """64-bit hashes of the distinct word 5-shingles: each word hashed once (crc32, stable
    across processes, unlike ``hash``), shingles combined in numpy."""
    words = _WORD.findall(text.casefold())
    count = len(words) - SHINGLE_WORDS + 1
    if count <= 0:
        return np.zeros(0, dtype=np.uint64)
    word_hashes = np.fromiter(
        (zlib.crc32(w.encode()) for w in words), dtype=np.uint64, count=len(words)
    )
    combined = np.zeros(count, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for i in range(SHINGLE_WORDS):
            combined += word_hashes[i : i + count] * _POSITION[i]
    return np.unique(combined)


def signature(text: str) -> list[int] | None:
    """The MinHash signature of a text, or None when the text is too short to judge."""
    hashes = _shingle_hashes(text)
    if hashes.size < MIN_SHINGLES:
        return None
    with np.errstate(over="ignore"):
        mixed = _A[:, None] * hashes[None, :] + _B[:, None]
    return [int(v) for v in mixed.min(axis=1)]


def similarity(a: list[int] | None, b: list[int] | None) -> float:
    """Estimated Jaccard similarity of the texts behind two signatures (0 when either is None)."""
    if a is None or b is None or len(a) != len(b):
        return 0.0
    return sum(1 for x, y in zip(a, b, strict=True) if x == y) / len(a)


MIN_TITLE_WORDS = 5  # a shorter headline ("Missile launch") is shared by unrelated stories


def title_key(title: str | None) -> str | None:
    """A headline reduced to its words, for matching a story known only by its headline (an
    aggregator's item) to a fetched copy; None when too short to tell stories apart."""
    words = _WORD.findall((title or "").casefold())
    return " ".join(words) if len(words) >= MIN_TITLE_WORDS else None


@dataclass(frozen=True)
class StoryCandidates:
    """Known articles near some dates, compact: one row of ``signatures`` per article (zeros and
    ``signed`` False for an article too short to sign), times in seconds since the epoch."""

    stories: list[str]
    titles: list[str | None]
    from_feed: list[bool]  # known only from a feed's title and summary
    times: npt.NDArray[np.float64]  # NaN: no publication time
    signatures: npt.NDArray[np.uint64]  # (n, NUM_HASHES)
    signed: npt.NDArray[np.bool_]


def _epoch(when: datetime | None) -> float:
    return float("nan") if when is None else when.timestamp()


class StoryIndex:
    """Signatures of known articles in one numpy matrix, matched all at once (a Python loop over
    thousands of candidates per new article was most of a large run's write time), and their
    headlines, for articles whose text is only a feed's title and summary.

    The known articles' matrix is used as it is, not copied, and the articles added since go to
    a buffer of their own, so a chunk's matching costs its own articles' memory, not another
    copy of the window for each one. Headlines of fetched pages are indexed only when an article
    known only from its feed asks for them (two fetched pages never match on a headline).
    """

    def __init__(self, known: StoryCandidates | None = None) -> None:
        self._known: StoryCandidates | None = known
        self._known_stories: list[str] = []
        self._known_matrix = np.zeros((0, NUM_HASHES), dtype=np.uint64)
        self._known_times = np.zeros(0, dtype=np.float64)
        self._stories: list[str] = []  # of the added articles
        self._matrix = np.zeros((16, NUM_HASHES), dtype=np.uint64)  # their rows, with room
        self._times = np.zeros(16, dtype=np.float64)
        # headline key -> (order added, story, time), for feed items and for fetched pages
        self._feed_titles: dict[str, list[tuple[int, str, datetime | None]]] = {}
        self._page_titles: dict[str, list[tuple[int, str, datetime | None]]] | None = None
        self._added_pages: list[tuple[int, str, str, datetime | None]] = []
        self._order = 0
        if known is not None:
            keep = known.signed
            everything = bool(keep.all())
            self._known_stories = (
                list(known.stories)
                if everything
                else [s for s, k in zip(known.stories, keep.tolist(), strict=True) if k]
            )
            self._known_matrix = known.signatures if everything else known.signatures[keep]
            self._known_times = known.times if everything else known.times[keep]
            for n, (story, title, from_feed) in enumerate(
                zip(known.stories, known.titles, known.from_feed, strict=True)
            ):
                if from_feed and (key := title_key(title)) is not None:
                    self._feed_titles.setdefault(key, []).append((n, story, self._when(n)))
            self._order = len(known.stories)

    def _when(self, n: int) -> datetime | None:
        assert self._known is not None
        seconds = float(self._known.times[n])
        return None if seconds != seconds else datetime.fromtimestamp(seconds, UTC)

    def add(self, story: str, sig: list[int] | None, when: datetime | None) -> None:
        if sig is None or len(sig) != NUM_HASHES:
            return
        row = len(self._stories)
        if row == len(self._matrix):
            self._matrix = np.concatenate([self._matrix, np.zeros_like(self._matrix)])
            self._times = np.concatenate([self._times, np.zeros_like(self._times)])
        self._matrix[row] = np.array(sig, dtype=np.uint64)
        self._times[row] = _epoch(when)
        self._stories.append(story)

    def add_title(
        self, story: str, title: str | None, when: datetime | None, from_feed: bool
    ) -> None:
        key = title_key(title)
        if key is None:
            return
        self._order += 1
        if from_feed:
            self._feed_titles.setdefault(key, []).append((self._order, story, when))
        elif self._page_titles is not None:
            self._page_titles.setdefault(key, []).append((self._order, story, when))
        else:
            self._added_pages.append((self._order, key, story, when))

    def _pages(self) -> dict[str, list[tuple[int, str, datetime | None]]]:
        """Headlines of the fetched pages, indexed on first need."""
        if self._page_titles is None:
            self._page_titles = {}
            known = self._known
            if known is not None:
                for n, (story, title, from_feed) in enumerate(
                    zip(known.stories, known.titles, known.from_feed, strict=True)
                ):
                    if not from_feed and (key := title_key(title)) is not None:
                        self._page_titles.setdefault(key, []).append((n, story, self._when(n)))
            for order, key, story, when in self._added_pages:
                self._page_titles.setdefault(key, []).append((order, story, when))
            self._added_pages = []
        return self._page_titles

    def match_title(
        self, title: str | None, when: datetime | None, window: timedelta, from_feed: bool
    ) -> str | None:
        """The story of an article with the same headline within ``window`` of ``when``, when
        one of the two is known only from a feed (two fetched pages with one headline may be
        two launches: their texts decide); the first such article known."""
        key = title_key(title)
        if key is None:
            return None
        entries = self._feed_titles.get(key, [])
        if from_feed:
            entries = sorted(entries + self._pages().get(key, []))
        for _, story, other in entries:
            if when is None or other is None or abs(other - when) <= window:
                return story
        return None

    def match(self, sig: list[int] | None, when: datetime | None, window: timedelta) -> str | None:
        """The story of the most similar article within ``window`` of ``when``, if similar enough."""
        if sig is None or len(sig) != NUM_HASHES:
            return None
        best: tuple[int, str] | None = None
        target = np.array(sig, dtype=np.uint64)
        added = len(self._stories)
        for stories, matrix, times in (
            (self._known_stories, self._known_matrix, self._known_times),
            (self._stories, self._matrix[:added], self._times[:added]),
        ):
            if not stories:
                continue
            agree = (matrix == target).sum(axis=1)
            eligible = agree >= SAME_STORY_JACCARD * NUM_HASHES
            if when is not None:
                gap = np.abs(times - when.timestamp())
                eligible &= np.isnan(times) | (gap <= window.total_seconds())
            if not eligible.any():
                continue
            at = int(np.argmax(np.where(eligible, agree, -1)))
            if best is None or int(agree[at]) > best[0]:  # ties: the earlier known article
                best = (int(agree[at]), stories[at])
        return None if best is None else best[1]
