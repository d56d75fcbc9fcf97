"""Confirming an account deletion: a password account with its password, an SSO account with its address."""

from __future__ import annotations

import uuid

import pytest

from shared.account.service import confirm_deletion
from shared.auth.contracts import Account
from shared.platform.errors import PermissionDenied


class PlainHashing:
    """A password "hash" that is the password itself, recording each check."""

    def __init__(self) -> None:
        self.checked: list[str] = []

    def verify(self, stored_hash: str | None, password: str) -> bool:
        self.checked.append(password)
        return stored_hash == password


def user(*, password_hash: str | None) -> Account:
    return Account(user_id=uuid.uuid4(), email="Student@Example.edu", password_hash=password_hash)


def test_a_password_account_confirms_with_its_password() -> None:
    hashing = PlainHashing()
    confirm_deletion(user=user(password_hash="s3cret"), password="s3cret", confirm_email=None, hashing=hashing)
    assert hashing.checked == ["s3cret"]


@pytest.mark.parametrize(("password", "confirm_email"), [("wrong", None), (None, "Student@Example.edu")])
def test_a_password_account_is_not_deleted_without_its_password(
    password: str | None, confirm_email: str | None
) -> None:
    with pytest.raises(PermissionDenied) as refused:
        confirm_deletion(
            user=user(password_hash="s3cret"), password=password, confirm_email=confirm_email, hashing=PlainHashing()
        )
    assert refused.value.details == {"password": "not right"}


def test_a_sign_in_only_account_confirms_with_its_address_in_any_case() -> None:
    hashing = PlainHashing()
    confirm_deletion(
        user=user(password_hash=None), password=None, confirm_email="  student@example.EDU ", hashing=hashing
    )
    assert hashing.checked == []  # no password to check


@pytest.mark.parametrize("confirm_email", [None, "", "other@example.edu"])
def test_a_sign_in_only_account_refuses_another_address(confirm_email: str | None) -> None:
    with pytest.raises(PermissionDenied) as refused:
        confirm_deletion(
            user=user(password_hash=None), password="anything", confirm_email=confirm_email, hashing=PlainHashing()
        )
    assert refused.value.details == {"confirm_email": "no match"}
