"""The digest's view model: everything the templates show, already worded (pure: the same data
gives the same view).

    view = build_view(data, config.digest, chart_src="2024-11-05.png")
    view.summary, view.missiles[0].facts
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

import extractors
from extractors.vocabulary import (
    DIPLOMACY_TYPE_LABELS,
    MISSILE_CLASS_COLOURS,
    MISSILE_CLASS_LABELS,
    OUTCOME_LABELS,
)
from flows.config import DigestConfig
from flows.digest.safety import clean, safe_url
from warehouse.digest import DigestData, DiplomacyEvent, MissileTest, SourceReport

ACTORS_FILE = Path(extractors.__file__).parent / "data" / "actors.toml"
KOREA_ZONES = {"Asia/Seoul", "Asia/Pyongyang"}


def default_day(tz: ZoneInfo, now: datetime | None = None) -> date:
    """Yesterday in the digest's time zone: a morning run reports the last complete day."""
    now = now or datetime.now(UTC)
    return now.astimezone(tz).date() - timedelta(days=1)


def _num(value: float | None, unit: str = "", missing: str = "not reported") -> str:
    """1,000 km; 99.8 km (a decimal only when the source gave one: KCNA's figures have them)."""
    if value is None:
        return missing
    if abs(value - round(value)) < 0.05:
        return f"{round(value):,}{unit}"
    return f"{value:,.1f}{unit}"


def _long_day(d: date) -> str:
    return f"{d:%A} {d.day} {d:%B %Y}"


def _short_day(d: date) -> str:
    return f"{d:%a} {d.day} {d:%b %Y}"


def _tz_label(tz: str) -> str:
    return "Korea time" if tz in KOREA_ZONES else tz


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _join(items: Iterable[str]) -> str:
    return ", ".join(i for i in items if i)


@cache
def actor_names() -> dict[str, str]:
    """ISO code → the name analysts use, from the extractors' actor data (first alias)."""
    try:
        data = tomllib.loads(ACTORS_FILE.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return {}
    names: dict[str, str] = {}
    for table in data.values():
        if isinstance(table, list):
            for entry in table:
                if isinstance(entry, dict) and entry.get("code") and entry.get("aliases"):
                    names.setdefault(str(entry["code"]), str(entry["aliases"][0]))
    return names


def _actor(code: str) -> str:
    return actor_names().get(code, code)


# -- the view: what the templates show, already worded --------------------------------------


@dataclass(frozen=True, slots=True)
class Link:
    text: str
    url: str | None  # None: shown as plain text (not http/https)


@dataclass(frozen=True, slots=True)
class Fact:
    label: str
    value: str


@dataclass(frozen=True, slots=True)
class FigureRow:
    source: str
    attributed: str
    missiles: str
    distance: str
    apogee: str
    new: bool


@dataclass(frozen=True, slots=True)
class SourceLine:
    source: str
    link: Link
    attributed: str
    when: str
    new: bool


@dataclass(frozen=True, slots=True)
class MissileView:
    heading: str
    badge: str  # "New" or "Update"
    when: str
    colour: str
    facts: tuple[Fact, ...]
    figures: tuple[FigureRow, ...]  # empty unless sources disagree
    disputed_note: str
    sources: tuple[SourceLine, ...]
    note: str  # update / low-confidence remark, or ""


@dataclass(frozen=True, slots=True)
class DiplomacyView:
    day: str
    kind: str
    heading: str
    summary: str
    details: tuple[Fact, ...]
    sources: tuple[SourceLine, ...]
    badge: str
    note: str


@dataclass(frozen=True, slots=True)
class StoryView:
    link: Link
    source: str
    num_sources: int
    num_articles: int
    sources: str


@dataclass(frozen=True, slots=True)
class Stat:
    value: str
    label: str
    note: str


@dataclass(frozen=True, slots=True)
class ChartRow:
    month: str
    bar: str
    total: int
    detail: str


@dataclass(frozen=True, slots=True)
class ChartView:
    src: str | None  # None: no picture (the Prefect artifact, the plain text)
    alt: str
    width: int
    height: int
    rows: tuple[ChartRow, ...]  # the last 12 months, for text and Markdown


@dataclass(frozen=True, slots=True)
class DigestView:
    title: str
    day_iso: str
    day_label: str
    tz_label: str
    summary: str
    quiet_message: str | None
    stats: tuple[Stat, ...]
    missiles: tuple[MissileView, ...]
    diplomacy: tuple[DiplomacyView, ...]
    stories: tuple[StoryView, ...]
    chart: ChartView
    feed_problems: tuple[str, ...]
    run_lines: tuple[str, ...]
    generated: str
    web_url: str | None
    articles_on_day: int


CHART_PX = (1200, 520)  # rendered at 2x for sharp phones; shown at 560 x 243
CHART_SHOW_WIDTH = 560


def _local(ts: datetime, tz: ZoneInfo) -> datetime:
    return ts.astimezone(tz)


def _source_lines(reports: Sequence[SourceReport], tz: ZoneInfo) -> tuple[SourceLine, ...]:
    lines = []
    for r in reports:
        title = clean(r.title) or clean(r.url)
        when = _local(r.reported_at, tz)
        lines.append(
            SourceLine(
                source=clean(r.source) or "unknown outlet",
                link=Link(title, safe_url(r.url)),
                attributed=_join(clean(b) for b in r.reported_by),
                when=f"{when.day} {when:%b %H:%M}",
                new=r.is_new,
            )
        )
    return tuple(lines)


def _missile_heading(event: MissileTest) -> str:
    label = MISSILE_CLASS_LABELS.get(event.missile_class, event.missile_class)
    if event.designation:
        return f"{clean(event.designation)} · {label}"
    if event.missile_class == "unknown":
        return "Unidentified missile"
    return f"Unidentified {label}"


def _event_day(d: date | None, precision: str, first: datetime | None, tz: ZoneInfo) -> str:
    if d is not None and precision == "day":
        return _long_day(d)
    if d is not None and precision == "month":
        return f"{d:%B %Y} (day not reported)"
    if d is not None and precision == "reported":
        # the text gave no day: the launch was on or shortly before the day it was reported
        return f"day not stated; reported {_short_day(d)}"
    if first is not None:
        return f"date not reported; first reported {_short_day(_local(first, tz).date())}"
    return "date not reported"


def _missile_view(event: MissileTest, tz: ZoneInfo, day: date) -> MissileView:
    when = _event_day(event.event_date, event.date_precision, event.first_reported_at, tz)
    if event.first_reported_at is not None and event.is_new:
        first = _local(event.first_reported_at, tz)
        when += f" · first reported {first:%H:%M}" + (
            "" if first.date() == day else f" on {_short_day(first.date())}"
        )
    # Numbers are marked as disputed when the reports shown differ on them (a later report
    # that disagrees belongs to a later digest); other fields by the event's own flag.
    numeric = ("num_missiles", "distance_km", "apogee_km")
    disputed = {f for f in event.disputed_fields if f not in numeric}
    disputed |= {f for f in numeric if len({getattr(r, f) for r in event.reports} - {None}) > 1}
    mark = " (sources differ)"
    facts = [
        Fact("Missiles", _num(event.num_missiles) + (mark if "num_missiles" in disputed else "")),
        Fact(
            "Launch site",
            (clean(event.launch_site) or "not reported")
            + (mark if "launch_site" in disputed else ""),
        ),
        Fact(
            "Distance", _num(event.distance_km, " km") + (mark if "distance_km" in disputed else "")
        ),
        Fact("Apogee", _num(event.apogee_km, " km") + (mark if "apogee_km" in disputed else "")),
    ]
    if event.landing_area:
        facts.append(
            Fact("Landed", clean(event.landing_area) + (mark if "landing_area" in disputed else ""))
        )
    outcome = OUTCOME_LABELS.get(event.outcome, clean(event.outcome))
    facts.append(Fact("Outcome", outcome + (mark if "outcome" in disputed else "")))
    if event.overseen_by:
        facts.append(Fact("Overseen by", clean(event.overseen_by)))
    other_names = [clean(n) for n in event.names_reported if clean(n) != clean(event.designation)]
    if other_names:
        facts.append(Fact("Also called", _join(other_names)))
    # The agencies the shown reports cite, in order of first citation (not the event's all-time
    # list, which may name an agency that only spoke after the day).
    agencies = dict.fromkeys(clean(b) for r in event.reports for b in r.reported_by)
    facts.append(Fact("Reported by", _join(agencies) or "not attributed"))
    # Counted from the reports shown (those up to the end of the day), not the event's
    # all-time totals, so the line agrees with the sources listed below it.
    outlets = {r.source for r in event.reports}
    facts.append(
        Fact(
            "Coverage",
            f"{_plural(len(event.reports), 'article')} from {_plural(len(outlets), 'outlet')}",
        )
    )
    figures: tuple[FigureRow, ...] = ()
    note_disputed = ""
    # The side-by-side table is for the numbers; other disputed fields are marked in the facts.
    if disputed & set(numeric):
        figures = tuple(
            FigureRow(
                source=clean(r.source) or "unknown outlet",
                attributed=_join(clean(b) for b in r.reported_by) or "-",
                missiles=_num(r.num_missiles, missing="-"),
                distance=_num(r.distance_km, " km", missing="-"),
                apogee=_num(r.apogee_km, " km", missing="-"),
                new=r.is_new,
            )
            for r in event.reports
        )
        note_disputed = (
            "Sources give different figures. The value above is an official military source's"
            " (JCS, then Japan's MoD, then US forces) where one gave it, else the lower median."
        )
    notes = []
    if not event.is_new:
        new = sum(1 for r in event.reports if r.is_new)
        notes.append(
            f"New reporting on a launch first reported earlier: {_plural(new, 'new article')} today."
        )
    if event.low_confidence:
        notes.append("Low confidence: few or weak sources; treat with care.")
    return MissileView(
        heading=_missile_heading(event),
        badge="New" if event.is_new else "Update",
        when=when,
        colour=MISSILE_CLASS_COLOURS.get(event.missile_class, MISSILE_CLASS_COLOURS["unknown"]),
        facts=tuple(facts),
        figures=figures,
        disputed_note=note_disputed,
        sources=_source_lines(event.reports, tz),
        note=" ".join(notes),
    )


def _diplomacy_summary(summary: str, kind: str) -> str:
    """The summary without the structured preamble the heading and details already show.

    Consolidated summaries read "Summit: persons (actors) in place — evidence"; the part after
    the dash is the news. A summary in any other shape is shown whole.
    """
    text = clean(summary)
    if not text.lower().startswith(kind.lower() + ":"):
        return text
    _, dash, rest = text.partition(" — ")
    return rest.strip() if dash else ""


def _diplomacy_view(event: DiplomacyEvent, tz: ZoneInfo) -> DiplomacyView:
    actors = [_actor(clean(a)) for a in event.actors]
    details = []
    if event.persons:
        details.append(Fact("Who", _join(clean(p) for p in event.persons)))
    if event.location:
        details.append(Fact("Where", clean(event.location)))
    notes = []
    if not event.is_new:
        notes.append("Update: new reporting on an event first reported earlier.")
    if event.low_confidence:
        notes.append("Low confidence: few or weak sources.")
    if event.event_date is not None and event.date_precision == "day":
        day = _short_day(event.event_date)
    elif event.event_date is not None and event.date_precision == "month":
        day = f"{event.event_date:%b %Y}"
    elif event.event_date is not None and event.date_precision == "reported":
        day = f"reported {_short_day(event.event_date)}"  # the text gave no day
    else:
        day = "date n/r"
    kind = DIPLOMACY_TYPE_LABELS.get(event.event_type, clean(event.event_type))
    return DiplomacyView(
        day=day,
        kind=kind,
        heading=_join(actors) or "Parties not identified",
        summary=_diplomacy_summary(event.summary, kind),
        details=tuple(details),
        sources=_source_lines(event.reports, tz),
        badge="New" if event.is_new else "Update",
        note=" ".join(notes),
    )


def _stats(data: DigestData) -> tuple[Stat, ...]:
    h = data.headline
    day = data.day
    if h.launches_on_day:
        note = f"{_plural(h.missiles_on_day, 'missile')} in all" if h.missiles_on_day else ""
    else:
        note = "no launch reported"
    on_day = Stat(
        str(h.launches_on_day),
        f"{'launch' if h.launches_on_day == 1 else 'launches'} on {day.day} {day:%b}",
        note,
    )
    ytd = Stat(
        str(h.launches_ytd),
        f"{'launch' if h.launches_ytd == 1 else 'launches'} in {day.year} so far",
        f"vs {h.launches_prior_ytd} by this date in {day.year - 1}",
    )
    prev = h.previous_launch
    if prev is None:
        since = Stat("–", "since the previous launch", "no earlier launch on record")
    else:
        days = (day - prev.event_date).days
        what = clean(prev.designation) or ""
        kind = MISSILE_CLASS_LABELS.get(prev.missile_class, prev.missile_class)
        since = Stat(
            str(days),
            f"{'day' if days == 1 else 'days'} since the previous launch",
            f"{what + ' ' if what else ''}{kind}, {_short_day(prev.event_date)}",
        )
    return (on_day, ytd, since)


def _summary(data: DigestData) -> str:
    if data.quiet:
        return f"No launches or diplomatic events were reported on {data.day.isoformat()} ({_tz_label(data.timezone)})."
    parts = []
    new_launches = [m for m in data.missile_tests if m.is_new]
    updates = [m for m in data.missile_tests if not m.is_new]
    if new_launches:
        described = []
        for m in new_launches:
            what = _join(
                [clean(m.designation), m.missile_class if m.missile_class != "unknown" else ""]
            )
            # A count only for salvos: "1 missile" after "1 missile launch" says nothing.
            count = f"{m.num_missiles} missiles" if m.num_missiles and m.num_missiles > 1 else ""
            described.append(_join([what or "class not reported", count]))
        parts.append(
            f"{_plural(len(new_launches), 'missile launch', 'missile launches')} ({'; '.join(described)})"
        )
    if updates:
        parts.append(
            f"new reporting on {_plural(len(updates), 'earlier launch', 'earlier launches')}"
        )
    if data.diplomacy:
        parts.append(_plural(len(data.diplomacy), "diplomatic event"))
    text = _join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1]
    return text[0].upper() + text[1:] + "."


def _chart_view(data: DigestData, src: str | None) -> ChartView:
    per_month: dict[date, dict[str, int]] = {m: {} for m in data.chart_months}
    for row in data.monthly:
        if row.month in per_month:
            per_month[row.month][row.missile_class] = row.launches
    totals = {m: sum(v.values()) for m, v in per_month.items()}
    total = sum(totals.values())
    first, last = data.chart_months[0], data.chart_months[-1]
    if total:
        busiest = max(totals, key=lambda m: (totals[m], m))
        alt = (
            f"Bar chart of launches per month by missile class, {first:%b %Y} to {last:%b %Y}:"
            f" {total} in all; busiest month {busiest:%b %Y} ({totals[busiest]})."
        )
    else:
        alt = f"Bar chart of launches per month, {first:%b %Y} to {last:%b %Y}: none recorded."
    rows = []
    for month in data.chart_months[-12:]:
        counts = per_month[month]
        rows.append(
            ChartRow(
                month=f"{month:%b %Y}",
                bar="#" * totals[month],
                total=totals[month],
                detail=_join(
                    f"{c} {n}" for c, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
                ),
            )
        )
    height = round(CHART_SHOW_WIDTH * CHART_PX[1] / CHART_PX[0])
    return ChartView(src, alt, CHART_SHOW_WIDTH, height, tuple(rows))


def _feed_problem_lines(data: DigestData, tz: ZoneInfo) -> tuple[str, ...]:
    lines = []
    for p in data.feed_problems:
        since = (
            f"last worked {_short_day(_local(p.last_ok_at, tz).date())}"
            if p.last_ok_at
            else "never worked"
        )
        error = clean(p.last_error)
        error = error if len(error) <= 120 else error[:117] + "..."
        lines.append(
            f"{clean(p.name)}: {_plural(p.consecutive_failures, 'failure')} in a row, {since}"
            + (f" ({error})" if error else "")
        )
    return tuple(lines)


def _run_lines(data: DigestData) -> tuple[str, ...]:
    lines = []
    for r in data.runs:
        state = f"{r.ok} ok" + (f", {r.failed} failed" if r.failed else "")
        extra = []
        if r.flow in {"ingest", "backfill"}:
            extra = [
                _plural(r.new_articles, "new article"),
                _plural(r.events, "event"),
            ]
            if r.feeds_failed:
                extra.append(_plural(r.feeds_failed, "feed failure"))
        lines.append(
            f"{r.flow}: {_plural(r.runs, 'run')} ({state})" + "".join(f", {e}" for e in extra)
        )
    return tuple(lines)


def build_view(data: DigestData, settings: DigestConfig, *, chart_src: str | None) -> DigestView:
    """Word everything the templates show (pure: the same data gives the same view)."""
    tz = ZoneInfo(data.timezone)
    generated = _local(data.generated_at, tz)
    web = None
    if settings.site_url:
        web = safe_url(settings.site_url.rstrip("/") + f"/{data.day.isoformat()}.html")
    return DigestView(
        title=clean(settings.title),
        day_iso=data.day.isoformat(),
        day_label=_long_day(data.day),
        tz_label=_tz_label(data.timezone),
        summary=_summary(data),
        quiet_message=_summary(data) if data.quiet else None,
        stats=_stats(data),
        missiles=tuple(_missile_view(m, tz, data.day) for m in data.missile_tests),
        diplomacy=tuple(_diplomacy_view(d, tz) for d in data.diplomacy),
        stories=tuple(
            StoryView(
                link=Link(clean(s.title) or clean(s.url), safe_url(s.url)),
                source=clean(s.source),
                num_sources=s.num_sources,
                num_articles=s.num_articles,
                sources=_join(clean(x) for x in s.sources),
            )
            for s in data.stories
        ),
        chart=_chart_view(data, chart_src),
        feed_problems=_feed_problem_lines(data, tz),
        run_lines=_run_lines(data),
        generated=f"{generated:%Y-%m-%d %H:%M} {_tz_label(data.timezone)}",
        web_url=web,
        articles_on_day=data.articles_on_day,
    )


def subject_for(view: DigestView, data: DigestData) -> str:
    return f"{view.title}, {_short_day(data.day)}: {view.summary.rstrip('.')}"
