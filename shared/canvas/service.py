"""Canvas use cases: connect and disconnect (the OAuth round trip, sealed tokens kept), start a
sync, a course's media choice, and what other contexts ask of Canvas (`media_wanted`).

Running a sync is `sync/run.py::execute_sync` (the `canvas.sync` stream handler's use case).
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import uuid
from datetime import datetime, timedelta

from psycopg_pool import ConnectionPool

from shared.canvas.adapters.canvas_api import CanvasApi
from shared.canvas.adapters.oauth import authorize_url, exchange_code, revoke
from shared.canvas.adapters.tokens import expiry, open_tokens, seal_grant
from shared.canvas.contracts import (
    CanvasSyncRequest,
    ConnectionStatus,
    ConnectStarted,
    CourseMedia,
    Disconnected,
    SyncStarted,
)
from shared.canvas.errors import CanvasError
from shared.canvas.settings import CanvasSettings
from shared.canvas.store import reads
from shared.canvas.store.connections import (
    ConnectionRow,
    delete_connection,
    get_connection,
    save_connection,
    save_state,
    take_state,
)
from shared.canvas.store.runs import active_run, create_run
from shared.platform.clock import Clock
from shared.platform.db import Conn
from shared.platform.errors import (
    FailedPrecondition,
    InvalidArgument,
    PermissionDenied,
    Unauthenticated,
    Unavailable,
)
from shared.platform.publisher import Publisher
from shared.platform.throttle import Throttle

logger = logging.getLogger(__name__)

STATE_TTL = timedelta(minutes=10)


def _state_hash(state: str) -> bytes:
    return hashlib.sha256(state.encode()).digest()


def start_connect(*, conn: Conn, canvas: CanvasApi, user_id: uuid.UUID, now: datetime) -> ConnectStarted:
    state = secrets.token_urlsafe(32)
    expires_at = now + STATE_TTL
    save_state(conn, state_hash=_state_hash(state), user_id=user_id, expires_at=expires_at)
    return ConnectStarted(authorize_url=authorize_url(canvas.oauth, state=state), state=state, expires_at=expires_at)


def accept_callback(
    *, started_by: uuid.UUID | None, signed_in: uuid.UUID | None, code: str | None, error: str | None
) -> tuple[uuid.UUID, str]:
    """The user and the authorization code, once the callback is the signed-in user's own; else why not.

    `started_by` is the user the state was issued to (None: unknown, used or expired). A connect
    link sent to someone else must not bind their Canvas account to the sender's.
    """
    if started_by is None:
        raise InvalidArgument("the Canvas sign-in link is unknown, used or expired; start connecting again")
    if signed_in is None:
        raise Unauthenticated("sign in to the app before connecting Canvas; nothing was connected")
    if signed_in != started_by:
        raise PermissionDenied("this Canvas sign-in was started by another account; nothing was connected")
    if error:
        raise PermissionDenied(f"Canvas did not grant access ({error[:60]}); nothing was connected")
    if not code:
        raise InvalidArgument("Canvas sent no authorization code")
    return signed_in, code


def finish_connect(
    *,
    conn: Conn,
    canvas: CanvasApi,
    code: str | None,
    state: str | None,
    error: str | None,
    now: datetime,
    signed_in: uuid.UUID | None,
) -> ConnectionStatus:
    """The OAuth callback: the state names the user; the code is exchanged for tokens, kept sealed."""
    started_by = take_state(conn, state_hash=_state_hash(state or ""), now=now) if state else None
    user_id, accepted = accept_callback(started_by=started_by, signed_in=signed_in, code=code, error=error)
    try:
        grant = exchange_code(canvas.http, canvas.guard, canvas.oauth, code=accepted)
    except CanvasError as exc:
        raise Unavailable(exc.reason) from exc
    row = ConnectionRow(
        user_id=user_id,
        base_url=canvas.oauth.base_url,
        canvas_user_id=grant.user.id if grant.user else None,
        canvas_user_name=grant.user.name if grant.user else "",
        key_id=canvas.cipher.active_key_id,
        access_token_ct=b"",
        refresh_token_ct=None,
        access_expires_at=None,
        created_at=now,
        updated_at=now,
    )
    sealed = seal_grant(
        conn, canvas.cipher, row, access=grant.access_token, refresh=grant.refresh_token, expires_at=expiry(grant, now)
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


def disconnect(*, db: ConnectionPool[Conn], canvas: CanvasApi, user_id: uuid.UUID) -> Disconnected:
    """Revoke at Canvas (best effort) and delete the sealed tokens (always)."""
    with db.connection() as conn:
        row = get_connection(conn, user_id=user_id)
    if row is None:
        return Disconnected(disconnected=False, revoked_at_canvas=False)
    revoked = False
    try:
        access, _refresh = open_tokens(canvas.cipher, row)
        revoked = revoke(canvas.http, canvas.guard, canvas.oauth, access_token=access)
    except CanvasError as exc:
        logger.warning("could not revoke the Canvas token of user %s: %s", user_id, exc.reason)
    with db.connection() as conn:
        delete_connection(conn, user_id=user_id)
    return Disconnected(disconnected=True, revoked_at_canvas=revoked)


def start_sync(
    *,
    db: ConnectionPool[Conn],
    publisher: Publisher,
    throttle: Throttle,
    clock: Clock,
    settings: CanvasSettings,
    user_id: uuid.UUID,
) -> SyncStarted:
    """Queue a sync, or hand back the one already queued or running for this user."""
    now = clock.now()
    with db.connection() as conn:
        if get_connection(conn, user_id=user_id) is None:
            raise FailedPrecondition("connect Canvas first: POST /v1/canvas/connect")
        running = active_run(conn, user_id=user_id, now=now)
        if running is not None:
            return SyncStarted(sync_id=running.id, status="running" if running.status == "running" else "queued")
        limit = settings.canvas_syncs_per_hour
        throttle.hit(f"canvas-sync:{user_id}", limit=limit, window_s=3600, what="Canvas syncs this hour")
        run_id = uuid.uuid4()
        create_run(conn, run_id=run_id, user_id=user_id, now=now)
    publisher.publish(CanvasSyncRequest(sync_id=run_id, user_id=user_id))
    return SyncStarted(sync_id=run_id, status="queued")


def set_course_media(conn: Conn, *, user_id: uuid.UUID, course_id: uuid.UUID, media: bool) -> CourseMedia | None:
    """Opt a course's synced files in to (or out of) videos; None when the user has no such course."""
    chosen = reads.set_course_media(conn, user_id=user_id, course_id=course_id, media=media)
    return None if chosen is None else CourseMedia(course_id=course_id, media=chosen)


def media_wanted(conn: Conn, *, doc_id: uuid.UUID) -> bool:
    """Whether the AI stage should queue a video: always for uploads, by course for Canvas files.

    Media for Canvas-synced files is opt-in per course; a student can still start one for a
    single document (`POST /v1/media/start`)."""
    return reads.media_wanted(conn, doc_id=doc_id)


def course_exists(conn: Conn, *, user_id: uuid.UUID, course_id: uuid.UUID) -> bool:
    """Whether the user has this synced course (a document may be filed under it)."""
    return reads.course_exists(conn, user_id=user_id, course_id=course_id)
