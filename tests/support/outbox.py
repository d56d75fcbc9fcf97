"""Reading what the outbox sender wrote: the emails to one address, and the token in a link."""

from __future__ import annotations

import email
import re
from email.message import EmailMessage
from email.policy import default
from pathlib import Path


def mails_to(folder: Path, address: str) -> list[EmailMessage]:
    found = []
    for path in sorted(folder.glob("*.eml"), key=lambda p: p.stat().st_mtime_ns):
        message = email.message_from_bytes(path.read_bytes(), policy=default)
        assert isinstance(message, EmailMessage)
        if str(message["To"]).casefold() == address.casefold():
            found.append(message)
    return found


def token_in(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    match = re.search(r"#token=([\w-]+)", part.get_content())
    assert match is not None, "no token link in the email"
    return match.group(1)
