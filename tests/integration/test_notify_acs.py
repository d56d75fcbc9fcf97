"""The ACS Email adapter (the real azure-communication-email SDK) against a loopback stand-in."""

from __future__ import annotations

import ssl
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from azure.core.credentials import AccessToken

from shared.container import Container
from shared.notify.adapters.acs import (
    AcsSender,
    client_from_connection_string,
    client_from_entra_id,
    parse_connection_string,
)
from shared.notify.contracts import OutgoingEmail, PermanentSendError, TransientSendError
from shared.settings import Settings
from tests.support.acs_stub import AcsStub
from tests.support.notify_smtp import self_signed

pytestmark = pytest.mark.integration


@pytest.fixture
def acs() -> Iterator[AcsStub]:
    with AcsStub() as stub:
        yield stub


def sender(acs: AcsStub) -> AcsSender:
    # retry_total=0: the SDK's own retries would only slow the transient case down here.
    client = client_from_connection_string(acs.connection_string, retry_total=0)
    return AcsSender(client, sender="Study Aid <DoNotReply@studyaid.example>", poll_timeout_s=10, poll_interval_s=0.05)


def email(to: str) -> OutgoingEmail:
    return OutgoingEmail(
        delivery_id=uuid.uuid4(),
        to=to,
        subject="Reminder: Essay 2 is due in 2 hours",
        text="Essay 2 is due.\n",
        html="<p>Essay 2 is due.</p>",
        headers={"X-Studyaid-Delivery": "d-7"},
    )


def test_send_is_signed_polled_to_success_and_keyed_by_delivery(acs: AcsStub) -> None:
    sent = email("student@example.edu")
    operation = sender(acs).send(sent)
    assert operation == str(sent.delivery_id)
    [request] = acs.state.sent
    assert request["senderAddress"] == "DoNotReply@studyaid.example"
    assert request["recipients"] == {"to": [{"address": "student@example.edu"}]}
    assert request["content"] == {"subject": sent.subject, "plainText": sent.text, "html": sent.html}
    assert request["headers"] == {"X-Studyaid-Delivery": "d-7"}
    assert acs.state.polls[operation] >= 2  # it was Running first: the poller waited for the end


def test_refused_address_and_failed_operation_are_permanent(acs: AcsStub) -> None:
    with pytest.raises(PermanentSendError, match="400"):
        sender(acs).send(email("not-an-address"))
    with pytest.raises(PermanentSendError, match="rejected"):
        sender(acs).send(email("bounce@example.edu"))


def test_outage_is_transient(acs: AcsStub) -> None:
    with pytest.raises(TransientSendError, match="503"):
        sender(acs).send(email("busy@example.edu"))


def test_wrong_key_is_refused_by_the_signature_check(acs: AcsStub) -> None:
    endpoint, _ = parse_connection_string(acs.connection_string)
    wrong = f"endpoint={endpoint};accesskey=d3Jvbmcta2V5LXdyb25nLWtleS13cm9uZy1rZXkh"
    client = client_from_connection_string(wrong, retry_total=0)
    bad = AcsSender(client, sender="DoNotReply@studyaid.example", poll_timeout_s=5, poll_interval_s=0.05)
    with pytest.raises(TransientSendError, match="401"):  # credentials, not the email: retried
        bad.send(email("student@example.edu"))
    assert acs.state.sent == []


def test_settings_choose_the_acs_adapter(acs: AcsStub) -> None:
    settings = Settings.model_validate(
        {"APP_ENV": "test", "EMAIL_PROVIDER": "acs", "ACS_CONNECTION_STRING": acs.connection_string}
    )
    assert isinstance(Container(settings).email_sender, AcsSender)
    with pytest.raises(ValueError, match="ACS_CONNECTION_STRING or ACS_ENDPOINT"):
        Settings.model_validate({"APP_ENV": "test", "EMAIL_PROVIDER": "acs"})


class FakeCredential:
    """An Entra ID credential as the SDK sees one: it hands out a token for the asked scope."""

    def __init__(self) -> None:
        self.scopes: list[str] = []

    def get_token(self, *scopes: str, **kwargs: Any) -> AccessToken:  # noqa: ARG002 - the TokenCredential protocol
        self.scopes.extend(scopes)
        return AccessToken("entra-token-for-tests", int(time.time()) + 3600)


def test_entra_id_sends_a_bearer_token_over_tls(tmp_path: Path) -> None:
    cert, key = self_signed(tmp_path)
    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls.load_cert_chain(cert, key)
    credential = FakeCredential()
    with AcsStub(tls=tls, bearer_token="entra-token-for-tests") as acs:
        client = client_from_entra_id(acs.endpoint, credential, connection_verify=str(cert), retry_total=0)
        sender = AcsSender(client, sender="DoNotReply@studyaid.example", poll_timeout_s=10, poll_interval_s=0.05)
        sent = email("student@example.edu")
        assert sender.send(sent) == str(sent.delivery_id)
        assert len(acs.state.sent) == 1
    assert credential.scopes and credential.scopes[0] == "https://communication.azure.com//.default"
