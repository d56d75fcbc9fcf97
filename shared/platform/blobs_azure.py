"""Azure Blob adapter: a connection string (Azurite, shared key) or managed identity (Azure).

SAS URLs are account-key SAS where a key is known (Azurite) and user-delegation SAS under
managed identity, where shared keys are off. The user-delegation key is one network call to
Entra ID and Storage: it is fetched once, valid for 6 hours, kept and used for every URL signed,
and fetched again only when less than an hour of it is left.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

from azure.core.exceptions import HttpResponseError, ResourceExistsError, ResourceNotFoundError
from azure.storage.blob import (
    BlobLeaseClient,
    BlobServiceClient,
    ContentSettings,
    UserDelegationKey,
)

from shared.platform.blob_sas import blob_sas
from shared.platform.blobs import CONTAINERS, BlobInfo, BlobMissing, Container

DELEGATION_KEY_LIFETIME = timedelta(hours=6)
DELEGATION_REFRESH_BEFORE = timedelta(hours=1)


def _utc_now() -> datetime:
    return datetime.now(UTC)


class AzureBlobStore:
    def __init__(
        self, client: BlobServiceClient, *, account_key: str | None, now: Callable[[], datetime] | None = None
    ) -> None:
        self._client = client
        self._now = now or _utc_now
        self._key_bytes = base64.b64decode(account_key) if account_key is not None else None
        # Blob URLs are composed as the SDK does (container and path quoted under the account URL):
        # building a BlobClient per signed URL cost ~50 microseconds, several times per document read.
        self._base_url = client.url.split("?", 1)[0].rstrip("/")
        self._delegation: tuple[UserDelegationKey, datetime] | None = None

    @classmethod
    def from_connection_string(cls, connection_string: str) -> AzureBlobStore:
        client = BlobServiceClient.from_connection_string(connection_string)
        parts = dict(p.split("=", 1) for p in connection_string.split(";") if "=" in p)
        return cls(client, account_key=parts.get("AccountKey"))

    @classmethod
    def from_managed_identity(cls, account_url: str) -> AzureBlobStore:
        from azure.identity import DefaultAzureCredential

        return cls(BlobServiceClient(account_url, credential=DefaultAzureCredential()), account_key=None)

    def close(self) -> None:
        self._client.close()

    def ensure_containers(self) -> None:
        for name in CONTAINERS:
            try:
                self._client.create_container(name)
            except ResourceExistsError:
                continue

    def put(self, *, container: Container, path: str, data: bytes, content_type: str) -> BlobInfo:
        blob = self._client.get_blob_client(container, path)
        blob.upload_blob(data, overwrite=True, content_settings=ContentSettings(content_type=content_type))
        return self.info(container=container, path=path)

    def get(self, *, container: Container, path: str) -> bytes:
        try:
            return self._client.get_blob_client(container, path).download_blob().readall()
        except ResourceNotFoundError as exc:
            raise BlobMissing(f"{container}/{path}") from exc

    def info(self, *, container: Container, path: str) -> BlobInfo:
        try:
            props = self._client.get_blob_client(container, path).get_blob_properties()
        except ResourceNotFoundError as exc:
            raise BlobMissing(f"{container}/{path}") from exc
        return BlobInfo(
            container,
            path,
            props.size,
            props.etag,
            props.last_modified,
            props.content_settings.content_type,
            dict(props.metadata or {}),
            blob_type=str(props.blob_type.value if hasattr(props.blob_type, "value") else props.blob_type),
        )

    def list(self, *, container: Container, prefix: str = "") -> list[BlobInfo]:
        listing = self._client.get_container_client(container).list_blobs(name_starts_with=prefix or None)
        return [
            BlobInfo(container, b.name, b.size, b.etag, b.last_modified, b.content_settings.content_type)
            for b in listing
        ]

    def delete(self, *, container: Container, path: str) -> bool:
        blob = self._client.get_blob_client(container, path)
        try:
            blob.delete_blob()
        except ResourceNotFoundError:
            return False
        except HttpResponseError as exc:
            if getattr(exc, "error_code", None) != "LeaseIdMissing":  # the storage SDK sets it
                raise
            BlobLeaseClient(blob).break_lease(lease_break_period=0)  # a held path: release, then delete
            blob.delete_blob()
        return True

    def hold(self, *, container: Container, path: str) -> None:
        blob = self._client.get_blob_client(container, path)
        blob.upload_blob(b"", overwrite=True)
        BlobLeaseClient(blob).acquire(lease_duration=-1)

    def delete_prefix(self, *, container: Container, prefix: str) -> int:
        return sum(self.delete(container=container, path=b.path) for b in self.list(container=container, prefix=prefix))

    def address(self, *, container: Container, path: str) -> str:
        return f"{self._base_url}/{_quoted(container, '')}/{_quoted(path, '~/')}"

    def read_url(self, *, container: Container, path: str, ttl_s: int) -> str:
        return self._signed(container, path, "r", ttl_s)

    def write_url(self, *, container: Container, path: str, ttl_s: int) -> str:
        return self._signed(container, path, "cw", ttl_s)

    def _signed(self, container: Container, path: str, permission: str, ttl_s: int) -> str:
        now = self._now()
        token = blob_sas(
            account=self._client.account_name or "",
            container=container,
            path=path,
            permission=permission,
            start=now - timedelta(minutes=5),
            expiry=now + timedelta(seconds=ttl_s),
            account_key=self._key_bytes,
            delegation=None if self._key_bytes is not None else self._delegation_key(now),
        )
        return f"{self.address(container=container, path=path)}?{token}"

    def _delegation_key(self, now: datetime) -> UserDelegationKey:
        # A delegation key is valid for hours; refresh it well before it lapses.
        if self._delegation is None or self._delegation[1] - now < DELEGATION_REFRESH_BEFORE:
            expiry = now + DELEGATION_KEY_LIFETIME
            key = self._client.get_user_delegation_key(now - timedelta(minutes=5), expiry)
            self._delegation = (key, expiry)
        return self._delegation[0]


_UNRESERVED = re.compile(r"[A-Za-z0-9_.~/-]*")


def _quoted(value: str, safe: str) -> str:
    """`quote(value, safe=safe)`; our paths (ids, plain file names) have nothing to escape, and
    checking that is several times cheaper than quoting."""
    if _UNRESERVED.fullmatch(value) and ("/" in safe or "/" not in value):
        return value
    return quote(value, safe=safe)
