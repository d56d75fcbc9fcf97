"""The sender adapters' shared helper: an `OutgoingEmail` as a MIME message.

The port itself (`EmailSender`, `OutgoingEmail`, the `SendError`s) is in `shared.notify.contracts`:
the auth context sends its account mail through it too.
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr

from shared.notify.contracts import OutgoingEmail


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
