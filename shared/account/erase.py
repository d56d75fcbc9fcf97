"""Use case: delete an account and everything of it — rows, blobs, logs, the grant at Canvas.

Order matters: the Canvas grant is revoked while the sealed token is still there to name it;
then one transaction deletes the rows (the schema cascades from `users` to everything the user
owns); then the addresses the sign-in throttle keeps for the account, and the blobs. Workers
mid-run for one of the user's documents find it gone at commit and remove what they wrote
(`documents.leftovers`).
"""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta

from shared.account import store
from shared.auth.store import users as auth_store
from shared.canvas.connect import disconnect
from shared.canvas.kit import build_kit
from shared.canvas.store_connections import get_connection
from shared.container import Container
from shared.documents.held import hold_upload
from shared.platform.blobs import CONTAINERS
from shared.platform.errors import NotFound, PermissionDenied
from shared.platform.throttle import email_key

logger = logging.getLogger(__name__)


def delete_account(
    container: Container, *, user_id: uuid.UUID, password: str | None, confirm_email: str | None
) -> None:
    with container.db.connection() as conn:
        user = auth_store.user_by_id(conn, user_id=user_id)
    if user is None:
        raise NotFound("the account no longer exists")
    _confirm(container, user=user, password=password, confirm_email=confirm_email)
    _revoke_canvas(container, user_id=user_id)
    account, now, url_ttl_s = email_key(user.email), container.clock.now(), container.settings.sas_ttl_seconds
    with container.db.connection() as conn:
        uploads = store.open_upload_paths(conn, user_id=user_id, since=now - timedelta(seconds=url_ttl_s))
        store.erase_user(conn, user_id=user_id, email=user.email, account_key=account)
    container.throttle.forget(account=account)
    removed = sum(container.blobs.delete_prefix(container=name, prefix=f"{user_id}/") for name in CONTAINERS)
    with container.db.connection() as conn:  # upload URLs still valid must keep failing
        for path in uploads:
            hold_upload(conn, container.blobs, path=path, now=now, url_ttl_s=url_ttl_s)
    logger.info("account deleted", extra={"blobs_removed": removed})  # no user id: it is gone


def _confirm(
    container: Container, *, user: auth_store.UserRow, password: str | None, confirm_email: str | None
) -> None:
    """A password account proves it with its password; an SSO account types its address."""
    container.throttle.hit(
        f"account-delete:{user.id}", limit=container.settings.login_max_failures, window_s=900, what="deletion attempts"
    )
    if user.password_hash is not None:
        if password is None or not container.password_hashing.verify(user.password_hash, password):
            raise PermissionDenied("the password is not right", details={"password": "not right"})
    elif (confirm_email or "").strip().casefold() != user.email.casefold():
        raise PermissionDenied("type the account's email address to confirm", details={"confirm_email": "no match"})


def _revoke_canvas(container: Container, *, user_id: uuid.UUID) -> None:
    with container.db.connection() as conn:
        connected = get_connection(conn, user_id=user_id) is not None
    if connected:
        with build_kit(container.settings) as kit:
            disconnect(pool=container.db, kit=kit, user_id=user_id)
