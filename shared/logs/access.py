"""Who may use the log routes: an operator's session, or the separate `X-Ops-Key`."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader

from shared.auth.deps import current_user
from shared.deps import ContainerDep
from shared.platform.errors import PermissionDenied, Unauthenticated

OPS_KEY_HEADER = "X-Ops-Key"
_ops_key = APIKeyHeader(name=OPS_KEY_HEADER, auto_error=False, description="The operators' key (OPS_API_KEY)")


def ops_caller(
    request: Request,
    container: ContainerDep,
    key: Annotated[str | None, Depends(_ops_key)],
) -> str:
    """`ops-key` or `operator:<user id>`; a student gets 403, nobody at all 401."""
    if key is not None:
        configured = container.settings.ops_api_key
        if configured is None or not hmac.compare_digest(key.encode(), configured.get_secret_value().encode()):
            raise Unauthenticated(f"the {OPS_KEY_HEADER} header is not a valid operators' key")
        return "ops-key"
    principal = current_user(request, container)
    if principal.role != "operator":
        raise PermissionDenied("the log routes are for operators")
    return f"operator:{principal.user_id}"


OpsCaller = Annotated[str, Depends(ops_caller)]
