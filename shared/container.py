"""The composition root: builds every client from settings, lazily, once per container.

Nothing here runs at import time, and a container reads nothing until first used: the
Functions entry hands the process container to `create_app` while it is being imported, and
FastAPI start-up hooks never run for timer or blob functions. Timers, blobs and the CLI ask
`get_container()`; routes reach the app's own container through `shared.deps.ContainerDep`.
"""

from __future__ import annotations

import asyncio
import threading
import weakref
from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING

import httpx
from psycopg_pool import ConnectionPool
from redis import Redis

from shared.ai.adapters import Generator
from shared.ai.build import build_generator
from shared.canvas.adapters.canvas_api import CanvasApi, build_canvas_api, build_http
from shared.media.adapters import TextToSpeech
from shared.media.adapters.build import build_tts
from shared.notify.adapters.build import build_email_sender
from shared.notify.contracts import EmailSender
from shared.platform.blobs import BlobStore
from shared.platform.blobs_azure import AzureBlobStore
from shared.platform.clock import Clock, SystemClock
from shared.platform.db import AsyncPool, Conn, discard_async_pool, open_async_pool, open_pool
from shared.platform.errors import Unavailable
from shared.platform.lanes import FairLanes
from shared.platform.publisher import Publisher
from shared.platform.stream_names import STREAMS
from shared.platform.streams import RESULT_STREAMS, StreamPublisher
from shared.platform.throttle import RedisThrottle, Throttle
from shared.quota.service import QuotaGate
from shared.quota.store import PgUsageCounters
from shared.settings import Settings, load_settings
from shared.study.adapters import ChatSetup, build_chat_setup
from shared.study.ask.embeddings import Embedder, build_embedder

if TYPE_CHECKING:
    from azure.core.credentials import TokenCredential

    from shared.auth.adapters import AccountMailer, PasswordHasher
    from shared.auth.oauth.flow import FlowStore
    from shared.auth.oauth.providers import ProviderName, SignInProvider
    from shared.auth.store import AuthStore
    from shared.registry import Registry


class Container:
    """Every adapter the app uses, each built once on first use.

    Without `settings`, they are read from the environment on first use, and `on_load` then
    runs once (the process container attaches its log channels there).
    """

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        clock: Clock | None = None,
        on_load: Callable[[Container], None] | None = None,
    ) -> None:
        if settings is not None:
            self.__dict__["settings"] = settings
        self.clock: Clock = clock or SystemClock()
        self._lock = threading.RLock()
        self._on_load = on_load
        # The gateway's read paths: one async pool per running event loop (uvicorn and the
        # Functions worker have one; a test client runs its own), opened on first use.
        self._async_pools: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, AsyncPool] = weakref.WeakKeyDictionary()
        self._async_opening: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
            weakref.WeakKeyDictionary()
        )

    @cached_property
    def settings(self) -> Settings:
        with self._lock:
            if "settings" not in self.__dict__:
                self.__dict__["settings"] = load_settings()
                if self._on_load is not None:
                    self._on_load(self)
            loaded: Settings = self.__dict__["settings"]
            return loaded

    @cached_property
    def db(self) -> ConnectionPool[Conn]:
        with self._lock:
            url = self.settings.postgres_url
            if url is None:
                raise Unavailable("POSTGRES_URL is not set")
            return open_pool(url.get_secret_value(), max_size=self.settings.postgres_pool_max)

    async def async_db(self) -> AsyncPool:
        """The async pool of the running loop, opened on first use (reads never hop to a thread)."""
        loop = asyncio.get_running_loop()
        pool = self._async_pools.get(loop)
        if pool is not None:
            return pool
        opening = self._async_opening.setdefault(loop, asyncio.Lock())
        async with opening:
            pool = self._async_pools.get(loop)
            if pool is None:
                self._discard_dead_pools()
                url = self.settings.postgres_url
                if url is None:
                    raise Unavailable("POSTGRES_URL is not set")
                max_size = self.settings.postgres_pool_max
                pool = await open_async_pool(url.get_secret_value(), max_size=max_size)
                self._async_pools[loop] = pool
        return pool

    async def close_async_db(self) -> None:
        """Close the running loop's async pool, on that loop (the gateway's lifespan ends there);
        left open, its worker tasks die with the loop."""
        pool = self._async_pools.pop(asyncio.get_running_loop(), None)
        if pool is not None:
            await pool.close()

    def _discard_dead_pools(self) -> None:
        for loop, pool in list(self._async_pools.items()):
            if loop.is_closed():
                self._async_pools.pop(loop, None)
                discard_async_pool(pool)

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

    @cached_property
    def registry(self) -> Registry:
        """The stream handlers, the raw-blob handler and the timer jobs, built once for this container."""
        from shared.registry import Registry  # the registry imports every context, and they import this module

        return Registry(self)

    @cached_property
    def throttle(self) -> Throttle:
        return RedisThrottle(self.redis, prefix=self.settings.stream_prefix)

    @cached_property
    def auth_store(self) -> AuthStore:
        from shared.auth.store import PostgresAuthStore

        return PostgresAuthStore(self.db)

    @cached_property
    def password_hashing(self) -> PasswordHasher:
        """One per container: every sign-in it serves shares the hashing concurrency bound."""
        from shared.auth.adapters.passwords import PasswordHashing

        with self._lock:
            settings = self.settings
            return PasswordHashing(
                concurrency=settings.argon2_concurrency, queue_timeout_s=settings.argon2_queue_timeout_seconds
            )

    @cached_property
    def account_mail(self) -> AccountMailer:
        from shared.auth.adapters.mail import AccountMail

        return AccountMail(sender=self.email_sender, base_url=self.settings.public_base_url)

    @cached_property
    def oauth_flows(self) -> FlowStore:
        from shared.auth.oauth.flow import FlowStore

        settings = self.settings
        return FlowStore(self.redis, prefix=settings.stream_prefix, ttl_s=settings.oauth_flow_ttl_seconds)

    @cached_property
    def google_sign_in(self) -> SignInProvider:
        from shared.auth.oauth.providers import build_provider

        return build_provider(self.settings, "google")

    @cached_property
    def microsoft_sign_in(self) -> SignInProvider:
        from shared.auth.oauth.providers import build_provider

        return build_provider(self.settings, "microsoft")

    def sign_in_provider(self, name: ProviderName) -> SignInProvider:
        """Built on first use (a provider that is not configured is refused then, every time)."""
        return self.google_sign_in if name == "google" else self.microsoft_sign_in

    def close(self) -> None:
        if "canvas_http" in self.__dict__:
            self.canvas_http.close()
        for pool in list(self._async_pools.values()):
            discard_async_pool(pool)
        self._async_pools.clear()
        if "db" in self.__dict__:
            self.db.close()
        if "redis" in self.__dict__:
            self.redis.close()
        if "blobs" in self.__dict__ and isinstance(self.blobs, AzureBlobStore):
            self.blobs.close()


_default: Container | None = None
_default_lock = threading.Lock()


def get_container() -> Container:
    """The process-wide container; it reads the environment when first used, not here.

    Its first use is also when the process's logs are attached (shared/logs/process.py): inside
    the Functions host no start-up hook runs before the first HTTP, timer or blob invocation.
    """
    global _default
    with _default_lock:
        if _default is None:
            _default = Container(on_load=_observe)
        return _default


def _observe(container: Container) -> None:
    from shared.logs.process import observe_process  # the logs context imports this module

    observe_process(container)


def set_container(container: Container | None) -> None:
    """Install a container built elsewhere as the process's (the local runner, the worker CLI):
    what the Functions entry, timers and blobs then use."""
    global _default
    with _default_lock:
        _default = container
