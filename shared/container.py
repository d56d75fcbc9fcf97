"""The composition root: builds every client from settings, lazily, once per process.

Nothing here runs at import time. FastAPI start-up hooks never run for timer or blob
functions, so every entry point (HTTP, timers, blobs, the CLI) asks `get_container()`.
"""

from __future__ import annotations

import threading
from functools import cached_property
from typing import TYPE_CHECKING

import httpx
from psycopg_pool import ConnectionPool
from redis import Redis

from shared.ai.adapters import Generator
from shared.ai.adapters.build import build_generator
from shared.canvas.adapters.canvas_api import CanvasApi, build_canvas_api, build_http
from shared.media.adapters import TextToSpeech
from shared.media.adapters.build import build_tts
from shared.notify.adapters import EmailSender
from shared.notify.adapters.build import build_email_sender
from shared.platform.blobs import BlobStore
from shared.platform.blobs_azure import AzureBlobStore
from shared.platform.clock import Clock, SystemClock
from shared.platform.db import Conn, open_pool
from shared.platform.errors import Unavailable
from shared.platform.lanes import FairLanes
from shared.platform.publisher import Publisher
from shared.platform.streams import RESULT_STREAMS, StreamPublisher
from shared.quota.service import QuotaGate
from shared.quota.store import PgUsageCounters
from shared.settings import Settings, load_settings
from shared.study.adapters import ChatSetup, build_chat_setup
from shared.study.ask.embeddings import Embedder, build_embedder

if TYPE_CHECKING:
    from azure.core.credentials import TokenCredential


class Container:
    def __init__(self, settings: Settings, *, clock: Clock | None = None) -> None:
        self.settings = settings
        self.clock: Clock = clock or SystemClock()
        self._lock = threading.RLock()

    @cached_property
    def db(self) -> ConnectionPool[Conn]:
        with self._lock:
            url = self.settings.postgres_url
            if url is None:
                raise Unavailable("POSTGRES_URL is not set")
            return open_pool(url.get_secret_value(), max_size=self.settings.postgres_pool_max)

    @cached_property
    def redis(self) -> Redis:
        with self._lock:
            url = self.settings.redis_url
            if url is None:
                raise Unavailable("REDIS_URL is not set")
            return Redis.from_url(url.get_secret_value(), health_check_interval=30, socket_timeout=30)

    @cached_property
    def blobs(self) -> BlobStore:
        with self._lock:
            settings = self.settings
            if settings.azure_storage_connection_string is not None:
                return AzureBlobStore.from_connection_string(
                    settings.azure_storage_connection_string.get_secret_value()
                )
            if settings.azure_storage_account_url:
                return AzureBlobStore.from_managed_identity(settings.azure_storage_account_url)
            raise Unavailable("neither AZURE_STORAGE_CONNECTION_STRING nor AZURE_STORAGE_ACCOUNT_URL is set")

    @cached_property
    def lanes(self) -> FairLanes:
        """Consumers always settle through the lanes, so work parked before `FAIR_SHARE` was
        turned off is still let in; only publishing skips them when it is off."""
        settings = self.settings
        return FairLanes(self.redis, window=settings.fair_window, bulk_window=settings.fair_bulk_window)

    @cached_property
    def publisher(self) -> Publisher:
        from shared.registry import STREAMS  # the registry imports this module

        caps = dict.fromkeys(RESULT_STREAMS, self.settings.result_stream_max_entries)
        return StreamPublisher(
            self.redis,
            prefix=self.settings.stream_prefix,
            caps=caps,
            lanes=self.lanes if self.settings.fair_share else None,
            fair=STREAMS,
        )

    @cached_property
    def generator(self) -> Generator:
        """The study-aid generator (and its provider client), chosen by settings."""
        with self._lock:
            return build_generator(self.settings)

    @cached_property
    def chat(self) -> ChatSetup | None:
        """The chat client (with model label and retry policy) for quizzes and answers; None when local."""
        with self._lock:
            return build_chat_setup(self.settings)

    @cached_property
    def embedder(self) -> Embedder | None:
        """The embeddings adapter where a deployment is configured; None keeps retrieval full text."""
        with self._lock:
            return build_embedder(self.settings)

    @cached_property
    def quota(self) -> QuotaGate:
        return QuotaGate(counters=PgUsageCounters(self.db), settings=self.settings, clock=self.clock)

    @cached_property
    def tts(self) -> TextToSpeech:
        """The speech adapter `TTS_PROVIDER` chooses, built once (Azure Speech keeps its credential)."""
        with self._lock:
            return build_tts(self.settings, credential=lambda: self.azure_credential)

    @cached_property
    def email_sender(self) -> EmailSender:
        """The email adapter `EMAIL_PROVIDER` chooses, built once (ACS keeps its client and credential)."""
        with self._lock:
            return build_email_sender(self.settings, credential=lambda: self.azure_credential)

    @cached_property
    def azure_credential(self) -> TokenCredential:
        """The process's one Entra ID credential (managed identity in Azure), for the adapters
        that sign in without a key; its token cache then lives as long as the process."""
        with self._lock:
            from azure.identity import DefaultAzureCredential

            return DefaultAzureCredential()

    @cached_property
    def canvas_http(self) -> httpx.Client:
        """The one HTTP client for Canvas and its file hosts (its pool is reused by every request and sync)."""
        with self._lock:
            return build_http(self.settings)

    @cached_property
    def canvas(self) -> CanvasApi:
        """Canvas's OAuth client, host guard, token cipher and retry policy around `canvas_http`."""
        with self._lock:
            return build_canvas_api(self.settings, public_base_url=self.settings.public_base_url, http=self.canvas_http)

    def close(self) -> None:
        if "canvas_http" in self.__dict__:
            self.canvas_http.close()
        if "db" in self.__dict__:
            self.db.close()
        if "redis" in self.__dict__:
            self.redis.close()
        if "blobs" in self.__dict__ and isinstance(self.blobs, AzureBlobStore):
            self.blobs.close()


_default: Container | None = None
_default_lock = threading.Lock()


def get_container() -> Container:
    """The process-wide container, built from the environment on first use.

    First use is also when the process's logs are attached (shared/logs/process.py): inside the
    Functions host no start-up hook runs before the first HTTP, timer or blob invocation.
    """
    global _default
    with _default_lock:
        if _default is None:
            from shared.logs.process import observe_process

            _default = Container(load_settings())
            observe_process(_default)
        return _default


def set_container(container: Container | None) -> None:
    """Install a container built elsewhere (the local runner, tests)."""
    global _default
    with _default_lock:
        _default = container
