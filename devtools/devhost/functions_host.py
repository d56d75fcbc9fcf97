"""Calls the registered Azure functions the way the host would: what runs locally is what Azure runs."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import azure.functions as func
from azure.functions.decorators.function_app import Function, FunctionRegister
from azure.functions.timer import TimerRequest
from azure.storage.blob import BlobClient

LOCAL_ACCOUNT_URL = "http://127.0.0.1:10000/devstoreaccount1"


@dataclass(frozen=True)
class IndexedFunction:
    name: str
    trigger_type: str
    binding: dict[str, Any]
    user_function: Callable[..., Any]


def index(app: FunctionRegister) -> dict[str, IndexedFunction]:
    """Index an app once (a second `get_functions()` on the same app raises in some versions)."""
    described = (_describe(f) for f in app.get_functions())
    return {f.name: f for f in described}


def _describe(function: Function) -> IndexedFunction:
    binding = json.loads(function.get_raw_bindings()[0])
    name = function.get_function_name() or function.get_user_function().__name__
    return IndexedFunction(name, binding["type"], binding, function.get_user_function())


def call_timer(function: IndexedFunction, *, past_due: bool = False) -> None:
    function.user_function(TimerRequest(past_due=past_due))


def call_blob(function: IndexedFunction, *, path: str, account_url: str = LOCAL_ACCOUNT_URL) -> None:
    """As the SDK-type binding does: a `BlobClient` naming the blob (`container/name`), no bytes."""
    container, _, name = path.partition("/")
    function.user_function(BlobClient(account_url, container_name=container, blob_name=name))


def call_http(function: IndexedFunction, request: func.HttpRequest) -> func.HttpResponse:
    response = function.user_function(request, None)
    if asyncio.iscoroutine(response):
        response = asyncio.run(response)
    if not isinstance(response, func.HttpResponse):
        raise TypeError(f"{function.name} returned {type(response).__name__}, not an HttpResponse")
    return response
