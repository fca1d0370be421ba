"""Who a request acts as: a bearer API token, or the browser session its signed cookie names.

The cookie (Starlette's SessionMiddleware) carries the session's secret, the CSRF token and single
sign-on state; whether the session still works is decided by its row (server/accounts/sessions.py).
Both doors (GraphQL and pages) ask `current_actor`; the answer is cached on the request so one
request resolves it once.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from dataclasses import replace

from starlette.requests import HTTPConnection
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from server.accounts import sessions as user_sessions
from server.accounts.signin import actor_for_api_token
from server.platform.actor import Actor
from server.platform.settings import Network, Settings

SESSION_KEY = "sid"
_CACHE = "club_actor"


def _bearer(connection: HTTPConnection) -> str | None:
    scheme, _, credentials = connection.headers.get("authorization", "").partition(" ")
    return credentials.strip() if scheme.lower() == "bearer" and credentials.strip() else None


def _settings(connection: HTTPConnection) -> Settings:
    settings: Settings = connection.app.state.settings
    return settings


def client_address(connection: HTTPConnection, trusted: Sequence[Network]) -> str:
    """The peer's address; behind a trusted proxy, the nearest address in X-Forwarded-For it did not add."""
    peer = connection.client.host if connection.client else ""
    if not _is_trusted(peer, trusted):
        return peer
    hops = [h.strip() for h in connection.headers.get("x-forwarded-for", "").split(",") if h.strip()]
    for hop in reversed(hops):
        if not _is_trusted(hop, trusted):
            return hop
    return hops[0] if hops else peer


def _is_trusted(address: str, trusted: Sequence[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in trusted)


def client_of(connection: HTTPConnection) -> str:
    return client_address(connection, _settings(connection).trusted_proxies)


async def current_actor(connection: HTTPConnection) -> Actor | None:
    if _CACHE in connection.scope:
        return connection.scope[_CACHE]
    actor: Actor | None = None
    token = _bearer(connection)
    if token is not None:
        actor = await actor_for_api_token(token)
    else:
        secret = connection.session.get(SESSION_KEY)
        if isinstance(secret, str):
            actor = await user_sessions.actor_for_session(secret)
            if actor is None:
                connection.session.clear()
    connection.scope[_CACHE] = actor
    return actor


def uses_bearer_token(connection: HTTPConnection) -> bool:
    return _bearer(connection) is not None


async def start_session(connection: HTTPConnection, actor: Actor) -> Actor:
    """A fresh session on every sign-in, so nothing from before it (a planted cookie) carries over."""
    previous = connection.session.get(SESSION_KEY)
    if isinstance(previous, str):
        await user_sessions.end_session_by_secret(previous)
    connection.session.clear()
    secret, actor = await user_sessions.open_session(
        actor, user_agent=connection.headers.get("user-agent", ""), client_address=client_of(connection)
    )
    connection.session[SESSION_KEY] = secret
    connection.scope[_CACHE] = actor
    return actor


async def switch_session(connection: HTTPConnection, actor: Actor) -> Actor:
    """The same session row now acts for the actor's organisation."""
    current = connection.scope.get(_CACHE)
    actor = replace(actor, session_id=current.session_id if current else None)
    await user_sessions.move_session(actor)
    connection.scope[_CACHE] = actor
    return actor


async def end_session(connection: HTTPConnection) -> None:
    secret = connection.session.get(SESSION_KEY)
    if isinstance(secret, str):
        await user_sessions.end_session_by_secret(secret)
    connection.session.clear()
    connection.scope[_CACHE] = None


class BearerTokenGate:
    """A presented bearer token that does not work is refused with 401, never served as anonymous."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # /metrics checks its own bearer token (METRICS_TOKEN), which is no API token.
        if scope["type"] == "http" and scope["path"] != "/metrics":
            connection = HTTPConnection(scope)
            if _bearer(connection) is not None and await current_actor(connection) is None:
                refusal = JSONResponse(
                    {
                        "errors": [
                            {
                                "message": "The bearer token is invalid, expired or revoked.",
                                "extensions": {"code": "UNAUTHENTICATED"},
                            }
                        ]
                    },
                    status_code=401,
                    headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
                )
                await refusal(scope, receive, send)
                return
        await self.app(scope, receive, send)
