"""Who is calling: the user behind a session cookie or a bearer token."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Literal

Role = Literal["student", "operator"]


@dataclass(frozen=True)
class Principal:
    user_id: uuid.UUID
    email: str
    role: Role
    #: The session the caller proved (cookie or the `sid` of a bearer JWT); logout revokes it.
    session_id: uuid.UUID | None = None
