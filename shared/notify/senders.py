"""Choose the sender from settings (never by detecting tests); built lazily per process."""

from __future__ import annotations

import ssl

from shared.notify.acs import AcsSender, client_from_connection_string, client_from_entra_id
from shared.notify.outbox import OutboxSender
from shared.notify.sender import EmailSender
from shared.notify.smtp import SmtpConfig, SmtpSender
from shared.settings import Settings


def build_sender(settings: Settings) -> EmailSender:
    if settings.email_provider == "smtp":
        return SmtpSender(_smtp_config(settings), tls_context=_tls_context(settings))
    if settings.email_provider == "acs":
        return _acs(settings)
    return OutboxSender(settings.outbox_dir, sender=settings.email_from)


def _smtp_config(settings: Settings) -> SmtpConfig:
    return SmtpConfig(
        host=settings.smtp_host,
        port=settings.smtp_port,
        sender=settings.email_from,
        user=settings.smtp_user,
        password=settings.smtp_password,
        starttls=settings.smtp_starttls,
        timeout_s=settings.smtp_timeout_seconds,
    )


def _tls_context(settings: Settings) -> ssl.SSLContext:
    cafile = str(settings.smtp_ca_file) if settings.smtp_ca_file else None
    return ssl.create_default_context(cafile=cafile)


def _acs(settings: Settings) -> AcsSender:
    if settings.acs_connection_string is not None:
        client = client_from_connection_string(settings.acs_connection_string.get_secret_value())
    elif settings.acs_endpoint:
        client = client_from_entra_id(settings.acs_endpoint)
    else:  # the settings validator refuses this combination; kept for a clear message
        raise ValueError("EMAIL_PROVIDER=acs needs ACS_CONNECTION_STRING or ACS_ENDPOINT")
    return AcsSender(
        client,
        sender=settings.email_from,
        poll_timeout_s=settings.acs_poll_timeout_seconds,
        poll_interval_s=settings.acs_poll_interval_seconds,
    )
