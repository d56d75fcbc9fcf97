"""A loopback stand-in for Azure AI Speech's synthesis WebSocket (the `USP` protocol the SDK speaks).

The SDK connects to `/cognitiveservices/websocket/v1`, sends `speech.config`, `synthesis.context`
and `ssml` text frames; the service answers `turn.start`, binary `audio` frames (a 2-byte
big-endian header length, `Path:audio` headers, raw PCM) and `turn.end`. The stub records every
SSML document and answers with a tone whose length follows the text, or refuses a wrong key.
"""

from __future__ import annotations

import math
import struct
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from xml.etree import ElementTree

from websockets.http11 import Request, Response
from websockets.sync.server import Server, ServerConnection, serve
from websockets.typing import Subprotocol

SAMPLE_RATE = 24_000
MS_PER_CHARACTER = 60


@dataclass
class SpeechStub:
    key: str
    token: str | None = None
    stall: bool = False
    port: int = 0
    ssml: list[str] = field(default_factory=list)
    keys_seen: list[str] = field(default_factory=list)

    @property
    def endpoint(self) -> str:
        return f"ws://127.0.0.1:{self.port}/cognitiveservices/websocket/v1"

    @staticmethod
    def expected_ms(text: str) -> int:
        return len(text) * MS_PER_CHARACTER

    def check_key(self, conn: ServerConnection, request: Request) -> Response | None:
        """Key auth (`Ocp-Apim-Subscription-Key`) or Entra ID (`Authorization: Bearer aad#...`)."""
        key = request.headers.get("Ocp-Apim-Subscription-Key", "")
        bearer = request.headers.get("Authorization", "").removeprefix("Bearer ")
        self.keys_seen.append(key or f"Bearer {bearer}")
        if key != self.key and not (self.token and bearer == self.token):
            return conn.respond(401, "Access denied due to invalid subscription key or token.\n")
        return None

    def handle(self, conn: ServerConnection) -> None:
        for frame in conn:
            if isinstance(frame, bytes):
                continue
            headers, _, body = frame.partition("\r\n\r\n")
            fields = _headers(headers)
            if fields.get("path") == "ssml":
                self.ssml.append(body)
                if self.stall:  # start the turn, then never send audio (a service that hangs)
                    conn.send(f"X-RequestId:{fields.get('x-requestid', '')}\r\nPath:turn.start\r\n\r\n{{}}")
                    continue
                _answer(conn, fields.get("x-requestid", ""), body)


def _headers(block: str) -> dict[str, str]:
    pairs = (line.split(":", 1) for line in block.split("\r\n") if ":" in line)
    return {name.strip().lower(): value.strip() for name, value in pairs}


def spoken_text(ssml: str) -> str:
    """The text of the SSML document (parsing it also proves the client escaped it)."""
    return "".join(ElementTree.fromstring(ssml).itertext())


def _answer(conn: ServerConnection, request_id: str, ssml: str) -> None:
    text = spoken_text(ssml)
    samples = SAMPLE_RATE * SpeechStub.expected_ms(text) // 1000
    pcm = b"".join(struct.pack("<h", int(6000 * math.sin(i / 8))) for i in range(samples))
    json_type = "Content-Type:application/json; charset=utf-8"
    conn.send(f"X-RequestId:{request_id}\r\n{json_type}\r\nPath:turn.start\r\n\r\n{{}}")
    header = f"X-RequestId:{request_id}\r\nContent-Type:audio/x-wav\r\nPath:audio\r\n".encode()
    for offset in range(0, len(pcm), 9600):
        conn.send(struct.pack(">H", len(header)) + header + pcm[offset : offset + 9600])
    conn.send(f"X-RequestId:{request_id}\r\n{json_type}\r\nPath:turn.end\r\n\r\n")


@contextmanager
def running_speech_stub(*, key: str = "loopback-key", token: str | None = None) -> Iterator[SpeechStub]:
    stub = SpeechStub(key=key, token=token)
    server: Server = serve(
        stub.handle, "127.0.0.1", 0, subprotocols=[Subprotocol("USP")], process_request=stub.check_key
    )
    stub.port = server.socket.getsockname()[1]
    thread = threading.Thread(target=server.serve_forever, name="speech-stub", daemon=True)
    thread.start()
    try:
        yield stub
    finally:
        server.shutdown()
        thread.join(timeout=5)
