"""The two emails the auth context sends: verify your address, reset your password.

Subjects are fixed text. The only user-controlled value in either email is the recipient, so
nothing a user types can reach a header (and `OutgoingEmail` headers are built by the stdlib,
which refuses CR/LF in a header value).
"""

from __future__ import annotations

import logging
import uuid
from html import escape

from shared.notify.contracts import Content, EmailSender, OutgoingEmail, SendError

logger = logging.getLogger(__name__)

VERIFY_PATH = "/verify-email"
RESET_PATH = "/reset-password"


class AccountMail:
    """`AccountMailer` over an email sender; the links point at `base_url`."""

    def __init__(self, *, sender: EmailSender, base_url: str) -> None:
        self._sender = sender
        self._base_url = base_url.rstrip("/")

    def send_verification(self, *, to: str, token: str) -> None:
        content = Content(
            subject="Confirm your email address for Study Aid",
            lines=["Confirm that this is your address, so Study Aid may send you reminders.",
                   "The link works once and expires in a day. If you did not sign up, ignore this email."],
            link=self._link(VERIFY_PATH, token), link_label="Confirm my address",
        )  # fmt: skip
        self._send(to=to, content=content, purpose="verification")

    def send_password_reset(self, *, to: str, token: str, minutes: int) -> None:
        content = Content(
            subject="Reset your Study Aid password",
            lines=[f"Someone asked to reset the password of this account. The link works once, for {minutes} minutes.",
                   "If it was not you, ignore this email: your password stays as it is."],
            link=self._link(RESET_PATH, token), link_label="Choose a new password",
        )  # fmt: skip
        self._send(to=to, content=content, purpose="password-reset")

    def _link(self, path: str, token: str) -> str:
        # The token rides in the fragment: browsers never send it to a server or in a Referer.
        return f"{self._base_url}{path}#token={token}"

    def _send(self, *, to: str, content: Content, purpose: str) -> None:
        lines = [*content.lines, "", f"{content.link_label}: {content.link}"]
        paragraphs = "".join(f"<p>{escape(line)}</p>" for line in content.lines)
        link = f'<p><a href="{escape(content.link, quote=True)}">{escape(content.link_label)}</a></p>'
        email = OutgoingEmail(
            delivery_id=uuid.uuid4(), to=to, subject=content.subject, text="\n".join(lines) + "\n",
            html=f"<!doctype html><html><body>{paragraphs}{link}</body></html>",
            headers={"X-Studyaid-Purpose": purpose},
        )  # fmt: skip
        try:
            self._sender.send(email)
        except SendError:  # the user can ask again; a failed send must not fail the request that caused it
            logger.exception("the %s email could not be sent", purpose)
