"""Routes: `/auth/oauth/{google,microsoft}/start` and `/callback` (authorization code + PKCE)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse

from shared.auth.addresses import address_bucket
from shared.auth.cookies import caller, caller_ip, presented_session, set_session_cookie
from shared.auth.oauth.flow import FLOW_COOKIE
from shared.auth.oauth.linking import user_for_identity
from shared.auth.oauth.providers import PROVIDERS, ProviderName
from shared.auth.use_cases.sessions import OpenedSession, open_session
from shared.container import Container
from shared.deps import ContainerDep
from shared.platform.app_url import redirect_to_app
from shared.platform.errors import AppError

FLOW_COOKIE_PATH = "/v1/auth/oauth"

logger = logging.getLogger(__name__)

router = APIRouter(prefix="/oauth")


def _redirect_uri(container: Container, name: ProviderName) -> str:
    base = container.settings.oauth_redirect_base or container.settings.public_base_url
    return f"{base.rstrip('/')}/v1/auth/oauth/{name}/callback"


def _start_route(name: ProviderName) -> Callable[[Request, ContainerDep], Response]:
    def start(request: Request, container: ContainerDep) -> Response:
        settings = container.settings
        address = address_bucket(caller_ip(container, request))
        container.throttle.hit(
            f"oauth:ip:{address}", limit=settings.auth_ip_limit_per_minute, window_s=60, what="sign-in attempts"
        )
        url, flow = container.sign_in_provider(name).start(redirect_uri=_redirect_uri(container, name))
        binding = container.oauth_flows.save(provider=name, flow=flow)
        response = RedirectResponse(url, status_code=302)
        response.set_cookie(
            FLOW_COOKIE, binding, max_age=settings.oauth_flow_ttl_seconds, path=FLOW_COOKIE_PATH, httponly=True,
            samesite="lax", secure=settings.cookie_secure_for(is_local=settings.is_local),
        )  # fmt: skip
        response.headers["Cache-Control"] = "no-store"
        return response

    start.__doc__ = f"Begin {name} sign-in: redirects the browser to the provider (state, nonce, PKCE S256)."
    return start


def _callback_route(name: ProviderName) -> Callable[[Request, ContainerDep], Response]:
    def callback(request: Request, container: ContainerDep) -> Response:
        settings = container.settings
        try:
            opened = _finish(container, name, request)
        except AppError as exc:
            logger.info("%s sign-in refused: %s", name, exc.message)
            response = redirect_to_app(settings.app_url, settings.oauth_success_redirect, signin="error", code=exc.code)
        else:
            response = redirect_to_app(settings.app_url, settings.oauth_success_redirect)
            set_session_cookie(response, container, opened)
        response.delete_cookie(FLOW_COOKIE, path=FLOW_COOKIE_PATH)
        return response

    callback.__doc__ = (
        f"Finish {name} sign-in: checks state, code, ID token; sets the session cookie; redirects to the app "
        "(`?signin=error&code=<error code>` when it failed)."
    )
    return callback


def _finish(container: Container, name: ProviderName, request: Request) -> OpenedSession:
    params = dict(request.query_params)
    flows = container.oauth_flows
    flow = flows.take(provider=name, state=params.get("state"), binding=request.cookies.get(FLOW_COOKIE))
    identity = container.sign_in_provider(name).finish(flow=flow, params=params)
    user = user_for_identity(identity=identity, store=container.auth_store, clock=container.clock)
    return open_session(
        user_id=user.id, auth_method=name, caller=caller(container, request),
        presented=presented_session(container, request), store=container.auth_store, clock=container.clock,
        settings=container.settings,
    )  # fmt: skip


for _name in PROVIDERS:
    router.add_api_route(
        f"/{_name}/start", _start_route(_name), methods=["GET"], status_code=302, response_class=RedirectResponse,
        name=f"oauth_{_name}_start",
    )  # fmt: skip
    router.add_api_route(
        f"/{_name}/callback", _callback_route(_name), methods=["GET"], status_code=303,
        response_class=RedirectResponse, name=f"oauth_{_name}_callback",
    )  # fmt: skip
