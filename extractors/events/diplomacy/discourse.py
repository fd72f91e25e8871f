"""What an article and a sentence are, beyond their triggers: a state medium's argument, the full
text of a statement given after its lede, what somebody said, protocol, a state's own meeting.

    discourse = read_discourse(article.title, article.text, sentences)
    discourse.commentary        # "KCNA Commentary ...", "Rodong Sinmun ... carries a signed article"
    discourse.in_body(offset)   # inside the text of a statement given in full after its lede

Such text tells what a speaker argues, not what happened: its triggers make no event of their
own (they may still join one that a report of it makes).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractors.events.diplomacy.lexicon import Lexicon
from extractors.events.diplomacy.patterns import (
    BODY_LEAD,
    COMMENTARY_LEAD,
    COMMENTARY_TITLE,
    SAID_CONTENT,
    SELF_REPORT,
)
from extractors.events.domain import Domain
from extractors.events.text import Sentence

_LEAD_CHARS = 600  # the first paragraph, or this much of it
_BODY_LEAD_SENTENCES = 4  # a statement's lede is among the first sentences


@dataclass(frozen=True, slots=True)
class Discourse:
    commentary: bool  # the whole article is a state medium's commentary, editorial or article
    body_from: int | None  # offset where the full text of a statement or article begins

    def in_body(self, offset: int) -> bool:
        return self.body_from is not None and offset >= self.body_from


def read_discourse(title: str, text: str, sentences: list[Sentence]) -> Discourse:
    """The article's genre and, when a lede gives a statement in full ("issued the following
    press statement:"), where the statement's text begins."""
    lead = text.lstrip()[:_LEAD_CHARS].split("\n\n", 1)[0]
    commentary = bool(COMMENTARY_TITLE.search(title) or COMMENTARY_LEAD.search(lead))
    body_from = next(
        (s.end for s in sentences[:_BODY_LEAD_SENTENCES] if BODY_LEAD.search(s.text)), None
    )
    return Discourse(commentary, body_from)


def said_content_from(text: str, after: int = 0) -> int | None:
    """Where what somebody said begins in a sentence ("He said that ...", "The statement warned
    ...", ", saying that ..."), from ``after`` on; None when the sentence tells no one's words, or
    when the speaker tells its own act ("said that it had imposed sanctions")."""
    for m in SAID_CONTENT.finditer(text, after):
        if SELF_REPORT.match(text, m.end()):
            continue
        return m.end()
    return None


def is_protocol(text: str, lex: Lexicon) -> bool:
    """A message, letter or wreath ("sent a message of greeting", "received a congratulatory
    letter"): protocol, not a diplomatic event."""
    return lex.protocol.search(text) is not None


def is_internal_meeting(text: str, lex: Lexicon) -> bool:
    """A state's own body meeting ("The plenary meeting noted that the U.S. ...")."""
    return lex.internal_meetings.search(text) is not None


def reception_without_guest(
    text: str, trigger: re.Match[str], lex: Lexicon, domain: Domain
) -> bool:
    """ "welcomed the measures", "received a message": a verb of reception with no one received.
    "Putin received Choe Son Hui", "welcomed the delegation" are meetings."""
    if not lex.reception_verbs.fullmatch(trigger.group(0)):
        return False
    after = trigger.end()
    # the object: up to the first comma or full stop, at most a few words
    stop = min(len(text), after + 60)
    for mark in (",", ".", ";"):
        found = text.find(mark, after, stop)
        if found >= 0:
            stop = found
    window = text[after:stop]
    if re.match(r"\s*(?:a|an|the)\s+(?:message|letter|reply)", window):
        return True
    return not (domain.persons.search(text, after, stop) or lex.reception_objects.search(window))


def talks_without_holding(text: str, trigger: re.Match[str], lex: Lexicon) -> bool:
    """ "had gone as far as possible in negotiations with the U.S.": a noun of talks with no verb
    that holds them is no report of talks."""
    return bool(lex.bare_talks.fullmatch(trigger.group(0))) and not lex.holding_verbs.search(text)
