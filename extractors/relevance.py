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


@dataclass(frozen=True)
class RelevanceRules:
    threshold: float
    title_factor: float
    weights: dict[str, float]  # term (lower-cased) -> weight
    english: re.Pattern[str]
    korean: re.Pattern[str] | None


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


def is_relevant_text(title: str, text: str) -> tuple[bool, float]:
    """The same rules over an article's title and opening, once its text is known."""
    verdict = score_item(title, text[:3000])
    return verdict.relevant, verdict.score
