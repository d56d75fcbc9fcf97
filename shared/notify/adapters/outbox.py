"""The local default sender: each email becomes an `.eml` file in a folder (open it in any mail app)."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from shared.notify.adapters import to_mime
from shared.notify.contracts import OutgoingEmail, TransientSendError

logger = logging.getLogger(__name__)


class OutboxSender:
    name = "outbox"

    def __init__(self, folder: Path, *, sender: str) -> None:
        self.folder = folder
        self.sender = sender

    def send(self, email: OutgoingEmail) -> str:
        message = to_mime(email, sender=self.sender)
        target = self.folder / f"{email.delivery_id}.eml"
        partial = target.with_suffix(".eml.part")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            partial.write_bytes(message.as_bytes())
            os.replace(partial, target)  # readers never see half a message
        except OSError as exc:
            raise TransientSendError(f"cannot write to the outbox {self.folder}: {exc}") from exc
        logger.info("email %s written to %s", email.delivery_id, target)
        return str(target)
