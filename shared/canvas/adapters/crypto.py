"""AES-256-GCM for Canvas tokens, with named keys so keys can rotate.

A sealed token is `nonce (12 bytes) || ciphertext || tag`; the key id is stored beside it.
The associated data binds a ciphertext to its user, its field and its key id, so a ciphertext
moved to another row (or relabelled with another key id) fails authentication.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import uuid
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

NONCE_BYTES = 12


class TokenKeyError(Exception):
    """The token keys are missing or malformed, or a ciphertext names an unknown key."""


class TokenDecryptError(Exception):
    """A ciphertext did not authenticate: tampered, moved between rows, or the wrong key."""


@dataclass(frozen=True)
class Sealed:
    key_id: str
    blob: bytes


def _aad(user_id: uuid.UUID, field: str, key_id: str) -> bytes:
    return f"canvas-token|{user_id}|{field}|{key_id}".encode()


class TokenCipher:
    def __init__(self, keys: dict[str, bytes], active_key_id: str) -> None:
        if active_key_id not in keys:
            raise TokenKeyError(f"the active token key {active_key_id!r} is not among the configured keys")
        for key_id, key in keys.items():
            if len(key) != 32:
                raise TokenKeyError(f"token key {key_id!r} must be 32 bytes (AES-256), got {len(key)}")
        self._keys = {key_id: AESGCM(key) for key_id, key in keys.items()}
        self.active_key_id = active_key_id

    def seal(self, plaintext: str, *, user_id: uuid.UUID, field: str) -> Sealed:
        nonce = os.urandom(NONCE_BYTES)
        key_id = self.active_key_id
        body = self._keys[key_id].encrypt(nonce, plaintext.encode(), _aad(user_id, field, key_id))
        return Sealed(key_id=key_id, blob=nonce + body)

    def open(self, sealed: Sealed, *, user_id: uuid.UUID, field: str) -> str:
        aead = self._keys.get(sealed.key_id)
        if aead is None:
            raise TokenKeyError(f"token key {sealed.key_id!r} is no longer configured")
        nonce, body = sealed.blob[:NONCE_BYTES], sealed.blob[NONCE_BYTES:]
        try:
            return aead.decrypt(nonce, body, _aad(user_id, field, sealed.key_id)).decode()
        except InvalidTag as exc:
            raise TokenDecryptError("the stored token did not authenticate") from exc


def parse_keys(text: str) -> dict[str, bytes]:
    """`id:base64,id:base64` or a JSON object `{id: base64}`; base64 may be url-safe."""
    stripped = text.strip()
    pairs: dict[str, str]
    if stripped.startswith("{"):
        pairs = {str(k): str(v) for k, v in json.loads(stripped).items()}
    else:
        pairs = dict(_split_pair(item) for item in stripped.split(",") if item.strip())
    try:
        return {key_id: base64.urlsafe_b64decode(_padded(value)) for key_id, value in pairs.items()}
    except (binascii.Error, ValueError) as exc:
        raise TokenKeyError("TOKEN_ENCRYPTION_KEYS holds a key that is not base64") from exc


def _split_pair(item: str) -> tuple[str, str]:
    key_id, sep, value = item.strip().partition(":")
    if not sep or not key_id:
        raise TokenKeyError("TOKEN_ENCRYPTION_KEYS entries look like key_id:base64key")
    return key_id, value


def _padded(value: str) -> str:
    value = value.strip().replace("+", "-").replace("/", "_")
    return value + "=" * (-len(value) % 4)


def new_key_text(key_id: str) -> str:
    """A fresh `key_id:base64` entry (for docs, local set-up and tests)."""
    return f"{key_id}:{base64.urlsafe_b64encode(os.urandom(32)).decode()}"
