"""The sender port: one email out, or an error that says whether trying again can help."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from typing import Protocol


@dataclass(frozen=True)
class OutgoingEmail:
    delivery_id: uuid.UUID
    to: str
    subject: str
    text: str
    html: str
    headers: dict[str, str] = field(default_factory=dict)


class SendError(Exception):
    """Sending failed; `permanent` says retrying the same email cannot succeed (e.g. bad address)."""

    permanent: bool = False


class TransientSendError(SendError):
    permanent = False


class PermanentSendError(SendError):
    permanent = True


class EmailSender(Protocol):
    name: str

    def send(self, email: OutgoingEmail) -> str:
        """Send and return the provider's id for the message; raise a `SendError` subclass."""
        ...


def to_mime(email: OutgoingEmail, *, sender: str) -> EmailMessage:
    """A multipart/alternative message: plain text first, HTML second (RFC 2046 order)."""
    message = EmailMessage()
    domain = parseaddr(sender)[1].rpartition("@")[2] or "studyaid.local"
    message["From"] = sender
    message["To"] = email.to
    message["Subject"] = email.subject
    message["Date"] = format_datetime(datetime.now(UTC))
    message["Message-ID"] = make_msgid(idstring=email.delivery_id.hex, domain=domain)
    message["Auto-Submitted"] = "auto-generated"
    for name, value in email.headers.items():
        message[name] = value
    message.set_content(email.text)
    message.add_alternative(email.html, subtype="html")
    return message
