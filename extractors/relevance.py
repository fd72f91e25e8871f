"""Is a feed item about Korea? Keyword rules from ``data/relevance.toml``, with the reason kept."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from extractors.records import RelevanceVerdict

DATA = Path(__file__).parent / "data" / "relevance.toml"
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_PARAGRAPH_BREAK = re.compile(r"\n+")


@dataclass(frozen=True)
class TextRules:
    lead_paragraphs: int
    min_mentions: int
    many_mentions: int
    foreign_factor: float
    other: re.Pattern[str]


@dataclass(frozen=True)
class RelevanceRules:
    threshold: float
    title_factor: float
    weights: dict[str, float]  # term (lower-cased) -> weight
    english: re.Pattern[str]
    korean: re.Pattern[str] | None
    korea_terms: frozenset[str]  # the strong and medium terms: Korea named, not just weapons
    text: TextRules


def _alternation(terms: list[str]) -> str:
    return "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))


@cache
def load_rules(path: Path = DATA) -> RelevanceRules:
    """Load and validate the rules once."""
    with path.open("rb") as handle:
        raw = tomllib.load(handle)
    try:
        threshold = float(raw["threshold"])
        title_factor = float(raw.get("title_factor", 1.0))
        group_weights = {str(k): float(v) for k, v in raw["weights"].items()}
        groups = {str(k): [str(t) for t in v] for k, v in raw["terms"].items()}
        text = raw["text"]
        text_rules = TextRules(
            lead_paragraphs=int(text["lead_paragraphs"]),
            min_mentions=int(text["min_mentions"]),
            many_mentions=int(text["many_mentions"]),
            foreign_factor=float(text["foreign_factor"]),
            other=re.compile(
                rf"(?<![\w-])(?:{_alternation([str(t) for t in text['other_subjects']])})(?![\w])"
            ),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"{path}: bad relevance rules ({exc!r})") from exc
    weights: dict[str, float] = {}
    for group, terms in groups.items():
        if group not in group_weights:
            raise ValueError(f"{path}: terms.{group} has no weight in [weights]")
        for term in terms:
            if term.lower() in weights:
                raise ValueError(f"{path}: term {term!r} listed twice")
            weights[term.lower()] = group_weights[group]
    english = [t for t in weights if not _HANGUL.search(t)]
    korean = [t for t in weights if _HANGUL.search(t)]
    return RelevanceRules(
        threshold=threshold,
        title_factor=title_factor,
        weights=weights,
        english=re.compile(rf"(?<![\w-])(?:{_alternation(english)})(?![\w])", re.IGNORECASE),
        korean=re.compile(_alternation(korean)) if korean else None,
        korea_terms=frozenset(t.lower() for g in ("strong", "medium") for t in groups.get(g, ())),
        text=text_rules,
    )


def _hits(rules: RelevanceRules, text: str) -> set[str]:
    found = {m.group(0).lower() for m in rules.english.finditer(text)}
    if rules.korean is not None:
        found.update(m.group(0) for m in rules.korean.finditer(text))
    return found


def score_item(title: str, summary: str, *, all_relevant: bool = False) -> RelevanceVerdict:
    """Score an item on its title and summary, before any page is fetched."""
    rules = load_rules()
    if all_relevant:
        return RelevanceVerdict(True, 0.0, (), "kept: the feed is marked all_relevant")
    title_hits = _hits(rules, title)
    summary_hits = _hits(rules, summary) - title_hits
    score = sum(rules.weights[t] * rules.title_factor for t in title_hits)
    score += sum(rules.weights[t] for t in summary_hits)
    terms = tuple(sorted(title_hits)) + tuple(sorted(summary_hits))
    where = "; ".join(
        part
        for part in (
            f"title: {', '.join(sorted(title_hits))}" if title_hits else "",
            f"summary: {', '.join(sorted(summary_hits))}" if summary_hits else "",
        )
        if part
    )
    if score >= rules.threshold:
        return RelevanceVerdict(
            True, score, terms, f"kept: score {score:g} >= {rules.threshold:g} ({where})"
        )
    if not terms:
        return RelevanceVerdict(False, 0.0, (), "irrelevant: no Korea terms in title or summary")
    return RelevanceVerdict(
        False, score, terms, f"irrelevant: score {score:g} < {rules.threshold:g} ({where})"
    )


def _korea_hits(rules: RelevanceRules, text: str) -> list[int]:
    """Where Korea is named in ``text`` (start offsets of strong and medium terms)."""
    found = [
        m.start() for m in rules.english.finditer(text) if m.group(0).lower() in rules.korea_terms
    ]
    if rules.korean is not None:
        found += [m.start() for m in rules.korean.finditer(text) if m.group(0) in rules.korea_terms]
    return sorted(found)


def judge_text(title: str, text: str) -> RelevanceVerdict:
    """Is a fetched article Korea news? Judged on its title and text (``[text]`` in the rules):
    the title and the feed summary decided what to fetch; the text decides what is kept."""
    rules = load_rules()
    tr = rules.text
    score = score_item(title, text[:600]).score
    in_title = len(_korea_hits(rules, title))
    hits = _korea_hits(rules, text)
    # Paragraph starts, so a hit's offset tells its paragraph (one pass over the text).
    starts = [0] + [m.end() for m in _PARAGRAPH_BREAK.finditer(text)]
    lead_end = starts[tr.lead_paragraphs] if len(starts) > tr.lead_paragraphs else len(text)
    in_lead = sum(1 for h in hits if h < lead_end)
    total = in_title + len(hits)
    foreign = len(tr.other.findall(title)) + len(tr.other.findall(text))
    counts = f"Korea named {total} time(s), {in_lead} in the lead; other subjects {foreign}"
    if in_title and foreign <= tr.foreign_factor * total:
        return RelevanceVerdict(True, score, (), f"kept on the text: Korea in the title ({counts})")
    if total == 0:
        return RelevanceVerdict(False, score, (), "not Korea news on the text: Korea never named")
    dominated = foreign > tr.foreign_factor * total
    if not dominated and ((in_lead and total >= tr.min_mentions) or total >= tr.many_mentions):
        return RelevanceVerdict(True, score, (), f"kept on the text ({counts})")
    why = "other subjects dominate" if dominated else "Korea only in passing"
    first = sum(1 for start in starts if start <= hits[0]) if hits else None
    where = f", first in paragraph {first}" if first else ""
    return RelevanceVerdict(
        False, score, (), f"not Korea news on the text: {why} ({counts}{where})"
    )
