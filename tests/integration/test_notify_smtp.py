"""The SMTP adapter against a real SMTP server on loopback: STARTTLS, AUTH, both parts, reply codes."""

from __future__ import annotations

import ssl
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import SecretStr

from shared.notify.adapters.smtp import SmtpConfig, SmtpSender
from shared.notify.contracts import OutgoingEmail, PermanentSendError, TransientSendError
from tests.support.notify_smtp import PASSWORD, USER, SmtpServer, smtp_server
from tests.support.services import free_port

pytestmark = pytest.mark.integration


@pytest.fixture
def server(tmp_path: Path) -> Iterator[SmtpServer]:
    with smtp_server(tmp_path) as running:
        yield running


def sender_for(server: SmtpServer, *, password: str = PASSWORD, port: int | None = None) -> SmtpSender:
    config = SmtpConfig(
        host="127.0.0.1",
        port=port or server.port,
        sender="Study Aid <no-reply@studyaid.example>",
        user=USER,
        password=SecretStr(password),
        timeout_s=5,
    )
    return SmtpSender(config, tls_context=ssl.create_default_context(cafile=str(server.ca_file)))


def email(to: str = "student@example.edu") -> OutgoingEmail:
    return OutgoingEmail(
        delivery_id=uuid.uuid4(),
        to=to,
        subject="Reminder: Essay 2 is due in 24 hours",
        text="Essay 2 is due.\n",
        html="<p>Essay 2 is due.</p>",
        headers={"X-Studyaid-Delivery": "d-1"},
    )


def test_message_arrives_over_starttls_with_auth_headers_and_both_parts(server: SmtpServer) -> None:
    sent = email()
    provider_id = sender_for(server).send(sent)
    [got] = server.handler.received
    assert got.tls and got.login == USER
    assert got.rcpt_tos == ["student@example.edu"]
    assert got.mail_from == "no-reply@studyaid.example"
    message = got.message
    assert message["Subject"] == sent.subject
    assert message["From"] == "Study Aid <no-reply@studyaid.example>"
    assert message["To"] == "student@example.edu"
    assert message["Message-ID"] == provider_id
    assert message["X-Studyaid-Delivery"] == "d-1"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message.get_content_type() == "multipart/alternative"
    plain = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert plain is not None and plain.get_content().splitlines() == ["Essay 2 is due."]
    assert html is not None and "<p>Essay 2 is due.</p>" in html.get_content()


def test_unknown_mailbox_is_permanent(server: SmtpServer) -> None:
    with pytest.raises(PermanentSendError, match="550"):
        sender_for(server).send(email("nobody@example.edu"))
    assert server.handler.received == []


def test_deferral_is_transient(server: SmtpServer) -> None:
    server.handler.deferrals["busy@example.edu"] = 1
    with pytest.raises(TransientSendError, match="451"):
        sender_for(server).send(email("busy@example.edu"))
    sender_for(server).send(email("busy@example.edu"))
    assert len(server.handler.received) == 1


def test_wrong_password_and_no_server_are_transient(server: SmtpServer) -> None:
    with pytest.raises(TransientSendError, match="login refused"):
        sender_for(server, password="wrong-password").send(email())
    with pytest.raises(TransientSendError, match="failed"):
        sender_for(server, port=free_port()).send(email())


def test_untrusted_certificate_is_refused_not_ignored(server: SmtpServer) -> None:
    config = sender_for(server).config
    with pytest.raises(TransientSendError, match="CERTIFICATE_VERIFY_FAILED"):
        SmtpSender(config, tls_context=ssl.create_default_context()).send(email())
