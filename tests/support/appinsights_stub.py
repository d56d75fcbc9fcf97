"""A loopback stand-in for Application Insights' ingestion endpoint (`POST /v2.1/track`).

The connection string names it as `IngestionEndpoint=http://127.0.0.1:<port>/`; it accepts
every envelope, as the service does, and keeps them for the test to read.
"""

from __future__ import annotations

import gzip
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class IngestionStub:
    port: int
    envelopes: list[dict[str, Any]] = field(default_factory=list)

    @property
    def connection_string(self) -> str:
        endpoint = f"http://127.0.0.1:{self.port}/"
        return (
            "InstrumentationKey=00000000-0000-0000-0000-000000000000;"
            f"IngestionEndpoint={endpoint};LiveEndpoint={endpoint}"
        )

    def log_lines(self) -> list[dict[str, Any]]:
        """The JSON lines that arrived as trace messages, each with its custom dimensions."""
        lines = []
        for envelope in self.envelopes:
            data = envelope.get("data", {})
            if data.get("baseType") != "MessageData":
                continue
            base = data["baseData"]
            lines.append({**json.loads(base["message"]), "dimensions": base.get("properties", {})})
        return lines


def _handler(stub: IngestionStub) -> type[BaseHTTPRequestHandler]:
    class Track(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            if self.headers.get("Content-Encoding") == "gzip":
                body = gzip.decompress(body)
            items = json.loads(body) if self.path.startswith("/v2.1/track") else []
            stub.envelopes.extend(items)
            answer = json.dumps({"itemsReceived": len(items), "itemsAccepted": len(items), "errors": []}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: ARG002 - quiet: tests read the envelopes
            return

    return Track


@contextmanager
def ingestion_stub() -> Iterator[IngestionStub]:
    stub = IngestionStub(port=0)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(stub))
    stub.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, name="appinsights-stub", daemon=True)
    thread.start()
    try:
        yield stub
    finally:
        server.shutdown()
        server.server_close()
