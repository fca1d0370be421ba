"""Who a request acts as: a bearer API token, or the signed session cookie.

Both doors (GraphQL and pages) ask `current_actor`; the answer is cached on
the request so one request resolves it once.
"""

from __future__ import annotations

from starlette.requests import HTTPConnection

from server.accounts import actor_for, actor_for_api_token
from server.actor import Actor

USER_KEY = "uid"
ORG_KEY = "oid"
_CACHE = "club_actor"


def _bearer(connection: HTTPConnection) -> str | None:
    scheme, _, credentials = connection.headers.get("authorization", "").partition(" ")
    return credentials.strip() if scheme.lower() == "bearer" and credentials.strip() else None


async def current_actor(connection: HTTPConnection) -> Actor | None:
    if _CACHE in connection.scope:
        return connection.scope[_CACHE]
    actor: Actor | None = None
    token = _bearer(connection)
    if token is not None:
        actor = await actor_for_api_token(token)
    else:
        session = connection.session
        user_id, organization_id = session.get(USER_KEY), session.get(ORG_KEY)
        if isinstance(user_id, int) and isinstance(organization_id, int):
            actor = await actor_for(user_id, organization_id)
            if actor is None:
                session.clear()
    connection.scope[_CACHE] = actor
    return actor


def uses_bearer_token(connection: HTTPConnection) -> bool:
    return _bearer(connection) is not None


def start_session(connection: HTTPConnection, actor: Actor) -> None:
    """A fresh session on every sign-in, so nothing from before it (a planted cookie) carries over."""
    connection.session.clear()
    connection.session[USER_KEY] = actor.user.id
    connection.session[ORG_KEY] = actor.organization.id
    connection.scope[_CACHE] = actor


def switch_session(connection: HTTPConnection, actor: Actor) -> None:
    connection.session[ORG_KEY] = actor.organization.id
    connection.scope[_CACHE] = actor


def end_session(connection: HTTPConnection) -> None:
    connection.session.clear()
    connection.scope[_CACHE] = None
