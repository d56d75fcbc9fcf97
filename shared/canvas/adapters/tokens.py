"""Stored Canvas tokens: sealed on write, opened on use, refreshed when they expire.

`StoredTokens` is the `TokenSource` the Canvas client asks for a bearer token. A row sealed
under an old key is re-sealed under the active key the first time it is opened (rotation).
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import datetime, timedelta

from psycopg_pool import ConnectionPool

from shared.canvas.adapters.canvas_api import CanvasApi
from shared.canvas.adapters.crypto import Sealed, TokenCipher
from shared.canvas.adapters.oauth import TokenGrant, refresh_grant
from shared.canvas.errors import CanvasAuthExpired, CanvasNotConnected
from shared.canvas.store.connections import ConnectionRow, count_encryptions, get_connection, save_connection
from shared.platform.clock import Clock
from shared.platform.db import Conn

EARLY_REFRESH = timedelta(seconds=60)


def seal_grant(
    conn: Conn,
    cipher: TokenCipher,
    row: ConnectionRow,
    *,
    access: str,
    refresh: str | None,
    expires_at: datetime | None,
) -> ConnectionRow:
    """A copy of `row` holding the given tokens sealed under the active key (and counted)."""
    sealed_access = cipher.seal(access, user_id=row.user_id, field="access")
    sealed_refresh = cipher.seal(refresh, user_id=row.user_id, field="refresh") if refresh else None
    count_encryptions(conn, key_id=cipher.active_key_id, count=2 if refresh else 1)
    return replace(
        row,
        key_id=sealed_access.key_id,
        access_token_ct=sealed_access.blob,
        refresh_token_ct=sealed_refresh.blob if sealed_refresh else None,
        access_expires_at=expires_at,
    )


def open_tokens(cipher: TokenCipher, row: ConnectionRow) -> tuple[str, str | None]:
    access = cipher.open(Sealed(row.key_id, row.access_token_ct), user_id=row.user_id, field="access")
    refresh = None
    if row.refresh_token_ct is not None:
        refresh = cipher.open(Sealed(row.key_id, row.refresh_token_ct), user_id=row.user_id, field="refresh")
    return access, refresh


def expiry(grant: TokenGrant, now: datetime) -> datetime | None:
    return now + timedelta(seconds=grant.expires_in) if grant.expires_in else None


class StoredTokens:
    def __init__(self, *, pool: ConnectionPool[Conn], canvas: CanvasApi, user_id: uuid.UUID, clock: Clock) -> None:
        self._pool, self._canvas, self._user_id, self._clock = pool, canvas, user_id, clock
        self._access: str | None = None
        self._expires_at: datetime | None = None

    def access_token(self) -> str:
        if self._access is None or self._expiring():
            self._load()
        if self._access is None or self._expiring():
            return self.refresh()
        return self._access

    def refresh(self) -> str:
        with self._pool.connection() as conn:
            row = self._row(conn, for_update=True)
            _access, refresh_token = open_tokens(self._canvas.cipher, row)
            if refresh_token is None:
                raise CanvasAuthExpired("the Canvas access token expired and there is no refresh token; reconnect")
            grant = refresh_grant(
                self._canvas.http, self._canvas.guard, self._canvas.oauth, refresh_token=refresh_token
            )
            now = self._clock.now()
            updated = seal_grant(
                conn, self._canvas.cipher, replace(row, updated_at=now),
                access=grant.access_token, refresh=grant.refresh_token or refresh_token, expires_at=expiry(grant, now),
            )  # fmt: skip
            save_connection(conn, updated)
        self._access, self._expires_at = grant.access_token, updated.access_expires_at
        return grant.access_token

    def _load(self) -> None:
        with self._pool.connection() as conn:
            row = self._row(conn, for_update=False)
            access, refresh = open_tokens(self._canvas.cipher, row)
            if row.key_id != self._canvas.cipher.active_key_id:
                rotated = seal_grant(
                    conn, self._canvas.cipher, row, access=access, refresh=refresh, expires_at=row.access_expires_at
                )
                save_connection(conn, rotated)
        self._access, self._expires_at = access, row.access_expires_at

    def _row(self, conn: Conn, *, for_update: bool) -> ConnectionRow:
        row = get_connection(conn, user_id=self._user_id, for_update=for_update)
        if row is None:
            raise CanvasNotConnected("Canvas is not connected for this account")
        return row

    def _expiring(self) -> bool:
        return self._expires_at is not None and self._expires_at - EARLY_REFRESH <= self._clock.now()
