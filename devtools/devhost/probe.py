"""Is a configured service really there? Short, bounded checks."""

from __future__ import annotations

import psycopg
from azure.core.exceptions import AzureError
from azure.storage.blob import BlobServiceClient
from redis import Redis
from redis.exceptions import RedisError


def postgres_ok(url: str) -> bool:
    try:
        with psycopg.connect(url, connect_timeout=3, prepare_threshold=None) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error:
        return False
    return True


def redis_ok(url: str) -> bool:
    client = Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
    try:
        return bool(client.ping())
    except RedisError:
        return False
    finally:
        client.close()


def blob_ok(connection_string: str) -> bool:
    try:
        with BlobServiceClient.from_connection_string(connection_string, retry_total=0) as client:
            client.get_service_properties(timeout=3)
    except (AzureError, ValueError):
        return False
    return True
