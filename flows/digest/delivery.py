"""Sending a day's digest to each recipient once: the delivery ledger in the warehouse says who
has it, and each outcome is written right after its SMTP transaction.

    report = deliver(wh, day, ["a@example.org"], compose, smtp)
    report.sent, report.failed_permanent
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from flows.adapters.mail import (
    DEFAULT_RETRY_DELAYS,
    ServerUnavailable,
    SmtpConfig,
    SmtpSender,
    make_message_id,
    send_with_retry,
)
from flows.digest.view import _plural
from warehouse import Warehouse
from warehouse.digest import Delivery as LedgerRow
from warehouse.digest import deliveries, record_delivery


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
