"""A minimal keep-alive HTTP/1.1 GET client for the load generator.

The load generator shares the 2 cores with the server and Postgres, so it should cost as
little as possible per request: one asyncio stream per client, no pooling, no parsing beyond
the status line and Content-Length.
"""

from __future__ import annotations

import asyncio
from urllib.parse import urlencode


class Connection:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, host: str) -> None:
        self._reader, self._writer, self._host = reader, writer, host

    @classmethod
    async def open(cls, host: str, port: int) -> Connection:
        reader, writer = await asyncio.open_connection(host, port)
        return cls(reader, writer, host)

    async def get(self, path: str, params: dict[str, str], headers: dict[str, str]) -> tuple[int, bytes]:
        lines = [f"GET {path}?{urlencode(params)} HTTP/1.1", f"Host: {self._host}"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        self._writer.write(("\r\n".join(lines) + "\r\n\r\n").encode())
        head = await self._reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        return status, await self._reader.readexactly(length)

    async def close(self) -> None:
        self._writer.close()
        await self._writer.wait_closed()
