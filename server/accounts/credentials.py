"""Changing, forgetting and resetting passwords, and deactivating people.

Each of these ends every session (and, for a change or a deactivation, every API token) of the person in
the same transaction, so a stolen cookie or token stops working at once.
"""

from __future__ import annotations

from datetime import timedelta

from tortoise.transactions import in_transaction

from server.accounts import throttle
from server.accounts.passwords import MIN_LENGTH, hash_password_off_loop
from server.accounts.sessions import end_everything_of
from server.accounts.signin import normalize_email
from server.models import PasswordReset, User
from server.platform import audit
from server.platform.actor import Actor
from server.platform.config import settings
from server.platform.errors import DomainError, ErrorCode, invalid, not_found
from server.platform.outbox import queue_mail
from server.platform.policy import require_actor, require_secretariat
from server.platform.timeutil import now
from server.platform.tokens import digest, new_secret

RESET_VALID = timedelta(minutes=30)
LIVE_RESETS = 3  # unused links a person may have at once: more requests mail nothing (no mail-bombing)
TOO_SHORT = "Use at least 10 characters for the password."
RESET_GONE = "This link to reset your password is no longer valid. Ask for a new one."


def _check_new(password: str, field: str = "password") -> None:
    if len(password) < MIN_LENGTH:
        raise invalid(field, TOO_SHORT)


async def change_password(*, actor: Actor | None, current: str, new: str) -> None:
    """The person proves the current password; every session and token of theirs ends."""
    actor = require_actor(actor)
    user = await User.get(id=actor.user.id)
    if not await throttle.prove_password(user, current):
        raise DomainError.single(ErrorCode.INVALID_CREDENTIALS, "The current password is wrong.", "current")
    _check_new(new, "new")
    password_hash = await hash_password_off_loop(new)
    async with in_transaction():
        await User.filter(id=user.id).update(password_hash=password_hash)
        await end_everything_of(user.id)
        await audit.record("user.change_password", user, actor=actor)


async def person_to_deactivate(*, actor: Actor | None, user_id: int) -> User:
    """Whom the secretariat is about to deactivate, for the page that asks first."""
    actor = require_secretariat(actor)
    user = await User.get_or_none(id=user_id)
    if user is None:
        raise not_found("person")
    return user


async def deactivate_user(*, actor: Actor | None, user_id: int) -> User:
    """The secretariat stops a person from signing in; their sessions and API tokens end now."""
    actor = require_secretariat(actor)
    if user_id == actor.user.id:
        raise DomainError.single(ErrorCode.INVALID_STATE, "You cannot deactivate yourself.")
    async with in_transaction():
        user = await User.filter(id=user_id).select_for_update().first()
        if user is None:
            raise not_found("person")
        if user.is_active:
            user.is_active = False
            await user.save(update_fields=["is_active"])
            await end_everything_of(user.id)
            await audit.record("user.deactivate", user, actor=actor, before={"is_active": True})
    return user


async def request_password_reset(email: str, *, client: str) -> None:
    """Mail a single-use link to an active person; an unknown e-mail gets the same (silent) answer.
    `client` is the address asking: it may ask only so often, whoever it names."""
    await throttle.limit_anonymous("password_reset", client)
    user = await User.get_or_none(email=normalize_email(email), is_active=True)
    if user is None:
        return
    live = PasswordReset.filter(user_id=user.id, used_at=None, expires_at__gt=now())
    if await live.count() >= LIVE_RESETS:
        return
    secret = new_secret()
    async with in_transaction():
        reset = await PasswordReset.create(
            user=user, token_hash=digest(secret), expires_at=now() + RESET_VALID
        )
        await audit.record("user.request_password_reset", reset, user=user)
        await queue_mail(
            user.email,
            "password_reset",
            user=user,
            link=f"{settings().base_url}/password/reset/{secret}",
            expires_at=reset.expires_at,
        )


async def open_password_reset(secret: str) -> PasswordReset:
    reset = await PasswordReset.get_or_none(token_hash=digest(secret)).select_related("user")
    if reset is None or reset.used_at is not None or reset.expires_at <= now() or not reset.user.is_active:
        raise DomainError.single(ErrorCode.EXPIRED, RESET_GONE)
    return reset


async def reset_password(secret: str, password: str) -> User:
    """Set the new password once: the link is used up, and every session of the person ends."""
    reset = await open_password_reset(secret)
    _check_new(password)
    password_hash = await hash_password_off_loop(password)
    async with in_transaction():
        used = await PasswordReset.filter(id=reset.id, used_at=None).update(used_at=now())
        if used != 1:  # the same link, submitted twice at once
            raise DomainError.single(ErrorCode.EXPIRED, RESET_GONE)
        # Older links of the person die with this one.
        await PasswordReset.filter(user_id=reset.user.id, used_at=None).update(used_at=now())
        await User.filter(id=reset.user.id).update(password_hash=password_hash)
        await end_everything_of(reset.user.id)
        await audit.record("user.reset_password", reset.user, user=reset.user)
    return reset.user
