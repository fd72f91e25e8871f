"""Sending the digest to a real SMTP server (aiosmtpd on 127.0.0.1): the message as a mail client
sees it, the delivery ledger across runs, retries, permanent refusals, TLS and login."""

from __future__ import annotations

import datetime as dt
import email
import ipaddress
import socket
import ssl
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from flows.adapters.mail import MailConfigError, ServerUnavailable, SmtpConfig, SmtpSender
from flows.config import Config, DigestConfig
from flows.digest import DigestResult, run_digest
from tests.support.cli import invoke, said
from tests.support.scenario import DAY, XSS_TITLE, settings_for
from warehouse import Warehouse

FAST = (0.05, 0.05, 0.05)  # the backoff, shortened: the real default is 1 s, 2 s, 4 s
SENDER = "digest@koreawatch.test"
ALICE, BOB = "alice@analysts.test", "bob@analysts.test"


@dataclass
class Mailbox:
    """An aiosmtpd handler that keeps what it accepts and can be told to refuse."""

    messages: list[tuple[list[str], bytes]] = field(default_factory=list)
    data_replies: list[str] = field(default_factory=list)  # replies to DATA before accepting
    rcpt_replies: dict[str, str] = field(default_factory=dict)  # address -> reply to RCPT
    data_attempts: int = 0

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:  # fmt: skip
        if address in self.rcpt_replies:
            return self.rcpt_replies[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.data_attempts += 1
        if self.data_replies:
            return self.data_replies.pop(0)
        self.messages.append((list(envelope.rcpt_tos), bytes(envelope.content)))
        return "250 Message accepted for delivery"

    def parsed(self) -> list[EmailMessage]:
        out = []
        for _, raw in self.messages:
            message = email.message_from_bytes(raw, policy=policy.default)
            assert isinstance(message, EmailMessage)
            out.append(message)
        return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture
def smtp_server() -> Iterator[tuple[Mailbox, int]]:
    box = Mailbox()
    port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield box, port
    finally:
        controller.stop()


@pytest.fixture
def db(scenario: Path) -> Path:
    return scenario


def send(
    db: Path,
    tmp_path: Path,
    port: int,
    recipients: list[str],
    *,
    smtp: SmtpConfig | None = None,
    **kwargs: Any,
) -> DigestResult:
    settings = settings_for(
        tmp_path, smtp_host="127.0.0.1", smtp_port=port, smtp_from=SENDER, smtp_security="none",
        smtp_timeout_s=5,
    )  # fmt: skip
    return run_digest(
        db_path=db,
        config=Config(digest=DigestConfig(recipients=recipients)),
        day=DAY,
        out_dir=tmp_path / "digests",
        send=True,
        settings=settings,
        smtp=smtp,
        retry_delays=FAST,
        now=dt.datetime(2023, 7, 12, 22, 0, tzinfo=dt.UTC),
        **kwargs,
    )


def ledger(db: Path) -> dict[str, tuple[str, int, str | None]]:
    with Warehouse(db).reader() as con:
        rows = con.execute(
            "SELECT recipient, status, attempts, last_error FROM digest_deliveries WHERE digest_date = ?",
            [DAY],
        ).fetchall()
    return {r[0]: (r[1], r[2], r[3]) for r in rows}


# -- the message -------------------------------------------------------------------------------


def test_message_parts_and_headers(
    db: Path, tmp_path: Path, smtp_server: tuple[Mailbox, int]
) -> None:
    box, port = smtp_server
    result = send(db, tmp_path, port, [ALICE])
    assert result.delivery is not None
    assert result.delivery.sent == [ALICE]
    (message,) = box.parsed()
    assert box.messages[0][0] == [ALICE]

    assert message["From"] == SENDER
    assert message["To"] == ALICE
    assert message["Subject"].startswith(
        "koreawatch daily digest, Wed 12 Jul 2023: 1 missile launch"
    )
    assert message["Message-ID"].startswith("<koreawatch.")
    assert message["Message-ID"].endswith("@koreawatch.test>")
    sent_at = message["Date"].datetime
    assert sent_at == dt.datetime(2023, 7, 12, 22, 0, tzinfo=dt.UTC)
    assert sent_at.utcoffset() == dt.timedelta(hours=9)  # written in the digest's time zone
    assert message["Auto-Submitted"] == "auto-generated"

    # multipart/alternative > text/plain, multipart/related > (text/html, image/png)
    assert message.get_content_type() == "multipart/alternative"
    plain, related = message.iter_parts()
    assert plain.get_content_type() == "text/plain"
    assert related.get_content_type() == "multipart/related"
    html_part, image = related.iter_parts()
    assert html_part.get_content_type() == "text/html"
    assert image.get_content_type() == "image/png"
    assert image.get_content_disposition() == "inline"
    png = image.get_content()
    assert isinstance(png, bytes)
    assert png.startswith(b"\x89PNG")

    # The HTML's cid: reference resolves to the image's Content-ID.
    html = html_part.get_content()
    cid = image["Content-ID"].strip("<>")
    assert f'src="cid:{cid}"' in html
    assert 'src="http' not in html

    text = plain.get_content()
    for body in (text, html):
        assert "ICBM" in body
        assert "Pyongyang" in body
        assert "Summit" in body
        assert "1,000 km" in body
        assert "950 km" in body  # the sources' figures side by side
    assert XSS_TITLE in text
    assert "<script" not in html.lower()
    assert "&lt;script&gt;" in html


# -- the ledger --------------------------------------------------------------------------------


def test_two_runs_send_one_message_per_recipient(
    db: Path, tmp_path: Path, smtp_server: tuple[Mailbox, int]
) -> None:
    box, port = smtp_server
    first = send(db, tmp_path, port, [ALICE, BOB, "Alice@Analysts.test"])  # same address twice
    assert first.delivery is not None
    assert sorted(first.delivery.sent) == [ALICE, BOB]
    second = send(db, tmp_path, port, [ALICE, BOB])
    assert second.delivery is not None
    assert second.delivery.sent == []
    assert sorted(second.delivery.already_sent) == [ALICE, BOB]
    assert sorted(rcpts for rcpts, _ in box.messages) == [[ALICE], [BOB]]
    assert ledger(db) == {ALICE: ("sent", 1, None), BOB: ("sent", 1, None)}
    # A recipient added later gets the digest on the next run; the others do not again.
    third = send(db, tmp_path, port, [ALICE, BOB, "carol@analysts.test"])
    assert third.delivery is not None
    assert third.delivery.sent == ["carol@analysts.test"]
    assert len(box.messages) == 3
    with Warehouse(db).reader() as con:
        runs = con.execute(
            "SELECT status, counts->>'sent' FROM runs WHERE flow = 'digest' ORDER BY started_at"
        ).fetchall()
    assert runs == [("ok", "2"), ("ok", "0"), ("ok", "1")]


@pytest.mark.parametrize(
    "reply",
    [
        "421 4.3.2 Service shutting down, try again later",
        "451 4.7.1 Greylisted, please try again",
    ],
)
def test_transient_refusal_is_retried_and_delivered_once(
    db: Path, tmp_path: Path, smtp_server: tuple[Mailbox, int], reply: str
) -> None:
    box, port = smtp_server
    box.data_replies = [reply, reply]  # refuse twice, then accept
    result = send(db, tmp_path, port, [ALICE])
    assert result.delivery is not None
    assert result.delivery.sent == [ALICE]
    assert box.data_attempts == 3
    assert len(box.messages) == 1
    assert ledger(db)[ALICE] == ("sent", 3, None)
    send(db, tmp_path, port, [ALICE])
    assert len(box.messages) == 1


def test_transient_refusal_that_persists_is_left_for_the_next_run(
    db: Path, tmp_path: Path, smtp_server: tuple[Mailbox, int]
) -> None:
    box, port = smtp_server
    box.data_replies = ["451 4.3.0 Mailbox busy"] * 4
    result = send(db, tmp_path, port, [ALICE])
    assert result.delivery is not None
    assert [a for a, _ in result.delivery.failed_transient] == [ALICE]
    status, attempts, error = ledger(db)[ALICE]
    assert (status, attempts) == ("failed_transient", 4)
    assert error
    assert "451" in error
    again = send(db, tmp_path, port, [ALICE])  # the server has recovered
    assert again.delivery is not None
    assert again.delivery.sent == [ALICE]
    assert ledger(db)[ALICE] == ("sent", 5, None)


def test_permanent_refusal_is_recorded_and_not_retried(
    db: Path, tmp_path: Path, smtp_server: tuple[Mailbox, int]
) -> None:
    box, port = smtp_server
    box.rcpt_replies[BOB] = "550 5.1.1 No such user here"
    result = send(db, tmp_path, port, [BOB, ALICE])
    assert result.delivery is not None
    assert result.delivery.sent == [ALICE]
    assert [a for a, _ in result.delivery.failed_permanent] == [BOB]
    status, attempts, error = ledger(db)[BOB]
    assert (status, attempts) == ("failed_permanent", 1)
    assert error is not None
    assert "550" in error
    assert "No such user" in error

    later = send(db, tmp_path, port, [BOB, ALICE])
    assert later.delivery is not None
    assert later.delivery.skipped_failed == [BOB]
    assert ledger(db)[BOB][1] == 1  # not tried again

    del box.rcpt_replies[BOB]  # the address was fixed; the operator forces a retry
    forced = send(db, tmp_path, port, [BOB, ALICE], retry_failed=True)
    assert forced.delivery is not None
    assert forced.delivery.sent == [BOB]
    assert ledger(db)[BOB][:2] == ("sent", 2)
    assert sorted(rcpts for rcpts, _ in box.messages) == [[ALICE], [BOB]]


def test_server_down_stops_the_run_and_the_next_run_finishes(
    db: Path, tmp_path: Path, smtp_server: tuple[Mailbox, int]
) -> None:
    closed = free_port()  # nothing listens here: connection refused
    with pytest.raises(ServerUnavailable, match="connection refused"):
        send(db, tmp_path, closed, [ALICE, BOB])
    # Tried the first recipient (4 attempts), then stopped rather than hammer a dead server.
    assert ledger(db) == {ALICE: ("failed_transient", 4, "connection refused")}
    assert (tmp_path / "digests" / "2023-07-12.html").exists()  # the files were written
    _box, port = smtp_server
    result = send(db, tmp_path, port, [ALICE, BOB])
    assert result.delivery is not None
    assert sorted(result.delivery.sent) == [ALICE, BOB]
    with Warehouse(db).reader() as con:
        statuses = con.execute(
            "SELECT status FROM runs WHERE flow = 'digest' ORDER BY started_at"
        ).fetchall()
    assert statuses == [("failed",), ("ok",)]


# -- settings, TLS and login -------------------------------------------------------------------


def test_incomplete_settings_fail_before_any_work(db: Path, tmp_path: Path) -> None:
    settings = settings_for(tmp_path)  # no KOREAWATCH_SMTP_HOST
    with pytest.raises(MailConfigError, match="KOREAWATCH_SMTP_HOST"):
        run_digest(db_path=db, config=Config(digest=DigestConfig(recipients=[ALICE])), day=DAY,
                   out_dir=tmp_path / "d", send=True, settings=settings)  # fmt: skip
    assert not (tmp_path / "d").exists()


def test_starttls_is_required_when_asked_for(
    db: Path, tmp_path: Path, smtp_server: tuple[Mailbox, int]
) -> None:
    box, port = smtp_server
    smtp = SmtpConfig(host="127.0.0.1", port=port, sender=SENDER, security="starttls", timeout_s=5)
    with pytest.raises(MailConfigError, match="does not offer STARTTLS"):
        send(db, tmp_path, port, [ALICE], smtp=smtp)
    assert box.messages == []
    assert ledger(db) == {}  # nothing held against the recipient


def _self_signed(tmp_path: Path) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )  # fmt: skip
    cert_path, key_path = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def _authenticator(
    server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
        b"kw",
        b"s3cret-pw",
    )
    return AuthResult(success=ok, handled=False)  # handled=False: aiosmtpd sends the 235/535


@pytest.mark.parametrize("security", ["starttls", "tls"])
def test_tls_with_login(db: Path, tmp_path: Path, security: str) -> None:
    from pydantic import SecretStr

    cert, key = _self_signed(tmp_path)
    server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_ctx.load_cert_chain(cert, key)
    client_ctx = ssl.create_default_context(cafile=str(cert))  # verifies the name: 127.0.0.1
    box = Mailbox()
    port = free_port()
    kwargs: dict[str, Any] = {"authenticator": _authenticator, "auth_required": True}
    if security == "starttls":
        kwargs |= {"tls_context": server_ctx, "require_starttls": True}
    else:
        # aiosmtpd counts only STARTTLS as TLS for AUTH; this connection is TLS from the start.
        # (auth_required=False avoids aiosmtpd's warning about AUTH without TLS; we log in anyway.)
        kwargs |= {"ssl_context": server_ctx, "auth_require_tls": False, "auth_required": False}
    controller = Controller(box, hostname="127.0.0.1", port=port, **kwargs)
    controller.start()
    try:
        smtp = SmtpConfig(host="127.0.0.1", port=port, sender=SENDER, security=security,  # type: ignore[arg-type]
                          user="kw", password=SecretStr("s3cret-pw"), timeout_s=5,
                          ssl_context=client_ctx)  # fmt: skip
        result = send(db, tmp_path, port, [ALICE], smtp=smtp)
        assert result.delivery is not None
        assert result.delivery.sent == [ALICE]
        assert len(box.messages) == 1

        wrong = SmtpConfig(host="127.0.0.1", port=port, sender=SENDER, security=security,  # type: ignore[arg-type]
                           user="kw", password=SecretStr("wrong-pw"), timeout_s=5,
                           ssl_context=client_ctx)  # fmt: skip
        with pytest.raises(MailConfigError, match="SMTP login as kw refused") as caught:
            send(db, tmp_path, port, [BOB], smtp=wrong)
        assert "wrong-pw" not in str(caught.value)
        assert "wrong-pw" not in repr(wrong)
        assert "s3cret" not in repr(smtp)
    finally:
        controller.stop()


def test_password_is_never_sent_in_clear_to_a_remote_host() -> None:
    from pydantic import SecretStr

    # The check comes before any connection, so no packet leaves for this (TEST-NET) address.
    smtp = SmtpConfig(host="192.0.2.1", port=25, sender=SENDER, security="none", user="kw",
                      password=SecretStr("pw"), timeout_s=0.5)  # fmt: skip
    with (
        SmtpSender(smtp) as sender,
        pytest.raises(MailConfigError, match=r"unencrypted to 192\.0\.2\.1"),
    ):
        sender._connect()


def test_settings_come_from_the_environment(
    db: Path, tmp_path: Path, smtp_server: tuple[Mailbox, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    box, port = smtp_server
    for name, value in {
        "KOREAWATCH_SMTP_HOST": "127.0.0.1",
        "KOREAWATCH_SMTP_PORT": str(port),
        "KOREAWATCH_SMTP_FROM": SENDER,
        "KOREAWATCH_SMTP_SECURITY": "none",
        "KOREAWATCH_SMTP_PASSWORD": "never-printed",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("KOREAWATCH_SMTP_USER", raising=False)
    config = tmp_path / "feeds.toml"
    config.write_text(f'[digest]\nrecipients = ["{ALICE}"]\n', encoding="utf-8")
    args = ["digest", "--date", "2023-07-12", "--send", "--db", str(db), "--config", str(config),
            "--out", str(tmp_path / "out")]  # fmt: skip
    # A password without a user is a settings mistake, reported without the password.
    result = invoke(*args)
    assert result.exit_code == 1
    assert said(result) == [
        "error: KOREAWATCH_SMTP_PASSWORD is set but KOREAWATCH_SMTP_USER is not"
    ]
    assert "never-printed" not in result.output
    monkeypatch.delenv("KOREAWATCH_SMTP_PASSWORD")
    result = invoke(*args)
    assert result.exit_code == 0, result.stderr
    assert "sent to 1;" in result.stdout
    assert len(box.messages) == 1
