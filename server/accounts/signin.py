"""Signing in and out, acting for an organisation, API tokens and single sign-on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from functools import cache

from tortoise.transactions import in_transaction

from server.accounts import throttle
from server.accounts.actor_rows import BY_BEARER, BY_ROLE, actor_row
from server.accounts.passwords import verify_password_off_loop
from server.models import ApiToken, Organization, Role, User
from server.platform import audit
from server.platform.actor import Actor
from server.platform.errors import DomainError, ErrorCode, forbidden, invalid, not_found
from server.platform.policy import may_use_api_tokens, require_actor
from server.platform.settings import SignInLimits
from server.platform.sql import columns, fetch, model_from, set_related
from server.platform.timeutil import now
from server.platform.tokens import digest, new_secret

API_TOKEN_DAYS = 90
_TOKEN_TOUCH_EVERY = timedelta(minutes=10)

BAD_CREDENTIALS = "Wrong e-mail or password."


def normalize_email(email: str) -> str:
    return email.strip().lower()


async def sign_in(email: str, password: str, *, client: str, limits: SignInLimits) -> User:
    """The user whose password this is; the same answer for an unknown e-mail and a wrong password.

    `client` is the address the attempt comes from (see server/accounts/throttle.py for how attempts are limited).
    """
    email = normalize_email(email)
    await throttle.check_attempt(email, client, limits)
    user = await User.get_or_none(email=email, is_active=True)
    if not await verify_password_off_loop(user.password_hash if user else None, password) or user is None:
        await throttle.count_failure(email, client, limits)
        raise DomainError.single(ErrorCode.INVALID_CREDENTIALS, BAD_CREDENTIALS)
    await throttle.clear_account(email, client)
    user.last_login_at = now()
    await user.save(update_fields=["last_login_at"])
    return user


_ROLES = """SELECT {role}, {organization} FROM role r JOIN organization o ON o.id = r.organization_id
WHERE r.user_id = :user ORDER BY r.id"""


@cache
def _roles() -> str:
    return _ROLES.format(role=columns("r", Role), organization=columns("o", Organization))


async def roles_of(user_id: int) -> list[Role]:
    """The person's roles with their organisations, first joined first (a statement written once: every
    dashboard visit asks)."""
    roles = []
    for record in await fetch(_roles(), user=user_id):
        role = model_from("r", Role, record)
        set_related(role, "organization", model_from("o", Organization, record))
        roles.append(role)
    return roles


async def landing_actor(user: User) -> Actor:
    """The first organisation a person joined is where they land after signing in."""
    role = await Role.filter(user_id=user.id).select_related("organization").order_by("id").first()
    if role is None:
        raise DomainError.single(ErrorCode.FORBIDDEN, "Your account belongs to no organisation yet.")
    return Actor(user=user, organization=role.organization, role=role.kind)


async def actor_for(user_id: int, organization_id: int) -> Actor | None:
    """The actor a session names, or None if the person lost that role or was deactivated."""
    found = await actor_row(BY_ROLE, user_id=user_id, organization_id=organization_id)
    return None if found is None else found[0]


async def switch_organization(actor: Actor | None, organization_id: int) -> Actor:
    actor = require_actor(actor)
    switched = await actor_for(actor.user.id, organization_id)
    if switched is None:
        raise not_found("organization")
    return switched


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str  # shown once, never stored


async def create_api_token(actor: Actor | None, name: str, days: int = API_TOKEN_DAYS) -> IssuedToken:
    actor = require_actor(actor)
    if not may_use_api_tokens(actor):
        raise forbidden()
    name = name.strip()
    if not name:
        raise DomainError.single(ErrorCode.REQUIRED, "Give the token a name.", "name")
    if not 1 <= days <= 365:
        raise invalid("days", "A token lives between 1 and 365 days.")
    secret = "tpc_" + new_secret()
    async with in_transaction():
        token = await ApiToken.create(
            user=actor.user,
            organization=actor.organization,
            name=name,
            token_hash=digest(secret),
            expires_at=now() + timedelta(days=days),
        )
        await audit.record("api_token.create", token, actor=actor, after={"name": name, "days": days})
    return IssuedToken(token=token, secret=secret)


async def revoke_api_token(actor: Actor | None, token_id: int) -> ApiToken:
    actor = require_actor(actor)
    token = await ApiToken.get_or_none(id=token_id, user_id=actor.user.id)
    if token is None:
        raise not_found("token")
    if token.revoked_at is None:
        async with in_transaction():
            token.revoked_at = now()
            await token.save(update_fields=["revoked_at"])
            await audit.record("api_token.revoke", token, actor=actor)
    return token


async def api_tokens_of(actor: Actor | None) -> list[ApiToken]:
    actor = require_actor(actor)
    return await ApiToken.filter(user_id=actor.user.id).order_by("-id")


async def actor_for_api_token(secret: str) -> Actor | None:
    at = now()
    found = await actor_row(BY_BEARER, secret=digest(secret), at=at)
    if found is None:
        return None
    actor, row = found
    last_used = ApiToken._meta.fields_map["last_used_at"].to_python_value(row["source_seen_at"])
    if last_used is None or at - last_used > _TOKEN_TOUCH_EVERY:
        await ApiToken.filter(id=row["source_id"]).update(last_used_at=at)
    return actor
