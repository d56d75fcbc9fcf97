"""Azure Communication Services Email: a long-running send, polled to completion.

Authentication is the resource's access key (connection string, HMAC) or Entra ID (endpoint plus
the process's one credential, `Container.azure_credential`). The delivery id is the ACS
operation id, so a retried send is recognisable on the service side.
"""

from __future__ import annotations

from email.utils import parseaddr
from typing import Any

from azure.communication.email import EmailClient
from azure.core.credentials import AzureKeyCredential, TokenCredential
from azure.core.exceptions import HttpResponseError, ServiceRequestError, ServiceResponseError

from shared.notify.contracts import OutgoingEmail, PermanentSendError, TransientSendError

#: Timeouts and throttling pass; 401/403 are our credentials, not the email: retry, replay once fixed.
_TRANSIENT_STATUS = frozenset({401, 403, 408, 429})


def parse_connection_string(value: str) -> tuple[str, str]:
    """`endpoint=https://x.communication.azure.com/;accesskey=...` -> (endpoint, key); keeps the scheme."""
    parts = {key.strip().lower(): item for key, _, item in (p.partition("=") for p in value.split(";") if p)}
    endpoint, key = parts.get("endpoint", "").rstrip("/"), parts.get("accesskey", "")
    if not endpoint or not key:
        raise ValueError("ACS_CONNECTION_STRING needs endpoint=...;accesskey=...")
    return endpoint, key


def client_from_connection_string(value: str, **options: Any) -> EmailClient:
    endpoint, key = parse_connection_string(value)
    return EmailClient(endpoint, AzureKeyCredential(key), **options)


def client_from_entra_id(endpoint: str, credential: TokenCredential, **options: Any) -> EmailClient:
    """The managed identity (or any Entra ID credential) instead of the access key."""
    return EmailClient(endpoint, credential, **options)


class AcsSender:
    name = "acs"

    def __init__(self, client: EmailClient, *, sender: str, poll_timeout_s: float, poll_interval_s: float) -> None:
        self.client = client
        self.sender_address = parseaddr(sender)[1] or sender
        self.poll_timeout_s = poll_timeout_s
        self.poll_interval_s = poll_interval_s

    def send(self, email: OutgoingEmail) -> str:
        try:
            poller = self.client.begin_send(
                _payload(email, self.sender_address),
                operation_id=str(email.delivery_id),
                polling_interval=self.poll_interval_s,
            )
            result = poller.result(timeout=self.poll_timeout_s)
        except HttpResponseError as exc:
            raise _classify(exc) from exc
        except (ServiceRequestError, ServiceResponseError) as exc:
            raise TransientSendError(f"ACS unreachable: {exc}") from exc
        if not poller.done() or not isinstance(result, dict):
            raise TransientSendError(f"ACS send still running after {self.poll_timeout_s:.0f} s")
        return _outcome(result)


def _payload(email: OutgoingEmail, sender_address: str) -> dict[str, Any]:
    return {
        "senderAddress": sender_address,
        "recipients": {"to": [{"address": email.to}]},
        "content": {"subject": email.subject, "plainText": email.text, "html": email.html},
        "headers": dict(email.headers),
        "userEngagementTrackingDisabled": True,
    }


def _outcome(result: dict[str, Any]) -> str:
    status = str(result.get("status", ""))
    if status == "Succeeded":
        return str(result.get("id", ""))
    error = result.get("error") or {}
    reason = f"ACS send {status or 'ended without status'}: {error.get('code', '')} {error.get('message', '')}"
    raise PermanentSendError(reason.strip())


def _classify(exc: HttpResponseError) -> PermanentSendError | TransientSendError:
    status = exc.status_code or 0
    reason = f"ACS answered {status}: {exc.message}"
    if status == 200:
        # The poller raises on a terminal "Failed" status (answered 200): the service gave up on it.
        return PermanentSendError(f"ACS send failed: {exc.message}")
    if 400 <= status < 500 and status not in _TRANSIENT_STATUS:
        return PermanentSendError(reason)
    return TransientSendError(reason)
