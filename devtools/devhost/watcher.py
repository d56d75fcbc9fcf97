"""Polls the `raw` container and turns each new blob into the blob-trigger call (no Event Grid here)."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from pathlib import Path

from shared.platform.blobs import BlobStore

logger = logging.getLogger(__name__)


class RawWatcher:
    def __init__(self, blobs: BlobStore, *, on_new: Callable[[str], None], state_file: Path) -> None:
        self._blobs = blobs
        self._on_new = on_new
        self._state_file = state_file
        self._seen: dict[str, str] = self._load()
        self._failing: set[str] = set()

    def _load(self) -> dict[str, str]:
        if self._state_file.exists():
            loaded = json.loads(self._state_file.read_text())
            return {str(k): str(v) for k, v in loaded.items()}
        return {}

    def _save(self) -> None:
        self._state_file.parent.mkdir(parents=True, exist_ok=True)
        self._state_file.write_text(json.dumps(self._seen))

    def poll_once(self) -> int:
        """Fire for every blob that is new or changed since the last poll; returns how many fired."""
        fired = 0
        for blob in self._blobs.list(container="raw"):
            if self._seen.get(blob.path) == blob.etag:
                continue
            path = f"raw/{blob.path}"
            try:
                self._on_new(path)
            # A loop boundary: one blob's failure must not stop the watcher; it is retried next poll.
            except Exception:
                if path not in self._failing:
                    logger.exception("blob %s was not handled; retrying on every poll", path)
                self._failing.add(path)
                continue
            self._failing.discard(path)
            self._seen[blob.path] = blob.etag
            fired += 1
        if fired:
            self._save()
        return fired

    def run(self, stop: threading.Event, *, interval_s: float = 1.0) -> None:
        while not stop.wait(interval_s):
            self.poll_once()
