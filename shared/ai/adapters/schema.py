"""JSON schemas for structured outputs, generated from the pydantic models.

Strict mode wants every property required, `additionalProperties: false` and no defaults; the
length and range limits are enforced by validating the answer with pydantic instead of being
sent, since providers accept different subsets of those keywords.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

_DROPPED = frozenset(
    {
        "default",
        "minLength",
        "maxLength",
        "minItems",
        "maxItems",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
    }
)


def strict_schema(model: type[BaseModel]) -> dict[str, Any]:
    result = _strict(model.model_json_schema())
    if not isinstance(result, dict):
        raise TypeError(f"{model.__name__} does not produce an object schema")
    return result


def _strict(node: Any) -> Any:
    if isinstance(node, list):
        return [_strict(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _strict(value) for key, value in node.items() if key not in _DROPPED}
    if out.get("type") == "object" and "properties" in out:
        out["required"] = list(out["properties"])
        out["additionalProperties"] = False
    return out


def response_format(model: type[BaseModel]) -> dict[str, Any]:
    """The `response_format` of a Chat Completions request for `model`."""
    schema = {"name": model.__name__, "schema": strict_schema(model), "strict": True}
    return {"type": "json_schema", "json_schema": schema}
