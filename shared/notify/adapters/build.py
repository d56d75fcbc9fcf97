"""Chooses the email sender from settings (never by detecting tests); the `Container` calls it once."""

from __future__ import annotations

import ssl
from collections.abc import Callable
from typing import TYPE_CHECKING

from shared.notify.adapters.acs import AcsSender, client_from_connection_string, client_from_entra_id
from shared.notify.adapters.outbox import OutboxSender
from shared.notify.adapters.smtp import SmtpConfig, SmtpSender
from shared.notify.contracts import EmailSender
from shared.notify.settings import NotifySettings

if TYPE_CHECKING:
    from azure.core.credentials import TokenCredential


def build_email_sender(settings: NotifySettings, *, credential: Callable[[], TokenCredential]) -> EmailSender:
    """`credential` is asked for only when ACS signs in with Entra ID (an endpoint, no connection string)."""
    if settings.email_provider == "smtp":
        return SmtpSender(_smtp_config(settings), tls_context=_tls_context(settings))
    if settings.email_provider == "acs":
        return _acs(settings, credential)
    return OutboxSender(settings.outbox_dir, sender=settings.email_from)


def _smtp_config(settings: NotifySettings) -> SmtpConfig:
    return SmtpConfig(
        host=settings.smtp_host,
        port=settings.smtp_port,
        sender=settings.email_from,
        user=settings.smtp_user,
        password=settings.smtp_password,
        starttls=settings.smtp_starttls,
        timeout_s=settings.smtp_timeout_seconds,
    )


def _tls_context(settings: NotifySettings) -> ssl.SSLContext:
    cafile = str(settings.smtp_ca_file) if settings.smtp_ca_file else None
    return ssl.create_default_context(cafile=cafile)


def _acs(settings: NotifySettings, credential: Callable[[], TokenCredential]) -> AcsSender:
    if settings.acs_connection_string is not None:
        client = client_from_connection_string(settings.acs_connection_string.get_secret_value())
    elif settings.acs_endpoint:
        client = client_from_entra_id(settings.acs_endpoint, credential())
    else:  # the settings validator refuses this combination; kept for a clear message
        raise ValueError("EMAIL_PROVIDER=acs needs ACS_CONNECTION_STRING or ACS_ENDPOINT")
    return AcsSender(
        client,
        sender=settings.email_from,
        poll_timeout_s=settings.acs_poll_timeout_seconds,
        poll_interval_s=settings.acs_poll_interval_seconds,
    )
