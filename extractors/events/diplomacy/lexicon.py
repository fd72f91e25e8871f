"""The word lists of ``event_terms.toml``'s ``[diplomacy_context]``, compiled once.

lex = load_lexicon()
bool(lex.protocol.search("sent a message of greeting to Putin"))   # True
"""

from __future__ import annotations

import dataclasses
import functools
import re
import tomllib
from pathlib import Path

from extractors.events.domain import DATA_DIR, DomainDataError, phrase_regex


@dataclasses.dataclass(frozen=True, slots=True)
class Lexicon:
    """One compiled pattern per list; each list's meaning is written beside it in the TOML."""

    protocol: re.Pattern[str]
    internal_meetings: re.Pattern[str]
    domestic_venues: re.Pattern[str]
    diplomatic_matters: re.Pattern[str]
    weapon_words: re.Pattern[str]
    bare_saying: re.Pattern[str]
    diplomatic_steps: re.Pattern[str]
    addressing_verbs: re.Pattern[str]
    not_state_voices: re.Pattern[str]
    reaction_verbs: re.Pattern[str]
    reception_verbs: re.Pattern[str]
    reception_objects: re.Pattern[str]
    bare_talks: re.Pattern[str]
    holding_verbs: re.Pattern[str]
    sanction_content: re.Pattern[str]
    un_adoption_verbs: re.Pattern[str]
    joint_warnings: re.Pattern[str]
    topic_markers: re.Pattern[str]
    habitual: re.Pattern[str]


@functools.cache
def load_lexicon(path: Path = DATA_DIR / "event_terms.toml") -> Lexicon:
    """Read and compile ``[diplomacy_context]`` (once per file); a missing or malformed list
    fails loudly, naming the file and the list."""
    where = path.name
    try:
        with path.open("rb") as handle:
            section = tomllib.load(handle).get("diplomacy_context")
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise DomainDataError(f"{where}: {exc}") from exc
    if not isinstance(section, dict):
        raise DomainDataError(f"{where}: [diplomacy_context] is missing")
    compiled: dict[str, re.Pattern[str]] = {}
    for field in dataclasses.fields(Lexicon):
        words = section.get(field.name)
        if (
            not isinstance(words, list)
            or not words
            or not all(isinstance(w, str) and w.strip() for w in words)
        ):
            raise DomainDataError(
                f"{where}: diplomacy_context.{field.name}: expected a list of non-empty strings"
            )
        compiled[field.name] = phrase_regex(words)
    return Lexicon(**compiled)
