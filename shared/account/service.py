"""Use cases of the account context: the user's data as one zip, and deleting the account.

Export layout: `account.json` (every table's rows of the user, secrets cut out), then per
document `documents/<id>/original/<name>` (the uploaded file) and `documents/<id>/<derived
file>` (Markdown, structure, notes and slides). Generated audio and video are left out: they
are made again from the notes on request and would make the archive hundreds of times larger.

Deletion order matters: the Canvas grant is revoked while the sealed token is still there to
name it; then one transaction deletes the rows (the schema cascades from `users` to everything
the user owns); then the addresses the sign-in throttle keeps for the account, and the blobs.
Workers mid-run for one of the user's documents find it gone at commit and remove what they
wrote (`documents.leftovers`).
"""

from __future__ import annotations

import json
import logging
import tempfile
import uuid
import zipfile
from collections.abc import Callable
from datetime import timedelta
from typing import IO, Protocol

from psycopg_pool import ConnectionPool

from shared.account import store
from shared.auth.contracts import Account
from shared.auth.service import account_by_id
from shared.documents.service import hold_upload
from shared.platform.blobs import CONTAINERS, BlobMissing, BlobStore
from shared.platform.blobs import Container as BlobContainer
from shared.platform.clock import Clock
from shared.platform.db import Conn
from shared.platform.errors import NotFound, PermissionDenied
from shared.platform.throttle import Throttle, email_key

logger = logging.getLogger(__name__)

#: Up to this size the archive stays in memory; past it, it spills to a temporary file.
SPOOL_BYTES = 16 * 1024 * 1024
#: Deletion attempts per account in this window are limited like sign-ins.
CONFIRM_WINDOW_S = 900


class PasswordCheck(Protocol):
    def verify(self, stored_hash: str | None, password: str) -> bool: ...


def export_account(*, user_id: uuid.UUID, db: ConnectionPool[Conn], blobs: BlobStore) -> IO[bytes]:
    """The archive, rewound, ready to stream; the caller closes it."""
    with db.connection() as conn:
        rows = store.exported(conn, user_id=user_id)
    archive: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr("account.json", json.dumps(rows, indent=2, sort_keys=True, default=str))
        _add_blobs(blobs, zipped, user_id=user_id, blob_container="raw", folder="original")
        _add_blobs(blobs, zipped, user_id=user_id, blob_container="derived", folder="")
    archive.seek(0)
    return archive


def _add_blobs(
    blobs: BlobStore, zipped: zipfile.ZipFile, *, user_id: uuid.UUID, blob_container: BlobContainer, folder: str
) -> None:
    prefix = f"{user_id}/"
    for blob in blobs.list(container=blob_container, prefix=prefix):
        doc_id, _, rest = blob.path.removeprefix(prefix).partition("/")
        target = "/".join(part for part in ("documents", doc_id, folder, rest) if part)
        try:
            zipped.writestr(target, blobs.get(container=blob_container, path=blob.path))
        except BlobMissing:  # deleted between the listing and the read
            continue


def delete_account(
    *,
    user_id: uuid.UUID,
    password: str | None,
    confirm_email: str | None,
    db: ConnectionPool[Conn],
    blobs: BlobStore,
    throttle: Throttle,
    hashing: PasswordCheck,
    clock: Clock,
    url_ttl_s: int,
    max_attempts: int,
    revoke_canvas: Callable[[uuid.UUID], None],
) -> None:
    """`url_ttl_s` is how long an upload URL stays valid; `max_attempts` bounds confirmations."""
    with db.connection() as conn:
        user = account_by_id(conn, user_id=user_id)
    if user is None:
        raise NotFound("the account no longer exists")
    throttle.hit(
        f"account-delete:{user.user_id}", limit=max_attempts, window_s=CONFIRM_WINDOW_S, what="deletion attempts"
    )
    confirm_deletion(user=user, password=password, confirm_email=confirm_email, hashing=hashing)
    revoke_canvas(user_id)
    account, now = email_key(user.email), clock.now()
    with db.connection() as conn:
        uploads = store.open_upload_paths(conn, user_id=user_id, since=now - timedelta(seconds=url_ttl_s))
        store.erase_user(conn, user_id=user_id, email=user.email, account_key=account)
    throttle.forget(account=account)
    removed = sum(blobs.delete_prefix(container=name, prefix=f"{user_id}/") for name in CONTAINERS)
    with db.connection() as conn:  # upload URLs still valid must keep failing
        for path in uploads:
            hold_upload(conn, blobs, path=path, now=now, url_ttl_s=url_ttl_s)
    logger.info("account deleted", extra={"blobs_removed": removed})  # no user id: it is gone


def confirm_deletion(*, user: Account, password: str | None, confirm_email: str | None, hashing: PasswordCheck) -> None:
    """A password account proves it with its password; an SSO account types its address."""
    if user.password_hash is not None:
        if password is None or not hashing.verify(user.password_hash, password):
            raise PermissionDenied("the password is not right", details={"password": "not right"})
    elif (confirm_email or "").strip().casefold() != user.email.casefold():
        raise PermissionDenied("type the account's email address to confirm", details={"confirm_email": "no match"})
