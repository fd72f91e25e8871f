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
    headlines, for articles whose text is only a feed's title and summary."""

    def __init__(self, known: StoryCandidates | None = None) -> None:
        self._stories: list[str] = []
        self._matrix = np.zeros((0, NUM_HASHES), dtype=np.uint64)
        self._times = np.zeros(0, dtype=np.float64)
        self._pending: list[list[int]] = []
        self._pending_times: list[float] = []
        self._titles: dict[str, list[tuple[str, datetime | None, bool]]] = {}
        if known is not None:
            keep = known.signed
            self._stories = [s for s, k in zip(known.stories, keep.tolist(), strict=True) if k]
            self._matrix = known.signatures[keep]
            self._times = known.times[keep]
            for story, title, seconds, from_feed in zip(
                known.stories, known.titles, known.times.tolist(), known.from_feed, strict=True
            ):
                when = None if seconds != seconds else datetime.fromtimestamp(seconds, UTC)
                self.add_title(story, title, when, from_feed)

    def add(self, story: str, sig: list[int] | None, when: datetime | None) -> None:
        if sig is None or len(sig) != NUM_HASHES:
            return
        self._stories.append(story)
        self._pending.append(sig)
        self._pending_times.append(_epoch(when))

    def add_title(
        self, story: str, title: str | None, when: datetime | None, from_feed: bool
    ) -> None:
        key = title_key(title)
        if key is not None:
            self._titles.setdefault(key, []).append((story, when, from_feed))

    def match_title(
        self, title: str | None, when: datetime | None, window: timedelta, from_feed: bool
    ) -> str | None:
        """The story of an article with the same headline within ``window`` of ``when``, when
        one of the two is known only from a feed (two fetched pages with one headline may be
        two launches: their texts decide)."""
        key = title_key(title)
        for story, other, other_from_feed in self._titles.get(key or "", ()):
            if not (from_feed or other_from_feed):
                continue
            if when is None or other is None or abs(other - when) <= window:
                return story
        return None

    def match(self, sig: list[int] | None, when: datetime | None, window: timedelta) -> str | None:
        """The story of the most similar article within ``window`` of ``when``, if similar enough."""
        if sig is None or len(sig) != NUM_HASHES:
            return None
        if self._pending:
            self._matrix = np.vstack([self._matrix, np.array(self._pending, dtype=np.uint64)])
            self._times = np.concatenate([self._times, np.array(self._pending_times)])
            self._pending, self._pending_times = [], []
        if not self._stories:
            return None
        agree = (self._matrix == np.array(sig, dtype=np.uint64)).sum(axis=1)
        eligible = agree >= SAME_STORY_JACCARD * NUM_HASHES
        if when is not None:
            gap = np.abs(self._times - when.timestamp())
            eligible &= np.isnan(self._times) | (gap <= window.total_seconds())
        if not eligible.any():
            return None
        return self._stories[int(np.argmax(np.where(eligible, agree, -1)))]
