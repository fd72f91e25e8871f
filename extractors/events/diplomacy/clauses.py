"""Where a sentence's clauses begin and end, and which of them tell another event than the one
reported: "North Korea fired a missile on Monday, as Blinken met officials in Seoul" has two
events; "Choe Son Hui, who is on an official visit to Russia, held talks with Lavrov" has one, told
with an insertion.

    clause(text, pos)              # (start, end) of the clause around pos
    in_relative(text, pos)         # inside ", who is visiting the DPRK,"
    in_other_event(text, trigger)  # inside "three days after the leaders met"
"""

from __future__ import annotations

import re

from extractors.events.diplomacy.patterns import (
    CLAUSE_CUT,
    CLOSED_RELATIVE,
    OTHER_EVENT_PHRASE,
    SPAN_BEFORE,
)

_IN_SPAN = re.compile(r"\b(?:in|for|over)\s+$")
_RELATIVE = re.compile(r",\s+(?:who|which)\s[^,;]*(?:,|$)")


def clause(text: str, pos: int) -> tuple[int, int]:
    """The clause of text around ``pos``: cut at ";", dashes and ", as / while / when / after
    ..." (a clause that sets another event beside the one reported)."""
    start, end = 0, len(text)
    closed = {r.start() for r in CLOSED_RELATIVE.finditer(text) if not r.start() < pos < r.end()}
    for m in CLAUSE_CUT.finditer(text):
        if m.start() in closed:
            continue  # ", who is on a visit to Russia, held talks": an insertion, not a cut
        if m.end() <= pos:
            start = m.end()
        elif m.start() >= pos:
            end = m.start()
            break
    return start, end


def in_relative(text: str, pos: int) -> bool:
    """Whether pos lies in a relative clause (", who is visiting the DPRK,")."""
    return any(m.start() < pos < m.end() for m in _RELATIVE.finditer(text))


def in_other_event(text: str, trigger: re.Match[str]) -> bool:
    """ "A year after Trump and Kim shook hands in Singapore, ...", "comes three days after the
    leaders met", "since the summit": the trigger names an earlier event the news is timed by. A
    plain "after" ("faces the harshest sanctions after the Council voted Wednesday to adopt ...")
    may tell the news itself."""
    for m in OTHER_EVENT_PHRASE.finditer(text):
        if not m.start() < trigger.start() < m.end():
            continue
        word = m.group(0).split(None, 1)[0].lower()
        if word != "after":
            return True
        span = SPAN_BEFORE.search(text, max(0, m.start() - 30), m.start())
        if span is not None and not _IN_SPAN.search(text, max(0, span.start() - 8), span.start()):
            return True  # "three days after", not "the harshest sanctions in two decades after"
    return False
