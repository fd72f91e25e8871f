"""Sending mail over SMTP: message building, one reused connection, retries that know which
errors pass and which do not.

    config = SmtpConfig.from_settings(load_settings())      # MailConfigError if incomplete
    message = build_message(subject=..., sender=config.sender, recipient="a@example.org",
                            text=text, html=html, images=[InlineImage("chart@kw", png)],
                            message_id=..., date=now)
    with SmtpSender(config) as smtp:
        outcome = send_with_retry(smtp, message, "a@example.org", delays=(1.0, 2.0, 4.0))

Errors fall in four kinds, because each asks for a different response:

- ``MailConfigError``: settings, login, TLS or a refused sender address. Every recipient would
  fail the same way, so the run stops and nothing is held against any recipient.
- server unavailable (connection refused, reset, timed out, 421): retried with backoff; if it
  persists the run stops (``ServerUnavailable``), since the next recipient would fare no better.
- a recipient's transient error (other 4xx): retried with backoff, then left for the next run.
- a recipient's permanent error (5xx): recorded; never retried unless asked.

Credentials: the password is a ``SecretStr`` read only at login; neither it nor the settings
object is ever formatted into a message or log line.
"""

from __future__ import annotations

import contextlib
import hashlib
import ipaddress
import smtplib
import socket
import ssl
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime
from types import TracebackType
from typing import Literal, Self

from pydantic import SecretStr

from extractors.vocabulary import DeliveryStatus
from flows.settings import Settings

Security = Literal["starttls", "tls", "none"]
SECURITIES: tuple[Security, ...] = ("starttls", "tls", "none")
# Delays before the 2nd, 3rd and 4th attempt: four attempts over ~7 s rides out a relay's
# restart or a greylisting 451 without holding the whole run for long.
DEFAULT_RETRY_DELAYS: tuple[float, ...] = (1.0, 2.0, 4.0)


class MailError(Exception):
    """A mail problem; the message is one line a user can act on."""


class MailConfigError(MailError):
    """Settings, login, TLS or sender problems: no recipient could be served."""


class ServerUnavailable(MailError):
    """The SMTP server could not be reached or kept closing the connection."""


@dataclass(frozen=True, slots=True)
class SmtpFailure:
    """One failed SMTP attempt, classified."""

    kind: Literal["server", "transient", "permanent"]
    code: int | None
    detail: str

    def __str__(self) -> str:
        return f"{self.code} {self.detail}" if self.code else self.detail


class _AttemptFailed(Exception):
    def __init__(self, failure: SmtpFailure) -> None:
        super().__init__(str(failure))
        self.failure = failure


@dataclass(frozen=True, slots=True)
class SmtpConfig:
    host: str
    port: int
    sender: str
    security: Security = "starttls"
    user: str | None = None
    password: SecretStr | None = field(default=None, repr=False)
    timeout_s: float = 30.0
    # Tests and private relays with their own CA pass a context; None means the system's
    # trust store with hostname checking (ssl.create_default_context).
    ssl_context: ssl.SSLContext | None = field(default=None, repr=False, compare=False)

    @classmethod
    def from_settings(cls, settings: Settings) -> SmtpConfig:
        """The SMTP settings from ``KOREAWATCH_SMTP_*``; MailConfigError names what is missing."""
        if not settings.smtp_host:
            raise MailConfigError("cannot send: set KOREAWATCH_SMTP_HOST (and _PORT, _FROM)")
        if not settings.smtp_from or "@" not in settings.smtp_from:
            raise MailConfigError(
                "cannot send: set KOREAWATCH_SMTP_FROM to the sender address (e.g. digest@example.org)"
            )
        security = settings.smtp_security.strip().lower()
        if security not in SECURITIES:
            raise MailConfigError(
                f"KOREAWATCH_SMTP_SECURITY must be starttls, tls or none, not {settings.smtp_security!r}"
            )
        if settings.smtp_password is not None and not settings.smtp_user:
            raise MailConfigError("KOREAWATCH_SMTP_PASSWORD is set but KOREAWATCH_SMTP_USER is not")
        return cls(
            host=settings.smtp_host,
            port=settings.smtp_port,
            sender=settings.smtp_from,
            security=security,  # narrowed to the Literal by the check above
            user=settings.smtp_user or None,
            password=settings.smtp_password,
            timeout_s=settings.smtp_timeout_s,
        )

    @property
    def domain(self) -> str:
        return self.sender.rsplit("@", 1)[1].strip("> ") or "localhost"


# -- the message ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class InlineImage:
    """A picture the HTML shows with ``<img src="cid:{cid}">``."""

    cid: str  # without angle brackets
    data: bytes
    subtype: str = "png"
    filename: str | None = None


def make_message_id(key: str, domain: str) -> str:
    """A Message-ID derived from ``key`` (e.g. digest day and recipient).

    Deterministic on purpose: if a run dies after the server accepted a message but before the
    ledger recorded it, the re-sent copy carries the same Message-ID, and mail stores that
    de-duplicate by it (Gmail does) show the reader one message. The key is hashed so the
    header does not reveal the recipient's address.
    """
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:24]
    return f"<koreawatch.{digest}@{domain}>"


def build_message(
    *,
    subject: str,
    sender: str,
    recipient: str,
    text: str,
    html: str,
    images: Sequence[InlineImage] = (),
    message_id: str,
    date: datetime,
) -> EmailMessage:
    """multipart/alternative: text/plain, then multipart/related (text/html + inline images)."""
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = sender
    message["To"] = recipient
    message["Date"] = format_datetime(date)
    message["Message-ID"] = message_id
    # RFC 3834: automatic mail; auto-responders (vacation replies) should not answer it.
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    # The HTML alternative becomes multipart/related once the images are added to it.
    html_part = next(p for p in message.iter_parts() if p.get_content_type() == "text/html")
    for image in images:
        html_part.add_related(
            image.data,
            maintype="image",
            subtype=image.subtype,
            cid=f"<{image.cid}>",
            disposition="inline",
            filename=image.filename,
        )
    return message


# -- the connection ---------------------------------------------------------------------------


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _reply(code: int, raw: bytes | str) -> str:
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
    return " ".join(text.split())[:300] or f"SMTP {code}"


def classify(exc: BaseException, recipient: str) -> SmtpFailure:
    """Sort an smtplib/socket error into server, transient (4xx) or permanent (5xx)."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        refused = {k.lower(): v for k, v in exc.recipients.items()}
        code, raw = refused.get(recipient.lower(), next(iter(exc.recipients.values())))
        exc = smtplib.SMTPResponseException(code, raw)
    if isinstance(exc, smtplib.SMTPConnectError | smtplib.SMTPHeloError):
        # A refused greeting or EHLO says nothing about the recipient: the server will not talk.
        return SmtpFailure("server", exc.smtp_code, _reply(exc.smtp_code, exc.smtp_error))
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        # e.g. a non-ASCII address the server cannot take (no SMTPUTF8): no retry will help.
        return SmtpFailure("permanent", None, f"not supported by the server: {exc}")
    if isinstance(exc, smtplib.SMTPResponseException):
        code, detail = exc.smtp_code, _reply(exc.smtp_code, exc.smtp_error)
        if code == 421 or code < 400:
            # 421: the server is closing the channel; odd codes (e.g. -1 from a broken
            # greeting) are a connection problem, not the recipient's.
            return SmtpFailure("server", code, detail)
        return SmtpFailure("transient" if code < 500 else "permanent", code, detail)
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return SmtpFailure(
            "server", None, f"server disconnected: {exc}" if str(exc) else "server disconnected"
        )
    if isinstance(exc, TimeoutError | socket.timeout):
        return SmtpFailure("server", None, "timed out")
    if isinstance(exc, ConnectionRefusedError):
        return SmtpFailure("server", None, "connection refused")
    if isinstance(exc, ConnectionError):
        return SmtpFailure("server", None, f"connection error: {exc.__class__.__name__}")
    if isinstance(exc, OSError):
        return SmtpFailure("server", None, f"network error: {exc.strerror or exc}")
    return SmtpFailure("server", None, f"{type(exc).__name__}: {exc}")


class SmtpSender:
    """One SMTP connection, opened on first use and reused for each recipient's transaction.

    After any failed transaction the connection is dropped, so a retry starts clean.
    """

    def __init__(self, config: SmtpConfig) -> None:
        self.config = config
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _context(self) -> ssl.SSLContext:
        return self.config.ssl_context or ssl.create_default_context()

    def _connect(self) -> smtplib.SMTP:
        cfg = self.config
        if cfg.user and cfg.security == "none" and not _is_loopback(cfg.host):
            # Checked before connecting: the password must never cross a network in clear.
            raise MailConfigError(
                f"refusing to send the SMTP password unencrypted to {cfg.host}; set"
                " KOREAWATCH_SMTP_SECURITY=starttls or tls"
            )
        smtp: smtplib.SMTP
        if cfg.security == "tls":
            smtp = smtplib.SMTP_SSL(
                cfg.host, cfg.port, timeout=cfg.timeout_s, context=self._context()
            )
        else:
            smtp = smtplib.SMTP(cfg.host, cfg.port, timeout=cfg.timeout_s)
        try:
            smtp.ehlo()
            if cfg.security == "starttls":
                if not smtp.has_extn("starttls"):
                    # Never fall back to plain text: the password and the mail would travel
                    # in clear over a network the settings said to protect.
                    raise MailConfigError(
                        f"{cfg.host}:{cfg.port} does not offer STARTTLS; use KOREAWATCH_SMTP_SECURITY=tls"
                        " for an implicit-TLS port (465) or =none for a local relay"
                    )
                smtp.starttls(context=self._context())
                smtp.ehlo()
            if cfg.user:
                password = cfg.password.get_secret_value() if cfg.password else ""
                try:
                    smtp.login(cfg.user, password)
                except smtplib.SMTPAuthenticationError as exc:
                    raise MailConfigError(
                        f"SMTP login as {cfg.user} refused by {cfg.host}: {_reply(exc.smtp_code, exc.smtp_error)}"
                    ) from None
                except smtplib.SMTPNotSupportedError:
                    raise MailConfigError(
                        f"{cfg.host}:{cfg.port} offers no login (AUTH); unset KOREAWATCH_SMTP_USER"
                    ) from None
        except BaseException:
            _close_quietly(smtp)
            raise
        return smtp

    def send(self, message: EmailMessage, recipient: str) -> None:
        """One SMTP transaction for one recipient; raises _AttemptFailed or MailConfigError."""
        try:
            if self._smtp is None:
                self._smtp = self._connect()
            self._smtp.send_message(message, from_addr=self.config.sender, to_addrs=[recipient])
        except MailConfigError:
            self.close()
            raise
        except ssl.SSLError as exc:
            self.close()
            raise MailConfigError(
                f"TLS with {self.config.host}:{self.config.port} failed: {exc.reason or exc}"
            ) from None
        except smtplib.SMTPSenderRefused as exc:
            self.close()
            if exc.smtp_code >= 500:
                raise MailConfigError(
                    f"the server refused the sender {self.config.sender}: {_reply(exc.smtp_code, exc.smtp_error)}"
                ) from None
            raise _AttemptFailed(classify(exc, recipient)) from None
        except (smtplib.SMTPException, OSError) as exc:
            self.close()
            raise _AttemptFailed(classify(exc, recipient)) from None

    def close(self) -> None:
        if self._smtp is not None:
            smtp, self._smtp = self._smtp, None
            try:
                smtp.quit()
            except (smtplib.SMTPException, OSError):
                _close_quietly(smtp)


def _close_quietly(smtp: smtplib.SMTP) -> None:
    with contextlib.suppress(OSError):
        smtp.close()


# -- retries ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SendOutcome:
    status: DeliveryStatus
    attempts: int
    error: SmtpFailure | None = None

    @property
    def server_down(self) -> bool:
        return self.error is not None and self.error.kind == "server"


def send_with_retry(
    sender: SmtpSender,
    message: EmailMessage,
    recipient: str,
    *,
    delays: Sequence[float] = DEFAULT_RETRY_DELAYS,
    sleep: Callable[[float], None] = time.sleep,
) -> SendOutcome:
    """Send, retrying transient and server errors after each of ``delays``; 5xx is final."""
    attempts = 0
    last: SmtpFailure | None = None
    for delay in (0.0, *delays):
        if delay:
            sleep(delay)
        attempts += 1
        try:
            sender.send(message, recipient)
        except _AttemptFailed as exc:
            last = exc.failure
            if last.kind == "permanent":
                return SendOutcome("failed_permanent", attempts, last)
            continue
        return SendOutcome("sent", attempts)
    return SendOutcome("failed_transient", attempts, last)
