"""Near-duplicate text detection: copies of one story under different URLs share a story id.

MinHash over word 5-shingles estimates the Jaccard similarity of two texts' shingle sets. Two
articles are the same story when the estimate reaches ``SAME_STORY_JACCARD`` (0.5). A wire story
republished with a new headline, an added sentence or a dropped last paragraph scores 0.7-0.95;
two outlets' own reports of the same launch share facts, not phrasing, and score under 0.1.

    sig = signature(text)
    similarity(sig, signature(other_text)) >= SAME_STORY_JACCARD
"""

from __future__ import annotations

import hashlib
import re

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


def _shingle_hashes(text: str) -> npt.NDArray[np.uint64]:
    words = [w.casefold() for w in _WORD.findall(text)]
    if len(words) < SHINGLE_WORDS:
        return np.zeros(0, dtype=np.uint64)
    shingles = {
        " ".join(words[i : i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)
    }
    return np.fromiter(
        (
            int.from_bytes(hashlib.blake2b(s.encode(), digest_size=8).digest(), "little")
            for s in shingles
        ),
        dtype=np.uint64,
        count=len(shingles),
    )


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


def best_match(
    sig: list[int] | None, candidates: list[tuple[str, list[int] | None]]
) -> tuple[str, float] | None:
    """The candidate id most similar to ``sig`` at or above the threshold, if any."""
    best: tuple[str, float] | None = None
    for candidate_id, other in candidates:
        score = similarity(sig, other)
        if score >= SAME_STORY_JACCARD and (best is None or score > best[1]):
            best = (candidate_id, score)
    return best
