"""Server-side sessions: each signed-in browser is a row that sign-out, the person or the secretariat can end.

The cookie carries only the session's secret; the row keeps its digest. Every process on the database sees
an ended session at once. A session expires when idle too long or simply too old.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from server.accounts.actor_rows import BY_SESSION, actor_row
from server.models import ApiToken, UserSession
from server.platform import audit
from server.platform.actor import Actor
from server.platform.config import settings
from server.platform.errors import not_found
from server.platform.pagination import Page, paginate
from server.platform.policy import require_actor
from server.platform.timeutil import now
from server.platform.tokens import digest, new_secret

# last_seen_at is written at most this often, not on every request.
TOUCH_EVERY = timedelta(minutes=5)


async def open_session(actor: Actor, *, user_agent: str, client_address: str) -> tuple[str, Actor]:
    """A new session for the actor: the secret for the cookie, and the actor bound to the session."""
    secret = new_secret()
    at = now()
    row = await UserSession.create(
        secret_hash=digest(secret),
        user_id=actor.user.id,
        organization_id=actor.organization.id,
        created_at=at,
        last_seen_at=at,
        user_agent=summarize_user_agent(user_agent),
        client_address=client_address[:64],
    )
    return secret, Actor(actor.user, actor.organization, actor.role, session_id=row.id)


def _working() -> Q:
    """Sessions that still work: not ended, not idle too long, not too old (SESSION_IDLE, SESSION_LIFETIME).
    The request's own session is read by `actor_rows.BY_SESSION`, which says the same in SQL."""
    limits, at = settings(), now()
    return Q(
        revoked_at=None,
        last_seen_at__gt=at - limits.session_idle,
        created_at__gt=at - limits.session_lifetime,
    )


async def actor_for_session(secret: str) -> Actor | None:
    at, limits = now(), settings()
    found = await actor_row(
        BY_SESSION,
        secret=digest(secret),
        idle_since=at - limits.session_idle,
        created_since=at - limits.session_lifetime,
    )
    if found is None:
        return None
    actor, row = found
    last_seen = UserSession._meta.fields_map["last_seen_at"].to_python_value(row["source_seen_at"])
    if at - last_seen > TOUCH_EVERY:
        await UserSession.filter(id=row["source_id"]).update(last_seen_at=at)
    return replace(actor, session_id=row["source_id"])


async def end_session_by_secret(secret: str) -> None:
    await UserSession.filter(secret_hash=digest(secret), revoked_at=None).update(revoked_at=now())


async def move_session(actor: Actor) -> None:
    """Switching organisation keeps the session and changes whom it acts for."""
    if actor.session_id is not None:
        await UserSession.filter(id=actor.session_id).update(organization_id=actor.organization.id)


async def sessions_of(
    actor: Actor | None, *, first: int | None = None, after: str | None = None
) -> Page[UserSession]:
    """The person's sessions that still work, the newest sign-in first."""
    actor = require_actor(actor)
    query = UserSession.filter(_working(), user_id=actor.user.id).select_related("organization")
    return await paginate(query, first=first, after=after, order=("-id",))


async def end_session(*, actor: Actor | None, session_id: int) -> None:
    """End one of the person's own sessions; someone else's answers as missing."""
    actor = require_actor(actor)
    session = await UserSession.get_or_none(id=session_id, user_id=actor.user.id)
    if session is None:
        raise not_found("session")
    if session.revoked_at is None:
        async with in_transaction():
            await UserSession.filter(id=session.id, revoked_at=None).update(revoked_at=now())
            await audit.record("session.end", session, actor=actor)


async def end_other_sessions(*, actor: Actor | None) -> int:
    actor = require_actor(actor)
    async with in_transaction():
        ended = (
            await UserSession.filter(user_id=actor.user.id, revoked_at=None)
            .exclude(id=actor.session_id or 0)
            .update(revoked_at=now())
        )
        await audit.record("session.end_others", actor.user, actor=actor, after={"ended": ended})
    return ended


async def end_everything_of(user_id: int) -> None:
    """Every session and API token of a person; call inside the transaction of the change that demands it."""
    at = now()
    await UserSession.filter(user_id=user_id, revoked_at=None).update(revoked_at=at)
    await ApiToken.filter(user_id=user_id, revoked_at=None).update(revoked_at=at)


_BROWSERS = (
    ("Edg/", "Edge"),
    ("OPR/", "Opera"),
    ("Whale/", "Whale"),
    ("Firefox/", "Firefox"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
)
_SYSTEMS = (
    ("Android", "Android"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("Linux", "Linux"),
)


def summarize_user_agent(user_agent: str) -> str:
    """ "Chrome on Windows": enough for a person to recognise a session, without keeping the whole header."""
    browser = next((name for mark, name in _BROWSERS if mark in user_agent), None)
    system = next((name for mark, name in _SYSTEMS if mark in user_agent), None)
    if browser and system:
        return f"{browser} on {system}"
    return browser or system or re.sub(r"\s+", " ", user_agent)[:100]
