"""The composition root: builds every client from settings, lazily, once per process.

Nothing here runs at import time. FastAPI start-up hooks never run for timer or blob
functions, so every entry point (HTTP, timers, blobs, the CLI) asks `get_container()`.
"""

from __future__ import annotations

import asyncio
import threading
import weakref
from functools import cached_property

from psycopg_pool import ConnectionPool
from redis import Redis

from shared.platform.blobs import BlobStore
from shared.platform.blobs_azure import AzureBlobStore
from shared.platform.clock import Clock, SystemClock
from shared.platform.db import AsyncPool, Conn, discard_async_pool, open_async_pool, open_pool
from shared.platform.errors import Unavailable
from shared.platform.lanes import FairLanes
from shared.platform.publisher import Publisher
from shared.platform.streams import RESULT_STREAMS, StreamPublisher
from shared.settings import Settings, load_settings


class Container:
    def __init__(self, settings: Settings, *, clock: Clock | None = None) -> None:
        self.settings = settings
        self.clock: Clock = clock or SystemClock()
        self._lock = threading.RLock()
        # The gateway's read paths: one async pool per running event loop (uvicorn and the
        # Functions worker have one; a test client runs its own), opened on first use.
        self._async_pools: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, AsyncPool] = weakref.WeakKeyDictionary()
        self._async_opening: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
            weakref.WeakKeyDictionary()
        )

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
        from shared.registry import STREAMS  # the registry imports this module

        caps = dict.fromkeys(RESULT_STREAMS, self.settings.result_stream_max_entries)
        return StreamPublisher(
            self.redis,
            prefix=self.settings.stream_prefix,
            caps=caps,
            lanes=self.lanes if self.settings.fair_share else None,
            fair=STREAMS,
        )

    def close(self) -> None:
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
