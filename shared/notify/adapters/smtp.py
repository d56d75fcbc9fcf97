"""SMTP sender: STARTTLS, optional AUTH, timeouts; SMTP reply codes decide permanent or not."""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass

from pydantic import SecretStr

from shared.notify.adapters import to_mime
from shared.notify.contracts import OutgoingEmail, PermanentSendError, SendError, TransientSendError


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    sender: str
    user: str | None = None
    password: SecretStr | None = None
    starttls: bool = True
    timeout_s: float = 10.0


class SmtpSender:
    name = "smtp"

    def __init__(self, config: SmtpConfig, *, tls_context: ssl.SSLContext | None = None) -> None:
        self.config = config
        self.tls_context = tls_context or ssl.create_default_context()

    def send(self, email: OutgoingEmail) -> str:
        message = to_mime(email, sender=self.config.sender)
        try:
            with smtplib.SMTP(self.config.host, self.config.port, timeout=self.config.timeout_s) as smtp:
                self._open_session(smtp)
                smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused as exc:
            raise _refused(exc) from exc
        except smtplib.SMTPAuthenticationError as exc:
            # Not this email's fault: retry, dead-letter after the limit, replay once fixed.
            raise TransientSendError(f"SMTP login refused ({exc.smtp_code}); check SMTP_USER/SMTP_PASSWORD") from exc
        except smtplib.SMTPResponseException as exc:
            raise _by_code(exc.smtp_code, _reply(exc.smtp_error)) from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise TransientSendError(f"SMTP {self.config.host}:{self.config.port} failed: {exc}") from exc
        return str(message["Message-ID"])

    def _open_session(self, smtp: smtplib.SMTP) -> None:
        smtp.ehlo()
        if self.config.starttls:
            smtp.starttls(context=self.tls_context)
            smtp.ehlo()
        if self.config.user and self.config.password is not None:
            smtp.login(self.config.user, self.config.password.get_secret_value())


def _reply(raw: bytes | str) -> str:
    return raw.decode(errors="replace") if isinstance(raw, bytes) else raw


def _by_code(code: int, reply: str) -> SendError:
    # 5xx is a permanent negative completion in SMTP (RFC 5321 §4.2.1); 4xx is transient.
    if 500 <= code < 600:
        return PermanentSendError(f"SMTP refused the message: {code} {reply}")
    return TransientSendError(f"SMTP deferred the message: {code} {reply}")


def _refused(exc: smtplib.SMTPRecipientsRefused) -> SendError:
    codes = {address: (code, _reply(reply)) for address, (code, reply) in exc.recipients.items()}
    detail = "; ".join(f"{address}: {code} {reply}" for address, (code, reply) in codes.items())
    if codes and all(500 <= code < 600 for code, _ in codes.values()):
        return PermanentSendError(f"recipient refused: {detail}")
    return TransientSendError(f"recipient deferred: {detail}")
