"""AES-GCM token sealing: round trip, binding to user and field, tamper detection, rotation."""

from __future__ import annotations

import base64
import os
import uuid

import pytest

from shared.canvas.adapters.crypto import NONCE_BYTES, Sealed, TokenCipher, TokenDecryptError, TokenKeyError, parse_keys


def _cipher(*key_ids: str, active: str | None = None) -> TokenCipher:
    return TokenCipher({k: bytes([i + 1]) * 32 for i, k in enumerate(key_ids)}, active or key_ids[-1])


def test_round_trip_and_ciphertext_hides_the_token() -> None:
    cipher, user = _cipher("k1"), uuid.uuid4()
    sealed = cipher.seal("canvas-access-token-123", user_id=user, field="access")
    assert sealed.key_id == "k1"
    assert b"canvas-access-token-123" not in sealed.blob
    assert cipher.open(sealed, user_id=user, field="access") == "canvas-access-token-123"


def test_a_ciphertext_moved_to_another_user_or_field_does_not_open() -> None:
    cipher, alice, bob = _cipher("k1"), uuid.uuid4(), uuid.uuid4()
    sealed = cipher.seal("alice-token", user_id=alice, field="access")
    with pytest.raises(TokenDecryptError):
        cipher.open(sealed, user_id=bob, field="access")
    with pytest.raises(TokenDecryptError):
        cipher.open(sealed, user_id=alice, field="refresh")


def test_every_flipped_bit_in_nonce_ciphertext_or_tag_is_detected() -> None:
    cipher, user = _cipher("k1"), uuid.uuid4()
    blob = cipher.seal("token-value-for-tamper-test", user_id=user, field="access").blob
    regions = {
        "nonce": range(NONCE_BYTES),
        "body": range(NONCE_BYTES, len(blob) - 16),
        "tag": range(len(blob) - 16, len(blob)),
    }
    detected = 0
    for region in regions.values():
        for trial in range(100):
            position = region[trial % len(region)]
            flipped = bytearray(blob)
            flipped[position] ^= 1 << (trial % 8)
            with pytest.raises(TokenDecryptError):
                cipher.open(Sealed("k1", bytes(flipped)), user_id=user, field="access")
            detected += 1
    assert detected == 300


def test_relabelling_the_key_id_fails_and_an_unknown_key_is_named() -> None:
    old, user = _cipher("k1", "k2", active="k1"), uuid.uuid4()
    sealed = old.seal("t", user_id=user, field="access")
    with pytest.raises(TokenDecryptError):
        old.open(Sealed("k2", sealed.blob), user_id=user, field="access")
    with pytest.raises(TokenKeyError, match="k1"):
        _cipher("k9").open(sealed, user_id=user, field="access")


def test_rotation_keeps_old_ciphertexts_readable_while_sealing_under_the_new_key() -> None:
    user = uuid.uuid4()
    before = _cipher("k1").seal("still-here", user_id=user, field="refresh")
    rotated = _cipher("k1", "k2", active="k2")
    assert rotated.open(before, user_id=user, field="refresh") == "still-here"
    assert rotated.seal("new", user_id=user, field="refresh").key_id == "k2"


def test_nonces_do_not_repeat_over_many_seals() -> None:
    cipher, user = _cipher("k1"), uuid.uuid4()
    nonces = {cipher.seal("x", user_id=user, field="access").blob[:NONCE_BYTES] for _ in range(20_000)}
    assert len(nonces) == 20_000


def test_keys_parse_from_pairs_or_json_and_bad_keys_are_refused() -> None:
    key = base64.urlsafe_b64encode(os.urandom(32)).decode()
    assert parse_keys(f"a:{key}, b:{key}").keys() == {"a", "b"}
    assert len(parse_keys(f'{{"a": "{key}"}}')["a"]) == 32
    with pytest.raises(TokenKeyError):
        parse_keys("no-separator")
    with pytest.raises(TokenKeyError, match="32 bytes"):
        TokenCipher({"a": b"short"}, "a")
    with pytest.raises(TokenKeyError, match="active"):
        TokenCipher({"a": bytes(32)}, "b")
