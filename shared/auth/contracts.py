"""The auth context's public types: who is calling (`Principal`), an account as others see it
(`Account`), and the HTTP bodies of its routes."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

Role = Literal["student", "operator"]


@dataclass(frozen=True)
class Principal:
    """Who is calling: the user behind a session cookie or a bearer token."""

    user_id: uuid.UUID
    email: str
    role: Role
    #: The session the caller proved (cookie or the `sid` of a bearer JWT); logout revokes it.
    session_id: uuid.UUID | None = None


@dataclass(frozen=True)
class Account:
    """An account as other contexts see it: deleting one is confirmed with its password or its address."""

    user_id: uuid.UUID
    email: str
    #: None for an account that signs in only through single sign-on.
    password_hash: str | None


# Length only, no composition rules (ASVS 6.2.1/6.2.5); the cap stops huge inputs before hashing.
PASSWORD_MIN = 12
PASSWORD_MAX = 256
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")


def _checked_email(value: str) -> str:
    value = value.strip()
    if len(value) > 254 or not _EMAIL.match(value):
        raise ValueError("not an email address")
    return value


class _SchoolEmail(BaseModel):
    """`school_email` is the specification's name for `email`: either may be sent (both must agree)."""

    @model_validator(mode="before")
    @classmethod
    def _email_from_school_email(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("email") is None and data.get("school_email") is not None:
            return {**data, "email": data["school_email"]}
        return data


def _email_or_school_email(schema: dict[str, Any]) -> None:
    """In the schema neither is required on its own: one of the two must be sent."""
    schema["required"] = [name for name in schema.get("required", []) if name != "email"]


_EITHER_EMAIL = ConfigDict(extra="forbid", json_schema_extra=_email_or_school_email)


def _same_email(value: str | None, info: ValidationInfo) -> str | None:
    email = info.data.get("email")
    if value is not None and email is not None and value.strip().casefold() != email.casefold():
        raise ValueError("school_email and email differ; send one of them")
    return value


class SignupRequest(_SchoolEmail):
    model_config = _EITHER_EMAIL

    email: str = Field(max_length=320)
    school_email: str | None = Field(default=None, max_length=320)
    password: str = Field(min_length=PASSWORD_MIN, max_length=PASSWORD_MAX)
    display_name: str = Field(default="", max_length=200)

    @field_validator("email")
    @classmethod
    def _email_shape(cls, value: str) -> str:
        return _checked_email(value)

    _school_email_agrees = field_validator("school_email")(_same_email)


class LoginRequest(_SchoolEmail):
    model_config = _EITHER_EMAIL

    email: str = Field(max_length=320)
    school_email: str | None = Field(default=None, max_length=320)
    password: str = Field(min_length=1, max_length=PASSWORD_MAX)
    #: Mobile clients ask for a short-lived bearer JWT alongside the session cookie.
    issue_jwt: bool = False

    _school_email_agrees = field_validator("school_email")(_same_email)


class User(BaseModel):
    id: uuid.UUID
    email: str
    #: The specification's name for `email` (the same address).
    school_email: str
    display_name: str
    role: Role
    email_verified: bool = Field(description="Only a verified address gets reminders and other email")


class SessionInfo(BaseModel):
    expires_at: datetime
    idle_expires_at: datetime
    auth_method: str


class BearerToken(BaseModel):
    access_token: str
    token_type: Literal["Bearer"] = "Bearer"
    expires_in: int


class SignedIn(BaseModel):
    user: User
    session: SessionInfo
    token: BearerToken | None = None


class CurrentSession(BaseModel):
    user: User
    session: SessionInfo


class VerifyEmailRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    token: str = Field(min_length=1, max_length=200)


class ForgotPasswordRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: str = Field(max_length=320)

    @field_validator("email")
    @classmethod
    def _email_shape(cls, value: str) -> str:
        return _checked_email(value)


class ResetPasswordRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    token: str = Field(min_length=1, max_length=200)
    password: str = Field(min_length=PASSWORD_MIN, max_length=PASSWORD_MAX)


class ChangePasswordRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    current_password: str = Field(min_length=1, max_length=PASSWORD_MAX)
    new_password: str = Field(min_length=PASSWORD_MIN, max_length=PASSWORD_MAX)


class ActiveSession(BaseModel):
    id: uuid.UUID
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime
    auth_method: str
    user_agent: str
    ip: str | None
    current: bool = Field(description="The session this request came with")


class ActiveSessions(BaseModel):
    sessions: list[ActiveSession]
