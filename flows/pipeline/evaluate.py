"""Score the event extractor against the golden set: ``koreawatch eval``.

    report = run_eval(Path("tests/golden/cases"))   # the golden set of a koreawatch checkout
    print(format_report(report, "table"))           # or "json"

The golden set is test data: it lives in the repository (``tests/golden``), not in the installed
package, so the directory is always given.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from extractors.evaluation import CaseResult, GoldenCase, Score, evaluate_case, summarise
from extractors.events import EXTRACTOR_VERSION, extract_mentions


class GoldenSetError(Exception):
    """The golden set is missing or a case file is malformed; the message names the file."""


@dataclass(frozen=True)
class EvalReport:
    extractor_version: str
    cases: int
    kinds: dict[str, Score]
    fields: dict[str, Score]
    results: list[CaseResult]

    def metrics(self) -> dict[str, float]:
        """Flat metric names -> value, as pinned in tests/golden/floors.json."""
        out: dict[str, float] = {}
        for name, score in [*self.kinds.items(), *self.fields.items()]:
            out[f"{name}.precision"] = round(score.precision, 4)
            out[f"{name}.recall"] = round(score.recall, 4)
            out[f"{name}.f1"] = round(score.f1, 4)
        return out


def load_cases(golden_dir: Path) -> list[GoldenCase]:
    if not golden_dir.is_dir():
        raise GoldenSetError(f"no golden set at {golden_dir}: not a directory")
    paths = sorted(golden_dir.glob("*.json"))
    if not paths:
        raise GoldenSetError(f"no golden cases (*.json) in {golden_dir}")
    cases = []
    for path in paths:
        try:
            cases.append(GoldenCase.from_json(json.loads(path.read_text(encoding="utf-8"))))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise GoldenSetError(f"{path.name}: {exc}") from exc
    return cases


def run_eval(golden_dir: Path) -> EvalReport:
    """Extract every golden article and score the events against the expected ones."""
    results = [
        evaluate_case(case, extract_mentions(case.article)) for case in load_cases(golden_dir)
    ]
    kinds, fields = summarise(results)
    return EvalReport(EXTRACTOR_VERSION, len(results), kinds, fields, results)


def format_report(report: EvalReport, fmt: str = "table") -> str:
    """The report as an aligned text table or as JSON."""
    if fmt == "json":
        return json.dumps(
            {
                "extractor_version": report.extractor_version,
                "cases": report.cases,
                "kinds": {k: s.as_dict() for k, s in report.kinds.items()},
                "fields": {k: s.as_dict() for k, s in report.fields.items()},
                "misses": [line for r in report.results for line in r.misses],
            },
            indent=2,
            ensure_ascii=False,
        )
    if fmt != "table":
        raise ValueError(f"unknown format {fmt!r} (want table or json)")
    lines = [
        f"extractor {report.extractor_version}, {report.cases} golden cases",
        f"{'metric':<34} {'tp':>4} {'fp':>4} {'fn':>4} {'P':>6} {'R':>6} {'F1':>6}",
    ]
    for name, s in [*report.kinds.items(), *report.fields.items()]:
        lines.append(
            f"{name:<34} {s.tp:>4} {s.fp:>4} {s.fn:>4} {s.precision:>6.3f} {s.recall:>6.3f} {s.f1:>6.3f}"
        )
    return "\n".join(lines)
