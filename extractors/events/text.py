"""Sentences with their offsets, and numbers written in words, digits or Korean units."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Abbreviations after which a full stop does not end a sentence.
_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "gen",
        "lt",
        "col",
        "maj",
        "capt",
        "sgt",
        "adm",
        "rep",
        "sen",
        "gov",
        "pres",
        "st",
        "jr",
        "sr",
        "vs",
        "etc",
        "inc",
        "corp",
        "co",
        "ltd",
        "no",
        "nos",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "u.s",
        "u.n",
        "u.k",
        "e.u",
        "n",
        "s",
        "a.m",
        "p.m",
        "approx",
        "est",
        "dept",
        "fig",
        "op",
    ]
)
_BOUNDARY = re.compile(
    r"""(?:
        (?<=[.!?])["'\u201d\u2019)\]]*\s+(?=["'\u201c\u2018(\[]?[A-Z0-9\uac00-\ud7af])  # . Next
      | (?<=[\uac00-\ud7af][.!?])\s+                                                  # 다. 다음
      | \s*\n\s*                                                                      # a new line
    )""",
    re.VERBOSE,
)
_LAST_WORD = re.compile(r"(?<![\w-])([A-Za-z.]+)\.$")


@dataclass(frozen=True, slots=True)
class Sentence:
    index: int
    start: int
    end: int
    text: str


def split_sentences(text: str) -> list[Sentence]:
    """Split text into sentences; ``text[s.start:s.end] == s.text`` for each one."""
    out: list[Sentence] = []
    start = 0
    for boundary in _BOUNDARY.finditer(text):
        piece_end = boundary.start()
        if "\n" in boundary.group(0):
            # A hard-wrapped line ("... test-fired\na new missile"): not a paragraph break.
            before = text[piece_end - 1] if piece_end else ""
            after = text[boundary.end()] if boundary.end() < len(text) else ""
            if (
                "\n\n" not in boundary.group(0)
                and (before.isalnum() or before in ",;-")
                and after.islower()
            ):
                continue
        else:
            word = _LAST_WORD.search(text, max(start, piece_end - 12), piece_end)
            if word is not None:
                token = word.group(1).lower().rstrip(".")
                if token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha()):
                    continue
        _add(out, text, start, piece_end)
        start = boundary.end()
    _add(out, text, start, len(text))
    return out


def _add(out: list[Sentence], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(Sentence(len(out), start, end, text[start:end]))


WORD_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "single": 1, "two": 2, "pair": 2, "couple": 2, "three": 3,
    "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11,
    "twelve": 12, "dozen": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "한": 1, "두": 2, "세": 3, "네": 4, "다섯": 5, "여섯": 6, "일곱": 7, "여덟": 8, "아홉": 9, "열": 10,
}  # fmt: skip
WORD_NUMBER_PATTERN = "|".join(
    sorted((w for w in WORD_NUMBERS if w.isascii()), key=len, reverse=True)
)

_KOREAN_NUMBER = re.compile(
    r"(?:(\d+(?:\.\d+)?)\s*만)?\s*(?:(\d+(?:\.\d+)?)\s*천)?\s*(\d+(?:\.\d+)?)?"
)


_GROUP_SEPARATOR = re.compile(r"(?<=\d)[,\s\u00a0\u2009\u202f](?=\d{3}(?!\d))")


def parse_number(text: str) -> float | None:
    """'1,000' -> 1000, '1 001.2' -> 1001.2, '1.5' -> 1.5, '1천' -> 1000, '1만5천' -> 15000,
    'two' -> 2."""
    raw = _GROUP_SEPARATOR.sub("", text.strip()).replace(",", "").rstrip("여").strip()
    if not raw:
        return None
    lowered = raw.lower()
    if lowered in WORD_NUMBERS:
        return float(WORD_NUMBERS[lowered])
    try:
        return float(raw)
    except ValueError:
        pass
    m = _KOREAN_NUMBER.fullmatch(raw)
    if m is None or not any(m.groups()):
        return None
    total = 0.0
    if m.group(1):
        total += float(m.group(1)) * 10_000
    if m.group(2):
        total += float(m.group(2)) * 1_000
    if m.group(3):
        total += float(m.group(3))
    return total


def miles_to_km(miles: float) -> float:
    """Miles to kilometres (x1.609), rounded to the nearest 10 km."""
    return float(round(miles * 1.609 / 10) * 10)
