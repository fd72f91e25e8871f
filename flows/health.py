"""Is the pipeline healthy? What ``koreawatch status --check`` answers, for cron, systemd or a
load balancer, and the next scheduled runs ``koreawatch status`` shows when a server answers.

    expected = expectations(Path("deploy/prefect.yaml"), load_config(config_path))
    problems = health_problems(report, expected, now, deliveries)   # [] when healthy

The schedules come from the deployments file, the one definition of what runs when: the ingest
is late when its last good run is older than twice its schedule (every 15 minutes by default),
and the digest is missed when the day it should have sent by now (plus an hour's grace) did not
reach every recipient. No Prefect import: the next runs are read from the server's REST API.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from urllib.error import URLError
from urllib.request import Request, urlopen
from zoneinfo import ZoneInfo

from cronsim import CronSim

from flows.config import Config
from flows.serve import DeploymentFileError, ScheduleSpec, load_specs
from warehouse.status import StatusReport

DEFAULT_INGEST_EVERY = timedelta(minutes=15)
FEED_FAILING_FOR = timedelta(hours=24)
DIGEST_GRACE = timedelta(hours=1)  # the digest's own run and its SMTP retries


@dataclass(frozen=True)
class Expectations:
    ingest_every: timedelta
    ingest_schedule: str  # where the figure comes from, for the message
    digest_cron: tuple[str, str] | None  # (cron, time zone) of the digest deployment
    recipients: tuple[str, ...]
    digest_timezone: str
    unreadable: str | None = None  # a deployments file that exists but cannot be read


def _every(schedule: ScheduleSpec, now: datetime) -> timedelta:
    """The gap between the two latest fires of a schedule (its period, for a regular cron)."""
    if schedule.interval_s is not None:
        return timedelta(seconds=schedule.interval_s)
    assert schedule.cron is not None
    fires = CronSim(schedule.cron, now.astimezone(ZoneInfo(schedule.timezone or "UTC")), True)
    latest = next(fires)
    return latest - next(fires)


def expectations(prefect_file: Path, config: Config | None, now: datetime) -> Expectations:
    """What the deployments file and the config say should have happened."""
    unreadable = None
    try:
        specs = {s.name: s for s in load_specs(prefect_file)}
    except DeploymentFileError as exc:
        specs = {}  # no deployments file: the default schedule, and no digest is expected
        if prefect_file.exists():  # a broken one would switch the checks off unseen
            unreadable = f"cannot read the schedules, so they are not checked: {exc}"
    ingest = [s for s in specs["ingest"].schedules if s.active] if "ingest" in specs else []
    every, said = DEFAULT_INGEST_EVERY, "every 15 min (the default)"
    if ingest:
        every = min(_every(s, now) for s in ingest)
        said = f"every {_minutes(every)} in {prefect_file}"
    digest = [s for s in specs["digest"].schedules if s.active] if "digest" in specs else []
    cron = next(((s.cron, s.timezone or "UTC") for s in digest if s.cron), None)
    return Expectations(
        every, said, cron,
        tuple(config.digest.recipients) if config else (),
        config.digest.timezone if config else "Asia/Seoul", unreadable,
    )  # fmt: skip


def _minutes(span: timedelta) -> str:
    seconds = span.total_seconds()
    if seconds < 3600:
        return f"{seconds / 60:.0f} min"
    if seconds < 172800:
        return f"{seconds / 3600:.0f} h"
    return f"{seconds / 86400:.0f} days"


def digest_day_due(expected: Expectations, now: datetime) -> tuple[date, datetime] | None:
    """The digest day that should have been sent by now, and when it was due."""
    if expected.digest_cron is None or not expected.recipients:
        return None
    cron, zone = expected.digest_cron
    due = next(CronSim(cron, (now - DIGEST_GRACE).astimezone(ZoneInfo(zone)), True))
    # The scheduled digest is for yesterday in the digest's time zone, as of when it fires.
    return due.astimezone(ZoneInfo(expected.digest_timezone)).date() - timedelta(days=1), due


def health_problems(
    report: StatusReport,
    expected: Expectations,
    now: datetime,
    last_ok_ingest: datetime | None,
    deliveries: Callable[[date], dict[str, tuple[str, str | None]]],
) -> list[str]:
    """Each reason the pipeline is unhealthy, one line each; empty when it is healthy."""
    problems: list[str] = [expected.unreadable] if expected.unreadable else []
    ingest = report.last_runs.get("ingest")
    if ingest is None:
        problems.append("no ingest has run yet")
    else:
        if last_ok_ingest is None:
            problems.append("no ingest has ended well yet")
        elif now - last_ok_ingest > 2 * expected.ingest_every:
            problems.append(
                f"last good ingest {_minutes(now - last_ok_ingest)} ago; the schedule is"
                f" {expected.ingest_schedule}"
            )
        if ingest.status == "failed":
            first = ingest.errors[-1] if ingest.errors else "no message"
            problems.append(f"last ingest failed: {first}")
    for run in report.running:
        if run.status == "stale":
            problems.append(
                f"{run.flow} run {run.run_id} is stale: its process is gone but it is still"
                f" 'running' (started {_minutes(now - run.started_at)} ago)"
            )
    for run in report.killed_unrecovered:
        problems.append(
            f"{run.flow} run {run.run_id} was killed {_minutes(now - run.started_at)} ago and"
            f" no {run.flow} run has ended well since"
        )
    for feed in report.failing_feeds:
        since = feed.last_ok_at or report.first_ingest_at
        if since is not None and now - since > FEED_FAILING_FOR:
            what = "last answered" if feed.last_ok_at else "never answered; first ingest"
            problems.append(
                f"feed {feed.name!r} has failed for over 24 h ({what} {_minutes(now - since)}"
                f" ago): {feed.last_error or feed.status}"
            )
    due = digest_day_due(expected, now)
    started = report.first_ingest_at
    if due is not None and started is not None and started < due[1]:
        day, _ = due
        got = deliveries(day)
        missing = [
            f"{r} ({got[r][0]}: {got[r][1] or 'no message'})" if r in got else f"{r} (not tried)"
            for r in (r.lower() for r in expected.recipients)
            if got.get(r, ("",))[0] != "sent"
        ]
        if missing:
            problems.append(f"the digest for {day} was not sent to {', '.join(missing)}")
    return problems


# -- the next scheduled runs, from a Prefect server ----------------------------------------------


@dataclass(frozen=True)
class NextRun:
    deployment: str  # "ingest/ingest"
    expected_at: datetime | None  # None: nothing scheduled


def _post(api_url: str, path: str, body: dict[str, object]) -> object:
    request = Request(
        api_url.rstrip("/") + path, data=json.dumps(body).encode(), method="POST",
        headers={"Content-Type": "application/json"},
    )  # fmt: skip
    with urlopen(request, timeout=5) as response:
        return json.loads(response.read())


def next_runs(api_url: str) -> list[NextRun]:
    """The next scheduled run of each deployment on the server (empty if it cannot tell)."""
    try:
        deployments = _post(api_url, "/deployments/filter", {"sort": "NAME_ASC"})
        flows = _post(api_url, "/flows/filter", {})
        assert isinstance(deployments, list) and isinstance(flows, list)
        flow_names = {f["id"]: f["name"] for f in flows}
        found = []
        for deployment in deployments:
            runs = _post(api_url, "/flow_runs/filter", {
                "deployments": {"id": {"any_": [deployment["id"]]}},
                "flow_runs": {"state": {"type": {"any_": ["SCHEDULED"]}}},
                "sort": "EXPECTED_START_TIME_ASC", "limit": 1,
            })  # fmt: skip
            assert isinstance(runs, list)
            when = datetime.fromisoformat(runs[0]["expected_start_time"]) if runs else None
            name = f"{flow_names.get(deployment['flow_id'], '?')}/{deployment['name']}"
            found.append(NextRun(name, when))
    except (URLError, OSError, ValueError, KeyError, TypeError, AssertionError):
        return []
    return found
