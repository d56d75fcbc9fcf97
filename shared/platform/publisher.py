"""The publishing port that use cases take as an argument."""

from __future__ import annotations

from typing import Protocol

from shared.platform.messages import Message


class Publisher(Protocol):
    def publish(self, message: Message) -> str: ...
