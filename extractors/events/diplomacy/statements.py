"""Who speaks, to whom, about what: a statement is a diplomacy event only when a state's voice
addresses another state on a diplomatic matter (a protest, a warning, an offer or a refusal of
talks).

    speech = read_speech(text, trigger, clause_start)
    text[slice(*speech.speaker)]     # "A spokesman for the Government of the DPRK"
    text[slice(*speech.content)]     # "totally rejecting the sanctions resolution ..."

Not statements of a state: a news agency's commentary or a newspaper's article, a non-government
body's statement, a speech to the country's own people on no diplomatic matter, a statement that
names no other state, and a reaction to the news the article already told.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractors.events.diplomacy.lexicon import Lexicon
from extractors.events.diplomacy.patterns import (
    CONTENT_START,
    DATELINE,
    KOREAN_TOPIC,
    LEADING_ADVERBIAL,
    PUBLISHED_BY,
    SAYING,
    TRAILING_ATTRIBUTION,
)
from extractors.events.domain import Domain

SPEECH_TYPES = ("statement", "dialogue_offer", "dialogue_rejection")
_SPEAKER_CHARS = 140  # the speaker and the day before a verb of saying, at most
# "Kim Yo Jong, the powerful sister of North Korean leader Kim Jong Un, warned": an apposition
_APPOSITION = re.compile(r"[^,]{2,60},[^,]{2,80},\s*(?:on\s+\w+\s+)?")
_SPEECH_WORDS = re.compile(r"\b(?:speech|address|remarks)\b|연설", re.I)
_SUBJECT_WORD = re.compile(r"[A-Z\uac00-\ud7af]")
# "..., KCNA said": a news agency that reports the words, not their speaker
_AGENCY = re.compile(
    r"\b(?:KCNA|KCTV|Yonhap|news\s+agency|state\s+media|Rodong\s+Sinmun|the\s+agency)\b", re.I
)


@dataclass(frozen=True, slots=True)
class Speech:
    speaker: tuple[int, int]  # sentence offsets of who speaks
    content: tuple[int, int]  # what is said (its dates and events are not the speech's)


def read_speech(text: str, trigger: re.Match[str], clause_start: int) -> Speech:
    """The speaker is named before the trigger ("A spokesman for the government issued a
    statement") or, when the trigger opens the clause, after it ("In a statement carried by KCNA,
    a foreign ministry spokesman said"). What is said begins at "that", ", saying", ":" or the
    verb of saying after the trigger ("issued a statement on Friday totally rejecting ...")."""
    dateline = DATELINE.match(text)
    start = max(clause_start, dateline.end() if dateline else 0)
    while (lead := LEADING_ADVERBIAL.match(text, start, trigger.start())) is not None:
        start = lead.end()
    end = trigger.start()
    topic = KOREAN_TOPIC.search(text, start, end)
    if topic is not None:
        end = topic.start() + 1  # "김여정 ... 부부장은": the speaker; the rest is what was said
    before = (start, end)
    trailing = TRAILING_ATTRIBUTION.search(text, trigger.end())
    if (
        trailing is not None
        and not _AGENCY.search(trailing.group("speaker"))
        and (not _SUBJECT_WORD.search(text, *before) or trigger.start() - start < 25)
    ):
        # "Pyongyang will not hold any talks with Seoul, Kim Yo Jong said in a statement"
        return Speech(trailing.span("speaker"), (start, trailing.start()))
    if _SUBJECT_WORD.search(text, *before):
        content = CONTENT_START.search(text, trigger.end())
        return Speech(before, (content.start() if content else len(text), len(text)))
    saying = SAYING.search(text, trigger.end())
    stop = saying.start() if saying else len(text)
    return Speech((trigger.end(), stop), (saying.end() if saying else len(text), len(text)))


def bare_statement(text: str, lex: Lexicon, domain: Domain) -> re.Match[str] | None:
    """A statement told with only a verb of saying, by a state's voice named before it: "North
    Korea on Monday said it would cut off its only channel with the United States" (a diplomatic
    step), "Kim Yo Jong warned South Korea on Monday that ..." (a warning by its verb). The verb is
    the first of the sentence's main clause, its speaker a state or a state's person and no news
    agency or military source ("the JCS said")."""
    dateline = DATELINE.match(text)
    start = dateline.end() if dateline else 0
    while (lead := LEADING_ADVERBIAL.match(text, start)) is not None:
        start = lead.end()
    verb = lex.bare_saying.search(text, start, start + _SPEAKER_CHARS)
    if verb is None:
        return None
    if "," in text[start : verb.start()] and not _APPOSITION.fullmatch(text, start, verb.start()):
        return None  # the verb is not the first clause's ("China, which ..., said")
    speaker = (start, verb.start())
    named = domain.persons.search(text, *speaker) or domain.countries.search(text, *speaker)
    if named is None or domain.agency_names.search(text, *speaker) is not None:
        return None
    if lex.not_state_voices.search(text, *speaker) or _AGENCY.search(text, *speaker):
        return None
    if lex.addressing_verbs.fullmatch(verb.group(0)):
        return verb  # "warned South Korea", "threatened to take physical counteraction"
    step = lex.diplomatic_steps.search(text, verb.end(), verb.end() + 80)
    return verb if step is not None else None


def speaker_is_state_voice(text: str, speech: Speech, lex: Lexicon) -> bool:
    """Not a news outlet, a commentator or a non-government body ("says KCNA in a commentary", "a
    spokesman for the Korean Association of Social Scientists"). Who published the statement
    ("carried by the Korean Central News Agency") is not who made it."""
    region = text[slice(*speech.speaker)]
    region = PUBLISHED_BY.sub(" ", region)
    return lex.not_state_voices.search(region) is None


def domestic_speech(text: str, lex: Lexicon) -> bool:
    """A speech to a state's own people (a plenum, a ceremony, a factory) or about its weapons, on
    no diplomatic matter: "called for the hardest-line strategy at a party plenum" is one; "in a
    speech to the Supreme People's Assembly, called for the South to be defined as the primary foe"
    is not."""
    venue = lex.internal_meetings.search(text) or (
        is_speech(text) and lex.domestic_venues.search(text)
    )
    # "In a speech, Kim said the new launchers can strike anywhere in South Korea": weapons, not
    # words to another state
    weapons = (
        is_speech(text)
        and lex.weapon_words.search(text) is not None
        and lex.addressing_verbs.search(text) is None
    )
    return bool(venue or weapons) and lex.diplomatic_matters.search(text) is None


def is_speech(text: str) -> bool:
    return _SPEECH_WORDS.search(text) is not None


def speaker_states(
    text: str, speech: Speech, domain: Domain, persons: list[str], actors: list[str]
) -> set[str]:
    """The states that speak: those of the persons and state names in the speaker's words (all of
    them for a joint statement), else the first state of the sentence."""
    start, end = speech.speaker
    states = {domain.person_country[m.value] for m in domain.persons.find(text, start, end)}
    for m in domain.countries.find(text, start, end):
        states.update(m.value.split("+"))
    if not states and persons:
        states = {domain.person_country[persons[0]]}
    if not states and actors:
        states = {actors[0]}
    return states
