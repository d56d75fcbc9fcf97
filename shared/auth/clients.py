"""The auth context's own clients, built from the container's settings once per container."""

from __future__ import annotations

import threading
import weakref

from shared.auth.passwords import PasswordHashing
from shared.container import Container


class AuthClients:
    def __init__(self, container: Container) -> None:
        settings = container.settings
        # One semaphore per process: every login of this container shares the hashing bound.
        self.hashing = PasswordHashing(
            concurrency=settings.argon2_concurrency, queue_timeout_s=settings.argon2_queue_timeout_seconds
        )
        self.throttle = container.throttle


_built: weakref.WeakKeyDictionary[Container, AuthClients] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def auth_clients(container: Container) -> AuthClients:
    with _lock:
        clients = _built.get(container)
        if clients is None:
            clients = _built[container] = AuthClients(container)
        return clients
