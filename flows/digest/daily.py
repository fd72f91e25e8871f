"""The daily digest, start to end: what North Korea launched, what was said and agreed, and the
record behind it.

    result = run_digest(db_path=Path("data/koreawatch.duckdb"), config=load_config(path),
                        day=date(2024, 11, 5), send=True)
    result.files.html, result.delivery

The steps are separate, typed functions: ``load_digest_data`` (warehouse.digest) →
``build_view`` (view, pure) → ``render_digest`` (render, chart) → ``write_files`` (files, atom) →
``deliver`` (delivery, with the ledger). Nothing here imports Prefect;
``flows.definitions.digest_flow`` is the Prefect face of ``run_digest``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from flows.adapters.mail import (
    DEFAULT_RETRY_DELAYS,
    InlineImage,
    MailError,
    SmtpConfig,
    build_message,
)
from flows.config import Config
from flows.digest.delivery import DeliveryReport, deliver
from flows.digest.files import DigestFiles, write_files
from flows.digest.render import render_digest
from flows.digest.view import default_day
from flows.runs import recorded_run, writing
from flows.settings import Settings, load_settings
from warehouse import Warehouse
from warehouse.digest import latest_event_day, load_digest_data


class DigestError(Exception):
    """A digest problem a user can fix (no recipients, a flag that needs another); one line."""


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

    report = DeliveryReport()
    parameters = {"day": day.isoformat(), "retry_failed": retry_failed}
    with writing(wh, "digest"), recorded_run(wh, "digest", parameters) as run:
        try:
            report = deliver(wh, day, config.digest.recipients, compose, smtp_config,
                             retry_failed=retry_failed, retry_delays=retry_delays)  # fmt: skip
        finally:
            run.counts = report.counts()
            run.errors += [f"{a}: {e}" for a, e in report.failed]
            run.failed = bool(report.failed)
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
