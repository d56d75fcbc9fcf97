"""`/login/oauth2/*`: the stub approves every sign-in as its one student."""

from __future__ import annotations

import secrets
from urllib.parse import urlencode

from devtools.canvas_stub.http import Reply, Request
from devtools.canvas_stub.state import StubState


def authorize(state: StubState, request: Request) -> Reply:
    redirect_uri = request.arg("redirect_uri")
    if request.arg("client_id") != state.client_id or request.arg("response_type") != "code" or not redirect_uri:
        return Reply.json(400, {"error": "invalid_request", "error_description": "bad client_id or redirect_uri"})
    query = {"state": request.arg("state")}
    with state.lock:
        if state.deny_next_authorize:
            state.deny_next_authorize = False
            query["error"] = "access_denied"
        else:
            code = secrets.token_urlsafe(16)
            state.codes[code] = redirect_uri
            query["code"] = code
    return Reply(302, headers={"Location": f"{redirect_uri}?{urlencode(query)}"})


def token(state: StubState, request: Request) -> Reply:
    form = request.form()
    if form.get("client_id") != state.client_id or form.get("client_secret") != state.client_secret:
        return Reply.json(401, {"error": "invalid_client", "error_description": "unknown client"})
    with state.lock:
        if form.get("grant_type") == "authorization_code":
            if state.codes.pop(form.get("code", ""), None) != form.get("redirect_uri"):
                return Reply.json(400, {"error": "invalid_grant", "error_description": "bad or used code"})
            access, refresh = state.issue_tokens()
            return Reply.json(200, _grant(state, access) | {"refresh_token": refresh})
        if form.get("grant_type") == "refresh_token":
            if form.get("refresh_token") not in state.refresh:
                return Reply.json(400, {"error": "invalid_grant", "error_description": "refresh token revoked"})
            access, spare = state.issue_tokens()
            state.refresh.discard(spare)  # Canvas keeps the original refresh token; none is returned
            return Reply.json(200, _grant(state, access))
    return Reply.json(400, {"error": "unsupported_grant_type"})


def revoke(state: StubState, request: Request) -> Reply:
    with state.lock:
        if not state.token_valid(request.bearer):
            return Reply.errors(401, "Invalid access token.", {"WWW-Authenticate": 'Bearer realm="canvas-lms"'})
        state.access.pop(request.bearer or "", None)
        state.refresh.clear()  # one student in the stub: revoking ends the grant
    return Reply.json(200, {})


def _grant(state: StubState, access: str) -> dict[str, object]:
    return {
        "access_token": access,
        "token_type": "Bearer",
        "user": dict(state.school.student),
        "expires_in": int(state.token_ttl_s),
    }
