"""The daily digest: what North Korea launched, what was said and agreed, and the record behind it.

    result = run_digest(db_path=Path("data/koreawatch.duckdb"), config=load_config(path),
                        day=date(2024, 11, 5), send=True)
    result.files.html, result.sent, result.failed_permanent

``run_digest`` is the plain function the CLI and the demo call; ``digest`` is its Prefect flow.
The steps are separate, typed functions: ``load`` (warehouse.digest) → ``build_view`` (pure) →
``render_*`` (jinja2 templates in ``flows/templates``, HTML autoescaped) and ``render_chart``
(matplotlib, Agg) → ``write_files`` (+ the Atom feed) → ``deliver`` (flows.mail, with the ledger).

Every string that came from an article passes ``clean`` (control characters out, one line) and is
escaped by the output format; links are kept only when they are http(s) (``safe_url``).
"""

from __future__ import annotations

import contextlib
import html
import io
import os
import re
import textwrap
import tomllib
import unicodedata
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit
from zoneinfo import ZoneInfo

import jinja2
from prefect import flow
from prefect.artifacts import create_markdown_artifact

from extractors.vocabulary import (
    DIPLOMACY_TYPE_LABELS,
    MISSILE_CLASS_COLOURS,
    MISSILE_CLASS_LABELS,
    OUTCOME_LABELS,
)
from flows.config import Config, DigestConfig, load_config
from flows.mail import (
    DEFAULT_RETRY_DELAYS,
    InlineImage,
    MailError,
    ServerUnavailable,
    SmtpConfig,
    SmtpSender,
    build_message,
    make_message_id,
    send_with_retry,
)
from flows.settings import Settings, load_settings
from warehouse import Warehouse
from warehouse.digest import Delivery as LedgerRow
from warehouse.digest import (
    DigestData,
    DiplomacyEvent,
    MissileTest,
    SourceReport,
    deliveries,
    latest_event_day,
    load_digest_data,
    record_delivery,
)
from warehouse.ingest import finish_run, start_run

TEMPLATES = Path(__file__).parent / "templates"
ACTORS_FILE = Path(__file__).parent.parent / "extractors" / "data" / "actors.toml"
ATOM_NS = "http://www.w3.org/2005/Atom"
ATOM_ENTRIES = 60  # about two months of digests: enough for a reader to catch up
CONTENT_START = "<!--koreawatch:content-start-->"
CONTENT_END = "<!--koreawatch:content-end-->"
_DAY_FILE = re.compile(r"^(\d{4}-\d{2}-\d{2})\.html$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069]+")

KOREA_ZONES = {"Asia/Seoul", "Asia/Pyongyang"}


class DigestError(Exception):
    """A digest problem a user can fix (bad date, no recipients); the message is one line."""


# -- small pure helpers -----------------------------------------------------------------------


def clean(value: object) -> str:
    """One line of text: control and bidi-override characters out, whitespace collapsed."""
    if value is None:
        return ""
    return " ".join(_CONTROL.sub(" ", str(value)).split())


def safe_url(value: str | None) -> str | None:
    """The URL if it is http(s) with a host, percent-encoded for any output; else None."""
    if not value:
        return None
    text = value.strip()
    if _CONTROL.search(text) or any(c.isspace() for c in text):
        return None
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
        return None
    # Parentheses, quotes and angle brackets are encoded so the URL is inert in Markdown and
    # in an HTML attribute alike (jinja2 escapes attributes too; this is the second belt).
    return quote(text, safe=":/?#[]@!$&*+,;=%~-._")


def parse_day(value: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise DigestError(f"--date must be a day as YYYY-MM-DD, not {value!r}") from None


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


# -- rendering --------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]|~&])")
_MD_LINE_START = re.compile(r"^([#=+-])")
_MD_ORDERED = re.compile(r"^(\d+)([.)])")


def md_escape(value: object) -> str:
    """Text that Markdown shows as written: inline punctuation backslashed, < and > as
    entities, and a leading character that would start a heading, list or quote escaped.
    Parentheses stay bare: without an unescaped ``]`` before them they cannot form a link."""
    text = _MD_SPECIAL.sub(r"\\\1", clean(value))
    text = _MD_ORDERED.sub(r"\1\\\2", _MD_LINE_START.sub(r"\\\1", text))
    return text.replace("<", "&lt;").replace(">", "&gt;")


def _md_link(link: Link) -> str:
    text = md_escape(link.text)
    return f"[{text}]({link.url})" if link.url else text


def _wrap(value: object, indent: str = "", first: str | None = None, width: int = 76) -> str:
    """``clean`` text filled to ``width`` columns; ``first`` prefixes the first line."""
    return textwrap.fill(
        clean(value),
        width=width,
        initial_indent=indent if first is None else first,
        subsequent_indent=indent,
        break_long_words=False,
        break_on_hyphens=False,
    )


def _cells(text: str) -> int:
    # Hangul and other wide characters take two terminal/monospace cells.
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _fit(value: object, width: int, right: bool = False) -> str:
    """Text truncated and padded to ``width`` monospace cells (for plain-text tables)."""
    text = clean(value)
    while _cells(text) > width - 1 and text:
        text = text[:-1]
    pad = " " * (width - _cells(text))
    return pad + text if right else text + pad


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        # Autoescape for the HTML template; text and Markdown escape by their own rules.
        autoescape=jinja2.select_autoescape(enabled_extensions=("html",), default=False),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = md_escape
    env.filters["md_link"] = _md_link
    env.filters["wrap76"] = _wrap
    env.filters["fit"] = _fit
    return env


def render_html(view: DigestView) -> str:
    return _environment().get_template("digest.html").render(v=view)


def render_text(view: DigestView) -> str:
    text = _environment().get_template("digest.txt").render(v=view)
    return "\n".join(line.rstrip() for line in text.splitlines()) + "\n"


def render_markdown(view: DigestView) -> str:
    return _environment().get_template("digest.md").render(v=view)


def render_chart(data: DigestData) -> bytes:
    """Launches per month over the chart's 24 months, stacked by class, as PNG bytes."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    months = list(data.chart_months)
    index = {m: i for i, m in enumerate(months)}
    classes = [c for c in MISSILE_CLASS_COLOURS if any(r.missile_class == c for r in data.monthly)]
    series = {c: [0] * len(months) for c in classes}
    for row in data.monthly:
        if row.month in index and row.missile_class in series:
            series[row.missile_class][index[row.month]] = row.launches

    dpi = 200
    # Figure + Agg canvas, not pyplot: no global state, safe in Prefect's worker threads.
    fig = Figure(figsize=(CHART_PX[0] / dpi, CHART_PX[1] / dpi), dpi=dpi)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1)
    bottom = [0] * len(months)
    xs = list(range(len(months)))
    for cls in classes:
        ax.bar(xs, series[cls], bottom=bottom, width=0.72, color=MISSILE_CLASS_COLOURS[cls],
               label=MISSILE_CLASS_LABELS[cls] if cls != "unknown" else "class unknown", linewidth=0)  # fmt: skip
        bottom = [b + v for b, v in zip(bottom, series[cls], strict=True)]
    # A label every third month, counted back from the digest's month so that month is always
    # labelled; the year goes under the first label and wherever it changes.
    labels = []
    shown = [i for i in xs if (len(months) - 1 - i) % 3 == 0]
    last_year = None
    for i, m in enumerate(months):
        if i not in shown:
            labels.append("")
            continue
        labels.append(f"{m:%b}\n{m.year}" if m.year != last_year else f"{m:%b}")
        last_year = m.year
    ax.set_xticks(xs)
    ax.set_xticklabels(labels, fontsize=6.5)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=5))
    ax.tick_params(axis="y", labelsize=7, length=0)
    ax.tick_params(axis="x", length=0)
    ax.set_ylim(0, max(max(bottom, default=0), 1) * 1.15)
    ax.grid(axis="y", color="#dde3ea", linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.spines["bottom"].set_color("#8a96a3")
    # The legend sits above the plot, never on the bars; the HTML carries the title.
    if classes:
        ax.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0), ncol=min(len(classes), 6),
                  fontsize=6.5, frameon=False, handlelength=1.0, columnspacing=1.2,
                  borderaxespad=0.3)  # fmt: skip
    else:
        ax.text(0.5, 0.5, "No launches recorded in these 24 months", transform=ax.transAxes,
                ha="center", va="center", fontsize=8, color="#5b6773")  # fmt: skip
    # Highlight the digest's month.
    ax.axvspan(len(months) - 1.5, len(months) - 0.5, color="#f3f6f9", zorder=-1)
    fig.tight_layout(pad=0.6)
    buffer = io.BytesIO()
    # No "Software" metadata: the same data gives byte-identical PNGs.
    fig.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


# -- files and the Atom feed ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DigestFiles:
    html: Path
    text: Path
    markdown: Path
    chart: Path
    atom: Path


@dataclass(frozen=True, slots=True)
class RenderedDigest:
    view: DigestView
    subject: str
    html_file: str  # references the chart file beside it
    html_mail: str  # references the chart by cid:
    text: str
    markdown: str
    markdown_artifact: str  # no picture: the Prefect UI cannot see our files
    chart_png: bytes
    chart_cid: str


def chart_cid(day: date) -> str:
    return f"chart-{day.isoformat()}@koreawatch"


def render_digest(data: DigestData, settings: DigestConfig) -> RenderedDigest:
    png = render_chart(data)
    cid = chart_cid(data.day)
    file_view = build_view(data, settings, chart_src=f"{data.day.isoformat()}.png")
    mail_view = build_view(data, settings, chart_src=f"cid:{cid}")
    bare_view = build_view(data, settings, chart_src=None)
    return RenderedDigest(
        view=file_view,
        subject=subject_for(file_view, data),
        html_file=render_html(file_view),
        html_mail=render_html(mail_view),
        text=render_text(bare_view),
        markdown=render_markdown(file_view),
        markdown_artifact=render_markdown(bare_view),
        chart_png=png,
        chart_cid=cid,
    )


def _write_atomic(path: Path, data: bytes) -> None:
    # Write beside, then rename: a reader (or the Atom feed) never sees half a file.
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


def write_files(
    rendered: RenderedDigest, day: date, out_dir: Path, settings: DigestConfig
) -> DigestFiles:
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = day.isoformat()
    files = DigestFiles(
        html=out_dir / f"{stem}.html",
        text=out_dir / f"{stem}.txt",
        markdown=out_dir / f"{stem}.md",
        chart=out_dir / f"{stem}.png",
        atom=out_dir / "digests.atom",
    )
    _write_atomic(files.chart, rendered.chart_png)
    _write_atomic(files.text, rendered.text.encode("utf-8"))
    _write_atomic(files.markdown, rendered.markdown.encode("utf-8"))
    _write_atomic(files.html, rendered.html_file.encode("utf-8"))
    _write_atomic(files.atom, build_atom(out_dir, settings).encode("utf-8"))
    return files


def _stable_id(*parts: str) -> str:
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, "koreawatch-digest:" + "|".join(parts)))


def _rfc3339(ts: datetime) -> str:
    return ts.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


_META_DESCRIPTION = re.compile(r'<meta name="description" content="([^"]*)">')
_TITLE = re.compile(r"<title>([^<]*)</title>")


def build_atom(out_dir: Path, settings: DigestConfig) -> str:
    """An Atom feed of the digests in ``out_dir``, newest first, rebuilt from the files.

    Ids are UUIDs derived from the site URL (else the title) and the day: the same digest keeps
    its id however often it is rewritten, so feed readers show an update, not a new entry.
    """
    days = sorted(
        (m.group(1) for p in out_dir.glob("*.html") if (m := _DAY_FILE.match(p.name))),
        reverse=True,
    )[:ATOM_ENTRIES]
    base = safe_url(settings.site_url.rstrip("/") + "/") if settings.site_url else None
    feed_key = base or clean(settings.title)
    ET.register_namespace("", ATOM_NS)

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", attrs)
        if text is not None:
            element.text = text
        return element

    feed = ET.Element(f"{{{ATOM_NS}}}feed")
    if base:
        feed.set("{http://www.w3.org/XML/1998/namespace}base", base)
    sub(feed, "id", _stable_id(feed_key))
    sub(feed, "title", clean(settings.title))
    sub(
        feed,
        "subtitle",
        "Daily digest of North Korean missile launches and the diplomacy around them",
    )
    author = sub(feed, "author")
    sub(author, "name", "koreawatch")
    sub(feed, "generator", "koreawatch")
    if base:
        sub(feed, "link", rel="self", href=base + "digests.atom", type="application/atom+xml")
        sub(feed, "link", rel="alternate", href=base, type="text/html")
    updated_at = []
    entries = []
    for day in days:
        path = out_dir / f"{day}.html"
        try:
            page = path.read_text(encoding="utf-8")
            mtime = datetime.fromtimestamp(path.stat().st_mtime, UTC)
        except OSError:
            continue  # removed while we read: the next run's feed will not list it either
        start, end = page.find(CONTENT_START), page.find(CONTENT_END)
        content = page[start + len(CONTENT_START) : end] if 0 <= start < end else page
        title = _TITLE.search(page)
        summary = _META_DESCRIPTION.search(page)
        updated_at.append(mtime)
        entries.append((day, mtime, content, title, summary))
    sub(feed, "updated", _rfc3339(max(updated_at, default=datetime(1970, 1, 1, tzinfo=UTC))))
    for day, mtime, content, title, summary in entries:
        entry = sub(feed, "entry")
        sub(entry, "id", _stable_id(feed_key, day))
        sub(
            entry,
            "title",
            html.unescape(title.group(1)) if title else f"{clean(settings.title)}, {day}",
        )
        sub(entry, "updated", _rfc3339(mtime))
        sub(entry, "link", rel="alternate", type="text/html", href=f"{day}.html")
        if summary:
            sub(entry, "summary", html.unescape(summary.group(1)))
        # type="html": the markup goes in escaped, which ElementTree does for us.
        sub(entry, "content", content.strip(), type="html")
    ET.indent(feed, space="  ")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


# -- delivery ---------------------------------------------------------------------------------


@dataclass
class DeliveryReport:
    sent: list[str] = field(default_factory=list)
    already_sent: list[str] = field(default_factory=list)
    skipped_failed: list[str] = field(default_factory=list)  # failed permanently on a past run
    failed_transient: list[tuple[str, str]] = field(default_factory=list)
    failed_permanent: list[tuple[str, str]] = field(default_factory=list)

    @property
    def failed(self) -> list[tuple[str, str]]:
        return self.failed_transient + self.failed_permanent

    def counts(self) -> dict[str, int]:
        return {
            "sent": len(self.sent),
            "already_sent": len(self.already_sent),
            "skipped_failed": len(self.skipped_failed),
            "failed_transient": len(self.failed_transient),
            "failed_permanent": len(self.failed_permanent),
        }


def _recipients(addresses: Iterable[str]) -> list[tuple[str, str]]:
    """(ledger key, address) pairs, de-duplicated case-insensitively, in config order."""
    seen: set[str] = set()
    out = []
    for address in addresses:
        key = address.strip().lower()
        if key and key not in seen:
            seen.add(key)
            out.append((key, address.strip()))
    return out


def deliver(
    wh: Warehouse,
    day: date,
    recipients: Sequence[str],
    compose: Callable[[str, str], Any],
    smtp: SmtpConfig,
    *,
    retry_failed: bool = False,
    retry_delays: Sequence[float] = DEFAULT_RETRY_DELAYS,
    sleep: Callable[[float], None] | None = None,
) -> DeliveryReport:
    """Send the day's digest to each recipient the ledger has not seen receive it.

    The caller holds the writer lock. Each outcome is written in its own transaction right after
    its SMTP transaction, so a crash loses at most the record of the message in flight.
    ``compose(address, message_id)`` builds that recipient's message.
    """
    report = DeliveryReport()
    with wh.transaction() as con:
        ledger = deliveries(con, day)
    kwargs: dict[str, Any] = {"delays": retry_delays}
    if sleep is not None:
        kwargs["sleep"] = sleep
    with SmtpSender(smtp) as sender:
        for key, address in _recipients(recipients):
            prior = ledger.get(key)
            if prior is not None and prior.status == "sent":
                report.already_sent.append(address)
                continue
            if prior is not None and prior.status == "failed_permanent" and not retry_failed:
                report.skipped_failed.append(address)
                continue
            message_id = make_message_id(f"digest|{day.isoformat()}|{key}", smtp.domain)
            outcome = send_with_retry(sender, compose(address, message_id), address, **kwargs)
            now = datetime.now(UTC)
            error = None if outcome.error is None else str(outcome.error)
            with wh.transaction() as con:
                record_delivery(
                    con,
                    LedgerRow(day, key, outcome.status, message_id, error,
                              now if outcome.status == "sent" else None),
                    outcome.attempts,
                    now,
                )  # fmt: skip
            if outcome.status == "sent":
                report.sent.append(address)
            elif outcome.status == "failed_permanent":
                report.failed_permanent.append((address, error or ""))
            else:
                report.failed_transient.append((address, error or ""))
                if outcome.server_down:
                    # The next recipient would meet the same closed door; stop and let the
                    # next run (the ledger knows who is left) finish the job.
                    raise ServerUnavailable(
                        f"SMTP server {smtp.host}:{smtp.port} unavailable after"
                        f" {_plural(outcome.attempts, 'attempt')} ({error}); sent to"
                        f" {len(report.sent)} recipient(s) this run, a re-run sends the rest"
                    )
    return report


# -- the whole run ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DigestResult:
    day: date
    files: DigestFiles
    quiet: bool
    subject: str
    markdown: str  # for the Prefect artifact
    delivery: DeliveryReport | None  # None: not asked to send

    def summary(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "day": self.day.isoformat(),
            "quiet": self.quiet,
            "files": [str(p) for p in (self.files.html, self.files.text, self.files.markdown,
                                       self.files.chart, self.files.atom)],
        }  # fmt: skip
        if self.delivery is not None:
            data["delivery"] = self.delivery.counts()
        return data


def run_digest(
    *,
    db_path: Path,
    config: Config,
    day: date | None = None,
    out_dir: Path | None = None,
    send: bool = False,
    retry_failed: bool = False,
    settings: Settings | None = None,
    smtp: SmtpConfig | None = None,
    retry_delays: Sequence[float] = DEFAULT_RETRY_DELAYS,
    lock_wait_s: float | None = None,
    now: datetime | None = None,
) -> DigestResult:
    """Write one day's digest files and, with ``send``, email it to each recipient once.

    ``day`` defaults to yesterday in ``config.digest.timezone``. Without ``send`` the warehouse
    is only read (no writer lock); with it the run holds the writer lock and records each
    delivery and the run itself (flow 'digest' in ``runs``).
    """
    settings = settings or load_settings()
    tz = ZoneInfo(config.digest.timezone)
    now = now or datetime.now(UTC)
    day = day or default_day(tz, now)
    out_dir = out_dir or settings.digest_dir
    wh = Warehouse(db_path, wait_s=settings.lock_wait_s if lock_wait_s is None else lock_wait_s)
    smtp_config: SmtpConfig | None = None
    if send:
        if not config.digest.recipients:
            where = config.source_path or "the config file"
            raise DigestError(
                f"--send needs recipients: add recipients = [...] under [digest] in {where}"
            )
        # Fail on incomplete settings before any work, not after the files are written.
        smtp_config = smtp or SmtpConfig.from_settings(settings)

    with wh.reader() as con:
        data = load_digest_data(con, day, tz, now)
    rendered = render_digest(data, config.digest)
    files = write_files(rendered, day, out_dir, config.digest)
    if not send:
        return DigestResult(
            day, files, data.quiet, rendered.subject, rendered.markdown_artifact, None
        )

    assert smtp_config is not None
    date_header = now.astimezone(tz)

    def compose(address: str, message_id: str) -> Any:
        return build_message(
            subject=rendered.subject,
            sender=smtp_config.sender,
            recipient=address,
            text=rendered.text,
            html=rendered.html_mail,
            images=[
                InlineImage(rendered.chart_cid, rendered.chart_png, "png", f"{day.isoformat()}.png")
            ],
            message_id=message_id,
            date=date_header,
        )

    run_id = uuid.uuid4().hex
    with wh.writer("digest"):
        with wh.transaction() as con:
            start_run(
                con,
                run_id,
                "digest",
                datetime.now(UTC),
                {"day": day.isoformat(), "retry_failed": retry_failed},
            )
        status, errors = "ok", []
        report = DeliveryReport()
        try:
            report = deliver(wh, day, config.digest.recipients, compose, smtp_config,
                             retry_failed=retry_failed, retry_delays=retry_delays)  # fmt: skip
        except BaseException as exc:
            status, errors = "failed", [f"{type(exc).__name__}: {exc}"]
            raise
        finally:
            errors += [f"{a}: {e}" for a, e in report.failed]
            if report.failed and status == "ok":
                status = "failed"
            with wh.transaction() as con:
                finish_run(con, run_id, datetime.now(UTC), status, report.counts(), errors)
    return DigestResult(
        day, files, data.quiet, rendered.subject, rendered.markdown_artifact, report
    )


def demo_digest(db_path: Path, out_dir: Path, config: Config | None = None) -> DigestResult | None:
    """The digest of the warehouse's latest event day (what ``koreawatch demo`` shows last).

    Returns None when the warehouse holds no dated event yet.
    """
    config = config or Config()
    with Warehouse(db_path).reader() as con:
        day = latest_event_day(con)
    if day is None:
        return None
    return run_digest(db_path=db_path, config=config, day=day, out_dir=out_dir)


def describe(result: DigestResult) -> list[str]:
    """Lines for a terminal or a log: where the files are and who got the mail."""
    lines = [
        f"digest for {result.day.isoformat()}: {result.files.html} (+ .txt .md .png), feed {result.files.atom}"
    ]
    if result.quiet:
        lines.append("a quiet day: no launches or diplomatic events reported")
    report = result.delivery
    if report is not None:
        lines.append(
            f"sent to {len(report.sent)}; already had it {len(report.already_sent)};"
            f" failed {len(report.failed)}; skipped after a permanent failure {len(report.skipped_failed)}"
        )
        lines += [f"not delivered to {a}: {e}" for a, e in report.failed]
        if report.skipped_failed:
            lines.append(
                "skipped (failed permanently before; --retry-failed tries again): "
                + ", ".join(report.skipped_failed)
            )
    return lines


class DigestDeliveryFailed(MailError):
    """Some recipients did not get the digest (the files were written)."""


@flow(name="digest", log_prints=True)
def digest(
    date: str | None = None,
    send: bool = False,
    db_path: str = "data/koreawatch.duckdb",
    config_path: str = "deploy/feeds.toml",
    out_dir: str | None = None,
    retry_failed: bool = False,
) -> dict[str, Any]:
    """Write the daily digest for one day (default: yesterday, Korea time) as HTML, text,
    Markdown and a chart, refresh the Atom feed of digests and, with send=True, email it to
    each configured recipient once. Re-running is safe: the delivery ledger skips everyone
    who already received that day's digest, and recipients whose address was refused (5xx)
    are retried only with retry_failed=True."""
    from flows.serve import warehouse_slot

    # Only sending writes the warehouse (the delivery ledger); writing files only reads it.
    slot = warehouse_slot("digest", 120.0, on_wait=print) if send else contextlib.nullcontext()
    with slot:
        result = run_digest(
            db_path=Path(db_path),
            config=load_config(Path(config_path)),
            day=parse_day(date) if date else None,
            out_dir=Path(out_dir) if out_dir else None,
            send=send,
            retry_failed=retry_failed,
        )
    create_markdown_artifact(
        result.markdown, key="daily-digest", description=f"koreawatch digest for {result.day}"
    )
    for line in describe(result):
        print(line)
    if result.delivery is not None and result.delivery.failed:
        raise DigestDeliveryFailed(
            f"digest not delivered to {len(result.delivery.failed)} recipient(s): "
            + "; ".join(f"{a} ({e})" for a, e in result.delivery.failed)
        )
    return result.summary()
