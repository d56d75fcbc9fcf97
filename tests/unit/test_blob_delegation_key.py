"""Under managed identity every signed URL needs a user-delegation key: one is fetched and kept for
many URLs, and fetched again only when it is near its expiry (never once per URL)."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs

from azure.storage.blob import BlobServiceClient, UserDelegationKey

from shared.platform.blobs_azure import DELEGATION_KEY_LIFETIME, DELEGATION_REFRESH_BEFORE, AzureBlobStore

START = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)


class KeyCountingService(BlobServiceClient):
    """A service client whose user-delegation key comes from here (no Entra ID, no network)."""

    def __init__(self) -> None:
        super().__init__("https://acct.blob.core.windows.net")
        self.fetched: list[tuple[datetime, datetime]] = []

    def get_user_delegation_key(self, key_start_time: datetime, key_expiry_time: datetime, **_: Any) -> Any:
        self.fetched.append((key_start_time, key_expiry_time))
        key = UserDelegationKey()  # type: ignore[no-untyped-call]
        key.signed_oid, key.signed_tid = f"oid-{len(self.fetched)}", "tid"
        key.signed_start, key.signed_expiry = key_start_time.isoformat(), key_expiry_time.isoformat()
        key.signed_service, key.signed_version = "b", "2024-11-04"
        key.value = base64.b64encode(b"k" * 32).decode()
        return key


class Clock:
    def __init__(self) -> None:
        self.at = START

    def __call__(self) -> datetime:
        return self.at


def _store() -> tuple[AzureBlobStore, KeyCountingService, Clock]:
    service, clock = KeyCountingService(), Clock()
    return AzureBlobStore(service, account_key=None, now=clock), service, clock


def _key_owner(url: str) -> str:
    return parse_qs(url.partition("?")[2])["skoid"][0]


def test_one_key_signs_many_urls() -> None:
    store, service, _ = _store()
    urls = [store.read_url(container="derived", path=f"u/d/{n}.md", ttl_s=900) for n in range(200)]
    assert len(service.fetched) == 1
    assert {_key_owner(url) for url in urls} == {"oid-1"}
    assert service.fetched[0][1] - START == DELEGATION_KEY_LIFETIME


def test_the_key_is_fetched_again_only_near_its_expiry() -> None:
    store, service, clock = _store()
    store.read_url(container="derived", path="u/d/a.md", ttl_s=900)
    clock.at = START + DELEGATION_KEY_LIFETIME - DELEGATION_REFRESH_BEFORE - timedelta(minutes=1)
    assert _key_owner(store.write_url(container="raw", path="u/d/b.pdf", ttl_s=900)) == "oid-1"
    assert len(service.fetched) == 1
    clock.at += timedelta(minutes=2)  # under an hour left: a fresh key before the old one lapses
    assert _key_owner(store.read_url(container="derived", path="u/d/a.md", ttl_s=900)) == "oid-2"
    assert len(service.fetched) == 2
    assert store.read_url(container="media", path="u/d/c.png", ttl_s=900)
    assert len(service.fetched) == 2


def test_account_key_signing_never_asks_for_a_delegation_key() -> None:
    service = KeyCountingService()
    key = base64.b64encode(b"s" * 64).decode()
    store = AzureBlobStore(service, account_key=key)
    assert "sig=" in store.read_url(container="derived", path="u/d/a.md", ttl_s=900)
    assert service.fetched == []
