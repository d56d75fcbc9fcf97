"""Connect and disconnect: the OAuth round trip and what is kept of it (sealed tokens)."""

from __future__ import annotations

import hashlib
import logging
import secrets
import uuid
from datetime import datetime, timedelta

from psycopg_pool import ConnectionPool

from shared.canvas.contracts import ConnectionStatus, ConnectStarted, Disconnected
from shared.canvas.errors import CanvasError
from shared.canvas.kit import CanvasKit
from shared.canvas.oauth import authorize_url, exchange_code, revoke
from shared.canvas.store_connections import (
    ConnectionRow,
    delete_connection,
    get_connection,
    save_connection,
    save_state,
    take_state,
)
from shared.canvas.tokens import expiry, open_tokens, seal_grant
from shared.platform.db import Conn
from shared.platform.errors import InvalidArgument, PermissionDenied, Unauthenticated, Unavailable

logger = logging.getLogger(__name__)

STATE_TTL = timedelta(minutes=10)


def _state_hash(state: str) -> bytes:
    return hashlib.sha256(state.encode()).digest()


def start_connect(*, conn: Conn, kit: CanvasKit, user_id: uuid.UUID, now: datetime) -> ConnectStarted:
    state = secrets.token_urlsafe(32)
    expires_at = now + STATE_TTL
    save_state(conn, state_hash=_state_hash(state), user_id=user_id, expires_at=expires_at)
    return ConnectStarted(authorize_url=authorize_url(kit.oauth, state=state), state=state, expires_at=expires_at)


def finish_connect(
    *,
    conn: Conn,
    kit: CanvasKit,
    code: str | None,
    state: str | None,
    error: str | None,
    now: datetime,
    signed_in: uuid.UUID | None,
) -> ConnectionStatus:
    """The OAuth callback: the state names the user; the code is exchanged for tokens.

    `signed_in` is the browser's session user: the state must have been issued to that same user,
    or a connect link sent to someone else would bind their Canvas account to the sender's.
    """
    user_id = take_state(conn, state_hash=_state_hash(state or ""), now=now) if state else None
    if user_id is None:
        raise InvalidArgument("the Canvas sign-in link is unknown, used or expired; start connecting again")
    if signed_in is None:
        raise Unauthenticated("sign in to the app before connecting Canvas; nothing was connected")
    if signed_in != user_id:
        raise PermissionDenied("this Canvas sign-in was started by another account; nothing was connected")
    if error:
        raise PermissionDenied(f"Canvas did not grant access ({error[:60]}); nothing was connected")
    if not code:
        raise InvalidArgument("Canvas sent no authorization code")
    try:
        grant = exchange_code(kit.http, kit.guard, kit.oauth, code=code)
    except CanvasError as exc:
        raise Unavailable(exc.reason) from exc
    row = ConnectionRow(
        user_id=user_id,
        base_url=kit.oauth.base_url,
        canvas_user_id=grant.user.id if grant.user else None,
        canvas_user_name=grant.user.name if grant.user else "",
        key_id=kit.cipher.active_key_id,
        access_token_ct=b"",
        refresh_token_ct=None,
        access_expires_at=None,
        created_at=now,
        updated_at=now,
    )
    sealed = seal_grant(
        conn, kit.cipher, row, access=grant.access_token, refresh=grant.refresh_token, expires_at=expiry(grant, now)
    )
    save_connection(conn, sealed)
    return ConnectionStatus(
        connected=True, base_url=row.base_url, canvas_user_name=row.canvas_user_name, connected_at=now, status="active"
    )


def connection_status(*, conn: Conn, user_id: uuid.UUID) -> ConnectionStatus:
    row = get_connection(conn, user_id=user_id)
    if row is None:
        return ConnectionStatus(connected=False)
    return ConnectionStatus(
        connected=True,
        base_url=row.base_url,
        canvas_user_name=row.canvas_user_name,
        connected_at=row.created_at,
        status="needs_reconnect" if row.status == "needs_reconnect" else "active",
        status_reason=row.status_reason,
    )


def disconnect(*, pool: ConnectionPool[Conn], kit: CanvasKit, user_id: uuid.UUID) -> Disconnected:
    """Revoke at Canvas (best effort) and delete the sealed tokens (always)."""
    with pool.connection() as conn:
        row = get_connection(conn, user_id=user_id)
    if row is None:
        return Disconnected(disconnected=False, revoked_at_canvas=False)
    revoked = False
    try:
        access, _refresh = open_tokens(kit.cipher, row)
        revoked = revoke(kit.http, kit.guard, kit.oauth, access_token=access)
    except CanvasError as exc:
        logger.warning("could not revoke the Canvas token of user %s: %s", user_id, exc.reason)
    with pool.connection() as conn:
        delete_connection(conn, user_id=user_id)
    return Disconnected(disconnected=True, revoked_at_canvas=revoked)
