"""HTTP bodies of the account routes."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from shared.auth.contracts import PASSWORD_MAX


class DeleteAccount(BaseModel):
    """A password account confirms with its password; a Google or Microsoft account with its address."""

    model_config = ConfigDict(extra="forbid")

    password: str | None = Field(default=None, min_length=1, max_length=PASSWORD_MAX)
    confirm_email: str | None = Field(default=None, max_length=320)
