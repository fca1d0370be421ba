"""A company's manager registers colleagues for a seminar: people of the company, or a name and e-mail
that becomes an invitation to join it as staff.

Locks: the seminar row (through `registrations.take_place`), which keeps seats and the per-organisation
limit within bounds however many colleagues are registered at once.
"""

from __future__ import annotations

from tortoise.transactions import in_transaction

from server.accounts.signin import normalize_email
from server.membership.invitations import invite_user, valid_email
from server.models import Registration, Role, RoleKind, User
from server.platform import audit
from server.platform.actor import Actor
from server.platform.errors import ErrorCode, ErrorCollector, forbidden, not_found
from server.platform.policy import MANAGING_ROLES, require_actor
from server.seminars.registrations import take_place


async def _colleague(actor: Actor, user_id: int) -> User:
    role = (
        await Role.filter(user_id=user_id, organization_id=actor.organization.id)
        .select_related("user")
        .first()
    )
    if role is None or not role.user.is_active:
        raise not_found("member")
    return role.user


async def _newcomer(actor: Actor, name: str, email: str) -> User:
    """The person named, invited to the company as staff unless they belong to it already.

    Someone with no account yet gets one without a password: the invitation's link, sent to that address,
    is where they set it (`invitations.accept_invitation`).
    """
    email = normalize_email(email)
    errors = ErrorCollector()
    if not valid_email(email):
        errors.add(ErrorCode.INVALID, "email", "Enter a valid e-mail address.")
    if not name.strip():
        errors.add(ErrorCode.REQUIRED, "name", "Enter the person's name.")
    errors.raise_if_any()
    user = await User.get_or_none(email=email)
    if user is not None and await Role.exists(user_id=user.id, organization_id=actor.organization.id):
        return user
    if user is None:
        user = await User.create(email=email, name=name.strip(), password_hash=None)
        await audit.record("user.create", user, actor=actor, after={"email": email, "by_colleague": True})
    await invite_user(actor=actor, email=email, organization_id=actor.organization.id, role=RoleKind.STAFF)
    return user


async def register_colleague_for_seminar(
    *,
    actor: Actor | None,
    seminar_id: int,
    user_id: int | None = None,
    name: str = "",
    email: str = "",
) -> Registration:
    """A coordinator or representative registers a colleague (by `user_id`), or a newcomer (`name`, `email`),
    under the company's seats; past its per-organisation limit or the capacity, on the waiting list."""
    actor = require_actor(actor)
    if actor.is_secretariat or actor.role not in MANAGING_ROLES:
        raise forbidden()
    async with in_transaction():
        user = await (_colleague(actor, user_id) if user_id is not None else _newcomer(actor, name, email))
        return await take_place(actor, seminar_id, user, actor.organization)
