"""The one-line summary of a diplomacy mention or event, built from its fields.

summarise("summit", ["PRK", "RUS"], ["Kim Jong Un", "Vladimir Putin"], "Pyongyang", evidence)
# 'Summit: Kim Jong Un, Vladimir Putin (PRK, RUS) in Pyongyang'
"""

from __future__ import annotations

from extractors.vocabulary import DIPLOMACY_TYPE_LABELS

_MAX_SUMMARY = 160


def summarise(
    event_type: str, actors: list[str], persons: list[str], location: str | None, evidence: str
) -> str:
    """The type's label, persons, states and place; a short head gets the evidence after it."""
    who = ", ".join(sorted(persons))
    codes = ", ".join(sorted(actors))
    head = (
        f"{DIPLOMACY_TYPE_LABELS[event_type]}: {who} ({codes})"
        if who
        else f"{DIPLOMACY_TYPE_LABELS[event_type]}: {codes}"
    )
    if location:
        head += f" in {location}"
    if len(head) < 40:
        trimmed = evidence
        if len(evidence) > _MAX_SUMMARY:
            trimmed = evidence[: _MAX_SUMMARY - 1].rsplit(" ", 1)[0] + "…"
        head += f" — {trimmed}"
    return head
