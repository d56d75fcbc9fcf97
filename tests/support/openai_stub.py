"""A loopback server speaking the OpenAI Chat Completions API, for the real `openai` SDK path.

It accepts the OpenAI path (`/v1/chat/completions`) and the Azure path
(`/openai/deployments/{deployment}/chat/completions?api-version=...`), insists on structured
outputs (`response_format: json_schema`, strict), and answers each request with the next scripted
behaviour: a schema-valid answer built from the sections it was sent (checked against the schema
it received), 429 with `Retry-After`, 500, deliberately invalid JSON, a schema violation, a
citation of a page it was never given, or a valid answer with items the cited section does
not support (`unsupported`) or a key point that is not a sentence (`fragment`). Every request
is recorded for the tests to inspect.
"""

from __future__ import annotations

import hashlib
import json
import socket
import threading
import time
from collections import deque
from dataclasses import dataclass
from typing import Any, Literal

import jsonschema
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from tests.support.openai_stub_answers import answer_for

Behaviour = Literal[
    "ok",
    "rate_limit",
    "server_error",
    "bad_request",
    "invalid_json",
    "schema_violation",
    "bad_citation",
    "unsupported",
    "fragment",
]


@dataclass(frozen=True)
class Recorded:
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: dict[str, Any]
    at: float
    behaviour: Behaviour


class OpenAiStub:
    def __init__(self, *, retry_after: str = "1") -> None:
        self.retry_after = retry_after
        self.script: deque[Behaviour] = deque()
        self.requests: list[Recorded] = []
        self._lock = threading.Lock()
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self.port = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def queue(self, *behaviours: Behaviour) -> None:
        """The next requests' behaviours, in order; once used up, requests are answered `ok`."""
        with self._lock:
            self.script.extend(behaviours)

    def reset(self) -> None:
        with self._lock:
            self.script.clear()
            self.requests.clear()

    def start(self) -> OpenAiStub:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(self._app(), log_level="warning", lifespan="off")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [sock]}, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("the OpenAI stub did not start within 10 s")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(timeout=10)

    def _app(self) -> Starlette:
        routes = [
            Route("/v1/chat/completions", self._completions, methods=["POST"]),
            Route("/openai/deployments/{deployment}/chat/completions", self._completions, methods=["POST"]),
            Route("/openai/deployments/{deployment}/embeddings", self._embeddings, methods=["POST"]),
        ]
        return Starlette(routes=routes)

    def _next(self) -> Behaviour:
        with self._lock:
            return self.script.popleft() if self.script else "ok"

    async def _completions(self, request: Request) -> JSONResponse:
        body = await request.json()
        behaviour = self._next()
        recorded = Recorded(
            request.url.path, dict(request.query_params), dict(request.headers), body, time.monotonic(), behaviour
        )
        with self._lock:
            self.requests.append(recorded)
        problem = _request_problem(body)
        if problem is not None:
            return _error(400, "invalid_request_error", problem)
        return self._respond(behaviour, body)

    async def _embeddings(self, request: Request) -> JSONResponse:
        """Bag-of-words vectors: texts sharing words point the same way, so reranking is testable."""
        body = await request.json()
        recorded = Recorded(
            request.url.path, dict(request.query_params), dict(request.headers), body, time.monotonic(), "ok"
        )
        with self._lock:
            self.requests.append(recorded)
        texts = body["input"] if isinstance(body["input"], list) else [body["input"]]
        data = [{"object": "embedding", "index": i, "embedding": bag_of_words(t)} for i, t in enumerate(texts)]
        usage = {"prompt_tokens": sum(len(t) // 4 for t in texts), "total_tokens": sum(len(t) // 4 for t in texts)}
        return JSONResponse({"object": "list", "data": data, "model": body["model"], "usage": usage})

    def _respond(self, behaviour: Behaviour, body: dict[str, Any]) -> JSONResponse:
        if behaviour == "rate_limit":
            return _error(429, "rate_limit_exceeded", "Rate limit reached", {"retry-after": self.retry_after})
        if behaviour == "server_error":
            return _error(500, "server_error", "The server had an error while processing your request.")
        if behaviour == "bad_request":
            return _error(400, "invalid_request_error", "This model does not support that request.")
        answer = answer_for(body, behaviour)
        if behaviour in ("ok", "unsupported", "fragment"):
            jsonschema.validate(json.loads(answer), body["response_format"]["json_schema"]["schema"])
        return JSONResponse(_completion(body, answer))


def _request_problem(body: dict[str, Any]) -> str | None:
    if not body.get("model") or not body.get("messages"):
        return "model and messages are required"
    fmt = body.get("response_format") or {}
    schema = fmt.get("json_schema") or {}
    if fmt.get("type") != "json_schema" or not schema.get("strict") or "schema" not in schema:
        return "this stub only answers strict json_schema structured outputs"
    jsonschema.Draft202012Validator.check_schema(schema["schema"])
    return None


def _error(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    error = {"error": {"message": message, "type": code, "param": None, "code": code}}
    return JSONResponse(error, status_code=status, headers=headers)


def _completion(body: dict[str, Any], content: str) -> dict[str, Any]:
    prompt_tokens = sum(len(str(m.get("content", ""))) for m in body["messages"]) // 4
    completion_tokens = len(content) // 4
    message = {"role": "assistant", "content": content, "refusal": None}
    return {
        "id": f"chatcmpl-stub{int(time.time() * 1000)}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": body["model"],
        "choices": [{"index": 0, "message": message, "finish_reason": "stop", "logprobs": None}],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
    }


def bag_of_words(text: str, dims: int = 64) -> list[float]:
    vector = [0.0] * dims
    for word in text.casefold().split():
        word = word.strip(".,;:?!()\"'")
        if len(word) > 3:  # short words say little about meaning
            vector[int(hashlib.sha256(word.encode()).hexdigest(), 16) % dims] += 1.0
    return vector
