"""Our blob SAS tokens are the storage SDK's, byte for byte, for every field combination we sign."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta

import pytest
from azure.storage.blob import BlobSasPermissions, UserDelegationKey, generate_blob_sas

from shared.platform.blob_sas import blob_sas

KEY = base64.b64encode(bytes(range(64))).decode()
START = datetime(2026, 12, 6, 3, 55, 5, 123456, tzinfo=UTC)
PATHS = ["u/d/document.md", "u/d/a b#c?.pdf", "u/d/ünï çødé.pdf", "u/d/x~y%z+&.md"]
PERMISSIONS = {"r": BlobSasPermissions(read=True), "cw": BlobSasPermissions(create=True, write=True)}


def _delegation_key(*, delegated_tid: str | None) -> UserDelegationKey:
    key = UserDelegationKey()  # type: ignore[no-untyped-call]
    key.signed_oid, key.signed_tid = "0000-oid", "1111-tid"
    key.signed_start, key.signed_expiry = "2026-12-06T03:50:00Z", "2026-12-06T09:50:00Z"
    key.signed_service, key.signed_version = "b", "2025-07-05"
    key.signed_delegated_user_tid = delegated_tid
    key.value = base64.b64encode(b"delegation-secret-32-bytes-long!").decode()
    return key


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("permission", list(PERMISSIONS))
def test_account_key_tokens_match_the_sdk(path: str, permission: str) -> None:
    start, expiry = START - timedelta(minutes=5), START + timedelta(seconds=900)
    expected = generate_blob_sas(
        "devstoreaccount1", "derived", path, account_key=KEY, permission=PERMISSIONS[permission],
        expiry=expiry, start=start,
    )  # fmt: skip
    ours = blob_sas(account="devstoreaccount1", container="derived", path=path, permission=permission,
                    start=start, expiry=expiry, account_key=base64.b64decode(KEY))  # fmt: skip
    assert ours == expected


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("delegated_tid", [None, "2222-tid"])
def test_user_delegation_tokens_match_the_sdk(path: str, delegated_tid: str | None) -> None:
    key = _delegation_key(delegated_tid=delegated_tid)
    start, expiry = START - timedelta(minutes=5), START + timedelta(seconds=600)
    expected = generate_blob_sas(
        "acct", "media", path, user_delegation_key=key, permission=PERMISSIONS["r"], expiry=expiry, start=start
    )
    ours = blob_sas(account="acct", container="media", path=path, permission="r", start=start, expiry=expiry,
                    delegation=key)  # fmt: skip
    assert ours == expected


def test_a_token_needs_a_key() -> None:
    with pytest.raises(ValueError, match="key"):
        blob_sas(account="a", container="raw", path="p", permission="r", start=START, expiry=START)
