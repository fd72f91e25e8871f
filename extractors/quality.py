"""Article quality flags: opinion and analysis pieces, and machine-written or template residue.

    assess_article(article).flags   # () for a news report, ("opinion",) for a column, ...

A flagged article still yields mentions; consolidation weighs it little, and an event that only
flagged articles support is marked low-confidence. Signals and weights:

- opinion: a label ("Opinion", "Analysis", "Commentary", "Editorial", "Op-Ed") in the title, the
  first line or the URL path (2); first-person judgement ("I think", "I believe", "in my view") (2);
  frequent first person ("I", "my", "we" at least five times) (1); a disclaimer ("the views expressed
  in this article") (1); essay tells ("a more comprehensive analysis", "the original ... article")
  (1 each, at most 2). Two points flag the article: a wire rewrite that only carries a disclaimer is not flagged.
- machine_written: any template residue ("[Insert Name]", "{{...}}", "Lorem ipsum",
  "As an AI language model", "I cannot browse"): one hit is enough.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractors.records import ArticleText

OPINION = "opinion"
MACHINE_WRITTEN = "machine_written"
QUALITY_FLAGS = (OPINION, MACHINE_WRITTEN)

_LABEL = re.compile(
    r"^\s*(?:\[?\s*)(?:opinion|analysis|commentary|editorial|op-ed|column|perspective|viewpoint|"
    r"news analysis|sisa|사설|칼럼|기고|시론|논평)\b",
    re.I,
)
_URL_LABEL = re.compile(
    r"/(?:opinion|opinions|commentary|analysis|editorial|editorials|op-ed|oped|column|columns|blogs?)/",
    re.I,
)
# These run on the lower-cased text; each starts with a look at the first character so the
# regex engine skips most positions at once (assessing is part of every extraction run).
_JUDGEMENT = re.compile(
    r"(?=[iw])\b(?:i think|i believe|i would argue|i argue|i contend|in my view|in my opinion|"
    r"it seems to me|i fear|i suspect|we should|we must)\b"
)
_FIRST_PERSON = re.compile(r"(?=[Imwuo])(?<![\w'])(?:I|my|me|we|our|us)(?![\w'])")
_DISCLAIMER = re.compile(
    r"(?=[vti])(?:views expressed (?:in this (?:article|piece|column)|here|are (?:those of|the author))|"
    r"the author is an?\b|is a (?:columnist|contributing writer)|this (?:article|piece) is an? opinion)"
)
_ESSAY = re.compile(
    r"(?=[atri])(?:a more (?:comprehensive|nuanced) analysis|the original [A-Z][\w ]{2,40} article|"
    r"requires delving|this (?:essay|analysis|commentary) (?:argues|examines)|"
    r"in this (?:essay|analysis|commentary))"
)
_TEMPLATE = re.compile(
    r"(?=[\[{<lairt])(?:\[\s*(?:insert|your|add|enter|author|name of)[^\]]{0,40}\]|\{\{[^}]{0,60}\}\}|"
    r"lorem ipsum|as an ai(?: language)? model|i cannot browse|i do not have access to real-time|"
    r"\[(?:citation needed|source|link)\]|<\s*placeholder\s*>|todo:|regenerate response)"
)


@dataclass(frozen=True, slots=True)
class QualityVerdict:
    flags: tuple[str, ...]
    reasons: tuple[str, ...]  # one line each, for the warehouse and the digest

    @property
    def flagged(self) -> bool:
        return bool(self.flags)


def assess_text(title: str, text: str, url: str = "") -> QualityVerdict:
    reasons: list[str] = []
    flags: list[str] = []
    lower_title, lower = title.lower(), text.lower()
    template = _TEMPLATE.search(lower_title) or _TEMPLATE.search(lower)
    if template is not None:
        flags.append(MACHINE_WRITTEN)
        source = title if template.string is lower_title else text
        reasons.append(f"template residue: {source[template.start() : template.end()][:40]!r}")
    score = 0
    first_line = text.lstrip().split("\n", 1)[0][:80]
    if _LABEL.search(title) or _LABEL.search(first_line) or _URL_LABEL.search(url):
        score += 2
        reasons.append("labelled opinion/analysis")
    judgement = _JUDGEMENT.search(lower)
    if judgement is not None:
        score += 2
        reasons.append(f"first-person judgement: {judgement.group(0)!r}")
    if len(_FIRST_PERSON.findall(text)) >= 5:
        score += 1
        reasons.append("frequent first person")
    if _DISCLAIMER.search(lower):
        score += 1
        reasons.append("opinion disclaimer")
    essays = {m.group(0)[:40] for m in _ESSAY.finditer(text)}
    if essays:
        score += min(2, len(essays))
        reasons.extend(f"essay wording: {e!r}" for e in sorted(essays))
    if score >= 2:
        flags.append(OPINION)
    elif score:
        reasons.append(f"not flagged as opinion: score {score} < 2")
    return QualityVerdict(tuple(flags), tuple(reasons))


def assess_article(article: ArticleText) -> QualityVerdict:
    """Flags from the text, plus any quality flags ingest already put on the article."""
    verdict = assess_text(article.title, article.text, article.url)
    extra = tuple(f for f in article.flags if f in QUALITY_FLAGS and f not in verdict.flags)
    return QualityVerdict(verdict.flags + extra, verdict.reasons)
